/* End-to-end: tagged PDFs (PDF/UA-1 structure). The structure tree of a
 * small document has the expected shape in reading order; no text on any
 * page of any kind is outside marked content (an element or an artifact);
 * the catalog says Marked, Lang, DisplayDocTitle and the XMP names PDF/UA-1;
 * `tagged: false` writes a plain file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "e2e/e2e.h"

#define NEW_DIR(dir)                \
    char *dir = e2e_tmpdir();       \
    if (!dir) { fail(); return; }

/* Every text-showing operator (TJ) sits inside BDC/BMC … EMC. */
static void assert_all_text_marked(const char *pdf) {
    e2e_result_t r = e2e_run("qpdf --qdf --object-streams=disable %s -", pdf);
    assert_int_equal(r.status, 0);
    int depth = 0;
    size_t shown = 0, outside = 0;
    /* The whole output: font programs hold NUL bytes. */
    for (const char *p = r.out, *end = r.out + r.out_len; p + 3 < end; p++) {
        if (p[0] == 'B' && p[1] == 'D' && p[2] == 'C' && (p[3] == '\n' || p[3] == ' ')) depth++;
        else if (p[0] == 'B' && p[1] == 'M' && p[2] == 'C' && (p[3] == '\n' || p[3] == ' ')) depth++;
        else if (p[0] == 'E' && p[1] == 'M' && p[2] == 'C' && (p[3] == '\n' || p[3] == ' ')) depth--;
        else if (p[0] == ']' && p[1] == 'T' && p[2] == 'J') {
            shown++;
            if (depth <= 0) outside++;
        }
    }
    e2e_result_free(&r);
    assert_true(shown > 0);
    assert_int_equal(outside, 0);
    assert_int_equal(depth, 0);
}

static void assert_catalog(const char *pdf) {
    e2e_result_t r = e2e_run("qpdf --qdf --object-streams=disable %s - | grep -a -c -E "
                             "'/Marked true|/Lang \\(da-DK\\)|/DisplayDocTitle true|pdfuaid:part>1<|/StructTreeRoot'",
                             pdf);
    assert_true(atoi(r.out) >= 5);
    e2e_result_free(&r);
    r = e2e_run("pdfinfo %s | grep Tagged", pdf);
    assert_non_null(strstr(r.out, "yes"));
    e2e_result_free(&r);
}

static void test_sample_tree(void **state) {
    (void)state;
    NEW_DIR(dir);
    e2e_result_t r = e2e_run("%s render -o %s/s.pdf layouts/sample.yaml && pdfinfo -struct-text %s/s.pdf", e2e_bin(), dir,
                             dir);
    assert_int_equal(r.status, 0);
    /* the foreword, then the chapter: kicker, title, a section with its list */
    const char *want[] = {"Document\n", "  Sect\n", "    H1 (block)\n", "      \"Forord\"\n", "    P (block)\n",
                          "      \"I Skanderborg Kommune er vi ambitiøse", "  Sect\n", "    P (block)\n",
                          "      \"DIREKTION\"\n", "    H1 (block)\n", "      \"Direktør\"\n", "    Sect\n",
                          "      H2 (block)\n", "        \"Den fælles opgave\"\n", "      L (block)\n",
                          "        LI (block)\n", "          Lbl (block)\n", "            \"•\"\n",
                          "          LBody (block)\n", "            \"Kommunens overordnede strategiske"};
    const char *at = r.out;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *hit = strstr(at, want[i]);
        if (!hit) fprintf(stderr, "structure lacks, in order: %s\n--- got:\n%.1500s\n", want[i], r.out);
        assert_non_null(hit);
        at = hit + strlen(want[i]);
    }
    e2e_result_free(&r);
    char *pdf = e2e_path(dir, "s.pdf");
    assert_all_text_marked(pdf);
    assert_catalog(pdf);
    free(pdf);
    e2e_rmtree(dir);
}

/* Every kind: all text marked; the kind's elements present. */
static void test_every_kind(void **state) {
    (void)state;
    static const struct { const char *args, *file, *elements[4]; } kinds[] = {
        {"layouts/handbook.yaml", "handbook.pdf", {"TOCI", "Link", "Object ", "LBody"}},
        {"layouts/role-card.yaml", "role-card.pdf", {"H1", "H2", "LI", "LBody"}},
        {"layouts/poster-overview.yaml", "poster-overview.pdf", {"Table", "TR", "TH", "TD"}},
        {"--roster samples/roster.csv layouts/worksheet.yaml", "worksheet.pdf", {"Figure", "H1", "LBody", "Lbl"}},
    };
    for (size_t k = 0; k < 4; k++) {
        NEW_DIR(dir);
        e2e_result_t r = e2e_run("%s render --out-dir %s %s && pdfinfo -struct-text %s/%s", e2e_bin(), dir,
                                 kinds[k].args, dir, kinds[k].file);
        assert_int_equal(r.status, 0);
        for (size_t e = 0; e < 4; e++) {
            if (!strstr(r.out, kinds[k].elements[e])) fprintf(stderr, "%s: no %s\n", kinds[k].file, kinds[k].elements[e]);
            assert_non_null(strstr(r.out, kinds[k].elements[e]));
        }
        e2e_result_free(&r);
        char *pdf = e2e_path(dir, kinds[k].file);
        assert_all_text_marked(pdf);
        assert_catalog(pdf);
        r = e2e_run("qpdf --check %s", pdf);
        assert_int_equal(r.status, 0);
        e2e_result_free(&r);
        free(pdf);
        e2e_rmtree(dir);
    }
}

/* The personalised worksheet's structure: each participant's own copy of
 * the body, their values in its header, in roster order. */
static void test_worksheet_per_participant(void **state) {
    (void)state;
    NEW_DIR(dir);
    e2e_result_t r = e2e_run("%s render --roster samples/roster.csv -o %s/w.pdf layouts/worksheet.yaml && "
                             "pdfinfo -struct-text %s/w.pdf | grep -c '\"Det fundamentale ansvar i rollen\"'",
                             e2e_bin(), dir, dir);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "10\n"); /* ten participants, ten copies */
    e2e_result_free(&r);
    r = e2e_run("pdfinfo -struct-text %s/w.pdf | grep -n -E '\"(Anne Sørensen|Mikkel Lund)\"'", dir);
    assert_non_null(strstr(r.out, "Anne Sørensen"));
    assert_true(strstr(r.out, "Anne Sørensen") < strstr(r.out, "Mikkel Lund"));
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

static void test_untagged(void **state) {
    (void)state;
    NEW_DIR(dir);
    e2e_result_t r = e2e_run("sed 's|^kind: handbook|kind: handbook\\ntagged: false|; s|: Noto|: %s/fonts/Noto|' "
                             "layouts/sample.yaml > %s/plain.yaml && %s render -o %s/p.pdf %s/plain.yaml && pdfinfo %s/p.pdf",
                             getenv("PWD"), dir, e2e_bin(), dir, dir, dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Tagged:          no"));
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_tree),
        cmocka_unit_test(test_every_kind),
        cmocka_unit_test(test_worksheet_per_participant),
        cmocka_unit_test(test_untagged),
    };
    return cmocka_run_group_tests_name("tagged", tests, NULL, NULL);
}
