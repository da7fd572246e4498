/* device/xmp: the XMP metadata packet: title, author, subject, language,
 * creator tool, dates, the PDF/UA-1 identification (pdfuaid:part 1) of a
 * tagged file and the PDF/X-4 one (pdfxid:GTS_PDFXVersion, pdf:Trapped, the
 * xmpMM document and version ids) of a print file. Owns the XML escaping;
 * knows nothing of libharu. */
#ifndef GRUNDLAG_OUT_XMP_H
#define GRUNDLAG_OUT_XMP_H

#include <stdbool.h>

typedef struct xmp_meta {
    const char *title, *author, *subject, *lang, *creator; /* any may be NULL */
    const char *date;        /* ISO 8601, or NULL: no dates */
    bool pdfua;              /* a tagged file: pdfuaid:part 1 */
    const char *pdfx;        /* "PDF/X-4" for a print file, else NULL */
    bool trapped;            /* pdf:Trapped, written for a print file */
    const char *document_id; /* "uuid:…": the same for every rendition and version */
    const char *instance_id; /* "uuid:…": this very file */
} xmp_meta_t;

/* A malloc'd packet, or NULL when memory runs out. */
char *xmp_packet(const xmp_meta_t *m);

/* The UTC calendar date and time of `epoch` seconds since 1970 (for the
 * dates SOURCE_DATE_EPOCH asks for), without the C library's time zones. */
typedef struct xmp_time { int year, month, day, hour, minute, second; } xmp_time_t;
xmp_time_t xmp_utc(long long epoch);

#endif
