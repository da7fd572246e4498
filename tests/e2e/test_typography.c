/* End-to-end typography: every shipped layout (and the two samples made
 * with command-line selections) is rendered as a trace, and the set lines
 * are read back from it:
 *  - no word space is narrower than two thirds of its natural width (the
 *    shipped fonts are Noto, whose space is 0.26 em);
 *  - no paragraph ends with the last piece of a word hyphenated at the line
 *    before, alone on its line (a stranded fragment).
 * And the Danish punctuation of the shipped layouts is in the PDF's text.
 * Runs from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <math.h>
#include <stdbool.h>

#include "e2e/e2e.h"

#define NOTO_SPACE 0.26      /* em: the space of every Noto face shipped */
#define SPACE_FLOOR (2.0 / 3) /* para_params.space_shrink = 1/3 */

typedef struct run {
    int page;
    double size, x, y, w;
    char *text;
    bool joined_before; /* no gap to the run before on its line: same word */
} run_t;

typedef struct runs {
    run_t *v;
    size_t n;
} runs_t;

/* The "text" lines of a glyph trace:
 * "  text ROLE FONT SIZE [xH%] COLOUR @ X,Y "T" gid:adv ...". */
static runs_t read_trace(const char *path) {
    runs_t r = {0};
    char *src = e2e_read_file(path, NULL);
    assert_non_null(src);
    int page = 0;
    char *save = NULL;
    for (char *l = strtok_r(src, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (strncmp(l, "page ", 5) == 0) {
            page++;
            continue;
        }
        if (strncmp(l, "  text ", 7) != 0) continue;
        char role[32], font[128];
        double size, hs = 100, x, y;
        int used = 0;
        if (sscanf(l + 7, "%31s %127s %lf%n", role, font, &size, &used) != 3) fail_msg("bad trace line: %s", l);
        const char *p = l + 7 + used;
        /* then an optional glyph scale "x100.71%" and the colour, up to " @ " */
        if (strncmp(p, " x", 2) == 0) {
            if (sscanf(p + 2, "%lf%%%n", &hs, &used) != 1) fail_msg("bad scale: %s", l);
            p += 2 + used;
        }
        p = strstr(p, " @ ");
        if (!p) fail_msg("no position: %s", l);
        if (sscanf(p, " @ %lf,%lf \"%n", &x, &y, &used) != 2) fail_msg("bad position: %s", l);
        p += used;
        const char *q = strrchr(p, '"');
        assert_non_null(q);
        /* the advances are in font units; Noto's em is 1000 of them */
        if (strncmp(font, "Noto", 4) != 0) fail_msg("a font that is not Noto (%s): teach this test its space", font);
        long adv = 0;
        for (const char *g = q + 1; *g;) {
            const char *c = strchr(g, ':');
            if (!c) break;
            adv += strtol(c + 1, (char **)&g, 10);
            while (*g && *g != ' ') g++;
        }
        r.v = realloc(r.v, (r.n + 1) * sizeof *r.v);
        assert_non_null(r.v);
        r.v[r.n++] = (run_t){page, size, x, y, adv / 1000.0 * size * hs / 100, strndup(p, (size_t)(q - p)), false};
    }
    free(src);
    return r;
}

static void runs_free(runs_t *r) {
    for (size_t i = 0; i < r->n; i++) free(r->v[i].text);
    free(r->v);
}

static int by_position(const void *a, const void *b) {
    const run_t *p = a, *q = b;
    if (p->page != q->page) return p->page - q->page;
    if (p->y != q->y) return p->y > q->y ? -1 : 1; /* top of the page first */
    return p->x < q->x ? -1 : p->x > q->x;
}

static double gap(const run_t *a, const run_t *b) { return b->x - (a->x + a->w); }

/* Same baseline, same size, and close enough to be one line of one column. */
static bool same_line(const run_t *a, const run_t *b) {
    /* the widest word space is under an em; cards side by side on a sheet
     * are further apart */
    return a->page == b->page && a->y == b->y && a->size == b->size && gap(a, b) < 1.5 * a->size;
}

/* Word spaces under the floor, reported; returns their number and the
 * number of word spaces looked at in *spaces. */
static size_t crushed_spaces(const runs_t *r, const char *what, size_t *spaces) {
    size_t bad = 0;
    for (size_t i = 1; i < r->n; i++) {
        const run_t *a = &r->v[i - 1], *b = &r->v[i];
        if (!same_line(a, b)) continue;
        double g = gap(a, b);
        if (g < 0.05) continue; /* a face change inside a word: no space */
        (*spaces)++;
        double floor_pt = SPACE_FLOOR * NOTO_SPACE * a->size - 0.02; /* the trace rounds to 0.01 */
        if (g < floor_pt) {
            fprintf(stderr, "%s p%d: \"%s\" \"%s\": a space of %.3f em (at least %.3f em)\n", what, a->page, a->text,
                    b->text, g / a->size, SPACE_FLOOR * NOTO_SPACE);
            bad++;
        }
    }
    return bad;
}

/* Lines as index ranges [first, end) into the sorted runs. */
typedef struct line {
    size_t first, end;
} line_t;

static line_t *lines_of(const runs_t *r, size_t *count) {
    line_t *v = NULL;
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (i == 0 || !same_line(&r->v[i - 1], &r->v[i])) {
            v = realloc(v, (n + 1) * sizeof *v);
            assert_non_null(v);
            v[n++] = (line_t){i, i + 1};
        } else {
            v[n - 1].end = i + 1;
        }
    }
    *count = n;
    return v;
}

/* The line directly below `l` in its column (starting between its left
 * edge minus `slack` and its right edge), or SIZE_MAX. */
static size_t line_below(const runs_t *r, const line_t *ls, size_t n, size_t l, double left, double slack) {
    const run_t *a = &r->v[ls[l].first], *z = &r->v[ls[l].end - 1];
    size_t best = SIZE_MAX;
    for (size_t k = 0; k < n; k++) {
        const run_t *b = &r->v[ls[k].first];
        if (b->page != a->page || b->y >= a->y || b->y < a->y - 3 * a->size) continue;
        if (b->x < left - slack || b->x > z->x + z->w) continue;
        if (best == SIZE_MAX || b->y > r->v[ls[best].first].y) best = k;
    }
    return best;
}

static bool one_word(const runs_t *r, const line_t *l) {
    for (size_t i = l->first + 1; i < l->end; i++)
        if (gap(&r->v[i - 1], &r->v[i]) >= 0.05) return false;
    return true;
}

/* A line ending in the hyphen a break added: a run "-" that touches the run
 * before it and ends the line (a hyphen written in the text is part of its
 * word's run). */
static bool ends_hyphenated(const runs_t *r, const line_t *l) {
    if (l->end - l->first < 2) return false;
    const run_t *h = &r->v[l->end - 1], *w = &r->v[l->end - 2];
    return strcmp(h->text, "-") == 0 && fabs(gap(w, h)) < 0.05;
}

static size_t stranded_fragments(const runs_t *r, const char *what) {
    size_t n, bad = 0;
    line_t *ls = lines_of(r, &n);
    for (size_t l = 0; l < n; l++) {
        if (!ends_hyphenated(r, &ls[l])) continue;
        /* the paragraph's text starts after a hanging label ("•") */
        size_t t = ls[l].first;
        if (ls[l].end - t > 2 && gap(&r->v[t], &r->v[t + 1]) > 0.5 * r->v[t].size && strlen(r->v[t].text) <= 3) t++;
        double left = r->v[t].x;
        size_t m = line_below(r, ls, n, l, left, 0.5);
        if (m == SIZE_MAX || !one_word(r, &ls[m])) continue;
        /* the fragment's line ends the paragraph unless a line of the same
         * paragraph follows it at the same distance and the same left edge */
        double d = r->v[ls[l].first].y - r->v[ls[m].first].y;
        size_t k = line_below(r, ls, n, m, r->v[ls[m].first].x, 0.5);
        bool continues = k != SIZE_MAX && fabs(r->v[ls[m].first].y - r->v[ls[k].first].y - d) < 0.02 &&
                         fabs(r->v[ls[k].first].x - r->v[ls[m].first].x) < 0.5;
        if (continues) continue;
        /* a word wider than its column must break, and its last piece then
         * stands alone: the word is wider than any line set in the column */
        double word = r->v[ls[l].end - 2].w + r->v[ls[m].first].w, widest = 0;
        for (size_t k2 = 0; k2 < n; k2++) {
            const run_t *b = &r->v[ls[k2].first], *e = &r->v[ls[k2].end - 1];
            if (b->page == r->v[ls[m].first].page && fabs(b->x - r->v[ls[m].first].x) < 0.5 && b->size == r->v[t].size &&
                e->x + e->w - b->x > widest)
                widest = e->x + e->w - b->x;
        }
        if (word > widest) continue;
        fprintf(stderr, "%s p%d: stranded fragment \"%s-\" / \"%s\"\n", what, r->v[ls[l].first].page,
                r->v[ls[l].end - 2].text, r->v[ls[m].first].text);
        bad++;
    }
    free(ls);
    return bad;
}

/* Renders `args` as a trace into dir and checks it; returns the findings. */
static size_t check_trace(const char *dir, const char *args, const char *trace_name, size_t *spaces,
                          size_t *hyphenated) {
    e2e_result_t res = e2e_run("%s render --format trace-glyphs %s", e2e_bin(), args);
    if (res.status != 0) fprintf(stderr, "%s", res.err);
    assert_int_equal(res.status, 0);
    e2e_result_free(&res);
    char *path = e2e_path(dir, trace_name);
    runs_t r = read_trace(path);
    qsort(r.v, r.n, sizeof *r.v, by_position);
    size_t n;
    line_t *ls = lines_of(&r, &n);
    for (size_t l = 0; l < n; l++) *hyphenated += ends_hyphenated(&r, &ls[l]);
    free(ls);
    size_t bad = crushed_spaces(&r, trace_name, spaces) + stranded_fragments(&r, trace_name);
    runs_free(&r);
    free(path);
    return bad;
}

static void test_every_sample(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    glob_t g;
    assert_int_equal(glob("layouts/*.yaml", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 9);
    size_t bad = 0, spaces = 0, hyphenated = 0;
    char args[4096];
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *layout = g.gl_pathv[i];
        const char *stem = strrchr(layout, '/') + 1;
        char trace[256];
        snprintf(trace, sizeof trace, "%.*s.trace", (int)(strlen(stem) - 5), stem);
        snprintf(args, sizeof args, "--out-dir %s %s", dir, layout);
        bad += check_trace(dir, args, trace, &spaces, &hyphenated);
    }
    globfree(&g);
    snprintf(args, sizeof args, "--profiles leder-af-leder,leder-af-medarbejder -o %s/two.trace layouts/poster.yaml",
             dir);
    bad += check_trace(dir, args, "two.trace", &spaces, &hyphenated);
    snprintf(args, sizeof args, "--roster samples/roster.csv -o %s/personal.trace layouts/worksheet.yaml", dir);
    bad += check_trace(dir, args, "personal.trace", &spaces, &hyphenated);
    /* the checks saw what they check */
    assert_true(spaces > 20000);
    assert_true(hyphenated > 20);
    assert_int_equal(bad, 0);
    e2e_rmtree(dir);
}

/* The checks find what they look for: a trace with a crushed space and a
 * stranded fragment, written by hand. */
static void test_checks_can_fail(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    char *path = e2e_path(dir, "bad.trace");
    assert_true(e2e_write_file(path,
                                    "page 1 100.00 x 100.00\n"
                                    "  text P NotoSerif-Regular 10.00 grey(1.000) @ 10.00,90.00 \"ab\" 1:500 2:500\n"
                                    "  text P NotoSerif-Regular 10.00 @ 20.50,90.00 \"cd\" 1:500 2:500\n"
                                    "  text P NotoSerif-Regular 10.00 @ 32.60,90.00 \"for\" 1:500 2:500\n"
                                    "  text Artifact NotoSerif-Regular 10.00 @ 42.60,90.00 \"-\" 16:310\n"
                                    "  text P NotoSerif-Regular 10.00 @ 10.00,76.50 \"mid.\" 1:500 2:500\n"));
    runs_t r = read_trace(path);
    qsort(r.v, r.n, sizeof *r.v, by_position);
    size_t spaces = 0;
    assert_int_equal(crushed_spaces(&r, "bad.trace", &spaces), 1); /* 0.05 em between ab and cd */
    assert_int_equal(spaces, 2);
    assert_int_equal(stranded_fragments(&r, "bad.trace"), 1);
    runs_free(&r);
    free(path);
    e2e_rmtree(dir);
}

/* punctuation: danish in the shipped layouts: the data's straight quotes
 * and spaced hyphens come out of the PDF as » « › ‹ and –. */
static void test_danish_punctuation(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    e2e_result_t res = e2e_run("%s render --out-dir %s layouts/handbook.yaml", e2e_bin(), dir);
    assert_int_equal(res.status, 0);
    e2e_result_free(&res);
    char *pdf = e2e_path(dir, "handbook.pdf");
    res = e2e_run("pdftotext -enc UTF-8 %s - | tr '\\n' ' '", pdf);
    assert_int_equal(res.status, 0);
    static const char *const want[] = {"»Stærk« medarbejder", "ved »svag« ledelse", "hvad der »rører« sig",
                                       "ledelse – ikke som en titel – men", "›spille sin leder god‹",
                                       "»tage mod ordre«"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(res.out, want[i])) fail_msg("not in the handbook's text: %s", want[i]);
    e2e_result_free(&res);
    free(pdf);
    /* every shipped layout says punctuation: danish */
    glob_t g;
    assert_int_equal(glob("layouts/*.yaml", 0, NULL, &g), 0);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        res = e2e_run("%s render -o %s/x.pdf %s && pdftotext -enc UTF-8 %s/x.pdf - | tr '\\n' ' '", e2e_bin(), dir,
                      g.gl_pathv[i], dir);
        assert_int_equal(res.status, 0);
        if (strchr(res.out, '"') || strstr(res.out, " - ")) fail_msg("%s: a straight quote or spaced hyphen", g.gl_pathv[i]);
        e2e_result_free(&res);
    }
    globfree(&g);
    e2e_rmtree(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checks_can_fail),
        cmocka_unit_test(test_every_sample),
        cmocka_unit_test(test_danish_punctuation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
