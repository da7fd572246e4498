/* End-to-end: the release is byte-reproducible under another directory,
 * time zone and locale (with a decimal comma); and output never hurts a good
 * file: a directory as target, an impossible path, a full disk, an
 * interrupt — exit 3 (or the signal), a message, the old PDF untouched, no
 * temp file left. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdbool.h>

#include "e2e/e2e.h"

#define NEW_DIR(dir)                \
    char *dir = e2e_tmpdir();       \
    if (!dir) { fail(); return; }

static void test_release_reproducible(void **state) {
    (void)state;
    NEW_DIR(dir);
    char *bin = e2e_abs_bin();
    /* A Danish locale, built here if the system has none compiled. */
    e2e_result_t r = e2e_run("mkdir -p %s/loc && localedef -i da_DK -f UTF-8 %s/loc/da_DK.UTF-8 2>/dev/null; "
                             "LOCPATH=%s/loc LC_ALL=da_DK.UTF-8 /usr/bin/printf '%%.1f' 1.5",
                             dir, dir, dir);
    bool comma = strcmp(r.out, "1,5") == 0;
    e2e_result_free(&r);
    if (!comma) fprintf(stderr, "note: no da_DK locale could be built; the second run uses only another TZ and directory\n");
    r = e2e_run("GRUNDLAG=%s TZ=UTC LC_ALL=C tools/release.sh %s/a > /dev/null && "
                "mkdir -p %s/copy/samples && cp -R data layouts fonts tools %s/copy/ && cp samples/roster.csv %s/copy/samples/ && "
                "cd %s/copy && GRUNDLAG=%s TZ=Pacific/Chatham %s tools/release.sh %s/b > /dev/null && "
                "cmp %s/a/SHA256SUMS %s/b/SHA256SUMS && cat %s/a/SHA256SUMS",
                bin, dir, dir, dir, dir, dir, bin, comma ? "LOCPATH=../loc LC_ALL=da_DK.UTF-8" : "LC_ALL=C", dir, dir, dir,
                dir);
    if (r.status != 0) fprintf(stderr, "%s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    size_t sums = e2e_count_lines(r.out);
    e2e_result_free(&r);
    /* a PDF per layout, the personalised worksheets, and MANIFEST */
    r = e2e_run("ls layouts/*.yaml | wc -l");
    assert_int_equal(sums, (size_t)atoi(r.out) + 2);
    e2e_result_free(&r);
    /* No dates without SOURCE_DATE_EPOCH. */
    r = e2e_run("pdfinfo %s/a/handbook.pdf | grep -c -E '^(CreationDate|ModDate)'", dir);
    assert_string_equal(r.out, "0\n");
    e2e_result_free(&r);
    /* The manifest names layout, kind and pages. */
    r = e2e_run("grep -P '^role-card.pdf\\tlayouts/role-card.yaml\\tcard\\t12\\t[0-9]+$' %s/a/MANIFEST", dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    free(bin);
    e2e_rmtree(dir);
}

static void assert_good_kept(const char *dir, const char *file) {
    e2e_result_t r = e2e_run("cat %s/%s; ls -a %s | grep -c '\\.tmp'", dir, file, dir);
    assert_string_equal(r.out, "good\n0\n");
    e2e_result_free(&r);
}

static void test_target_is_a_directory(void **state) {
    (void)state;
    NEW_DIR(dir);
    e2e_result_t r = e2e_run("mkdir %s/x.pdf && %s render -o %s/x.pdf layouts/sample.yaml", dir, e2e_bin(), dir);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "x.pdf: error: cannot write the PDF: the path is a directory"));
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

static void test_impossible_path(void **state) {
    (void)state;
    NEW_DIR(dir);
    e2e_result_t r = e2e_run("echo x > %s/file && %s render -o %s/file/sub/x.pdf layouts/sample.yaml", dir, e2e_bin(), dir);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "error: cannot create directory: Not a directory"));
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

static void test_full_disk(void **state) {
    (void)state;
    NEW_DIR(dir);
    e2e_result_t r = e2e_run("mkdir %s/small && mount -t tmpfs -o size=48k tmpfs %s/small", dir, dir);
    if (r.status != 0) {
        e2e_result_free(&r);
        e2e_rmtree(dir);
        skip(); /* not allowed to mount here */
    }
    e2e_result_free(&r);
    r = e2e_run("echo good > %s/small/worksheet.pdf && %s render --out-dir %s/small layouts/worksheet.yaml", dir,
                e2e_bin(), dir);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "No space left on device"));
    e2e_result_free(&r);
    char small[4096];
    snprintf(small, sizeof small, "%s/small", dir);
    assert_good_kept(small, "worksheet.pdf");
    r = e2e_run("umount %s/small", dir);
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

/* SIGINT, SIGQUIT (Ctrl-\\) and SIGTERM in the middle of a long run: no
 * temp file, the old PDF intact, the process ended by the signal. */
static void test_interrupt(void **state) {
    (void)state;
    NEW_DIR(dir);
    char *roster = e2e_path(dir, "big.csv");
    FILE *f = fopen(roster, "w");
    fputs("name,profile,seminar,date\n", f);
    static const char *ids[] = {"direktoer", "fag-og-stabschef", "kontraktholder", "leder-af-leder",
                                "leder-af-medarbejder", "medarbejder"};
    for (int i = 0; i < 20000; i++) fprintf(f, "Deltager %d,%s,Seminar,2027-01-01\n", i, ids[i % 6]);
    fclose(f);
    /* A non-interactive shell starts a background job with SIGINT ignored,
     * and grundlag leaves ignored signals ignored (nohup): env restores the
     * default, as an interactive terminal's Ctrl-C would find it. */
    static const struct {
        const char *name;
        int number;
    } sigs[] = {{"INT", SIGINT}, {"QUIT", SIGQUIT}, {"TERM", SIGTERM}};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        e2e_result_t r = e2e_run("echo good > %s/w.pdf; ulimit -c 0; (env --default-signal=%s %s render --roster %s "
                                 "-o %s/w.pdf layouts/worksheet.yaml & "
                                 "pid=$!; sleep 0.4; kill -%s $pid; wait $pid; echo \"rc=$?\")",
                                 dir, sigs[i].name, e2e_bin(), roster, dir, sigs[i].name);
        /* 128 + the signal: killed by it; 0 only if it finished first
         * (then nothing to prove) */
        char want[32];
        snprintf(want, sizeof want, "rc=%d", 128 + sigs[i].number);
        if (!strstr(r.out, want)) fprintf(stderr, "note: SIG%s: %s", sigs[i].name, r.out);
        assert_non_null(strstr(r.out, want));
        e2e_result_free(&r);
        assert_good_kept(dir, "w.pdf");
    }
    free(roster);
    e2e_rmtree(dir);
}

/* Over the file size limit (ulimit -f): an I/O error, exit 3, with a
 * message, no temp file, the old PDF intact (not death by SIGXFSZ). */
static void test_file_size_limit(void **state) {
    (void)state;
    NEW_DIR(dir);
    e2e_result_t r = e2e_run("echo good > %s/h.pdf; ulimit -f 40; %s render -o %s/h.pdf layouts/handbook.yaml", dir,
                             e2e_bin(), dir);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "h.pdf': File too large"));
    e2e_result_free(&r);
    assert_good_kept(dir, "h.pdf");
    e2e_rmtree(dir);
}

/* SOURCE_DATE_EPOCH gives the documents that date, and still the same bytes. */
static void test_source_date_epoch(void **state) {
    (void)state;
    NEW_DIR(dir);
    e2e_result_t r = e2e_run("SOURCE_DATE_EPOCH=1798761600 %s render -o %s/a.pdf layouts/sample.yaml && "
                             "SOURCE_DATE_EPOCH=1798761600 TZ=Asia/Tokyo %s render -o %s/b.pdf layouts/sample.yaml && "
                             "cmp %s/a.pdf %s/b.pdf && pdfinfo %s/a.pdf | grep -E '^(CreationDate|ModDate)'",
                             e2e_bin(), dir, e2e_bin(), dir, dir, dir, dir);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "CreationDate:    Fri Jan  1 00:00:00 2027 UTC\nModDate:         Fri Jan  1 00:00:00 2027 UTC\n");
    e2e_result_free(&r);
    r = e2e_run("SOURCE_DATE_EPOCH=soon %s render -o %s/c.pdf layouts/sample.yaml", e2e_bin(), dir);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "SOURCE_DATE_EPOCH must be a number of seconds"));
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

/* make install puts the binary, the man page and the data, fonts and
 * layouts where the installed binary finds them (from any directory). */
static void test_install(void **state) {
    (void)state;
    NEW_DIR(dir);
    e2e_result_t r = e2e_run("make -s install PREFIX=/usr/local DESTDIR=%s >/dev/null && ls %s/usr/local/share/man/man1 && "
                             "cd / && GRUNDLAG_DATADIR=%s/usr/local/share/grundlag %s/usr/local/bin/grundlag render -o %s/h.pdf "
                             "%s/usr/local/share/grundlag/layouts/role-card.yaml && pdfinfo %s/h.pdf | grep Pages",
                             dir, dir, dir, dir, dir, dir, dir);
    if (r.status != 0) fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "grundlag.1"));
    assert_non_null(strstr(r.out, "Pages:           12"));
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

/* `make` and then `make install PREFIX=elsewhere` (as a packager or a user
 * does): the installed binary looks for its data under the new prefix, not
 * the one it was first built for, with no GRUNDLAG_DATADIR to help; the
 * man page names that prefix and shows its 'ø'. Runs in a copy of the tree
 * (with the build's objects, so only main.o is compiled again). */
static void test_install_other_prefix(void **state) {
    (void)state;
    NEW_DIR(dir);
    e2e_result_t r = e2e_run("mkdir %s/tree && cp -a Makefile src docs data fonts layouts tools %s/tree/ && "
                             "{ [ ! -d build/src ] || { mkdir %s/tree/build && cp -a build/src build/libgrundlag.a "
                             "%s/tree/build/; }; } && cd %s/tree && "
                             "timeout 600 make -s grundlag PREFIX=%s/old >/dev/null && "
                             "timeout 600 make -s install PREFIX=%s/new >/dev/null && "
                             "cd / && env -u GRUNDLAG_DATADIR %s/new/bin/grundlag list | head -n 1 && "
                             "grep -c '%s/new/share/grundlag' %s/new/share/man/man1/grundlag.1 && "
                             "groff -man -Tutf8 -ww %s/new/share/man/man1/grundlag.1 2>&1 >/dev/null | wc -l && "
                             "groff -man -Tutf8 %s/new/share/man/man1/grundlag.1 2>/dev/null | grep -c 'ø→oe'",
                             dir, dir, dir, dir, dir, dir, dir, dir, dir, dir, dir, dir);
    if (r.status != 0) fprintf(stderr, "%s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "direktoer             Direktør                      10 sections   43 bullets\n"
                               "1\n0\n1\n");
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_release_reproducible), cmocka_unit_test(test_target_is_a_directory),
        cmocka_unit_test(test_impossible_path),      cmocka_unit_test(test_full_disk),
        cmocka_unit_test(test_interrupt),           cmocka_unit_test(test_file_size_limit),
        cmocka_unit_test(test_install),
        cmocka_unit_test(test_install_other_prefix),
        cmocka_unit_test(test_source_date_epoch),
    };
    return cmocka_run_group_tests_name("release", tests, NULL, NULL);
}
