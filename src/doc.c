/* doc: growable pages and items. */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

doc_t *doc_new(void) {
    doc_t *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->arena = arena_new();
    if (!d->arena) { free(d); return NULL; }
    return d;
}

void doc_drop(doc_t *d) {
    if (!d) return;
    for (size_t i = 0; i < d->page_count; i++) free(d->pages[i].items);
    free(d->pages);
    free(d->outline);
    free(d->labels);
    arena_drop(d->arena);
    free(d);
}

static bool grow(void **v, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return true;
    size_t nc = *cap ? *cap * 2 : 8;
    while (nc < need) nc *= 2;
    void *nv = realloc(*v, nc * size);
    if (!nv) return false;
    *v = nv;
    *cap = nc;
    return true;
}

doc_page_t *doc_add_page(doc_t *d, double width, double height, double bleed, bool crop_marks) {
    if (!grow((void **)&d->pages, &d->page_cap, d->page_count + 1, sizeof *d->pages)) return NULL;
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
    if (!grow((void **)&p->items, &p->cap, p->count + 1, sizeof *p->items)) return NULL;
    p->items[p->count] = *item;
    return &p->items[p->count++];
}

bool doc_add_outline(doc_t *d, const char *title, int level, size_t page, double y) {
    if (!grow((void **)&d->outline, &d->outline_cap, d->outline_count + 1, sizeof *d->outline)) return false;
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

bool doc_append(doc_t *dst, doc_t *src) {
    size_t base = dst->page_count;
    if (!grow((void **)&dst->pages, &dst->page_cap, dst->page_count + src->page_count, sizeof *dst->pages))
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
