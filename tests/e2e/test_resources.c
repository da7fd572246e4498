/* End-to-end: bounded resources. Big and hostile inputs either work in
 * bounded memory and time or fail with a clear message; the figures (wall
 * time, peak RSS) are printed so that a regression shows in the log. No
 * timing is asserted (that is the benchmark's business); memory is, loosely. */
#define _DEFAULT_SOURCE /* wait4 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <sys/resource.h>
#include <time.h>

#include "e2e/e2e.h"

typedef struct usage {
    int status;
    double seconds;
    long rss_mb;
    char *err;
} usage_t;

/* Runs `sh -c cmd` and measures the child's peak RSS with wait4. */
static usage_t measure(const char *name, const char *cmd) {
    usage_t u = {-1, 0, 0, NULL};
    char errpath[] = "/tmp/grundlag-res-XXXXXX";
    int fd = mkstemp(errpath);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd, 2);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    int ws;
    struct rusage ru;
    wait4(pid, &ws, 0, &ru);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    close(fd);
    u.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    u.seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    u.rss_mb = ru.ru_maxrss / 1024;
    u.err = e2e_read_file(errpath, NULL);
    unlink(errpath);
    printf("resource: %-34s %6.2f s %5ld MB peak RSS, exit %d\n", name, u.seconds, u.rss_mb, u.status);
    return u;
}

static const char *ids[] = {"direktoer", "fag-og-stabschef", "kontraktholder", "leder-af-leder",
                            "leder-af-medarbejder", "medarbejder"};

/* A framework file with `profiles` profiles of `bullets` bullets each. */
static void write_data(const char *path, int profiles, int bullets, const char *bullet) {
    FILE *f = fopen(path, "w");
    fputs("document: {title: \"Stor\", organisation: \"Test\", language: \"da-DK\"}\n"
          "dimensions:\n  - {key: a, label: \"Ansvar\"}\n  - {key: b, label: \"Andet\"}\nprofiles:\n",
          f);
    for (int p = 0; p < profiles; p++) {
        fprintf(f, "  - id: p%d\n    title: \"Profil %d\"\n    sections:\n      - dimension: a\n        bullets:\n", p, p);
        for (int b = 0; b < bullets; b++) fprintf(f, "          - \"%s %d\"\n", bullet, b);
    }
    fclose(f);
}

static void test_big_data(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    if (!dir) { fail(); return; }
    char cmd[8192], path[4096];
    /* ~5 MB: 6 profiles × 8,000 bullets of ~100 characters */
    snprintf(path, sizeof path, "%s/5mb.yaml", dir);
    write_data(path, 6, 8000, "Sikrer at udviklingskontrakter og -aftaler bidrager til at styrke fagligt fællesskab og sammenhæng");
    snprintf(cmd, sizeof cmd, "%s check --data %s", e2e_bin(), path);
    usage_t u = measure("check a 5 MB data file", cmd);
    assert_int_equal(u.status, 0);
    assert_true(u.rss_mb < 400);
    free(u.err);
    /* 10,000 bullets through the whole handbook */
    snprintf(path, sizeof path, "%s/10k.yaml", dir);
    write_data(path, 2, 5000, "Kan sætte retning og skabe motivation og lede forandringer i samspil med andre");
    snprintf(cmd, sizeof cmd, "%s render --data %s -o %s/10k.pdf layouts/handbook.yaml", e2e_bin(), path, dir);
    u = measure("handbook of 10,000 bullets", cmd);
    if (u.status != 0) fprintf(stderr, "%s", u.err);
    assert_int_equal(u.status, 0);
    assert_true(u.rss_mb < 600);
    free(u.err);
    /* a bullet of 20,000 characters: words, and one word of 20,000 letters */
    char *words = malloc(20001), *word = malloc(20001);
    for (int i = 0; i < 20000; i++) {
        words[i] = i % 9 == 8 ? ' ' : "ledelsesgr"[i % 10];
        word[i] = "0123456789"[i % 10]; /* digits: no hyphenation points */
    }
    words[20000] = word[20000] = '\0';
    snprintf(path, sizeof path, "%s/long.yaml", dir);
    write_data(path, 1, 1, words);
    snprintf(cmd, sizeof cmd, "%s render --data %s -o %s/long.pdf layouts/handbook.yaml", e2e_bin(), path, dir);
    u = measure("a bullet of 20,000 characters", cmd);
    assert_int_equal(u.status, 0);
    free(u.err);
    write_data(path, 1, 1, word);
    snprintf(cmd, sizeof cmd, "%s render --data %s -o %s/word.pdf layouts/handbook.yaml", e2e_bin(), path, dir);
    u = measure("a word of 20,000 letters", cmd);
    assert_int_equal(u.status, 0);
    assert_non_null(strstr(u.err, "is wider than the measure"));
    free(u.err);
    free(words);
    free(word);
    e2e_rmtree(dir);
}

static void test_big_roster(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    if (!dir) { fail(); return; }
    char path[4096], cmd[8192];
    snprintf(path, sizeof path, "%s/5000.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("name,profile,seminar,date\n", f);
    for (int i = 0; i < 5000; i++) fprintf(f, "Deltager Nummer %d,%s,Forårsseminar,2027-04-0%d\n", i, ids[i % 6], 1 + i % 9);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s render --roster %s -o %s/all.pdf layouts/worksheet.yaml", e2e_bin(), path, dir);
    usage_t u = measure("5,000 personalised worksheets", cmd);
    if (u.status != 0) fprintf(stderr, "%s", u.err);
    assert_int_equal(u.status, 0);
    free(u.err);
    e2e_rmtree(dir);
}

static void test_hostile_yaml(void **state) {
    (void)state;
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s check --data tests/bad/data/alias-bomb-billion-laughs.yaml", e2e_bin());
    usage_t u = measure("alias bomb", cmd);
    assert_int_equal(u.status, 1);
    assert_true(u.rss_mb < 200);
    free(u.err);
    snprintf(cmd, sizeof cmd, "%s check --data tests/bad/data/deep-nesting.yaml", e2e_bin());
    u = measure("deep nesting", cmd);
    assert_int_equal(u.status, 1);
    free(u.err);
}

/* Fonts: truncated, not a font, CFF-only, a device, a FIFO, past the size
 * limit, WOFF, WOFF2, Type 1: each refused when the layout is read (by
 * `check` too), exit 1, one message naming the layout key, its position and
 * the file, no PDF. Guarded: /dev/zero once grew past 20 GB, a FIFO hung. */
static void test_bad_fonts(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    if (!dir) { fail(); return; }
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    e2e_result_t r = e2e_run("head -c 100000 fonts/NotoSerif-Regular.ttf > %s/trunc.ttf && "
                             "printf 'not a font at all' > %s/junk.ttf && "
                             "printf 'OTTO\\000\\001\\000\\000\\000\\000\\000\\000CFF \\000\\000\\000\\000\\000\\000\\000\\040\\000\\000\\000\\004' > %s/cff.otf && "
                             "cd %s && mkfifo pipe.ttf && truncate -s 100M huge.ttf && "
                             "printf 'wOF2\\000\\001\\000\\000' > web.woff2 && printf 'wOFF\\000\\001\\000\\000' > web.woff && "
                             "printf '%%%%!PS-AdobeFont-1.0: Foo' > t1.pfa",
                             dir, dir, dir, dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    static const struct { const char *file, *message; } cases[] = {
        {"trunc.ttf", "is not a usable font file (truncated"},
        {"junk.ttf", "is not a usable font file"},
        {"cff.otf", "has CFF outlines, which grundlag does not support"},
        {"/dev/zero", "cannot read font file '/dev/zero': it is a character device, not a regular file"},
        {"pipe.ttf", "pipe.ttf': it is a FIFO (named pipe), not a regular file"},
        {"huge.ttf", "huge.ttf': it is larger than 64 MB"},
        {"web.woff2", "web.woff2' is a WOFF2 web font, which grundlag cannot embed; use the font's TrueType (.ttf) file"},
        {"web.woff", "web.woff' is a WOFF web font"},
        {"t1.pfa", "t1.pfa' is a PostScript Type 1 font, which grundlag does not support"},
    };
    /* where the layout names the font: line and column of its value */
    r = e2e_run("grep -n 'regular: NotoSerif-Regular.ttf' layouts/sample.yaml | head -1");
    int font_line = atoi(r.out);
    assert_true(font_line > 0);
    e2e_result_free(&r);
    char at[64];
    snprintf(at, sizeof at, "/l.yaml:%d:14: error: fonts.serif.regular: ", font_line);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int render = 0; render < 2; render++) {
            char font[4200], cmd[4200];
            snprintf(font, sizeof font, cases[i].file[0] == '/' ? "%.0s%s" : "%s/%s", dir, cases[i].file);
            snprintf(cmd, sizeof cmd, render ? "render --out-dir %s" : "check", dir);
            r = e2e_run("sed 's|regular: NotoSerif-Regular.ttf|regular: %s|; s|: Noto|: %s/fonts/Noto|' layouts/sample.yaml > "
                        "%s/l.yaml && %s %s %s %s/l.yaml; echo \"rc=$?\"; ls %s | grep -c pdf",
                        font, cwd, dir, e2e_guard(), e2e_bin(), cmd, dir, dir);
            if (!strstr(r.err, cases[i].message) || strcmp(r.out, "rc=1\n0\n"))
                fprintf(stderr, "%s: %s%s\n", cases[i].file, r.out, r.err);
            assert_string_equal(r.out, "rc=1\n0\n");
            assert_non_null(strstr(r.err, cases[i].file));
            assert_non_null(strstr(r.err, cases[i].message));
            assert_non_null(strstr(r.err, at));
            /* one line per problem: every style using the font used to
             * repeat its error */
            for (char *l = r.err, *nl; (nl = strchr(l, '\n')); l = nl + 1) {
                *nl = '\0';
                if (strstr(nl + 1, l)) fprintf(stderr, "printed twice: %s\n", l);
                assert_null(strstr(nl + 1, l));
                *nl = '\n';
            }
            e2e_result_free(&r);
        }
    }
    e2e_rmtree(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_big_data),
        cmocka_unit_test(test_big_roster),
        cmocka_unit_test(test_hostile_yaml),
        cmocka_unit_test(test_bad_fonts),
    };
    return cmocka_run_group_tests_name("resources", tests, NULL, NULL);
}
