/* hyph: Danish (or any libhyphen) hyphenation of single tokens. Owns the
 * HyphenDict, the exception table and the UTF-8 <-> dictionary-encoding
 * conversion. libhyphen works on bytes in the dictionary's encoding and
 * reports break positions per character, so every lookup goes UTF-8 ->
 * lowercase Latin-1 (or UTF-8) -> positions -> UTF-8 byte offsets here, and
 * no caller ever sees the dictionary's encoding. */
#include "hyph.h"

#include "arena.h"
#include "lexicon.h"

#include <errno.h>
#include <hyphen.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* One exception word: the case-folded Latin-1 letters and, per letter
 * position k (1..len-1), whether a break is allowed before letter k. Key and
 * marks share one allocation so an entry is one malloc/free. */
typedef struct hyph_exc {
    unsigned char *key; /* NULL = empty slot; marks follow key[len] */
    size_t len;
} hyph_exc_t;

/* A word already looked up: its folded core and, after it, allow[0..len]
 * and rank[0..len] as the lookup left them. Running text repeats its words
 * (a handbook of 3,000 words has 1,200 different ones, and every layout of
 * a run sets the same data), so each core is analysed once per process. */
typedef struct hyph_memo_entry {
    uint64_t hash; /* 0: empty slot */
    const unsigned char *key;
    size_t len;
} hyph_memo_entry_t;

typedef struct hyph_memo {
    hyph_memo_entry_t *slots; /* open addressing, power of two, load <= 1/2 */
    size_t cap, count;
    arena_t *store; /* keys and their marks */
} hyph_memo_t;

struct hyph {
    HyphenDict *dict;
    bool utf8; /* dictionary patterns are UTF-8 rather than ISO8859-1 */
    int lhmin, rhmin;
    hyph_exc_t *exc; /* open addressing, capacity a power of two, load <= 1/2 */
    size_t exc_cap, exc_count;
    const lexicon_t *lex; /* compound members; NULL: no compound analysis */
    /* Results by core word. Mutable behind a const hyph_t: a lookup's answer
     * depends only on the word, the exceptions and the lexicon, and the memo
     * is emptied when either of those changes. */
    hyph_memo_t *memo;
    /* And the answers by word as written (punctuation and all): copy-fitting
     * sets the same words at size after size, and finding the core again
     * (decoding, classing, folding) cost as much as the answer. */
    hyph_memo_t *written;
};

static void memo_clear(hyph_memo_t *mm) {
    if (!mm) return;
    free(mm->slots);
    arena_drop(mm->store);
    *mm = (hyph_memo_t){0};
}

void hyph_set_lexicon(hyph_t *h, const lexicon_t *lx) {
    if (!h) return;
    h->lex = lx;
    memo_clear(h->memo);
    memo_clear(h->written);
}

/* Writes the reason for a failed hyph_new into the caller's buffer, if any. */
__attribute__((format(printf, 3, 4))) static void set_err(char *err, size_t errsz, const char *fmt, ...) {
    if (!err || errsz == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
}

hyph_t *hyph_new(const char *dic_path, int lhmin, int rhmin, char *err, size_t errsz) {
    if (err && errsz) err[0] = '\0';
    if (!dic_path) {
        set_err(err, errsz, "no hyphenation pattern file given");
        return NULL;
    }
    /* Opening the file ourselves (rather than hnj_hyphen_load) keeps errno,
     * so the message can say why, not just that it failed. */
    FILE *f = fopen(dic_path, "r");
    if (!f) {
        set_err(err, errsz, "cannot open hyphenation patterns '%s': %s", dic_path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        set_err(err, errsz, "cannot read hyphenation patterns '%s': %s", dic_path, strerror(EISDIR));
        fclose(f);
        return NULL;
    }
    HyphenDict *dict = hnj_hyphen_load_file(f);
    int read_errno = ferror(f) ? errno : 0;
    fclose(f);
    if (!dict || read_errno) {
        if (read_errno)
            set_err(err, errsz, "cannot read hyphenation patterns '%s': %s", dic_path,
                    strerror(read_errno));
        else
            set_err(err, errsz, "cannot load hyphenation patterns '%s'", dic_path);
        if (dict) hnj_hyphen_free(dict);
        return NULL;
    }
    /* libhyphen takes the first line as the encoding name whatever it is, so
     * this is also where a file that is not a pattern file is caught. */
    bool utf8 = dict->utf8 != 0;
    bool latin1 = !strcasecmp(dict->cset, "ISO8859-1") || !strcasecmp(dict->cset, "ISO-8859-1") ||
                  !strcasecmp(dict->cset, "ISO_8859-1") || !strcasecmp(dict->cset, "LATIN1");
    if (!utf8 && !latin1) {
        if (dict->cset[0] == '\0')
            set_err(err, errsz, "'%s' is not a hyphenation pattern file: its first line names no encoding",
                    dic_path);
        else
            set_err(err, errsz,
                    "hyphenation patterns '%s' are in encoding '%s'; only ISO8859-1 and UTF-8 are "
                    "supported",
                    dic_path, dict->cset);
        hnj_hyphen_free(dict);
        return NULL;
    }
    hyph_t *h = calloc(1, sizeof *h);
    if (h && (!(h->memo = calloc(1, sizeof *h->memo)) || !(h->written = calloc(1, sizeof *h->written)))) {
        free(h->memo);
        free(h);
        h = NULL;
    }
    if (!h) {
        set_err(err, errsz, "out of memory loading hyphenation patterns '%s'", dic_path);
        hnj_hyphen_free(dict);
        return NULL;
    }
    h->dict = dict;
    h->utf8 = utf8;
    /* the dictionary's LEFTHYPHENMIN/RIGHTHYPHENMIN win if larger, for
     * exceptions as well as patterns (hnj_hyphen_hyphenate3 does the same) */
    h->lhmin = lhmin > dict->lhmin ? lhmin : dict->lhmin;
    h->rhmin = rhmin > dict->rhmin ? rhmin : dict->rhmin;
    if (h->lhmin < 1) h->lhmin = 1;
    if (h->rhmin < 1) h->rhmin = 1;
    return h;
}

void hyph_drop(hyph_t *h) {
    if (!h) return;
    for (size_t i = 0; i < h->exc_cap; i++) free(h->exc[i].key);
    free(h->exc);
    if (h->dict) hnj_hyphen_free(h->dict);
    memo_clear(h->memo);
    free(h->memo);
    memo_clear(h->written);
    free(h->written);
    free(h);
}

/* ---- characters ---------------------------------------------------------- */

/* Decodes the UTF-8 sequence at s[i..len). Returns its length, 0 if invalid
 * (overlong, surrogate, beyond U+10FFFF, truncated): such tokens are left
 * unbroken rather than guessed at. */
static size_t utf8_decode(const unsigned char *s, size_t len, size_t i, uint32_t *cp) {
    unsigned c = s[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0) n = 2, v = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0) n = 3, v = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0) n = 4, v = c & 0x07, min = 0x10000;
    else return 0;
    if (len - i < n) return 0;
    for (size_t k = 1; k < n; k++) {
        if ((s[i + k] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i + k] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return n;
}

static size_t utf8_encode(uint32_t cp, unsigned char *out) {
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    /* Only Latin-1 letters reach here (see hyph_word). */
    out[0] = (unsigned char)(0xC0 | (cp >> 6));
    out[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
}

static bool is_latin1_letter(uint32_t cp) {
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) return true;
    if (cp == 0xAA || cp == 0xB5 || cp == 0xBA) return true; /* ª µ º */
    return cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7; /* not × ÷ */
}

static bool is_hard_hyphen(uint32_t cp) { return cp == 0x2D || cp == 0x2010 || cp == 0x2011; }

/* Punctuation that may wrap a word: Latin-1 symbols and the General
 * Punctuation block (typographic quotes, dashes, ellipsis). Anything else
 * outside Latin-1 is treated as part of the word, which then stays unbroken. */
static bool is_wrapping_punct(uint32_t cp) {
    if (cp < 0x100) return !is_latin1_letter(cp) && !(cp >= '0' && cp <= '9') && cp != 0xAD;
    return cp >= 0x2000 && cp <= 0x206F;
}

/* Case folding for the lookup: the patterns and exceptions are lowercase. ß
 * and ÿ have no Latin-1 capitals, so the simple offset covers everything. */
static unsigned char fold_latin1(uint32_t cp) {
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)) cp += 0x20;
    return (unsigned char)cp;
}

/* ---- exceptions ---------------------------------------------------------- */

static uint64_t hash_bytes(const unsigned char *k, size_t n) {
    uint64_t x = 1469598103934665603u; /* FNV-1a: short keys, no need for more */
    for (size_t i = 0; i < n; i++) x = (x ^ k[i]) * 1099511628211u;
    return x;
}

static hyph_exc_t *exc_slot(hyph_exc_t *tab, size_t cap, const unsigned char *key, size_t len) {
    size_t i = (size_t)hash_bytes(key, len) & (cap - 1);
    while (tab[i].key && !(tab[i].len == len && memcmp(tab[i].key, key, len) == 0))
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

static const hyph_exc_t *exc_find(const hyph_t *h, const unsigned char *key, size_t len) {
    if (h->exc_count == 0) return NULL;
    hyph_exc_t *e = exc_slot(h->exc, h->exc_cap, key, len);
    return e->key ? e : NULL;
}

static bool exc_grow(hyph_t *h) {
    size_t cap = h->exc_cap ? h->exc_cap * 2 : 16;
    hyph_exc_t *tab = calloc(cap, sizeof *tab);
    if (!tab) return false;
    for (size_t i = 0; i < h->exc_cap; i++)
        if (h->exc[i].key) *exc_slot(tab, cap, h->exc[i].key, h->exc[i].len) = h->exc[i];
    free(h->exc);
    h->exc = tab;
    h->exc_cap = cap;
    return true;
}

bool hyph_add_exception(hyph_t *h, const char *pattern) {
    if (!h || !pattern) return false;
    const unsigned char *s = (const unsigned char *)pattern;
    size_t n = strlen(pattern);
    /* letters <= bytes, so n bytes bound both the key and the marks */
    unsigned char *buf = calloc(2 * n + 2, 1);
    if (!buf) return false;
    unsigned char *marks = buf + n + 1;
    size_t len = 0;
    bool prev_hyphen = true; /* a hyphen first is as bad as two in a row */
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s, n, i, &cp);
        if (k == 0) goto malformed;
        i += k;
        if (cp == '-') {
            if (prev_hyphen) goto malformed;
            prev_hyphen = true;
            marks[len] = 1;
            continue;
        }
        if (!is_latin1_letter(cp)) goto malformed;
        buf[len++] = fold_latin1(cp);
        prev_hyphen = false;
    }
    if (len == 0 || prev_hyphen) goto malformed;
    /* The marks were written at buf + n + 1; move them right after the key so
     * an entry's layout is key[len] then marks[len]. */
    memmove(buf + len, marks, len);
    if (2 * (h->exc_count + 1) > h->exc_cap && !exc_grow(h)) {
        free(buf);
        return false;
    }
    memo_clear(h->memo);
    memo_clear(h->written);
    hyph_exc_t *e = exc_slot(h->exc, h->exc_cap, buf, len);
    if (e->key) free(e->key); /* later entries win, as with TeX's \hyphenation */
    else h->exc_count++;
    e->key = buf;
    e->len = len;
    return true;
malformed:
    free(buf);
    return false;
}

/* ---- lookup -------------------------------------------------------------- */

/* Appends a break (and its rank, when ranks are asked for); the arrays share
 * one capacity. */
static bool push_break(size_t **breaks, unsigned char **ranks, size_t *cap, size_t count, size_t off,
                       unsigned char rank) {
    if (count == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        size_t *nb = realloc(*breaks, nc * sizeof *nb);
        if (!nb) return false;
        *breaks = nb;
        if (ranks) {
            unsigned char *nr = realloc(*ranks, nc);
            if (!nr) return false;
            *ranks = nr;
        }
        *cap = nc;
    } else if (ranks && !*ranks) {
        *ranks = malloc(*cap);
        if (!*ranks) return false;
    }
    (*breaks)[count] = off;
    if (ranks) (*ranks)[count] = rank;
    return true;
}

/* Runs the patterns over the folded core (m letters) and sets allow[k] for
 * every k where a break before letter k is allowed. False when out of memory. */
static bool pattern_breaks(const hyph_t *h, const unsigned char *folded, size_t m, unsigned char *allow) {
    if (m > INT32_MAX / 4) return false; /* libhyphen counts in int */
    size_t nbytes = 0;
    unsigned char *word = malloc(2 * m + 1);
    char *hyphens = malloc(2 * m + 5); /* libhyphen wants word_size + 5 */
    if (!word || !hyphens) {
        free(word);
        free(hyphens);
        return false;
    }
    if (h->utf8)
        for (size_t i = 0; i < m; i++) nbytes += utf8_encode(folded[i], word + nbytes);
    else {
        memcpy(word, folded, m);
        nbytes = m;
    }
    word[nbytes] = '\0';
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    hnj_hyphen_hyphenate3(h->dict, (const char *)word, (int)nbytes, hyphens, NULL, &rep, &pos, &cut,
                          h->lhmin, h->rhmin, 0, 0);
    /* hyphens[i] odd = break after character i (libhyphen has already mapped
     * UTF-8 dictionaries back to character positions). A non-standard break
     * (rep[i], e.g. German "Schiff-fahrt") changes letters, which a byte
     * offset cannot express, so those are skipped. */
    for (size_t i = 0; i + 1 < m; i++)
        if ((hyphens[i] & 1) && !(rep && rep[i])) allow[i + 1] = 1;
    if (rep) {
        for (size_t i = 0; i < nbytes; i++) free(rep[i]);
        free(rep);
    }
    free(pos);
    free(cut);
    free(word);
    free(hyphens);
    return true;
}

static bool is_vowel(unsigned char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' || c == 0xE6 || c == 0xF8 ||
           c == 0xE5 || c == 0xE9 || c == 0xE4 || c == 0xF6 || c == 0xFC;
}

/* The Danish rule the 1994 patterns get wrong in -iske adjectives: of the
 * consonants between two vowels only the last goes over, "politis-ke", not
 * "politi-ske". Moves such a break one letter right. */
static void danish_sk(const unsigned char *w, size_t m, unsigned char *allow) {
    for (size_t k = 1; k + 2 < m; k++)
        if (allow[k] && w[k - 1] == 'i' && w[k] == 's' && w[k + 1] == 'k' && is_vowel(w[k + 2])) {
            allow[k] = 0;
            allow[k + 1] = 1;
        }
}

enum { MEMBER_MIN = 3, LAST_MEMBER_MIN = 4, CONFIDENT_MEMBER = 4, NEAR_JOINT = 2, COMPOUND_MAX = 64 };

/* Splits the folded core w[0..m) into lexicon words at allowed break points
 * (see hyph_set_lexicon) and marks the joints in joint[]. False when no split
 * into two or more members exists (or the word is too long to try). */
static bool find_joints(const lexicon_t *lx, const unsigned char *w, size_t m, const unsigned char *allow,
                        unsigned char *joint) {
    if (m < MEMBER_MIN + LAST_MEMBER_MIN || m > COMPOUND_MAX) return false;
    /* best[i]: the best split of w[i..m): members (0 = none), its shortest
     * member, and where the first member ends (m: a single member). */
    size_t count[COMPOUND_MAX + 1], shortest[COMPOUND_MAX + 1], next[COMPOUND_MAX + 1];
    bool word[COMPOUND_MAX + 2], word_e[COMPOUND_MAX + 2];
    for (size_t i = m + 1; i-- > 0;) {
        count[i] = 0, shortest[i] = 0, next[i] = m;
        if (i == m || m - i < LAST_MEMBER_MIN) continue;
        memset(word, 0, sizeof word);
        memset(word_e, 0, sizeof word_e);
        lexicon_prefixes(lx, w + i, m - i, word, word_e);
        /* the whole word is a member only after a joint: a compound is
         * often a word of its own ("personalegrupper") */
        if (word[m - i] && i > 0) count[i] = 1, shortest[i] = m - i;
        for (size_t len = MEMBER_MIN; i + len + LAST_MEMBER_MIN <= m; len++) {
            size_t j = i + len;
            if (!allow[j] || count[j] == 0) continue;
            unsigned char last = w[j - 1];
            bool head = word[len] || (len > MEMBER_MIN && (last == 's' || last == 'e') && word[len - 1]) ||
                        (last == 's' && word_e[len - 1]);
            if (!head) continue;
            size_t c = count[j] + 1, sh = shortest[j] < len ? shortest[j] : len;
            if (count[i] == 0 || c < count[i] || (c == count[i] && sh > shortest[i]))
                count[i] = c, shortest[i] = sh, next[i] = j;
        }
    }
    if (count[0] < 2) return false;
    for (size_t i = next[0]; i < m; i = next[i]) joint[i] = 1;
    return true;
}

/* Ranks the allowed breaks of a compound and drops those next to a joint
 * between long members. rank[k] is set for every allowed k. */
static void rank_compound(const unsigned char *joint, size_t m, unsigned char *allow, unsigned char *rank) {
    size_t prev = 0;
    for (size_t j = 1; j <= m; j++) {
        if (j < m && !joint[j]) continue;
        /* member prev..j; a joint at j is confident when both members
         * around it are long enough to be read as words */
        if (j < m) {
            size_t after = j + 1;
            while (after < m && !joint[after]) after++;
            bool confident = j - prev >= CONFIDENT_MEMBER && after - j >= CONFIDENT_MEMBER;
            if (confident)
                for (size_t d = 1; d <= NEAR_JOINT; d++) {
                    if (j >= d && !joint[j - d]) allow[j - d] = 0;
                    if (j + d < m && !joint[j + d]) allow[j + d] = 0;
                }
        }
        prev = j;
    }
    for (size_t k = 1; k < m; k++)
        if (allow[k]) rank[k] = joint[k] ? HYPH_JOINT : HYPH_MEMBER;
}

/* The memo's slot for `key`: its entry, or the empty slot where it goes. */
static hyph_memo_entry_t *memo_slot(const hyph_memo_t *mm, uint64_t hash, const unsigned char *key, size_t len) {
    size_t i = (size_t)hash & (mm->cap - 1);
    while (mm->slots[i].hash &&
           !(mm->slots[i].hash == hash && mm->slots[i].len == len && memcmp(mm->slots[i].key, key, len) == 0))
        i = (i + 1) & (mm->cap - 1);
    return &mm->slots[i];
}

/* Copies a remembered core's allow and rank marks; false if not remembered. */
static bool memo_get(const hyph_memo_t *mm, uint64_t hash, const unsigned char *key, size_t len,
                     unsigned char *allow, unsigned char *rank) {
    if (!mm || !mm->count) return false;
    const hyph_memo_entry_t *e = memo_slot(mm, hash, key, len);
    if (!e->hash) return false;
    memcpy(allow, e->key + len, len + 1);
    memcpy(rank, e->key + 2 * len + 1, len + 1);
    return true;
}

/* Room for one more entry (the table grown, the store made); false when
 * memory runs out, and a memo then just forgets. */
static bool memo_room(hyph_memo_t *mm) {
    if (!mm) return false;
    if (2 * (mm->count + 1) > mm->cap) {
        size_t cap = mm->cap ? 2 * mm->cap : 1024;
        hyph_memo_entry_t *slots = calloc(cap, sizeof *slots);
        if (!slots) return false;
        hyph_memo_t grown = {slots, cap, mm->count, mm->store};
        for (size_t i = 0; i < mm->cap; i++)
            if (mm->slots[i].hash) *memo_slot(&grown, mm->slots[i].hash, mm->slots[i].key, mm->slots[i].len) = mm->slots[i];
        free(mm->slots);
        *mm = grown;
    }
    return mm->store || (mm->store = arena_new()) != NULL;
}

/* Remembers a core's marks; out of memory it just forgets (the answer is
 * computed again next time). */
static void memo_put(hyph_memo_t *mm, uint64_t hash, const unsigned char *key, size_t len,
                     const unsigned char *allow, const unsigned char *rank) {
    if (!memo_room(mm)) return;
    unsigned char *k = arena_alloc(mm->store, 3 * len + 2);
    if (!k) return;
    memcpy(k, key, len);
    memcpy(k + len, allow, len + 1);
    memcpy(k + 2 * len + 1, rank, len + 1);
    *memo_slot(mm, hash, key, len) = (hyph_memo_entry_t){hash, k, len};
    mm->count++;
}

/* A word as written, remembered with its answer: the word's bytes, then
 * the count of breaks (one byte), each break's byte offset (one byte: the
 * word is short) and each one's rank. */
enum { WRITTEN_MAX = 64 };

static bool written_get(const hyph_memo_t *mm, uint64_t hash, const char *word, size_t len, size_t **breaks,
                        unsigned char **ranks, size_t *cap, size_t *count) {
    if (!mm || !mm->count) return false;
    const hyph_memo_entry_t *e = memo_slot(mm, hash, (const unsigned char *)word, len);
    if (!e->hash) return false;
    const unsigned char *a = e->key + len;
    size_t n = a[0];
    for (size_t i = 0; i < n; i++)
        if (!push_break(breaks, ranks, cap, i, a[1 + i], a[1 + n + i])) return false;
    *count = n;
    return true;
}

static void written_put(hyph_memo_t *mm, uint64_t hash, const char *word, size_t len, const size_t *breaks,
                        const unsigned char *ranks, size_t count) {
    if (len > WRITTEN_MAX || count > WRITTEN_MAX || (count && !ranks) || !memo_room(mm)) return;
    unsigned char *k = arena_alloc(mm->store, len + 1 + 2 * count);
    if (!k) return;
    memcpy(k, word, len);
    k[len] = (unsigned char)count;
    for (size_t i = 0; i < count; i++) {
        k[len + 1 + i] = (unsigned char)breaks[i];
        k[len + 1 + count + i] = ranks[i];
    }
    *memo_slot(mm, hash, k, len) = (hyph_memo_entry_t){hash, k, len};
    mm->count++;
}

size_t hyph_word(const hyph_t *h, const char *word, size_t len, size_t **breaks, size_t *cap) {
    return hyph_word_ranked(h, word, len, breaks, NULL, cap);
}

size_t hyph_word_ranked(const hyph_t *h, const char *word, size_t len, size_t **breaks, unsigned char **ranks,
                        size_t *cap) {
    if (!word || len == 0 || !breaks || !cap) return 0;
    size_t remembered = 0;
    uint64_t written_hash = h && ranks && len <= WRITTEN_MAX ? hash_bytes((const unsigned char *)word, len) | 1 : 0;
    if (written_hash && written_get(h->written, written_hash, word, len, breaks, ranks, cap, &remembered))
        return remembered;
    bool complete = true; /* every break pushed: the answer may be remembered */
    const unsigned char *s = (const unsigned char *)word;
    /* code points and the byte offset of each (offs[n] = len) */
    /* Words are short: their scratch lives on the stack, a long token's on
     * the heap (the breaker hyphenates every word of every paragraph). */
    enum { SHORT = 64 };
    uint32_t cps_buf[SHORT];
    size_t offs_buf[SHORT + 1];
    unsigned char scratch_buf[4 * SHORT + 3];
    bool heap = len > SHORT;
    uint32_t *cps = heap ? malloc(len * sizeof *cps) : cps_buf;
    size_t *offs = heap ? malloc((len + 1) * sizeof *offs) : offs_buf;
    unsigned char *scratch = NULL;
    size_t count = 0, n = 0;
    if (!cps || !offs) goto done;
    bool soft = false, hard = false;
    for (size_t i = 0; i < len;) {
        size_t k = utf8_decode(s, len, i, &cps[n]);
        if (k == 0) goto done;
        if (is_hard_hyphen(cps[n])) hard = true;
        if (cps[n] == 0xAD) soft = true;
        offs[n++] = i;
        i += k;
    }
    offs[n] = len;

    /* A hard hyphen inside the word: the caller breaks after it, and
     * nowhere else. One at an end ("kontrakt-" of "kontrakt- og
     * aftaleholder", "-aftaler") stands for a word left out: the rest is a
     * word like any other. */
    if (hard) {
        size_t b = 0, e = n;
        while (b < e && (is_wrapping_punct(cps[b]) || is_hard_hyphen(cps[b]))) b++;
        while (e > b && (is_wrapping_punct(cps[e - 1]) || is_hard_hyphen(cps[e - 1]))) e--;
        for (size_t i = b; i < e; i++)
            if (is_hard_hyphen(cps[i])) goto done;
    }
    if (soft) {
        /* The author's explicit choice: break at each soft hyphen that has
         * word material (not punctuation, not another soft hyphen) on both
         * sides, and nowhere else. */
        size_t first = n, last = 0;
        for (size_t i = 0; i < n; i++)
            if (cps[i] != 0xAD && !is_wrapping_punct(cps[i])) {
                if (first == n) first = i;
                last = i;
            }
        for (size_t i = 0; i < n; i++) {
            if (cps[i] != 0xAD || first == n || i < first || i > last) continue;
            if (!push_break(breaks, ranks, cap, count, offs[i], HYPH_PLAIN)) {
                complete = false;
                break;
            }
            count++;
        }
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (cps[i] >= '0' && cps[i] <= '9') goto done;
    if (!h) goto done;

    size_t b = 0, e = n;
    while (b < e && (is_wrapping_punct(cps[b]) || is_hard_hyphen(cps[b]))) b++;
    while (e > b && (is_wrapping_punct(cps[e - 1]) || is_hard_hyphen(cps[e - 1]))) e--;
    size_t m = e - b;
    if (m < (size_t)h->lhmin + (size_t)h->rhmin) goto done;
    for (size_t i = b; i < e; i++)
        if (!is_latin1_letter(cps[i])) goto done;

    /* folded core (m bytes) + allow[0..m] + joint[0..m] + rank[0..m] */
    scratch = heap ? calloc(4 * m + 3, 1) : memset(scratch_buf, 0, 4 * m + 3);
    if (!scratch) goto done;
    unsigned char *folded = scratch, *allow = scratch + m, *joint = allow + m + 1, *rank = joint + m + 1;
    for (size_t i = 0; i < m; i++) folded[i] = fold_latin1(cps[b + i]);
    uint64_t hash = hash_bytes(folded, m) | 1;
    if (!memo_get(h->memo, hash, folded, m, allow, rank)) {
        const hyph_exc_t *ex = exc_find(h, folded, m);
        if (ex) {
            memcpy(allow, ex->key + ex->len, m);
        } else {
            if (!pattern_breaks(h, folded, m, allow)) {
                complete = false; /* out of memory: not an answer to keep */
                goto done;
            }
            danish_sk(folded, m, allow);
            if (h->lex && find_joints(h->lex, folded, m, allow, joint)) rank_compound(joint, m, allow, rank);
        }
        memo_put(h->memo, hash, folded, m, allow, rank);
    }
    /* lhmin/rhmin are applied here because exceptions need them too; for
     * pattern breaks libhyphen has already done the same. */
    for (size_t k = (size_t)h->lhmin; k + (size_t)h->rhmin <= m; k++) {
        if (!allow[k]) continue;
        if (!push_break(breaks, ranks, cap, count, offs[b + k], rank[k])) {
            complete = false;
            break;
        }
        count++;
    }
done:
    if (written_hash && complete && !heap) written_put(h->written, written_hash, word, len, *breaks, *ranks, count);
    if (heap) {
        free(cps);
        free(offs);
        free(scratch);
    }
    return count;
}

static char *debug(const hyph_t *h, const char *word, bool ranked);

char *hyph_debug(const hyph_t *h, const char *word) { return debug(h, word, false); }

char *hyph_debug_ranked(const hyph_t *h, const char *word) { return debug(h, word, true); }

/* The word with '-' at each break ('=' at joints when `ranked`). */
static char *debug(const hyph_t *h, const char *word, bool ranked) {
    if (!word) return NULL;
    size_t len = strlen(word);
    size_t *br = NULL, cap = 0;
    unsigned char *rk = NULL;
    size_t nb = hyph_word_ranked(h, word, len, &br, &rk, &cap);
    char *out = malloc(len + nb + 1);
    if (!out) {
        free(br);
        free(rk);
        return NULL;
    }
    size_t o = 0, j = 0;
    for (size_t i = 0; i < len;) {
        if (j < nb && br[j] == i) {
            out[o++] = ranked && rk[j] == HYPH_JOINT ? '=' : '-';
            j++;
        }
        /* U+00AD is C2 AD in UTF-8: invisible unless broken, so dropped */
        if ((unsigned char)word[i] == 0xC2 && i + 1 < len && (unsigned char)word[i + 1] == 0xAD) {
            i += 2;
            continue;
        }
        out[o++] = word[i++];
    }
    out[o] = '\0';
    free(br);
    free(rk);
    return out;
}
