/* arena: chunked bump allocation. Chunks grow geometrically so a large data
 * file does not mean thousands of mallocs. */
#include "arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
} chunk_t;

struct arena {
    chunk_t *head;
    size_t total;
};

arena_t *arena_new(void) { return calloc(1, sizeof(arena_t)); }

void arena_drop(arena_t *a) {
    if (!a) return;
    for (chunk_t *c = a->head, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    free(a);
}

void *arena_alloc_raw(arena_t *a, size_t size, size_t align) {
    if (size == 0) size = 1;
    chunk_t *c = a->head;
    size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
    if (!c || at > c->size || c->size - at < size) {
        size_t want = c ? c->size * 2 : 4096;
        if (want > (1u << 20)) want = 1u << 20;
        if (want < size) want = size;
        chunk_t *n = malloc(sizeof(chunk_t) + want);
        if (!n) return NULL;
        n->size = want;
        n->used = 0;
        n->next = c;
        a->head = c = n;
        at = 0;
    }
    void *p = c->data + at;
    a->total += at + size - c->used;
    c->used = at + size;
    return p;
}

void *arena_alloc(arena_t *a, size_t size) {
    const size_t align = alignof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    if (size == 0) size = align;
    void *p = arena_alloc_raw(a, size, align);
    if (p) memset(p, 0, size);
    return p;
}

char *arena_strndup(arena_t *a, const char *s, size_t n) {
    char *p = arena_alloc(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena_t *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

size_t arena_used(const arena_t *a) { return a->total; }

bool mem_grow(void **v, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return true;
    size_t nc = *cap ? *cap * 2 : 8;
    while (nc < need) nc *= 2;
    void *nv = realloc(*v, nc * size);
    if (!nv) return false;
    *v = nv;
    *cap = nc;
    return true;
}
