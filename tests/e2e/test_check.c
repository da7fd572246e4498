/* test_check: the command line as a user meets it. Every bad input under
 * tests/bad/ must fail `grundlag check` with exit 1 and exactly the message
 * in its .expected file; the real data must pass; usage errors exit 2.
 * Run from the repository root (`make e2e`, `make asan`). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "e2e.h"

/* Pinned so that the "looked for" notes of a missing font do not depend on
 * where grundlag is installed on this machine. */
#define ENV "GRUNDLAG_DATADIR=/nonexistent/grundlag "

static const char *const corpus_dirs[] = {"tests/bad/data", "tests/bad/layouts", NULL};

/* Fewer files than this means the corpus went missing, not that it passed. */
#define MIN_CORPUS 20

/* ---- the corpus ------------------------------------------------------------ */

typedef struct names {
    char **v;
    size_t n, cap;
} names_t;

static void names_add(names_t *ns, const char *s) {
    if (ns->n == ns->cap) {
        ns->cap = ns->cap ? ns->cap * 2 : 64;
        ns->v = realloc(ns->v, ns->cap * sizeof *ns->v);
        assert_non_null(ns->v);
    }
    ns->v[ns->n] = strdup(s);
    assert_non_null(ns->v[ns->n]);
    ns->n++;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void names_free(names_t *ns) {
    for (size_t i = 0; i < ns->n; i++) free(ns->v[i]);
    free(ns->v);
    ns->v = NULL;
    ns->n = ns->cap = 0;
}

static int has_suffix(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Adds the entries of `dir` ending in `suffix` to `out`, as "dir/name",
 * sorted; false when there is no such directory. */
static int list_dir(const char *dir, const char *suffix, names_t *out) {
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open %s (run the tests from the repository root)\n", dir);
        return 0;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !has_suffix(e->d_name, suffix)) continue;
        char *p = e2e_path(dir, e->d_name);
        assert_non_null(p);
        names_add(out, p);
        free(p);
    }
    closedir(d);
    qsort(out->v, out->n, sizeof *out->v, cmp_str);
    return 1;
}

/* "x.yaml" → "x.expected", malloc'd. */
static char *expected_path(const char *yaml) {
    size_t n = strlen(yaml) - strlen(".yaml");
    char *p = malloc(n + sizeof ".expected");
    assert_non_null(p);
    memcpy(p, yaml, n);
    strcpy(p + n, ".expected");
    return p;
}

/* One corpus file: `state` is its path. */
static void test_bad_input(void **state) {
    const char *path = *state;
    char *q = e2e_quote(path);
    assert_non_null(q);
    e2e_result_t r = strncmp(path, "tests/bad/data/", 15) == 0
                         ? e2e_run(ENV "%s check --data %s", e2e_bin(), q)
                         : e2e_run(ENV "%s check %s", e2e_bin(), q);
    free(q);
    char *exp_path = expected_path(path);
    char *expected = e2e_read_file(exp_path, NULL);
    if (!expected) fprintf(stderr, "%s is missing\n", exp_path);
    assert_non_null(expected);
    if (r.status != 1) fprintf(stderr, "%s: exit status %d, stderr:\n%s", path, r.status, r.err);
    assert_int_equal(r.status, 1);
    assert_true(r.err[0] != '\0');
    assert_string_equal(r.err, expected);
    assert_string_equal(r.out, "");
    free(expected);
    free(exp_path);
    e2e_result_free(&r);
}

/* Every .yaml has its .expected and every .expected its .yaml, so that a
 * forgotten file fails instead of being skipped; and the corpus is there. */
static void test_corpus_is_paired(void **state) {
    (void)state;
    for (int i = 0; corpus_dirs[i]; i++) {
        names_t yaml = {0}, exp = {0};
        assert_true(list_dir(corpus_dirs[i], ".yaml", &yaml));
        assert_true(list_dir(corpus_dirs[i], ".expected", &exp));
        if (yaml.n < MIN_CORPUS) fprintf(stderr, "%s: only %zu .yaml files\n", corpus_dirs[i], yaml.n);
        assert_true(yaml.n >= MIN_CORPUS);
        for (size_t j = 0; j < yaml.n; j++) {
            char *e = expected_path(yaml.v[j]);
            if (access(e, F_OK) != 0) fprintf(stderr, "%s has no %s\n", yaml.v[j], e);
            assert_int_equal(access(e, F_OK), 0);
            free(e);
        }
        for (size_t j = 0; j < exp.n; j++) {
            size_t n = strlen(exp.v[j]) - strlen(".expected");
            char *y = malloc(n + sizeof ".yaml");
            assert_non_null(y);
            memcpy(y, exp.v[j], n);
            strcpy(y + n, ".yaml");
            if (access(y, F_OK) != 0) fprintf(stderr, "%s has no %s\n", exp.v[j], y);
            assert_int_equal(access(y, F_OK), 0);
            free(y);
        }
        assert_int_equal(yaml.n, exp.n);
        names_free(&yaml);
        names_free(&exp);
    }
}

/* The file with several mistakes reports each of them, not just the first. */
static void test_all_errors_reported(void **state) {
    (void)state;
    e2e_result_t r = e2e_run(ENV "%s check --data tests/bad/data/several-errors.yaml", e2e_bin());
    assert_int_equal(r.status, 1);
    size_t errors = 0;
    for (const char *p = r.err; (p = strstr(p, ": error: ")); p++) errors++;
    assert_int_equal(errors, 4);
    assert_non_null(strstr(r.err, ":17:13: error: bullet 1 "));
    assert_non_null(strstr(r.err, ":24:9: error: duplicate profile id"));
    assert_non_null(strstr(r.err, ":25:5: error: unknown key 'tittle'"));
    assert_non_null(strstr(r.err, ":27:20: error: unknown dimension 'samarbejd'"));
    e2e_result_free(&r);
}

/* ---- files that are not there ------------------------------------------------ */

static void test_missing_data_file(void **state) {
    (void)state;
    e2e_result_t r = e2e_run(ENV "%s check --data tests/bad/data/no-such-file.yaml", e2e_bin());
    assert_int_equal(r.status, 1);
    assert_string_equal(r.err, "tests/bad/data/no-such-file.yaml: error: cannot open file: No such file or directory\n");
    assert_string_equal(r.out, "");
    e2e_result_free(&r);
}

static void test_missing_layout_file(void **state) {
    (void)state;
    e2e_result_t r = e2e_run(ENV "%s check tests/bad/layouts/no-such-file.yaml", e2e_bin());
    assert_int_equal(r.status, 1);
    assert_string_equal(r.err,
                        "tests/bad/layouts/no-such-file.yaml: error: cannot open file: No such file or directory\n");
    e2e_result_free(&r);
}

/* Bad data and a bad layout in one run: both are reported. */
static void test_data_and_layout_errors_together(void **state) {
    (void)state;
    e2e_result_t r = e2e_run(ENV "%s check --data tests/bad/data/empty-title.yaml tests/bad/layouts/columns-zero.yaml",
                             e2e_bin());
    assert_int_equal(r.status, 1);
    char *a = e2e_read_file("tests/bad/data/empty-title.expected", NULL);
    char *b = e2e_read_file("tests/bad/layouts/columns-zero.expected", NULL);
    assert_non_null(a);
    assert_non_null(b);
    size_t na = strlen(a);
    assert_true(strncmp(r.err, a, na) == 0);
    assert_string_equal(r.err + na, b);
    free(a);
    free(b);
    e2e_result_free(&r);
}

/* ---- the real data -------------------------------------------------------------- */

static void test_check_real_data(void **state) {
    (void)state;
    e2e_result_t r = e2e_run(ENV "%s check", e2e_bin());
    if (r.status != 0) fprintf(stderr, "exit status %d, stderr:\n%s", r.status, r.err);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_int_equal(e2e_count_lines(r.out), 1);
    assert_true(strncmp(r.out, "ok: data/ledelsesgrundlag.yaml (6 profiles, 10 dimensions, ", 59) == 0);
    e2e_result_free(&r);
}

static void test_check_real_data_and_layouts(void **state) {
    (void)state;
    e2e_result_t r = e2e_run(ENV "%s check --data data/ledelsesgrundlag.yaml layouts/*.yaml", e2e_bin());
    if (r.status != 0) fprintf(stderr, "exit status %d, stderr:\n%s", r.status, r.err);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_int_equal(e2e_count_lines(r.out), 1);
    assert_true(strncmp(r.out, "ok: data/ledelsesgrundlag.yaml (6 profiles, ", 44) == 0);
    assert_non_null(strstr(r.out, " layout"));
    e2e_result_free(&r);
}

static void test_list(void **state) {
    (void)state;
    static const char *const ids[] = {"direktoer",      "fag-og-stabschef",     "kontraktholder",
                                      "leder-af-leder", "leder-af-medarbejder", "medarbejder"};
    e2e_result_t r = e2e_run(ENV "%s list", e2e_bin());
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_int_equal(e2e_count_lines(r.out), 6);
    const char *line = r.out;
    for (size_t i = 0; i < 6; i++) {
        size_t n = strlen(ids[i]);
        assert_true(strncmp(line, ids[i], n) == 0);
        assert_true(line[n] == ' ');
        line = strchr(line, '\n');
        assert_non_null(line);
        line++;
    }
    assert_string_equal(line, "");
    e2e_result_free(&r);
}

/* ---- usage ------------------------------------------------------------------------ */

/* Runs grundlag with `args`, expects exit 2 and `message` in stderr. */
static void expect_usage(const char *args, const char *message) {
    e2e_result_t r = e2e_run(ENV "%s %s", e2e_bin(), args);
    if (r.status != 2 || !strstr(r.err, message))
        fprintf(stderr, "grundlag %s: exit %d, stderr:\n%s", args, r.status, r.err);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, message));
    assert_string_equal(r.out, "");
    e2e_result_free(&r);
}

static void test_usage_no_command(void **state) {
    (void)state;
    expect_usage("", "usage:\n  grundlag render");
}

static void test_usage_unknown_command(void **state) {
    (void)state;
    expect_usage("frobnicate", "grundlag: error: unknown command 'frobnicate'\nusage:");
}

static void test_usage_unknown_option(void **state) {
    (void)state;
    expect_usage("check --frobnicate", "grundlag: error: unknown option '--frobnicate'\nusage:");
}

static void test_usage_option_without_value(void **state) {
    (void)state;
    expect_usage("check --data", "grundlag: error: option '--data' needs a value\n");
}

static void test_usage_output_with_two_layouts(void **state) {
    (void)state;
    expect_usage("render -o x.pdf layouts/sample.yaml layouts/sample.yaml",
                 "grundlag: error: -o names one file; with several layouts use --out-dir\n");
}

static void test_usage_render_options_on_check(void **state) {
    (void)state;
    expect_usage("check --profiles direktoer", "grundlag: error: 'check' takes only --data and layouts\n");
}

/* render checks --profiles against the data before it writes anything and
 * treats an unknown id as a usage error (exit 2), naming the valid ids. */
static void test_usage_render_unknown_profile(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    assert_non_null(dir);
    e2e_result_t r =
        e2e_run(ENV "%s render --profiles direktoer,direktor --out-dir %s layouts/sample.yaml", e2e_bin(), dir);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "grundlag: error: --profiles: unknown profile 'direktor'; valid: direktoer, "
                               "fag-og-stabschef, kontraktholder, leder-af-leder, leder-af-medarbejder, "
                               "medarbejder\n");
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

/* --timings: one line on stderr after the run, every stage a number, the
 * run otherwise the same; `list` takes no --timings. */
static void test_timings(void **state) {
    (void)state;
    e2e_result_t r = e2e_run("%s check --timings layouts/sample.yaml", e2e_bin());
    assert_int_equal(r.status, 0);
    assert_int_equal(e2e_count_lines(r.err), 1);
    double v[6];
    long faults, rss;
    assert_int_equal(sscanf(r.err,
                            "grundlag: timings: load %lf ms, shape %lf ms, break %lf ms, page %lf ms, write %lf ms, "
                            "main %lf ms; kernel %*f ms of %*f ms CPU, %ld page faults, peak RSS %ld KB",
                            &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &faults, &rss),
                     8);
    for (int i = 0; i < 6; i++) assert_true(v[i] >= 0);
    assert_true(v[4] == 0); /* check writes nothing */
    assert_true(v[5] >= v[0] + v[1] + v[2]);
    assert_true(faults > 0 && rss > 0);
    assert_non_null(strstr(r.out, "ok: "));
    e2e_result_free(&r);
    expect_usage("list --timings", "grundlag: error: 'list' takes only --data and layouts\n");
}

static void test_version(void **state) {
    (void)state;
    e2e_result_t r = e2e_run("%s --version", e2e_bin());
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_true(strncmp(r.out, "grundlag ", 9) == 0);
    assert_int_equal(e2e_count_lines(r.out), 1);
    e2e_result_free(&r);
}

static void test_help(void **state) {
    (void)state;
    e2e_result_t r = e2e_run("%s --help", e2e_bin());
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_non_null(strstr(r.out, "usage:\n"));
    assert_non_null(strstr(r.out, "exit status: 0 success, 1 bad input, 2 usage error, 3 I/O error"));
    e2e_result_free(&r);
}

int main(void) {
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_corpus_is_paired),
        cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_missing_data_file),
        cmocka_unit_test(test_missing_layout_file),
        cmocka_unit_test(test_data_and_layout_errors_together),
        cmocka_unit_test(test_check_real_data),
        cmocka_unit_test(test_check_real_data_and_layouts),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_usage_no_command),
        cmocka_unit_test(test_usage_unknown_command),
        cmocka_unit_test(test_usage_unknown_option),
        cmocka_unit_test(test_usage_option_without_value),
        cmocka_unit_test(test_usage_output_with_two_layouts),
        cmocka_unit_test(test_usage_render_options_on_check),
        cmocka_unit_test(test_usage_render_unknown_profile),
        cmocka_unit_test(test_timings),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_help),
    };
    int failed = cmocka_run_group_tests_name("cli", fixed, NULL, NULL);

    /* One test per corpus file, so a failure names the file. */
    names_t files = {0};
    for (int i = 0; corpus_dirs[i]; i++) list_dir(corpus_dirs[i], ".yaml", &files);
    struct CMUnitTest *tests = calloc(files.n ? files.n : 1, sizeof *tests);
    if (!tests) return 1;
    for (size_t i = 0; i < files.n; i++) {
        tests[i].name = files.v[i];
        tests[i].test_func = test_bad_input;
        tests[i].initial_state = files.v[i];
    }
    failed += _cmocka_run_group_tests("corpus", tests, files.n, NULL, NULL);
    free(tests);
    names_free(&files);
    return failed ? 1 : 0;
}
