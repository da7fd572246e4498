/* kinds/handbook: the official handbook — foreword and one chapter per
 * profile: the group's shared task, the role's sections with their bullets,
 * and the pitfalls. */
#include <string.h>

#include "kinds/kinds.h"

static const char *const handbook_keys[] = {"profiles", NULL};
static const char *const needed_styles[] = {"title", "chapter", "section", "body", "bullet", NULL};
static const char *const needed_labels[] = {"bullet", NULL};

bool handbook_check(const spec_t *s, diag_t *d) {
    bool ok = true;
    if (s->kind_block && !ymap_check(s->doc, s->kind_block, "handbook", handbook_keys, NULL, d)) ok = false;
    for (int i = 0; needed_styles[i]; i++)
        if (!spec_require_style(s, needed_styles[i], d)) ok = false;
    for (int i = 0; needed_labels[i]; i++)
        if (!spec_require_label(s, needed_labels[i], d)) ok = false;
    return ok;
}

static bool bullets(typeset_t *t, page_blocks_t *b, const model_list_t *list, double w) {
    const char *mark = spec_label(t->spec, "bullet");
    for (size_t i = 0; i < list->count; i++)
        if (!typeset_item(t, b, "bullet", mark, list->items[i].text, list->items[i].loc, w)) return false;
    return true;
}

static page_block_t *heading(typeset_t *t, page_blocks_t *b, const char *style, const model_text_t *text,
                             double w, doc_role_t role, int level) {
    page_block_t *blk = typeset_paragraph(t, b, style, text->text, text->loc, w);
    if (blk) {
        blk->role = role;
        blk->outline = text->text;
        blk->outline_level = level;
    }
    return blk;
}

bool handbook_build(typeset_t *t, const kind_job_t *job) {
    const model_t *m = job->model;
    page_frame_spec_t frame = typeset_frame(t->spec);
    double w = page_column_width(&frame);
    page_blocks_t blocks = {0};
    bool ok = true;
    doc_t *doc = t->doc;
    doc->title = m->title.text;
    doc->author = m->organisation.text;
    doc->lang = m->language;
    doc->creator = "grundlag";

    ok = ok && typeset_paragraph(t, &blocks, "title", m->title.text, m->title.loc, w);
    if (ok && m->foreword.count) {
        if (m->foreword_title.text)
            ok = heading(t, &blocks, "chapter", &m->foreword_title, w, DOC_ROLE_H1, 0) != NULL;
        for (size_t i = 0; ok && i < m->foreword.count; i++)
            ok = typeset_paragraph(t, &blocks, "body", m->foreword.items[i].text, m->foreword.items[i].loc, w) != NULL;
    }
    for (size_t i = 0; ok && i < job->profile_count; i++) {
        const model_profile_t *p = job->profiles[i];
        ok = heading(t, &blocks, "chapter", &p->title, w, DOC_ROLE_H1, 0) != NULL;
        if (ok && p->group.present) {
            ok = heading(t, &blocks, "section", &p->group.heading, w, DOC_ROLE_H2, 1) != NULL;
            ok = ok && bullets(t, &blocks, &p->group.bullets, w);
        }
        for (size_t s = 0; ok && s < p->section_count; s++) {
            ok = heading(t, &blocks, "section", &p->sections[s].heading, w, DOC_ROLE_H2, 1) != NULL;
            ok = ok && bullets(t, &blocks, &p->sections[s].bullets, w);
        }
        if (ok && p->pitfalls.present) {
            ok = heading(t, &blocks, "section", &p->pitfalls.heading, w, DOC_ROLE_H2, 1) != NULL;
            ok = ok && bullets(t, &blocks, &p->pitfalls.bullets, w);
        }
    }
    if (ok) ok = page_flow(&frame, &blocks, doc, t->d, diag_file(t->spec->path));
    page_blocks_free(&blocks);
    return ok;
}
