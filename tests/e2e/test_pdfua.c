/* End-to-end: the PDF/UA-1 rules every tagged sample keeps, as rendered by
 * the binary under test (tools/samples.sh: every layout and the variants,
 * the personalised worksheets included) and read back with poppler and
 * qpdf. All samples are tagged; an untagged print file claims nothing and
 * keeps its crop marks artifacts. The structure tree with its text and attributes comes
 * from `pdfinfo -struct-text`, the content streams from `qpdf --qdf`.
 * Checked here, each the way ISO 32000-1 or the Matterhorn Protocol puts it:
 *   - words stay apart in the structure's text (14.8.2.5): every word an
 *     element reads is a word of the inputs (data, layouts, roster), never
 *     two run together at a line break, a bullet or a font change;
 *   - lists, contents and tables nest as Tables 333, 336 and 337 say;
 *   - headings start at H1 and never skip a level (Matterhorn 14-002/003);
 *   - tables are regular, every TH has a /Scope and every TD a header
 *     (ISO 14289-1 7.2 and 7.5, Matterhorn 15-003);
 *   - running heads and folios are pagination artifacts (Header, Footer),
 *     other furniture with text is typed too, and an untyped artifact holds
 *     no more than an added hyphen (Matterhorn 18);
 *   - the header's version is at least 1.5 (/Tabs, /Scope);
 *   - worksheets, blank and personalised, are tagged, and a participant's
 *     name is read after the sheet's heading;
 *   - pages that text extraction can read in one order (a page at a time,
 *     a poster's cells set as one block each) read in the structure's
 *     order: what pdftotext extracts holds the structure's words in turn,
 *     the way the checkers that compare the two expect. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "e2e/e2e.h"

/* ---- the samples ------------------------------------------------------------ */

typedef struct samples {
    char *dir;
    char **files; /* DIR/STEM.pdf, in tools/samples.sh's order */
    size_t count;
} samples_t;

static int render_samples(void **state) {
    samples_t *s = calloc(1, sizeof *s);
    if (!s || !(s->dir = e2e_tmpdir())) return -1;
    e2e_result_t r = e2e_run("tools/samples.sh %s >/dev/null && tools/samples.sh --list | cut -f1", s->dir);
    if (r.status != 0) {
        fprintf(stderr, "tools/samples.sh failed: %s\n", r.err);
        e2e_result_free(&r);
        return -1;
    }
    char *save = NULL;
    for (char *l = strtok_r(r.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        char **f = realloc(s->files, (s->count + 1) * sizeof *f);
        if (!f) return -1;
        s->files = f;
        char name[300];
        snprintf(name, sizeof name, "%s.pdf", l);
        s->files[s->count++] = e2e_path(s->dir, name);
    }
    e2e_result_free(&r);
    *state = s;
    return s->count > 0 ? 0 : -1;
}

static int drop_samples(void **state) {
    samples_t *s = *state;
    if (!s) return 0;
    for (size_t i = 0; i < s->count; i++) free(s->files[i]);
    free(s->files);
    e2e_rmtree(s->dir);
    free(s);
    return 0;
}

/* The sample whose file name ends in `name` ("/worksheet.pdf"). */
static const char *sample(const samples_t *s, const char *name) {
    for (size_t i = 0; i < s->count; i++) {
        size_t fl = strlen(s->files[i]), nl = strlen(name);
        if (fl >= nl && strcmp(s->files[i] + fl - nl, name) == 0) return s->files[i];
    }
    fail_msg("no sample %s", name);
    return NULL;
}

/* ---- the structure tree, as pdfinfo -struct-text prints it ------------------ */

/* An element: its type, parent, TH scope and the text of its own content
 * (its marked content in order, joined as a reader gets it). */
typedef struct el {
    char tag[24];
    int depth;
    long parent; /* -1: a root */
    char scope[16];
    char *text;
    size_t text_len;
} el_t;

typedef struct tree {
    el_t *v;
    size_t n;
} tree_t;

static void tree_free(tree_t *t) {
    for (size_t i = 0; i < t->n; i++) free(t->v[i].text);
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

/* Lines are indented two spaces a level: an element ("LI (block)", "TH:"),
 * an attribute under it ("/Scope /Column"), a string of its content, or an
 * annotation it owns ("Object 12 0"). */
static tree_t struct_tree(const char *pdf) {
    tree_t t = {0};
    e2e_result_t r = e2e_run("pdfinfo -struct-text %s", pdf);
    assert_int_equal(r.status, 0);
    long stack[64];
    int top = -1;
    char *save = NULL;
    for (char *l = strtok_r(r.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        int indent = 0;
        while (l[indent] == ' ') indent++;
        char *s = l + indent;
        /* the element a line below it belongs to: the last one less indented */
        while (top >= 0 && t.v[stack[top]].depth * 2 >= indent) top--;
        long owner = top >= 0 ? stack[top] : -1;
        if (*s == '"') {
            char *end = strrchr(s, '"');
            if (owner < 0 || end <= s) continue;
            el_t *e = &t.v[owner];
            size_t add = (size_t)(end - s - 1);
            char *nt = realloc(e->text, e->text_len + add + 1);
            assert_non_null(nt);
            memcpy(nt + e->text_len, s + 1, add);
            e->text = nt;
            e->text_len += add;
            e->text[e->text_len] = '\0';
        } else if (*s == '/') {
            if (owner >= 0 && strncmp(s, "/Scope /", 8) == 0)
                snprintf(t.v[owner].scope, sizeof t.v[owner].scope, "%s", s + 8);
        } else if (strncmp(s, "Object ", 7) != 0 && ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))) {
            el_t *nv = realloc(t.v, (t.n + 1) * sizeof *nv);
            assert_non_null(nv);
            t.v = nv;
            el_t *e = &t.v[t.n];
            memset(e, 0, sizeof *e);
            size_t k = 0;
            while (k + 1 < sizeof e->tag && ((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= 'a' && s[k] <= 'z') ||
                                             (s[k] >= '0' && s[k] <= '9')))
                e->tag[k] = s[k], k++;
            e->depth = indent / 2;
            e->parent = owner;
            assert_true(top + 1 < 64);
            stack[++top] = (long)t.n++;
        }
    }
    e2e_result_free(&r);
    return t;
}

static bool is(const el_t *e, const char *tag) { return strcmp(e->tag, tag) == 0; }

static const char *parent_tag(const tree_t *t, const el_t *e) { return e->parent >= 0 ? t->v[e->parent].tag : ""; }

/* Whether `tag` is one of the space-separated `list`. */
static bool one_of(const char *tag, const char *list) {
    size_t n = strlen(tag);
    for (const char *p = list; *p;) {
        const char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        if (len == n && strncmp(p, tag, n) == 0) return true;
        p += len + (sp ? 1 : 0);
    }
    return false;
}

/* ---- words --------------------------------------------------------------------- */

/* The next code point of UTF-8 `s` at *i (advanced); 0 at the end. */
static unsigned next_cp(const char *s, size_t len, size_t *i) {
    if (*i >= len) return 0;
    const unsigned char *u = (const unsigned char *)s + *i;
    unsigned cp = u[0];
    size_t n = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
    if (*i + n > len) n = len - *i;
    if (n > 1) {
        cp &= n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07;
        for (size_t k = 1; k < n; k++) cp = cp << 6 | (u[k] & 0x3F);
    }
    *i += n;
    return cp;
}

/* Letters and digits make words; a soft hyphen is no break, only a place
 * for one; punctuation (ASCII, Latin-1's, U+2000–U+206F) separates. */
static bool word_cp(unsigned cp) {
    if (cp < 0x80) return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
    if (cp < 0xC0) return false;
    if (cp == 0xD7 || cp == 0xF7) return false;
    return !(cp >= 0x2000 && cp <= 0x206F);
}

/* Calls `fn` with each word of `s`, lower-cased (ASCII and Latin-1), as
 * a NUL-terminated string. */
static void each_word(const char *s, size_t len, void (*fn)(const char *w, void *ctx), void *ctx) {
    char w[256];
    size_t wn = 0, i = 0;
    for (;;) {
        unsigned cp = next_cp(s, len, &i);
        if (cp == 0xAD) continue;
        if (cp && word_cp(cp)) {
            if (cp < 0x80 && cp >= 'A' && cp <= 'Z') cp |= 0x20;
            else if (cp >= 0xC0 && cp <= 0xDE) cp += 0x20;
            if (wn + 4 < sizeof w) {
                if (cp < 0x80) w[wn++] = (char)cp;
                else if (cp < 0x800) w[wn++] = (char)(0xC0 | cp >> 6), w[wn++] = (char)(0x80 | (cp & 0x3F));
                else if (cp < 0x10000)
                    w[wn++] = (char)(0xE0 | cp >> 12), w[wn++] = (char)(0x80 | (cp >> 6 & 0x3F)),
                    w[wn++] = (char)(0x80 | (cp & 0x3F));
                else
                    w[wn++] = (char)(0xF0 | cp >> 18), w[wn++] = (char)(0x80 | (cp >> 12 & 0x3F)),
                    w[wn++] = (char)(0x80 | (cp >> 6 & 0x3F)), w[wn++] = (char)(0x80 | (cp & 0x3F));
            }
            continue;
        }
        if (wn) {
            w[wn] = '\0';
            fn(w, ctx);
            wn = 0;
        }
        if (!cp) break;
    }
}

typedef struct words {
    char **v;
    size_t n;
} words_t;

static void add_word(const char *w, void *ctx) {
    words_t *ws = ctx;
    char **nv = realloc(ws->v, (ws->n + 1) * sizeof *nv);
    assert_non_null(nv);
    ws->v = nv;
    ws->v[ws->n++] = strdup(w);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every word of the inputs: what a structure may read. */
static words_t vocabulary(void) {
    words_t ws = {0};
    e2e_result_t r = e2e_run("cat data/ledelsesgrundlag.yaml layouts/*.yaml samples/roster.csv");
    assert_int_equal(r.status, 0);
    each_word(r.out, strlen(r.out), add_word, &ws);
    e2e_result_free(&r);
    qsort(ws.v, ws.n, sizeof *ws.v, cmp_str);
    return ws;
}

static void words_free(words_t *ws) {
    for (size_t i = 0; i < ws->n; i++) free(ws->v[i]);
    free(ws->v);
}

typedef struct unknown {
    const words_t *known;
    const char *pdf, *tag;
    size_t count;   /* unknown words in this element */
    size_t *shown;  /* said on stderr so far, in all */
} unknown_t;

static void check_word(const char *w, void *ctx) {
    unknown_t *u = ctx;
    bool digits = true;
    for (const char *p = w; *p; p++) digits = digits && *p >= '0' && *p <= '9';
    if (digits || bsearch(&w, u->known->v, u->known->n, sizeof *u->known->v, cmp_str)) return;
    if (u->count++ < 8 && u->shown && (*u->shown)++ < 8) fprintf(stderr, "%s: %s reads \"%s\", no word of the inputs (words run together?)\n", u->pdf, u->tag, w);
}

static void test_words_stay_apart(void **state) {
    samples_t *s = *state;
    words_t known = vocabulary();
    size_t bad = 0, shown = 0;
    for (size_t i = 0; i < s->count; i++) {
        tree_t t = struct_tree(s->files[i]);
        assert_true(t.n > 0);
        for (size_t k = 0; k < t.n; k++) {
            if (!t.v[k].text) continue;
            unknown_t u = {&known, s->files[i], t.v[k].tag, 0, &shown};
            each_word(t.v[k].text, t.v[k].text_len, check_word, &u);
            bad += u.count;
        }
        tree_free(&t);
    }
    words_free(&known);
    assert_int_equal(bad, 0);
}

/* ---- nesting, headings, tables ----------------------------------------------- */

/* Which kids an element may have, and in what parent an element may be. */
static const struct {
    const char *tag, *kids, *parents;
} nesting[] = {
    {"L", "L LI Caption", NULL},
    {"LI", "Lbl LBody", "L"},
    {"LBody", NULL, "LI"},
    {"TOC", "TOC TOCI Caption", NULL},
    {"TOCI", "Lbl Reference P NonStruct TOC", "TOC"},
    {"Table", "TR THead TBody TFoot Caption", NULL},
    {"TR", "TH TD", "Table THead TBody TFoot"},
    {"TH", NULL, "TR"},
    {"TD", NULL, "TR"},
};

static void test_lists_contents_and_tables_nest(void **state) {
    samples_t *s = *state;
    size_t bad = 0;
    for (size_t i = 0; i < s->count; i++) {
        tree_t t = struct_tree(s->files[i]);
        for (size_t k = 0; k < t.n; k++) {
            const el_t *e = &t.v[k];
            for (size_t r = 0; r < sizeof nesting / sizeof nesting[0]; r++) {
                if (nesting[r].parents && is(e, nesting[r].tag) && !one_of(parent_tag(&t, e), nesting[r].parents)) {
                    if (bad++ < 8) fprintf(stderr, "%s: %s in %s\n", s->files[i], e->tag, parent_tag(&t, e));
                }
                if (nesting[r].kids && e->parent >= 0 && is(&t.v[e->parent], nesting[r].tag) &&
                    !one_of(e->tag, nesting[r].kids)) {
                    if (bad++ < 8) fprintf(stderr, "%s: %s holds %s\n", s->files[i], nesting[r].tag, e->tag);
                }
            }
        }
        tree_free(&t);
    }
    assert_int_equal(bad, 0);
}

static void test_headings_start_at_h1_and_never_skip(void **state) {
    samples_t *s = *state;
    size_t bad = 0;
    for (size_t i = 0; i < s->count; i++) {
        tree_t t = struct_tree(s->files[i]);
        int prev = 0;
        for (size_t k = 0; k < t.n; k++) {
            const char *g = t.v[k].tag;
            if (g[0] != 'H' || g[1] < '1' || g[1] > '6' || g[2]) continue;
            int level = g[1] - '0';
            if ((prev == 0 && level != 1) || level > prev + 1) {
                if (bad++ < 8)
                    fprintf(stderr, "%s: %s \"%.40s\" after H%d\n", s->files[i], g, t.v[k].text ? t.v[k].text : "",
                            prev);
            }
            prev = level;
        }
        tree_free(&t);
    }
    assert_int_equal(bad, 0);
}

/* A table's rows have as many cells each; every TH says whom it heads; every
 * TD has a header over it (Column) or before it in its row (Row). */
static size_t check_table(const tree_t *t, size_t table, const char *pdf) {
    size_t bad = 0, rows = 0, width = 0;
    const el_t *grid[64][64] = {{0}};
    for (size_t k = table + 1; k < t->n && t->v[k].depth > t->v[table].depth; k++) {
        const el_t *e = &t->v[k];
        if (is(e, "TR") && e->parent == (long)table) {
            size_t cells = 0;
            for (size_t c = k + 1; c < t->n && t->v[c].depth > e->depth; c++)
                if (t->v[c].parent == (long)k && (is(&t->v[c], "TH") || is(&t->v[c], "TD"))) {
                    if (rows < 64 && cells < 64) grid[rows][cells] = &t->v[c];
                    cells++;
                }
            if (rows == 0) width = cells;
            if (cells != width && bad++ < 4)
                fprintf(stderr, "%s: table row %zu has %zu cells, the first %zu\n", pdf, rows + 1, cells, width);
            rows++;
        }
    }
    for (size_t r = 0; r < rows && r < 64; r++)
        for (size_t c = 0; c < width && c < 64; c++) {
            const el_t *e = grid[r][c];
            if (!e) continue;
            if (is(e, "TH") && !one_of(e->scope, "Row Column Both") && bad++ < 8)
                fprintf(stderr, "%s: TH \"%.30s\" (row %zu, column %zu) has no /Scope\n", pdf, e->text ? e->text : "",
                        r + 1, c + 1);
            if (!is(e, "TD")) continue;
            bool headed = false;
            for (size_t up = 0; up < r; up++)
                headed = headed || (grid[up][c] && is(grid[up][c], "TH") && one_of(grid[up][c]->scope, "Column Both"));
            for (size_t left = 0; left < c; left++)
                headed = headed || (grid[r][left] && is(grid[r][left], "TH") && one_of(grid[r][left]->scope, "Row Both"));
            if (!headed && bad++ < 8) fprintf(stderr, "%s: TD (row %zu, column %zu) has no header\n", pdf, r + 1, c + 1);
        }
    return bad;
}

static void test_tables_are_regular_with_headers(void **state) {
    samples_t *s = *state;
    size_t bad = 0, tables = 0;
    for (size_t i = 0; i < s->count; i++) {
        tree_t t = struct_tree(s->files[i]);
        for (size_t k = 0; k < t.n; k++)
            if (is(&t.v[k], "Table")) {
                tables++;
                bad += check_table(&t, k, s->files[i]);
            }
        tree_free(&t);
    }
    assert_true(tables >= 3); /* the posters */
    assert_int_equal(bad, 0);
}

/* ---- content streams ---------------------------------------------------------------- */

/* Marked content in a page's content, as qpdf writes it out (--qdf: one
 * operator a line, strings of glyph codes in hex). */
typedef struct marks {
    size_t header, footer;   /* pagination artifacts that show text */
    size_t plain_text_max;   /* the most glyphs shown in one untyped artifact */
} marks_t;

/* Glyph codes (two bytes each) in a TJ or Tj line. */
static size_t glyphs_on(const char *l, size_t len) {
    size_t hex = 0, lit = 0;
    bool in_hex = false;
    int in_lit = 0;
    for (size_t i = 0; i < len; i++) {
        char c = l[i];
        if (in_lit) {
            if (c == '\\') i++, lit++;
            else if (c == ')') in_lit--;
            else lit++;
        } else if (in_hex) {
            if (c == '>') in_hex = false;
            else if (c != ' ') hex++;
        } else if (c == '<') {
            in_hex = true;
        } else if (c == '(') {
            in_lit = 1;
        }
    }
    return hex / 4 + lit / 2;
}

static bool has(const char *s, size_t len, const char *needle) {
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(s + i, needle, n) == 0) return true;
    return false;
}

static marks_t content_marks(const char *pdf) {
    marks_t m = {0};
    e2e_result_t r = e2e_run("qpdf --qdf --object-streams=disable %s -", pdf);
    assert_int_equal(r.status, 0);
    /* what each open sequence is: 'H', 'F' pagination, 'T' another typed
     * artifact, 'A' an untyped one, 'E' an element */
    char stack[32];
    size_t shown[32];
    int top = -1;
    /* Line by line over the whole output: fonts and the output intent's
     * profile are binary, with NUL bytes, and often come before a page. */
    const char *p = r.out, *end = r.out + r.out_len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        bool bdc = len >= 4 && strncmp(p + len - 4, " BDC", 4) == 0, bmc = len >= 4 && strncmp(p + len - 4, " BMC", 4) == 0;
        if ((bdc || bmc) && top + 1 < 32) {
            char kind = 'E';
            if (strncmp(p, "/Artifact", 9) == 0) {
                kind = has(p, len, "/Type") ? 'T' : 'A';
                if (has(p, len, "/Pagination") && has(p, len, "/Subtype /Header")) kind = 'H';
                if (has(p, len, "/Pagination") && has(p, len, "/Subtype /Footer")) kind = 'F';
            }
            stack[++top] = kind;
            shown[top] = 0;
        } else if (len == 3 && strncmp(p, "EMC", 3) == 0 && top >= 0) {
            if (stack[top] == 'H' && shown[top]) m.header++;
            if (stack[top] == 'F' && shown[top]) m.footer++;
            if (stack[top] == 'A' && shown[top] > m.plain_text_max) m.plain_text_max = shown[top];
            top--;
        } else if (top >= 0 && len >= 2 && (strncmp(p + len - 2, "TJ", 2) == 0 || strncmp(p + len - 2, "Tj", 2) == 0)) {
            shown[top] += glyphs_on(p, len - 2);
        }
        p += len + (nl ? 1 : 0);
    }
    e2e_result_free(&r);
    return m;
}

static char *structure_text(const char *pdf);

static void test_running_heads_and_folios_are_pagination(void **state) {
    samples_t *s = *state;
    /* The handbook: running heads and folios; worksheets: footers on every page. */
    marks_t hb = content_marks(sample(s, "/handbook.pdf"));
    assert_true(hb.header > 0);
    assert_true(hb.footer > 0);
    e2e_result_t r = e2e_run("pdfinfo %s | grep Pages: | tr -dc 0-9", sample(s, "/worksheets-personal.pdf"));
    size_t pages = (size_t)atol(r.out);
    e2e_result_free(&r);
    marks_t ws = content_marks(sample(s, "/worksheets-personal.pdf"));
    assert_true(pages > 0);
    assert_true(ws.footer >= pages); /* the left side and the page number */
    /* A dialogue card's number is the deck's folio: one on every back, and
     * no word of the structure. */
    const char *deck = sample(s, "/dialogue-card-print.pdf");
    r = e2e_run("pdfinfo %s | grep Pages: | tr -dc 0-9", deck);
    size_t cards = (size_t)atol(r.out) / 2;
    e2e_result_free(&r);
    marks_t dc = content_marks(deck);
    assert_true(cards > 0);
    assert_int_equal(dc.footer, cards);
    char *text = structure_text(deck);
    assert_null(strstr(text, "D-1"));
    free(text);
    /* Furniture that shows text says what it is; an untyped artifact shows
     * at most a hyphen that a line break added. */
    for (size_t i = 0; i < s->count; i++) {
        marks_t m = content_marks(s->files[i]);
        if (m.plain_text_max > 1) fprintf(stderr, "%s: an artifact shows %zu glyphs\n", s->files[i], m.plain_text_max);
        assert_true(m.plain_text_max <= 1);
    }
}

static void test_version_has_tabs_and_scope(void **state) {
    samples_t *s = *state;
    for (size_t i = 0; i < s->count; i++) {
        FILE *f = fopen(s->files[i], "rb");
        assert_non_null(f);
        char head[9] = {0};
        size_t got = fread(head, 1, 8, f);
        fclose(f);
        assert_int_equal(got, 8);
        if (strncmp(head, "%PDF-1.", 7) != 0 || head[7] < '5' || head[7] > '7')
            fprintf(stderr, "%s: header %s, but /Tabs and /Scope are PDF 1.5\n", s->files[i], head);
        assert_true(strncmp(head, "%PDF-1.", 7) == 0 && head[7] >= '5' && head[7] <= '7');
    }
}

/* ---- untagged print files ------------------------------------------------- */

/* Every sample is tagged; a print file a layout makes untagged (the A3
 * card sheet with `tagged: false`) claims neither tags nor PDF/UA, and
 * marks its crop marks (the registration colour, /Reg) as artifacts all
 * the same, as a preflight expects. */
static void test_untagged_print_file_claims_nothing(void **state) {
    samples_t *s = *state;
    for (size_t i = 0; i < s->count; i++) {
        e2e_result_t r = e2e_run("pdfinfo %s | grep '^Tagged:'", s->files[i]);
        if (!strstr(r.out, "yes")) fprintf(stderr, "%s: not tagged\n", s->files[i]);
        assert_non_null(strstr(r.out, "yes"));
        e2e_result_free(&r);
    }
    char *pdf = e2e_path(s->dir, "untagged-sheet.pdf");
    e2e_result_t r = e2e_run("mkdir -p %s/untagged/layouts && ln -sf \"$PWD/fonts\" %s/untagged/fonts && "
                             "sed '/^punctuation:/a tagged: false' layouts/role-cards-sheet.yaml > "
                             "%s/untagged/layouts/sheet.yaml && %s render -o %s %s/untagged/layouts/sheet.yaml",
                             s->dir, s->dir, s->dir, e2e_bin(), pdf, s->dir);
    assert_int_equal(r.status, 0);
    e2e_result_free(&r);
    r = e2e_run("pdfinfo %s | grep '^Tagged:'; pdfinfo -struct %s | wc -l; pdfinfo -meta %s | grep -c pdfuaid", pdf,
                pdf, pdf);
    if (!strstr(r.out, "no\n0\n0\n")) fprintf(stderr, "%s: claims\n%s", pdf, r.out);
    assert_non_null(strstr(r.out, "no\n0\n0\n"));
    e2e_result_free(&r);
    /* (the marking lines only: the fonts' streams hold NUL bytes) */
    r = e2e_run("qpdf --qdf --object-streams=disable %s - | grep -a -e '^/Artifact BMC$' -e '^EMC$' -e '/Reg CS'", pdf);
    assert_int_equal(r.status, 0);
    size_t marks = 0, loose = 0;
    bool in_artifact = false;
    char *save = NULL;
    for (char *l = strtok_r(r.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (strcmp(l, "/Artifact BMC") == 0) in_artifact = true;
        else if (strcmp(l, "EMC") == 0) in_artifact = false;
        else if (strstr(l, "/Reg CS")) marks++, loose += !in_artifact;
    }
    e2e_result_free(&r);
    if (!marks || loose) fprintf(stderr, "%s: %zu crop-mark runs, %zu not artifacts\n", pdf, marks, loose);
    assert_true(marks > 0);
    assert_int_equal(loose, 0);
    free(pdf);
}

/* ---- reading order ------------------------------------------------------------ */

/* What the structure reads: its strings in order, one a line. */
static char *structure_text(const char *pdf) {
    e2e_result_t r = e2e_run("pdfinfo -struct-text %s", pdf);
    assert_int_equal(r.status, 0);
    size_t len = 0;
    char *save = NULL, *out = malloc(strlen(r.out) + 1);
    assert_non_null(out);
    for (char *l = strtok_r(r.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        while (*l == ' ') l++;
        char *end = strrchr(l, '"');
        if (*l != '"' || end <= l) continue;
        memcpy(out + len, l + 1, (size_t)(end - l - 1));
        len += (size_t)(end - l - 1);
        out[len++] = '\n';
    }
    out[len] = '\0';
    e2e_result_free(&r);
    return out;
}

static bool word_is(const words_t *ws, size_t i, const char *w) { return i < ws->n && strcmp(ws->v[i], w) == 0; }

/* Whether pdftotext's word j (and j + 1) reads structure word k: the same
 * word; a word pdftotext split at a line-end hyphen; or one it joined
 * across a line end ("kontrakt-" + "og"), which takes words k and k + 1.
 * Returns how many structure words it read, 0 for none. */
static size_t reads_as(const words_t *tt, size_t j, const words_t *st, size_t k, size_t *used) {
    *used = 1;
    if (strcmp(tt->v[j], st->v[k]) == 0) return 1;
    char two[520];
    if (j + 1 < tt->n) {
        snprintf(two, sizeof two, "%s%s", tt->v[j], tt->v[j + 1]);
        if (strcmp(two, st->v[k]) == 0) return *used = 2, 1;
    }
    if (k + 1 < st->n) {
        snprintf(two, sizeof two, "%s%s", st->v[k], st->v[k + 1]);
        if (word_is(tt, j, two)) return 2;
    }
    return 0;
}

/* Samples whose pages text extraction reads in one order: a page at a
 * time, one column, a poster whose cells it takes as one block each
 * (layouts/poster-series.yaml and poster-overview.yaml say how), or a
 * sheet of cards placed down its columns (layouts/dialogue-cards.yaml).
 * A two-column card page is read across the columns, band by band, and
 * is not here. */
static const char *const READ_IN_ORDER[] = {
    "/handbook.pdf",           "/handbook-print.pdf",    "/role-card-a5.pdf",   "/role-card-print.pdf",
    "/sample.pdf",             "/dialogue-card-print.pdf", "/poster-series.pdf", "/dialogue-cards.pdf",
    "/poster-overview.pdf",    "/poster-overview-a0.pdf", "/poster-two-profiles.pdf"};

static void test_pages_read_in_structure_order(void **state) {
    samples_t *s = *state;
    for (size_t f = 0; f < sizeof READ_IN_ORDER / sizeof READ_IN_ORDER[0]; f++) {
        const char *pdf = sample(s, READ_IN_ORDER[f]);
        e2e_result_t r = e2e_run("pdftotext -enc UTF-8 %s -", pdf);
        assert_int_equal(r.status, 0);
        words_t tt = {0}, st = {0};
        each_word(r.out, strlen(r.out), add_word, &tt);
        e2e_result_free(&r);
        char *text = structure_text(pdf);
        each_word(text, strlen(text), add_word, &st);
        free(text);
        /* Each structure word in turn, found at or after the last one's
         * place: extraction may add furniture between them, never reorder. */
        size_t j = 0, k = 0, lost = 0;
        while (k < st.n) {
            size_t used = 1, read = 0, at = j;
            while (at < tt.n && !(read = reads_as(&tt, at, &st, k, &used))) at++;
            if (!read) {
                if (lost++ < 3) fprintf(stderr, "%s: \"%s\" (structure word %zu of %zu) is not where pdftotext reads it\n",
                                        pdf, st.v[k], k + 1, st.n);
                k++;
                continue;
            }
            j = at + used;
            k += read;
        }
        assert_true(st.n > 100);
        assert_int_equal(lost, 0);
        words_free(&tt);
        words_free(&st);
    }
}

/* ---- worksheets ------------------------------------------------------------------ */

static void test_worksheets_tagged_heading_first(void **state) {
    samples_t *s = *state;
    const char *files[] = {sample(s, "/worksheet.pdf"), sample(s, "/worksheets-personal.pdf")};
    for (size_t i = 0; i < 2; i++) {
        e2e_result_t r = e2e_run("pdfinfo %s", files[i]);
        assert_non_null(strstr(r.out, "Tagged:          yes"));
        e2e_result_free(&r);
    }
    /* Each participant: the role's H1 before their name, in their own Sect. */
    tree_t t = struct_tree(files[1]);
    /* the roster's names that need no CSV quoting */
    e2e_result_t names = e2e_run("awk -F, 'NR > 1 && $1 !~ /^\"/ { print $1 }' samples/roster.csv");
    size_t found = 0, given = 0;
    char *save = NULL;
    for (char *name = strtok_r(names.out, "\n", &save); name; name = strtok_r(NULL, "\n", &save)) {
        given++;
        for (size_t k = 0; k < t.n; k++) {
            if (!t.v[k].text || strcmp(t.v[k].text, name) != 0) continue;
            found++;
            /* the H1 of the same worksheet: the nearest before it, under the same Sect */
            long h1 = -1;
            for (long b = (long)k - 1; b >= 0 && h1 < 0; b--)
                if (is(&t.v[b], "H1")) h1 = b;
            assert_true(h1 >= 0);
            assert_int_equal(t.v[h1].parent, t.v[k].parent);
            break;
        }
    }
    e2e_result_free(&names);
    tree_free(&t);
    assert_true(given > 0);
    assert_int_equal(found, given);
}

/* Participants with the same profile share their worksheet's body: drawn
 * once and reused for the others (the device's underlay memo), it must still
 * be in each one's own structure, whole: the LBody text under each
 * participant's Sect is the same for every participant of a profile. */
static void test_worksheets_each_participant_has_the_whole_body(void **state) {
    samples_t *s = *state;
    tree_t t = struct_tree(sample(s, "/worksheets-personal.pdf"));
    /* per participant (the Sect over the header Sect that holds the H1): its
     * H1 text and its LBody texts */
    typedef struct sect { long at; const char *h1; char *body; size_t len; } sect_t;
    sect_t v[64];
    size_t n = 0;
    for (size_t k = 0; k < t.n; k++) {
        if (!is(&t.v[k], "H1") || t.v[k].parent < 0 || !t.v[k].text) continue;
        assert_true(n < 64);
        v[n++] = (sect_t){t.v[t.v[k].parent].parent, t.v[k].text, NULL, 0};
    }
    for (size_t k = 0; k < t.n; k++) {
        if (!is(&t.v[k], "LBody") || !t.v[k].text) continue;
        long a = t.v[k].parent;
        size_t i = n;
        while (a >= 0 && i == n) {
            for (size_t j = 0; j < n && i == n; j++)
                if (v[j].at == a) i = j;
            a = t.v[a].parent;
        }
        if (i == n) continue;
        v[i].body = realloc(v[i].body, v[i].len + t.v[k].text_len + 2);
        assert_non_null(v[i].body);
        memcpy(v[i].body + v[i].len, t.v[k].text, t.v[k].text_len);
        v[i].len += t.v[k].text_len;
        v[i].body[v[i].len++] = '\n';
        v[i].body[v[i].len] = '\0';
    }
    size_t pairs = 0;
    for (size_t i = 0; i < n; i++) {
        assert_non_null(v[i].body);
        for (size_t j = i + 1; j < n; j++) {
            if (strcmp(v[i].h1, v[j].h1) != 0) continue;
            assert_string_equal(v[i].body, v[j].body);
            pairs++;
        }
    }
    assert_true(n >= 6);
    assert_true(pairs >= 3); /* the roster repeats profiles */
    for (size_t i = 0; i < n; i++) free(v[i].body);
    tree_free(&t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_stay_apart),
        cmocka_unit_test(test_lists_contents_and_tables_nest),
        cmocka_unit_test(test_headings_start_at_h1_and_never_skip),
        cmocka_unit_test(test_tables_are_regular_with_headers),
        cmocka_unit_test(test_running_heads_and_folios_are_pagination),
        cmocka_unit_test(test_version_has_tabs_and_scope),
        cmocka_unit_test(test_worksheets_tagged_heading_first),
        cmocka_unit_test(test_worksheets_each_participant_has_the_whole_body),
        cmocka_unit_test(test_untagged_print_file_claims_nothing),
        cmocka_unit_test(test_pages_read_in_structure_order),
    };
    return cmocka_run_group_tests_name("pdfua", tests, render_samples, drop_samples);
}
