/* device/pdf_font: internals of the PDF backend, shared by pdf.c and
 * pdf_font.c only. Owns the embedding of one font in one document: the CID
 * numbering (one CID per glyph-and-source-text pair, in order of first use),
 * and, at save, the subset font program, /W, CIDToGIDMap and ToUnicode.
 * Also the small byte buffer both files write PDF syntax into, and the
 * deflater for every stream both files write (with a process-wide cache of
 * deflated streams, as of subsets: see pdf_font.c).
 * Nothing outside src/device/ may include this (it pulls in libharu). */
#ifndef GRUNDLAG_OUT_PDF_FONT_H
#define GRUNDLAG_OUT_PDF_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_encrypt.h>

#include "diag.h"
#include "font.h"
#include "md5.h"

/* A growing byte buffer. After a failed allocation it stops growing and
 * sets `oom`, so writers need not check every call. */
typedef struct pdf_buf {
    char *data;
    size_t len, cap;
    bool oom;
} pdf_buf_t;

bool pdf_buf_reserve(pdf_buf_t *b, size_t n); /* room for n more bytes */
/* Inline: the content stream is written a byte or a glyph at a time. */
static inline void pdf_buf_put(pdf_buf_t *b, const char *s, size_t n) {
    if (b->cap - b->len < n && !pdf_buf_reserve(b, n)) return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
}
/* Inline too, so that a literal's length is known when compiling. */
static inline void pdf_buf_puts(pdf_buf_t *b, const char *s) { pdf_buf_put(b, s, strlen(s)); }
static inline void pdf_buf_char(pdf_buf_t *b, char c) {
    if (b->len == b->cap && !pdf_buf_reserve(b, 1)) return;
    b->data[b->len++] = c;
}
/* A number with at most 3 decimals, no exponent, '.' whatever the locale. */
void pdf_buf_num(pdf_buf_t *b, double v);
void pdf_buf_int(pdf_buf_t *b, long long v);
void pdf_buf_hex4(pdf_buf_t *b, unsigned v); /* four upper-case hex digits */
void pdf_buf_free(pdf_buf_t *b);

/* A deflater kept for the whole document: libharu starts a new zlib state
 * (and clears its 64 KB hash table) for every stream it writes, which for
 * thousands of small page streams cost more than the compression itself. */
typedef struct pdf_zip pdf_zip_t;
/* What a stream holds, which decides how hard it is compressed and whether
 * its deflated form is kept for the rest of the process (content, and the
 * ICC profile every print file of a run embeds). */
typedef enum pdf_zip_kind { PDF_ZIP_CONTENT, PDF_ZIP_FONT, PDF_ZIP_PROFILE } pdf_zip_kind_t;
pdf_zip_t *pdf_zip_new(void);
void pdf_zip_drop(pdf_zip_t *z);
/* Frees the deflaters' state and buffer (half a megabyte) until the next
 * stream: for when the last stream of a document is deflated. */
void pdf_zip_idle(pdf_zip_t *z);
/* Replaces the data of stream dictionary `s` with `data`, deflated (once,
 * now) and marked /FlateDecode unless it is small.
 * HPDF_OK, or the libharu status of what failed (HPDF_ZLIB_ERROR,
 * HPDF_FAILD_TO_ALLOC_MEM). */
HPDF_STATUS pdf_stream_put(pdf_zip_t *z, pdf_zip_kind_t kind, HPDF_Dict s, const void *data, size_t len);
/* What pdf_stream_put would store: *out (valid until the next call) and
 * *out_len, deflated or not (small streams are stored as they are); and,
 * unless md5 is NULL, the MD5 of `data` (kept with the deflated stream, so
 * that a stream seen before costs neither). */
HPDF_STATUS pdf_zip(pdf_zip_t *z, pdf_zip_kind_t kind, const void *data, size_t len, const void **out,
                    size_t *out_len, bool *deflated, unsigned char md5[16]);

/* Content deflated beside the drawing. pdf_zip_start does what pdf_zip
 * does, but where a stream must be deflated it hands a copy to a second
 * thread (one for the process, started when first needed) and gives a job
 * instead (*job, with *out unset): pages go on being drawn while earlier
 * ones are deflated. The thread deflates with the same settings, stream by
 * stream, so the bytes are those pdf_zip would give. Without a thread (it
 * could not start) it is pdf_zip, and *job is NULL. */
typedef struct pdf_zip_job pdf_zip_job_t;
HPDF_STATUS pdf_zip_start(pdf_zip_t *z, pdf_zip_kind_t kind, const void *data, size_t len, const void **out,
                          size_t *out_len, bool *deflated, unsigned char md5[16], pdf_zip_job_t **job);
/* Waits for the job and gives its stream (deflated: the job holds it until
 * pdf_zip_job_free), as pdf_zip would have. */
HPDF_STATUS pdf_zip_job_result(pdf_zip_job_t *j, const void **out, size_t *out_len, bool *deflated);
/* Waits for the job if it is still running, and frees it. */
void pdf_zip_job_free(pdf_zip_job_t *j);

/* A fast 64-bit hash of n bytes (not cryptographic: equal bytes are
 * compared as well wherever it keys a table). */
uint64_t pdf_hash_bytes(const unsigned char *p, size_t n);

typedef struct pdf_font pdf_font_t;

/* Creates the Type0 font dictionary in doc's xref (filled in at embed time). */
pdf_font_t *pdf_font_new(HPDF_Doc doc, font_t *font);
void pdf_font_drop(pdf_font_t *pf);

font_t *pdf_font_source(const pdf_font_t *pf);
HPDF_Dict pdf_font_dict(const pdf_font_t *pf);
int pdf_font_units_per_em(const pdf_font_t *pf);

/* The CID that shows glyph `gid` and stands for text[0..len) (len may be 0
 * for the second glyph of a character). 0 (.notdef) when all 65535 CIDs
 * are taken or memory ran out; pdf_font_full() then says so. */
unsigned pdf_font_cid(pdf_font_t *pf, uint32_t gid, const char *text, size_t len);
bool pdf_font_full(const pdf_font_t *pf);
/* The /W width of a CID, in 1/1000 em: the nominal advance, rounded. */
int32_t pdf_font_width(const pdf_font_t *pf, unsigned cid);

/* Subsets the font and writes (or rewrites) its objects, unless nothing was
 * added since the last call. Adds a digest of what was embedded to `digest`. */
bool pdf_font_embed(pdf_font_t *pf, pdf_zip_t *z, diag_t *d, md5_t *digest);

/* The Unicode character of byte `code` in WinAnsiEncoding (Windows-1252),
 * 0 for none (a control code, or one of the five it leaves unused). */
uint32_t pdf_winansi_char(unsigned code);

/* The font typed text of form fields is set in: `font` as a simple
 * TrueType font (a byte a character, WinAnsiEncoding), its program a subset
 * of every character of that encoding the font has: all of Latin-1 (every
 * letter of Danish, Norwegian, Swedish, German, French, ...) and Windows'
 * punctuation (» « – — “ ” ‘ ’ … €), so that whatever a participant types
 * shows, not only the letters the page happens to print. Viewers edit
 * fields in such a font; a Type0 (Identity-H) font they do not reliably.
 * Added to doc's xref; its program's digest goes into `digest`. NULL
 * after reporting. */
HPDF_Dict pdf_font_typed(HPDF_Doc doc, pdf_zip_t *z, font_t *font, diag_t *d, md5_t *digest);

/* Per-page resource name cache: the name the current page (or form) uses
 * for this font ("F1"), or NULL if not registered on page `serial` yet. */
const char *pdf_font_page_name(const pdf_font_t *pf, unsigned serial);
void pdf_font_set_page_name(pdf_font_t *pf, unsigned serial, const char *name);

#endif
