/* Golden traces: every shipped layout rendered as the text trace and compared
 * with tests/golden/<layout>.trace. The trace says what reference images at
 * their resolution can miss: exact positions, colours with their colour
 * space, page boxes, crop marks, what is tagged and what is an artifact,
 * links, bookmarks and page labels. layouts/sample.yaml keeps the detailed
 * trace (every glyph id and advance: the engine's shaping and breaking);
 * the others a record per line. UPDATE_GOLDEN=1 rewrites the files (review
 * the diff like code). Runs from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "e2e/e2e.h"

/* Renders a layout (its sample's arguments `args`, ending in the layout)
 * as a trace and compares it with the golden file of `stem`; returns whether
 * they are equal (the difference on stderr). */
static bool golden(const char *stem, const char *args, const char *detail) {
    const char *layout = args;
    char *dir = e2e_tmpdir();
    e2e_result_t r = e2e_run("%s render --format %s -o %s/%s.trace %s", e2e_bin(), detail, dir, stem, args);
    if (r.status != 0) fprintf(stderr, "%s: %s", layout, r.err);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    char name[300], want_path[320];
    snprintf(name, sizeof name, "%s.trace", stem);
    snprintf(want_path, sizeof want_path, "tests/golden/%s.trace", stem);
    char *got_path = e2e_path(dir, name);
    char *got = e2e_read_file(got_path, NULL);
    assert_non_null(got);
    if (getenv("UPDATE_GOLDEN")) assert_true(e2e_write_file(want_path, got));
    char *want = e2e_read_file(want_path, NULL);
    bool same = want && strcmp(got, want) == 0;
    if (!want) fprintf(stderr, "%s: no golden trace %s (UPDATE_GOLDEN=1 makes it)\n", layout, want_path);
    else if (!same) {
        r = e2e_run("diff -u %s %s | head -40", want_path, got_path);
        fprintf(stderr, "%s: the trace differs from %s (UPDATE_GOLDEN=1 to accept):\n%s", layout, want_path, r.out);
        e2e_result_free(&r);
    }
    free(got);
    free(want);
    free(got_path);
    e2e_rmtree(dir);
    return same;
}

/* Every layout, with the arguments of its sample (tools/samples.sh: a
 * 542-page card deck is checked by one profile's cards, as its sample). */
static void test_every_layout(void **state) {
    (void)state;
    e2e_result_t r = e2e_run("tools/samples.sh --list");
    assert_int_equal(r.status, 0);
    size_t layouts = 0, differ = 0;
    char *save = NULL;
    for (char *l = strtok_r(r.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        char *tab = strchr(l, '\t');
        assert_non_null(tab);
        *tab = '\0';
        /* a layout's own sample ends with it; variants are named otherwise */
        char own[300];
        snprintf(own, sizeof own, "layouts/%s.yaml", l);
        size_t n = strlen(tab + 1), k = strlen(own);
        if (n < k || strcmp(tab + 1 + n - k, own) != 0) continue;
        layouts++;
        if (!golden(l, tab + 1, strcmp(l, "sample") == 0 ? "trace-glyphs" : "trace")) differ++;
    }
    e2e_result_free(&r);
    assert_true(layouts >= 9);
    assert_int_equal(differ, 0);
}

/* No golden file stays behind for a layout that is gone. */
static void test_no_stale_golden(void **state) {
    (void)state;
    e2e_result_t r = e2e_run("for g in tests/golden/*.trace; do s=${g##*/}; "
                             "[ -f layouts/${s%%.trace}.yaml ] || echo \"$g\"; done");
    assert_int_equal(r.status, 0);
    if (*r.out) fprintf(stderr, "golden traces without a layout:\n%s", r.out);
    assert_string_equal(r.out, "");
    e2e_result_free(&r);
}

/* The trace shows what the reference images cannot: each of these is a
 * property a golden trace must carry. */
static void test_trace_says_it(void **state) {
    (void)state;
    char *t = e2e_read_file("tests/golden/handbook-print.trace", NULL);
    assert_non_null(t);
    assert_int_equal(strncmp(t, "doc title \"", 11), 0); /* metadata */
    assert_non_null(strstr(t, " tagged\n"));
    assert_non_null(strstr(t, " media ")); /* page boxes */
    assert_non_null(strstr(t, " trim "));
    assert_non_null(strstr(t, " bleed "));
    /* crop marks: registration-colour hairline artifacts */
    assert_non_null(strstr(t, "rule Artifact stroke registration(1.000)"));
    assert_non_null(strstr(t, "width 0.25"));
    /* a print file (PDF/X): its output condition, and no links */
    assert_non_null(strstr(t, " print \"Custom\""));
    assert_null(strstr(t, "\n  link "));
    assert_non_null(strstr(t, "\noutline 0 \""));
    assert_non_null(strstr(t, "\nlabel 1 r 1"));
    assert_non_null(strstr(t, "line H1 ")); /* tagged text */
    assert_non_null(strstr(t, "line Artifact ")); /* running heads, folios */
    free(t);
    t = e2e_read_file("tests/golden/handbook.trace", NULL);
    assert_non_null(t);
    assert_non_null(strstr(t, "\n  link Link @ ")); /* contents links, tagged */
    assert_null(strstr(t, " print \""));
    free(t);
}

/* The README's Samples table names exactly the samples that tools/samples.sh
 * renders (and so `make visual` checks): no sample without its row, no row
 * without its sample. */
static void test_samples_table(void **state) {
    (void)state;
    e2e_result_t listed = e2e_run("tools/samples.sh --list | cut -f1 | sort");
    e2e_result_t table = e2e_run("sed -n 's/^| `samples\\/\\([^`]*\\)\\.pdf`.*/\\1/p' README.md | sort");
    assert_int_equal(listed.status, 0);
    assert_int_equal(table.status, 0);
    assert_true(e2e_count_lines(listed.out) >= 11);
    if (strcmp(listed.out, table.out) != 0)
        fprintf(stderr, "tools/samples.sh renders:\n%sthe README's Samples table lists:\n%s", listed.out, table.out);
    assert_string_equal(listed.out, table.out);
    e2e_result_free(&listed);
    e2e_result_free(&table);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_layout),
        cmocka_unit_test(test_no_stale_golden),
        cmocka_unit_test(test_trace_says_it),
        cmocka_unit_test(test_samples_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
