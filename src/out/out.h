/* out: the output backends for a typeset doc. out_pdf writes the PDF (the
 * page boxes, crop marks, fonts and navigation go through out/pdf, the only
 * libharu code); out_trace writes a readable text trace of the same drawing
 * calls, which the golden tests diff so they do not depend on PDF bytes. */
#ifndef GRUNDLAG_OUT_H
#define GRUNDLAG_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "doc.h"

/* Writes `doc` as a PDF at `path` (the caller renames it into place). */
bool out_pdf_write(const doc_t *doc, const char *path, diag_t *d);
/* The same into an open file (flushed, not closed: outfile owns it); `name`
 * names it in messages. */
bool out_pdf_write_stream(const doc_t *doc, FILE *fp, const char *name, diag_t *d);

/* Distance from the trimmed page edge to the MediaBox edge. */
double out_media_margin(const doc_page_t *p);

/* Writes the trace: one line per page and per drawn item, numbers with two
 * decimals, glyph ids and advances, the text of each run. */
bool out_trace_write(const doc_t *doc, FILE *f);

#endif
