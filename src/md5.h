/* md5: the MD5 digest (RFC 1321), which the PDF writer uses for the
 * document's /ID, its XMP UUIDs and the identity of shared streams. The
 * same digests as libharu's HPDF_MD5, which copies its input a byte at a
 * time: the writer feeds it every drawing operation, tens of thousands of
 * small pieces a document. Not for security. */
#ifndef GRUNDLAG_MD5_H
#define GRUNDLAG_MD5_H

#include <stddef.h>
#include <stdint.h>

typedef struct md5 {
    uint32_t state[4];
    uint64_t bytes;          /* fed so far */
    unsigned char block[64]; /* the block being filled: bytes % 64 of it */
} md5_t;

void md5_init(md5_t *m);
void md5_update(md5_t *m, const void *data, size_t len);
/* The digest of everything fed; `m` is spent (md5_init it again to reuse). */
void md5_final(md5_t *m, unsigned char digest[16]);

#endif
