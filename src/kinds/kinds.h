/* kinds: the document kinds and their registry. A kind is one file in this
 * folder that defines one kind_def_t: its name, the schema of its block in a
 * layout (options.h), the styles and labels it needs, and how it builds a
 * document on the composition layer (compose.h). The registry (kinds.c) is
 * the one list of kinds; nothing else in grundlag names one.
 *
 * Adding a kind:
 *   1. src/kinds/<name>.c: an options struct (starting with kind_common_t),
 *      its opt_key_t table, and `const kind_def_t <name>_kind = {...}` with
 *      a build function that composes pages into c->doc. See card.c for a
 *      short one.
 *   2. One line `KIND(<name>)` in KIND_LIST in src/kinds/kinds.c.
 *   3. layouts/<name>.yaml, and its options table in layouts/README.md
 *      (`UPDATE_REFERENCE=1 build/tests/test_options` writes it).
 * The Makefile builds every .c file here; samples, the golden trace and
 * the reference images pick up the new layout by themselves. */
#ifndef GRUNDLAG_KINDS_H
#define GRUNDLAG_KINDS_H

#include <stdbool.h>
#include <stddef.h>

#include "compose.h"
#include "diag.h"
#include "model.h"
#include "options.h"
#include "print.h"
#include "roster.h"
#include "spec.h"
#include "typeset.h"

/* What the command line asks of one document. */
typedef struct kind_job {
    const model_t *model;
    const spec_t *spec;
    const model_profile_t **profiles; /* the selection, in order */
    size_t profile_count;
    const model_dimension_t **dimensions;
    size_t dimension_count;
    bool profiles_from_cli;
    /* --dimensions: only these rows; "group" and "pitfalls" select the
     * shared-task and pitfalls rows of a comparison. */
    bool dimensions_from_cli, row_group, row_pitfalls;
    /* Personalised documents: the roster and the rows to set, in order. */
    const roster_t *roster;
    const roster_row_t **roster_rows;
    size_t roster_count;
    /* Called after each participant's document (progress on a terminal); may be NULL. */
    void (*progress)(size_t done, size_t total, void *ctx);
    void *progress_ctx;
} kind_job_t;

/* The options every kind has: the first member of each kind's options. */
typedef struct kind_common {
    opt_profiles_t profiles; /* the layout's choice of profiles; empty: all */
} kind_common_t;

#define KIND_PROFILES_KEY(type)                                                                              \
    {"profiles", OPT_PROFILES, offsetof(type, common.profiles), NULL, 0, 0, NULL, NULL, false,                 \
     "the profiles, in this order (default: all, in the data's order); `--profiles` chooses instead"}

/* What a kind can do with the command line's selections. */
enum {
    KIND_ROWS = 1,   /* --dimensions chooses rows (and "group", "pitfalls") */
    KIND_ROSTER = 2, /* --roster personalises it, one document per participant */
};

typedef struct kind_def {
    const char *name;
    const char *summary;          /* one line for the docs */
    const opt_schema_t *options;  /* its block of a layout, named after it */
    const char *const *styles;    /* styles it always needs (NULL-terminated) */
    const char *const *labels;    /* labels it always prints (NULL-terminated) */
    unsigned flags;
    /* Checks beyond the schema (styles that depend on options, keys that
     * must agree); may be NULL. */
    bool (*check)(const spec_t *s, const void *opts, diag_t *d);
    /* Composes the document into c->doc. */
    bool (*build)(compose_t *c, const kind_job_t *job, const void *opts);
} kind_def_t;

/* The registry's names, NULL-terminated, in order. */
const char *const *kind_names(void);
/* The kind named `name`, or NULL. */
const kind_def_t *kind_find(const char *name);
/* Every kind, NULL-terminated. */
const kind_def_t *const *kind_all(void);

/* A layout with its kind's options read and checked. */
typedef struct kind_layout {
    const kind_def_t *def;
    const spec_t *spec;
    void *opts;               /* the kind's options struct */
    compose_sheet_t sheet;    /* the layout's `sheet:` */
    bool has_sheet;
    doc_print_t print;        /* the layout's `print:`: a PDF/X-4 print file */
    bool has_print;
    arena_t *arena;
} kind_layout_t;

/* Reads and checks the kind's block, the styles and labels it needs, the
 * `sheet:` and the `print:`. NULL after reporting every problem. */
kind_layout_t *kind_layout_new(const spec_t *s, const model_t *m, diag_t *d);
void kind_layout_drop(kind_layout_t *k);
/* The layout's choice of profiles (count 0: none made). */
const opt_profiles_t *kind_layout_profiles(const kind_layout_t *k);

/* Composes the document the job asks for (imposed on sheets when the
 * layout says so; a print file when it has `print:`, borrowing k's output
 * intent). NULL after reporting. */
doc_t *kind_render(const kind_layout_t *k, typeset_t *t, const kind_job_t *job, diag_t *d);

#endif
