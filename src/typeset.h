/* typeset: the engine as the document kinds see it. Owns the fonts of a run
 * (loaded once per file, shared by every layout of the run), the hyphenator
 * for the data's language (with the data's exceptions), and turning a styled
 * piece of data text into a page block. Kinds talk to this and to page; they
 * never see HarfBuzz, FreeType or libharu. */
#ifndef GRUNDLAG_TYPESET_H
#define GRUNDLAG_TYPESET_H

#include <stdbool.h>

#include "diag.h"
#include "doc.h"
#include "model.h"
#include "page.h"
#include "para.h"
#include "spec.h"

typedef struct fontset fontset_t;

/* Fonts by path, loaded on first use and kept for the whole run. */
fontset_t *fontset_new(void);
void fontset_drop(fontset_t *fs);
/* NULL after reporting at `where`. */
font_t *fontset_get(fontset_t *fs, const char *path, diag_t *d, diag_loc_t where);

typedef struct typeset {
    const spec_t *spec;
    const model_t *model;
    fontset_t *fonts;
    hyph_t *hyph;
    diag_t *d;
    doc_t *doc;              /* the document being built */
    para_ctx_t para;
    para_style_t *styles;    /* resolved spec styles, same order as spec->styles */
    /* Copy-fitting: every size, leading, space and indent is multiplied by
     * this (1 by default). */
    double scale;
    doc_t **kept;            /* docs whose pages the document borrows */
    size_t kept_count;
    bool ok;
} typeset_t;

/* Loads every face the layout's styles use (errors name the layout line),
 * and the hyphenation patterns for the data's language. */
typeset_t *typeset_new(const spec_t *spec, const model_t *model, fontset_t *fonts, diag_t *d);
void typeset_drop(typeset_t *t);

/* The resolved style, or NULL after reporting that the kind needs it. */
const para_style_t *typeset_style(typeset_t *t, const char *name);
const spec_style_t *typeset_spec_style(typeset_t *t, const char *name);

/* Sets `text` (with inline markup) in style `name` at `measure` and appends
 * it as a paragraph block. The block takes the style's spacing and keeps. */
page_block_t *typeset_paragraph(typeset_t *t, page_blocks_t *blocks, const char *style, const char *text,
                                diag_loc_t loc, double measure);
/* As typeset_paragraph, with a hanging label (bullet) set in the same style
 * and the text indented by the style's indent. */
page_block_t *typeset_item(typeset_t *t, page_blocks_t *blocks, const char *style, const char *label,
                           const char *text, diag_loc_t loc, double measure);

/* A single line of plain text (no breaking) for running heads, folios and
 * labels; NULL on error. */
para_line_t *typeset_line(typeset_t *t, const char *style, const char *text, diag_loc_t loc, para_t *para_out);

/* Takes ownership of `d` until typeset_drop (pages used as underlays). */
bool typeset_keep_doc(typeset_t *t, doc_t *d);

/* Trial settings (copy-fitting) must not report: swaps the diagnostics sink
 * and returns the previous one. */
diag_t *typeset_swap_diag(typeset_t *t, diag_t *d);

/* The frame geometry of the layout's page. */
page_frame_spec_t typeset_frame(const spec_t *s);

#endif
