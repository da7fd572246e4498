/* roster: participants from a CSV file exported from a spreadsheet (RFC 4180:
 * a header row, quoted fields with commas, quotes and line breaks, UTF-8
 * with or without a byte-order mark, LF or CRLF; a semicolon separator, as
 * Danish spreadsheets write, is recognised from the header). Owns parsing,
 * the required columns (name, profile) and their checks, each error with
 * its line and column. Knows nothing of layouts. */
#ifndef GRUNDLAG_ROSTER_H
#define GRUNDLAG_ROSTER_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "model.h"

typedef struct roster_field {
    const char *text;
    int line, col; /* where the field starts, 1-based */
} roster_field_t;

typedef struct roster_row {
    roster_field_t *fields; /* one per column */
    const model_profile_t *profile;
    int line;
} roster_row_t;

typedef struct roster {
    const char *path;
    char **columns;         /* header names, trimmed */
    size_t column_count;
    size_t name_col, profile_col;
    roster_row_t *rows;
    size_t count;
    struct arena *arena;
} roster_t;

/* Parses `bytes` (for tests and fuzzing; `path` names it in messages) and
 * checks it against the model's profiles. NULL after reporting every
 * problem found. */
roster_t *roster_parse(const char *path, const char *bytes, size_t len, const model_t *m, diag_t *d);
roster_t *roster_load(const char *path, const model_t *m, diag_t *d);
void roster_drop(roster_t *r);

/* The value of `column` in row `row`, or NULL when there is no such column. */
const char *roster_value(const roster_t *r, const roster_row_t *row, const char *column);
long roster_column(const roster_t *r, const char *column);

/* A file name made from a participant's name: æ→ae, ø→oe, å→aa, accented
 * letters to their base letter, spaces to '-', other characters dropped;
 * never empty. Malloc'd. */
char *roster_safe_name(const char *name);

/* The longest file name roster_file_names makes (before a "-N" and ".pdf"). */
#define ROSTER_NAME_MAX 100

/* The --split file names (without ".pdf") of `rows`, in order: each one's
 * roster_safe_name, cut to ROSTER_NAME_MAX bytes, and numbered "-2", "-3", ...
 * where it would equal an earlier one ignoring case ("Anne", "anne": two files
 * on a case-insensitive file system); a name Windows reserves for a device
 * (CON, NUL, COM1, ...) gets "-1". Linear in the number of rows. A
 * malloc'd array for roster_file_names_free; NULL when out of memory. */
char **roster_file_names(const roster_t *r, const roster_row_t *const *rows, size_t n);
void roster_file_names_free(char **names, size_t n);

#endif
