/* para: one paragraph from text spans to set lines. Owns the box–glue–
 * penalty construction (words shaped by font, hyphenation points from hyph,
 * hard hyphens and slashes as break points, justified or optimised ragged
 * setting), the choice of font per character (style font, then the layout's
 * fallback, else an error naming the character) and the last-resort
 * breaking of words wider than the measure. Line breaking itself is kp's. */
#ifndef GRUNDLAG_PARA_H
#define GRUNDLAG_PARA_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "colour.h"
#include "diag.h"
#include "font.h"
#include "hyph.h"
#include "kp.h"
#include "text.h"

typedef enum para_align { PARA_LEFT, PARA_JUSTIFY, PARA_CENTRE, PARA_RIGHT } para_align_t;

typedef struct para_style {
    font_t *faces[4];    /* by face index (TEXT_BOLD*2... = bold<<1 | italic); NULL when absent */
    font_t *fallback[4]; /* the layout's fallback family, or NULLs */
    double size, leading;
    para_align_t align;
    bool hyphenate;
    /* Hyphenate only when a word is wider than the measure (labels, headings):
     * otherwise a short line reads better than a broken word. */
    bool hyphenate_if_needed;
    bool uppercase;
    colour_t colour;
} para_style_t;

/* Line-breaking settings: the Knuth–Plass parameters plus the costs of the
 * break points this module makes. */
typedef struct para_params {
    kp_params_t kp;
    double hyphen_penalty;    /* at a hyphenation point (TeX \hyphenpenalty 50) */
    double ex_hyphen_penalty; /* after an explicit hyphen or slash (\exhyphenpenalty 50) */
    /* Added at a hyphenation point inside a member of a compound (its joints
     * cost only hyphen_penalty): Danish readers expect "personale-grupper",
     * not "perso-nalegrupper". */
    double member_penalty;
    /* Font expansion for justified lines (pdfTeX's hz, microtype's default
     * 2 %): glyphs may widen or narrow by this fraction so that the word
     * spaces vary less. 0 turns it off. */
    double expansion;
    /* The share of its width a justified space may lose (TeX: a third).
     * Nothing ever takes more: a line that cannot be set within it is the
     * breaker's problem (hyphens, looser lines, emergency stretch). */
    double space_shrink;
    /* Character protrusion in justified text (microtype's): a line ending in
     * a hyphen or punctuation lets that character hang into the right
     * margin by its share (protrusion_scale × the character's factor), so
     * the margin looks straight and the line has that much more room. 0
     * turns it off. */
    double protrusion_scale;
    /* The penultimate line of a justified paragraph may fall short of the
     * measure (by up to rag_share of it) at a cost of rag_penalty, when the
     * paragraph's last word (never broken: a fragment alone on the last line
     * reads badly) cannot join it and stretching its spaces would open
     * holes. 0 turns it off. */
    double rag_penalty, rag_share;
} para_params_t;

para_params_t para_params_default(void);

typedef struct para_run {
    font_t *font;
    double size;
    double x;            /* from the line's left edge */
    double width;
    const char *text;    /* the text the glyphs were shaped from; clusters index into it */
    size_t text_len;
    const font_glyph_t *glyphs;
    size_t count;
    double hscale;       /* horizontal scale of the glyphs (font expansion); 1 = none */
    bool added_hyphen;   /* the hyphen a line break added: not part of the text */
} para_run_t;

typedef struct para_line {
    para_run_t *runs;
    size_t count;
    double width;   /* the set width of the line's content */
    double measure; /* the width it was set to */
    double ratio;   /* glue adjustment (justified lines) */
    bool hyphenated;
    /* A justified line: how far its last character (a hyphen, punctuation)
     * hangs past the measure (protrusion); whether it is a penultimate line
     * allowed to fall short of the measure (see para_params_t.rag_share). */
    double hang;
    bool rag;
    /* The line ends where the text has a space (not inside a word, not at
     * a hyphen the break added or one written in a word): "fag-" of
     * "fag- og" is a word of its own. */
    bool ends_at_space;
} para_line_t;

typedef struct para {
    para_line_t *lines;
    size_t count;
    double leading;
    double ascent;  /* of the style's main font at its size (for the first baseline) */
    double descent; /* positive */
    colour_t colour;
} para_t;

typedef struct para_ctx {
    const hyph_t *hyph;      /* may be NULL: no hyphenation */
    para_params_t params;
    arena_t *arena;          /* lines and runs live here (the document's arena) */
    diag_t *d;
    /* Scratch reused between paragraphs. */
    void *scratch;
} para_ctx_t;

void para_ctx_init(para_ctx_t *c, const hyph_t *hyph, arena_t *arena, diag_t *d);
void para_ctx_release(para_ctx_t *c);

/* Sets `spans` at `measure` points wide; the first line is `first_indent`
 * narrower (and starts that much to the right; negative hangs out).
 * Errors (a character no font has) name `loc`. */
bool para_set(para_ctx_t *c, const para_style_t *st, const text_spans_t *spans, double measure,
              double first_indent, diag_loc_t loc, para_t *out);

/* Natural width of a single line of text (labels, running heads). */
double para_text_width(const para_style_t *st, const char *text, size_t len, int face);

#endif
