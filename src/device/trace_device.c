/* device/trace_device: the trace device. Its format is stable and diffable, and says
 * what reference images at low resolution can miss:
 *   doc "TITLE" author "…" subject "…" lang LANG [print "CONDITION"] tagged|untagged
 *   page N media W x H trim X0,Y0,X1,Y1 [bleed X0,Y0,X1,Y1]
 *   text TAG FONT SIZE [xH%] COLOUR @ X,Y "TEXT" gid:adv ...    (glyphs)
 *   line TAG FONT SIZE [xH%] COLOUR @ X0-X1,Y "WORDS"          (lines)
 *   rect TAG fill COLOUR @ X,Y W,H
 *   rule TAG stroke COLOUR @ X,Y W,H width LW   (a line to X+W,Y+H)
 *   frame TAG stroke COLOUR @ X,Y W,H width LW  (a rectangle)
 *   link TAG @ X,Y W,H -> page N "CONTENTS"
 *   field TAG text "NAME" @ X,Y W,H [multiline] FONT SIZE COLOUR tip "TU" [value "V"]
 *   field TAG radio "NAME" option "V" @ X,Y W,H tip "TU"
 *   underlay U (its items are listed where it is first used)
 *   outline LEVEL "TITLE" page N / label FIRST STYLE START
 * TAG is the structure element the item belongs to, or Artifact (running
 * heads Artifact:Header, folios and feet Artifact:Footer, design that
 * repeats what is read elsewhere Artifact:Layout). Boxes are
 * in the PDF's coordinates (the MediaBox's origin); items in the trimmed
 * page's. Colours name their space: grey(G), rgb(R,G,B), cmyk(C,M,Y,K),
 * each 0..1 with three decimals, so a one-step change of an 8-bit colour
 * shows. Numbers are printed by hand so that the locale's decimal
 * separator never leaks in. The lines level merges the words of a line
 * (same baseline, font, size, colour, element) into one record and leaves
 * out glyph ids: small enough to keep a golden trace of every layout. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include "device/device.h"

static void num_places(FILE *f, double v, int places) {
    long long scale = places == 3 ? 1000 : 100;
    long long c = llround(v * (double)scale);
    if (c < 0) { fputc('-', f); c = -c; }
    fprintf(f, "%lld.%0*lld", c / scale, places, c % scale);
}

static void num(FILE *f, double v) { num_places(f, v, 2); }

static void pair(FILE *f, double a, double b, char sep) {
    num(f, a);
    fputc(sep, f);
    num(f, b);
}

static void colour(FILE *f, colour_t c) {
    static const char *const names[] = {"grey", "rgb", "cmyk", "registration"};
    int n = c.space == COLOUR_CMYK ? 4 : c.space == COLOUR_RGB ? 3 : 1;
    fprintf(f, "%s(", names[c.space]);
    for (int i = 0; i < n; i++) {
        if (i) fputc(',', f);
        num_places(f, c.v[i], 3);
    }
    fputc(')', f);
}

static void box(FILE *f, const char *name, double x0, double y0, double x1, double y1) {
    fprintf(f, " %s ", name);
    pair(f, x0, y0, ',');
    fputc(',', f);
    pair(f, x1, y1, ',');
}

static void quoted(FILE *f, const char *s, size_t len) {
    fputc('"', f);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"' || s[i] == '\\') fputc('\\', f);
        if (s[i] == '\n') fputs("\\n", f);
        else fputc(s[i], f);
    }
    fputc('"', f);
}

/* The element an item belongs to, by name: items of an underlay name
 * elements of the underlay's own document. */
static const char *tag_of(const doc_t *doc, const doc_t *owner, const doc_item_t *it) {
    (void)doc;
    if (!it->node && it->artifact == DOC_ARTIFACT_HEADER) return "Artifact:Header";
    if (!it->node && it->artifact == DOC_ARTIFACT_FOOTER) return "Artifact:Footer";
    if (!it->node && it->artifact == DOC_ARTIFACT_LAYOUT) return "Artifact:Layout";
    if (!it->node || !owner || it->node >= owner->node_count) return "Artifact";
    return doc_tag_name(owner->nodes[it->node].tag);
}

/* The text of a glyph item from its first glyph's cluster on (a line's
 * first item may start inside a word broken at a hyphen). */
static void item_text(const doc_item_t *it, const char **s, size_t *len) {
    size_t t0 = it->glyph_count ? it->glyphs[0].cluster : 0;
    if (t0 > it->text_len) t0 = it->text_len;
    *s = it->text + t0;
    *len = it->text_len - t0;
}

static void glyph_head(FILE *f, const char *what, const char *tag, const doc_item_t *it) {
    fprintf(f, "  %s %s %s ", what, tag, font_metrics(it->font)->postscript_name);
    num(f, it->size);
    if (it->hscale != 0 && it->hscale != 1) {
        fputs(" x", f);
        num(f, it->hscale * 100);
        fputc('%', f);
    }
    fputc(' ', f);
    colour(f, it->colour);
    fputs(" @ ", f);
}

static bool same_line(const doc_item_t *a, const doc_item_t *b) {
    return b->kind == DOC_GLYPHS && a->y == b->y && a->font == b->font && a->size == b->size &&
           a->node == b->node && a->hscale == b->hscale && a->colour.space == b->colour.space &&
           memcmp(a->colour.v, b->colour.v, sizeof a->colour.v) == 0 && b->x >= a->x;
}

typedef struct trace_device {
    device_t base;
    device_trace_detail_t detail;
    FILE *f;                 /* into `text` */
    char *text;
    size_t len;
    const doc_page_t **seen; /* underlays listed so far, in order of first use */
    size_t nseen;
    bool oom;
    const doc_page_t *page;  /* the page being listed (its field prefix) */
    /* The lines level: the line being gathered (its first and last item). */
    const doc_item_t *first, *last;
    const char *first_tag;
} trace_device_t;

/* Writes the line gathered so far, if any. */
static void flush_line(trace_device_t *td, const doc_item_t *until) {
    FILE *f = td->f;
    const doc_item_t *it = td->first;
    if (!it) return;
    const doc_item_t *last = td->last;
    double right = last->x, em = font_metrics(last->font)->units_per_em;
    for (size_t g = 0; g < last->glyph_count; g++)
        right += last->glyphs[g].advance * last->size / em * (last->hscale ? last->hscale : 1);
    glyph_head(f, "line", td->first_tag, it);
    num(f, it->x);
    fputc('-', f);
    num(f, right);
    fputc(',', f);
    num(f, it->y);
    fputs(" \"", f);
    for (const doc_item_t *w = it; w <= last; w++) {
        const char *s;
        size_t len;
        item_text(w, &s, &len);
        if (w > it) fputc(' ', f);
        for (size_t i = 0; i < len; i++) {
            if (s[i] == '"' || s[i] == '\\') fputc('\\', f);
            fputc(s[i], f);
        }
    }
    fputs("\"\n", f);
    td->first = td->last = NULL;
    (void)until;
}

/* A form field with its full name (the page's prefix first). */
static void trace_field(FILE *f, const doc_page_t *page, const char *tag, const doc_item_t *it) {
    const doc_field_t *fd = it->field;
    const char *prefix = page ? page->field_prefix : NULL;
    fprintf(f, "  field %s %s \"%s%s%s\"", tag, fd->kind == DOC_FIELD_RADIO ? "radio" : "text", prefix ? prefix : "",
            prefix ? "." : "", fd->name);
    if (fd->kind == DOC_FIELD_RADIO) fprintf(f, " option \"%s\"", fd->option);
    fputs(" @ ", f);
    pair(f, it->x, it->y, ',');
    fputc(' ', f);
    pair(f, it->w, it->h, ',');
    if (fd->kind == DOC_FIELD_TEXT) {
        fprintf(f, "%s %s ", fd->multiline ? " multiline" : "", font_metrics(fd->font)->postscript_name);
        num(f, fd->size);
        fputc(' ', f);
        colour(f, fd->colour);
    }
    fputs(" tip ", f);
    quoted(f, fd->tooltip, strlen(fd->tooltip));
    if (fd->value) {
        fputs(" value ", f);
        quoted(f, fd->value, strlen(fd->value));
    }
    fputc('\n', f);
}

static void trace_item(device_t *dev, const doc_item_t *it, const doc_t *owner, bool from_underlay) {
    trace_device_t *td = (trace_device_t *)dev;
    FILE *f = td->f;
    const char *tag = tag_of(dev->doc, owner, it);
    (void)from_underlay;
    if (td->detail == DEVICE_TRACE_LINES && it->kind == DOC_GLYPHS) {
        /* The words of one line are consecutive items of one array. */
        if (td->first && td->last + 1 == it && same_line(td->last, it)) {
            td->last = it;
            return;
        }
        flush_line(td, it);
        td->first = td->last = it;
        td->first_tag = tag;
        return;
    }
    flush_line(td, it);
    switch (it->kind) {
    case DOC_GLYPHS: {
        const char *s;
        size_t len;
        glyph_head(f, "text", tag, it);
        pair(f, it->x, it->y, ',');
        fputc(' ', f);
        item_text(it, &s, &len);
        quoted(f, s, len);
        for (size_t g = 0; g < it->glyph_count; g++) {
            fprintf(f, " %u:%d", it->glyphs[g].gid, it->glyphs[g].advance);
            if (it->glyphs[g].x_offset || it->glyphs[g].y_offset)
                fprintf(f, "(%d,%d)", it->glyphs[g].x_offset, it->glyphs[g].y_offset);
        }
        fputc('\n', f);
        break;
    }
    case DOC_RECT:
    case DOC_RULE:
    case DOC_FRAME:
        fprintf(f, "  %s %s %s ", it->kind == DOC_RECT ? "rect" : it->kind == DOC_RULE ? "rule" : "frame", tag,
                it->kind == DOC_RECT ? "fill" : "stroke");
        colour(f, it->colour);
        fputs(" @ ", f);
        pair(f, it->x, it->y, ',');
        fputc(' ', f);
        pair(f, it->w, it->h, ',');
        if (it->kind != DOC_RECT) { fputs(" width ", f); num(f, it->line_width); }
        fputc('\n', f);
        break;
    case DOC_LINK:
        fprintf(f, "  link %s @ ", tag);
        pair(f, it->x, it->y, ',');
        fputc(' ', f);
        pair(f, it->w, it->h, ',');
        fprintf(f, " -> page %zu y ", it->target_page + 1);
        num(f, it->target_y);
        if (it->text) {
            fputc(' ', f);
            quoted(f, it->text, strlen(it->text));
        }
        fputc('\n', f);
        break;
    case DOC_FIELD:
        trace_field(f, td->page, tag, it);
        break;
    }
}

static bool trace_begin_page(device_t *dev, size_t index, const doc_page_t *p) {
    trace_device_t *td = (trace_device_t *)dev;
    FILE *f = td->f;
    doc_media_t m = doc_media(p);
    td->page = p;
    fprintf(f, "page %zu media ", index + 1);
    pair(f, m.w, m.h, 'x');
    box(f, "trim", m.x, m.y, m.x + p->width, m.y + p->height);
    if (p->bleed > 0)
        box(f, "bleed", m.x - p->bleed, m.y - p->bleed, m.x + p->width + p->bleed, m.y + p->height + p->bleed);
    fputc('\n', f);
    return true;
}

/* Underlays are numbered in order of first use and listed there. */
static device_underlay_t trace_underlay(device_t *dev, const doc_page_t *p) {
    trace_device_t *td = (trace_device_t *)dev;
    size_t u = 0;
    while (u < td->nseen && td->seen[u] != p->underlay) u++;
    fprintf(td->f, "  underlay %zu\n", u + 1);
    if (u < td->nseen) return DEVICE_UNDERLAY_DONE;
    const doc_page_t **ns = realloc(td->seen, (td->nseen + 1) * sizeof *ns);
    if (!ns) {
        td->oom = true;
        return DEVICE_UNDERLAY_DONE;
    }
    td->seen = ns;
    td->seen[td->nseen++] = p->underlay;
    for (size_t k = 0; k < p->underlay->count; k++) trace_item(dev, &p->underlay->items[k], p->underlay_doc, true);
    flush_line(td, NULL);
    fprintf(td->f, "  end underlay %zu\n", u + 1);
    return DEVICE_UNDERLAY_DONE;
}

static bool trace_end_page(device_t *dev) {
    flush_line((trace_device_t *)dev, NULL);
    return true;
}

static bool trace_save(device_t *dev, FILE *out, const char *path) {
    trace_device_t *td = (trace_device_t *)dev;
    const doc_t *doc = dev->doc;
    FILE *f = td->f;
    for (size_t i = 0; i < doc->outline_count; i++) {
        fprintf(f, "outline %d ", doc->outline[i].level);
        quoted(f, doc->outline[i].title, strlen(doc->outline[i].title));
        fprintf(f, " page %zu\n", doc->outline[i].page + 1);
    }
    for (size_t i = 0; i < doc->label_count; i++)
        fprintf(f, "label %zu %c %d%s%s\n", doc->labels[i].first_page + 1,
                doc->labels[i].style ? doc->labels[i].style : '-', doc->labels[i].start,
                doc->labels[i].prefix ? " " : "", doc->labels[i].prefix ? doc->labels[i].prefix : "");
    if (fflush(f) != 0 || ferror(f) || td->oom) {
        diag_error(dev->d, diag_file(path), "out of memory writing the trace");
        return false;
    }
    bool ok = fwrite(td->text, 1, td->len, out) == td->len && fflush(out) == 0;
    if (!ok) diag_error(dev->d, diag_file(path), "cannot write the trace: %s", strerror(errno ? errno : EIO));
    return ok;
}

static void trace_drop(device_t *dev) {
    trace_device_t *td = (trace_device_t *)dev;
    if (td->f) fclose(td->f);
    free(td->text);
    free(td->seen);
    free(td);
}

static const device_ops_t trace_ops = {trace_begin_page, trace_underlay, NULL, trace_item, trace_end_page,
                                       trace_save, trace_drop};

static void meta(FILE *f, const char *key, const char *value) {
    if (!value) return;
    fprintf(f, " %s ", key);
    quoted(f, value, strlen(value));
}

device_t *device_trace_new(const doc_t *doc, device_trace_detail_t detail, diag_t *d) {
    trace_device_t *td = calloc(1, sizeof *td);
    if (td) td->f = open_memstream(&td->text, &td->len);
    if (!td || !td->f) {
        free(td);
        diag_error(d, diag_nowhere(), "out of memory writing the trace");
        return NULL;
    }
    td->base = (device_t){&trace_ops, doc, d};
    td->detail = detail;
    FILE *f = td->f;
    fputs("doc", f);
    meta(f, "title", doc->title);
    meta(f, "author", doc->author);
    meta(f, "subject", doc->subject);
    meta(f, "lang", doc->lang);
    if (doc->print) meta(f, "print", doc->print->condition_id); /* a PDF/X file for this condition */
    fputs(doc->tagged ? " tagged\n" : " untagged\n", f);
    return &td->base;
}
