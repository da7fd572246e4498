/* kinds/poster: profiles side by side, dimension by dimension. A grid with
 * one column per profile and one row per dimension (after a row with each
 * group's shared task, before a row with the pitfalls); a cell holds the
 * profile's bullets for the row, under the profile's own heading where it
 * differs from the row's label. The whole grid is copy-fitted to the page:
 * the largest text size within the layout's limits at which every row fits. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kinds/kinds.h"

static const char *const poster_keys[] = {"profiles", "accents", "fit", "label_width", "padding", "shared_task_row",
                                          "pitfalls_row", NULL};

typedef struct poster_opts {
    kind_accents_t accents;
    double min_size, max_size;
    double label_width, padding;
    bool shared_task_row, pitfalls_row;
} poster_opts_t;

static bool length_key(const spec_t *s, const ynode_t *blk, const char *key, double *out, diag_t *d) {
    const ynode_t *n = ymap_get(blk, key);
    if (!n) return true;
    char what[64];
    snprintf(what, sizeof what, "poster.%s", key);
    const char *v = ytext(s->doc, n, what, d);
    if (!v) return false;
    if (!spec_parse_length(v, out) || *out < 0) {
        diag_error(d, ydoc_loc(s->doc, n), "%s '%s' is not a length such as '40mm'", what, v);
        return false;
    }
    return true;
}

static bool read_opts(const spec_t *s, poster_opts_t *o, diag_t *d) {
    memset(o, 0, sizeof *o);
    const spec_style_t *bullet = spec_find_style(s, "bullet");
    o->min_size = o->max_size = bullet ? bullet->size : 10;
    o->label_width = 45 * 72 / 25.4;
    o->padding = 4 * 72 / 25.4;
    o->shared_task_row = o->pitfalls_row = true;
    const ynode_t *blk = s->kind_block;
    if (!blk) return true;
    bool ok = true;
    const ynode_t *n;
    if (!kind_read_accents(s, "poster", &o->accents, d)) ok = false;
    if (!kind_read_fit(s, "poster", &o->min_size, &o->max_size, d)) ok = false;
    ok &= length_key(s, blk, "label_width", &o->label_width, d);
    ok &= length_key(s, blk, "padding", &o->padding, d);
    if ((n = ymap_get(blk, "shared_task_row")) && !ybool(s->doc, n, "poster.shared_task_row", &o->shared_task_row, d)) ok = false;
    if ((n = ymap_get(blk, "pitfalls_row")) && !ybool(s->doc, n, "poster.pitfalls_row", &o->pitfalls_row, d)) ok = false;
    return ok;
}

bool poster_check(const spec_t *s, diag_t *d) {
    bool ok = true;
    if (s->kind_block && !ymap_check(s->doc, s->kind_block, "poster", poster_keys, NULL, d)) ok = false;
    static const char *const styles[] = {"poster_title", "poster_subtitle", "column_head", "kicker", "row_label",
                                         "cell_heading", "bullet", "empty", NULL};
    for (int i = 0; styles[i]; i++)
        if (!spec_require_style(s, styles[i], d)) ok = false;
    static const char *const labels[] = {"bullet", "shared_task", "pitfalls", "empty", NULL};
    for (int i = 0; labels[i]; i++)
        if (!spec_require_label(s, labels[i], d)) ok = false;
    poster_opts_t o;
    if (!read_opts(s, &o, d)) ok = false;
    kind_accents_free(&o.accents);
    return ok;
}

/* ---- the grid ------------------------------------------------------------- */

typedef enum row_kind { ROW_GROUP, ROW_DIMENSION, ROW_PITFALLS } row_kind_t;

typedef struct row {
    row_kind_t kind;
    const model_dimension_t *dim;
    const char *label;
} row_t;

typedef struct cell {
    page_blocks_t blocks;
    double height;
} cell_t;

typedef struct grid {
    size_t rows, cols;
    row_t *row;
    cell_t *cells;        /* rows × cols */
    page_blocks_t *labels; /* one per row */
    page_blocks_t heads;  /* one block per column */
    double *row_h;
    double head_h;
    double total_h;
} grid_t;

static void grid_free(grid_t *g) {
    for (size_t i = 0; g->cells && i < g->rows * g->cols; i++) page_blocks_free(&g->cells[i].blocks);
    for (size_t i = 0; g->labels && i < g->rows; i++) page_blocks_free(&g->labels[i]);
    page_blocks_free(&g->heads);
    free(g->cells);
    free(g->labels);
    free(g->row_h);
    free(g->row);
    memset(g, 0, sizeof *g);
}

static double blocks_height(const page_blocks_t *b) {
    double h = 0;
    for (size_t i = 0; i < b->count; i++) {
        if (i > 0) h += b->v[i].space_before;
        h += b->v[i].para.count * b->v[i].para.leading;
        if (i + 1 < b->count) h += b->v[i].space_after;
    }
    return h;
}


static bool fill_cell(typeset_t *t, cell_t *c, const row_t *r, const model_profile_t *p, double w, size_t td) {
    const model_text_t *head = NULL, *kicker = NULL;
    const model_list_t *list = NULL;
    if (r->kind == ROW_GROUP && p->group.present) {
        kicker = &p->group.name;
        head = &p->group.heading;
        list = &p->group.bullets;
    } else if (r->kind == ROW_PITFALLS && p->pitfalls.present) {
        head = &p->pitfalls.heading;
        list = &p->pitfalls.bullets;
    } else if (r->kind == ROW_DIMENSION) {
        const model_section_t *s = model_profile_section(p, r->dim->key);
        if (s) {
            head = &s->heading;
            list = &s->bullets;
        }
    }
    if (!list) {
        /* An empty cell says so, quietly. */
        page_block_t *b = typeset_paragraph(t, &c->blocks, "empty", spec_label(t->spec, "empty"),
                                            diag_file(t->spec->path), w);
        if (!b) return false;
        kind_tag(t, b, td, DOC_TAG_P);
        c->height = blocks_height(&c->blocks);
        return true;
    }
    if (kicker && kicker->text) {
        page_block_t *b = typeset_paragraph(t, &c->blocks, "kicker", kicker->text, kicker->loc, w);
        if (!b) return false;
        kind_tag(t, b, td, DOC_TAG_P);
    }
    /* The profile's own heading where it differs from the row's label. */
    if (head && head->text && strcmp(head->text, r->label) != 0) {
        page_block_t *b = typeset_paragraph(t, &c->blocks, "cell_heading", head->text, head->loc, w);
        if (!b) return false;
        kind_tag(t, b, td, DOC_TAG_H3);
    }
    const char *mark = spec_label(t->spec, "bullet");
    size_t l = doc_node(t->doc, td, DOC_TAG_L);
    for (size_t i = 0; i < list->count; i++) {
        page_block_t *it = typeset_item(t, &c->blocks, "bullet", mark, list->items[i].text, list->items[i].loc, w);
        if (!it) return false;
        kind_tag_item(t, it, l);
    }
    c->height = blocks_height(&c->blocks);
    return true;
}

static double column_width(const spec_t *s, const poster_opts_t *o, size_t cols) {
    double w = s->page.width - s->page.inner - s->page.outer - o->label_width;
    return w / (double)cols;
}

/* Typesets the whole grid at the typesetter's current scale. */
static bool build_grid(typeset_t *t, const kind_job_t *job, const poster_opts_t *o, const row_t *rows, size_t nrows,
                       grid_t *g, size_t sect) {
    memset(g, 0, sizeof *g);
    g->rows = nrows;
    g->cols = job->profile_count;
    g->cells = calloc(nrows * g->cols + 1, sizeof *g->cells);
    g->labels = calloc(nrows + 1, sizeof *g->labels);
    g->row_h = calloc(nrows + 1, sizeof *g->row_h);
    if (!g->cells || !g->labels || !g->row_h) return false;
    double pad = o->padding * t->scale;
    double colw = column_width(t->spec, o, g->cols);
    double inner = colw - 2 * pad;
    if (inner < 20) return false;
    /* The grid is a table: a head row of profiles, then a row per dimension
     * with its label as the row's header. */
    size_t table = doc_node(t->doc, sect, DOC_TAG_TABLE);
    size_t head_row = doc_node(t->doc, table, DOC_TAG_TR);
    for (size_t c = 0; c < g->cols; c++) {
        const model_profile_t *p = job->profiles[c];
        page_block_t *b = typeset_paragraph(t, &g->heads, "column_head", p->title.text, p->title.loc, inner);
        if (!b) return false;
        b->para.colour = kind_accent(t, &o->accents, p);
        size_t th = kind_tag(t, b, head_row, DOC_TAG_TH);
        if (th) t->doc->nodes[th].scope = "Column";
        double h = b->para.count * b->para.leading;
        if (h > g->head_h) g->head_h = h;
    }
    g->head_h += 2 * pad;
    g->total_h = g->head_h;
    for (size_t r = 0; r < nrows; r++) {
        page_block_t *lb = typeset_paragraph(t, &g->labels[r], "row_label", rows[r].label, diag_file(t->spec->path),
                                             o->label_width - 2 * pad);
        if (!lb) return false;
        size_t tr = doc_node(t->doc, table, DOC_TAG_TR);
        size_t th = kind_tag(t, lb, tr, DOC_TAG_TH);
        if (th) t->doc->nodes[th].scope = "Row";
        double h = blocks_height(&g->labels[r]);
        for (size_t c = 0; c < g->cols; c++) {
            cell_t *cell = &g->cells[r * g->cols + c];
            if (!fill_cell(t, cell, &rows[r], job->profiles[c], inner, doc_node(t->doc, tr, DOC_TAG_TD))) return false;
            if (cell->height > h) h = cell->height;
        }
        g->row_h[r] = h + 2 * pad;
        g->total_h += g->row_h[r];
    }
    return true;
}

/* Title and subtitle, at the layout's sizes (not scaled). */
static bool header(typeset_t *t, page_blocks_t *b, double w, double *h, size_t sect) {
    const spec_t *s = t->spec;
    const char *title = spec_label(s, "title");
    if (!title) title = t->model->title.text;
    double keep = t->scale;
    t->scale = 1;
    page_block_t *tb = typeset_paragraph(t, b, "poster_title", title, diag_file(s->path), w);
    const char *sub = spec_label(s, "subtitle");
    page_block_t *sb = tb && sub ? typeset_paragraph(t, b, "poster_subtitle", sub, diag_file(s->path), w) : NULL;
    t->scale = keep;
    if (!tb || (sub && !sb)) return false;
    kind_tag(t, tb, sect, DOC_TAG_H1);
    if (sb) kind_tag(t, sb, sect, DOC_TAG_P);
    *h = blocks_height(b) + b->v[b->count - 1].space_after;
    return true;
}

static bool draw_blocks(doc_t *doc, doc_page_t *pg, const page_blocks_t *b, double x, double y) {
    for (size_t i = 0; i < b->count; i++) {
        const page_block_t *blk = &b->v[i];
        if (i > 0) y -= blk->space_before;
        for (size_t l = 0; l < blk->para.count; l++) {
            double base = page_baseline(&blk->para, y);
            if (!page_draw_line(doc, pg, &blk->para.lines[l], blk->para.colour, x + blk->indent, base,
                                blk->node))
                return false;
            if (l == 0 && blk->label &&
                !page_draw_line(doc, pg, blk->label, blk->para.colour, x + blk->label_x, base,
                                blk->label_node))
                return false;
            y -= blk->para.leading;
        }
        y -= blk->space_after;
    }
    return true;
}

static bool rule(doc_t *doc, doc_page_t *pg, double x0, double y, double x1, double width, colour_t c) {
    doc_item_t it = {0};
    it.kind = DOC_RULE;
    it.colour = c;
    it.x = x0;
    it.y = y;
    it.w = x1 - x0;
    it.line_width = width;
    return doc_add_item(doc, pg, &it) != NULL;
}

bool poster_build(typeset_t *t, const kind_job_t *job) {
    const spec_t *s = t->spec;
    const model_t *m = job->model;
    poster_opts_t o;
    if (!read_opts(s, &o, t->d)) return false;
    doc_t *doc = t->doc;
    doc->title = spec_label(s, "title") ? spec_label(s, "title") : m->title.text;
    doc->author = m->organisation.text;
    doc->subject = spec_label(s, "subtitle");
    doc->lang = m->language;
    doc->creator = "grundlag";

    /* The rows. */
    row_t *rows = calloc(job->dimension_count + 3, sizeof *rows);
    size_t nrows = 0;
    if (!rows) return false;
    bool group_row = job->dimensions_from_cli ? job->row_group : o.shared_task_row;
    bool pitfalls_row = job->dimensions_from_cli ? job->row_pitfalls : o.pitfalls_row;
    if (group_row) rows[nrows++] = (row_t){ROW_GROUP, NULL, spec_label(s, "shared_task")};
    for (size_t i = 0; i < job->dimension_count; i++)
        rows[nrows++] = (row_t){ROW_DIMENSION, job->dimensions[i], job->dimensions[i]->label};
    if (pitfalls_row) rows[nrows++] = (row_t){ROW_PITFALLS, NULL, spec_label(s, "pitfalls")};

    double width = s->page.width - s->page.inner - s->page.outer;
    double avail = s->page.height - s->page.top - s->page.bottom;
    page_blocks_t head = {0};
    double head_h = 0;
    size_t sect = doc_node(doc, 1, DOC_TAG_SECT);
    bool ok = header(t, &head, width, &head_h, sect);
    avail -= head_h;

    /* Copy-fit: the largest scale at which the grid fits the height. */
    const spec_style_t *bullet = spec_find_style(s, "bullet");
    double lo = o.min_size / bullet->size, hi = o.max_size / bullet->size, best = 0;
    grid_t g = {0};
    double need_at_lo = 0;
    diag_t *quiet = diag_new(NULL), *loud = t->d;
    if (!quiet) ok = false;
    if (ok) typeset_swap_diag(t, quiet);
    if (ok) {
        t->scale = lo;
        bool built = build_grid(t, job, &o, rows, nrows, &g, sect);
        need_at_lo = built ? g.total_h : INFINITY;
        grid_free(&g);
        if (built && need_at_lo <= avail) {
            /* The grid's height grows about as the square of the scale (the
             * text is taller and wraps into more lines): start from there,
             * step by 5 % to bracket the answer, then halve to 1 %. */
            best = lo;
            double est = lo * sqrt(avail / need_at_lo), step = 1.05;
            if (est > hi) est = hi;
            /* dir: +1 stepping up from a fit, -1 down from a miss, 0 halving */
            int dir = 0;
            bool bracketed_low = false, bracketed_high = false;
            for (int k = 0; k < 24 && hi - lo > 0.01 * lo; k++) {
                double f = k == 0 ? est : dir > 0 ? lo * step : dir < 0 ? hi / step : (lo + hi) / 2;
                if (f >= hi) f = hi;
                if (f <= lo) f = (lo + hi) / 2;
                t->scale = f;
                built = build_grid(t, job, &o, rows, nrows, &g, sect);
                bool fit = built && g.total_h <= avail;
                grid_free(&g);
                if (fit) {
                    lo = best = f;
                    if (f >= hi) break;
                    bracketed_low = true;
                } else {
                    hi = f;
                    bracketed_high = true;
                }
                dir = k == 0 ? (fit ? 1 : -1) : (bracketed_low && bracketed_high) ? 0 : dir;
            }
        }
    }
    if (quiet) typeset_swap_diag(t, loud);
    if (ok && quiet && diag_error_count(quiet) > 0) {
        /* A trial hit an error (not a size problem): set it aloud. */
        t->scale = o.min_size / bullet->size;
        build_grid(t, job, &o, rows, nrows, &g, sect);
        grid_free(&g);
        ok = false;
    }
    diag_drop(quiet);
    if (ok && best == 0) {
        if (need_at_lo == INFINITY)
            diag_error(t->d, diag_file(s->path),
                       "the poster's %zu columns are too narrow for text at the minimum size %.1fpt on a %.0f × %.0f mm page",
                       job->profile_count, o.min_size, s->page.width * 25.4 / 72, s->page.height * 25.4 / 72);
        else
            diag_error(t->d, diag_file(s->path),
                       "the comparison of %zu profiles and %zu rows does not fit on the %.0f × %.0f mm page even at the "
                       "minimum size %.1fpt: it needs %.0f mm of height, the page has %.0f mm",
                       job->profile_count, nrows, s->page.width * 25.4 / 72, s->page.height * 25.4 / 72, o.min_size,
                       need_at_lo * 25.4 / 72, avail * 25.4 / 72);
        ok = false;
    }
    if (ok) {
        t->scale = best;
        ok = build_grid(t, job, &o, rows, nrows, &g, sect);
    }
    if (ok) {
        doc_page_t *pg = doc_add_page(doc, s->page.width, s->page.height, s->page.bleed, s->page.crop_marks);
        ok = pg != NULL;
        double x0 = s->page.inner, top = s->page.height - s->page.top;
        if (ok) ok = draw_blocks(doc, pg, &head, x0, top);
        double pad = o.padding * best;
        double colw = column_width(s, &o, g.cols);
        const spec_colour_t *rc = spec_find_colour(s, "rule");
        colour_t rule_colour = rc ? rc->colour : colour_black();
        double y = top - head_h;
        /* Column heads, each with a bar in its accent. */
        for (size_t c = 0; ok && c < g.cols; c++) {
            double cx = x0 + o.label_width + c * colw;
            page_blocks_t one = {&g.heads.v[c], 1, 1};
            ok = draw_blocks(doc, pg, &one, cx + pad, y - pad);
            doc_item_t bar = {0};
            bar.kind = DOC_RECT;
            bar.colour = g.heads.v[c].para.colour;
            bar.x = cx + pad;
            bar.w = colw - 2 * pad;
            bar.h = 3 * best;
            bar.y = y - g.head_h;
            if (ok) ok = doc_add_item(doc, pg, &bar) != NULL;
        }
        y -= g.head_h;
        for (size_t r = 0; ok && r < g.rows; r++) {
            ok = draw_blocks(doc, pg, &g.labels[r], x0 + pad, y - pad);
            for (size_t c = 0; ok && c < g.cols; c++) {
                double cx = x0 + o.label_width + c * colw;
                ok = draw_blocks(doc, pg, &g.cells[r * g.cols + c].blocks, cx + pad, y - pad);
            }
            y -= g.row_h[r];
            if (ok && r + 1 < g.rows) ok = rule(doc, pg, x0, y, x0 + width, 0.5 * best, rule_colour);
        }
        if (ok) ok = doc_add_outline(doc, doc->title, 0, 0, top);
    }
    grid_free(&g);
    page_blocks_free(&head);
    free(rows);
    kind_accents_free(&o.accents);
    return ok;
}
