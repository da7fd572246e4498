/* End-to-end dialogue cards: the whole deck (a card of two pages per bullet
 * of all six profiles, every statement whole in the PDF's text), the A4
 * sheets printed both sides (each card's back behind its front after a
 * turn over the long edge), choosing cards with --profiles and
 * --dimensions, and a statement too long for its card failing by name.
 * Runs from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>

#include "e2e/e2e.h"

#define MM (72.0 / 25.4)

/* The number of bullets in the data, from `grundlag list`. */
static int bullets_in_data(const char *profile) {
    e2e_result_t r = e2e_run("%s list | awk '%s%s%s{s += $(NF-1)} END {print s}'", e2e_bin(), profile ? "$1 == \"" : "",
                             profile ? profile : "", profile ? "\" " : "");
    assert_int_equal(r.status, 0);
    int n = atoi(r.out);
    e2e_result_free(&r);
    return n;
}

static int pages_of(const char *pdf) {
    e2e_result_t r = e2e_run("pdfinfo %s | sed -n 's/^Pages: *//p'", pdf);
    int n = atoi(r.out);
    e2e_result_free(&r);
    return n;
}

/* The print file: front and back of every card, one card a page, every
 * statement in the PDF's text in the data's order. */
static void test_whole_deck(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    e2e_result_t r = e2e_run("%s render --out-dir %s layouts/dialogue-card-print.yaml layouts/dialogue-cards.yaml",
                             e2e_bin(), dir);
    if (r.status) fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    int cards = bullets_in_data(NULL);
    assert_true(cards > 250);
    char *print = e2e_path(dir, "dialogue-card-print.pdf"), *sheets = e2e_path(dir, "dialogue-cards.pdf");
    assert_int_equal(pages_of(print), 2 * cards);
    /* eight cards to a sheet, a sheet of fronts and one of backs */
    assert_int_equal(pages_of(sheets), 2 * ((cards + 7) / 8));
    e2e_texts_t t = e2e_data_texts("data/ledelsesgrundlag.yaml", ""); /* every profile's, not the foreword */
    assert_int_equal((int)t.n, cards);
    assert_int_equal(e2e_texts_missing(print, &t), 0);
    assert_int_equal(e2e_texts_missing(sheets, &t), 0);
    e2e_texts_free(&t);
    /* card numbers D-1 … D-N on the backs */
    r = e2e_run("pdftotext %s - | grep -c '^D-[0-9]*$'", print);
    assert_int_equal(atoi(r.out), cards);
    e2e_result_free(&r);
    free(print);
    free(sheets);
    e2e_rmtree(dir);
}

/* Items of a trace: the text and the middle of its line, per page. */
typedef struct spot {
    int page;
    double x, y;
    char text[128];
} spot_t;

static size_t read_spots(const char *trace, spot_t **out) {
    char *src = e2e_read_file(trace, NULL);
    assert_non_null(src);
    spot_t *v = NULL;
    size_t n = 0;
    int page = 0;
    double tx = 0, ty = 0; /* the trim box's corner: lines are placed from it */
    char *save = NULL;
    for (char *l = strtok_r(src, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (strncmp(l, "page ", 5) == 0) {
            page = atoi(l + 5);
            const char *trim = strstr(l, " trim ");
            assert_non_null(trim);
            assert_int_equal(sscanf(trim + 6, "%lf,%lf", &tx, &ty), 2);
            continue;
        }
        const char *at = strstr(l, " @ "), *q = strchr(l, '"');
        if (strncmp(l, "  line ", 7) != 0 || !at || !q) continue;
        double x0, x1, y;
        if (sscanf(at + 3, "%lf-%lf,%lf", &x0, &x1, &y) != 3) continue;
        v = realloc(v, (n + 1) * sizeof *v);
        v[n] = (spot_t){page, tx + (x0 + x1) / 2, ty + y, ""};
        snprintf(v[n].text, sizeof v[n].text, "%.*s", (int)(strrchr(l, '"') - q - 1), q + 1);
        n++;
    }
    free(src);
    *out = v;
    return n;
}

/* The card cell of the A4 sheet a point lies in: 92 x 65 mm cards, 2 x 4,
 * 4 mm apart, the block centred (layouts/dialogue-cards.yaml). */
static void cell_of(double x, double y, int *col, int *row) {
    const double w = 92 * MM, h = 65 * MM, gap = 4 * MM;
    const double ox = (595.28 - (2 * w + gap)) / 2, oy = (841.89 - (4 * h + 3 * gap)) / 2;
    *col = (int)floor((x - ox) / (w + gap));
    *row = 3 - (int)floor((y - oy) / (h + gap)); /* row 0 at the top */
}

/* Printed on both sides and turned over the long edge (left and right swap
 * on a portrait sheet), the back of card k lies behind its front: its cell,
 * seen from the front, is the front's. */
static void test_duplex_registration(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    e2e_result_t r = e2e_run("%s render --format trace -o %s/d.trace layouts/dialogue-cards.yaml", e2e_bin(), dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    char *trace = e2e_path(dir, "d.trace");
    spot_t *s;
    size_t n = read_spots(trace, &s);
    int cards = bullets_in_data(NULL), checked = 0;
    /* the fronts' markers, in the order the cards were made */
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i].page % 2 == 0 || !strstr(s[i].text, " · ")) continue;
        k++;
        int fc, fr;
        cell_of(s[i].x, s[i].y, &fc, &fr);
        char num[32];
        snprintf(num, sizeof num, "D-%d", k);
        bool found = false;
        for (size_t j = 0; j < n && !found; j++) {
            if (strcmp(s[j].text, num) != 0) continue;
            found = true;
            assert_int_equal(s[j].page, s[i].page + 1); /* the next sheet: its back */
            int bc, br;
            cell_of(595.28 - s[j].x, s[j].y, &bc, &br); /* turned over the long edge */
            if (bc != fc || br != fr)
                fail_msg("card %d: front in cell %d,%d of sheet %d, back in %d,%d once turned", k, fc, fr, s[i].page,
                         bc, br);
            checked++;
        }
        assert_true(found);
    }
    assert_int_equal(k, cards);
    assert_int_equal(checked, cards);
    free(s);
    free(trace);
    e2e_rmtree(dir);
}

/* --profiles and --dimensions (group and pitfalls among them) choose the
 * deck; the cards of one profile's pitfalls are that many. */
static void test_selection(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    e2e_result_t r = e2e_run("%s render --profiles medarbejder --dimensions pitfalls -o %s/p.pdf "
                             "layouts/dialogue-card-print.yaml && pdftotext %s/p.pdf - | grep -c '^D-[0-9]*$'",
                             e2e_bin(), dir, dir);
    assert_int_equal(r.status, 0);
    int pitfalls = atoi(r.out);
    e2e_result_free(&r);
    r = e2e_run("awk '/- id: medarbejder/ {on = 1} on && /pitfalls:/ {p = 1; next} p && /^ *- \"/ {n++} "
                "p && !/^ *- \"/ && !/heading:/ && !/bullets:/ {p = 0} END {print n}' data/ledelsesgrundlag.yaml");
    int want = atoi(r.out);
    e2e_result_free(&r);
    assert_true(want > 2);
    assert_int_equal(pitfalls, want);
    assert_true(bullets_in_data("medarbejder") > want);
    e2e_rmtree(dir);
}

/* A statement longer than a card holds at the smallest size: the run
 * fails naming the bullet's place in the data, and writes nothing. */
static void test_statement_too_long(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    char extra[2000] = "        - \"";
    for (int i = 0; i < 40; i++) strcat(extra, "Et meget langt udsagn om ledelse ");
    strcat(extra, "\"\n");
    int line = 0;
    char *data = e2e_data_plus(dir, "long.yaml", extra, &line);
    assert_non_null(data);
    e2e_result_t r = e2e_run("%s render --data %s --out-dir %s layouts/dialogue-cards.yaml; ls %s | grep -c pdf",
                             e2e_bin(), data, dir, dir);
    char want[256];
    snprintf(want, sizeof want, "long.yaml:%d:11: error: the statement \"Et meget langt udsagn", line);
    if (!strstr(r.err, want)) fprintf(stderr, "want %s in:\n%s", want, r.err);
    assert_non_null(strstr(r.err, want));
    assert_non_null(strstr(r.err, "does not fit on a 92 × 65 mm card even at 14.0pt"));
    assert_string_equal(r.out, "0\n");
    e2e_result_free(&r);
    free(data);
    e2e_rmtree(dir);
}

/* The marker's set-in follows its alignment: set to the right (the shipped
 * layout) it starts the marker's measure and ends the statement's a
 * marker's size in; set to the left it shares the statement's edge, and
 * the statement has the whole width. A right marker too large for the card
 * is an error at the marker style. */
static void test_marker_set_in(void **state) {
    (void)state;
    char *dir = e2e_tmpdir();
    e2e_result_t r = e2e_run("mkdir %s/layouts && ln -s $PWD/fonts %s/fonts && "
                             "sed '/^  marker:/,/^  [a-z_]*:$/ s/^    align: right$/    align: left/' "
                             "layouts/dialogue-card-print.yaml > %s/layouts/left.yaml && "
                             "sed '/^  marker:/,/^  [a-z_]*:$/ { s/^    size: 7pt$/    size: 130pt/; "
                             "s/^    leading: 9pt$/    leading: 150pt/ }' "
                             "layouts/dialogue-card-print.yaml > %s/layouts/huge.yaml && "
                             "! cmp -s layouts/dialogue-card-print.yaml %s/layouts/left.yaml && "
                             "! cmp -s layouts/dialogue-card-print.yaml %s/layouts/huge.yaml",
                             dir, dir, dir, dir, dir, dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    /* the first card's marker and its statement's first line, "x0-x1" each */
    char *awk = e2e_path(dir, "spots.awk");
    assert_true(e2e_write_file(awk, "/^page 2/ { exit }\n"
                                    "/ · / && !m { match($0, /@ [0-9.-]+-[0-9.-]+,/); m = substr($0, RSTART + 2, RLENGTH - 3) }\n"
                                    "/line P NotoSans-Regular/ && !s { match($0, /@ [0-9.-]+-[0-9.-]+,/); "
                                    "s = substr($0, RSTART + 2, RLENGTH - 3) }\n"
                                    "END { print m, s }\n"));
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%%s render --profiles medarbejder --format trace -o - %%s | awk -f %s", awk);
    r = e2e_run(cmd, e2e_bin(), "layouts/dialogue-card-print.yaml");
    assert_int_equal(r.status, 0);
    double mx0, mx1, sx0, sx1;
    assert_int_equal(sscanf(r.out, "%lf-%lf %lf-%lf", &mx0, &mx1, &sx0, &sx1), 4);
    e2e_result_free(&r);
    const double text_w = (92 - 12) * 72 / 25.4; /* the card less its margins */
    assert_true(mx0 > sx0 + 7 - 0.01);                     /* the marker starts in */
    assert_true(fabs(mx1 - (sx0 + text_w)) < 0.05);        /* and ends at the edge */
    assert_true(sx1 <= sx0 + text_w - 7 + 0.01);           /* the statement stops short */
    char *left = e2e_path(dir, "layouts/left.yaml");
    r = e2e_run(cmd, e2e_bin(), left);
    assert_int_equal(r.status, 0);
    assert_int_equal(sscanf(r.out, "%lf-%lf %lf-%lf", &mx0, &mx1, &sx0, &sx1), 4);
    e2e_result_free(&r);
    assert_true(fabs(mx0 - sx0) < 0.01); /* left: the statement's edge */
    char *huge = e2e_path(dir, "layouts/huge.yaml");
    r = e2e_run("%s check %s", e2e_bin(), huge);
    assert_int_equal(r.status, 1);
    if (!strstr(r.err, "error: the marker's size (130.0pt) is too large for the card")) fprintf(stderr, "%s", r.err);
    assert_non_null(strstr(r.err, "huge.yaml:"));
    assert_non_null(strstr(r.err, "error: the marker's size (130.0pt) is too large for the card"));
    e2e_result_free(&r);
    free(left);
    free(huge);
    free(awk);
    e2e_rmtree(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_deck),
        cmocka_unit_test(test_duplex_registration),
        cmocka_unit_test(test_selection),
        cmocka_unit_test(test_statement_too_long),
        cmocka_unit_test(test_marker_set_in),
    };
    return cmocka_run_group_tests_name("dialogue", tests, NULL, NULL);
}
