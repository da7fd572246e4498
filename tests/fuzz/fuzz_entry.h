/* fuzz_entry: the bodies of the fuzz harnesses, shared by the libFuzzer
 * programs (tests/fuzz/fuzz_*.c) and the regression unit test
 * (tests/unit/test_fuzz_regressions.c), so both feed inputs to the loaders
 * in exactly the same way. Header-only: every function is static inline so a
 * file that uses only some of them still builds under -Werror.
 *
 * Paths are relative to the repository root, where both run: the layout
 * harness names its input layouts/fuzz.yaml so font files resolve against
 * the real fonts/, and the layout and roster harnesses check against the
 * real data model (data/ledelsesgrundlag.yaml), loaded once.
 *
 * Messages go to /dev/null rather than to a silent sink: a silent sink skips
 * the formatting, and a message that reads freed memory or a NULL string is
 * exactly the kind of bug fuzzing is for. Knows nothing of libFuzzer. */
#ifndef GRUNDLAG_TESTS_FUZZ_ENTRY_H
#define GRUNDLAG_TESTS_FUZZ_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "kinds/kinds.h"
#include "model.h"
#include "roster.h"
#include "spec.h"
#include "text.h"

#define FUZZ_DATA_FILE "data/ledelsesgrundlag.yaml"

typedef struct fuzz_env {
    FILE *sink;           /* /dev/null: messages are formatted, then dropped */
    model_t *model;       /* the real data model, for layouts and rosters */
} fuzz_env_t;

static fuzz_env_t fuzz_env;

/* Opens the message sink and, when `with_model`, loads the real data model;
 * each once. False (with the reason on stderr) when the model cannot be
 * loaded: run from the repository root. */
static inline bool fuzz_setup(bool with_model) {
    if (!fuzz_env.sink) fuzz_env.sink = fopen("/dev/null", "w");
    if (!fuzz_env.sink) {
        perror("fuzz: /dev/null");
        return false;
    }
    if (with_model && !fuzz_env.model) {
        diag_t *d = diag_new(stderr);
        if (d) fuzz_env.model = model_load(FUZZ_DATA_FILE, d);
        diag_drop(d);
        if (!fuzz_env.model) {
            fprintf(stderr, "fuzz: cannot load %s (run from the repository root)\n", FUZZ_DATA_FILE);
            return false;
        }
    }
    return true;
}

/* Releases what fuzz_setup took (the unit test calls it; libFuzzer exits). */
static inline void fuzz_teardown(void) {
    model_drop(fuzz_env.model);
    fuzz_env.model = NULL;
    if (fuzz_env.sink) fclose(fuzz_env.sink);
    fuzz_env.sink = NULL;
}

/* A fresh sink per input: the error limit and counts must not carry over. */
static inline diag_t *fuzz_diag(void) { return diag_new(fuzz_env.sink); }

/* The data file loader. */
static inline int fuzz_data_one(const uint8_t *data, size_t size) {
    diag_t *d = fuzz_diag();
    if (!d) return 0;
    model_t *m = model_parse("data/fuzz.yaml", (const char *)data, size, d);
    model_drop(m);
    diag_drop(d);
    return 0;
}

/* The layout loader, then the kind's own checks against the real model. */
static inline int fuzz_layout_one(const uint8_t *data, size_t size) {
    diag_t *d = fuzz_diag();
    if (!d) return 0;
    spec_t *s = spec_parse("layouts/fuzz.yaml", (const char *)data, size, NULL, kind_names(), d);
    if (s) kind_layout_drop(kind_layout_new(s, fuzz_env.model, d));
    spec_drop(s);
    diag_drop(d);
    return 0;
}

/* The roster reader against the real model, and a file name for every field
 * of every row (the names are what --split uses; the rest is free coverage). */
static inline int fuzz_roster_one(const uint8_t *data, size_t size) {
    diag_t *d = fuzz_diag();
    if (!d) return 0;
    roster_t *r = roster_parse("samples/fuzz.csv", (const char *)data, size, fuzz_env.model, d);
    for (size_t i = 0; r && i < r->count; i++) {
        for (size_t c = 0; c < r->column_count; c++) {
            char *name = roster_safe_name(r->rows[i].fields[c].text);
            free(name);
        }
    }
    const roster_row_t **rows = r ? malloc((r->count + 1) * sizeof *rows) : NULL;
    if (rows) {
        for (size_t i = 0; i < r->count; i++) rows[i] = &r->rows[i];
        roster_file_names_free(roster_file_names(r, rows, r->count), r->count);
        free(rows);
    }
    roster_drop(r);
    diag_drop(d);
    return 0;
}

/* Inline markup, NFC and upper-casing of the input as a C string (data text
 * reaches them as NUL-terminated strings: an embedded NUL ends it). */
static inline int fuzz_markup_one(const uint8_t *data, size_t size) {
    char *src = malloc(size + 1);
    if (!src) return 0;
    memcpy(src, data, size);
    src[size] = '\0';
    size_t len = strlen(src);

    diag_t *d = fuzz_diag();
    arena_t *a = arena_new();
    if (d && a) {
        text_spans_t spans = {0};
        text_parse(a, src, 0, &spans, d, diag_at("data/fuzz.yaml", 1, 1));
        size_t n;
        free(text_nfc(src, len, &n));
        free(text_upper(src, len, &n));
    }
    arena_drop(a);
    diag_drop(d);
    free(src);
    return 0;
}

#endif
