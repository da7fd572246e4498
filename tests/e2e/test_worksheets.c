/* End-to-end: reflection worksheets, blank and personalised from a roster;
 * --split with safe file names; roster errors with line and column and no
 * PDF left behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "e2e/e2e.h"

#define NEW_DIR(dir)                \
    char *dir = e2e_tmpdir();       \
    if (!dir) { fail(); return; }

/* Every bullet of a profile's sections and pitfalls (not its group). */
static void check_items(const char *text, const char *id) {
    char *src = e2e_read_file("data/ledelsesgrundlag.yaml", NULL);
    char *all = e2e_squash(text);
    bool in = false, group = false;
    size_t n = 0, missing = 0;
    char *save = NULL;
    for (char *line = strtok_r(src, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strstr(line, "  - id: ")) in = strcmp(strstr(line, "id: ") + 4, id) == 0;
        if (strstr(line, "    group:")) group = true;
        if (strstr(line, "    sections:")) group = false;
        if (!in || group || !strstr(line, "- \"")) continue;
        char *s = e2e_item_text(line);
        if (!s) continue;
        char *want = e2e_squash(s);
        if (!strstr(all, want)) {
            fprintf(stderr, "worksheet of %s lacks: %s\n", id, s);
            missing++;
        }
        n++;
        free(want);
        free(s);
    }
    free(all);
    free(src);
    assert_true(n > 25);
    assert_int_equal(missing, 0);
}

static const char *ids[] = {"direktoer", "fag-og-stabschef", "kontraktholder", "leder-af-leder",
                            "leder-af-medarbejder", "medarbejder"};

static void test_blank_worksheets(void **state) {
    (void)state;
    NEW_DIR(dir);
    e2e_result_t r = e2e_run("%s render --split --out-dir %s layouts/worksheet.yaml && ls %s/worksheet", e2e_bin(), dir, dir);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "direktoer.pdf\nfag-og-stabschef.pdf\nkontraktholder.pdf\nleder-af-leder.pdf\n"
                               "leder-af-medarbejder.pdf\nmedarbejder.pdf\n");
    e2e_result_free(&r);
    for (int i = 0; i < 6; i++) {
        r = e2e_run("pdftotext %s/worksheet/%s.pdf -", dir, ids[i]);
        assert_int_equal(r.status, 0);
        check_items(r.out, ids[i]);
        /* the scale's labels and the prompts */
        assert_non_null(strstr(r.out, "i lav grad"));
        assert_non_null(strstr(r.out, "i høj grad"));
        assert_non_null(strstr(r.out, "Hvad vil jeg udvikle?"));
        e2e_result_free(&r);
    }
    e2e_rmtree(dir);
}

/* No page break separates an item from its scale: on every page, each
 * item's text is followed by a scale before the next item or page end. */
static void test_item_keeps_its_scale(void **state) {
    (void)state;
    NEW_DIR(dir);
    e2e_result_t r = e2e_run("%s render -o %s/w.pdf layouts/worksheet.yaml && pdfinfo %s/w.pdf | grep Pages", e2e_bin(),
                             dir, dir);
    assert_int_equal(r.status, 0);
    int pages = atoi(strstr(r.out, ":") + 1);
    e2e_result_free(&r);
    assert_true(pages > 6);
    for (int p = 1; p <= pages; p++) {
        r = e2e_run("pdftotext -f %d -l %d %s/w.pdf - | grep -c -E '^• |^i lav grad$'", p, p, dir);
        e2e_result_free(&r);
        /* per page: bullets and scales pair up */
        e2e_result_t b = e2e_run("pdftotext -f %d -l %d %s/w.pdf - | grep -c '^• '", p, p, dir);
        e2e_result_t s = e2e_run("pdftotext -f %d -l %d %s/w.pdf - | grep -c '^i lav grad$'", p, p, dir);
        if (atoi(b.out) != atoi(s.out)) fprintf(stderr, "page %d: %d items, %d scales\n", p, atoi(b.out), atoi(s.out));
        assert_int_equal(atoi(b.out), atoi(s.out));
        e2e_result_free(&b);
        e2e_result_free(&s);
    }
    e2e_rmtree(dir);
}

static void test_personalised(void **state) {
    (void)state;
    NEW_DIR(dir);
    e2e_result_t r = e2e_run("%s render --roster samples/roster.csv -o %s/all.pdf layouts/worksheet.yaml && "
                             "pdftotext %s/all.pdf -",
                             e2e_bin(), dir, dir);
    assert_int_equal(r.status, 0);
    /* every name, in roster order; quoted fields with commas and quotes */
    const char *names[] = {"Anne Sørensen", "Bjørn Ægidius Hansen", "Kjær, Mette", "Lars Åkesson", "Fatima El-Amin",
                           "Søren Østergaard Kristensen-Villadsen", "Ida Marie Holm", "Jens Peter Damgaard",
                           "Christina Bækgaard Ravnsbæk-Thorsager de la Cour", "Mikkel Lund"};
    const char *at = r.out;
    for (size_t i = 0; i < 10; i++) {
        const char *hit = strstr(at, names[i]);
        if (!hit) fprintf(stderr, "name missing or out of order: %s\n", names[i]);
        assert_non_null(hit);
        at = hit;
    }
    assert_non_null(strstr(r.out, "Ledelsesseminar 2027"));
    assert_non_null(strstr(r.out, "2027-03-10"));
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

static void test_split_names(void **state) {
    (void)state;
    NEW_DIR(dir);
    char *roster = e2e_path(dir, "r.csv");
    e2e_write_file(roster, "name,profile\n"
                           "Søren Ærø,medarbejder\n"
                           "Søren Ærø,direktoer\n"
                           "\"Åse Kjær-Ibsen, jr.\",medarbejder\n"
                           "José Núñez,kontraktholder\n"
                           "!!!,medarbejder\n");
    e2e_result_t r = e2e_run("%s render --roster %s --split --out-dir %s layouts/worksheet.yaml && ls %s/worksheet",
                             e2e_bin(), roster, dir, dir);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "Aase-Kjaer-Ibsen-jr.pdf\nJose-Nunez.pdf\nSoeren-Aeroe-2.pdf\nSoeren-Aeroe.pdf\n"
                               "participant.pdf\n");
    e2e_result_free(&r);
    r = e2e_run("pdftotext %s/worksheet/Soeren-Aeroe-2.pdf - | grep -c Direktør", dir);
    assert_true(atoi(r.out) >= 1);
    e2e_result_free(&r);
    free(roster);
    e2e_rmtree(dir);
}

/* A roster as spreadsheets write it: BOM, CRLF, semicolons, quotes. */
static void test_spreadsheet_roster(void **state) {
    (void)state;
    NEW_DIR(dir);
    char *roster = e2e_path(dir, "excel.csv");
    e2e_write_file(roster, "\xEF\xBB\xBFName;Profile;Seminar;Date\r\n"
                           "\"Hansen; Ole \"\"Bager\"\"\";leder-af-leder;Forår;1. april\r\n"
                           "Birte Ø;medarbejder;Forår;2. april\r\n\r\n");
    e2e_result_t r = e2e_run("%s render --roster %s -o %s/x.pdf layouts/worksheet.yaml && pdftotext %s/x.pdf -",
                             e2e_bin(), roster, dir, dir);
    assert_int_equal(r.status, 0);
    /* the CSV's doubled quotes are one quote each, set as the layout's
     * Danish punctuation sets the data's quotes */
    assert_non_null(strstr(r.out, "Hansen; Ole »Bager«"));
    assert_non_null(strstr(r.out, "Birte Ø"));
    assert_non_null(strstr(r.out, "1. april"));
    e2e_result_free(&r);
    free(roster);
    e2e_rmtree(dir);
}

typedef struct bad_roster {
    const char *name, *csv, *message;
} bad_roster_t;

static void test_roster_errors(void **state) {
    (void)state;
    static const bad_roster_t cases[] = {
        {"unknown-profile", "name,profile\nAnne,direktoer\nBo,direktør\n",
         "bad.csv:3:4: error: unknown profile 'direktør'; valid profiles: direktoer, fag-og-stabschef, kontraktholder, "
         "leder-af-leder, leder-af-medarbejder, medarbejder\n"},
        {"missing-column", "name,rolle\nAnne,direktoer\n",
         "bad.csv:1:1: error: the header has no column 'profile'; the roster needs the columns name and profile\n"},
        {"wrong-field-count", "name,profile\nKjær, Mette,direktoer\n",
         "bad.csv:2:1: error: this row has 3 fields, the header has 2 (a comma inside a name must be in quotes)\n"},
        {"unclosed-quote", "name,profile\n\"Anne,direktoer\n", "bad.csv:2:1: error: a quoted field is never closed (a '\"' is missing)\n"},
        {"empty", "", "bad.csv: error: the roster is empty; it needs a header row with the columns name and profile\n"},
        {"latin1", "name,profile\nS\xF8ren,medarbejder\n",
         "bad.csv:2:2: error: invalid UTF-8: save the roster as \"CSV UTF-8\" (not Latin-1 or Windows-1252)\n"},
        {"unsettable-name", "name,profile\nAnne \xE4\xB8\x80,direktoer\n", "bad.csv:2:1: error: character '\xE4\xB8\x80' (U+4E00)"},
        {"no-rows", "name,profile\n", "bad.csv: error: the roster has a header but no participants\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        NEW_DIR(dir);
        char *csv = e2e_path(dir, "bad.csv");
        e2e_write_file(csv, cases[i].csv);
        e2e_result_t r = e2e_run("cd %s && echo good > w.pdf && %s/%s render --data %s/data/ledelsesgrundlag.yaml "
                                 "--roster bad.csv -o w.pdf %s/layouts/worksheet.yaml; echo \"rc=$?\"; cat w.pdf; "
                                 "ls -a | grep -c tmp",
                                 dir, getenv("PWD") ? getenv("PWD") : ".", e2e_bin(), getenv("PWD"), getenv("PWD"));
        if (!strstr(r.err, cases[i].message) || !strstr(r.out, "rc=1\ngood\n0\n"))
            fprintf(stderr, "case %s:\n want: %s\n got: %s\n out: %s\n", cases[i].name, cases[i].message, r.err, r.out);
        assert_non_null(strstr(r.err, cases[i].message));
        assert_non_null(strstr(r.out, "rc=1\ngood\n0\n"));
        e2e_result_free(&r);
        free(csv);
        e2e_rmtree(dir);
    }
}

/* The layout names a {column} the roster lacks: a warning, the field is
 * left blank, the worksheet is made. */
static void test_layout_column_missing(void **state) {
    (void)state;
    NEW_DIR(dir);
    char *csv = e2e_path(dir, "r.csv");
    e2e_write_file(csv, "name,profile\nAnne,direktoer\n");
    e2e_result_t r = e2e_run("%s render --roster %s -o %s/w.pdf layouts/worksheet.yaml && pdftotext -l 1 %s/w.pdf -",
                             e2e_bin(), csv, dir, dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "warning: the layout uses {seminar}, but"));
    assert_non_null(strstr(r.err, "has no column 'seminar'; the field is left blank"));
    assert_non_null(strstr(r.out, "Anne"));
    e2e_result_free(&r);
    free(csv);
    e2e_rmtree(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blank_worksheets),   cmocka_unit_test(test_item_keeps_its_scale),
        cmocka_unit_test(test_personalised),       cmocka_unit_test(test_split_names),
        cmocka_unit_test(test_spreadsheet_roster), cmocka_unit_test(test_roster_errors),
        cmocka_unit_test(test_layout_column_missing),
    };
    return cmocka_run_group_tests_name("worksheets", tests, NULL, NULL);
}
