/* para: box–glue–penalty construction and line setting. */
#include "para.h"

#include "stopwatch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

para_params_t para_params_default(void) {
    para_params_t p;
    p.kp = kp_params_default();
    p.kp.tolerance = 200;
    /* No first pass without hyphens (TeX's \pretolerance=-1): a paragraph
     * that would set "well enough" unhyphenated often sets evenly with one
     * hyphen, and Danish, with its long compounds, needs them. */
    p.kp.pretolerance = -1;
    p.hyphen_penalty = 50;
    p.ex_hyphen_penalty = 50;
    p.member_penalty = 60;
    p.expansion = 0.02;
    p.space_shrink = 1.0 / 3;
    p.protrusion_scale = 1;
    /* About a line stretched to ratio 1 (badness 100: spaces half as wide
     * again): looser than that, a short penultimate line reads better. */
    p.rag_penalty = 110;
    p.rag_share = 1.0 / 3;
    return p;
}

/* How far a character at the end of a justified line hangs into the right
 * margin, as a share of its advance (microtype's defaults for text fonts). */
static double protrusion_factor(uint32_t cp) {
    switch (cp) {
    case '-': case 0x2010: case 0x2011: case 0xAD: return 0.7;
    case '.': case ',': return 0.7;
    case 0x2019: case 0x201D: case '\'': case '"': return 0.7; /* ’ ” */
    case ':': case ';': return 0.5;
    case 0xAB: case 0xBB: case 0x2039: case 0x203A: return 0.5; /* « » ‹ › */
    case 0x2013: return 0.3; /* – */
    case 0x2014: return 0.2; /* — */
    case '!': case '?': return 0.2;
    case ')': case ']': return 0.05;
    default: return 0;
    }
}

/* The last character of text[0..len). */
static uint32_t last_char(const char *text, size_t len) {
    size_t i = len;
    while (i > 0 && ((unsigned char)text[i - 1] & 0xC0) == 0x80) i--;
    if (i > 0) i--;
    size_t at = i;
    return len ? text_next(text, len, &at) : 0;
}

typedef struct piece {
    font_t *font;
    double scale;            /* size / units_per_em */
    const char *text;        /* as written; clusters are offsets into this */
    size_t len;
    const char *nfc;         /* NFC form, for hyphenation and font coverage */
    size_t nfc_len;
    const uint32_t *map;     /* span's nfc→text map, or NULL (identity) */
    size_t map_base;         /* offset of the piece's nfc in the span's nfc */
    const font_glyph_t *glyphs;
    size_t count;
    bool space_after;        /* an interword space follows */
    bool joined;             /* part of a word with other pieces (face change inside a word) */
} piece_t;

typedef struct meta {
    int piece;               /* -1 for glue/penalty without text */
    size_t g0, g1;           /* glyph range of a box */
    size_t t1;               /* end of the box's text in the piece */
    bool hyphen;             /* a penalty that shows a hyphen when broken at */
    double hang;             /* a penalty: what hangs into the margin when broken at (protrusion) */
} meta_t;

typedef struct scratch {
    kp_item_t *items;
    meta_t *meta;
    size_t n, cap;
    piece_t *pieces;
    size_t np, capp;
    size_t *breaks;
    unsigned char *ranks; /* hyph_rank_t of each break, same capacity */
    size_t breaks_cap;
    struct brk *brks;
    size_t brks_cap;
    para_run_t *runs; /* the line being set; its runs are copied out at its end */
    size_t runs_cap;
} scratch_t;

void para_ctx_init(para_ctx_t *c, const hyph_t *hyph, arena_t *arena, diag_t *d) {
    memset(c, 0, sizeof *c);
    c->hyph = hyph;
    c->params = para_params_default();
    c->arena = arena;
    c->d = d;
    c->scratch = calloc(1, sizeof(scratch_t));
}

void para_ctx_release(para_ctx_t *c) {
    scratch_t *s = c->scratch;
    if (s) {
        free(s->items);
        free(s->meta);
        free(s->pieces);
        free(s->breaks);
        free(s->ranks);
        free(s->brks);
        free(s->runs);
        free(s);
    }
    c->scratch = NULL;
}

static bool push_item(scratch_t *s, kp_item_t it, meta_t m) {
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 256;
        kp_item_t *ni = realloc(s->items, nc * sizeof *ni);
        if (!ni) return false;
        s->items = ni;
        meta_t *nm = realloc(s->meta, nc * sizeof *nm);
        if (!nm) return false;
        s->meta = nm;
        s->cap = nc;
    }
    s->items[s->n] = it;
    s->meta[s->n] = m;
    s->n++;
    return true;
}

/* A box whose glyphs may widen or narrow by the fraction e (font expansion). */
static kp_item_t ebox(double w, double e) { kp_item_t i = {KP_BOX, w, e * w, e * w, 0, false, false}; return i; }
static kp_item_t glue(double w, double st, double sh) { kp_item_t i = {KP_GLUE, w, st, sh, 0, false, false}; return i; }
static kp_item_t penalty(double w, double p, bool f) { kp_item_t i = {KP_PENALTY, w, 0, 0, p, f, false}; return i; }
/* A break for the passes after the first (see kp_params_t.pretolerance). */
static kp_item_t late(kp_item_t i) { i.late = true; return i; }
static const meta_t no_meta = {-1, 0, 0, 0, false, 0};

static bool ignorable(uint32_t cp) {
    return cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) || cp == 0x2060 || cp == 0xFEFF;
}

/* The font of face `face` that has every character of text, or NULL after
 * reporting the first character that none has. */
static font_t *pick_font(para_ctx_t *c, const para_style_t *st, int face, const char *text, size_t len,
                         diag_loc_t loc) {
    font_t *main = st->faces[face] ? st->faces[face] : st->faces[0];
    font_t *fb = st->fallback[face] ? st->fallback[face] : st->fallback[0];
    bool main_ok = true, fb_ok = fb != NULL;
    uint32_t missing = 0;
    for (size_t i = 0; i < len;) {
        size_t at = i;
        uint32_t cp = text_next(text, len, &i);
        if (ignorable(cp)) continue;
        if (main_ok && !font_has_codepoint(main, cp)) {
            main_ok = false;
            if (!missing) missing = cp;
            (void)at;
        }
        if (fb_ok && !font_has_codepoint(fb, cp)) fb_ok = false;
    }
    if (main_ok) return main;
    if (fb_ok) return fb;
    char ch[5] = {0};
    text_encode(missing, ch);
    diag_error(c->d, loc, "character '%s' (U+%04X) in \"%.*s\" is in no font of the style (%s%s%s)",
               missing >= 0x20 ? ch : "?", (unsigned)missing, (int)(len > 60 ? 60 : len), text,
               font_metrics(main)->postscript_name, fb ? ", fallback " : "",
               fb ? font_metrics(fb)->postscript_name : "");
    return NULL;
}

/* A break offset in the piece's NFC text → offset in its text as written. */
static size_t to_text_offset(const piece_t *p, size_t nfc_off) {
    if (!p->map) return nfc_off;
    return p->map[p->map_base + nfc_off] - p->map[p->map_base];
}

static double glyph_width(const piece_t *p, size_t g0, size_t g1) {
    int32_t w = 0;
    for (size_t i = g0; i < g1; i++) w += p->glyphs[i].advance;
    return w * p->scale;
}

static size_t glyph_at_offset(const piece_t *p, size_t off) {
    for (size_t i = 0; i < p->count; i++)
        if (p->glyphs[i].cluster == off) return i;
    return (size_t)-1;
}

static double space_width(font_t *f, double scale) { return font_space_advance(f) * scale; }

static double hyphen_width(font_t *f, double scale) { return font_hyphen_advance(f) * scale; }

/* Splits the spans into pieces: maximal runs without a space inside one
 * span. Spaces are ASCII, never composed, so NFC and written text split at
 * the same places. */
static bool collect_pieces(para_ctx_t *c, scratch_t *s, const para_style_t *st, const text_spans_t *spans,
                           diag_loc_t loc, bool *ok) {
    s->np = 0;
    for (size_t k = 0; k < spans->count; k++) {
        const text_span_t *sp = &spans->spans[k];
        const char *t = sp->text, *nf = sp->nfc;
        size_t tlen = sp->len, nlen = sp->nfc_len;
        if (st->uppercase) {
            /* Latin-1 case mapping keeps byte lengths, so the map holds. */
            size_t ul;
            char *u = text_upper(t, tlen, &ul);
            char *tc = u ? arena_strndup(c->arena, u, ul) : NULL;
            free(u);
            u = text_upper(nf, nlen, &ul);
            char *nc = u ? arena_strndup(c->arena, u, ul) : NULL;
            free(u);
            if (!tc || !nc) return false;
            t = tc;
            nf = nc;
        }
        size_t i = 0;
        while (i < nlen) {
            if (nf[i] == ' ') {
                if (s->np) s->pieces[s->np - 1].space_after = true;
                i++;
                continue;
            }
            size_t j = i;
            while (j < nlen && nf[j] != ' ') j++;
            if (s->np == s->capp) {
                size_t nc = s->capp ? s->capp * 2 : 64;
                piece_t *np = realloc(s->pieces, nc * sizeof *np);
                if (!np) return false;
                s->pieces = np;
                s->capp = nc;
            }
            piece_t *p = &s->pieces[s->np];
            memset(p, 0, sizeof *p);
            size_t t0 = sp->nfc_map ? sp->nfc_map[i] : i, t1 = sp->nfc_map ? sp->nfc_map[j] : j;
            p->text = t + t0;
            p->len = t1 - t0;
            p->nfc = nf + i;
            p->nfc_len = j - i;
            p->map = sp->nfc_map;
            p->map_base = i;
            /* Adjacent to the previous piece without a space: same word. */
            if (s->np && !s->pieces[s->np - 1].space_after && i == 0) {
                p->joined = true;
                s->pieces[s->np - 1].joined = true;
            }
            p->font = pick_font(c, st, sp->face, p->nfc, p->nfc_len, loc);
            if (!p->font) {
                *ok = false;
            } else {
                p->scale = st->size / font_metrics(p->font)->units_per_em;
                font_run_t r;
                if (!font_shape(p->font, p->text, p->len, &r)) return false;
                p->glyphs = r.glyphs;
                p->count = r.count;
            }
            s->np++;
            i = j;
        }
    }
    return true;
}

static bool has_soft_hyphen(const char *t, size_t len) {
    for (size_t i = 0; i + 1 < len; i++)
        if ((unsigned char)t[i] == 0xC2 && (unsigned char)t[i + 1] == 0xAD) return true;
    return false;
}

typedef struct brk {
    size_t off;
    bool hyphen; /* insert a hyphen (pattern or soft hyphen) vs explicit */
    bool flagged;
    unsigned char rank; /* hyph_rank_t of a hyphenation point */
} brk_t;

/* How a justified paragraph ends its lines (see para_params_t): what a
 * hyphen or punctuation may hang into the margin, and the rag a penultimate
 * line may have: `rag` > 0 for breaks after which no more than `rest` (the
 * measure) of text remains. */
typedef struct ends {
    double protrusion; /* scale of the characters' factors; 0: none */
    double rag, rag_penalty, rest;
} ends_t;

/* Emits the boxes and penalties of one piece; `after` is the natural width
 * of the text that follows it (its space included). */
static bool piece_items(para_ctx_t *c, scratch_t *s, const para_style_t *st, int pi, double min_measure,
                        bool ragged, double rag_stretch, double expansion, bool whole, const ends_t *ends,
                        double after, diag_loc_t loc) {
    piece_t *p = &s->pieces[pi];
    const para_params_t *pp = &c->params;
    size_t nb = 0;
    /* At most one break per byte. */
    if (s->brks_cap < p->nfc_len + 1) {
        brk_t *nbk = realloc(s->brks, (p->nfc_len + 1) * sizeof *nbk);
        if (!nbk) return false;
        s->brks = nbk;
        s->brks_cap = p->nfc_len + 1;
    }
    brk_t *brks = s->brks;
    /* Pattern and soft-hyphen breaks (hyph_word honours soft hyphens even
     * without patterns). Pieces that are part of a longer word are left
     * whole: the patterns need the whole word. */
    bool has_soft = has_soft_hyphen(p->nfc, p->nfc_len);
    if (!whole && !p->joined && (st->hyphenate || has_soft)) {
        /* A slash joins words ("fagsekretariater/stabe"): hyphenate each. */
        size_t seg = 0;
        while (seg < p->nfc_len) {
            size_t end = seg;
            while (end < p->nfc_len && p->nfc[end] != '/') end++;
            size_t n = hyph_word_ranked(st->hyphenate ? c->hyph : NULL, p->nfc + seg, end - seg, &s->breaks,
                                        &s->ranks, &s->breaks_cap);
            for (size_t i = 0; i < n && nb < p->nfc_len; i++)
                brks[nb++] = (brk_t){seg + s->breaks[i], true, true, s->ranks[i]};
            seg = end + 1;
        }
    }
    /* Explicit hyphens and slashes: break after them when there is a word
     * on each side ("Skanderborg-modellen", "enhed/institution"), never in
     * "-aftaler" or "kort-". */
    for (size_t i = 1; i + 2 < p->nfc_len && nb < p->nfc_len; i++) {
        char ch = p->nfc[i];
        /* in the last word only a slash, which joins two whole words */
        if (whole && ch != '/') continue;
        if ((ch == '-' || ch == '/') && p->nfc[i - 1] != ' ' && p->nfc[i + 1] != '-') {
            brk_t b = {i + 1, false, ch == '-', HYPH_PLAIN};
            size_t at = nb;
            while (at > 0 && brks[at - 1].off > b.off) at--;
            memmove(&brks[at + 1], &brks[at], (nb - at) * sizeof *brks);
            brks[at] = b;
            nb++;
        }
    }
    double hw = hyphen_width(p->font, p->scale);
    size_t g_prev = 0;
    for (size_t b = 0; b <= nb; b++) {
        size_t g_end, t_end;
        if (b < nb) {
            t_end = to_text_offset(p, brks[b].off);
            g_end = glyph_at_offset(p, t_end);
            if (g_end == (size_t)-1 || g_end <= g_prev) continue; /* inside a ligature */
        } else {
            g_end = p->count;
            t_end = p->len;
        }
        double w = glyph_width(p, g_prev, g_end);
        if (w > min_measure) {
            /* Last resort: cut the fragment at glyph boundaries to fit. */
            diag_warning(c->d, loc, "\"%.*s\" is wider than the measure (%.1fpt > %.1fpt); broken without a hyphen",
                         (int)(p->len > 60 ? 60 : p->len), p->text, w, min_measure);
            size_t g = g_prev;
            while (g < g_end) {
                size_t h = g;
                double acc = 0;
                while (h < g_end && (h == g || acc + p->glyphs[h].advance * p->scale <= min_measure)) {
                    acc += p->glyphs[h].advance * p->scale;
                    h++;
                }
                /* Do not cut inside a cluster. */
                while (h < g_end && h > g + 1 && p->glyphs[h].cluster == p->glyphs[h - 1].cluster) h--;
                size_t t = h < p->count ? p->glyphs[h].cluster : p->len;
                if (h == g_end) t = t_end;
                meta_t m = {pi, g, h, t, false, 0};
                if (!push_item(s, ebox(acc, expansion), m)) return false;
                if (h < g_end && !push_item(s, penalty(0, 0, false), no_meta)) return false;
                g = h;
            }
        } else {
            meta_t m = {pi, g_prev, g_end, t_end, false, 0};
            if (!push_item(s, ebox(w, expansion), m)) return false;
        }
        g_prev = g_end;
        if (b < nb) {
            double pw = brks[b].hyphen ? hw : 0;
            double pen = brks[b].hyphen ? pp->hyphen_penalty : pp->ex_hyphen_penalty;
            /* inside a member of a compound whose joint is elsewhere */
            if (brks[b].rank == HYPH_MEMBER) pen += pp->member_penalty;
            /* Ragged lines can end almost anywhere for free: make a hyphen
             * earn its place. */
            if (ragged) pen *= 4;
            /* A hyphen at the line's end, added or written, hangs into the
             * margin: the line has that much more room. */
            double hang = brks[b].flagged ? ends->protrusion * protrusion_factor('-') * hw : 0;
            meta_t m = {pi, 0, 0, 0, brks[b].hyphen, hang};
            if (ragged) {
                if (!push_item(s, penalty(0, KP_INFINITY, false), no_meta)) return false;
                if (!push_item(s, glue(0, rag_stretch, 0), no_meta)) return false;
                if (!push_item(s, penalty(pw, pen, brks[b].flagged), m)) return false;
                if (!push_item(s, glue(0, -rag_stretch, 0), no_meta)) return false;
            } else {
                if (!push_item(s, penalty(pw - hang, pen, brks[b].flagged), m)) return false;
                double tail = glyph_width(p, g_end, p->count) + after;
                if (ends->rag > 0 && tail <= ends->rest) {
                    /* the penultimate line may end here short of the measure */
                    meta_t mr = m;
                    mr.hang = 0;
                    if (!push_item(s, glue(0, ends->rag, 0), no_meta) ||
                        !push_item(s, late(penalty(pw, pen + ends->rag_penalty, brks[b].flagged)), mr) ||
                        !push_item(s, glue(0, -ends->rag, 0), no_meta))
                        return false;
                }
            }
        }
    }
    return true;
}

typedef struct widths {
    double first, rest;
} widths_t;

static double line_width(size_t line, void *ctx) {
    const widths_t *w = ctx;
    return line == 0 ? w->first : w->rest;
}

/* Whether every word (pieces between spaces) fits the measure unbroken. */
static bool words_fit(const scratch_t *s, double measure) {
    double w = 0;
    for (size_t i = 0; i < s->np; i++) {
        w += glyph_width(&s->pieces[i], 0, s->pieces[i].count);
        if (w > measure) return false;
        if (s->pieces[i].space_after) w = 0;
    }
    return true;
}

/* How a justified line items[start..end) is set to `measure`: the glyph
 * scale *hs and the ratio of each space's stretch (>= 0) or shrink (< 0).
 * The breaker planned with the glyphs' expansion and the spaces' glue
 * together (every box carries its expansion as stretch and shrink); here
 * the glyphs take the adjustment first and the spaces the rest, which adds
 * up to the same width. Spaces never shrink past their shrink (ratio >= -1):
 * an overfull line sticks out rather than crushing its spaces. The
 * paragraph's last line (its fill glue) only ever shrinks. A penultimate
 * line allowed to fall short has its rag among the glue: it takes most of
 * the slack. */
static void justify_line(const scratch_t *s, size_t start, size_t end, double measure, double e, double *hs,
                         double *space_ratio) {
    double natural = 0, boxes = 0, stretch = 0, shrink = 0, rag = 0;
    bool fill = false;
    size_t last_box = start;
    for (size_t i = start; i < end && i < s->n; i++)
        if (s->items[i].type == KP_BOX) last_box = i;
    for (size_t i = start; i < end && i < s->n; i++) {
        const kp_item_t *it = &s->items[i];
        if (it->type == KP_PENALTY) continue;
        if (it->type == KP_GLUE && it->stretch >= 1e5) {
            fill = true;
            continue;
        }
        natural += it->width;
        if (it->type == KP_BOX) boxes += it->width;
        else if (i > last_box) rag += it->stretch; /* a short line's room at its end */
        else stretch += it->stretch, shrink += it->shrink;
    }
    /* A line ending at a penalty: a hyphen (less what hangs into the
     * margin), or what hanging punctuation gives back. */
    if (end < s->n && s->items[end].type == KP_PENALTY) natural += s->items[end].width;
    if (end < s->n && s->meta[end].hyphen) boxes += s->items[end].width + s->meta[end].hang; /* it widens too */
    double need = measure - natural;
    *hs = 1;
    *space_ratio = 0;
    if ((fill && need >= 0) || need == 0) return;
    /* The glyphs take the adjustment first, up to the expansion limit, then
     * a short line's rag, and the spaces only what is left: a reader sees a
     * word space change long before a letter 2 % wider. */
    double g = fabs(need) < e * boxes ? fabs(need) : e * boxes;
    double rest = fabs(need) - g;
    *hs = boxes > 0 ? 1 + (need > 0 ? g : -g) / boxes : 1;
    if (need > 0) {
        rest -= rest < rag ? rest : rag;
        *space_ratio = stretch > 0 ? rest / stretch : 0;
    } else {
        *space_ratio = shrink > 0 ? -rest / shrink : 0;
    }
    if (*space_ratio < -1) *space_ratio = -1;
}

bool para_set(para_ctx_t *c, const para_style_t *st, const text_spans_t *spans, double measure,
              double first_indent, diag_loc_t loc, para_t *out) {
    scratch_t *s = c->scratch;
    memset(out, 0, sizeof *out);
    out->leading = st->leading;
    out->colour = st->colour;
    const font_metrics_t *fm = font_metrics(st->faces[0]);
    out->ascent = fm->ascender * st->size / fm->units_per_em;
    out->descent = -fm->descender * st->size / fm->units_per_em;
    if (!s) return false;
    s->n = 0;
    bool ok = true;
    if (!collect_pieces(c, s, st, spans, loc, &ok)) return false;
    if (!ok) return false;
    if (s->np == 0) return true;

    widths_t widths = {measure - first_indent, measure};
    double min_measure = widths.first < widths.rest ? widths.first : widths.rest;
    para_style_t if_needed;
    if (st->hyphenate && st->hyphenate_if_needed && words_fit(s, min_measure)) {
        if_needed = *st;
        if_needed.hyphenate = false;
        st = &if_needed;
    }
    bool ragged = st->align != PARA_JUSTIFY;
    /* The paragraph's last word is never broken (unless it is wider than the
     * measure): its last piece would stand alone on the last line. A
     * paragraph of one word may break it, as nothing else could; words
     * joined by a slash may part ("fagsekretariater/ stabe"). */
    size_t last_word = s->np - 1;
    while (last_word > 0 && !s->pieces[last_word - 1].space_after) last_word--;
    double last_w = 0;
    for (size_t i = last_word; i < s->np; i++) last_w += glyph_width(&s->pieces[i], 0, s->pieces[i].count);
    if (last_word == 0 || last_w > min_measure) last_word = s->np;
    /* after[i]: the natural width of the text after piece i (its space
     * included), for the penultimate line's rag. */
    double *after = calloc(s->np + 1, sizeof *after);
    if (!after) return false;
    for (size_t i = s->np - 1; i-- > 0;) {
        const piece_t *q = &s->pieces[i + 1];
        double sp = s->pieces[i].space_after ? space_width(s->pieces[i].font, s->pieces[i].scale) : 0;
        after[i] = after[i + 1] + sp + glyph_width(q, 0, q->count);
    }
    ends_t ends = {0};
    if (!ragged) {
        ends.protrusion = c->params.protrusion_scale;
        ends.rag = c->params.rag_penalty > 0 ? c->params.rag_share * widths.rest : 0;
        ends.rag_penalty = c->params.rag_penalty;
        ends.rest = widths.rest;
    }
    for (size_t i = 0; ok && i < s->np; i++) {
        piece_t *p = &s->pieces[i];
        double sp = space_width(p->font, p->scale);
        /* Ragged lines may fall short by a good part of the measure before
         * they count as bad; a tight rag would force hyphens instead. */
        double rag = 0.3 * min_measure > 3 * sp ? 0.3 * min_measure : 3 * sp;
        double e = ragged ? 0 : c->params.expansion;
        ok = piece_items(c, s, st, (int)i, min_measure, ragged, rag, e, i >= last_word, &ends, after[i], loc);
        if (!ok || !p->space_after || i + 1 >= s->np) continue;
        if (ragged) {
            ok = push_item(s, glue(0, rag, 0), no_meta) && push_item(s, penalty(0, 0, false), no_meta) &&
                 push_item(s, glue(sp, -rag, 0), no_meta);
            continue;
        }
        /* Punctuation ending the line hangs into the margin: a break with
         * that much more room, before the space (which then is no break). */
        double hang = p->count ? ends.protrusion * protrusion_factor(last_char(p->text, p->len)) *
                                     p->glyphs[p->count - 1].advance * p->scale
                               : 0;
        meta_t m = no_meta;
        m.hang = hang;
        if (hang > 0) ok = push_item(s, penalty(-hang, 0, false), m);
        /* A space may lose at most space_shrink of its width: the breaker
         * never plans more, and setting never takes more. */
        double shrink = sp * c->params.space_shrink;
        if (ok && ends.rag > 0 && after[i] <= ends.rest) {
            /* Only the last word follows: the penultimate line may end here
             * short of the measure rather than with holes between words. */
            ok = push_item(s, glue(0, ends.rag, 0), no_meta) &&
                 push_item(s, late(penalty(0, ends.rag_penalty, false)), no_meta) &&
                 push_item(s, glue(sp, sp / 2 - ends.rag, shrink), no_meta);
        } else if (ok) {
            ok = push_item(s, glue(sp, sp / 2, shrink), no_meta);
        }
    }
    free(after);
    if (!ok) return false;
    if (!push_item(s, penalty(0, KP_INFINITY, false), no_meta)) return false;
    if (!push_item(s, glue(0, 1e6, 0), no_meta)) return false;
    if (!push_item(s, penalty(0, -KP_INFINITY, false), no_meta)) return false;

    kp_params_t kp = c->params.kp;
    if (kp.emergency_stretch <= 0) kp.emergency_stretch = measure * 0.1;
    kp_result_t res;
    double t0 = stopwatch_start();
    bool broken = kp_break_paragraph(s->items, s->n, line_width, &widths, &kp, &res);
    stopwatch_stop(STOPWATCH_BREAK, t0);
    if (!broken) return false;
    if (res.overfull)
        diag_warning(c->d, loc, "a line could not be set within the measure of %.1fpt", measure);

    out->lines = arena_alloc(c->arena, (res.count ? res.count : 1) * sizeof *out->lines);
    if (!out->lines) { kp_result_free(&res); return false; }
    size_t start = 0;
    for (size_t l = 0; l < res.count; l++) {
        size_t end = res.breaks[l].index;
        double ratio = res.breaks[l].ratio;
        /* Discardable items at a line start vanish. */
        while (start < end && s->items[start].type != KP_BOX) start++;
        para_line_t *line = &out->lines[out->count++];
        memset(line, 0, sizeof *line);
        line->measure = l == 0 ? widths.first : widths.rest;
        line->ratio = ratio;
        double x = 0;
        int last_piece = -1;
        size_t last_g1 = 0;
        double hs = 1, space_ratio = 0;
        if (!ragged) justify_line(s, start, end, line->measure, c->params.expansion, &hs, &space_ratio);
        /* A break at glue, or at a penalty of no word (protrusion before a
         * space, a rag), is a break at a space. */
        line->ends_at_space = end + 1 < s->n && (s->items[end].type == KP_GLUE || s->meta[end].piece < 0);
        if (!ragged && end < s->n && s->items[end].type == KP_PENALTY) {
            line->hang = s->meta[end].hang;
            line->rag = s->items[end].late;
        }
        /* Glue after the line's last box (a short line's rag) is room at the
         * end, not space before an added hyphen. */
        size_t last_box = start, boxes = 0;
        for (size_t i = start; i < end && i < s->n; i++)
            if (s->items[i].type == KP_BOX) last_box = i, boxes++;
        /* At most a run per box and an added hyphen; set in the scratch and
         * copied out at their number, as documents hold thousands of lines. */
        if (!mem_grow((void **)&s->runs, &s->runs_cap, boxes + 1, sizeof *s->runs)) { kp_result_free(&res); return false; }
        line->runs = s->runs;
        for (size_t i = start; i < end && i < s->n; i++) {
            const kp_item_t *it = &s->items[i];
            const meta_t *m = &s->meta[i];
            if (it->type == KP_GLUE) {
                if (it->stretch >= 1e5 || i > last_box) continue; /* the paragraph's fill, a rag: room, not content */
                double adj = space_ratio >= 0 ? space_ratio * it->stretch : space_ratio * it->shrink;
                x += it->width + adj;
                /* Zero-width glue inside a word (ragged hyphenation points)
                 * does not separate its fragments. */
                if (it->width + adj != 0) last_piece = -1;
            } else if (it->type == KP_BOX) {
                const piece_t *p = &s->pieces[m->piece];
                if (last_piece == m->piece && last_g1 == m->g0 && line->count) {
                    para_run_t *r = &line->runs[line->count - 1];
                    r->count += m->g1 - m->g0;
                    r->text_len = m->t1;
                    r->width += it->width * hs;
                } else {
                    para_run_t r = {p->font, st->size, x, it->width * hs, p->text, m->t1, p->glyphs + m->g0,
                                    m->g1 - m->g0, hs, false};
                    line->runs[line->count++] = r;
                }
                x += it->width * hs;
                last_piece = m->piece;
                last_g1 = m->g1;
            }
        }
        if (end < s->n && s->meta[end].hyphen) {
            const piece_t *p = &s->pieces[s->meta[end].piece];
            font_run_t hr;
            if (font_shape(p->font, "-", 1, &hr)) {
                double w = hr.width * p->scale * hs;
                /* It copies out as "-" (text extraction joins the word at the
                 * line end); in a tagged PDF it is page furniture, so the
                 * structure's text reads the word whole. */
                para_run_t r = {p->font, st->size, x, w, "-", 1, hr.glyphs, hr.count, hs, true};
                line->runs[line->count++] = r;
                x += w;
                line->hyphenated = true;
            }
        }
        line->width = x;
        /* Alignment of ragged, centred and right-aligned lines. */
        double shift = 0;
        if (st->align == PARA_CENTRE) shift = (line->measure - x) / 2;
        else if (st->align == PARA_RIGHT) shift = line->measure - x;
        if (shift > 0)
            for (size_t r = 0; r < line->count; r++) line->runs[r].x += shift;
        if (l == 0 && first_indent != 0)
            for (size_t r = 0; r < line->count; r++) line->runs[r].x += first_indent;
        line->runs = arena_alloc(c->arena, (line->count ? line->count : 1) * sizeof *line->runs);
        if (!line->runs) { kp_result_free(&res); return false; }
        memcpy(line->runs, s->runs, line->count * sizeof *line->runs);
        start = end + 1;
    }
    kp_result_free(&res);
    return true;
}

double para_text_width(const para_style_t *st, const char *text, size_t len, int face) {
    font_t *f = st->faces[face] ? st->faces[face] : st->faces[0];
    font_run_t r;
    if (!font_shape(f, text, len, &r)) return 0;
    return r.width * st->size / font_metrics(f)->units_per_em;
}
