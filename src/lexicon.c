/* lexicon: lookups in the generated word automaton (see lexicon.h). */
#include "lexicon.h"

#define LX_LETTER(e) ((e) & 0xFFu)
#define LX_FINAL(e) (((e) >> 8) & 1u)
#define LX_LAST(e) (((e) >> 9) & 1u)
#define LX_TARGET(e) ((e) >> 10)

/* The edge of state s for letter c, or 0. Edges are sorted by letter, so the
 * scan stops early; states have few edges past the first letters. */
static uint32_t edge_for(const lexicon_t *lx, uint32_t s, unsigned char c) {
    if (s == 0) return 0;
    for (uint32_t i = s; i < lx->count; i++) {
        uint32_t e = lx->edges[i];
        if (LX_LETTER(e) == c) return e;
        if (LX_LETTER(e) > c || LX_LAST(e)) return 0;
    }
    return 0;
}

void lexicon_prefixes(const lexicon_t *lx, const unsigned char *w, size_t n, bool *word, bool *word_e) {
    if (!lx || lx->count < 2) return;
    uint32_t s = 1;
    for (size_t k = 0; k < n; k++) {
        uint32_t e = edge_for(lx, s, w[k]);
        if (!e) return;
        s = LX_TARGET(e);
        if (word && LX_FINAL(e)) word[k + 1] = true;
        if (word_e) {
            uint32_t ee = edge_for(lx, s, 'e');
            if (ee && LX_FINAL(ee)) word_e[k + 1] = true;
        }
    }
}

bool lexicon_has(const lexicon_t *lx, const unsigned char *w, size_t n) {
    if (!lx || lx->count < 2 || n == 0) return false;
    uint32_t s = 1, e = 0;
    for (size_t k = 0; k < n; k++) {
        e = edge_for(lx, s, w[k]);
        if (!e) return false;
        s = LX_TARGET(e);
    }
    return LX_FINAL(e);
}
