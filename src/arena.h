/* arena: a bump allocator for objects that live and die together (a loaded
 * data file, a layout spec). One free releases everything. */
#ifndef GRUNDLAG_ARENA_H
#define GRUNDLAG_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct arena arena_t;

arena_t *arena_new(void);
void arena_drop(arena_t *a);
/* Zeroed memory, aligned for any type; NULL only when out of memory. */
void *arena_alloc(arena_t *a, size_t size);
/* Memory as it is, aligned to `align` (a power of two, at most that of any
 * type): for a library that initialises what it allocates (libharu). */
void *arena_alloc_raw(arena_t *a, size_t size, size_t align);
char *arena_strndup(arena_t *a, const char *s, size_t n);
char *arena_strdup(arena_t *a, const char *s);
/* Grows a malloc'd array *v of *cap elements of `size` bytes to hold at
 * least `need` (doubling); false when memory runs out (*v unchanged). */
bool mem_grow(void **v, size_t *cap, size_t need, size_t size);

/* Bytes handed out so far (for resource limits and the benchmark). */
size_t arena_used(const arena_t *a);

#endif
