/* compose: text, parts, stacks, colours, copy-fitting and sheets for the
 * document kinds. */
#include "compose.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

compose_t compose_begin(typeset_t *t, doc_t *doc, diag_t *d) {
    compose_t c = {t, t->spec, t->model, doc, {doc->arena, 1.0, d}, 0, false};
    return c;
}

compose_t compose_at(const compose_t *c, double scale) {
    compose_t n = *c;
    n.to.scale = scale;
    return n;
}

void compose_meta(compose_t *c, const char *title, const char *subject) {
    doc_t *doc = c->doc;
    doc->title = title;
    doc->subject = subject;
    doc->author = c->model->organisation.text;
    doc->lang = c->model->language;
    doc->creator = "grundlag";
    doc->tagged = c->spec->tagged;
}

page_frame_spec_t compose_frame(const compose_t *c) {
    const spec_page_t *pg = &c->spec->page;
    page_frame_spec_t f = {0};
    f.width = pg->width;
    f.height = pg->height;
    f.bleed = pg->bleed;
    f.crop_marks = pg->crop_marks;
    f.top = pg->top;
    f.bottom = pg->bottom;
    f.inner = pg->inner;
    f.outer = pg->outer;
    f.facing = pg->facing;
    f.columns = pg->columns;
    f.gutter = pg->gutter;
    f.first_page_number = 1;
    return f;
}

/* ---- text --------------------------------------------------------------------- */

size_t compose_node(compose_t *c, size_t parent, doc_tag_t tag) { return doc_node(c->doc, parent, tag); }

const char *compose_plain(compose_t *c, const char *text, diag_loc_t loc) {
    text_spans_t spans;
    const char *punctuated = text_punctuate(c->doc->arena, text, c->spec->punctuation);
    if (!punctuated || !text_parse(c->doc->arena, punctuated, 0, &spans, c->to.d, loc)) return NULL;
    size_t n = 0;
    for (size_t i = 0; i < spans.count; i++) n += spans.spans[i].len;
    char *out = arena_alloc(c->doc->arena, n + 1), *w = out;
    for (size_t i = 0; out && i < spans.count; i++) w = (char *)memcpy(w, spans.spans[i].text, spans.spans[i].len) + spans.spans[i].len;
    if (out) *w = '\0';
    return out;
}

static page_block_t *tagged(compose_t *c, page_block_t *b, size_t parent, doc_tag_t tag) {
    if (b && parent) b->node = doc_node(c->doc, parent, tag);
    return b;
}

page_block_t *compose_text(compose_t *c, page_blocks_t *b, const char *style, const model_text_t *text, double width,
                           size_t parent, doc_tag_t tag) {
    return tagged(c, typeset_paragraph(c->t, &c->to, b, style, text->text, text->loc, width), parent, tag);
}

page_block_t *compose_words(compose_t *c, page_blocks_t *b, const char *style, const char *words, double width,
                            size_t parent, doc_tag_t tag) {
    return tagged(c, typeset_paragraph(c->t, &c->to, b, style, words, diag_file(c->spec->path), width), parent, tag);
}

bool compose_bullets(compose_t *c, page_blocks_t *b, const char *style, const model_list_t *list, double width,
                     size_t parent) {
    const char *mark = spec_label(c->spec, "bullet");
    size_t l = doc_node(c->doc, parent, DOC_TAG_L);
    for (size_t i = 0; i < list->count; i++) {
        page_block_t *it = typeset_item(c->t, &c->to, b, style, mark, list->items[i].text, list->items[i].loc, width);
        if (!it) return false;
        size_t li = doc_node(c->doc, l, DOC_TAG_LI);
        if (!li) continue;
        it->label_node = doc_node(c->doc, li, DOC_TAG_LBL);
        it->node = doc_node(c->doc, li, DOC_TAG_LBODY);
    }
    return true;
}

para_line_t *compose_line(compose_t *c, const char *style, const char *words, para_t *out) {
    return typeset_line(c->t, &c->to, style, words, diag_file(c->spec->path), out);
}

/* ---- parts -------------------------------------------------------------------- */

bool compose_part(const model_profile_t *p, const char *key, compose_part_t *out) {
    memset(out, 0, sizeof *out);
    out->key = key;
    if (strcmp(key, "group") == 0) {
        if (!p->group.present) return false;
        out->kicker = p->group.name.text ? &p->group.name : NULL;
        out->heading = &p->group.heading;
        out->bullets = &p->group.bullets;
        return true;
    }
    if (strcmp(key, "pitfalls") == 0) {
        if (!p->pitfalls.present) return false;
        out->heading = &p->pitfalls.heading;
        out->bullets = &p->pitfalls.bullets;
        return true;
    }
    const model_section_t *s = model_profile_section(p, key);
    if (!s) return false;
    out->heading = &s->heading;
    out->bullets = &s->bullets;
    return true;
}

bool compose_parts(const model_t *m, const model_profile_t *p, const opt_texts_t *keys, bool without_group,
                   compose_parts_t *out) {
    bool chosen = keys && keys->given;
    size_t cap = (chosen ? keys->count : 0) + p->section_count + 2;
    out->count = 0;
    out->v = calloc(cap + 1, sizeof *out->v);
    if (!out->v) return false;
    if (chosen) {
        for (size_t i = 0; i < keys->count && out->count < cap; i++) {
            if (strcmp(keys->v[i], "core") != 0) {
                if (compose_part(p, keys->v[i], &out->v[out->count])) out->count++;
                continue;
            }
            /* "core": the data's choice of what a short format shows. */
            for (size_t k = 0; k < p->section_count && out->count < cap; k++) {
                const model_section_t *sec = &p->sections[k];
                if (model_section_is_core(m, p, sec))
                    out->v[out->count++] = (compose_part_t){sec->dimension, NULL, &sec->heading, &sec->bullets};
            }
        }
        return true;
    }
    if (!without_group && compose_part(p, "group", &out->v[out->count])) out->count++;
    for (size_t i = 0; i < p->section_count; i++) {
        const model_section_t *sec = &p->sections[i];
        out->v[out->count++] = (compose_part_t){sec->dimension, NULL, &sec->heading, &sec->bullets};
    }
    if (compose_part(p, "pitfalls", &out->v[out->count])) out->count++;
    return true;
}

void compose_parts_free(compose_parts_t *parts) {
    free(parts->v);
    parts->v = NULL;
    parts->count = 0;
}

/* ---- stacks, rules, colours ------------------------------------------------------ */

double compose_stack_height(const page_blocks_t *b) {
    double h = 0;
    for (size_t i = 0; i < b->count; i++) {
        if (i > 0) h += b->v[i].space_before;
        h += b->v[i].para.count * b->v[i].para.leading;
        if (i + 1 < b->count) h += b->v[i].space_after;
    }
    return h;
}

bool compose_stack_draw(compose_t *c, doc_page_t *pg, const page_blocks_t *b, double x, double top) {
    double y = top;
    for (size_t i = 0; i < b->count; i++) {
        const page_block_t *blk = &b->v[i];
        if (i > 0) y -= blk->space_before;
        for (size_t l = 0; l < blk->para.count; l++) {
            double base = page_baseline(&blk->para, y);
            /* The label before its line, as page.c draws it. */
            if (l == 0 && blk->label &&
                !page_draw_line(c->doc, pg, blk->label, blk->para.colour, x + blk->label_x, base, blk->label_node))
                return false;
            if (!page_draw_line(c->doc, pg, &blk->para.lines[l], blk->para.colour, x + blk->indent, base, blk->node))
                return false;
            y -= blk->para.leading;
        }
        y -= blk->space_after;
    }
    return true;
}

bool compose_furniture(const compose_t *c, doc_page_t *pg, const para_line_t *line, colour_t colour, double x, double y,
                       doc_artifact_t kind) {
    size_t first = pg->count;
    if (!page_draw_line(c->doc, pg, line, colour, x, y, 0)) return false;
    compose_artifacts(pg, first, kind);
    return true;
}

void compose_artifacts(doc_page_t *pg, size_t from, doc_artifact_t kind) {
    for (size_t k = from; k < pg->count; k++)
        if (!pg->items[k].node) pg->items[k].artifact = (unsigned char)kind;
}

bool compose_rect(compose_t *c, doc_page_t *pg, double x, double y, double w, double h, colour_t colour) {
    return doc_add_shape(c->doc, pg, DOC_RECT, x, y, w, h, colour, 0, 0) != NULL;
}

bool compose_rule(compose_t *c, doc_page_t *pg, double x0, double x1, double y, double width, colour_t colour) {
    return doc_add_shape(c->doc, pg, DOC_RULE, x0, y, x1 - x0, 0, colour, width, 0) != NULL;
}

colour_t compose_colour(const compose_t *c, const char *name, colour_t fallback) {
    const spec_colour_t *sc = spec_find_colour(c->spec, name);
    return sc ? sc->colour : fallback;
}

colour_t compose_accent(const compose_t *c, const opt_colours_t *accents, const model_profile_t *p) {
    if (!accents || !accents->count) return compose_colour(c, "accent", colour_black());
    return accents->v[(size_t)(p - c->model->profiles) % accents->count]->colour;
}

/* ---- copy-fitting ------------------------------------------------------------------ */

/* One trial at `scale` in a scratch document: fits? (-1: an error) */
static int try_at(const compose_t *c, double scale, compose_trial_fn trial, void *user, diag_t *sink, double *need,
                  double *room, double enough_beyond, bool *stopped_short) {
    doc_t *scratch = doc_new();
    if (!scratch) return -1;
    compose_t tc = {c->t, c->spec, c->model, scratch, {scratch->arena, scale, sink}, enough_beyond, false};
    *need = *room = 0;
    int errors = diag_error_count(sink);
    bool ok = trial(&tc, user, need, room) && diag_error_count(sink) == errors;
    doc_drop(scratch);
    if (stopped_short) *stopped_short = tc.stopped_short;
    if (!ok) return -1;
    return *need <= *room + 1e-6;
}

bool compose_fit(const compose_t *c, const char *style, opt_sizes_t sizes, compose_trial_fn trial, void *user,
                 compose_fit_t *out) {
    memset(out, 0, sizeof *out);
    const spec_style_t *ss = typeset_spec_style(c->t, style, c->to.d);
    if (!ss) return false;
    diag_t *quiet = diag_new(NULL);
    if (!quiet) return false;
    const double base = ss->size, step = 0.1;
    double lo = sizes.min > 0 ? sizes.min : base, hi = sizes.max > 0 ? sizes.max : base;
    /* The sizes tried: lo + k·step below hi (k = 0 … n-1), then hi. */
    size_t n = (size_t)floor((hi - lo) / step + 1e-9) + 1;
    if (lo + (double)(n - 1) * step >= hi - 1e-9) n--;
#define SIZE_AT(k) ((k) >= n ? hi : lo + (double)(k)*step)
    double need = 0, room = 0;
    bool ok = true;
    /* The maximum first: most cards and statements fit there, in one trial.
     * Where it is far too much (a poster at its largest size is several
     * times its page), the trial may stop at ENOUGH rooms. */
    enum { ENOUGH = 2 };
    bool hi_short = false; /* the maximum's trial stopped: its need is only "at least" */
    int r = n > 0 ? try_at(c, hi / base, trial, user, quiet, &need, &room, ENOUGH, &hi_short) : 0;
    if (r == 1) {
        out->scale = hi / base;
    } else if (r == 0) {
        double hi_need = need, hi_room = room;
        bool hi_measured = !hi_short;
        r = try_at(c, lo / base, trial, user, quiet, &need, &room, 0, NULL);
        out->need = need;
        out->room = room;
        bool lo_fits = r == 1;
        /* SIZE_AT(good) fits, SIZE_AT(bad) does not. */
        size_t good = 0, bad = n;
        if (lo_fits && n > 1) {
            /* Height grows about as the square of the size: a first guess
             * from the maximum's trial (or, when that stopped short, the
             * minimum's), then out from it in doubling steps to bracket,
             * then halving. */
            double guess = hi_measured ? hi * sqrt(hi_room / hi_need) : lo * sqrt(room / need);
            size_t k = guess <= lo ? 1 : (size_t)floor((guess - lo) / step);
            if (k < 1) k = 1;
            if (k > n - 1) k = n - 1;
            r = try_at(c, SIZE_AT(k) / base, trial, user, quiet, &need, &room, 0, NULL);
            if (r == 1) {
                good = k;
                for (size_t span = 1; r == 1 && good + span < bad; span *= 2) {
                    size_t p = good + span;
                    r = try_at(c, SIZE_AT(p) / base, trial, user, quiet, &need, &room, 0, NULL);
                    if (r == 1) good = p;
                    else if (r == 0) bad = p;
                }
            } else if (r == 0) {
                bad = k;
                for (size_t span = 1; r == 0 && bad > good + span; span *= 2) {
                    size_t p = bad - span;
                    r = try_at(c, SIZE_AT(p) / base, trial, user, quiet, &need, &room, 0, NULL);
                    if (r == 1) good = p;
                    else if (r == 0) bad = p;
                }
            }
            while (r >= 0 && bad - good > 1) {
                size_t p = good + (bad - good) / 2;
                r = try_at(c, SIZE_AT(p) / base, trial, user, quiet, &need, &room, 0, NULL);
                if (r == 1) good = p;
                else if (r == 0) bad = p;
            }
        }
        if (lo_fits && r >= 0) out->scale = SIZE_AT(good) / base;
    }
#undef SIZE_AT
    if (r < 0) {
        /* Not a matter of size: set it again at the minimum, aloud. */
        try_at(c, lo / base, trial, user, c->to.d, &need, &room, 0, NULL);
        ok = false;
    }
    diag_drop(quiet);
    return ok;
}

/* ---- n-up sheets -------------------------------------------------------------------- */

static const char *const orientations[] = {"portrait", "landscape", NULL};
static const char *const duplexes[] = {"none", "long-edge", "short-edge", NULL};
static const char *const orders[] = {"rows", "columns", "saddle", NULL};

static const opt_key_t sheet_keys[] = {
    {"size", OPT_PAPER, offsetof(compose_sheet_t, size), "A4", 0, 0, NULL, NULL, false, "the sheet's paper size"},
    OPT_ONE_OF(compose_sheet_t, orientation, orientations, "portrait", "the sheet's orientation"),
    OPT_WHOLE(compose_sheet_t, across, "1", 1, 20, "pages side by side"),
    OPT_WHOLE(compose_sheet_t, down, "1", 1, 20, "pages one above the other"),
    OPT_LEN(compose_sheet_t, gap, "0mm", 0, "space between the trimmed pages (where pages meet, their bleed is cut to half of it)"),
    OPT_FLAG(compose_sheet_t, crop_marks, "false", "crop marks at every cut, outside the block of pages"),
    OPT_ONE_OF(compose_sheet_t, order, orders, "rows",
               "`rows`: pages in reading order, row by row; `columns`: down the first column, then the next "
               "(the order text extraction reads a sheet's columns in); `saddle`: printer's spreads of a "
               "saddle-stitched booklet (`across: 2`, `down: 1`; blank pages make up a multiple of 4)"),
    OPT_ONE_OF(compose_sheet_t, duplex, duplexes, "none",
               "the pages are fronts and backs (1 and 2 one card's): a sheet of fronts, then one of their backs, "
               "each behind its front when the sheet turns over its `long-edge` or `short-edge`"),
};

const opt_schema_t compose_sheet_schema = OPT_SCHEMA("sheet", compose_sheet_t, sheet_keys);

static void sheet_size(const compose_sheet_t *sh, double *w, double *h) {
    bool land = sh->orientation == 1;
    *w = land ? sh->size.height : sh->size.width;
    *h = land ? sh->size.width : sh->size.height;
}

bool compose_sheet_read(const spec_t *s, const opt_env_t *env, compose_sheet_t *out, bool *given) {
    *given = s->sheet_block != NULL;
    if (!opt_read(&compose_sheet_schema, s->doc, s->sheet_block, env, out)) return false;
    if (!*given) return true;
    const double mm = 25.4 / 72;
    if (out->order == COMPOSE_ORDER_SADDLE && (out->across != 2 || out->down != 1)) {
        diag_error(env->d, ydoc_loc(s->doc, s->sheet_block),
                   "a saddle-stitched booklet's sheets hold 2 pages side by side (across: 2, down: 1), not %d × %d",
                   out->across, out->down);
        return false;
    }
    if (out->order == COMPOSE_ORDER_SADDLE && out->duplex) {
        diag_error(env->d, ydoc_loc(s->doc, s->sheet_block),
                   "a saddle-stitched booklet's sheets are printed on both sides already: leave out 'duplex' "
                   "(it pairs the pages of cards)");
        return false;
    }
    double sw, sh;
    sheet_size(out, &sw, &sh);
    /* The block of trimmed pages, its bleed and the crop marks beyond it. */
    double margin = s->page.bleed + (out->crop_marks ? DOC_CROP_OFFSET + DOC_CROP_LENGTH : 0);
    double need_w = out->across * s->page.width + (out->across - 1) * out->gap + 2 * margin;
    double need_h = out->down * s->page.height + (out->down - 1) * out->gap + 2 * margin;
    if (need_w > sw + 0.01 || need_h > sh + 0.01) {
        diag_error(env->d, ydoc_loc(s->doc, s->sheet_block),
                   "%d × %d pages of %.0f × %.0f mm with %.0f mm gaps%s need %.0f × %.0f mm and do not fit on a "
                   "%.0f × %.0f mm sheet",
                   out->across, out->down, s->page.width * mm, s->page.height * mm, out->gap * mm,
                   margin > 0 ? (out->crop_marks ? ", bleed and crop marks" : " and bleed") : "", need_w * mm,
                   need_h * mm, sw * mm, sh * mm);
        return false;
    }
    return true;
}

bool compose_impose(compose_t *c, const compose_sheet_t *sheet) {
    doc_imposition_t im = {0, 0, sheet->across, sheet->down, sheet->gap, sheet->crop_marks,
                           sheet->order == COMPOSE_ORDER_SADDLE ? DOC_ORDER_SADDLE : DOC_ORDER_ROWS,
                           sheet->order == COMPOSE_ORDER_COLUMNS};
    static const doc_order_t duplex_orders[] = {DOC_ORDER_ROWS, DOC_ORDER_DUPLEX_LONG_EDGE, DOC_ORDER_DUPLEX_SHORT_EDGE};
    if (sheet->duplex) im.order = duplex_orders[sheet->duplex];
    sheet_size(sheet, &im.sheet_w, &im.sheet_h);
    doc_t *sheets = doc_impose(c->doc, &im);
    if (!sheets) {
        diag_error(c->to.d, diag_file(c->spec->path), "out of memory imposing the pages");
        return false;
    }
    doc_use_sheets(c->doc, sheets, &im);
    return true;
}
