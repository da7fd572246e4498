/* test_kp: the Knuth–Plass breaker on hand-built item lists with asserted
 * break indices. Widths are small integers so each expected answer can be
 * checked by hand; the comments give the arithmetic. Unless a test says
 * otherwise: words are boxes, a space is glue(1, 1, 1) or glue(1, 2, 1), and
 * the paragraph ends with glue(0, 10000, 0) + penalty(-KP_INFINITY).
 * Item indices: word k is item 2k, the space after it item 2k+1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kp.h"

/* ---- building item lists -------------------------------------------------- */

typedef struct list {
    kp_item_t *v;
    size_t n, cap;
} list_t;

static size_t add(list_t *l, kp_item_t it) {
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        assert_non_null(l->v);
    }
    l->v[l->n] = it;
    return l->n++;
}

static size_t box(list_t *l, double w) { return add(l, (kp_item_t){.type = KP_BOX, .width = w}); }

static size_t glue(list_t *l, double w, double y, double z) {
    return add(l, (kp_item_t){.type = KP_GLUE, .width = w, .stretch = y, .shrink = z});
}

static size_t pen(list_t *l, double p, double w, bool flagged) {
    return add(l, (kp_item_t){.type = KP_PENALTY, .width = w, .penalty = p, .flagged = flagged});
}

/* n words of width w[i] separated by glue(1, y, z), no space after the last. */
static void words(list_t *l, const double *w, size_t n, double y, double z) {
    for (size_t i = 0; i < n; i++) {
        box(l, w[i]);
        if (i + 1 < n) glue(l, 1, y, z);
    }
}

static void same_words(list_t *l, double w, size_t n, double y, double z) {
    for (size_t i = 0; i < n; i++) {
        box(l, w);
        if (i + 1 < n) glue(l, 1, y, z);
    }
}

static size_t finish(list_t *l) {
    glue(l, 0, 10000, 0);
    return pen(l, -KP_INFINITY, 0, false);
}

static double fixed_width(size_t line, void *ctx) {
    (void)line;
    return *(const double *)ctx;
}

static void assert_breaks(const kp_result_t *r, const size_t *want, size_t n) {
    for (size_t i = 0; i < r->count && i < n; i++)
        if (r->breaks[i].index != want[i])
            fail_msg("break %zu: got item %zu, want %zu", i, r->breaks[i].index, want[i]);
    assert_int_equal(r->count, n);
}

static bool has_break(const kp_result_t *r, size_t index) {
    for (size_t i = 0; i < r->count; i++)
        if (r->breaks[i].index == index) return true;
    return false;
}

/* The line ending at item `to`, after a break at `from` (SIZE_MAX = the
 * paragraph start), measured from scratch, independently of kp.c: glue and
 * penalties after a break vanish up to the next box or forced break. */
static void measure_line(const list_t *l, size_t from, size_t to, double *nat, double *y, double *z) {
    size_t i = 0;
    if (from != SIZE_MAX) {
        i = from + 1;
        while (i < to && l->v[i].type != KP_BOX &&
               !(l->v[i].type == KP_PENALTY && l->v[i].penalty <= -KP_INFINITY))
            i++;
    }
    *nat = *y = *z = 0;
    for (; i < to; i++) {
        const kp_item_t *it = &l->v[i];
        if (it->type == KP_PENALTY) continue;
        *nat += it->width;
        if (it->type == KP_GLUE) *y += it->stretch, *z += it->shrink;
    }
    if (to < l->n && l->v[to].type == KP_PENALTY) *nat += l->v[to].width;
}

/* First fit, the way a simple typesetter does it: fill each line with as
 * much as fits at natural width, break at the last breakpoint that fitted.
 * Returns the number of breaks written to out. */
static size_t greedy(const list_t *l, double width, size_t *out) {
    size_t count = 0, from = SIZE_MAX, last_fit = SIZE_MAX;
    for (size_t i = 0; i < l->n; i++) {
        const kp_item_t *it = &l->v[i];
        bool legal = (it->type == KP_GLUE && i > 0 && l->v[i - 1].type == KP_BOX) ||
                     (it->type == KP_PENALTY && it->penalty < KP_INFINITY);
        if (!legal) continue;
        double nat, y, z;
        measure_line(l, from, i, &nat, &y, &z);
        if (nat > width && last_fit != SIZE_MAX) {
            out[count++] = from = last_fit;
            last_fit = SIZE_MAX;
            measure_line(l, from, i, &nat, &y, &z);
        }
        if (nat <= width) last_fit = i;
        if (it->type == KP_PENALTY && it->penalty <= -KP_INFINITY) {
            out[count++] = from = i;
            last_fit = SIZE_MAX;
        }
    }
    return count;
}

static double tolerance_ratio(const kp_params_t *p) { return cbrt(p->tolerance / 100.0); }

/* ---- tests --------------------------------------------------------------- */

static void test_defaults(void **state) {
    (void)state;
    kp_params_t p = kp_params_default();
    assert_true(p.tolerance == 200 && p.pretolerance == 100 && p.line_penalty == 10);
    assert_true(p.flagged_demerits == 3000 && p.fitness_demerits == 3000);
    assert_int_equal(p.looseness, 0);
    assert_true(p.emergency_stretch == 0);
    kp_result_t r;
    double w = 10;
    assert_true(kp_break_paragraph(NULL, 0, fixed_width, &w, &p, &r));
    assert_int_equal(r.count, 0);
    assert_false(r.overfull);
    kp_result_free(&r);
}

/* (a) Measure 24, spaces glue(1, 1, 0), words 2 3 3 4 5 2 6 5 7 4 4.
 * First fit: "2 3 3 4 5 2" is exactly 24 (5 spaces), then "6 5 7" is 20 with
 * 2 spaces to stretch 4: ratio 2.0, badness 800, beyond tolerance.
 * Total fit: "2 3 3 4 5" = 21, ratio 0.75 (badness 42), then "2 6 5 7" = 23,
 * ratio 0.33: both lines acceptable. */
static void test_total_fit_beats_first_fit(void **state) {
    (void)state;
    const double w[] = {2, 3, 3, 4, 5, 2, 6, 5, 7, 4, 4};
    list_t l = {0};
    words(&l, w, 11, 1, 0);
    size_t end = finish(&l);
    assert_int_equal(end, 22);
    double measure = 24;

    size_t g[8];
    size_t ng = greedy(&l, measure, g);
    assert_int_equal(ng, 3);
    assert_int_equal(g[0], 11); /* after word 5 */
    assert_int_equal(g[1], 17); /* after word 8 */
    assert_int_equal(g[2], 22);
    double nat, y, z;
    measure_line(&l, g[0], g[1], &nat, &y, &z);
    assert_true((measure - nat) / y == 2.0);

    kp_params_t p = kp_params_default();
    kp_result_t r;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){9, 17, 22}, 3);
    assert_false(r.overfull);
    assert_true(fabs(r.breaks[0].ratio - 0.75) < 1e-9);
    assert_int_equal(r.breaks[0].fitness, KP_FIT_LOOSE);
    assert_true(fabs(r.breaks[1].ratio - 1.0 / 3.0) < 1e-9);
    assert_int_equal(r.breaks[1].fitness, KP_FIT_DECENT);
    /* (10+42.19)^2 + (10+3.70)^2 + (10+0)^2, no fitness jumps > 1 */
    assert_true(fabs(r.demerits - (pow(10 + 100 * 0.421875, 2) + pow(10 + 100 / 27.0, 2) + 100)) < 1e-3);
    assert_true(r.breaks[0].index != g[0]);
    kp_result_free(&r);
    free(l.v);
}

/* (b) A forced break ends a line however short it is: "4 4 4" then
 * glue(0,10000) + penalty(-inf) (a manual line break), then 10 more words. */
static void test_forced_break(void **state) {
    (void)state;
    list_t l = {0};
    same_words(&l, 4, 3, 2, 1);
    glue(&l, 0, 10000, 0);
    size_t forced = pen(&l, -KP_INFINITY, 0, false);
    same_words(&l, 4, 10, 2, 1);
    size_t end = finish(&l);
    double measure = 24;
    kp_params_t p = kp_params_default();
    kp_result_t r;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    /* then 5 + 5 words exactly fill two lines: break at the 5th space */
    assert_breaks(&r, (const size_t[]){forced, forced + 10, end}, 3);
    assert_false(r.overfull);
    kp_result_free(&r);

    /* Without the filling glue the forced line "4 4 4" is 14 wide with 4 of
     * stretch (ratio 2.5): infeasible, but a forced break is not optional.
     * The last-resort pass takes it (underfull, not overfull). */
    list_t m = {0};
    same_words(&m, 4, 3, 2, 1);
    forced = pen(&m, -KP_INFINITY, 0, false);
    same_words(&m, 4, 5, 2, 1);
    end = finish(&m);
    assert_true(kp_break_paragraph(m.v, m.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){forced, end}, 2);
    assert_false(r.overfull);
    assert_true(fabs(r.breaks[0].ratio - 2.5) < 1e-9);
    kp_result_free(&r);
    free(l.v);
    free(m.v);
}

/* (c) Ten words of 4 with glue(1, 2, 1) at measure 24: 5 + 5 fit exactly.
 * Tie the fifth space (penalty(+inf) before it, so the glue no longer
 * follows a box and the penalty itself may not break): the best is then
 * 4 words (ratio 0.83) + 5 words (exact) + 1 word. */
static void test_forbidden_break(void **state) {
    (void)state;
    double measure = 24;
    kp_params_t p = kp_params_default();
    kp_result_t r;

    list_t free_list = {0};
    same_words(&free_list, 4, 10, 2, 1);
    size_t end = finish(&free_list);
    assert_true(kp_break_paragraph(free_list.v, free_list.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){9, end}, 2);
    kp_result_free(&r);

    list_t l = {0};
    same_words(&l, 4, 5, 2, 1);
    size_t tie = pen(&l, KP_INFINITY, 0, false);
    size_t tied_glue = glue(&l, 1, 2, 1);
    same_words(&l, 4, 5, 2, 1);
    end = finish(&l);
    assert_int_equal(tie, 9);
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_false(has_break(&r, tie));
    assert_false(has_break(&r, tied_glue));
    /* breaks after word 3 (item 7) and word 8 (item 2*8+1+1: the tie shifts it) */
    assert_breaks(&r, (const size_t[]){7, 18, end}, 3);
    assert_false(r.overfull);
    assert_true(fabs(r.breaks[0].ratio - 5.0 / 6.0) < 1e-9);
    kp_result_free(&r);

    /* A penalty >= KP_INFINITY is never a break even when that means an
     * overfull line: one 30-wide "word" made of two boxes. */
    list_t o = {0};
    box(&o, 15);
    pen(&o, KP_INFINITY, 0, false);
    box(&o, 15);
    end = finish(&o);
    assert_true(kp_break_paragraph(o.v, o.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){end}, 1);
    assert_true(r.overfull);
    kp_result_free(&r);
    free(free_list.v);
    free(l.v);
    free(o.v);
}

/* Adds a 9-wide word hyphenatable as 3 + hyphen(1) + 6; returns the
 * hyphen's penalty index. */
static size_t hyphenated_word(list_t *l, double first, double second) {
    box(l, first);
    size_t h = pen(l, 50, 1, true);
    box(l, second);
    return h;
}

/* (d) A flagged hyphen penalty (50, width 1) is chosen only when it helps. */
static void test_hyphen_only_when_it_improves(void **state) {
    (void)state;
    double measure = 24;
    kp_result_t r;

    /* Helps: "4 4 4 4 3-" is exactly 24. Without the hyphen line 1 is either
     * "4 4 4 4" (19 with 3 of stretch: ratio 1.67, badness 463, beyond
     * tolerance) or "4 4 4 4 9" (29 with 4 of shrink: overfull). */
    list_t a = {0};
    same_words(&a, 4, 4, 1, 1);
    glue(&a, 1, 1, 1);
    size_t hy = hyphenated_word(&a, 3, 6);
    glue(&a, 1, 1, 1);
    same_words(&a, 4, 2, 1, 1);
    size_t end = finish(&a);
    kp_params_t p = kp_params_default();
    assert_true(kp_break_paragraph(a.v, a.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){hy, end}, 2);
    assert_true(fabs(r.breaks[0].ratio) < 1e-9);
    kp_result_free(&r);

    /* Does not help: "4 4 4 4 4" is exactly 24; the hyphen would give
     * "4 4 4 4 4 3-" = 29 with 5 of shrink (ratio -1, feasible, badness 100).
     * Only one pass (pretolerance -1), so it is the demerits that decide. */
    list_t b = {0};
    same_words(&b, 4, 5, 2, 1);
    glue(&b, 1, 2, 1);
    hy = hyphenated_word(&b, 3, 6);
    glue(&b, 1, 2, 1);
    same_words(&b, 4, 2, 2, 1);
    end = finish(&b);
    p.pretolerance = -1;
    assert_true(kp_break_paragraph(b.v, b.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){9, end}, 2);
    assert_false(has_break(&r, hy));
    kp_result_free(&r);
    free(a.v);
    free(b.v);
}

/* Pretolerance: a paragraph that sets within pretolerance without hyphens
 * gets none, even if hyphenating would score better (TeX's first pass). */
static void test_pretolerance_pass_avoids_hyphens(void **state) {
    (void)state;
    double measure = 24;
    kp_result_t r;
    /* as the first case above but spaces stretch 2: "4 4 4 4" has ratio
     * 0.83 (badness 57), within pretolerance 100 */
    list_t a = {0};
    same_words(&a, 4, 4, 2, 1);
    glue(&a, 1, 2, 1);
    size_t hy = hyphenated_word(&a, 3, 6);
    glue(&a, 1, 2, 1);
    same_words(&a, 4, 2, 2, 1);
    size_t end = finish(&a);
    kp_params_t p = kp_params_default();
    p.final_hyphen_demerits = 0; /* this is about the passes; see test_final_hyphen_demerits */
    assert_true(kp_break_paragraph(a.v, a.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){7, end}, 2);
    kp_result_free(&r);
    /* skipping the first pass, the hyphen wins: 2600 < (10+57.9)^2 = 4608 */
    p.pretolerance = -1;
    assert_true(kp_break_paragraph(a.v, a.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){hy, end}, 2);
    kp_result_free(&r);
    free(a.v);
}

/* A flagged zero-width penalty (after an explicit hyphen, the "-" being in
 * the box before it) is not a hyphenation candidate: the first pass may
 * break there. Line 1 can end at the explicit hyphen X ("4 4 4 3-" = 18,
 * ratio 0.8, badness 51: within pretolerance) or at a hyphenation candidate
 * H one box later (25 with 3 of shrink: badness 3.7, better). Pass 1 sees
 * only X; had it refused X it would have failed and pass 2 taken H. */
static void test_explicit_hyphen_in_first_pass(void **state) {
    (void)state;
    double measure = 24;
    list_t l = {0};
    same_words(&l, 4, 3, 2.5, 1);
    glue(&l, 1, 2.5, 1);
    box(&l, 3);
    size_t x = pen(&l, 50, 0, true);
    box(&l, 6);
    size_t h = pen(&l, 50, 1, true);
    box(&l, 4);
    glue(&l, 1, 2.5, 1);
    same_words(&l, 4, 2, 2.5, 1);
    size_t end = finish(&l);
    kp_params_t p = kp_params_default();
    kp_result_t r;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){x, end}, 2);
    assert_true(fabs(r.breaks[0].ratio - 0.8) < 1e-9);
    kp_result_free(&r);
    p.pretolerance = -1;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){h, end}, 2);
    kp_result_free(&r);
    free(l.v);
}

/* Two hyphenated lines in a row cost flagged_demerits. Line 1 must end
 * "4 4 4 4 3-" (24). Line 2 can end "6 4 4 6-" (24, d = 2600 + flagged) or
 * "6 4 4 9.5" (26.5 with 3 of shrink: ratio -0.83, badness 57.9, d = 4606). */
static void test_flagged_demerits(void **state) {
    (void)state;
    double measure = 24;
    list_t l = {0};
    same_words(&l, 4, 4, 1, 1);
    glue(&l, 1, 1, 1);
    size_t h1 = hyphenated_word(&l, 3, 6);
    glue(&l, 1, 1, 1);
    same_words(&l, 4, 2, 1, 1);
    glue(&l, 1, 1, 1);
    size_t h2 = hyphenated_word(&l, 6, 3.5);
    size_t after_word = glue(&l, 1, 1, 1);
    same_words(&l, 4, 2, 1, 1);
    size_t end = finish(&l);
    kp_params_t p = kp_params_default();
    kp_result_t r;
    p.final_hyphen_demerits = 0; /* h2 ends the line before the last */
    p.flagged_demerits = 0;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){h1, h2, end}, 3);
    kp_result_free(&r);
    p.flagged_demerits = 3000;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){h1, after_word, end}, 3);
    assert_int_equal(r.breaks[1].fitness, KP_FIT_TIGHT);
    kp_result_free(&r);
    free(l.v);
}

/* A hyphen on the line before the last costs final_hyphen_demerits: the
 * case of test_pretolerance_pass_avoids_hyphens without its first pass,
 * where the hyphen wins by 2600 against 4608 demerits — until the final
 * hyphen adds 5000. */
static void test_final_hyphen_demerits(void **state) {
    (void)state;
    double measure = 24;
    kp_result_t r;
    list_t a = {0};
    same_words(&a, 4, 4, 2, 1);
    glue(&a, 1, 2, 1);
    size_t hy = hyphenated_word(&a, 3, 6);
    glue(&a, 1, 2, 1);
    same_words(&a, 4, 2, 2, 1);
    size_t end = finish(&a);
    kp_params_t p = kp_params_default();
    p.pretolerance = -1;
    p.final_hyphen_demerits = 0;
    assert_true(kp_break_paragraph(a.v, a.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){hy, end}, 2);
    kp_result_free(&r);
    p.final_hyphen_demerits = 5000;
    assert_true(kp_break_paragraph(a.v, a.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){7, end}, 2);
    kp_result_free(&r);
    free(a.v);
}

/* Adjacent lines more than one fitness class apart cost fitness_demerits.
 * Words 4 3 6 2 2 6 7 3 3 3 3 6, glue(1, 1, 1), measure 24.
 * A: "4 3 6 2 2" (21: ratio 0.75, badness 42.2, loose) then "6 7 3 3 3"
 *    (26: ratio -0.5, badness 12.5, tight): 52.2^2 + 22.5^2 + 10^2 = 3330,
 *    plus fitness_demerits for loose -> tight.
 * B: "4 3 6 2 2 6" (28: ratio -0.8, badness 51.2, tight) then "7 3 3 3 3"
 *    (23: ratio 0.25, decent): 61.2^2 + 11.56^2 + 10^2 = 3979. */
static void test_fitness_demerits(void **state) {
    (void)state;
    const double w[] = {4, 3, 6, 2, 2, 6, 7, 3, 3, 3, 3, 6};
    list_t l = {0};
    words(&l, w, 12, 1, 1);
    size_t end = finish(&l);
    double measure = 24;
    kp_params_t p = kp_params_default();
    p.pretolerance = -1;
    kp_result_t r;
    p.fitness_demerits = 0;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){9, 19, end}, 3);
    assert_int_equal(r.breaks[0].fitness, KP_FIT_LOOSE);
    assert_int_equal(r.breaks[1].fitness, KP_FIT_TIGHT);
    kp_result_free(&r);
    p.fitness_demerits = 3000;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){11, 21, end}, 3);
    assert_int_equal(r.breaks[0].fitness, KP_FIT_TIGHT);
    assert_int_equal(r.breaks[1].fitness, KP_FIT_DECENT);
    assert_true(fabs(r.breaks[0].ratio + 0.8) < 1e-9);
    kp_result_free(&r);
    free(l.v);
}

/* A break must be remembered in every fitness class that could still win,
 * not just the cheapest. Words 7 7 6 3 2 4 6 6 7 4 4, glue(1, 1, 1), 24.
 * At the break after word 7 two paths arrive: via "7 7 6 3" (tight) +
 * "2 4 6 6" (very loose), 16670.5 so far, and via "7 7 6" (very loose) +
 * "3 2 4 6 6" (decent), 18233.7. The last line is decent, so the cheaper
 * path pays 3000 more there: the decent one wins, 18333.7 against 19770.5. */
static void test_keeps_every_fitness_class(void **state) {
    (void)state;
    const double w[] = {7, 7, 6, 3, 2, 4, 6, 6, 7, 4, 4};
    list_t l = {0};
    words(&l, w, 11, 1, 1);
    size_t end = finish(&l);
    double measure = 24;
    kp_params_t p = kp_params_default();
    p.pretolerance = -1;
    kp_result_t r;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){5, 15, end}, 3);
    assert_int_equal(r.breaks[0].fitness, KP_FIT_VERY_LOOSE);
    assert_int_equal(r.breaks[1].fitness, KP_FIT_DECENT);
    assert_true(fabs(r.demerits - (12100 + 3000 + pow(10 + 100 / 64.0, 2) + 3000 + 100)) < 1e-3);
    kp_result_free(&r);
    free(l.v);
}

/* A negative penalty attracts a break: ten words of 4, glue(1, 2, 1), at
 * 24 set 5 + 5 exactly; penalty(-200) after the fourth word pulls line 1
 * to "4 4 4 4" ((10+57.9)^2 - 200^2 < 0), then 5 + 1. */
static void test_negative_penalty(void **state) {
    (void)state;
    double measure = 24;
    kp_params_t p = kp_params_default();
    kp_result_t r;
    for (int variant = 0; variant < 2; variant++) {
        list_t l = {0};
        same_words(&l, 4, 4, 2, 1);
        size_t at = pen(&l, variant ? -200 : 0, 0, false);
        glue(&l, 1, 2, 1);
        same_words(&l, 4, 6, 2, 1);
        size_t end = finish(&l);
        assert_int_equal(at, 7);
        assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
        if (variant) assert_breaks(&r, (const size_t[]){7, 18, end}, 3);
        else assert_breaks(&r, (const size_t[]){10, end}, 2);
        kp_result_free(&r);
        free(l.v);
    }
}

/* (e) Looseness. 14 words of 4 with glue(1, 3, 1) at measure 24: the
 * optimum is 5 + 5 + 4 words (two exact lines). One line more is feasible:
 * lines of 4 words are 19 wide with 9 of stretch (ratio 5/9, badness 17.1).
 * The best four-line settings (5+4+4+1 and its permutations) cost
 * 10^2 + 2 (10 + 17.1)^2 + 10^2. Lines of 3 words (ratio 1.67) or 7 words
 * (overfull) are infeasible, so 4 lines is also the most there can be. */
static void test_looseness(void **state) {
    (void)state;
    double measure = 24;
    list_t l = {0};
    same_words(&l, 4, 14, 3, 1);
    size_t end = finish(&l);
    kp_params_t p = kp_params_default();
    kp_result_t r;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){9, 19, end}, 3);
    size_t optimum = r.count;
    kp_result_free(&r);

    p.looseness = 1;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_int_equal(r.count, optimum + 1);
    assert_false(r.overfull);
    for (size_t i = 0; i < r.count; i++) assert_true(r.breaks[i].ratio <= tolerance_ratio(&p));
    assert_int_equal(r.breaks[r.count - 1].index, end);
    double b4 = 100 * pow(5.0 / 9.0, 3);
    assert_true(fabs(r.demerits - (200 + 2 * pow(10 + b4, 2))) < 1e-3);
    kp_result_free(&r);

    /* one line fewer: 7 + 7 words, each 34 wide with 6 of shrink: overfull,
     * so not feasible; looseness -1 then stays at the optimum */
    p.looseness = -1;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_int_equal(r.count, optimum);
    assert_false(r.overfull);
    kp_result_free(&r);

    /* far more lines than possible: as many as are feasible, never the
     * last-resort pass's awful ones */
    p.looseness = 10;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_int_equal(r.count, optimum + 1);
    assert_false(r.overfull);
    for (size_t i = 0; i < r.count; i++) assert_true(r.breaks[i].ratio <= tolerance_ratio(&p));
    kp_result_free(&r);
    free(l.v);
}

/* Looseness -1 where it is feasible: 12 words of 4, glue(1, 2, 1.5) at 24.
 * Optimum 5 + 5 + 2; two lines must be 6 + 6 (29 with 7.5 of shrink: ratio
 * -2/3, badness 29.6; 7 words would be overfull). */
static void test_looseness_minus_one(void **state) {
    (void)state;
    double measure = 24;
    list_t l = {0};
    same_words(&l, 4, 12, 2, 1.5);
    size_t end = finish(&l);
    kp_params_t p = kp_params_default();
    kp_result_t r;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){9, 19, end}, 3);
    kp_result_free(&r);
    p.looseness = -1;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){11, end}, 2);
    assert_true(fabs(r.breaks[0].ratio + 2.0 / 3.0) < 1e-9);
    assert_int_equal(r.breaks[0].fitness, KP_FIT_TIGHT);
    kp_result_free(&r);
    free(l.v);
}

static double hanging(size_t line, void *ctx) {
    (void)ctx;
    return line == 0 ? 14 : 24;
}

static double widening(size_t line, void *ctx) {
    int *calls = ctx;
    (*calls)++;
    return 9 + 5.0 * (double)line;
}

/* (f) Line widths from the callback. Words of 4, glue(1, 2, 1). */
static void test_varying_widths(void **state) {
    (void)state;
    kp_params_t p = kp_params_default();
    kp_result_t r;
    /* 13 words. First line 14 wide (3 words exactly), then 24 (5 words):
     * 3 + 5 + 5. At a constant 24 it would be 5 + 5 + 3. */
    list_t l = {0};
    same_words(&l, 4, 13, 2, 1);
    size_t end = finish(&l);
    assert_true(kp_break_paragraph(l.v, l.n, hanging, NULL, &p, &r));
    assert_breaks(&r, (const size_t[]){5, 15, end}, 3);
    for (size_t i = 0; i < 2; i++) assert_true(fabs(r.breaks[i].ratio) < 1e-9);
    kp_result_free(&r);
    double measure = 24;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){9, 19, end}, 3);
    kp_result_free(&r);

    /* 14 words, every line 5 wider than the one before (9, 14, 19, 24): 2 +
     * 3 + 4 + 5 words, each exact. No two lines share a width here, so line
     * numbers must be kept apart all the way. */
    list_t m = {0};
    same_words(&m, 4, 14, 2, 1);
    end = finish(&m);
    int calls = 0;
    assert_true(kp_break_paragraph(m.v, m.n, widening, &calls, &p, &r));
    assert_breaks(&r, (const size_t[]){3, 9, 17, end}, 4);
    assert_true(calls > 0);
    for (size_t i = 0; i < 3; i++) assert_true(fabs(r.breaks[i].ratio) < 1e-9);
    kp_result_free(&r);
    free(l.v);
    free(m.v);
}

/* (g) A 30-wide box at measure 20. Nothing is feasible, so the last-resort
 * pass runs: "3 3" (underfull: ratio 13), the box alone (overfull, set at
 * ratio -1), "3 3". */
static void test_overfull(void **state) {
    (void)state;
    double measure = 20;
    list_t l = {0};
    box(&l, 3);
    glue(&l, 1, 1, 1);
    box(&l, 3);
    glue(&l, 1, 1, 1);
    size_t wide = box(&l, 30);
    glue(&l, 1, 1, 1);
    box(&l, 3);
    glue(&l, 1, 1, 1);
    box(&l, 3);
    size_t end = finish(&l);
    kp_params_t p = kp_params_default();
    kp_result_t r;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_true(r.overfull);
    assert_breaks(&r, (const size_t[]){wide - 1, wide + 1, end}, 3);
    assert_true(r.breaks[1].ratio == -1);
    assert_true(fabs(r.breaks[0].ratio - 13) < 1e-9);
    kp_result_free(&r);

    /* emergency stretch does not make a too-wide box fit */
    p.emergency_stretch = 100;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_true(r.overfull);
    assert_true(has_break(&r, wide + 1));
    kp_result_free(&r);

    /* the same paragraph at measure 40 is fine */
    measure = 40;
    p = kp_params_default();
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_false(r.overfull);
    kp_result_free(&r);

    /* a lone box too wide; and one with no final penalty at all (the
     * breaker supplies the end, at index n) */
    list_t o = {0};
    box(&o, 30);
    measure = 20;
    assert_true(kp_break_paragraph(o.v, o.n, fixed_width, &measure, &p, &r));
    assert_true(r.overfull);
    assert_breaks(&r, (const size_t[]){1}, 1);
    kp_result_free(&r);
    free(l.v);
    free(o.v);
}

/* Emergency stretch: 8 words of 4 with stiff spaces glue(1, 0.5, 0) at
 * measure 22. Four words are 19 wide with 1.5 of stretch (ratio 2), five are
 * 24 and cannot shrink: nothing is feasible within tolerance. With 10 of
 * emergency stretch "4 4 4 4" has badness 100 (3/11.5)^3 = 1.8, so the
 * emergency pass finds 4 + 4, set at its true ratio 2 (underfull, not
 * overfull). */
static void test_emergency_stretch(void **state) {
    (void)state;
    double measure = 22;
    list_t l = {0};
    same_words(&l, 4, 8, 0.5, 0);
    size_t end = finish(&l);
    kp_params_t p = kp_params_default();
    p.emergency_stretch = 10;
    kp_result_t r;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_false(r.overfull);
    assert_breaks(&r, (const size_t[]){7, end}, 2);
    assert_true(fabs(r.breaks[0].ratio - 2) < 1e-9);
    kp_result_free(&r);
    free(l.v);
}

/* Emergency stretch spreads the looseness. Words 6 7 4 6 4 6 3 2 5 5,
 * stiff spaces glue(1, 0.5, 0.5), measure 24: no solution within tolerance.
 * Without it the last resort puts everything into one line, "6 7" (ratio
 * 20; every stretched line beyond badness 10000 costs the same), and sets
 * the rest well. With 6 of emergency stretch, "6 7 4" (ratio 5, counted as
 * 5/7 = 0.71) and "6 4 6 3" (ratio 1.33) share it. */
static void test_emergency_stretch_spreads(void **state) {
    (void)state;
    const double w[] = {6, 7, 4, 6, 4, 6, 3, 2, 5, 5};
    list_t l = {0};
    words(&l, w, 10, 0.5, 0.5);
    size_t end = finish(&l);
    double measure = 24;
    kp_params_t p = kp_params_default();
    kp_result_t r;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){3, 11, end}, 3);
    assert_true(fabs(r.breaks[0].ratio - 20) < 1e-9);
    assert_false(r.overfull);
    kp_result_free(&r);
    p.emergency_stretch = 6;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){5, 13, end}, 3);
    assert_true(fabs(r.breaks[0].ratio - 5) < 1e-9);
    assert_true(fabs(r.breaks[1].ratio - 4.0 / 3.0) < 1e-9);
    assert_false(r.overfull);
    kp_result_free(&r);
    free(l.v);
}

/* Glue never shrinks by more than its shrink, whatever the tolerance would
 * allow: ten words of 5, glue(1, 0.5, 0.7), measure 26. Five words are 29
 * with 2.8 of shrink (ratio -1.07 would be badness 123, "within" tolerance
 * 200, but it is overfull); four are 23 with 1.5 of stretch (ratio 2). So
 * the last resort sets 4 + 4 + 2, underfull, not 5 + 5. */
static void test_never_shrinks_past_shrink(void **state) {
    (void)state;
    list_t l = {0};
    same_words(&l, 5, 10, 0.5, 0.7);
    size_t end = finish(&l);
    double measure = 26;
    kp_params_t p = kp_params_default();
    kp_result_t r;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_breaks(&r, (const size_t[]){7, 15, end}, 3);
    assert_false(r.overfull);
    size_t from = SIZE_MAX;
    for (size_t i = 0; i < r.count; i++) {
        double nat, y, z;
        measure_line(&l, from, r.breaks[i].index, &nat, &y, &z);
        assert_true(nat - z <= measure);
        assert_true(r.breaks[i].ratio >= -1);
        from = r.breaks[i].index;
    }
    assert_true(fabs(r.breaks[0].ratio - 2) < 1e-9);
    kp_result_free(&r);
    free(l.v);
}

/* Boxes may stretch and shrink (font expansion): two words of 10 with a
 * stiff space glue(1, 0.5, 0) are 21 wide at measure 20. With no give in the
 * boxes the line is overfull, so they go on two lines; when each box may
 * shrink by 1, the pair fits on one line at ratio -0.5 (1 of 2). */
static void test_box_stretch_and_shrink(void **state) {
    (void)state;
    for (int give = 0; give < 2; give++) {
        list_t l = {0};
        add(&l, (kp_item_t){.type = KP_BOX, .width = 10, .stretch = give, .shrink = give});
        glue(&l, 1, 0.5, 0);
        add(&l, (kp_item_t){.type = KP_BOX, .width = 10, .stretch = give, .shrink = give});
        size_t end = finish(&l);
        double measure = 20;
        kp_params_t p = kp_params_default();
        kp_result_t r;
        assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
        assert_false(r.overfull);
        if (give) {
            assert_breaks(&r, (const size_t[]){end}, 1);
        } else {
            assert_breaks(&r, (const size_t[]){1, end}, 2);
        }
        if (give) assert_true(fabs(r.breaks[0].ratio + 0.5) < 1e-9);
        kp_result_free(&r);
        free(l.v);
    }
}

/* Ragged right as Knuth–Plass build it: each space is glue(0, 6, 0)
 * penalty(0) glue(1, -6, 0); unbroken the stretches cancel, at a break the
 * line keeps 6 of stretch. Words of 4 at measure 24 and some of 3. */
static void test_ragged_right(void **state) {
    (void)state;
    const double w[] = {4, 3, 4, 4, 3, 4, 4, 4, 3, 3, 4, 4, 4, 3, 4, 4};
    size_t nw = sizeof w / sizeof w[0];
    list_t l = {0};
    for (size_t i = 0; i < nw; i++) {
        box(&l, w[i]);
        if (i + 1 < nw) {
            glue(&l, 0, 6, 0);
            pen(&l, 0, 0, false);
            glue(&l, 1, -6, 0);
        }
    }
    glue(&l, 0, 10000, 0);
    size_t end = pen(&l, -KP_INFINITY, 0, false);
    double measure = 24;
    kp_params_t p = kp_params_default();
    kp_result_t r;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_false(r.overfull);
    assert_int_equal(r.breaks[r.count - 1].index, end);
    size_t from = SIZE_MAX;
    for (size_t i = 0; i < r.count; i++) {
        size_t b = r.breaks[i].index;
        /* a break at the ragged glue itself would leave no stretch */
        if (i + 1 < r.count) assert_int_equal(l.v[b].type, KP_PENALTY);
        double nat, y, z;
        measure_line(&l, from, b, &nat, &y, &z);
        assert_true(nat <= measure);
        if (i + 1 < r.count) assert_true(y == 6);
        from = b;
    }
    kp_result_free(&r);
    free(l.v);
}

/* (h) 20,000 words. Every line must come out within tolerance, and each
 * reported ratio must agree with the line recomputed from the items. */
static void test_long_paragraph(void **state) {
    (void)state;
    list_t l = {0};
    uint32_t seed = 12345;
    for (size_t i = 0; i < 20000; i++) {
        seed = seed * 1664525u + 1013904223u; /* deterministic LCG */
        box(&l, 10 + (double)((seed >> 16) % 41));
        if (i + 1 < 20000) glue(&l, 8, 6, 3);
    }
    size_t end = finish(&l);
    double measure = 400;
    kp_params_t p = kp_params_default();
    kp_result_t r;
    assert_true(kp_break_paragraph(l.v, l.n, fixed_width, &measure, &p, &r));
    assert_false(r.overfull);
    assert_true(r.count > 1000);
    assert_int_equal(r.breaks[r.count - 1].index, end);
    double tr = tolerance_ratio(&p);
    size_t from = SIZE_MAX;
    for (size_t i = 0; i < r.count; i++) {
        double ratio = r.breaks[i].ratio;
        assert_true(ratio >= -1 && ratio <= tr);
        double nat, y, z;
        measure_line(&l, from, r.breaks[i].index, &nat, &y, &z);
        double expect = nat <= measure ? (measure - nat) / y : (measure - nat) / z;
        assert_true(fabs(expect - ratio) < 1e-6);
        assert_true(i == 0 || r.breaks[i].index > r.breaks[i - 1].index);
        from = r.breaks[i].index;
    }
    kp_result_free(&r);
    free(l.v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_total_fit_beats_first_fit),
        cmocka_unit_test(test_forced_break),
        cmocka_unit_test(test_forbidden_break),
        cmocka_unit_test(test_hyphen_only_when_it_improves),
        cmocka_unit_test(test_pretolerance_pass_avoids_hyphens),
        cmocka_unit_test(test_explicit_hyphen_in_first_pass),
        cmocka_unit_test(test_flagged_demerits),
        cmocka_unit_test(test_final_hyphen_demerits),
        cmocka_unit_test(test_fitness_demerits),
        cmocka_unit_test(test_keeps_every_fitness_class),
        cmocka_unit_test(test_negative_penalty),
        cmocka_unit_test(test_looseness),
        cmocka_unit_test(test_looseness_minus_one),
        cmocka_unit_test(test_varying_widths),
        cmocka_unit_test(test_overfull),
        cmocka_unit_test(test_emergency_stretch),
        cmocka_unit_test(test_emergency_stretch_spreads),
        cmocka_unit_test(test_never_shrinks_past_shrink),
        cmocka_unit_test(test_box_stretch_and_shrink),
        cmocka_unit_test(test_ragged_right),
        cmocka_unit_test(test_long_paragraph),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
