/* test_doc: the display list: pages and items that grow without a cap,
 * outline entries and page-label ranges (copied into the doc's arena),
 * doc_append moving pages, bookmarks and link targets from one doc to
 * another, and n-up imposition. Run under ASan to see that moved and
 * dropped memory is sound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

#define EPS 1e-9

static doc_item_t glyphs_at(double x, double y, size_t block) {
    doc_item_t it = {0};
    it.kind = DOC_GLYPHS;
    it.x = x;
    it.y = y;
    it.text = "Ledelse";
    it.text_len = 7;
    it.node = block;
    return it;
}

static doc_item_t link_to(size_t page, double y) {
    doc_item_t it = {0};
    it.kind = DOC_LINK;
    it.x = 10;
    it.y = 20;
    it.w = 100;
    it.h = 12;
    it.target_page = page;
    it.target_y = y;
    return it;
}

static void test_new_doc_is_empty(void **state) {
    (void)state;
    doc_t *d = doc_new();
    assert_non_null(d);
    assert_int_equal(d->page_count, 0);
    assert_int_equal(d->outline_count, 0);
    assert_int_equal(d->label_count, 0);
    assert_null(d->title);
    assert_non_null(d->arena);
    doc_drop(d);
    doc_drop(NULL);
}

static void test_add_page_sets_geometry(void **state) {
    (void)state;
    doc_t *d = doc_new();
    doc_page_t *p = doc_add_page(d, 419.53, 595.28, 8.5, true);
    assert_non_null(p);
    assert_ptr_equal(p, &d->pages[0]);
    assert_true(fabs(p->width - 419.53) < EPS);
    assert_true(fabs(p->height - 595.28) < EPS);
    assert_true(fabs(p->bleed - 8.5) < EPS);
    assert_true(p->crop_marks);
    assert_int_equal(p->count, 0);
    assert_null(p->items);
    p = doc_add_page(d, 100, 200, 0, false);
    assert_ptr_equal(p, &d->pages[1]);
    assert_false(p->crop_marks);
    assert_int_equal(d->page_count, 2);
    doc_drop(d);
}

static void test_thousands_of_pages_and_items(void **state) {
    (void)state;
    doc_t *d = doc_new();
    /* 3000 pages with i % 7 items each; item x and block say where it is */
    for (size_t i = 0; i < 3000; i++) {
        doc_page_t *p = doc_add_page(d, 100 + (double)i, 200, 0, false);
        assert_non_null(p);
        for (size_t k = 0; k < i % 7; k++) {
            doc_item_t it = glyphs_at((double)k, (double)i, i);
            doc_item_t *got = doc_add_item(d, p, &it);
            assert_non_null(got);
            assert_ptr_equal(got, &p->items[p->count - 1]);
        }
    }
    assert_int_equal(d->page_count, 3000);
    assert_true(d->page_cap >= 3000);
    for (size_t i = 0; i < 3000; i++) {
        const doc_page_t *p = &d->pages[i];
        assert_true(fabs(p->width - (100 + (double)i)) < EPS);
        assert_int_equal(p->count, i % 7);
        for (size_t k = 0; k < p->count; k++) {
            assert_true(fabs(p->items[k].x - (double)k) < EPS);
            assert_true(fabs(p->items[k].y - (double)i) < EPS);
            assert_int_equal(p->items[k].node, i);
        }
    }
    /* 20000 items on one page: copied, in order */
    doc_page_t *big = &d->pages[1234];
    size_t before = big->count;
    for (size_t k = 0; k < 20000; k++) {
        doc_item_t it = glyphs_at((double)k, -1, k);
        assert_non_null(doc_add_item(d, big, &it));
    }
    assert_int_equal(big->count, before + 20000);
    assert_true(big->cap >= big->count);
    for (size_t k = 0; k < 20000; k++) {
        const doc_item_t *it = &big->items[before + k];
        assert_int_equal(it->kind, DOC_GLYPHS);
        assert_true(fabs(it->x - (double)k) < EPS);
        assert_int_equal(it->node, k);
        assert_string_equal(it->text, "Ledelse");
    }
    doc_drop(d);
}

static void test_item_is_a_copy(void **state) {
    (void)state;
    doc_t *d = doc_new();
    doc_page_t *p = doc_add_page(d, 100, 100, 0, false);
    doc_item_t it = link_to(3, 50);
    assert_non_null(doc_add_item(d, p, &it));
    it.target_page = 99;
    it.x = -1;
    assert_int_equal(p->items[0].target_page, 3);
    assert_true(fabs(p->items[0].x - 10) < EPS);
    assert_true(fabs(p->items[0].target_y - 50) < EPS);
    doc_drop(d);
}

static void test_outline_entries(void **state) {
    (void)state;
    doc_t *d = doc_new();
    char title[32];
    for (int i = 0; i < 500; i++) {
        snprintf(title, sizeof title, "Afsnit %d", i);
        assert_true(doc_add_outline(d, title, i % 3, (size_t)i / 2, 700 - i));
    }
    strcpy(title, "overwritten");
    assert_int_equal(d->outline_count, 500);
    for (int i = 0; i < 500; i++) {
        char want[32];
        snprintf(want, sizeof want, "Afsnit %d", i);
        assert_string_equal(d->outline[i].title, want);
        assert_int_equal(d->outline[i].level, i % 3);
        assert_int_equal(d->outline[i].page, (size_t)i / 2);
        assert_true(fabs(d->outline[i].y - (700 - i)) < EPS);
    }
    doc_drop(d);
}

static void test_label_ranges(void **state) {
    (void)state;
    doc_t *d = doc_new();
    char prefix[16] = "A-";
    assert_true(doc_add_label_range(d, 0, 'r', 1, NULL));
    assert_true(doc_add_label_range(d, 4, 'D', 1, prefix));
    assert_true(doc_add_label_range(d, 20, 0, 7, ""));
    strcpy(prefix, "changed");
    assert_int_equal(d->label_count, 3);
    assert_int_equal(d->labels[0].first_page, 0);
    assert_int_equal(d->labels[0].style, 'r');
    assert_int_equal(d->labels[0].start, 1);
    assert_null(d->labels[0].prefix);
    assert_int_equal(d->labels[1].first_page, 4);
    assert_int_equal(d->labels[1].style, 'D');
    assert_string_equal(d->labels[1].prefix, "A-"); /* a copy */
    assert_true(d->labels[1].prefix != prefix);
    assert_int_equal(d->labels[2].first_page, 20);
    assert_int_equal(d->labels[2].style, 0);
    assert_int_equal(d->labels[2].start, 7);
    assert_string_equal(d->labels[2].prefix, "");
    for (int i = 0; i < 1000; i++) assert_true(doc_add_label_range(d, 21 + (size_t)i, 'D', i, NULL));
    assert_int_equal(d->label_count, 1003);
    assert_int_equal(d->labels[1002].first_page, 1020);
    assert_int_equal(d->labels[1002].start, 999);
    assert_string_equal(d->labels[1].prefix, "A-");
    doc_drop(d);
}

static void test_strdup(void **state) {
    (void)state;
    doc_t *d = doc_new();
    char src[] = "Ledelsesgrundlag";
    char *c = doc_strdup(d, src);
    src[0] = 'X';
    assert_string_equal(c, "Ledelsesgrundlag");
    assert_string_equal(doc_strdup(d, ""), "");
    doc_drop(d);
}

static void test_append_shifts_pages_outline_and_links(void **state) {
    (void)state;
    doc_t *dst = doc_new(), *src = doc_new();
    /* dst: three pages, a bookmark on page 1 and a link to page 2 */
    for (int i = 0; i < 3; i++) {
        doc_page_t *p = doc_add_page(dst, 400, 600, 0, false);
        doc_item_t it = glyphs_at(1, 2, (size_t)i);
        assert_non_null(doc_add_item(dst, p, &it));
    }
    doc_item_t own = link_to(2, 300);
    assert_non_null(doc_add_item(dst, &dst->pages[0], &own));
    assert_true(doc_add_outline(dst, "Forord", 0, 1, 500));
    /* src: two pages (A4, crop marks), links to its pages 1 and 0, bookmarks
     * on its pages 0 and 1 */
    for (int i = 0; i < 2; i++) assert_non_null(doc_add_page(src, 595, 842, 9, true));
    doc_item_t l1 = link_to(1, 100), l0 = link_to(0, 200);
    doc_item_t text = glyphs_at(5, 6, 77);
    assert_non_null(doc_add_item(src, &src->pages[0], &l1));
    assert_non_null(doc_add_item(src, &src->pages[0], &text));
    assert_non_null(doc_add_item(src, &src->pages[1], &l0));
    char title[16] = "Direktør";
    assert_true(doc_add_outline(src, title, 0, 0, 800));
    assert_true(doc_add_outline(src, "Faldgruber", 1, 1, 400));

    assert_true(doc_append(dst, src));
    /* src is left empty; dropping it must not take dst's memory with it */
    assert_int_equal(src->page_count, 0);
    assert_int_equal(src->outline_count, 0);
    doc_drop(src);

    assert_int_equal(dst->page_count, 5);
    for (int i = 0; i < 3; i++) {
        assert_true(fabs(dst->pages[i].width - 400) < EPS);
        assert_int_equal(dst->pages[i].items[0].node, (size_t)i);
    }
    assert_int_equal(dst->pages[0].items[1].target_page, 2); /* dst's own link: unchanged */
    const doc_page_t *p3 = &dst->pages[3], *p4 = &dst->pages[4];
    assert_true(fabs(p3->width - 595) < EPS);
    assert_true(fabs(p3->bleed - 9) < EPS);
    assert_true(p3->crop_marks);
    assert_int_equal(p3->count, 2);
    assert_int_equal(p3->items[0].kind, DOC_LINK);
    assert_int_equal(p3->items[0].target_page, 4);
    assert_true(fabs(p3->items[0].target_y - 100) < EPS);
    assert_int_equal(p3->items[1].kind, DOC_GLYPHS);
    assert_int_equal(p3->items[1].node, 77);
    assert_int_equal(p4->count, 1);
    assert_int_equal(p4->items[0].target_page, 3);
    assert_true(fabs(p4->items[0].target_y - 200) < EPS);

    assert_int_equal(dst->outline_count, 3);
    assert_string_equal(dst->outline[0].title, "Forord");
    assert_int_equal(dst->outline[0].page, 1);
    assert_string_equal(dst->outline[1].title, "Direktør");
    assert_int_equal(dst->outline[1].page, 3);
    assert_int_equal(dst->outline[1].level, 0);
    assert_true(fabs(dst->outline[1].y - 800) < EPS);
    assert_string_equal(dst->outline[2].title, "Faldgruber");
    assert_int_equal(dst->outline[2].page, 4);
    assert_int_equal(dst->outline[2].level, 1);
    /* the pages keep working: more items after the move */
    doc_item_t more = glyphs_at(9, 9, 9);
    for (int i = 0; i < 100; i++) assert_non_null(doc_add_item(dst, &dst->pages[4], &more));
    assert_int_equal(dst->pages[4].count, 101);
    doc_drop(dst);
}

static void test_append_into_empty_and_from_empty(void **state) {
    (void)state;
    doc_t *dst = doc_new(), *src = doc_new(), *none = doc_new();
    assert_non_null(doc_add_page(src, 10, 10, 0, false));
    doc_item_t l = link_to(0, 1);
    assert_non_null(doc_add_item(src, &src->pages[0], &l));
    assert_true(doc_add_outline(src, "A", 0, 0, 1));
    assert_true(doc_append(dst, src)); /* base 0: nothing shifts */
    assert_int_equal(dst->page_count, 1);
    assert_int_equal(dst->pages[0].items[0].target_page, 0);
    assert_int_equal(dst->outline[0].page, 0);
    assert_true(doc_append(dst, none)); /* nothing to move */
    assert_int_equal(dst->page_count, 1);
    assert_int_equal(dst->outline_count, 1);
    /* appending twice in a row: each shifts by what is there then */
    doc_t *again = doc_new();
    assert_non_null(doc_add_page(again, 10, 10, 0, false));
    doc_item_t l2 = link_to(0, 1);
    assert_non_null(doc_add_item(again, &again->pages[0], &l2));
    assert_true(doc_add_outline(again, "B", 0, 0, 1));
    assert_true(doc_append(dst, again));
    assert_int_equal(dst->page_count, 2);
    assert_int_equal(dst->pages[1].items[0].target_page, 1);
    assert_int_equal(dst->outline[1].page, 1);
    doc_drop(src);
    doc_drop(none);
    doc_drop(again);
    doc_drop(dst);
}

/* Many documents of many pages appended one after another (the handbook
 * appends one per profile). */
static void test_append_many(void **state) {
    (void)state;
    doc_t *dst = doc_new();
    size_t total = 0;
    for (size_t n = 1; n <= 40; n++) {
        doc_t *src = doc_new();
        for (size_t i = 0; i < n; i++) {
            doc_page_t *p = doc_add_page(src, 1, 1, 0, false);
            doc_item_t l = link_to(n - 1 - i, 0); /* to the other end of its doc */
            assert_non_null(doc_add_item(src, p, &l));
        }
        assert_true(doc_add_outline(src, "x", 0, n - 1, 0));
        assert_true(doc_append(dst, src));
        doc_drop(src);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(dst->pages[total + i].items[0].target_page, total + (n - 1 - i));
        assert_int_equal(dst->outline[n - 1].page, total + n - 1);
        total += n;
    }
    assert_int_equal(dst->page_count, total);
    assert_int_equal(total, 820);
    doc_drop(dst);
}

/* A source of n pages of 100 x 150 (bleed 3), each with a glyph item at
 * (10, 20) whose block is its page number, and a link. */
static doc_t *pages_for_imposing(size_t n) {
    doc_t *src = doc_new();
    src->title = "Kort";
    src->lang = "da-DK";
    for (size_t i = 0; i < n; i++) {
        doc_page_t *p = doc_add_page(src, 100, 150, 3, true);
        doc_item_t g = glyphs_at(10, 20, i);
        doc_item_t l = link_to(0, 0);
        assert_non_null(doc_add_item(src, p, &g));
        assert_non_null(doc_add_item(src, p, &l));
    }
    return src;
}

/* Once drawn, only the links stay (a device writes them after the pages). */
static void test_release_drawing_keeps_links(void **state) {
    (void)state;
    doc_t *d = pages_for_imposing(3);
    doc_page_t *extra = doc_add_page(d, 100, 150, 0, false);
    doc_item_t g = glyphs_at(1, 2, 7);
    assert_non_null(doc_add_item(d, extra, &g));
    doc_release_drawing(d);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(d->pages[i].count, 1);
        assert_int_equal(d->pages[i].items[0].kind, DOC_LINK);
    }
    assert_int_equal(d->pages[3].count, 0);
    assert_null(d->pages[3].items);
    assert_non_null(doc_add_item(d, &d->pages[3], &g)); /* the page still takes items */
    assert_int_equal(d->pages[3].count, 1);
    doc_drop(d);
}

static void test_impose_places_pages_row_by_row(void **state) {
    (void)state;
    doc_t *src = pages_for_imposing(5);
    /* 2 x 2 on 400 x 400 with 10pt gaps: the block is 210 x 310, centred
     * at (95, 45); the first row is the top one */
    doc_imposition_t im = {400, 400, 2, 2, 10, false, DOC_ORDER_ROWS, false};
    doc_t *d = doc_impose(src, &im);
    assert_non_null(d);
    assert_int_equal(d->page_count, 2);
    assert_string_equal(d->title, "Kort");
    assert_string_equal(d->lang, "da-DK");
    const doc_page_t *s0 = &d->pages[0], *s1 = &d->pages[1];
    /* a sheet: the block is the trimmed page, with the pages' bleed, on
     * a MediaBox of the sheet's size */
    doc_media_t m0 = doc_media(s0);
    assert_true(fabs(m0.w - 400) < EPS && fabs(m0.h - 400) < EPS);
    assert_true(fabs(m0.x - 95) < EPS && fabs(m0.y - 45) < EPS);
    assert_true(fabs(s0->width - 210) < EPS && fabs(s0->height - 310) < EPS);
    assert_true(fabs(s0->bleed - 3) < EPS);
    assert_false(s0->crop_marks);
    assert_int_equal(s0->count, 4); /* links are dropped */
    assert_int_equal(s1->count, 1);
    const double want[5][2] = {{95, 205}, {205, 205}, {95, 45}, {205, 45}, {95, 205}};
    for (size_t i = 0; i < 5; i++) {
        const doc_item_t *it = i < 4 ? &s0->items[i] : &s1->items[0];
        assert_int_equal(it->kind, DOC_GLYPHS);
        assert_int_equal(it->node, i);
        assert_true(fabs(m0.x + it->x - (want[i][0] + 10)) < EPS);
        assert_true(fabs(m0.y + it->y - (want[i][1] + 20)) < EPS);
    }
    doc_drop(d);
    /* the source is unchanged */
    assert_int_equal(src->page_count, 5);
    assert_true(fabs(src->pages[4].items[0].x - 10) < EPS);
    doc_drop(src);

    /* nothing to impose: an empty doc */
    doc_t *none = doc_new();
    im.crop_marks = true;
    d = doc_impose(none, &im);
    assert_non_null(d);
    assert_int_equal(d->page_count, 0);
    doc_drop(d);
    doc_drop(none);
}

/* Fronts and backs (pages 2k and 2k+1 are card k's) for duplex printing:
 * a sheet of fronts, then a sheet of their backs, each back where its front
 * is once the sheet is turned: over the long edge a portrait sheet swaps
 * left and right, a landscape one top and bottom; over the short edge the
 * other way. The item of page i has node i. */
static void check_duplex(double sw, double sh, doc_order_t order, bool swap_columns, bool by_columns) {
    doc_t *src = pages_for_imposing(10); /* five cards: one sheet pair of 4 and one of 1 */
    doc_imposition_t im = {sw, sh, 2, 2, 10, false, order, by_columns};
    doc_t *d = doc_impose(src, &im);
    assert_non_null(d);
    assert_int_equal(d->page_count, 4);
    const double ox = 0, oy = 0; /* items are relative to the block of pages */
    for (size_t card = 0; card < 5; card++) {
        size_t sheet = 2 * (card / 4);
        int slot = (int)(card % 4), col = by_columns ? slot / 2 : slot % 2, row = by_columns ? slot % 2 : slot / 2;
        const doc_page_t *front = &d->pages[sheet], *back = &d->pages[sheet + 1];
        const doc_item_t *f = NULL, *b = NULL;
        for (size_t k = 0; k < front->count; k++)
            if (front->items[k].node == 2 * card) f = &front->items[k];
        for (size_t k = 0; k < back->count; k++)
            if (back->items[k].node == 2 * card + 1) b = &back->items[k];
        assert_non_null(f);
        assert_non_null(b);
        assert_true(fabs(f->x - (ox + col * 110 + 10)) < EPS);
        assert_true(fabs(f->y - (oy + (1 - row) * 160 + 20)) < EPS);
        int bcol = swap_columns ? 1 - col : col, brow = swap_columns ? row : 1 - row;
        assert_true(fabs(b->x - (ox + bcol * 110 + 10)) < EPS);
        assert_true(fabs(b->y - (oy + (1 - brow) * 160 + 20)) < EPS);
    }
    doc_drop(d);
    doc_drop(src);
}

static void test_impose_duplex(void **state) {
    (void)state;
    for (int by_columns = 0; by_columns < 2; by_columns++) {
        check_duplex(400, 500, DOC_ORDER_DUPLEX_LONG_EDGE, true, by_columns);  /* portrait */
        check_duplex(500, 400, DOC_ORDER_DUPLEX_LONG_EDGE, false, by_columns); /* landscape */
        check_duplex(400, 500, DOC_ORDER_DUPLEX_SHORT_EDGE, false, by_columns);
        check_duplex(500, 400, DOC_ORDER_DUPLEX_SHORT_EDGE, true, by_columns);
    }
}

/* By columns, a sheet of 2 x 3 fills down the left column, then the right;
 * the next sheet starts again at the top left. */
static void test_impose_by_columns(void **state) {
    (void)state;
    doc_imposition_t im = {400, 600, 2, 3, 0, false, DOC_ORDER_ROWS, true};
    /* slots count row by row: 0 1 / 2 3 / 4 5 */
    const size_t want[8] = {0, 2, 4, 1, 3, 5, 6, 8};
    for (size_t i = 0; i < 8; i++) assert_int_equal(doc_impose_slot(&im, 8, i), want[i]);
    im.by_columns = false;
    for (size_t i = 0; i < 8; i++) assert_int_equal(doc_impose_slot(&im, 8, i), i);
}

static void test_impose_clips_bleed_and_marks_cuts(void **state) {
    (void)state;
    doc_t *src = doc_new();
    doc_page_t *p = doc_add_page(src, 100, 150, 3, true);
    doc_item_t r = {0};
    r.kind = DOC_RECT;
    r.x = -20; /* a background bleeding well past the page */
    r.y = -20;
    r.w = 200;
    r.h = 200;
    assert_non_null(doc_add_item(src, p, &r));
    doc_item_t off = r; /* entirely outside the bleed: dropped */
    off.x = 110;
    off.w = 5;
    assert_non_null(doc_add_item(src, p, &off));
    doc_imposition_t im = {400, 400, 2, 2, 4, true, DOC_ORDER_ROWS, false};
    doc_t *d = doc_impose(src, &im);
    assert_non_null(d);
    const doc_page_t *s = &d->pages[0];
    /* gap 4: where a page meets a neighbour its bleed is clipped to 2 (half
     * the gap); at the block's edges (left and top of the first page) it
     * keeps its whole 3 */
    const doc_item_t *it = NULL;
    for (size_t k = 0; k < s->count && !it; k++)
        if (s->items[k].kind == DOC_RECT) it = &s->items[k];
    assert_non_null(it);
    const double ox = 0, oy = 0; /* items are relative to the block */
    assert_true(fabs(it->x - (ox - 3)) < EPS);
    assert_true(fabs(it->y - (oy + 154 - 2)) < EPS); /* top row */
    assert_true(fabs(it->w - 105) < EPS);
    assert_true(fabs(it->h - 155) < EPS);
    /* crop marks: 2 per cut line at each end, 4 vertical cuts and 4
     * horizontal ones, all outside the block and its bleed */
    size_t marks = 0;
    for (size_t k = 0; k < s->count; k++) {
        const doc_item_t *m = &s->items[k];
        if (m == it) continue;
        assert_int_equal(m->kind, DOC_RULE);
        bool outside = m->x + (m->w < 0 ? m->w : 0) >= ox + 204 + 3 || m->x + (m->w > 0 ? m->w : 0) <= ox - 3 ||
                       m->y + (m->h < 0 ? m->h : 0) >= oy + 304 + 3 || m->y + (m->h > 0 ? m->h : 0) <= oy - 3;
        assert_true(outside);
        marks++;
    }
    assert_int_equal(marks, 16);
    doc_drop(d);
    doc_drop(src);
}

/* A saddle-stitched booklet: 6 pages (made up to 8) on 4 sheet sides, in
 * printing order: 8|1, 2|7, 6|3, 4|5; the blank ones are 7 and 8, at the
 * back. Bookmarks follow their pages; labels (of pages) are dropped. */
static void test_impose_saddle_order(void **state) {
    (void)state;
    doc_t *src = pages_for_imposing(6);
    assert_true(doc_add_outline(src, "fem", 0, 4, 100));
    assert_true(doc_add_label_range(src, 0, 'D', 1, NULL));
    doc_imposition_t im = {500, 300, 2, 1, 0, true, DOC_ORDER_SADDLE, false};
    const size_t slots[8] = {1, 2, 5, 6, 7, 4, 3, 0}; /* where pages 1..8 go */
    for (size_t i = 0; i < 8; i++) assert_int_equal(doc_impose_slot(&im, 6, i), slots[i]);
    doc_t *d = doc_impose(src, &im);
    assert_non_null(d);
    assert_int_equal(d->page_count, 4);
    /* the page (its glyph's node) on the left and right of each side; -1 blank */
    const long want[4][2] = {{-1, 0}, {1, -1}, {5, 2}, {3, 4}};
    for (size_t sd = 0; sd < 4; sd++) {
        const doc_page_t *s = &d->pages[sd];
        assert_true(fabs(s->width - 200) < EPS && fabs(s->height - 150) < EPS);
        long got[2] = {-1, -1};
        size_t rules = 0;
        for (size_t k = 0; k < s->count; k++) {
            const doc_item_t *it = &s->items[k];
            if (it->kind == DOC_RULE) { rules++; continue; }
            assert_int_equal(it->kind, DOC_GLYPHS);
            got[it->x < 100 ? 0 : 1] = (long)it->node;
        }
        assert_int_equal(got[0], want[sd][0]);
        assert_int_equal(got[1], want[sd][1]);
        /* no gap: three cuts across (the spine's mark once), two down */
        assert_int_equal(rules, 3 * 2 + 2 * 2);
    }
    doc_t *copy = pages_for_imposing(6);
    assert_true(doc_add_outline(copy, "fem", 0, 4, 100));
    assert_true(doc_add_label_range(copy, 0, 'D', 1, NULL));
    doc_use_sheets(copy, doc_impose(copy, &im), &im);
    assert_int_equal(copy->page_count, 4);
    assert_int_equal(copy->outline[0].page, 3); /* page 5 is on side 4 */
    assert_int_equal(copy->label_count, 0);
    doc_drop(copy);
    doc_drop(d);
    doc_drop(src);
}

/* Form fields are annotations: kept when the drawing is released (a
 * device writes them after the pages), dropped from a print file and from
 * imposed sheets. */
static void test_fields_are_annotations(void **state) {
    (void)state;
    doc_t *d = doc_new();
    doc_page_t *p = doc_add_page(d, 400, 600, 0, false);
    static const doc_field_t f = {.kind = DOC_FIELD_RADIO, .name = "medarbejder.pitfalls.1.rating", .tooltip = "x",
                                  .option = "1"};
    doc_item_t *it = doc_add_shape(d, p, DOC_FIELD, 10, 10, 12, 12, colour_black(), 0, 0);
    assert_non_null(it);
    it->field = &f;
    assert_non_null(doc_add_shape(d, p, DOC_FRAME, 10, 10, 12, 12, colour_black(), 0.6, 0));
    assert_true(doc_item_is_annotation(&p->items[0]));
    assert_false(doc_item_is_annotation(&p->items[1]));
    doc_imposition_t im = {842, 595, 2, 1, 0, false, DOC_ORDER_ROWS, false};
    doc_t *sheets = doc_impose(d, &im);
    assert_non_null(sheets);
    assert_int_equal(sheets->pages[0].count, 1);
    assert_int_equal(sheets->pages[0].items[0].kind, DOC_FRAME);
    doc_drop(sheets);
    doc_release_drawing(d);
    assert_int_equal(d->pages[0].count, 1);
    assert_ptr_equal(d->pages[0].items[0].field, &f);
    doc_print_t pr = {0};
    d->print = &pr;
    assert_true(doc_finish(d));
    assert_int_equal(d->pages[0].count, 0);
    doc_drop(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_doc_is_empty),
        cmocka_unit_test(test_add_page_sets_geometry),
        cmocka_unit_test(test_thousands_of_pages_and_items),
        cmocka_unit_test(test_item_is_a_copy),
        cmocka_unit_test(test_outline_entries),
        cmocka_unit_test(test_label_ranges),
        cmocka_unit_test(test_strdup),
        cmocka_unit_test(test_append_shifts_pages_outline_and_links),
        cmocka_unit_test(test_append_into_empty_and_from_empty),
        cmocka_unit_test(test_append_many),
        cmocka_unit_test(test_release_drawing_keeps_links),
        cmocka_unit_test(test_impose_places_pages_row_by_row),
        cmocka_unit_test(test_impose_clips_bleed_and_marks_cuts),
        cmocka_unit_test(test_impose_duplex),
        cmocka_unit_test(test_impose_by_columns),
        cmocka_unit_test(test_impose_saddle_order),
        cmocka_unit_test(test_fields_are_annotations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
