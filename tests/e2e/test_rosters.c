/* End-to-end: rosters as spreadsheets and careless hands make them (issue
 * 15). --split checks every row before it writes a file; file names are
 * safe on case-insensitive file systems and never too long; a NUL byte, a
 * UTF-16 file, Excel's "sep=;" line, decomposed letters; one warning per
 * problem, not per participant; `check --roster`. Every run is guarded by
 * `timeout` (a bound, not an assertion). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "e2e/e2e.h"

#define GUARD "timeout 120 "

/* Runs grundlag with `args` (a printf format) in `dir`'s parent working
 * directory, the repository root. */
static e2e_result_t run_in(const char *fmt, const char *a, const char *b, const char *c) {
    char args[4096];
    snprintf(args, sizeof args, fmt, a, b, c);
    return e2e_run(GUARD "%s %s", e2e_bin(), args);
}

/* A character no font has, in the last row: nothing is written, not even
 * the directory, and the error names the row's cell. */
static void test_split_checks_every_row_first(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    char *csv = e2e_path(dir, "r.csv");
    assert_true(e2e_write_file(csv, "name,profile\nAnne,direktoer\nBo,medarbejder\nCarl,medarbejder\n"
                                    "Dorte \xE4\xB8\x80,kontraktholder\n"));
    e2e_result_t r = run_in("render --roster %s --split --out-dir %s/out layouts/worksheet.yaml", csv, dir, "");
    assert_int_equal(r.status, 1);
    char want[512];
    snprintf(want, sizeof want, "%s:5:1: error: character '\xE4\xB8\x80' (U+4E00)", csv);
    if (!strstr(r.err, want)) fprintf(stderr, "%s", r.err);
    assert_non_null(strstr(r.err, want));
    e2e_result_free(&r);
    r = e2e_run("ls -A %s", dir);
    assert_string_equal(r.out, "r.csv\n"); /* no out/, no out/worksheet/ */
    e2e_result_free(&r);
    /* one PDF per profile: a bad character in the last profile */
    r = e2e_run("sed 's/Bidrager til koordinere/Bidrager \xE4\xB8\x80 til koordinere/' data/ledelsesgrundlag.yaml > %s/d.yaml "
                "&& " GUARD "%s render --data %s/d.yaml --split --out-dir %s/out layouts/role-card.yaml; "
                "echo \"rc=$?\"; ls -A %s",
                dir, e2e_bin(), dir, dir, dir);
    if (strcmp(r.out, "rc=1\nd.yaml\nr.csv\n")) fprintf(stderr, "%s%s", r.out, r.err);
    assert_string_equal(r.out, "rc=1\nd.yaml\nr.csv\n");
    e2e_result_free(&r);
    free(csv);
    e2e_rmtree(dir);
}

/* Names equal but for case get distinct files (anne.pdf and Anne.pdf are
 * one file on macOS and Windows); "Anne 2" does not take another's number;
 * 300 equal names are numbered 2..300. */
static void test_split_names_ignore_case(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    char *csv = e2e_path(dir, "r.csv");
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("name,profile\nAnne,direktoer\nanne,direktoer\nANNE,direktoer\nAnne 2,direktoer\nÅse,medarbejder\n"
          "åse,medarbejder\n",
          f);
    for (int i = 0; i < 300; i++) fputs("Bo,medarbejder\n", f);
    fclose(f);
    e2e_result_t r = run_in("render --roster %s --split --out-dir %s layouts/worksheet.yaml", csv, dir, "");
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    r = e2e_run("cd %s/worksheet && ls | grep -v '^Bo' && ls | grep -c '^Bo' && ls Bo.pdf Bo-2.pdf Bo-300.pdf && "
                "ls | tr A-Z a-z | sort | uniq -d | wc -l",
                dir);
    assert_string_equal(r.out, "ANNE-3.pdf\nAase.pdf\nAnne-2-2.pdf\nAnne.pdf\naase-2.pdf\nanne-2.pdf\n300\n"
                               "Bo-2.pdf\nBo-300.pdf\nBo.pdf\n0\n");
    e2e_result_free(&r);
    free(csv);
    e2e_rmtree(dir);
}

/* A name longer than a file name may be (here in a layout that does not
 * print it in a field, which would not hold it): shortened, the run
 * succeeds. */
static void test_split_long_name(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    e2e_result_t r = e2e_run("sed 's|value: \"{name}\"|value: \"{role}\"|; s|: Noto|: %s/fonts/Noto|' "
                             "layouts/worksheet.yaml > %s/ws.yaml",
                             getenv("PWD"), dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    char *csv = e2e_path(dir, "r.csv");
    char text[2048] = "name,profile\n";
    for (int i = 0; i < 60; i++) strcat(text, "Ærø ");
    strcat(text, ",direktoer\n");
    for (int i = 0; i < 400; i++) strcat(text, "x");
    strcat(text, ",direktoer\n");
    assert_true(e2e_write_file(csv, text));
    r = run_in("render --roster %s --split --out-dir %s %s/ws.yaml", csv, dir, dir);
    if (r.status) fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    r = e2e_run("ls %s/ws | awk '{ print length($0) }'", dir);
    assert_string_equal(r.out, "104\n104\n"); /* 100 + ".pdf" */
    e2e_result_free(&r);
    r = e2e_run("ls %s/ws | head -c 12", dir);
    assert_string_equal(r.out, "Aeroe-Aeroe-");
    e2e_result_free(&r);
    free(csv);
    e2e_rmtree(dir);
}

/* Bad bytes: a NUL (which would cut a name short) and a UTF-16 file (as
 * "Unicode Text" saves it): errors saying where and what to do. */
static void test_roster_bytes(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    e2e_result_t r = e2e_run("cd %s && printf 'name,profile\\nAnne,direktoer\\nBo\\000rge,medarbejder\\n' > nul.csv && "
                             "printf 'name,profile\\nBørge,medarbejder\\n' | iconv -t UTF-16 > u16.csv && "
                             "printf 'name,profile\\nBørge,medarbejder\\n' | iconv -t UTF-16BE > u16be.csv",
                             dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    static const struct { const char *file, *message; } cases[] = {
        {"nul.csv", "nul.csv:3:3: error: a NUL byte (character 0) in the roster: is this a CSV text file?\n"},
        {"u16.csv", "u16.csv: error: the roster is UTF-16 (little-endian) text, not UTF-8: in the spreadsheet use "
                    "Save As \"CSV UTF-8 (comma delimited) (*.csv)\"\n"},
        {"u16be.csv", "u16be.csv: error: the roster is UTF-16 (big-endian) text, not UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *csv = e2e_path(dir, cases[i].file);
        r = run_in("render --roster %s -o %s/w.pdf layouts/worksheet.yaml", csv, dir, "");
        if (!strstr(r.err, cases[i].message)) fprintf(stderr, "%s: %s", cases[i].file, r.err);
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, cases[i].message));
        e2e_result_free(&r);
        free(csv);
    }
    r = e2e_run("ls %s | grep -c pdf", dir);
    assert_string_equal(r.out, "0\n");
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

/* Excel's "sep=;" first line; a name typed decomposed copies out of the PDF
 * composed (a search for "Kåre" finds it). */
static void test_roster_excel_and_nfc(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    char *csv = e2e_path(dir, "x.csv");
    assert_true(e2e_write_file(csv, "sep=;\r\nName;Profile;Seminar\r\nKa\xCC\x8Are Hansen;leder-af-leder;For\xC3\xA5r\r\n"));
    e2e_result_t r = run_in("render --roster %s -o %s/x.pdf layouts/worksheet.yaml", csv, dir, "");
    if (r.status) fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    r = e2e_run("pdftotext %s/x.pdf -", dir);
    assert_non_null(strstr(r.out, "K\xC3\xA5re Hansen"));
    assert_null(strstr(r.out, "a\xCC\x8A"));
    e2e_result_free(&r);
    /* an error after the sep= line names the right line */
    assert_true(e2e_write_file(csv, "sep=;\nName;Profile\nAnne;rektor\n"));
    r = run_in("check --roster %s", csv, "", "");
    char want[512];
    snprintf(want, sizeof want, "%s:3:6: error: unknown profile 'rektor'", csv);
    assert_non_null(strstr(r.err, want));
    e2e_result_free(&r);
    free(csv);
    e2e_rmtree(dir);
}

/* The layout's {seminar} with a roster that lacks the column: one warning,
 * however many participants (also with --split, a document each). */
static void test_missing_column_warned_once(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    char *csv = e2e_path(dir, "r.csv");
    assert_true(e2e_write_file(csv, "name,profile\nAnne,direktoer\nBo,medarbejder\nCarl,medarbejder\nDorte,direktoer\n"));
    for (int split = 0; split < 2; split++) {
        e2e_result_t r = run_in(split ? "render --roster %s --split --out-dir %s layouts/worksheet.yaml"
                                      : "render --roster %s --out-dir %s layouts/worksheet.yaml",
                                csv, dir, "");
        assert_int_equal(r.status, 0);
        size_t n = 0;
        for (const char *p = r.err; (p = strstr(p, "uses {seminar}")); p++) n++;
        if (n != 1) fprintf(stderr, "%s", r.err);
        assert_int_equal(n, 1);
        e2e_result_free(&r);
    }
    free(csv);
    e2e_rmtree(dir);
}

/* `check --roster`: the messages render gives, exit 1; a good roster is ok
 * (alone, or with the worksheet layout that will use it). */
static void test_check_roster(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    char *csv = e2e_path(dir, "bad.csv");
    assert_true(e2e_write_file(csv, "name,profile\nAnne,direktoer\nBo,direktør\n\"Carl,medarbejder\n"));
    e2e_result_t c = run_in("check --roster %s", csv, "", "");
    e2e_result_t rr = run_in("render --roster %s -o %s/w.pdf layouts/worksheet.yaml", csv, dir, "");
    assert_int_equal(c.status, 1);
    assert_int_equal(rr.status, 1);
    assert_string_equal(c.out, "");
    assert_string_equal(c.err, rr.err);
    char want[512];
    snprintf(want, sizeof want, "%s:3:4: error: unknown profile 'direktør'", csv);
    assert_non_null(strstr(c.err, want));
    e2e_result_free(&c);
    e2e_result_free(&rr);
    /* an unsettable name is found when the layout is given */
    assert_true(e2e_write_file(csv, "name,profile\nAnne \xE4\xB8\x80,direktoer\n"));
    c = run_in("check --roster %s layouts/worksheet.yaml", csv, "", "");
    assert_int_equal(c.status, 1);
    assert_non_null(strstr(c.err, "(U+4E00)"));
    e2e_result_free(&c);
    c = run_in("check --roster samples/roster.csv%s%s", "", "", "");
    assert_int_equal(c.status, 0);
    assert_string_equal(c.out, "ok: data/ledelsesgrundlag.yaml (6 profiles, 10 dimensions, 271 bullets) and roster "
                               "samples/roster.csv\n");
    e2e_result_free(&c);
    c = run_in("check --roster samples/roster.csv layouts/worksheet.yaml%s%s", "", "", "");
    assert_int_equal(c.status, 0);
    e2e_result_free(&c);
    free(csv);
    e2e_rmtree(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_checks_every_row_first),
        cmocka_unit_test(test_split_names_ignore_case),
        cmocka_unit_test(test_split_long_name),
        cmocka_unit_test(test_roster_bytes),
        cmocka_unit_test(test_roster_excel_and_nfc),
        cmocka_unit_test(test_missing_column_warned_once),
        cmocka_unit_test(test_check_roster),
    };
    return cmocka_run_group_tests_name("rosters", tests, NULL, NULL);
}
