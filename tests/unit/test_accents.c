/* test_accents: the profiles' accent colours of every shipped layout are
 * told apart at a glance: every pair at least 20 CIEDE2000 apart (ΔE2000:
 * about 2 is a just-noticeable difference, 20 two clearly different
 * colours). RGB colours are read as sRGB (D65); CMYK colours are converted
 * naively (R = (1 − C)(1 − K), …, then as sRGB), not through the print
 * profile: the README gives the profile's figures (default_cmyk.icc), which
 * the shipped palette also passes. Runs from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kinds/kinds.h"
#include "unit/sink.h"

#define MIN_DELTA_E 20.0
#define PI 3.14159265358979323846

typedef struct lab {
    double l, a, b;
} lab_t;

static double linear(double c) { return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4); }

static double lab_f(double t) { return t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116; }

/* sRGB (0..1) → CIELAB, D65 white. */
static lab_t srgb_lab(double r, double g, double b) {
    r = linear(r), g = linear(g), b = linear(b);
    double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
    double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
    double fx = lab_f(x / 0.95047), fy = lab_f(y), fz = lab_f(z / 1.08883);
    return (lab_t){116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
}

/* A layout's colour as it looks: CMYK naively, grey as its level. */
static lab_t colour_lab(colour_t c) {
    switch (c.space) {
    case COLOUR_RGB: return srgb_lab(c.v[0], c.v[1], c.v[2]);
    case COLOUR_CMYK: {
        double k = 1 - c.v[3];
        return srgb_lab((1 - c.v[0]) * k, (1 - c.v[1]) * k, (1 - c.v[2]) * k);
    }
    case COLOUR_GREY: break;
    case COLOUR_REGISTRATION: return srgb_lab(1 - c.v[0], 1 - c.v[0], 1 - c.v[0]); /* every plate: black */
    }
    return srgb_lab(c.v[0], c.v[0], c.v[0]);
}

static double rad(double deg) { return deg * PI / 180; }

/* CIEDE2000 (Sharma, Wu and Dalal 2005), kL = kC = kH = 1. */
static double delta_e(lab_t p, lab_t q) {
    double c1 = hypot(p.a, p.b), c2 = hypot(q.a, q.b), cm = (c1 + c2) / 2;
    double g = 0.5 * (1 - sqrt(pow(cm, 7) / (pow(cm, 7) + pow(25, 7))));
    double a1 = (1 + g) * p.a, a2 = (1 + g) * q.a;
    double c1p = hypot(a1, p.b), c2p = hypot(a2, q.b);
    double h1 = c1p == 0 ? 0 : fmod(atan2(p.b, a1) * 180 / PI + 360, 360);
    double h2 = c2p == 0 ? 0 : fmod(atan2(q.b, a2) * 180 / PI + 360, 360);
    double dl = q.l - p.l, dc = c2p - c1p, dh = 0;
    if (c1p * c2p != 0) {
        dh = h2 - h1;
        if (dh > 180) dh -= 360;
        else if (dh < -180) dh += 360;
    }
    double dH = 2 * sqrt(c1p * c2p) * sin(rad(dh / 2));
    double lm = (p.l + q.l) / 2, cmp = (c1p + c2p) / 2, hm = h1 + h2;
    if (c1p * c2p != 0) {
        if (fabs(h1 - h2) <= 180) hm = (h1 + h2) / 2;
        else hm = h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2;
    }
    double t = 1 - 0.17 * cos(rad(hm - 30)) + 0.24 * cos(rad(2 * hm)) + 0.32 * cos(rad(3 * hm + 6)) -
               0.20 * cos(rad(4 * hm - 63));
    double dtheta = 30 * exp(-pow((hm - 275) / 25, 2));
    double rc = 2 * sqrt(pow(cmp, 7) / (pow(cmp, 7) + pow(25, 7)));
    double sl = 1 + 0.015 * pow(lm - 50, 2) / sqrt(20 + pow(lm - 50, 2));
    double sc = 1 + 0.045 * cmp, sh = 1 + 0.015 * cmp * t;
    double rt = -sin(rad(2 * dtheta)) * rc;
    return sqrt(pow(dl / sl, 2) + pow(dc / sc, 2) + pow(dH / sh, 2) + rt * (dc / sc) * (dH / sh));
}

/* The formula against the published test data (Sharma et al., table 1). */
static void test_delta_e_formula(void **state) {
    (void)state;
    static const struct {
        lab_t p, q;
        double de;
    } cases[] = {
        {{50.0000, 2.6772, -79.7751}, {50.0000, 0.0000, -82.7485}, 2.0425},
        {{50.0000, 0.0000, 0.0000}, {50.0000, -1.0000, 2.0000}, 2.3669},
        {{50.0000, 2.4900, -0.0010}, {50.0000, -2.4900, 0.0009}, 7.1792},
        {{50.0000, 2.5000, 0.0000}, {73.0000, 25.0000, -18.0000}, 27.1492},
        {{60.2574, -34.0099, 36.2677}, {60.4626, -34.1751, 39.4387}, 1.2644},
        {{2.0776, 0.0795, -1.1350}, {0.9033, -0.0636, -0.5514}, 0.9082},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_true(fabs(delta_e(cases[i].p, cases[i].q) - cases[i].de) < 0.0001);
}

/* Every pair of a layout's `accents` (under its kind's block) far apart. */
static void test_accents_apart(void **state) {
    (void)state;
    glob_t g;
    assert_int_equal(glob("layouts/*.yaml", 0, NULL, &g), 0);
    size_t layouts = 0;
    for (size_t f = 0; f < g.gl_pathc; f++) {
        sink_t s;
        sink_open(&s);
        spec_t *spec = spec_load(g.gl_pathv[f], NULL, kind_names(), s.d);
        assert_non_null(spec);
        const ynode_t *list = spec->kind_block ? ymap_get(spec->kind_block, "accents") : NULL;
        if (list) {
            layouts++;
            assert_true(list->kind == YNODE_SEQ && list->count >= 2);
            double least = INFINITY;
            for (size_t i = 0; i < list->count; i++) {
                for (size_t j = i + 1; j < list->count; j++) {
                    const spec_colour_t *a = spec_find_colour(spec, list->items[i]->value);
                    const spec_colour_t *b = spec_find_colour(spec, list->items[j]->value);
                    assert_non_null(a);
                    assert_non_null(b);
                    double de = delta_e(colour_lab(a->colour), colour_lab(b->colour));
                    if (de < MIN_DELTA_E)
                        fprintf(stderr, "%s: accents %s and %s are %.1f ΔE2000 apart\n", g.gl_pathv[f], a->name,
                                b->name, de);
                    assert_true(de >= MIN_DELTA_E);
                    if (de < least) least = de;
                }
            }
            printf("%s: %zu accents, the closest pair %.1f ΔE2000 apart\n", g.gl_pathv[f], list->count, least);
        }
        spec_drop(spec);
        sink_close(&s);
    }
    globfree(&g);
    assert_true(layouts >= 8); /* cards, posters, worksheets, dialogue cards */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delta_e_formula),
        cmocka_unit_test(test_accents_apart),
    };
    return cmocka_run_group_tests_name("accents", tests, NULL, NULL);
}
