/* kinds/handbook: the official handbook. Front matter (cover, contents) is
 * numbered in roman, the body (foreword, then one chapter per profile: the
 * group's shared task, the role's sections, the pitfalls) from 1. The body
 * is flowed first so that the contents can carry its page numbers; the
 * front matter is then set and the body's pages appended after it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kinds/kinds.h"

typedef struct hb_opts {
    kind_common_t common;
    bool cover, contents, running_heads, folios, section_bookmarks, back_cover;
    int chapter_start; /* 0 right, 1 any; -1: right on facing pages */
    int page_multiple;
    int max_profiles; /* 0: all */
    const spec_colour_t *cover_band;
} hb_opts_t;

static const char *const chapter_starts[] = {"right", "any", NULL};

static const opt_key_t hb_keys[] = {
    KIND_PROFILES_KEY(hb_opts_t),
    OPT_WHOLE(hb_opts_t, max_profiles, "0", 0, 10000,
              "at most this many chapters: the first profiles of the choice (0: all); a sample of any data file"),
    OPT_FLAG(hb_opts_t, cover, "true", "a cover page with the title, subtitle and organisation (styles `cover_title`, `cover_org`)"),
    OPT_FLAG(hb_opts_t, contents, "true", "a table of contents with links (styles `contents_title`, `toc`; label `contents`)"),
    OPT_ONE_OF(hb_opts_t, chapter_start, chapter_starts, NULL, "where a chapter starts (default: `right` on facing pages, else `any`)"),
    OPT_FLAG(hb_opts_t, running_heads, "true", "the chapter's title at the head of its pages (style `running_head`)"),
    OPT_FLAG(hb_opts_t, folios, "true", "page numbers at the foot, on the outer side (style `folio`)"),
    OPT_PLAIN(hb_opts_t, cover_band, OPT_COLOUR, "a band of this colour across the cover's top, into the bleed (default: none)"),
    OPT_FLAG(hb_opts_t, section_bookmarks, "true", "bookmarks for the sections under each chapter's"),
    OPT_FLAG(hb_opts_t, back_cover, "false",
             "a back cover as the last page (a left-hand one on facing pages): the title (style `back_cover`), "
             "the subject and the organisation (`cover_org`) and the data's edition (`edition`), under the "
             "`cover_band`"),
    OPT_WHOLE(hb_opts_t, page_multiple, "1", 1, 64,
              "make the page count a multiple of this (4 for a saddle-stitched booklet) with pages before the back "
              "cover: notes pages headed by the label `notes` (lines in the colour `rule`) if the layout has one, "
              "else blank"),
};

static const opt_schema_t hb_schema = OPT_SCHEMA("handbook", hb_opts_t, hb_keys);
static const char *const hb_styles[] = {"chapter", "kicker", "section", "body", "bullet", NULL};
static const char *const hb_labels[] = {"bullet", NULL};

/* The styles and labels that the options ask for. */
static bool check(const spec_t *s, const void *opts, diag_t *d) {
    const hb_opts_t *o = opts;
    bool ok = true;
    if (o->cover) ok = spec_require_style(s, "cover_title", d) && spec_require_style(s, "cover_org", d) && ok;
    if (o->contents)
        ok = spec_require_style(s, "contents_title", d) && spec_require_style(s, "toc", d) &&
             spec_require_label(s, "contents", d) && ok;
    if (o->running_heads) ok = spec_require_style(s, "running_head", d) && ok;
    if (o->folios) ok = spec_require_style(s, "folio", d) && ok;
    if (o->back_cover)
        ok = spec_require_style(s, "back_cover", d) && spec_require_style(s, "cover_org", d) &&
             spec_require_style(s, "edition", d) && ok;
    return ok;
}

static bool right_hand_chapters(const compose_t *c, const hb_opts_t *o) {
    return o->chapter_start < 0 ? c->spec->page.facing : o->chapter_start == 0;
}

/* ---- body ---------------------------------------------------------------- */

typedef struct chapter {
    const char *title;  /* TOC entry and running head */
    size_t block;       /* index of its first block */
} chapter_t;

typedef struct body {
    page_blocks_t blocks;
    chapter_t *chapters;
    size_t count;
} body_t;

/* A chapter starts at block `first`, on a new (right-hand) page. */
static bool start_chapter(body_t *body, size_t first, const char *title, bool right_hand) {
    page_block_t *b = &body->blocks.v[first];
    b->page_break_before = true;
    b->right_hand = right_hand;
    chapter_t *nc = realloc(body->chapters, (body->count + 1) * sizeof *nc);
    if (!nc) return false;
    body->chapters = nc;
    body->chapters[body->count++] = (chapter_t){title, first};
    return true;
}

static page_block_t *bookmarked(page_block_t *b, const char *title, int level) {
    if (b) {
        b->outline = title;
        b->outline_level = level;
    }
    return b;
}

static bool build_body(compose_t *c, const kind_job_t *job, const hb_opts_t *o, double w, body_t *body) {
    const model_t *m = c->model;
    page_blocks_t *b = &body->blocks;
    bool right = right_hand_chapters(c, o), ok = true;
    if (m->foreword.count) {
        model_text_t title = m->foreword_title;
        if (!title.text) title.text = "";
        size_t sect = compose_node(c, 1, DOC_TAG_SECT), first = b->count;
        if (title.text[0])
            ok = bookmarked(compose_text(c, b, "chapter", &title, w, sect, DOC_TAG_H1), title.text, 0) != NULL;
        for (size_t i = 0; ok && i < m->foreword.count; i++)
            ok = compose_text(c, b, "body", &m->foreword.items[i], w, sect, DOC_TAG_P) != NULL;
        if (ok) ok = start_chapter(body, first, title.text, right);
    }
    size_t chapters = job->profile_count;
    if (o->max_profiles > 0 && (size_t)o->max_profiles < chapters) chapters = (size_t)o->max_profiles;
    for (size_t i = 0; ok && i < chapters; i++) {
        const model_profile_t *p = job->profiles[i];
        size_t first = b->count, chapter = compose_node(c, 1, DOC_TAG_SECT);
        if (p->group.present) {
            page_block_t *k = compose_text(c, b, "kicker", &p->group.name, w, chapter, DOC_TAG_P);
            ok = k != NULL;
            if (ok) k->keep_with_next = k->unbreakable = true;
        }
        ok = ok && bookmarked(compose_text(c, b, "chapter", &p->title, w, chapter, DOC_TAG_H1), p->title.text, 0) &&
             start_chapter(body, first, p->title.text, right);
        compose_parts_t parts = {0};
        ok = ok && compose_parts(c->model, p, NULL, false, &parts);
        for (size_t k = 0; ok && k < parts.count; k++) {
            size_t sect = compose_node(c, chapter, DOC_TAG_SECT);
            page_block_t *h = compose_text(c, b, "section", parts.v[k].heading, w, sect, DOC_TAG_H2);
            if (h && o->section_bookmarks) bookmarked(h, parts.v[k].heading->text, 1);
            ok = h && compose_bullets(c, b, "bullet", parts.v[k].bullets, w, sect);
        }
        compose_parts_free(&parts);
    }
    return ok;
}

/* ---- contents ------------------------------------------------------------ */

/* A contents entry: the title, and the page number right-aligned on its
 * last line; a Link element in a Reference in a TOCI of `toc`. */
static page_block_t *toc_entry(compose_t *c, page_blocks_t *b, const char *title, int number, double w, size_t toc) {
    char num[16];
    snprintf(num, sizeof num, "%d", number);
    para_t np, wide;
    para_line_t *nl = compose_line(c, "toc", num, &np);
    para_line_t *reserve = compose_line(c, "toc", "0000", &wide);
    if (!nl || !reserve) return NULL;
    /* A TOCI holds a Reference (ISO 32000-1, Table 333), which holds the Link. */
    size_t ref = compose_node(c, compose_node(c, toc, DOC_TAG_TOCI), DOC_TAG_REFERENCE);
    page_block_t *blk = compose_words(c, b, "toc", title, w - reserve->width, ref, DOC_TAG_LINK);
    if (!blk || blk->para.count == 0) return blk;
    para_line_t *last = &blk->para.lines[blk->para.count - 1];
    para_run_t *runs = arena_alloc(c->to.arena, (last->count + nl->count) * sizeof *runs);
    if (!runs) return NULL;
    memcpy(runs, last->runs, last->count * sizeof *runs);
    for (size_t i = 0; i < nl->count; i++) {
        runs[last->count + i] = nl->runs[i];
        runs[last->count + i].x += w - blk->indent - nl->width;
    }
    last->runs = runs;
    last->count += nl->count;
    blk->unbreakable = true;
    return blk;
}

/* ---- page furniture ------------------------------------------------------ */

/* A line of furniture (an artifact of `kind`) on the outer side of page `pg`. */
static bool outer_line(compose_t *c, doc_page_t *pg, const char *style, const char *text, bool right_hand, double y,
                       bool below_baseline_third, doc_artifact_t kind) {
    const spec_page_t *sp = &c->spec->page;
    double left = sp->facing && !right_hand ? sp->outer : sp->inner;
    double right = sp->width - (sp->facing && !right_hand ? sp->inner : sp->outer);
    para_t p;
    para_line_t *l = compose_line(c, style, text, &p);
    if (!l) return false;
    double x = right_hand || !sp->facing ? right - l->width : left;
    if (below_baseline_third) y -= p.ascent / 3;
    return compose_furniture(c, pg, l, p.colour, x, y, kind);
}

static bool furniture(compose_t *c, size_t page, int number, const char *head, bool right_hand, const hb_opts_t *o,
                      char style) {
    const spec_page_t *sp = &c->spec->page;
    doc_page_t *pg = &c->doc->pages[page];
    if (o->folios && number > 0) {
        char num[32];
        static const char *const roman[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"};
        if (style == 'r') snprintf(num, sizeof num, "%s", number <= 10 ? roman[number] : "x");
        else snprintf(num, sizeof num, "%d", number);
        if (!outer_line(c, pg, "folio", num, right_hand, sp->bottom / 2, true, DOC_ARTIFACT_FOOTER)) return false;
    }
    if (o->running_heads && head && *head &&
        !outer_line(c, pg, "running_head", head, right_hand, sp->height - sp->top / 2, false, DOC_ARTIFACT_HEADER))
        return false;
    return true;
}

/* ---- cover --------------------------------------------------------------- */

/* A cover page, with the band across its top into the bleed: on a
 * booklet's outer spread, front and back bands run on across the spine. */
static doc_page_t *cover_page(compose_t *c, const hb_opts_t *o) {
    const spec_page_t *sp = &c->spec->page;
    doc_page_t *pg = doc_add_page(c->doc, sp->width, sp->height, sp->bleed, sp->crop_marks);
    if (pg && o->cover_band &&
        !compose_rect(c, pg, -sp->bleed, sp->height * 0.80, sp->width + 2 * sp->bleed, sp->height * 0.20 + sp->bleed,
                      o->cover_band->colour))
        return NULL;
    return pg;
}

static bool cover(compose_t *c, const hb_opts_t *o, double w, size_t sect) {
    const spec_page_t *sp = &c->spec->page;
    const model_t *m = c->model;
    doc_page_t *pg = cover_page(c, o);
    if (!pg) return false;
    /* The title high on the page, the organisation at the foot. */
    page_blocks_t head = {0}, foot = {0};
    bool ok = compose_text(c, &head, "cover_title", &m->title, w, sect, DOC_TAG_H1) &&
              (!m->subtitle.text || compose_text(c, &head, "cover_org", &m->subtitle, w, sect, DOC_TAG_P)) &&
              compose_text(c, &foot, "cover_org", &m->organisation, w, sect, DOC_TAG_P);
    if (ok) {
        const page_block_t *org = &foot.v[0];
        ok = compose_stack_draw(c, pg, &head, sp->inner, sp->height * 0.66) &&
             compose_stack_draw(c, pg, &foot, sp->inner, sp->bottom + org->para.count * org->para.leading);
    }
    page_blocks_free(&head);
    page_blocks_free(&foot);
    return ok;
}

/* The back cover, a left-hand page: the title (style back_cover) and the
 * subject (cover_org) where the front has its title, the organisation
 * (cover_org) and the edition (edition) at the foot, on the outer margin. */
static bool back_cover(compose_t *c, const hb_opts_t *o, double w) {
    const spec_page_t *sp = &c->spec->page;
    const model_t *m = c->model;
    doc_page_t *pg = cover_page(c, o);
    if (!pg) return false;
    size_t sect = compose_node(c, 1, DOC_TAG_SECT);
    const char *subject = spec_label(c->spec, "subject") ? spec_label(c->spec, "subject") : m->subtitle.text;
    page_blocks_t head = {0}, foot = {0};
    bool ok = compose_text(c, &head, "back_cover", &m->title, w, sect, DOC_TAG_P) &&
              (!subject || compose_words(c, &head, "cover_org", subject, w, sect, DOC_TAG_P)) &&
              compose_text(c, &foot, "cover_org", &m->organisation, w, sect, DOC_TAG_P) &&
              (!m->edition.text || compose_text(c, &foot, "edition", &m->edition, w, sect, DOC_TAG_P));
    double x = sp->facing ? sp->outer : sp->inner;
    if (ok)
        ok = compose_stack_draw(c, pg, &head, x, sp->height * 0.66) &&
             compose_stack_draw(c, pg, &foot, x, sp->bottom + compose_stack_height(&foot));
    page_blocks_free(&head);
    page_blocks_free(&foot);
    return ok;
}

/* A notes page: the label `notes` as its heading and lines to write on,
 * 8 mm apart, down to the bottom margin. */
static bool notes_page(compose_t *c, const char *title, double w) {
    const spec_page_t *sp = &c->spec->page;
    doc_page_t *pg = doc_add_page(c->doc, sp->width, sp->height, sp->bleed, sp->crop_marks);
    if (!pg) return false;
    size_t page = c->doc->page_count - 1, sect = compose_node(c, 1, DOC_TAG_SECT);
    page_blocks_t head = {0};
    bool ok = compose_words(c, &head, "chapter", title, w, sect, DOC_TAG_H1) &&
              compose_stack_draw(c, &c->doc->pages[page], &head, sp->inner, sp->height - sp->top);
    bool right_hand = page % 2 == 0;
    double x0 = sp->facing && !right_hand ? sp->outer : sp->inner, step = 8 * 72 / 25.4;
    colour_t rule = compose_colour(c, "rule", colour_black());
    for (double y = sp->height - sp->top - compose_stack_height(&head) - step; ok && y >= sp->bottom; y -= step)
        ok = compose_rule(c, &c->doc->pages[page], x0, x0 + w, y, 0.5, rule);
    page_blocks_free(&head);
    return ok;
}

/* The pages after the body: notes (or blank) pages up to the page multiple,
 * then the back cover. False after reporting. */
static bool end_matter(compose_t *c, const hb_opts_t *o, double w) {
    const spec_page_t *sp = &c->spec->page;
    size_t n = c->doc->page_count, back = o->back_cover ? 1 : 0, pad = 0;
    while ((n + pad + back) % (size_t)o->page_multiple != 0 || (back && sp->facing && (n + pad + back) % 2 != 0))
        pad++;
    const char *notes = spec_label(c->spec, "notes");
    bool ok = true;
    for (size_t i = 0; ok && i < pad; i++)
        ok = notes ? notes_page(c, notes, w)
                   : doc_add_page(c->doc, sp->width, sp->height, sp->bleed, sp->crop_marks) != NULL;
    return ok && (!back || back_cover(c, o, w));
}

/* ---- the whole ----------------------------------------------------------- */

static bool add_blank_page(compose_t *c) {
    const spec_page_t *sp = &c->spec->page;
    return doc_add_page(c->doc, sp->width, sp->height, sp->bleed, sp->crop_marks) != NULL;
}

static bool build(compose_t *c, const kind_job_t *job, const void *opts) {
    const hb_opts_t *o = opts;
    const spec_t *s = c->spec;
    const model_t *m = c->model;
    page_frame_spec_t frame = compose_frame(c);
    double w = page_column_width(&frame);
    doc_t *doc = c->doc;
    /* Subject: the layout's words for it, else the data's subtitle. */
    compose_meta(c, m->title.text, spec_label(s, "subject") ? spec_label(s, "subject") : m->subtitle.text);

    /* The structure is in reading order: cover and contents come first,
     * though they are set after the body. */
    size_t cover_sect = o->cover ? compose_node(c, 1, DOC_TAG_SECT) : 0;
    size_t toc_sect = o->contents ? compose_node(c, 1, DOC_TAG_SECT) : 0;
    body_t body = {0};
    doc_t *bdoc = doc_new();
    bool ok = bdoc && build_body(c, job, o, w, &body) &&
              page_flow(&frame, &body.blocks, bdoc, c->to.d, diag_file(s->path));

    /* Front matter into the main doc. */
    if (ok && o->cover) ok = cover(c, o, w, cover_sect) && (!s->page.facing || add_blank_page(c));
    page_blocks_t toc = {0};
    if (ok && o->contents) {
        ok = compose_words(c, &toc, "contents_title", spec_label(s, "contents"), w, toc_sect, DOC_TAG_H1) != NULL;
        size_t toc_node = compose_node(c, toc_sect, DOC_TAG_TOC);
        for (size_t i = 0; ok && i < body.count; i++) {
            if (!body.chapters[i].title[0]) continue;
            const page_block_t *cb = &body.blocks.v[body.chapters[i].block];
            ok = toc_entry(c, &toc, body.chapters[i].title, (int)cb->placed_page + 1, w, toc_node) != NULL;
        }
        if (ok) {
            page_frame_spec_t f = frame;
            f.first_page_number = doc->page_count + 1;
            ok = page_flow(&f, &toc, doc, c->to.d, diag_file(s->path));
        }
    }
    /* The body starts on a right-hand page. */
    if (ok && s->page.facing && doc->page_count % 2 == 1) ok = add_blank_page(c);
    size_t front = doc->page_count;
    if (ok) ok = doc_append(doc, bdoc);
    /* Contents links, now that the body's pages have their final indices. */
    for (size_t i = 0, e = 0; ok && o->contents && i < body.count; i++) {
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
    size_t body_end = doc->page_count;
    if (ok) ok = end_matter(c, o, w);
    /* Page furniture and labels; a blank page stays blank, and the back
     * cover has none. */
    size_t last = doc->page_count - (o->back_cover ? 1 : 0);
    for (size_t p = 0; ok && p < last; p++) {
        bool right_hand = (p + 1) % 2 == 1;
        if (doc->pages[p].count == 0) continue;
        if (p < front) {
            if (o->cover && p < (s->page.facing ? 2u : 1u)) continue;
            ok = furniture(c, p, (int)p + 1, NULL, right_hand, o, 'r');
            continue;
        }
        size_t bp = p - front;
        if (p >= body_end) {
            ok = furniture(c, p, (int)bp + 1, NULL, right_hand, o, 'D');
            continue;
        }
        const char *head = NULL;
        bool opening = false;
        for (size_t k = 0; k < body.count; k++) {
            size_t cp = body.blocks.v[body.chapters[k].block].placed_page;
            if (cp <= bp) head = body.chapters[k].title;
            if (cp == bp) opening = true;
        }
        ok = furniture(c, p, (int)bp + 1, opening ? NULL : head, right_hand, o, 'D');
    }
    if (ok && front > 0) ok = doc_add_label_range(doc, 0, 'r', 1, NULL);
    if (ok) ok = doc_add_label_range(doc, front, 'D', 1, NULL);
    page_blocks_free(&toc);
    page_blocks_free(&body.blocks);
    free(body.chapters);
    doc_drop(bdoc);
    return ok;
}

const kind_def_t handbook_kind = {
    "handbook", "the official handbook: cover, contents, foreword and a chapter per profile",
    &hb_schema, hb_styles, hb_labels, 0, check, build, NULL,
};
