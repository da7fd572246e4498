/* End-to-end: safe in a shared folder and against careless or hostile
 * input (issue 15). Inputs: only regular files are read, within a size
 * limit (a FIFO, /dev/zero, a huge or wrong font file are refused at once,
 * naming the layout key). Every run here is guarded by `timeout` and, for
 * the release build, a memory limit: a regression fails instead of hanging
 * or eating the machine. The guards bound; nothing here asserts a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "e2e/e2e.h"

#define NEW_DIR(dir)          \
    char *dir = e2e_tmpdir(); \
    if (!dir) { fail(); return; }

/* The guard before each command: 20 s, and 1 GB of address space unless the
 * binary is the AddressSanitizer build (which reserves terabytes of it). */
static const char *guard(void) {
    return getenv("ASAN_OPTIONS") ? "timeout 20" : "ulimit -v 1048576; timeout 20";
}

/* ---- inputs: regular files only, bounded -------------------------------------- */

/* Data, layout and roster as a FIFO nobody writes to (open would block for
 * ever) and as /dev/zero (never ends): refused with exit 1 and the reason. */
static void test_inputs_must_be_regular_files(void **state) {
    (void)state;
    NEW_DIR(dir);
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
        r = e2e_run("%s %s %s", guard(), e2e_bin(), args);
        if (r.status != 1 || !strstr(r.err, cases[i].why))
            fprintf(stderr, "case %zu (%s): exit %d\n%s", i, args, r.status, r.err);
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, cases[i].file));
        assert_non_null(strstr(r.err, cases[i].why));
        e2e_result_free(&r);
    }
    e2e_rmtree(dir);
}

/* Fonts: a device, a FIFO, a file past the size limit, a WOFF2 and a Type 1
 * font, each refused when the layout is read (also by `check`), naming the
 * layout key, its position and the file; nothing written. */
static void test_bad_font_files(void **state) {
    (void)state;
    NEW_DIR(dir);
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    e2e_result_t r = e2e_run("cd %s && mkfifo pipe.ttf && truncate -s 100M huge.ttf && "
                             "printf 'wOF2\\000\\001\\000\\000' > web.woff2 && printf 'wOFF\\000\\001\\000\\000' > web.woff && "
                             "printf '%%%%!PS-AdobeFont-1.0: Foo' > t1.pfa",
                             dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    static const struct { const char *file, *message; } cases[] = {
        {"/dev/zero", "fonts.serif.regular: cannot read font file '/dev/zero': it is a character device, not a regular file"},
        {"pipe.ttf", "pipe.ttf': it is a FIFO (named pipe), not a regular file"},
        {"huge.ttf", "huge.ttf': it is larger than 64 MB"},
        {"web.woff2", "web.woff2' is a WOFF2 web font, which grundlag cannot embed; use the font's TrueType (.ttf) file"},
        {"web.woff", "web.woff' is a WOFF web font"},
        {"t1.pfa", "t1.pfa' is a PostScript Type 1 font, which grundlag does not support"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int render = 0; render < 2; render++) {
            char cmd[4200];
            snprintf(cmd, sizeof cmd, render ? "render --out-dir %s" : "check", dir);
            r = e2e_run("sed 's|regular: NotoSerif-Regular.ttf|regular: %s|; s|: Noto|: %s/fonts/Noto|' "
                        "layouts/sample.yaml > %s/l.yaml && %s %s %s %s/l.yaml; echo \"rc=$?\"; ls %s | grep -c pdf",
                        cases[i].file, cwd, dir, guard(), e2e_bin(), cmd, dir, dir);
            char want[512];
            snprintf(want, sizeof want, "/l.yaml:11:14: error: fonts.serif.regular: ");
            if (!strstr(r.err, cases[i].message) || !strstr(r.out, "rc=1\n0\n"))
                fprintf(stderr, "font %s: %s%s", cases[i].file, r.out, r.err);
            assert_non_null(strstr(r.err, want));
            assert_non_null(strstr(r.err, cases[i].message));
            assert_string_equal(r.out, "rc=1\n0\n");
            e2e_result_free(&r);
        }
    }
    e2e_rmtree(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inputs_must_be_regular_files),
        cmocka_unit_test(test_bad_font_files),
    };
    return cmocka_run_group_tests_name("safety", tests, NULL, NULL);
}
