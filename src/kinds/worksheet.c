/* kinds/worksheet: reflection worksheets. For a profile: a header (the
 * worksheet's title, the role, and fields such as name, seminar and date),
 * then for every section of the role its items, each with a self-rating
 * scale and ruled lines to write on, then open reflection prompts with room
 * to write. Blank, one per profile, or personalised from a roster, one per
 * participant. The body of a profile's worksheet, with the header's title,
 * role, field labels and rules, is set once and shared by every participant
 * with that profile (the pages' underlay); only the header's values and the
 * footer are set per participant, and the footer's page numbers once per
 * profile. An item never leaves its scale behind at a page break.
 * Fillable (`form: true`), the scales are radio buttons, the writing lines
 * multi-line text fields and the header's fields text fields, named
 * "<profile>.<part>.<n>.rating", "<profile>.<part>.<n>.notes",
 * "<profile>.reflection.<n>" and "<profile>.<field>"; `grundlag collect`
 * reads them back by these names. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kinds/kinds.h"

typedef struct ws_field {
    const char *label;
    const char *value; /* template with {column} placeholders */
    double width;      /* 0 = share of the rest */
} ws_field_t;

typedef struct ws_scale {
    int steps;
    const char *low, *high;
} ws_scale_t;

typedef struct ws_opts {
    kind_common_t common;
    opt_texts_t sections;
    opt_maps_t fields; /* ws_field_t */
    ws_scale_t scale;
    int lines_per_item, lines_per_prompt;
    double line_spacing;
    opt_texts_t prompts;
    opt_colours_t accents;
    const char *footer; /* template */
    int scale_position; /* 0 below the item, 1 beside its first line */
    bool form;          /* fillable: form fields over the scales, lines and header */
} ws_opts_t;

static const opt_key_t field_keys[] = {
    OPT_NEEDED(ws_field_t, label, "the field's name, over its line"),
    OPT_NEEDED(ws_field_t, value, "what a personalised sheet writes on the line: text with `{column}`s of the roster and `{role}`"),
    OPT_LEN(ws_field_t, width, NULL, 1, "the field's width (default: a share of what the others leave)"),
};
static const opt_schema_t field_schema = OPT_SCHEMA("field", ws_field_t, field_keys);

static const opt_key_t scale_keys[] = {
    OPT_WHOLE(ws_scale_t, steps, "5", 2, 11, "boxes on the rating scale"),
    OPT_WORDS(ws_scale_t, low, "the word before the first box"),
    OPT_WORDS(ws_scale_t, high, "the word after the last box"),
};
static const opt_schema_t scale_schema = OPT_SCHEMA("scale", ws_scale_t, scale_keys);
static const char *const scale_positions[] = {"below", "beside", NULL};

static const opt_key_t ws_keys[] = {
    KIND_PROFILES_KEY(ws_opts_t),
    OPT_PLAIN(ws_opts_t, sections, OPT_PARTS, "the parts to reflect on, in this order (default: the sections and the pitfalls)"),
    OPT_BLOCK(ws_opts_t, fields, OPT_MAPS, &field_schema, "the header's fields in a row (name, seminar, date, ...)"),
    OPT_BLOCK(ws_opts_t, scale, OPT_MAP, &scale_schema, "the rating scale under every item"),
    OPT_WHOLE(ws_opts_t, lines_per_item, "2", 0, 20, "writing lines under every item"),
    OPT_LEN(ws_opts_t, line_spacing, "8mm", 9, "the distance between writing lines"),
    OPT_PLAIN(ws_opts_t, prompts, OPT_TEXTS, "open reflection questions after the items, under the label `reflection`"),
    OPT_WHOLE(ws_opts_t, lines_per_prompt, "6", 0, 40, "writing lines under every prompt"),
    OPT_PLAIN(ws_opts_t, accents, OPT_COLOURS, "colours, one per profile in the data's order, cycled (default: the colour `accent`)"),
    OPT_WORDS(ws_opts_t, footer,
              "the footer's left side: text with `{column}`s and `{role}` (default: the role); the page number is on the right"),
    OPT_ONE_OF(ws_opts_t, scale_position, scale_positions, "below",
               "where an item's rating scale is: `below` its text, or `beside` its first line, at the right (the "
               "text's measure shorter, a line of height saved per item)"),
    OPT_FLAG(ws_opts_t, form, "false",
             "fillable on a screen: each rating scale a group of radio buttons, the writing lines multi-line text "
             "fields, the header's fields text fields (a value the page shows: text, kept in a hidden field); "
             "`grundlag collect` gathers the answers"),
};

static const opt_schema_t ws_schema = OPT_SCHEMA("worksheet", ws_opts_t, ws_keys);
static const char *const ws_styles[] = {"title", "role", "field_label", "field_value", "section", "item",
                                        "scale", "prompt", "footer", NULL};
static const char *const ws_labels[] = {"title", "reflection", "bullet", NULL};

static const ws_field_t *field(const ws_opts_t *o, size_t i) { return &((const ws_field_t *)o->fields.v)[i]; }

/* ---- templates ------------------------------------------------------------ */

/* Expands {column} placeholders from a roster row; without a row they are
 * empty. Unknown columns are reported (at the layout) by the caller's check. */
static char *expand(const char *tpl, const roster_t *r, const roster_row_t *row, const model_profile_t *p) {
    size_t cap = strlen(tpl) + 64, n = 0;
    char *out = malloc(cap);
    if (!out) return NULL;
    for (const char *c = tpl; *c;) {
        const char *val = NULL;
        size_t skip = 1;
        if (*c == '{') {
            const char *e = strchr(c, '}');
            if (e) {
                char key[64];
                size_t kl = (size_t)(e - c - 1);
                if (kl < sizeof key) {
                    memcpy(key, c + 1, kl);
                    key[kl] = '\0';
                    if (strcmp(key, "role") == 0) val = p->title.text;
                    else val = r && row ? roster_value(r, row, key) : "";
                    if (!val) val = "";
                    skip = kl + 2;
                }
            }
        }
        const char *add = val ? val : c;
        size_t al = val ? strlen(val) : 1;
        if (n + al + 1 > cap) {
            cap = (n + al + 1) * 2;
            char *nb = realloc(out, cap);
            if (!nb) { free(out); return NULL; }
            out = nb;
        }
        memcpy(out + n, add, al);
        n += al;
        c += skip;
    }
    out[n] = '\0';
    /* An empty field leaves its separators behind ("  ·  Direktør"):
     * trim spaces and separator marks at both ends. */
    static const char *const seps[] = {" ", "\t", "\xC2\xB7", "-", "\xE2\x80\x93", "|", ",", "/", NULL};
    bool cut = true;
    while (cut) {
        cut = false;
        for (int i = 0; seps[i]; i++) {
            size_t sl = strlen(seps[i]);
            if (n >= sl && strncmp(out, seps[i], sl) == 0) { memmove(out, out + sl, n - sl + 1); n -= sl; cut = true; }
            if (n >= sl && strncmp(out + n - sl, seps[i], sl) == 0) { n -= sl; out[n] = '\0'; cut = true; }
        }
    }
    return out;
}

/* A {column} the roster lacks leaves its field blank, to be filled in by
 * hand: say so once. */
static void check_columns(const ws_opts_t *o, const roster_t *r, diag_t *d) {
    for (size_t i = 0; i <= o->fields.count; i++) {
        const char *tpl = i < o->fields.count ? field(o, i)->value : o->footer;
        diag_loc_t loc = i < o->fields.count ? o->fields.where[i] : diag_nowhere();
        for (const char *c = tpl ? strchr(tpl, '{') : NULL; c; c = strchr(c + 1, '{')) {
            const char *e = strchr(c, '}');
            if (!e) break;
            char key[64];
            size_t kl = (size_t)(e - c - 1);
            if (kl >= sizeof key) continue;
            memcpy(key, c + 1, kl);
            key[kl] = '\0';
            if (strcmp(key, "role") == 0 || roster_column(r, key) >= 0) continue;
            diag_warning(d, loc, "the layout uses {%s}, but %s has no column '%s'; the field is left blank", key,
                         r->path, key);
        }
    }
}

/* ---- drawings --------------------------------------------------------------- */

typedef struct scale_data {
    int steps;
    para_line_t *low, *high, **numbers;
    colour_t text, rule;
    double box;     /* side of a square */
    double baseline;/* of the labels, from the top */
    double width;   /* from the low word to the end of the high word */
    double dx, dy;  /* beside an item: from the item's top left to the scale's */
} scale_data_t;

/* A drawing with form fields over it: an item's scale with a radio button
 * on each box, writing lines with a text field on them. The drawing is
 * then page furniture: the fields are what is read (their tooltips say
 * what the drawing shows). */
typedef struct ws_fields {
    const void *drawing;      /* scale_data_t, lines_data_t */
    const doc_field_t *field; /* the scale's buttons (one per box), or the lines' text field */
    const size_t *nodes;      /* each field's Form element */
} ws_fields_t;

/* A drawing block's data (always a ws_fields_t), its fields (NULL on
 * paper) and the element its own drawing goes into. */
static const void *drawing_of(const page_block_t *b, const ws_fields_t **fields, size_t *node) {
    const ws_fields_t *f = b->box_data;
    *fields = f->field ? f : NULL;
    *node = f->field ? 0 : b->node;
    return f->drawing;
}

/* A field's widget over (x, y, w, h) of the page, in element `node`. */
static doc_item_t *add_field(doc_t *doc, doc_page_t *pg, const doc_field_t *f, double x, double y, double w,
                             double h, size_t node) {
    doc_item_t *it = doc_add_shape(doc, pg, DOC_FIELD, x, y, w, h, colour_black(), 0, node);
    if (it) it->field = f;
    return it;
}

static bool draw_scale(const page_block_t *b, doc_t *doc, doc_page_t *pg, double x, double top, double width) {
    const ws_fields_t *wf;
    size_t node;
    const scale_data_t *sd = drawing_of(b, &wf, &node);
    size_t first = pg->count;
    (void)width;
    double base = top - sd->baseline;
    double cx = x;
    if (sd->low) {
        if (!page_draw_line(doc, pg, sd->low, sd->text, cx, base, node)) return false;
        cx += sd->low->width + sd->box * 0.6;
    }
    double y0 = base - sd->box * 0.3;
    for (int i = 0; i < sd->steps; i++) {
        double bx = cx + i * sd->box * 1.6;
        if (!doc_add_shape(doc, pg, DOC_FRAME, bx, y0, sd->box, sd->box, sd->rule, 0.6, node)) return false;
        const para_line_t *num = sd->numbers[i];
        if (!page_draw_line(doc, pg, num, sd->text, bx + (sd->box - num->width) / 2, base, node)) return false;
        if (wf && !add_field(doc, pg, &wf->field[i], bx, y0, sd->box, sd->box, wf->nodes[i])) return false;
    }
    cx += sd->steps * sd->box * 1.6 - sd->box * 0.6 + sd->box * 0.6;
    if (sd->high && !page_draw_line(doc, pg, sd->high, sd->text, cx, base, node)) return false;
    /* Fillable: its words repeat what the buttons' tooltips say. */
    if (wf) compose_artifacts(pg, first, DOC_ARTIFACT_LAYOUT);
    return true;
}

/* The scale beside an item's first line: drawn from a block of no height
 * just before the item, so at the item's top. */
static bool draw_scale_beside(const page_block_t *b, doc_t *doc, doc_page_t *pg, double x, double top, double width) {
    const ws_fields_t *wf;
    size_t node;
    const scale_data_t *sd = drawing_of(b, &wf, &node);
    return draw_scale(b, doc, pg, x + sd->dx, top - sd->dy, width);
}

typedef struct lines_data {
    int count;
    double spacing;
    colour_t rule;
} lines_data_t;

static bool draw_lines(const page_block_t *b, doc_t *doc, doc_page_t *pg, double x, double top, double width) {
    const ws_fields_t *wf;
    size_t node;
    const lines_data_t *ld = drawing_of(b, &wf, &node);
    for (int i = 1; i <= ld->count; i++)
        if (!doc_add_shape(doc, pg, DOC_RULE, x, top - i * ld->spacing, width, 0, ld->rule, 0.4, node)) return false;
    /* The text field over the lines, its last line's descenders included. */
    double h = ld->count * ld->spacing + 2;
    return !wf || add_field(doc, pg, wf->field, x, top - h, width, h, wf->nodes[0]) != NULL;
}

/* ---- one profile's body --------------------------------------------------- */

typedef struct ws_ctx {
    const ws_opts_t *o;
    compose_t c;         /* where the body being set goes: its doc, its arena */
    scale_data_t scale;  /* geometry and colours; its lines are set per body */
    scale_data_t *body_scale; /* the scale of the body being set */
    lines_data_t item_lines, prompt_lines;
    double header_h;
    size_t header_sect; /* the body's element for the header's shared parts */
    const model_profile_t *profile; /* whose body is being set */
    /* The drawings as printed, without fields (box_data of their blocks). */
    ws_fields_t paper_scale, paper_item_lines, paper_prompt_lines;
} ws_ctx_t;

/* An element of the body being set, with /Alt when `alt` is given; a
 * drawing without words to describe it stays page furniture (0). */
static size_t body_node(ws_ctx_t *w, size_t parent, doc_tag_t tag, const char *alt, bool needs_alt) {
    if (needs_alt && !alt) return 0;
    size_t n = compose_node(&w->c, parent, tag);
    if (n && alt) w->c.doc->nodes[n].alt = alt;
    return n;
}

/* A box block (a drawing, or room for one) after the blocks so far. */
static page_block_t *box(page_blocks_t *b, double height, page_draw_fn draw, const void *data, size_t node) {
    page_block_t *x = page_blocks_add(b);
    if (!x) return NULL;
    x->kind = PAGE_BLOCK_BOX;
    x->box_height = height;
    x->draw = draw;
    x->box_data = data;
    x->node = node;
    return x;
}

/* "<profile>.<rest>" (rest formatted), a field's name, in the body's arena. */
static const char *field_name(ws_ctx_t *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *field_name(ws_ctx_t *w, const char *fmt, ...) {
    char rest[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rest, sizeof rest, fmt, ap);
    va_end(ap);
    char name[512];
    snprintf(name, sizeof name, "%s.%s", w->profile->id, rest);
    return doc_strdup(w->c.doc, name);
}

/* "what – how": a field's tooltip from the words it is about and what the
 * layout says of the drawing under it (scale_alt, lines_alt), if anything. */
static const char *tooltip(ws_ctx_t *w, const char *what, const char *how) {
    if (!how) return what;
    size_t n = strlen(what) + strlen(how) + 8;
    char *t = arena_alloc(w->c.doc->arena, n);
    if (t) snprintf(t, n, "%s \u2013 %s", what, how);
    return t;
}

/* The fields over an item's scale: a radio button per box, one group
 * named `name`, each button in a Form element under `parent`. NULL when
 * memory ran out. */
static ws_fields_t *scale_fields(ws_ctx_t *w, const char *name, const char *tip, size_t parent) {
    int steps = w->o->scale.steps;
    arena_t *a = w->c.doc->arena;
    ws_fields_t *wf = arena_alloc(a, sizeof *wf);
    doc_field_t *f = arena_alloc(a, (size_t)steps * sizeof *f);
    size_t *nodes = arena_alloc(a, (size_t)steps * sizeof *nodes);
    const para_style_t *is = typeset_style(w->c.t, "item");
    if (!wf || !f || !nodes || !name || !tip) return NULL;
    for (int i = 0; i < steps; i++) {
        char opt[16];
        snprintf(opt, sizeof opt, "%d", i + 1);
        f[i] = (doc_field_t){.kind = DOC_FIELD_RADIO, .name = name, .tooltip = tip, .option = doc_strdup(w->c.doc, opt),
                             .colour = is->colour};
        nodes[i] = body_node(w, parent, DOC_TAG_FORM, NULL, false);
        if (!f[i].option) return NULL;
    }
    *wf = (ws_fields_t){w->body_scale, f, nodes};
    return wf;
}

/* The multi-line text field over writing lines `ld`, named `name`, in a
 * Form element under `parent`; typed text in the `item` style. */
static ws_fields_t *lines_field(ws_ctx_t *w, const lines_data_t *ld, const char *name, const char *tip,
                                size_t parent) {
    arena_t *a = w->c.doc->arena;
    ws_fields_t *wf = arena_alloc(a, sizeof *wf);
    doc_field_t *f = arena_alloc(a, sizeof *f);
    size_t *node = arena_alloc(a, sizeof *node);
    const para_style_t *is = typeset_style(w->c.t, "item");
    if (!wf || !f || !node || !name || !tip) return NULL;
    *f = (doc_field_t){.kind = DOC_FIELD_TEXT, .name = name, .tooltip = tip, .multiline = true, .font = is->faces[0],
                       .size = is->size * w->c.to.scale, .colour = is->colour};
    *node = body_node(w, parent, DOC_TAG_FORM, NULL, false);
    *wf = (ws_fields_t){ld, f, node};
    return wf;
}

/* An item with its scale and lines; `field` ("<part>.<n>") names its
 * fields when the sheet is fillable. */
static bool item(ws_ctx_t *w, page_blocks_t *b, const model_text_t *text, double width, size_t list,
                 const char *field) {
    const spec_t *s = w->c.spec;
    const spec_style_t *is = spec_find_style(s, "item");
    scale_data_t *sd = w->body_scale;
    bool beside = w->o->scale_position == 1;
    /* Beside: the scale first, a block of no height that draws at the
     * item's top, and the item's text short of it. */
    page_block_t *sc = beside ? box(b, 0, draw_scale_beside, &w->paper_scale, 0) : NULL;
    if (beside && !sc) return false;
    size_t sc_at = b->count - 1; /* blocks added after it may move it */
    if (sc) sc->keep_with_next = sc->unbreakable = true;
    double text_w = beside ? width - sd->width - sd->box : width;
    page_block_t *p = typeset_item(w->c.t, &w->c.to, b, "item", spec_label(s, "bullet"), text->text, text->loc, text_w);
    if (!p) return false;
    p->keep_with_next = p->unbreakable = true;
    /* An LI holds only Lbl and LBody: the item's text, its scale and its
     * lines are the body (its text, then Figures). */
    size_t li = body_node(w, list, DOC_TAG_LI, NULL, false);
    p->label_node = body_node(w, li, DOC_TAG_LBL, NULL, false);
    p->node = body_node(w, li, DOC_TAG_LBODY, NULL, false);
    /* On paper the scale and the lines are Figures described by the
     * layout's words; fillable, their fields are Form elements. */
    size_t scale_fig = 0, lines_fig = 0;
    const ws_fields_t *scale_data = &w->paper_scale, *lines_data = &w->paper_item_lines;
    if (field) {
        const char *what = compose_plain(&w->c, text->text, text->loc);
        if (!what) return false;
        scale_data = scale_fields(w, field_name(w, "%s.rating", field), tooltip(w, what, spec_label(s, "scale_alt")),
                                  p->node);
        if (w->o->lines_per_item > 0)
            lines_data = lines_field(w, &w->item_lines, field_name(w, "%s.notes", field),
                                     tooltip(w, what, spec_label(s, "lines_alt")), p->node);
        if (!scale_data || !lines_data) return false;
    } else {
        scale_fig = body_node(w, p->node, DOC_TAG_FIGURE, spec_label(s, "scale_alt"), true);
        lines_fig = body_node(w, p->node, DOC_TAG_FIGURE, spec_label(s, "lines_alt"), true);
    }
    double below = 0; /* how far the scale beside reaches below the text */
    if (beside) {
        b->v[sc_at].node = scale_fig;
        b->v[sc_at].box_data = scale_data;
        sd->dx = width - sd->width;
        /* the scale's words on the item's first baseline */
        sd->dy = -page_baseline(&p->para, 0) - sd->baseline;
        below = sd->dy + sd->box * 1.5 - p->para.count * p->para.leading;
    } else {
        sc = box(b, w->scale.box * 1.5, draw_scale, scale_data, scale_fig);
        if (!sc) return false;
        sc->space_before = w->scale.box * 0.3;
        sc->indent = is->indent;
        sc->keep_with_next = w->o->lines_per_item > 0;
    }
    if (w->o->lines_per_item > 0) {
        page_block_t *ln = box(b, w->item_lines.count * w->item_lines.spacing + 2, draw_lines, lines_data, lines_fig);
        if (!ln) return false;
        ln->indent = is->indent;
        if (below > 0) ln->space_before = below;
    }
    page_block_t *gap = page_blocks_add(b);
    if (!gap) return false;
    gap->kind = PAGE_BLOCK_SPACE;
    gap->space_before = is->space_after;
    return true;
}

/* A section heading in the accent, kept with what follows. */
static page_block_t *heading(ws_ctx_t *w, page_blocks_t *b, const model_text_t *text, const char *words,
                             double width, colour_t accent, size_t sect) {
    page_block_t *h = text ? compose_text(&w->c, b, "section", text, width, sect, DOC_TAG_H2)
                           : compose_words(&w->c, b, "section", words, width, sect, DOC_TAG_H2);
    if (!h) return NULL;
    h->para.colour = accent;
    h->keep_with_next = h->unbreakable = true;
    return h;
}

/* The header's height for p: its title and role as set (a long role runs
 * to more lines), and the row of fields under them. */
static bool header_height(ws_ctx_t *w, const model_profile_t *p, double *h) {
    const spec_t *s = w->c.spec;
    const spec_style_t *fl = spec_find_style(s, "field_label"), *fv = spec_find_style(s, "field_value");
    double width = s->page.width - s->page.inner - s->page.outer;
    page_blocks_t b = {0};
    page_block_t *ti = compose_words(&w->c, &b, "title", spec_label(s, "title"), width, 0, DOC_TAG_P);
    page_block_t *ro = ti ? compose_text(&w->c, &b, "role", &p->title, width, 0, DOC_TAG_H1) : NULL;
    if (ro) *h = compose_stack_height(&b) + ro->space_after;
    page_blocks_free(&b);
    if (!ro) return false;
    if (w->o->fields.count) *h += fl->leading + 2 * fv->leading + fv->space_after;
    return true;
}

/* The pages of one profile's worksheet, without header values or footer. */
static bool build_body(ws_ctx_t *w, const model_profile_t *p) {
    const spec_t *s = w->c.spec;
    const ws_opts_t *o = w->o;
    page_frame_spec_t frame = compose_frame(&w->c);
    double width = page_column_width(&frame);
    colour_t accent = compose_accent(&w->c, &o->accents, p);
    page_blocks_t b = {0};
    w->header_sect = body_node(w, 1, DOC_TAG_SECT, NULL, false); /* first in reading order */
    /* Room for the header on the first page: it is set per participant. */
    bool ok = header_height(w, p, &w->header_h) && box(&b, w->header_h, NULL, NULL, 0) != NULL;
    compose_parts_t parts = {0};
    ok = ok && compose_parts(w->c.model, p, &o->sections, true, &parts);
    for (size_t i = 0; ok && i < parts.count; i++) {
        size_t sect = body_node(w, 1, DOC_TAG_SECT, NULL, false);
        ok = heading(w, &b, parts.v[i].heading, NULL, width, accent, sect) != NULL;
        size_t l = body_node(w, sect, DOC_TAG_L, NULL, false);
        for (size_t k = 0; ok && k < parts.v[i].bullets->count; k++) {
            char field[160];
            snprintf(field, sizeof field, "%s.%zu", parts.v[i].key, k + 1);
            ok = item(w, &b, &parts.v[i].bullets->items[k], width, l, o->form ? field : NULL);
        }
    }
    compose_parts_free(&parts);
    if (ok && o->prompts.count) {
        size_t sect = body_node(w, 1, DOC_TAG_SECT, NULL, false);
        ok = heading(w, &b, NULL, spec_label(s, "reflection"), width, accent, sect) != NULL;
        for (size_t i = 0; ok && i < o->prompts.count; i++) {
            page_block_t *q = compose_words(&w->c, &b, "prompt", o->prompts.v[i], width, sect, DOC_TAG_P);
            ok = q != NULL;
            if (!ok) break;
            q->keep_with_next = q->unbreakable = true;
            const ws_fields_t *lines = &w->paper_prompt_lines;
            size_t fig = 0;
            if (o->form && o->lines_per_prompt > 0) {
                const char *what = compose_plain(&w->c, o->prompts.v[i], diag_file(s->path));
                ok = what && (lines = lines_field(w, &w->prompt_lines, field_name(w, "reflection.%zu", i + 1),
                                                  tooltip(w, what, spec_label(s, "lines_alt")), sect)) != NULL;
                if (!ok) break;
            } else {
                fig = body_node(w, sect, DOC_TAG_FIGURE, spec_label(s, "lines_alt"), true);
            }
            page_block_t *ln = box(&b, w->prompt_lines.count * w->prompt_lines.spacing + 2, draw_lines, lines, fig);
            ok = ln != NULL;
            if (ok) ln->space_after = spec_find_style(s, "prompt")->space_after;
        }
    }
    if (ok) ok = page_flow(&frame, &b, w->c.doc, w->c.to.d, p->loc);
    page_blocks_free(&b);
    return ok;
}

/* ---- header and footer per participant --------------------------------------- */

/* Draws a paragraph's lines; `underlay_node`: `node` is an element of the
 * page's underlay (a participant's value in the shared header). */
static bool draw_para(doc_t *doc, doc_page_t *pg, const para_t *p, double x, double top, size_t node,
                      bool underlay_node) {
    double y = top;
    size_t first = pg->count;
    for (size_t l = 0; l < p->count; l++) {
        if (!page_draw_line(doc, pg, &p->lines[l], p->colour, x, page_baseline(p, y), node)) return false;
        y -= p->leading;
    }
    for (size_t k = first; k < pg->count; k++) pg->items[k].underlay_node = underlay_node && pg->items[k].node;
    return true;
}

/* A field's value, shrunk (to 70 %) and then wrapped (to two lines) to stay
 * inside its field; more is an error naming where the value came from. */
static bool field_value(const compose_t *c, const char *text, diag_loc_t loc, double width, para_t *out) {
    for (double f = 1.0; f >= 0.69; f -= 0.05) {
        compose_t at = compose_at(c, c->to.scale * f);
        page_blocks_t b = {0};
        page_block_t *blk = typeset_paragraph(at.t, &at.to, &b, "field_value", text, loc, width);
        bool fits = blk && (blk->para.count == 1 || (f < 0.71 && blk->para.count <= 2));
        if (fits) *out = blk->para;
        page_blocks_free(&b);
        if (!blk) return false;
        if (fits) return true;
    }
    diag_error(c->to.d, loc, "\"%s\" is too long for its field (%.0f mm) even at 70%% size on two lines", text,
               width * 25.4 / 72);
    return false;
}

/* Where field i of the header's row sits: x and width. */
static void field_box(const spec_t *s, const ws_opts_t *o, size_t i, double *x, double *w) {
    double width = s->page.width - s->page.inner - s->page.outer;
    double fixed = 0;
    size_t flexible = 0;
    for (size_t k = 0; k < o->fields.count; k++) {
        if (field(o, k)->width > 0) fixed += field(o, k)->width;
        else flexible++;
    }
    double gap = 6 * 72 / 25.4;
    double share = flexible ? (width - fixed - gap * (o->fields.count - 1)) / flexible : 0;
    double fx = s->page.inner;
    for (size_t k = 0; k < i; k++) fx += (field(o, k)->width > 0 ? field(o, k)->width : share) + gap;
    *x = fx;
    *w = field(o, i)->width > 0 ? field(o, i)->width : share;
}

/* Where a header field's value goes in the structure, after its label: as
 * text (a value the page shows) or, fillable, as a field to type into (an
 * empty value). A participant's pages fill one of the two; the other,
 * holding nothing, is left out. */
typedef struct ws_slot {
    size_t text, field;
} ws_slot_t;

/* The header's parts that are the same for every participant of a profile
 * (title, role, each field's label and rule), drawn once on the first body
 * page; `rule_y` receives where each field's rule is, for the values, and
 * `slot` each value's element, after its label's: the participant's pages
 * fill it in, so that a value is read after its label, below the heading. */
static bool header_static(ws_ctx_t *w, doc_page_t *pg, const model_profile_t *p, double *rule_y, ws_slot_t *slot) {
    compose_t *c = &w->c;
    const spec_t *s = c->spec;
    const ws_opts_t *o = w->o;
    double x0 = s->page.inner, width = s->page.width - s->page.inner - s->page.outer;
    double y = s->page.height - s->page.top;
    page_blocks_t b = {0};
    page_block_t *ti = compose_words(c, &b, "title", spec_label(s, "title"), width, w->header_sect, DOC_TAG_P);
    page_block_t *ro = ti ? compose_text(c, &b, "role", &p->title, width, w->header_sect, DOC_TAG_H1) : NULL;
    bool ok = ti && ro;
    if (ok) {
        ro->para.colour = compose_accent(c, &o->accents, p);
        ok = compose_stack_draw(c, pg, &b, x0, y);
        y -= compose_stack_height(&b) + ro->space_after;
    }
    /* Fields in a row: label above, value on the rule. */
    colour_t rule = compose_colour(c, "rule", colour_black());
    const spec_style_t *vs = spec_find_style(s, "field_value");
    for (size_t i = 0; ok && i < o->fields.count; i++) {
        double fx, fw;
        field_box(s, o, i, &fx, &fw);
        para_t lp;
        para_line_t *l = typeset_line(c->t, &c->to, "field_label", field(o, i)->label, o->fields.where[i], &lp);
        ok = l != NULL && draw_para(c->doc, pg, &lp, fx, y, body_node(w, w->header_sect, DOC_TAG_P, NULL, false), false);
        slot[i].text = body_node(w, w->header_sect, DOC_TAG_P, NULL, false);
        slot[i].field = o->form ? body_node(w, w->header_sect, DOC_TAG_FORM, NULL, false) : 0;
        rule_y[i] = y - lp.leading - 2 * vs->leading;
        if (ok) ok = doc_add_shape(c->doc, pg, DOC_RULE, fx, rule_y[i], fw, 0, rule, 0.6, 0) != NULL;
    }
    page_blocks_free(&b);
    return ok;
}

/* The name of header field i in a fillable sheet: its roster column when
 * its value is one ("{name}" → "name"), else its label as an id ("Dato" →
 * "dato"). */
static void header_key(const ws_field_t *f, char *out, size_t size) {
    size_t n = strlen(f->value);
    if (n > 2 && f->value[0] == '{' && f->value[n - 1] == '}' && !memchr(f->value + 1, '{', n - 2) && n - 2 < size) {
        memcpy(out, f->value + 1, n - 2);
        out[n - 2] = '\0';
        return;
    }
    char *safe = roster_safe_name(f->label);
    snprintf(out, size, "%s", safe ? safe : "field");
    free(safe);
    for (char *c = out; *c; c++) *c = *c >= 'A' && *c <= 'Z' ? (char)(*c - 'A' + 'a') : *c == '.' ? '-' : *c;
}

/* A fillable header field over (x, y, w, h) of `pg`, element `slot`: empty,
 * to type into. A `hidden` one is for a value the page shows (from the
 * roster, or the layout's own text), where the structure reads it after
 * its label: the field keeps it, hidden and read-only, for `grundlag
 * collect`, no element of the structure. (A value drawn only as a field's
 * look would be text no element reads.) */
static bool header_field(const compose_t *c, doc_page_t *pg, size_t first, const model_profile_t *p,
                         const ws_field_t *wf, const char *value, double x, double y, double w, double h,
                         size_t slot, bool hidden) {
    doc_t *doc = c->doc;
    char key[128], name[256];
    header_key(wf, key, sizeof key);
    snprintf(name, sizeof name, "%s.%s", p->id, key);
    doc_field_t *f = arena_alloc(doc->arena, sizeof *f);
    size_t n = hidden ? 0 : pg->count - first; /* (nothing drawn: the value is empty) */
    doc_item_t *look = n ? arena_alloc(doc->arena, n * sizeof *look) : NULL;
    const para_style_t *vs = typeset_style(c->t, "field_value");
    if (!f || (n && !look)) return false;
    for (size_t k = 0; k < n; k++) {
        look[k] = pg->items[first + k];
        look[k].x -= x;
        look[k].y -= y;
        look[k].underlay_node = false;
        look[k].node = 0;
        /* the value was set in a participant's scratch arena */
        if (look[k].text && !(look[k].text = arena_strndup(doc->arena, look[k].text, look[k].text_len))) return false;
    }
    if (!hidden) pg->count = first;
    *f = (doc_field_t){.kind = DOC_FIELD_TEXT, .name = doc_strdup(doc, name), .tooltip = wf->label,
                       .value = *value ? doc_strdup(doc, value) : NULL, .font = vs->faces[0],
                       .size = vs->size * c->to.scale, .colour = vs->colour, .look = look, .look_count = n,
                       .hidden = hidden};
    if (!f->name || (*value && !f->value)) return false;
    doc_item_t *it = add_field(doc, pg, f, x, y, w, h, hidden ? 0 : slot);
    if (it) it->underlay_node = !hidden;
    return it != NULL;
}

/* The header's values for one participant, each on its field's rule, each
 * in its slot of the underlay's structure; fillable, each with a text field
 * over its rule: hidden when the page shows the value, empty to type into
 * when there is none (header_field). */
static bool header_values(const compose_t *c, const ws_opts_t *o, doc_page_t *pg, const model_profile_t *p,
                          const roster_t *r, const roster_row_t *row, const double *rule_y, const ws_slot_t *slot) {
    bool ok = true;
    const spec_style_t *vs = spec_find_style(c->spec, "field_value");
    for (size_t i = 0; ok && i < o->fields.count; i++) {
        const ws_field_t *f = field(o, i);
        char *val = expand(f->value, r, row, p);
        ok = val != NULL;
        double fx, fw;
        field_box(c->spec, o, i, &fx, &fw);
        size_t first = pg->count;
        if (ok && *val) {
            diag_loc_t loc = o->fields.where[i];
            /* Errors about a value name the roster cell it came from. */
            if (row && strstr(f->value, "{name}")) {
                const roster_field_t *nf = &row->fields[r->name_col];
                loc = diag_at(r->path, nf->line, nf->col);
            }
            para_t vp;
            ok = field_value(c, val, loc, fw, &vp);
            /* Sit on the rule: the last line's baseline just above it. */
            if (ok)
                ok = draw_para(c->doc, pg, &vp, fx, rule_y[i] + vp.count * vp.leading + vp.leading * 0.05,
                               slot[i].text, true);
        }
        /* Room for two lines of the value, down to the rule. */
        if (ok && o->form)
            ok = header_field(c, pg, first, p, f, val, fx, rule_y[i], fw, 2 * vs->leading, slot[i].field, *val != '\0');
        free(val);
    }
    return ok;
}

/* A footer line, set once and drawn on many pages. */
typedef struct ws_line {
    para_line_t *line; /* NULL: not set (yet) */
    colour_t colour;
} ws_line_t;

static bool footer_line(const compose_t *c, const char *text, ws_line_t *out) {
    para_t para;
    out->line = typeset_line(c->t, &c->to, "footer", text, diag_file(c->spec->path), &para);
    out->colour = para.colour;
    return out->line != NULL;
}

/* The footer's page number ("Side 2/5"), the same for every participant of a profile. */
static bool footer_folio(const compose_t *c, int page, int pages, ws_line_t *out) {
    char num[64];
    const char *pl = spec_label(c->spec, "page");
    snprintf(num, sizeof num, "%s %d/%d", pl ? pl : "", page, pages);
    return footer_line(c, num[0] == ' ' ? num + 1 : num, out);
}

/* One participant's footer: the expanded template (set once for all their
 * pages) on the left, the page number on the right. */
typedef struct ws_footer {
    char *text;  /* the expanded template; "" leaves the left side empty */
    para_t left; /* `text`, set: one line, or more when too long for one */
    bool set;
} ws_footer_t;

static bool footer(const compose_t *c, doc_page_t *pg, ws_footer_t *ft, const ws_line_t *folio) {
    const spec_t *s = c->spec;
    double y = s->page.bottom / 2;
    bool ok = true;
    if (*ft->text && !ft->set) {
        /* A name and a role too long for one line take two (or more), the
         * last on the footer's baseline: nothing of either is dropped. */
        double room = s->page.width - s->page.inner - s->page.outer - folio->line->width - 12;
        page_blocks_t b = {0};
        page_block_t *blk = typeset_paragraph(c->t, &c->to, &b, "footer", ft->text, diag_file(s->path), room);
        ok = blk != NULL;
        if (ok) ft->left = blk->para;
        ft->set = true;
        page_blocks_free(&b);
    }
    for (size_t l = 0; ok && *ft->text && l < ft->left.count; l++)
        ok = compose_furniture(c, pg, &ft->left.lines[l], ft->left.colour, s->page.inner,
                               y + (double)(ft->left.count - 1 - l) * ft->left.leading, DOC_ARTIFACT_FOOTER);
    if (ok)
        ok = compose_furniture(c, pg, folio->line, folio->colour, s->page.width - s->page.outer - folio->line->width,
                               y, DOC_ARTIFACT_FOOTER);
    return ok;
}


/* ---- the whole ------------------------------------------------------------ */

/* A profile's shared pages and what goes with them. Everything here is in
 * the arena of `pages`, so that under --split (a document, and a
 * typesetter, per participant) it can be kept in the run's memo and set
 * once per profile instead of once per participant. */
typedef struct body_cache {
    doc_t *pages;
    scale_data_t scale; /* its lines, which the pages' scales use */
    double *rule_y;     /* per header field: the y of its rule */
    ws_slot_t *slot;    /* per header field: its value's elements (in `pages`) */
    ws_line_t *folios;  /* per page: its number, set */
} body_cache_t;

static void body_cache_drop(void *v) {
    body_cache_t *bc = v;
    doc_drop(bc->pages); /* bc is in its arena */
}

/* The scale's labels and numbers. */
static bool scale_lines(ws_ctx_t *w, scale_data_t *sd) {
    compose_t *c = &w->c;
    const ws_opts_t *o = w->o;
    *sd = w->scale;
    para_t tmp;
    bool ok = true;
    if (o->scale.low) ok = (sd->low = compose_line(c, "scale", o->scale.low, &tmp)) != NULL;
    if (ok && o->scale.high) ok = (sd->high = compose_line(c, "scale", o->scale.high, &tmp)) != NULL;
    sd->numbers = ok ? arena_alloc(c->to.arena, (size_t)o->scale.steps * sizeof *sd->numbers) : NULL;
    for (int i = 0; ok && sd->numbers && i < o->scale.steps; i++) {
        char n[16];
        snprintf(n, sizeof n, "%d", i + 1);
        ok = (sd->numbers[i] = compose_line(c, "scale", n, &tmp)) != NULL;
    }
    if (!ok || !sd->numbers) return false;
    /* The whole scale's width, as draw_scale lays it out. */
    sd->width = (sd->low ? sd->low->width + sd->box * 0.6 : 0) + sd->steps * sd->box * 1.6 +
                (sd->high ? sd->high->width : -sd->box * 0.6);
    return true;
}

/* Sets a profile's body pages with the header's fixed parts, and its page
 * numbers, into `bc` (pages already made; w->c composes into them). */
static bool build_cached(ws_ctx_t *w, const model_profile_t *p, body_cache_t *bc) {
    arena_t *a = bc->pages->arena;
    bc->rule_y = arena_alloc(a, (w->o->fields.count + 1) * sizeof *bc->rule_y);
    bc->slot = arena_alloc(a, (w->o->fields.count + 1) * sizeof *bc->slot);
    if (!bc->rule_y || !bc->slot || !scale_lines(w, &bc->scale)) return false;
    w->body_scale = &bc->scale;
    w->profile = p;
    w->paper_scale = (ws_fields_t){w->body_scale, NULL, NULL};
    if (!build_body(w, p)) return false;
    size_t n = bc->pages->page_count;
    bc->folios = arena_alloc(a, (n + 1) * sizeof *bc->folios);
    if (!bc->folios) return false;
    bool ok = n == 0 || header_static(w, &bc->pages->pages[0], p, bc->rule_y, bc->slot);
    for (size_t i = 0; ok && i < n; i++) ok = footer_folio(&w->c, (int)i + 1, (int)n, &bc->folios[i]);
    return ok;
}

/* A profile's body: from the run's memo, or set now and kept there. Its
 * key names the layout and data by identity and by path: both live as
 * long as the run. NULL after reporting. */
static body_cache_t *body_for(ws_ctx_t *w, const compose_t *doc_c, const model_profile_t *p) {
    typeset_t *t = doc_c->t;
    char key[1024];
    snprintf(key, sizeof key, "worksheet %p %p %s %s", (const void *)t->spec, (const void *)t->model, t->spec->path,
             p->id);
    body_cache_t *bc = typeset_memo_get(t, key);
    if (bc) return bc;
    doc_t *pages = doc_new();
    bc = pages ? arena_alloc(pages->arena, sizeof *bc) : NULL;
    if (!bc) {
        doc_drop(pages);
        return NULL;
    }
    bc->pages = pages;
    w->c = compose_begin(t, pages, doc_c->to.d);
    if (!build_cached(w, p, bc)) {
        doc_drop(pages);
        return NULL;
    }
    if (typeset_memo_put(t, key, bc, body_cache_drop)) return bc;
    /* No room in the memo: the document keeps it. */
    return doc_adopt(doc_c->doc, pages) ? bc : NULL;
}

/* Gives the glyph items on pages [first, …) of `doc` their own copies of
 * their texts, in the document's arena: a participant's values and footer
 * are set in a scratch arena, of which the pages need only the texts, so
 * that the lines and runs do not stay for the whole run. */
static bool own_texts(doc_t *doc, size_t first) {
    struct { const char *from, *to; size_t len; } seen[16] = {{0}}; /* the footer's on every page: copy once */
    size_t next = 0;
    for (size_t i = first; i < doc->page_count; i++) {
        doc_page_t *pg = &doc->pages[i];
        for (size_t k = 0; k < pg->count; k++) {
            doc_item_t *it = &pg->items[k];
            if (it->kind != DOC_GLYPHS || !it->text) continue;
            const char *copy = NULL;
            for (size_t j = 0; j < 16 && !copy; j++)
                if (seen[j].from == it->text && seen[j].len == it->text_len) copy = seen[j].to;
            if (!copy) {
                copy = arena_strndup(doc->arena, it->text, it->text_len);
                if (!copy) return false;
                seen[next].from = it->text;
                seen[next].to = copy;
                seen[next].len = it->text_len;
                next = (next + 1) % 16;
            }
            it->text = copy;
        }
    }
    return true;
}

static bool build(compose_t *c, const kind_job_t *job, const void *opts) {
    const ws_opts_t *o = opts;
    const spec_t *s = c->spec;
    doc_t *doc = c->doc;
    compose_meta(c, spec_label(s, "title"), c->model->title.text);
    if (job->roster) check_columns(o, job->roster, c->to.d);
    ws_ctx_t w = {0};
    w.o = o;
    colour_t rule = compose_colour(c, "rule", colour_black());
    const spec_style_t *scs = spec_find_style(s, "scale");
    w.scale.steps = o->scale.steps;
    w.scale.text = s->colours[scs->colour].colour;
    w.scale.rule = rule;
    w.scale.box = scs->size * 1.5;
    w.scale.baseline = w.scale.box * 0.3 + scs->size * 0.75;
    w.item_lines = (lines_data_t){o->lines_per_item, o->line_spacing, rule};
    w.prompt_lines = (lines_data_t){o->lines_per_prompt, o->line_spacing, rule};
    w.paper_item_lines = (ws_fields_t){&w.item_lines, NULL, NULL};
    w.paper_prompt_lines = (ws_fields_t){&w.prompt_lines, NULL, NULL};
    bool ok = true;

    /* One body per profile, set once (per run: see body_for). */
    size_t total = job->roster ? job->roster_count : job->profile_count;
    /* Fillable, every field's name is one of the file's own: several
     * participants in one file have their names before their fields' (as
     * --split names their files); a blank profile's second sheet
     * "sheet-N" (N its place). */
    char **prefixes = o->form && job->roster && total > 1
                          ? roster_file_names(job->roster, job->roster_rows, total)
                          : NULL;
    if (o->form && job->roster && total > 1 && !prefixes) ok = false;
    for (size_t i = 0; ok && i < total; i++) {
        const roster_row_t *row = job->roster ? job->roster_rows[i] : NULL;
        const model_profile_t *p = row ? row->profile : job->profiles[i];
        body_cache_t *bc = body_for(&w, c, p);
        ok = bc != NULL;
        if (!ok) break;
        size_t first = doc->page_count;
        /* A participant's values and footer are set in a scratch arena
         * (own_texts keeps what the pages need). */
        arena_t *scratch = arena_new();
        compose_t pc = *c;
        pc.to.arena = scratch;
        ws_footer_t ft = {0};
        ft.text = o->footer ? expand(o->footer, job->roster, row, p) : strdup(p->title.text);
        ok = ft.text != NULL && scratch != NULL;
        /* The participant's worksheet in the structure: the shared body,
         * copied for this participant, with their values in its slots. */
        size_t sect = compose_node(c, 1, DOC_TAG_SECT);
        for (size_t pgi = 0; ok && pgi < bc->pages->page_count; pgi++) {
            const doc_page_t *src = &bc->pages->pages[pgi];
            doc_page_t *pg = doc_add_page(doc, src->width, src->height, src->bleed, src->crop_marks);
            ok = pg != NULL;
            if (!ok) break;
            pg->underlay = src;
            pg->underlay_doc = bc->pages;
            pg->instance = i + 1;
            pg->instance_root = sect;
            if (prefixes) {
                ok = (pg->field_prefix = doc_strdup(doc, prefixes[i])) != NULL;
            } else if (o->form && !job->roster) {
                bool again = false;
                for (size_t k = 0; k < i; k++) again |= job->profiles[k] == p;
                char sheet[32];
                snprintf(sheet, sizeof sheet, "sheet-%zu", i + 1);
                if (again) ok = (pg->field_prefix = doc_strdup(doc, sheet)) != NULL;
            }
            if (ok && pgi == 0) ok = header_values(&pc, o, pg, p, job->roster, row, bc->rule_y, bc->slot);
            if (ok) ok = footer(&pc, pg, &ft, &bc->folios[pgi]);
        }
        if (ok) ok = own_texts(doc, first);
        arena_drop(scratch);
        free(ft.text);
        if (ok) {
            char title[512];
            const char *name = row ? roster_value(job->roster, row, "name") : NULL;
            snprintf(title, sizeof title, "%s%s%s", name ? name : p->title.text, name ? " – " : "", name ? p->title.text : "");
            ok = doc_add_outline(doc, title, 0, first, s->page.height - s->page.top);
        }
        if (job->progress) job->progress(i + 1, total, job->progress_ctx);
    }
    roster_file_names_free(prefixes, total);
    return ok;
}

const kind_def_t worksheet_kind = {
    "worksheet", "reflection worksheets: items with rating scales and writing lines, blank or from a roster",
    &ws_schema, ws_styles, ws_labels, KIND_ROSTER, NULL, build, NULL,
};
