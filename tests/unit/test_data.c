/* The shipped data holds the whole official text: every line of the source
 * (headings, bullets, foreword paragraphs) appears in the model, in order.
 * The source is the text as published (tests/fixtures, a copy of
 * shared/source); its table of contents is not content. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

typedef struct lines {
    char **v;
    size_t n, cap;
} lines_t;

static void push(lines_t *l, const char *s) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        assert_non_null(l->v);
    }
    l->v[l->n++] = strdup(s);
}

static void free_lines(lines_t *l) {
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
}

static char *trim(char *s) {
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ')) s[--n] = '\0';
    while (*s == ' ') s++;
    return s;
}

/* The source as a sequence: "P:" foreword paragraphs, "B:" bullets, "H:" other lines. */
static void read_source(const char *path, lines_t *out) {
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char buf[8192];
    int state = 0; /* 0 before foreword, 1 in foreword, 2 after */
    char para[16384] = "";
    while (fgets(buf, sizeof buf, f)) {
        char *s = trim(buf);
        if (state == 0) {
            if (strcmp(s, "Forord") == 0) state = 1;
            continue;
        }
        if (state == 1) {
            if (*s == '\0') continue;
            if (strcmp(s, "Direktion") == 0) {
                state = 2;
                push(out, "H:Direktion");
                continue;
            }
            /* A paragraph not ending in a full stop was split by a page break. */
            if (*para) strcat(para, " ");
            strcat(para, s);
            if (s[strlen(s) - 1] == '.') {
                char tmp[16400];
                snprintf(tmp, sizeof tmp, "P:%s", para);
                push(out, tmp);
                para[0] = '\0';
            }
            continue;
        }
        if (*s == '\0') continue;
        char tmp[8300];
        if (strncmp(s, "- ", 2) == 0) snprintf(tmp, sizeof tmp, "B:%s", s + 2);
        else snprintf(tmp, sizeof tmp, "H:%s", s);
        push(out, tmp);
    }
    fclose(f);
    assert_int_equal(para[0], '\0');
}

static void emit(lines_t *l, const char *tag, const char *s) {
    char tmp[16400];
    snprintf(tmp, sizeof tmp, "%s%s", tag, s);
    push(l, tmp);
}

static void emit_list(lines_t *l, const model_list_t *list) {
    for (size_t i = 0; i < list->count; i++) emit(l, "B:", list->items[i].text);
}

static void model_sequence(const model_t *m, lines_t *out) {
    for (size_t i = 0; i < m->foreword.count; i++) emit(out, "P:", m->foreword.items[i].text);
    for (size_t i = 0; i < m->profile_count; i++) {
        const model_profile_t *p = &m->profiles[i];
        if (p->group.present) {
            emit(out, "H:", p->group.name.text);
            emit(out, "H:", p->group.heading.text);
            emit_list(out, &p->group.bullets);
        }
        emit(out, "H:", p->title.text);
        for (size_t j = 0; j < p->section_count; j++) {
            emit(out, "H:", p->sections[j].heading.text);
            emit_list(out, &p->sections[j].bullets);
        }
        if (p->pitfalls.present) {
            emit(out, "H:", p->pitfalls.heading.text);
            emit_list(out, &p->pitfalls.bullets);
        }
    }
}

static void test_nothing_lost(void **state) {
    (void)state;
    diag_t *d = diag_new(stderr);
    model_t *m = model_load("data/ledelsesgrundlag.yaml", d);
    assert_non_null(m);
    lines_t src = {0}, got = {0};
    read_source("tests/fixtures/ledelsesgrundlag.txt", &src);
    model_sequence(m, &got);
    size_t n = src.n < got.n ? src.n : got.n;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(src.v[i], got.v[i]) != 0) {
            fprintf(stderr, "item %zu differs:\n  source: %s\n  data:   %s\n", i, src.v[i], got.v[i]);
            fail();
        }
    }
    assert_int_equal(src.n, got.n);
    size_t bullets = 0, paragraphs = 0;
    for (size_t i = 0; i < src.n; i++) {
        bullets += src.v[i][0] == 'B';
        paragraphs += src.v[i][0] == 'P';
    }
    assert_int_equal(bullets, 271);
    assert_int_equal(paragraphs, 6);
    free_lines(&src);
    free_lines(&got);
    model_drop(m);
    diag_drop(d);
}

static void test_profiles_and_dimensions(void **state) {
    (void)state;
    diag_t *d = diag_new(stderr);
    model_t *m = model_load("data/ledelsesgrundlag.yaml", d);
    assert_non_null(m);
    static const char *ids[] = {"direktoer", "fag-og-stabschef", "kontraktholder",
                                "leder-af-leder", "leder-af-medarbejder", "medarbejder"};
    assert_int_equal(m->profile_count, 6);
    for (size_t i = 0; i < 6; i++) assert_string_equal(m->profiles[i].id, ids[i]);
    assert_string_equal(m->language, "da-DK");
    /* Medarbejder's "Faglighed" is the dimension of the others' "Faglig ledelse". */
    const model_profile_t *med = model_find_profile(m, "medarbejder");
    const model_section_t *s = model_profile_section(med, "faglig-ledelse");
    assert_non_null(s);
    assert_string_equal(s->heading.text, "Faglighed");
    const model_section_t *t = model_profile_section(model_find_profile(m, "direktoer"), "faglig-ledelse");
    assert_string_equal(t->heading.text, "Faglig ledelse");
    assert_int_equal(s->dimension_index, t->dimension_index);
    /* Every profile uses every dimension once here. */
    for (size_t i = 0; i < 6; i++)
        for (size_t k = 0; k < m->dimension_count; k++)
            assert_non_null(model_profile_section(&m->profiles[i], m->dimensions[k].key));
    model_drop(m);
    diag_drop(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_lost),
        cmocka_unit_test(test_profiles_and_dimensions),
    };
    return cmocka_run_group_tests_name("data", tests, NULL, NULL);
}
