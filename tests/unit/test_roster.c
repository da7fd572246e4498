/* test_roster: the CSV reader's defences and the --split file names, on
 * byte strings: UTF-16 and NUL bytes refused with advice and a position,
 * Excel's "sep=;" line, fields in NFC; names numbered ignoring case, cut to
 * a safe length, in linear time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "roster.h"
#include "unit/sink.h"

static roster_t *parse(sink_t *s, const char *bytes, size_t len) {
    return roster_parse("r.csv", bytes, len, NULL, s->d);
}

#define PARSE(s, lit) parse((s), (lit), sizeof(lit) - 1)

static void expect_error(const char *bytes, size_t len, const char *message) {
    sink_t s;
    sink_open(&s);
    assert_null(parse(&s, bytes, len));
    assert_string_equal(sink_text(&s), message);
    sink_close(&s);
}

#define SAVE_AS " text, not UTF-8: in the spreadsheet use Save As \"CSV UTF-8 (comma delimited) (*.csv)\"\n"

static void test_utf16_refused(void **state) {
    (void)state;
    static const struct { const char *bytes; size_t len; const char *message; } cases[] = {
        {"\xFF\xFEn\0a\0m\0e\0,\0p\0", 14, "r.csv: error: the roster is UTF-16 (little-endian)" SAVE_AS},
        {"\xFE\xFF\0n\0a\0m\0e\0,\0p", 14, "r.csv: error: the roster is UTF-16 (big-endian)" SAVE_AS},
        /* no byte-order mark: a zero beside every ASCII letter */
        {"n\0a\0m\0e\0,\0p\0r\0o\0f\0i\0l\0e\0\n\0", 26, "r.csv: error: the roster is UTF-16 (little-endian)" SAVE_AS},
        {"\xFF\xFE\0\0n\0\0\0", 8, "r.csv: error: the roster is UTF-32 (little-endian)" SAVE_AS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) expect_error(cases[i].bytes, cases[i].len, cases[i].message);
}

static void test_nul_byte(void **state) {
    (void)state;
    static const char csv[] = "name,profile\nBørge\0x,medarbejder\n";
    expect_error(csv, sizeof csv - 1, "r.csv:2:6: error: a NUL byte (character 0) in the roster: is this a CSV text file?\n");
}

static void test_excel_sep_line(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    roster_t *r = PARSE(&s, "\xEF\xBB\xBFsep=;\r\nName;Profile;Note\r\nHansen, Ole;x;a,b\r\n");
    assert_non_null(r);
    assert_int_equal(r->column_count, 3);
    assert_int_equal(r->count, 1);
    assert_string_equal(roster_value(r, &r->rows[0], "name"), "Hansen, Ole");
    assert_string_equal(roster_value(r, &r->rows[0], "note"), "a,b");
    assert_int_equal(r->rows[0].line, 3);
    roster_drop(r);
    /* "sep=," too, and a header error names line 2 */
    assert_null(PARSE(&s, "sep=,\nnavn,profile\nA,x\n"));
    assert_string_equal(sink_text(&s), "r.csv:2:1: error: the header has no column 'name'; the roster needs the "
                                       "columns name and profile\n");
    sink_close(&s);
}

static void test_fields_in_nfc(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    roster_t *r = PARSE(&s, "name,profile,city\nKa\xCC\x8Are,x,A\xCC\x8Arhus\n");
    assert_non_null(r);
    assert_string_equal(roster_value(r, &r->rows[0], "name"), "K\xC3\xA5re");
    assert_string_equal(roster_value(r, &r->rows[0], "city"), "\xC3\x85rhus");
    roster_drop(r);
    sink_close(&s);
}

/* The file names of every row of a parsed roster. */
static char **names_of(roster_t *r) {
    const roster_row_t **rows = malloc(r->count * sizeof *rows);
    assert_non_null(rows);
    for (size_t i = 0; i < r->count; i++) rows[i] = &r->rows[i];
    char **n = roster_file_names(r, rows, r->count);
    free(rows);
    assert_non_null(n);
    return n;
}

static void test_file_names(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    roster_t *r = PARSE(&s, "name,profile\nAnne,x\nanne,x\nANNE,x\nAnne 2,x\nAnne,x\n!!!,x\n???,x\nSøren Ærø,x\n"
                            "Con,x\n../../etc/passwd,x\nlpt1,x\nCOM10,x\n.hidden,x\n");
    assert_non_null(r);
    char **n = names_of(r);
    static const char *want[] = {"Anne",         "anne-2", "ANNE-3", "Anne-2-2", "Anne-4",
                                 "participant",  "participant-2", "Soeren-Aeroe", "Con-1", "etcpasswd",
                                 "lpt1-1",       "COM10",  "hidden"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) assert_string_equal(n[i], want[i]);
    roster_file_names_free(n, r->count);
    roster_drop(r);
    sink_close(&s);
}

static void test_file_names_shortened(void **state) {
    (void)state;
    char csv[1400] = "name,profile\n";
    for (int i = 0; i < 150; i++) strcat(csv, "abc ");
    strcat(csv, ",x\n");
    for (int i = 0; i < 150; i++) strcat(csv, "abc ");
    strcat(csv, ",x\n");
    sink_t s;
    sink_open(&s);
    roster_t *r = parse(&s, csv, strlen(csv));
    assert_non_null(r);
    char **n = names_of(r);
    assert_int_equal(strlen(n[0]), 99); /* "abc-abc-...-abc" cut at 100, then the dangling '-' */
    assert_string_equal(n[0] + 96, "abc");
    assert_int_equal(strlen(n[1]), 101);
    assert_string_equal(n[1] + 96, "abc-2");
    roster_file_names_free(n, r->count);
    roster_drop(r);
    sink_close(&s);
}

/* 20,000 equal names (the old numbering compared each with all before it,
 * for every number tried: cubic). alarm() is a guard, not a measurement. */
static void test_file_names_linear(void **state) {
    (void)state;
    size_t n = 20000;
    char *csv = malloc(32 + n * 16);
    assert_non_null(csv);
    strcpy(csv, "name,profile\n");
    char *w = csv + strlen(csv);
    for (size_t i = 0; i < n; i++) w += sprintf(w, i % 2 ? "Deltager,x\n" : "deltager,x\n");
    sink_t s;
    sink_open(&s);
    roster_t *r = parse(&s, csv, strlen(csv));
    assert_non_null(r);
    alarm(60);
    char **names = names_of(r);
    alarm(0);
    assert_string_equal(names[0], "deltager");
    assert_string_equal(names[1], "Deltager-2");
    assert_string_equal(names[n - 1], "Deltager-20000");
    roster_file_names_free(names, r->count);
    roster_drop(r);
    sink_close(&s);
    free(csv);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf16_refused),        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_excel_sep_line),       cmocka_unit_test(test_fields_in_nfc),
        cmocka_unit_test(test_file_names),           cmocka_unit_test(test_file_names_shortened),
        cmocka_unit_test(test_file_names_linear),
    };
    return cmocka_run_group_tests_name("roster", tests, NULL, NULL);
}
