/* options: the schema-driven reader of a layout's blocks, and their
 * reference in Markdown. */
#include "options.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *slot(void *out, const opt_key_t *k) { return (char *)out + k->offset; }

static bool read_block(const opt_schema_t *schema, const char *name, const ydoc_t *doc, const ynode_t *block,
                       const opt_env_t *env, void *out);

/* " did you mean 'x'?" or "" */
static void suggestion(char *buf, size_t n, const char *word, const char *const *names) {
    const char *sg = names ? ysuggest(word, names) : NULL;
    if (sg) snprintf(buf, n, "; did you mean '%s'?", sg);
    else buf[0] = '\0';
}

/* "'a', 'b' or 'c'" into buf. */
static void one_of(char *buf, size_t n, const char *const *names) {
    size_t len = 0, count = 0;
    while (names[count]) count++;
    buf[0] = '\0';
    for (size_t i = 0; i < count && len < n; i++) {
        const char *sep = i == 0 ? "" : i + 1 == count ? " or " : ", ";
        int w = snprintf(buf + len, n - len, "%s'%s'", sep, names[i]);
        if (w < 0) break;
        len += (size_t)w;
    }
}

static bool read_int(const opt_key_t *k, const char *what, const ydoc_t *doc, const ynode_t *n, diag_t *d,
                     int *out) {
    double v;
    bool num = n->kind == YNODE_SCALAR && ynumber_parse(n->value, &v);
    if (!num || v != floor(v) || v < k->min || v > k->max) {
        if (n->kind == YNODE_SCALAR)
            diag_error(d, ydoc_loc(doc, n), "%s must be a whole number from %g to %g, found '%s'", what, k->min,
                       k->max, n->value);
        else
            diag_error(d, ydoc_loc(doc, n), "%s must be a whole number from %g to %g, found %s", what, k->min,
                       k->max, ynode_kind_name(n));
        return false;
    }
    *out = (int)v;
    return true;
}

static bool read_length(const opt_key_t *k, const char *what, const ydoc_t *doc, const ynode_t *n, diag_t *d,
                        double *out) {
    double v;
    if (!spec_read_length(doc, n, what, k->min, &v, d)) return false;
    if (k->max > 0 && v > k->max) {
        diag_error(d, ydoc_loc(doc, n), "%s '%s' is too large; it may be at most %gpt", what, n->value, k->max);
        return false;
    }
    *out = v;
    return true;
}

static const spec_colour_t *read_colour(const char *what, const ydoc_t *doc, const ynode_t *n,
                                        const opt_env_t *env) {
    const char *name = ytext(doc, n, what, env->d);
    if (!name) return NULL;
    const spec_colour_t *c = spec_find_colour(env->spec, name);
    if (c) return c;
    const char **names = arena_alloc(env->arena, (env->spec->colour_count + 1) * sizeof *names);
    for (size_t i = 0; names && i < env->spec->colour_count; i++) names[i] = env->spec->colours[i].name;
    if (names) names[env->spec->colour_count] = NULL;
    char sg[160];
    suggestion(sg, sizeof sg, name, names);
    diag_error(env->d, ydoc_loc(doc, n), "%s names colour '%s', which 'colours' does not define%s", what, name, sg);
    return NULL;
}

/* A part of a profile: "group", "pitfalls", "core" (the data's choice of
 * sections for short formats) or a dimension of the data. */
static const char *read_part(const char *what, const ydoc_t *doc, const ynode_t *n, const opt_env_t *env) {
    const char *k = ytext(doc, n, what, env->d);
    const model_t *m = env->model;
    if (!k || !m || strcmp(k, "group") == 0 || strcmp(k, "pitfalls") == 0 || strcmp(k, "core") == 0 ||
        model_find_dimension(m, k))
        return k;
    const char **names = arena_alloc(env->arena, (m->dimension_count + 4) * sizeof *names);
    size_t c = 0;
    if (names) {
        names[c++] = "group";
        names[c++] = "pitfalls";
        names[c++] = "core";
        for (size_t j = 0; j < m->dimension_count; j++) names[c++] = m->dimensions[j].key;
        names[c] = NULL;
    }
    char sg[160];
    suggestion(sg, sizeof sg, k, names);
    diag_error(env->d, ydoc_loc(doc, n), "%s: '%s' is neither 'group', 'pitfalls', 'core' nor a dimension of %s%s", what, k,
               m->path, sg);
    return NULL;
}

static const model_profile_t *read_profile(const char *what, const ydoc_t *doc, const ynode_t *n,
                                           const opt_env_t *env) {
    const char *id = ytext(doc, n, what, env->d);
    const model_t *m = env->model;
    if (!id || !m) return NULL;
    const model_profile_t *p = model_find_profile(m, id);
    if (p) return p;
    const char **names = arena_alloc(env->arena, (m->profile_count + 1) * sizeof *names);
    for (size_t j = 0; names && j < m->profile_count; j++) names[j] = m->profiles[j].id;
    if (names) names[m->profile_count] = NULL;
    char sg[160];
    suggestion(sg, sizeof sg, id, names);
    diag_error(env->d, ydoc_loc(doc, n), "%s: profile '%s' is not in the data file %s%s", what, id, m->path, sg);
    return NULL;
}

static bool read_sizes(const char *what, const ydoc_t *doc, const ynode_t *n, diag_t *d, opt_sizes_t *out) {
    static const char *const keys[] = {"min", "max", NULL};
    if (!ymap_check(doc, n, what, keys, keys, d)) return false;
    char w[160];
    snprintf(w, sizeof w, "%s.min", what);
    double lo = 0, hi = 0;
    bool ok = spec_read_length(doc, ymap_get(n, "min"), w, 0, &lo, d);
    snprintf(w, sizeof w, "%s.max", what);
    ok = spec_read_length(doc, ymap_get(n, "max"), w, 0, &hi, d) && ok;
    if (!ok) return false;
    if (lo <= 0 || hi < lo) {
        diag_error(d, ydoc_loc(doc, n), "%s needs min and max sizes such as {min: 8pt, max: 11pt}, with 0 < min <= max",
                   what);
        return false;
    }
    out->min = lo;
    out->max = hi;
    return true;
}

static bool read_paper(const char *what, const ydoc_t *doc, const ynode_t *n, diag_t *d, opt_paper_t *out) {
    static const char *const names[] = {"A0", "A1", "A2", "A3", "A4", "A5", "A6", "B4", "B5", "letter", "legal", NULL};
    const char *name = ytext(doc, n, what, d);
    if (!name) return false;
    if (!spec_named_size(name, &out->width, &out->height)) {
        char sg[160];
        suggestion(sg, sizeof sg, name, names);
        diag_error(d, ydoc_loc(doc, n), "%s: unknown paper size '%s'; use A0–A6, B4, B5, letter or legal%s", what,
                   name, sg);
        return false;
    }
    out->name = name;
    return true;
}

/* Reads a list with `item` for each element into `v` (count elements of
 * `size` bytes). */
typedef bool (*item_fn)(const opt_key_t *k, const char *what, const ydoc_t *doc, const ynode_t *n,
                        const opt_env_t *env, void *into);

static bool read_list(const opt_key_t *k, const char *what, const ydoc_t *doc, const ynode_t *n,
                      const opt_env_t *env, size_t size, item_fn item, void **v, size_t *count) {
    /* An element of a list of blocks is named by its place: "x.fields[2]". */
    char elem[200];
    if (!yexpect(doc, n, YNODE_SEQ, what, env->d)) return false;
    char *arr = arena_alloc(env->arena, (n->count + 1) * size);
    if (!arr) {
        diag_error(env->d, ydoc_loc(doc, n), "out of memory");
        return false;
    }
    memset(arr, 0, (n->count + 1) * size);
    bool ok = true;
    size_t got = 0;
    for (size_t i = 0; i < n->count; i++) {
        snprintf(elem, sizeof elem, "%s[%zu]", what, i + 1);
        if (item(k, k->type == OPT_MAPS ? elem : what, doc, n->items[i], env, arr + got * size)) got++;
        else ok = false;
    }
    *v = arr;
    *count = got;
    return ok;
}

static bool item_text(const opt_key_t *k, const char *what, const ydoc_t *doc, const ynode_t *n, const opt_env_t *env,
                      void *into) {
    (void)k;
    return (*(const char **)into = ytext(doc, n, what, env->d)) != NULL;
}

static bool item_part(const opt_key_t *k, const char *what, const ydoc_t *doc, const ynode_t *n, const opt_env_t *env,
                      void *into) {
    (void)k;
    return (*(const char **)into = read_part(what, doc, n, env)) != NULL;
}

static bool item_colour(const opt_key_t *k, const char *what, const ydoc_t *doc, const ynode_t *n,
                        const opt_env_t *env, void *into) {
    (void)k;
    return (*(const spec_colour_t **)into = read_colour(what, doc, n, env)) != NULL;
}

static bool item_profile(const opt_key_t *k, const char *what, const ydoc_t *doc, const ynode_t *n,
                         const opt_env_t *env, void *into) {
    (void)k;
    if (!env->model) return ytext(doc, n, what, env->d) != NULL;
    return (*(const model_profile_t **)into = read_profile(what, doc, n, env)) != NULL;
}

static bool item_map(const opt_key_t *k, const char *what, const ydoc_t *doc, const ynode_t *n, const opt_env_t *env,
                     void *into) {
    if (!yexpect(doc, n, YNODE_MAP, what, env->d)) return false;
    return read_block(k->schema, what, doc, n, env, into);
}

static bool read_value(const opt_key_t *k, const char *what, const ydoc_t *doc, const ynode_t *n,
                       const opt_env_t *env, void *out) {
    void *p = slot(out, k);
    diag_t *d = env->d;
    switch (k->type) {
    case OPT_BOOL: return ybool(doc, n, what, (bool *)p, d);
    case OPT_INT: return read_int(k, what, doc, n, d, (int *)p);
    case OPT_LENGTH: return read_length(k, what, doc, n, d, (double *)p);
    case OPT_TEXT: return (*(const char **)p = ytext(doc, n, what, d)) != NULL;
    case OPT_CHOICE: {
        const char *v = ytext(doc, n, what, d);
        if (!v) return false;
        for (int i = 0; k->choices[i]; i++)
            if (strcmp(v, k->choices[i]) == 0) {
                *(int *)p = i;
                return true;
            }
        char list[256], sg[160];
        one_of(list, sizeof list, k->choices);
        suggestion(sg, sizeof sg, v, k->choices);
        diag_error(d, ydoc_loc(doc, n), "%s must be %s, found '%s'%s", what, list, v, sg);
        return false;
    }
    case OPT_COLOUR: return (*(const spec_colour_t **)p = read_colour(what, doc, n, env)) != NULL;
    case OPT_COLOURS: {
        opt_colours_t *c = p;
        return read_list(k, what, doc, n, env, sizeof *c->v, item_colour, (void **)&c->v, &c->count);
    }
    case OPT_TEXTS:
    case OPT_PARTS: {
        opt_texts_t *t = p;
        t->given = true;
        return read_list(k, what, doc, n, env, sizeof *t->v, k->type == OPT_TEXTS ? item_text : item_part,
                         (void **)&t->v, &t->count);
    }
    case OPT_PROFILES: {
        opt_profiles_t *pr = p;
        return read_list(k, what, doc, n, env, sizeof *pr->v, item_profile, (void **)&pr->v, &pr->count);
    }
    case OPT_SIZES: return yexpect(doc, n, YNODE_MAP, what, d) && read_sizes(what, doc, n, d, (opt_sizes_t *)p);
    case OPT_PAPER: return read_paper(what, doc, n, d, (opt_paper_t *)p);
    case OPT_MAP: return yexpect(doc, n, YNODE_MAP, what, d) && read_block(k->schema, what, doc, n, env, p);
    case OPT_MAPS: {
        opt_maps_t *m = p;
        if (!read_list(k, what, doc, n, env, k->schema->size, item_map, &m->v, &m->count)) return false;
        m->where = arena_alloc(env->arena, (m->count + 1) * sizeof *m->where);
        if (!m->where) return false;
        for (size_t i = 0; i < m->count; i++) m->where[i] = ydoc_loc(doc, n->items[i]);
        return true;
    }
    }
    return false;
}

/* A default, written as in a layout, read as if it were. */
static void read_default(const opt_key_t *k, const char *what, const opt_env_t *env, void *out) {
    if (k->type == OPT_MAP) {
        read_block(k->schema, what, NULL, NULL, env, slot(out, k));
        return;
    }
    if (k->type == OPT_CHOICE) *(int *)slot(out, k) = -1;
    if (!k->dflt) return;
    ynode_t n = {0};
    n.kind = YNODE_SCALAR;
    n.value = k->dflt;
    n.len = strlen(k->dflt);
    n.plain = true;
    ydoc_t doc = {"(default)", &n, NULL};
    read_value(k, what, &doc, &n, env, out);
}

bool opt_read(const opt_schema_t *schema, const ydoc_t *doc, const ynode_t *block, const opt_env_t *env, void *out) {
    return read_block(schema, schema->name, doc, block, env, out);
}

/* `name`: how messages name the block ("card", "worksheet.scale",
 * "worksheet.fields[2]"). */
static bool read_block(const opt_schema_t *schema, const char *name, const ydoc_t *doc, const ynode_t *block,
                       const opt_env_t *env, void *out) {
    memset(out, 0, schema->size);
    bool ok = true;
    if (block) {
        const char **known = arena_alloc(env->arena, (schema->count + 1) * sizeof *known);
        const char **required = arena_alloc(env->arena, (schema->count + 1) * sizeof *required);
        if (!known || !required) {
            diag_error(env->d, ydoc_loc(doc, block), "out of memory");
            return false;
        }
        size_t nr = 0;
        for (size_t i = 0; i < schema->count; i++) {
            known[i] = schema->keys[i].name;
            if (schema->keys[i].required) required[nr++] = schema->keys[i].name;
        }
        known[schema->count] = NULL;
        required[nr] = NULL;
        if (!ymap_check(doc, block, name, known, required, env->d)) ok = false;
    }
    for (size_t i = 0; i < schema->count; i++) {
        const opt_key_t *k = &schema->keys[i];
        char what[160];
        snprintf(what, sizeof what, "%s.%s", name, k->name);
        const ynode_t *n = block ? ymap_get(block, k->name) : NULL;
        if (!n) read_default(k, what, env, out);
        else if (!read_value(k, what, doc, n, env, out)) ok = false;
    }
    return ok;
}

/* ---- the reference ---------------------------------------------------------- */

static const char *type_name(const opt_key_t *k) {
    switch (k->type) {
    case OPT_BOOL: return "true or false";
    case OPT_INT: return "whole number";
    case OPT_LENGTH: return "length";
    case OPT_TEXT: return "text";
    case OPT_CHOICE: return "one of";
    case OPT_COLOUR: return "colour name";
    case OPT_COLOURS: return "list of colour names";
    case OPT_TEXTS: return "list of texts";
    case OPT_PARTS: return "list of parts";
    case OPT_PROFILES: return "list of profile ids";
    case OPT_SIZES: return "{min, max} lengths";
    case OPT_PAPER: return "paper size";
    case OPT_MAP: return "block";
    case OPT_MAPS: return "list of blocks";
    }
    return "?";
}

static void reference(const opt_schema_t *schema, const char *name, FILE *f) {
    fprintf(f, "| `%s` key | type | default | what it does |\n|---|---|---|---|\n", name);
    for (size_t i = 0; i < schema->count; i++) {
        const opt_key_t *k = &schema->keys[i];
        fprintf(f, "| `%s` | %s", k->name, type_name(k));
        if (k->type == OPT_CHOICE) {
            for (int c = 0; k->choices[c]; c++) fprintf(f, "%s`%s`", c ? ", " : " ", k->choices[c]);
        }
        if ((k->type == OPT_INT || k->type == OPT_LENGTH) && (k->min != 0 || k->max != 0)) {
            if (k->max > 0) fprintf(f, k->type == OPT_INT ? " (%g–%g)" : " (%gpt–%gpt)", k->min, k->max);
            else fprintf(f, " (at least %gpt)", k->min);
        }
        if (k->type == OPT_MAP || k->type == OPT_MAPS) fprintf(f, " (below)");
        if (k->required) fprintf(f, " | required");
        else if (k->dflt) fprintf(f, " | `%s`", k->dflt);
        else fprintf(f, " | –");
        fprintf(f, " | %s |\n", k->doc);
    }
    for (size_t i = 0; i < schema->count; i++) {
        const opt_key_t *k = &schema->keys[i];
        if (k->type != OPT_MAP && k->type != OPT_MAPS) continue;
        char sub[160];
        snprintf(sub, sizeof sub, "%s.%s%s", name, k->name, k->type == OPT_MAPS ? "[]" : "");
        fputc('\n', f);
        reference(k->schema, sub, f);
    }
}

void opt_reference(const opt_schema_t *schema, FILE *f) { reference(schema, schema->name, f); }
