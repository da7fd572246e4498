/* test_options: the declarative options, once for every kind. Every kind's
 * schema reads its defaults without a word; a misspelt key of any kind gets
 * its did-you-mean; every type of value is read and refused with the exact
 * message (a schema of every type); the option tables of layouts/README.md
 * are the ones the schemas make (UPDATE_REFERENCE=1 rewrites them). Runs
 * from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kinds/kinds.h"
#include "options.h"
#include "unit/sink.h"

static struct {
    sink_t load;
    model_t *model;
    spec_t *spec;
} G;

static int setup(void **state) {
    (void)state;
    sink_open(&G.load);
    G.model = model_load("data/ledelsesgrundlag.yaml", G.load.d);
    G.spec = spec_load("layouts/poster-overview.yaml", NULL, kind_names(), G.load.d);
    return G.model && G.spec ? 0 : -1;
}

static void drop_last_read(void);

static int teardown(void **state) {
    (void)state;
    drop_last_read();
    spec_drop(G.spec);
    model_drop(G.model);
    sink_close(&G.load);
    return 0;
}

/* Reads `yaml` (a map) with `schema` into `out`; returns the messages. */
/* What the last read_yaml's options point into (its document and arena):
 * kept until the next call, so that a test can look at what it read. */
static struct {
    ydoc_t *doc;
    arena_t *arena;
} last_read;

static void drop_last_read(void) {
    arena_drop(last_read.arena);
    ydoc_drop(last_read.doc);
    last_read.arena = NULL;
    last_read.doc = NULL;
}

static char *read_yaml(const opt_schema_t *schema, const char *yaml, void *out, bool *ok) {
    drop_last_read();
    sink_t s;
    sink_open(&s);
    ydoc_t *doc = ydoc_parse("x.yaml", yaml, strlen(yaml), s.d);
    assert_non_null(doc);
    arena_t *a = arena_new();
    opt_env_t env = {G.spec, G.model, a, s.d};
    *ok = opt_read(schema, doc, doc->root, &env, out);
    char *text = strdup(sink_text(&s));
    last_read.doc = doc;
    last_read.arena = a;
    sink_close(&s);
    return text;
}

/* ---- every kind ------------------------------------------------------------ */

static void test_defaults_of_every_kind(void **state) {
    (void)state;
    const kind_def_t *const *all = kind_all();
    size_t n = 0;
    for (; all[n]; n++) {
        sink_t s;
        sink_open(&s);
        arena_t *a = arena_new();
        void *out = arena_alloc(a, all[n]->options->size);
        opt_env_t env = {G.spec, G.model, a, s.d};
        assert_true(opt_read(all[n]->options, NULL, NULL, &env, out));
        assert_string_equal(sink_text(&s), "");
        /* every kind's options start with the common ones */
        assert_int_equal(((kind_common_t *)out)->profiles.count, 0);
        assert_string_equal(all[n]->options->name, all[n]->name);
        assert_ptr_equal(kind_find(all[n]->name), all[n]);
        assert_string_equal(kind_names()[n], all[n]->name);
        arena_drop(a);
        sink_close(&s);
    }
    assert_true(n >= 4);
    assert_null(kind_names()[n]);
    assert_null(kind_find("brochure"));
}

/* A key misspelt by one letter, in any kind's block, gets its did-you-mean;
 * a key of another kind is unknown there. */
static void test_misspelt_key_of_every_kind(void **state) {
    (void)state;
    for (const kind_def_t *const *k = kind_all(); *k; k++) {
        const opt_schema_t *sc = (*k)->options;
        const char *key = sc->keys[sc->count - 1].name;
        char yaml[256], want[512];
        snprintf(yaml, sizeof yaml, "%.*sx: 1\n", (int)strlen(key), key);
        snprintf(want, sizeof want, "x.yaml:1:1: error: unknown key '%sx' in %s; did you mean '%s'?\n", key, sc->name,
                 key);
        void *out = calloc(1, sc->size);
        bool ok;
        char *msg = read_yaml(sc, yaml, out, &ok);
        assert_false(ok);
        assert_string_equal(msg, want);
        free(msg);
        free(out);
    }
}

/* ---- every type ----------------------------------------------------------------- */

typedef struct inner {
    int n;
} inner_t;

typedef struct all_types {
    bool b;
    int i, choice;
    double len;
    const char *text;
    const spec_colour_t *colour;
    opt_colours_t colours;
    opt_texts_t texts, parts;
    opt_profiles_t profiles;
    opt_sizes_t sizes;
    opt_paper_t paper;
    inner_t map;
    opt_maps_t maps;
} all_types_t;

static const opt_key_t inner_keys[] = {
    {"n", OPT_INT, offsetof(inner_t, n), "3", 1, 9, NULL, NULL, true, "a number"},
};
static const opt_schema_t inner_schema = OPT_SCHEMA("inner", inner_t, inner_keys);
static const char *const choices[] = {"left", "right", NULL};

static const opt_key_t type_keys[] = {
    {"b", OPT_BOOL, offsetof(all_types_t, b), "true", 0, 0, NULL, NULL, false, "a flag"},
    {"i", OPT_INT, offsetof(all_types_t, i), "2", 0, 20, NULL, NULL, false, "a count"},
    {"choice", OPT_CHOICE, offsetof(all_types_t, choice), "right", 0, 0, choices, NULL, false, "a side"},
    {"len", OPT_LENGTH, offsetof(all_types_t, len), "2mm", 1, 100, NULL, NULL, false, "a length"},
    {"text", OPT_TEXT, offsetof(all_types_t, text), "hej", 0, 0, NULL, NULL, false, "words"},
    {"colour", OPT_COLOUR, offsetof(all_types_t, colour), NULL, 0, 0, NULL, NULL, false, "a colour"},
    {"colours", OPT_COLOURS, offsetof(all_types_t, colours), NULL, 0, 0, NULL, NULL, false, "colours"},
    {"texts", OPT_TEXTS, offsetof(all_types_t, texts), NULL, 0, 0, NULL, NULL, false, "texts"},
    {"parts", OPT_PARTS, offsetof(all_types_t, parts), NULL, 0, 0, NULL, NULL, false, "parts"},
    {"profiles", OPT_PROFILES, offsetof(all_types_t, profiles), NULL, 0, 0, NULL, NULL, false, "profiles"},
    {"sizes", OPT_SIZES, offsetof(all_types_t, sizes), NULL, 0, 0, NULL, NULL, false, "sizes"},
    {"paper", OPT_PAPER, offsetof(all_types_t, paper), "A4", 0, 0, NULL, NULL, false, "paper"},
    {"map", OPT_MAP, offsetof(all_types_t, map), NULL, 0, 0, NULL, &inner_schema, false, "a block"},
    {"maps", OPT_MAPS, offsetof(all_types_t, maps), NULL, 0, 0, NULL, &inner_schema, false, "blocks"},
};
static const opt_schema_t type_schema = OPT_SCHEMA("t", all_types_t, type_keys);

static void test_every_type_read(void **state) {
    (void)state;
    all_types_t o;
    bool ok;
    char *msg = read_yaml(&type_schema,
                          "b: no\ni: 7\nchoice: left\nlen: 1cm\ntext: Dav\ncolour: rule\n"
                          "colours: [navy, wine]\ntexts: [a, b, c]\nparts: [pitfalls, group, strategisk-ledelse]\n"
                          "profiles: [medarbejder, direktoer]\nsizes: {min: 8pt, max: 11pt}\npaper: a3\n"
                          "map: {n: 5}\nmaps: [{n: 1}, {n: 2}]\n",
                          &o, &ok);
    assert_string_equal(msg, "");
    assert_true(ok);
    assert_false(o.b);
    assert_int_equal(o.i, 7);
    assert_int_equal(o.choice, 0);
    assert_true(o.len > 28.34 && o.len < 28.35);
    assert_string_equal(o.text, "Dav");
    assert_string_equal(o.colour->name, "rule");
    assert_int_equal(o.colours.count, 2);
    assert_string_equal(o.colours.v[1]->name, "wine");
    assert_int_equal(o.texts.count, 3);
    assert_true(o.texts.given);
    assert_string_equal(o.parts.v[2], "strategisk-ledelse");
    assert_int_equal(o.profiles.count, 2);
    assert_string_equal(o.profiles.v[0]->id, "medarbejder");
    assert_true(o.sizes.min == 8 && o.sizes.max == 11);
    assert_true(o.paper.width > 841 && o.paper.width < 842);
    assert_int_equal(o.map.n, 5);
    assert_int_equal(o.maps.count, 2);
    assert_int_equal(((inner_t *)o.maps.v)[1].n, 2);
    assert_int_equal(o.maps.where[1].line, 14);
    free(msg);

    /* The defaults, as written in the schema. */
    msg = read_yaml(&type_schema, "{}\n", &o, &ok);
    assert_true(ok);
    assert_true(o.b);
    assert_int_equal(o.i, 2);
    assert_int_equal(o.choice, 1);
    assert_string_equal(o.text, "hej");
    assert_null(o.colour);
    assert_false(o.texts.given);
    assert_int_equal(o.map.n, 3);
    assert_int_equal(o.maps.count, 0);
    free(msg);
}

/* Each refusal, exactly: what the key takes, where, and a did-you-mean. */
static void test_every_type_refused(void **state) {
    (void)state;
    static const struct {
        const char *yaml, *want;
    } cases[] = {
        {"b: maybe\n", "x.yaml:1:4: error: t.b must be true or false, found 'maybe'\n"},
        {"i: 2.5\n", "x.yaml:1:4: error: t.i must be a whole number from 0 to 20, found '2.5'\n"},
        {"i: 21\n", "x.yaml:1:4: error: t.i must be a whole number from 0 to 20, found '21'\n"},
        {"i: [1]\n", "x.yaml:1:4: error: t.i must be a whole number from 0 to 20, found a list\n"},
        {"choice: rigth\n", "x.yaml:1:9: error: t.choice must be 'left' or 'right', found 'rigth'; did you mean 'right'?\n"},
        {"len: 12\n", "x.yaml:1:6: error: t.len '12' has no unit; write e.g. '12pt' or '12mm'\n"},
        {"len: 0.5pt\n", "x.yaml:1:6: error: t.len '0.5pt' is too small; it must be at least 1pt\n"},
        {"len: 5cm\n", "x.yaml:1:6: error: t.len '5cm' is too large; it may be at most 100pt\n"},
        {"text: \"\"\n", "x.yaml:1:7: error: t.text is empty\n"},
        {"colour: rul\n",
         "x.yaml:1:9: error: t.colour names colour 'rul', which 'colours' does not define; did you mean 'rule'?\n"},
        {"colours: navy\n", "x.yaml:1:10: error: t.colours must be a list, found 'navy' (a list is written as one '- item' per line, "
                                "indented under its key)\n"},
        {"parts: [pitfall]\n",
         "x.yaml:1:9: error: t.parts: 'pitfall' is neither 'group', 'pitfalls', 'core' nor a dimension of "
         "data/ledelsesgrundlag.yaml; did you mean 'pitfalls'?\n"},
        {"profiles: [direktor]\n",
         "x.yaml:1:12: error: t.profiles: profile 'direktor' is not in the data file data/ledelsesgrundlag.yaml; did you "
         "mean 'direktoer'?\n"},
        {"profiles: 42\n", "x.yaml:1:11: error: t.profiles must be a list, found '42' (a list is written as one '- item' per line, "
                             "indented under its key)\n"},
        {"sizes: {min: 11pt, max: 8pt}\n",
         "x.yaml:1:8: error: t.sizes needs min and max sizes such as {min: 8pt, max: 11pt}, with 0 < min <= max\n"},
        {"sizes: {min: 8pt}\n", "x.yaml:1:8: error: t.sizes is missing the required key 'max'\n"},
        {"paper: A9\n", "x.yaml:1:8: error: t.paper: unknown paper size 'A9'; use A0–A6, B4, B5, letter or legal; did "
                        "you mean 'A0'?\n"},
        {"map: {m: 1}\n", "x.yaml:1:7: error: unknown key 'm' in t.map; did you mean 'n'?\n"},
        {"map: {}\n", "x.yaml:1:6: error: t.map is missing the required key 'n'\n"},
        {"maps: [{n: 1}, {n: 10}]\n", "x.yaml:1:20: error: t.maps[2].n must be a whole number from 1 to 9, found '10'\n"},
        {"maps: [{n: 1}, {}]\n", "x.yaml:1:16: error: t.maps[2] is missing the required key 'n'\n"},
        {"maps: [3]\n", "x.yaml:1:8: error: t.maps[1] must be a map, found '3' (a map is written as one 'key: value' per line, "
                          "indented under its key)\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        all_types_t o;
        bool ok;
        char *msg = read_yaml(&type_schema, cases[i].yaml, &o, &ok);
        if (strcmp(msg, cases[i].want) != 0) fprintf(stderr, "for %s", cases[i].yaml);
        assert_false(ok);
        assert_string_equal(msg, cases[i].want);
        free(msg);
    }
}

/* ---- the reference in layouts/README.md ------------------------------------------------ */

static char *reference(const opt_schema_t *schema) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    opt_reference(schema, f);
    fclose(f);
    return text;
}

/* Replaces (or checks) the text between "<!-- options: NAME -->" and the
 * next "<!-- end options -->" of `readme`; returns whether it was equal. */
static bool section(char **readme, const char *name, const char *table) {
    char open[128];
    snprintf(open, sizeof open, "<!-- options: %s -->\n", name);
    char *a = strstr(*readme, open);
    if (!a) {
        fprintf(stderr, "layouts/README.md has no '%.*s'\n", (int)strlen(open) - 1, open);
        return false;
    }
    a += strlen(open);
    char *b = strstr(a, "<!-- end options -->");
    assert_non_null(b);
    bool same = (size_t)(b - a) == strlen(table) && strncmp(a, table, strlen(table)) == 0;
    if (!same && getenv("UPDATE_REFERENCE")) {
        size_t head = (size_t)(a - *readme), tail = strlen(b);
        char *n = malloc(head + strlen(table) + tail + 1);
        memcpy(n, *readme, head);
        memcpy(n + head, table, strlen(table));
        memcpy(n + head + strlen(table), b, tail + 1);
        free(*readme);
        *readme = n;
    }
    if (!same) fprintf(stderr, "layouts/README.md: the options of '%s' differ from the schema:\n%s", name, table);
    return same;
}

static void test_reference_tables(void **state) {
    (void)state;
    FILE *f = fopen("layouts/README.md", "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *readme = malloc((size_t)n + 1);
    assert_int_equal(fread(readme, 1, (size_t)n, f), (size_t)n);
    readme[n] = '\0';
    fclose(f);
    bool same = true;
    for (const kind_def_t *const *k = kind_all(); *k; k++) {
        char *t = reference((*k)->options);
        same = section(&readme, (*k)->name, t) && same;
        free(t);
    }
    char *t = reference(&compose_sheet_schema);
    same = section(&readme, "sheet", t) && same;
    free(t);
    t = reference(&print_schema);
    same = section(&readme, "print", t) && same;
    free(t);
    if (getenv("UPDATE_REFERENCE")) {
        f = fopen("layouts/README.md", "wb");
        assert_non_null(f);
        fputs(readme, f);
        fclose(f);
    } else {
        assert_true(same);
    }
    free(readme);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_of_every_kind),
        cmocka_unit_test(test_misspelt_key_of_every_kind),
        cmocka_unit_test(test_every_type_read),
        cmocka_unit_test(test_every_type_refused),
        cmocka_unit_test(test_reference_tables),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
