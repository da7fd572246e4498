/* compose: the composition layer between the document kinds and the engine.
 * Owns what every kind does above the paragraph: the document's metadata;
 * text set and tagged in one call; bullet lists; a profile's parts (the
 * group's shared task, the sections, the pitfalls) in the chosen order;
 * stacks of blocks drawn in a box; rules, rectangles and accents;
 * copy-fitting (sizes tried in scratch documents, the result committed
 * once); and n-up imposition on sheets for any kind. A kind talks to this,
 * to page (flowing blocks through frames) and to its options; it never
 * sees YAML, HarfBuzz, FreeType or libharu, and never changes engine
 * state: the scale, the arena and the diagnostics sink of a setting are
 * the compose_t's, passed explicitly. */
#ifndef GRUNDLAG_COMPOSE_H
#define GRUNDLAG_COMPOSE_H

#include <stdbool.h>
#include <stddef.h>

#include "doc.h"
#include "model.h"
#include "options.h"
#include "page.h"
#include "spec.h"
#include "typeset.h"

typedef struct compose {
    typeset_t *t;         /* the layout's fonts, styles and hyphenation (the run's) */
    const spec_t *spec;
    const model_t *model;
    doc_t *doc;           /* where pages and structure go */
    typeset_to_t to;      /* the doc's arena, the scale, the sink */
    /* In a copy-fitting trial: a trial may stop once what it needs passes
     * this many times its room, saying only that (need then is at least
     * that much), and sets stopped_short. 0: it measures all. */
    double enough_beyond;
    bool stopped_short;
} compose_t;

/* Composing into `doc` at the layout's sizes, reporting to `d`. */
compose_t compose_begin(typeset_t *t, doc_t *doc, diag_t *d);
/* The same document and sink at `scale` (1: the layout's sizes). */
compose_t compose_at(const compose_t *c, double scale);

/* Title and subject as given (NULL: none); author, language and creator
 * from the data. */
void compose_meta(compose_t *c, const char *title, const char *subject);

/* The page's frame geometry, from the layout. */
page_frame_spec_t compose_frame(const compose_t *c);

/* ---- text ------------------------------------------------------------------ */

/* Sets a text of the data in `style` at `width` and appends it to `b` as
 * element `tag` of `parent` (parent 0: page furniture, no element). NULL
 * after reporting (errors name the text's place in the data). */
page_block_t *compose_text(compose_t *c, page_blocks_t *b, const char *style, const model_text_t *text, double width,
                           size_t parent, doc_tag_t tag);
/* The same for the layout's own words (labels): errors name the layout. */
page_block_t *compose_words(compose_t *c, page_blocks_t *b, const char *style, const char *words, double width,
                            size_t parent, doc_tag_t tag);
/* A list (element L under `parent`) of the items of `list`, each an LI with
 * the layout's `bullet` label as Lbl and its text as LBody. */
bool compose_bullets(compose_t *c, page_blocks_t *b, const char *style, const model_list_t *list, double width,
                     size_t parent);
/* One line of the layout's words, unbroken (folios, running heads, scale
 * numbers); NULL after reporting. */
para_line_t *compose_line(compose_t *c, const char *style, const char *words, para_t *out);
/* A text of the data or the layout as the page reads it, punctuated as the
 * layout says, without markup: for words that are not set (a form field's
 * tooltip). In the doc's arena; NULL when memory ran out. */
const char *compose_plain(compose_t *c, const char *text, diag_loc_t loc);
/* A new structure element; 0 (an artifact) when memory ran out. */
size_t compose_node(compose_t *c, size_t parent, doc_tag_t tag);

/* ---- a profile's parts -------------------------------------------------------- */

/* A part of a profile: its group's shared task ("group"), a section (a
 * dimension's key) or its pitfalls ("pitfalls"). */
typedef struct compose_part {
    const char *key;
    const model_text_t *kicker;  /* the group's name, for the shared task; else NULL */
    const model_text_t *heading;
    const model_list_t *bullets;
} compose_part_t;

typedef struct compose_parts {
    compose_part_t *v;
    size_t count;
} compose_parts_t;

/* The part of p that `key` names; false when p has none. */
bool compose_part(const model_profile_t *p, const char *key, compose_part_t *out);
/* The parts of p that `keys` names, in that order (when given), else all:
 * the shared task (unless `without_group`), the sections, the pitfalls.
 * "core" names p's core sections (model_section_is_core). Parts p lacks
 * are left out. False when memory runs out. */
bool compose_parts(const model_t *m, const model_profile_t *p, const opt_texts_t *keys, bool without_group,
                   compose_parts_t *out);
void compose_parts_free(compose_parts_t *parts);

/* ---- stacks, rules, colours ------------------------------------------------------ */

/* The height of blocks stacked top to bottom: their lines and the spaces
 * between them (not before the first or after the last). */
double compose_stack_height(const page_blocks_t *b);
/* Draws the blocks so stacked, the first line's top at `top`, from x. */
bool compose_stack_draw(compose_t *c, doc_page_t *pg, const page_blocks_t *b, double x, double top);

/* Draws a line of page furniture of `kind` (a running head, a folio) with
 * its baseline origin at (x, y). */
bool compose_furniture(const compose_t *c, doc_page_t *pg, const para_line_t *line, colour_t colour, double x, double y,
                       doc_artifact_t kind);
/* Says what kind of furniture the artifacts among page pg's items from
 * index `from` on are. */
void compose_artifacts(doc_page_t *pg, size_t from, doc_artifact_t kind);
bool compose_rect(compose_t *c, doc_page_t *pg, double x, double y, double w, double h, colour_t colour);
/* A horizontal rule from x0 to x1 at y (page furniture). */
bool compose_rule(compose_t *c, doc_page_t *pg, double x0, double x1, double y, double width, colour_t colour);
/* The layout's colour `name`, or `fallback`. */
colour_t compose_colour(const compose_t *c, const char *name, colour_t fallback);
/* The accent of p: `accents` cycled in the data's profile order, else the
 * layout's colour `accent`, else black. */
colour_t compose_accent(const compose_t *c, const opt_colours_t *accents, const model_profile_t *p);

/* ---- copy-fitting ------------------------------------------------------------------- */

/* One trial: compose at c->to.scale into c->doc (a scratch document, quiet);
 * set *need (the height the content takes) and *room (the height it has),
 * or, when c->enough_beyond is set and the need passes that many rooms, a
 * need at least that large (the trial may stop there, setting
 * c->stopped_short); false on an error that is not about size (it was
 * reported, quietly). */
typedef bool (*compose_trial_fn)(compose_t *c, void *user, double *need, double *room);

typedef struct compose_fit {
    double scale; /* the chosen scale; 0 when even the minimum does not fit */
    double need, room; /* at the minimum, for the message when it does not fit */
} compose_fit_t;

/* The largest size of `style` between sizes.min and sizes.max (in steps of
 * 0.1 pt from the minimum, and the maximum itself) at which `trial` fits,
 * as a scale of the style's size. Every trial is made in a scratch document
 * that is dropped at once; nothing is kept, so the caller composes once at
 * the answer. False after reporting when a trial met an error (set again
 * at the minimum, aloud). Assumes that what fits at a size fits at every
 * smaller one. */
bool compose_fit(const compose_t *c, const char *style, opt_sizes_t sizes, compose_trial_fn trial, void *user,
                 compose_fit_t *out);

/* ---- n-up sheets ---------------------------------------------------------------------- */

/* A layout's `sheet:`: its pages placed `across` × `down` on larger
 * sheets, with gaps and crop marks. */
typedef enum compose_sheet_order {
    COMPOSE_ORDER_ROWS,    /* row by row */
    COMPOSE_ORDER_COLUMNS, /* column by column */
    COMPOSE_ORDER_SADDLE,  /* a saddle-stitched booklet's printer's spreads */
} compose_sheet_order_t;

typedef struct compose_sheet {
    opt_paper_t size;
    int orientation; /* 0 portrait, 1 landscape */
    int across, down;
    double gap;
    bool crop_marks;
    int order;  /* a compose_sheet_order_t */
    int duplex; /* 0 none, 1 long edge, 2 short edge: pages are front and back pairs */
} compose_sheet_t;

extern const opt_schema_t compose_sheet_schema;

/* Reads and checks the layout's `sheet:` (its pages must fit on the sheet);
 * *given is false without one. */
bool compose_sheet_read(const spec_t *s, const opt_env_t *env, compose_sheet_t *out, bool *given);
/* Imposes the document's pages on sheets (bookmarks follow their pages;
 * for duplex, a card's bookmark follows its front). */
bool compose_impose(compose_t *c, const compose_sheet_t *sheet);

#endif
