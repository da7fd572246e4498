/* device/tags: element instances, MCIDs, reading order, pruning. */
#include "device/tags.h"

#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* An element instance. Its kids become the written element's (renumbered
 * in place by tags_finish), so they are never copied. */
typedef struct elem {
    const doc_t *src; /* whose node table `node` is in */
    size_t node, instance;
    long parent;
    tags_kid_t *kids;
    uint32_t kid_count, kid_cap;
    long out;      /* index in the written array, -1 if pruned */
    bool filled;   /* holds content itself or through a kid */
} elem_t;

typedef struct page_marks {
    long *elem;    /* per MCID */
    size_t count, cap;
} page_marks_t;

struct tags {
    const doc_t *doc;
    elem_t *elems;
    size_t count, cap;
    uint32_t *hash; /* open addressing: elem index + 1, 0 = empty (four bytes: there are millions) */
    size_t hash_cap;
    page_marks_t *pages;
    size_t page_count;
    size_t last_page;
    long last_elem;
    int last_mcid;
    tags_elem_t *out;
    size_t out_count;
    arena_t *kid_store; /* the elements' kid arrays: hundreds of thousands of small ones in a batch */
    bool oom;
};

tags_t *tags_new(const doc_t *doc) {
    tags_t *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->doc = doc;
    t->page_count = doc->page_count;
    t->pages = calloc(doc->page_count + 1, sizeof *t->pages);
    t->hash_cap = 1024;
    t->hash = calloc(t->hash_cap, sizeof *t->hash);
    t->kid_store = arena_new();
    t->last_elem = -1;
    if (!t->pages || !t->hash || !t->kid_store) {
        tags_drop(t);
        return NULL;
    }
    return t;
}

void tags_drop(tags_t *t) {
    if (!t) return;
    arena_drop(t->kid_store);
    free(t->elems);
    free(t->hash);
    for (size_t i = 0; t->pages && i < t->page_count; i++) free(t->pages[i].elem);
    free(t->pages);
    free(t->out); /* its kids are the elements' */
    free(t);
}

static size_t slot_of(const tags_t *t, const doc_t *src, size_t node, size_t instance) {
    uint64_t h = (uint64_t)node * 0x9E3779B97F4A7C15u ^ (uint64_t)instance * 0xC2B2AE3D27D4EB4Fu ^
                 (uint64_t)(uintptr_t)src * 0x165667B19E3779F9u;
    return (size_t)(h ^ (h >> 29)) & (t->hash_cap - 1);
}

static bool rehash(tags_t *t) {
    size_t cap = t->hash_cap * 2;
    uint32_t *h = calloc(cap, sizeof *h);
    if (!h) return false;
    free(t->hash);
    t->hash = h;
    t->hash_cap = cap;
    for (size_t i = 0; i < t->count; i++) {
        size_t s = slot_of(t, t->elems[i].src, t->elems[i].node, t->elems[i].instance);
        while (t->hash[s]) s = (s + 1) & (cap - 1);
        t->hash[s] = (uint32_t)(i + 1);
    }
    return true;
}

/* Most elements have one or two kids: their arrays start at two, and
 * double, in the store (an outgrown array stays there unused: at most as
 * much again as the kids take). */
static bool add_kid(tags_t *t, elem_t *e, tags_kid_t k) {
    if (e->kid_count == e->kid_cap) {
        uint32_t cap = e->kid_cap ? e->kid_cap * 2 : 2;
        tags_kid_t *v = cap > e->kid_cap ? arena_alloc_raw(t->kid_store, cap * sizeof *v, _Alignof(tags_kid_t)) : NULL;
        if (!v) {
            t->oom = true;
            return false;
        }
        if (e->kid_count) memcpy(v, e->kids, e->kid_count * sizeof *v);
        e->kids = v;
        e->kid_cap = cap;
    }
    e->kids[e->kid_count++] = k;
    return true;
}

/* The element made for `node` of `src` and `instance` so far, or -1. */
static long elem_find(const tags_t *t, const doc_t *src, size_t node, size_t instance) {
    for (size_t s = slot_of(t, src, node, instance); t->hash[s]; s = (s + 1) & (t->hash_cap - 1)) {
        const elem_t *e = &t->elems[t->hash[s] - 1];
        if (e->src == src && e->node == node && e->instance == instance) return (long)(t->hash[s] - 1);
    }
    return -1;
}

/* The element for `node` of `src` (the doc, or an underlay's doc whose
 * elements are copied per instance), made with its ancestors when new. */
static long elem_for(tags_t *t, const doc_t *src, size_t node, size_t instance, size_t instance_root) {
    if (!src || !node || node >= src->node_count) return -1;
    bool tmpl = src != t->doc;
    if (!tmpl) instance = 0;
    if (tmpl && node == 1) return elem_for(t, t->doc, instance_root, 0, 0); /* the template's root */
    long found = elem_find(t, src, node, instance);
    if (found >= 0) return found;
    long parent = -1;
    if (node != 1) {
        parent = elem_for(t, src, src->nodes[node].parent, instance, instance_root);
        if (parent < 0) return -1;
    }
    if (((t->count + 1) * 2 > t->hash_cap && !rehash(t)) || t->count + 1 >= UINT32_MAX) {
        t->oom = true;
        return -1;
    }
    if (!mem_grow((void **)&t->elems, &t->cap, t->count + 1, sizeof *t->elems)) {
        t->oom = true;
        return -1;
    }
    elem_t *e = &t->elems[t->count];
    memset(e, 0, sizeof *e);
    e->src = src;
    e->node = node;
    e->instance = instance;
    e->parent = parent;
    e->out = -1;
    long idx = (long)t->count++;
    if (parent >= 0) add_kid(t, &t->elems[parent], (tags_kid_t){.kind = TAGS_KID_ELEM, .elem = (size_t)idx});
    size_t s = slot_of(t, src, node, instance);
    while (t->hash[s]) s = (s + 1) & (t->hash_cap - 1);
    t->hash[s] = (uint32_t)idx + 1;
    return idx;
}

int tags_content(tags_t *t, size_t page, size_t node, bool from_underlay) {
    if (page >= t->page_count) return -1;
    const doc_page_t *pg = &t->doc->pages[page];
    const doc_t *src = from_underlay ? pg->underlay_doc : t->doc;
    size_t instance = from_underlay && src != t->doc ? pg->instance : 0;
    long e;
    /* The words of a line are items of one element in a row: look it up once. */
    if (node && t->last_elem >= 0 && t->elems[t->last_elem].src == src && t->elems[t->last_elem].node == node &&
        t->elems[t->last_elem].instance == instance)
        e = t->last_elem;
    else
        e = node ? elem_for(t, src, node, instance, pg->instance_root) : -1;
    if (e < 0) {
        t->last_elem = -1;
        return -1;
    }
    if (e == t->last_elem && page == t->last_page) return t->last_mcid;
    page_marks_t *pm = &t->pages[page];
    if (!mem_grow((void **)&pm->elem, &pm->cap, pm->count + 1, sizeof *pm->elem)) {
        t->oom = true;
        return -1;
    }
    int mcid = (int)pm->count;
    pm->elem[pm->count++] = e;
    add_kid(t, &t->elems[e], (tags_kid_t){.kind = TAGS_KID_MCR, .mcid = mcid, .page = page});
    t->last_elem = e;
    t->last_page = page;
    t->last_mcid = mcid;
    return mcid;
}

void tags_break(tags_t *t) { t->last_elem = -1; }

bool tags_annot(tags_t *t, size_t page, size_t node, bool from_underlay, size_t annot) {
    if (page >= t->page_count) return false;
    const doc_page_t *pg = &t->doc->pages[page];
    const doc_t *src = from_underlay ? pg->underlay_doc : t->doc;
    size_t instance = from_underlay && src != t->doc ? pg->instance : 0;
    long e = elem_for(t, src, node, instance, pg->instance_root);
    if (e < 0) return false;
    return add_kid(t, &t->elems[e], (tags_kid_t){.kind = TAGS_KID_OBJR, .link = (uint32_t)annot, .page = page});
}

/* Reading order among an element's kids: its own content first, in drawing
 * order (as added), as an element is made before its kids (a list item's
 * text before the figures under it); then the kid elements by their node's
 * creation (elements of this doc before template copies). */
static const tags_t *sort_ctx;
static int kid_order(const void *a, const void *b) {
    const tags_kid_t *x = a, *y = b;
    if (x->kind != TAGS_KID_ELEM || y->kind != TAGS_KID_ELEM) {
        int kx = x->kind == TAGS_KID_ELEM ? 1 : 0, ky = y->kind == TAGS_KID_ELEM ? 1 : 0;
        if (kx != ky) return kx - ky;
        return 0;
    }
    const elem_t *ex = &sort_ctx->elems[x->elem], *ey = &sort_ctx->elems[y->elem];
    int tx = ex->src != sort_ctx->doc, ty = ey->src != sort_ctx->doc;
    if (tx != ty) return tx - ty;
    return ex->node < ey->node ? -1 : ex->node > ey->node;
}

static bool fill(tags_t *t, size_t i) {
    elem_t *e = &t->elems[i];
    bool f = e->src->nodes[e->node].keep;
    for (size_t k = 0; k < e->kid_count; k++) {
        if (e->kids[k].kind != TAGS_KID_ELEM) f = true;
        else if (fill(t, e->kids[k].elem)) f = true;
    }
    e->filled = f;
    return f;
}

static void number(tags_t *t, size_t i) {
    elem_t *e = &t->elems[i];
    if (!e->filled) return;
    e->out = (long)t->out_count++;
    for (size_t k = 0; k < e->kid_count; k++)
        if (e->kids[k].kind == TAGS_KID_ELEM) number(t, e->kids[k].elem);
}

const tags_elem_t *tags_finish(tags_t *t, size_t *count) {
    *count = 0;
    if (t->oom) return NULL;
    long root = elem_for(t, t->doc, 1, 0, 0);
    if (root < 0) return NULL;
    /* Elements kept though empty (a table's corner cell), where their
     * parent holds content: only then does the parent have an element. */
    for (size_t n = 2; n < t->doc->node_count; n++)
        if (t->doc->nodes[n].keep && elem_find(t, t->doc, t->doc->nodes[n].parent, 0) >= 0 &&
            elem_for(t, t->doc, n, 0, 0) < 0)
            return NULL;
    sort_ctx = t;
    for (size_t i = 0; i < t->count; i++) {
        elem_t *e = &t->elems[i];
        /* stable: merge sort is not in libc; insertion sort keeps equal
         * (content) kids in drawing order */
        for (size_t a = 1; a < e->kid_count; a++) {
            tags_kid_t k = e->kids[a];
            size_t b = a;
            while (b > 0 && kid_order(&e->kids[b - 1], &k) > 0) {
                e->kids[b] = e->kids[b - 1];
                b--;
            }
            e->kids[b] = k;
        }
    }
    fill(t, (size_t)root);
    t->out_count = 0;
    number(t, (size_t)root);
    t->out = calloc(t->out_count + 1, sizeof *t->out);
    if (!t->out) {
        t->out_count = 0; /* tags_drop frees only what there is */
        return NULL;
    }
    for (size_t i = 0; i < t->count; i++) {
        elem_t *e = &t->elems[i];
        if (e->out < 0) continue;
        tags_elem_t *o = &t->out[e->out];
        o->node = &e->src->nodes[e->node];
        o->parent = e->parent >= 0 ? t->elems[e->parent].out : -1;
        /* Its kids, in place: pruned elements out, the others renumbered. */
        uint32_t kept = 0;
        for (uint32_t k = 0; k < e->kid_count; k++) {
            tags_kid_t kid = e->kids[k];
            if (kid.kind == TAGS_KID_ELEM) {
                if (t->elems[kid.elem].out < 0) continue;
                kid.elem = (size_t)t->elems[kid.elem].out;
            }
            e->kids[kept++] = kid;
        }
        e->kid_count = kept;
        o->kids = e->kids;
        o->kid_count = kept;
    }
    /* MCIDs now name written elements. */
    for (size_t p = 0; p < t->page_count; p++)
        for (size_t m = 0; m < t->pages[p].count; m++)
            t->pages[p].elem[m] = t->elems[t->pages[p].elem[m]].out;
    *count = t->out_count;
    return t->out;
}

const long *tags_page_mcids(const tags_t *t, size_t page, size_t *count) {
    *count = page < t->page_count ? t->pages[page].count : 0;
    return page < t->page_count ? t->pages[page].elem : NULL;
}
