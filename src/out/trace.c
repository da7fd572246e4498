/* out/trace: the text backend. Its format is stable and diffable:
 *   page N W x H [bleed B] [crop]
 *   text ROLE FONT SIZE @ X,Y "TEXT" gid:adv ...
 *   rect/rule/link ...
 * Numbers are printed by hand with two decimals so that the locale's decimal
 * separator never leaks in. */
#include <math.h>
#include <stdio.h>

#include "out/out.h"

static void num(FILE *f, double v) {
    long long c = llround(v * 100);
    if (c < 0) { fputc('-', f); c = -c; }
    fprintf(f, "%lld.%02lld", c / 100, c % 100);
}

bool out_trace_write(const doc_t *doc, FILE *f) {
    for (size_t i = 0; i < doc->page_count; i++) {
        const doc_page_t *p = &doc->pages[i];
        fprintf(f, "page %zu ", i + 1);
        num(f, p->width);
        fputs(" x ", f);
        num(f, p->height);
        if (p->bleed > 0) { fputs(" bleed ", f); num(f, p->bleed); }
        if (p->crop_marks) fputs(" crop", f);
        fputc('\n', f);
        size_t under = p->underlay ? p->underlay->count : 0;
        for (size_t k = 0; k < under + p->count; k++) {
            const doc_item_t *it = k < under ? &p->underlay->items[k] : &p->items[k - under];
            switch (it->kind) {
            case DOC_GLYPHS: {
                const font_metrics_t *m = font_metrics(it->font);
                fprintf(f, "  text %s %s ", it->node && it->node < doc->node_count ? doc_tag_name(doc->nodes[it->node].tag)
                                                                     : "Artifact",
                        m->postscript_name);
                num(f, it->size);
                if (it->hscale != 0 && it->hscale != 1) {
                    fputs(" x", f);
                    num(f, it->hscale * 100);
                    fputc('%', f);
                }
                fputs(" @ ", f);
                num(f, it->x);
                fputc(',', f);
                num(f, it->y);
                size_t t0 = it->glyph_count ? it->glyphs[0].cluster : 0;
                fprintf(f, " \"%.*s\"", (int)(it->text_len - t0), it->text + t0);
                for (size_t g = 0; g < it->glyph_count; g++) {
                    fprintf(f, " %u:%d", it->glyphs[g].gid, it->glyphs[g].advance);
                    if (it->glyphs[g].x_offset || it->glyphs[g].y_offset)
                        fprintf(f, "(%d,%d)", it->glyphs[g].x_offset, it->glyphs[g].y_offset);
                }
                fputc('\n', f);
                break;
            }
            case DOC_RECT:
            case DOC_RULE:
            case DOC_LINK:
                fprintf(f, "  %s ", it->kind == DOC_RECT ? "rect" : it->kind == DOC_RULE ? "rule" : "link");
                num(f, it->x);
                fputc(',', f);
                num(f, it->y);
                fputc(' ', f);
                num(f, it->w);
                fputc(',', f);
                num(f, it->h);
                if (it->kind == DOC_RULE) { fputs(" width ", f); num(f, it->line_width); }
                if (it->kind == DOC_LINK) fprintf(f, " -> page %zu", it->target_page + 1);
                fputc('\n', f);
                break;
            }
        }
    }
    for (size_t i = 0; i < doc->outline_count; i++) {
        fprintf(f, "outline %d \"%s\" page %zu\n", doc->outline[i].level, doc->outline[i].title,
                doc->outline[i].page + 1);
    }
    return !ferror(f);
}
