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

typedef struct poster_opts {
    kind_common_t common;
    opt_colours_t accents;
    opt_sizes_t fit;
    double label_width, padding;
    bool shared_task_row, pitfalls_row;
} poster_opts_t;

static const opt_key_t poster_keys[] = {
    KIND_PROFILES_KEY(poster_opts_t),
    OPT_PLAIN(poster_opts_t, accents, OPT_COLOURS, "colours, one per profile in the data's order, cycled (default: the colour `accent`)"),
    OPT_PLAIN(poster_opts_t, fit, OPT_SIZES, "the sizes the `bullet` style may take when copy-fitting (default: its own size)"),
    OPT_LEN(poster_opts_t, label_width, "45mm", 0, "the width of the column of row labels"),
    OPT_LEN(poster_opts_t, padding, "4mm", 0, "space inside each cell, at the layout's sizes (it scales with the text)"),
    OPT_FLAG(poster_opts_t, shared_task_row, "true", "a first row with each group's shared task (`--dimensions` chooses rows instead)"),
    OPT_FLAG(poster_opts_t, pitfalls_row, "true", "a last row with the pitfalls (`--dimensions` chooses rows instead)"),
};

static const opt_schema_t poster_schema = OPT_SCHEMA("poster", poster_opts_t, poster_keys);
static const char *const poster_styles[] = {"poster_title", "poster_subtitle", "column_head", "kicker", "row_label",
                                            "cell_heading", "bullet",       "empty",       NULL};
static const char *const poster_labels[] = {"bullet", "shared_task", "pitfalls", "empty", NULL};

/* ---- the grid ------------------------------------------------------------- */

typedef struct row {
    const char *key;   /* "group", "pitfalls" or a dimension's */
    const char *label;
} row_t;

typedef struct grid {
    size_t rows, cols;
    page_blocks_t *cells;  /* rows × cols */
    page_blocks_t *labels; /* one per row */
    page_blocks_t heads;   /* one block per column */
    double *row_h;
    double head_h, total_h;
} grid_t;

static void grid_free(grid_t *g) {
    for (size_t i = 0; g->cells && i < g->rows * g->cols; i++) page_blocks_free(&g->cells[i]);
    for (size_t i = 0; g->labels && i < g->rows; i++) page_blocks_free(&g->labels[i]);
    page_blocks_free(&g->heads);
    free(g->cells);
    free(g->labels);
    free(g->row_h);
    memset(g, 0, sizeof *g);
}

/* A cell: the profile's part for the row (the group's name over its shared
 * task; the profile's own heading where it differs from the row's label),
 * or a quiet word that it has none. */
static bool fill_cell(compose_t *c, page_blocks_t *b, const row_t *r, const model_profile_t *p, double w, size_t td) {
    compose_part_t part;
    if (!compose_part(p, r->key, &part))
        return compose_words(c, b, "empty", spec_label(c->spec, "empty"), w, td, DOC_TAG_P) != NULL;
    if (part.kicker && !compose_text(c, b, "kicker", part.kicker, w, td, DOC_TAG_P)) return false;
    if (part.heading->text && strcmp(part.heading->text, r->label) != 0 &&
        !compose_text(c, b, "cell_heading", part.heading, w, td, DOC_TAG_H2))
        return false;
    return compose_bullets(c, b, "bullet", part.bullets, w, td);
}

static double column_width(const spec_t *s, const poster_opts_t *o, size_t cols) {
    return (s->page.width - s->page.inner - s->page.outer - o->label_width) / (double)cols;
}

typedef struct poster {
    const kind_job_t *job;
    const poster_opts_t *o;
    const row_t *rows;
    size_t nrows;
    size_t sect;     /* the poster's element */
    double avail;    /* the grid's room: the page below the header */
    bool too_narrow; /* a trial found the columns too narrow for text */
} poster_t;

/* Sets the whole grid at c's scale. */
static bool build_grid(compose_t *c, poster_t *ps, grid_t *g) {
    const kind_job_t *job = ps->job;
    const poster_opts_t *o = ps->o;
    memset(g, 0, sizeof *g);
    g->rows = ps->nrows;
    g->cols = job->profile_count;
    g->cells = calloc(g->rows * g->cols + 1, sizeof *g->cells);
    g->labels = calloc(g->rows + 1, sizeof *g->labels);
    g->row_h = calloc(g->rows + 1, sizeof *g->row_h);
    if (!g->cells || !g->labels || !g->row_h) return false;
    double pad = o->padding * c->to.scale;
    double inner = column_width(c->spec, o, g->cols) - 2 * pad;
    if (inner < 20) {
        ps->too_narrow = true;
        return true;
    }
    /* The grid is a table: a head row of profiles, then a row per dimension
     * with its label as the row's header. The head row starts with the
     * empty corner over the labels, so that every row has as many cells
     * and each column's header is over its own column. */
    size_t table = compose_node(c, ps->sect, DOC_TAG_TABLE);
    size_t head_row = compose_node(c, table, DOC_TAG_TR);
    size_t corner = compose_node(c, head_row, DOC_TAG_TH);
    if (corner) {
        c->doc->nodes[corner].keep = true;
        c->doc->nodes[corner].scope = "Column"; /* over the row labels */
    }
    for (size_t k = 0; k < g->cols; k++) {
        const model_profile_t *p = job->profiles[k];
        page_block_t *b = compose_text(c, &g->heads, "column_head", &p->title, inner, head_row, DOC_TAG_TH);
        if (!b) return false;
        b->para.colour = compose_accent(c, &o->accents, p);
        if (b->node) c->doc->nodes[b->node].scope = "Column";
        double h = b->para.count * b->para.leading;
        if (h > g->head_h) g->head_h = h;
    }
    g->head_h += 2 * pad;
    g->total_h = g->head_h;
    for (size_t r = 0; r < g->rows; r++) {
        size_t tr = compose_node(c, table, DOC_TAG_TR);
        page_block_t *lb = compose_words(c, &g->labels[r], "row_label", ps->rows[r].label, o->label_width - 2 * pad,
                                         tr, DOC_TAG_TH);
        if (!lb) return false;
        if (lb->node) c->doc->nodes[lb->node].scope = "Row";
        double h = compose_stack_height(&g->labels[r]);
        for (size_t k = 0; k < g->cols; k++) {
            page_blocks_t *cell = &g->cells[r * g->cols + k];
            if (!fill_cell(c, cell, &ps->rows[r], job->profiles[k], inner, compose_node(c, tr, DOC_TAG_TD)))
                return false;
            double ch = compose_stack_height(cell);
            if (ch > h) h = ch;
        }
        g->row_h[r] = h + 2 * pad;
        g->total_h += g->row_h[r];
    }
    return true;
}

static bool trial(compose_t *c, void *user, double *need, double *room) {
    poster_t *ps = user;
    grid_t g;
    ps->too_narrow = false;
    bool ok = build_grid(c, ps, &g);
    *need = ps->too_narrow ? 1e9 : g.total_h;
    *room = ps->avail;
    grid_free(&g);
    return ok;
}

/* The grid at scale f, drawn below the header (top: the grid's top). */
static bool draw_grid(compose_t *doc_c, poster_t *ps, double f, doc_page_t *pg, double top) {
    compose_t c = compose_at(doc_c, f);
    const spec_t *s = c.spec;
    const poster_opts_t *o = ps->o;
    grid_t g;
    bool ok = build_grid(&c, ps, &g) && !ps->too_narrow;
    double x0 = s->page.inner, width = s->page.width - s->page.inner - s->page.outer;
    double pad = o->padding * f, colw = column_width(s, o, g.cols), y = top;
    colour_t rule = compose_colour(&c, "rule", colour_black());
    /* Column heads, each over a bar in its accent. */
    for (size_t k = 0; ok && k < g.cols; k++) {
        double cx = x0 + o->label_width + k * colw;
        page_blocks_t one = {&g.heads.v[k], 1, 1};
        ok = compose_stack_draw(&c, pg, &one, cx + pad, y - pad) &&
             compose_rect(&c, pg, cx + pad, y - g.head_h, colw - 2 * pad, 3 * f, g.heads.v[k].para.colour);
    }
    y -= g.head_h;
    for (size_t r = 0; ok && r < g.rows; r++) {
        ok = compose_stack_draw(&c, pg, &g.labels[r], x0 + pad, y - pad);
        for (size_t k = 0; ok && k < g.cols; k++)
            ok = compose_stack_draw(&c, pg, &g.cells[r * g.cols + k], x0 + o->label_width + k * colw + pad, y - pad);
        y -= g.row_h[r];
        if (ok && r + 1 < g.rows) ok = compose_rule(&c, pg, x0, x0 + width, y, 0.5 * f, rule);
    }
    grid_free(&g);
    return ok;
}

static bool build(compose_t *c, const kind_job_t *job, const void *opts) {
    const poster_opts_t *o = opts;
    const spec_t *s = c->spec;
    const char *title = spec_label(s, "title") ? spec_label(s, "title") : c->model->title.text;
    compose_meta(c, title, spec_label(s, "subtitle"));

    /* The rows: chosen on the command line, else by the layout. */
    row_t *rows = calloc(job->dimension_count + 3, sizeof *rows);
    if (!rows) return false;
    size_t nrows = 0;
    if (job->dimensions_from_cli ? job->row_group : o->shared_task_row)
        rows[nrows++] = (row_t){"group", spec_label(s, "shared_task")};
    for (size_t i = 0; i < job->dimension_count; i++)
        rows[nrows++] = (row_t){job->dimensions[i]->key, job->dimensions[i]->label};
    if (job->dimensions_from_cli ? job->row_pitfalls : o->pitfalls_row)
        rows[nrows++] = (row_t){"pitfalls", spec_label(s, "pitfalls")};

    /* The header, at the layout's sizes. */
    double width = s->page.width - s->page.inner - s->page.outer, top = s->page.height - s->page.top;
    poster_t ps = {job, o, rows, nrows, compose_node(c, 1, DOC_TAG_SECT), 0, false};
    page_blocks_t head = {0};
    page_block_t *tb = compose_words(c, &head, "poster_title", title, width, ps.sect, DOC_TAG_H1);
    const char *sub = spec_label(s, "subtitle");
    bool ok = tb && (!sub || compose_words(c, &head, "poster_subtitle", sub, width, ps.sect, DOC_TAG_P));
    double head_h = ok ? compose_stack_height(&head) + head.v[head.count - 1].space_after : 0;
    ps.avail = s->page.height - s->page.top - s->page.bottom - head_h;

    compose_fit_t fit = {0};
    ok = ok && compose_fit(c, "bullet", o->fit, trial, &ps, &fit);
    if (ok && fit.scale == 0) {
        const spec_style_t *bullet = spec_find_style(s, "bullet");
        double min = o->fit.min > 0 ? o->fit.min : bullet->size;
        if (ps.too_narrow || fit.need >= 1e9)
            diag_error(c->to.d, diag_file(s->path),
                       "the poster's %zu columns are too narrow for text at the minimum size %.1fpt on a %.0f × %.0f mm page",
                       job->profile_count, min, s->page.width * 25.4 / 72, s->page.height * 25.4 / 72);
        else
            diag_error(c->to.d, diag_file(s->path),
                       "the comparison of %zu profiles and %zu rows does not fit on the %.0f × %.0f mm page even at the "
                       "minimum size %.1fpt: it needs %.0f mm of height, the page has %.0f mm",
                       job->profile_count, nrows, s->page.width * 25.4 / 72, s->page.height * 25.4 / 72, min,
                       fit.need * 25.4 / 72, fit.room * 25.4 / 72);
        ok = false;
    }
    if (ok) {
        doc_page_t *pg = doc_add_page(c->doc, s->page.width, s->page.height, s->page.bleed, s->page.crop_marks);
        ok = pg && compose_stack_draw(c, pg, &head, s->page.inner, top) &&
             draw_grid(c, &ps, fit.scale, pg, top - head_h) && doc_add_outline(c->doc, title, 0, 0, top);
    }
    page_blocks_free(&head);
    free(rows);
    return ok;
}

const kind_def_t poster_kind = {
    "poster", "comparison posters: profiles side by side, a row per dimension, copy-fitted",
    &poster_schema, poster_styles, poster_labels, KIND_ROWS, NULL, build,
};
