/* kinds/card: role cards. Each profile's card holds its title, the group's
 * shared task (when the layout includes it), the chosen sections and the
 * pitfalls, copy-fitted: set as large as fits between the layout's limits
 * on one side of a sheet, or on both (`sides: 2`: the text runs on from
 * the front to the back, each side under the card's header), with balanced
 * columns. A card set can share one size; the room that leaves on the
 * shorter cards can be spread between their parts and bullets (`fill`).
 * Nothing is ever clipped: a profile that does not fit at the minimum size
 * fails the run, naming it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kinds/kinds.h"

typedef struct card_opts {
    kind_common_t common;
    opt_texts_t sections;
    opt_colours_t accents;
    const spec_colour_t *section_colour;
    opt_sizes_t fit;
    bool uniform, fill;
    int sides;
} card_opts_t;

static const opt_key_t card_keys[] = {
    KIND_PROFILES_KEY(card_opts_t),
    OPT_PLAIN(card_opts_t, sections, OPT_PARTS,
              "the parts of a card, in this order: `group` (the shared task), dimension keys, `pitfalls` (default: all)"),
    OPT_PLAIN(card_opts_t, accents, OPT_COLOURS, "colours, one per profile in the data's order, cycled (default: the colour `accent`)"),
    OPT_PLAIN(card_opts_t, section_colour, OPT_COLOUR,
              "the colour of the section headings (default: the profile's accent; for print, small type wants one "
              "plate)"),
    OPT_PLAIN(card_opts_t, fit, OPT_SIZES, "the sizes the `bullet` style may take when copy-fitting (default: its own size)"),
    OPT_FLAG(card_opts_t, uniform, "true", "one size for the whole set: the largest at which every card fits"),
    OPT_WHOLE(card_opts_t, sides, "1", 1, 2,
              "the sides of a card's sheet it fills: 2 for front and back (the text runs on from the front to the "
              "back, each side under the card's header; print double-sided)"),
    OPT_FLAG(card_opts_t, fill, "false",
             "spread a card's room to spare (a set in one size leaves some) between its parts and bullets, each "
             "space at most tripled"),
};

static const opt_schema_t card_schema = OPT_SCHEMA("card", card_opts_t, card_keys);
static const char *const card_styles[] = {"card_title", "kicker", "section", "bullet", NULL};
static const char *const card_labels[] = {"bullet", NULL};

/* ---- one card ------------------------------------------------------------- */

typedef struct card {
    page_blocks_t header; /* kicker and title, across the columns */
    page_blocks_t body;   /* the parts, in the columns */
    double header_h;      /* with the title's space after */
} card_t;

static void card_free(card_t *k) {
    page_blocks_free(&k->header);
    page_blocks_free(&k->body);
}

/* Sets the card of p at c's scale. */
static bool compose_card(compose_t *c, const model_profile_t *p, const card_opts_t *o, card_t *k) {
    memset(k, 0, sizeof *k);
    page_frame_spec_t f = compose_frame(c);
    double width = f.width - f.inner - f.outer, colw = page_column_width(&f);
    colour_t accent = compose_accent(c, &o->accents, p);
    size_t card = compose_node(c, 1, DOC_TAG_SECT);
    if (p->group.present && p->group.name.text &&
        !compose_text(c, &k->header, "kicker", &p->group.name, width, card, DOC_TAG_P))
        return false;
    page_block_t *title = compose_text(c, &k->header, "card_title", &p->title, width, card, DOC_TAG_H1);
    if (!title) return false;
    title->para.colour = accent;
    k->header_h = compose_stack_height(&k->header) + title->space_after;
    compose_parts_t parts;
    if (!compose_parts(c->model, p, &o->sections, false, &parts)) return false;
    bool ok = true;
    for (size_t i = 0; ok && i < parts.count; i++) {
        size_t sect = compose_node(c, card, DOC_TAG_SECT);
        page_block_t *h = compose_text(c, &k->body, "section", parts.v[i].heading, colw, sect, DOC_TAG_H2);
        if (h) h->para.colour = o->section_colour ? o->section_colour->colour : accent; /* before more blocks move it */
        ok = h && compose_bullets(c, &k->body, "bullet", parts.v[i].bullets, colw, sect);
    }
    compose_parts_free(&parts);
    return ok;
}

/* The frame below the header. */
static page_frame_spec_t body_frame(const compose_t *c, double header_h) {
    page_frame_spec_t f = compose_frame(c);
    f.top += header_h + c->spec->page.gutter;
    return f;
}

typedef struct card_trial {
    const model_profile_t *p;
    const card_opts_t *o;
} card_trial_t;

/* A trial of copy-fitting: the room is the body frame's columns on the
 * card's sides; what does not fit on the first page, less what the other
 * sides hold, is what the card needs beyond it. */
static bool trial(compose_t *c, void *user, double *need, double *room) {
    const card_trial_t *tr = user;
    card_t k;
    bool ok = compose_card(c, tr->p, tr->o, &k);
    if (ok) {
        page_frame_spec_t f = body_frame(c, k.header_h);
        double column = f.height - f.top - f.bottom, side = column * f.columns;
        size_t sides = (size_t)tr->o->sides;
        *room = column > 0 ? side * (double)sides : 0;
        page_fit_t fit = {0, 0};
        bool fits = column > 0 && page_measure(&f, &k.body, &fit) && fit.pages <= sides;
        double beyond = fit.overflow - side * (double)(sides - 1);
        *need = fits ? *room : *room + (beyond > 0 ? beyond : f.height);
    }
    card_free(&k);
    return ok;
}

/* The card's header on a page of it: the kicker and the title over an
 * accent band. On the back it repeats the front's, as page furniture. */
static bool draw_header(compose_t *c, const model_profile_t *p, const card_opts_t *o, card_t *k, doc_page_t *pg,
                        bool back) {
    const spec_page_t *sp = &c->spec->page;
    double top = sp->height - sp->top, f = c->to.scale;
    page_blocks_t shown = k->header;
    page_block_t *copy = NULL;
    if (back) {
        copy = malloc((k->header.count + 1) * sizeof *copy);
        if (!copy) return false;
        for (size_t i = 0; i < k->header.count; i++) {
            copy[i] = k->header.v[i];
            copy[i].node = copy[i].label_node = 0;
        }
        shown.v = copy;
    }
    bool ok = compose_rect(c, pg, sp->inner, top - k->header_h - sp->gutter / 2 - 1.5 * f,
                           sp->width - sp->inner - sp->outer, 3 * f, compose_accent(c, &o->accents, p));
    size_t first = pg->count;
    ok = ok && compose_stack_draw(c, pg, &shown, sp->inner, top);
    /* The back's header is a running head: screen readers skip it. */
    if (ok && back) compose_artifacts(pg, first, DOC_ARTIFACT_HEADER);
    free(copy);
    return ok;
}

/* Composes the card of p at scale `f` into the document, for good. */
static bool draw_card(compose_t *doc_c, const model_profile_t *p, const card_opts_t *o, double f) {
    compose_t c = compose_at(doc_c, f);
    const spec_page_t *sp = &c.spec->page;
    card_t k;
    if (!compose_card(&c, p, o, &k)) {
        card_free(&k);
        return false;
    }
    page_frame_spec_t body = body_frame(&c, k.header_h);
    size_t sides = (size_t)o->sides;
    if (o->fill) page_open_spaces(&body, &k.body, sides, 3.0);
    body.bottom = body.height - body.top - page_balance(&body, &k.body, sides);
    size_t first = c.doc->page_count;
    bool ok = page_flow(&body, &k.body, c.doc, c.to.d, p->loc);
    if (ok && c.doc->page_count > first + sides) {
        diag_error(c.to.d, p->loc, "profile '%s' does not fit on one card", p->id);
        ok = false;
    }
    /* Every card has its sides, a back even when the front held it all:
     * the sheets are printed on both sides. */
    while (ok && c.doc->page_count < first + sides)
        ok = doc_add_page(c.doc, sp->width, sp->height, sp->bleed, sp->crop_marks) != NULL;
    for (size_t i = 0; ok && i < sides; i++) ok = draw_header(&c, p, o, &k, &c.doc->pages[first + i], i > 0);
    if (ok) ok = doc_add_outline(c.doc, p->title.text, 0, first, sp->height - sp->top);
    card_free(&k);
    return ok;
}

static bool build(compose_t *c, const kind_job_t *job, const void *opts) {
    const card_opts_t *o = opts;
    const spec_t *s = c->spec;
    compose_meta(c, c->model->title.text, spec_label(s, "subject"));
    double *scale = calloc(job->profile_count + 1, sizeof *scale), uniform = INFINITY;
    bool ok = scale != NULL;
    for (size_t i = 0; ok && i < job->profile_count; i++) {
        const model_profile_t *p = job->profiles[i];
        card_trial_t tr = {p, o};
        compose_fit_t fit;
        ok = compose_fit(c, "bullet", o->fit, trial, &tr, &fit);
        if (ok && fit.scale == 0) {
            const spec_style_t *bullet = spec_find_style(s, "bullet");
            double min = o->fit.min > 0 ? o->fit.min : bullet->size, lo = min / bullet->size;
            diag_error(c->to.d, p->loc,
                       "profile '%s' (%s) does not fit on one %.0f × %.0f mm card of %s even at the minimum size "
                       "%.1fpt: %.0fpt of text (about %.0f lines) did not fit",
                       p->id, p->title.text, s->page.width * 25.4 / 72, s->page.height * 25.4 / 72, s->path, min,
                       fit.need - fit.room, ceil((fit.need - fit.room) / (bullet->leading * lo)));
            ok = false;
        }
        if (ok) scale[i] = fit.scale;
        if (ok && fit.scale < uniform) uniform = fit.scale;
    }
    for (size_t i = 0; ok && i < job->profile_count; i++)
        ok = draw_card(c, job->profiles[i], o, o->uniform ? uniform : scale[i]);
    free(scale);
    return ok;
}

const kind_def_t card_kind = {
    "card", "one-page role cards, copy-fitted, a card per profile", &card_schema, card_styles, card_labels, 0, NULL,
    build, NULL,
};
