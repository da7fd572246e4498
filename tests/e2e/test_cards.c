/* End-to-end: role cards. Every card page holds every bullet of its
 * profile; a profile too long for a card fails with a message naming it and
 * leaves no PDF; --profiles and --split; print sheets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "e2e/e2e.h"

/* The bullets of one profile in the data file, optionally only those of the
 * given sections ("group", "pitfalls", dimension keys). */
typedef struct texts { char **v; size_t n; } texts_t;

static texts_t profile_bullets(const char *id, const char *const *only) {
    texts_t t = {0};
    char *src = e2e_read_file("data/ledelsesgrundlag.yaml", NULL);
    assert_non_null(src);
    bool in = false, take = only == NULL;
    char *save = NULL;
    for (char *line = strtok_r(src, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strstr(line, "  - id: ")) in = strcmp(strstr(line, "id: ") + 4, id) == 0;
        if (!in) continue;
        if (only) {
            if (strstr(line, "    group:")) take = false;
            for (size_t i = 0; only[i]; i++) {
                if (strcmp(only[i], "group") == 0 && strstr(line, "    group:")) take = true;
                if (strcmp(only[i], "pitfalls") == 0 && strstr(line, "    pitfalls:")) take = true;
            }
            char *dim = strstr(line, "- dimension: ");
            if (dim) {
                take = false;
                for (size_t i = 0; only[i]; i++)
                    if (strcmp(dim + 13, only[i]) == 0) take = true;
            }
            if (strstr(line, "    pitfalls:")) {
                take = false;
                for (size_t i = 0; only[i]; i++)
                    if (strcmp(only[i], "pitfalls") == 0) take = true;
            }
        }
        if (!take) continue;
        char *s = e2e_item_text(line);
        if (!s) continue;
        t.v = realloc(t.v, (t.n + 1) * sizeof *t.v);
        t.v[t.n++] = s;
    }
    free(src);
    return t;
}

static void free_texts(texts_t *t) {
    for (size_t i = 0; i < t->n; i++) free(t->v[i]);
    free(t->v);
}

static void assert_page_holds(const char *pdf, int page, const texts_t *t) {
    e2e_result_t r = e2e_run("pdftotext -f %d -l %d %s -", page, page, pdf);
    assert_int_equal(r.status, 0);
    char *all = e2e_squash(r.out);
    size_t missing = 0;
    for (size_t i = 0; i < t->n; i++) {
        char *want = e2e_squash(t->v[i]);
        if (!strstr(all, want)) {
            fprintf(stderr, "page %d of %s lacks: %s\n", page, pdf, t->v[i]);
            missing++;
        }
        free(want);
    }
    free(all);
    e2e_result_free(&r);
    assert_int_equal(missing, 0);
}

static const char *ids[] = {"direktoer", "fag-og-stabschef", "kontraktholder", "leder-af-leder",
                            "leder-af-medarbejder", "medarbejder"};

static void test_every_card_holds_its_profile(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    e2e_result_t r = e2e_run("%s render --out-dir %s layouts/role-card.yaml && pdfinfo %s/role-card.pdf", e2e_bin(),
                             dir, dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Pages:           6\n"));
    assert_non_null(strstr(r.out, "595.276 x 841.89 pts (A4)"));
    e2e_result_free(&r);
    char *pdf = e2e_path(dir, "role-card.pdf");
    for (int i = 0; i < 6; i++) {
        texts_t t = profile_bullets(ids[i], NULL);
        assert_true(t.n >= 35);
        assert_page_holds(pdf, i + 1, &t);
        free_texts(&t);
    }
    /* body text never below 8 pt: the smallest font size on the page */
    r = e2e_run("pdftotext -bbox %s - | grep -o 'yMin=\"[0-9.]*\" xMax=\"[0-9.]*\" yMax=\"[0-9.]*\"' | "
                "awk -F'\"' '{h=$6-$2; if (min==\"\" || h<min) min=h} END {print (min >= 8 * 1.2 ? \"ok\" : min)}'",
                pdf);
    assert_string_equal(r.out, "ok\n");
    e2e_result_free(&r);
    free(pdf);
    e2e_rmtree(dir);
}

static void test_a5_subset(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    e2e_result_t r = e2e_run("%s render --out-dir %s layouts/role-card-a5.yaml", e2e_bin(), dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    char *pdf = e2e_path(dir, "role-card-a5.pdf");
    static const char *const only[] = {"group", "fundamentalt-ansvar", "pitfalls", NULL};
    for (int i = 0; i < 6; i++) {
        texts_t t = profile_bullets(ids[i], only);
        assert_true(t.n >= 5);
        assert_page_holds(pdf, i + 1, &t);
        free_texts(&t);
    }
    /* and not the other sections */
    r = e2e_run("pdftotext -f 1 -l 1 %s - | grep -c 'Strategisk ledelse'", pdf);
    assert_string_equal(r.out, "0\n");
    e2e_result_free(&r);
    free(pdf);
    e2e_rmtree(dir);
}

static void test_profiles_and_split(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    e2e_result_t r = e2e_run("%s render --profiles medarbejder,direktoer -o %s/two.pdf layouts/role-card.yaml && "
                             "pdftotext -f 1 -l 1 %s/two.pdf - | head -3",
                             e2e_bin(), dir, dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Medarbejder"));
    e2e_result_free(&r);
    r = e2e_run("%s render --split --out-dir %s layouts/role-card.yaml && ls %s/role-card", e2e_bin(), dir, dir);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "direktoer.pdf\nfag-og-stabschef.pdf\nkontraktholder.pdf\nleder-af-leder.pdf\n"
                               "leder-af-medarbejder.pdf\nmedarbejder.pdf\n");
    e2e_result_free(&r);
    r = e2e_run("pdfinfo %s/role-card/kontraktholder.pdf | grep Pages; pdftotext %s/role-card/kontraktholder.pdf - | "
                "grep -c Kontraktholder",
                dir, dir);
    assert_non_null(strstr(r.out, "Pages:           1"));
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

/* A profile that cannot fit at the minimum size: exit 1, the profile named,
 * how much did not fit, and no PDF (the good one is kept). */
static void test_too_long_profile(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    /* Forty more bullets in Medarbejder's pitfalls. */
    char extra[40 * 120 + 1] = "";
    for (int i = 0; i < 40; i++)
        strcat(extra, "        - \"En lang ekstra faldgrube der fylder en hel linje og lidt til på kortet, nummer tre\"\n");
    char *data = e2e_data_plus(dir, "long.yaml", extra, NULL);
    assert_non_null(data);
    e2e_result_t r = e2e_run("echo good > %s/role-card.pdf; %s render --data %s --out-dir %s layouts/role-card.yaml",
                             dir, e2e_bin(), data, dir);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "error: profile 'medarbejder' (Medarbejder) does not fit on one 210 × 297 mm card"));
    assert_non_null(strstr(r.err, "did not fit"));
    e2e_result_free(&r);
    r = e2e_run("cat %s/role-card.pdf; ls -a %s | grep -c tmp", dir, dir);
    assert_string_equal(r.out, "good\n0\n");
    e2e_result_free(&r);
    free(data);
    e2e_rmtree(dir);
}

static void test_print_sheet(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    e2e_result_t r = e2e_run("%s render --out-dir %s layouts/role-cards-sheet.yaml && pdfinfo %s/role-cards-sheet.pdf "
                             "&& qpdf --check %s/role-cards-sheet.pdf",
                             e2e_bin(), dir, dir, dir);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Pages:           3\n"));
    assert_non_null(strstr(r.out, "1190.55 x 841.89 pts (A3)"));
    e2e_result_free(&r);
    char *pdf = e2e_path(dir, "role-cards-sheet.pdf");
    /* two profiles per sheet, in order */
    r = e2e_run("pdftotext -f 2 -l 2 %s - | grep -E '^(Kontraktholder|Leder af leder)$'", pdf);
    assert_string_equal(r.out, "Kontraktholder\nLeder af leder\n");
    e2e_result_free(&r);
    /* CMYK only: no RGB operators in the page content */
    r = e2e_run("qpdf --qdf --object-streams=disable %s - | grep -a -c ' rg$\\| RG$'", pdf);
    assert_string_equal(r.out, "0\n");
    e2e_result_free(&r);
    free(pdf);
    e2e_rmtree(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_card_holds_its_profile),
        cmocka_unit_test(test_a5_subset),
        cmocka_unit_test(test_profiles_and_split),
        cmocka_unit_test(test_too_long_profile),
        cmocka_unit_test(test_print_sheet),
    };
    return cmocka_run_group_tests_name("cards", tests, NULL, NULL);
}
