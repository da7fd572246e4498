/* e2e: helpers for end-to-end tests that run the grundlag binary as a user
 * would. Header-only (static inline, so a test that leaves some unused still
 * builds under -Werror); each test is one .c file that needs nothing but
 * cmocka. Tests run from the repository root; the binary
 * is $GRUNDLAG (the Makefile points it at the release or the ASan build),
 * else ./grundlag. Knows nothing of what grundlag prints. */
#ifndef GRUNDLAG_TESTS_E2E_H
#define GRUNDLAG_TESTS_E2E_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* What a command did: its exit status (128 + N when killed by signal N, as
 * the shell reports it) and everything it wrote, as NUL-terminated strings. */
typedef struct e2e_result {
    int status;
    char *out;
    char *err;
    size_t out_len; /* out may hold NUL bytes (qpdf --qdf writes binary streams) */
} e2e_result_t;

/* The binary under test. */
static inline const char *e2e_bin(void) {
    const char *b = getenv("GRUNDLAG");
    return b && *b ? b : "./grundlag";
}

/* The binary under test as an absolute path (for commands that cd first),
 * malloc'd. */
static inline char *e2e_abs_bin(void) {
    const char *b = e2e_bin();
    if (b[0] == '/') return strdup(b);
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) return NULL;
    size_t n = strlen(cwd) + strlen(b) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s", cwd, b);
    return p;
}

/* The whole file as a malloc'd NUL-terminated string (length in *len when
 * len is not NULL), or NULL if it cannot be read. */
static inline char *e2e_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) { free(buf); buf = NULL; break; }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    if (buf && ferror(f)) { free(buf); buf = NULL; }
    fclose(f);
    if (!buf) return NULL;
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

/* Writes `text` to `path`; false on failure. */
static inline int e2e_write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    size_t n = strlen(text);
    int ok = fwrite(text, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

/* A fresh empty directory under $TMPDIR (or /tmp), malloc'd; NULL on failure. */
static inline char *e2e_tmpdir(void) {
    const char *base = getenv("TMPDIR");
    if (!base || !*base) base = "/tmp";
    size_t n = strlen(base) + sizeof "/grundlag-e2e-XXXXXX";
    char *dir = malloc(n);
    if (!dir) return NULL;
    snprintf(dir, n, "%s/grundlag-e2e-XXXXXX", base);
    if (!mkdtemp(dir)) { free(dir); return NULL; }
    return dir;
}

/* A guard to put before a command that hostile input might make hang or
 * eat memory: 20 s, and 1 GB of address space unless the binary is the
 * AddressSanitizer build (ASAN_OPTIONS set), which reserves terabytes of
 * it. A bound, so a regression fails instead of stalling; not a timing. */
static inline const char *e2e_guard(void) {
    return getenv("ASAN_OPTIONS") ? "timeout 20" : "ulimit -v 1048576; timeout 20";
}

/* Declares `dir`, a fresh directory from e2e_tmpdir, or fails the test. */
#define E2E_NEW_DIR(dir)      \
    char *dir = e2e_tmpdir(); \
    if (!dir) {               \
        fail();               \
        return;               \
    }

/* "dir/name", malloc'd. */
static inline char *e2e_path(const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Removes a directory made by e2e_tmpdir and everything in it, then frees
 * the name. Only ever given our own mkdtemp directories. */
static inline void e2e_rmtree(char *dir) {
    if (!dir) return;
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/rm", "rm", "-rf", "--", dir, (char *)NULL);
        _exit(127);
    }
    if (pid > 0) waitpid(pid, NULL, 0);
    free(dir);
}

/* `s` quoted for sh: 'it'\''s'. malloc'd. */
static inline char *e2e_quote(const char *s) {
    size_t n = 3;
    for (const char *p = s; *p; p++) n += *p == '\'' ? 4 : 1;
    char *q = malloc(n);
    if (!q) return NULL;
    char *o = q;
    *o++ = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '\'') { memcpy(o, "'\\''", 4); o += 4; }
        else *o++ = *p;
    }
    *o++ = '\'';
    *o = '\0';
    return q;
}

/* Runs `sh -c CMD` (CMD formatted like printf) with stdin from /dev/null,
 * capturing stdout and stderr in temporary files. On a failure of the
 * harness itself the status is -1 and err says why. */
static inline e2e_result_t e2e_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline e2e_result_t e2e_run(const char *fmt, ...) {
    e2e_result_t r = {-1, NULL, NULL, 0};
    char *cmd = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n >= 0 && (cmd = malloc((size_t)n + 1))) {
        va_start(ap, fmt);
        vsnprintf(cmd, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    char *dir = e2e_tmpdir();
    char *outp = dir ? e2e_path(dir, "stdout") : NULL;
    char *errp = dir ? e2e_path(dir, "stderr") : NULL;
    if (!cmd || !outp || !errp) {
        r.err = strdup("e2e: out of memory or no temporary directory");
        goto done;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        r.err = strdup("e2e: fork failed");
        goto done;
    }
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int out = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0) _exit(126);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    int ws;
    while (waitpid(pid, &ws, 0) < 0) {
        if (errno != EINTR) {
            r.err = strdup("e2e: waitpid failed");
            goto done;
        }
    }
    r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : -1;
    r.out = e2e_read_file(outp, &r.out_len);
    r.err = e2e_read_file(errp, NULL);
done:
    if (!r.out) r.out = strdup("");
    if (!r.err) r.err = strdup("");
    free(cmd);
    free(outp);
    free(errp);
    e2e_rmtree(dir);
    return r;
}

static inline void e2e_result_free(e2e_result_t *r) {
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* Number of lines in `s` (a last line without '\n' counts). */
static inline size_t e2e_count_lines(const char *s) {
    size_t n = 0;
    for (const char *p = s; *p; p++)
        if (*p == '\n' || p[1] == '\0') n++;
    return n;
}

/* Text as it survives line breaking, hyphenation, markup and a layout's
 * typographic punctuation: whitespace, hyphens, soft hyphens, asterisks,
 * quotes (straight, » « › ‹ ” ’) and the en dash removed (malloc'd).
 * Comparing squashed texts finds a data text in a PDF's extracted text
 * wherever lines broke; which quotes and dashes a layout sets is checked
 * exactly elsewhere (test_danish_punctuation). */
static inline char *e2e_squash(const char *s) {
    char *o = malloc(strlen(s) + 1), *w = o;
    if (!o) return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '-' || *p == '*' ||
            *p == '"' || *p == '\'')
            continue;
        if (p[0] == 0xC2 && p[1] == 0xAD) {
            p++;
            continue;
        }
        if (p[0] == 0xC2 && (p[1] == 0xAB || p[1] == 0xBB)) { /* « » */
            p++;
            continue;
        }
        if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x99 || p[2] == 0x9D || p[2] == 0xB9 || p[2] == 0xBA)) {
            p += 2; /* – ’ ” ‹ › */
            continue;
        }
        *w++ = (char)*p;
    }
    *w = '\0';
    return o;
}

/* The text of a data-file list item `- "..."` on `line` (the data file
 * writes every text that way), unescaped and malloc'd; NULL if the line
 * holds none. */
static inline char *e2e_item_text(const char *line) {
    const char *q = strstr(line, "- \"");
    if (!q) return NULL;
    q += 3;
    const char *end = strrchr(q, '"');
    if (!end || end < q) return NULL;
    char *s = malloc((size_t)(end - q) + 1), *w = s;
    if (!s) return NULL;
    for (const char *p = q; p < end; p++) {
        if (*p == '\\' && p + 1 < end) p++;
        *w++ = *p;
    }
    *w = '\0';
    return s;
}

/* The texts of a data file: every `- "..."` item outside `hyphenation:` (the
 * data file writes every text that way): all (NULL), those of the profile
 * whose id line contains `only_profile`, or ("") those of every profile. */
typedef struct e2e_texts {
    char **v;
    size_t n;
} e2e_texts_t;

static inline e2e_texts_t e2e_data_texts(const char *path, const char *only_profile) {
    e2e_texts_t t = {0};
    char *src = e2e_read_file(path, NULL);
    if (!src) return t;
    int skip = 0, in_profile = only_profile == NULL;
    for (char *line = strtok(src, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] != ' ' && line[0] != '#' && line[0]) skip = strncmp(line, "hyphenation:", 12) == 0;
        if (only_profile && strstr(line, "- id: ")) in_profile = strstr(line, only_profile) != NULL;
        if (skip || !in_profile) continue;
        char *s = e2e_item_text(line);
        if (!s) continue;
        char **nv = realloc(t.v, (t.n + 1) * sizeof *t.v);
        if (!nv) { free(s); break; }
        t.v = nv;
        t.v[t.n++] = s;
    }
    free(src);
    return t;
}

static inline void e2e_texts_free(e2e_texts_t *t) {
    for (size_t i = 0; i < t->n; i++) free(t->v[i]);
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

/* How many of the texts are not found, in order, in the PDF's text (each
 * missing one named on stderr); texts as e2e_squash leaves them. */
static inline size_t e2e_texts_missing(const char *pdf, const e2e_texts_t *t) {
    e2e_result_t r = e2e_run("pdftotext -enc UTF-8 %s -", pdf);
    if (r.status != 0) {
        e2e_result_free(&r);
        return t->n ? t->n : 1;
    }
    char *all = e2e_squash(r.out);
    const char *at = all ? all : "";
    size_t missing = 0;
    for (size_t i = 0; i < t->n; i++) {
        char *want = e2e_squash(t->v[i]);
        const char *hit = want ? strstr(at, want) : NULL;
        if (!hit) {
            fprintf(stderr, "not found (in order) in %s: %s\n", pdf, t->v[i]);
            missing++;
        } else {
            at = hit + strlen(want);
        }
        free(want);
    }
    free(all);
    e2e_result_free(&r);
    return missing;
}

/* A copy of the shipped data file at dir/name with `extra` (lines of YAML,
 * such as more bullets) after Medarbejder's last pitfall; *line (may be
 * NULL) receives the first added line's number. malloc'd path, NULL when it
 * cannot be written. */
static inline char *e2e_data_plus(const char *dir, const char *name, const char *extra, int *line) {
    static const char anchor[] = "        - \"Tilsidesætter overordnede politikker og beslutninger, og går egne veje\"\n";
    char *src = e2e_read_file("data/ledelsesgrundlag.yaml", NULL);
    char *at = src ? strstr(src, anchor) : NULL;
    char *path = e2e_path(dir, name);
    char *big = at ? malloc(strlen(src) + strlen(extra) + 1) : NULL;
    if (!big || !path) {
        free(src);
        free(big);
        free(path);
        return NULL;
    }
    size_t pre = (size_t)(at - src) + strlen(anchor);
    memcpy(big, src, pre);
    strcpy(big + pre, extra);
    strcat(big, src + pre);
    if (line) {
        *line = 1;
        for (size_t i = 0; i < pre; i++) *line += src[i] == '\n';
    }
    int ok = e2e_write_file(path, big);
    free(big);
    free(src);
    if (!ok) {
        free(path);
        return NULL;
    }
    return path;
}

#endif
