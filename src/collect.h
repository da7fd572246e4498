/* collect: the answers of filled-in fillable worksheets (`worksheet.form`)
 * gathered into one table. Owns reading PDFs (the only module that knows
 * libqpdf: libharu only writes), recognising a worksheet by its fields'
 * names (profile.part.item.rating, ...; see kinds/worksheet.c), and the
 * table as CSV. Knows nothing of layouts, and writes no file: the caller
 * does, whole or not at all. */
#ifndef GRUNDLAG_COLLECT_H
#define GRUNDLAG_COLLECT_H

#include <stddef.h>

#include "diag.h"
#include "model.h"

/* The largest PDF collect reads: a personalised worksheet is some
 * hundred kilobytes, a whole seminar's in one file tens of megabytes. */
#define COLLECT_MAX_BYTES (256u << 20)

/* Reads the worksheets in `paths` (regular files, PDFs whose form fields
 * are a fillable worksheet's, for profiles of `m`) and returns their
 * answers as CSV (RFC 4180, UTF-8 with a byte-order mark, CRLF between
 * records), malloc'd, its length in *len: a header row, then a row per
 * participant in the order of the files (and of the sheets in a file) with
 * name, profile, the header's other fields (seminar, date, ...), then each
 * item's rating and notes and each reflection, profile after profile in the
 * data's order (columns named like the fields,
 * "leder-af-leder.strategisk-ledelse.3.rating"). Texts are read in Unicode
 * NFC, line breaks in them as LF. A sheet with no answer adds no row (a
 * warning when a whole file adds none). NULL after reporting every problem
 * as "FILE: error: ...": not a PDF, a damaged one, one without a
 * worksheet's fields, answers without a name, two sheets for one
 * participant. */
char *collect_csv(const model_t *m, const char *const *paths, size_t n, size_t *len, diag_t *d);

#endif
