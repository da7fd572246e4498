/* test_md5: the digest of RFC 1321's test suite, whole and fed in pieces of
 * every size (across the 64-byte blocks and the padding's edge at 56), and
 * the same digest as libharu's HPDF_MD5 on a long input (the PDFs' /ID
 * must not change with the implementation). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <hpdf.h>
#include <hpdf_encrypt.h>
#include <stdio.h>
#include <string.h>

#include "md5.h"

static void hex(const unsigned char d[16], char out[33]) {
    for (int i = 0; i < 16; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static const struct {
    const char *in, *digest;
} rfc[] = {
    {"", "d41d8cd98f00b204e9800998ecf8427e"},
    {"a", "0cc175b9c0f1b6a831c399e269772661"},
    {"abc", "900150983cd24fb0d6963f7d28e17f72"},
    {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
    {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
    {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"},
    {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
     "57edf4a22be3c955ac49da2e2107b67a"},
};

static void test_rfc_suite(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof rfc / sizeof rfc[0]; i++) {
        size_t len = strlen(rfc[i].in);
        for (size_t piece = 1; piece <= len + 1; piece++) {
            md5_t m;
            md5_init(&m);
            for (size_t at = 0; at < len; at += piece) md5_update(&m, rfc[i].in + at, at + piece <= len ? piece : len - at);
            unsigned char d[16];
            char h[33];
            md5_final(&m, d);
            hex(d, h);
            assert_string_equal(h, rfc[i].digest);
        }
    }
}

static void test_same_as_libharu(void **state) {
    (void)state;
    unsigned char buf[5000];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i * 131 + (i >> 7));
    for (size_t len = 0; len <= sizeof buf; len += len < 200 ? 1 : 997) {
        md5_t m;
        md5_init(&m);
        md5_update(&m, buf, len);
        unsigned char ours[16], theirs[16];
        md5_final(&m, ours);
        HPDF_MD5_CTX c;
        HPDF_MD5Init(&c);
        HPDF_MD5Update(&c, buf, (HPDF_UINT32)len);
        HPDF_MD5Final(theirs, &c);
        assert_memory_equal(ours, theirs, 16);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_suite),
        cmocka_unit_test(test_same_as_libharu),
    };
    return cmocka_run_group_tests_name("md5", tests, NULL, NULL);
}
