/* kinds/worksheet: reflection worksheets. For a profile: a header (the
 * worksheet's title, the role, and fields such as name, seminar and date),
 * then for every section of the role its items, each with a self-rating
 * scale and ruled lines to write on, then open reflection prompts with room
 * to write. Blank, one per profile, or personalised from a roster, one per
 * participant. The body of a profile's worksheet, with the header's title,
 * role, field labels and rules, is set once and shared by every participant
 * with that profile (the pages' underlay); only the header's values and the
 * footer are set per participant, and the footer's page numbers once per
 * profile. An item never leaves its scale behind at a page break. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kinds/kinds.h"

static const char *const ws_keys[] = {"profiles", "sections", "fields", "scale", "lines_per_item", "line_spacing",
                                      "prompts", "lines_per_prompt", "accents", "footer", NULL};
static const char *const field_keys[] = {"label", "value", "width", NULL};
static const char *const scale_keys[] = {"steps", "low", "high", NULL};

typedef struct ws_field {
    const char *label;
    const char *value; /* template with {column} placeholders */
    double width;      /* 0 = share of the rest */
    diag_loc_t loc;
} ws_field_t;

typedef struct ws_opts {
    const char **sections;
    size_t section_count;
    ws_field_t *fields;
    size_t field_count;
    int steps;
    const char *low, *high;
    int lines_per_item, lines_per_prompt;
    double line_spacing;
    const char **prompts;
    size_t prompt_count;
    kind_accents_t accents;
    const char *footer; /* template */
} ws_opts_t;

static void opts_free(ws_opts_t *o) {
    free(o->sections);
    free(o->fields);
    free(o->prompts);
    kind_accents_free(&o->accents);
}

static bool int_key(const spec_t *s, const ynode_t *blk, const char *key, int lo, int hi, int *out, diag_t *d) {
    const ynode_t *n = ymap_get(blk, key);
    if (!n) return true;
    double v;
    char what[64];
    snprintf(what, sizeof what, "worksheet.%s", key);
    if (!ynumber(s->doc, n, what, &v, d)) return false;
    if (v < lo || v > hi || v != floor(v)) {
        diag_error(d, ydoc_loc(s->doc, n), "%s must be a whole number from %d to %d", what, lo, hi);
        return false;
    }
    *out = (int)v;
    return true;
}

static bool read_opts(const spec_t *s, const model_t *m, ws_opts_t *o, diag_t *d) {
    memset(o, 0, sizeof *o);
    o->steps = 5;
    o->lines_per_item = 2;
    o->lines_per_prompt = 6;
    o->line_spacing = 8 * 72 / 25.4;
    const ynode_t *blk = s->kind_block;
    bool ok = true;
    const ynode_t *n;
    if (blk && (n = ymap_get(blk, "sections"))) {
        if (!yexpect(s->doc, n, YNODE_SEQ, "worksheet.sections", d)) return false;
        o->sections = calloc(n->count + 1, sizeof *o->sections);
        for (size_t i = 0; o->sections && i < n->count; i++) {
            const char *k = ytext(s->doc, n->items[i], "worksheet section", d);
            if (!k) { ok = false; continue; }
            if (strcmp(k, "group") && strcmp(k, "pitfalls") && m && !model_find_dimension(m, k)) {
                diag_error(d, ydoc_loc(s->doc, n->items[i]),
                           "worksheet section '%s' is neither 'group', 'pitfalls' nor a dimension of %s", k, m->path);
                ok = false;
                continue;
            }
            o->sections[o->section_count++] = k;
        }
    }
    if (blk && (n = ymap_get(blk, "fields"))) {
        if (!yexpect(s->doc, n, YNODE_SEQ, "worksheet.fields", d)) return false;
        o->fields = calloc(n->count + 1, sizeof *o->fields);
        for (size_t i = 0; o->fields && i < n->count; i++) {
            const ynode_t *f = n->items[i];
            static const char *const req[] = {"label", "value", NULL};
            if (!ymap_check(s->doc, f, "worksheet field", field_keys, req, d)) { ok = false; continue; }
            ws_field_t *wf = &o->fields[o->field_count];
            wf->label = ytext(s->doc, ymap_get(f, "label"), "field label", d);
            wf->value = ytext(s->doc, ymap_get(f, "value"), "field value", d);
            wf->loc = ydoc_loc(s->doc, f);
            const ynode_t *w = ymap_get(f, "width");
            if (w) {
                const char *wt = ytext(s->doc, w, "field width", d);
                if (!wt || !spec_parse_length(wt, &wf->width) || wf->width <= 0) {
                    if (wt) diag_error(d, ydoc_loc(s->doc, w), "field width '%s' is not a length", wt);
                    ok = false;
                }
            }
            if (!wf->label || !wf->value) { ok = false; continue; }
            o->field_count++;
        }
    }
    if (blk && (n = ymap_get(blk, "scale"))) {
        if (!ymap_check(s->doc, n, "worksheet.scale", scale_keys, NULL, d)) ok = false;
        else {
            ok &= int_key(s, n, "steps", 2, 11, &o->steps, d);
            if (ymap_get(n, "low") && !(o->low = ytext(s->doc, ymap_get(n, "low"), "scale low", d))) ok = false;
            if (ymap_get(n, "high") && !(o->high = ytext(s->doc, ymap_get(n, "high"), "scale high", d))) ok = false;
        }
    }
    if (blk) {
        ok &= int_key(s, blk, "lines_per_item", 0, 20, &o->lines_per_item, d);
        ok &= int_key(s, blk, "lines_per_prompt", 0, 40, &o->lines_per_prompt, d);
        if ((n = ymap_get(blk, "line_spacing"))) {
            const char *v = ytext(s->doc, n, "worksheet.line_spacing", d);
            if (!v || !spec_parse_length(v, &o->line_spacing) || o->line_spacing < 9) {
                if (v) diag_error(d, ydoc_loc(s->doc, n), "worksheet.line_spacing '%s' must be a length of at least 9pt", v);
                ok = false;
            }
        }
        if ((n = ymap_get(blk, "prompts"))) {
            if (!yexpect(s->doc, n, YNODE_SEQ, "worksheet.prompts", d)) return false;
            o->prompts = calloc(n->count + 1, sizeof *o->prompts);
            for (size_t i = 0; o->prompts && i < n->count; i++) {
                const char *p = ytext(s->doc, n->items[i], "prompt", d);
                if (!p) ok = false;
                else o->prompts[o->prompt_count++] = p;
            }
        }
        if (!kind_read_accents(s, "worksheet", &o->accents, d)) ok = false;
        if ((n = ymap_get(blk, "footer")) && !(o->footer = ytext(s->doc, n, "worksheet.footer", d))) ok = false;
    }
    return ok;
}

bool worksheet_check(const spec_t *s, const model_t *m, diag_t *d) {
    bool ok = true;
    if (s->kind_block && !ymap_check(s->doc, s->kind_block, "worksheet", ws_keys, NULL, d)) ok = false;
    static const char *const styles[] = {"title", "role", "field_label", "field_value", "section", "item",
                                         "scale", "prompt", "footer", NULL};
    for (int i = 0; styles[i]; i++)
        if (!spec_require_style(s, styles[i], d)) ok = false;
    static const char *const labels[] = {"title", "reflection", "bullet", NULL};
    for (int i = 0; labels[i]; i++)
        if (!spec_require_label(s, labels[i], d)) ok = false;
    ws_opts_t o;
    if (!read_opts(s, m, &o, d)) ok = false;
    opts_free(&o);
    return ok;
}

/* ---- templates ------------------------------------------------------------ */

/* Expands {column} placeholders from a roster row; without a row they are
 * empty. Unknown columns are reported (at the layout) by the caller's check. */
static char *expand(const char *tpl, const roster_t *r, const roster_row_t *row, const model_profile_t *p) {
    size_t cap = strlen(tpl) + 64, n = 0;
    char *out = malloc(cap);
    if (!out) return NULL;
    for (const char *c = tpl; *c;) {
        const char *val = NULL;
        size_t skip = 1;
        if (*c == '{') {
            const char *e = strchr(c, '}');
            if (e) {
                char key[64];
                size_t kl = (size_t)(e - c - 1);
                if (kl < sizeof key) {
                    memcpy(key, c + 1, kl);
                    key[kl] = '\0';
                    if (strcmp(key, "role") == 0) val = p->title.text;
                    else val = r && row ? roster_value(r, row, key) : "";
                    if (!val) val = "";
                    skip = kl + 2;
                }
            }
        }
        const char *add = val ? val : c;
        size_t al = val ? strlen(val) : 1;
        if (n + al + 1 > cap) {
            cap = (n + al + 1) * 2;
            char *nb = realloc(out, cap);
            if (!nb) { free(out); return NULL; }
            out = nb;
        }
        memcpy(out + n, add, al);
        n += al;
        c += skip;
    }
    out[n] = '\0';
    /* An empty field leaves its separators behind ("  ·  Direktør"):
     * trim spaces and separator marks at both ends. */
    static const char *const seps[] = {" ", "\t", "\xC2\xB7", "-", "\xE2\x80\x93", "|", ",", "/", NULL};
    bool cut = true;
    while (cut) {
        cut = false;
        for (int i = 0; seps[i]; i++) {
            size_t sl = strlen(seps[i]);
            if (n >= sl && strncmp(out, seps[i], sl) == 0) { memmove(out, out + sl, n - sl + 1); n -= sl; cut = true; }
            if (n >= sl && strncmp(out + n - sl, seps[i], sl) == 0) { n -= sl; out[n] = '\0'; cut = true; }
        }
    }
    return out;
}

/* A {column} the roster lacks leaves its field blank, to be filled in by
 * hand: say so once. */
static bool check_columns(const ws_opts_t *o, const roster_t *r, diag_t *d) {
    bool ok = true;
    for (size_t i = 0; i <= o->field_count; i++) {
        const char *tpl = i < o->field_count ? o->fields[i].value : o->footer;
        diag_loc_t loc = i < o->field_count ? o->fields[i].loc : diag_nowhere();
        for (const char *c = tpl ? strchr(tpl, '{') : NULL; c; c = strchr(c + 1, '{')) {
            const char *e = strchr(c, '}');
            if (!e) break;
            char key[64];
            size_t kl = (size_t)(e - c - 1);
            if (kl >= sizeof key) continue;
            memcpy(key, c + 1, kl);
            key[kl] = '\0';
            if (strcmp(key, "role") == 0 || roster_column(r, key) >= 0) continue;
            diag_warning(d, loc, "the layout uses {%s}, but %s has no column '%s'; the field is left blank", key,
                         r->path, key);
        }
    }
    return ok;
}

/* ---- drawings --------------------------------------------------------------- */

typedef struct scale_data {
    int steps;
    para_line_t *low, *high, **numbers;
    colour_t text, rule;
    double box;     /* side of a square */
    double baseline;/* of the labels, from the top */
} scale_data_t;

static bool stroke_kind(doc_t *doc, doc_page_t *pg, doc_item_kind_t kind, double x, double y, double w, double h,
                        colour_t c, double lw, size_t node) {
    doc_item_t it = {0};
    it.kind = kind;
    it.colour = c;
    it.x = x;
    it.y = y;
    it.w = w;
    it.h = h;
    it.line_width = lw;
    it.node = node;
    return doc_add_item(doc, pg, &it) != NULL;
}

static bool stroke_as(doc_t *doc, doc_page_t *pg, double x, double y, double w, double h, colour_t c, double lw,
                      size_t node) {
    return stroke_kind(doc, pg, DOC_RULE, x, y, w, h, c, lw, node);
}

static bool stroke(doc_t *doc, doc_page_t *pg, double x, double y, double w, double h, colour_t c, double lw) {
    return stroke_as(doc, pg, x, y, w, h, c, lw, 0);
}

static bool draw_scale(const page_block_t *b, doc_t *doc, doc_page_t *pg, double x, double top, double width) {
    const scale_data_t *sd = b->box_data;
    (void)width;
    double base = top - sd->baseline;
    double cx = x;
    if (sd->low) {
        if (!page_draw_line(doc, pg, sd->low, sd->text, cx, base, b->node)) return false;
        cx += sd->low->width + sd->box * 0.6;
    }
    double y0 = base - sd->box * 0.3;
    for (int i = 0; i < sd->steps; i++) {
        double bx = cx + i * sd->box * 1.6;
        size_t n = b->node;
        if (!stroke_kind(doc, pg, DOC_FRAME, bx, y0, sd->box, sd->box, sd->rule, 0.6, n)) return false;
        const para_line_t *num = sd->numbers[i];
        if (!page_draw_line(doc, pg, num, sd->text, bx + (sd->box - num->width) / 2, base, b->node))
            return false;
    }
    cx += sd->steps * sd->box * 1.6 - sd->box * 0.6 + sd->box * 0.6;
    if (sd->high && !page_draw_line(doc, pg, sd->high, sd->text, cx, base, b->node)) return false;
    return true;
}

typedef struct lines_data {
    int count;
    double spacing;
    colour_t rule;
} lines_data_t;

static bool draw_lines(const page_block_t *b, doc_t *doc, doc_page_t *pg, double x, double top, double width) {
    const lines_data_t *ld = b->box_data;
    for (int i = 1; i <= ld->count; i++)
        if (!stroke_as(doc, pg, x, top - i * ld->spacing, width, 0, ld->rule, 0.4, b->node)) return false;
    return true;
}

/* ---- one profile's body --------------------------------------------------- */

typedef struct ws_ctx {
    typeset_t *t;
    const ws_opts_t *o;
    scale_data_t scale;  /* geometry and colours; its lines are set per body */
    scale_data_t *body_scale; /* the scale of the body being set */
    lines_data_t item_lines, prompt_lines;
    double header_h;
    doc_t *body;        /* the body being set: its elements live in its node table */
    size_t header_sect; /* the body's element for the header's shared parts */
} ws_ctx_t;

/* An element of the body being set, with /Alt when `alt` is given; a
 * drawing without words to describe it stays page furniture (0). */
static size_t body_node(ws_ctx_t *w, size_t parent, doc_tag_t tag, const char *alt, bool needs_alt) {
    if (needs_alt && !alt) return 0;
    size_t n = doc_node(w->body, parent, tag);
    if (n && alt) w->body->nodes[n].alt = alt;
    return n;
}

static bool item(ws_ctx_t *w, page_blocks_t *b, const model_text_t *text, double width, size_t list) {
    typeset_t *t = w->t;
    page_block_t *p = typeset_item(t, b, "item", spec_label(t->spec, "bullet"), text->text, text->loc, width);
    if (!p) return false;
    p->keep_with_next = p->unbreakable = true;
    size_t li = body_node(w, list, DOC_TAG_LI, NULL, false);
    p->label_node = body_node(w, li, DOC_TAG_LBL, NULL, false);
    p->node = body_node(w, li, DOC_TAG_LBODY, NULL, false);
    size_t scale_fig = body_node(w, li, DOC_TAG_FIGURE, spec_label(t->spec, "scale_alt"), true);
    size_t lines_fig = body_node(w, li, DOC_TAG_FIGURE, spec_label(t->spec, "lines_alt"), true);
    const spec_style_t *is = spec_find_style(t->spec, "item");
    page_block_t *sc = page_blocks_add(b);
    if (!sc) return false;
    sc->kind = PAGE_BLOCK_BOX;
    sc->box_height = w->scale.box * 1.5;
    sc->space_before = w->scale.box * 0.3;
    sc->indent = is->indent;
    sc->draw = draw_scale;
    sc->box_data = w->body_scale;
    sc->node = scale_fig;
    sc->keep_with_next = w->o->lines_per_item > 0;
    if (w->o->lines_per_item > 0) {
        page_block_t *ln = page_blocks_add(b);
        if (!ln) return false;
        ln->kind = PAGE_BLOCK_BOX;
        ln->box_height = w->item_lines.count * w->item_lines.spacing + 2;
        ln->indent = is->indent;
        ln->draw = draw_lines;
        ln->box_data = &w->item_lines;
        ln->node = lines_fig;
    }
    page_block_t *gap = page_blocks_add(b);
    if (!gap) return false;
    gap->kind = PAGE_BLOCK_SPACE;
    gap->space_before = is->space_after;
    return true;
}

static bool section(ws_ctx_t *w, page_blocks_t *b, const model_text_t *head, const model_list_t *list, double width,
                    colour_t accent) {
    page_block_t *h = typeset_paragraph(w->t, b, "section", head->text, head->loc, width);
    if (!h) return false;
    h->para.colour = accent;
    h->keep_with_next = h->unbreakable = true;
    size_t sect = body_node(w, 1, DOC_TAG_SECT, NULL, false);
    h->node = body_node(w, sect, DOC_TAG_H2, NULL, false);
    size_t l = body_node(w, sect, DOC_TAG_L, NULL, false);
    for (size_t i = 0; i < list->count; i++)
        if (!item(w, b, &list->items[i], width, l)) return false;
    return true;
}


/* The pages of one profile's worksheet, without header values or footer. */
static bool build_body(ws_ctx_t *w, const model_profile_t *p, doc_t *body) {
    typeset_t *t = w->t;
    const spec_t *s = t->spec;
    const ws_opts_t *o = w->o;
    page_frame_spec_t frame = typeset_frame(s);
    double width = page_column_width(&frame);
    colour_t accent = kind_accent(t, &o->accents, p);
    page_blocks_t b = {0};
    bool ok = true;
    w->body = body;
    w->header_sect = body_node(w, 1, DOC_TAG_SECT, NULL, false); /* first in reading order */
    /* Room for the header on the first page. */
    page_block_t *room = page_blocks_add(&b);
    if (!room) return false;
    room->kind = PAGE_BLOCK_BOX;
    room->box_height = w->header_h;
    room->draw = NULL; /* the header is set per participant, on top */
    if (o->sections) {
        for (size_t i = 0; ok && i < o->section_count; i++) {
            const char *k = o->sections[i];
            if (strcmp(k, "group") == 0) {
                if (p->group.present) ok = section(w, &b, &p->group.heading, &p->group.bullets, width, accent);
            } else if (strcmp(k, "pitfalls") == 0) {
                if (p->pitfalls.present) ok = section(w, &b, &p->pitfalls.heading, &p->pitfalls.bullets, width, accent);
            } else {
                const model_section_t *sec = model_profile_section(p, k);
                if (sec) ok = section(w, &b, &sec->heading, &sec->bullets, width, accent);
            }
        }
    } else {
        for (size_t i = 0; ok && i < p->section_count; i++)
            ok = section(w, &b, &p->sections[i].heading, &p->sections[i].bullets, width, accent);
        if (ok && p->pitfalls.present) ok = section(w, &b, &p->pitfalls.heading, &p->pitfalls.bullets, width, accent);
    }
    if (ok && o->prompt_count) {
        const char *refl = spec_label(s, "reflection");
        page_block_t *h = typeset_paragraph(t, &b, "section", refl, diag_file(s->path), width);
        ok = h != NULL;
        size_t sect = body_node(w, 1, DOC_TAG_SECT, NULL, false);
        if (ok) {
            h->para.colour = accent;
            h->keep_with_next = h->unbreakable = true;
            h->node = body_node(w, sect, DOC_TAG_H2, NULL, false);
        }
        for (size_t i = 0; ok && i < o->prompt_count; i++) {
            page_block_t *q = typeset_paragraph(t, &b, "prompt", o->prompts[i], diag_file(s->path), width);
            ok = q != NULL;
            if (!ok) break;
            q->keep_with_next = q->unbreakable = true;
            q->node = body_node(w, sect, DOC_TAG_P, NULL, false);
            page_block_t *ln = page_blocks_add(&b);
            if (!ln) { ok = false; break; }
            ln->kind = PAGE_BLOCK_BOX;
            ln->box_height = w->prompt_lines.count * w->prompt_lines.spacing + 2;
            ln->draw = draw_lines;
            ln->box_data = &w->prompt_lines;
            ln->space_after = spec_find_style(s, "prompt")->space_after;
            ln->node = body_node(w, sect, DOC_TAG_FIGURE, spec_label(s, "lines_alt"), true);
        }
    }
    if (ok) ok = page_flow(&frame, &b, body, t->d, p->loc);
    page_blocks_free(&b);
    return ok;
}

/* ---- header and footer per participant --------------------------------------- */

static bool draw_para(doc_t *doc, doc_page_t *pg, const para_t *p, double x, double top, size_t node) {
    double y = top;
    for (size_t l = 0; l < p->count; l++) {
        if (!page_draw_line(doc, pg, &p->lines[l], p->colour, x, page_baseline(p, y), node)) return false;
        y -= p->leading;
    }
    return true;
}

/* A field's value, shrunk (to 70 %) and then wrapped (to two lines) to stay
 * inside its field; more is an error naming where the value came from. */
static bool field_value(typeset_t *t, const char *text, diag_loc_t loc, double width, para_t *out) {
    double keep = t->scale;
    bool ok = false;
    for (double f = 1.0; f >= 0.69; f -= 0.05) {
        t->scale = keep * f;
        page_blocks_t b = {0};
        page_block_t *blk = typeset_paragraph(t, &b, "field_value", text, loc, width);
        if (!blk) { page_blocks_free(&b); break; }
        bool fits = blk->para.count == 1 || (f < 0.71 && blk->para.count <= 2);
        if (fits) {
            *out = blk->para;
            ok = true;
            page_blocks_free(&b);
            break;
        }
        page_blocks_free(&b);
        if (f < 0.71) {
            diag_error(t->d, loc, "\"%s\" is too long for its field (%.0f mm) even at 70%% size on two lines", text,
                       width * 25.4 / 72);
            break;
        }
    }
    t->scale = keep;
    return ok;
}

/* Where field i of the header's row sits: x and width. */
static void field_box(const typeset_t *t, const ws_opts_t *o, size_t i, double *x, double *w) {
    const spec_t *s = t->spec;
    double width = s->page.width - s->page.inner - s->page.outer;
    double fixed = 0;
    size_t flexible = 0;
    for (size_t k = 0; k < o->field_count; k++) {
        if (o->fields[k].width > 0) fixed += o->fields[k].width;
        else flexible++;
    }
    double gap = 6 * 72 / 25.4;
    double share = flexible ? (width - fixed - gap * (o->field_count - 1)) / flexible : 0;
    double fx = s->page.inner;
    for (size_t k = 0; k < i; k++) fx += (o->fields[k].width > 0 ? o->fields[k].width : share) + gap;
    *x = fx;
    *w = o->fields[i].width > 0 ? o->fields[i].width : share;
}

/* The header's parts that are the same for every participant of a profile
 * (title, role, each field's label and rule), drawn once on the first body
 * page; `rule_y` receives where each field's rule is, for the values. */
static bool header_static(ws_ctx_t *w, doc_t *doc, doc_page_t *pg, const model_profile_t *p, double *rule_y) {
    typeset_t *t = w->t;
    const spec_t *s = t->spec;
    const ws_opts_t *o = w->o;
    double x0 = s->page.inner, width = s->page.width - s->page.inner - s->page.outer;
    double y = s->page.height - s->page.top;
    page_blocks_t b = {0};
    page_block_t *ti = typeset_paragraph(t, &b, "title", spec_label(s, "title"), diag_file(s->path), width);
    page_block_t *ro = ti ? typeset_paragraph(t, &b, "role", p->title.text, p->title.loc, width) : NULL;
    bool ok = ti && ro;
    if (ok) {
        ro->para.colour = kind_accent(t, &o->accents, p);
        ok = draw_para(doc, pg, &ti->para, x0, y, body_node(w, w->header_sect, DOC_TAG_P, NULL, false));
        y -= ti->para.count * ti->para.leading + ti->space_after;
        if (ok) ok = draw_para(doc, pg, &ro->para, x0, y, body_node(w, w->header_sect, DOC_TAG_H1, NULL, false));
        y -= ro->para.count * ro->para.leading + ro->space_after;
    }
    /* Fields in a row: label above, value on the rule. */
    const spec_colour_t *rc = spec_find_colour(s, "rule");
    colour_t rule = rc ? rc->colour : colour_black();
    const spec_style_t *vs = spec_find_style(s, "field_value");
    for (size_t i = 0; ok && i < o->field_count; i++) {
        const ws_field_t *f = &o->fields[i];
        double fx, fw;
        field_box(t, o, i, &fx, &fw);
        para_t lp;
        para_line_t *l = typeset_line(t, "field_label", f->label, f->loc, &lp);
        ok = l != NULL;
        if (!ok) break;
        ok = draw_para(doc, pg, &lp, fx, y, body_node(w, w->header_sect, DOC_TAG_P, NULL, false));
        double vy = y - lp.leading;
        rule_y[i] = vy - 2 * vs->leading;
        if (ok) ok = stroke(doc, pg, fx, rule_y[i], fw, 0, rule, 0.6);
    }
    page_blocks_free(&b);
    return ok;
}

/* The header's values for one participant, each on its field's rule. */
static bool header_values(ws_ctx_t *w, doc_page_t *pg, const model_profile_t *p, const roster_t *r,
                          const roster_row_t *row, const double *rule_y, size_t sect) {
    typeset_t *t = w->t;
    const ws_opts_t *o = w->o;
    bool ok = true;
    for (size_t i = 0; ok && i < o->field_count; i++) {
        const ws_field_t *f = &o->fields[i];
        char *val = expand(f->value, r, row, p);
        ok = val != NULL;
        if (ok && *val) {
            double fx, fw;
            field_box(t, o, i, &fx, &fw);
            diag_loc_t loc = f->loc;
            /* Errors about a value name the roster cell it came from. */
            if (row && strstr(f->value, "{name}")) {
                const roster_field_t *nf = &row->fields[r->name_col];
                loc = diag_at(r->path, nf->line, nf->col);
            }
            para_t vp;
            ok = field_value(t, val, loc, fw, &vp);
            /* Sit on the rule: the last line's baseline just above it. */
            if (ok)
                ok = draw_para(t->doc, pg, &vp, fx, rule_y[i] + vp.count * vp.leading + vp.leading * 0.05,
                               doc_node(t->doc, sect, DOC_TAG_P));
        }
        free(val);
    }
    return ok;
}

/* A footer line, set once and drawn on many pages. */
typedef struct ws_line {
    para_line_t *line; /* NULL: not set (yet) */
    colour_t colour;
} ws_line_t;

static bool footer_line(typeset_t *t, const char *text, ws_line_t *out) {
    para_t para;
    out->line = typeset_line(t, "footer", text, diag_file(t->spec->path), &para);
    out->colour = para.colour;
    return out->line != NULL;
}

/* The footer's page number ("Side 2/5"), the same for every participant of a profile. */
static bool footer_folio(typeset_t *t, int page, int pages, ws_line_t *out) {
    char num[64];
    const char *pl = spec_label(t->spec, "page");
    snprintf(num, sizeof num, "%s %d/%d", pl ? pl : "", page, pages);
    return footer_line(t, num[0] == ' ' ? num + 1 : num, out);
}

/* One participant's footer: the expanded template (set once for all their
 * pages) on the left, the page number on the right. */
typedef struct ws_footer {
    char *text;       /* the expanded template; "" leaves the left side empty */
    ws_line_t left;   /* `text`, set */
    ws_line_t *role;  /* the role alone, for names too long to fit (per profile, set when first needed) */
    arena_t *role_arena; /* where that is set: the body's */
} ws_footer_t;

static bool footer(ws_ctx_t *w, doc_page_t *pg, ws_footer_t *ft, const model_profile_t *p, const ws_line_t *folio) {
    typeset_t *t = w->t;
    const spec_t *s = t->spec;
    double y = s->page.bottom / 2;
    bool ok = true;
    if (*ft->text) {
        if (!ft->left.line) ok = footer_line(t, ft->text, &ft->left);
        const ws_line_t *left = &ft->left;
        if (ok && left->line->width > s->page.width - s->page.inner - s->page.outer - folio->line->width - 12) {
            /* A very long name in the footer: the header has it; keep the role. */
            if (!ft->role->line) {
                arena_t *old = typeset_set_arena(t, ft->role_arena);
                ok = footer_line(t, p->title.text, ft->role);
                typeset_set_arena(t, old);
            }
            left = ft->role;
        }
        if (ok) ok = page_draw_line(t->doc, pg, left->line, left->colour, s->page.inner, y, 0);
    }
    if (ok)
        ok = page_draw_line(t->doc, pg, folio->line, folio->colour, s->page.width - s->page.outer - folio->line->width,
                            y, 0);
    return ok;
}

static double header_height(typeset_t *t, const ws_opts_t *o) {
    const spec_t *s = t->spec;
    const spec_style_t *ti = spec_find_style(s, "title"), *ro = spec_find_style(s, "role");
    const spec_style_t *fl = spec_find_style(s, "field_label"), *fv = spec_find_style(s, "field_value");
    double h = ti->leading + ti->space_after + ro->leading + ro->space_after;
    if (o->field_count) h += fl->leading + 2 * fv->leading + fv->space_after;
    return h;
}

/* ---- the whole ------------------------------------------------------------ */

/* A profile's shared pages and what goes with them. Everything here is in
 * the arena of `pages`, so that under --split (a document, and a
 * typesetter, per participant) it can be kept in the run's memo and set
 * once per profile instead of once per participant. */
typedef struct body_cache {
    doc_t *pages;
    scale_data_t scale; /* its lines, which the pages' scales use */
    double *rule_y;     /* per header field: the y of its rule */
    ws_line_t *folios;  /* per page: its number, set */
    ws_line_t role;     /* the role alone for the footer, set when first needed */
} body_cache_t;

static void body_cache_drop(void *v) {
    body_cache_t *bc = v;
    doc_drop(bc->pages); /* bc is in its arena */
}

/* The scale's labels and numbers. */
static bool scale_lines(ws_ctx_t *w, scale_data_t *sd) {
    typeset_t *t = w->t;
    const spec_t *s = t->spec;
    const ws_opts_t *o = w->o;
    *sd = w->scale;
    para_t tmp;
    bool ok = true;
    if (o->low) ok = (sd->low = typeset_line(t, "scale", o->low, diag_file(s->path), &tmp)) != NULL;
    if (ok && o->high) ok = (sd->high = typeset_line(t, "scale", o->high, diag_file(s->path), &tmp)) != NULL;
    sd->numbers = ok ? arena_alloc(t->para.arena, (size_t)o->steps * sizeof *sd->numbers) : NULL;
    for (int i = 0; ok && sd->numbers && i < o->steps; i++) {
        char n[16];
        snprintf(n, sizeof n, "%d", i + 1);
        ok = (sd->numbers[i] = typeset_line(t, "scale", n, diag_file(s->path), &tmp)) != NULL;
    }
    return ok && sd->numbers;
}

/* Sets a profile's body pages with the header's fixed parts, and its page
 * numbers, into `bc` (pages already made). */
static bool build_cached(ws_ctx_t *w, const model_profile_t *p, body_cache_t *bc) {
    arena_t *a = bc->pages->arena;
    bc->rule_y = arena_alloc(a, (w->o->field_count + 1) * sizeof *bc->rule_y);
    if (!bc->rule_y || !scale_lines(w, &bc->scale)) return false;
    w->body_scale = &bc->scale;
    if (!build_body(w, p, bc->pages)) return false;
    size_t n = bc->pages->page_count;
    bc->folios = arena_alloc(a, (n + 1) * sizeof *bc->folios);
    if (!bc->folios) return false;
    bool ok = n == 0 || header_static(w, bc->pages, &bc->pages->pages[0], p, bc->rule_y);
    for (size_t i = 0; ok && i < n; i++) ok = footer_folio(w->t, (int)i + 1, (int)n, &bc->folios[i]);
    return ok;
}

/* A profile's body: from the run's memo, or set now and kept there. Its
 * key names the layout and data by identity and by path: both live as
 * long as the run. NULL after reporting. */
static body_cache_t *body_for(ws_ctx_t *w, const model_profile_t *p) {
    typeset_t *t = w->t;
    char key[1024];
    snprintf(key, sizeof key, "worksheet %p %p %s %s", (const void *)t->spec, (const void *)t->model, t->spec->path,
             p->id);
    body_cache_t *bc = typeset_memo_get(t, key);
    if (bc) return bc;
    doc_t *pages = doc_new();
    bc = pages ? arena_alloc(pages->arena, sizeof *bc) : NULL;
    if (!bc) {
        doc_drop(pages);
        return NULL;
    }
    bc->pages = pages;
    arena_t *old = typeset_set_arena(t, pages->arena);
    bool ok = build_cached(w, p, bc);
    typeset_set_arena(t, old);
    if (!ok) {
        doc_drop(pages);
        return NULL;
    }
    if (typeset_memo_put(t, key, bc, body_cache_drop)) return bc;
    /* No room in the memo: the typesetter keeps it for its document. */
    return typeset_keep_doc(t, pages) ? bc : NULL;
}

/* Gives the glyph items on pages [first, …) of `doc` their own copies of
 * their texts, in the document's arena: a participant's values and footer
 * are set in a scratch arena, of which the pages need only the texts, so
 * that the lines and runs do not stay for the whole run. */
static bool own_texts(doc_t *doc, size_t first) {
    struct { const char *from, *to; size_t len; } seen[16] = {{0}}; /* the footer's on every page: copy once */
    size_t next = 0;
    for (size_t i = first; i < doc->page_count; i++) {
        doc_page_t *pg = &doc->pages[i];
        for (size_t k = 0; k < pg->count; k++) {
            doc_item_t *it = &pg->items[k];
            if (it->kind != DOC_GLYPHS || !it->text) continue;
            const char *copy = NULL;
            for (size_t j = 0; j < 16 && !copy; j++)
                if (seen[j].from == it->text && seen[j].len == it->text_len) copy = seen[j].to;
            if (!copy) {
                copy = arena_strndup(doc->arena, it->text, it->text_len);
                if (!copy) return false;
                seen[next].from = it->text;
                seen[next].to = copy;
                seen[next].len = it->text_len;
                next = (next + 1) % 16;
            }
            it->text = copy;
        }
    }
    return true;
}

bool worksheet_build(typeset_t *t, const kind_job_t *job) {
    const spec_t *s = t->spec;
    ws_opts_t o;
    if (!read_opts(s, job->model, &o, t->d)) return false;
    doc_t *doc = t->doc;
    doc->title = spec_label(s, "title");
    doc->author = job->model->organisation.text;
    doc->subject = job->model->title.text;
    doc->lang = job->model->language;
    doc->creator = "grundlag";
    if (job->roster && !check_columns(&o, job->roster, t->d)) {
        opts_free(&o);
        return false;
    }
    ws_ctx_t w = {0};
    w.t = t;
    w.o = &o;
    const spec_colour_t *rc = spec_find_colour(s, "rule");
    colour_t rule = rc ? rc->colour : colour_black();
    const spec_style_t *scs = spec_find_style(s, "scale");
    w.scale.steps = o.steps;
    w.scale.text = s->colours[scs->colour].colour;
    w.scale.rule = rule;
    w.scale.box = scs->size * 1.5;
    w.scale.baseline = w.scale.box * 0.3 + scs->size * 0.75;
    w.item_lines = (lines_data_t){o.lines_per_item, o.line_spacing, rule};
    w.prompt_lines = (lines_data_t){o.lines_per_prompt, o.line_spacing, rule};
    w.header_h = header_height(t, &o);
    bool ok = true;

    /* One body per profile, set once (per run: see body_for). */
    size_t total = job->roster ? job->roster_count : job->profile_count;
    for (size_t i = 0; ok && i < total; i++) {
        const roster_row_t *row = job->roster ? job->roster_rows[i] : NULL;
        const model_profile_t *p = row ? row->profile : job->profiles[i];
        body_cache_t *bc = body_for(&w, p);
        ok = bc != NULL;
        if (!ok) break;
        size_t first = doc->page_count;
        ws_footer_t ft = {0};
        ft.role = &bc->role;
        ft.role_arena = bc->pages->arena;
        ft.text = o.footer ? expand(o.footer, job->roster, row, p) : strdup(p->title.text);
        ok = ft.text != NULL;
        arena_t *scratch = arena_new(), *old = typeset_set_arena(t, scratch);
        /* The participant's worksheet in the structure: the values here,
         * the shared body (copied for this participant) after them. */
        size_t sect = doc_node(doc, 1, DOC_TAG_SECT);
        for (size_t pgi = 0; ok && pgi < bc->pages->page_count; pgi++) {
            const doc_page_t *src = &bc->pages->pages[pgi];
            doc_page_t *pg = doc_add_page(doc, src->width, src->height, src->bleed, src->crop_marks);
            ok = pg != NULL;
            if (!ok) break;
            pg->underlay = src;
            pg->underlay_doc = bc->pages;
            pg->instance = i + 1;
            pg->instance_root = sect;
            if (pgi == 0) ok = header_values(&w, pg, p, job->roster, row, bc->rule_y, sect);
            if (ok) ok = footer(&w, pg, &ft, p, &bc->folios[pgi]);
        }
        typeset_set_arena(t, old);
        if (ok && scratch) ok = own_texts(doc, first);
        arena_drop(scratch);
        free(ft.text);
        if (ok) {
            char title[512];
            const char *name = row ? roster_value(job->roster, row, "name") : NULL;
            snprintf(title, sizeof title, "%s%s%s", name ? name : p->title.text, name ? " – " : "", name ? p->title.text : "");
            ok = doc_add_outline(doc, title, 0, first, s->page.height - s->page.top);
        }
        if (job->progress) job->progress(i + 1, total, job->progress_ctx);
    }
    opts_free(&o);
    return ok;
}
