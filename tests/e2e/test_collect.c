/* End-to-end: fillable worksheets and `grundlag collect`. Sheets are
 * rendered from a roster (tests/fixtures/worksheet-fillable-short.yaml: the
 * pitfalls and one prompt, so that the table is short enough to compare
 * whole), filled in as a viewer would (build/tests/form_tool: a text
 * field's /V, a radio group's /V and /AS), collected and compared byte for
 * byte, Danish letters and a decomposed å included. Then what collect
 * refuses, each with its message, exit 1 and no CSV; and the form rules
 * every widget of the fillable sample keeps (PDF/UA: a /TU, a
 * /StructParent, an OBJR in a Form element, /Tabs /S on its page, an
 * appearance for every state). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "e2e/e2e.h"

/* The helper and the repository, as absolute paths (commands cd first). */
static char root[4096], tool[4200];
static const char *form_tool(void) {
    if (!tool[0] && getcwd(root, sizeof root)) snprintf(tool, sizeof tool, "%s/build/tests/form_tool", root);
    return tool;
}

static const char roster[] = "name,profile,seminar,date\n"
                             "Søren Ærø,medarbejder,Seminar 2027,2027-03-09\n"
                             "\"Kjær, Mette\",leder-af-leder,Seminar 2027,2027-03-09\n"
                             "Ida Holm,medarbejder,,2027-03-09\n";

/* dir/worksheet-fillable-short/{Soeren-Aeroe,Kjaer-Mette,Ida-Holm}.pdf, blank but for the header. */
static void render_sheets(const char *dir) {
    char *r = e2e_path(dir, "roster.csv");
    assert_true(e2e_write_file(r, roster));
    e2e_result_t res = e2e_run("%s render --roster %s --split --out-dir %s tests/fixtures/worksheet-fillable-short.yaml",
                               e2e_bin(), r, dir);
    assert_int_equal(res.status, 0);
    e2e_result_free(&res);
    free(r);
}

/* Søren's sheet with a rating, notes with a comma, quotes, a line break
 * and a decomposed å (a + U+030A), and a reflection; Mette's with a rating. */
static void fill_sheets(const char *dir) {
    e2e_result_t r = e2e_run("cd %s && %s fill worksheet-fillable-short/Soeren-Aeroe.pdf a.pdf "
                             "medarbejder.pitfalls.1.rating=4 "
                             "'medarbejder.pitfalls.1.notes=Blåbær, \"æøå\"\\nNy linje med a\xCC\x8A' "
                             "'medarbejder.reflection.1=Mere sparring på ØÆÅ' && "
                             "%s fill worksheet-fillable-short/Kjaer-Mette.pdf b.pdf leder-af-leder.pitfalls.2.rating=1",
                             dir, form_tool(), form_tool());
    if (r.status != 0) fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
}

static const char expected[] =
    "\xEF\xBB\xBFname,profile,seminar,date,"
    "leder-af-leder.pitfalls.1.rating,leder-af-leder.pitfalls.1.notes,leder-af-leder.pitfalls.2.rating,"
    "leder-af-leder.pitfalls.2.notes,leder-af-leder.pitfalls.3.rating,leder-af-leder.pitfalls.3.notes,"
    "leder-af-leder.reflection.1,"
    "medarbejder.pitfalls.1.rating,medarbejder.pitfalls.1.notes,medarbejder.pitfalls.2.rating,"
    "medarbejder.pitfalls.2.notes,medarbejder.pitfalls.3.rating,medarbejder.pitfalls.3.notes,"
    "medarbejder.pitfalls.4.rating,medarbejder.pitfalls.4.notes,medarbejder.pitfalls.5.rating,"
    "medarbejder.pitfalls.5.notes,medarbejder.reflection.1\r\n"
    "Søren Ærø,medarbejder,Seminar 2027,2027-03-09,,,,,,,,4,\"Blåbær, \"\"æøå\"\"\nNy linje med å\",,,,,,,,,"
    "Mere sparring på ØÆÅ\r\n"
    "\"Kjær, Mette\",leder-af-leder,Seminar 2027,2027-03-09,,,1,,,,,,,,,,,,,,,\r\n";

static void test_round_trip(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    render_sheets(dir);
    fill_sheets(dir);
    char *bin = e2e_abs_bin();
    form_tool();
    e2e_result_t r = e2e_run("cd %s && %s collect --data %s/data/ledelsesgrundlag.yaml -o answers.csv a.pdf b.pdf",
                             dir, bin, root);
    free(bin);
    if (r.status != 0) fprintf(stderr, "%s", r.err);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    e2e_result_free(&r);
    char *csv_path = e2e_path(dir, "answers.csv");
    char *csv = e2e_read_file(csv_path, NULL);
    assert_non_null(csv);
    assert_string_equal(csv, expected);
    free(csv);
    /* Standard output, the same bytes (-o - or no -o). */
    r = e2e_run("%s collect %s/a.pdf %s/b.pdf | cmp - %s && %s collect -o - %s/a.pdf %s/b.pdf | cmp - %s", e2e_bin(),
                dir, dir, csv_path, e2e_bin(), dir, dir, csv_path);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    free(csv_path);
    e2e_rmtree(dir);
}

/* A filled sheet still renders: pdftoppm draws the chosen button's cross
 * (its /AS appearance), and an unfilled one's box stays empty. */
static void test_filled_renders(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    render_sheets(dir);
    fill_sheets(dir);
    e2e_result_t r = e2e_run("cd %s && pdftoppm -r 40 -f 1 -l 1 -gray worksheet-fillable-short/Soeren-Aeroe.pdf blank && "
                             "pdftoppm -r 40 -f 1 -l 1 -gray a.pdf filled && ! cmp -s blank-1.pgm filled-1.pgm",
                             dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

/* A header value the page shows (from the roster, or the layout's own
 * text) is text read after its label, and its field keeps it hidden and
 * read-only, out of the structure, for collect (the round trip reads the
 * names back); a value the roster leaves empty is a field to type into,
 * visible and in the structure, where the value would be. */
static void test_header_values_are_text(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    render_sheets(dir);
    e2e_result_t r = e2e_run("cd %s && for f in Soeren-Aeroe Ida-Holm; do %s list worksheet-fillable-short/$f.pdf | "
                             "grep -E ' medarbejder\\.(name|seminar|date) '; "
                             "pdfinfo -struct-text worksheet-fillable-short/$f.pdf | sed -n 's/^ *//p' | grep -E '^(\"|Form$)' | "
                             "grep -A1 -x -e '\"Navn\"' -e '\"Seminar\"' | grep -v -e '^--$' | tr '\\n' ' '; echo; done",
                             dir, form_tool());
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "1 medarbejder.name Tx tu=yes sp=none objr=none tabs=S f=2 ff=1 ap=N\n"
                               "1 medarbejder.seminar Tx tu=yes sp=none objr=none tabs=S f=2 ff=1 ap=N\n"
                               "1 medarbejder.date Tx tu=yes sp=none objr=none tabs=S f=2 ff=1 ap=N\n"
                               "\"Navn\" \"Søren Ærø\" \"Seminar\" \"Seminar 2027\" \n"
                               "1 medarbejder.name Tx tu=yes sp=none objr=none tabs=S f=2 ff=1 ap=N\n"
                               "1 medarbejder.seminar Tx tu=yes sp=2 objr=Form tabs=S f=4 ff=0 ap=N\n"
                               "1 medarbejder.date Tx tu=yes sp=none objr=none tabs=S f=2 ff=1 ap=N\n"
                               "\"Navn\" \"Ida Holm\" \"Seminar\" Form \n");
    e2e_result_free(&r);
    /* A blank sheet: the layout's own text shown and kept, the rest to type. */
    r = e2e_run("sed -e 's|value: \"{seminar}\"|value: \"Seminar 2027\"|' -e 's|\\.\\./\\.\\./fonts/|%s/fonts/|' "
                "tests/fixtures/worksheet-fillable-short.yaml > %s/fixed.yaml && "
                "%s render --profiles medarbejder -o %s/blank.pdf %s/fixed.yaml && %s list %s/blank.pdf | "
                "grep -E ' medarbejder\\.(name|seminar) '",
                root, dir, e2e_bin(), dir, dir, form_tool(), dir);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "1 medarbejder.name Tx tu=yes sp=2 objr=Form tabs=S f=4 ff=0 ap=N\n"
                               "1 medarbejder.seminar Tx tu=yes sp=none objr=none tabs=S f=2 ff=1 ap=N\n");
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

/* Several participants in one file (no --split): each one's fields carry
 * their file name first; collect gives a row each, with the names the page
 * shows and a seminar typed into the field a roster's empty cell left. */
/* `roster_text` rendered as one file (no --split), filled in with `fields`
 * (form_tool's arguments), collected to standard output and then through
 * `then` (a shell pipe's tail, or ""). */
static e2e_result_t one_file_collected(const char *dir, const char *roster_text, const char *fields, const char *then) {
    char *r = e2e_path(dir, "roster.csv");
    assert_true(e2e_write_file(r, roster_text));
    free(r);
    char *bin = e2e_abs_bin();
    e2e_result_t res = e2e_run("cd %s && %s render --data %s/data/ledelsesgrundlag.yaml --roster roster.csv -o all.pdf "
                               "%s/tests/fixtures/worksheet-fillable-short.yaml && %s fill all.pdf filled.pdf %s && "
                               "%s collect --data %s/data/ledelsesgrundlag.yaml -o - filled.pdf %s",
                               dir, bin, root, root, form_tool(), fields, bin, root, then);
    free(bin);
    if (res.status != 0) fprintf(stderr, "%s", res.err);
    return res;
}

static void test_one_file_for_all(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    e2e_result_t res = one_file_collected(dir, roster,
                                          "Soeren-Aeroe.medarbejder.pitfalls.1.rating=3 "
                                          "Ida-Holm.medarbejder.pitfalls.2.rating=5 Ida-Holm.medarbejder.seminar=Forår",
                                          "| cut -d, -f1-7");
    assert_int_equal(res.status, 0);
    /* (cut keeps seven columns: each line's CR goes with the rest) */
    assert_string_equal(res.out, "\xEF\xBB\xBFname,profile,seminar,date,medarbejder.pitfalls.1.rating,"
                                 "medarbejder.pitfalls.1.notes,medarbejder.pitfalls.2.rating\n"
                                 "Søren Ærø,medarbejder,Seminar 2027,2027-03-09,3,,\n"
                                 "Ida Holm,medarbejder,Forår,2027-03-09,,,5\n");
    e2e_result_free(&res);
    e2e_rmtree(dir);
}

/* What a participant types, or a roster holds, that a spreadsheet would run
 * as a formula reaches the table with a ' first, quoted as any field. */
static void test_formulas_stay_text(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    e2e_result_t res = one_file_collected(dir, "name,profile,seminar,date\nBo Berg,medarbejder,=1+1,@2027\n",
                                          "'medarbejder.pitfalls.1.notes==HYPERLINK(\"http://x.invalid\",\"klik\")' "
                                          "'medarbejder.pitfalls.2.notes=+45 1234' "
                                          "'medarbejder.reflection.1=- mere sparring'",
                                          "");
    assert_int_equal(res.status, 0);
    const char *row = strstr(res.out, "\r\nBo Berg,");
    assert_non_null(row);
    assert_non_null(strstr(row, ",medarbejder,'=1+1,'@2027,"));
    assert_non_null(strstr(row, ",\"'=HYPERLINK(\"\"http://x.invalid\"\",\"\"klik\"\")\","));
    assert_non_null(strstr(row, ",'+45 1234,"));
    assert_non_null(strstr(row, ",'- mere sparring\r\n"));
    e2e_result_free(&res);
    e2e_rmtree(dir);
}

/* `cmd` fails with exit 1 and exactly `message` on stderr, and writes no CSV. */
static void refused(const char *dir, const char *files, const char *message) {
    char *bin = e2e_abs_bin();
    form_tool();
    e2e_result_t r = e2e_run("cd %s && %s collect --data %s/data/ledelsesgrundlag.yaml -o out.csv %s; "
                             "echo \"exit $?\"; ls out.csv 2>/dev/null",
                             dir, bin, root, files);
    free(bin);
    char want[1024];
    snprintf(want, sizeof want, "exit 1\n");
    assert_string_equal(r.out, want);
    assert_string_equal(r.err, message);
    e2e_result_free(&r);
}

static void test_refused(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    render_sheets(dir);
    fill_sheets(dir);
    e2e_result_t r = e2e_run("cd %s && cp a.pdf again.pdf && printf 'name,profile\\n' > table.csv && "
                             "head -c 20000 a.pdf > cut.pdf && mkfifo fifo.pdf && mkdir folder.pdf && "
                             "cp %s/samples/handbook.pdf handbook.pdf && "
                             "%s fill worksheet-fillable-short/Kjaer-Mette.pdf noname.pdf "
                             "leder-af-leder.name= leder-af-leder.pitfalls.1.rating=2",
                             dir, (form_tool(), root), tool);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    refused(dir, "table.csv", "table.csv: error: not a PDF file (it does not begin with %PDF-)\n");
    refused(dir, "cut.pdf", "cut.pdf: error: damaged PDF: can't find startxref\n");
    refused(dir, "handbook.pdf",
            "handbook.pdf: error: not a grundlag worksheet: it has no form fields (a fillable worksheet is made with "
            "`grundlag render layouts/worksheet-fillable.yaml`)\n");
    refused(dir, "a.pdf b.pdf again.pdf", "again.pdf: error: a second worksheet for 'Søren Ærø' (the first is in a.pdf)\n");
    refused(dir, "noname.pdf",
            "noname.pdf: error: the worksheet for leder-af-leder has answers but no name; fill in the name, so that "
            "the answers can be told from others'\n");
    refused(dir, "fifo.pdf", "fifo.pdf: error: cannot read file: it is a FIFO (named pipe), not a regular file\n");
    refused(dir, "folder.pdf", "folder.pdf: error: cannot read file: Is a directory\n");
    refused(dir, "missing.pdf", "missing.pdf: error: cannot open file: No such file or directory\n");
    /* Every bad file is named in one run, and the good ones write nothing. */
    refused(dir, "a.pdf table.csv cut.pdf",
            "table.csv: error: not a PDF file (it does not begin with %PDF-)\n"
            "cut.pdf: error: damaged PDF: can't find startxref\n");
    /* The table never replaces a worksheet it reads. */
    char *bin = e2e_abs_bin();
    r = e2e_run("cd %s && %s collect --data %s/data/ledelsesgrundlag.yaml -o a.pdf a.pdf b.pdf; echo \"exit $?\"; "
                "cmp a.pdf again.pdf", dir, bin, root);
    free(bin);
    assert_string_equal(r.out, "exit 3\n");
    assert_non_null(strstr(r.err, "a.pdf"));
    e2e_result_free(&r);
    r = e2e_run("%s collect", e2e_bin());
    assert_int_equal(r.status, 2);
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

/* Every widget of the fillable sheet, as `form_tool list` reads it. */
static void test_form_rules(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    e2e_result_t r = e2e_run("%s render -o %s/w.pdf layouts/worksheet-fillable.yaml && %s list %s/w.pdf", e2e_bin(),
                             dir, form_tool(), dir);
    assert_int_equal(r.status, 0);
    size_t widgets = 0, radios = 0, texts = 0;
    char *save = NULL;
    for (char *l = strtok_r(r.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        widgets++;
        char name[512], type[8], tu[8], sp[32], objr[32], tabs[16], ap[64] = "";
        int page, f = 0, ff = 0;
        assert_int_equal(sscanf(l, "%d %511s %7s %7s %31s %31s %15s f=%d ff=%d %63[^\n]", &page, name, type, tu, sp, objr,
                                tabs, &f, &ff, ap),
                         10);
        assert_int_equal(f, 4); /* printed, shown */
        assert_string_equal(tu, "tu=yes");
        assert_true(strcmp(sp, "sp=none") != 0);
        assert_string_equal(objr, "objr=Form");
        assert_string_equal(tabs, "tabs=S");
        if (strcmp(type, "Btn") == 0) {
            /* ap=N,Off /D:N,Off: its own state and Off, normal and down */
            const char *dot = strrchr(name, '.');
            assert_non_null(dot);
            assert_string_equal(dot, ".rating");
            int n = 0, d = 0;
            assert_int_equal(sscanf(ap, "ap=%d,Off /D:%d,Off", &n, &d), 2);
            assert_int_equal(n, d);
            assert_true(n >= 1 && n <= 5);
            radios++;
        } else {
            assert_string_equal(type, "Tx");
            assert_string_equal(ap, "ap=N");
            texts++;
        }
    }
    e2e_result_free(&r);
    /* Six profiles: 238 items of five buttons and lines each, 18 prompts, 18 header fields. */
    assert_int_equal(radios, 238 * 5);
    assert_int_equal(texts, 238 + 18 + 18);
    assert_int_equal(widgets, radios + texts);
    e2e_rmtree(dir);
}

/* The typed-text font holds all of Latin-1, whatever the page prints: a
 * simple TrueType font in /DR with WinAnsiEncoding, embedded. */
static void test_typed_font(void **state) {
    (void)state;
    E2E_NEW_DIR(dir);
    e2e_result_t r = e2e_run("%s render --profiles medarbejder -o %s/w.pdf layouts/worksheet-fillable.yaml && "
                             "qpdf --json --json-key=acroform %s/w.pdf | grep -c '\"fullname\"' && "
                             "qpdf --qdf --object-streams=disable %s/w.pdf %s/q.pdf && "
                             "grep -a -c '/Encoding /WinAnsiEncoding' %s/q.pdf && grep -a -c '/NeedAppearances false' %s/q.pdf",
                             e2e_bin(), dir, dir, dir, dir, dir, dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    /* Fill a field with all of Latin-1's letters; qpdf makes its
     * appearance in the /DA font and must find every one of them. */
    r = e2e_run("cd %s && %s fill w.pdf f.pdf 'medarbejder.name=ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞß"
                "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ€»«–—' && { qpdf --generate-appearances f.pdf g.pdf >/dev/null 2>&1; "
                "test -s g.pdf; } && pdftotext -f 1 -l 1 g.pdf - | "
                "grep -c 'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ€»«–—'",
                dir, form_tool());
    if (r.status != 0) fprintf(stderr, "%s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    e2e_rmtree(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_filled_renders),
        cmocka_unit_test(test_header_values_are_text),
        cmocka_unit_test(test_one_file_for_all),
        cmocka_unit_test(test_formulas_stay_text),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_form_rules),
        cmocka_unit_test(test_typed_font),
    };
    return cmocka_run_group_tests_name("collect", tests, NULL, NULL);
}
