/* kinds: dispatch by kind, and helpers shared by the kinds. */
#include "kinds/kinds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool kind_check(const spec_t *s, const model_t *m, diag_t *d) {
    switch (s->kind) {
    case SPEC_KIND_HANDBOOK: return handbook_check(s, d);
    case SPEC_KIND_CARD: return card_check(s, m, d);
    case SPEC_KIND_POSTER: return poster_check(s, d);
    case SPEC_KIND_WORKSHEET: return worksheet_check(s, m, d);
    default:
        diag_error(d, diag_file(s->path), "kind '%s' cannot be rendered by this version of grundlag",
                   spec_kind_name(s->kind));
        return false;
    }
}

bool kind_build(typeset_t *t, const kind_job_t *job) {
    switch (job->spec->kind) {
    case SPEC_KIND_HANDBOOK: return handbook_build(t, job);
    case SPEC_KIND_CARD: return card_build(t, job);
    case SPEC_KIND_POSTER: return poster_build(t, job);
    case SPEC_KIND_WORKSHEET: return worksheet_build(t, job);
    default: return false;
    }
}

bool kind_layout_profiles(const spec_t *s, const model_t *m, const model_profile_t ***out, size_t *count,
                          diag_t *d) {
    *out = NULL;
    *count = 0;
    const ynode_t *list = ymap_get(s->kind_block, "profiles");
    if (!list) return true;
    if (!yexpect(s->doc, list, YNODE_SEQ, "profiles", d)) return false;
    const model_profile_t **v = calloc(list->count + 1, sizeof *v);
    if (!v) return false;
    bool ok = true;
    for (size_t i = 0; i < list->count; i++) {
        const char *id = ytext(s->doc, list->items[i], "profile id", d);
        if (!id) { ok = false; continue; }
        const model_profile_t *p = model_find_profile(m, id);
        if (!p) {
            diag_error(d, ydoc_loc(s->doc, list->items[i]), "profile '%s' is not in the data file %s", id, m->path);
            ok = false;
            continue;
        }
        v[(*count)++] = p;
    }
    if (!ok) { free(v); *count = 0; return false; }
    *out = v;
    return true;
}

size_t kind_tag(typeset_t *t, page_block_t *b, size_t parent, doc_tag_t tag) {
    size_t n = doc_node(t->doc, parent, tag);
    if (b) b->node = n;
    return n;
}

void kind_tag_item(typeset_t *t, page_block_t *b, size_t list) {
    size_t li = doc_node(t->doc, list, DOC_TAG_LI);
    if (!li) return;
    b->label_node = doc_node(t->doc, li, DOC_TAG_LBL);
    b->node = doc_node(t->doc, li, DOC_TAG_LBODY);
}

bool kind_read_accents(const spec_t *s, const char *kind, kind_accents_t *out, diag_t *d) {
    memset(out, 0, sizeof *out);
    const ynode_t *n = ymap_get(s->kind_block, "accents");
    if (!n) return true;
    char what[64];
    snprintf(what, sizeof what, "%s.accents", kind);
    if (!yexpect(s->doc, n, YNODE_SEQ, what, d)) return false;
    out->colours = calloc(n->count + 1, sizeof *out->colours);
    if (!out->colours) return false;
    bool ok = true;
    for (size_t i = 0; i < n->count; i++) {
        const char *c = ytext(s->doc, n->items[i], "accent colour", d);
        const spec_colour_t *sc = c ? spec_find_colour(s, c) : NULL;
        if (c && !sc) diag_error(d, ydoc_loc(s->doc, n->items[i]), "accent '%s' is not a colour under 'colours'", c);
        if (!sc) { ok = false; continue; }
        out->colours[out->count++] = sc;
    }
    return ok;
}

void kind_accents_free(kind_accents_t *a) {
    free(a->colours);
    memset(a, 0, sizeof *a);
}

colour_t kind_accent(const typeset_t *t, const kind_accents_t *a, const model_profile_t *p) {
    if (!a->count) {
        const spec_colour_t *c = spec_find_colour(t->spec, "accent");
        return c ? c->colour : colour_black();
    }
    return a->colours[(size_t)(p - t->model->profiles) % a->count]->colour;
}

bool kind_read_fit(const spec_t *s, const char *kind, double *min, double *max, diag_t *d) {
    static const char *const fit_keys[] = {"min", "max", NULL};
    const ynode_t *n = ymap_get(s->kind_block, "fit");
    if (!n) return true;
    char what[64];
    snprintf(what, sizeof what, "%s.fit", kind);
    if (!ymap_check(s->doc, n, what, fit_keys, fit_keys, d)) return false;
    const char *lo = ytext(s->doc, ymap_get(n, "min"), "fit.min", d);
    const char *hi = ytext(s->doc, ymap_get(n, "max"), "fit.max", d);
    double a, b;
    if (!lo || !hi || !spec_parse_length(lo, &a) || !spec_parse_length(hi, &b) || a <= 0 || b < a) {
        diag_error(d, ydoc_loc(s->doc, n), "%s needs min and max sizes such as {min: 8pt, max: 11pt}, min <= max", what);
        return false;
    }
    *min = a;
    *max = b;
    return true;
}
