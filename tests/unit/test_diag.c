/* test_diag: the diagnostics sink's wording, and that a line is printed
 * once however often the same problem is met (counted every time). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "diag.h"
#include "unit/sink.h"

static void test_wording(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    diag_error(s.d, diag_at("a.yaml", 3, 7), "bad %s", "thing");
    diag_warning(s.d, diag_at("a.yaml", 4, 0), "odd");
    diag_note(s.d, diag_file("b.csv"), "see %d", 2);
    diag_error(s.d, diag_nowhere(), "no file");
    assert_string_equal(sink_text(&s), "a.yaml:3:7: error: bad thing\n"
                                       "a.yaml:4: warning: odd\n"
                                       "b.csv: note: see 2\n"
                                       "grundlag: error: no file\n");
    sink_close(&s);
}

/* The same font met by every style, the same missing column met by every
 * participant: one line, every occurrence counted (so the run still fails). */
static void test_repeated_line_printed_once(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    for (int i = 0; i < 500; i++) {
        diag_error(s.d, diag_at("l.yaml", 11, 14), "'%s' is not a usable font file", "x.ttf");
        diag_note(s.d, diag_at("l.yaml", 11, 14), "looked for '%s'", "x.ttf");
        diag_warning(s.d, diag_at("l.yaml", 20, 3), "the layout uses {seminar}");
    }
    assert_string_equal(sink_text(&s), "l.yaml:11:14: error: 'x.ttf' is not a usable font file\n"
                                       "l.yaml:11:14: note: looked for 'x.ttf'\n"
                                       "l.yaml:20:3: warning: the layout uses {seminar}\n");
    assert_int_equal(diag_error_count(s.d), 500);
    assert_int_equal(diag_warning_count(s.d), 500);
    sink_close(&s);
}

/* Lines that differ in position, severity or words are all printed; a note
 * repeats under each line it belongs to. */
static void test_different_lines_all_printed(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    diag_error(s.d, diag_at("l.yaml", 11, 14), "bad");
    diag_note(s.d, diag_file("l.yaml"), "hint");
    diag_error(s.d, diag_at("l.yaml", 12, 14), "bad");
    diag_note(s.d, diag_file("l.yaml"), "hint");
    diag_warning(s.d, diag_at("l.yaml", 12, 14), "bad");
    diag_error(s.d, diag_at("l.yaml", 12, 14), "worse");
    assert_string_equal(sink_text(&s), "l.yaml:11:14: error: bad\n"
                                       "l.yaml: note: hint\n"
                                       "l.yaml:12:14: error: bad\n"
                                       "l.yaml: note: hint\n"
                                       "l.yaml:12:14: warning: bad\n"
                                       "l.yaml:12:14: error: worse\n");
    sink_close(&s);
}

/* Thousands of distinct lines (a roster's rows): all printed, the set grows. */
static void test_many_distinct_lines(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    for (int i = 1; i <= 3000; i++) diag_warning(s.d, diag_at("r.csv", i, 1), "row %d", i);
    const char *t = sink_text(&s);
    size_t lines = 0;
    for (const char *p = t; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 3000);
    assert_non_null(strstr(t, "r.csv:2999:1: warning: row 2999\n"));
    sink_close(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wording),
        cmocka_unit_test(test_repeated_line_printed_once),
        cmocka_unit_test(test_different_lines_all_printed),
        cmocka_unit_test(test_many_distinct_lines),
    };
    return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
