/* doc: growable pages and items. */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

doc_t *doc_new(void) {
    doc_t *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->arena = arena_new();
    if (!d->arena) { free(d); return NULL; }
    d->node_count = 1; /* id 0 means "artifact" */
    if (!doc_node(d, 0, DOC_TAG_DOCUMENT)) { doc_drop(d); return NULL; }
    return d;
}

const char *doc_tag_name(doc_tag_t t) {
    static const char *const names[DOC_TAG_COUNT] = {
        "Document", "Sect", "Div", "H1", "H2", "H3", "P", "L", "LI", "Lbl", "LBody", "TOC", "TOCI", "Link",
        "Table", "TR", "TH", "TD", "Figure", "Form", "Reference"};
    return t < DOC_TAG_COUNT ? names[t] : "Span";
}

void doc_drop(doc_t *d) {
    if (!d) return;
    for (size_t i = 0; i < d->page_count; i++) free(d->pages[i].items);
    free(d->pages);
    free(d->outline);
    free(d->labels);
    free(d->nodes);
    for (size_t i = 0; i < d->adopted_count; i++) doc_drop(d->adopted[i]);
    free(d->adopted);
    arena_drop(d->arena);
    free(d);
}

doc_page_t *doc_add_page(doc_t *d, double width, double height, double bleed, bool crop_marks) {
    if (!mem_grow((void **)&d->pages, &d->page_cap, d->page_count + 1, sizeof *d->pages)) return NULL;
    doc_page_t *p = &d->pages[d->page_count++];
    memset(p, 0, sizeof *p);
    p->width = width;
    p->height = height;
    p->bleed = bleed;
    p->crop_marks = crop_marks;
    return p;
}

doc_item_t *doc_add_item(doc_t *d, doc_page_t *p, const doc_item_t *item) {
    (void)d;
    if (p->count == p->cap && !mem_grow((void **)&p->items, &p->cap, p->count + 1, sizeof *p->items)) return NULL;
    p->items[p->count] = *item;
    return &p->items[p->count++];
}

doc_item_t *doc_add_shape(doc_t *d, doc_page_t *p, doc_item_kind_t kind, double x, double y, double w, double h,
                          colour_t colour, double line_width, size_t node) {
    doc_item_t it = {0};
    it.kind = kind;
    it.colour = colour;
    it.x = x;
    it.y = y;
    it.w = w;
    it.h = h;
    it.line_width = line_width;
    it.node = node;
    return doc_add_item(d, p, &it);
}

bool doc_add_outline(doc_t *d, const char *title, int level, size_t page, double y) {
    if (!mem_grow((void **)&d->outline, &d->outline_cap, d->outline_count + 1, sizeof *d->outline)) return false;
    doc_outline_t *o = &d->outline[d->outline_count++];
    o->title = doc_strdup(d, title);
    o->level = level;
    o->page = page;
    o->y = y;
    return o->title != NULL;
}

bool doc_add_label_range(doc_t *d, size_t first_page, char style, int start, const char *prefix) {
    size_t cap = d->label_count;
    struct doc_label_range *nl = realloc(d->labels, (cap + 1) * sizeof *nl);
    if (!nl) return false;
    d->labels = nl;
    d->labels[d->label_count].first_page = first_page;
    d->labels[d->label_count].style = style;
    d->labels[d->label_count].start = start;
    d->labels[d->label_count].prefix = prefix ? doc_strdup(d, prefix) : NULL;
    d->label_count++;
    return true;
}

char *doc_strdup(doc_t *d, const char *s) { return arena_strdup(d->arena, s); }

size_t doc_node(doc_t *d, size_t parent, doc_tag_t tag) {
    if (!mem_grow((void **)&d->nodes, &d->node_cap, d->node_count + 1, sizeof *d->nodes)) return 0;
    doc_node_t *n = &d->nodes[d->node_count];
    memset(n, 0, sizeof *n);
    n->tag = tag;
    n->parent = parent;
    return d->node_count++;
}

bool doc_append(doc_t *dst, doc_t *src) {
    size_t base = dst->page_count;
    if (!mem_grow((void **)&dst->pages, &dst->page_cap, dst->page_count + src->page_count, sizeof *dst->pages))
        return false;
    for (size_t i = 0; i < src->page_count; i++) {
        doc_page_t *p = &src->pages[i];
        for (size_t k = 0; k < p->count; k++)
            if (p->items[k].kind == DOC_LINK) p->items[k].target_page += base;
        dst->pages[dst->page_count++] = *p;
    }
    src->page_count = 0;
    for (size_t i = 0; i < src->outline_count; i++) {
        const doc_outline_t *o = &src->outline[i];
        if (!doc_add_outline(dst, o->title, o->level, o->page + base, o->y)) return false;
    }
    src->outline_count = 0;
    return true;
}

static bool mark(doc_t *d, doc_page_t *pg, double x, double y, double w, double h) {
    return doc_add_shape(d, pg, DOC_RULE, x, y, w, h, colour_registration(), DOC_CROP_WIDTH, 0) != NULL;
}

/* Crop marks for an n-up block: every cut line gets a mark outside the
 * block, so no mark runs into a neighbouring page; pages that abut (no
 * gap) share one mark. */
static bool block_crop_marks(doc_t *d, doc_page_t *pg, double ox, double oy, double pw, double ph, int across,
                             int down, double gap, double bleed) {
    const double off = bleed + DOC_CROP_OFFSET, len = DOC_CROP_LENGTH;
    double bw = across * pw + (across - 1) * gap, bh = down * ph + (down - 1) * gap;
    for (int c = 0; c < across; c++)
        for (int e = 0; e < 2; e++) {
            if (e == 0 && c > 0 && gap <= 0) continue; /* the previous page's right edge */
            double x = ox + c * (pw + gap) + e * pw;
            if (!mark(d, pg, x, oy - off, 0, -len) || !mark(d, pg, x, oy + bh + off, 0, len)) return false;
        }
    for (int r = 0; r < down; r++)
        for (int e = 0; e < 2; e++) {
            if (e == 0 && r > 0 && gap <= 0) continue;
            double y = oy + r * (ph + gap) + e * ph;
            if (!mark(d, pg, ox - off, y, -len, 0) || !mark(d, pg, ox + bw + off, y, len, 0)) return false;
        }
    return true;
}

/* The page count on sheets: a saddle-stitched booklet's is a multiple of 4. */
static size_t imposed_count(const doc_imposition_t *im, size_t n) {
    return im->order == DOC_ORDER_SADDLE ? (n + 3) / 4 * 4 : n;
}

static bool order_duplex(doc_order_t o) { return o == DOC_ORDER_DUPLEX_LONG_EDGE || o == DOC_ORDER_DUPLEX_SHORT_EDGE; }

/* The column and row of the s-th page a sheet takes. */
static void place(const doc_imposition_t *im, int s, int *col, int *row) {
    if (im->by_columns) {
        *col = s / im->down;
        *row = s % im->down;
    } else {
        *col = s % im->across;
        *row = s / im->across;
    }
}

size_t doc_impose_slot(const doc_imposition_t *im, size_t n, size_t i) {
    size_t per = (size_t)(im->across * im->down);
    if (order_duplex(im->order)) {
        /* Card i/2: its front on an even sheet, its back on the next. */
        size_t card = i / 2, sheet = 2 * (card / per) + i % 2;
        int s = (int)(card % per), col, row;
        place(im, s, &col, &row);
        if (i % 2 == 1) {
            /* Turned over its long edge, a portrait sheet swaps left and right,
             * a landscape one top and bottom; over its short edge the other way. */
            bool landscape = im->sheet_w > im->sheet_h;
            if (landscape == (im->order == DOC_ORDER_DUPLEX_SHORT_EDGE)) col = im->across - 1 - col;
            else row = im->down - 1 - row;
        }
        return sheet * per + (size_t)(row * im->across + col);
    }
    if (im->order != DOC_ORDER_SADDLE) {
        int col, row;
        place(im, (int)(i % per), &col, &row);
        return i / per * per + (size_t)(row * im->across + col);
    }
    /* Side k of the sheets holds pages k and N-1-k (from 0); the lower one
     * is on the right of a front (k even) and on the left of a back. */
    size_t N = imposed_count(im, n), k = i < N / 2 ? i : N - 1 - i;
    bool lower = i < N / 2, right = (k % 2 == 0) == lower;
    return 2 * k + (right ? 1 : 0);
}

/* How many sheets the pages fill: a duplex job's come in front and back pairs. */
static size_t imposed_sheets(const doc_imposition_t *im, size_t n) {
    size_t per = (size_t)(im->across * im->down);
    if (order_duplex(im->order)) return 2 * (((n + 1) / 2 + per - 1) / per);
    return (imposed_count(im, n) + per - 1) / per;
}

doc_t *doc_impose(const doc_t *src, const doc_imposition_t *im) {
    doc_t *d = doc_new();
    if (!d || src->page_count == 0) return d;
    d->title = src->title;
    d->author = src->author;
    d->subject = src->subject;
    d->creator = src->creator;
    d->lang = src->lang;
    const int across = im->across, down = im->down;
    const double gap = im->gap;
    double pw = src->pages[0].width, ph = src->pages[0].height, bleed = src->pages[0].bleed;
    /* A page's bleed may not reach into its neighbour's. */
    double inner = bleed < gap / 2 ? bleed : gap / 2;
    double block_w = across * pw + (across - 1) * gap, block_h = down * ph + (down - 1) * gap;
    size_t per = (size_t)(across * down);
    for (size_t s = 0; s < imposed_sheets(im, src->page_count); s++) {
        doc_page_t *sheet = doc_add_page(d, block_w, block_h, bleed, false);
        if (!sheet) goto fail;
        sheet->sheet_w = im->sheet_w;
        sheet->sheet_h = im->sheet_h;
    }
    for (size_t i = 0; i < src->page_count; i++) {
        size_t slot = doc_impose_slot(im, src->page_count, i);
        doc_page_t *sheet = &d->pages[slot / per];
        int col = (int)(slot % per) % across, row = (int)(slot % per) / across;
        double x0 = col * (pw + gap), y0 = (down - 1 - row) * (ph + gap);
        /* How far a fill may reach beyond the page on each side. */
        double left = col == 0 ? bleed : inner, right = col == across - 1 ? bleed : inner;
        double top = row == 0 ? bleed : inner, bottom = row == down - 1 ? bleed : inner;
        const doc_page_t *p = &src->pages[i];
        for (size_t k = 0; k < p->count; k++) {
            doc_item_t it = p->items[k];
            if (doc_item_is_annotation(&it)) continue;
            if (it.kind == DOC_RECT) {
                double ax = it.x < -left ? -left : it.x, ay = it.y < -bottom ? -bottom : it.y;
                double bx = it.x + it.w > pw + right ? pw + right : it.x + it.w;
                double by = it.y + it.h > ph + top ? ph + top : it.y + it.h;
                if (bx <= ax || by <= ay) continue;
                it.x = ax;
                it.y = ay;
                it.w = bx - ax;
                it.h = by - ay;
            }
            it.x += x0;
            it.y += y0;
            if (!doc_add_item(d, sheet, &it)) goto fail;
        }
    }
    /* The marks last, over everything: every sheet has the same. */
    for (size_t s = 0; im->crop_marks && s < d->page_count; s++)
        if (!block_crop_marks(d, &d->pages[s], 0, 0, pw, ph, across, down, gap, bleed)) goto fail;
    return d;
fail:
    doc_drop(d);
    return NULL;
}

double doc_media_margin(const doc_page_t *p) { return p->bleed + (p->crop_marks ? 10 * 72.0 / 25.4 : 0); }

doc_media_t doc_media(const doc_page_t *p) {
    if (p->sheet_w > 0 && p->sheet_h > 0)
        return (doc_media_t){(p->sheet_w - p->width) / 2, (p->sheet_h - p->height) / 2, p->sheet_w, p->sheet_h};
    double m = doc_media_margin(p);
    return (doc_media_t){m, m, p->width + 2 * m, p->height + 2 * m};
}

bool doc_finish(doc_t *d) {
    if (d->finished) return true;
    for (size_t i = 0; i < d->page_count; i++) {
        doc_page_t *p = &d->pages[i];
        if (p->crop_marks && !block_crop_marks(d, p, 0, 0, p->width, p->height, 1, 1, 0, p->bleed)) return false;
        if (!d->print) continue;
        /* A press sheet has nothing to click: a print file keeps no links
         * and no form fields. */
        size_t kept = 0;
        for (size_t k = 0; k < p->count; k++)
            if (!doc_item_is_annotation(&p->items[k])) p->items[kept++] = p->items[k];
        p->count = kept;
    }
    d->finished = true;
    return true;
}

void doc_use_sheets(doc_t *d, doc_t *sheets, const doc_imposition_t *im) {
    size_t per = (size_t)(im->across * im->down), n = d->page_count;
    doc_page_t *pages = d->pages;
    size_t cap = d->page_cap;
    d->pages = sheets->pages;
    d->page_count = sheets->page_count;
    d->page_cap = sheets->page_cap;
    sheets->pages = pages;
    sheets->page_count = n;
    sheets->page_cap = cap;
    double ph = n ? pages[0].height : 0;
    for (size_t i = 0; per && i < d->outline_count; i++) {
        size_t slot = doc_impose_slot(im, n, d->outline[i].page);
        int row = (int)(slot % per) / im->across;
        d->outline[i].page = slot / per;
        d->outline[i].y += (im->down - 1 - row) * (ph + im->gap);
    }
    d->label_count = 0;
    doc_drop(sheets);
}

void doc_release_drawing(doc_t *d) {
    for (size_t i = 0; i < d->page_count; i++) {
        doc_page_t *p = &d->pages[i];
        size_t kept = 0;
        for (size_t k = 0; k < p->count; k++)
            if (doc_item_is_annotation(&p->items[k])) p->items[kept++] = p->items[k];
        if (kept == 0) {
            free(p->items);
            p->items = NULL;
            p->cap = 0;
        } else {
            doc_item_t *smaller = realloc(p->items, kept * sizeof *p->items);
            if (smaller) {
                p->items = smaller;
                p->cap = kept;
            }
        }
        p->count = kept;
    }
}

bool doc_adopt(doc_t *d, doc_t *other) {
    if (!mem_grow((void **)&d->adopted, &d->adopted_cap, d->adopted_count + 1, sizeof *d->adopted)) {
        doc_drop(other);
        return false;
    }
    d->adopted[d->adopted_count++] = other;
    return true;
}
