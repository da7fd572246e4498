/* test_fuzz_regressions: every saved fuzzing input goes through the same
 * entry point as its libFuzzer harness (tests/fuzz/fuzz_entry.h), in the
 * release build: the inputs that once crashed, hung or leaked
 * (tests/fuzz/regressions/<harness>/) and the seed corpus
 * (tests/fuzz/corpus/<harness>/). There is no output to compare: an input
 * passes by coming back (a crash or a hang fails the run; `make fuzz` runs
 * the same inputs under ASan and UBSan). Each harness must find at least one
 * input, so the test fails if the files go missing. Run from the repository
 * root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz/fuzz_entry.h"

typedef int (*fuzz_fn_t)(const uint8_t *data, size_t size);

/* The whole file, malloc'd (never NULL on success, even when empty). */
static uint8_t *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) { free(buf); buf = NULL; break; }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        if (got == 0) break;
        n += got;
    }
    bool err = ferror(f);
    fclose(f);
    if (err) { free(buf); return NULL; }
    *len = n;
    return buf;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Feeds every regular file in `dir` (sorted, so a failure names the same
 * file every run) to `fn`; returns how many there were. */
static size_t feed_dir(const char *dir, fuzz_fn_t fn) {
    DIR *dp = opendir(dir);
    if (!dp) return 0;
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.') continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(names, cap * sizeof *nn);
            assert_non_null(nn);
            names = nn;
        }
        names[count] = malloc(strlen(dir) + strlen(e->d_name) + 2);
        assert_non_null(names[count]);
        sprintf(names[count], "%s/%s", dir, e->d_name);
        count++;
    }
    closedir(dp);
    qsort(names, count, sizeof *names, by_name);
    size_t fed = 0;
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            size_t len = 0;
            uint8_t *data = read_all(names[i], &len);
            if (!data) fprintf(stderr, "cannot read %s\n", names[i]);
            assert_non_null(data);
            print_message("  %s (%zu bytes)\n", names[i], len);
            assert_int_equal(fn(data, len), 0);
            free(data);
            fed++;
        }
        free(names[i]);
    }
    free(names);
    return fed;
}

static void feed_harness(const char *harness, fuzz_fn_t fn) {
    char dir[256];
    snprintf(dir, sizeof dir, "tests/fuzz/regressions/%s", harness);
    size_t regressions = feed_dir(dir, fn);
    snprintf(dir, sizeof dir, "tests/fuzz/corpus/%s", harness);
    size_t corpus = feed_dir(dir, fn);
    print_message("%s: %zu regression input(s), %zu corpus input(s)\n", harness, regressions, corpus);
    assert_true(regressions + corpus > 0);
}

static void test_data(void **state) {
    (void)state;
    feed_harness("fuzz_data", fuzz_data_one);
}

static void test_layout(void **state) {
    (void)state;
    feed_harness("fuzz_layout", fuzz_layout_one);
}

static void test_roster(void **state) {
    (void)state;
    feed_harness("fuzz_roster", fuzz_roster_one);
}

static void test_markup(void **state) {
    (void)state;
    feed_harness("fuzz_markup", fuzz_markup_one);
}

/* The harnesses' own setup: the message sink and the real data model. */
static int setup(void **state) {
    (void)state;
    return fuzz_setup(true) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    fuzz_teardown();
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_roster),
        cmocka_unit_test(test_markup),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
