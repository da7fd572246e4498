/* text: turns a piece of data text into what the typesetter sets: Unicode
 * NFC (so decomposed a + U+030A hyphenates, shapes and breaks exactly like
 * å), whitespace collapsed, and inline markup (*italic*, **bold**, \* for a
 * literal asterisk) resolved into spans. Knows nothing of fonts or pages. */
#ifndef GRUNDLAG_TEXT_H
#define GRUNDLAG_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

enum { TEXT_ITALIC = 1, TEXT_BOLD = 2 }; /* face = bold*2 + italic, as spec_face_t */

/* A span keeps the text as written (shaped, and what copy-paste returns) and
 * its NFC form (for hyphenation and font coverage), with a map between them
 * when they differ. */
typedef struct text_span {
    const char *text;       /* as written (markup removed, spaces collapsed) */
    size_t len;
    const char *nfc;        /* NFC form; == text when the text is already NFC */
    size_t nfc_len;
    const uint32_t *nfc_map; /* NULL, or nfc byte offset → text byte offset (nfc_len + 1 entries) */
    int face;               /* TEXT_ITALIC | TEXT_BOLD bits */
} text_span_t;

typedef struct text_spans {
    text_span_t *spans;
    size_t count;
} text_spans_t;

/* NFC normalisation into a malloc'd string (*outlen set). Compose-only: the
 * canonical compositions of HarfBuzz's Unicode functions, in canonical
 * order. NULL only on allocation failure. */
char *text_nfc(const char *s, size_t len, size_t *outlen);
/* As text_nfc, also filling map (len*4+1 entries, caller's): for each byte
 * offset of the output that starts a character, the input offset of the
 * character it came from; map[outlen] = len. */
char *text_nfc_map(const char *s, size_t len, size_t *outlen, uint32_t *map);

/* Parses inline markup of `src` into spans allocated in `a` (whitespace
 * collapsed; text kept as written, with its NFC form beside it). An unmatched
 * `*` is set as a literal asterisk and reported as a warning at `loc`. */
bool text_parse(arena_t *a, const char *src, int base_face, text_spans_t *out, diag_t *d, diag_loc_t loc);

/* Typographic punctuation for a text written with typewriter characters. */
typedef enum text_punct {
    TEXT_PUNCT_AS_WRITTEN = 0, /* leave the text alone */
    TEXT_PUNCT_GUILLEMETS,     /* Danish: »…« and ›…‹ */
    TEXT_PUNCT_CURLY,          /* Danish: ”…” and ’…’ */
} text_punct_t;

/* Rewrites straight quotes and spaced hyphens of `src` into typographic
 * punctuation, in a string allocated in `a` (or `src` itself when nothing
 * changes or `style` is TEXT_PUNCT_AS_WRITTEN; NULL only when out of
 * memory):
 *  - '"' opens after the start, whitespace or an opening bracket or quote,
 *    and closes elsewhere: »x« (guillemets) or ”x” (curly);
 *  - '\'' between two letters or digits is an apostrophe (’); otherwise it
 *    opens or closes like '"', as ›x‹ or ’x’;
 *  - a hyphen with a space on both sides is a dash: " – " (U+2013);
 *  - markup (*, \*) and everything else is left as it is.
 * Copying text out of the PDF then gives these characters. */
const char *text_punctuate(arena_t *a, const char *src, text_punct_t style);

/* Decodes one UTF-8 code point at s[*i] (valid input assumed; bad bytes
 * become U+FFFD) and advances *i. */
uint32_t text_next(const char *s, size_t len, size_t *i);
/* Encodes cp into buf (4 bytes), returns its length. */
size_t text_encode(uint32_t cp, char *buf);

/* Upper-cases Latin text (for `uppercase` styles) into a malloc'd string. */
char *text_upper(const char *s, size_t len, size_t *outlen);

#endif
