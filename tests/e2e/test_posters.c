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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_poster_holds_everything),
        cmocka_unit_test(test_own_heading_in_cell),
        cmocka_unit_test(test_two_profiles),
        cmocka_unit_test(test_dimensions_select_rows),
        cmocka_unit_test(test_too_small_page),
    };
    return cmocka_run_group_tests_name("posters", tests, NULL, NULL);
}
