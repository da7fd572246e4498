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

/* Writes `doc` (finished: doc_finish) as a PDF at `path` (the caller renames
 * it into place). */
bool out_pdf_write(const doc_t *doc, const char *path, diag_t *d);

/* How much the trace says of text: every run with its glyph ids and
 * advances (the engine's golden test), or a record per line (what a page
 * shows, for golden traces of every layout). */
typedef enum out_trace_detail { OUT_TRACE_GLYPHS, OUT_TRACE_LINES } out_trace_detail_t;

/* Writes the trace of `doc` (finished: doc_finish): document metadata, page
 * boxes, every drawn item with its colour and structure element, links,
 * bookmarks and page labels. */
bool out_trace_write(const doc_t *doc, FILE *f, out_trace_detail_t detail);

#endif
