/* outfile: temp file + rename, and signal-time cleanup. */
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

void outfile_install_signal_cleanup(void) {
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
}

static bool make_dirs(const char *path, diag_t *d) {
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    char *slash = strrchr(buf, '/');
    if (!slash || slash == buf) return true;
    *slash = '\0';
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
            diag_error(d, diag_file(buf), "cannot create directory: %s", strerror(errno));
            return false;
        }
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
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

bool outfile_begin(outfile_t *o, const char *final_path, diag_t *d) {
    memset(o, 0, sizeof *o);
    struct stat st;
    if (stat(final_path, &st) == 0 && S_ISDIR(st.st_mode)) {
        diag_error(d, diag_file(final_path), "cannot write the PDF: the path is a directory");
        return false;
    }
    if (!make_dirs(final_path, d)) return false;
    o->final_path = strdup(final_path);
    size_t n = strlen(final_path) + 64;
    o->tmp_path = malloc(n);
    if (!o->final_path || !o->tmp_path) {
        outfile_abort(o);
        return false;
    }
    const char *slash = strrchr(final_path, '/');
    int dirlen = slash ? (int)(slash - final_path + 1) : 0;
    snprintf(o->tmp_path, n, "%.*s.%s.tmp%ld", dirlen, final_path, slash ? slash + 1 : final_path,
             (long)getpid());
    /* Probe that the directory takes a file now, so the error is about the
     * target rather than about a library's failure later. */
    FILE *f = fopen(o->tmp_path, "wb");
    if (!f) {
        diag_error(d, diag_file(final_path), "cannot write: %s", strerror(errno));
        free(o->final_path);
        free(o->tmp_path);
        memset(o, 0, sizeof *o);
        return false;
    }
    fclose(f);
    snprintf(pending, sizeof pending, "%s", o->tmp_path);
    have_pending = 1;
    return true;
}

bool outfile_commit(outfile_t *o, diag_t *d) {
    if (rename(o->tmp_path, o->final_path) != 0) {
        diag_error(d, diag_file(o->final_path), "cannot move the finished PDF into place: %s", strerror(errno));
        outfile_abort(o);
        return false;
    }
    have_pending = 0;
    free(o->final_path);
    free(o->tmp_path);
    memset(o, 0, sizeof *o);
    return true;
}

void outfile_abort(outfile_t *o) {
    if (o->tmp_path) unlink(o->tmp_path);
    have_pending = 0;
    free(o->final_path);
    free(o->tmp_path);
    memset(o, 0, sizeof *o);
}
