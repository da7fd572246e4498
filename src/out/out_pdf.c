/* out/out_pdf: walks a doc and draws it through out/pdf: page boxes (the
 * doc's coordinates are relative to the trimmed page; the MediaBox grows by
 * the bleed and the room for crop marks), crop marks in registration colour,
 * and the items. */
#include <math.h>

#include "out/out.h"
#include "out/pdf.h"

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

bool out_pdf_write(const doc_t *doc, const char *path, diag_t *d) {
    pdf_doc_t *pdf = pdf_doc_new(d);
    if (!pdf) return false;
    pdf_set_info(pdf, doc->title, doc->author, doc->subject, doc->creator, doc->lang);
    bool ok = true;
    for (size_t i = 0; i < doc->page_count && ok; i++) {
        const doc_page_t *p = &doc->pages[i];
        double m = out_media_margin(p);
        pdf_box_t trim = {m, m, m + p->width, m + p->height};
        pdf_box_t bleed = {m - p->bleed, m - p->bleed, m + p->width + p->bleed, m + p->height + p->bleed};
        ok = pdf_page_begin(pdf, p->width + 2 * m, p->height + 2 * m, &trim, p->bleed > 0 ? &bleed : NULL);
        if (!ok) break;
        size_t under = p->underlay ? p->underlay->count : 0;
        for (size_t k = 0; k < under + p->count; k++) {
            const doc_item_t *it = k < under ? &p->underlay->items[k] : &p->items[k - under];
            switch (it->kind) {
            case DOC_GLYPHS:
                pdf_fill_colour(pdf, it->colour);
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
        if (p->crop_marks) crop_marks(pdf, p, m);
        ok = pdf_page_end(pdf);
    }
    /* Links, bookmarks and labels refer to pages, so they come last. */
    for (size_t i = 0; i < doc->page_count && ok; i++) {
        const doc_page_t *p = &doc->pages[i];
        double m = out_media_margin(p);
        for (size_t k = 0; k < p->count && ok; k++) {
            const doc_item_t *it = &p->items[k];
            if (it->kind != DOC_LINK || it->target_page >= doc->page_count) continue;
            pdf_box_t area = {m + it->x, m + it->y, m + it->x + it->w, m + it->y + it->h};
            double tm = out_media_margin(&doc->pages[it->target_page]);
            ok = pdf_add_link(pdf, i, &area, it->target_page, tm + it->target_y, it->text);
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
    if (ok) ok = pdf_save(pdf, path);
    pdf_doc_drop(pdf);
    return ok;
}
