/* doc: a typeset document as a display list: pages with positioned glyph
 * runs, rules and rectangles, plus what surrounds the pages (metadata,
 * outline, page labels, links). Built by the page builder and the document
 * kinds; drawn by an output backend (out/pdf: the PDF; out/trace: a text
 * trace for golden tests). Owns nothing but its memory: fonts are borrowed
 * and must outlive it. Coordinates are PDF points, y up, origin at the
 * bottom-left of the trimmed page. */
#ifndef GRUNDLAG_DOC_H
#define GRUNDLAG_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "colour.h"
#include "font.h"

typedef enum doc_item_kind {
    DOC_GLYPHS,
    DOC_RECT, /* filled rectangle */
    DOC_RULE, /* stroked line */
    DOC_FRAME, /* stroked rectangle (x, y, w, h) */
    DOC_LINK, /* clickable area → page */
    DOC_FIELD, /* a form field's widget over (x, y, w, h): doc_item_t.field */
} doc_item_kind_t;

/* The logical structure (tagged PDF): a tree of elements in reading order.
 * Node ids start at 1 (the Document); 0 on an item means page furniture,
 * an artifact. Nodes that end up holding no content are left out. */
typedef enum doc_tag {
    DOC_TAG_DOCUMENT, DOC_TAG_SECT, DOC_TAG_DIV, DOC_TAG_H1, DOC_TAG_H2, DOC_TAG_H3, DOC_TAG_P,
    DOC_TAG_L, DOC_TAG_LI, DOC_TAG_LBL, DOC_TAG_LBODY, DOC_TAG_TOC, DOC_TAG_TOCI, DOC_TAG_LINK,
    DOC_TAG_TABLE, DOC_TAG_TR, DOC_TAG_TH, DOC_TAG_TD, DOC_TAG_FIGURE, DOC_TAG_FORM, DOC_TAG_REFERENCE,
    DOC_TAG_COUNT
} doc_tag_t;

const char *doc_tag_name(doc_tag_t t); /* the PDF standard structure type */

typedef struct doc_node {
    doc_tag_t tag;
    size_t parent;     /* 0 for the Document */
    const char *alt;   /* /Alt: what a drawing means (scales, writing lines) */
    const char *scope; /* TH: "Column" or "Row" */
    /* Written even when nothing is drawn in it, as long as its parent is:
     * a table's empty corner cell, without which the header row would be a
     * cell short and every column header would name the wrong column. */
    bool keep;
} doc_node_t;

/* What kind of page furniture an artifact is (ISO 32000-1, 14.8.2.2):
 * running heads and folios are pagination artifacts, so that assistive
 * technology can tell them from other furniture (PDF/UA-1, 7.8). */
typedef enum doc_artifact {
    DOC_ARTIFACT_PLAIN,  /* rules, bands, added hyphens, crop marks */
    DOC_ARTIFACT_HEADER, /* a running head */
    DOC_ARTIFACT_FOOTER, /* a folio or a running foot */
    DOC_ARTIFACT_LAYOUT, /* design that repeats what is read elsewhere (a card's back) */
} doc_artifact_t;

/* An interactive form field (a fillable worksheet): a text field, or one
 * button of a radio group (the buttons with one name are one field, one
 * choice). Its widget covers the item's rectangle; what the page draws
 * under it (a box, writing lines) stays page content. */
typedef enum doc_field_kind { DOC_FIELD_TEXT, DOC_FIELD_RADIO } doc_field_kind_t;

typedef struct doc_field {
    doc_field_kind_t kind;
    /* Fully qualified, parts joined by '.', each part without one
     * ("leder-af-leder.strategisk-ledelse.3.rating"); a page's
     * field_prefix goes before it. */
    const char *name;
    const char *tooltip;   /* /TU: what assistive technology reads for it */
    const char *option;    /* radio: this button's export value ("3") */
    bool multiline;        /* text */
    /* text: a value the page already shows as text (a participant's name
     * from the roster): the field keeps it for `grundlag collect`, hidden
     * and read-only, and is no part of the structure */
    bool hidden;
    const char *value;     /* text: the value it starts with (UTF-8), or NULL */
    /* text: how typed text is set (the viewer sets it, in this font) */
    font_t *font;
    double size;
    colour_t colour;
    /* text: `value` as set, glyph items relative to the field's bottom
     * left corner: its look until someone types (its appearance stream) */
    const struct doc_item *look;
    size_t look_count;
} doc_field_t;

typedef struct doc_item {
    doc_item_kind_t kind;
    unsigned char artifact; /* node 0: what kind of furniture (doc_artifact_t; a byte: items are many) */
    /* `node` names an element of the page's underlay doc (copied for the
     * page's instance), not of this doc: a participant's value filling its
     * place in the structure of the shared header. */
    bool underlay_node;
    /* glyphs: the last run of a line that broke at a space in the text
     * (so a hyphen it ends in is written, "fag- og", not a word going on) */
    bool space_after;
    size_t node;        /* structure element; 0 = artifact */
    colour_t colour;
    double x, y;        /* glyphs: baseline origin; rect/rule/link: first corner */
    double w, h;        /* rect/link: size; rule: end point is (x + w, y + h) */
    double line_width;  /* rule, frame */
    /* glyphs */
    font_t *font;
    double size;
    double hscale;      /* horizontal glyph scale (font expansion); 0 or 1 = none */
    const char *text;   /* the source text the glyphs were shaped from */
    size_t text_len;
    const font_glyph_t *glyphs;
    size_t glyph_count;

    union {
        struct { /* link */
            size_t target_page;
            double target_y;
        };
        const doc_field_t *field; /* field (in the doc's arena, or its underlay doc's) */
    };
} doc_item_t;

/* Links and form fields: a device writes them as annotations, after the
 * pages, and an imposed sheet or a print file has none. */
static inline bool doc_item_is_annotation(const doc_item_t *it) {
    return it->kind == DOC_LINK || it->kind == DOC_FIELD;
}

typedef struct doc_page {
    /* Drawn before the page's own items: a page shared by many (the part
     * of a personalised worksheet that is the same for every participant).
     * Borrowed; it must outlive the doc. */
    const struct doc_page *underlay;
    /* The underlay's items name elements of `underlay_doc` (its node table;
     * its Document stands for `instance_root` of this doc): on this page
     * they are copies for instance `instance` (a participant). */
    const struct doc *underlay_doc;
    size_t instance, instance_root;
    /* Goes before the names of the form fields on this page, its
     * underlay's included ("Anne-Hansen" + "." + name): fields of several
     * participants' copies of one body in one file stay distinct. NULL:
     * none. */
    const char *field_prefix;
    double width, height; /* trimmed size */
    double bleed;
    bool crop_marks;
    /* An imposed sheet (doc_impose): the MediaBox's size, with the trimmed
     * block of pages (width × height) centred on it; 0: the trimmed page
     * and its media margin on every side. */
    double sheet_w, sheet_h;
    doc_item_t *items;
    size_t count, cap;
} doc_page_t;

typedef struct doc_outline {
    const char *title;
    int level;    /* 0 = top */
    size_t page;
    double y;
} doc_outline_t;

/* A print file (PDF/X-4): the output intent, from the layout's `print:`. */
typedef struct doc_print {
    const char *condition_id; /* OutputConditionIdentifier: "FOGRA39", "CGATS TR 001", "Custom" */
    const char *condition;    /* OutputCondition: what it is, in words (may be NULL) */
    const char *registry;     /* RegistryName (may be NULL) */
    const char *info;         /* Info: the profile's own description (may be NULL) */
    const unsigned char *icc; /* the CMYK output profile, embedded as DestOutputProfile */
    size_t icc_len;
    bool trapped;             /* /Trapped: true when the file has been trapped */
} doc_print_t;

typedef struct doc {
    doc_page_t *pages;
    size_t page_count, page_cap;
    doc_outline_t *outline;
    size_t outline_count, outline_cap;
    const char *title, *author, *subject, *creator, *lang;
    const char *date;  /* unused */
    bool has_epoch;    /* dates only when SOURCE_DATE_EPOCH asks for them */
    long long epoch;   /* seconds since 1970, UTC */
    bool tagged;       /* write a tagged (accessible) PDF */
    /* A PDF/X-4 print file when set (borrowed): needs a date (has_epoch),
     * has no links (doc_finish drops them: no annotations on a press sheet),
     * and its colours are CMYK or grey. */
    const doc_print_t *print;
    /* Page label ranges: from `first_page` on, pages are numbered from
     * `start` in `style` ('D' decimal, 'r' roman, 0 none), with `prefix`. */
    struct doc_label_range { size_t first_page; char style; int start; const char *prefix; } *labels;
    size_t label_count;
    bool finished;       /* doc_finish has run */
    struct doc **adopted; /* docs whose pages this one borrows (underlays), dropped with it */
    size_t adopted_count, adopted_cap;
    doc_node_t *nodes;   /* nodes[0] is unused; nodes[1] is the Document */
    size_t node_count, node_cap;
    arena_t *arena;
} doc_t;

doc_t *doc_new(void);
void doc_drop(doc_t *d);
/* Returns the new page or NULL when memory runs out. */
doc_page_t *doc_add_page(doc_t *d, double width, double height, double bleed, bool crop_marks);
/* Appends an item to page `p` (copied); NULL when memory runs out. */
doc_item_t *doc_add_item(doc_t *d, doc_page_t *p, const doc_item_t *item);
/* Appends a shape: DOC_RECT (filled), DOC_RULE (a line from (x, y) to
 * (x + w, y + h)) or DOC_FRAME (stroked), of element `node` (0: an
 * artifact). NULL when memory runs out. */
doc_item_t *doc_add_shape(doc_t *d, doc_page_t *p, doc_item_kind_t kind, double x, double y, double w, double h,
                          colour_t colour, double line_width, size_t node);
bool doc_add_outline(doc_t *d, const char *title, int level, size_t page, double y);
bool doc_add_label_range(doc_t *d, size_t first_page, char style, int start, const char *prefix);
char *doc_strdup(doc_t *d, const char *s);
/* A new structure element under `parent` (1 = the Document); 0 when memory
 * runs out (the content is then an artifact, never lost). */
size_t doc_node(doc_t *d, size_t parent, doc_tag_t tag);
/* Moves every page and bookmark of `src` to the end of `dst` (bookmark and
 * link page numbers are shifted); `src` is left empty. Item text and glyphs
 * are borrowed, so whatever owns them must outlive `dst`. */
bool doc_append(doc_t *dst, doc_t *src);

/* The order of pages on imposed sheets. */
typedef enum doc_order {
    DOC_ORDER_ROWS,   /* in reading order, sheet after sheet; row by row, or column by column
                       * with doc_imposition_t.by_columns */
    DOC_ORDER_SADDLE, /* printer's spreads of a saddle-stitched booklet (2 across, 1 down): the
                       * sheets' sides in printing order, front then back, folded and nested
                       * they read 1, 2, 3, …; the page count is made up to a multiple of 4 */
    /* Front and back pairs (pages 1, 2 are card 1's front and back, ...) for
     * duplex printing: a sheet of fronts, then a sheet of their backs placed
     * so that each lies behind its front when the sheet is turned over its
     * long or its short edge (which edge is which: sheet_w against sheet_h). */
    DOC_ORDER_DUPLEX_LONG_EDGE,
    DOC_ORDER_DUPLEX_SHORT_EDGE,
} doc_order_t;

typedef struct doc_imposition {
    double sheet_w, sheet_h; /* the MediaBox of a sheet */
    int across, down;
    double gap;              /* between the trimmed pages */
    bool crop_marks;
    doc_order_t order;
    /* Rows and duplex: a sheet fills column by column, down the first
     * column and then the next, instead of row by row (saddle: ignored;
     * the layout cannot ask for both). */
    bool by_columns;
} doc_imposition_t;

/* Where page `i` of `n` goes: its place counted over all sheets, across ×
 * down a sheet (sheet = slot / (across × down), then row by row; the order
 * the pages fill a sheet in is the imposition's). */
size_t doc_impose_slot(const doc_imposition_t *im, size_t n, size_t i);

/* Imposition: places the pages of `src` on sheets, across × down in the
 * imposition's order, centred with `gap` between the trimmed pages. A
 * sheet's page is the block of trimmed pages (its TrimBox) with the pages'
 * bleed around it (its BleedBox) on a MediaBox of the sheet's size; crop
 * marks, when asked, mark every cut outside the bleed. Items are shifted,
 * and filled rectangles are clipped to each page's bleed where it meets a
 * neighbour (half the gap at most), keeping the whole bleed at the block's
 * edges. Links and form fields are left out. Returns a new doc borrowing src's text and
 * glyphs. */
doc_t *doc_impose(const doc_t *src, const doc_imposition_t *im);

/* Replaces the pages of `d` by `sheets` (doc_impose of d with `im`):
 * bookmarks move to their page's sheet, page labels (which named pages,
 * not sheets) are dropped, and `sheets` is dropped. */
void doc_use_sheets(doc_t *d, doc_t *sheets, const doc_imposition_t *im);

/* Frees what the pages draw once a device has replayed them, keeping only
 * their links and form fields (which a device writes after the pages,
 * as annotations): a long document's
 * items are most of its memory, and writing the file needs its structure,
 * bookmarks and labels, not its drawing. */
void doc_release_drawing(doc_t *d);

/* `d` takes `other` (whose pages it borrows, e.g. as underlays) and drops it
 * with itself. False (and `other` dropped) when memory runs out. */
bool doc_adopt(doc_t *d, doc_t *other);

/* Printer's marks: a crop mark starts DOC_CROP_OFFSET beyond the bleed and
 * is DOC_CROP_LENGTH long, a hairline in registration colour. */
#define DOC_CROP_OFFSET (2 * 72.0 / 25.4)
#define DOC_CROP_LENGTH (5 * 72.0 / 25.4)
#define DOC_CROP_WIDTH 0.25

/* Distance from the trimmed page's edge to the MediaBox edge: the bleed,
 * and room for crop marks when the page has them (not for sheets). */
double doc_media_margin(const doc_page_t *p);

/* The MediaBox of a page: its size, and where the trimmed page's (or an
 * imposed sheet's block's) origin lies in it. */
typedef struct doc_media {
    double x, y, w, h;
} doc_media_t;
doc_media_t doc_media(const doc_page_t *p);

/* Completes the display list before any output device sees it: the crop
 * marks of pages that ask for them become items (artifacts), so the PDF and
 * the trace draw the same marks; a print file's links and form fields are
 * dropped. Idempotent.
 * False when memory runs out. */
bool doc_finish(doc_t *d);

#endif
