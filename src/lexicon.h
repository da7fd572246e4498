/* lexicon: a word list as a minimal acyclic automaton (DAFSA), generated at
 * build time by tools/mklexicon from a Debian word list, for hyph's compound
 * splitter. Owns only the lookup; it knows nothing of hyphenation, and the
 * words themselves are constant data compiled into the program (nothing is
 * read or parsed at run time). Words are lowercase ISO-8859-1 bytes.
 *
 * Layout (tools/mklexicon.c): edges[] of uint32_t; a state is the index of
 * its first edge, its edges follow in ascending letter order. Edge bits: 0-7
 * the letter, 8 a word may end after it, 9 last edge of its state, 10-31 the
 * target state (0: no edges). The root state is 1. */
#ifndef GRUNDLAG_LEXICON_H
#define GRUNDLAG_LEXICON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct lexicon {
    const uint32_t *edges;
    size_t count; /* edges, including the unused edge 0 */
    size_t words;
} lexicon_t;

/* The Danish words of Debian's wdanish (/usr/share/dict/danish). */
extern const lexicon_t lexicon_da;

/* Walks w[0..n) from the root. For each length k (1..n), sets word[k] when
 * w[0..k) is a word and word_e[k] when w[0..k) + "e" is one (either may be
 * NULL); entries for lengths the walk does not reach are left alone. Stops
 * where no word continues. */
void lexicon_prefixes(const lexicon_t *lx, const unsigned char *w, size_t n, bool *word, bool *word_e);

/* Whether w[0..n) is a word. */
bool lexicon_has(const lexicon_t *lx, const unsigned char *w, size_t n);

#endif
