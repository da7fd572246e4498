/* Unit tests for device/pdf: renders small PDFs into a temporary folder and
 * reads them back with poppler-utils (pdftotext, pdffonts, pdfinfo) and
 * qpdf: extracted text exactly as shaped, fonts embedded as subset CID
 * TrueType with ToUnicode, a clean qpdf check, page boxes, byte-identical
 * saves, size, glyph positions. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "font.h"
#include "device/pdf.h"
#include "device/pdf_font.h"

#define SERIF "fonts/NotoSerif-Regular.ttf"
#define SANS_BOLD "fonts/NotoSans-Bold.ttf"

/* The lines of the test page, each shaped and drawn as one run. */
static const char *const LINES[] = {
    "\xC3\x86" "bleøen på \xC3\x85" "lborg fiskede \xC2\xBB" "citat\xC2\xAB \xE2\x80\x93 tankestreg",
    "Bla\xCC\x8A" " officiel fjord", /* decomposed å; ffi ligature; fj */
    "\xC3\xA5" " and a\xCC\x8A" " side by side",
};
#define NLINES (sizeof LINES / sizeof LINES[0])
static const char *const BOLD_LINE = "Ledelse \xC3\x86\xC3\x98\xC3\x85";

typedef struct fixture {
    const char *missing; /* a tool that is not installed, or NULL */
    char dir[64];
    diag_t *d;
    FILE *diag_fp;
    char *diag_text;
    size_t diag_len;
    font_t *serif, *bold;
} fixture_t;

static bool have_tool(const char *tool) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

/* Runs a shell command; returns its output (malloc'd) and exit status. */
static char *run(const char *cmd, int *status) {
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t len = 0, cap = 4096;
    char *out = malloc(cap);
    size_t got;
    while ((got = fread(out + len, 1, cap - len - 1, p)) > 0) {
        len += got;
        if (cap - len < 2) out = realloc(out, cap *= 2);
    }
    out[len] = 0;
    int st = pclose(p);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return out;
}

static char *run_ok(const char *fmt, const char *arg) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, fmt, arg);
    int status;
    char *out = run(cmd, &status);
    if (status != 0) fail_msg("'%s' exited with %d:\n%s", cmd, status, out);
    return out;
}

static unsigned char *slurp(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp) fail_msg("cannot open %s", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    unsigned char *b = malloc((size_t)n + 1);
    assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
    b[n] = 0;
    fclose(fp);
    *len = (size_t)n;
    return b;
}

static int setup(void **state) {
    fixture_t *fx = calloc(1, sizeof *fx);
    *state = fx;
    const char *tools[] = {"pdftotext", "pdffonts", "pdfinfo", "qpdf"};
    for (size_t i = 0; i < 4; i++)
        if (!have_tool(tools[i])) {
            fprintf(stderr, "test_pdf: '%s' is not installed (Debian: poppler-utils, qpdf); skipping\n", tools[i]);
            fx->missing = tools[i];
        }
    snprintf(fx->dir, sizeof fx->dir, "/tmp/grundlag-test-pdf-XXXXXX");
    if (!mkdtemp(fx->dir)) {
        perror("test_pdf: mkdtemp");
        return -1;
    }
    fx->diag_fp = open_memstream(&fx->diag_text, &fx->diag_len);
    fx->d = diag_new(fx->diag_fp);
    fx->serif = font_load(SERIF, fx->d, diag_file("test"));
    fx->bold = font_load(SANS_BOLD, fx->d, diag_file("test"));
    if (!fx->serif || !fx->bold) {
        fflush(fx->diag_fp);
        fprintf(stderr, "test_pdf: cannot load the Noto fonts (run from the repository root): %s\n", fx->diag_text);
        return -1;
    }
    return 0;
}

/* The fixture, or a skip when a reading tool is missing. */
#define FIXTURE(state)                                                                                                 \
    fixture_t *fx = *(state);                                                                                          \
    if (fx->missing) {                                                                                                 \
        skip();                                                                                                        \
        return;                                                                                                        \
    }

static int teardown(void **state) {
    fixture_t *fx = *state;
    if (!fx) return 0;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0) fprintf(stderr, "test_pdf: could not remove %s\n", fx->dir);
    font_drop(fx->serif);
    font_drop(fx->bold);
    if (fx->d) diag_drop(fx->d);
    if (fx->diag_fp) fclose(fx->diag_fp);
    free(fx->diag_text);
    free(fx);
    return 0;
}

static const char *diag_text(fixture_t *fx) {
    fflush(fx->diag_fp);
    return fx->diag_text ? fx->diag_text : "";
}

static void path_in(fixture_t *fx, const char *name, char *out, size_t n) { snprintf(out, n, "%s/%s", fx->dir, name); }

static void draw_line(pdf_doc_t *p, font_t *f, double size, double x, double y, const char *text) {
    font_run_t r;
    assert_true(font_shape(f, text, strlen(text), &r));
    pdf_draw_glyphs(p, f, size, x, y, text, strlen(text), r.glyphs, r.count);
}

/* The test page: A5 trim with 9 pt bleed, three serif lines and a bold one,
 * a CMYK rectangle and a rule. */
static pdf_doc_t *build_doc(fixture_t *fx) {
    pdf_doc_t *p = pdf_doc_new(fx->d);
    assert_non_null(p);
    pdf_set_info(p, "Ledelsesgrundlag \xE2\x80\x93 på dansk", "Skanderborg Kommune", "Prøve", "grundlag test", "da");
    pdf_box_t trim = {9, 9, 9 + 419.528, 9 + 595.276}, bleed = {0, 0, 437.528, 613.276};
    assert_true(pdf_page_begin(p, 437.528, 613.276, &trim, &bleed));
    colour_t ink = {COLOUR_CMYK, {0.9, 0.5, 0, 0.3}};
    pdf_fill_colour(p, ink);
    double y = 560;
    for (size_t i = 0; i < NLINES; i++, y -= 16) draw_line(p, fx->serif, 11, 40, y, LINES[i]);
    pdf_fill_colour(p, colour_black());
    draw_line(p, fx->bold, 14, 40, y, BOLD_LINE);
    colour_t band = {COLOUR_RGB, {1, 0.5, 0, 0}};
    pdf_fill_colour(p, band);
    pdf_fill_rect(p, 40, 300, 200, 12);
    pdf_stroke_colour(p, colour_black());
    pdf_stroke_line(p, 40, 280, 300, 280, 0.5);
    assert_true(pdf_page_end(p));
    return p;
}

static void save(fixture_t *fx, pdf_doc_t *p, const char *name, char *path, size_t n) {
    path_in(fx, name, path, n);
    if (!pdf_save(p, path)) fail_msg("pdf_save failed: %s", diag_text(fx));
}

static void test_text_roundtrip(void **state) {
    FIXTURE(state);
    pdf_doc_t *p = build_doc(fx);
    char path[256];
    save(fx, p, "text.pdf", path, sizeof path);
    pdf_doc_drop(p);
    assert_string_equal(diag_text(fx), "");

    char *out = run_ok("pdftotext -enc UTF-8 '%s' -", path);
    char expected[1024] = "";
    for (size_t i = 0; i < NLINES; i++) {
        strcat(expected, LINES[i]);
        strcat(expected, "\n");
    }
    strcat(expected, "\n"); /* the bigger bold line is a block of its own */
    strcat(expected, BOLD_LINE);
    strcat(expected, "\n\n\f");
    /* exactly as written: the decomposed å stays decomposed, ligatures
     * come back as their letters */
    assert_string_equal(out, expected);
    free(out);
}

static void test_fonts_embedded(void **state) {
    FIXTURE(state);
    pdf_doc_t *p = build_doc(fx);
    char path[256];
    save(fx, p, "fonts.pdf", path, sizeof path);
    pdf_doc_drop(p);
    char *out = run_ok("pdffonts '%s'", path);
    /* name type(2 words) encoding emb sub uni object-id gen */
    int fonts = 0;
    bool serif = false, bold = false;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "name", 4) == 0 || line[0] == '-') continue;
        char name[128], t1[32], t2[32], enc[32], emb[8], sub[8], uni[8];
        assert_int_equal(sscanf(line, "%127s %31s %31s %31s %7s %7s %7s", name, t1, t2, enc, emb, sub, uni), 7);
        assert_string_equal(t1, "CID");
        assert_string_equal(t2, "TrueType");
        assert_string_equal(enc, "Identity-H");
        assert_string_equal(emb, "yes");
        assert_string_equal(sub, "yes");
        assert_string_equal(uni, "yes");
        /* subset tag: six capitals and a plus */
        for (int i = 0; i < 6; i++) assert_true(name[i] >= 'A' && name[i] <= 'Z');
        assert_int_equal(name[6], '+');
        serif |= strcmp(name + 7, "NotoSerif-Regular") == 0;
        bold |= strcmp(name + 7, "NotoSans-Bold") == 0;
        fonts++;
    }
    assert_int_equal(fonts, 2);
    assert_true(serif && bold);
    free(out);
}

static void test_qpdf_check(void **state) {
    FIXTURE(state);
    pdf_doc_t *p = build_doc(fx);
    char path[256];
    save(fx, p, "check.pdf", path, sizeof path);
    pdf_doc_drop(p);
    char *out = run_ok("qpdf --check '%s' 2>&1", path);
    if (strstr(out, "WARNING")) fail_msg("qpdf --check complained:\n%s", out);
    assert_non_null(strstr(out, "No syntax or stream encoding errors found"));
    free(out);
}

static void box_of(const char *info, const char *key, double v[4]) {
    const char *at = strstr(info, key);
    if (!at) fail_msg("no %s in pdfinfo -box output:\n%s", key, info);
    assert_int_equal(sscanf(at + strlen(key), " %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3]), 4);
}

static size_t count(const char *hay, size_t len, const char *needle) {
    size_t n = 0, k = strlen(needle);
    for (size_t i = 0; i + k <= len; i++)
        if (memcmp(hay + i, needle, k) == 0) n++;
    return n;
}

static void test_boxes_and_info(void **state) {
    FIXTURE(state);
    pdf_doc_t *p = build_doc(fx);
    /* a second page without bleed: TrimBox only */
    pdf_box_t trim = {0, 0, 419.528, 595.276};
    assert_true(pdf_page_begin(p, 419.528, 595.276, &trim, NULL));
    draw_line(p, fx->serif, 11, 40, 500, "Side to");
    assert_true(pdf_page_end(p));
    char path[256];
    save(fx, p, "boxes.pdf", path, sizeof path);
    pdf_doc_drop(p);

    char *out = run_ok("pdfinfo -box -f 1 -l 1 '%s'", path);
    double v[4];
    box_of(out, "MediaBox:", v);
    assert_true(fabs(v[2] - 437.53) < 0.01 && fabs(v[3] - 613.28) < 0.01);
    box_of(out, "TrimBox:", v);
    assert_true(fabs(v[0] - 9) < 0.01 && fabs(v[1] - 9) < 0.01 && fabs(v[2] - 428.53) < 0.01 &&
                fabs(v[3] - 604.28) < 0.01);
    box_of(out, "BleedBox:", v);
    assert_true(fabs(v[0]) < 0.01 && fabs(v[1]) < 0.01 && fabs(v[2] - 437.53) < 0.01 && fabs(v[3] - 613.28) < 0.01);
    assert_non_null(strstr(out, "Title:           Ledelsesgrundlag \xE2\x80\x93 på dansk\n"));
    assert_non_null(strstr(out, "Author:          Skanderborg Kommune\n"));
    assert_non_null(strstr(out, "Subject:         Prøve\n"));
    assert_non_null(strstr(out, "Creator:         grundlag test\n"));
    assert_non_null(strstr(out, "Pages:           2\n"));
    free(out);

    /* poppler reports a missing BleedBox as the CropBox, so count the keys */
    char qdf[256], cmd[600];
    path_in(fx, "boxes-qdf.pdf", qdf, sizeof qdf);
    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable '%s' '%s'", path, qdf);
    assert_int_equal(system(cmd), 0);
    size_t len;
    unsigned char *raw = slurp(qdf, &len);
    assert_int_equal(count((char *)raw, len, "/TrimBox"), 2);
    assert_int_equal(count((char *)raw, len, "/BleedBox"), 1);
    assert_int_equal(count((char *)raw, len, "/Lang (da)"), 1);
    /* no dates, or the bytes would change from run to run */
    assert_int_equal(count((char *)raw, len, "CreationDate"), 0);
    assert_int_equal(count((char *)raw, len, "ModDate"), 0);
    free(raw);
}

static void test_deterministic_and_small(void **state) {
    FIXTURE(state);
    pdf_doc_t *p = build_doc(fx);
    char a[256], b[256], c[256];
    save(fx, p, "a.pdf", a, sizeof a);
    save(fx, p, "b.pdf", b, sizeof b); /* saving again must not re-subset or change anything */
    pdf_doc_drop(p);
    p = build_doc(fx); /* and a fresh document with the same content */
    save(fx, p, "c.pdf", c, sizeof c);
    pdf_doc_drop(p);

    size_t la, lb, lc;
    unsigned char *da = slurp(a, &la), *db = slurp(b, &lb), *dc = slurp(c, &lc);
    assert_int_equal(la, lb);
    assert_memory_equal(da, db, la);
    assert_int_equal(la, lc);
    assert_memory_equal(da, dc, la);
    /* the /ID is there, and is the same both times */
    assert_int_equal(count((char *)da, la, "/ID [ <"), 1);
    print_message("one-page test PDF: %zu bytes\n", la);
    assert_true(la < 20 * 1024);
    free(da);
    free(db);
    free(dc);
}

/* pdftotext -bbox gives each word's box; the end of the last word of a
 * line must be where HarfBuzz put it, to within rounding. */
static void test_positions(void **state) {
    FIXTURE(state);
    pdf_doc_t *p = pdf_doc_new(fx->d);
    assert_true(pdf_page_begin(p, 400, 200, NULL, NULL));
    const char *text = "AVATAR Tøjvask";
    const double size = 23.5, x = 31.25, y = 100;
    font_run_t r;
    assert_true(font_shape(fx->serif, text, strlen(text), &r));
    pdf_draw_glyphs(p, fx->serif, size, x, y, text, strlen(text), r.glyphs, r.count);
    /* a second word drawn on the same baseline continues the line */
    font_run_t r2;
    assert_true(font_shape(fx->serif, "AVA", 3, &r2));
    double x2 = x + r.width * size / 1000.0 + 30;
    pdf_draw_glyphs(p, fx->serif, size, x2, y, "AVA", 3, r2.glyphs, r2.count);
    assert_true(pdf_page_end(p));
    char path[256];
    save(fx, p, "pos.pdf", path, sizeof path);
    pdf_doc_drop(p);

    char *out = run_ok("pdftotext -bbox '%s' -", path);
    double xmin[3], xmax[3];
    const char *at = out;
    for (int i = 0; i < 3; i++) {
        at = strstr(at, "<word xMin=\"");
        assert_non_null(at);
        assert_int_equal(sscanf(at, "<word xMin=\"%lf\" yMin=\"%*f\" xMax=\"%lf\"", &xmin[i], &xmax[i]), 2);
        at++;
    }
    /* the run's last glyph (g) is not kerned, so its /W width is its advance */
    double end1 = x + r.width * size / 1000.0;
    assert_true(fabs(xmin[0] - x) < 0.01);
    assert_true(fabs(xmax[1] - end1) < 0.02);
    assert_true(fabs(xmin[2] - x2) < 0.02);
    assert_true(fabs(xmax[2] - (x2 + r2.width * size / 1000.0)) < 0.02);
    free(out);
}

/* Saving, drawing more, saving again: the fonts are re-subset in place. */
static void test_save_again_after_more_pages(void **state) {
    FIXTURE(state);
    pdf_doc_t *p = build_doc(fx);
    char a[256], b[256];
    save(fx, p, "first.pdf", a, sizeof a);
    assert_true(pdf_page_begin(p, 419.528, 595.276, NULL, NULL));
    draw_line(p, fx->serif, 11, 40, 500, "Zebra xylofon qvist");
    assert_true(pdf_page_end(p));
    save(fx, p, "second.pdf", b, sizeof b);
    pdf_doc_drop(p);
    char *out = run_ok("pdftotext -f 2 -l 2 -enc UTF-8 '%s' -", b);
    assert_string_equal(out, "Zebra xylofon qvist\n\n\f");
    free(out);
    out = run_ok("qpdf --check '%s' 2>&1", b);
    if (strstr(out, "WARNING")) fail_msg("qpdf --check complained:\n%s", out);
    free(out);
    out = run_ok("pdffonts '%s'", b);
    assert_int_equal(count(out, strlen(out), "CID TrueType"), 2); /* still two fonts, not four */
    free(out);
}

/* Marks with a vertical offset are raised with Ts, and Ts is reset. */
static void test_rise(void **state) {
    FIXTURE(state);
    pdf_doc_t *p = pdf_doc_new(fx->d);
    assert_true(pdf_page_begin(p, 300, 200, NULL, NULL));
    font_run_t r;
    assert_true(font_shape(fx->serif, "xox", 3, &r));
    font_glyph_t g[3];
    memcpy(g, r.glyphs, sizeof g);
    g[1].y_offset = 250; /* a quarter em up */
    pdf_draw_glyphs(p, fx->serif, 10, 20, 100, "xox", 3, g, 3);
    assert_true(pdf_page_end(p));
    char path[256], qdf[256], cmd[600];
    save(fx, p, "rise.pdf", path, sizeof path);
    pdf_doc_drop(p);
    path_in(fx, "rise-qdf.pdf", qdf, sizeof qdf);
    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable '%s' '%s'", path, qdf);
    assert_int_equal(system(cmd), 0);
    size_t len;
    unsigned char *raw = slurp(qdf, &len);
    assert_int_equal(count((char *)raw, len, "2.5 Ts"), 1);
    assert_int_equal(count((char *)raw, len, "0 Ts"), 1);
    free(raw);
    char *out = run_ok("pdftotext -bbox '%s' -", path);
    assert_non_null(strstr(out, ">xox</word>"));
    free(out);
}

static void test_save_error(void **state) {
    FIXTURE(state);
    pdf_doc_t *p = pdf_doc_new(fx->d);
    assert_true(pdf_page_begin(p, 300, 200, NULL, NULL));
    assert_true(pdf_page_end(p));
    long before = (long)strlen(diag_text(fx));
    assert_false(pdf_save(p, "/nonexistent-dir/x.pdf"));
    assert_string_equal(diag_text(fx) + before,
                        "grundlag: error: cannot write '/nonexistent-dir/x.pdf': No such file or directory\n");
    pdf_doc_drop(p);
}

/* A locale with a decimal comma must not leak into the PDF's numbers. */
/* The content writer's integers, every digit-count and sign, as printf
 * writes them; numbers to three decimals, trailing zeros dropped. */
static void test_buf_numbers(void **state) {
    (void)state;
    static const long long ints[] = {0, 7, 9, 10, 42, 99, 100, 101, 999, 1000, 12345, 1234567, -1, -10, -99, -100,
                                     -987654321, 9223372036854775807LL, -9223372036854775807LL - 1};
    pdf_buf_t b = {0};
    char want[64];
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        b.len = 0;
        pdf_buf_int(&b, ints[i]);
        snprintf(want, sizeof want, "%lld", ints[i]);
        assert_int_equal(b.len, strlen(want));
        assert_memory_equal(b.data, want, b.len);
    }
    static const struct { double v; const char *s; } nums[] = {
        {0, "0"}, {1.5, "1.5"}, {-2.25, "-2.25"}, {10.1234, "10.123"}, {0.0005, "0.001"}, {100, "100"}, {-0.0004, "0"}};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        b.len = 0;
        pdf_buf_num(&b, nums[i].v);
        assert_int_equal(b.len, strlen(nums[i].s));
        assert_memory_equal(b.data, nums[i].s, b.len);
    }
    pdf_buf_free(&b);
}

static void test_decimal_comma_locale(void **state) {
    FIXTURE(state);
    const char *names[] = {"da_DK.UTF-8", "da_DK.utf8", "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8"};
    const char *got = NULL;
    for (size_t i = 0; i < 5 && !got; i++) got = setlocale(LC_NUMERIC, names[i]);
    if (!got) {
        print_message("no locale with a decimal comma installed; skipping\n");
        skip();
        return;
    }
    char a[256], b[256];
    pdf_doc_t *p = build_doc(fx);
    save(fx, p, "comma.pdf", a, sizeof a);
    pdf_doc_drop(p);
    setlocale(LC_NUMERIC, "C");
    p = build_doc(fx);
    save(fx, p, "point.pdf", b, sizeof b);
    pdf_doc_drop(p);
    size_t la, lb;
    unsigned char *da = slurp(a, &la), *db = slurp(b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(da, db, la);
    free(da);
    free(db);
}

/* A form drawn on two pages: stored once, shown on both, its text
 * extracted on both in reading order with the pages' own text, fonts
 * shared between the form and the pages (one subset each, exact ToUnicode
 * for what either drew, the decomposed å included). */
static void test_form_on_two_pages(void **state) {
    FIXTURE(state);
    size_t before = strlen(diag_text(fx));
    pdf_doc_t *p = pdf_doc_new(fx->d);
    assert_non_null(p);
    pdf_box_t bbox = {-9, -9, 419.528 + 9, 595.276 + 9};
    assert_true(pdf_form_begin(p, &bbox));
    pdf_fill_colour(p, (colour_t){COLOUR_CMYK, {0.9, 0.5, 0, 0.3}});
    draw_line(p, fx->serif, 11, 40, 500, LINES[0]);
    draw_line(p, fx->serif, 11, 40, 484, LINES[1]);
    pdf_fill_colour(p, (colour_t){COLOUR_RGB, {1, 0.5, 0, 0}});
    pdf_fill_rect(p, 40, 300, 200, 12);
    int form = pdf_form_end(p);
    assert_int_equal(form, 0);
    const char *own[2] = {BOLD_LINE, LINES[2]};
    pdf_box_t trim = {9, 9, 9 + 419.528, 9 + 595.276};
    for (int i = 0; i < 2; i++) {
        assert_true(pdf_page_begin(p, 437.528, 613.276, &trim, NULL));
        assert_true(pdf_draw_form(p, form, 9, 9));
        /* the page's own text, in the form's fonts and another */
        draw_line(p, i ? fx->serif : fx->bold, 11, 49, 109, own[i]);
        assert_true(pdf_page_end(p));
    }
    char path[256];
    save(fx, p, "form.pdf", path, sizeof path);
    pdf_doc_drop(p);
    assert_string_equal(diag_text(fx) + before, "");

    for (int i = 0; i < 2; i++) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "pdftotext -f %d -l %d -enc UTF-8 '%%s' -", i + 1, i + 1);
        char *out = run_ok(cmd, path);
        char expected[1024];
        snprintf(expected, sizeof expected, "%s\n%s\n\n%s\n\n\f", LINES[0], LINES[1], own[i]);
        assert_string_equal(out, expected);
        free(out);
    }
    /* the form's text sits where the page's origin put it: 40 + 9 */
    char *out = run_ok("pdftotext -f 2 -l 2 -bbox '%s' -", path);
    double xmin;
    const char *at = strstr(out, "<word xMin=\"");
    assert_non_null(at);
    assert_int_equal(sscanf(at, "<word xMin=\"%lf\"", &xmin), 1);
    assert_true(fabs(xmin - 49) < 0.01);
    free(out);

    out = run_ok("qpdf --check '%s' 2>&1", path);
    if (strstr(out, "WARNING")) fail_msg("qpdf --check complained:\n%s", out);
    free(out);
    out = run_ok("pdffonts '%s'", path);
    assert_int_equal(count(out, strlen(out), "CID TrueType      Identity-H       yes yes yes"), 2);
    free(out);

    /* one form object, drawn by both pages */
    char qdf[256], cmd[600];
    path_in(fx, "form-qdf.pdf", qdf, sizeof qdf);
    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable '%s' '%s'", path, qdf);
    assert_int_equal(system(cmd), 0);
    size_t len;
    unsigned char *raw = slurp(qdf, &len);
    assert_int_equal(count((char *)raw, len, "/Subtype /Form"), 1);
    assert_int_equal(count((char *)raw, len, "q 1 0 0 1 9 9 cm /Fm0 Do Q"), 2);
    assert_int_equal(count((char *)raw, len, "/Type /Page\n"), 2);
    free(raw);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_roundtrip),
        cmocka_unit_test(test_fonts_embedded),
        cmocka_unit_test(test_qpdf_check),
        cmocka_unit_test(test_boxes_and_info),
        cmocka_unit_test(test_deterministic_and_small),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_save_again_after_more_pages),
        cmocka_unit_test(test_rise),
        cmocka_unit_test(test_save_error),
        cmocka_unit_test(test_buf_numbers),
        cmocka_unit_test(test_decimal_comma_locale),
        cmocka_unit_test(test_form_on_two_pages),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
