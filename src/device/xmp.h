/* device/xmp: the XMP metadata packet of a tagged PDF: title, author,
 * subject, language, creator tool and the PDF/UA-1 identification
 * (pdfuaid:part 1). Owns the XML escaping; knows nothing of libharu. */
#ifndef GRUNDLAG_OUT_XMP_H
#define GRUNDLAG_OUT_XMP_H

/* A malloc'd packet; any field may be NULL. `date` is ISO 8601 or NULL
 * (no dates unless SOURCE_DATE_EPOCH asks for them). */
char *xmp_packet(const char *title, const char *author, const char *subject, const char *lang, const char *creator,
                 const char *date);

/* The UTC calendar date and time of `epoch` seconds since 1970 (for the
 * dates SOURCE_DATE_EPOCH asks for), without the C library's time zones. */
typedef struct xmp_time { int year, month, day, hour, minute, second; } xmp_time_t;
xmp_time_t xmp_utc(long long epoch);

#endif
