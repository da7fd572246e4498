/* page: a first-fit page builder with look-ahead for keeps. Lines sit on a
 * grid of their paragraph's leading; a frame is a column of a page. */
#include "page.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

page_block_t *page_blocks_add(page_blocks_t *b) {
    if (b->count == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 64;
        page_block_t *nv = realloc(b->v, nc * sizeof *nv);
        if (!nv) return NULL;
        b->v = nv;
        b->cap = nc;
    }
    page_block_t *blk = &b->v[b->count++];
    memset(blk, 0, sizeof *blk);
    blk->widows = 2;
    blk->orphans = 2;
    return blk;
}

void page_blocks_free(page_blocks_t *b) {
    free(b->v);
    memset(b, 0, sizeof *b);
}

double page_column_width(const page_frame_spec_t *f) {
    double w = f->width - f->inner - f->outer;
    return (w - (f->columns - 1) * f->gutter) / f->columns;
}

double page_block_height(const page_block_t *b) {
    switch (b->kind) {
    case PAGE_BLOCK_PARA: return b->space_before + b->para.count * b->para.leading;
    case PAGE_BLOCK_SPACE: return b->space_before;
    case PAGE_BLOCK_RULE: return b->space_before + b->rule_width;
    case PAGE_BLOCK_BOX: return b->space_before + b->box_height;
    default: return 0;
    }
}

double page_baseline(const para_t *p, double top) {
    /* Centre the type's body (size ≈ ascent + descent scaled to the em) in
     * the leading, so lines of different styles sit evenly. */
    double body = p->ascent + p->descent;
    double half = (p->leading - body) / 2;
    return top - half - p->ascent;
}

bool page_draw_line(doc_t *doc, doc_page_t *pg, const para_line_t *line, colour_t colour, double x, double y,
                    size_t node) {
    for (size_t r = 0; r < line->count; r++) {
        const para_run_t *run = &line->runs[r];
        doc_item_t it = {0};
        it.kind = DOC_GLYPHS;
        it.colour = colour;
        it.x = x + run->x;
        it.y = y;
        it.font = run->font;
        it.size = run->size;
        it.hscale = run->hscale;
        it.text = run->text;
        it.text_len = run->text_len;
        it.glyphs = run->glyphs;
        it.glyph_count = run->count;
        it.node = run->added_hyphen ? 0 : node;
        it.w = run->width;
        it.space_after = line->ends_at_space && r + 1 == line->count;
        if (!doc_add_item(doc, pg, &it)) return false;
    }
    return true;
}

/* For levelling spreads: a page's lowest line, and whether it ended for
 * want of room (not at a page break or the flow's end); a space between
 * two blocks on a page, and where the block after it starts. */
typedef struct page_depth {
    double lowest;
    bool full;
    size_t first_block, end_block; /* the blocks placed on the page */
} page_depth_t;

typedef struct page_gap {
    size_t page;
    double y;    /* the top of the block after the space */
    double size; /* the space */
} page_gap_t;

typedef struct flow {
    const page_frame_spec_t *f;
    doc_t *doc;
    size_t first_page;  /* doc page index where this flow began */
    size_t page;        /* current doc page index */
    int column;
    double y;           /* top of the free space, y up */
    bool empty;         /* nothing placed in the current frame */
    bool page_fresh;    /* nothing placed on the current page */
    double overflow;    /* height placed after the first page (page_measure) */
    /* Levelling spreads (facing pages, one column): per page of the flow,
     * and the spaces between blocks; content_end is where the last thing
     * placed on the page ends. */
    bool level;
    page_depth_t *depth;
    size_t ndepth, capdepth;
    page_gap_t *gaps;
    size_t ngaps, capgaps;
    double content_end;
    size_t block;       /* the block being placed */
    bool ok;            /* no allocation failed while recording */
} flow_t;

static double frame_top(const flow_t *fl) { return fl->f->height - fl->f->top; }
static double frame_bottom(const flow_t *fl) { return fl->f->bottom; }

/* Before something is placed at fl->y: the space above it, when the page
 * has content already (levelling). */
static void note_gap(flow_t *fl) {
    if (!fl->level || fl->empty) return;
    double size = fl->content_end - fl->y;
    if (size <= 0) return;
    if (!mem_grow((void **)&fl->gaps, &fl->capgaps, fl->ngaps + 1, sizeof *fl->gaps)) {
        fl->ok = false;
        return;
    }
    fl->gaps[fl->ngaps++] = (page_gap_t){fl->page, fl->y, size};
}

/* After something was placed: how low it reaches, where it ends. */
static void note_end(flow_t *fl, double lowest) {
    if (!fl->level) return;
    size_t k = fl->page - fl->first_page;
    if (k < fl->ndepth) {
        page_depth_t *pd = &fl->depth[k];
        if (lowest < pd->lowest) pd->lowest = lowest;
        if (pd->end_block == 0) pd->first_block = fl->block;
        pd->end_block = fl->block + 1;
    }
    fl->content_end = fl->y;
}

static double frame_x(const flow_t *fl) {
    const page_frame_spec_t *f = fl->f;
    size_t number = fl->page - fl->first_page + f->first_page_number;
    bool left_hand = f->facing && number % 2 == 0;
    double left = left_hand ? f->outer : f->inner;
    return left + fl->column * (page_column_width(f) + f->gutter);
}

/* A new page; `full`: the page before ended for want of room. */
static bool new_page_after(flow_t *fl, bool full) {
    const page_frame_spec_t *f = fl->f;
    if (!doc_add_page(fl->doc, f->width, f->height, f->bleed, f->crop_marks)) return false;
    if (fl->level) {
        size_t k = fl->doc->page_count - 1 - fl->first_page;
        if (k > 0 && k - 1 < fl->ndepth) fl->depth[k - 1].full = full;
        if (!mem_grow((void **)&fl->depth, &fl->capdepth, k + 1, sizeof *fl->depth)) return false;
        fl->depth[k] = (page_depth_t){f->height - f->top, false, 0, 0};
        fl->ndepth = k + 1;
        fl->content_end = f->height - f->top;
    }
    fl->page = fl->doc->page_count - 1;
    fl->column = 0;
    fl->y = frame_top(fl);
    fl->empty = true;
    fl->page_fresh = true;
    return true;
}

static bool new_page(flow_t *fl) { return new_page_after(fl, false); }

static bool next_frame(flow_t *fl) {
    if (fl->column + 1 < fl->f->columns) {
        fl->column++;
        fl->y = frame_top(fl);
        fl->empty = true;
        return true;
    }
    return new_page_after(fl, true);
}

static size_t min_lines(const page_block_t *b) {
    size_t n = b->para.count;
    if (b->unbreakable) return n;
    size_t o = (size_t)(b->orphans > 0 ? b->orphans : 1), w = (size_t)(b->widows > 0 ? b->widows : 1);
    /* Too short to split without an orphan or a widow: it moves whole. */
    if (n < o + w) return n;
    return o;
}

/* Room block i needs at the current position so that it is not stranded:
 * its first lines, and for keep-with-next everything it keeps with. */
static double need(const page_blocks_t *bs, size_t i, bool at_top) {
    double h = 0;
    for (; i < bs->count; i++) {
        const page_block_t *b = &bs->v[i];
        if (b->kind == PAGE_BLOCK_PAGE_BREAK || b->page_break_before) break;
        if (!at_top) h += b->space_before;
        at_top = false;
        if (b->kind == PAGE_BLOCK_PARA) {
            if (b->keep_with_next) h += b->para.count * b->para.leading + b->space_after;
            else { h += min_lines(b) * b->para.leading; break; }
        } else if (b->kind == PAGE_BLOCK_RULE) {
            h += b->rule_width + b->space_after;
            if (!b->keep_with_next) break;
        } else if (b->kind == PAGE_BLOCK_BOX) {
            h += b->box_height + b->space_after;
            if (!b->keep_with_next) break;
        } else if (!b->keep_with_next) {
            break;
        }
    }
    return h;
}

/* Uses height on the current page; past the first page it is overflow. */
static void consume(flow_t *fl, double h) {
    fl->y -= h;
    if (fl->page > fl->first_page) fl->overflow += h;
}

static bool place_lines(flow_t *fl, page_block_t *b, size_t from, size_t to) {
    doc_page_t *pg = &fl->doc->pages[fl->page];
    double x = frame_x(fl) + b->indent;
    note_gap(fl);
    for (size_t j = from; j < to; j++) {
        double base = page_baseline(&b->para, fl->y);
        /* The label first: drawn after the first line, it would come
         * between that line and the next in the text's marked content. */
        if (j == 0 && b->label)
            if (!page_draw_line(fl->doc, pg, b->label, b->para.colour, frame_x(fl) + b->label_x, base, b->label_node))
                return false;
        if (!page_draw_line(fl->doc, pg, &b->para.lines[j], b->para.colour, x, base, b->node))
            return false;
        consume(fl, b->para.leading);
        note_end(fl, base);
    }
    fl->empty = false;
    fl->page_fresh = false;
    return true;
}

static bool flow(const page_frame_spec_t *f, page_blocks_t *bs, doc_t *doc, diag_t *d, diag_loc_t where,
                 double *overflow);
static bool flow_body(flow_t *fl, page_blocks_t *bs, diag_t *d, diag_loc_t where);

bool page_flow(const page_frame_spec_t *f, page_blocks_t *bs, doc_t *doc, diag_t *d, diag_loc_t where) {
    return flow(f, bs, doc, d, where, NULL);
}

/* The flow itself; `overflow` receives the height set after the first page. */
/* A share of its own height that a space between blocks may grow by when
 * a spread is levelled: the spaces of a page opened by more than this
 * would look looser than its facing page, so the spread stays uneven. */
#define LEVEL_STRETCH 1.0

/* Moves everything at or below `y0` on page `page` down by `dy`: items,
 * the placing of its blocks, bookmarks. */
static void shift_below(doc_t *doc, page_blocks_t *bs, const page_depth_t *pd, size_t page, double y0, double dy) {
    const double eps = 1e-6;
    doc_page_t *pg = &doc->pages[page];
    for (size_t k = 0; k < pg->count; k++)
        if (pg->items[k].y <= y0 + eps) pg->items[k].y -= dy;
    for (size_t i = pd->first_block; i < pd->end_block && i < bs->count; i++)
        if (bs->v[i].placed_page == page && bs->v[i].placed_y <= y0 + eps) bs->v[i].placed_y -= dy;
    for (size_t i = 0; i < doc->outline_count; i++)
        if (doc->outline[i].page == page && doc->outline[i].y <= y0 + eps) doc->outline[i].y -= dy;
}

/* Facing pages that both ended for want of room end at the same depth: the
 * page that ends higher opens the spaces between its blocks (in
 * proportion to their sizes, each by at most LEVEL_STRETCH of itself) until
 * its lowest line is as low as the facing page's. Lines inside a paragraph
 * keep their leading. A page that ends a chapter (at a page break or the
 * flow's end) is not levelled against its neighbour. */
static void level_spreads(flow_t *fl, page_blocks_t *bs) {
    const page_frame_spec_t *f = fl->f;
    for (size_t k = 0; k + 1 < fl->ndepth; k++) {
        size_t n = k + f->first_page_number;
        if (n % 2 != 0 || !fl->depth[k].full || !fl->depth[k + 1].full) continue;
        double a = fl->depth[k].lowest, b = fl->depth[k + 1].lowest;
        size_t high = a > b ? k : k + 1, page = fl->first_page + high;
        double need = fabs(a - b), room = 0, total = 0;
        if (need < 0.01) continue;
        for (size_t g = 0; g < fl->ngaps; g++)
            if (fl->gaps[g].page == page) total += fl->gaps[g].size;
        room = total * LEVEL_STRETCH;
        if (total <= 0) continue;
        double share = (need < room ? need : room) / total;
        /* Each space moves what lies below it. From the bottom up: what a
         * lower space moved is still below every space above it, and what
         * lies between two spaces moves only with the upper one. */
        for (size_t g = fl->ngaps; g-- > 0;) {
            const page_gap_t *gp = &fl->gaps[g];
            if (gp->page == page) shift_below(fl->doc, bs, &fl->depth[high], page, gp->y, gp->size * share);
        }
        fl->depth[high].lowest -= need < room ? need : room;
    }
}

static bool flow(const page_frame_spec_t *f, page_blocks_t *bs, doc_t *doc, diag_t *d, diag_loc_t where,
                 double *overflow) {
    flow_t fl = {.f = f, .doc = doc, .first_page = doc->page_count, .ok = true};
    fl.level = f->facing && f->columns == 1;
    bool ok = flow_body(&fl, bs, d, where) && fl.ok;
    if (ok && fl.level) level_spreads(&fl, bs);
    free(fl.depth);
    free(fl.gaps);
    if (overflow) *overflow = fl.overflow;
    return ok;
}

static bool flow_body(flow_t *fl, page_blocks_t *bs, diag_t *d, diag_loc_t where) {
    const page_frame_spec_t *f = fl->f;
    doc_t *doc = fl->doc;
    if (!new_page(fl)) return false;
    const double eps = 1e-6;
    for (size_t i = 0; i < bs->count; i++) {
        fl->block = i;
        page_block_t *b = &bs->v[i];
        if (b->kind == PAGE_BLOCK_PAGE_BREAK || b->page_break_before) {
            if (!fl->page_fresh && !new_page(fl)) return false;
            size_t number = fl->page - fl->first_page + f->first_page_number;
            if (b->right_hand && number % 2 == 0) {
                if (!new_page(fl)) return false;
            }
            if (b->kind == PAGE_BLOCK_PAGE_BREAK) continue;
        }
        if (b->kind == PAGE_BLOCK_SPACE) {
            if (!fl->empty) consume(fl, b->space_before);
            continue;
        }
        if (b->kind == PAGE_BLOCK_RULE) {
            if (!fl->empty && fl->y - need(bs, i, false) < frame_bottom(fl) - eps && !next_frame(fl)) return false;
            if (!fl->empty) consume(fl, b->space_before);
            note_gap(fl);
            doc_item_t it = {0};
            it.kind = DOC_RULE;
            it.colour = b->rule_colour;
            it.x = frame_x(fl) + b->indent;
            it.y = fl->y - b->rule_width / 2;
            it.w = page_column_width(f) - b->indent;
            it.line_width = b->rule_width;
            if (!doc_add_item(doc, &doc->pages[fl->page], &it)) return false;
            consume(fl, b->rule_width);
            note_end(fl, fl->y);
            consume(fl, b->space_after);
            fl->empty = false;
            fl->page_fresh = false;
            continue;
        }
        if (b->kind == PAGE_BLOCK_BOX) {
            if (!fl->empty && fl->y - need(bs, i, false) < frame_bottom(fl) - eps && !next_frame(fl)) return false;
            if (!fl->empty) consume(fl, b->space_before);
            if (fl->y - b->box_height < frame_bottom(fl) - eps) {
                diag_error(d, where, "a drawing %.1fpt high does not fit in a frame of %.1fpt", b->box_height,
                           fl->y - frame_bottom(fl));
                return false;
            }
            note_gap(fl);
            b->placed_page = fl->page;
            b->placed_y = fl->y;
            if (b->draw && !b->draw(b, doc, &doc->pages[fl->page], frame_x(fl) + b->indent, fl->y,
                                    page_column_width(f) - b->indent))
                return false;
            consume(fl, b->box_height);
            note_end(fl, fl->y);
            consume(fl, b->space_after);
            fl->empty = false;
            fl->page_fresh = false;
            continue;
        }
        if (b->para.count == 0) continue;
        /* Keeps: move on when what must stay together does not fit here. */
        if (!fl->empty && fl->y - need(bs, i, false) < frame_bottom(fl) - eps) {
            if (!next_frame(fl)) return false;
        }
        if (!fl->empty) consume(fl, b->space_before);
        size_t done = 0, n = b->para.count;
        bool first_part = true;
        while (done < n) {
            double room = fl->y - frame_bottom(fl);
            size_t fit = room + eps >= 0 ? (size_t)floor((room + eps) / b->para.leading) : 0;
            size_t rest = n - done;
            size_t k;
            if (rest <= fit) {
                k = rest;
            } else {
                k = fit;
                if (b->unbreakable) k = 0;
                if (rest - k < (size_t)b->widows) k = rest > (size_t)b->widows ? rest - (size_t)b->widows : 0;
                if (first_part && k < (size_t)b->orphans) k = 0;
                if (k == 0 && fl->empty) {
                    /* Even an empty frame cannot honour the rules: set what fits. */
                    k = fit < rest ? fit : rest;
                    if (k == 0) {
                        diag_error(d, where, "a line of %.1fpt leading does not fit in a frame of %.1fpt",
                                   b->para.leading, fl->y - frame_bottom(fl));
                        return false;
                    }
                }
            }
            if (k == 0) {
                if (!next_frame(fl)) return false;
                continue;
            }
            if (first_part) {
                b->placed_page = fl->page;
                b->placed_y = fl->y;
                if (b->outline && !doc_add_outline(doc, b->outline, b->outline_level, fl->page, fl->y))
                    return false;
            }
            if (!place_lines(fl, b, done, done + k)) return false;
            done += k;
            first_part = false;
            if (done < n && !next_frame(fl)) return false;
        }
        consume(fl, b->space_after);
    }
    return true;
}

bool page_measure(const page_frame_spec_t *f, page_blocks_t *bs, page_fit_t *out) {
    /* Trials may fail (a frame too small for a line): that is an answer,
     * not an error to report. */
    diag_t *quiet = diag_new(NULL);
    doc_t *tmp = doc_new();
    if (!tmp || !quiet) {
        doc_drop(tmp);
        diag_drop(quiet);
        return false;
    }
    bool ok = flow(f, bs, tmp, quiet, diag_nowhere(), &out->overflow);
    diag_drop(quiet);
    out->pages = tmp->page_count;
    doc_drop(tmp);
    return ok;
}

double page_balance(const page_frame_spec_t *f, page_blocks_t *bs, size_t pages) {
    double full = f->height - f->top - f->bottom;
    if (f->columns <= 1 && pages <= 1) return full;
    double total = 0;
    for (size_t i = 0; i < bs->count; i++) total += page_block_height(&bs->v[i]) + bs->v[i].space_after;
    double lo = total / (double)(f->columns * pages) * 0.9, hi = full;
    if (lo > hi) lo = hi;
    page_frame_spec_t g = *f;
    page_fit_t fit;
    g.bottom = f->height - f->top - hi;
    if (!page_measure(&g, bs, &fit) || fit.pages > pages) return full;
    for (int k = 0; k < 24 && hi - lo > 0.5; k++) {
        double mid = (lo + hi) / 2;
        g.bottom = f->height - f->top - mid;
        if (page_measure(&g, bs, &fit) && fit.pages <= pages) hi = mid;
        else lo = mid;
    }
    return hi;
}

/* Every block's spaces at `k` times the `base` ones (before, after pairs). */
static void spaces_at(page_blocks_t *bs, const double *base, double k) {
    for (size_t i = 0; i < bs->count; i++) {
        bs->v[i].space_before = base[2 * i] * k;
        bs->v[i].space_after = base[2 * i + 1] * k;
    }
}

double page_open_spaces(const page_frame_spec_t *f, page_blocks_t *bs, size_t pages, double most) {
    double *base = malloc((2 * bs->count + 1) * sizeof *base);
    if (!base) return 1;
    for (size_t i = 0; i < bs->count; i++) {
        base[2 * i] = bs->v[i].space_before;
        base[2 * i + 1] = bs->v[i].space_after;
    }
    page_fit_t fit;
    double lo = 1, hi = most;
    spaces_at(bs, base, hi);
    if (!page_measure(f, bs, &fit) || fit.pages > pages) {
        /* Not room for the most: the largest factor that fits, to a
         * hundredth (lo fits, or is 1). */
        for (int k = 0; k < 16 && hi - lo > 0.01; k++) {
            double mid = (lo + hi) / 2;
            spaces_at(bs, base, mid);
            if (page_measure(f, bs, &fit) && fit.pages <= pages) lo = mid;
            else hi = mid;
        }
        hi = lo;
    }
    spaces_at(bs, base, hi);
    free(base);
    return hi;
}
