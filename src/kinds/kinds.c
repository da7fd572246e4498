/* kinds: dispatch by kind, and helpers shared by the kinds. */
#include "kinds/kinds.h"

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
