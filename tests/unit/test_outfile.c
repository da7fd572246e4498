/* test_outfile: the temp file + rename protocol in a scratch directory:
 * what exists after begin, commit and abort, the messages for targets that
 * cannot be written, directory creation, and signal-time cleanup. */
#define _DEFAULT_SOURCE /* mknod, makedev: a device node as a target */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "infile.h"
#include "outfile.h"
#include "unit/sink.h"

/* Each test gets a fresh scratch directory, removed afterwards even when an
 * assertion failed halfway. */
static char dir[64];

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/grundlag-test-outfile-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "chmod -R u+w '%s' 2>/dev/null; rm -rf '%s'", dir, dir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *path_in(const char *rel) {
    static char buf[4][512]; /* room for a 255-byte file name */
    static int k;
    char *p = buf[k++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", dir, rel);
    return p;
}

/* A path a test keeps: path_in's buffers are reused after four calls (and
 * in which order a call's arguments are made is the compiler's choice). */
#define KEEP_PATH(name, rel) \
    char name[512];          \
    snprintf(name, sizeof name, "%s/%s", dir, rel)

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* The whole file as a string (static buffer), or NULL when it is absent. */
static const char *read_file(const char *path) {
    static char buf[256];
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static bool exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

/* Names in directory d (not . and ..), sorted, joined by spaces. */
static const char *listing(const char *d) {
    static char out[1024];
    struct dirent **list;
    int n = scandir(d, &list, NULL, alphasort);
    assert_true(n >= 0);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (strcmp(list[i]->d_name, ".") && strcmp(list[i]->d_name, "..")) {
            if (out[0]) strcat(out, " ");
            strcat(out, list[i]->d_name);
        }
        free(list[i]);
    }
    free(list);
    return out;
}

static void test_commit_puts_the_file_in_place(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    outfile_t o;
    KEEP_PATH(target, "a.pdf");
    assert_true(outfile_begin(&o, target, NULL, s.d));
    assert_string_equal(o.final_path, target);
    /* the temp file sits beside the target, hidden, named after it, with an
     * unpredictable part (not our pid: a name someone could plant first) */
    char want[1024];
    snprintf(want, sizeof want, "%s/.a.pdf.tmp", dir);
    assert_memory_equal(o.tmp_path, want, strlen(want));
    assert_int_equal(strlen(o.tmp_path), strlen(want) + 6);
    snprintf(want, sizeof want, "%s/.a.pdf.tmp%ld", dir, (long)getpid());
    assert_string_not_equal(o.tmp_path, want);
    assert_non_null(o.fp);
    assert_true(exists(o.tmp_path)); /* created empty, exclusively */
    assert_false(exists(target));
    write_file(o.tmp_path, "%PDF-1.7 done");
    assert_true(outfile_commit(&o, s.d));
    assert_null(o.tmp_path);
    assert_null(o.final_path);
    assert_string_equal(read_file(target), "%PDF-1.7 done");
    assert_string_equal(listing(dir), "a.pdf");
    assert_string_equal(sink_text(&s), "");
    sink_close(&s);
}

static void test_commit_replaces_an_older_file(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    KEEP_PATH(target, "a.pdf");
    write_file(target, "old");
    outfile_t o;
    assert_true(outfile_begin(&o, target, NULL, s.d));
    assert_string_equal(read_file(target), "old"); /* untouched until commit */
    write_file(o.tmp_path, "new");
    assert_true(outfile_commit(&o, s.d));
    assert_string_equal(read_file(target), "new");
    assert_string_equal(listing(dir), "a.pdf");
    sink_close(&s);
}

static void test_abort_removes_the_temp_file(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    outfile_t o;
    assert_true(outfile_begin(&o, path_in("b.pdf"), NULL, s.d));
    write_file(o.tmp_path, "half a PDF");
    outfile_abort(&o);
    assert_null(o.tmp_path);
    assert_null(o.final_path);
    assert_string_equal(listing(dir), "");
    /* a second abort (nothing pending) is harmless */
    outfile_abort(&o);
    assert_string_equal(sink_text(&s), "");
    sink_close(&s);
}

static void test_abort_keeps_the_previous_good_file(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    KEEP_PATH(target, "good.pdf");
    write_file(target, "the good one");
    outfile_t o;
    assert_true(outfile_begin(&o, target, NULL, s.d));
    write_file(o.tmp_path, "broken");
    outfile_abort(&o);
    assert_string_equal(read_file(target), "the good one");
    assert_string_equal(listing(dir), "good.pdf");
    sink_close(&s);
}

static void test_target_is_a_directory(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    KEEP_PATH(target, "out.pdf");
    assert_int_equal(mkdir(target, 0777), 0);
    outfile_t o;
    assert_false(outfile_begin(&o, target, NULL, s.d));
    char want[1024];
    snprintf(want, sizeof want, "%s: error: cannot write the PDF: the path is a directory\n", target);
    assert_string_equal(sink_text(&s), want);
    assert_int_equal(diag_error_count(s.d), 1);
    assert_null(o.tmp_path);
    assert_string_equal(listing(dir), "out.pdf");
    assert_string_equal(listing(target), "");
    sink_close(&s);
}

static void test_file_used_as_a_directory(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    KEEP_PATH(file, "plain");
    write_file(file, "x");
    outfile_t o;
    assert_false(outfile_begin(&o, path_in("plain/x.pdf"), NULL, s.d));
    char want[1024];
    snprintf(want, sizeof want, "%s: error: cannot write into it: not a directory\n", file);
    assert_string_equal(sink_text(&s), want);
    assert_null(o.tmp_path);
    assert_null(o.final_path);
    /* deeper: the first component that is a file stops it */
    assert_false(outfile_begin(&o, path_in("plain/sub/x.pdf"), NULL, s.d));
    assert_int_equal(diag_error_count(s.d), 2);
    assert_non_null(strstr(sink_text(&s) + strlen(want), "error: cannot create directory: Not a directory\n"));
    assert_string_equal(read_file(file), "x");
    sink_close(&s);
}

/* A directory that takes no new files: 0555 for an ordinary user; as root
 * (which ignores permissions) /proc, where nothing can be created. */
static void test_unwritable_directory(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    outfile_t o;
    if (geteuid() != 0) {
        KEEP_PATH(ro, "ro");
        assert_int_equal(mkdir(ro, 0555), 0);
        assert_false(outfile_begin(&o, path_in("ro/x.pdf"), NULL, s.d));
        char want[1024];
        snprintf(want, sizeof want, "%s/ro/x.pdf: error: cannot write: Permission denied\n", dir);
        assert_string_equal(sink_text(&s), want);
        assert_string_equal(listing(ro), "");
    } else {
        assert_false(outfile_begin(&o, "/proc/grundlag-x.pdf", NULL, s.d));
        const char *msg = sink_text(&s);
        if (strncmp(msg, "/proc/grundlag-x.pdf: error: cannot write: ", 43) != 0)
            fail_msg("unexpected message: %s", msg);
        assert_int_equal(diag_error_count(s.d), 1);
        assert_false(exists("/proc/grundlag-x.pdf"));
    }
    assert_null(o.tmp_path);
    assert_null(o.final_path);
    sink_close(&s);
}

static void test_nested_directories_are_created(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    outfile_t o;
    KEEP_PATH(target, "device/a/b/c.pdf");
    assert_true(outfile_begin(&o, target, NULL, s.d));
    struct stat st;
    assert_int_equal(stat(path_in("device/a/b"), &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    write_file(o.tmp_path, "deep");
    assert_true(outfile_commit(&o, s.d));
    assert_string_equal(read_file(target), "deep");
    assert_string_equal(listing(path_in("device/a/b")), "c.pdf");
    /* existing directories are fine the second time */
    assert_true(outfile_begin(&o, target, NULL, s.d));
    outfile_abort(&o);
    assert_string_equal(read_file(target), "deep");
    assert_string_equal(sink_text(&s), "");
    sink_close(&s);
}

static void test_relative_path(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    outfile_t o;
    bool ok = outfile_begin(&o, "rel.pdf", NULL, s.d);
    bool name_ok = ok && strncmp(o.tmp_path, ".rel.pdf.tmp", 12) == 0 && strlen(o.tmp_path) == 18;
    if (ok) write_file(o.tmp_path, "r");
    bool committed = ok && outfile_commit(&o, s.d);
    assert_int_equal(chdir(cwd), 0);
    assert_true(ok);
    assert_true(name_ok);
    assert_true(committed);
    assert_string_equal(listing(dir), "rel.pdf");
    sink_close(&s);
}

static void test_commit_failure_reports_and_cleans_up(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    outfile_t o;
    KEEP_PATH(target, "gone.pdf");
    assert_true(outfile_begin(&o, target, NULL, s.d));
    assert_int_equal(unlink(o.tmp_path), 0); /* the temp file vanished */
    assert_false(outfile_commit(&o, s.d));
    char want[1024];
    snprintf(want, sizeof want, "%s: error: cannot move the finished PDF into place: No such file or directory\n",
             target);
    assert_string_equal(sink_text(&s), want);
    assert_null(o.tmp_path);
    assert_string_equal(listing(dir), "");
    sink_close(&s);

    /* rename fails with the temp file still there (the target became a
     * directory meanwhile): the temp file is removed */
    sink_open(&s);
    assert_true(outfile_begin(&o, target, NULL, s.d));
    write_file(o.tmp_path, "finished");
    assert_int_equal(mkdir(target, 0777), 0);
    write_file(path_in("gone.pdf/inside"), "x");
    assert_false(outfile_commit(&o, s.d));
    snprintf(want, sizeof want, "%s: error: cannot move the finished PDF into place: Is a directory\n", target);
    assert_string_equal(sink_text(&s), want);
    assert_null(o.tmp_path);
    assert_string_equal(listing(dir), "gone.pdf");
    sink_close(&s);
}

/* SIGTERM while a temp file is pending removes it (in a child process, which
 * the signal then ends). */
static void test_signal_removes_the_pending_temp(void **state) {
    (void)state;
    char tmp[256] = "";
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        outfile_install_signal_cleanup();
        diag_t *d = diag_new(NULL);
        outfile_t o;
        if (!outfile_begin(&o, path_in("sig.pdf"), NULL, d)) _exit(3);
        write_file(o.tmp_path, "partial");
        if (write(fds[1], o.tmp_path, strlen(o.tmp_path) + 1) < 0) _exit(4);
        raise(SIGTERM);
        _exit(5); /* not reached: the handler re-raises with the default action */
    }
    close(fds[1]);
    ssize_t n = read(fds[0], tmp, sizeof tmp - 1);
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(n > 0);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGTERM);
    assert_non_null(strstr(tmp, "/.sig.pdf.tmp"));
    assert_false(exists(tmp));
    assert_string_equal(listing(dir), "");
}

/* A mapped input (a font) that another program shortens while it is read:
 * reading past its new end raises SIGBUS, which ends the run as an I/O error
 * (exit 3) with a message, and the pending temp file is removed. */
static void test_shortened_mapped_input(void **state) {
    (void)state;
    char font[256];
    snprintf(font, sizeof font, "%s", path_in("font.ttf"));
    FILE *f = fopen(font, "wb");
    assert_non_null(f);
    for (int i = 0; i < 3 * 4096; i++) fputc('x', f);
    fclose(f);
    int err[2];
    assert_int_equal(pipe(err), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(err[0]);
        dup2(err[1], STDERR_FILENO);
        outfile_install_signal_cleanup();
        diag_t *d = diag_new(NULL);
        outfile_t o;
        if (!outfile_begin(&o, path_in("bus.pdf"), NULL, d)) _exit(4);
        infile_map_t m;
        infile_error_t e;
        if (!infile_map(font, 1u << 20, &m, &e) || !m.mapped) _exit(5);
        if (truncate(font, 0) != 0) _exit(6);
        volatile unsigned char c = m.data[2 * 4096];
        (void)c;
        _exit(7); /* not reached */
    }
    close(err[1]);
    char msg[512] = "";
    ssize_t n = read(err[0], msg, sizeof msg - 1);
    close(err[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(n > 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 3);
    assert_non_null(strstr(msg, "grundlag: error: an input file"));
    assert_string_equal(listing(dir), "font.ttf");
}

/* Without the handlers the same signal leaves the temp file behind: what
 * the test above guards against. */
static void test_signal_without_cleanup_leaves_the_temp(void **state) {
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGTERM, SIG_DFL);
        diag_t *d = diag_new(NULL);
        outfile_t o;
        if (!outfile_begin(&o, path_in("sig.pdf"), NULL, d)) _exit(3);
        raise(SIGTERM);
        _exit(5);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    const char *left = listing(dir);
    assert_memory_equal(left, ".sig.pdf.tmp", 12);
    assert_int_equal(strlen(left), 18);
}


/* A link planted at the name the temp file used to get (".a.pdf.tmp<pid>",
 * guessable by anyone sharing the folder) is not written through: the temp
 * file is created exclusively under another name. */
static void test_planted_link_at_the_temp_name(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    KEEP_PATH(victim, "victim");
    write_file(victim, "precious");
    char link[256];
    snprintf(link, sizeof link, "%s/.a.pdf.tmp%ld", dir, (long)getpid());
    assert_int_equal(symlink(victim, link), 0);
    outfile_t o;
    assert_true(outfile_begin(&o, path_in("a.pdf"), NULL, s.d));
    assert_string_not_equal(o.tmp_path, link);
    fputs("%PDF-1.7 mine", o.fp);
    assert_true(outfile_commit(&o, s.d));
    assert_string_equal(read_file(victim), "precious");
    assert_string_equal(read_file(path_in("a.pdf")), "%PDF-1.7 mine");
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode)); /* left alone */
    sink_close(&s);
}

/* Only a regular file or a new name is replaced: a link at the target, a
 * FIFO and (as root) a device node are refused and left as they are. */
static void test_target_not_a_regular_file(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    KEEP_PATH(victim, "victim");
    write_file(victim, "precious");
    assert_int_equal(symlink(victim, path_in("link.pdf")), 0);
    assert_int_equal(mkfifo(path_in("fifo.pdf"), 0600), 0);
    bool dev = mknod(path_in("null.pdf"), S_IFCHR | 0666, makedev(1, 3)) == 0;
    outfile_t o;
    assert_false(outfile_begin(&o, path_in("link.pdf"), NULL, s.d));
    assert_false(outfile_begin(&o, path_in("fifo.pdf"), NULL, s.d));
    if (dev) assert_false(outfile_begin(&o, path_in("null.pdf"), NULL, s.d));
    char want[1024];
    snprintf(want, sizeof want,
             "%s: error: refusing to write the PDF there: the path is a symbolic link, and grundlag replaces only "
             "regular files (choose another name)\n"
             "%s: error: refusing to write the PDF there: the path is a FIFO (named pipe), and grundlag replaces "
             "only regular files (choose another name)\n",
             path_in("link.pdf"), path_in("fifo.pdf"));
    assert_memory_equal(sink_text(&s), want, strlen(want));
    if (dev) assert_non_null(strstr(sink_text(&s), "null.pdf: error: refusing to write the PDF there: the path is a "
                                                   "character device"));
    assert_null(o.tmp_path);
    assert_string_equal(read_file(victim), "precious");
    struct stat st;
    assert_int_equal(lstat(path_in("link.pdf"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(lstat(path_in("fifo.pdf"), &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    if (dev) {
        assert_int_equal(lstat(path_in("null.pdf"), &st), 0);
        assert_true(S_ISCHR(st.st_mode));
    }
    /* a node that appears while the document is made is not replaced either */
    assert_true(outfile_begin(&o, path_in("late.pdf"), NULL, s.d));
    assert_int_equal(mkfifo(path_in("late.pdf"), 0600), 0);
    assert_false(outfile_commit(&o, s.d));
    assert_int_equal(lstat(path_in("late.pdf"), &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_null(strstr(listing(dir), "tmp"));
    sink_close(&s);
}

/* The run's inputs are never replaced, whatever path names them (here a
 * hard link). */
static void test_inputs_are_not_replaced(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    write_file(path_in("layout.yaml"), "kind: card");
    assert_int_equal(link(path_in("layout.yaml"), path_in("same.pdf")), 0);
    outfile_inputs_t *in = outfile_inputs_new();
    outfile_inputs_add(in, path_in("layout.yaml"), "a layout");
    outfile_inputs_add(in, path_in("no-such-file"), "the roster"); /* ignored */
    outfile_t o;
    assert_false(outfile_begin(&o, path_in("layout.yaml"), in, s.d));
    assert_false(outfile_begin(&o, path_in("same.pdf"), in, s.d));
    assert_true(outfile_begin(&o, path_in("other.pdf"), in, s.d));
    outfile_abort(&o);
    char want[1024];
    snprintf(want, sizeof want,
             "%s: error: refusing to write the PDF there: it is a layout of this run ('%s'); choose another output "
             "name\n"
             "%s: error: refusing to write the PDF there: it is a layout of this run ('%s'); choose another output "
             "name\n",
             path_in("layout.yaml"), path_in("layout.yaml"), path_in("same.pdf"), path_in("layout.yaml"));
    assert_string_equal(sink_text(&s), want);
    assert_string_equal(read_file(path_in("layout.yaml")), "kind: card");
    outfile_inputs_drop(in);
    sink_close(&s);
}

/* The finished file has the mode any new file gets (0666 less the umask),
 * not the temp file's private 0600. */
static void test_mode_follows_umask(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    mode_t old = umask(022);
    outfile_t o;
    assert_true(outfile_begin(&o, path_in("m.pdf"), NULL, s.d));
    assert_true(outfile_commit(&o, s.d));
    umask(old);
    struct stat st;
    assert_int_equal(stat(path_in("m.pdf"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    sink_close(&s);
}

/* A name as long as a file name may be: the temp name still fits. */
static void test_long_name(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    char name[256];
    memset(name, 'n', 251);
    strcpy(name + 251, ".pdf");
    outfile_t o;
    assert_true(outfile_begin(&o, path_in(name), NULL, s.d));
    assert_true(outfile_commit(&o, s.d));
    assert_true(exists(path_in(name)));
    assert_string_equal(sink_text(&s), "");
    sink_close(&s);
}

/* A write that fails takes away the directories it made for its file (if
 * still empty), but none that were there before. */
static void test_abort_removes_directories_it_made(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    outfile_t o;
    assert_true(outfile_begin(&o, path_in("new/sub/x.pdf"), NULL, s.d));
    outfile_abort(&o);
    assert_string_equal(listing(dir), "");
    assert_int_equal(mkdir(path_in("old"), 0777), 0);
    assert_true(outfile_begin(&o, path_in("old/sub/x.pdf"), NULL, s.d));
    outfile_abort(&o);
    assert_string_equal(listing(dir), "old");
    assert_string_equal(listing(path_in("old")), "");
    /* kept when something else was written there meanwhile */
    assert_true(outfile_begin(&o, path_in("new/x.pdf"), NULL, s.d));
    write_file(path_in("new/other.pdf"), "x");
    outfile_abort(&o);
    assert_string_equal(listing(path_in("new")), "other.pdf");
    sink_close(&s);
}

/* "-": the document goes to standard output, whole, and only on commit. */
static void test_standard_output(void **state) {
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(stdout);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 1);
        diag_t *d = diag_new(stderr);
        outfile_t o;
        if (!outfile_begin(&o, "-", NULL, d)) _exit(3);
        fputs("%PDF-1.7 to stdout", o.fp);
        if (!outfile_commit(&o, d)) _exit(4);
        /* a failed document writes nothing */
        if (!outfile_begin(&o, "-", NULL, d)) _exit(5);
        fputs("half", o.fp);
        outfile_abort(&o);
        diag_drop(d);
        _exit(0);
    }
    close(fds[1]);
    char buf[128] = "";
    size_t n = 0;
    ssize_t got;
    while ((got = read(fds[0], buf + n, sizeof buf - 1 - n)) > 0) n += (size_t)got;
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_string_equal(buf, "%PDF-1.7 to stdout");
    assert_string_equal(listing(dir), "");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_commit_puts_the_file_in_place),
        T(test_commit_replaces_an_older_file),
        T(test_abort_removes_the_temp_file),
        T(test_abort_keeps_the_previous_good_file),
        T(test_target_is_a_directory),
        T(test_file_used_as_a_directory),
        T(test_unwritable_directory),
        T(test_nested_directories_are_created),
        T(test_relative_path),
        T(test_commit_failure_reports_and_cleans_up),
        T(test_signal_removes_the_pending_temp),
        T(test_signal_without_cleanup_leaves_the_temp),
        T(test_shortened_mapped_input),
        T(test_planted_link_at_the_temp_name),
        T(test_target_not_a_regular_file),
        T(test_inputs_are_not_replaced),
        T(test_mode_follows_umask),
        T(test_long_name),
        T(test_standard_output),
        T(test_abort_removes_directories_it_made),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
