/* page: the page builder. Flows blocks (set paragraphs, spaces, page
 * breaks) through frames — pages × columns — with widow and orphan control,
 * keep-with-next, explicit page breaks and right-hand starts, and writes
 * the placed lines into a doc. Also answers how much room a block needs, for
 * copy-fitting. Knows nothing of profiles or YAML. */
#ifndef GRUNDLAG_PAGE_H
#define GRUNDLAG_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "doc.h"
#include "para.h"

typedef enum page_block_kind {
    PAGE_BLOCK_PARA,
    PAGE_BLOCK_SPACE,      /* vertical space (dropped at the top of a frame) */
    PAGE_BLOCK_PAGE_BREAK,
    PAGE_BLOCK_RULE,       /* a thin rule across the block's width */
    PAGE_BLOCK_BOX,        /* a drawing of fixed height (rating scales, writing lines) */
} page_block_kind_t;

struct page_block;
/* Draws a box block with its top-left corner at (x, top), `width` wide. */
typedef bool (*page_draw_fn)(const struct page_block *b, doc_t *doc, doc_page_t *pg, double x, double top,
                             double width);

typedef struct page_block {
    page_block_kind_t kind;
    para_t para;
    double indent;            /* left offset within the frame */
    double space_before, space_after;
    bool keep_with_next;
    bool unbreakable;         /* never split across frames (headings) */
    bool right_hand;          /* with page_break_before: start on an odd page */
    bool page_break_before;
    int widows, orphans;      /* minimum lines at the top / bottom of a frame; default 2 */
    /* A label hanging in the indent of the first line (a bullet). */
    para_line_t *label;
    double label_x;
    size_t node, label_node;  /* structure elements of the text and of the label; 0 = artifact */
    const char *outline;      /* bookmark title when placed, or NULL */
    int outline_level;
    colour_t rule_colour;
    double rule_width;
    /* PAGE_BLOCK_BOX: its height, how to draw it (NULL: reserved room),
     * and what to draw. */
    double box_height;
    page_draw_fn draw;
    const void *box_data;
    /* Filled in by page_flow: where the block's first line landed. */
    size_t placed_page;
    double placed_y;
} page_block_t;

typedef struct page_frame_spec {
    double width, height, bleed;
    bool crop_marks;
    double top, bottom, inner, outer;
    bool facing;
    int columns;
    double gutter;
    size_t first_page_number; /* 1 = the first page made is a right-hand page */
} page_frame_spec_t;

typedef struct page_blocks {
    page_block_t *v;
    size_t count, cap;
} page_blocks_t;

page_block_t *page_blocks_add(page_blocks_t *b);
void page_blocks_free(page_blocks_t *b);

double page_column_width(const page_frame_spec_t *f);
/* Height the block takes when not split (space before included). */
double page_block_height(const page_block_t *b);

/* Flows blocks onto new pages appended to doc. Returns false (reported)
 * when a block cannot be placed even in an empty frame. */
bool page_flow(const page_frame_spec_t *f, page_blocks_t *blocks, doc_t *doc, diag_t *d, diag_loc_t where);

/* How blocks fare in a frame without keeping the result: the pages they
 * need, and the height of what lands after the first page (0 when all
 * fits on one). Leaves placed_page/placed_y set as page_flow would. */
typedef struct page_fit {
    size_t pages;
    double overflow;
} page_fit_t;
bool page_measure(const page_frame_spec_t *f, page_blocks_t *blocks, page_fit_t *out);

/* Balances columns: the smallest frame height (from the frame's top) at
 * which the blocks still fit on `pages` pages, or the full frame height
 * when they do not fit at all. */
double page_balance(const page_frame_spec_t *f, page_blocks_t *blocks, size_t pages);

/* Fills a frame that has room to spare: opens every space between the
 * blocks (space_before, space_after) by one factor, at most `most`, as far
 * as the blocks still fit on `pages` pages; returns the factor (1: no room,
 * or they did not fit). The blocks keep their opened spaces. */
double page_open_spaces(const page_frame_spec_t *f, page_blocks_t *blocks, size_t pages, double most);

/* Draws one set line with its left edge at x and baseline at y, as content
 * of structure element `node` (0: an artifact). */
bool page_draw_line(doc_t *doc, doc_page_t *pg, const para_line_t *line, colour_t colour, double x, double y,
                    size_t node);

/* The baseline of a line in a cell of `leading` starting at `top` (y up). */
double page_baseline(const para_t *p, double top);

#endif
