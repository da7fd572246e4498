/* device/pdf: the PDF backend. The only module that includes libharu. It owns
 * page boxes, colours, the content streams and the embedding of fonts
 * (subset Type0/CIDFontType2 fonts with ToUnicode maps, in device/pdf_font.c).
 * It takes glyphs already shaped by font.h and knows nothing of layout:
 * every coordinate is in PDF points with y up. */
#ifndef GRUNDLAG_OUT_PDF_H
#define GRUNDLAG_OUT_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "colour.h"
#include "diag.h"
#include "font.h"
#include "device/tags.h"

typedef struct pdf_doc pdf_doc_t;

/* Errors (libharu's included) are reported through d, which must outlive the document. */
pdf_doc_t *pdf_doc_new(diag_t *d);
void pdf_doc_drop(pdf_doc_t *p);

typedef struct pdf_box {
    double x0, y0, x1, y1; /* PDF points */
} pdf_box_t;

/* Starts a page (ending the open page or form, if any). media: the MediaBox size;
 * trim: the TrimBox; bleed: the BleedBox, or NULL when there is no bleed. */
bool pdf_page_begin(pdf_doc_t *p, double media_w, double media_h, const pdf_box_t *trim, const pdf_box_t *bleed);

/* Sets rg / k / g for the fills and text that follow on the open page
 * (stroke: RG / K / G). Colours are page state: each page starts black. */
void pdf_fill_colour(pdf_doc_t *p, colour_t c);
void pdf_stroke_colour(pdf_doc_t *p, colour_t c);

/* Draws shaped glyphs with their baseline origin at (x, y). `text` is the
 * exact UTF-8 the glyphs were shaped from (clusters index into it): it feeds
 * the ToUnicode map, so that text extraction returns the source text, as
 * written, ligatures and decomposed accents included. */
void pdf_draw_glyphs(pdf_doc_t *p, font_t *font, double size, double x, double y, const char *text, size_t len,
                     const font_glyph_t *glyphs, size_t count);

/* Tagged PDF: the glyphs drawn next begin a new word (after a word space
 * or a line break within one element's text). A space glyph goes before
 * them, ending where they begin, so that the structure's text has its word
 * breaks; untagged files need none (viewers read the gaps). */
void pdf_space_before(pdf_doc_t *p);

/* Horizontal scale of the glyphs drawn next (font expansion; 1 = none). */
void pdf_set_hscale(pdf_doc_t *p, double hscale);

void pdf_fill_rect(pdf_doc_t *p, double x, double y, double w, double h);
void pdf_stroke_line(pdf_doc_t *p, double x0, double y0, double x1, double y1, double width);
void pdf_stroke_rect(pdf_doc_t *p, double x, double y, double w, double h, double width);

bool pdf_page_end(pdf_doc_t *p);

/* What the open page shows so far is drawn the same on other pages (a
 * shared underlay drawn in place, as a tagged file must, where an untagged
 * one shows a form): it becomes a content stream of its own, stored once
 * for every page with the same bytes, and what is drawn next goes into the
 * page's own stream after it. Marked content and text objects are closed
 * first (neither may span two streams). Once a page. */
bool pdf_page_share(pdf_doc_t *p);

/* What the open page's shared part (pdf_page_share, nothing drawn since)
 * left: its stream, and the state the page's own content goes on from;
 * kept with the document. NULL when there is none or memory ran out. */
typedef struct pdf_shared pdf_shared_t;
const pdf_shared_t *pdf_page_shared(pdf_doc_t *p);
/* On a page just begun (nothing drawn): as if the shared part recorded by
 * pdf_page_shared were drawn again and shared, to the byte, without the
 * work: for a tagged underlay, which every participant's page draws in
 * place. The caller must know that drawing it would give the same bytes.
 * False (and nothing done) if the page is not in that state. */
bool pdf_page_share_again(pdf_doc_t *p, const pdf_shared_t *s);

/* Forms (Form XObjects): content drawn once and shown on any number of
 * pages, stored once in the file. pdf_form_begin ends the open page or
 * form; the drawing calls that follow (colours, glyphs, rectangles, lines)
 * go into the form, in its own coordinates, with `bbox` as its bounding
 * box (nothing outside it shows). pdf_form_end returns the form's id (0, 1,
 * … in order) or -1 after reporting. Fonts are shared with the pages: one
 * subset, one CID numbering and one ToUnicode map per font per document. */
bool pdf_form_begin(pdf_doc_t *p, const pdf_box_t *bbox);
int pdf_form_end(pdf_doc_t *p);
/* Shows form `form` on the open page with its origin at (x, y) of the page
 * ("q 1 0 0 1 x y cm /Fm<form> Do Q"). Settings made in the form do not
 * carry over to the page. */
bool pdf_draw_form(pdf_doc_t *p, int form, double x, double y);

/* Document info (UTF-8; NULL leaves a field out) and the catalog's /Lang. */
void pdf_set_info(pdf_doc_t *p, const char *title, const char *author, const char *subject, const char *creator,
                  const char *lang);

/* Writes the whole PDF to `path` (the caller handles temp-file-and-rename;
 * a failed save removes what it wrote). Fonts are subset here, once per
 * font per document (again only if glyphs were drawn after an earlier
 * save; a subset of the same font file and glyph set made earlier in the
 * process is reused, as are deflated streams equal to earlier ones). The
 * bytes depend on the content alone: no dates, and /ID is a digest of the
 * content. May be called again. */
bool pdf_save(pdf_doc_t *p, const char *path);
/* The same into an open file (flushed, not closed); `name` is for messages. */
bool pdf_save_stream(pdf_doc_t *p, FILE *fp, const char *name);

/* Navigation. Pages are counted from 0 in the order they were begun; `top`
 * is the y the viewer scrolls to. */
bool pdf_add_outline(pdf_doc_t *p, const char *title, int level, size_t page, double top);
/* A link over `area` of `from_page` to `to_page`; `contents` describes it
 * for assistive technology (may be NULL). */
bool pdf_add_link(pdf_doc_t *p, size_t from_page, const pdf_box_t *area, size_t to_page, double top,
                  const char *contents);
/* Interactive forms. A field's widget: on page `page` (counted from 0)
 * over `area` (PDF points, the MediaBox's origin), with its fully
 * qualified name (parts joined by '.') and /TU, what assistive technology
 * reads for it. Fields are made with the parents their names imply; every
 * widget draws itself in every state (appearance streams), so that the
 * form shows where nothing makes appearances (/NeedAppearances false). */
typedef struct pdf_widget {
    size_t page;
    pdf_box_t area;
    const char *name, *tooltip;
    /* Hidden (and, a text field, read-only): a value kept for whoever reads
     * the form, not shown; the structure names no hidden widget. */
    bool hidden;
} pdf_widget_t;

typedef struct pdf_text_field {
    bool multiline;
    const char *value;  /* UTF-8; NULL or "" for none */
    /* Typed text: this font (embedded once a document as a simple
     * TrueType font of all of Latin-1, see pdf_font_typed), size, colour. */
    font_t *font;
    double size;
    colour_t colour;
} pdf_text_field_t;

/* A text field's look until someone types in it: what is drawn (glyphs)
 * between this call and pdf_add_text_field, in the field's coordinates
 * (origin at its bottom left, w × h). Without it the field looks empty.
 * Ends the open page. */
bool pdf_field_look_begin(pdf_doc_t *p, double w, double h);
/* A text field; its number among the annotations the structure names
 * (pdf_set_structure: a TAGS_KID_OBJR's `link`), or -1 after reporting
 * (two fields with one name, too). A hidden one is not among them: its
 * number is the next one's, not taken. */
long pdf_add_text_field(pdf_doc_t *p, const pdf_widget_t *w, const pdf_text_field_t *tf);
/* A radio button: the buttons of one name are one field, one choice;
 * this one's export value `option` ("3"), its cross in `colour`. */
long pdf_add_radio(pdf_doc_t *p, const pdf_widget_t *w, const char *option, colour_t colour);

/* Page labels from `first_page` on: style 'D' decimal, 'r'/'R' roman. */
bool pdf_add_page_label(pdf_doc_t *p, size_t first_page, char style, int start, const char *prefix);
/* CreationDate and ModDate (UTC) from seconds since 1970. Without this
 * call the file has no date at all. */
void pdf_set_date(pdf_doc_t *p, long long epoch);

/* Tagged PDF. pdf_set_tagged before the first page: pages get
 * /StructParents and /Tabs /S, links and widgets /StructParent. Content drawn after
 * pdf_mark_begin is marked content `mcid` of type `tag` (until
 * pdf_mark_end or the next mark); after pdf_artifact_begin it is page
 * furniture. pdf_set_structure adds the tree (from device/tags), the
 * ParentTree, /MarkInfo and the XMP metadata; the tree's objects are
 * written from `elems` and `tags` when the file is saved, so both must
 * live until then. */
void pdf_set_tagged(pdf_doc_t *p, bool tagged);
void pdf_mark_begin(pdf_doc_t *p, const char *tag, int mcid);
/* `type` (NULL: none given) and `subtype` (NULL: none) as in ISO 32000-1,
 * 14.8.2.2: "Pagination" with "Header" or "Footer" for running heads and
 * folios. */
void pdf_artifact_begin(pdf_doc_t *p, const char *type, const char *subtype);
void pdf_mark_end(pdf_doc_t *p);
bool pdf_set_structure(pdf_doc_t *p, const tags_elem_t *elems, size_t n, const tags_t *tags, const char *xmp);

/* The catalog's XMP /Metadata (pdf_set_structure writes it for a tagged file). */
bool pdf_set_metadata(pdf_doc_t *p, const char *xmp);

/* PDF/X: the output intent (/OutputIntents, one GTS_PDFX intent with the
 * ICC profile embedded as its DestOutputProfile), and the Info keys
 * /GTS_PDFXVersion and /Trapped. */
typedef struct pdf_output_intent {
    const char *condition_id, *condition, *registry, *info; /* all but the first may be NULL */
    const unsigned char *icc;
    size_t icc_len;
} pdf_output_intent_t;
bool pdf_set_output_intent(pdf_doc_t *p, const pdf_output_intent_t *oi);
bool pdf_set_pdfx(pdf_doc_t *p, const char *version, bool trapped);

/* Ids for XMP ("uuid:" and 36 characters): `document` from the Info
 * fields (the same document in every rendition), `instance` from all that
 * was written so far (this file). Deterministic. */
#define PDF_UUID_SIZE 42
void pdf_uuids(pdf_doc_t *p, char document[PDF_UUID_SIZE], char instance[PDF_UUID_SIZE]);

/* DisplayDocTitle, and open the bookmarks panel when there are bookmarks. */
bool pdf_set_viewer(pdf_doc_t *p, bool show_outline);

#endif
