/* End-to-end rendering: real PDFs read back with poppler-utils and qpdf.
 * Runs from the repository root. (The golden traces: test_golden.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "e2e/e2e.h"

/* ---- helpers --------------------------------------------------------------- */

/* Asserts that every text appears, in order, in the PDF's text. */
static void assert_all_in_pdf(const char *pdf, const e2e_texts_t *t) { assert_int_equal(e2e_texts_missing(pdf, t), 0); }

static void assert_fonts_embedded(const char *pdf) {
    e2e_result_t r = e2e_run("pdffonts %s", pdf);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    size_t fonts = 0;
    char *save = NULL;
    int line_no = 0;
    for (char *l = strtok_r(r.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (++line_no <= 2) continue; /* header and rule */
        fonts++;
        if (!strstr(l, "CID TrueType") || !strstr(l, "Identity-H") || !strstr(l, "yes yes yes") || l[6] != '+') {
            fprintf(stderr, "font not an embedded subset with ToUnicode: %s\n", l);
            fail();
        }
    }
    assert_true(fonts >= 1);
    e2e_result_free(&r);
}

static void assert_qpdf_clean(const char *pdf) {
    e2e_result_t r = e2e_run("qpdf --check %s", pdf);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.out, "WARNING"));
    assert_string_equal(r.err, "");
    e2e_result_free(&r);
    /* poppler must not complain while extracting either */
    r = e2e_run("pdftotext %s /dev/null", pdf);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    e2e_result_free(&r);
}

static char *render(const char *dir, const char *args) {
    e2e_result_t r = e2e_run("%s render --out-dir %s %s", e2e_bin(), dir, args);
    if (r.status != 0) fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    return NULL;
}

/* ---- the sample and the engine -------------------------------------------- */

static void test_sample_pdf(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    render(dir, "layouts/sample.yaml");
    char *pdf = e2e_path(dir, "sample.pdf");
    assert_fonts_embedded(pdf);
    assert_qpdf_clean(pdf);
    e2e_texts_t t = e2e_data_texts("data/ledelsesgrundlag.yaml", "direktoer");
    assert_true(t.n > 40);
    assert_all_in_pdf(pdf, &t);
    e2e_texts_free(&t);
    /* the text comes back exactly: ligatures and Danish letters */
    e2e_result_t r = e2e_run("pdftotext %s - | tr '\\n' ' '", pdf);
    assert_non_null(strstr(r.out, "Ledelsesrummet er stort og forpligtende i Skanderborg Kommune."));
    assert_non_null(strstr(r.out, "God ledelse"));
    e2e_result_free(&r);
    free(pdf);
    e2e_rmtree(dir);
}

/* a + U+030A sets exactly like å (same glyphs, breaks, pages) and copies
 * out as written. */
static void test_decomposed_input(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    char *data = e2e_path(dir, "decomposed.yaml");
    char *src = e2e_read_file("data/ledelsesgrundlag.yaml", NULL);
    size_t n = strlen(src);
    char *dec = malloc(n * 2 + 1), *w = dec;
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)src[i] == 0xC3 && (unsigned char)src[i + 1] == 0xA5) { /* å */
            memcpy(w, "a\xCC\x8A", 3);
            w += 3;
            i++;
        } else {
            *w++ = src[i];
        }
    }
    *w = '\0';
    e2e_write_file(data, dec);
    e2e_result_t r = e2e_run("%s render --format trace-glyphs --data %s -o %s/dec.trace layouts/sample.yaml && "
                             "%s render --format trace-glyphs -o %s/pre.trace layouts/sample.yaml",
                             e2e_bin(), data, dir, e2e_bin(), dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    /* identical but for the text column */
    r = e2e_run("sed 's/\"[^\"]*\"//' %s/dec.trace > %s/a && sed 's/\"[^\"]*\"//' %s/pre.trace > %s/b && "
                "cmp %s/a %s/b && ! cmp -s %s/dec.trace %s/pre.trace",
                dir, dir, dir, dir, dir, dir, dir, dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    r = e2e_run("%s render --data %s -o %s/dec.pdf layouts/sample.yaml && pdftotext %s/dec.pdf -", e2e_bin(), data,
                dir, dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "a\xCC\x8A"));     /* decomposed as written */
    assert_null(strstr(r.out, "\xC3\xA5"));          /* no precomposed å appears */
    e2e_result_free(&r);
    free(src);
    free(dec);
    free(data);
    e2e_rmtree(dir);
}

/* A character no font has is an error naming it, its code point and where
 * it is; no PDF is left behind and a good one is not replaced. */
static void test_missing_glyph(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    char *data = e2e_path(dir, "cjk.yaml");
    char *src = e2e_read_file("data/ledelsesgrundlag.yaml", NULL);
    char *at = strstr(src, "Sikrer at de politiske beslutninger realiseres");
    assert_non_null(at);
    size_t line = 1;
    for (char *p = src; p < at; p++) line += *p == '\n';
    size_t col = 1;
    for (char *p = at; p > src && p[-1] != '\n'; p--) col++;
    size_t pre = (size_t)(at - src);
    char *bad = malloc(strlen(src) + 8);
    memcpy(bad, src, pre);
    strcpy(bad + pre, "\xE4\xB8\x80 ");
    strcat(bad, at);
    e2e_write_file(data, bad);
    e2e_result_t r = e2e_run("echo good > %s/sample.pdf; %s render --data %s --out-dir %s layouts/sample.yaml", dir,
                             e2e_bin(), data, dir);
    assert_int_equal(r.status, 1);
    char want[512];
    snprintf(want, sizeof want, "%s:%zu:%zu: error: character '\xE4\xB8\x80' (U+4E00)", data, line, col - 1);
    if (!strstr(r.err, want)) fprintf(stderr, "want: %s\ngot: %s\n", want, r.err);
    assert_non_null(strstr(r.err, want));
    e2e_result_free(&r);
    r = e2e_run("cat %s/sample.pdf; ls -a %s | grep -c tmp", dir, dir);
    assert_string_equal(r.out, "good\n0\n");
    e2e_result_free(&r);
    free(src);
    free(bad);
    free(data);
    e2e_rmtree(dir);
}

/* ---- the handbook ----------------------------------------------------------- */

static void check_handbook(const char *layout, const char *stem, const char *size, bool print) {
    char *dir = e2e_tmpdir();
    char args[256];
    snprintf(args, sizeof args, "layouts/%s.yaml", layout);
    render(dir, args);
    char name[64];
    snprintf(name, sizeof name, "%s.pdf", stem);
    char *pdf = e2e_path(dir, name);
    e2e_texts_t t = e2e_data_texts("data/ledelsesgrundlag.yaml", NULL);
    assert_int_equal(t.n, 271 + 6);
    assert_all_in_pdf(pdf, &t);
    e2e_texts_free(&t);
    assert_fonts_embedded(pdf);
    assert_qpdf_clean(pdf);
    e2e_result_t r = e2e_run("pdfinfo -box %s", pdf);
    assert_non_null(strstr(r.out, "Title:           Skanderborg Kommunes Ledelsesgrundlag"));
    assert_non_null(strstr(r.out, "Subject:         Ledelsesprofiler"));
    assert_non_null(strstr(r.out, "Author:          Skanderborg Kommune"));
    assert_non_null(strstr(r.out, "Creator:         grundlag"));
    assert_non_null(strstr(r.out, size));
    if (print) {
        assert_non_null(strstr(r.out, "TrimBox:"));
        assert_non_null(strstr(r.out, "BleedBox:"));
        /* bleed 3 mm = 8.50 pt between the boxes */
        assert_non_null(strstr(r.out, "BleedBox:           28.35    28.35"));
        assert_non_null(strstr(r.out, "TrimBox:            36.85    36.85"));
    }
    e2e_result_free(&r);
    /* the outline lists every profile */
    r = e2e_run("qpdf --json --json-key=outlines %s", pdf);
    assert_int_equal(r.status, 0);
    const char *titles[] = {"Direktør", "Fag- og stabschef", "Kontraktholder", "Leder af leder",
                            "Leder af medarbejder", "Medarbejder", "Forord"};
    for (size_t i = 0; i < 7; i++) {
        char q[80];
        snprintf(q, sizeof q, "\"title\": \"%s\"", titles[i]);
        if (!strstr(r.out, q)) fprintf(stderr, "outline lacks %s\n", titles[i]);
        assert_non_null(strstr(r.out, q));
    }
    e2e_result_free(&r);
    /* byte for byte the same on a second run */
    r = e2e_run("%s render -o %s/again.pdf layouts/%s.yaml && cmp %s %s/again.pdf", e2e_bin(), dir, layout, pdf, dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    free(pdf);
    e2e_rmtree(dir);
}

static void test_handbook_a4(void **state) {
    (void)state;
    check_handbook("handbook", "handbook", "Page size:       595.276 x 841.89 pts (A4)", false);
}

static void test_handbook_print(void **state) {
    (void)state;
    /* A5 trim (419.53 x 595.28) + 3 mm bleed + room for crop marks */
    check_handbook("handbook-print", "handbook-print", "Page size:       493.228 x 668.976 pts", true);
}

/* The contents page links to the chapters and shows their page numbers. */
static void test_handbook_contents(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    render(dir, "layouts/handbook.yaml");
    char *pdf = e2e_path(dir, "handbook.pdf");
    e2e_result_t r = e2e_run("pdftotext -f 3 -l 3 %s -", pdf);
    assert_non_null(strstr(r.out, "Indhold"));
    assert_non_null(strstr(r.out, "Direktør"));
    e2e_result_free(&r);
    r = e2e_run("qpdf --qdf --object-streams=disable %s - | grep -c '/Subtype /Link'", pdf);
    assert_int_equal(atoi(r.out), 7);
    e2e_result_free(&r);
    free(pdf);
    e2e_rmtree(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_pdf),
        cmocka_unit_test(test_decomposed_input),    cmocka_unit_test(test_missing_glyph),
        cmocka_unit_test(test_handbook_a4),         cmocka_unit_test(test_handbook_print),
        cmocka_unit_test(test_handbook_contents),
    };
    return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
