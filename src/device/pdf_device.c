/* device/pdf_device: the PDF device. Draws a doc through device/pdf: page
 * boxes (the doc's coordinates are relative to the trimmed page; the
 * MediaBox grows by the bleed and the room for crop marks, which doc_finish
 * has made items), the items, marked content for a tagged doc, and, when
 * saved, links, bookmarks, page labels, the structure tree and metadata. A
 * page's underlay (shared by many pages) becomes a form, drawn once into the
 * file and shown on every page that has it, unless the doc is tagged (a form
 * shown on many pages cannot belong to each page's own structure). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device/device.h"
#include "device/pdf.h"
#include "device/tags.h"
#include "device/xmp.h"

/* Marked content for what comes next: the element `node` (0: an artifact),
 * when the document is tagged. */
typedef struct marking {
    tags_t *tags;
    const doc_t *doc;
    size_t page;
    int mcid;       /* the open sequence: >= 0 an element, -1 an artifact, -2 none */
    int artifact;   /* the open artifact's kind (doc_artifact_t) */
} marking_t;

static void mark(pdf_doc_t *pdf, marking_t *mk, const doc_item_t *it, bool from_underlay) {
    if (!mk->tags) {
        /* An untagged print file (an imposed sheet) still marks its crop
         * marks, the registration colour's only use, as artifacts: a
         * preflight tells printer's marks from the page's content by it,
         * tagged or not. */
        bool printers_mark = it->colour.space == COLOUR_REGISTRATION;
        if (printers_mark && mk->mcid != -1) {
            pdf_artifact_begin(pdf, NULL, NULL);
            mk->mcid = -1;
        } else if (!printers_mark && mk->mcid == -1) {
            pdf_mark_end(pdf);
            mk->mcid = -2;
        }
        return;
    }
    int mcid = tags_content(mk->tags, mk->page, it->node, from_underlay);
    if (mcid == mk->mcid && (mcid >= 0 || it->artifact == mk->artifact)) return;
    const doc_t *src = from_underlay ? mk->doc->pages[mk->page].underlay_doc : mk->doc;
    if (mcid >= 0 && src) {
        pdf_mark_begin(pdf, doc_tag_name(src->nodes[it->node].tag), mcid);
    } else {
        static const char *const type[] = {NULL, "Pagination", "Pagination", "Layout"};
        static const char *const subtype[] = {NULL, "Header", "Footer", NULL};
        unsigned k = it->artifact <= DOC_ARTIFACT_LAYOUT ? it->artifact : DOC_ARTIFACT_PLAIN;
        pdf_artifact_begin(pdf, type[k], subtype[k]);
        mcid = -1;
    }
    mk->mcid = mcid;
    mk->artifact = it->artifact;
}

/* Where the text of an element stands, to tell whether its next run
 * begins a new word: after a gap on the same baseline, or on another line
 * unless the last one ended in a hyphen (one it has, or one the line break
 * added) or a slash and the line did not break at a space ("fag- og"). Elements are told apart by the doc whose node they are
 * and, for an underlay's, the page's instance. */
typedef struct word_pos {
    const doc_t *owner;
    size_t node, instance; /* node 0: a free slot */
    double end_x, y;       /* where its last run ended, on the trimmed page */
    double size;
    bool joins;            /* the next line continues its last word */
} word_pos_t;

/* The last few elements with text, newest first: other text may come
 * between two runs of one element (a label beside a line, a participant's
 * values between the shared body of one page and the next, furniture). */
enum { WORDS_KEPT = 8 };
typedef struct words {
    word_pos_t v[WORDS_KEPT];
} words_t;

/* Whether text ending in `s` (len bytes) runs on into the next line. */
static bool joins_next_line(const char *s, size_t len) {
    if (!s || !len) return false;
    char c = s[len - 1];
    bool soft = len >= 2 && (unsigned char)s[len - 2] == 0xC2 && (unsigned char)s[len - 1] == 0xAD;
    return c == '-' || c == '/' || soft;
}

/* Records glyph item `it` and says whether a space must go before it. */
static bool words_next(words_t *ws, const doc_item_t *it, const doc_t *owner, size_t instance) {
    bool joins = !it->space_after && joins_next_line(it->text, it->text_len);
    word_pos_t *w = &ws->v[0];
    if (!it->node) {
        /* A hyphen the line break added (an artifact) right after the last
         * element's last run: the word goes on on the next line. */
        if (w->node && joins && fabs(it->y - w->y) < 1e-3 && it->x >= w->end_x - 0.5 * w->size &&
            it->x - w->end_x < 0.5 * w->size)
            w->joins = true;
        return false;
    }
    size_t k = 0;
    while (k < WORDS_KEPT && !(ws->v[k].node == it->node && ws->v[k].owner == owner && ws->v[k].instance == instance))
        k++;
    bool space = false;
    if (k < WORDS_KEPT) {
        w = &ws->v[k];
        bool same_line = fabs(it->y - w->y) < 1e-3 && it->x >= w->end_x - 0.01 * it->size;
        /* Runs of one word (a font change inside it) abut exactly; any
         * gap is a word space, however much a tight line shrank it. */
        space = same_line ? it->x - w->end_x > 1e-3 * it->size : !w->joins;
    } else {
        k = WORDS_KEPT - 1; /* the oldest makes room */
    }
    memmove(&ws->v[1], &ws->v[0], k * sizeof ws->v[0]);
    ws->v[0] = (word_pos_t){owner, it->node, instance, it->x + it->w, it->y, it->size, joins};
    return space;
}

/* Draws an item with the trimmed page's origin at (mx, my). */
static void draw_item(pdf_doc_t *pdf, const doc_item_t *it, double mx, double my) {
    switch (it->kind) {
    case DOC_GLYPHS:
        pdf_fill_colour(pdf, it->colour);
        pdf_set_hscale(pdf, it->hscale);
        pdf_draw_glyphs(pdf, it->font, it->size, mx + it->x, my + it->y, it->text, it->text_len, it->glyphs,
                        it->glyph_count);
        break;
    case DOC_RECT:
        pdf_fill_colour(pdf, it->colour);
        pdf_fill_rect(pdf, mx + it->x, my + it->y, it->w, it->h);
        break;
    case DOC_RULE:
        pdf_stroke_colour(pdf, it->colour);
        pdf_stroke_line(pdf, mx + it->x, my + it->y, mx + it->x + it->w, my + it->y + it->h, it->line_width);
        break;
    case DOC_FRAME:
        pdf_stroke_colour(pdf, it->colour);
        pdf_stroke_rect(pdf, mx + it->x, my + it->y, it->w, it->h, it->line_width);
        break;
    case DOC_LINK:
    case DOC_FIELD:
        break; /* annotations, when saving: they refer to pages */
    }
}

/* Underlay → a number (its form, or its memo): open addressing on the
 * pointer, grown at half full. A roster run has a few dozen underlays, but
 * nothing bounds them. */
typedef struct underlay_slot {
    const doc_page_t *key;
    int value;
} underlay_slot_t;

typedef struct underlay_map {
    underlay_slot_t *slots;
    size_t n, cap; /* cap: a power of two, or 0 */
} underlay_map_t;

static size_t ptr_hash(const void *p, size_t mask) {
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & mask;
}

/* The number of underlay `key`, or -1 when it has none yet. */
static int underlay_find(const underlay_map_t *fm, const doc_page_t *key) {
    if (!fm->cap) return -1;
    for (size_t i = ptr_hash(key, fm->cap - 1); fm->slots[i].key; i = (i + 1) & (fm->cap - 1))
        if (fm->slots[i].key == key) return fm->slots[i].value;
    return -1;
}

static bool underlay_add(underlay_map_t *fm, const doc_page_t *key, int value) {
    if ((fm->n + 1) * 2 > fm->cap) {
        size_t cap = fm->cap ? fm->cap * 2 : 64;
        underlay_slot_t *s = calloc(cap, sizeof *s);
        if (!s) return false;
        for (size_t k = 0; k < fm->cap; k++) {
            if (!fm->slots[k].key) continue;
            size_t i = ptr_hash(fm->slots[k].key, cap - 1);
            while (s[i].key) i = (i + 1) & (cap - 1);
            s[i] = fm->slots[k];
        }
        free(fm->slots);
        fm->slots = s;
        fm->cap = cap;
    }
    size_t i = ptr_hash(key, fm->cap - 1);
    while (fm->slots[i].key) i = (i + 1) & (fm->cap - 1);
    fm->slots[i] = (underlay_slot_t){key, value};
    fm->n++;
    return true;
}

/* Makes the forms of all underlays, in order of first use, before any page:
 * so a form's content (its glyphs' CIDs) does not depend on what the pages
 * drew before it, and equal bodies give equal forms in every document of
 * a --split run. A form's coordinates are the trimmed page's, so its
 * bounding box reaches out by the media margin, as the page does. */
static bool make_forms(pdf_doc_t *pdf, const doc_t *doc, underlay_map_t *fm, diag_t *d) {
    for (size_t i = 0; i < doc->page_count; i++) {
        const doc_page_t *p = &doc->pages[i], *u = p->underlay;
        if (!u || underlay_find(fm, u) >= 0) continue;
        double m = fmax(doc_media_margin(u), doc_media_margin(p));
        pdf_box_t bbox = {-m, -m, u->width + m, u->height + m};
        if (!pdf_form_begin(pdf, &bbox)) return false;
        for (size_t k = 0; k < u->count; k++) draw_item(pdf, &u->items[k], 0, 0);
        int form = pdf_form_end(pdf);
        if (form < 0) return false;
        if (!underlay_add(fm, u, form)) {
            diag_error(d, diag_nowhere(), "out of memory writing the PDF");
            return false;
        }
    }
    return true;
}

/* A tagged underlay as drawn in place the first time (every participant's
 * page draws the same shared body): the stream and state it left, and the
 * word-space decision before each of its runs. A later page whose
 * decisions come out the same would write the same bytes, so it takes the
 * record instead of drawing: what its marks and words would register is
 * registered, nothing is drawn. */
/* The words before and after the drawing, so that a later page need not
 * make the decisions again: they depend on the items and on the words
 * kept of this instance's elements (the only ones its runs can continue),
 * and not on the others, which the drawing only moves down and drops, as
 * long as its first run is an element's (an added hyphen first would look
 * at whatever word is newest). */
typedef struct words_memo {
    bool usable;
    bool own[WORDS_KEPT];       /* before: the slots that were the instance's elements' */
    words_t before, after;      /* (their owner and instance, in the instance's slots, not compared) */
    int from[WORDS_KEPT];       /* after: -1 the instance's, else the slot before it came from */
} words_memo_t;

typedef struct underlay_memo {
    const pdf_shared_t *shared;
    bool *spaces; /* per glyph item, in order */
    size_t nglyphs;
    words_memo_t words;
    /* The elements its items mark, in order, each run of one element (or
     * of artifacts) once: registering a run's items one by one does
     * nothing more than registering its first. */
    size_t *runs;
    size_t nruns;
} underlay_memo_t;

typedef struct pdf_device {
    device_t base;
    pdf_doc_t *pdf;
    tags_t *tags;      /* a tagged doc's structure; NULL untagged */
    underlay_map_t forms;  /* underlays drawn as forms (untagged) */
    underlay_map_t memo_of; /* tagged underlays drawn once: index into memos */
    underlay_memo_t *memos;
    size_t nmemos, capmemos;
    bool *spaces;           /* the decisions of the underlay being drawn */
    size_t nspaces, capspaces;
    words_t words_before;   /* the words when it began */
    marking_t mk;      /* the open marked-content sequence of the page */
    words_t words;     /* where the last element's text stands (tagged) */
    doc_media_t m;     /* the open page's MediaBox */
    size_t page;
    size_t annots;     /* annotations the structure may name, written so far */
} pdf_device_t;

static bool pdf_begin_page(device_t *dev, size_t index, const doc_page_t *p) {
    pdf_device_t *pd = (pdf_device_t *)dev;
    doc_media_t m = doc_media(p);
    pdf_box_t trim = {m.x, m.y, m.x + p->width, m.y + p->height};
    pdf_box_t bleed = {m.x - p->bleed, m.y - p->bleed, m.x + p->width + p->bleed, m.y + p->height + p->bleed};
    pd->m = m;
    pd->page = index;
    pd->mk = (marking_t){pd->tags, dev->doc, index, -2, 0};
    return pdf_page_begin(pd->pdf, m.w, m.h, &trim, p->bleed > 0 ? &bleed : NULL);
}

/* Whether word slot `w` is one of `instance`'s elements in `owner`. */
static bool own_slot(const word_pos_t *w, const doc_t *owner, size_t instance) {
    return w->node && w->owner == owner && w->instance == instance;
}

/* Records what drawing underlay `u` (instance `instance` of `owner`) did to
 * the words, from `before` to `after`: which slots after it came from
 * which before it, found by drawing the decisions again with the other
 * slots marked. */
static void words_remember(words_memo_t *wm, const doc_page_t *u, const doc_t *owner, size_t instance,
                           const words_t *before, const words_t *after) {
    memset(wm, 0, sizeof *wm);
    const doc_item_t *first = NULL;
    for (size_t i = 0; i < u->count && !first; i++)
        if (u->items[i].kind == DOC_GLYPHS) first = &u->items[i];
    if (!first || !first->node) return;
    static const char marks[WORDS_KEPT]; /* their addresses tell the other slots apart */
    words_t ws = *before;
    for (int j = 0; j < WORDS_KEPT; j++) {
        wm->own[j] = own_slot(&before->v[j], owner, instance);
        if (!wm->own[j]) ws.v[j] = (word_pos_t){(const doc_t *)(const void *)&marks[j], 0, SIZE_MAX, 0, 0, 0, false};
    }
    for (size_t i = 0; i < u->count; i++)
        if (u->items[i].kind == DOC_GLYPHS) (void)words_next(&ws, &u->items[i], owner, instance);
    for (int j = 0; j < WORDS_KEPT; j++) {
        const void *o = ws.v[j].owner;
        wm->from[j] = o >= (const void *)marks && o < (const void *)(marks + WORDS_KEPT)
                          ? (int)((const char *)o - marks)
                          : -1;
    }
    wm->before = *before;
    wm->after = *after;
    wm->usable = true;
}

/* The words after drawing the underlay again from `now`, when the memo
 * says: true and `out` set, or false (the decisions must be made). */
static bool words_recall(const words_memo_t *wm, const words_t *now, const doc_t *owner, size_t instance,
                         words_t *out) {
    if (!wm->usable) return false;
    for (int j = 0; j < WORDS_KEPT; j++) {
        const word_pos_t *a = &wm->before.v[j], *b = &now->v[j];
        bool own = own_slot(b, owner, instance);
        if (own != wm->own[j]) return false;
        if (own && (a->node != b->node || a->end_x != b->end_x || a->y != b->y || a->size != b->size ||
                    a->joins != b->joins))
            return false;
    }
    for (int j = 0; j < WORDS_KEPT; j++) {
        if (wm->from[j] >= 0) {
            out->v[j] = now->v[wm->from[j]];
        } else {
            out->v[j] = wm->after.v[j];
            out->v[j].instance = instance; /* its owner is `owner` */
        }
    }
    return true;
}

/* A tagged page drew its underlay in place: that part of its content is
 * the same on every page with this underlay, and is stored once. */
static bool pdf_underlay_end(device_t *dev) {
    pdf_device_t *pd = (pdf_device_t *)dev;
    if (!pdf_page_share(pd->pdf)) return false;
    pd->mk.mcid = -2; /* the sequence is closed: the next item opens one */
    tags_break(pd->tags);
    /* The first drawing of this underlay is remembered (a memo is an
     * optimisation: without memory, pages just draw it again). */
    const doc_page_t *u = dev->doc->pages[pd->page].underlay;
    const pdf_shared_t *sh = pdf_page_shared(pd->pdf);
    if (sh && underlay_find(&pd->memo_of, u) < 0 &&
        mem_grow((void **)&pd->memos, &pd->capmemos, pd->nmemos + 1, sizeof *pd->memos)) {
        bool *spaces = malloc((pd->nspaces + 1) * sizeof *spaces);
        size_t *runs = malloc((u->count + 1) * sizeof *runs), nruns = 0;
        if (spaces && runs && underlay_add(&pd->memo_of, u, (int)pd->nmemos)) {
            memcpy(spaces, pd->spaces, pd->nspaces * sizeof *spaces);
            for (size_t i = 0; i < u->count; i++)
                if (!doc_item_is_annotation(&u->items[i]) && (nruns == 0 || runs[nruns - 1] != u->items[i].node))
                    runs[nruns++] = u->items[i].node;
            const doc_page_t *pg = &dev->doc->pages[pd->page];
            underlay_memo_t *m = &pd->memos[pd->nmemos++];
            *m = (underlay_memo_t){sh, spaces, pd->nspaces, {0}, runs, nruns};
            words_remember(&m->words, u, pg->underlay_doc, pg->instance, &pd->words_before, &pd->words);
        } else {
            free(spaces);
            free(runs);
        }
    }
    pd->nspaces = 0;
    return true;
}

/* Takes the memo of page p's underlay, when drawing it would give the same
 * bytes: the word-space decisions, made on a copy of the words, match.
 * Then registers what drawing would (each item's marked content, the
 * words) and gives the page the shared stream. */
static bool underlay_again(pdf_device_t *pd, const doc_page_t *p) {
    int k = underlay_find(&pd->memo_of, p->underlay);
    if (k < 0) return false;
    const underlay_memo_t *m = &pd->memos[k];
    const doc_page_t *u = p->underlay;
    words_t ws;
    if (!words_recall(&m->words, &pd->words, p->underlay_doc, p->instance, &ws)) {
        ws = pd->words;
        size_t g = 0;
        for (size_t i = 0; i < u->count; i++) {
            const doc_item_t *it = &u->items[i];
            if (it->kind != DOC_GLYPHS) continue;
            if (g >= m->nglyphs || words_next(&ws, it, p->underlay_doc, p->instance) != m->spaces[g]) return false;
            g++;
        }
        if (g != m->nglyphs) return false;
    }
    if (!pdf_page_share_again(pd->pdf, m->shared)) return false;
    for (size_t i = 0; i < m->nruns; i++) tags_content(pd->tags, pd->page, m->runs[i], true);
    pd->words = ws;
    pd->mk.mcid = -2;
    tags_break(pd->tags);
    return true;
}

static device_underlay_t pdf_underlay(device_t *dev, const doc_page_t *p) {
    pdf_device_t *pd = (pdf_device_t *)dev;
    if (pd->tags) {
        pd->nspaces = 0;
        pd->words_before = pd->words;
        return underlay_again(pd, p) ? DEVICE_UNDERLAY_DONE : DEVICE_UNDERLAY_INLINE;
    }
    int form = underlay_find(&pd->forms, p->underlay);
    if (form >= 0) pdf_draw_form(pd->pdf, form, pd->m.x, pd->m.y);
    return DEVICE_UNDERLAY_DONE;
}

static void pdf_item(device_t *dev, const doc_item_t *it, const doc_t *owner, bool from_underlay) {
    pdf_device_t *pd = (pdf_device_t *)dev;
    if (doc_item_is_annotation(it)) return; /* when saving: they refer to pages */
    mark(pd->pdf, &pd->mk, it, from_underlay);
    if (pd->tags && it->kind == DOC_GLYPHS) {
        bool space = words_next(&pd->words, it, owner, from_underlay ? dev->doc->pages[pd->page].instance : 0);
        if (space) pdf_space_before(pd->pdf);
        if (from_underlay && mem_grow((void **)&pd->spaces, &pd->capspaces, pd->nspaces + 1, sizeof *pd->spaces))
            pd->spaces[pd->nspaces++] = space;
    }
    draw_item(pd->pdf, it, pd->m.x, pd->m.y);
}

static bool pdf_end_page(device_t *dev) { return pdf_page_end(((pdf_device_t *)dev)->pdf); }

/* Writes a link or a form field of page `page` as an annotation, named in
 * the structure by its element (of the page's underlay when
 * `from_underlay`); anything else is left alone. */
static bool write_annot(pdf_device_t *pd, size_t page, const doc_item_t *it, bool from_underlay) {
    const doc_t *doc = pd->base.doc;
    const doc_page_t *p = &doc->pages[page];
    doc_media_t m = doc_media(p);
    pdf_box_t area = {m.x + it->x, m.y + it->y, m.x + it->x + it->w, m.y + it->y + it->h};
    long annot = -1;
    if (it->kind == DOC_LINK) {
        if (it->target_page >= doc->page_count) return true;
        double ty = doc_media(&doc->pages[it->target_page]).y;
        if (!pdf_add_link(pd->pdf, page, &area, it->target_page, ty + it->target_y, it->text)) return false;
        annot = (long)pd->annots++;
    } else if (it->kind == DOC_FIELD) {
        const doc_field_t *f = it->field;
        char *full = NULL;
        if (p->field_prefix) {
            size_t n = strlen(p->field_prefix) + strlen(f->name) + 2;
            if (!(full = malloc(n))) {
                diag_error(pd->base.d, diag_nowhere(), "out of memory writing the PDF's form fields");
                return false;
            }
            snprintf(full, n, "%s.%s", p->field_prefix, f->name);
        }
        pdf_widget_t w = {page, area, full ? full : f->name, f->tooltip, f->kind == DOC_FIELD_TEXT && f->hidden};
        if (f->kind == DOC_FIELD_RADIO) {
            annot = pdf_add_radio(pd->pdf, &w, f->option, f->colour);
        } else {
            bool ok = !f->look_count || pdf_field_look_begin(pd->pdf, it->w, it->h);
            for (size_t k = 0; ok && k < f->look_count; k++) draw_item(pd->pdf, &f->look[k], 0, 0);
            pdf_text_field_t tf = {f->multiline, f->value, f->font, f->size, f->colour};
            annot = ok ? pdf_add_text_field(pd->pdf, &w, &tf) : -1;
        }
        free(full);
        if (annot < 0) return false;
        if (w.hidden) return true; /* no annotation the structure names */
        pd->annots = (size_t)annot + 1;
    } else {
        return true;
    }
    return !pd->tags || !it->node || tags_annot(pd->tags, page, it->node, from_underlay, (size_t)annot);
}

static bool pdf_save_doc(device_t *dev, FILE *fp, const char *name) {
    pdf_device_t *pd = (pdf_device_t *)dev;
    const doc_t *doc = dev->doc;
    pdf_doc_t *pdf = pd->pdf;
    bool ok = true;
    /* Links, form fields, bookmarks and labels refer to pages, so they
     * come last. A page's own fields (a participant's header) before its
     * underlay's (the body), as they are read. */
    pd->annots = 0;
    for (size_t i = 0; i < doc->page_count && ok; i++) {
        const doc_page_t *p = &doc->pages[i];
        for (size_t k = 0; k < p->count && ok; k++)
            ok = write_annot(pd, i, &p->items[k], p->items[k].underlay_node && p->underlay_doc);
        for (size_t k = 0; p->underlay && k < p->underlay->count && ok; k++)
            if (p->underlay->items[k].kind == DOC_FIELD) ok = write_annot(pd, i, &p->underlay->items[k], true);
    }
    for (size_t i = 0; i < doc->outline_count && ok; i++) {
        const doc_outline_t *o = &doc->outline[i];
        double ty = o->page < doc->page_count ? doc_media(&doc->pages[o->page]).y : 0;
        ok = pdf_add_outline(pdf, o->title, o->level, o->page, ty + o->y);
    }
    for (size_t i = 0; i < doc->label_count && ok; i++)
        ok = pdf_add_page_label(pdf, doc->labels[i].first_page, doc->labels[i].style, doc->labels[i].start,
                                doc->labels[i].prefix);
    if (ok) ok = pdf_set_viewer(pdf, doc->outline_count > 0);
    /* XMP: a tagged file's (PDF/UA) and a print file's (PDF/X). */
    if (ok && (pd->tags || doc->print)) {
        char date[48] = "", document[PDF_UUID_SIZE] = "", instance[PDF_UUID_SIZE] = "";
        if (doc->has_epoch) {
            xmp_time_t t = xmp_utc(doc->epoch);
            snprintf(date, sizeof date, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day, t.hour, t.minute,
                     t.second);
        }
        if (doc->print) pdf_uuids(pdf, document, instance);
        xmp_meta_t meta = {doc->title, doc->author, doc->subject, doc->lang, doc->creator, date[0] ? date : NULL,
                           pd->tags != NULL, doc->print ? "PDF/X-4" : NULL, doc->print && doc->print->trapped,
                           document[0] ? document : NULL, instance[0] ? instance : NULL};
        char *xmp = xmp_packet(&meta);
        size_t n = 0;
        const tags_elem_t *el = pd->tags ? tags_finish(pd->tags, &n) : NULL;
        if (!xmp || (pd->tags && !el)) {
            diag_error(dev->d, diag_nowhere(), "out of memory writing the PDF's metadata");
            ok = false;
        } else {
            ok = pd->tags ? pdf_set_structure(pdf, el, n, pd->tags, xmp) : pdf_set_metadata(pdf, xmp);
        }
        free(xmp);
    }
    return ok && pdf_save_stream(pdf, fp, name);
}

static void pdf_drop_device(device_t *dev) {
    pdf_device_t *pd = (pdf_device_t *)dev;
    free(pd->forms.slots);
    free(pd->memo_of.slots);
    for (size_t i = 0; i < pd->nmemos; i++) {
        free(pd->memos[i].spaces);
        free(pd->memos[i].runs);
    }
    free(pd->memos);
    free(pd->spaces);
    tags_drop(pd->tags);
    pdf_doc_drop(pd->pdf);
    free(pd);
}

static const device_ops_t pdf_ops = {pdf_begin_page, pdf_underlay, pdf_underlay_end, pdf_item, pdf_end_page,
                                     pdf_save_doc, pdf_drop_device};

device_t *device_pdf_new(const doc_t *doc, diag_t *d) {
    pdf_device_t *pd = calloc(1, sizeof *pd);
    if (!pd) {
        diag_error(d, diag_nowhere(), "out of memory writing the PDF");
        return NULL;
    }
    pd->base = (device_t){&pdf_ops, doc, d};
    pd->pdf = pdf_doc_new(d);
    if (!pd->pdf) {
        free(pd);
        return NULL;
    }
    pdf_set_info(pd->pdf, doc->title, doc->author, doc->subject, doc->creator, doc->lang);
    pdf_set_tagged(pd->pdf, doc->tagged);
    if (doc->has_epoch) pdf_set_date(pd->pdf, doc->epoch);
    if (doc->print) {
        const doc_print_t *pr = doc->print;
        pdf_output_intent_t oi = {pr->condition_id, pr->condition, pr->registry, pr->info, pr->icc, pr->icc_len};
        if (!pdf_set_pdfx(pd->pdf, "PDF/X-4", pr->trapped) || !pdf_set_output_intent(pd->pdf, &oi)) {
            pdf_doc_drop(pd->pdf);
            free(pd);
            return NULL;
        }
    }
    pd->tags = doc->tagged ? tags_new(doc) : NULL;
    bool ok = doc->tagged ? pd->tags != NULL : make_forms(pd->pdf, doc, &pd->forms, d);
    if (doc->tagged && !pd->tags) diag_error(d, diag_nowhere(), "out of memory writing the PDF");
    if (!ok) {
        pdf_drop_device(&pd->base);
        return NULL;
    }
    return &pd->base;
}
