/* text: normalisation and inline markup. */
#include "text.h"

#include <hb.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

uint32_t text_next(const char *s, size_t len, size_t *i) {
    const unsigned char *p = (const unsigned char *)s;
    size_t k = *i;
    unsigned c = p[k];
    uint32_t cp;
    size_t need;
    if (c < 0x80) { *i = k + 1; return c; }
    if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; need = 1; }
    else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; need = 2; }
    else if ((c & 0xF8) == 0xF0) { cp = c & 0x07; need = 3; }
    else { *i = k + 1; return 0xFFFD; }
    if (k + need >= len) { *i = len; return 0xFFFD; }
    for (size_t j = 1; j <= need; j++) {
        if ((p[k + j] & 0xC0) != 0x80) { *i = k + j; return 0xFFFD; }
        cp = (cp << 6) | (p[k + j] & 0x3F);
    }
    *i = k + need + 1;
    return cp;
}

size_t text_encode(uint32_t cp, char *b) {
    if (cp < 0x80) { b[0] = (char)cp; return 1; }
    if (cp < 0x800) { b[0] = (char)(0xC0 | (cp >> 6)); b[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (char)(0xF0 | (cp >> 18));
    b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Canonical composition: each starter absorbs following marks it composes
 * with, unless a mark of the same or zero combining class stands between
 * (the "blocked" rule of UAX #15). Decomposition first is skipped: data is
 * typed text, precomposed or plainly decomposed, not arbitrary NFD. */
char *text_nfc(const char *s, size_t len, size_t *outlen) { return text_nfc_map(s, len, outlen, NULL); }

char *text_nfc_map(const char *s, size_t len, size_t *outlen, uint32_t *map) {
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    uint32_t *cps = malloc((len + 1) * sizeof *cps);
    uint32_t *offs = malloc((len + 1) * sizeof *offs);
    char *out = malloc(len * 4 + 1);
    if (!cps || !out || !offs) { free(cps); free(out); free(offs); return NULL; }
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        offs[n] = (uint32_t)i;
        cps[n++] = text_next(s, len, &i);
    }
    size_t w = 0;
    long starter = -1;
    unsigned last_cc = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cps[i];
        unsigned cc = hb_unicode_combining_class(uf, c);
        if (starter >= 0 && (last_cc < cc || (last_cc == 0 && (size_t)starter == w - 1))) {
            hb_codepoint_t ab;
            if (hb_unicode_compose(uf, cps[starter], c, &ab)) {
                cps[starter] = ab;
                continue;
            }
        }
        if (cc == 0) { starter = (long)w; last_cc = 0; }
        else last_cc = cc;
        offs[w] = offs[i];
        cps[w++] = c;
    }
    size_t o = 0;
    for (size_t i = 0; i < w; i++) {
        if (map) map[o] = offs[i];
        o += text_encode(cps[i], out + o);
    }
    if (map) map[o] = (uint32_t)len;
    out[o] = '\0';
    free(cps);
    free(offs);
    *outlen = o;
    return out;
}

char *text_upper(const char *s, size_t len, size_t *outlen) {
    /* Upper-casing keeps each character's length, but a byte that is not
     * UTF-8 becomes U+FFFD: three bytes for one. */
    char *out = malloc(len * 3 + 1);
    if (!out) return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c = text_next(s, len, &i);
        if (c >= 'a' && c <= 'z') c -= 32;
        else if ((c >= 0xE0 && c <= 0xFE && c != 0xF7)) c -= 32; /* Latin-1: æ ø å é ... */
        o += text_encode(c, out + o);
    }
    out[o] = '\0';
    *outlen = o;
    return out;
}

static bool is_space(uint32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool text_parse(arena_t *a, const char *src, int base_face, text_spans_t *out, diag_t *d, diag_loc_t loc) {
    size_t nlen = strlen(src);
    const char *nfc = src; /* markup and spaces are found on the text as written */
    /* Pass 1: collapse whitespace, find markers. Markers are kept as bytes
     * 0x01 (single *) and 0x02 (double **) in a working copy; an escaped
     * asterisk becomes a plain '*'. */
    char *work = malloc(nlen + 1);
    if (!work) return false;
    size_t w = 0;
    bool space = true; /* drop leading space */
    for (size_t i = 0; i < nlen; i++) {
        char c = nfc[i];
        if (c == '\\' && i + 1 < nlen && nfc[i + 1] == '*') { work[w++] = '*'; i++; space = false; continue; }
        if (c == '*') {
            if (i + 1 < nlen && nfc[i + 1] == '*') { work[w++] = 2; i++; }
            else work[w++] = 1;
            space = false; /* an unmatched marker stays as text: keep the space after it */
            continue;
        }
        if ((unsigned char)c < 0x20 && !is_space((unsigned char)c)) {
            /* Control characters (YAML lets "\x01" through) print as nothing
             * and would clash with the markers below: drop them, say so. */
            diag_warning(d, loc, "control character U+%04X in text removed", (unsigned)(unsigned char)c);
            continue;
        }
        if (is_space((unsigned char)c)) {
            if (!space) work[w++] = ' ';
            space = true;
            continue;
        }
        work[w++] = c;
        space = false;
    }
    while (w && work[w - 1] == ' ') w--;
    work[w] = '\0';

    /* Pass 2: pair markers. A marker with no partner is literal text. */
    int open1 = -1, open2 = -1;
    for (size_t i = 0; i < w; i++) {
        if (work[i] == 1) {
            if (open1 >= 0) open1 = -1; else open1 = (int)i;
        } else if (work[i] == 2) {
            if (open2 >= 0) open2 = -1; else open2 = (int)i;
        }
    }
    int unmatched = 0;
    if (open1 >= 0) { work[open1] = 3; unmatched++; }
    if (open2 >= 0) { work[open2] = 4; unmatched++; }
    if (unmatched)
        diag_warning(d, loc, "unmatched '*' in text; set as a literal asterisk (write \\\\* for one on purpose)");

    /* Pass 3: spans. */
    size_t cap = 4, n = 0;
    text_span_t *spans = arena_alloc(a, cap * sizeof *spans);
    char *buf = arena_alloc(a, w * 2 + 1);
    if (!spans || !buf) { free(work); return false; }
    size_t b = 0, start = 0;
    int face = base_face;
    for (size_t i = 0; i <= w; i++) {
        char c = i < w ? work[i] : 0;
        if (c == 1 || c == 2 || c == 0) {
            if (b > start) {
                if (n == cap) {
                    text_span_t *ns = arena_alloc(a, cap * 2 * sizeof *ns);
                    if (!ns) { free(work); return false; }
                    memcpy(ns, spans, n * sizeof *ns);
                    spans = ns;
                    cap *= 2;
                }
                spans[n].text = buf + start;
                spans[n].len = b - start;
                spans[n].face = face;
                n++;
            }
            start = b;
            if (c == 1) face ^= TEXT_ITALIC;
            if (c == 2) face ^= TEXT_BOLD;
            continue;
        }
        if (c == 3) { buf[b++] = '*'; continue; }
        if (c == 4) { buf[b++] = '*'; buf[b++] = '*'; continue; }
        buf[b++] = c;
    }
    free(work);
    /* The NFC form of each span, with its offset map when it differs. */
    for (size_t i = 0; i < n; i++) {
        text_span_t *sp = &spans[i];
        sp->nfc = sp->text;
        sp->nfc_len = sp->len;
        bool ascii = true;
        for (size_t k = 0; k < sp->len && ascii; k++) ascii = (unsigned char)sp->text[k] < 0x80;
        if (ascii) continue;
        uint32_t *map = arena_alloc(a, (sp->len * 4 + 1) * sizeof *map);
        size_t nl;
        char *nf = map ? text_nfc_map(sp->text, sp->len, &nl, map) : NULL;
        if (!nf) return false;
        if (nl != sp->len || memcmp(nf, sp->text, nl) != 0) {
            sp->nfc = arena_strndup(a, nf, nl);
            sp->nfc_len = nl;
            sp->nfc_map = map;
        }
        free(nf);
        if (!sp->nfc) return false;
    }
    out->spans = spans;
    out->count = n;
    return true;
}

/* Whether a quote after code point `prev` opens: at the start, after
 * whitespace, an opening bracket or another opening quote or a dash. */
static bool opens_after(uint32_t prev) {
    return prev == 0 || prev == ' ' || prev == '\t' || prev == '\n' || prev == '(' || prev == '[' ||
           prev == '{' || prev == 0xBB || prev == 0x203A || prev == 0x201C || prev == 0x201E || prev == 0x2013 ||
           prev == 0x2014 || prev == '-' || prev == '/';
}

static bool is_alnum_cp(uint32_t cp) {
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

const char *text_punctuate(arena_t *a, const char *src, text_punct_t style) {
    if (style == TEXT_PUNCT_AS_WRITTEN || !src) return src;
    size_t len = strlen(src);
    if (!memchr(src, '"', len) && !memchr(src, '\'', len) && !strstr(src, " - ")) return src;
    /* every rewrite turns 1 byte into at most 3 */
    char *out = arena_alloc(a, 3 * len + 1);
    if (!out) return NULL;
    bool guil = style == TEXT_PUNCT_GUILLEMETS;
    size_t o = 0;
    uint32_t prev = 0;
    for (size_t i = 0; i < len;) {
        size_t at = i;
        uint32_t cp = text_next(src, len, &i);
        uint32_t rep = cp;
        if (cp == '"') {
            rep = opens_after(prev) ? (guil ? 0xBB : 0x201D) : (guil ? 0xAB : 0x201D);
        } else if (cp == '\'') {
            size_t j = i;
            uint32_t next = j < len ? text_next(src, len, &j) : 0;
            if (is_alnum_cp(prev) && is_alnum_cp(next)) rep = 0x2019;
            else rep = opens_after(prev) ? (guil ? 0x203A : 0x2019) : (guil ? 0x2039 : 0x2019);
        } else if (cp == '-' && prev == ' ' && i < len && src[i] == ' ') {
            rep = 0x2013;
        }
        if (rep == cp) {
            memcpy(out + o, src + at, i - at);
            o += i - at;
        } else {
            o += text_encode(rep, out + o);
        }
        /* emphasis markers are transparent: *"x"* opens after the '*' */
        if (cp != '*') prev = cp == '"' || cp == '\'' ? rep : cp;
    }
    out[o] = '\0';
    return out;
}
