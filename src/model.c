/* model: validates the data YAML (via ydoc) and copies it into a model that
 * no longer refers to the YAML tree. Reports every problem it finds. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ydoc.h"

typedef struct loader {
    ydoc_t *doc;
    diag_t *d;
    model_t *m;
    bool ok;
    /* For "unknown dimension" messages, made once: there may be one per
     * section, and a section may be an alias repeated many times. */
    const char **dim_keys; /* NULL-terminated */
    const char *dim_list;  /* "a, b, c" */
} loader_t;

static model_text_t text_at(loader_t *L, const ynode_t *n, const char *what) {
    model_text_t t = {NULL, ydoc_loc(L->doc, n)};
    const char *s = ytext(L->doc, n, what, L->d);
    if (!s) {
        L->ok = false;
        return t;
    }
    t.text = arena_strdup(L->m->arena, s);
    t.loc.file = L->m->path;
    return t;
}

static model_text_t optional_text(loader_t *L, const ynode_t *map, const char *key, const char *what) {
    const ynode_t *n = ymap_get(map, key);
    if (!n) {
        model_text_t none = {NULL, ydoc_loc(L->doc, map)};
        none.loc.file = L->m->path;
        return none;
    }
    return text_at(L, n, what);
}

/* Ids and keys end up in file names and on the command line. */
static bool valid_id(const char *s) {
    if (!*s || *s == '-') return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-')) return false;
    return true;
}

static const char *id_at(loader_t *L, const ynode_t *n, const char *what) {
    const char *s = ytext(L->doc, n, what, L->d);
    if (!s) {
        L->ok = false;
        return NULL;
    }
    if (!valid_id(s)) {
        diag_error(L->d, ydoc_loc(L->doc, n),
                   "%s '%s' must be lowercase ASCII letters, digits and hyphens (e.g. 'leder-af-leder')",
                   what, s);
        L->ok = false;
        return NULL;
    }
    return arena_strdup(L->m->arena, s);
}

/* A list of texts: `list` names the key ("bullets"), `item` one entry
 * ("bullet"), `owner` what holds the list ("section 1 of profile 'x'", or
 * NULL), so an empty entry is "bullet 2 of section 1 of profile 'x'". */
static model_list_t text_list(loader_t *L, const ynode_t *n, const char *owner, const char *list_name,
                              const char *item, bool allow_empty) {
    model_list_t list = {NULL, 0};
    char what[320];
    snprintf(what, sizeof what, "%s%s%s", list_name, owner ? " of " : "", owner ? owner : "");
    if (!yexpect(L->doc, n, YNODE_SEQ, what, L->d)) {
        L->ok = false;
        return list;
    }
    if (n->count == 0 && !allow_empty) {
        diag_error(L->d, ydoc_loc(L->doc, n), "%s is an empty list; write at least one %s", what, item);
        L->ok = false;
        return list;
    }
    list.items = arena_alloc(L->m->arena, (n->count ? n->count : 1) * sizeof *list.items);
    if (!list.items) {
        L->ok = false;
        return list;
    }
    for (size_t i = 0; i < n->count; i++) {
        char one[352];
        snprintf(one, sizeof one, "%s %zu%s%s", item, i + 1, owner ? " of " : "", owner ? owner : "");
        model_text_t t = text_at(L, n->items[i], one);
        if (t.text) list.items[list.count++] = t;
    }
    return list;
}

static model_list_t bullets_of(loader_t *L, const ynode_t *map, const char *what) {
    const ynode_t *b = ymap_get(map, "bullets");
    if (!b) {
        model_list_t none = {NULL, 0};
        return none; /* the missing key was reported by ymap_check */
    }
    return text_list(L, b, what, "bullets", "bullet", false);
}

bool model_parse_date(const char *s, long long *epoch) {
    int y, mo, d;
    char end;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || sscanf(s, "%4d-%2d-%2d%c", &y, &mo, &d, &end) != 3)
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days[mo - 1] + (mo == 2 && leap)) return false;
    /* days from civil (Howard Hinnant's algorithm), no time zones involved */
    int yy = y - (mo <= 2);
    long long era = yy / 400, yoe = yy - era * 400;
    long long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *epoch = (era * 146097 + doe - 719468) * 86400;
    return true;
}

static void load_document(loader_t *L, const ynode_t *root) {
    const ynode_t *doc = ymap_get(root, "document");
    static const char *const known[] = {"title", "subtitle", "organisation", "language", "edition", "date", NULL};
    static const char *const required[] = {"title", "organisation", "language", NULL};
    if (!ymap_check(L->doc, doc ? doc : root, doc ? "document" : "the data file", doc ? known : NULL,
                    doc ? required : NULL, L->d)) {
        if (!doc) return;
        L->ok = false;
    }
    if (!doc) return;
    model_t *m = L->m;
    if (ymap_get(doc, "title")) m->title = text_at(L, ymap_get(doc, "title"), "document title");
    m->subtitle = optional_text(L, doc, "subtitle", "document subtitle");
    if (ymap_get(doc, "organisation"))
        m->organisation = text_at(L, ymap_get(doc, "organisation"), "organisation");
    m->edition = optional_text(L, doc, "edition", "document edition");
    const ynode_t *date = ymap_get(doc, "date");
    if (date) {
        model_text_t t = text_at(L, date, "document date");
        if (t.text && !(m->has_date = model_parse_date(t.text, &m->date))) {
            diag_error(L->d, t.loc, "date '%s' is not a calendar date written YYYY-MM-DD, such as \"2027-01-15\"",
                       t.text);
            L->ok = false;
        }
    }
    const ynode_t *lang = ymap_get(doc, "language");
    if (lang) {
        model_text_t t = text_at(L, lang, "language");
        m->language = t.text;
        if (t.text) {
            /* A BCP 47 tag: letters, digits and hyphens only; it goes into /Lang. */
            for (const char *p = t.text; *p; p++) {
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                      *p == '-')) {
                    diag_error(L->d, t.loc, "language '%s' is not a language tag such as 'da-DK'", t.text);
                    L->ok = false;
                    break;
                }
            }
        }
    }
}

static void load_foreword(loader_t *L, const ynode_t *root) {
    const ynode_t *fw = ymap_get(root, "foreword");
    if (!fw) return;
    static const char *const known[] = {"title", "paragraphs", NULL};
    static const char *const required[] = {"paragraphs", NULL};
    if (!ymap_check(L->doc, fw, "foreword", known, required, L->d)) {
        L->ok = false;
        if (fw->kind != YNODE_MAP) return;
    }
    L->m->foreword_title = optional_text(L, fw, "title", "foreword title");
    const ynode_t *p = ymap_get(fw, "paragraphs");
    if (p) L->m->foreword = text_list(L, p, "foreword", "paragraphs", "paragraph", true);
}

static void load_dimensions(loader_t *L, const ynode_t *root) {
    const ynode_t *dims = ymap_get(root, "dimensions");
    if (!dims) return;
    if (!yexpect(L->doc, dims, YNODE_SEQ, "dimensions", L->d)) {
        L->ok = false;
        return;
    }
    if (dims->count == 0) {
        diag_error(L->d, ydoc_loc(L->doc, dims), "dimensions is an empty list");
        L->ok = false;
        return;
    }
    model_t *m = L->m;
    m->dimensions = arena_alloc(m->arena, dims->count * sizeof *m->dimensions);
    if (!m->dimensions) { L->ok = false; return; }
    static const char *const known[] = {"key", "label", NULL};
    for (size_t i = 0; i < dims->count; i++) {
        const ynode_t *n = dims->items[i];
        char what[64], lwhat[96];
        snprintf(what, sizeof what, "dimension %zu", i + 1);
        snprintf(lwhat, sizeof lwhat, "label of dimension %zu", i + 1);
        if (!ymap_check(L->doc, n, what, known, known, L->d)) {
            L->ok = false;
            if (n->kind != YNODE_MAP) continue;
        }
        model_dimension_t dim = {0};
        dim.loc = ydoc_loc(L->doc, n);
        dim.loc.file = m->path;
        const ynode_t *k = ymap_get(n, "key");
        if (k) dim.key = id_at(L, k, "dimension key");
        const ynode_t *lb = ymap_get(n, "label");
        if (lb) dim.label = text_at(L, lb, lwhat).text;
        if (!dim.key || !dim.label) continue;
        bool dup = false;
        for (size_t j = 0; j < m->dimension_count; j++) {
            if (strcmp(m->dimensions[j].key, dim.key) == 0) {
                diag_error(L->d, ydoc_loc(L->doc, k), "duplicate dimension key '%s' (first at line %d)",
                           dim.key, m->dimensions[j].loc.line);
                L->ok = false;
                dup = true;
            }
        }
        if (!dup) m->dimensions[m->dimension_count++] = dim;
    }
}

/* The dimension keys (NULL-terminated) and "a, b, c", in the model's arena. */
static bool dimension_names(loader_t *L) {
    if (L->dim_keys) return true;
    model_t *m = L->m;
    const char **keys = arena_alloc(m->arena, (m->dimension_count + 1) * sizeof *keys);
    size_t cap = 1;
    for (size_t i = 0; i < m->dimension_count; i++) cap += strlen(m->dimensions[i].key) + 2;
    char *all = arena_alloc(m->arena, cap), *w = all;
    if (!keys || !all) return false;
    for (size_t i = 0; i < m->dimension_count; i++) {
        keys[i] = m->dimensions[i].key;
        size_t n = strlen(keys[i]);
        if (i) { memcpy(w, ", ", 2); w += 2; }
        memcpy(w, keys[i], n);
        w += n;
    }
    *w = '\0';
    L->dim_keys = keys;
    L->dim_list = all;
    return true;
}

static void load_section(loader_t *L, const ynode_t *n, model_profile_t *p, const char *what) {
    static const char *const known[] = {"dimension", "heading", "bullets", NULL};
    static const char *const required[] = {"dimension", "bullets", NULL};
    if (!ymap_check(L->doc, n, what, known, required, L->d)) {
        L->ok = false;
        if (n->kind != YNODE_MAP) return;
    }
    model_t *m = L->m;
    model_section_t s = {0};
    s.loc = ydoc_loc(L->doc, n);
    s.loc.file = m->path;
    const ynode_t *dn = ymap_get(n, "dimension");
    const model_dimension_t *dim = NULL;
    if (dn) {
        char dwhat[256];
        snprintf(dwhat, sizeof dwhat, "dimension of %s", what);
        const char *key = ytext(L->doc, dn, dwhat, L->d);
        if (!key) {
            L->ok = false;
        } else if (!(dim = model_find_dimension(m, key))) {
            bool names = dimension_names(L);
            const char *sugg = names ? ysuggest(key, L->dim_keys) : NULL;
            if (sugg)
                diag_error(L->d, ydoc_loc(L->doc, dn), "unknown dimension '%s' in %s; did you mean '%s'?",
                           key, what, sugg);
            else {
                /* Name the choices: the file has a handful of dimensions. */
                const char *all = names ? L->dim_list : NULL;
                if (all && *all)
                    diag_error(L->d, ydoc_loc(L->doc, dn), "unknown dimension '%s' in %s; the dimensions are: %s",
                               key, what, all);
                else
                    diag_error(L->d, ydoc_loc(L->doc, dn),
                               "unknown dimension '%s' in %s (dimensions are listed under 'dimensions')", key,
                               what);
            }
            L->ok = false;
        }
    }
    char hwhat[256];
    snprintf(hwhat, sizeof hwhat, "heading of %s", what);
    s.heading = optional_text(L, n, "heading", hwhat);
    s.bullets = bullets_of(L, n, what);
    if (!dim) return;
    s.dimension = dim->key;
    s.dimension_index = (size_t)(dim - m->dimensions);
    if (!s.heading.text) s.heading.text = dim->label;
    for (size_t i = 0; i < p->section_count; i++) {
        if (strcmp(p->sections[i].dimension, s.dimension) == 0) {
            diag_error(L->d, ydoc_loc(L->doc, dn),
                       "profile '%s' uses dimension '%s' twice (first at line %d)", p->id ? p->id : "?",
                       s.dimension, p->sections[i].loc.line);
            L->ok = false;
            return;
        }
    }
    p->sections[p->section_count++] = s;
}

static void load_profile(loader_t *L, const ynode_t *n, size_t index, const char *pitfalls_label,
                         diag_loc_t label_loc) {
    static const char *const known[] = {"id", "title", "group", "sections", "pitfalls", NULL};
    static const char *const required[] = {"id", "title", "sections", NULL};
    model_t *m = L->m;
    model_profile_t p = {0};
    p.loc = ydoc_loc(L->doc, n);
    p.loc.file = m->path;
    /* The id first: every later message names the profile by it. */
    const ynode_t *idn = ymap_get(n, "id");
    if (idn) p.id = id_at(L, idn, "profile id");
    bool dup = false;
    for (size_t i = 0; p.id && i < m->profile_count && !dup; i++) {
        if (strcmp(m->profiles[i].id, p.id) == 0) {
            diag_error(L->d, ydoc_loc(L->doc, idn), "duplicate profile id '%s' (first at line %d)", p.id,
                       m->profiles[i].loc.line);
            L->ok = false;
            dup = true;
        }
    }
    char what[128];
    if (idn && idn->kind == YNODE_SCALAR && !ynode_is_null(idn))
        snprintf(what, sizeof what, "profile '%.64s'", idn->value);
    else
        snprintf(what, sizeof what, "profile %zu", index + 1);
    if (!ymap_check(L->doc, n, what, known, required, L->d)) {
        L->ok = false;
        if (n->kind != YNODE_MAP) return;
    }
    char twhat[160];
    snprintf(twhat, sizeof twhat, "title of %s", what);
    const ynode_t *tn = ymap_get(n, "title");
    if (tn) p.title = text_at(L, tn, twhat);

    const ynode_t *g = ymap_get(n, "group");
    if (g) {
        static const char *const gknown[] = {"name", "heading", "bullets", NULL};
        char gwhat[192];
        snprintf(gwhat, sizeof gwhat, "group of %s", what);
        if (!ymap_check(L->doc, g, gwhat, gknown, gknown, L->d)) L->ok = false;
        if (g->kind == YNODE_MAP) {
            char one[224];
            p.group.present = 1;
            snprintf(one, sizeof one, "name of %s", gwhat);
            if (ymap_get(g, "name")) p.group.name = text_at(L, ymap_get(g, "name"), one);
            snprintf(one, sizeof one, "heading of %s", gwhat);
            if (ymap_get(g, "heading")) p.group.heading = text_at(L, ymap_get(g, "heading"), one);
            p.group.bullets = bullets_of(L, g, gwhat);
        }
    }

    const ynode_t *secs = ymap_get(n, "sections");
    if (secs) {
        char swhat[192];
        snprintf(swhat, sizeof swhat, "sections of %s", what);
        if (!yexpect(L->doc, secs, YNODE_SEQ, swhat, L->d)) {
            L->ok = false;
        } else if (secs->count == 0) {
            diag_error(L->d, ydoc_loc(L->doc, secs), "%s is an empty list", swhat);
            L->ok = false;
        } else {
            p.sections = arena_alloc(m->arena, secs->count * sizeof *p.sections);
            if (!p.sections) { L->ok = false; return; }
            for (size_t i = 0; i < secs->count; i++) {
                char one[224];
                snprintf(one, sizeof one, "section %zu of %s", i + 1, what);
                load_section(L, secs->items[i], &p, one);
            }
        }
    }

    const ynode_t *pf = ymap_get(n, "pitfalls");
    if (pf) {
        static const char *const pknown[] = {"heading", "bullets", NULL};
        static const char *const preq[] = {"bullets", NULL};
        char pwhat[192];
        snprintf(pwhat, sizeof pwhat, "pitfalls of %s", what);
        if (!ymap_check(L->doc, pf, pwhat, pknown, preq, L->d)) L->ok = false;
        if (pf->kind == YNODE_MAP) {
            p.pitfalls.present = 1;
            char hwhat[224];
            snprintf(hwhat, sizeof hwhat, "heading of %s", pwhat);
            p.pitfalls.heading = optional_text(L, pf, "heading", hwhat);
            if (!p.pitfalls.heading.text) {
                if (pitfalls_label) {
                    p.pitfalls.heading.text = pitfalls_label;
                    (void)label_loc;
                } else {
                    diag_error(L->d, ydoc_loc(L->doc, pf),
                               "%s has no heading and the data file sets no 'pitfalls_label'", pwhat);
                    L->ok = false;
                }
            }
            p.pitfalls.bullets = bullets_of(L, pf, pwhat);
        }
    }

    if (!p.id || dup) return;
    m->profiles[m->profile_count++] = p;
}

static void load_profiles(loader_t *L, const ynode_t *root) {
    const ynode_t *profs = ymap_get(root, "profiles");
    if (!profs) return;
    if (!yexpect(L->doc, profs, YNODE_SEQ, "profiles", L->d)) {
        L->ok = false;
        return;
    }
    if (profs->count == 0) {
        diag_error(L->d, ydoc_loc(L->doc, profs), "profiles is an empty list");
        L->ok = false;
        return;
    }
    const char *label = NULL;
    diag_loc_t label_loc = diag_file(L->m->path);
    const ynode_t *ln = ymap_get(root, "pitfalls_label");
    if (ln) {
        model_text_t t = text_at(L, ln, "pitfalls_label");
        label = t.text;
        label_loc = t.loc;
    }
    L->m->profiles = arena_alloc(L->m->arena, profs->count * sizeof *L->m->profiles);
    if (!L->m->profiles) { L->ok = false; return; }
    for (size_t i = 0; i < profs->count; i++) load_profile(L, profs->items[i], i, label, label_loc);
}

static void load_hyphenation(loader_t *L, const ynode_t *root) {
    const ynode_t *h = ymap_get(root, "hyphenation");
    if (!h) return;
    L->m->hyphenation = text_list(L, h, NULL, "hyphenation", "hyphenation exception", true);
    for (size_t i = 0; i < L->m->hyphenation.count; i++) {
        const model_text_t *t = &L->m->hyphenation.items[i];
        size_t len = strlen(t->text);
        bool bad = t->text[0] == '-' || t->text[len - 1] == '-' || strstr(t->text, "--") ||
                   strpbrk(t->text, " \t");
        if (bad) {
            diag_error(L->d, t->loc,
                       "hyphenation exception '%s' must be one word with hyphens between its parts, "
                       "e.g. 'værd-sæt-ter'",
                       t->text);
            L->ok = false;
        }
    }
}

static model_t *model_from_doc(const char *path, ydoc_t *doc, diag_t *d);

model_t *model_load(const char *path, diag_t *d) {
    ydoc_t *doc = ydoc_load(path, d);
    if (!doc) return NULL;
    return model_from_doc(path, doc, d);
}

model_t *model_parse(const char *path, const char *bytes, size_t len, diag_t *d) {
    ydoc_t *doc = ydoc_parse(path, bytes, len, d);
    if (!doc) return NULL;
    return model_from_doc(path, doc, d);
}

static model_t *model_from_doc(const char *path, ydoc_t *doc, diag_t *d) {
    model_t *m = calloc(1, sizeof *m);
    arena_t *arena = arena_new();
    if (!m || !arena) {
        free(m);
        arena_drop(arena);
        ydoc_drop(doc);
        diag_error(d, diag_file(path), "out of memory");
        return NULL;
    }
    m->arena = arena;
    m->path = arena_strdup(arena, path);
    loader_t L = {.doc = doc, .d = d, .m = m, .ok = true};
    const ynode_t *root = doc->root;
    if (!root || ynode_is_null(root)) {
        diag_error(d, diag_file(path), "the data file is empty");
        L.ok = false;
    } else {
        static const char *const known[] = {"document", "foreword", "pitfalls_label", "dimensions",
                                            "hyphenation", "profiles", NULL};
        static const char *const required[] = {"document", "dimensions", "profiles", NULL};
        if (!ymap_check(doc, root, "the data file", known, required, d)) L.ok = false;
        if (root->kind == YNODE_MAP) {
            load_document(&L, root);
            load_foreword(&L, root);
            load_dimensions(&L, root);
            load_hyphenation(&L, root);
            load_profiles(&L, root);
        }
    }
    ydoc_drop(doc);
    if (!L.ok || diag_error_count(d) > 0) {
        model_drop(m);
        return NULL;
    }
    return m;
}

void model_drop(model_t *m) {
    if (!m) return;
    arena_drop(m->arena);
    free(m);
}

const model_profile_t *model_find_profile(const model_t *m, const char *id) {
    for (size_t i = 0; i < m->profile_count; i++)
        if (strcmp(m->profiles[i].id, id) == 0) return &m->profiles[i];
    return NULL;
}

const model_dimension_t *model_find_dimension(const model_t *m, const char *key) {
    for (size_t i = 0; i < m->dimension_count; i++)
        if (strcmp(m->dimensions[i].key, key) == 0) return &m->dimensions[i];
    return NULL;
}

const model_section_t *model_profile_section(const model_profile_t *p, const char *key) {
    for (size_t i = 0; i < p->section_count; i++)
        if (strcmp(p->sections[i].dimension, key) == 0) return &p->sections[i];
    return NULL;
}

size_t model_profile_bullet_count(const model_profile_t *p) {
    size_t n = p->group.bullets.count + p->pitfalls.bullets.count;
    for (size_t i = 0; i < p->section_count; i++) n += p->sections[i].bullets.count;
    return n;
}
