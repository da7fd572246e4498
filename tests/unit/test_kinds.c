/* test_kinds: the geometry each document kind draws, read from the display
 * list of the shipped layouts, where a failing reference image would be
 * slow to diagnose: the role card's accent band on both sides, the print
 * handbook's folios and running heads on the outer side of facing pages, the rules between the
 * poster's rows, and crop marks (length, offset, colour) on single pages
 * and on imposed sheets. Runs from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "kinds/kinds.h"
#include "unit/sink.h"

#define MM (72.0 / 25.4)
#define NEAR(a, b) (fabs((a) - (b)) < 0.01)

typedef struct built {
    sink_t sink;
    model_t *model;
    spec_t *spec;
    fontset_t *fonts;
    typeset_t *t;
    kind_layout_t *layout;
    doc_t *doc;
    kind_job_t job;
} built_t;

/* Builds `layout` for every profile and dimension of the shipped data, as
 * `grundlag render` would, and finishes the display list. */
static void build(built_t *b, const char *layout) {
    memset(b, 0, sizeof *b);
    sink_open(&b->sink);
    b->model = model_load("data/ledelsesgrundlag.yaml", b->sink.d);
    b->spec = spec_load(layout, NULL, kind_names(), b->sink.d);
    assert_non_null(b->model);
    assert_non_null(b->spec);
    b->fonts = fontset_new();
    b->t = typeset_new(b->spec, b->model, b->fonts, b->sink.d);
    assert_non_null(b->t);
    const model_t *m = b->model;
    b->job.model = m;
    b->job.spec = b->spec;
    const model_profile_t **p = calloc(m->profile_count, sizeof *p);
    const model_dimension_t **dm = calloc(m->dimension_count, sizeof *dm);
    assert_non_null(p);
    assert_non_null(dm);
    for (size_t i = 0; i < m->profile_count; i++) p[i] = &m->profiles[i];
    for (size_t i = 0; i < m->dimension_count; i++) dm[i] = &m->dimensions[i];
    b->job.profiles = p;
    b->job.profile_count = m->profile_count;
    b->job.dimensions = dm;
    b->job.dimension_count = m->dimension_count;
    b->layout = kind_layout_new(b->spec, m, b->sink.d);
    assert_non_null(b->layout);
    b->doc = kind_render(b->layout, b->t, &b->job, b->sink.d);
    assert_non_null(b->doc);
    assert_true(doc_finish(b->doc));
    assert_string_equal(sink_text(&b->sink), "");
}

static void unbuild(built_t *b) {
    free((void *)b->job.profiles);
    free((void *)b->job.dimensions);
    doc_drop(b->doc);
    kind_layout_drop(b->layout);
    typeset_drop(b->t);
    fontset_drop(b->fonts);
    spec_drop(b->spec);
    model_drop(b->model);
    sink_close(&b->sink);
}

static bool same_colour(colour_t a, colour_t b) {
    return a.space == b.space && memcmp(a.v, b.v, sizeof a.v) == 0;
}

static bool is_registration(colour_t c) { return c.space == COLOUR_REGISTRATION && c.v[0] == 1; }

/* ---- role cards ------------------------------------------------------------ */

/* Every side of a card has one accent band: a filled rectangle across the
 * text width, in its profile's accent, between the title and the first
 * section. The cards have two sides: the back repeats the front's header,
 * title and band, as page furniture. */
static void test_card_accent_band(void **state) {
    (void)state;
    built_t b;
    build(&b, "layouts/role-card.yaml");
    const spec_t *s = b.spec;
    const doc_t *doc = b.doc;
    assert_int_equal(doc->page_count, 2 * b.model->profile_count);
    /* The layout's accents, in data order: the bands must differ. */
    colour_t first = {0};
    bool differ = false;
    const doc_item_t *front_band = NULL;
    for (size_t p = 0; p < doc->page_count; p++) {
        const doc_page_t *pg = &doc->pages[p];
        bool back = p % 2 == 1;
        const doc_item_t *band = NULL;
        size_t rects = 0;
        double title_y = -1, body_top = -1;
        for (size_t k = 0; k < pg->count; k++) {
            const doc_item_t *it = &pg->items[k];
            if (it->kind == DOC_RECT) {
                band = it;
                rects++;
            }
            if (it->kind == DOC_GLYPHS && it->node && doc->nodes[it->node].tag == DOC_TAG_H1) title_y = it->y;
            if (it->kind == DOC_GLYPHS && it->node && doc->nodes[it->node].tag == DOC_TAG_H2 && it->y > body_top)
                body_top = it->y;
            /* the back's title: the largest type, untagged */
            if (back && it->kind == DOC_GLYPHS && !it->node && it->size > 20) title_y = it->y;
        }
        assert_int_equal(rects, 1);
        assert_true(NEAR(band->x, s->page.inner));
        assert_true(NEAR(band->w, s->page.width - s->page.inner - s->page.outer));
        assert_true(band->h >= 1.5 && band->h <= 6);
        assert_true(title_y > 0);
        assert_true(band->y < title_y); /* below the title */
        if (!back) assert_true(band->y + band->h > body_top); /* above the first section head */
        /* the title is set in the band's colour */
        for (size_t k = 0; k < pg->count; k++) {
            const doc_item_t *it = &pg->items[k];
            if (it->kind == DOC_GLYPHS && it->y == title_y) assert_true(same_colour(it->colour, band->colour));
        }
        if (back) {
            assert_true(same_colour(band->colour, front_band->colour));
            assert_true(NEAR(band->y, front_band->y));
        }
        front_band = band;
        if (p == 0) first = band->colour;
        else if (!same_colour(first, band->colour)) differ = true;
    }
    assert_true(differ);
    unbuild(&b);
}

/* ---- handbook --------------------------------------------------------------- */

/* On facing pages the folio and the running head sit on the outer side: at
 * the right margin of a right-hand (odd) page, at the left of a left-hand
 * one; folios at the foot, heads at the top, both page furniture. */
static void test_handbook_furniture_sides(void **state) {
    (void)state;
    built_t b;
    build(&b, "layouts/handbook-print.yaml");
    const spec_t *s = b.spec;
    const doc_t *doc = b.doc;
    assert_true(s->page.facing);
    size_t left[2] = {0, 0}, right[2] = {0, 0}; /* [folio, head] on left- and right-hand pages */
    for (size_t p = 0; p < doc->page_count; p++) {
        const doc_page_t *pg = &doc->pages[p];
        bool right_hand = p % 2 == 0;
        /* Per margin: where the furniture starts and ends. */
        double x0[2] = {INFINITY, INFINITY}, x1[2] = {-INFINITY, -INFINITY};
        for (size_t k = 0; k < pg->count; k++) {
            const doc_item_t *it = &pg->items[k];
            if (it->kind != DOC_GLYPHS || it->node) continue;
            bool foot = it->y < s->page.bottom, top = it->y > s->page.height - s->page.top;
            if (!foot && !top) continue; /* the hyphen a line break adds */
            double end = it->x;
            const font_metrics_t *fm = font_metrics(it->font);
            for (size_t g = 0; g < it->glyph_count; g++) end += it->glyphs[g].advance * it->size / fm->units_per_em;
            int m = top;
            x0[m] = fmin(x0[m], it->x);
            x1[m] = fmax(x1[m], end);
        }
        for (int m = 0; m < 2; m++) {
            if (x0[m] == INFINITY) continue;
            if (right_hand) {
                assert_true(NEAR(x1[m], s->page.width - s->page.outer));
                assert_true(x0[m] > s->page.width / 2);
                right[m]++;
            } else {
                assert_true(NEAR(x0[m], s->page.outer));
                assert_true(x1[m] < s->page.width / 2);
                left[m]++;
            }
        }
    }
    assert_true(left[0] >= 5 && right[0] >= 5); /* folios */
    assert_true(left[1] >= 5 && right[1] >= 5); /* running heads */
    unbuild(&b);
}

/* ---- posters ------------------------------------------------------------------ */

/* A rule between every two rows, across the whole grid (centred on the
 * page: `measure` may make it narrower than the text area), none above the
 * first or below the last. */
static void test_poster_row_rules(void **state) {
    (void)state;
    built_t b;
    build(&b, "layouts/poster-overview.yaml");
    const spec_t *s = b.spec;
    const doc_t *doc = b.doc;
    assert_int_equal(doc->page_count, 1);
    const doc_page_t *pg = &doc->pages[0];
    size_t rules = 0;
    double last_y = INFINITY;
    for (size_t k = 0; k < pg->count; k++) {
        const doc_item_t *it = &pg->items[k];
        if (it->kind == DOC_RULE) {
            rules++;
            double right = s->page.width - s->page.outer;
            assert_true(it->x >= s->page.inner - 0.01 && it->x + it->w <= right + 0.01);
            assert_true(NEAR(it->x - s->page.inner, right - (it->x + it->w)));
            assert_true(it->w > (right - s->page.inner) * 0.8);
            assert_true(NEAR(it->h, 0));
            assert_true(it->line_width > 0.2);
            assert_true(it->y < last_y); /* top to bottom */
            last_y = it->y;
        }
    }
    /* the rows: the shared task, the dimensions and the pitfalls */
    assert_int_equal(rules, b.model->dimension_count + 2 - 1);
    unbuild(&b);
}

/* ---- crop marks ---------------------------------------------------------------- */

/* The marks of one trimmed rectangle (x0, y0)–(x1, y1): two at each corner,
 * each DOC_CROP_LENGTH long, starting DOC_CROP_OFFSET beyond the bleed, on
 * the cut lines, in registration colour. Returns how many were found. */
static size_t corner_marks(const doc_page_t *pg, double x0, double y0, double x1, double y1, double bleed) {
    size_t found = 0;
    double off = bleed + DOC_CROP_OFFSET;
    for (size_t k = 0; k < pg->count; k++) {
        const doc_item_t *it = &pg->items[k];
        if (it->kind != DOC_RULE || !is_registration(it->colour)) continue;
        assert_true(NEAR(it->line_width, DOC_CROP_WIDTH));
        assert_int_equal(it->node, 0);
        double len = hypot(it->w, it->h);
        assert_true(NEAR(len, DOC_CROP_LENGTH));
        bool vertical = NEAR(it->w, 0);
        double lo = vertical ? fmin(it->y, it->y + it->h) : fmin(it->x, it->x + it->w);
        double hi = vertical ? fmax(it->y, it->y + it->h) : fmax(it->x, it->x + it->w);
        double at = vertical ? it->x : it->y;
        double a = vertical ? y0 : x0, z = vertical ? y1 : x1;
        bool on_cut = vertical ? (NEAR(at, x0) || NEAR(at, x1)) : (NEAR(at, y0) || NEAR(at, y1));
        bool outside = NEAR(hi, a - off) || NEAR(lo, z + off);
        if (on_cut && outside) found++;
    }
    return found;
}

static void test_crop_marks_single_pages(void **state) {
    (void)state;
    built_t b;
    build(&b, "layouts/handbook-print.yaml");
    const doc_t *doc = b.doc;
    assert_true(b.spec->page.crop_marks);
    assert_true(b.spec->page.bleed > 0);
    for (size_t p = 0; p < doc->page_count; p++) {
        const doc_page_t *pg = &doc->pages[p];
        assert_int_equal(corner_marks(pg, 0, 0, pg->width, pg->height, pg->bleed), 8);
        /* the media leaves room for the marks */
        assert_true(doc_media_margin(pg) >= pg->bleed + DOC_CROP_OFFSET + DOC_CROP_LENGTH);
    }
    /* finishing twice adds nothing */
    size_t before = doc->pages[0].count;
    assert_true(doc_finish(b.doc));
    assert_int_equal(doc->pages[0].count, before);
    unbuild(&b);
}

/* The A3 sheet of two A5 cards side by side with a 12 mm gap: every cut
 * line of every card is marked outside the block of cards, so no mark runs
 * into a neighbour: four vertical cut lines marked above and below, two
 * horizontal ones marked left and right. */
static void test_crop_marks_sheet(void **state) {
    (void)state;
    built_t b;
    build(&b, "layouts/role-cards-sheet.yaml");
    const doc_t *doc = b.doc;
    assert_int_equal(doc->page_count, 6); /* six A5 cards two-up: three sheets of fronts and backs */
    const double cw = b.spec->page.width, ch = b.spec->page.height, bleed = b.spec->page.bleed, gap = 12 * MM;
    const double off = bleed + DOC_CROP_OFFSET;
    for (size_t p = 0; p < doc->page_count; p++) {
        const doc_page_t *pg = &doc->pages[p];
        double ox = (pg->width - (2 * cw + gap)) / 2, oy = (pg->height - ch) / 2;
        double xs[4] = {ox, ox + cw, ox + cw + gap, ox + 2 * cw + gap}, ys[2] = {oy, oy + ch};
        size_t marks = 0, vertical = 0, horizontal = 0;
        for (size_t k = 0; k < pg->count; k++) {
            const doc_item_t *it = &pg->items[k];
            if (it->kind != DOC_RULE || !is_registration(it->colour)) continue;
            marks++;
            assert_true(NEAR(hypot(it->w, it->h), DOC_CROP_LENGTH));
            assert_true(NEAR(it->line_width, DOC_CROP_WIDTH));
            if (NEAR(it->w, 0)) {
                bool on = false;
                for (int i = 0; i < 4; i++) on |= NEAR(it->x, xs[i]);
                assert_true(on);
                /* from the block's edge plus the offset, away from it */
                assert_true((NEAR(it->y, oy - off) && it->h < 0) || (NEAR(it->y, oy + ch + off) && it->h > 0));
                vertical++;
            } else {
                assert_true(NEAR(it->h, 0));
                assert_true(NEAR(it->y, ys[0]) || NEAR(it->y, ys[1]));
                assert_true((NEAR(it->x, ox - off) && it->w < 0) || (NEAR(it->x, ox + 2 * cw + gap + off) && it->w > 0));
                horizontal++;
            }
        }
        assert_int_equal(vertical, 8);
        assert_int_equal(horizontal, 4);
        assert_int_equal(marks, 12);
    }
    unbuild(&b);
}

/* ---- copy-fitting -------------------------------------------------------- */

/* A trial that fits up to `limit` points of the style's size, its height
 * growing as the square of the size; it also sets a text, so that the
 * trials' parsing is exercised (and `bad` makes that text an error). */
typedef struct fit_probe {
    double base, limit;
    int calls;
    const char *text;
} fit_probe_t;

static bool probe_trial(compose_t *c, void *user, double *need, double *room) {
    fit_probe_t *p = user;
    p->calls++;
    double size = p->base * c->to.scale;
    *need = size * size;
    *room = p->limit * p->limit;
    page_blocks_t blocks = {0};
    model_text_t t = {p->text, {0}};
    bool ok = compose_text(c, &blocks, "bullet", &t, 200, 0, DOC_TAG_P) != NULL;
    page_blocks_free(&blocks);
    return ok;
}

/* The role card built, composing into its document; its bullet style,
 * which the fits below are of. */
static const spec_style_t *fit_setup(built_t *b, compose_t *c) {
    build(b, "layouts/role-card.yaml");
    *c = compose_begin(b->t, b->doc, b->sink.d);
    const spec_style_t *st = spec_find_style(b->spec, "bullet");
    assert_non_null(st);
    return st;
}

/* The largest size on the 0.1 pt grid that fits, the maximum in one trial
 * when it fits there, and a text error reported once, aloud. */
static void test_fit_finds_the_largest_size(void **state) {
    (void)state;
    built_t b;
    compose_t c;
    const spec_style_t *st = fit_setup(&b, &c);
    opt_sizes_t sizes = {8, 28};
    const double limits[] = {8.0, 8.05, 9.37, 12.0, 17.99, 27.9, 28.0, 40.0};
    for (size_t i = 0; i < sizeof limits / sizeof *limits; i++) {
        fit_probe_t p = {st->size, limits[i], 0, "Sætter *retning* og samler organisationen"};
        compose_fit_t fit;
        assert_true(compose_fit(&c, "bullet", sizes, probe_trial, &p, &fit));
        double want = limits[i] >= 28 ? 28 : floor(limits[i] * 10 + 1e-9) / 10;
        assert_true(fabs(fit.scale * st->size - want) < 1e-6);
        if (limits[i] >= 28) assert_int_equal(p.calls, 1); /* the maximum first */
        assert_true(p.calls <= 12);
    }
    /* Below the minimum: no scale, the need and room at the minimum. */
    fit_probe_t small = {st->size, 7.5, 0, "Tekst"};
    compose_fit_t fit;
    assert_true(compose_fit(&c, "bullet", sizes, probe_trial, &small, &fit));
    assert_true(fit.scale == 0);
    assert_true(fabs(fit.need - 64) < 1e-6 && fabs(fit.room - 56.25) < 1e-6);
    assert_string_equal(sink_text(&b.sink), "");
    /* A text error (a character in no font) is no matter of size: reported
     * once, from a last trial made aloud. */
    fit_probe_t bad = {st->size, 20, 0, "smil \xF0\x9F\x98\x80 i ingen skrift"};
    assert_false(compose_fit(&c, "bullet", sizes, probe_trial, &bad, &fit));
    const char *err = sink_text(&b.sink);
    assert_non_null(strstr(err, "error"));
    assert_null(strstr(strstr(err, "error") + 1, "error:"));
    unbuild(&b);
}

/* A trial whose height grows as the cube of the size, recording the sizes
 * tried; `stops` makes it stop short (as the poster grid does) when far
 * too big. */
typedef struct cube_probe {
    double base, limit;
    bool stops;
    double tried[32];
    int calls;
} cube_probe_t;

static bool cube_trial(compose_t *c, void *user, double *need, double *room) {
    cube_probe_t *p = user;
    double size = p->base * c->to.scale;
    if (p->calls < 32) p->tried[p->calls] = size;
    p->calls++;
    *room = p->limit * p->limit * p->limit;
    *need = size * size * size;
    if (p->stops && c->enough_beyond > 0 && *need > c->enough_beyond * *room) {
        *need = c->enough_beyond * *room * 1.01; /* only "at least" */
        c->stopped_short = true;
    }
    return true;
}

/* Whether the maximum's trial stopped short or measured all, the answer is
 * the largest size that fits; and a trial that measured all gives the
 * first guess from the maximum, as before trials could stop (a search
 * that starts elsewhere may answer otherwise where fitting is not
 * monotonic in the size). */
static void test_fit_guess_from_a_measured_maximum(void **state) {
    (void)state;
    built_t b;
    compose_t c;
    const spec_style_t *st = fit_setup(&b, &c);
    opt_sizes_t sizes = {8, 28};
    for (int stops = 0; stops < 2; stops++) {
        cube_probe_t p = {st->size, 12.34, stops != 0, {0}, 0};
        compose_fit_t fit;
        assert_true(compose_fit(&c, "bullet", sizes, cube_trial, &p, &fit));
        assert_true(fabs(fit.scale * st->size - 12.3) < 1e-6);
        assert_true(p.calls >= 3 && fabs(p.tried[0] - 28) < 1e-9 && fabs(p.tried[1] - 8) < 1e-9);
        /* the guess: 28·sqrt(room/need at 28) from the maximum, measured;
         * 8·sqrt(room/need at 8) from the minimum when the maximum stopped */
        double guess = stops ? 8 * sqrt(pow(12.34 / 8, 3)) : 28 * sqrt(pow(12.34 / 28, 3));
        double third = 8 + floor((guess - 8) / 0.1) * 0.1;
        assert_true(fabs(p.tried[2] - third) < 1e-6);
    }
    unbuild(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_card_accent_band),
        cmocka_unit_test(test_handbook_furniture_sides),
        cmocka_unit_test(test_poster_row_rules),
        cmocka_unit_test(test_crop_marks_single_pages),
        cmocka_unit_test(test_crop_marks_sheet),
        cmocka_unit_test(test_fit_finds_the_largest_size),
        cmocka_unit_test(test_fit_guess_from_a_measured_maximum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
