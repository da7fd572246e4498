/* spec: validates a layout's shared keys and resolves names (styles → family
 * and colour indices, font files → paths). Reports every problem found. */
#include "spec.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "arena.h"
#include "font.h"

typedef struct loader {
    spec_t *s;
    const char *const *kinds;
    ydoc_t *doc;
    diag_t *d;
    const char *installed_fonts;
    bool ok;
    /* 'fonts' or 'colours' is absent but a top-level key looks like a typo
     * for it: the did-you-mean has said so, and every style naming a font
     * or colour need not say it again. */
    bool fonts_misspelt, colours_misspelt;
    /* The family and colour names (NULL-terminated) and "a, b, c", for the
     * messages of styles that name an unknown one; made once, when the
     * styles are loaded (after the fonts and colours). */
    const char **family_names, **colour_names;
    const char *family_list, *colour_list;
} loader_t;

#define FAIL(L) ((L)->ok = false)

static diag_loc_t at(loader_t *L, const ynode_t *n) {
    diag_loc_t l = ydoc_loc(L->doc, n);
    l.file = L->s->path;
    return l;
}

/* ---- lengths and sizes -------------------------------------------------- */

bool spec_parse_length(const char *s, double *pt) {
    char num[64];
    size_t n = 0;
    while (*s == ' ') s++;
    while ((s[n] >= '0' && s[n] <= '9') || s[n] == '.' || s[n] == '-' || s[n] == '+') {
        if (n + 1 >= sizeof num) return false;
        num[n] = s[n];
        n++;
    }
    num[n] = '\0';
    double v;
    if (!ynumber_parse(num, &v)) return false;
    const char *u = s + n;
    while (*u == ' ') u++;
    double scale;
    if (strcmp(u, "pt") == 0) scale = 1.0;
    else if (strcmp(u, "mm") == 0) scale = 72.0 / 25.4;
    else if (strcmp(u, "cm") == 0) scale = 720.0 / 25.4;
    else if (strcmp(u, "in") == 0) scale = 72.0;
    else return false;
    *pt = v * scale;
    return true;
}

bool spec_named_size(const char *name, double *w, double *h) {
    static const struct { const char *name; double w, h; } sizes[] = {
        {"A0", 841, 1189}, {"A1", 594, 841}, {"A2", 420, 594}, {"A3", 297, 420}, {"A4", 210, 297},
        {"A5", 148, 210},  {"A6", 105, 148}, {"B4", 250, 353}, {"B5", 176, 250},
        {"letter", 215.9, 279.4}, {"legal", 215.9, 355.6},
    };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        if (strcasecmp(name, sizes[i].name) == 0) {
            *w = sizes[i].w * 72.0 / 25.4;
            *h = sizes[i].h * 72.0 / 25.4;
            return true;
        }
    }
    return false;
}

bool spec_read_length(const ydoc_t *doc, const ynode_t *n, const char *what, double min, double *out, diag_t *d) {
    if (!n || n->kind != YNODE_SCALAR || ynode_is_null(n)) {
        diag_error(d, ydoc_loc(doc, n), "%s must be a length such as '12pt' or '3mm', found %s", what,
                   ynode_kind_name(n));
        return false;
    }
    double v;
    if (!spec_parse_length(n->value, &v)) {
        double plain;
        if (ynumber_parse(n->value, &plain))
            diag_error(d, ydoc_loc(doc, n), "%s '%s' has no unit; write e.g. '%spt' or '%smm'", what, n->value,
                       n->value, n->value);
        else
            diag_error(d, ydoc_loc(doc, n), "%s '%s' is not a length; use a number with mm, cm, pt or in", what,
                       n->value);
        return false;
    }
    if (v < min) {
        if (min == 0)
            diag_error(d, ydoc_loc(doc, n), "%s '%s' is negative", what, n->value);
        else
            diag_error(d, ydoc_loc(doc, n), "%s '%s' is too small; it must be at least %gpt", what, n->value, min);
        return false;
    }
    if (v > 14400.0) { /* 14400 pt = 5 m, PDF's page limit */
        diag_error(d, ydoc_loc(doc, n), "%s '%s' is larger than the largest PDF page (5 m)", what, n->value);
        return false;
    }
    *out = v;
    return true;
}

static bool length_at(loader_t *L, const ynode_t *n, const char *what, double min, double *out) {
    if (spec_read_length(L->doc, n, what, min, out, L->d)) return true;
    FAIL(L);
    return false;
}

static void opt_length(loader_t *L, const ynode_t *map, const char *key, const char *what, double min,
                       double *out) {
    const ynode_t *n = ymap_get(map, key);
    if (n) length_at(L, n, what, min, out);
}

static void opt_bool(loader_t *L, const ynode_t *map, const char *key, const char *what, bool *out) {
    const ynode_t *n = ymap_get(map, key);
    if (n && !ybool(L->doc, n, what, out, L->d)) FAIL(L);
}

/* ---- page ---------------------------------------------------------------- */

static void load_page(loader_t *L, const ynode_t *root) {
    spec_page_t *pg = &L->s->page;
    spec_named_size("A4", &pg->width, &pg->height);
    pg->top = pg->bottom = pg->inner = pg->outer = 20 * 72.0 / 25.4;
    pg->columns = 1;
    pg->gutter = 5 * 72.0 / 25.4;
    const ynode_t *page = ymap_get(root, "page");
    if (!page) return;
    static const char *const known[] = {"size", "orientation", "margins", "facing", "columns",
                                        "gutter", "bleed", "crop_marks", NULL};
    if (!ymap_check(L->doc, page, "page", known, NULL, L->d)) {
        FAIL(L);
        if (page->kind != YNODE_MAP) return;
    }
    const ynode_t *size = ymap_get(page, "size");
    if (size) {
        if (size->kind == YNODE_SCALAR && !ynode_is_null(size)) {
            if (!spec_named_size(size->value, &pg->width, &pg->height)) {
                static const char *const names[] = {"A0", "A1", "A2", "A3", "A4", "A5", "A6",
                                                    "B4", "B5", "letter", "legal", NULL};
                const char *s = ysuggest(size->value, names);
                diag_error(L->d, at(L, size),
                           "unknown page size '%s'%s%s%s; use A0–A6, B4, B5, letter, legal or "
                           "[width, height]",
                           size->value, s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
                FAIL(L);
            }
        } else if (size->kind == YNODE_SEQ && size->count == 2) {
            length_at(L, size->items[0], "page width", 36, &pg->width);
            length_at(L, size->items[1], "page height", 36, &pg->height);
        } else {
            diag_error(L->d, at(L, size), "page size must be a name such as A4 or [width, height]");
            FAIL(L);
        }
    }
    const ynode_t *orient = ymap_get(page, "orientation");
    if (orient) {
        const char *o = ytext(L->doc, orient, "orientation", L->d);
        if (!o) FAIL(L);
        else if (strcmp(o, "landscape") == 0) {
            if (pg->width < pg->height) { double t = pg->width; pg->width = pg->height; pg->height = t; }
        } else if (strcmp(o, "portrait") == 0) {
            if (pg->width > pg->height) { double t = pg->width; pg->width = pg->height; pg->height = t; }
        } else {
            diag_error(L->d, at(L, orient), "orientation must be 'portrait' or 'landscape', found '%s'", o);
            FAIL(L);
        }
    }
    opt_bool(L, page, "facing", "facing", &pg->facing);
    const ynode_t *m = ymap_get(page, "margins");
    if (m) {
        if (m->kind == YNODE_SCALAR) {
            double v;
            if (length_at(L, m, "margins", 0, &v)) pg->top = pg->bottom = pg->inner = pg->outer = v;
        } else {
            static const char *const mk[] = {"top", "bottom", "left", "right", "inner", "outer", NULL};
            if (!ymap_check(L->doc, m, "margins", mk, NULL, L->d)) FAIL(L);
            if ((ymap_get(m, "left") || ymap_get(m, "right")) && (ymap_get(m, "inner") || ymap_get(m, "outer"))) {
                diag_error(L->d, at(L, m), "margins: use either left/right or inner/outer, not both");
                FAIL(L);
            }
            if ((ymap_get(m, "inner") || ymap_get(m, "outer")) && !ymap_get(page, "facing"))
                pg->facing = true; /* inner/outer only mean something on facing pages */
            opt_length(L, m, "top", "top margin", 0, &pg->top);
            opt_length(L, m, "bottom", "bottom margin", 0, &pg->bottom);
            opt_length(L, m, "left", "left margin", 0, &pg->inner);
            opt_length(L, m, "right", "right margin", 0, &pg->outer);
            opt_length(L, m, "inner", "inner margin", 0, &pg->inner);
            opt_length(L, m, "outer", "outer margin", 0, &pg->outer);
        }
    }
    const ynode_t *cols = ymap_get(page, "columns");
    if (cols) {
        double c;
        if (!ynumber(L->doc, cols, "columns", &c, L->d)) FAIL(L);
        else if (c < 1 || c > 12 || c != floor(c)) {
            diag_error(L->d, at(L, cols), "columns must be a whole number from 1 to 12, found '%s'", cols->value);
            FAIL(L);
        } else pg->columns = (int)c;
    }
    opt_length(L, page, "gutter", "gutter", 0, &pg->gutter);
    opt_length(L, page, "bleed", "bleed", 0, &pg->bleed);
    if (pg->bleed > 36) {
        diag_error(L->d, at(L, ymap_get(page, "bleed")), "bleed over 12.7mm (0.5in) is not a bleed");
        FAIL(L);
    }
    opt_bool(L, page, "crop_marks", "crop_marks", &pg->crop_marks);
    /* Text needs at least half an inch each way. */
    if (pg->top + pg->bottom >= pg->height - 36) {
        diag_error(L->d, at(L, m ? m : page),
                   "the top and bottom margins (%.0f mm together) leave no room for text on a page %.0f mm high",
                   (pg->top + pg->bottom) * 25.4 / 72, pg->height * 25.4 / 72);
        FAIL(L);
    } else if (pg->inner + pg->outer >= pg->width - 36) {
        diag_error(L->d, at(L, m ? m : page),
                   "the %s margins (%.0f mm together) leave no room for text on a page %.0f mm wide",
                   pg->facing ? "inner and outer" : "left and right", (pg->inner + pg->outer) * 25.4 / 72,
                   pg->width * 25.4 / 72);
        FAIL(L);
    } else if (pg->columns > 1 &&
               (pg->width - pg->inner - pg->outer - (pg->columns - 1) * pg->gutter) / pg->columns < 36) {
        diag_error(L->d, at(L, cols), "%d columns do not fit between the margins", pg->columns);
        FAIL(L);
    }
}

/* ---- fonts --------------------------------------------------------------- */

static bool readable(const char *path) { return access(path, R_OK) == 0; }

/* "Permission denied" on one path says more than "No such file" on the others. */
#define MORE_TELLING(old, new) ((old) != 0 && (old) != ENOENT ? (old) : (new))

static const char *resolve_font(loader_t *L, const ynode_t *n, const char *file, const char *what) {
    arena_t *a = L->s->arena;
    const char *layout = L->s->path;
    const char *slash = strrchr(layout, '/');
    size_t dirlen = slash ? (size_t)(slash - layout) : 0;
    char *dir = arena_strndup(a, slash ? layout : ".", slash ? dirlen : 1);
    char buf[4096];
    const char *tried[3];
    int ntried = 0, err = 0;
    /* errno right after each failed access(): later calls may change it. */
    if (file[0] == '/') {
        if (readable(file)) return arena_strdup(a, file);
        err = MORE_TELLING(err, errno);
        tried[ntried++] = file;
    } else {
        snprintf(buf, sizeof buf, "%s/%s", dir, file);
        if (readable(buf)) return arena_strdup(a, buf);
        err = MORE_TELLING(err, errno);
        tried[ntried++] = arena_strdup(a, buf);
        if (!strchr(file, '/')) {
            snprintf(buf, sizeof buf, "%s/../fonts/%s", dir, file);
            if (readable(buf)) return arena_strdup(a, buf);
            err = MORE_TELLING(err, errno);
            tried[ntried++] = arena_strdup(a, buf);
            if (L->installed_fonts) {
                snprintf(buf, sizeof buf, "%s/%s", L->installed_fonts, file);
                if (readable(buf)) return arena_strdup(a, buf);
                err = MORE_TELLING(err, errno);
                tried[ntried++] = arena_strdup(a, buf);
            }
        }
    }
    diag_error(L->d, at(L, n), "%s: cannot open font file '%s': %s", what, file, strerror(err ? err : ENOENT));
    for (int i = 0; i < ntried; i++) diag_note(L->d, at(L, n), "looked for '%s'", tried[i] ? tried[i] : "?");
    FAIL(L);
    return NULL;
}

static void load_fonts(loader_t *L, const ynode_t *root) {
    const ynode_t *fonts = ymap_get(root, "fonts");
    if (!fonts) return;
    if (!yexpect(L->doc, fonts, YNODE_MAP, "fonts", L->d)) { FAIL(L); return; }
    spec_t *s = L->s;
    s->families = arena_alloc(s->arena, (fonts->count + 1) * sizeof *s->families);
    static const char *const faces[] = {"regular", "italic", "bold", "bold_italic", NULL};
    for (size_t i = 0; i < fonts->count; i++) {
        const ynode_t *k = fonts->items[2 * i], *v = fonts->items[2 * i + 1];
        if (k->kind != YNODE_SCALAR) continue;
        for (size_t j = 0; j < s->family_count; j++)
            if (strcmp(s->families[j].name, k->value) == 0) {
                diag_error(L->d, at(L, k), "font family '%s' is defined twice", k->value);
                FAIL(L);
            }
        char what[160];
        snprintf(what, sizeof what, "font family '%.100s'", k->value);
        static const char *const req[] = {"regular", NULL};
        if (!ymap_check(L->doc, v, what, faces, req, L->d)) {
            FAIL(L);
            if (v->kind != YNODE_MAP) continue;
        }
        spec_family_t *f = &s->families[s->family_count++];
        f->name = arena_strdup(s->arena, k->value);
        f->loc = at(L, k);
        for (int face = 0; face < SPEC_FACE_COUNT; face++) {
            const ynode_t *fn = ymap_get(v, faces[face]);
            if (!fn) continue;
            const char *file = ytext(L->doc, fn, "font file", L->d);
            if (!file) { FAIL(L); continue; }
            /* Messages name the key ("fonts.serif.regular") and the file. */
            char key[240];
            snprintf(key, sizeof key, "fonts.%.100s.%s", k->value, faces[face]);
            f->files[face] = resolve_font(L, fn, file, key);
            f->locs[face] = at(L, fn);
            /* A device, a FIFO, a web font or a cut-off file is refused
             * here, where the layout names it, not later in the text. */
            if (f->files[face] && !font_check_file(f->files[face], key, L->d, f->locs[face])) FAIL(L);
        }
    }
}

static long find_family(const spec_t *s, const char *name) {
    for (size_t i = 0; i < s->family_count; i++)
        if (strcmp(s->families[i].name, name) == 0) return (long)i;
    return -1;
}

/* ---- colours ------------------------------------------------------------- */

/* One number of colour `what` in `space` ("cmyk"), 0..max. */
static bool component(loader_t *L, const ynode_t *n, const char *space, const char *what, double max,
                      double *out) {
    double v;
    char cwhat[224];
    snprintf(cwhat, sizeof cwhat, "each %s value of %s", space, what);
    if (!ynumber(L->doc, n, cwhat, &v, L->d)) return false;
    if (v < 0 || v > max) {
        diag_error(L->d, at(L, n), "%s value %s of %s is outside 0–%g", space, n->value, what, max);
        return false;
    }
    *out = v / max;
    return true;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool parse_colour(loader_t *L, const ynode_t *v, const char *what, colour_t *c) {
    static const char *const spaces[] = {"cmyk", "rgb", "grey", NULL};
    if (v->kind != YNODE_MAP || v->count != 1) {
        diag_error(L->d, at(L, v), "%s must be one of {cmyk: [c, m, y, k]}, {rgb: \"#rrggbb\"} or {grey: N}",
                   what);
        return false;
    }
    if (!ymap_check(L->doc, v, what, spaces, NULL, L->d)) return false;
    const ynode_t *k = v->items[0], *val = v->items[1];
    if (strcmp(k->value, "cmyk") == 0) {
        c->space = COLOUR_CMYK;
        if (val->kind != YNODE_SEQ || val->count != 4) {
            if (val->kind == YNODE_SEQ)
                diag_error(L->d, at(L, val),
                           "cmyk of %s has %zu value%s; it needs four percentages [c, m, y, k], e.g. "
                           "[100, 60, 0, 20]",
                           what, val->count, val->count == 1 ? "" : "s");
            else
                diag_error(L->d, at(L, val),
                           "cmyk of %s needs four percentages [c, m, y, k], e.g. [100, 60, 0, 20]", what);
            return false;
        }
        bool ok = true;
        for (int i = 0; i < 4; i++) ok &= component(L, val->items[i], "cmyk", what, 100, &c->v[i]);
        return ok;
    }
    if (strcmp(k->value, "rgb") == 0) {
        c->space = COLOUR_RGB;
        if (val->kind == YNODE_SCALAR && val->value[0] == '#' && val->len == 7) {
            for (int i = 0; i < 3; i++) {
                int hi = hexval(val->value[1 + 2 * i]), lo = hexval(val->value[2 + 2 * i]);
                if (hi < 0 || lo < 0) goto badrgb;
                c->v[i] = (hi * 16 + lo) / 255.0;
            }
            return true;
        }
        if (val->kind == YNODE_SEQ && val->count == 3) {
            bool ok = true;
            for (int i = 0; i < 3; i++) ok &= component(L, val->items[i], "rgb", what, 255, &c->v[i]);
            return ok;
        }
    badrgb:
        if (val->kind == YNODE_SCALAR && !ynode_is_null(val))
            diag_error(L->d, at(L, val),
                       "rgb of %s must be \"#rrggbb\" (six hex digits 0–9, a–f) or [r, g, b] with 0–255, "
                       "found '%s'",
                       what, val->value);
        else
            diag_error(L->d, at(L, val), "rgb of %s must be \"#rrggbb\" or [r, g, b] with 0–255", what);
        return false;
    }
    c->space = COLOUR_GREY;
    double k100;
    if (!component(L, val, "grey", what, 100, &k100)) return false;
    c->v[0] = 1.0 - k100; /* grey is given as percent black, like K */
    return true;
}

/* A print file's colours are ink: CMYK, within what a press lays down.
 * Grey is black ink alone (K); RGB has no plate. */
static bool print_colour(loader_t *L, const ynode_t *k, const ynode_t *v, colour_t *c) {
    if (c->space == COLOUR_RGB) {
        diag_error(L->d, at(L, v),
                   "colour '%s' is RGB, but a print layout (one with 'print:') states its colours in CMYK, "
                   "e.g. {cmyk: [100, 60, 0, 20]}, or grey",
                   k->value);
        return false;
    }
    if (c->space == COLOUR_GREY) *c = (colour_t){COLOUR_CMYK, {0, 0, 0, 1.0 - c->v[0]}};
    double ink = (c->v[0] + c->v[1] + c->v[2] + c->v[3]) * 100;
    if (ink > SPEC_MAX_INK + 1e-6) {
        diag_error(L->d, at(L, v),
                   "colour '%s' lays down %.0f %% ink; a press takes at most %d %% (the sum of c, m, y and k)",
                   k->value, ink, SPEC_MAX_INK);
        return false;
    }
    return true;
}

static void load_colours(loader_t *L, const ynode_t *root) {
    spec_t *s = L->s;
    const ynode_t *cols = ymap_get(root, "colours");
    size_t n = cols && cols->kind == YNODE_MAP ? cols->count : 0;
    s->colours = arena_alloc(s->arena, (n + 1) * sizeof *s->colours);
    /* "black" always exists so that a minimal layout needs no colours. */
    s->colours[0].name = "black";
    s->colours[0].colour = colour_black();
    if (s->print_block) s->colours[0].colour = (colour_t){COLOUR_CMYK, {0, 0, 0, 1}};
    s->colour_count = 1;
    if (!cols) return;
    if (!yexpect(L->doc, cols, YNODE_MAP, "colours", L->d)) { FAIL(L); return; }
    for (size_t i = 0; i < cols->count; i++) {
        const ynode_t *k = cols->items[2 * i], *v = cols->items[2 * i + 1];
        if (k->kind != YNODE_SCALAR) continue;
        char what[160];
        snprintf(what, sizeof what, "colour '%.100s'", k->value);
        colour_t c = colour_black();
        /* A colour that fails to parse is still defined: the styles that
         * use it are not wrong, and the layout fails anyway. */
        bool parsed = parse_colour(L, v, what, &c);
        if (!parsed) FAIL(L);
        long found = -1;
        for (size_t j = 0; j < s->colour_count; j++)
            if (strcmp(s->colours[j].name, k->value) == 0) found = (long)j;
        if (found > 0) {
            diag_error(L->d, at(L, k), "colour '%s' is defined twice", k->value);
            FAIL(L);
            continue;
        }
        if (parsed && s->print_block && !print_colour(L, k, v, &c)) FAIL(L);
        spec_colour_t *sc = found == 0 ? &s->colours[0] : &s->colours[s->colour_count++];
        sc->name = arena_strdup(s->arena, k->value);
        sc->colour = c;
        sc->loc = at(L, k);
    }
}

/* "a, b, c" in the spec's arena, for naming the choices in a message. */
static const char *join_names(loader_t *L, const char *const *names, size_t n) {
    size_t cap = 1;
    for (size_t i = 0; i < n; i++) cap += strlen(names[i]) + 2;
    char *s = arena_alloc(L->s->arena, cap), *w = s;
    for (size_t i = 0; s && i < n; i++) {
        size_t len = strlen(names[i]);
        if (i) { memcpy(w, ", ", 2); w += 2; }
        memcpy(w, names[i], len);
        w += len;
    }
    if (w) *w = '\0';
    return s ? s : "";
}

/* Makes L->family_names/family_list and L->colour_names/colour_list. */
static void make_names(loader_t *L) {
    spec_t *s = L->s;
    if (!L->family_names) {
        L->family_names = arena_alloc(s->arena, (s->family_count + 1) * sizeof *L->family_names);
        for (size_t i = 0; L->family_names && i < s->family_count; i++) L->family_names[i] = s->families[i].name;
        L->family_list = L->family_names ? join_names(L, L->family_names, s->family_count) : "";
    }
    if (!L->colour_names) {
        L->colour_names = arena_alloc(s->arena, (s->colour_count + 1) * sizeof *L->colour_names);
        for (size_t i = 0; L->colour_names && i < s->colour_count; i++) L->colour_names[i] = s->colours[i].name;
        L->colour_list = L->colour_names ? join_names(L, L->colour_names, s->colour_count) : "";
    }
}

/* ---- styles -------------------------------------------------------------- */

static const char *const style_keys[] = {"based_on", "font", "bold", "italic", "size", "leading", "align",
                                         "hyphenate", "colour", "space_before", "space_after", "indent",
                                         "first_indent", "keep_with_next", "page_break_before",
                                         "uppercase", NULL};

/* What a style's based_on chain gave it. A key that is there but wrong
 * counts as given: its error is reported once, not again as "missing". */
typedef struct style_given {
    bool size, size_ok, leading, font, font_ok;
} style_given_t;

/* Applies the keys of style map `v` over `st` (which holds the inherited values). */
static void apply_style(loader_t *L, const ynode_t *v, spec_style_t *st, style_given_t *g) {
    spec_t *s = L->s;
    const ynode_t *n;
    if ((n = ymap_get(v, "font"))) {
        const char *fam = ytext(L->doc, n, "font", L->d);
        long idx = fam ? find_family(s, fam) : -1;
        g->font = true;
        g->font_ok = idx >= 0;
        if (fam && idx < 0 && !L->fonts_misspelt) {
            make_names(L);
            const char **names = L->family_names;
            const char *sg = names ? ysuggest(fam, names) : NULL;
            if (sg || !names || s->family_count == 0)
                diag_error(L->d, at(L, n), "style '%s' uses font family '%s', which 'fonts' does not define%s%s%s",
                           st->name, fam, sg ? "; did you mean '" : "", sg ? sg : "", sg ? "'?" : "");
            else
                diag_error(L->d, at(L, n),
                           "style '%s' uses font family '%s', which 'fonts' does not define; the families are: %s",
                           st->name, fam, L->family_list);
        }
        if (idx < 0) FAIL(L);
        else st->family = (size_t)idx;
    }
    opt_bool(L, v, "bold", "bold", &st->bold);
    opt_bool(L, v, "italic", "italic", &st->italic);
    if ((n = ymap_get(v, "size"))) {
        g->size = true;
        g->size_ok = length_at(L, n, "size", 1, &st->size);
        if (g->size_ok && st->size > 1000) {
            diag_error(L->d, at(L, n), "size '%s' is larger than 1000pt", n->value);
            FAIL(L);
        }
    }
    if ((n = ymap_get(v, "leading")) && length_at(L, n, "leading", 1, &st->leading)) g->leading = true;
    if ((n = ymap_get(v, "align"))) {
        const char *a = ytext(L->doc, n, "align", L->d);
        if (!a) FAIL(L);
        else if (strcmp(a, "left") == 0) st->align = SPEC_ALIGN_LEFT;
        else if (strcmp(a, "justify") == 0) st->align = SPEC_ALIGN_JUSTIFY;
        else if (strcmp(a, "centre") == 0 || strcmp(a, "center") == 0) st->align = SPEC_ALIGN_CENTRE;
        else if (strcmp(a, "right") == 0) st->align = SPEC_ALIGN_RIGHT;
        else {
            diag_error(L->d, at(L, n), "align must be left, justify, centre or right, found '%s'", a);
            FAIL(L);
        }
    }
    if ((n = ymap_get(v, "hyphenate"))) {
        /* true, false, or "if-needed": words break only when one is wider
         * than the measure (labels and headings) */
        st->hyphenate_if_needed = n->kind == YNODE_SCALAR && n->value && strcmp(n->value, "if-needed") == 0;
        if (st->hyphenate_if_needed) st->hyphenate = true;
        else opt_bool(L, v, "hyphenate", "hyphenate", &st->hyphenate);
    }
    if ((n = ymap_get(v, "colour"))) {
        const char *c = ytext(L->doc, n, "colour", L->d);
        const spec_colour_t *sc = c ? spec_find_colour(s, c) : NULL;
        if (c && !sc && !L->colours_misspelt) {
            make_names(L);
            const char **names = L->colour_names;
            const char *sg = names ? ysuggest(c, names) : NULL;
            if (sg || !names)
                diag_error(L->d, at(L, n), "style '%s' uses colour '%s', which 'colours' does not define%s%s%s",
                           st->name, c, sg ? "; did you mean '" : "", sg ? sg : "", sg ? "'?" : "");
            else
                diag_error(L->d, at(L, n),
                           "style '%s' uses colour '%s', which 'colours' does not define; the colours are: %s",
                           st->name, c, L->colour_list);
        }
        if (!sc) FAIL(L);
        else st->colour = (size_t)(sc - s->colours);
    }
    opt_length(L, v, "space_before", "space_before", 0, &st->space_before);
    opt_length(L, v, "space_after", "space_after", 0, &st->space_after);
    opt_length(L, v, "indent", "indent", 0, &st->indent);
    opt_length(L, v, "first_indent", "first_indent", -1000, &st->first_indent);
    opt_bool(L, v, "keep_with_next", "keep_with_next", &st->keep_with_next);
    opt_bool(L, v, "page_break_before", "page_break_before", &st->page_break_before);
    opt_bool(L, v, "uppercase", "uppercase", &st->uppercase);
}

/* A style's place in the based_on graph. Positions index the `styles` map;
 * a name resolves to the first key spelt so (as ymap_get does). */
#define STYLE_ROOT ((size_t)-1)     /* no based_on, or based on a non-map */
#define STYLE_NOWHERE ((size_t)-2)  /* based_on is not a name of a style */

enum { CHAIN_UNSEEN, CHAIN_WALKING, CHAIN_OK, CHAIN_BAD };

typedef struct style_slot {
    size_t parent;     /* a position, STYLE_ROOT or STYLE_NOWHERE */
    int chain;         /* CHAIN_*: whether following based_on ends at a root */
    bool on_cycle;
    bool folded;       /* st and g hold the whole chain applied, quietly */
    spec_style_t st;
    style_given_t g;
} style_slot_t;

/* The based_on name of style map `v`, or NULL when it has none usable. */
static const char *based_on_name(const ynode_t *v) {
    const ynode_t *b = ymap_get(v, "based_on");
    if (!b || b->kind != YNODE_SCALAR || ynode_is_null(b)) return NULL;
    for (const char *p = b->value; *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') return b->value;
    return NULL; /* blank: ytext refuses it */
}

/* The position of the first style called `name`, or STYLE_NOWHERE. */
static size_t style_position(const ynode_t *styles, const char *name) {
    for (size_t j = 0; j < styles->count; j++) {
        const ynode_t *k = styles->items[2 * j];
        if (k->kind == YNODE_SCALAR && strcmp(k->value, name) == 0) return j;
    }
    return STYLE_NOWHERE;
}

/* Resolves every style's parent and whether its chain ends at a root, each
 * style walked once (a chain of n styles is not walked n times). `path` has
 * room for styles->count positions. */
static void resolve_chains(const ynode_t *styles, style_slot_t *slots, size_t *path) {
    size_t n = styles->count;
    for (size_t i = 0; i < n; i++) {
        const ynode_t *v = styles->items[2 * i + 1];
        slots[i].parent = STYLE_ROOT;
        if (v->kind != YNODE_MAP || !ymap_get(v, "based_on")) continue;
        const char *bn = based_on_name(v);
        size_t p = bn ? style_position(styles, bn) : STYLE_NOWHERE;
        /* A style based on a value that is no map inherits nothing; that
         * value is reported as a style of its own. */
        if (p != STYLE_NOWHERE && styles->items[2 * p + 1]->kind != YNODE_MAP) p = STYLE_ROOT;
        slots[i].parent = p;
    }
    for (size_t i = 0; i < n; i++) {
        size_t len = 0, cur = i;
        int result;
        for (;;) {
            style_slot_t *sl = &slots[cur];
            if (sl->chain == CHAIN_OK || sl->chain == CHAIN_BAD) { result = sl->chain; break; }
            if (sl->chain == CHAIN_WALKING) { /* back on this walk: a cycle from cur to here */
                for (size_t j = len; j-- > 0;) {
                    slots[path[j]].on_cycle = true;
                    if (path[j] == cur) break;
                }
                result = CHAIN_BAD;
                break;
            }
            sl->chain = CHAIN_WALKING;
            path[len++] = cur;
            if (sl->parent == STYLE_ROOT) { result = CHAIN_OK; break; }
            if (sl->parent == STYLE_NOWHERE) { result = CHAIN_BAD; break; }
            cur = sl->parent;
        }
        for (size_t j = 0; j < len; j++) slots[path[j]].chain = result;
    }
}

/* Reports the based_on cycle through style `i`, once per cycle: at the
 * member that comes first in the file. */
static void report_cycle(loader_t *L, const ynode_t *styles, const style_slot_t *slots, size_t i) {
    size_t cap = strlen(styles->items[2 * i]->value) + 1;
    size_t j = i;
    do {
        if (j < i) return;
        cap += strlen(based_on_name(styles->items[2 * j + 1])) + 5;
        j = slots[j].parent;
    } while (j != i);
    char *path = arena_alloc(L->s->arena, cap);
    if (!path) return;
    strcpy(path, styles->items[2 * i]->value);
    j = i;
    do {
        strcat(path, " → ");
        strcat(path, based_on_name(styles->items[2 * j + 1]));
        j = slots[j].parent;
    } while (j != i);
    const ynode_t *v = styles->items[2 * i + 1];
    diag_error(L->d, at(L, ymap_get(v, "based_on")), "style '%s' is based on itself: %s (a based_on cycle)",
               styles->items[2 * i]->value, path);
}

/* A style before any map is applied. */
static void style_init(spec_style_t *st, style_given_t *g) {
    memset(st, 0, sizeof *st);
    memset(g, 0, sizeof *g);
    st->hyphenate = true;
    st->family = 0;
}

/* Style `p` with its whole based_on chain applied (a root first), reporting
 * into `quiet`: the problems of each map are reported when that style is
 * loaded itself. Each style is applied once however many build on it. The
 * chain must end at a root. */
static const style_slot_t *style_folded(loader_t *L, const ynode_t *styles, style_slot_t *slots, size_t *path,
                                        size_t p, diag_t *quiet) {
    size_t len = 0;
    for (size_t cur = p; cur != STYLE_ROOT && !slots[cur].folded; cur = slots[cur].parent) path[len++] = cur;
    diag_t *own = L->d;
    if (quiet) L->d = quiet;
    for (size_t j = len; j-- > 0;) {
        style_slot_t *sl = &slots[path[j]];
        if (sl->parent == STYLE_ROOT) {
            style_init(&sl->st, &sl->g);
        } else {
            sl->st = slots[sl->parent].st;
            sl->g = slots[sl->parent].g;
        }
        sl->st.name = styles->items[2 * path[j]]->value;
        apply_style(L, styles->items[2 * path[j] + 1], &sl->st, &sl->g);
        sl->folded = true;
    }
    L->d = own;
    return &slots[p];
}

static void load_styles(loader_t *L, const ynode_t *root) {
    spec_t *s = L->s;
    const ynode_t *styles = ymap_get(root, "styles");
    if (!styles) return;
    if (!yexpect(L->doc, styles, YNODE_MAP, "styles", L->d)) { FAIL(L); return; }
    s->styles = arena_alloc(s->arena, (styles->count + 1) * sizeof *s->styles);
    style_slot_t *slots = calloc(styles->count + 1, sizeof *slots);
    size_t *path = calloc(styles->count + 1, sizeof *path);
    if (!s->styles || !slots || !path) {
        diag_error(L->d, diag_file(s->path), "out of memory");
        FAIL(L);
        free(slots);
        free(path);
        return;
    }
    resolve_chains(styles, slots, path);
    const char **names = NULL; /* the style names, for a did-you-mean; made once */
    diag_t *quiet = diag_new(NULL); /* swallows the errors of inherited maps */
    for (size_t i = 0; i < styles->count; i++) {
        const ynode_t *k = styles->items[2 * i], *v = styles->items[2 * i + 1];
        if (k->kind != YNODE_SCALAR) continue;
        char what[160];
        snprintf(what, sizeof what, "style '%.100s'", k->value);
        if (!ymap_check(L->doc, v, what, style_keys, NULL, L->d)) {
            FAIL(L);
            if (v->kind != YNODE_MAP) continue;
        }
        for (size_t j = 0; j < i; j++) {
            const ynode_t *o = styles->items[2 * j];
            if (o->kind == YNODE_SCALAR && strcmp(o->value, k->value) == 0) {
                diag_error(L->d, at(L, k), "style '%s' is defined twice", k->value);
                FAIL(L);
            }
        }
        /* The style's own based_on is reported here; problems further up
         * the chain are reported when those styles are loaded themselves. */
        const ynode_t *b = ymap_get(v, "based_on");
        if (b) {
            const char *bn = ytext(L->doc, b, "based_on", L->d);
            if (bn && slots[i].parent == STYLE_NOWHERE) {
                if (!names) {
                    names = arena_alloc(s->arena, (styles->count + 1) * sizeof *names);
                    size_t nn = 0;
                    for (size_t j = 0; names && j < styles->count; j++)
                        if (styles->items[2 * j]->kind == YNODE_SCALAR) names[nn++] = styles->items[2 * j]->value;
                }
                const char *sg = names ? ysuggest(bn, names) : NULL;
                diag_error(L->d, at(L, b), "style '%s' is based on '%s', which is not defined%s%s%s", k->value, bn,
                           sg ? "; did you mean '" : "", sg ? sg : "", sg ? "'?" : "");
            }
        }
        if (slots[i].chain != CHAIN_OK) {
            if (slots[i].on_cycle) report_cycle(L, styles, slots, i);
            FAIL(L);
            continue;
        }
        spec_style_t st;
        style_given_t g;
        if (slots[i].parent == STYLE_ROOT) {
            style_init(&st, &g);
        } else {
            const style_slot_t *up = style_folded(L, styles, slots, path, slots[i].parent, quiet);
            st = up->st;
            g = up->g;
        }
        st.name = arena_strdup(s->arena, k->value);
        st.loc = at(L, k);
        apply_style(L, v, &st, &g);
        if (!g.font) {
            if (L->fonts_misspelt) {
                FAIL(L); /* the did-you-mean for 'fonts' says it */
            } else if (s->family_count == 0) {
                diag_error(L->d, at(L, k), "style '%s' names no font and the layout defines no 'fonts'", st.name);
                FAIL(L);
            } else if (s->family_count > 1) {
                diag_error(L->d, at(L, k), "style '%s' needs a 'font' (one of the families under 'fonts')", st.name);
                FAIL(L);
            }
        }
        if (!g.size) {
            diag_error(L->d, at(L, k), "style '%s' needs a 'size', e.g. size: 10pt", st.name);
            FAIL(L);
        }
        if (!g.leading) st.leading = st.size * 1.2;
        if (g.size_ok && st.leading < st.size * 0.8) {
            diag_error(L->d, at(L, k), "style '%s' has leading %.1fpt, less than 0.8 × its size %.1fpt", st.name,
                       st.leading, st.size);
            FAIL(L);
        }
        if ((g.font_ok || !g.font) && st.family < s->family_count) {
            const spec_family_t *f = &s->families[st.family];
            int face = (st.bold ? 2 : 0) + (st.italic ? 1 : 0);
            if (!f->files[face] && f->files[0]) {
                static const char *const fn[] = {"regular", "italic", "bold", "bold_italic"};
                diag_error(L->d, at(L, k), "style '%s' is %s but font family '%s' has no '%s' file", st.name,
                           fn[face], f->name, fn[face]);
                FAIL(L);
            }
        }
        s->styles[s->style_count++] = st;
    }
    diag_drop(quiet);
    free(slots);
    free(path);
}

/* ---- labels -------------------------------------------------------------- */

static void load_labels(loader_t *L, const ynode_t *root) {
    spec_t *s = L->s;
    const ynode_t *labels = ymap_get(root, "labels");
    if (!labels) return;
    if (!yexpect(L->doc, labels, YNODE_MAP, "labels", L->d)) { FAIL(L); return; }
    s->labels = arena_alloc(s->arena, (labels->count + 1) * sizeof *s->labels);
    for (size_t i = 0; i < labels->count; i++) {
        const ynode_t *k = labels->items[2 * i], *v = labels->items[2 * i + 1];
        if (k->kind != YNODE_SCALAR) continue;
        char what[160];
        snprintf(what, sizeof what, "label '%.100s'", k->value);
        const char *t = ytext(L->doc, v, what, L->d);
        if (!t) { FAIL(L); continue; }
        bool dup = false;
        for (size_t j = 0; j < s->label_count; j++)
            if (strcmp(s->labels[j].key, k->value) == 0) dup = true;
        if (dup) {
            diag_error(L->d, at(L, k), "label '%s' is defined twice", k->value);
            FAIL(L);
            continue;
        }
        spec_label_t *lb = &s->labels[s->label_count++];
        lb->key = arena_strdup(s->arena, k->value);
        lb->text = arena_strdup(s->arena, t);
        lb->loc = at(L, k);
    }
}

/* ---- the file ------------------------------------------------------------ */

static const char *const top_keys[] = {"kind", "page", "fonts", "font_fallback", "colours", "styles",
                                       "labels", "tagged", "sheet", "punctuation", "print", NULL};
static const char *const required[] = {"kind", "fonts", "styles", NULL};

/* Whether `key` is absent from the layout and an unknown top-level key
 * got it as its did-you-mean ("colors" for "colours"). */
static bool misspelt_top_key(const ynode_t *root, const char *key) {
    if (ymap_get(root, key)) return false;
    for (size_t i = 0; i < root->count; i++) {
        const ynode_t *k = root->items[2 * i];
        if (k->kind != YNODE_SCALAR || ymap_get(root, k->value) != root->items[2 * i + 1]) continue;
        bool known = false;
        for (size_t j = 0; top_keys[j]; j++) known |= strcmp(top_keys[j], k->value) == 0;
        const char *sg = known ? NULL : ysuggest(k->value, top_keys);
        if (sg && strcmp(sg, key) == 0) return true;
    }
    return false;
}

static const char *stem_of(arena_t *a, const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return arena_strndup(a, base, n);
}

static spec_t *spec_from_doc(const char *path, ydoc_t *doc, const char *installed_fonts, const char *const *kinds,
                             diag_t *d);

spec_t *spec_load(const char *path, const char *installed_fonts, const char *const *kinds, diag_t *d) {
    ydoc_t *doc = ydoc_load(path, d);
    if (!doc) return NULL;
    return spec_from_doc(path, doc, installed_fonts, kinds, d);
}

spec_t *spec_parse(const char *path, const char *bytes, size_t len, const char *installed_fonts,
                   const char *const *kinds, diag_t *d) {
    ydoc_t *doc = ydoc_parse(path, bytes, len, d);
    if (!doc) return NULL;
    return spec_from_doc(path, doc, installed_fonts, kinds, d);
}

/* "a, b, c or d" of a NULL-terminated list, in the spec's arena. */
static const char *or_list(arena_t *a, const char *const *names) {
    size_t n = 0, len = 1;
    while (names[n]) len += strlen(names[n++]) + 4;
    char *s = arena_alloc(a, len);
    if (!s) return "";
    s[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i) strcat(s, i + 1 == n ? " or " : ", ");
        strcat(s, names[i]);
    }
    return s;
}

static spec_t *spec_from_doc(const char *path, ydoc_t *doc, const char *installed_fonts, const char *const *kinds,
                             diag_t *d) {
    spec_t *s = calloc(1, sizeof *s);
    arena_t *arena = arena_new();
    if (!s || !arena) {
        free(s);
        arena_drop(arena);
        ydoc_drop(doc);
        diag_error(d, diag_file(path), "out of memory");
        return NULL;
    }
    s->arena = arena;
    s->doc = doc;
    s->path = arena_strdup(arena, path);
    s->stem = stem_of(arena, path);
    s->fallback_family = -1;
    s->tagged = true;
    static const char *const no_kinds[] = {NULL};
    if (!kinds) kinds = no_kinds;
    loader_t L = {.s = s, .kinds = kinds, .doc = doc, .d = d, .installed_fonts = installed_fonts, .ok = true};
    const ynode_t *root = doc->root;
    if (!root || ynode_is_null(root)) {
        diag_error(d, diag_file(path), "the layout file is empty");
        spec_drop(s);
        return NULL;
    }
    /* Known at the top: the shared keys and a block per kind. */
    size_t nk = 0, nt = 0;
    while (kinds[nk]) nk++;
    while (top_keys[nt]) nt++;
    const char **known = arena_alloc(arena, (nt + nk + 1) * sizeof *known);
    if (!known) {
        diag_error(d, diag_file(path), "out of memory");
        spec_drop(s);
        return NULL;
    }
    memcpy(known, top_keys, nt * sizeof *known);
    memcpy(known + nt, kinds, (nk + 1) * sizeof *known);
    /* "profiles: 42" at the top of a card layout belongs in the card block:
     * an unknown key says where the kind's own settings go. */
    char hint[96] = "";
    const ynode_t *kn = ymap_get(root, "kind");
    for (size_t i = 0; kn && kn->kind == YNODE_SCALAR && i < nk; i++)
        if (strcmp(kn->value, kinds[i]) == 0)
            snprintf(hint, sizeof hint, "; a setting of the %s itself goes indented under '%s:'", kinds[i], kinds[i]);
    if (!ymap_check_hint(doc, root, "the layout", known, required, hint[0] ? hint : NULL, d)) L.ok = false;
    if (root->kind != YNODE_MAP) {
        spec_drop(s);
        return NULL;
    }
    L.fonts_misspelt = misspelt_top_key(root, "fonts");
    L.colours_misspelt = misspelt_top_key(root, "colours");
    const ynode_t *kind = ymap_get(root, "kind");
    bool kind_ok = false;
    if (kind) {
        const char *k = ytext(doc, kind, "kind", d);
        for (size_t i = 0; k && i < nk; i++)
            if (strcmp(k, kinds[i]) == 0) {
                s->kind = kinds[i];
                kind_ok = true;
            }
        if (k && !kind_ok) {
            const char *sg = ysuggest(k, kinds);
            diag_error(d, at(&L, kind), "unknown kind '%s'%s%s%s; use %s", k, sg ? " (did you mean '" : "",
                       sg ? sg : "", sg ? "'?)" : "", or_list(arena, kinds));
        }
        if (!kind_ok) L.ok = false;
    }
    if (kind_ok) {
        for (size_t j = 0; j < root->count; j++) {
            const ynode_t *key = root->items[2 * j], *blk = root->items[2 * j + 1];
            for (size_t i = 0; key->kind == YNODE_SCALAR && i < nk; i++) {
                if (strcmp(key->value, kinds[i]) != 0 || ymap_get(root, key->value) != blk) continue;
                if (kinds[i] == s->kind) {
                    if (!yexpect(doc, blk, YNODE_MAP, kinds[i], d)) L.ok = false;
                    else s->kind_block = blk;
                } else {
                    diag_error(d, at(&L, key), "'%s' settings do not belong in a layout of kind '%s'", kinds[i],
                               s->kind);
                    L.ok = false;
                }
            }
        }
    }
    const ynode_t *sheet = ymap_get(root, "sheet");
    if (sheet && !yexpect(doc, sheet, YNODE_MAP, "sheet", d)) L.ok = false;
    else s->sheet_block = sheet;
    const ynode_t *print = ymap_get(root, "print");
    if (print && !yexpect(doc, print, YNODE_MAP, "print", d)) L.ok = false;
    else s->print_block = print;
    load_page(&L, root);
    load_fonts(&L, root);
    const ynode_t *fb = ymap_get(root, "font_fallback");
    if (fb) {
        const char *name = ytext(doc, fb, "font_fallback", d);
        if (name) s->fallback_family = find_family(s, name);
        if (!name || s->fallback_family < 0) {
            if (name) diag_error(d, at(&L, fb), "font_fallback '%s' is not a family under 'fonts'", name);
            L.ok = false;
        }
    }
    load_colours(&L, root);
    load_styles(&L, root);
    load_labels(&L, root);
    const ynode_t *tg = ymap_get(root, "tagged");
    if (tg && !ybool(doc, tg, "tagged", &s->tagged, d)) L.ok = false;
    const ynode_t *pu = ymap_get(root, "punctuation");
    if (pu) {
        const char *v = ytext(doc, pu, "punctuation", d);
        if (!v) L.ok = false;
        else if (strcmp(v, "danish") == 0) s->punctuation = TEXT_PUNCT_GUILLEMETS;
        else if (strcmp(v, "danish-curly") == 0) s->punctuation = TEXT_PUNCT_CURLY;
        else if (strcmp(v, "as-written") == 0) s->punctuation = TEXT_PUNCT_AS_WRITTEN;
        else {
            diag_error(d, at(&L, pu), "punctuation must be danish, danish-curly or as-written, found '%s'", v);
            L.ok = false;
        }
    }
    if (!L.ok || diag_error_count(d) > 0) {
        spec_drop(s);
        return NULL;
    }
    return s;
}

void spec_drop(spec_t *s) {
    if (!s) return;
    ydoc_drop(s->doc);
    arena_drop(s->arena);
    free(s);
}

const spec_style_t *spec_find_style(const spec_t *s, const char *name) {
    for (size_t i = 0; i < s->style_count; i++)
        if (strcmp(s->styles[i].name, name) == 0) return &s->styles[i];
    return NULL;
}

const spec_colour_t *spec_find_colour(const spec_t *s, const char *name) {
    for (size_t i = 0; i < s->colour_count; i++)
        if (strcmp(s->colours[i].name, name) == 0) return &s->colours[i];
    return NULL;
}

const char *spec_label(const spec_t *s, const char *key) {
    for (size_t i = 0; i < s->label_count; i++)
        if (strcmp(s->labels[i].key, key) == 0) return s->labels[i].text;
    return NULL;
}

const spec_style_t *spec_require_style(const spec_t *s, const char *name, diag_t *d) {
    const spec_style_t *st = spec_find_style(s, name);
    if (!st)
        diag_error(d, diag_file(s->path), "layout defines no style '%s', which kind '%s' needs", name, s->kind);
    return st;
}

const char *spec_require_label(const spec_t *s, const char *key, diag_t *d) {
    const char *t = spec_label(s, key);
    if (!t)
        diag_error(d, diag_file(s->path), "layout defines no label '%s', which kind '%s' prints", key, s->kind);
    return t;
}
