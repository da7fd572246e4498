/* diag: formats and counts diagnostics. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>

struct diag {
    FILE *stream;
    int errors;
    int warnings;
    int error_limit;
};

diag_t *diag_new(FILE *stream) {
    diag_t *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->stream = stream;
    d->error_limit = 100;
    return d;
}

void diag_drop(diag_t *d) { free(d); }

static void emit(diag_t *d, diag_loc_t loc, const char *severity, const char *fmt, va_list ap) {
    if (!d->stream) return;
    if (loc.file && loc.line > 0 && loc.col > 0)
        fprintf(d->stream, "%s:%d:%d: ", loc.file, loc.line, loc.col);
    else if (loc.file && loc.line > 0)
        fprintf(d->stream, "%s:%d: ", loc.file, loc.line);
    else if (loc.file)
        fprintf(d->stream, "%s: ", loc.file);
    else
        fputs("grundlag: ", d->stream);
    fprintf(d->stream, "%s: ", severity);
    vfprintf(d->stream, fmt, ap);
    fputc('\n', d->stream);
    fflush(d->stream);
}

void diag_error(diag_t *d, diag_loc_t loc, const char *fmt, ...) {
    d->errors++;
    if (d->errors > d->error_limit) return;
    va_list ap;
    va_start(ap, fmt);
    emit(d, loc, "error", fmt, ap);
    va_end(ap);
    if (d->errors == d->error_limit && d->stream)
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
    if (d->errors > d->error_limit) return;
    va_list ap;
    va_start(ap, fmt);
    emit(d, loc, "note", fmt, ap);
    va_end(ap);
}

int diag_error_count(const diag_t *d) { return d->errors; }
int diag_warning_count(const diag_t *d) { return d->warnings; }
void diag_set_error_limit(diag_t *d, int limit) { d->error_limit = limit > 0 ? limit : 1; }
