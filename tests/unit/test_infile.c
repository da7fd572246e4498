/* test_infile: reading an input whole: regular files only (a FIFO, a device
 * or a directory is refused before a byte is read, without blocking), a size
 * limit checked before and while reading, and the reasons callers print. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "infile.h"

static char dir[64];

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/grundlag-test-infile-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *in_dir(const char *name) {
    static char buf[128];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

static void test_reads_a_regular_file(void **state) {
    (void)state;
    FILE *f = fopen(in_dir("a.yaml"), "wb");
    assert_non_null(f);
    fputs("kind: card\n", f);
    fclose(f);
    infile_error_t e;
    size_t len = 0;
    char *b = infile_read(in_dir("a.yaml"), 100, &len, &e);
    assert_non_null(b);
    assert_int_equal(len, 11);
    assert_string_equal(b, "kind: card\n"); /* NUL-terminated */
    free(b);
    assert_true(infile_check(in_dir("a.yaml"), &e));
}

static void test_missing_file(void **state) {
    (void)state;
    infile_error_t e;
    size_t len;
    assert_null(infile_read(in_dir("none"), 100, &len, &e));
    assert_true(e.opening);
    assert_string_equal(e.why, "No such file or directory");
}

static void test_directory(void **state) {
    (void)state;
    infile_error_t e;
    size_t len;
    assert_null(infile_read(dir, 100, &len, &e));
    assert_false(e.opening);
    assert_string_equal(e.why, "Is a directory");
}

/* A FIFO nobody writes to: refused at once (a plain open would block). */
static void test_fifo_refused_without_blocking(void **state) {
    (void)state;
    assert_int_equal(mkfifo(in_dir("pipe"), 0600), 0);
    alarm(10); /* a guard only: a hang fails the test instead of stalling it */
    infile_error_t e;
    size_t len;
    assert_null(infile_read(in_dir("pipe"), 100, &len, &e));
    assert_string_equal(e.why, "it is a FIFO (named pipe), not a regular file");
    assert_false(infile_check(in_dir("pipe"), &e));
    alarm(0);
}

/* /dev/zero never ends: refused before reading. */
static void test_device_refused(void **state) {
    (void)state;
    infile_error_t e;
    size_t len;
    assert_null(infile_read("/dev/zero", 1u << 20, &len, &e));
    assert_false(e.opening);
    assert_string_equal(e.why, "it is a character device, not a regular file");
}

static void test_size_limit(void **state) {
    (void)state;
    FILE *f = fopen(in_dir("big"), "wb");
    assert_non_null(f);
    for (int i = 0; i < 3000; i++) fputc('x', f);
    fclose(f);
    infile_error_t e;
    size_t len;
    assert_null(infile_read(in_dir("big"), 2999, &len, &e));
    assert_string_equal(e.why, "it is larger than 2999 bytes");
    char *b = infile_read(in_dir("big"), 3000, &len, &e); /* exactly the limit is fine */
    assert_non_null(b);
    assert_int_equal(len, 3000);
    free(b);
    /* a sparse 3 GB file: refused by its size, nothing read */
    assert_int_equal(truncate(in_dir("big"), 3LL << 30), 0);
    assert_null(infile_read(in_dir("big"), 64u << 20, &len, &e));
    assert_string_equal(e.why, "it is larger than 64 MB");
}

/* Mapping: the same rules as reading, the bytes in place; an empty file
 * (which cannot be mapped) comes back read. */
static void test_map(void **state) {
    (void)state;
    FILE *f = fopen(in_dir("f.ttf"), "wb");
    assert_non_null(f);
    for (int i = 0; i < 10000; i++) fputc('a' + i % 26, f);
    fclose(f);
    infile_map_t m;
    infile_error_t e;
    assert_true(infile_map(in_dir("f.ttf"), 10000, &m, &e));
    assert_true(m.mapped);
    assert_int_equal(m.len, 10000);
    assert_int_equal(m.data[0], 'a');
    assert_int_equal(m.data[9999], 'a' + 9999 % 26);
    infile_map_release(&m); /* pages go, the bytes stay readable */
    assert_int_equal(m.data[5000], 'a' + 5000 % 26);
    infile_unmap(&m);
    assert_null(m.data);
    assert_false(infile_map(in_dir("f.ttf"), 9999, &m, &e));
    assert_string_equal(e.why, "it is larger than 9999 bytes");
    assert_false(infile_map(in_dir("none"), 100, &m, &e));
    assert_true(e.opening);
    assert_false(infile_map(dir, 100, &m, &e));
    assert_string_equal(e.why, "Is a directory");
    assert_int_equal(mkfifo(in_dir("fifo"), 0600), 0);
    assert_false(infile_map(in_dir("fifo"), 100, &m, &e));
    assert_string_equal(e.why, "it is a FIFO (named pipe), not a regular file");
    f = fopen(in_dir("empty"), "wb");
    assert_non_null(f);
    fclose(f);
    assert_true(infile_map(in_dir("empty"), 100, &m, &e));
    assert_false(m.mapped);
    assert_int_equal(m.len, 0);
    infile_unmap(&m);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_reads_a_regular_file), T(test_missing_file),   T(test_directory),
        T(test_fifo_refused_without_blocking), T(test_device_refused), T(test_size_limit), T(test_map),
    };
    return cmocka_run_group_tests_name("infile", tests, NULL, NULL);
}
