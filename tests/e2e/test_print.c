/* End-to-end: the print files (layouts with `print:`) as a print shop gets
 * them. PDF/X-4 keys and output intent, dates from the data or
 * SOURCE_DATE_EPOCH (never the clock), no links, boxes; the plates, read
 * from the content streams (qpdf --qdf writes them uncompressed): no RGB,
 * body text 100 % K, type under 12 pt in one plate or 100 % K, hairlines in
 * one plate (crop marks in registration colour), at most 300 % ink; the
 * booklet's page count, and the imposed booklet's order, page by page
 * against the page-by-page file. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <math.h>
#include <stdbool.h>

#include "e2e/e2e.h"

static const char *const print_layouts[] = {"handbook-print", "handbook-booklet", "role-card-print",
                                            "role-cards-sheet", NULL};
static char *dir; /* the print files, rendered once */

static int setup(void **state) {
    (void)state;
    dir = e2e_tmpdir();
    if (!dir) return -1;
    e2e_result_t r = e2e_run("env -u SOURCE_DATE_EPOCH %s render --out-dir %s layouts/handbook-print.yaml "
                             "layouts/handbook-booklet.yaml layouts/role-card-print.yaml layouts/role-cards-sheet.yaml",
                             e2e_bin(), dir);
    if (r.status != 0) fprintf(stderr, "%s", r.err);
    int st = r.status == 0 ? 0 : -1;
    e2e_result_free(&r);
    return st;
}

static int teardown(void **state) {
    (void)state;
    e2e_rmtree(dir);
    return 0;
}

/* ---- a small content-stream reader ------------------------------------------- */

typedef struct plates {
    size_t texts, strokes, fills;             /* text-showing, stroking, filling operators seen */
    size_t rgb;                               /* rg / RG / RGB spaces */
    size_t small_multi;                       /* text under 12 pt in more than one plate, not 100 % K */
    size_t stroke_multi;                      /* strokes in more than one plate, not registration */
    size_t registration_misused;              /* 1 1 1 1 for text or a fill, or a stroke wider than a mark */
    size_t over_ink;                          /* fills or text above 300 % */
    double sizes[64];                         /* text sizes seen … */
    size_t size_count[64], size_k100[64], nsizes; /* … how often, how often in 100 % K */
    char example[160];                        /* the first offence */
} plates_t;

static int plates_of(const double c[4]) {
    int n = 0;
    for (int i = 0; i < 4; i++) n += c[i] > 0.0005;
    return n;
}

static bool k100(const double c[4]) { return c[0] < 0.0005 && c[1] < 0.0005 && c[2] < 0.0005 && c[3] > 0.9995; }
static bool reg(const double c[4]) { return c[0] > 0.9995 && c[1] > 0.9995 && c[2] > 0.9995 && c[3] > 0.9995; }
static double ink(const double c[4]) { return c[0] + c[1] + c[2] + c[3]; }

static void offence(plates_t *p, size_t *counter, const char *what, double size, const double c[4]) {
    if (!*counter && !p->example[0])
        snprintf(p->example, sizeof p->example, "%s (size %.2f) in %.3f %.3f %.3f %.3f", what, size, c[0], c[1], c[2],
                 c[3]);
    (*counter)++;
}

/* Reads one content stream: operands onto a small stack, operators applied. */
static void read_stream(const char *s, size_t len, plates_t *p) {
    double stack[16];
    int sp = 0;
    double fill[4] = {0, 0, 0, 1}, stroke[4] = {0, 0, 0, 1}, size = 0, lw = 1;
    char last_name[32] = "";
    int named = 0; /* the colour space set by CS/cs: 1 /Reg, 2 another */
    const char *end = s + len;
    while (s < end) {
        unsigned char ch = (unsigned char)*s;
        if (isspace(ch)) { s++; continue; }
        if (ch == '(') { /* a string: nested parentheses, backslash escapes */
            int depth = 0;
            for (; s < end; s++) {
                if (*s == '\\') { s++; continue; }
                if (*s == '(') depth++;
                if (*s == ')' && --depth == 0) { s++; break; }
            }
            continue;
        }
        if (ch == '<' && s + 1 < end && s[1] == '<') { s += 2; continue; }
        if (ch == '>' && s + 1 < end && s[1] == '>') { s += 2; continue; }
        if (ch == '<') { while (s < end && *s != '>') s++; s++; continue; }
        if (ch == '[' || ch == ']' || ch == '/') {
            s++;
            const char *name = s;
            if (ch == '/') while (s < end && !isspace((unsigned char)*s) && !strchr("/[]()<>", *s)) s++;
            if (ch == '/') snprintf(last_name, sizeof last_name, "%.*s", (int)(s - name), name);
            continue;
        }
        if (isdigit(ch) || ch == '-' || ch == '.' || ch == '+') {
            char *e;
            double v = strtod(s, &e);
            if (e == s) { s++; continue; }
            if (sp < 16) stack[sp++] = v;
            s = e;
            continue;
        }
        const char *op = s;
        while (s < end && (isalpha((unsigned char)*s) || *s == '*' || *s == '\'' || *s == '"')) s++;
        size_t n = (size_t)(s - op);
        if (n == 0) { s++; continue; }
#define OP(x) (n == strlen(x) && strncmp(op, x, n) == 0)
        /* "/Reg CS 1 SCN": the registration colour, /Separation /All (every plate) */
        if ((OP("CS") || OP("cs")) && last_name[0]) named = strcmp(last_name, "Reg") == 0 ? 1 : 2;
        if ((OP("SCN") || OP("scn")) && named == 1 && sp >= 1) {
            double c[4] = {stack[sp - 1], stack[sp - 1], stack[sp - 1], stack[sp - 1]};
            memcpy(OP("SCN") ? stroke : fill, c, sizeof c);
        } else if ((OP("SCN") || OP("scn")) && named == 2) {
            p->rgb++; /* another colour space: not allowed in a print file */
        }
        if (OP("k") && sp >= 4) memcpy(fill, stack + sp - 4, sizeof fill);
        else if (OP("K") && sp >= 4) memcpy(stroke, stack + sp - 4, sizeof stroke);
        else if (OP("g") && sp >= 1) { double c[4] = {0, 0, 0, 1 - stack[sp - 1]}; memcpy(fill, c, sizeof c); }
        else if (OP("G") && sp >= 1) { double c[4] = {0, 0, 0, 1 - stack[sp - 1]}; memcpy(stroke, c, sizeof c); }
        else if (OP("rg") || OP("RG")) p->rgb++;
        else if (OP("Tf") && sp >= 1) size = stack[sp - 1];
        else if (OP("w") && sp >= 1) lw = stack[sp - 1];
        else if (OP("TJ") || OP("Tj") || OP("'") || OP("\"")) {
            p->texts++;
            size_t i = 0;
            while (i < p->nsizes && fabs(p->sizes[i] - size) > 0.005) i++;
            if (i == p->nsizes && i < 64) p->sizes[p->nsizes++] = size;
            if (i < 64) {
                p->size_count[i]++;
                p->size_k100[i] += k100(fill);
            }
            if (size < 12 && plates_of(fill) > 1 && !k100(fill)) offence(p, &p->small_multi, "small text", size, fill);
            if (reg(fill)) offence(p, &p->registration_misused, "text in registration colour", size, fill);
            else if (ink(fill) > 3.0005) offence(p, &p->over_ink, "text over 300 %", size, fill);
        } else if (OP("S") || OP("s")) {
            p->strokes++;
            if (reg(stroke) && lw > 0.3) offence(p, &p->registration_misused, "a wide registration stroke", lw, stroke);
            else if (!reg(stroke) && plates_of(stroke) > 1) offence(p, &p->stroke_multi, "a stroke", lw, stroke);
        } else if (OP("f") || OP("F") || OP("f*") || OP("B") || OP("b")) {
            p->fills++;
            if (reg(fill)) offence(p, &p->registration_misused, "a fill in registration colour", 0, fill);
            else if (ink(fill) > 3.0005) offence(p, &p->over_ink, "a fill over 300 %", 0, fill);
        }
#undef OP
        sp = 0;
        last_name[0] = '\0';
    }
}

/* The page content streams of `pdf`, as qpdf --qdf writes them (each after
 * a "%% Contents for page N" comment), read into *p. */
static void read_plates(const char *pdf, plates_t *p) {
    memset(p, 0, sizeof *p);
    char *q = e2e_path(dir, "qdf.pdf");
    e2e_result_t r = e2e_run("qpdf --qdf --object-streams=disable %s %s", pdf, q);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    size_t len = 0;
    char *t = e2e_read_file(q, &len);
    assert_non_null(t);
    /* a print file names no RGB space either */
    if (memmem(t, len, "/DeviceRGB", 10) || memmem(t, len, "/CalRGB", 7)) p->rgb++;
    for (char *c = t; (c = memmem(c, len - (size_t)(c - t), "%% Contents for page", 20)); c++) {
        char *st = memmem(c, len - (size_t)(c - t), "stream\n", 7);
        char *en = st ? memmem(st, len - (size_t)(st - t), "endstream", 9) : NULL;
        assert_non_null(en);
        read_stream(st + 7, (size_t)(en - st - 7), p);
    }
    free(t);
    free(q);
}

static void test_plates(void **state) {
    (void)state;
    for (size_t i = 0; print_layouts[i]; i++) {
        char name[128];
        snprintf(name, sizeof name, "%s.pdf", print_layouts[i]);
        char *pdf = e2e_path(dir, name);
        plates_t p;
        read_plates(pdf, &p);
        /* the body's size: the size set most often */
        size_t body = 0;
        for (size_t k = 1; k < p.nsizes; k++)
            if (p.size_count[k] > p.size_count[body]) body = k;
        fprintf(stderr, "%s: %zu text runs (body %.2f pt: %zu, %zu in 100 %% K), %zu strokes, %zu fills; RGB %zu, "
                        "small multi-plate %zu, multi-plate strokes %zu, registration misused %zu, over 300 %% %zu%s%s\n",
                name, p.texts, p.sizes[body], p.size_count[body], p.size_k100[body], p.strokes, p.fills, p.rgb,
                p.small_multi, p.stroke_multi, p.registration_misused, p.over_ink, p.example[0] ? "; e.g. " : "",
                p.example);
        assert_true(p.texts > 100 && p.strokes > 0 && p.fills > 0); /* the reader saw the pages */
        assert_int_equal(p.rgb, 0);
        /* the body text: most runs at the size set most often (the rest,
         * a kicker at the same size, is one plate like all small type) */
        assert_true(p.size_k100[body] * 2 > p.size_count[body]);
        assert_int_equal(p.small_multi, 0);
        assert_int_equal(p.stroke_multi, 0);
        assert_int_equal(p.registration_misused, 0);
        assert_int_equal(p.over_ink, 0);
        free(pdf);
    }
}

/* The reader itself, on streams made to break each rule once (and to keep
 * it, as what is allowed shows). */
static void test_plates_reader_finds_offences(void **state) {
    (void)state;
    static const struct { const char *ops; size_t field; size_t want; } cases[] = {
        {"0.45 0.2 0 0.45 k BT /F1 8 Tf [(a\\)b)-20(c)]TJ ET 0 0 0 1 k BT /F1 14 Tf (x)Tj ET",
         offsetof(plates_t, small_multi), 1},
        {"1 0 0 rg 0 0 10 10 re f 0 0 0 RG", offsetof(plates_t, rgb), 2},
        {"0.5 w 0 0.6 0 0.4 K 0 0 m 10 0 l S 0.5 w 0 0 0 0.3 K 0 0 m 10 0 l S", offsetof(plates_t, stroke_multi), 1},
        {"0.25 w 1 1 1 1 K 0 0 m 0 10 l S 2 w 0 0 m 1 1 l S", offsetof(plates_t, registration_misused), 1},
        {"0.25 w /Reg CS 1 SCN 0 0 m 0 10 l S /Reg cs 1 scn 0 0 5 5 re f", offsetof(plates_t, registration_misused), 1},
        {"/CS0 cs 0.5 scn 0 0 5 5 re f", offsetof(plates_t, rgb), 1},
        {"0.9 0.9 0.9 0.9 k 0 0 5 5 re f 0.5 0.5 1 1 k 0 0 5 5 re f", offsetof(plates_t, over_ink), 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        plates_t p;
        memset(&p, 0, sizeof p);
        read_stream(cases[i].ops, strlen(cases[i].ops), &p);
        assert_int_equal(*(const size_t *)((const char *)&p + cases[i].field), cases[i].want);
        assert_true(p.texts + p.strokes + p.fills + p.rgb > 0);
    }
}

/* ---- PDF/X ------------------------------------------------------------------- */

static void test_pdfx_keys(void **state) {
    (void)state;
    for (size_t i = 0; print_layouts[i]; i++) {
        e2e_result_t r = e2e_run(
            "f=%s/%s.pdf; q=$(qpdf --qdf --object-streams=disable $f -); "
            "for k in '/GTS_PDFXVersion (PDF/X-4)' '/Trapped /False' '/S /GTS_PDFX' "
            "'/OutputConditionIdentifier (Custom)' '/DestOutputProfile' '/RegistryName (http://www.color.org)' "
            "'/Info (Artifex CMYK SWOP Profile)' '<pdfxid:GTS_PDFXVersion>PDF/X-4<' '<pdf:Trapped>False<' "
            "'<xmpMM:DocumentID>uuid:' '<xmpMM:VersionID>1<' '<xmpMM:RenditionClass>default<' "
            "'<xmp:CreateDate>2026-12-01T00:00:00Z<' '/Marked true'; do "
            "printf '%%s' \"$q\" | grep -a -c -F \"$k\"; done; "
            "printf '%%s' \"$q\" | grep -a -c '/Subtype /Link'; "
            "pdfinfo $f | grep -E '^(CreationDate|ModDate)'",
            dir, print_layouts[i]);
        /* each key once, no links; the dates are the data's */
        assert_string_equal(r.out, "1\n1\n1\n1\n1\n1\n1\n1\n1\n1\n1\n1\n1\n1\n0\n"
                                   "CreationDate:    Tue Dec  1 00:00:00 2026 UTC\n"
                                   "ModDate:         Tue Dec  1 00:00:00 2026 UTC\n");
        e2e_result_free(&r);
    }
    /* Every page: a TrimBox within a BleedBox 3 mm larger, within the MediaBox. */
    e2e_result_t r = e2e_run("pdfinfo -box -f 1 -l 2 %s/role-cards-sheet.pdf | grep -E '^Page +1 +(Media|Bleed|Trim)Box'",
                             dir);
    assert_string_equal(r.out, "Page    1 MediaBox:      0.00     0.00  1190.55   841.89\n"
                               "Page    1 BleedBox:    150.24   114.80  1040.32   727.09\n"
                               "Page    1 TrimBox:     158.74   123.31  1031.81   718.58\n");
    e2e_result_free(&r);
}

/* SOURCE_DATE_EPOCH wins over the data's date; without either a print file
 * is refused at its print: block (the clock is never asked); a layout
 * without print: still gets no dates. */
static void test_print_dates(void **state) {
    (void)state;
    e2e_result_t r = e2e_run("SOURCE_DATE_EPOCH=1798761600 %s render -o %s/x.pdf layouts/role-card-print.yaml && "
                             "pdfinfo %s/x.pdf | grep -E '^CreationDate' && "
                             "grep -v '^  date:' data/ledelsesgrundlag.yaml > %s/nodate.yaml && "
                             "env -u SOURCE_DATE_EPOCH %s render --data %s/nodate.yaml -o %s/y.pdf layouts/role-card-print.yaml",
                             e2e_bin(), dir, dir, dir, e2e_bin(), dir, dir);
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "CreationDate:    Fri Jan  1 00:00:00 2027 UTC\n");
    assert_non_null(strstr(r.err, "layouts/role-card-print.yaml:"));
    assert_non_null(strstr(r.err, ": error: a print file (PDF/X) needs a creation date: give the data a document.date"));
    e2e_result_free(&r);
    r = e2e_run("test ! -e %s/y.pdf && env -u SOURCE_DATE_EPOCH %s render --data %s/nodate.yaml -o %s/z.pdf "
                "layouts/role-card-a5.yaml && pdfinfo %s/z.pdf | grep -c -E '^(CreationDate|ModDate)'",
                dir, e2e_bin(), dir, dir, dir);
    assert_string_equal(r.out, "0\n");
    e2e_result_free(&r);
}

/* ---- the booklet -------------------------------------------------------------- */

/* The text of page `page` of `pdf` (or of its left or right half: side
 * 'l'/'r'), squashed; malloc'd. */
static char *page_text(const char *pdf, int page, char side) {
    e2e_result_t r = side == 'l'   ? e2e_run("pdftotext -f %d -l %d -x 0 -y 0 -W 595 -H 842 %s -", page, page, pdf)
                     : side == 'r' ? e2e_run("pdftotext -f %d -l %d -x 596 -y 0 -W 595 -H 842 %s -", page, page, pdf)
                                   : e2e_run("pdftotext -f %d -l %d %s -", page, page, pdf);
    assert_int_equal(r.status, 0);
    char *s = e2e_squash(r.out);
    e2e_result_free(&r);
    return s;
}

static void test_booklet_order(void **state) {
    (void)state;
    char *print = e2e_path(dir, "handbook-print.pdf"), *booklet = e2e_path(dir, "handbook-booklet.pdf");
    e2e_result_t r = e2e_run("pdfinfo %s | grep Pages; pdfinfo %s | grep -E 'Pages|Page size'", print, booklet);
    /* 32 pages, a multiple of 4: 8 sheets of A3, 16 sides */
    assert_string_equal(r.out, "Pages:           32\nPages:           16\nPage size:       1190.55 x 841.89 pts (A3)\n");
    e2e_result_free(&r);
    /* Side k (from 0) holds pages k+1 and 32-k: the lower on the right of
     * a front (k even), on the left of a back. */
    size_t blank = 0;
    for (int k = 0; k < 16; k++) {
        int lo = k + 1, hi = 32 - k;
        int left = k % 2 == 0 ? hi : lo, right = k % 2 == 0 ? lo : hi;
        char *want_l = page_text(print, left, 0), *want_r = page_text(print, right, 0);
        char *got_l = page_text(booklet, k + 1, 'l'), *got_r = page_text(booklet, k + 1, 'r');
        if (strcmp(want_l, got_l) != 0 || strcmp(want_r, got_r) != 0)
            fprintf(stderr, "side %d: want %d|%d\n  left  %.60s\n  got   %.60s\n  right %.60s\n  got   %.60s\n", k + 1,
                    left, right, want_l, got_l, want_r, got_r);
        assert_string_equal(want_l, got_l);
        assert_string_equal(want_r, got_r);
        blank += !*want_l + !*want_r;
        free(want_l);
        free(want_r);
        free(got_l);
        free(got_r);
    }
    /* the planned blanks: inside front cover, after the contents, after the
     * foreword and before two chapters; the notes page and the back cover
     * have text */
    assert_int_equal(blank, 5);
    char *last = page_text(print, 32, 0), *notes = page_text(print, 31, 0);
    assert_non_null(strstr(last, "1.udgave,december2026"));
    assert_non_null(strstr(last, "SkanderborgKommune"));
    assert_non_null(strstr(notes, "Noter"));
    free(last);
    free(notes);
    free(print);
    free(booklet);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plates_reader_finds_offences),
        cmocka_unit_test(test_plates),
        cmocka_unit_test(test_pdfx_keys),
        cmocka_unit_test(test_print_dates),
        cmocka_unit_test(test_booklet_order),
    };
    return cmocka_run_group_tests_name("print", tests, setup, teardown);
}
