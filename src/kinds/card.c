/* kinds/card: one-page role cards. Each profile's card holds its title, the
 * group's shared task (when the layout includes it), the chosen sections and
 * the pitfalls, copy-fitted: set as large as fits on the page between the
 * layout's limits, with balanced columns. A card set can share one size, and
 * can be imposed n-up on print sheets. Nothing is ever clipped: a profile
 * that does not fit at the minimum size fails the run, naming it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kinds/kinds.h"

static const char *const card_keys[] = {"profiles", "sections", "accents", "fit", "uniform", "sheet", NULL};
static const char *const sheet_keys[] = {"size", "orientation", "across", "down", "gap", "crop_marks", NULL};

typedef struct card_opts {
    const char **sections; /* "group", "pitfalls" or dimension keys; NULL = all */
    size_t section_count;
    kind_accents_t accents;
    double min_size, max_size; /* of the bullet style */
    bool uniform;
    bool sheet;
    double sheet_w, sheet_h, gap;
    int across, down;
    bool sheet_crop;
} card_opts_t;

static void opts_free(card_opts_t *o) {
    free(o->sections);
    kind_accents_free(&o->accents);
}

static bool read_opts(const spec_t *s, const model_t *m, card_opts_t *o, diag_t *d) {
    memset(o, 0, sizeof *o);
    const spec_style_t *bullet = spec_find_style(s, "bullet");
    o->max_size = o->min_size = bullet ? bullet->size : 10;
    o->uniform = true;
    const ynode_t *blk = s->kind_block;
    if (!blk) return true;
    bool ok = true;
    const ynode_t *n;
    if ((n = ymap_get(blk, "sections"))) {
        if (!yexpect(s->doc, n, YNODE_SEQ, "card.sections", d)) return false;
        o->sections = calloc(n->count + 1, sizeof *o->sections);
        for (size_t i = 0; o->sections && i < n->count; i++) {
            const char *k = ytext(s->doc, n->items[i], "card section", d);
            if (!k) { ok = false; continue; }
            bool known = strcmp(k, "group") == 0 || strcmp(k, "pitfalls") == 0;
            if (!known && m) known = model_find_dimension(m, k) != NULL;
            if (!known && m) {
                const char **names = calloc(m->dimension_count + 3, sizeof *names);
                size_t c = 0;
                names[c++] = "group";
                names[c++] = "pitfalls";
                for (size_t j = 0; j < m->dimension_count; j++) names[c++] = m->dimensions[j].key;
                const char *sg = ysuggest(k, names);
                diag_error(d, ydoc_loc(s->doc, n->items[i]),
                           "card section '%s' is neither 'group', 'pitfalls' nor a dimension of %s%s%s%s", k, m->path,
                           sg ? "; did you mean '" : "", sg ? sg : "", sg ? "'?" : "");
                free(names);
                ok = false;
                continue;
            }
            o->sections[o->section_count++] = k;
        }
    }
    if (!kind_read_accents(s, "card", &o->accents, d)) ok = false;
    if (!kind_read_fit(s, "card", &o->min_size, &o->max_size, d)) ok = false;
    if ((n = ymap_get(blk, "uniform")) && !ybool(s->doc, n, "card.uniform", &o->uniform, d)) ok = false;
    if ((n = ymap_get(blk, "sheet"))) {
        if (!ymap_check(s->doc, n, "card.sheet", sheet_keys, NULL, d)) return false;
        o->sheet = true;
        o->across = o->down = 1;
        o->gap = 0;
        spec_named_size("A4", &o->sheet_w, &o->sheet_h);
        const ynode_t *v;
        if ((v = ymap_get(n, "size"))) {
            const char *name = ytext(s->doc, v, "card.sheet.size", d);
            if (!name || !spec_named_size(name, &o->sheet_w, &o->sheet_h)) {
                if (name) diag_error(d, ydoc_loc(s->doc, v), "unknown sheet size '%s'; use A0–A6, B4, B5, letter or legal", name);
                ok = false;
            }
        }
        if ((v = ymap_get(n, "orientation"))) {
            const char *or = ytext(s->doc, v, "card.sheet.orientation", d);
            bool land = or && strcmp(or, "landscape") == 0;
            if (or && !land && strcmp(or, "portrait") != 0) {
                diag_error(d, ydoc_loc(s->doc, v), "orientation must be 'portrait' or 'landscape', found '%s'", or);
                ok = false;
            }
            if ((land && o->sheet_w < o->sheet_h) || (!land && o->sheet_w > o->sheet_h)) {
                double t = o->sheet_w; o->sheet_w = o->sheet_h; o->sheet_h = t;
            }
        }
        double num;
        if ((v = ymap_get(n, "across"))) {
            if (!ynumber(s->doc, v, "card.sheet.across", &num, d) || num < 1 || num > 20 || num != floor(num)) ok = false;
            else o->across = (int)num;
        }
        if ((v = ymap_get(n, "down"))) {
            if (!ynumber(s->doc, v, "card.sheet.down", &num, d) || num < 1 || num > 20 || num != floor(num)) ok = false;
            else o->down = (int)num;
        }
        if ((v = ymap_get(n, "gap"))) {
            const char *g = ytext(s->doc, v, "card.sheet.gap", d);
            if (!g || !spec_parse_length(g, &o->gap) || o->gap < 0) {
                if (g) diag_error(d, ydoc_loc(s->doc, v), "card.sheet.gap '%s' is not a length", g);
                ok = false;
            }
        }
        if ((v = ymap_get(n, "crop_marks")) && !ybool(s->doc, v, "card.sheet.crop_marks", &o->sheet_crop, d)) ok = false;
        double need_w = o->across * s->page.width + (o->across - 1) * o->gap;
        double need_h = o->down * s->page.height + (o->down - 1) * o->gap;
        if (ok && (need_w > o->sheet_w + 0.01 || need_h > o->sheet_h + 0.01)) {
            diag_error(d, ydoc_loc(s->doc, n), "%d × %d cards of %.0f × %.0f mm with %.0f mm gaps do not fit on a %.0f × %.0f mm sheet",
                       o->across, o->down, s->page.width * 25.4 / 72, s->page.height * 25.4 / 72, o->gap * 25.4 / 72,
                       o->sheet_w * 25.4 / 72, o->sheet_h * 25.4 / 72);
            ok = false;
        }
    }
    return ok;
}

bool card_check(const spec_t *s, const model_t *m, diag_t *d) {
    bool ok = true;
    if (s->kind_block && !ymap_check(s->doc, s->kind_block, "card", card_keys, NULL, d)) ok = false;
    static const char *const styles[] = {"card_title", "kicker", "section", "bullet", NULL};
    for (int i = 0; styles[i]; i++)
        if (!spec_require_style(s, styles[i], d)) ok = false;
    if (!spec_require_label(s, "bullet", d)) ok = false;
    card_opts_t o;
    if (!read_opts(s, m, &o, d)) ok = false;
    opts_free(&o);
    return ok;
}

/* ---- one card ------------------------------------------------------------- */

typedef struct card {
    page_blocks_t header;  /* kicker and title, across the columns */
    page_blocks_t body;    /* sections in the columns */
    double header_h;
} card_t;

static void card_free(card_t *c) {
    page_blocks_free(&c->header);
    page_blocks_free(&c->body);
}

static bool add_section(typeset_t *t, page_blocks_t *b, const model_text_t *head, const model_list_t *list,
                        double w, colour_t accent, size_t card) {
    size_t sect = doc_node(t->doc, card, DOC_TAG_SECT);
    page_block_t *h = typeset_paragraph(t, b, "section", head->text, head->loc, w);
    if (!h) return false;
    h->para.colour = accent;
    kind_tag(t, h, sect, DOC_TAG_H2);
    const char *mark = spec_label(t->spec, "bullet");
    size_t l = doc_node(t->doc, sect, DOC_TAG_L);
    for (size_t i = 0; i < list->count; i++) {
        page_block_t *it = typeset_item(t, b, "bullet", mark, list->items[i].text, list->items[i].loc, w);
        if (!it) return false;
        kind_tag_item(t, it, l);
    }
    return true;
}

static bool wanted(const card_opts_t *o, const char *key) {
    if (!o->sections) return true;
    for (size_t i = 0; i < o->section_count; i++)
        if (strcmp(o->sections[i], key) == 0) return true;
    return false;
}

/* Typesets the card of profile p at the typesetter's current scale. */
static bool build_card(typeset_t *t, const model_profile_t *p, const card_opts_t *o, colour_t accent, double width,
                       double colw, card_t *c) {
    memset(c, 0, sizeof *c);
    size_t card = doc_node(t->doc, 1, DOC_TAG_SECT);
    if (p->group.present && p->group.name.text) {
        page_block_t *k = typeset_paragraph(t, &c->header, "kicker", p->group.name.text, p->group.name.loc, width);
        if (!k) return false;
        kind_tag(t, k, card, DOC_TAG_P);
    }
    page_block_t *title = typeset_paragraph(t, &c->header, "card_title", p->title.text, p->title.loc, width);
    if (!title) return false;
    kind_tag(t, title, card, DOC_TAG_H1);
    c->header_h = 0;
    for (size_t i = 0; i < c->header.count; i++)
        c->header_h += page_block_height(&c->header.v[i]) + c->header.v[i].space_after;
    /* The layout's order, or the profile's. */
    if (o->sections) {
        for (size_t i = 0; i < o->section_count; i++) {
            const char *k = o->sections[i];
            if (strcmp(k, "group") == 0) {
                if (p->group.present && !add_section(t, &c->body, &p->group.heading, &p->group.bullets, colw, accent, card))
                    return false;
            } else if (strcmp(k, "pitfalls") == 0) {
                if (p->pitfalls.present &&
                    !add_section(t, &c->body, &p->pitfalls.heading, &p->pitfalls.bullets, colw, accent, card))
                    return false;
            } else {
                const model_section_t *s = model_profile_section(p, k);
                if (s && !add_section(t, &c->body, &s->heading, &s->bullets, colw, accent, card)) return false;
            }
        }
        return true;
    }
    if (p->group.present && wanted(o, "group") &&
        !add_section(t, &c->body, &p->group.heading, &p->group.bullets, colw, accent, card))
        return false;
    for (size_t i = 0; i < p->section_count; i++)
        if (!add_section(t, &c->body, &p->sections[i].heading, &p->sections[i].bullets, colw, accent, card)) return false;
    if (p->pitfalls.present && !add_section(t, &c->body, &p->pitfalls.heading, &p->pitfalls.bullets, colw, accent, card))
        return false;
    return true;
}

/* The frame below the header: the page's frame with the header's height
 * added to its top margin. */
static page_frame_spec_t body_frame(const spec_t *s, double header_h) {
    page_frame_spec_t f = typeset_frame(s);
    f.top += header_h + s->page.gutter;
    return f;
}


/* Does the card of p fit at scale f? Sets *overflow (points that did not fit). */
static bool fits(typeset_t *t, const model_profile_t *p, const card_opts_t *o, double f, double *overflow, bool *err) {
    const spec_t *s = t->spec;
    t->scale = f;
    page_frame_spec_t base = typeset_frame(s);
    double width = s->page.width - s->page.inner - s->page.outer;
    card_t c;
    if (!build_card(t, p, o, kind_accent(t, &o->accents, p), width, page_column_width(&base), &c)) {
        *err = true;
        card_free(&c);
        return false;
    }
    page_frame_spec_t f2 = body_frame(s, c.header_h);
    page_fit_t fit = {0, 0};
    bool ok = f2.height - f2.top - f2.bottom > 0 && page_measure(&f2, &c.body, &fit) && fit.pages == 1;
    *overflow = ok ? 0 : fit.overflow > 0 ? fit.overflow : f2.height;
    card_free(&c);
    return ok;
}

/* The largest scale in [lo, hi] at which p fits, or 0 when it does not fit
 * at lo. From the overflow at hi, the text's height at hi is known; height
 * grows about as the square of the scale, which gives a first guess; 5 %
 * steps bracket the answer, halving finds it to 1 %. */
static double best_scale(typeset_t *t, const model_profile_t *p, const card_opts_t *o, double lo, double hi,
                         double *overflow, bool *err) {
    if (!fits(t, p, o, lo, overflow, err)) return 0;
    double ov;
    if (fits(t, p, o, hi, &ov, err)) return hi;
    if (*err) return 0;
    const spec_t *s = t->spec;
    double room = (s->page.height - s->page.top - s->page.bottom) * s->page.columns;
    double est = hi * sqrt(room / (room + ov));
    if (est <= lo || est >= hi) est = (lo + hi) / 2;
    int dir = 0; /* +1 stepping up from a fit, -1 down from a miss, 0 halving */
    bool have_fit = false, have_miss = true;
    for (int k = 0; k < 24 && hi - lo > 0.01 * lo; k++) {
        double f = k == 0 ? est : dir > 0 ? lo * 1.05 : dir < 0 ? hi / 1.05 : (lo + hi) / 2;
        if (f >= hi || f <= lo) f = (lo + hi) / 2;
        bool fit = fits(t, p, o, f, &ov, err);
        if (*err) return 0;
        if (fit) {
            lo = f;
            have_fit = true;
        } else {
            hi = f;
            have_miss = true;
        }
        dir = k == 0 ? (fit ? 1 : -1) : (have_fit && have_miss && dir != 0 && ((dir > 0) != fit)) ? 0 : dir;
    }
    return lo;
}

static bool draw_card(typeset_t *t, const model_profile_t *p, const card_opts_t *o, double f) {
    const spec_t *s = t->spec;
    t->scale = f;
    page_frame_spec_t base = typeset_frame(s);
    double width = s->page.width - s->page.inner - s->page.outer;
    colour_t accent = kind_accent(t, &o->accents, p);
    card_t c;
    if (!build_card(t, p, o, accent, width, page_column_width(&base), &c)) {
        card_free(&c);
        return false;
    }
    page_frame_spec_t f2 = body_frame(s, c.header_h);
    double h = page_balance(&f2, &c.body);
    f2.bottom = f2.height - f2.top - h;
    size_t first = t->doc->page_count;
    bool ok = page_flow(&f2, &c.body, t->doc, t->d, p->loc);
    if (ok && t->doc->page_count != first + 1) {
        diag_error(t->d, p->loc, "profile '%s' does not fit on one card", p->id);
        ok = false;
    }
    if (ok) {
        /* The header: an accent band with the kicker and the title. */
        doc_page_t *pg = &t->doc->pages[first];
        double y = s->page.height - s->page.top;
        doc_item_t rule = {0};
        rule.kind = DOC_RECT;
        rule.colour = accent;
        rule.y = y - c.header_h - s->page.gutter / 2 - 1.5 * f;
        rule.x = s->page.inner;
        rule.w = s->page.width - s->page.inner - s->page.outer;
        rule.h = 3 * f;
        ok = doc_add_item(t->doc, pg, &rule) != NULL;
        for (size_t i = 0; ok && i < c.header.count; i++) {
            page_block_t *b = &c.header.v[i];
            if (i == c.header.count - 1) b->para.colour = accent;
            for (size_t l = 0; ok && l < b->para.count; l++) {
                ok = page_draw_line(t->doc, pg, &b->para.lines[l], b->para.colour, s->page.inner + b->indent,
                                    page_baseline(&b->para, y), b->node);
                y -= b->para.leading;
            }
            y -= b->space_after;
        }
        if (ok) ok = doc_add_outline(t->doc, p->title.text, 0, first, s->page.height - s->page.top);
    }
    card_free(&c);
    return ok;
}

bool card_build(typeset_t *t, const kind_job_t *job) {
    const spec_t *s = t->spec;
    card_opts_t o;
    if (!read_opts(s, job->model, &o, t->d)) return false;
    doc_t *doc = t->doc;
    doc->title = job->model->title.text;
    doc->author = job->model->organisation.text;
    doc->lang = job->model->language;
    doc->subject = spec_label(s, "subject");
    doc->creator = "grundlag";
    const spec_style_t *bullet = spec_find_style(s, "bullet");
    double lo = o.min_size / bullet->size, hi = o.max_size / bullet->size;
    double *scale = calloc(job->profile_count + 1, sizeof *scale);
    bool ok = scale != NULL, err = false;
    double uniform = hi;
    /* Trials are quiet; what they would report is reported by the real
     * setting below (or by one at the minimum size when a trial failed). */
    diag_t *quiet = diag_new(NULL), *loud = t->d;
    for (size_t i = 0; ok && quiet && i < job->profile_count; i++) {
        const model_profile_t *p = job->profiles[i];
        double overflow = 0;
        typeset_swap_diag(t, quiet);
        scale[i] = best_scale(t, p, &o, lo, hi, &overflow, &err);
        typeset_swap_diag(t, loud);
        if (err || diag_error_count(quiet) > 0) {
            double ov;
            fits(t, p, &o, lo, &ov, &err); /* again, aloud: the error is the answer */
            ok = false;
            break;
        }
        if (scale[i] == 0) {
            diag_error(t->d, p->loc,
                       "profile '%s' (%s) does not fit on one %.0f × %.0f mm card of %s even at the minimum size "
                       "%.1fpt: %.0fpt of text (about %.0f lines) did not fit",
                       p->id, p->title.text, s->page.width * 25.4 / 72, s->page.height * 25.4 / 72, s->path,
                       o.min_size, overflow, ceil(overflow / (bullet->leading * lo)));
            ok = false;
        } else if (scale[i] < uniform) {
            uniform = scale[i];
        }
    }
    diag_drop(quiet);
    /* The trials left their lines in the document's arena; the cards are
     * set afresh at the chosen sizes. */
    for (size_t i = 0; ok && i < job->profile_count; i++)
        ok = draw_card(t, job->profiles[i], &o, o.uniform ? uniform : scale[i]);
    if (ok && o.sheet) {
        doc_t *sheets = doc_impose(doc, o.sheet_w, o.sheet_h, o.across, o.down, o.gap, o.sheet_crop);
        if (!sheets) ok = false;
        else {
            /* The typesetter owns its doc; swap the imposed pages in. */
            doc_t tmp = *doc;
            doc->pages = sheets->pages;
            doc->page_count = sheets->page_count;
            doc->page_cap = sheets->page_cap;
            sheets->pages = tmp.pages;
            sheets->page_count = tmp.page_count;
            sheets->page_cap = tmp.page_cap;
            /* Bookmarks point at sheets now. */
            for (size_t i = 0; i < doc->outline_count; i++) doc->outline[i].page /= (size_t)(o.across * o.down);
            doc_drop(sheets);
        }
    }
    free(scale);
    opts_free(&o);
    return ok;
}
