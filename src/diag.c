/* diag: formats and counts diagnostics, and prints each distinct line once. */
#include "diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct diag {
    FILE *stream;
    int errors;
    int warnings;
    int error_limit;
    int shown_errors; /* printed: repeats are counted in `errors` only */
    /* Every error and warning line printed so far (an open-addressing set):
     * the same problem met again — a font every style uses, a warning per
     * participant of a split roster — is counted but not printed twice. */
    char **seen;
    size_t nseen, cap;
    bool last_suppressed; /* the notes of a suppressed line go with it */
};

diag_t *diag_new(FILE *stream) {
    diag_t *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->stream = stream;
    d->error_limit = 100;
    return d;
}

void diag_drop(diag_t *d) {
    if (!d) return;
    for (size_t i = 0; i < d->cap; i++) free(d->seen[i]);
    free(d->seen);
    free(d);
}

static uint64_t hash(const char *s) {
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Adds `line` to the set; false when it was there already. Out of memory,
 * the line counts as new: printing twice beats printing nothing. */
static bool first_time(diag_t *d, char *line) {
    if ((d->nseen + 1) * 2 > d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 64;
        char **ns = calloc(nc, sizeof *ns);
        if (!ns) return true;
        for (size_t i = 0; i < d->cap; i++) {
            if (!d->seen[i]) continue;
            size_t k = hash(d->seen[i]) & (nc - 1);
            while (ns[k]) k = (k + 1) & (nc - 1);
            ns[k] = d->seen[i];
        }
        free(d->seen);
        d->seen = ns;
        d->cap = nc;
    }
    size_t k = hash(line) & (d->cap - 1);
    for (; d->seen[k]; k = (k + 1) & (d->cap - 1))
        if (strcmp(d->seen[k], line) == 0) return false;
    d->seen[k] = strdup(line);
    if (d->seen[k]) d->nseen++;
    return true;
}

/* The whole line as printed, malloc'd (NULL when out of memory). */
static char *format_line(diag_loc_t loc, const char *severity, const char *fmt, va_list ap) {
    char pos[64] = "";
    if (loc.file && loc.line > 0 && loc.col > 0) snprintf(pos, sizeof pos, ":%d:%d", loc.line, loc.col);
    else if (loc.file && loc.line > 0) snprintf(pos, sizeof pos, ":%d", loc.line);
    const char *file = loc.file ? loc.file : "grundlag";
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0) return NULL;
    size_t head = strlen(file) + strlen(pos) + strlen(severity) + 4;
    char *line = malloc(head + (size_t)n + 1);
    if (!line) return NULL;
    int h = snprintf(line, head + 1, "%s%s: %s: ", file, pos, severity);
    vsnprintf(line + h, (size_t)n + 1, fmt, ap);
    return line;
}

/* Prints the line unless it was printed before; true when printed. */
static bool emit(diag_t *d, diag_loc_t loc, const char *severity, const char *fmt, va_list ap) {
    if (!d->stream) return false;
    char *line = format_line(loc, severity, fmt, ap);
    if (!line) return false;
    bool note = strcmp(severity, "note") == 0;
    if (note ? d->last_suppressed : !first_time(d, line)) {
        d->last_suppressed = true;
        free(line);
        return false;
    }
    d->last_suppressed = false;
    fputs(line, d->stream);
    fputc('\n', d->stream);
    fflush(d->stream);
    free(line);
    return true;
}

void diag_error(diag_t *d, diag_loc_t loc, const char *fmt, ...) {
    d->errors++;
    if (d->shown_errors >= d->error_limit) {
        d->last_suppressed = true;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    bool shown = emit(d, loc, "error", fmt, ap);
    va_end(ap);
    if (shown && ++d->shown_errors == d->error_limit)
        fprintf(d->stream, "grundlag: note: too many errors, further errors are not shown\n");
}

void diag_warning(diag_t *d, diag_loc_t loc, const char *fmt, ...) {
    d->warnings++;
    va_list ap;
    va_start(ap, fmt);
    emit(d, loc, "warning", fmt, ap);
    va_end(ap);
}

void diag_note(diag_t *d, diag_loc_t loc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    emit(d, loc, "note", fmt, ap);
    va_end(ap);
}

int diag_error_count(const diag_t *d) { return d->errors; }
int diag_warning_count(const diag_t *d) { return d->warnings; }
void diag_set_error_limit(diag_t *d, int limit) { d->error_limit = limit > 0 ? limit : 1; }
