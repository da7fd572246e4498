/* kinds: the document kinds (handbook, card, poster, worksheet). Each turns
 * the model and the layout spec into blocks and pages through typeset and
 * page; none includes HarfBuzz, FreeType or libharu. Each validates its own
 * block of the layout (`handbook:`, `card:`, ...). */
#ifndef GRUNDLAG_KINDS_H
#define GRUNDLAG_KINDS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "model.h"
#include "roster.h"
#include "spec.h"
#include "typeset.h"

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
    /* Personalised worksheets: the roster and the rows to set, in order. */
    const roster_t *roster;
    const roster_row_t **roster_rows;
    size_t roster_count;
    /* Called after each worksheet (progress on a terminal); may be NULL. */
    void (*progress)(size_t done, size_t total, void *ctx);
    void *progress_ctx;
} kind_job_t;

/* Validates the kind's own layout block and the styles and labels it needs. */
bool kind_check(const spec_t *s, const model_t *m, diag_t *d);
/* Typesets the document into t->doc. */
bool kind_build(typeset_t *t, const kind_job_t *job);

/* The layout's `profiles:` list in the kind block, if any (NULL-terminated
 * ids), for kinds that let the layout choose. */
bool kind_layout_profiles(const spec_t *s, const model_t *m, const model_profile_t ***out, size_t *count,
                          diag_t *d);

/* Per-profile accent colours: the kind block's `accents` (colour names,
 * given per profile in data order and cycled). A kind's options keep them. */
typedef struct kind_accents {
    const spec_colour_t **colours;
    size_t count;
} kind_accents_t;
bool kind_read_accents(const spec_t *s, const char *kind, kind_accents_t *out, diag_t *d);
void kind_accents_free(kind_accents_t *a);
/* The accent of p: the list cycled in data order, else the colour `accent`,
 * else black. */
colour_t kind_accent(const typeset_t *t, const kind_accents_t *a, const model_profile_t *p);
/* The block's `fit: {min, max}` (sizes of the bullet text for copy-fitting);
 * leaves min and max as they are when absent. */
bool kind_read_fit(const spec_t *s, const char *kind, double *min, double *max, diag_t *d);

/* Structure (tagging): makes `b` the content of a new element `tag` under
 * `parent` and returns it (0 if memory ran out: the text stays, untagged). */
size_t kind_tag(typeset_t *t, page_block_t *b, size_t parent, doc_tag_t tag);
/* Makes a bullet block a list item of `list`: LI with Lbl and LBody. */
void kind_tag_item(typeset_t *t, page_block_t *b, size_t list);

bool handbook_check(const spec_t *s, diag_t *d);
bool handbook_build(typeset_t *t, const kind_job_t *job);
bool card_check(const spec_t *s, const model_t *m, diag_t *d);
bool card_build(typeset_t *t, const kind_job_t *job);
bool poster_check(const spec_t *s, diag_t *d);
bool poster_build(typeset_t *t, const kind_job_t *job);
bool worksheet_check(const spec_t *s, const model_t *m, diag_t *d);
bool worksheet_build(typeset_t *t, const kind_job_t *job);

#endif
