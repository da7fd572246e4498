/* ydoc: a YAML file as a small tree of scalars, sequences and maps, each node
 * with its line and column, plus the checks every loader needs (types,
 * required and unknown keys with did-you-mean, numbers that ignore the C
 * locale). Owns the defences against hostile input: invalid UTF-8 is
 * reported with its position, alias expansion and nesting depth are bounded,
 * and the file size is capped. Knows nothing of what the YAML means. */
#ifndef GRUNDLAG_YDOC_H
#define GRUNDLAG_YDOC_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"

typedef enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP } ynode_kind_t;

typedef struct ynode {
    ynode_kind_t kind;
    int line, col;        /* 1-based */
    const char *value;    /* scalar: NUL-terminated UTF-8 */
    size_t len;
    bool plain;           /* scalar was unquoted (so "null", "~", "" mean null) */
    struct ynode **items; /* seq: count items; map: 2*count, key then value */
    size_t count;
} ynode_t;

typedef struct ydoc {
    const char *path;
    ynode_t *root; /* NULL for an empty file */
    arena_t *arena;
} ydoc_t;

/* Limits that keep a hostile file from eating memory or time. */
#define YDOC_MAX_FILE_BYTES (64u << 20)
#define YDOC_MAX_NODES 1000000u /* values, lists and maps written in the file */
/* What aliases may add to the document, counting for each alias the nodes
 * and the text of the subtree it repeats. The loaders do work for every node
 * they walk, some of it in proportion to the file (a did-you-mean over every
 * dimension, duplicate checks over every key of a map), so the bound on nodes
 * is a multiple of a real data file (about 800 nodes), not merely what fits in
 * memory; the text may not grow past what a file may hold. */
#define YDOC_MAX_ALIAS_NODES 10000u
#define YDOC_MAX_ALIAS_BYTES YDOC_MAX_FILE_BYTES
#define YDOC_MAX_DEPTH 64

/* Parses `path`. On any error reports all it found and returns NULL. */
ydoc_t *ydoc_load(const char *path, diag_t *d);
/* Parses a buffer (for fuzzing and tests); `path` names it in messages. */
ydoc_t *ydoc_parse(const char *path, const char *bytes, size_t len, diag_t *d);
void ydoc_drop(ydoc_t *doc);

diag_loc_t ydoc_loc(const ydoc_t *doc, const ynode_t *n);
bool ynode_is_null(const ynode_t *n);
const char *ynode_kind_name(const ynode_t *n);

/* Map access: the value for `key`, or NULL. */
ynode_t *ymap_get(const ynode_t *map, const char *key);

/* Checks a map's keys: duplicates and keys not in `known` (NULL-terminated)
 * are errors; an unknown key gets a did-you-mean suggestion. Missing keys
 * from `required` (NULL-terminated, may be NULL) are errors at the map.
 * `what` names the map in messages ("profile", "style 'body'"). */
bool ymap_check(const ydoc_t *doc, const ynode_t *map, const char *what,
                const char *const *known, const char *const *required, diag_t *d);
/* The same; `hint` (may be NULL) ends the message of an unknown key that
 * looks like no known one ("; a setting of the card goes under 'card:'"). */
bool ymap_check_hint(const ydoc_t *doc, const ynode_t *map, const char *what, const char *const *known,
                     const char *const *required, const char *hint, diag_t *d);

/* Type checks that report "expected a map for 'x', found a sequence". */
bool yexpect(const ydoc_t *doc, const ynode_t *n, ynode_kind_t kind, const char *what, diag_t *d);

/* A non-empty text value: errors on null, empty or non-scalar. */
const char *ytext(const ydoc_t *doc, const ynode_t *n, const char *what, diag_t *d);
/* true/false (also yes/no, on/off). */
bool ybool(const ydoc_t *doc, const ynode_t *n, const char *what, bool *out, diag_t *d);
/* A plain decimal number, parsed without the C locale ("1.5", "-2", "3e2"). */
bool ynumber_parse(const char *s, double *out);
bool ynumber(const ydoc_t *doc, const ynode_t *n, const char *what, double *out, diag_t *d);

/* The best match for `word` among `candidates` (NULL-terminated), or NULL
 * when nothing is close enough to be a likely typo. */
const char *ysuggest(const char *word, const char *const *candidates);

/* Validates UTF-8; on failure sets line and col (1-based, col in characters)
 * of the first bad byte. */
bool yutf8_valid(const char *s, size_t len, int *line, int *col);

#endif
