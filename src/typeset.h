/* typeset: the engine as the composition layer sees it. Owns the fonts of a
 * run (loaded once per file, shared by every layout of the run), the
 * hyphenator for the data's language (with the data's exceptions), a
 * layout's resolved styles, and turning a styled piece of text into a page
 * block. Everything that varies from one setting to the next (the scale of
 * a copy-fit trial, where lines are allocated, where errors go) is passed
 * in a typeset_to_t, never kept here. Never sees HarfBuzz, FreeType or
 * libharu beyond font.h. */
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

/* Fonts by path, loaded on first use and kept for the whole run; also the
 * run's hyphenators, which typeset_new loads once and lends, and the run's
 * memo (typeset_memo_put). */
fontset_t *fontset_new(void);
void fontset_drop(fontset_t *fs);
/* NULL after reporting at `where`. */
font_t *fontset_get(fontset_t *fs, const char *path, diag_t *d, diag_loc_t where);
/* font_release_pages of every font loaded: once a document is composed. */
void fontset_release_pages(fontset_t *fs);

typedef struct typeset {
    const spec_t *spec;
    const model_t *model;
    fontset_t *fonts;
    hyph_t *hyph;            /* lent by `fonts`; NULL without hyphenation */
    /* The paragraph setter: its settings and scratch. Its arena and sink are
     * set from the typeset_to_t of each call. */
    para_ctx_t para;
    para_style_t *styles;    /* resolved spec styles, same order as spec->styles */
} typeset_t;

/* Where and how text is set: lines, runs and texts are allocated in
 * `arena` (a document's, or a memo's for what outlives one document);
 * every size, leading, space and indent is multiplied by `scale` (1: the
 * layout's sizes; copy-fitting tries others); errors go to `d` (a quiet
 * sink for trials). */
typedef struct typeset_to {
    arena_t *arena;
    double scale;
    diag_t *d;
} typeset_to_t;

/* Loads every face the layout's styles use (errors name the layout line),
 * and the hyphenation patterns for the data's language. */
typeset_t *typeset_new(const spec_t *spec, const model_t *model, fontset_t *fonts, diag_t *d);
/* The hyphenation patterns the data's language takes (GRUNDLAG_HYPHEN_DIR,
 * else /usr/share/hyphen): a file the run reads. */
void typeset_hyphen_path(const model_t *m, char *path, size_t cap);
void typeset_drop(typeset_t *t);

/* The layout's style, or NULL after reporting that the kind needs it. */
const spec_style_t *typeset_spec_style(const typeset_t *t, const char *name, diag_t *d);
/* The layout's style as the paragraph setter takes it, or NULL. */
const para_style_t *typeset_style(const typeset_t *t, const char *name);

/* Sets `text` (with inline markup) in style `name` at `measure` and appends
 * it as a paragraph block. The block takes the style's spacing and keeps. */
page_block_t *typeset_paragraph(typeset_t *t, const typeset_to_t *to, page_blocks_t *blocks, const char *style,
                                const char *text, diag_loc_t loc, double measure);
/* As typeset_paragraph, with a hanging label (bullet) set in the same style
 * and the text indented by the style's indent. */
page_block_t *typeset_item(typeset_t *t, const typeset_to_t *to, page_blocks_t *blocks, const char *style,
                           const char *label, const char *text, diag_loc_t loc, double measure);

/* A single line of plain text (no breaking) for running heads, folios and
 * labels; NULL on error. */
para_line_t *typeset_line(typeset_t *t, const typeset_to_t *to, const char *style, const char *text, diag_loc_t loc,
                          para_t *para_out);

/* A run-wide memo for what a kind sets once and later typesetters of the
 * same run may reuse instead of setting it again: under --split, one
 * document per participant, a worksheet's shared pages per profile. Kept by
 * the fontset until fontset_drop, which calls `drop` on the value (before
 * it drops the fonts, which the value may use). The key must name all the
 * value depends on; memory the value refers to must not be a document's
 * (set it with a typeset_to_t of its own arena). Keys may name the spec
 * and model by address: once a spec or model that a fontset's typesetters
 * used is dropped, that fontset must not typeset with new ones (a run
 * loads them all first and drops the fontset last). get: NULL when absent.
 * put: false (and nothing kept) when memory runs out. */
void *typeset_memo_get(const typeset_t *t, const char *key);
bool typeset_memo_put(typeset_t *t, const char *key, void *value, void (*drop)(void *));

#endif
