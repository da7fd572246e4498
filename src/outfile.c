/* outfile: exclusive temp file + rename, the target checks, and signal-time
 * cleanup. */
#include "outfile.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The one temp file being written (the tool writes one file at a time). A
 * signal handler may only use async-signal-safe calls: unlink and raise. */
static char pending[4096];
static volatile sig_atomic_t have_pending;

static void on_signal(int sig) {
    if (have_pending) unlink(pending);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* A mapped input (a font) that another program shortened under us: the read
 * past its new end faults. Not a crash of ours but an I/O error: say so,
 * leave no temp file, exit 3. write, unlink and _exit are signal-safe. */
static void on_bus_error(int sig) {
    (void)sig;
    static const char msg[] = "grundlag: error: an input file (a font?) was shortened by another program while it "
                              "was being read; nothing was written\n";
    if (have_pending) unlink(pending);
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
    _exit(3);
}

/* nohup and a shell's background jobs start us with a signal ignored: the
 * user asked for the run to survive it, so it does. A handler set before
 * main (a preloaded profiler's SIGPROF) stays too. */
static bool is_default(int sig) {
    struct sigaction old;
    return sigaction(sig, NULL, &old) == 0 && !(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_DFL;
}

static void catch_if_default(int sig) {
    if (!is_default(sig)) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

void outfile_install_signal_cleanup(void) {
    /* The signals that end a process by default and that someone sends
     * (a terminal, kill, a timer, abort()); SIGQUIT and SIGABRT still dump
     * core, after the temp file is gone. Not SIGPIPE: the output goes to a
     * file, and standard output written to a closed pipe holds no temp. */
    static const int ending[] = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT,   SIGABRT,
                                 SIGALRM, SIGUSR1, SIGUSR2, SIGVTALRM, SIGPROF};
    for (size_t i = 0; i < sizeof ending / sizeof ending[0]; i++) catch_if_default(ending[i]);
    /* Over the file size limit (ulimit -f) a write fails with EFBIG and the
     * run reports it, instead of dying silently with half a file. */
    if (is_default(SIGXFSZ)) signal(SIGXFSZ, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_bus_error;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, NULL);
}

/* ---- the run's inputs ------------------------------------------------------ */

typedef struct input {
    dev_t dev;
    ino_t ino;
    char *path, *what;
} input_t;

struct outfile_inputs {
    input_t *v;
    size_t n, cap;
};

outfile_inputs_t *outfile_inputs_new(void) { return calloc(1, sizeof(outfile_inputs_t)); }

void outfile_inputs_drop(outfile_inputs_t *in) {
    if (!in) return;
    for (size_t i = 0; i < in->n; i++) {
        free(in->v[i].path);
        free(in->v[i].what);
    }
    free(in->v);
    free(in);
}

void outfile_inputs_add(outfile_inputs_t *in, const char *path, const char *what) {
    struct stat st;
    if (!in || !path || stat(path, &st) != 0) return;
    if (in->n == in->cap) {
        size_t nc = in->cap ? in->cap * 2 : 16;
        input_t *nv = realloc(in->v, nc * sizeof *nv);
        if (!nv) return;
        in->v = nv;
        in->cap = nc;
    }
    input_t *e = &in->v[in->n];
    e->dev = st.st_dev;
    e->ino = st.st_ino;
    e->path = strdup(path);
    e->what = strdup(what);
    if (!e->path || !e->what) {
        free(e->path);
        free(e->what);
        return;
    }
    in->n++;
}

/* ---- the target ------------------------------------------------------------ */

static const char *kind_of(mode_t m) {
    if (S_ISLNK(m)) return "a symbolic link";
    if (S_ISFIFO(m)) return "a FIFO (named pipe)";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

/* Whether the existing `path` may be replaced: a regular file that is none
 * of the run's inputs. A new name is fine too. */
static bool target_ok(const char *path, const outfile_inputs_t *in, diag_t *d) {
    struct stat st;
    if (lstat(path, &st) != 0) return true;
    if (S_ISDIR(st.st_mode)) {
        diag_error(d, diag_file(path), "cannot write the PDF: the path is a directory");
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        /* Renaming over a device node would replace the node; writing
         * through a link would hit whatever it points to. */
        diag_error(d, diag_file(path),
                   "refusing to write the PDF there: the path is %s, and grundlag replaces only regular files "
                   "(choose another name)",
                   kind_of(st.st_mode));
        return false;
    }
    for (size_t i = 0; in && i < in->n; i++) {
        if (in->v[i].dev == st.st_dev && in->v[i].ino == st.st_ino) {
            diag_error(d, diag_file(path),
                       "refusing to write the PDF there: it is %s of this run ('%s'); choose another output name",
                       in->v[i].what, in->v[i].path);
            return false;
        }
    }
    return true;
}

/* mkdir that remembers the first directory it made (in *made), so that a
 * failed write can take away what it added. */
static bool make_dir(const char *dir, char **made) {
    if (mkdir(dir, 0777) == 0) {
        if (!*made) *made = strdup(dir);
        return true;
    }
    return errno == EEXIST;
}

static bool make_dirs(const char *path, char **made, diag_t *d) {
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    char *slash = strrchr(buf, '/');
    if (!slash || slash == buf) return true;
    *slash = '\0';
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (!make_dir(buf, made)) {
            diag_error(d, diag_file(buf), "cannot create directory: %s", strerror(errno));
            return false;
        }
        *p = '/';
    }
    if (!make_dir(buf, made)) {
        diag_error(d, diag_file(buf), "cannot create directory: %s", strerror(errno));
        return false;
    }
    struct stat st;
    if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
        diag_error(d, diag_file(buf), "cannot write into it: not a directory");
        return false;
    }
    return true;
}

/* "dir/.NAME.tmpXXXXXX" for mkstemp: hidden, beside the target (so the
 * rename stays on one file system), NAME cut at a character boundary so the
 * whole name fits the usual 255-byte limit of a file name. */
static char *temp_template(const char *final_path) {
    const char *slash = strrchr(final_path, '/');
    size_t dirlen = slash ? (size_t)(slash - final_path + 1) : 0;
    const char *base = final_path + dirlen;
    size_t blen = strlen(base), max = 255 - sizeof "..tmpXXXXXX" + 1;
    if (blen > max) {
        blen = max;
        while (blen > 0 && ((unsigned char)base[blen] & 0xC0) == 0x80) blen--;
    }
    size_t n = dirlen + blen + sizeof "..tmpXXXXXX";
    char *t = malloc(n);
    if (t) snprintf(t, n, "%.*s.%.*s.tmpXXXXXX", (int)dirlen, final_path, (int)blen, base);
    return t;
}

static void reset(outfile_t *o) {
    free(o->final_path);
    free(o->tmp_path);
    free(o->made_dir);
    memset(o, 0, sizeof *o);
}

/* Removes the directories begin made for the target, innermost first, as
 * long as they are empty (rmdir refuses otherwise). */
static void remove_made_dirs(outfile_t *o) {
    if (!o->made_dir || !o->final_path) return;
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", o->final_path);
    size_t top = strlen(o->made_dir);
    for (char *slash = strrchr(buf, '/'); slash && (size_t)(slash - buf) >= top; slash = strrchr(buf, '/')) {
        *slash = '\0';
        if (rmdir(buf) != 0) break;
    }
}

bool outfile_begin(outfile_t *o, const char *final_path, const outfile_inputs_t *inputs, diag_t *d) {
    memset(o, 0, sizeof *o);
    if (!(o->final_path = strdup(final_path))) goto oom;
    if (strcmp(final_path, "-") == 0) {
        /* Standard output gets the document only once it is complete: it
         * is made in an anonymous temporary file first. */
        o->fp = tmpfile();
        if (!o->fp) {
            diag_error(d, diag_nowhere(), "cannot make a temporary file for standard output: %s", strerror(errno));
            reset(o);
            return false;
        }
        return true;
    }
    if (strlen(final_path) >= sizeof pending - 32) {
        diag_error(d, diag_file(final_path), "cannot write: the path is longer than %zu bytes", sizeof pending - 32);
        reset(o);
        return false;
    }
    if (!target_ok(final_path, inputs, d)) {
        reset(o);
        return false;
    }
    if (!make_dirs(final_path, &o->made_dir, d)) {
        remove_made_dirs(o);
        reset(o);
        return false;
    }
    if (!(o->tmp_path = temp_template(final_path))) goto oom;
    /* mkstemp: O_CREAT | O_EXCL with a random name, so a name planted in a
     * shared folder (a link, someone's file) makes it pick another rather
     * than write through it; mode 0600 until fchmod gives the usual mode. */
    int fd = mkstemp(o->tmp_path);
    if (fd < 0) {
        diag_error(d, diag_file(final_path), "cannot write: %s", strerror(errno));
        remove_made_dirs(o);
        reset(o);
        return false;
    }
    snprintf(pending, sizeof pending, "%s", o->tmp_path);
    have_pending = 1;
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !(o->fp = fdopen(fd, "wb"))) {
        diag_error(d, diag_file(final_path), "cannot write: %s", strerror(errno));
        if (!o->fp) close(fd);
        outfile_abort(o);
        return false;
    }
    return true;
oom:
    diag_error(d, diag_file(final_path), "out of memory");
    reset(o);
    return false;
}

/* Copies the finished document to standard output. */
static bool copy_to_stdout(outfile_t *o, diag_t *d) {
    char buf[65536];
    size_t n;
    bool ok = fflush(o->fp) == 0 && fseek(o->fp, 0, SEEK_SET) == 0;
    while (ok && (n = fread(buf, 1, sizeof buf, o->fp)) > 0) ok = fwrite(buf, 1, n, stdout) == n;
    ok = ok && !ferror(o->fp) && fflush(stdout) == 0;
    if (!ok) diag_error(d, diag_nowhere(), "cannot write the PDF to standard output: %s", strerror(errno ? errno : EIO));
    return ok;
}

bool outfile_commit(outfile_t *o, diag_t *d) {
    if (!o->tmp_path) {
        bool ok = copy_to_stdout(o, d);
        fclose(o->fp);
        reset(o);
        return ok;
    }
    FILE *fp = o->fp;
    o->fp = NULL;
    if (fclose(fp) != 0) {
        diag_error(d, diag_file(o->final_path), "cannot write: %s", strerror(errno));
        outfile_abort(o);
        return false;
    }
    /* The target may have changed while the document was made: look again
     * (a directory there makes rename fail, with its own message). */
    struct stat st;
    if (lstat(o->final_path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        target_ok(o->final_path, NULL, d);
        outfile_abort(o);
        return false;
    }
    if (rename(o->tmp_path, o->final_path) != 0) {
        diag_error(d, diag_file(o->final_path), "cannot move the finished PDF into place: %s", strerror(errno));
        outfile_abort(o);
        return false;
    }
    have_pending = 0;
    reset(o);
    return true;
}

void outfile_abort(outfile_t *o) {
    if (o->fp) fclose(o->fp);
    if (o->tmp_path) unlink(o->tmp_path);
    have_pending = 0;
    remove_made_dirs(o);
    reset(o);
}
