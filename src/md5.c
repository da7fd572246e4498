/* md5: the MD5 digest, written from RFC 1321's description (see md5.h for
 * why the project has its own). */
#include "md5.h"

#include <string.h>

/* floor(|sin(i + 1)| · 2^32) */
static const uint32_t K[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

static inline uint32_t rotl(uint32_t x, unsigned n) { return x << n | x >> (32 - n); }

/* The four rounds' functions (RFC 1321, 3.4). */
#define F(x, y, z) (((x) & (y)) | (~(x) & (z)))
#define G(x, y, z) (((x) & (z)) | ((y) & ~(z)))
#define H(x, y, z) ((x) ^ (y) ^ (z))
#define I(x, y, z) ((y) ^ ((x) | ~(z)))
/* One step: a = b + ((a + f(b, c, d) + word + K[k]) <<< s). */
#define STEP(f, a, b, c, d, word, k, s) (a) = (b) + rotl((a) + f((b), (c), (d)) + (word) + K[k], (s))

/* Which word of the block each step of rounds 2 to 4 takes. */
static const unsigned char word_of[64] = {
    0, 1, 2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, /* round 1: in order */
    1, 6, 11, 0,  5,  10, 15, 4,  9,  14, 3,  8,  13, 2,  7,  12, /* 5i + 1 */
    5, 8, 11, 14, 1,  4,  7,  10, 13, 0,  3,  6,  9,  12, 15, 2,  /* 3i + 5 */
    0, 7, 14, 5,  12, 3,  10, 1,  8,  15, 6,  13, 4,  11, 2,  9,  /* 7i */
};

static void transform(uint32_t state[4], const unsigned char block[64]) {
    uint32_t x[16];
    for (int i = 0; i < 16; i++)
        x[i] = (uint32_t)block[4 * i] | (uint32_t)block[4 * i + 1] << 8 | (uint32_t)block[4 * i + 2] << 16 |
               (uint32_t)block[4 * i + 3] << 24;
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    for (int k = 0; k < 16; k += 4) {
        STEP(F, a, b, c, d, x[word_of[k]], k, 7);
        STEP(F, d, a, b, c, x[word_of[k + 1]], k + 1, 12);
        STEP(F, c, d, a, b, x[word_of[k + 2]], k + 2, 17);
        STEP(F, b, c, d, a, x[word_of[k + 3]], k + 3, 22);
    }
    for (int k = 16; k < 32; k += 4) {
        STEP(G, a, b, c, d, x[word_of[k]], k, 5);
        STEP(G, d, a, b, c, x[word_of[k + 1]], k + 1, 9);
        STEP(G, c, d, a, b, x[word_of[k + 2]], k + 2, 14);
        STEP(G, b, c, d, a, x[word_of[k + 3]], k + 3, 20);
    }
    for (int k = 32; k < 48; k += 4) {
        STEP(H, a, b, c, d, x[word_of[k]], k, 4);
        STEP(H, d, a, b, c, x[word_of[k + 1]], k + 1, 11);
        STEP(H, c, d, a, b, x[word_of[k + 2]], k + 2, 16);
        STEP(H, b, c, d, a, x[word_of[k + 3]], k + 3, 23);
    }
    for (int k = 48; k < 64; k += 4) {
        STEP(I, a, b, c, d, x[word_of[k]], k, 6);
        STEP(I, d, a, b, c, x[word_of[k + 1]], k + 1, 10);
        STEP(I, c, d, a, b, x[word_of[k + 2]], k + 2, 15);
        STEP(I, b, c, d, a, x[word_of[k + 3]], k + 3, 21);
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
}

void md5_init(md5_t *m) {
    m->state[0] = 0x67452301;
    m->state[1] = 0xefcdab89;
    m->state[2] = 0x98badcfe;
    m->state[3] = 0x10325476;
    m->bytes = 0;
}

void md5_update(md5_t *m, const void *data, size_t len) {
    if (len == 0) return; /* data may then be NULL, which memcpy may not take */
    const unsigned char *p = data;
    size_t have = (size_t)(m->bytes % 64);
    m->bytes += len;
    if (have) {
        size_t take = 64 - have < len ? 64 - have : len;
        memcpy(m->block + have, p, take);
        p += take;
        len -= take;
        if (have + take < 64) return;
        transform(m->state, m->block);
    }
    for (; len >= 64; p += 64, len -= 64) transform(m->state, p);
    if (len) memcpy(m->block, p, len);
}

void md5_final(md5_t *m, unsigned char digest[16]) {
    uint64_t bits = m->bytes * 8;
    static const unsigned char pad[64] = {0x80};
    size_t have = (size_t)(m->bytes % 64);
    md5_update(m, pad, have < 56 ? 56 - have : 120 - have);
    unsigned char len[8];
    for (int i = 0; i < 8; i++) len[i] = (unsigned char)(bits >> (8 * i));
    md5_update(m, len, 8);
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 4; k++) digest[4 * i + k] = (unsigned char)(m->state[i] >> (8 * k));
}
