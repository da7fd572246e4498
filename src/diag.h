/* diag: the diagnostics sink. Owns the wording of positions and severities
 * (`FILE:LINE:COL: error: MESSAGE`, GCC style, so editors can jump to them).
 * Every module reports through it; nothing below main() prints or exits.
 * A line already printed (the same position, severity and text) is counted
 * again but not printed again, nor are the notes that follow it. */
#ifndef GRUNDLAG_DIAG_H
#define GRUNDLAG_DIAG_H

#include <stdbool.h>
#include <stdio.h>

typedef struct diag_loc {
    const char *file; /* may be NULL */
    int line;         /* 1-based; 0 = no position */
    int col;          /* 1-based; 0 = no column */
} diag_loc_t;

typedef struct diag diag_t;

/* Writes to `stream` (stderr in the CLI, a memory stream in tests). */
diag_t *diag_new(FILE *stream);
void diag_drop(diag_t *d);

void diag_error(diag_t *d, diag_loc_t loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warning(diag_t *d, diag_loc_t loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A "note:" line that belongs to the previous error or warning. */
void diag_note(diag_t *d, diag_loc_t loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

int diag_error_count(const diag_t *d);
int diag_warning_count(const diag_t *d);

/* After this many errors further ones are counted but not printed. */
void diag_set_error_limit(diag_t *d, int limit);

static inline diag_loc_t diag_at(const char *file, int line, int col) {
    diag_loc_t l = {file, line, col};
    return l;
}
static inline diag_loc_t diag_file(const char *file) { return diag_at(file, 0, 0); }
static inline diag_loc_t diag_nowhere(void) { return diag_at(NULL, 0, 0); }

#endif
