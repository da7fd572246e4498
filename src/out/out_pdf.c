/* out/out_pdf: walks a doc and draws it through out/pdf: page boxes (the
 * doc's coordinates are relative to the trimmed page; the MediaBox grows by
 * the bleed and the room for crop marks), crop marks in registration colour,
 * and the items. A page's underlay (shared by many pages) becomes a form,
 * drawn once into the file and shown on every page that has it. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "out/out.h"
#include "out/pdf.h"
#include "out/tags.h"
#include "out/xmp.h"

#define MM (72.0 / 25.4)

double out_media_margin(const doc_page_t *p) {
    return p->bleed + (p->crop_marks ? 10 * MM : 0);
}

static void crop_marks(pdf_doc_t *pdf, const doc_page_t *p, double m) {
    colour_t reg = {COLOUR_CMYK, {1, 1, 1, 1}};
    pdf_stroke_colour(pdf, reg);
    double gap = p->bleed + 2 * MM, len = 6 * MM;
    double xs[2] = {m, m + p->width}, ys[2] = {m, m + p->height};
    for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
            double x = xs[i], y = ys[j];
            double dx = i ? 1 : -1, dy = j ? 1 : -1;
            pdf_stroke_line(pdf, x + dx * gap, y, x + dx * (gap + len), y, 0.25);
            pdf_stroke_line(pdf, x, y + dy * gap, x, y + dy * (gap + len), 0.25);
        }
    }
}

/* Marked content for what comes next: the element `node` (0: an artifact),
 * when the document is tagged. */
typedef struct marking {
    tags_t *tags;
    const doc_t *doc;
    size_t page;
    int mcid;       /* the open sequence: >= 0 an element, -1 an artifact, -2 none */
} marking_t;

static void mark(pdf_doc_t *pdf, marking_t *mk, size_t node, bool from_underlay) {
    if (!mk || !mk->tags) return;
    int mcid = tags_content(mk->tags, mk->page, node, from_underlay);
    if (mcid == mk->mcid) return;
    const doc_t *src = from_underlay ? mk->doc->pages[mk->page].underlay_doc : mk->doc;
    if (mcid >= 0 && src) pdf_mark_begin(pdf, doc_tag_name(src->nodes[node].tag), mcid);
    else pdf_artifact_begin(pdf);
    mk->mcid = mcid;
}

/* Draws a page's items with the trimmed page's origin at (m, m). */
static void draw_items_marked(pdf_doc_t *pdf, const doc_page_t *p, double m, marking_t *mk, bool from_underlay) {
    for (size_t k = 0; k < p->count; k++) {
        const doc_item_t *it = &p->items[k];
        if (it->kind != DOC_LINK) mark(pdf, mk, it->node, from_underlay);
        switch (it->kind) {
        case DOC_GLYPHS:
            pdf_fill_colour(pdf, it->colour);
            pdf_set_hscale(pdf, it->hscale);
            pdf_draw_glyphs(pdf, it->font, it->size, m + it->x, m + it->y, it->text, it->text_len, it->glyphs,
                            it->glyph_count);
            break;
        case DOC_RECT:
            pdf_fill_colour(pdf, it->colour);
            pdf_fill_rect(pdf, m + it->x, m + it->y, it->w, it->h);
            break;
        case DOC_RULE:
            pdf_stroke_colour(pdf, it->colour);
            pdf_stroke_line(pdf, m + it->x, m + it->y, m + it->x + it->w, m + it->y + it->h, it->line_width);
            break;
        case DOC_LINK:
            break;
        }
    }
}

static void draw_items(pdf_doc_t *pdf, const doc_page_t *p, double m) { draw_items_marked(pdf, p, m, NULL, false); }

/* Underlay → form id: open addressing on the pointer, grown at half full.
 * A roster run has a few dozen underlays, but nothing bounds them. */
typedef struct form_slot {
    const doc_page_t *key;
    int form;
} form_slot_t;

typedef struct form_map {
    form_slot_t *slots;
    size_t n, cap; /* cap: a power of two, or 0 */
} form_map_t;

static size_t ptr_hash(const void *p, size_t mask) {
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & mask;
}

/* The form of underlay `key`, or -1 when it has none yet. */
static int form_find(const form_map_t *fm, const doc_page_t *key) {
    if (!fm->cap) return -1;
    for (size_t i = ptr_hash(key, fm->cap - 1); fm->slots[i].key; i = (i + 1) & (fm->cap - 1))
        if (fm->slots[i].key == key) return fm->slots[i].form;
    return -1;
}

static bool form_add(form_map_t *fm, const doc_page_t *key, int form) {
    if ((fm->n + 1) * 2 > fm->cap) {
        size_t cap = fm->cap ? fm->cap * 2 : 64;
        form_slot_t *s = calloc(cap, sizeof *s);
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
    fm->slots[i] = (form_slot_t){key, form};
    fm->n++;
    return true;
}

/* Makes the forms of all underlays, in order of first use, before any page:
 * so a form's content (its glyphs' CIDs) does not depend on what the pages
 * drew before it, and equal bodies give equal forms in every document of
 * a --split run. A form's coordinates are the trimmed page's, so its
 * bounding box reaches out by the media margin, as the page does. */
static bool make_forms(pdf_doc_t *pdf, const doc_t *doc, form_map_t *fm, diag_t *d) {
    for (size_t i = 0; i < doc->page_count; i++) {
        const doc_page_t *p = &doc->pages[i], *u = p->underlay;
        if (!u || form_find(fm, u) >= 0) continue;
        double m = fmax(out_media_margin(u), out_media_margin(p));
        pdf_box_t bbox = {-m, -m, u->width + m, u->height + m};
        if (!pdf_form_begin(pdf, &bbox)) return false;
        draw_items(pdf, u, 0);
        int form = pdf_form_end(pdf);
        if (form < 0) return false;
        if (!form_add(fm, u, form)) {
            diag_error(d, diag_nowhere(), "out of memory writing the PDF");
            return false;
        }
    }
    return true;
}

/* The document into `fp` when it is not NULL, else into a new file `path`. */
static bool write_pdf(const doc_t *doc, FILE *fp, const char *path, diag_t *d) {
    pdf_doc_t *pdf = pdf_doc_new(d);
    if (!pdf) return false;
    pdf_set_info(pdf, doc->title, doc->author, doc->subject, doc->creator, doc->lang);
    pdf_set_tagged(pdf, doc->tagged);
    if (doc->has_epoch) pdf_set_date(pdf, doc->epoch);
    /* A tagged document draws underlays in place: a form shown on many
     * pages cannot belong to each page's own structure. */
    tags_t *tags = doc->tagged ? tags_new(doc) : NULL;
    form_map_t forms = {0};
    bool ok = doc->tagged ? tags != NULL : make_forms(pdf, doc, &forms, d);
    for (size_t i = 0; i < doc->page_count && ok; i++) {
        const doc_page_t *p = &doc->pages[i];
        double m = out_media_margin(p);
        int form = p->underlay && !doc->tagged ? form_find(&forms, p->underlay) : -1;
        pdf_box_t trim = {m, m, m + p->width, m + p->height};
        pdf_box_t bleed = {m - p->bleed, m - p->bleed, m + p->width + p->bleed, m + p->height + p->bleed};
        ok = pdf_page_begin(pdf, p->width + 2 * m, p->height + 2 * m, &trim, p->bleed > 0 ? &bleed : NULL);
        if (!ok) break;
        marking_t mk = {tags, doc, i, -2};
        if (form >= 0) ok = pdf_draw_form(pdf, form, m, m);
        if (tags && p->underlay) draw_items_marked(pdf, p->underlay, m, &mk, true);
        draw_items_marked(pdf, p, m, tags ? &mk : NULL, false);
        if (p->crop_marks) {
            mark(pdf, tags ? &mk : NULL, 0, false);
            crop_marks(pdf, p, m);
        }
        ok = pdf_page_end(pdf) && ok;
    }
    free(forms.slots);
    /* Links, bookmarks and labels refer to pages, so they come last. */
    size_t link_count = 0;
    for (size_t i = 0; i < doc->page_count && ok; i++) {
        const doc_page_t *p = &doc->pages[i];
        double m = out_media_margin(p);
        for (size_t k = 0; k < p->count && ok; k++) {
            const doc_item_t *it = &p->items[k];
            if (it->kind != DOC_LINK || it->target_page >= doc->page_count) continue;
            pdf_box_t area = {m + it->x, m + it->y, m + it->x + it->w, m + it->y + it->h};
            double tm = out_media_margin(&doc->pages[it->target_page]);
            if (tags && it->node) ok = tags_link(tags, i, it->node, link_count);
            link_count++;
            ok = ok && pdf_add_link(pdf, i, &area, it->target_page, tm + it->target_y, it->text);
        }
    }
    for (size_t i = 0; i < doc->outline_count && ok; i++) {
        const doc_outline_t *o = &doc->outline[i];
        double tm = o->page < doc->page_count ? out_media_margin(&doc->pages[o->page]) : 0;
        ok = pdf_add_outline(pdf, o->title, o->level, o->page, tm + o->y);
    }
    for (size_t i = 0; i < doc->label_count && ok; i++)
        ok = pdf_add_page_label(pdf, doc->labels[i].first_page, doc->labels[i].style, doc->labels[i].start,
                                doc->labels[i].prefix);
    if (ok) ok = pdf_set_viewer(pdf, doc->outline_count > 0);
    if (ok && tags) {
        size_t n;
        const tags_elem_t *el = tags_finish(tags, &n);
        char date[48] = "";
        if (doc->has_epoch) {
            xmp_time_t t = xmp_utc(doc->epoch);
            snprintf(date, sizeof date, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day, t.hour, t.minute,
                     t.second);
        }
        char *xmp = xmp_packet(doc->title, doc->author, doc->subject, doc->lang, doc->creator, date[0] ? date : NULL);
        ok = el && xmp && pdf_set_structure(pdf, el, n, tags, xmp);
        if (!el || !xmp) diag_error(d, diag_nowhere(), "out of memory writing the PDF's structure");
        free(xmp);
    }
    tags_drop(tags);
    if (ok) ok = fp ? pdf_save_stream(pdf, fp, path) : pdf_save(pdf, path);
    pdf_doc_drop(pdf);
    return ok;
}

bool out_pdf_write(const doc_t *doc, const char *path, diag_t *d) { return write_pdf(doc, NULL, path, d); }

bool out_pdf_write_stream(const doc_t *doc, FILE *fp, const char *name, diag_t *d) {
    return write_pdf(doc, fp, name, d);
}
