/* test_ydoc: the YAML tree and the checks every loader shares: numbers that
 * ignore the C locale, did-you-mean, UTF-8 positions, the defences against
 * alias bombs and deep nesting, and the exact wording of key errors (a
 * memory stream stands in for stderr). */
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

#include "diag.h"
#include "ydoc.h"
#include "unit/comma_locale.h"
#include "unit/sink.h"

/* cmocka 1.1.5 has no assert_double_equal. */
#define assert_near(a, b, eps) assert_near_at((a), (b), (eps), #a, __FILE__, __LINE__)
static void assert_near_at(double a, double b, double eps, const char *what, const char *file, int line) {
    if (!(fabs(a - b) <= eps)) {
        fprintf(stderr, "%s:%d: %s is %.17g, expected %.17g\n", file, line, what, a, b);
        fail();
    }
}

/* Parses `text` as "t.yaml"; NULL on error (the messages are in the sink). */
static ydoc_t *parse(sink_t *s, const char *text) { return ydoc_parse("t.yaml", text, strlen(text), s->d); }

/* ---- ynumber_parse ------------------------------------------------------------ */

static void expect_number(const char *s, double want) {
    double v = -12345;
    if (!ynumber_parse(s, &v)) fprintf(stderr, "ynumber_parse(\"%s\") failed\n", s);
    assert_true(ynumber_parse(s, &v));
    assert_near(v, want, 1e-12);
}

static void expect_not_number(const char *s) {
    double v = -12345;
    if (ynumber_parse(s, &v)) fprintf(stderr, "ynumber_parse(\"%s\") accepted it as %g\n", s, v);
    assert_false(ynumber_parse(s, &v));
    assert_near(v, -12345, 0); /* untouched on failure */
}

static void check_numbers(void) {
    expect_number("0", 0);
    expect_number("12", 12);
    expect_number("1.5", 1.5);
    expect_number("-2", -2);
    expect_number("+3.25", 3.25);
    expect_number(".5", 0.5);
    expect_number("5.", 5);
    expect_number("3e2", 300);
    expect_number("1.5E-1", 0.15);
    expect_number("13.5", 13.5);
    expect_not_number("");
    expect_not_number("-");
    expect_not_number(".");
    expect_not_number("1,5"); /* a Danish decimal comma is not a number here */
    expect_not_number("1.5pt");
    expect_not_number(" 1");
    expect_not_number("1 ");
    expect_not_number("1e");
    expect_not_number("1e+");
    expect_not_number("1e999"); /* overflows to infinity */
    expect_not_number("abc");
    expect_not_number("0x10");
    expect_not_number("1.2.3");
}

static void test_ynumber_parse(void **state) {
    (void)state;
    check_numbers();
}

/* strtod would read "1.5" as 1 under a locale with a decimal comma. */
static void test_ynumber_parse_ignores_locale(void **state) {
    char *tmp = NULL;
    const char *name = comma_locale(&tmp);
    *state = tmp;
    if (!name || strcmp(localeconv()->decimal_point, ",") != 0) skip();
    check_numbers();
}

/* ---- ysuggest ------------------------------------------------------------------- */

static void test_ysuggest(void **state) {
    (void)state;
    static const char *const profile[] = {"id", "title", "group", "sections", "pitfalls", NULL};
    static const char *const section[] = {"dimension", "heading", "bullets", NULL};
    static const char *const top[] = {"kind", "page", "fonts", "font_fallback", "colours", "styles", NULL};
    static const char *const colours[] = {"black", "text", "accent", NULL};
    assert_string_equal(ysuggest("tittle", profile), "title");
    assert_string_equal(ysuggest("titel", profile), "title");
    assert_string_equal(ysuggest("bulets", section), "bullets");
    assert_string_equal(ysuggest("heading", section), "heading");
    assert_string_equal(ysuggest("colors", top), "colours");
    assert_string_equal(ysuggest("txet", colours), "text"); /* a swap is one typo */
    assert_string_equal(ysuggest("acent", colours), "accent");
    assert_string_equal(ysuggest("Id", profile), "id");
    assert_null(ysuggest("colour", profile));
    assert_null(ysuggest("purple", colours));
    assert_null(ysuggest("xyz", profile));
    assert_null(ysuggest("", profile));
    assert_null(ysuggest("title", NULL));
    /* Short words allow one typo, not two. */
    assert_null(ysuggest("pg", top));
    /* Very long words are not compared at all. */
    char longword[100];
    memset(longword, 'a', sizeof longword - 1);
    longword[sizeof longword - 1] = '\0';
    assert_null(ysuggest(longword, profile));
}

/* ---- yutf8_valid ------------------------------------------------------------------ */

static void expect_bad_utf8(const char *s, int want_line, int want_col) {
    int line = 0, col = 0;
    assert_false(yutf8_valid(s, strlen(s), &line, &col));
    assert_int_equal(line, want_line);
    assert_int_equal(col, want_col);
}

static void test_yutf8_valid(void **state) {
    (void)state;
    int line = -1, col = -1;
    const char *ok = "title: \"Direktør\"\n- \"Fælles »Vi« – 😀\"\n";
    assert_true(yutf8_valid(ok, strlen(ok), &line, &col));
    assert_int_equal(line, -1); /* untouched when valid */
    assert_true(yutf8_valid("", 0, &line, &col));
    assert_true(yutf8_valid("a\0b", 3, NULL, NULL));

    expect_bad_utf8("ab\xf8", 1, 3);                          /* Latin-1 ø */
    expect_bad_utf8("title: \"Regi\xf8n\"", 1, 13);            /* in the middle of a line */
    expect_bad_utf8("a\nbæ\xff", 2, 3);                       /* columns count characters */
    expect_bad_utf8("x\n\ny: \"\xe6\xf8\xe5\"\n", 3, 5);      /* Latin-1 æøå */
    expect_bad_utf8("\xc3", 1, 1);                            /* truncated at the end */
    expect_bad_utf8("\xc3x", 1, 1);                           /* missing continuation */
    expect_bad_utf8("\x80", 1, 1);                            /* stray continuation */
    expect_bad_utf8("\xc0\xaf", 1, 1);                        /* overlong '/' */
    expect_bad_utf8("ok \xe0\x80\xaf", 1, 4);                 /* overlong, 3 bytes */
    expect_bad_utf8("\xed\xa0\x80", 1, 1);                    /* UTF-16 surrogate */
    expect_bad_utf8("\xf4\x90\x80\x80", 1, 1);                /* above U+10FFFF */
    expect_bad_utf8("\xf8\x88\x80\x80\x80", 1, 1);            /* 5-byte form */
    expect_bad_utf8("😀\xf0\x9f\x98", 1, 2);                  /* cut-off emoji after a whole one */
    /* The length is respected: the bad byte after it is not looked at. */
    assert_true(yutf8_valid("ab\xf8", 2, NULL, NULL));
}

/* The loader reports the position and the byte. */
static void test_parse_invalid_utf8(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    assert_null(parse(&s, "document:\n  title: \"Regi\xf8n\"\n"));
    assert_string_equal(sink_text(&s), "t.yaml:2:15: error: invalid UTF-8 (byte 0xF8): the file must be saved as "
                                       "UTF-8 text, not Latin-1 or Windows-1252\n");
    sink_close(&s);
}

/* ---- the tree -------------------------------------------------------------------- */

static void test_parse_tree_positions(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    ydoc_t *doc = parse(&s, "# comment\ndocument:\n  title: \"Æbler\"\nlist:\n  - a\n  - 'b'\n");
    assert_non_null(doc);
    assert_string_equal(sink_text(&s), "");
    assert_int_equal(doc->root->kind, YNODE_MAP);
    assert_int_equal(doc->root->count, 2);
    const ynode_t *title = ymap_get(ymap_get(doc->root, "document"), "title");
    assert_non_null(title);
    assert_string_equal(title->value, "Æbler");
    assert_int_equal(title->line, 3);
    assert_int_equal(title->col, 10);
    assert_false(title->plain);
    const ynode_t *list = ymap_get(doc->root, "list");
    assert_int_equal(list->kind, YNODE_SEQ);
    assert_int_equal(list->count, 2);
    assert_true(list->items[0]->plain);
    assert_int_equal(list->items[1]->line, 6);
    assert_int_equal(list->items[1]->col, 5);
    assert_null(ymap_get(doc->root, "missing"));
    ydoc_drop(doc);

    /* An empty file is a document without a root, not an error. */
    doc = parse(&s, "");
    assert_non_null(doc);
    assert_null(doc->root);
    ydoc_drop(doc);
    assert_string_equal(sink_text(&s), "");
    sink_close(&s);
}

/* Aliases are allowed and share the node, but an exponential expansion is
 * refused (10 levels of 10: 10^10 nodes if expanded). */
static void test_alias_bomb(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    ydoc_t *doc = parse(&s, "a: &x [1, 2]\nb: *x\n");
    assert_non_null(doc);
    assert_ptr_equal(ymap_get(doc->root, "a"), ymap_get(doc->root, "b"));
    ydoc_drop(doc);

    char bomb[2048];
    size_t n = (size_t)snprintf(bomb, sizeof bomb, "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (char c = 'b'; c <= 'j'; c++) {
        n += (size_t)snprintf(bomb + n, sizeof bomb - n, "%c: &%c [", c, c);
        for (int i = 0; i < 10; i++) n += (size_t)snprintf(bomb + n, sizeof bomb - n, "%s*%c", i ? ", " : "", c - 1);
        n += (size_t)snprintf(bomb + n, sizeof bomb - n, "]\n");
    }
    assert_true(n < sizeof bomb);
    assert_null(ydoc_parse("bomb.yaml", bomb, n, s.d));
    /* Aliases add 110 nodes on line b, 1110 on line c and 1111 with each
     * *c on line d: the 8th there takes them past 10^4. */
    assert_string_equal(sink_text(&s), "bomb.yaml:4:36: error: aliases expand to more than 10000 nodes; refusing "
                                       "(is this an alias bomb?)\n");
    assert_int_equal(diag_error_count(s.d), 1);
    sink_close(&s);
}

/* Few aliases of one long text are refused too: the loaders copy the text
 * for each (65 aliases of 1 MB pass the 64 MB a file may hold). */
static void test_alias_bomb_text(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    size_t big = 1u << 20, cap = big + 1024;
    char *y = malloc(cap);
    assert_non_null(y);
    size_t n = (size_t)snprintf(y, cap, "a: &a \"");
    memset(y + n, 'x', big);
    n += big;
    n += (size_t)snprintf(y + n, cap - n, "\"\nb: [");
    for (int i = 0; i < 65; i++) n += (size_t)snprintf(y + n, cap - n, "%s*a", i ? ", " : "");
    n += (size_t)snprintf(y + n, cap - n, "]\n");
    assert_null(ydoc_parse("text.yaml", y, n, s.d));
    /* The 64th alias reaches 64 MB, the 65th (column 5 + 64 * 4) passes it. */
    assert_string_equal(sink_text(&s), "text.yaml:2:261: error: aliases expand to more than 64 MB of text; refusing "
                                       "(is this an alias bomb?)\n");
    free(y);
    sink_close(&s);
}

/* A file is bounded in nodes as well as bytes: "1," is a node in two. */
static void test_node_limit(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    size_t items = 1000000, cap = 2 * items + 2, n = 0;
    char *y = malloc(cap);
    assert_non_null(y);
    y[n++] = '[';
    for (size_t i = 0; i < items; i++) {
        y[n++] = '1';
        y[n++] = i + 1 < items ? ',' : ']';
    }
    assert_null(ydoc_parse("nodes.yaml", y, n, s.d));
    /* The list is the first node, so the millionth 1 is one too many. */
    assert_string_equal(sink_text(&s), "nodes.yaml:1:2000000: error: the file holds more than 1000000 values, lists "
                                       "and maps; refusing to load it\n");
    free(y);
    sink_close(&s);
}

/* A big file without aliases is no alias bomb, however many nodes it has. */
static void test_many_nodes_no_alias(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    size_t cap = 200000 * 3 + 16, n = 0;
    char *y = malloc(cap);
    assert_non_null(y);
    n += (size_t)snprintf(y + n, cap - n, "[");
    for (int i = 0; i < 200000; i++) n += (size_t)snprintf(y + n, cap - n, "%s1", i ? ", " : "");
    n += (size_t)snprintf(y + n, cap - n, "]");
    assert_true(n < cap);
    ydoc_t *doc = ydoc_parse("many.yaml", y, n, s.d);
    assert_non_null(doc);
    assert_int_equal(doc->root->count, 200000);
    assert_string_equal(sink_text(&s), "");
    ydoc_drop(doc);
    free(y);
    sink_close(&s);
}

static void test_unknown_alias(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    assert_null(parse(&s, "a: [1]\nb: *nope\n"));
    assert_string_equal(sink_text(&s), "t.yaml:2:4: error: '*nope' is read as a YAML alias (a reference to an anchor "
                                       "'&nope'), and there is no such anchor; a text that starts with '*' must be "
                                       "written in double quotes: \"*nope\"\n");
    sink_close(&s);
}

/* `levels` nested flow sequences under a key. */
static char *nested(int levels) {
    char *t = malloc((size_t)levels * 2 + 8);
    assert_non_null(t);
    strcpy(t, "a: ");
    memset(t + 3, '[', (size_t)levels);
    memset(t + 3 + levels, ']', (size_t)levels);
    strcpy(t + 3 + 2 * levels, "\n");
    return t;
}

static void test_depth_limit(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    /* The root map is level 1: 63 nested lists reach the limit exactly. */
    char *ok = nested(YDOC_MAX_DEPTH - 1);
    ydoc_t *doc = parse(&s, ok);
    assert_non_null(doc);
    assert_string_equal(sink_text(&s), "");
    ydoc_drop(doc);
    free(ok);

    char *deep = nested(YDOC_MAX_DEPTH);
    assert_null(parse(&s, deep));
    assert_string_equal(sink_text(&s), "t.yaml:1:67: error: nesting deeper than 64 levels\n");
    free(deep);

    /* Far deeper input still gives one error, not one per level. */
    sink_close(&s);
    sink_open(&s);
    deep = nested(10000);
    assert_null(parse(&s, deep));
    assert_int_equal(diag_error_count(s.d), 1);
    free(deep);
    sink_close(&s);
}

static void test_malformed_messages(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    assert_null(parse(&s, "document:\n\ttitle: \"x\"\n"));
    assert_string_equal(sink_text(&s), "t.yaml:2:1: error: malformed YAML: found character that cannot start any "
                                       "token while scanning for the next token (a tab: YAML indents with spaces "
                                       "only)\n");
    sink_close(&s);

    sink_open(&s);
    assert_null(parse(&s, "document:\n  title: \"Ledelse\n"));
    assert_string_equal(sink_text(&s), "t.yaml:3:1: error: malformed YAML: found unexpected end of stream while "
                                       "scanning a quoted scalar\n"
                                       "t.yaml:2:10: note: the quoted text that starts here has no closing quote\n");
    sink_close(&s);

    sink_open(&s);
    assert_null(parse(&s, "a: 1\n---\nb: 2\n"));
    assert_string_equal(sink_text(&s), "t.yaml:2:1: error: a second YAML document starts here; the file must hold "
                                       "exactly one (is there a stray '---' line?)\n");
    sink_close(&s);
}

/* ---- ymap_check and friends -------------------------------------------------------- */

static const char *const known[] = {"id", "title", "sections", NULL};
static const char *const required[] = {"id", "title", NULL};

/* Parses `text` and runs ymap_check on the root; returns the messages. */
static void check_map(const char *text, bool want_ok, const char *want) {
    sink_t s;
    sink_open(&s);
    ydoc_t *doc = parse(&s, text);
    assert_non_null(doc);
    assert_int_equal(ymap_check(doc, doc->root, "profile 'x'", known, required, s.d), want_ok);
    assert_string_equal(sink_text(&s), want);
    ydoc_drop(doc);
    sink_close(&s);
}

static void test_ymap_check(void **state) {
    (void)state;
    check_map("id: x\ntitle: X\n", true, "");
    check_map("id: x\ntitle: X\nsections: []\n", true, "");
    check_map("id: x\ntitle: X\nid: y\n", false,
                 "t.yaml:3:1: error: duplicate key 'id' in profile 'x' (first at line 1)\n");
    check_map("id: x\ntitle: X\ntitle: Y\ntitle: Z\n", false,
                 "t.yaml:3:1: error: duplicate key 'title' in profile 'x' (first at line 2)\n"
                 "t.yaml:4:1: error: duplicate key 'title' in profile 'x' (first at line 2)\n");
    check_map("id: x\ntitle: X\ncolor: red\ncolor: blue\n", false,
              "t.yaml:3:1: error: unknown key 'color' in profile 'x'; allowed keys: id, title, sections\n"
              "t.yaml:4:1: error: duplicate key 'color' in profile 'x' (first at line 3)\n");
    check_map("id: x\ntitle: X\ncolour: red\n", false,
                 "t.yaml:3:1: error: unknown key 'colour' in profile 'x'; allowed keys: id, title, sections\n");
    /* The did-you-mean covers the missing key: no second error for it. */
    check_map("id: x\ntittle: X\n", false,
                 "t.yaml:2:1: error: unknown key 'tittle' in profile 'x'; did you mean 'title'?\n");
    check_map("id: x\nsections: []\n", false, "t.yaml:1:1: error: profile 'x' is missing the required key 'title'\n");
    check_map("sections: []\n", false,
                 "t.yaml:1:1: error: profile 'x' is missing the required key 'id'\n"
                 "t.yaml:1:1: error: profile 'x' is missing the required key 'title'\n");
    check_map("id: x\ntitle: X\n[a]: 1\n", false,
                 "t.yaml:3:1: error: keys in profile 'x' must be plain words, found a list\n");
    check_map("- id: x\n", false, "t.yaml:1:1: error: profile 'x' must be a map, found a list\n");
    check_map("just text\n", false,
              "t.yaml:1:1: error: profile 'x' must be a map, found 'just text' (a map is written as one 'key: value' "
              "per line)\n");
}

#define X39 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

static void test_yexpect_and_ytext(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    /* 39 bytes, then 'æ' (2 bytes) across the 40-byte cut. */
    ydoc_t *doc = parse(&s, "a: \"" X39 "æbler og pærer\"\n"
                            "b: \"\"\nc: ~\nd: \"  \"\ne: [x]\nf: yes\ng: maybe\nh: short\n");
    assert_non_null(doc);
    assert_int_equal(strlen(X39), 39);
    const ynode_t *r = doc->root;
    assert_false(yexpect(doc, ymap_get(r, "a"), YNODE_SEQ, "bullets", s.d));
    assert_false(yexpect(doc, ymap_get(r, "h"), YNODE_MAP, "group", s.d));
    assert_true(yexpect(doc, ymap_get(r, "e"), YNODE_SEQ, "bullets", s.d));
    assert_string_equal(ytext(doc, ymap_get(r, "a"), "title", s.d), X39 "æbler og pærer");
    assert_null(ytext(doc, ymap_get(r, "b"), "title", s.d));
    assert_null(ytext(doc, ymap_get(r, "c"), "title", s.d));
    assert_null(ytext(doc, ymap_get(r, "d"), "title", s.d));
    assert_null(ytext(doc, ymap_get(r, "e"), "title", s.d));
    bool v = false;
    assert_true(ybool(doc, ymap_get(r, "f"), "hyphenate", &v, s.d));
    assert_true(v);
    assert_false(ybool(doc, ymap_get(r, "g"), "hyphenate", &v, s.d));
    /* A long text is quoted up to a character boundary, never half an 'æ'. */
    /* A value where a list or map belongs also says how one is written. */
    assert_string_equal(sink_text(&s), "t.yaml:1:4: error: bullets must be a list, found '" X39 "…' (a list is "
                                       "written as one '- item' per line, indented under its key)\n"
                                       "t.yaml:8:4: error: group must be a map, found 'short' (a map is written as one "
                                       "'key: value' per line, indented under its key)\n"
                                       "t.yaml:2:4: error: title is empty\n"
                                       "t.yaml:3:4: error: title is empty\n"
                                       "t.yaml:4:4: error: title is empty\n"
                                       "t.yaml:5:4: error: title must be text, found a list\n"
                                       "t.yaml:7:4: error: hyphenate must be true or false, found 'maybe'\n");
    ydoc_drop(doc);
    sink_close(&s);
}

static void test_ynumber_messages(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    ydoc_t *doc = parse(&s, "a: 1.5\nb: 1,5\nc: [1]\n");
    assert_non_null(doc);
    double v = 0;
    assert_true(ynumber(doc, ymap_get(doc->root, "a"), "columns", &v, s.d));
    assert_near(v, 1.5, 0);
    assert_false(ynumber(doc, ymap_get(doc->root, "b"), "columns", &v, s.d));
    assert_false(ynumber(doc, ymap_get(doc->root, "c"), "columns", &v, s.d));
    assert_string_equal(sink_text(&s), "t.yaml:2:4: error: columns must be a number, found '1,5'\n"
                                       "t.yaml:3:4: error: columns must be a number, found a list\n");
    ydoc_drop(doc);
    sink_close(&s);
}

static void test_load_missing_file(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    assert_null(ydoc_load("tests/no/such/file.yaml", s.d));
    assert_string_equal(sink_text(&s), "tests/no/such/file.yaml: error: cannot open file: No such file or directory\n");
    sink_close(&s);
}


/* ---- texts YAML reads as something else ------------------------------------------ */

/* Parses `text` and compares every message with `want`; the tree must load
 * (warnings only) when `loads`. */
static void expect_messages(const char *text, bool loads, const char *want) {
    sink_t s;
    sink_open(&s);
    ydoc_t *doc = parse(&s, text);
    if (strcmp(sink_text(&s), want) != 0) fprintf(stderr, "for: %s", text);
    assert_string_equal(sink_text(&s), want);
    assert_int_equal(doc != NULL, loads);
    ydoc_drop(doc);
    sink_close(&s);
}

/* An unquoted text with " #" loses the rest to a comment; a leading '!'
 * is a tag and '&' an anchor, both dropped: warnings with the position and
 * the text as it should be written. */
static void test_silent_losses_warned(void **state) {
    (void)state;
    expect_messages("title: Ledelse #1 i kommunen\n", true,
                    "t.yaml:1:16: warning: ' #' starts a YAML comment, so the text ends at 'Ledelse' and what follows "
                    "is dropped; if it belongs to the text, write the whole text in double quotes: \"Ledelse #1 i "
                    "kommunen\" (a comment goes on a line of its own)\n");
    expect_messages("- Vi er nr. #1\n", true,
                    "t.yaml:1:13: warning: ' #' starts a YAML comment, so the text ends at 'Vi er nr.' and what "
                    "follows is dropped; if it belongs to the text, write the whole text in double quotes: \"Vi er "
                    "nr. #1\" (a comment goes on a line of its own)\n");
    expect_messages("organisation: !Skanderborg Kommune\n", true,
                    "t.yaml:1:15: warning: '!Skanderborg' is read as a YAML tag and dropped, leaving 'Kommune'; if it "
                    "belongs to the text, write the whole text in double quotes: \"!Skanderborg Kommune\"\n");
    expect_messages("a: !!str 42\nb: !liste\n  - x\n", true,
                    "t.yaml:1:4: warning: '!!str' is read as a YAML tag and dropped, leaving '42'; if it belongs to "
                    "the text, write the whole text in double quotes: \"!!str 42\"\n"
                    "t.yaml:2:4: warning: '!liste' is read as a YAML tag, which grundlag ignores; remove it\n");
    expect_messages("title: &Ansvar og tillid\nx: 1\n", true,
                    "t.yaml:1:8: warning: '&Ansvar' is read as a YAML anchor (a name for an alias '*Ansvar' to refer "
                    "to) and dropped, leaving 'og tillid'; if it belongs to the text, write the whole text in double "
                    "quotes: \"&Ansvar og tillid\"\n");
    /* what is meant: quoted texts, comments on their own line or after
     * a quoted text or a list, '#' inside a word, an anchor that is used */
    expect_messages("# a comment\ntitle: \"Ledelse #1\"  # the title\nb: [x, y] # c\nc: C#\nd: &a [1]\ne: *a\n"
                    "f: 'a' # c\n",
                    true, "");
}

/* A text that starts with a character YAML reserves, or holds ': ': what
 * was expected, where, and how to write it. */
static void test_syntax_in_text_explained(void **state) {
    (void)state;
    expect_messages("title: *Ansvar og ansvar\n", false,
                    "t.yaml:1:8: error: '*Ansvar' is read as a YAML alias (a reference to an anchor '&Ansvar'), and "
                    "there is no such anchor; a text that starts with '*' must be written in double quotes: "
                    "\"*Ansvar og ansvar\"\n");
    expect_messages("title: * Ansvar\n", false,
                    "t.yaml:1:8: error: malformed YAML: a text that starts with '*' must be written in double quotes "
                    "(YAML reads '*' as a reference to an anchor): \"* Ansvar\"\n");
    expect_messages("title: @home \"x\"\n", false,
                    "t.yaml:1:8: error: malformed YAML: a text that starts with '@' must be written in double quotes "
                    "(YAML reserves '@' and '`'): \"@home \\\"x\\\"\"\n");
    expect_messages("title: | x\n", false,
                    "t.yaml:1:8: error: malformed YAML: a text that starts with '|' must be written in double quotes "
                    "(YAML reads '|' and '>' as the start of a block of lines): \"| x\"\n");
    /* in a list item ': ' makes a map where a text was meant */
    sink_t s;
    sink_open(&s);
    ydoc_t *doc = parse(&s, "bullets:\n  - Mål: tid\n");
    assert_non_null(doc);
    assert_null(ytext(doc, ymap_get(doc->root, "bullets")->items[0], "bullet 1", s.d));
    assert_string_equal(sink_text(&s), "t.yaml:2:5: error: bullet 1 must be text, found a map: ': ' makes 'Mål' a key "
                                       "and 'tid' its value; write the whole text in double quotes: \"Mål: tid\"\n");
    ydoc_drop(doc);
    sink_close(&s);
    expect_messages("title: Mål: tid\n", false,
                    "t.yaml:1:11: error: malformed YAML: a text that contains ': ' must be written in double quotes "
                    "(YAML reads ': ' as a key and its value): \"Mål: tid\"\n");
    expect_messages("document:\n  title:\"x\"\n  language: da\n", false,
                    "t.yaml:2:3: error: malformed YAML: a key needs a space after its ':'; write 'title: \"x\"'\n");
    expect_messages("a: 1\nprofiles:42\nb: 2\n", false,
                    "t.yaml:2:1: error: malformed YAML: a key needs a space after its ':'; write 'profiles: 42'\n");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ynumber_parse),
        cmocka_unit_test_teardown(test_ynumber_parse_ignores_locale, restore_locale),
        cmocka_unit_test(test_ysuggest),
        cmocka_unit_test(test_yutf8_valid),
        cmocka_unit_test(test_parse_invalid_utf8),
        cmocka_unit_test(test_parse_tree_positions),
        cmocka_unit_test(test_alias_bomb),
        cmocka_unit_test(test_alias_bomb_text),
        cmocka_unit_test(test_many_nodes_no_alias),
        cmocka_unit_test(test_node_limit),
        cmocka_unit_test(test_unknown_alias),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_malformed_messages),
        cmocka_unit_test(test_ymap_check),
        cmocka_unit_test(test_yexpect_and_ytext),
        cmocka_unit_test(test_ynumber_messages),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_silent_losses_warned),
        cmocka_unit_test(test_syntax_in_text_explained),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
