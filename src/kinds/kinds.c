/* kinds: the registry of document kinds, and what is the same for every
 * kind: reading its options, checking what it needs, composing and
 * imposing its document. */
#include "kinds/kinds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The registry: one line per kind, in the order messages name them. */
#define KIND_LIST \
    KIND(handbook) \
    KIND(card) \
    KIND(poster) \
    KIND(worksheet) \
    KIND(dialogue)

#define KIND(name) extern const kind_def_t name##_kind;
KIND_LIST
#undef KIND

#define KIND(name) &name##_kind,
static const kind_def_t *const registry[] = {KIND_LIST NULL};
#undef KIND

#define KIND(name) #name,
static const char *const names[] = {KIND_LIST NULL};
#undef KIND

const char *const *kind_names(void) { return names; }
const kind_def_t *const *kind_all(void) { return registry; }

const kind_def_t *kind_find(const char *name) {
    for (size_t i = 0; name && registry[i]; i++)
        if (strcmp(registry[i]->name, name) == 0) return registry[i];
    return NULL;
}

kind_layout_t *kind_layout_new(const spec_t *s, const model_t *m, diag_t *d) {
    const kind_def_t *def = kind_find(s->kind);
    if (!def) {
        diag_error(d, diag_file(s->path), "kind '%s' cannot be rendered by this version of grundlag",
                   s->kind ? s->kind : "?");
        return NULL;
    }
    kind_layout_t *k = calloc(1, sizeof *k);
    if (k) k->arena = arena_new();
    if (k && k->arena) k->opts = arena_alloc(k->arena, def->options->size);
    if (!k || !k->arena || !k->opts) {
        diag_error(d, diag_file(s->path), "out of memory");
        kind_layout_drop(k);
        return NULL;
    }
    k->def = def;
    k->spec = s;
    opt_env_t env = {s, m, k->arena, d};
    bool ok = opt_read(def->options, s->doc, s->kind_block, &env, k->opts);
    for (size_t i = 0; def->styles && def->styles[i]; i++) ok = spec_require_style(s, def->styles[i], d) && ok;
    for (size_t i = 0; def->labels && def->labels[i]; i++) ok = spec_require_label(s, def->labels[i], d) && ok;
    ok = compose_sheet_read(s, &env, &k->sheet, &k->has_sheet) && ok;
    ok = print_read(s, &env, &k->print, &k->has_print) && ok;
    if (ok && def->check) ok = def->check(s, k->opts, d);
    if (!ok) {
        kind_layout_drop(k);
        return NULL;
    }
    return k;
}

void kind_layout_drop(kind_layout_t *k) {
    if (!k) return;
    arena_drop(k->arena);
    free(k);
}

const opt_profiles_t *kind_layout_profiles(const kind_layout_t *k) {
    return &((const kind_common_t *)k->opts)->profiles;
}

doc_t *kind_render(const kind_layout_t *k, typeset_t *t, const kind_job_t *job, diag_t *d) {
    doc_t *doc = doc_new();
    if (!doc) {
        diag_error(d, diag_file(k->spec->path), "out of memory");
        return NULL;
    }
    compose_t c = compose_begin(t, doc, d);
    int errors = diag_error_count(d);
    bool ok = k->def->build(&c, job, k->opts) && diag_error_count(d) == errors;
    if (ok && k->has_sheet) ok = compose_impose(&c, &k->sheet);
    if (k->has_print) doc->print = &k->print;
    if (!ok) {
        doc_drop(doc);
        return NULL;
    }
    return doc;
}
