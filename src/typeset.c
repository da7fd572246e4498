/* typeset: fonts, hyphenation and styled text → page blocks. */
#include "typeset.h"

#include "lexicon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A loaded hyphenator, kept for the rest of the run: loading the patterns
 * costs more than setting a one-page document, and --split sets a
 * document per participant. `key` is the pattern file and the exceptions;
 * `bad` the exceptions that were refused, warned about again on reuse. */
typedef struct hyph_entry {
    char *key;
    size_t key_len;
    hyph_t *h;
    size_t *bad;
    size_t nbad;
} hyph_entry_t;

/* A value kept for the rest of the run by typeset_memo_put. */
typedef struct memo_entry {
    char *key;
    void *value;
    void (*drop)(void *);
} memo_entry_t;

struct fontset {
    char **paths;
    font_t **fonts;
    size_t count, cap;
    hyph_entry_t *hyphs;
    size_t nhyphs;
    memo_entry_t *memo;
    size_t nmemo;
};

fontset_t *fontset_new(void) { return calloc(1, sizeof(fontset_t)); }

void fontset_drop(fontset_t *fs) {
    if (!fs) return;
    /* Memo values may refer to the fonts: they go first. */
    for (size_t i = 0; i < fs->nmemo; i++) {
        if (fs->memo[i].drop) fs->memo[i].drop(fs->memo[i].value);
        free(fs->memo[i].key);
    }
    free(fs->memo);
    for (size_t i = 0; i < fs->count; i++) {
        font_drop(fs->fonts[i]);
        free(fs->paths[i]);
    }
    for (size_t i = 0; i < fs->nhyphs; i++) {
        hyph_drop(fs->hyphs[i].h);
        free(fs->hyphs[i].key);
        free(fs->hyphs[i].bad);
    }
    free(fs->hyphs);
    free(fs->paths);
    free(fs->fonts);
    free(fs);
}

font_t *fontset_get(fontset_t *fs, const char *path, diag_t *d, diag_loc_t where) {
    for (size_t i = 0; i < fs->count; i++)
        if (strcmp(fs->paths[i], path) == 0) return fs->fonts[i];
    font_t *f = font_load(path, d, where);
    if (!f) return NULL;
    if (fs->count == fs->cap) {
        size_t nc = fs->cap ? fs->cap * 2 : 8;
        char **np = realloc(fs->paths, nc * sizeof *np);
        if (np) fs->paths = np;
        font_t **nf = realloc(fs->fonts, nc * sizeof *nf);
        if (nf) fs->fonts = nf;
        if (!np || !nf) { font_drop(f); return NULL; }
        fs->cap = nc;
    }
    fs->paths[fs->count] = strdup(path);
    fs->fonts[fs->count] = f;
    fs->count++;
    return f;
}

void fontset_release_pages(fontset_t *fs) {
    for (size_t i = 0; i < fs->count; i++) font_release_pages(fs->fonts[i]);
}

static para_align_t align_of(spec_align_t a) {
    switch (a) {
    case SPEC_ALIGN_JUSTIFY: return PARA_JUSTIFY;
    case SPEC_ALIGN_CENTRE: return PARA_CENTRE;
    case SPEC_ALIGN_RIGHT: return PARA_RIGHT;
    default: return PARA_LEFT;
    }
}

/* The cache key: the pattern file, then each exception, NUL-separated. */
static char *hyph_key(const char *path, const model_t *m, size_t *len) {
    size_t n = strlen(path) + 1;
    for (size_t i = 0; i < m->hyphenation.count; i++) n += strlen(m->hyphenation.items[i].text) + 1;
    char *k = malloc(n), *w = k;
    if (!k) return NULL;
    memcpy(w, path, strlen(path) + 1);
    w += strlen(path) + 1;
    for (size_t i = 0; i < m->hyphenation.count; i++) {
        const char *e = m->hyphenation.items[i].text;
        memcpy(w, e, strlen(e) + 1);
        w += strlen(e) + 1;
    }
    *len = n;
    return k;
}

static void warn_exception(diag_t *d, const model_text_t *e) {
    diag_warning(d, e->loc, "hyphenation exception '%s' ignored: not a word of Latin letters", e->text);
}

/* Debian installs hyphenation patterns for a BCP 47 tag as
 * /usr/share/hyphen/hyph_<ll>_<CC>.dic, else hyph_<ll>.dic. */
void typeset_hyphen_path(const model_t *m, char *path, size_t cap) {
    char lang[32];
    snprintf(lang, sizeof lang, "%s", m->language ? m->language : "da-DK");
    for (char *p = lang; *p; p++)
        if (*p == '-') *p = '_';
    const char *dir = getenv("GRUNDLAG_HYPHEN_DIR");
    if (!dir || !*dir) dir = "/usr/share/hyphen";
    snprintf(path, cap, "%s/hyph_%s.dic", dir, lang);
    if (access(path, R_OK) != 0) {
        char *us = strchr(lang, '_');
        if (us) *us = '\0';
        snprintf(path, cap, "%s/hyph_%s.dic", dir, lang);
    }
}

/* The patterns, loaded once per run (per pattern file and exceptions) and
 * lent from `fs`; NULL without hyphenation. */
static hyph_t *load_hyph(fontset_t *fs, const model_t *m, diag_t *d) {
    char path[4096];
    typeset_hyphen_path(m, path, sizeof path);
    const char *lang = m->language ? m->language : "da-DK";
    size_t key_len = 0;
    char *key = hyph_key(path, m, &key_len);
    for (size_t i = 0; key && i < fs->nhyphs; i++) {
        hyph_entry_t *c = &fs->hyphs[i];
        if (c->key_len != key_len || memcmp(c->key, key, key_len) != 0) continue;
        for (size_t k = 0; k < c->nbad; k++) warn_exception(d, &m->hyphenation.items[c->bad[k]]);
        free(key);
        return c->h;
    }
    char err[256];
    hyph_t *h = hyph_new(path, 2, 3, err, sizeof err);
    if (!h) {
        diag_warning(d, m->title.loc, "no hyphenation for language '%s': %s", m->language, err);
        free(key);
        return NULL;
    }
    /* Danish compounds: joints from the word list rank above pattern points */
    if (strncmp(lang, "da", 2) == 0 && (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_'))
        hyph_set_lexicon(h, &lexicon_da);
    size_t *bad = calloc(m->hyphenation.count + 1, sizeof *bad), nbad = 0;
    for (size_t i = 0; i < m->hyphenation.count; i++) {
        const model_text_t *e = &m->hyphenation.items[i];
        if (!hyph_add_exception(h, e->text)) {
            warn_exception(d, e);
            if (bad) bad[nbad++] = i;
        }
    }
    hyph_entry_t *n = key && bad ? realloc(fs->hyphs, (fs->nhyphs + 1) * sizeof *n) : NULL;
    if (!n) { /* out of memory: no room to keep it, so none at all */
        free(key);
        free(bad);
        hyph_drop(h);
        return NULL;
    }
    fs->hyphs = n;
    fs->hyphs[fs->nhyphs++] = (hyph_entry_t){key, key_len, h, bad, nbad};
    return h;
}

typeset_t *typeset_new(const spec_t *spec, const model_t *model, fontset_t *fonts, diag_t *d) {
    typeset_t *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->spec = spec;
    t->model = model;
    t->fonts = fonts;
    bool ok = true;
    t->styles = calloc(spec->style_count + 1, sizeof *t->styles);
    if (!t->styles) {
        typeset_drop(t);
        return NULL;
    }
    t->hyph = load_hyph(fonts, model, d);
    para_ctx_init(&t->para, t->hyph, NULL, d);
    for (size_t i = 0; i < spec->style_count; i++) {
        const spec_style_t *ss = &spec->styles[i];
        para_style_t *ps = &t->styles[i];
        const spec_family_t *fam = &spec->families[ss->family];
        /* Load every face the family has: inline emphasis may ask for any. */
        for (int face = 0; face < 4; face++) {
            int src = face;
            if (ss->bold) src |= TEXT_BOLD;
            if (ss->italic) src |= TEXT_ITALIC;
            if (!fam->files[src]) continue;
            ps->faces[face] = fontset_get(fonts, fam->files[src], d, fam->locs[src]);
            if (!ps->faces[face]) ok = false;
        }
        if (spec->fallback_family >= 0) {
            const spec_family_t *fb = &spec->families[spec->fallback_family];
            for (int face = 0; face < 4; face++) {
                if (!fb->files[face]) continue;
                ps->fallback[face] = fontset_get(fonts, fb->files[face], d, fb->locs[face]);
                if (!ps->fallback[face]) ok = false;
            }
        }
        ps->size = ss->size;
        ps->leading = ss->leading;
        ps->align = align_of(ss->align);
        ps->hyphenate = ss->hyphenate;
        /* headings (kept with what follows) break words only when one does not fit */
        ps->hyphenate_if_needed = ss->hyphenate_if_needed || ss->keep_with_next;
        ps->uppercase = ss->uppercase;
        ps->colour = spec->colours[ss->colour].colour;
        if (!ps->faces[0]) ok = false;
    }
    if (!ok) {
        typeset_drop(t);
        return NULL;
    }
    return t;
}

/* A text as parsed, by content. */
typedef struct parsed {
    uint64_t hash; /* 0: empty slot */
    const char *src;
    size_t len;
    text_spans_t spans;
} parsed_t;

struct typeset_texts {
    arena_t *arena;
    parsed_t *slots; /* open addressing, power of two, load <= 1/2 */
    size_t cap, count;
};

static uint64_t text_key(const char *s, size_t n) {
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h | 1;
}

static parsed_t *parsed_slot(parsed_t *slots, size_t cap, uint64_t h, const char *s, size_t n) {
    size_t i = (size_t)h & (cap - 1);
    while (slots[i].hash && !(slots[i].hash == h && slots[i].len == n && memcmp(slots[i].src, s, n) == 0))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

/* Texts parsed before in this process, with the punctuation they were
 * parsed for: every layout of a run sets the data's same texts, and
 * parsing (NFC maps included) was 8 % of rendering every layout. Only
 * texts parsed without a message are kept, so that a message is given
 * wherever its text is met; the spans live as long as the process. */
static struct typeset_texts parsed_before;
enum { PARSED_MAX_BYTES = 8 << 20 };

static bool parsed_recall(text_punct_t punct, const char *text, size_t n, text_spans_t *spans) {
    struct typeset_texts *x = &parsed_before;
    if (!x->count) return false;
    uint64_t h = text_key(text, n) ^ ((uint64_t)punct << 1);
    const parsed_t *p = parsed_slot(x->slots, x->cap, h | 1, text, n);
    if (!p->hash) return false;
    *spans = p->spans;
    return true;
}

static void parsed_keep(text_punct_t punct, const char *text, size_t n, const text_spans_t *spans) {
    struct typeset_texts *x = &parsed_before;
    if (2 * (x->count + 1) > x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 256;
        parsed_t *slots = calloc(cap, sizeof *slots);
        if (!slots) return; /* a memo: nothing lost */
        for (size_t i = 0; i < x->cap; i++)
            if (x->slots[i].hash) *parsed_slot(slots, cap, x->slots[i].hash, x->slots[i].src, x->slots[i].len) = x->slots[i];
        free(x->slots);
        x->slots = slots;
        x->cap = cap;
    }
    char *src = arena_strndup(x->arena, text, n);
    if (!src) return;
    uint64_t h = (text_key(text, n) ^ ((uint64_t)punct << 1)) | 1;
    *parsed_slot(x->slots, x->cap, h, src, n) = (parsed_t){h, src, n, *spans};
    x->count++;
}

/* `text` parsed (punctuation, then markup) into *spans: as parsed before in
 * this process, or parsed now into the process's memory (`arena` when that
 * cannot be had). */
static bool parse_text(typeset_t *t, arena_t *arena, const char *text, text_spans_t *spans, diag_t *d,
                       diag_loc_t loc) {
    text_punct_t punct = t->spec->punctuation;
    size_t n = strlen(text);
    if (parsed_recall(punct, text, n, spans)) return true;
    if (!parsed_before.arena) parsed_before.arena = arena_new();
    /* Bounded: a roster of thousands brings a text or two per participant,
     * each met once; past the bound texts are parsed as before. */
    bool keep = parsed_before.arena && arena_used(parsed_before.arena) < PARSED_MAX_BYTES;
    if (keep) arena = parsed_before.arena;
    int said = diag_error_count(d) + diag_warning_count(d);
    const char *punctuated = text_punctuate(arena, text, punct);
    if (!punctuated || !text_parse(arena, punctuated, 0, spans, d, loc)) return false;
    if (keep && diag_error_count(d) + diag_warning_count(d) == said) parsed_keep(punct, text, n, spans);
    return true;
}

void typeset_drop(typeset_t *t) {
    if (!t) return;
    para_ctx_release(&t->para); /* t->hyph belongs to the fontset */
    free(t->styles);
    free(t);
}

const spec_style_t *typeset_spec_style(const typeset_t *t, const char *name, diag_t *d) {
    return spec_require_style(t->spec, name, d);
}

const para_style_t *typeset_style(const typeset_t *t, const char *name) {
    const spec_style_t *ss = spec_find_style(t->spec, name);
    return ss ? &t->styles[ss - t->spec->styles] : NULL;
}

/* A face missing from the family falls back to the style's regular with a
 * note rather than failing: data emphasis should not break a run. */
static bool set_text(typeset_t *t, const typeset_to_t *to, const para_style_t *ps_in, const char *text,
                     diag_loc_t loc, double measure, double first_indent, para_t *out) {
    para_style_t scaled = *ps_in;
    scaled.size *= to->scale;
    scaled.leading *= to->scale;
    const para_style_t *ps = &scaled;
    t->para.arena = to->arena;
    t->para.d = to->d;
    text_spans_t spans;
    if (!parse_text(t, to->arena, text, &spans, to->d, loc)) return false;
    for (size_t i = 0; i < spans.count; i++) {
        int f = spans.spans[i].face;
        if (f && !ps->faces[f]) {
            static const char *names[] = {"regular", "italic", "bold", "bold italic"};
            diag_error(to->d, loc, "the text asks for %s, but the style's font family has no %s face", names[f],
                       names[f]);
            return false;
        }
    }
    return para_set(&t->para, ps, &spans, measure, first_indent, loc, out);
}

static page_block_t *block_for(const typeset_to_t *to, page_blocks_t *blocks, const spec_style_t *ss) {
    page_block_t *b = page_blocks_add(blocks);
    if (!b) return NULL;
    b->kind = PAGE_BLOCK_PARA;
    b->space_before = ss->space_before * to->scale;
    b->space_after = ss->space_after * to->scale;
    b->keep_with_next = ss->keep_with_next;
    b->unbreakable = ss->keep_with_next; /* headings */
    b->page_break_before = ss->page_break_before;
    b->indent = ss->indent * to->scale;
    return b;
}

page_block_t *typeset_paragraph(typeset_t *t, const typeset_to_t *to, page_blocks_t *blocks, const char *style,
                                const char *text, diag_loc_t loc, double measure) {
    const spec_style_t *ss = typeset_spec_style(t, style, to->d);
    if (!ss) return NULL;
    const para_style_t *ps = &t->styles[ss - t->spec->styles];
    para_t p;
    if (!set_text(t, to, ps, text, loc, measure - ss->indent * to->scale, ss->first_indent * to->scale, &p))
        return NULL;
    page_block_t *b = block_for(to, blocks, ss);
    if (!b) return NULL;
    b->para = p;
    return b;
}

page_block_t *typeset_item(typeset_t *t, const typeset_to_t *to, page_blocks_t *blocks, const char *style,
                           const char *label, const char *text, diag_loc_t loc, double measure) {
    const spec_style_t *ss = typeset_spec_style(t, style, to->d);
    if (!ss) return NULL;
    const para_style_t *ps = &t->styles[ss - t->spec->styles];
    para_t p, lp;
    if (!set_text(t, to, ps, text, loc, measure - ss->indent * to->scale, 0, &p)) return NULL;
    para_line_t *lbl = typeset_line(t, to, style, label, loc, &lp);
    if (!lbl) return NULL;
    page_block_t *b = block_for(to, blocks, ss);
    if (!b) return NULL;
    b->para = p;
    b->label = lbl;
    /* The label hangs in the indent, right-aligned to a gap of a third of it. */
    double gap = ss->indent * to->scale / 3;
    b->label_x = ss->indent * to->scale - gap - lbl->width;
    if (b->label_x < 0) b->label_x = 0;
    return b;
}

para_line_t *typeset_line(typeset_t *t, const typeset_to_t *to, const char *style, const char *text, diag_loc_t loc,
                          para_t *out) {
    const spec_style_t *ss = typeset_spec_style(t, style, to->d);
    if (!ss) return NULL;
    para_style_t ps = t->styles[ss - t->spec->styles];
    ps.align = PARA_LEFT;
    ps.hyphenate = false;
    if (!set_text(t, to, &ps, text, loc, 1e6, 0, out)) return NULL;
    if (out->count == 0) {
        out->lines = arena_alloc(to->arena, sizeof *out->lines);
        if (!out->lines) return NULL;
        out->count = 1;
    }
    return &out->lines[0];
}

void *typeset_memo_get(const typeset_t *t, const char *key) {
    const fontset_t *fs = t->fonts;
    for (size_t i = 0; i < fs->nmemo; i++)
        if (strcmp(fs->memo[i].key, key) == 0) return fs->memo[i].value;
    return NULL;
}

bool typeset_memo_put(typeset_t *t, const char *key, void *value, void (*drop)(void *)) {
    fontset_t *fs = t->fonts;
    char *k = strdup(key);
    memo_entry_t *n = k ? realloc(fs->memo, (fs->nmemo + 1) * sizeof *n) : NULL;
    if (!n) {
        free(k);
        return false;
    }
    fs->memo = n;
    fs->memo[fs->nmemo++] = (memo_entry_t){k, value, drop};
    return true;
}
