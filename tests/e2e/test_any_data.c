/* End-to-end: every shipped layout renders another organisation's data
 * (tests/fixtures/other-organisation.yaml: other profiles, other dimensions,
 * long role titles, other counts), and none prints Skanderborg's own words
 * when the data does not hold them: the words about the framework come
 * from the data, the layouts' own words are generic. Also: the worksheet's
 * header makes room for a long role, and its footer keeps a long name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdbool.h>

#include "e2e/e2e.h"

#define OTHER "tests/fixtures/other-organisation.yaml"

/* Skanderborg's words that a layout once printed whatever the data. */
static const char *const skanderborg[] = {
    "Skanderborg", "direktør til medarbejder", "Den fælles opgave", "Typiske faldgruber",
    "Ledelsesprofiler for direktør", "Direktør", "Medarbejder\"", "fundamentale ansvar", NULL,
};

static void test_every_layout_renders_other_data(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    glob_t g;
    assert_int_equal(glob("layouts/*.yaml", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 14);
    char *data = e2e_read_file(OTHER, NULL);
    assert_non_null(data);
    for (const char *const *w = skanderborg; *w; w++) assert_null(strstr(data, *w)); /* the fixture is clean */
    for (size_t i = 0; i < g.gl_pathc; i++) {
        /* The PDF (exit 0, no warning), and the trace to read every word
         * set, the document's metadata included. */
        e2e_result_t r = e2e_run("%s render --data %s --out-dir %s %s && %s render --data %s --format trace "
                                 "--out-dir %s %s",
                                 e2e_bin(), OTHER, dir, g.gl_pathv[i], e2e_bin(), OTHER, dir, g.gl_pathv[i]);
        if (r.status != 0) fprintf(stderr, "%s: %s", g.gl_pathv[i], r.err);
        assert_int_equal(r.status, 0);
        assert_string_equal(r.err, "");
        e2e_result_free(&r);
        const char *base = strrchr(g.gl_pathv[i], '/') + 1;
        char stem[256];
        snprintf(stem, sizeof stem, "%.*s.trace", (int)(strlen(base) - 5), base);
        char *path = e2e_path(dir, stem);
        char *trace = e2e_read_file(path, NULL);
        assert_non_null(trace);
        for (const char *const *w = skanderborg; *w; w++) {
            if (strstr(trace, *w)) fprintf(stderr, "%s prints '%s' for another organisation\n", g.gl_pathv[i], *w);
            assert_null(strstr(trace, *w));
        }
        assert_non_null(strstr(trace, "Nordvik Region")); /* the data's own words are there */
        free(trace);
        free(path);
    }
    globfree(&g);
    free(data);
    e2e_rmtree(dir);
}

/* The poster's rows are labelled from the data: the heading most profiles
 * give their shared task, the data's pitfalls_label; the subtitle names the
 * first and last profile shown. */
static void test_poster_words_from_data(void **state) {
    (void)state;
    e2e_result_t r = e2e_run("%s render --data %s --format trace -o - layouts/poster-overview.yaml | "
                             "grep -c -E '^  line .*(\"Vores fælles|\"Faldgruber at|fra Centerchef for Sundhed)'",
                             e2e_bin(), OTHER);
    assert_int_equal(r.status, 0);
    assert_int_equal(atoi(r.out), 3);
    e2e_result_free(&r);
    r = e2e_run("%s render --profiles koordinator,frontmedarbejder --data %s --format trace -o - "
                "layouts/poster-overview.yaml | grep -c '^  line .*fra Teamkoordinator til Medarbejder i frontlinjen'",
                e2e_bin(), OTHER);
    assert_string_equal(r.out, "1\n");
    e2e_result_free(&r);
}

/* A role that wraps moves the fields and the first section down: the first
 * section's heading is below the rules of the fields, which are below the
 * role's last line. */
static void test_worksheet_header_flows(void **state) {
    (void)state;
    e2e_result_t r = e2e_run("%s render --data %s --profiles centerchef --format trace -o - layouts/worksheet.yaml | "
                             "sed -n '/^page 2/q;p'",
                             e2e_bin(), OTHER);
    assert_int_equal(r.status, 0);
    /* the role's lines (H1), the fields' rules, the first heading (H2) */
    double role_last = 1e9, rule = -1, h2 = -1;
    char *save = NULL;
    for (char *l = strtok_r(r.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        const char *at = strstr(l, ",");
        const char *y = at ? at + 1 : NULL;
        if (strstr(l, "  line H1 ") && y) role_last = atof(strrchr(l, ',') + 1);
        if (strstr(l, "  rule Artifact ") && rule < 0) rule = atof(strchr(strstr(l, "@ "), ',') + 1);
        if (strstr(l, "  line H2 ") && h2 < 0) h2 = atof(strrchr(l, ',') + 1);
    }
    assert_true(role_last < 1e9 && rule > 0 && h2 > 0);
    assert_true(rule < role_last - 20); /* the field labels and values between */
    assert_true(h2 < rule - 10);
    e2e_result_free(&r);
}

/* A name and a role too long for the footer's line take two lines: the
 * name is all there. */
static void test_worksheet_footer_keeps_name(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    char *roster = e2e_path(dir, "roster.csv");
    assert_true(e2e_write_file(roster, "name,profile,seminar,date\n"
                                       "Marie-Louise Kristiansen-Vestergaard Østergaard-Bøgh Christoffersen "
                                       "Mikkelsen-Haugaard,centerchef,Lederseminar,2027-04-12\n"));
    e2e_result_t r = e2e_run("%s render --data %s --roster %s -o %s/w.pdf layouts/worksheet.yaml && "
                             "pdftotext -f 2 -l 2 %s/w.pdf - | tr '\\n' ' '",
                             e2e_bin(), OTHER, roster, dir, dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Christoffersen Mikkelsen-Haugaard"));
    assert_non_null(strstr(r.out, "Ældreområdet"));
    e2e_result_free(&r);
    free(roster);
    e2e_rmtree(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_layout_renders_other_data),
        cmocka_unit_test(test_poster_words_from_data),
        cmocka_unit_test(test_worksheet_header_flows),
        cmocka_unit_test(test_worksheet_footer_keeps_name),
    };
    return cmocka_run_group_tests_name("any data", tests, NULL, NULL);
}
