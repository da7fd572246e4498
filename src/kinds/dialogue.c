/* kinds/dialogue: dialogue cards for card-sorting exercises. Every bullet of
 * the chosen profiles and parts becomes a card of two pages: its front with
 * the statement as large as fits (between the layout's limits) under a small
 * marker of its profile and part in the profile's accent, and its back with
 * the profile and part (or only the organisation, for sorting blind) and a
 * card number to put a deck back in order. The pages are fronts and backs
 * in turn, as a print shop's duplex card file is; the layout's `sheet:` with
 * `duplex` imposes them so that each back lies behind its front. A statement
 * that does not fit at the smallest size fails the run, naming it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kinds/kinds.h"

typedef struct dialogue_opts {
    kind_common_t common;
    opt_texts_t sections;
    opt_colours_t accents;
    opt_sizes_t fit;
    int back;           /* 0: profile and part; 1: the organisation only (sorting blind) */
    const char *number; /* template: {n} the card's number, {total} the deck's size */
} dialogue_opts_t;

static const char *const backs[] = {"profile", "organisation", NULL};

static const opt_key_t dialogue_keys[] = {
    KIND_PROFILES_KEY(dialogue_opts_t),
    OPT_PLAIN(dialogue_opts_t, sections, OPT_PARTS,
              "the parts whose bullets become cards, in this order: `group`, dimension keys, `pitfalls` (default: "
              "all; `--dimensions` chooses instead)"),
    OPT_PLAIN(dialogue_opts_t, accents, OPT_COLOURS,
              "colours, one per profile in the data's order, cycled (default: the colour `accent`)"),
    OPT_PLAIN(dialogue_opts_t, fit, OPT_SIZES,
              "the sizes a card's `statement` may take: each card's as large as fits (default: its own size)"),
    OPT_ONE_OF(dialogue_opts_t, back, backs, "profile",
               "what the back says: the card's `profile` and part, or only the `organisation` (to sort blind)"),
    {"number", OPT_TEXT, offsetof(dialogue_opts_t, number), "D-{n}", 0, 0, NULL, NULL, false,
     "the card number on the back: `{n}` the card's place in the deck, `{total}` the deck's size"},
};

static const opt_schema_t dialogue_schema = OPT_SCHEMA("dialogue", dialogue_opts_t, dialogue_keys);
static const char *const dialogue_styles[] = {"statement", "marker", "back_title", "back_part", "card_number", NULL};

/* ---- the deck -------------------------------------------------------------- */

typedef struct card {
    const model_profile_t *profile;
    const model_text_t *part;   /* its heading: the marker and the back */
    const model_text_t *bullet; /* the statement */
} card_t;

typedef struct deck {
    card_t *v;
    size_t count, cap;
} deck_t;

static bool deck_add(deck_t *d, card_t c) {
    if (!mem_grow((void **)&d->v, &d->cap, d->count + 1, sizeof *d->v)) return false;
    d->v[d->count++] = c;
    return true;
}

/* The parts the job chooses: --dimensions (with group and pitfalls), else
 * the layout's `sections`, else all. */
static bool parts_of(const kind_job_t *job, const dialogue_opts_t *o, const model_profile_t *p, compose_parts_t *out) {
    if (!job->dimensions_from_cli) return compose_parts(job->model, p, &o->sections, false, out);
    out->count = 0;
    out->v = calloc(job->dimension_count + 3, sizeof *out->v);
    if (!out->v) return false;
    if (job->row_group && compose_part(p, "group", &out->v[out->count])) out->count++;
    for (size_t i = 0; i < job->dimension_count; i++)
        if (compose_part(p, job->dimensions[i]->key, &out->v[out->count])) out->count++;
    if (job->row_pitfalls && compose_part(p, "pitfalls", &out->v[out->count])) out->count++;
    return true;
}

static bool build_deck(const kind_job_t *job, const dialogue_opts_t *o, deck_t *deck) {
    for (size_t i = 0; i < job->profile_count; i++) {
        compose_parts_t parts;
        if (!parts_of(job, o, job->profiles[i], &parts)) return false;
        bool ok = true;
        for (size_t k = 0; ok && k < parts.count; k++)
            for (size_t b = 0; ok && b < parts.v[k].bullets->count; b++)
                ok = deck_add(deck, (card_t){job->profiles[i], parts.v[k].heading, &parts.v[k].bullets->items[b]});
        compose_parts_free(&parts);
        if (!ok) return false;
    }
    return true;
}

/* ---- a card ---------------------------------------------------------------- */

/* The text area of a card: the page within its margins. */
typedef struct area {
    double x, top, width, height;
} area_t;

static area_t card_area(const spec_t *s) {
    area_t a = {s->page.inner, s->page.height - s->page.top, s->page.width - s->page.inner - s->page.outer,
                s->page.height - s->page.top - s->page.bottom};
    return a;
}

/* The marker over the statement: "Profile · Part", in the accent. */
static page_block_t *marker(compose_t *c, page_blocks_t *b, const card_t *k, double width, size_t parent) {
    char text[512];
    snprintf(text, sizeof text, "%s · %s", k->profile->title.text, k->part->text);
    model_text_t t = {text, k->bullet->loc};
    return compose_text(c, b, "marker", &t, width, parent, DOC_TAG_P);
}

/* A marker set to the right (layouts/dialogue-*.yaml) starts its measure,
 * and the statement ends its, the marker's size in from the text area's
 * edges. The two then share no edge and no middle, by more than text
 * extraction's tolerance (0.7 of the smaller size): `pdftotext` does not
 * take the markers and statements of cards side by side on a sheet for a
 * table, which it would read across the cards, and reads a sheet a column
 * of cards at a time (`order: columns` places them so). Aligned otherwise,
 * the marker shares the statement's edge anyway: no set-in. */
static double set_in(const spec_t *s) {
    const spec_style_t *m = spec_find_style(s, "marker");
    return m && m->align == SPEC_ALIGN_RIGHT ? m->size : 0;
}

static bool check(const spec_t *s, const void *opts, diag_t *d) {
    (void)opts;
    double in = set_in(s), w = card_area(s).width;
    if (in <= 0 || in < w / 2) return true;
    diag_error(d, spec_find_style(s, "marker")->loc,
               "the marker's size (%.1fpt) is too large for the card: set to the right, the marker and the "
               "statement are set in by it from the text area's edges, which leaves %.0f of %.0f mm; make the "
               "marker smaller than half the text area's width",
               in, (w - in) * 25.4 / 72, w * 25.4 / 72);
    return false;
}

typedef struct trial_ctx {
    const card_t *card;
    double measure, room; /* the statement's, below the marker */
} trial_ctx_t;

/* Whether a set statement ends with the last piece of a word alone on its
 * line: at a size where the last word is wider than the card, it must
 * break; a smaller size is better. */
static bool stranded(const para_t *p) {
    if (p->count < 2 || !p->lines[p->count - 2].hyphenated) return false;
    const para_line_t *last = &p->lines[p->count - 1];
    for (size_t r = 1; r < last->count; r++)
        if (last->runs[r].x > last->runs[r - 1].x + last->runs[r - 1].width + 1e-6) return false;
    return true;
}

static bool trial(compose_t *c, void *user, double *need, double *room) {
    const trial_ctx_t *tc = user;
    page_blocks_t b = {0};
    page_block_t *s = compose_text(c, &b, "statement", tc->card->bullet, tc->measure, 0, DOC_TAG_P);
    *room = tc->room;
    *need = !s ? 0 : stranded(&s->para) ? tc->room + 1 : compose_stack_height(&b);
    page_blocks_free(&b);
    return s != NULL;
}

/* Expands the number template. */
static void card_number(const char *tpl, size_t n, size_t total, char *out, size_t cap) {
    size_t o = 0;
    for (const char *p = tpl; *p && o + 1 < cap;) {
        int w = 0;
        if (strncmp(p, "{n}", 3) == 0) {
            w = snprintf(out + o, cap - o, "%zu", n);
            p += 3;
        } else if (strncmp(p, "{total}", 7) == 0) {
            w = snprintf(out + o, cap - o, "%zu", total);
            p += 7;
        } else {
            out[o] = *p++;
            w = 1;
        }
        if (w < 0 || (size_t)w >= cap - o) break;
        o += (size_t)w;
    }
    out[o < cap ? o : cap - 1] = '\0';
}

static bool front(compose_t *c, const dialogue_opts_t *o, const card_t *k, size_t sect, colour_t accent) {
    const spec_t *s = c->spec;
    area_t a = card_area(s);
    doc_page_t *pg = doc_add_page(c->doc, s->page.width, s->page.height, s->page.bleed, s->page.crop_marks);
    if (!pg) return false;
    /* An accent band across the top edge, into the bleed. */
    double band = s->page.top / 3;
    bool ok = compose_rect(c, pg, -s->page.bleed, s->page.height - band, s->page.width + 2 * s->page.bleed,
                           band + s->page.bleed, accent);
    page_blocks_t head = {0}, body = {0};
    double in = set_in(s);
    page_block_t *m = ok ? marker(c, &head, k, a.width - in, sect) : NULL;
    ok = m != NULL;
    if (ok) {
        m->para.colour = accent;
        double head_h = compose_stack_height(&head) + m->space_after;
        trial_ctx_t tc = {k, a.width - in, a.height - head_h};
        compose_fit_t fit;
        ok = compose_fit(c, "statement", o->fit, trial, &tc, &fit);
        if (ok && fit.scale == 0) {
            const spec_style_t *st = spec_find_style(s, "statement");
            diag_error(c->to.d, k->bullet->loc,
                       "the statement \"%.60s%s\" (%s, %s) does not fit on a %.0f × %.0f mm card even at %.1fpt: it "
                       "needs %.0f mm, the card has %.0f mm",
                       k->bullet->text, strlen(k->bullet->text) > 60 ? "…" : "", k->profile->id, k->part->text,
                       s->page.width * 25.4 / 72, s->page.height * 25.4 / 72,
                       o->fit.min > 0 ? o->fit.min : st->size, fit.need * 25.4 / 72, fit.room * 25.4 / 72);
            ok = false;
        }
        if (ok) {
            compose_t at = compose_at(c, fit.scale);
            ok = compose_text(&at, &body, "statement", k->bullet, tc.measure, sect, DOC_TAG_P) &&
                 compose_stack_draw(c, pg, &head, a.x + in, a.top) &&
                 compose_stack_draw(c, pg, &body, a.x, a.top - head_h);
        }
    }
    page_blocks_free(&head);
    page_blocks_free(&body);
    return ok;
}

static bool back(compose_t *c, const dialogue_opts_t *o, const card_t *k, colour_t accent,
                 size_t number, size_t total) {
    const spec_t *s = c->spec;
    area_t a = card_area(s);
    doc_page_t *pg = doc_add_page(c->doc, s->page.width, s->page.height, s->page.bleed, s->page.crop_marks);
    if (!pg) return false;
    /* The back in the accent, to the edge: a deck sorts by colour at a
     * glance; sorting blind, all backs are alike. */
    colour_t ground = o->back == 0 ? accent : compose_colour(c, "back", accent);
    bool ok = compose_rect(c, pg, -s->page.bleed, -s->page.bleed, s->page.width + 2 * s->page.bleed,
                           s->page.height + 2 * s->page.bleed, ground);
    page_blocks_t b = {0}, foot = {0};
    if (ok && o->back == 0)
        ok = compose_text(c, &b, "back_title", &k->profile->title, a.width, 0, DOC_TAG_P) &&
             compose_text(c, &b, "back_part", k->part, a.width, 0, DOC_TAG_P);
    else if (ok)
        ok = compose_text(c, &b, "back_title", &c->model->organisation, a.width, 0, DOC_TAG_P);
    char num[128];
    card_number(o->number, number, total, num, sizeof num);
    /* The number is the deck's folio: it puts the cards back in order, as a
     * page number does a book's pages. */
    ok = ok && compose_words(c, &foot, "card_number", num, a.width, 0, DOC_TAG_P);
    size_t folio = pg->count;
    if (ok) {
        double h = compose_stack_height(&b);
        ok = compose_stack_draw(c, pg, &b, a.x, s->page.height / 2 + h / 2);
        folio = pg->count;
        ok = ok && compose_stack_draw(c, pg, &foot, a.x, s->page.bottom + compose_stack_height(&foot));
    }
    /* The ground and the repeated marker are design, not pagination. */
    compose_artifacts(pg, 0, DOC_ARTIFACT_LAYOUT);
    compose_artifacts(pg, folio, DOC_ARTIFACT_FOOTER);
    page_blocks_free(&b);
    page_blocks_free(&foot);
    return ok;
}

static bool build(compose_t *c, const kind_job_t *job, const void *opts) {
    const dialogue_opts_t *o = opts;
    compose_meta(c, c->model->title.text, spec_label(c->spec, "subject"));
    deck_t deck = {0};
    bool ok = build_deck(job, o, &deck);
    for (size_t i = 0; ok && i < deck.count; i++) {
        const card_t *k = &deck.v[i];
        colour_t accent = compose_accent(c, &o->accents, k->profile);
        size_t sect = compose_node(c, 1, DOC_TAG_SECT);
        size_t page = c->doc->page_count;
        char title[512];
        snprintf(title, sizeof title, "%zu. %s · %s", i + 1, k->profile->title.text, k->part->text);
        ok = front(c, o, k, sect, accent) && back(c, o, k, accent, i + 1, deck.count) &&
             doc_add_outline(c->doc, title, 0, page, c->spec->page.height);
    }
    free(deck.v);
    return ok;
}

const kind_def_t dialogue_kind = {
    "dialogue", "dialogue cards: a statement per card, front and back, for card sorting",
    &dialogue_schema, dialogue_styles, NULL, KIND_ROWS, check, build, NULL,
};
