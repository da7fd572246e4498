/* font: a loaded TrueType-outline font, its metrics, and text shaped with it.
 * The only module that calls FreeType and HarfBuzz. It owns the font file's
 * bytes (kept for subsetting), the HarfBuzz shaper and a cache of shaped
 * runs. It knows nothing of pages, sizes or PDF: everything here is in font
 * units, and callers scale by size / units_per_em. */
#ifndef GRUNDLAG_FONT_H
#define GRUNDLAG_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef struct font font_t;

/* The largest font file read: big pan-Unicode TrueType fonts are about
 * 25 MB; a file past this is refused rather than read into memory. */
#define FONT_MAX_BYTES (64u << 20)

/* Loads a TrueType-outline font (.ttf, or the first face of a .ttc).
 * Errors go through d at `where` (the layout position that named the file):
 *   cannot open font file 'X': No such file or directory
 *   'X' is not a usable font file (FreeType: unknown file format)
 *   'X' is not a usable font file (truncated: table 'glyf' ends at byte N of M)
 *   'X' has CFF outlines, which grundlag does not support; use a
 *     TrueType-outline (.ttf) font */
font_t *font_load(const char *path, diag_t *d, diag_loc_t where);
/* What a layout can check when it is read, before any text is set: `path`
 * is a regular file of at most FONT_MAX_BYTES whose header and table
 * directory are TrueType's (not WOFF, WOFF2, Type 1, CFF or cut short).
 * `what` names the layout key in every message:
 *   fonts.serif.regular: cannot read font file '/dev/zero': it is a character
 *     device, not a regular file
 *   fonts.serif.regular: 'x.woff2' is a WOFF2 web font, which grundlag cannot
 *     embed; use the font's TrueType (.ttf) file (woff2_decompress makes one from it) */
bool font_check_file(const char *path, const char *what, diag_t *d, diag_loc_t where);
void font_drop(font_t *f);
/* Lets the font file's pages go (read again from the page cache when
 * touched): for when a document has been composed, and shaping tables
 * (GSUB, GPOS: a third of a font's resident pages) are not needed to write
 * it. */
void font_release_pages(const font_t *f);

typedef struct font_metrics {
    const char *postscript_name; /* never NULL; made from the file name if the font has none */
    const char *family_name;     /* never NULL */
    int units_per_em;
    int ascender, descender; /* hhea (or OS/2 typo) values; descender is negative */
    int cap_height, x_height; /* OS/2, or measured from 'H' and 'x' when absent */
    int line_gap;
    int bbox[4]; /* xMin yMin xMax yMax */
    double italic_angle; /* degrees, counter-clockwise from vertical (negative leans right) */
    int stem_v;          /* estimated from the weight class: fonts do not record it */
    bool fixed_pitch, serif, italic, bold;
} font_metrics_t;

const font_metrics_t *font_metrics(const font_t *f);
const char *font_path(const font_t *f);
bool font_has_codepoint(const font_t *f, uint32_t cp);
/* The glyph the font's cmap gives `cp`, or 0 when it has none. */
uint32_t font_glyph_of(const font_t *f, uint32_t cp);
size_t font_glyph_count(const font_t *f);
/* The glyph's nominal (hmtx) advance in font units: what a PDF viewer advances
 * by after showing it, before any kerning the shaper applied. */
int32_t font_glyph_advance(const font_t *f, uint32_t gid);

typedef struct font_glyph {
    uint32_t gid;
    int32_t advance, x_offset, y_offset; /* font units */
    uint32_t cluster;                    /* byte offset into the shaped text */
} font_glyph_t;

typedef struct font_run {
    const font_glyph_t *glyphs;
    size_t count;
    int32_t width; /* sum of advances, font units */
} font_run_t;

/* Shapes UTF-8 text: language "da", Latin script, left to right, kern and
 * liga on, clusters at monotone-characters level. The caller normalises;
 * HarfBuzz recomposes "a" + U+030A to the å glyph when the font has it.
 * Results are cached by text inside the font; the returned glyphs stay valid
 * until font_drop. Unhinted, so the same run serves every size.
 * Returns false only when memory runs out. */
bool font_shape(font_t *f, const char *utf8, size_t len, font_run_t *out);

/* Number of distinct texts in the shaping cache (tests, benchmarks). */
/* The advance of a lone space (a quarter em when the font has none) and of
 * a lone hyphen, as shaped, in font units: asked for every word of every
 * paragraph, so shaped once per font. */
int32_t font_space_advance(font_t *f);
int32_t font_hyphen_advance(font_t *f);

size_t font_cache_entries(const font_t *f);

/* Subsets the font to `gids` (glyph 0 is always kept, and so are the glyphs
 * that composite glyphs are built from), renumbering glyphs compactly and
 * dropping layout tables (GSUB GPOS GDEF kern) and hinting: a PDF positions
 * every glyph itself. new_gids[i] receives the new id of gids[i].
 * Returns a malloc'd TrueType file (free() it) and its length, or NULL when
 * HarfBuzz could not subset (reported through d). Deterministic. */
unsigned char *font_subset(const font_t *f, const uint32_t *gids, size_t n, uint32_t *new_gids,
                           size_t *out_len, diag_t *d);
/* The same for the characters `cps` (those the font has), keeping their
 * cmap: for a font a viewer sets text in itself, by character (a form
 * field's typed text). */
unsigned char *font_subset_chars(const font_t *f, const uint32_t *cps, size_t n, size_t *out_len, diag_t *d);

#endif
