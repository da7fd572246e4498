/* kinds/handbook: the official handbook. Front matter (cover, contents) is
 * numbered in roman, the body (foreword, then one chapter per profile: the
 * group's shared task, the role's sections, the pitfalls) from 1. The body
 * is flowed first so that the contents can carry its page numbers; the
 * front matter is then set and the body's pages appended after it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kinds/kinds.h"

static const char *const handbook_keys[] = {"profiles", "cover", "contents", "chapter_start", "running_heads",
                                            "folios", "cover_band", "section_bookmarks", NULL};

typedef struct hb_opts {
    bool cover, contents, right_hand, running_heads, folios, section_bookmarks;
    const spec_colour_t *band;
} hb_opts_t;

static bool opt_bool(const spec_t *s, const char *key, bool dflt, bool *out, diag_t *d) {
    const ynode_t *n = ymap_get(s->kind_block, key);
    *out = dflt;
    if (!n) return true;
    char what[64];
    snprintf(what, sizeof what, "handbook.%s", key);
    return ybool(s->doc, n, what, out, d);
}

static bool read_opts(const spec_t *s, hb_opts_t *o, diag_t *d) {
    bool ok = true;
    ok &= opt_bool(s, "cover", true, &o->cover, d);
    ok &= opt_bool(s, "contents", true, &o->contents, d);
    ok &= opt_bool(s, "running_heads", true, &o->running_heads, d);
    ok &= opt_bool(s, "folios", true, &o->folios, d);
    ok &= opt_bool(s, "section_bookmarks", true, &o->section_bookmarks, d);
    o->right_hand = s->page.facing;
    const ynode_t *cs = ymap_get(s->kind_block, "chapter_start");
    if (cs) {
        const char *v = ytext(s->doc, cs, "handbook.chapter_start", d);
        if (v && strcmp(v, "right") == 0) o->right_hand = true;
        else if (v && strcmp(v, "any") == 0) o->right_hand = false;
        else {
            if (v) diag_error(d, ydoc_loc(s->doc, cs), "handbook.chapter_start must be 'right' or 'any', found '%s'", v);
            ok = false;
        }
    }
    o->band = NULL;
    const ynode_t *b = ymap_get(s->kind_block, "cover_band");
    if (b) {
        const char *v = ytext(s->doc, b, "handbook.cover_band", d);
        o->band = v ? spec_find_colour(s, v) : NULL;
        if (v && !o->band) diag_error(d, ydoc_loc(s->doc, b), "cover_band names colour '%s', which 'colours' does not define", v);
        if (!o->band) ok = false;
    }
    return ok;
}

bool handbook_check(const spec_t *s, diag_t *d) {
    bool ok = true;
    if (s->kind_block && !ymap_check(s->doc, s->kind_block, "handbook", handbook_keys, NULL, d)) ok = false;
    hb_opts_t o;
    if (!read_opts(s, &o, d)) ok = false;
    const char *styles[16];
    int n = 0;
    styles[n++] = "chapter";
    styles[n++] = "kicker";
    styles[n++] = "section";
    styles[n++] = "body";
    styles[n++] = "bullet";
    if (o.cover) { styles[n++] = "cover_title"; styles[n++] = "cover_org"; }
    if (o.contents) { styles[n++] = "contents_title"; styles[n++] = "toc"; }
    if (o.running_heads) styles[n++] = "running_head";
    if (o.folios) styles[n++] = "folio";
    for (int i = 0; i < n; i++)
        if (!spec_require_style(s, styles[i], d)) ok = false;
    if (!spec_require_label(s, "bullet", d)) ok = false;
    if (o.contents && !spec_require_label(s, "contents", d)) ok = false;
    return ok;
}

/* ---- body ---------------------------------------------------------------- */

typedef struct chapter {
    const char *title;  /* TOC entry and running head */
    size_t block;       /* index of its heading block */
} chapter_t;

typedef struct body {
    page_blocks_t blocks;
    chapter_t *chapters;
    size_t count;
} body_t;

static bool bullets(typeset_t *t, page_blocks_t *b, const model_list_t *list, double w, size_t parent) {
    const char *mark = spec_label(t->spec, "bullet");
    size_t l = doc_node(t->doc, parent, DOC_TAG_L);
    for (size_t i = 0; i < list->count; i++) {
        page_block_t *it = typeset_item(t, b, "bullet", mark, list->items[i].text, list->items[i].loc, w);
        if (!it) return false;
        kind_tag_item(t, it, l);
    }
    return true;
}

static page_block_t *heading(typeset_t *t, page_blocks_t *b, const char *style, const model_text_t *text,
                             double w, doc_tag_t tag, int level, bool bookmark, size_t parent) {
    page_block_t *blk = typeset_paragraph(t, b, style, text->text, text->loc, w);
    if (blk) {
        kind_tag(t, blk, parent, tag);
        if (bookmark) {
            blk->outline = text->text;
            blk->outline_level = level;
        }
    }
    return blk;
}

static bool start_chapter(body_t *body, const page_blocks_t *b, const char *title, bool right_hand) {
    page_block_t *first = &b->v[b->count - 1];
    first->page_break_before = true;
    first->right_hand = right_hand;
    chapter_t *nc = realloc(body->chapters, (body->count + 1) * sizeof *nc);
    if (!nc) return false;
    body->chapters = nc;
    body->chapters[body->count].title = title;
    body->chapters[body->count].block = b->count - 1;
    body->count++;
    return true;
}

static bool section(typeset_t *t, page_blocks_t *b, const model_text_t *head, const model_list_t *list, double w,
                    const hb_opts_t *o, size_t parent) {
    size_t sect = doc_node(t->doc, parent, DOC_TAG_SECT);
    return heading(t, b, "section", head, w, DOC_TAG_H2, 1, o->section_bookmarks, sect) &&
           bullets(t, b, list, w, sect);
}

static bool build_body(typeset_t *t, const kind_job_t *job, const hb_opts_t *o, double w, body_t *body) {
    const model_t *m = job->model;
    page_blocks_t *b = &body->blocks;
    bool ok = true;
    if (m->foreword.count) {
        model_text_t title = m->foreword_title;
        if (!title.text) title.text = "";
        size_t sect = doc_node(t->doc, 1, DOC_TAG_SECT);
        if (title.text[0]) {
            ok = heading(t, b, "chapter", &title, w, DOC_TAG_H1, 0, true, sect) &&
                 start_chapter(body, b, title.text, o->right_hand);
        }
        for (size_t i = 0; ok && i < m->foreword.count; i++) {
            page_block_t *p = typeset_paragraph(t, b, "body", m->foreword.items[i].text, m->foreword.items[i].loc, w);
            ok = p != NULL;
            if (ok) kind_tag(t, p, sect, DOC_TAG_P);
            if (ok && !title.text[0] && i == 0) ok = start_chapter(body, b, "", o->right_hand);
        }
    }
    for (size_t i = 0; ok && i < job->profile_count; i++) {
        const model_profile_t *p = job->profiles[i];
        size_t first = b->count;
        size_t chapter = doc_node(t->doc, 1, DOC_TAG_SECT);
        if (p->group.present) {
            page_block_t *k = typeset_paragraph(t, b, "kicker", p->group.name.text, p->group.name.loc, w);
            ok = k != NULL;
            if (ok) {
                k->keep_with_next = k->unbreakable = true;
                kind_tag(t, k, chapter, DOC_TAG_P);
            }
        }
        ok = ok && heading(t, b, "chapter", &p->title, w, DOC_TAG_H1, 0, true, chapter);
        if (!ok) break;
        /* The chapter starts at its first block: the kicker, when there is one. */
        page_block_t *firstb = &b->v[first];
        firstb->page_break_before = true;
        firstb->right_hand = o->right_hand;
        chapter_t *nc = realloc(body->chapters, (body->count + 1) * sizeof *nc);
        if (!nc) return false;
        body->chapters = nc;
        body->chapters[body->count].title = p->title.text;
        body->chapters[body->count].block = first;
        body->count++;
        if (p->group.present) ok = section(t, b, &p->group.heading, &p->group.bullets, w, o, chapter);
        for (size_t s = 0; ok && s < p->section_count; s++)
            ok = section(t, b, &p->sections[s].heading, &p->sections[s].bullets, w, o, chapter);
        if (ok && p->pitfalls.present) ok = section(t, b, &p->pitfalls.heading, &p->pitfalls.bullets, w, o, chapter);
    }
    return ok;
}

/* ---- contents ------------------------------------------------------------ */

/* A contents entry: the title, and the page number right-aligned on its
 * last line. */
static page_block_t *toc_entry(typeset_t *t, page_blocks_t *b, const char *title, int number, double w, size_t toc) {
    char num[16];
    snprintf(num, sizeof num, "%d", number);
    para_t np;
    para_line_t *nl = typeset_line(t, "toc", num, diag_file(t->spec->path), &np);
    para_t wide;
    para_line_t *reserve = typeset_line(t, "toc", "0000", diag_file(t->spec->path), &wide);
    if (!nl || !reserve) return NULL;
    page_block_t *blk = typeset_paragraph(t, b, "toc", title, diag_file(t->spec->path), w - reserve->width);
    if (!blk || blk->para.count == 0) return blk;
    para_line_t *last = &blk->para.lines[blk->para.count - 1];
    para_run_t *runs = arena_alloc(t->doc->arena, (last->count + nl->count) * sizeof *runs);
    if (!runs) return NULL;
    memcpy(runs, last->runs, last->count * sizeof *runs);
    for (size_t i = 0; i < nl->count; i++) {
        runs[last->count + i] = nl->runs[i];
        runs[last->count + i].x += w - blk->indent - nl->width;
    }
    last->runs = runs;
    last->count += nl->count;
    size_t toci = doc_node(t->doc, toc, DOC_TAG_TOCI);
    kind_tag(t, blk, toci, DOC_TAG_LINK);
    blk->unbreakable = true;
    return blk;
}

/* ---- page furniture ------------------------------------------------------ */

static bool furniture(typeset_t *t, doc_t *doc, size_t page, int number, const char *head, bool right_hand,
                      const hb_opts_t *o, char style) {
    const spec_t *s = t->spec;
    doc_page_t *pg = &doc->pages[page];
    double left = s->page.facing && !right_hand ? s->page.outer : s->page.inner;
    double right = s->page.width - (s->page.facing && !right_hand ? s->page.inner : s->page.outer);
    if (o->folios && number > 0) {
        char num[32];
        if (style == 'r') {
            static const char *r[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"};
            snprintf(num, sizeof num, "%s", number <= 10 ? r[number] : "x");
        } else {
            snprintf(num, sizeof num, "%d", number);
        }
        para_t p;
        para_line_t *l = typeset_line(t, "folio", num, diag_file(s->path), &p);
        if (!l) return false;
        double x = right_hand || !s->page.facing ? right - l->width : left;
        double y = s->page.bottom / 2 - p.ascent / 3;
        if (!page_draw_line(doc, pg, l, p.colour, x, y, 0)) return false;
    }
    if (o->running_heads && head && *head) {
        para_t p;
        para_line_t *l = typeset_line(t, "running_head", head, diag_file(s->path), &p);
        if (!l) return false;
        double x = right_hand || !s->page.facing ? right - l->width : left;
        double y = s->page.height - s->page.top / 2;
        if (!page_draw_line(doc, pg, l, p.colour, x, y, 0)) return false;
    }
    return true;
}

/* ---- cover --------------------------------------------------------------- */

static bool cover(typeset_t *t, doc_t *doc, const hb_opts_t *o, double w, size_t sect) {
    const spec_t *s = t->spec;
    const model_t *m = t->model;
    doc_page_t *pg = doc_add_page(doc, s->page.width, s->page.height, s->page.bleed, s->page.crop_marks);
    if (!pg) return false;
    size_t page = doc->page_count - 1;
    if (o->band) {
        doc_item_t band = {0};
        band.kind = DOC_RECT;
        band.colour = o->band->colour;
        band.x = -s->page.bleed;
        band.w = s->page.width + 2 * s->page.bleed;
        band.y = s->page.height * 0.80;
        band.h = s->page.height * 0.20 + s->page.bleed;
        if (!doc_add_item(doc, pg, &band)) return false;
    }
    page_blocks_t b = {0};
    bool ok = typeset_paragraph(t, &b, "cover_title", m->title.text, m->title.loc, w) != NULL;
    if (ok && m->subtitle.text) ok = typeset_paragraph(t, &b, "cover_org", m->subtitle.text, m->subtitle.loc, w) != NULL;
    if (ok) ok = typeset_paragraph(t, &b, "cover_org", m->organisation.text, m->organisation.loc, w) != NULL;
    if (ok) {
        double y = s->page.height * 0.66;
        double x = s->page.inner;
        for (size_t i = 0; ok && i < b.count; i++) {
            page_block_t *blk = &b.v[i];
            if (i == b.count - 1) y = s->page.bottom + blk->para.count * blk->para.leading;
            else if (i > 0) y -= blk->space_before;
            size_t node = doc_node(t->doc, sect, i == 0 ? DOC_TAG_H1 : DOC_TAG_P);
            for (size_t l = 0; ok && l < blk->para.count; l++) {
                double base = page_baseline(&blk->para, y);
                ok = page_draw_line(doc, pg, &blk->para.lines[l], blk->para.colour, x + blk->indent, base, node);
                y -= blk->para.leading;
            }
            y -= blk->space_after;
        }
        (void)page;
    }
    page_blocks_free(&b);
    return ok;
}

/* ---- the whole ----------------------------------------------------------- */

bool handbook_build(typeset_t *t, const kind_job_t *job) {
    const spec_t *s = t->spec;
    const model_t *m = job->model;
    hb_opts_t o;
    if (!read_opts(s, &o, t->d)) return false;
    page_frame_spec_t frame = typeset_frame(s);
    double w = page_column_width(&frame);
    doc_t *doc = t->doc;
    doc->title = m->title.text;
    doc->author = m->organisation.text;
    /* Subject: the layout's words for it, else the data's subtitle. */
    doc->subject = spec_label(s, "subject") ? spec_label(s, "subject") : m->subtitle.text;
    doc->lang = m->language;
    doc->creator = "grundlag";

    /* The structure is in reading order: cover and contents come first,
     * though they are set after the body. */
    size_t cover_sect = o.cover ? doc_node(doc, 1, DOC_TAG_SECT) : 0;
    size_t toc_sect = o.contents ? doc_node(doc, 1, DOC_TAG_SECT) : 0;
    body_t body = {0};
    doc_t *bdoc = doc_new();
    bool ok = bdoc && build_body(t, job, &o, w, &body);
    if (ok) ok = page_flow(&frame, &body.blocks, bdoc, t->d, diag_file(s->path));

    /* Front matter into the main doc. */
    if (ok && o.cover) {
        ok = cover(t, doc, &o, w, cover_sect);
        if (ok && s->page.facing) ok = doc_add_page(doc, s->page.width, s->page.height, s->page.bleed, s->page.crop_marks) != NULL;
    }
    page_blocks_t toc = {0};
    size_t toc_first = doc->page_count;
    if (ok && o.contents) {
        const char *label = spec_label(s, "contents");
        page_block_t *h = typeset_paragraph(t, &toc, "contents_title", label, diag_file(s->path), w);
        ok = h != NULL;
        if (ok) {
            kind_tag(t, h, toc_sect, DOC_TAG_H1);
        }
        size_t toc_node = doc_node(t->doc, toc_sect, DOC_TAG_TOC);
        for (size_t i = 0; ok && i < body.count; i++) {
            if (!body.chapters[i].title[0]) continue;
            const page_block_t *cb = &body.blocks.v[body.chapters[i].block];
            ok = toc_entry(t, &toc, body.chapters[i].title, (int)cb->placed_page + 1, w, toc_node) != NULL;
        }
        if (ok) {
            page_frame_spec_t f = frame;
            f.first_page_number = doc->page_count + 1;
            ok = page_flow(&f, &toc, doc, t->d, diag_file(s->path));
        }
    }
    /* The body starts on a right-hand page. */
    if (ok && s->page.facing && doc->page_count % 2 == 1)
        ok = doc_add_page(doc, s->page.width, s->page.height, s->page.bleed, s->page.crop_marks) != NULL;
    size_t front = doc->page_count;
    if (ok) {
        if (doc->outline_count == 0 && o.contents && toc.count) {
            /* The contents page gets a bookmark of its own. */
        }
        ok = doc_append(doc, bdoc);
    }
    /* Contents links, now that the body's pages have their final indices. */
    for (size_t i = 0, e = 0; ok && o.contents && i < body.count; i++) {
        if (!body.chapters[i].title[0]) continue;
        const page_block_t *tb = &toc.v[1 + e++];
        const page_block_t *cb = &body.blocks.v[body.chapters[i].block];
        doc_item_t link = {0};
        link.kind = DOC_LINK;
        link.x = s->page.inner;
        link.w = w;
        link.h = tb->para.count * tb->para.leading;
        link.y = tb->placed_y - link.h;
        link.target_page = front + cb->placed_page;
        link.target_y = cb->placed_y + cb->para.leading;
        link.text = body.chapters[i].title;
        link.node = tb->node; /* the Link element: the entry's text and this annotation */
        ok = doc_add_item(doc, &doc->pages[tb->placed_page], &link) != NULL;
    }
    (void)toc_first;
    /* Page furniture and labels. */
    for (size_t p = 0; ok && p < doc->page_count; p++) {
        bool right_hand = (p + 1) % 2 == 1;
        if (p < front) {
            if (o.cover && p < (s->page.facing ? 2u : 1u)) continue;
            ok = furniture(t, doc, p, (int)p + 1, NULL, right_hand, &o, 'r');
            continue;
        }
        size_t bp = p - front;
        const char *head = NULL;
        bool opening = false;
        for (size_t c = 0; c < body.count; c++) {
            size_t cp = body.blocks.v[body.chapters[c].block].placed_page;
            if (cp <= bp) head = body.chapters[c].title;
            if (cp == bp) opening = true;
        }
        bool blank = doc->pages[p].count == 0;
        if (blank) continue;
        ok = furniture(t, doc, p, (int)bp + 1, opening ? NULL : head, right_hand, &o, 'D');
    }
    if (ok && front > 0) ok = doc_add_label_range(doc, 0, 'r', 1, NULL);
    if (ok) ok = doc_add_label_range(doc, front, 'D', 1, NULL);
    page_blocks_free(&toc);
    page_blocks_free(&body.blocks);
    free(body.chapters);
    doc_drop(bdoc);
    return ok;
}
