/* device/tags: the structure tree to write for a tagged PDF, worked out from
 * the doc's element tree and what was actually drawn. Owns the marked-content
 * ids (MCIDs) per page, the copies of shared elements for pages that draw a
 * shared underlay (each participant's worksheet gets its own elements), the
 * order of kids (reading order) and the pruning of elements that ended up
 * empty (trial settings during copy-fitting leave such elements behind).
 * Knows nothing of libharu. */
#ifndef GRUNDLAG_OUT_TAGS_H
#define GRUNDLAG_OUT_TAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "doc.h"

typedef struct tags tags_t;

typedef enum tags_kid_kind { TAGS_KID_ELEM, TAGS_KID_MCR, TAGS_KID_OBJR } tags_kid_kind_t;

/* Sixteen bytes: a personalised batch has millions. */
typedef struct tags_kid {
    tags_kid_kind_t kind;
    union {
        int mcid;      /* MCR */
        uint32_t link; /* OBJR: the annotation's number (links and widgets, in the order written) */
    };
    union {
        size_t elem;   /* TAGS_KID_ELEM: an index into the written elements */
        size_t page;   /* MCR, OBJR */
    };
} tags_kid_t;

typedef struct tags_elem {
    const doc_node_t *node; /* its type, /Alt and scope */
    long parent;  /* index into the written elements; -1 for the root */
    tags_kid_t *kids;
    size_t kid_count;
} tags_elem_t;

tags_t *tags_new(const doc_t *doc);
void tags_drop(tags_t *t);

/* While drawing page `page`: the MCID under which content of `node` (drawn
 * from an underlay when `from_underlay`) goes, or -1 for an artifact. Equal
 * consecutive calls return the same MCID, so content of one element that is
 * drawn in a row shares one marked-content sequence. */
int tags_content(tags_t *t, size_t page, size_t node, bool from_underlay);
/* The open marked-content sequence was closed where the same element's
 * content may go on (the page's content continues in another stream): the
 * next content gets a new MCID. */
void tags_break(tags_t *t);
/* Annotation number `annot` (a link or a form field's widget) of page
 * `page` belongs to `node` (of the page's underlay, copied for the page's
 * instance, when `from_underlay`, as tags_content resolves it). */
bool tags_annot(tags_t *t, size_t page, size_t node, bool from_underlay, size_t annot);

/* After drawing: the elements to write, root first; parents come before
 * their kids. Empty elements are left out. NULL when memory ran out. */
const tags_elem_t *tags_finish(tags_t *t, size_t *count);
/* For the ParentTree: the element (index into tags_finish's array) of
 * each MCID of a page; -1 where none. */
const long *tags_page_mcids(const tags_t *t, size_t page, size_t *count);

#endif
