/* End-to-end: comparison posters. Every bullet of every profile is on the
 * poster; the page is the layout's size; --profiles and --dimensions select
 * columns and rows; a page too small fails and leaves no PDF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "e2e/e2e.h"

/* Every bullet (a `- "..."` item inside `profiles:`) of the data file. */
static size_t check_all_bullets(const char *pdf, const char *only_id) {
    char *src = e2e_read_file("data/ledelsesgrundlag.yaml", NULL);
    assert_non_null(src);
    e2e_result_t r = e2e_run("pdftotext %s -", pdf);
    assert_int_equal(r.status, 0);
    char *all = e2e_squash(r.out);
    bool in_profiles = false, in_profile = only_id == NULL;
    size_t n = 0, missing = 0;
    char *save = NULL;
    for (char *line = strtok_r(src, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "profiles:", 9) == 0) in_profiles = true;
        if (only_id && strstr(line, "  - id: ")) in_profile = strcmp(strstr(line, "id: ") + 4, only_id) == 0;
        if (!in_profiles || !in_profile || !strstr(line, "- \"")) continue;
        char *s = e2e_item_text(line);
        if (!s) continue;
        char *want = e2e_squash(s);
        if (!strstr(all, want)) {
            fprintf(stderr, "%s lacks: %s\n", pdf, s);
            missing++;
        }
        n++;
        free(want);
        free(s);
    }
    free(all);
    free(src);
    e2e_result_free(&r);
    assert_int_equal(missing, 0);
    return n;
}

static void test_poster_holds_everything(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    if (!dir) { fail(); return; }
    e2e_result_t r = e2e_run("%s render --out-dir %s layouts/poster-overview.yaml layouts/poster-overview-a0.yaml && "
                             "pdfinfo %s/poster-overview.pdf && pdfinfo %s/poster-overview-a0.pdf && qpdf --check %s/poster-overview.pdf",
                             e2e_bin(), dir, dir, dir, dir);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");                          /* no warnings either */
    assert_non_null(strstr(r.out, "2383.94 x 1683.78 pts (A1)"));
    assert_non_null(strstr(r.out, "3370.39 x 2383.94 pts (A0)"));
    assert_non_null(strstr(r.out, "Pages:           1\n"));
    e2e_result_free(&r);
    char *pdf = e2e_path(dir, "poster-overview.pdf");
    assert_int_equal(check_all_bullets(pdf, NULL), 271);
    free(pdf);
    pdf = e2e_path(dir, "poster-overview-a0.pdf");
    assert_int_equal(check_all_bullets(pdf, NULL), 271);
    free(pdf);
    e2e_rmtree(dir);
}

/* Medarbejder's "Faglighed" is shown where the row is "Faglig ledelse". */
static void test_own_heading_in_cell(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    if (!dir) { fail(); return; }
    e2e_result_t r = e2e_run("%s render -o %s/p.pdf --profiles direktoer,medarbejder layouts/poster-overview.yaml && "
                             "pdftotext %s/p.pdf - | grep -c -x -E 'Faglighed|Faglig ledelse'",
                             e2e_bin(), dir, dir);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "2\n");
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

/* Two profiles: two columns, larger text than the six-column poster. */
static void test_two_profiles(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    if (!dir) { fail(); return; }
    e2e_result_t r = e2e_run(
        "%s render -o %s/two.pdf --profiles leder-af-leder,leder-af-medarbejder layouts/poster-overview.yaml && "
        "%s render -o %s/six.pdf layouts/poster-overview.yaml",
        e2e_bin(), dir, e2e_bin(), dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    char *two = e2e_path(dir, "two.pdf");
    check_all_bullets(two, "leder-af-leder");
    check_all_bullets(two, "leder-af-medarbejder");
    r = e2e_run("pdftotext %s - | grep -c -x 'Direktør'", two);
    assert_string_equal(r.out, "0\n");
    e2e_result_free(&r);
    /* the height of a line of body text, as pdftotext measures words */
    const char *size_cmd = "pdftotext -bbox %s - | grep -m1 '>Kan<' | sed 's/.*yMin=\"\\([0-9.]*\\)\".*yMax=\"\\([0-9.]*\\)\".*/\\1 \\2/' | awk '{print $2-$1}'";
    r = e2e_run(size_cmd, two);
    double h2 = atof(r.out);
    e2e_result_free(&r);
    char *six = e2e_path(dir, "six.pdf");
    r = e2e_run(size_cmd, six);
    double h6 = atof(r.out);
    e2e_result_free(&r);
    assert_true(h6 > 0);
    assert_true(h2 > h6 * 1.2);
    free(two);
    free(six);
    e2e_rmtree(dir);
}

static void test_dimensions_select_rows(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    if (!dir) { fail(); return; }
    e2e_result_t r = e2e_run("%s render -o %s/spor.pdf --dimensions folkestyre-sporet,kommunen-3-0-sporet,faelles-vi-sporet "
                             "layouts/poster-overview.yaml && pdftotext %s/spor.pdf -",
                             e2e_bin(), dir, dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Kommunen 3.0-sporet"));
    assert_null(strstr(r.out, "Strategisk ledelse"));
    assert_null(strstr(r.out, "Typiske faldgruber"));
    e2e_result_free(&r);
    r = e2e_run("%s render -o %s/x.pdf --dimensions group,pitfalls layouts/poster-overview.yaml && pdftotext %s/x.pdf - | "
                "sed 's/\xc2\xad//g' | tr -d '\\n '",
                e2e_bin(), dir, dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Denfællesopgave"));
    assert_non_null(strstr(r.out, "Typiskefaldgruber"));
    assert_null(strstr(r.out, "Strategiskledelse"));
    e2e_result_free(&r);
    r = e2e_run("%s render -o %s/y.pdf --dimensions nope layouts/poster-overview.yaml", e2e_bin(), dir);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--dimensions: unknown dimension 'nope'"));
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

/* A page too small for the grid: exit 1, a message, no PDF left behind. */
static void test_too_small_page(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    if (!dir) { fail(); return; }
    char *layout = e2e_path(dir, "tiny.yaml");
    char *src = e2e_read_file("layouts/poster-overview.yaml", NULL);
    char *at = strstr(src, "  size: A1");
    assert_non_null(at);
    memcpy(at, "  size: A6", 10);
    char *fonts = strstr(src, "fonts:\n");
    assert_non_null(fonts);
    /* The copy lives elsewhere: point it at the fonts by absolute path. */
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    size_t cap = strlen(src) + 4 * sizeof cwd;
    char *out = malloc(cap);
    out[0] = '\0';
    for (char *line = strtok(src, "\n"); line; line = strtok(NULL, "\n")) {
        char *ttf = strstr(line, "Noto");
        if (ttf && strstr(line, ".ttf")) {
            strncat(out, line, (size_t)(ttf - line));
            strcat(out, cwd);
            strcat(out, "/fonts/");
            strcat(out, ttf);
        } else {
            strcat(out, line);
        }
        strcat(out, "\n");
    }
    e2e_write_file(layout, out);
    e2e_result_t r = e2e_run("%s render --out-dir %s %s; echo \"rc=$?\"; ls %s", e2e_bin(), dir, layout, dir);
    assert_non_null(strstr(r.out, "rc=1\n"));
    /* too narrow columns or too little height: either way the page is named */
    assert_non_null(strstr(r.err, "error: "));
    assert_non_null(strstr(r.err, "148 × 105 mm page"));
    assert_null(strstr(r.out, "tiny.pdf"));
    e2e_result_free(&r);
    free(src);
    free(out);
    free(layout);
    e2e_rmtree(dir);
}

/* The longest `line LBody` record of a trace, in characters (UTF-8 aware). */
static size_t longest_bullet_line(const char *trace) {
    size_t most = 0;
    for (const char *l = strstr(trace, "  line LBody "); l; l = strstr(l + 1, "  line LBody ")) {
        const char *q = strchr(l, '"'), *end = q ? strchr(q, '\n') : NULL;
        if (!q || !end) break;
        size_t n = 0;
        for (const char *c = q + 1; c < end - 1; c++) n += ((unsigned char)*c & 0xC0) != 0x80;
        if (n > most) most = n;
    }
    return most;
}

/* The two-profile poster keeps its lines to at most 75 characters (its
 * columns are cut into text columns) and breaks no row label in a word. */
static void test_two_profiles_measure(void **state) {
    (void)state;
    e2e_result_t r = e2e_run("%s render --format trace -o - --profiles leder-af-leder,leder-af-medarbejder "
                             "layouts/poster-overview.yaml",
                             e2e_bin());
    assert_int_equal(r.status, 0);
    size_t most = longest_bullet_line(r.out);
    assert_true(most > 40 && most <= 75);
    /* no label or heading (bold) is broken with a hyphen: a hyphen added
     * at a break is a record of its own, page furniture */
    for (const char *l = strstr(r.out, "  line Artifact NotoSans-Bold "); l;
         l = strstr(l + 1, "  line Artifact NotoSans-Bold ")) {
        const char *end = strchr(l, '\n');
        assert_non_null(end);
        assert_false(end - l > 4 && strncmp(end - 4, " \"-\"", 4) == 0);
    }
    e2e_result_free(&r);
}

/* The series: a poster per row, body at least 18 pt and the headings
 * larger, every bullet on some poster; --split writes a file per poster,
 * each as in the whole series. */
static void test_series(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    e2e_result_t r = e2e_run("%s render --out-dir %s layouts/poster-series.yaml && pdfinfo %s/poster-series.pdf && "
                             "%s render --format trace -o - layouts/poster-series.yaml",
                             e2e_bin(), dir, dir, e2e_bin());
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_non_null(strstr(r.out, "Pages:           12\n"));
    assert_non_null(strstr(r.out, "(A1)"));
    /* sizes: the bullets' and the headings' */
    double bullet = 0, head = 1e9;
    for (const char *l = strstr(r.out, "  line "); l; l = strstr(l + 1, "  line ")) {
        char tag[16], font[64];
        double size;
        if (sscanf(l, "  line %15s %63s %lf", tag, font, &size) != 3) continue;
        if (strcmp(tag, "LBody") == 0 && size > bullet) bullet = size;
        if ((strcmp(tag, "H3") == 0 || strcmp(tag, "TH") == 0 || strcmp(tag, "H1") == 0) && size < head) head = size;
    }
    assert_true(bullet >= 18);
    assert_true(head > bullet);
    e2e_result_free(&r);
    char *pdf = e2e_path(dir, "poster-series.pdf");
    assert_int_equal(check_all_bullets(pdf, NULL), 271);
    free(pdf);
    r = e2e_run("%s render --split --out-dir %s layouts/poster-series.yaml && ls %s/poster-series | wc -l && "
                "pdftotext %s/poster-series/03-strategisk-ledelse.pdf - | head -2 && pdfinfo "
                "%s/poster-series/12-pitfalls.pdf | grep Pages",
                e2e_bin(), dir, dir, dir, dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "12\nStrategisk ledelse\nSkanderborg Kommunes Ledelsesgrundlag · 3/12\n"));
    assert_non_null(strstr(r.out, "Pages:           1\n"));
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

/* A poster of the series that cannot be set at its minimum size fails,
 * naming it, and writes nothing. */
static void test_series_minimum(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    e2e_result_t r = e2e_run("mkdir %s/layouts && ln -s \"$PWD/fonts\" %s/fonts && "
                             "sed 's/fit: {min: 18pt, max: 30pt}/fit: {min: 60pt, max: 60pt}/' layouts/poster-series.yaml "
                             "> %s/layouts/big.yaml && %s render --dimensions fundamentalt-ansvar --out-dir %s "
                             "%s/layouts/big.yaml; echo \"rc=$?\"; ls %s",
                             dir, dir, dir, e2e_bin(), dir, dir, dir);
    assert_non_null(strstr(r.out, "rc=1\n"));
    assert_non_null(strstr(r.err, "the poster 'Det fundamentale ansvar i rollen' (row 'fundamentalt-ansvar')"));
    assert_non_null(strstr(r.err, "60.0pt"));
    assert_null(strstr(r.out, "big.pdf"));
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_poster_holds_everything),
        cmocka_unit_test(test_own_heading_in_cell),
        cmocka_unit_test(test_two_profiles),
        cmocka_unit_test(test_dimensions_select_rows),
        cmocka_unit_test(test_too_small_page),
        cmocka_unit_test(test_two_profiles_measure),
        cmocka_unit_test(test_series),
        cmocka_unit_test(test_series_minimum),
    };
    return cmocka_run_group_tests_name("posters", tests, NULL, NULL);
}
