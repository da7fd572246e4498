/* End-to-end: safe in a shared folder and against careless or hostile
 * input (issue 15). Inputs: only regular files are read, within a size
 * limit (a FIFO or /dev/zero is refused at once; fonts: test_resources).
 * Every run here is guarded by `timeout` and, for
 * the release build, a memory limit: a regression fails instead of hanging
 * or eating the machine. The guards bound; nothing here asserts a time.
 * Outputs: only a regular file or a new name is replaced (not a device, a
 * link, one of the run's inputs); the temp file is created exclusively under
 * an unpredictable name; layouts with the same stem are refused before
 * anything is written; `-o -` is standard output. Signals ignored at start
 * (nohup) stay ignored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "e2e/e2e.h"

/* ---- inputs: regular files only, bounded -------------------------------------- */

/* Data, layout and roster as a FIFO nobody writes to (open would block for
 * ever) and as /dev/zero (never ends): refused with exit 1 and the reason. */
static void test_inputs_must_be_regular_files(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    e2e_result_t r = e2e_run("mkfifo %s/pipe", dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    static const struct { const char *args, *file, *why; } cases[] = {
        {"check --data %s/pipe layouts/sample.yaml", "pipe", "cannot read file: it is a FIFO (named pipe), not a regular file"},
        {"check --data /dev/zero%.0s layouts/sample.yaml", "/dev/zero", "cannot read file: it is a character device, not a regular file"},
        {"check %s/pipe", "pipe", "cannot read file: it is a FIFO (named pipe), not a regular file"},
        {"check /dev/zero%.0s", "/dev/zero", "cannot read file: it is a character device, not a regular file"},
        {"render --roster %s/pipe -o /dev/null layouts/worksheet.yaml", "pipe", "cannot read the roster: it is a FIFO"},
        {"render --roster /dev/zero%.0s -o x.pdf layouts/worksheet.yaml", "/dev/zero", "cannot read the roster: it is a character device"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[256];
        snprintf(args, sizeof args, cases[i].args, dir);
        r = e2e_run("%s %s %s", e2e_guard(), e2e_bin(), args);
        if (r.status != 1 || !strstr(r.err, cases[i].why))
            fprintf(stderr, "case %zu (%s): exit %d\n%s", i, args, r.status, r.err);
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, cases[i].file));
        assert_non_null(strstr(r.err, cases[i].why));
        e2e_result_free(&r);
    }
    e2e_rmtree(dir);
}

/* ---- outputs ------------------------------------------------------------------ */

/* A device node as -o (as root; a FIFO otherwise): refused with exit 3, the
 * node left as it was. */
static void test_output_device_node(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    char *bin = e2e_abs_bin();
    e2e_result_t r = e2e_run("cd %s && (mknod node.pdf c 1 3 2>/dev/null || mkfifo node.pdf) && "
                             "%s %s render --data %s/data/ledelsesgrundlag.yaml -o node.pdf %s/layouts/sample.yaml; "
                             "echo \"rc=$?\"; [ -c node.pdf ] || [ -p node.pdf ] && echo kept; ls -a | grep -c tmp",
                             dir, e2e_guard(), bin, getenv("PWD"), getenv("PWD"));
    if (!strstr(r.out, "rc=3\nkept\n0\n")) fprintf(stderr, "%s%s", r.out, r.err);
    assert_string_equal(r.out, "rc=3\nkept\n0\n");
    assert_non_null(strstr(r.err, "node.pdf: error: refusing to write the PDF there: the path is a "));
    assert_non_null(strstr(r.err, "grundlag replaces only regular files"));
    e2e_result_free(&r);
    free(bin);
    e2e_rmtree(dir);
}

/* -o naming one of the run's own inputs (the data, the layout, the roster,
 * a font, the hyphenation patterns, the ICC profile; also through a
 * symbolic link or a hard link): refused, the input unchanged. */
static void test_output_is_an_input(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    char *bin = e2e_abs_bin();
    e2e_result_t r = e2e_run("cp -R data layouts fonts %s/ && printf 'name,profile\nAnne,direktoer\n' > %s/r.csv && "
                             "cd %s && ln data/ledelsesgrundlag.yaml hard.pdf && md5sum data/*.yaml layouts/*.yaml "
                             "fonts/*.ttf r.csv > sums",
                             dir, dir, dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    static const struct { const char *out, *layout, *what; } cases[] = {
        {"data/ledelsesgrundlag.yaml", "sample", "it is the data file of this run"},
        {"layouts/sample.yaml", "sample", "it is a layout of this run"},
        {"layouts/../layouts/worksheet.yaml", "worksheet", "it is a layout of this run"},
        {"r.csv", "worksheet", "it is the roster of this run"},
        {"fonts/NotoSans-Regular.ttf", "sample", "it is a font file of this run"},
        {"hard.pdf", "sample", "it is the data file of this run"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r = e2e_run("cd %s && %s %s render --data data/ledelsesgrundlag.yaml %s -o %s layouts/%s.yaml; "
                    "echo \"rc=$?\"; md5sum -c --quiet sums && echo same",
                    dir, e2e_guard(), bin, strcmp(cases[i].layout, "worksheet") ? "" : "--roster r.csv",
                    cases[i].out, cases[i].layout);
        if (!strstr(r.err, cases[i].what) || strcmp(r.out, "rc=3\nsame\n"))
            fprintf(stderr, "-o %s: %s%s", cases[i].out, r.out, r.err);
        assert_string_equal(r.out, "rc=3\nsame\n");
        assert_non_null(strstr(r.err, "error: refusing to write the PDF there: "));
        assert_non_null(strstr(r.err, cases[i].what));
        e2e_result_free(&r);
    }
    /* Files the layout and the data only point to: the hyphenation patterns
     * (here a copy, through GRUNDLAG_HYPHEN_DIR) and a print layout's ICC
     * output profile (a copy, named relative to the layout). */
    r = e2e_run("cd %s && mkdir hy && cp /usr/share/hyphen/hyph_da_DK.dic hy/ && "
                "cp /usr/share/color/icc/ghostscript/default_cmyk.icc layouts/cmyk.icc && "
                "sed 's#^  output_profile: .*#  output_profile: cmyk.icc#' layouts/role-card-print.yaml > layouts/p.yaml && "
                "grep -q 'output_profile: cmyk.icc' layouts/p.yaml && md5sum hy/*.dic layouts/cmyk.icc > sums2",
                dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    static const struct { const char *out, *layout, *what; } pointed[] = {
        {"hy/hyph_da_DK.dic", "sample", "it is the hyphenation patterns of this run"},
        {"layouts/cmyk.icc", "p", "it is the ICC output profile of this run"},
    };
    for (size_t i = 0; i < sizeof pointed / sizeof pointed[0]; i++) {
        r = e2e_run("cd %s && export GRUNDLAG_HYPHEN_DIR=hy; %s %s render --data data/ledelsesgrundlag.yaml -o %s layouts/%s.yaml; "
                    "echo \"rc=$?\"; md5sum -c --quiet sums2 && echo same",
                    dir, e2e_guard(), bin, pointed[i].out, pointed[i].layout);
        if (!strstr(r.err, pointed[i].what) || strcmp(r.out, "rc=3\nsame\n"))
            fprintf(stderr, "-o %s: %s%s", pointed[i].out, r.out, r.err);
        assert_string_equal(r.out, "rc=3\nsame\n");
        assert_non_null(strstr(r.err, pointed[i].what));
        e2e_result_free(&r);
    }
    free(bin);
    e2e_rmtree(dir);
}

/* Someone sharing the folder plants a link where the temp file would go
 * (the old name was ".x.pdf.tmp<pid>"; `exec` keeps the shell's pid) and
 * another at the target: neither is written through. */
static void test_planted_links(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    char *bin = e2e_abs_bin();
    const char *pwd = getenv("PWD");
    e2e_result_t r = e2e_run("cd %s && echo precious > victim && ln -s victim link.pdf && "
                             "%s sh -c 'ln -s victim .x.pdf.tmp$$ && exec %s render --data %s/data/ledelsesgrundlag.yaml "
                             "-o x.pdf %s/layouts/sample.yaml'; echo \"rc=$?\"; "
                             "%s render --data %s/data/ledelsesgrundlag.yaml -o link.pdf %s/layouts/sample.yaml; "
                             "echo \"rc=$?\"; cat victim; head -c 5 x.pdf; echo; ls -a | grep -c '^\\.x\\.pdf\\.tmp'",
                             dir, e2e_guard(), bin, pwd, pwd, bin, pwd, pwd);
    if (strcmp(r.out, "rc=0\nrc=3\nprecious\n%PDF-\n1\n")) fprintf(stderr, "%s%s", r.out, r.err);
    assert_string_equal(r.out, "rc=0\nrc=3\nprecious\n%PDF-\n1\n"); /* only the planted link is left */
    assert_non_null(strstr(r.err, "link.pdf: error: refusing to write the PDF there: the path is a symbolic link"));
    e2e_result_free(&r);
    free(bin);
    e2e_rmtree(dir);
}

/* Two layouts with the same stem (in any case) into one --out-dir: refused
 * before anything is written, exit 2; with -o or different stems, fine. */
static void test_same_stem_layouts(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    e2e_result_t r = e2e_run("mkdir -p %s/a %s/b && sed 's|: Noto|: %s/fonts/Noto|' layouts/sample.yaml > %s/a/card.yaml && "
                             "cp %s/a/card.yaml %s/b/Card.yaml && %s %s render --out-dir %s/out layouts/role-card.yaml "
                             "%s/a/card.yaml %s/b/Card.yaml; echo \"rc=$?\"; ls %s/out 2>/dev/null | wc -l",
                             dir, dir, getenv("PWD"), dir, dir, dir, e2e_guard(), e2e_bin(), dir, dir, dir, dir);
    if (strcmp(r.out, "rc=2\n0\n")) fprintf(stderr, "%s%s", r.out, r.err);
    assert_string_equal(r.out, "rc=2\n0\n");
    char want[512];
    snprintf(want, sizeof want, "%s/b/Card.yaml: error: this layout and '%s/a/card.yaml' would both write %s/out/card.pdf",
             dir, dir, dir);
    assert_non_null(strstr(r.err, want));
    e2e_result_free(&r);
    /* the same with --split: both would write into out/card/ */
    r = e2e_run("%s %s render --split --out-dir %s/out %s/a/card.yaml %s/b/Card.yaml; echo \"rc=$?\"", e2e_guard(),
                e2e_bin(), dir, dir, dir);
    assert_string_equal(r.out, "rc=2\n");
    assert_non_null(strstr(r.err, "would both write"));
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

/* -o - writes the PDF to standard output (and no file named '-'); a failing
 * run writes nothing there. */
static void test_output_to_stdout(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    e2e_result_t r = e2e_run("%s %s render -o - layouts/sample.yaml > %s/s.pdf && pdfinfo %s/s.pdf | grep -c Pages "
                             "&& ls %s",
                             e2e_guard(), e2e_bin(), dir, dir, dir);
    if (r.status) fprintf(stderr, "%s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "1\ns.pdf\n");
    e2e_result_free(&r);
    /* the same bytes as a file */
    r = e2e_run("%s render -o %s/f.pdf layouts/sample.yaml && cmp %s/f.pdf %s/s.pdf", e2e_bin(), dir, dir, dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    /* a character no font has: exit 1 and nothing on standard output */
    r = e2e_run("sed 's/\"Direktør\"/\"Direktør \xE4\xB8\x80\"/' data/ledelsesgrundlag.yaml > %s/d.yaml && "
                "%s %s render --data %s/d.yaml -o - layouts/sample.yaml | wc -c",
                dir, e2e_guard(), e2e_bin(), dir);
    assert_string_equal(r.out, "0\n");
    assert_non_null(strstr(r.err, "(U+4E00)"));
    e2e_result_free(&r);
    /* standard output a terminal (script(1) gives one): a usage error, no
     * PDF bytes on the screen */
    r = e2e_run("command -v script >/dev/null || exit 77; %s script -qec '%s render -o - layouts/sample.yaml' /dev/null",
                e2e_guard(), e2e_bin());
    if (r.status != 77) {
        assert_int_equal(r.status, 2);
        assert_non_null(strstr(r.out, "-o - writes the PDF to standard output, which is a terminal"));
        assert_null(strstr(r.out, "%PDF"));
    }
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

/* ---- YAML that says something else than it seems ------------------------------ */

/* Unquoted texts that lose words to YAML (a " #" comment, a leading '!' tag
 * or '&' anchor): `check` passes, with a warning for each that shows how to
 * write it; the data's own texts are untouched. */
static void test_yaml_silent_losses_warned(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    e2e_result_t r = e2e_run("sed '7s/^  title: .*/  title: Ledelse #1 i kommunen/; "
                             "8s/^  organisation: .*/  organisation: !Skanderborg Kommune/; "
                             "32s/^pitfalls_label: .*/pitfalls_label: \\&Typiske faldgruber/' "
                             "data/ledelsesgrundlag.yaml > %s/d.yaml && %s %s check --data %s/d.yaml layouts/sample.yaml",
                             dir, e2e_guard(), e2e_bin(), dir);
    if (r.status) fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    char want[3][512];
    snprintf(want[0], sizeof want[0], "%s/d.yaml:7:18: warning: ' #' starts a YAML comment, so the text ends at 'Ledelse'",
             dir);
    snprintf(want[1], sizeof want[1],
             "%s/d.yaml:8:17: warning: '!Skanderborg' is read as a YAML tag and dropped, leaving 'Kommune'", dir);
    snprintf(want[2], sizeof want[2], "%s/d.yaml:32:17: warning: '&Typiske' is read as a YAML anchor", dir);
    for (int i = 0; i < 3; i++) {
        if (!strstr(r.err, want[i])) fprintf(stderr, "want: %s\ngot: %s", want[i], r.err);
        assert_non_null(strstr(r.err, want[i]));
    }
    assert_int_equal(e2e_count_lines(r.err), 3);
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

/* ---- signals ------------------------------------------------------------------ */

/* Started with SIGHUP and SIGINT ignored (as under nohup, or as a shell's
 * background job), the run survives them and finishes its file. */
static void test_ignored_signals_stay_ignored(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    char *roster = e2e_path(dir, "big.csv");
    FILE *f = fopen(roster, "w");
    assert_non_null(f);
    fputs("name,profile\n", f);
    for (int i = 0; i < 6000; i++) fprintf(f, "Deltager %d,medarbejder\n", i);
    fclose(f);
    /* timeout's own handlers would reset the signals for its child: the
     * guard goes around the shell that ignores them. */
    char *script = e2e_path(dir, "nohup.sh");
    char text[8192];
    snprintf(text, sizeof text,
             "trap '' HUP INT\n%s render --roster %s -o %s/w.pdf layouts/worksheet.yaml &\n"
             "pid=$!; sleep 0.3; kill -HUP $pid; kill -INT $pid; wait $pid; echo \"rc=$?\"\n",
             e2e_bin(), roster, dir);
    assert_true(e2e_write_file(script, text));
    e2e_result_t r = e2e_run("%s sh %s; pdfinfo %s/w.pdf | grep -c Pages", e2e_guard(), script, dir);
    free(script);
    if (strcmp(r.out, "rc=0\n1\n")) fprintf(stderr, "%s%s", r.out, r.err);
    assert_string_equal(r.out, "rc=0\n1\n");
    e2e_result_free(&r);
    free(roster);
    e2e_rmtree(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inputs_must_be_regular_files),
        cmocka_unit_test(test_output_device_node),
        cmocka_unit_test(test_output_is_an_input),
        cmocka_unit_test(test_planted_links),
        cmocka_unit_test(test_same_stem_layouts),
        cmocka_unit_test(test_output_to_stdout),
        cmocka_unit_test(test_yaml_silent_losses_warned),
        cmocka_unit_test(test_ignored_signals_stay_ignored),
    };
    return cmocka_run_group_tests_name("safety", tests, NULL, NULL);
}
