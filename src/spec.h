/* spec: a layout description (layouts/ YAML files) as an in-memory spec: the
 * document kind, page geometry, font families, named colours, named text
 * styles and the fixed words (labels) the document prints. Owns loading and
 * validating the shared part of the format; each document kind validates its
 * own block (spec keeps the YAML tree for that). Knows nothing of profiles. */
#ifndef GRUNDLAG_SPEC_H
#define GRUNDLAG_SPEC_H

#include <stdbool.h>
#include <stddef.h>

#include "colour.h"
#include "diag.h"
#include "text.h"
#include "ydoc.h"

typedef enum spec_face { SPEC_REGULAR, SPEC_ITALIC, SPEC_BOLD, SPEC_BOLD_ITALIC, SPEC_FACE_COUNT } spec_face_t;

typedef struct spec_family {
    const char *name;
    const char *files[SPEC_FACE_COUNT]; /* resolved paths; NULL when the face is not given */
    diag_loc_t locs[SPEC_FACE_COUNT];
    diag_loc_t loc;
} spec_family_t;

/* Total ink a print layout's colour may lay down, in percent (c + m + y + k). */
#define SPEC_MAX_INK 300

typedef struct spec_colour {
    const char *name;
    colour_t colour;
    diag_loc_t loc;
} spec_colour_t;

typedef enum spec_align { SPEC_ALIGN_LEFT, SPEC_ALIGN_JUSTIFY, SPEC_ALIGN_CENTRE, SPEC_ALIGN_RIGHT } spec_align_t;

typedef struct spec_style {
    const char *name;
    size_t family;        /* index into spec_t.families */
    bool bold, italic;
    double size, leading; /* points */
    spec_align_t align;
    bool hyphenate;
    bool hyphenate_if_needed; /* hyphenate: if-needed (only a word wider than the measure breaks) */
    size_t colour;        /* index into spec_t.colours */
    double space_before, space_after, indent, first_indent; /* points */
    bool keep_with_next, page_break_before, uppercase;
    diag_loc_t loc;
} spec_style_t;

typedef struct spec_page {
    double width, height;               /* trimmed page, points, after orientation */
    double top, bottom, inner, outer;   /* margins; inner/outer = left/right unless facing */
    bool facing;
    int columns;
    double gutter;
    double bleed;
    bool crop_marks;
} spec_page_t;

typedef struct spec_label {
    const char *key, *text;
    diag_loc_t loc;
} spec_label_t;

typedef struct spec {
    const char *path;
    const char *stem;       /* file name without directory and extension */
    const char *kind;       /* the document kind's name, one of those spec_load was given */
    spec_page_t page;
    spec_family_t *families;
    size_t family_count;
    long fallback_family;   /* index or -1 */
    spec_colour_t *colours;
    size_t colour_count;
    spec_style_t *styles;
    size_t style_count;
    spec_label_t *labels;
    size_t label_count;
    bool tagged;
    /* `punctuation`: straight quotes and spaced hyphens of the data set as
     * typographic punctuation (danish: »…« and –; danish-curly: ”…”) */
    text_punct_t punctuation;
    ydoc_t *doc;                /* kept for the kind's own block */
    const ynode_t *kind_block;  /* the block named after the kind (`handbook:`, ...), or NULL */
    const ynode_t *sheet_block; /* `sheet:` (n-up imposition), or NULL */
    /* `print:` (a PDF/X print file), or NULL. With it, colours are CMYK:
     * grey becomes K, RGB is an error, and no colour exceeds SPEC_MAX_INK. */
    const ynode_t *print_block;
    struct arena *arena;
} spec_t;

/* Where font files are looked up when the layout gives a bare file name:
 * the layout's own directory, ../fonts beside it, then `installed_fonts`
 * (may be NULL). `kinds` names the document kinds (NULL-terminated): the
 * layout's `kind:` must be one, and a block named after another is an
 * error. */
spec_t *spec_load(const char *path, const char *installed_fonts, const char *const *kinds, diag_t *d);
/* The same from bytes in memory (tests, fuzzing); `path` names it and
 * anchors relative font paths. */
spec_t *spec_parse(const char *path, const char *bytes, size_t len, const char *installed_fonts,
                   const char *const *kinds, diag_t *d);
void spec_drop(spec_t *s);

/* Lengths: "12pt", "3mm", "1.5 cm", "0.5in" → points. False on a bad
 * unit or number; never depends on the C locale. */
bool spec_parse_length(const char *s, double *pt);
/* A length value of the layout, at least `min` points and at most a PDF
 * page's size; reported as `what` at n when it is not. */
bool spec_read_length(const ydoc_t *doc, const ynode_t *n, const char *what, double min, double *out, diag_t *d);
/* Named page sizes (A0–A6, B4, B5, letter, legal), portrait, in points. */
bool spec_named_size(const char *name, double *w, double *h);

const spec_style_t *spec_find_style(const spec_t *s, const char *name);
const spec_colour_t *spec_find_colour(const spec_t *s, const char *name);
/* The label's text, or NULL. */
const char *spec_label(const spec_t *s, const char *key);

/* For kinds: the style/label a kind needs, reported at the layout file when
 * missing ("layout defines no style 'heading', which kind 'handbook' needs"). */
const spec_style_t *spec_require_style(const spec_t *s, const char *name, diag_t *d);
const char *spec_require_label(const spec_t *s, const char *key, diag_t *d);

#endif
