/* options: declarative options. A document kind (or the layout's `sheet:`)
 * declares its keys — name, type, default, range, a one-line description —
 * and opt_read turns its block of a layout into the kind's own typed
 * struct. Every message about such a block (unknown key with did-you-mean,
 * wrong type, out of range, a name the data or the layout lacks) comes from
 * here, so it is written and tested once for all kinds. opt_reference
 * writes a schema as the Markdown table of layouts/README.md. Knows nothing
 * of any particular kind. */
#ifndef GRUNDLAG_OPTIONS_H
#define GRUNDLAG_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "arena.h"
#include "diag.h"
#include "model.h"
#include "spec.h"
#include "ydoc.h"

typedef enum opt_type {
    OPT_BOOL,     /* bool */
    OPT_INT,      /* int, from min to max */
    OPT_LENGTH,   /* double: points, written "12pt", "3mm", "1.5cm", "0.5in"; from min to max */
    OPT_TEXT,     /* const char *: non-empty text */
    OPT_CHOICE,   /* int: the index of one of `choices`; -1 when absent without a default */
    OPT_COLOUR,   /* const spec_colour_t *: a colour named under `colours:` */
    OPT_COLOURS,  /* opt_colours_t: a list of such names */
    OPT_TEXTS,    /* opt_texts_t: a list of texts */
    OPT_PARTS,    /* opt_texts_t: "group", "pitfalls" or dimension keys of the data */
    OPT_PROFILES, /* opt_profiles_t: profile ids of the data */
    OPT_SIZES,    /* opt_sizes_t: {min: LENGTH, max: LENGTH}, 0 < min <= max */
    OPT_PAPER,    /* opt_paper_t: a named paper size (A0–A6, B4, B5, letter, legal) */
    OPT_MAP,      /* a block of its own: `schema` into the struct at `offset` */
    OPT_MAPS,     /* opt_maps_t: a list of blocks, each `schema` into an element */
} opt_type_t;

typedef struct opt_texts {
    const char **v;
    size_t count;
    bool given; /* the key was in the layout (an empty list is a choice too) */
} opt_texts_t;

typedef struct opt_colours {
    const spec_colour_t **v;
    size_t count;
} opt_colours_t;

typedef struct opt_profiles {
    const model_profile_t **v;
    size_t count;
} opt_profiles_t;

typedef struct opt_sizes {
    double min, max; /* points; both 0 when absent */
} opt_sizes_t;

typedef struct opt_paper {
    double width, height; /* points, portrait */
    const char *name;
} opt_paper_t;

typedef struct opt_maps {
    void *v;           /* count elements of the nested schema's size */
    diag_loc_t *where; /* where each element is in the layout */
    size_t count;
} opt_maps_t;

struct opt_schema;

typedef struct opt_key {
    const char *name;
    opt_type_t type;
    size_t offset;                   /* into the struct being filled */
    const char *dflt;                /* the default, written as in a layout; NULL: none */
    double min, max;                 /* OPT_INT, OPT_LENGTH (points); both 0: no range */
    const char *const *choices;      /* OPT_CHOICE: NULL-terminated */
    const struct opt_schema *schema; /* OPT_MAP, OPT_MAPS */
    bool required;
    const char *doc;                 /* one line for layouts/README.md */
} opt_key_t;

typedef struct opt_schema {
    const char *name; /* how messages and the reference name the block */
    size_t size;      /* of the struct it fills (OPT_MAPS elements) */
    const opt_key_t *keys;
    size_t count;
} opt_schema_t;

#define OPT_SCHEMA(name, type, keys) {name, sizeof(type), keys, sizeof keys / sizeof keys[0]}

/* A key named like its member `f` of struct T, by type. */
#define OPT_FLAG(T, f, dflt, doc) {#f, OPT_BOOL, offsetof(T, f), dflt, 0, 0, NULL, NULL, false, doc}
#define OPT_WHOLE(T, f, dflt, lo, hi, doc) {#f, OPT_INT, offsetof(T, f), dflt, lo, hi, NULL, NULL, false, doc}
/* A length of at least `lo` points (no upper bound but a page's). */
#define OPT_LEN(T, f, dflt, lo, doc) {#f, OPT_LENGTH, offsetof(T, f), dflt, lo, 0, NULL, NULL, false, doc}
#define OPT_WORDS(T, f, doc) {#f, OPT_TEXT, offsetof(T, f), NULL, 0, 0, NULL, NULL, false, doc}
#define OPT_NEEDED(T, f, doc) {#f, OPT_TEXT, offsetof(T, f), NULL, 0, 0, NULL, NULL, true, doc}
#define OPT_ONE_OF(T, f, choices, dflt, doc) {#f, OPT_CHOICE, offsetof(T, f), dflt, 0, 0, choices, NULL, false, doc}
/* A key without a default of any type that needs no more (colours, lists, sizes). */
#define OPT_PLAIN(T, f, type, doc) {#f, type, offsetof(T, f), NULL, 0, 0, NULL, NULL, false, doc}
#define OPT_BLOCK(T, f, type, schema, doc) {#f, type, offsetof(T, f), NULL, 0, 0, NULL, schema, false, doc}

/* Where names are resolved: colours in the layout, parts and profiles in
 * the data (model may be NULL: then they are not checked, only read). */
typedef struct opt_env {
    const spec_t *spec;
    const model_t *model;
    arena_t *arena; /* lists and copies live here */
    diag_t *d;
} opt_env_t;

/* Fills `out` (a struct of schema->size bytes) from `block` (a map, or NULL
 * when the layout has none: every key takes its default). Reports every
 * problem and returns false if there was any. */
bool opt_read(const opt_schema_t *schema, const ydoc_t *doc, const ynode_t *block, const opt_env_t *env, void *out);

/* The schema as a Markdown table (key, type, default, description), nested
 * blocks after it. */
void opt_reference(const opt_schema_t *schema, FILE *f);

#endif
