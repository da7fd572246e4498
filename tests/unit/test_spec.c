/* test_spec: lengths and page sizes in points, and what loading a layout
 * gives: layouts/sample.yaml (the page, the margins, based_on), and a small
 * layout written here for the defaults (leading = 1.2 × size). Run from the
 * repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "kinds/kinds.h"
#include "spec.h"
#include "unit/comma_locale.h"
#include "unit/sink.h"

#define MM (72.0 / 25.4)

/* cmocka 1.1.5 has no assert_double_equal. */
#define assert_near(a, b) assert_near_at((a), (b), #a, __FILE__, __LINE__)
static void assert_near_at(double a, double b, const char *what, const char *file, int line) {
    if (!(fabs(a - b) <= 1e-9 * (1 + fabs(b)))) {
        fprintf(stderr, "%s:%d: %s is %.17g, expected %.17g\n", file, line, what, a, b);
        fail();
    }
}

/* ---- spec_parse_length ------------------------------------------------------ */

static void expect_length(const char *s, double want) {
    double pt = -12345;
    if (!spec_parse_length(s, &pt)) fprintf(stderr, "spec_parse_length(\"%s\") failed\n", s);
    assert_true(spec_parse_length(s, &pt));
    assert_near(pt, want);
}

static void expect_not_length(const char *s) {
    double pt = -12345;
    if (spec_parse_length(s, &pt)) fprintf(stderr, "spec_parse_length(\"%s\") accepted it as %g\n", s, pt);
    assert_false(spec_parse_length(s, &pt));
    assert_near(pt, -12345); /* untouched on failure */
}

static void check_lengths(void) {
    expect_length("12pt", 12);
    expect_length("10.5pt", 10.5);
    expect_length("3mm", 3 * MM);
    expect_length("1.5cm", 15 * MM);
    expect_length("1.5 cm", 15 * MM);
    expect_length("0.5in", 36);
    expect_length("2in", 144);
    expect_length(" 2pt", 2);
    expect_length("0mm", 0);
    expect_length("-3mm", -3 * MM); /* the sign is the loader's business (margins, first_indent) */
    expect_length("+4pt", 4);
    expect_not_length("12px");
    expect_not_length("12");
    expect_not_length("12 ");
    expect_not_length("pt");
    expect_not_length("");
    expect_not_length("12PT");
    expect_not_length("12ptx");
    expect_not_length("12 pt extra");
    expect_not_length("1,5mm"); /* a decimal comma is not a decimal point */
    expect_not_length("1.2.3pt");
    expect_not_length("mm12");
    expect_not_length("--1pt");
    expect_not_length("1e2pt");
    expect_not_length("twelve pt");
}

static void test_parse_length(void **state) {
    (void)state;
    check_lengths();
}

/* Layouts are written with a decimal point whatever the user's locale. */
static void test_parse_length_ignores_locale(void **state) {
    char *tmp = NULL;
    const char *name = comma_locale(&tmp);
    *state = tmp;
    if (!name || strcmp(localeconv()->decimal_point, ",") != 0) skip();
    check_lengths();
}

/* ---- spec_named_size ---------------------------------------------------------- */

static void expect_size(const char *name, double w_mm, double h_mm) {
    double w = 0, h = 0;
    assert_true(spec_named_size(name, &w, &h));
    assert_near(w, w_mm * MM);
    assert_near(h, h_mm * MM);
}

static void test_named_size(void **state) {
    (void)state;
    expect_size("A4", 210, 297);
    expect_size("A5", 148, 210);
    expect_size("a5", 148, 210);
    expect_size("A0", 841, 1189);
    expect_size("A6", 105, 148);
    expect_size("B5", 176, 250);
    expect_size("letter", 215.9, 279.4);
    expect_size("Letter", 215.9, 279.4);
    expect_size("legal", 215.9, 355.6);
    double w = 0, h = 0;
    assert_true(spec_named_size("A4", &w, &h));
    assert_near(w, 595.2755905511812); /* the usual 595.28 × 841.89 */
    assert_near(h, 841.8897637795276);
    assert_true(spec_named_size("letter", &w, &h));
    assert_near(w, 612);
    assert_near(h, 792);
    w = h = -1;
    assert_false(spec_named_size("A7", &w, &h));
    assert_false(spec_named_size("", &w, &h));
    assert_false(spec_named_size("A4 ", &w, &h));
    assert_false(spec_named_size("tabloid", &w, &h));
    assert_near(w, -1);
    assert_near(h, -1);
}

/* ---- loading layouts ---------------------------------------------------------- */

static const spec_style_t *style(const spec_t *s, const char *name) {
    const spec_style_t *st = spec_find_style(s, name);
    if (!st) fprintf(stderr, "no style '%s'\n", name);
    assert_non_null(st);
    return st;
}

static void test_load_sample(void **state) {
    (void)state;
    sink_t k;
    sink_open(&k);
    spec_t *s = spec_load("layouts/sample.yaml", NULL, kind_names(), k.d);
    assert_string_equal(sink_text(&k), "");
    assert_non_null(s);
    assert_string_equal(s->kind, "handbook");
    assert_string_equal(s->stem, "sample");

    /* A5 portrait, in points. */
    assert_near(s->page.width, 148 * MM);
    assert_near(s->page.height, 210 * MM);
    assert_near(s->page.width, 419.52755905511811);
    assert_near(s->page.height, 595.27559055118104);
    /* margins: {top: 18mm, bottom: 20mm, inner: 16mm, outer: 16mm} */
    assert_near(s->page.top, 18 * MM);
    assert_near(s->page.bottom, 20 * MM);
    assert_near(s->page.inner, 16 * MM);
    assert_near(s->page.outer, 16 * MM);
    assert_true(s->page.facing); /* inner/outer imply facing pages */
    assert_int_equal(s->page.columns, 1);

    /* Font files are found in fonts/ beside layouts/. */
    assert_true(s->family_count >= 1);
    assert_non_null(s->families[0].files[SPEC_REGULAR]);
    assert_int_equal(access(s->families[0].files[SPEC_REGULAR], R_OK), 0);

    /* Every style with based_on takes from its base what it does not set
     * itself, and its own size where it sets one (the sample's headings are
     * built this way; which names it uses may change, the rule may not). */
    const ynode_t *styles = ymap_get(s->doc->root, "styles");
    assert_non_null(styles);
    size_t derived = 0;
    for (size_t i = 0; i < styles->count; i++) {
        const ynode_t *v = styles->items[2 * i + 1];
        const ynode_t *b = ymap_get(v, "based_on");
        if (!b) continue;
        const spec_style_t *st = style(s, styles->items[2 * i]->value);
        const spec_style_t *base = style(s, b->value);
        derived++;
        if (!ymap_get(v, "font")) assert_int_equal(st->family, base->family);
        if (!ymap_get(v, "bold")) assert_int_equal(st->bold, base->bold);
        if (!ymap_get(v, "italic")) assert_int_equal(st->italic, base->italic);
        if (!ymap_get(v, "colour")) assert_int_equal(st->colour, base->colour);
        if (!ymap_get(v, "align")) assert_int_equal(st->align, base->align);
        if (!ymap_get(v, "hyphenate")) assert_int_equal(st->hyphenate, base->hyphenate);
        const ynode_t *size = ymap_get(v, "size");
        double pt;
        if (size) {
            assert_true(spec_parse_length(size->value, &pt));
            assert_near(st->size, pt);
        } else {
            assert_near(st->size, base->size);
        }
        const ynode_t *leading = ymap_get(v, "leading");
        if (leading) {
            assert_true(spec_parse_length(leading->value, &pt));
            assert_near(st->leading, pt);
        }
    }
    assert_true(derived > 0);
    spec_drop(s);
    sink_close(&k);
}

/* A layout of our own, with the fonts given by absolute path. */
static spec_t *load_text(sink_t *k, const char *body, char **dir_out) {
    char dir[] = "/tmp/grundlag-spec-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    char path[4200];
    snprintf(path, sizeof path, "%s/t.yaml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "kind: card\n"
            "fonts:\n"
            "  sans:\n"
            "    regular: %s/fonts/NotoSans-Regular.ttf\n"
            "    bold: %s/fonts/NotoSans-Bold.ttf\n"
            "%s",
            cwd, cwd, body);
    assert_int_equal(fclose(f), 0);
    spec_t *s = spec_load(path, NULL, kind_names(), k->d);
    *dir_out = strdup(dir);
    return s;
}

static void remove_dir(char *dir) {
    char path[4200];
    snprintf(path, sizeof path, "%s/t.yaml", dir);
    unlink(path);
    rmdir(dir);
    free(dir);
}

static void test_style_defaults_and_inheritance(void **state) {
    (void)state;
    sink_t k;
    sink_open(&k);
    char *dir;
    spec_t *s = load_text(&k,
                          "colours:\n"
                          "  accent: {cmyk: [100, 60, 0, 20]}\n"
                          "styles:\n"
                          "  body: {size: 10pt}\n"
                          "  title: {bold: true, size: 20pt, colour: accent, align: centre, space_after: 6mm}\n"
                          "  heading: {based_on: title, size: 13pt}\n"
                          "  quote: {based_on: body, leading: 15pt}\n"
                          "  small: {based_on: quote, size: 8pt}\n",
                          &dir);
    assert_string_equal(sink_text(&k), "");
    assert_non_null(s);
    assert_string_equal(s->kind, "card");
    /* No page block: A4 portrait, 20 mm margins. */
    assert_near(s->page.width, 210 * MM);
    assert_near(s->page.height, 297 * MM);
    assert_near(s->page.top, 20 * MM);

    const spec_style_t *body = style(s, "body");
    assert_near(body->size, 10);
    assert_near(body->leading, 12); /* 1.2 × size when absent */
    assert_int_equal(body->family, 0); /* the only family */
    assert_false(body->bold);
    assert_true(body->hyphenate);
    assert_int_equal(body->align, SPEC_ALIGN_LEFT);
    assert_string_equal(s->colours[body->colour].name, "black");

    const spec_style_t *title = style(s, "title");
    assert_near(title->leading, 24);

    const spec_style_t *heading = style(s, "heading");
    assert_near(heading->size, 13);
    assert_near(heading->leading, 13 * 1.2); /* from its own size, not title's 24pt */
    assert_true(heading->bold);
    assert_int_equal(heading->align, SPEC_ALIGN_CENTRE);
    assert_near(heading->space_after, 6 * MM);
    assert_string_equal(s->colours[heading->colour].name, "accent");
    assert_int_equal(s->colours[heading->colour].colour.space, COLOUR_CMYK);
    assert_near(s->colours[heading->colour].colour.v[1], 0.6);

    /* A leading that is given is inherited as it is. */
    assert_near(style(s, "quote")->leading, 15);
    assert_near(style(s, "small")->size, 8);
    assert_near(style(s, "small")->leading, 15);

    spec_drop(s);
    remove_dir(dir);
    sink_close(&k);
}

/* A mistake in a style is reported once, at the style, not again for every
 * style based on it. */
static void test_inherited_error_reported_once(void **state) {
    (void)state;
    sink_t k;
    sink_open(&k);
    char *dir;
    spec_t *s = load_text(&k,
                          "styles:\n"
                          "  title: {size: 20pt, colour: acent}\n"
                          "  heading: {based_on: title, size: 13pt}\n"
                          "  small: {based_on: heading}\n",
                          &dir);
    assert_null(s);
    if (diag_error_count(k.d) != 1 || !strstr(sink_text(&k), ":7:31: error: "))
        fprintf(stderr, "got:\n%s", sink_text(&k));
    assert_int_equal(diag_error_count(k.d), 1);
    assert_non_null(strstr(sink_text(&k), ":7:31: error: style 'title' uses colour 'acent', which 'colours' does not "
                                          "define; the colours are: black\n"));
    remove_dir(dir);
    sink_close(&k);
}

/* hyphenate: true, false or if-needed (labels and headings: words break only
 * when one is wider than the measure); if-needed is inherited, and anything
 * else is an error naming the key. */
static void test_hyphenate_if_needed(void **state) {
    (void)state;
    sink_t k;
    sink_open(&k);
    char *dir;
    spec_t *s = load_text(&k,
                          "styles:\n"
                          "  body: {size: 10pt}\n"
                          "  label: {size: 14pt, hyphenate: if-needed}\n"
                          "  small_label: {based_on: label, size: 12pt}\n"
                          "  plain: {based_on: label, hyphenate: false}\n",
                          &dir);
    assert_string_equal(sink_text(&k), "");
    assert_non_null(s);
    assert_true(style(s, "body")->hyphenate);
    assert_false(style(s, "body")->hyphenate_if_needed);
    assert_true(style(s, "label")->hyphenate);
    assert_true(style(s, "label")->hyphenate_if_needed);
    assert_true(style(s, "small_label")->hyphenate_if_needed);
    assert_false(style(s, "plain")->hyphenate);
    assert_false(style(s, "plain")->hyphenate_if_needed);
    spec_drop(s);
    remove_dir(dir);
    sink_close(&k);

    sink_open(&k);
    s = load_text(&k, "styles:\n  body: {size: 10pt, hyphenate: sometimes}\n", &dir);
    assert_null(s);
    assert_non_null(strstr(sink_text(&k), "error: hyphenate must be true or false, found 'sometimes'"));
    remove_dir(dir);
    sink_close(&k);
}

/* punctuation: danish, danish-curly or as-written (the default). */
static void test_punctuation_option(void **state) {
    (void)state;
    static const struct { const char *v; text_punct_t want; } ok[] = {
        {"danish", TEXT_PUNCT_GUILLEMETS}, {"danish-curly", TEXT_PUNCT_CURLY}, {"as-written", TEXT_PUNCT_AS_WRITTEN}};
    for (size_t i = 0; i < 3; i++) {
        sink_t k;
        sink_open(&k);
        char *dir, body[128];
        snprintf(body, sizeof body, "punctuation: %s\nstyles:\n  body: {size: 10pt}\n", ok[i].v);
        spec_t *s = load_text(&k, body, &dir);
        assert_non_null(s);
        assert_int_equal(s->punctuation, ok[i].want);
        spec_drop(s);
        remove_dir(dir);
        sink_close(&k);
    }
    sink_t k;
    sink_open(&k);
    char *dir;
    spec_t *s = load_text(&k, "styles:\n  body: {size: 10pt}\n", &dir);
    assert_non_null(s);
    assert_int_equal(s->punctuation, TEXT_PUNCT_AS_WRITTEN);
    spec_drop(s);
    remove_dir(dir);
    sink_close(&k);
    sink_open(&k);
    s = load_text(&k, "punctuation: english\nstyles:\n  body: {size: 10pt}\n", &dir);
    assert_null(s);
    assert_non_null(
        strstr(sink_text(&k), "error: punctuation must be danish, danish-curly or as-written, found 'english'"));
    remove_dir(dir);
    sink_close(&k);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_length),
        cmocka_unit_test_teardown(test_parse_length_ignores_locale, restore_locale),
        cmocka_unit_test(test_named_size),
        cmocka_unit_test(test_load_sample),
        cmocka_unit_test(test_style_defaults_and_inheritance),
        cmocka_unit_test(test_inherited_error_reported_once),
        cmocka_unit_test(test_hyphenate_if_needed),
        cmocka_unit_test(test_punctuation_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
