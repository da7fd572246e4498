/* hyph: a word -> the byte offsets where it may be hyphenated. Owns the
 * libhyphen pattern dictionary, the user's exception list and the rules for
 * what counts as "the word" inside a token (punctuation, soft and hard
 * hyphens, digits). It knows nothing of fonts, widths or lines: the caller
 * turns break offsets into discretionary items. The pattern file path comes
 * from the caller; nothing here reads settings or knows where files live. */
#ifndef GRUNDLAG_HYPH_H
#define GRUNDLAG_HYPH_H

#include <stdbool.h>
#include <stddef.h>

typedef struct hyph hyph_t;

/* Loads a libhyphen .dic (its first line names its encoding; ISO8859-1, as in
 * Debian's hyph_da_DK.dic, and UTF-8 are supported). lhmin/rhmin: minimum
 * fragment lengths in letters (2 and 3 for Danish); values below 1 count as 1,
 * and the dictionary's own LEFTHYPHENMIN/RIGHTHYPHENMIN win if larger.
 * On failure returns NULL and writes a one-sentence reason into err (errsz
 * bytes, may be NULL/0), e.g.
 * "cannot open hyphenation patterns '/x.dic': No such file or directory". */
hyph_t *hyph_new(const char *dic_path, int lhmin, int rhmin, char *err, size_t errsz);
void hyph_drop(hyph_t *h);

/* Adds an exception, TeX style "værd-sæt-ter" (UTF-8), replacing an earlier
 * exception for the same word; an entry without hyphens ("værdsætter") means
 * "never hyphenate this word". Exceptions match the core word (see hyph_word)
 * case-insensitively (all Latin-1 letters fold: A-Z, À-Þ) and, like TeX, their
 * breaks are still subject to lhmin/rhmin. Returns false (and adds nothing) on
 * a malformed entry: empty, leading/trailing or double hyphen, invalid UTF-8,
 * or a character that is not a Latin-1 letter (such words are never
 * hyphenated, so an exception for them could never match). */
bool hyph_add_exception(hyph_t *h, const char *pattern);

/* Break points of one token (UTF-8, NFC, no spaces) `word[0..len)`: fills
 * *breaks with ascending UTF-8 BYTE offsets where a hyphen may be inserted; a
 * break at k means the line ends with word[0..k) + "-" and the next begins
 * with word[k..). *breaks grows with realloc as needed (caller frees; *cap is
 * its capacity in elements, 0 with *breaks == NULL to start). Returns the
 * number of breaks. Rules, in order:
 *  - a token containing a hard hyphen ('-' U+002D, U+2010, or the
 *    non-breaking U+2011) inside the word gets no breaks: the caller breaks
 *    after the hyphen; a hard hyphen at either end ("kontrakt-" in
 *    "kontrakt- og aftaleholder", "-aftaler") is punctuation like a comma;
 *  - a token containing soft hyphens (U+00AD) breaks ONLY at them, and only
 *    where word material (not punctuation) precedes and follows. The
 *    offset is that of the soft hyphen itself, so the line ends
 *    word[0..k) + "-" and the next line starts with the U+00AD, which the
 *    caller drops (it drops every U+00AD glyph: unbroken, a soft hyphen is
 *    invisible). Explicit soft hyphens are honoured even in tokens that
 *    the rules below would leave alone;
 *  - leading and trailing punctuation (quotes, » «, parentheses, commas,
 *    periods, colons, and anything in U+2000..U+206F such as „ " … –) is not
 *    part of the core word: it is left out of the lookup and lhmin/rhmin
 *    count letters of the core only;
 *  - a token with a digit anywhere, a core with a character outside Latin-1,
 *    or a core with a non-letter inside ("f.eks", "og/eller") gets no breaks;
 *  - otherwise the exception list, then the patterns, decide. One Danish
 *    rule corrects the patterns: of the consonants between two vowels only
 *    the last goes to the next line, so "politi-ske" becomes "politis-ke"
 *    (any break before "sk" + vowel after an i);
 * Invalid UTF-8, h == NULL (soft hyphens still work) or running out of memory
 * give no pattern breaks: an unhyphenated word is always a correct answer. */
size_t hyph_word(const hyph_t *h, const char *word, size_t len, size_t **breaks, size_t *cap);

/* Compound-aware hyphenation: with a word list attached, a word that splits
 * into known words at pattern points (members of at least 3 letters, the
 * last at least 4; a member may end in a linking s or e, or trade its final
 * e for s: "samarbejd(e)s") gets its joints ranked above the pattern points
 * inside its members, and pattern points within two letters of a joint
 * between members of 4 letters or more are dropped: they read wrongly
 * ("persona-legrupper", "borgerre-præsentationen"). Among splits, the fewest
 * members win, then the one whose shortest member is longest. Words the
 * exception list names are left as the list says. The lexicon is lent and
 * must outlive h; NULL detaches it. */
typedef struct lexicon lexicon_t;
void hyph_set_lexicon(hyph_t *h, const lexicon_t *lx);

/* How good a break is, for the line breaker's penalties. */
typedef enum hyph_rank {
    HYPH_PLAIN = 0,  /* a break in a word with no compound structure found */
    HYPH_JOINT = 1,  /* between two members of a compound */
    HYPH_MEMBER = 2, /* inside a member of a compound: legal, but poorer */
} hyph_rank_t;

/* As hyph_word, also filling *ranks (grown with *breaks, same capacity
 * *cap; ranks may be NULL) with the hyph_rank_t of each break. */
size_t hyph_word_ranked(const hyph_t *h, const char *word, size_t len, size_t **breaks, unsigned char **ranks,
                        size_t *cap);

/* Convenience for tests and traces: a malloc'd copy of `word` with '-' at
 * every break and soft hyphens removed, e.g. "ud-vik-lings-kon-trak-ter".
 * NULL when out of memory. */
char *hyph_debug(const hyph_t *h, const char *word);
/* As hyph_debug with '=' at compound joints: "per-so-nale=grup-per". */
char *hyph_debug_ranked(const hyph_t *h, const char *word);

#endif
