/* kinds/poster: profiles side by side, dimension by dimension. A grid with
 * one column per profile and one row per dimension (after a row with each
 * group's shared task, before a row with the pitfalls); a cell holds the
 * profile's bullets for the row, under the profile's own heading where it
 * differs from the row's label. The whole grid is copy-fitted to the page:
 * the largest text size within the layout's limits at which every row fits.
 * As a series (`series: true`) each row is a poster of its own, titled with
 * the row's label, for a wall read from two metres: one page per row, or
 * one file per row with --split. The rows' labels and every word about the
 * profiles come from the data; the layout's words are its labels. */
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
    bool series, uniform;
    int measure; /* characters; 0: as wide as the page gives */
} poster_opts_t;

static const opt_key_t poster_keys[] = {
    KIND_PROFILES_KEY(poster_opts_t),
    OPT_PLAIN(poster_opts_t, accents, OPT_COLOURS, "colours, one per profile in the data's order, cycled (default: the colour `accent`)"),
    OPT_PLAIN(poster_opts_t, fit, OPT_SIZES, "the sizes the `bullet` style may take when copy-fitting (default: its own size)"),
    OPT_LEN(poster_opts_t, label_width, "45mm", 0, "the width of the column of row labels"),
    OPT_LEN(poster_opts_t, padding, "4mm", 0, "space inside each cell, at the layout's sizes (it scales with the text)"),
    OPT_FLAG(poster_opts_t, shared_task_row, "true", "a first row with each group's shared task (`--dimensions` chooses rows instead)"),
    OPT_FLAG(poster_opts_t, pitfalls_row, "true", "a last row with the pitfalls (`--dimensions` chooses rows instead)"),
    OPT_FLAG(poster_opts_t, series, "false",
             "a series: each row a poster of its own, titled with the row's label, the profiles side by side "
             "(one page per row; `--split`: one file per row)"),
    OPT_FLAG(poster_opts_t, uniform, "true", "a series in one size: the largest at which every poster fits"),
    OPT_WHOLE(poster_opts_t, measure, "0", 0, 200,
              "the longest line, in characters of the `bullet` style (0: as wide as the page gives): a column with "
              "room for two such lines is cut into text columns, a narrower one kept to it and the grid centred"),
};

static const opt_schema_t poster_schema = OPT_SCHEMA("poster", poster_opts_t, poster_keys);
static const char *const poster_styles[] = {"poster_title", "poster_subtitle", "column_head", "kicker",
                                            "cell_heading", "bullet",          "empty",       NULL};
static const char *const poster_labels[] = {"bullet", "empty", NULL};

/* A grid has a column of row labels; a series' posters are titled with theirs. */
static bool check(const spec_t *s, const void *opts, diag_t *d) {
    const poster_opts_t *o = opts;
    return o->series || spec_require_style(s, "row_label", d);
}

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
    double x0, label_w, col_w, width; /* where the grid sits across the page */
    /* A profile's column, when `measure` makes it narrower than its share,
     * is `sub` text columns of sub_w, sub_gap apart; cuts[cell * (sub + 1)
     * + j] is the first block of text column j of a cell. */
    size_t sub;
    double sub_w, sub_gap;
    size_t *cuts;
} grid_t;

static void grid_free(grid_t *g) {
    for (size_t i = 0; g->cells && i < g->rows * g->cols; i++) page_blocks_free(&g->cells[i]);
    for (size_t i = 0; g->labels && i < g->rows; i++) page_blocks_free(&g->labels[i]);
    page_blocks_free(&g->heads);
    free(g->cells);
    free(g->labels);
    free(g->row_h);
    free(g->cuts);
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

/* The label of the shared-task or the pitfalls row: the data's group_label
 * or pitfalls_label, else the heading most of the profiles give the part
 * (the first of those when they tie), else the layout's label `key`. */
static const char *part_label(const compose_t *c, const kind_job_t *job, const char *key) {
    const model_text_t *given = strcmp(key, "group") == 0 ? &c->model->group_label : &c->model->pitfalls_label;
    if (given->text) return given->text;
    const char *best = NULL;
    size_t best_n = 0;
    for (size_t i = 0; i < job->profile_count; i++) {
        compose_part_t a, b;
        if (!compose_part(job->profiles[i], key, &a)) continue;
        size_t n = 0;
        for (size_t k = 0; k < job->profile_count; k++)
            n += compose_part(job->profiles[k], key, &b) && strcmp(a.heading->text, b.heading->text) == 0;
        if (n > best_n) best = a.heading->text, best_n = n;
    }
    return best ? best : spec_label(c->spec, key);
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

/* The widest word of the row labels in `row_label` at c's scale: the
 * label column is never narrower, so that no label breaks inside a word. */
static double widest_label_word(compose_t *c, const poster_t *ps) {
    double widest = 0;
    for (size_t r = 0; r < ps->nrows; r++) {
        const char *l = ps->rows[r].label;
        while (*l) {
            size_t n = strcspn(l, " ");
            char word[256];
            if (n > 0 && n < sizeof word) {
                memcpy(word, l, n);
                word[n] = '\0';
                para_t para;
                para_line_t *line = compose_line(c, "row_label", word, &para);
                if (line && line->width > widest) widest = line->width;
            }
            l += n;
            l += strspn(l, " ");
        }
    }
    return widest;
}

/* Where the grid sits at c's scale: the label column (none in a series),
 * the profiles' columns (at most `measure` characters of `bullet` wide),
 * centred on the page when that leaves room. */
static void grid_geometry(compose_t *c, const poster_t *ps, grid_t *g) {
    const spec_t *s = c->spec;
    const poster_opts_t *o = ps->o;
    double pad = o->padding * c->to.scale, width = s->page.width - s->page.inner - s->page.outer;
    g->label_w = 0;
    if (!o->series) {
        g->label_w = o->label_width;
        /* A little more than the widest word: the breaker compares widths
         * that may differ in the last digit. */
        double word = widest_label_word(c, ps) * 1.02 + 1 + 2 * pad;
        if (word > g->label_w) g->label_w = word;
    }
    g->col_w = (width - g->label_w) / (double)g->cols;
    g->sub = 1;
    g->sub_gap = 2 * pad;
    g->sub_w = g->col_w - 2 * pad;
    if (o->measure > 0) {
        /* A character: the lowercase alphabet's mean width, as the measure
         * of a text is counted in characters. */
        static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz\xc3\xa6\xc3\xb8\xc3\xa5";
        para_t para;
        para_line_t *line = compose_line(c, "bullet", alphabet, &para);
        double most = line ? o->measure * line->width / 29 : g->sub_w;
        /* Room for two or more lines of the measure: that many text
         * columns; else one, narrower, and the grid centred. */
        double fit = floor((g->sub_w + g->sub_gap) / (most + g->sub_gap));
        g->sub = fit >= 1 ? (size_t)fit : 1; /* a page too small gives a negative count */
        if (g->sub > 1) g->sub_w = (g->sub_w - (double)(g->sub - 1) * g->sub_gap) / (double)g->sub;
        else if (g->sub_w > most) g->sub_w = most, g->col_w = most + 2 * pad;
    }
    g->width = g->label_w + g->cols * g->col_w;
    g->x0 = s->page.inner + (width - g->width) / 2;
}

/* The blocks [from, to) of b as a stack of their own. */
static page_blocks_t stack_part(const page_blocks_t *b, size_t from, size_t to) {
    page_blocks_t part = {b->v + from, to - from, to - from};
    return part;
}

/* Cuts a cell's blocks into `n` text columns, in order and as level as
 * whole blocks allow (cuts[0..n]: where each starts, cuts[n] the end);
 * the height of the tallest. A heading is never left at a column's foot. */
static double cut_cell(const page_blocks_t *b, size_t n, size_t *cuts) {
    double best = compose_stack_height(b);
    cuts[0] = 0;
    for (size_t j = 1; j <= n; j++) cuts[j] = b->count;
    if (n < 2 || b->count < 2) return best;
    /* The least height for which the blocks, taken greedily, fill at most
     * n columns: each column as full as that height allows. */
    size_t *try = calloc(n + 1, sizeof *try);
    if (!try) return best;
    double lo = 0, hi = best;
    for (int it = 0; it < 40 && hi - lo > 0.5; it++) {
        double h = (lo + hi) / 2;
        size_t col = 0, start = 0;
        try[0] = 0;
        bool fits = true;
        for (size_t i = 1; i <= b->count && fits; i++) {
            page_blocks_t part = stack_part(b, start, i);
            if (compose_stack_height(&part) <= h) continue;
            size_t cut = i - 1;
            while (cut > start + 1 && b->v[cut - 1].keep_with_next) cut--; /* keep a heading with its text */
            if (cut == start || ++col >= n) fits = false;
            else try[col] = start = cut, i = cut;
        }
        if (fits) {
            hi = h;
            for (size_t j = 0; j <= col; j++) cuts[j] = try[j];
            for (size_t j = col + 1; j <= n; j++) cuts[j] = b->count;
        } else {
            lo = h;
        }
    }
    free(try);
    best = 0;
    for (size_t j = 0; j < n; j++) {
        page_blocks_t part = stack_part(b, cuts[j], cuts[j + 1]);
        double h = compose_stack_height(&part);
        if (h > best) best = h;
    }
    return best;
}

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
    grid_geometry(c, ps, g);
    g->cuts = calloc(g->rows * g->cols * (g->sub + 1) + 1, sizeof *g->cuts);
    if (!g->cuts) return false;
    double pad = o->padding * c->to.scale;
    double inner = g->col_w - 2 * pad, text_w = g->sub_w;
    if (inner < 20) {
        ps->too_narrow = true;
        return true;
    }
    /* The grid is a table: a head row of profiles, then a row per dimension
     * with its label as the row's header (a series' poster has its row's
     * label for a title instead). With row labels, the head row starts
     * with the empty corner over them, so that every row has as many cells
     * and each column's header is over its own column. */
    size_t table = compose_node(c, ps->sect, DOC_TAG_TABLE);
    size_t head_row = compose_node(c, table, DOC_TAG_TR);
    size_t corner = o->series ? 0 : compose_node(c, head_row, DOC_TAG_TH);
    if (corner) {
        c->doc->nodes[corner].keep = true;
        c->doc->nodes[corner].scope = "Column"; /* over the row labels */
    }
    for (size_t k = 0; k < g->cols; k++) {
        const model_profile_t *p = job->profiles[k];
        page_block_t *b = compose_text(c, &g->heads, "column_head", &p->title, inner, head_row, DOC_TAG_TH);
        (void)text_w;
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
        double h = 0;
        if (!o->series) {
            page_block_t *lb = compose_words(c, &g->labels[r], "row_label", ps->rows[r].label, g->label_w - 2 * pad,
                                             tr, DOC_TAG_TH);
            if (!lb) return false;
            if (lb->node) c->doc->nodes[lb->node].scope = "Row";
            h = compose_stack_height(&g->labels[r]);
        }
        for (size_t k = 0; k < g->cols; k++) {
            page_blocks_t *cell = &g->cells[r * g->cols + k];
            if (!fill_cell(c, cell, &ps->rows[r], job->profiles[k], text_w, compose_node(c, tr, DOC_TAG_TD)))
                return false;
            double ch = cut_cell(cell, g->sub, &g->cuts[(r * g->cols + k) * (g->sub + 1)]);
            if (ch > h) h = ch;
            /* A copy-fitting trial far past its room: that is all it must say. */
            if (c->enough_beyond > 0 && g->total_h + h + 2 * pad > c->enough_beyond * ps->avail) {
                g->total_h += h + 2 * pad;
                c->stopped_short = true;
                return true;
            }
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
    const poster_opts_t *o = ps->o;
    grid_t g;
    bool ok = build_grid(&c, ps, &g) && !ps->too_narrow;
    double x0 = g.x0, pad = o->padding * f, colw = g.col_w, y = top;
    colour_t rule = compose_colour(&c, "rule", colour_black());
    /* Column heads, each over a bar in its accent. */
    for (size_t k = 0; ok && k < g.cols; k++) {
        double cx = x0 + g.label_w + k * colw;
        page_blocks_t one = {&g.heads.v[k], 1, 1};
        ok = compose_stack_draw(&c, pg, &one, cx + pad, y - pad) &&
             compose_rect(&c, pg, cx + pad, y - g.head_h, colw - 2 * pad, 3 * f, g.heads.v[k].para.colour);
    }
    y -= g.head_h;
    for (size_t r = 0; ok && r < g.rows; r++) {
        ok = compose_stack_draw(&c, pg, &g.labels[r], x0 + pad, y - pad);
        for (size_t k = 0; ok && k < g.cols; k++) {
            const size_t *cuts = &g.cuts[(r * g.cols + k) * (g.sub + 1)];
            for (size_t j = 0; ok && j < g.sub; j++) {
                page_blocks_t part = stack_part(&g.cells[r * g.cols + k], cuts[j], cuts[j + 1]);
                double x = x0 + g.label_w + k * colw + pad + (double)j * (g.sub_w + g.sub_gap);
                ok = compose_stack_draw(&c, pg, &part, x, y - pad);
            }
        }
        y -= g.row_h[r];
        if (ok && r + 1 < g.rows) ok = compose_rule(&c, pg, x0, x0 + g.width, y, 0.5 * f, rule);
    }
    grid_free(&g);
    return ok;
}

/* The layout's words with the data's: {title} and {organisation} of the
 * data, {first} and {last} the titles of the first and last profile shown,
 * {n} and {count} the poster's place in its series. In the document's
 * arena: the text drawn points into it. */
static char *fill_words(const compose_t *c, const kind_job_t *job, const char *tpl, size_t n, size_t count) {
    char num[2][24];
    snprintf(num[0], sizeof num[0], "%zu", n);
    snprintf(num[1], sizeof num[1], "%zu", count);
    const char *names[] = {"{title}", "{organisation}", "{first}", "{last}", "{n}", "{count}"};
    const char *vals[] = {c->model->title.text, c->model->organisation.text,
                          job->profile_count ? job->profiles[0]->title.text : "",
                          job->profile_count ? job->profiles[job->profile_count - 1]->title.text : "", num[0],
                          num[1]};
    size_t cap = strlen(tpl) + 1, len = 0;
    for (size_t i = 0; i < 6; i++) cap += strlen(vals[i]) * (strlen(tpl) / strlen(names[i]) + 1);
    char *out = arena_alloc(c->doc->arena, cap);
    if (!out) return NULL;
    for (const char *t = tpl; *t;) {
        size_t i = 0;
        while (i < 6 && strncmp(t, names[i], strlen(names[i])) != 0) i++;
        const char *add = i < 6 ? vals[i] : t;
        size_t al = i < 6 ? strlen(vals[i]) : 1;
        memcpy(out + len, add, al);
        len += al;
        t += i < 6 ? strlen(names[i]) : 1;
    }
    out[len] = '\0';
    return out;
}

/* One poster: its rows, its title and subtitle (NULL: none). */
typedef struct sheet_plan {
    poster_t ps;
    const char *title, *subtitle;
    page_blocks_t head;
    double head_h;
    compose_fit_t fit;
} sheet_plan_t;

/* Sets the poster's header at the layout's sizes and finds the grid's size. */
static bool plan_sheet(compose_t *c, sheet_plan_t *sp) {
    const spec_t *s = c->spec;
    double width = s->page.width - s->page.inner - s->page.outer;
    poster_t *ps = &sp->ps;
    ps->sect = compose_node(c, 1, DOC_TAG_SECT);
    page_block_t *tb = compose_words(c, &sp->head, "poster_title", sp->title, width, ps->sect, DOC_TAG_H1);
    bool ok = tb && (!sp->subtitle ||
                     compose_words(c, &sp->head, "poster_subtitle", sp->subtitle, width, ps->sect, DOC_TAG_P));
    sp->head_h = ok ? compose_stack_height(&sp->head) + sp->head.v[sp->head.count - 1].space_after : 0;
    ps->avail = s->page.height - s->page.top - s->page.bottom - sp->head_h;
    return ok && compose_fit(c, "bullet", ps->o->fit, trial, ps, &sp->fit);
}

/* Reports a poster that does not fit at the minimum size, naming it. */
static void too_large(compose_t *c, const sheet_plan_t *sp) {
    const spec_t *s = c->spec;
    const poster_t *ps = &sp->ps;
    const spec_style_t *bullet = spec_find_style(s, "bullet");
    double min = ps->o->fit.min > 0 ? ps->o->fit.min : bullet->size, mm = 25.4 / 72;
    char what[512];
    if (ps->o->series)
        snprintf(what, sizeof what, "the poster '%s' (row '%s') of %zu profiles", sp->title, ps->rows[0].key,
                 ps->job->profile_count);
    else
        snprintf(what, sizeof what, "the comparison of %zu profiles and %zu rows", ps->job->profile_count, ps->nrows);
    if (ps->too_narrow || sp->fit.need >= 1e9)
        diag_error(c->to.d, diag_file(s->path),
                   "%s: the poster's %zu columns are too narrow for text at the minimum size %.1fpt on a %.0f × %.0f "
                   "mm page",
                   what, ps->job->profile_count, min, s->page.width * mm, s->page.height * mm);
    else
        diag_error(c->to.d, diag_file(s->path),
                   "%s does not fit on the %.0f × %.0f mm page even at the minimum size %.1fpt: it needs %.0f mm of "
                   "height, the page has %.0f mm",
                   what, s->page.width * mm, s->page.height * mm, min, sp->fit.need * mm, sp->fit.room * mm);
}

static bool build(compose_t *c, const kind_job_t *job, const void *opts) {
    const poster_opts_t *o = opts;
    const spec_t *s = c->spec;
    const char *title = spec_label(s, "title") ? spec_label(s, "title") : c->model->title.text;
    const char *sub_tpl = spec_label(s, "subtitle");

    /* The rows: chosen on the command line, else by the layout. */
    row_t *rows = calloc(job->dimension_count + 3, sizeof *rows);
    if (!rows) return false;
    size_t nrows = 0;
    if (job->dimensions_from_cli ? job->row_group : o->shared_task_row)
        rows[nrows++] = (row_t){"group", part_label(c, job, "group")};
    for (size_t i = 0; i < job->dimension_count; i++)
        rows[nrows++] = (row_t){job->dimensions[i]->key, job->dimensions[i]->label};
    if (job->dimensions_from_cli ? job->row_pitfalls : o->pitfalls_row)
        rows[nrows++] = (row_t){"pitfalls", part_label(c, job, "pitfalls")};
    for (size_t r = 0; r < nrows; r++)
        if (!rows[r].label) rows[r].label = "";

    /* The posters: one for the whole grid, or one per row of a series. */
    size_t nsheets = o->series ? nrows : 1;
    sheet_plan_t *plan = calloc(nsheets + 1, sizeof *plan);
    bool ok = plan != NULL;
    for (size_t i = 0; ok && i < nsheets; i++) {
        sheet_plan_t *sp = &plan[i];
        /* Under --split the other posters are planned too (the series'
         * size is the least of theirs), in a scratch document. */
        bool other = job->piece && job->piece != i + 1;
        doc_t *scratch = other ? doc_new() : NULL;
        compose_t pc = *c;
        if (scratch) pc.doc = scratch, pc.to.arena = scratch->arena;
        sp->ps = (poster_t){job, o, o->series ? &rows[i] : rows, o->series ? 1 : nrows, 0, 0, false};
        sp->title = o->series ? rows[i].label : title;
        sp->subtitle = sub_tpl ? fill_words(&pc, job, sub_tpl, i + 1, nsheets) : NULL;
        ok = (!other || scratch) && (!sub_tpl || sp->subtitle) && plan_sheet(&pc, sp);
        if (ok && sp->fit.scale == 0) {
            too_large(c, sp);
            ok = false;
        }
        if (ok && !other && (i == 0 || job->piece)) compose_meta(c, title, sp->subtitle);
        if (scratch) {
            page_blocks_free(&sp->head);
            sp->subtitle = NULL;
            doc_drop(scratch);
        }
    }
    /* A series in one size: the smallest of the posters' own. */
    double least = INFINITY;
    for (size_t i = 0; ok && i < nsheets; i++)
        if (plan[i].fit.scale < least) least = plan[i].fit.scale;
    double top = s->page.height - s->page.top;
    for (size_t i = 0; ok && i < nsheets; i++) {
        sheet_plan_t *sp = &plan[i];
        if (job->piece && job->piece != i + 1) continue; /* --split: another file's */
        double f = o->series && o->uniform ? least : sp->fit.scale;
        doc_page_t *pg = doc_add_page(c->doc, s->page.width, s->page.height, s->page.bleed, s->page.crop_marks);
        ok = pg && compose_stack_draw(c, pg, &sp->head, s->page.inner, top) &&
             draw_grid(c, &sp->ps, f, pg, top - sp->head_h) &&
             doc_add_outline(c->doc, sp->title, 0, c->doc->page_count - 1, top);
    }
    for (size_t i = 0; plan && i < nsheets; i++) page_blocks_free(&plan[i].head);
    free(plan);
    free(rows);
    return ok;
}

/* A series splits into one file per row, "01-group", "02-<dimension>", …,
 * each poster as it is in the whole series: its size, its number. */
static bool split(const void *opts, const kind_job_t *job, kind_piece_t **out, size_t *count) {
    const poster_opts_t *o = opts;
    *out = NULL;
    *count = 0;
    if (!o->series) return true;
    bool group = job->dimensions_from_cli ? job->row_group : o->shared_task_row;
    bool pitfalls = job->dimensions_from_cli ? job->row_pitfalls : o->pitfalls_row;
    size_t n = job->dimension_count + group + pitfalls;
    kind_piece_t *v = calloc(n + 1, sizeof *v);
    if (!v) return false;
    for (size_t i = 0; i < n; i++) {
        const char *key = group && i == 0              ? "group"
                          : pitfalls && i == n - 1     ? "pitfalls"
                                                       : job->dimensions[i - group]->key;
        snprintf(v[i].name, sizeof v[i].name, "%02zu-%s", i + 1, key);
        v[i].job = *job;
        v[i].job.piece = i + 1;
    }
    *out = v;
    *count = n;
    return true;
}

const kind_def_t poster_kind = {
    "poster", "comparison posters: profiles side by side, a row per dimension, copy-fitted; or a series, a poster per row",
    &poster_schema, poster_styles, poster_labels, KIND_ROWS, check, build, split,
};
