/* Unit tests for font: loading and its error messages, metrics, shaping
 * (kerning, ligatures, recomposition, clusters), the shaping cache and
 * subsetting. Run from the repository root (fonts/ holds the Noto fonts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "font.h"
#include "unit/sink.h"

#define SERIF "fonts/NotoSerif-Regular.ttf"
#define SERIF_BI "fonts/NotoSerif-BoldItalic.ttf"
#define SANS "fonts/NotoSans-Regular.ttf"

static font_t *load_ok(const char *path) {
    sink_t s;
    sink_open(&s);
    font_t *f = font_load(path, s.d, diag_file("test"));
    if (!f) fail_msg("cannot load %s (run the tests from the repository root): %s", path, sink_text(&s));
    assert_string_equal(sink_text(&s), "");
    sink_close(&s);
    return f;
}

/* Temporary files go into one folder, removed by the group teardown even
 * when an assertion failed halfway through a test. */
static char temp_dir[] = "/tmp/grundlag-test-font-XXXXXX";

static int group_setup(void **state) {
    (void)state;
    return mkdtemp(temp_dir) ? 0 : -1;
}

static int group_teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", temp_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes bytes to a fresh temporary file; returns its malloc'd path. */
static char *temp_file(const void *data, size_t len) {
    char *path = malloc(sizeof temp_dir + 16);
    snprintf(path, sizeof temp_dir + 16, "%s/f-XXXXXX", temp_dir);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    return path;
}

static unsigned char *slurp(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    unsigned char *b = malloc((size_t)n);
    assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return b;
}

static void test_load_ok(void **state) {
    (void)state;
    font_t *f = load_ok(SERIF);
    assert_string_equal(font_path(f), SERIF);
    assert_true(font_glyph_count(f) > 1000);
    assert_true(font_has_codepoint(f, 0x00E5)); /* å */
    assert_true(font_has_codepoint(f, 0x2013)); /* – */
    assert_false(font_has_codepoint(f, 0x4E00)); /* a CJK ideograph Noto Serif lacks */
    font_drop(f);
}

static void test_load_missing(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    font_t *f = font_load("fonts/NoSuchFont.ttf", s.d, diag_at("layouts/a5.yaml", 12, 9));
    assert_null(f);
    assert_string_equal(sink_text(&s), "layouts/a5.yaml:12:9: error: cannot open font file 'fonts/NoSuchFont.ttf': "
                                       "No such file or directory\n");
    assert_int_equal(diag_error_count(s.d), 1);
    sink_close(&s);
}

static void test_load_junk(void **state) {
    (void)state;
    const char junk[] = "This is not a font at all, just some text that happens to end in .ttf\n";
    char *path = temp_file(junk, sizeof junk - 1);
    sink_t s;
    sink_open(&s);
    assert_null(font_load(path, s.d, diag_at("layouts/a5.yaml", 3, 7)));
    char expected[512];
    snprintf(expected, sizeof expected,
             "layouts/a5.yaml:3:7: error: '%s' is not a usable font file (FreeType: unknown file format)\n", path);
    assert_string_equal(sink_text(&s), expected);
    sink_close(&s);
    unlink(path);
    free(path);
}

static void test_load_truncated(void **state) {
    (void)state;
    size_t len;
    unsigned char *full = slurp(SERIF, &len);
    /* FreeType alone loads this without complaint: glyphs past the cut
     * just come back empty. */
    char *path = temp_file(full, len / 2);
    sink_t s;
    sink_open(&s);
    assert_null(font_load(path, s.d, diag_file("layouts/a5.yaml")));
    char prefix[512];
    snprintf(prefix, sizeof prefix, "layouts/a5.yaml: error: '%s' is not a usable font file (truncated: table '",
             path);
    const char *msg = sink_text(&s);
    assert_memory_equal(msg, prefix, strlen(prefix));
    assert_non_null(strstr(msg, "of 294438)\n"));
    sink_close(&s);
    unlink(path);
    free(path);
    free(full);
}

static void expect_cff_refused(const char *path) {
    sink_t s;
    sink_open(&s);
    assert_null(font_load(path, s.d, diag_at("layouts/poster-overview.yaml", 5, 3)));
    char expected[512];
    snprintf(expected, sizeof expected,
             "layouts/poster-overview.yaml:5:3: error: '%s' has CFF outlines, which grundlag does not support; use a "
             "TrueType-outline (.ttf) font\n",
             path);
    assert_string_equal(sink_text(&s), expected);
    sink_close(&s);
}

/* No CFF font ships on this machine, so build the part that decides: an
 * 'OTTO' table directory that lists a CFF table and no glyf. */
static void test_load_cff_constructed(void **state) {
    (void)state;
    unsigned char otf[12 + 16 + 4] = {'O', 'T', 'T', 'O', 0, 1, 0, 16, 0, 0, 0, 0, /* one table */
                                      'C', 'F', 'F', ' ', 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 4, /* at 28, 4 bytes */
                                      1, 0, 4, 1};
    char *path = temp_file(otf, sizeof otf);
    expect_cff_refused(path);
    unlink(path);
    free(path);
}

static void test_load_cff_installed(void **state) {
    (void)state;
    glob_t g;
    if (glob("/usr/share/fonts/opentype/*/*.otf", 0, NULL, &g) != 0) {
        skip(); /* no .otf (CFF) font installed; the constructed one above still ran */
        return;
    }
    expect_cff_refused(g.gl_pathv[0]);
    globfree(&g);
}

static void test_metrics(void **state) {
    (void)state;
    font_t *f = load_ok(SERIF);
    const font_metrics_t *m = font_metrics(f);
    assert_string_equal(m->postscript_name, "NotoSerif-Regular");
    assert_string_equal(m->family_name, "Noto Serif");
    assert_int_equal(m->units_per_em, 1000);
    assert_true(m->ascender > 700 && m->ascender < 1200);
    assert_true(m->descender < -150 && m->descender > -400);
    assert_true(m->x_height > 400 && m->x_height < m->cap_height);
    assert_true(m->cap_height > 600 && m->cap_height < m->ascender);
    assert_true(m->bbox[0] < 0 && m->bbox[1] < 0 && m->bbox[2] > 1000 && m->bbox[3] > m->cap_height);
    assert_true(m->line_gap >= 0);
    assert_true(m->italic_angle == 0.0);
    assert_true(m->stem_v > 50 && m->stem_v < 150);
    assert_true(m->serif);
    assert_false(m->italic);
    assert_false(m->bold);
    assert_false(m->fixed_pitch);
    font_drop(f);

    f = load_ok(SERIF_BI);
    m = font_metrics(f);
    assert_string_equal(m->postscript_name, "NotoSerif-BoldItalic");
    assert_true(m->italic && m->bold && m->serif);
    assert_true(m->italic_angle < -5 && m->italic_angle > -20);
    assert_true(m->stem_v > 120); /* bold stems are heavier */
    font_drop(f);

    f = load_ok(SANS);
    assert_false(font_metrics(f)->serif);
    font_drop(f);
}

static font_run_t shape(font_t *f, const char *s) {
    font_run_t r;
    assert_true(font_shape(f, s, strlen(s), &r));
    return r;
}

static void test_kerning(void **state) {
    (void)state;
    font_t *f = load_ok(SERIF);
    font_run_t a = shape(f, "A"), v = shape(f, "V"), av = shape(f, "AV");
    assert_int_equal(av.count, 2);
    assert_true(av.width < a.width + v.width);
    /* the nominal advance is what the PDF's /W gets; the kerned one is less */
    assert_int_equal(font_glyph_advance(f, av.glyphs[0].gid), a.width);
    assert_true(av.glyphs[0].advance < a.width);
    int32_t sum = 0;
    for (size_t i = 0; i < av.count; i++) sum += av.glyphs[i].advance;
    assert_int_equal(sum, av.width);
    font_drop(f);
}

static void test_ligatures(void **state) {
    (void)state;
    font_t *f = load_ok(SERIF);
    /* Noto Serif has liga ligatures for fi and ffi */
    font_run_t fi = shape(f, "fi");
    assert_int_equal(fi.count, 1);
    assert_int_equal(fi.glyphs[0].cluster, 0);
    font_run_t off = shape(f, "officiel");
    assert_int_equal(off.count, 6); /* o ffi c i e l */
    static const uint32_t clusters[] = {0, 1, 4, 5, 6, 7};
    for (size_t i = 0; i < 6; i++) assert_int_equal(off.glyphs[i].cluster, clusters[i]);
    font_run_t f1 = shape(f, "f"), i1 = shape(f, "i");
    assert_int_not_equal(fi.glyphs[0].gid, f1.glyphs[0].gid);
    assert_int_not_equal(fi.glyphs[0].gid, i1.glyphs[0].gid);
    font_drop(f);
}

static void test_decomposed_ring(void **state) {
    (void)state;
    font_t *f = load_ok(SERIF);
    font_run_t pre = shape(f, "\xC3\xA5");  /* å */
    font_run_t dec = shape(f, "a\xCC\x8A"); /* a + U+030A */
    assert_int_equal(pre.count, 1);
    assert_int_equal(dec.count, 1);
    assert_int_equal(dec.glyphs[0].gid, pre.glyphs[0].gid);
    assert_int_equal(dec.glyphs[0].cluster, 0);
    /* a letter with no precomposed form keeps its mark, one cluster per character */
    font_run_t q = shape(f, "q\xCC\x8A");
    assert_int_equal(q.count, 2);
    assert_int_equal(q.glyphs[1].cluster, 1);
    assert_int_equal(q.glyphs[1].advance, 0);
    font_drop(f);
}

static void test_clusters_utf8(void **state) {
    (void)state;
    font_t *f = load_ok(SERIF);
    const char *s = "\xC3\x86" "ble\xC3\xB8" "en";
    font_run_t r = shape(f, s);
    assert_int_equal(r.count, 7);
    static const uint32_t clusters[] = {0, 2, 3, 4, 5, 7, 8};
    for (size_t i = 0; i < r.count; i++) assert_int_equal(r.glyphs[i].cluster, clusters[i]);
    font_drop(f);
}

static void test_cache(void **state) {
    (void)state;
    font_t *f = load_ok(SERIF);
    assert_int_equal(font_cache_entries(f), 0);
    font_run_t a = shape(f, "Ledelsesgrundlag");
    assert_int_equal(font_cache_entries(f), 1);
    font_run_t b = shape(f, "Ledelsesgrundlag");
    assert_ptr_equal(a.glyphs, b.glyphs);
    assert_int_equal(a.count, b.count);
    assert_int_equal(font_cache_entries(f), 1);
    /* a prefix is a different text */
    font_run_t c;
    assert_true(font_shape(f, "Ledelsesgrundlag", 7, &c));
    assert_ptr_not_equal(c.glyphs, a.glyphs);
    assert_int_equal(c.count, 7);
    assert_int_equal(font_cache_entries(f), 2);
    /* growing the table keeps earlier results where they were */
    char word[32];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(word, sizeof word, "ord%d", i);
        font_run_t r;
        assert_true(font_shape(f, word, (size_t)n, &r));
    }
    assert_int_equal(font_cache_entries(f), 5002);
    font_run_t d = shape(f, "Ledelsesgrundlag");
    assert_ptr_equal(d.glyphs, a.glyphs);
    assert_int_equal(font_cache_entries(f), 5002);
    /* empty text: no glyphs, nothing cached */
    font_run_t e;
    assert_true(font_shape(f, "", 0, &e));
    assert_int_equal(e.count, 0);
    assert_int_equal(e.width, 0);
    font_drop(f);
}

static void test_subset(void **state) {
    (void)state;
    font_t *f = load_ok(SERIF);
    font_run_t r = shape(f, "fi\xC3\xA5" "A");
    assert_int_equal(r.count, 3);
    uint32_t gids[4] = {0, r.glyphs[0].gid, r.glyphs[1].gid, r.glyphs[2].gid}, new1[4], new2[4];
    sink_t s;
    sink_open(&s);
    size_t len1 = 0, len2 = 0;
    unsigned char *sub1 = font_subset(f, gids, 4, new1, &len1, s.d);
    unsigned char *sub2 = font_subset(f, gids, 4, new2, &len2, s.d);
    assert_string_equal(sink_text(&s), "");
    assert_non_null(sub1);
    assert_non_null(sub2);
    /* deterministic, and much smaller than the 589 KB font */
    assert_int_equal(len1, len2);
    assert_memory_equal(sub1, sub2, len1);
    assert_true(len1 < 20000);
    assert_memory_equal(new1, new2, sizeof new1);
    assert_int_equal(new1[0], 0);
    for (int i = 1; i < 4; i++) assert_true(new1[i] > 0 && new1[i] < 16);

    /* the subset is a TrueType font again, with the glyphs renumbered */
    char *path = temp_file(sub1, len1);
    font_t *g = load_ok(path);
    assert_true(font_glyph_count(g) >= 4 && font_glyph_count(g) < 16);
    for (int i = 1; i < 4; i++) assert_int_equal(font_glyph_advance(g, new1[i]), font_glyph_advance(f, gids[i]));
    font_drop(g);
    unlink(path);
    free(path);
    free(sub1);
    free(sub2);
    sink_close(&s);
    font_drop(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_ok),
        cmocka_unit_test(test_load_missing),
        cmocka_unit_test(test_load_junk),
        cmocka_unit_test(test_load_truncated),
        cmocka_unit_test(test_load_cff_constructed),
        cmocka_unit_test(test_load_cff_installed),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_kerning),
        cmocka_unit_test(test_ligatures),
        cmocka_unit_test(test_decomposed_ring),
        cmocka_unit_test(test_clusters_utf8),
        cmocka_unit_test(test_cache),
        cmocka_unit_test(test_subset),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
