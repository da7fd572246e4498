/* test_tags: the structure tree worked out from a doc's elements and what
 * was drawn: MCIDs per page, a sequence per run of one element, a new one
 * after tags_break; empty elements pruned unless kept (a table's corner
 * cell, where its row is written); an element's own content read before
 * the elements under it; kids renumbered to the written elements. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "device/tags.h"
#include "doc.h"

/* A doc of one page with a table: Document > Table > TR > (TH corner, TH),
 * and a second row TR > TD that nothing is drawn in. */
typedef struct fx {
    doc_t *doc;
    size_t table, row, corner, head, row2, cell;
} fx_t;

static int setup(void **state) {
    fx_t *f = calloc(1, sizeof *f);
    f->doc = doc_new();
    assert_non_null(doc_add_page(f->doc, 100, 100, 0, false));
    f->table = doc_node(f->doc, 1, DOC_TAG_TABLE);
    f->row = doc_node(f->doc, f->table, DOC_TAG_TR);
    f->corner = doc_node(f->doc, f->row, DOC_TAG_TH);
    f->doc->nodes[f->corner].keep = true;
    f->head = doc_node(f->doc, f->row, DOC_TAG_TH);
    f->row2 = doc_node(f->doc, f->table, DOC_TAG_TR);
    f->cell = doc_node(f->doc, f->row2, DOC_TAG_TD);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fx_t *f = *state;
    doc_drop(f->doc);
    free(f);
    return 0;
}

static const tags_elem_t *find(const tags_elem_t *el, size_t n, doc_tag_t tag, size_t nth) {
    for (size_t i = 0; i < n; i++)
        if (el[i].node->tag == tag && nth-- == 0) return &el[i];
    return NULL;
}

static void test_a_run_of_one_element_is_one_sequence(void **state) {
    fx_t *f = *state;
    tags_t *t = tags_new(f->doc);
    assert_int_equal(tags_content(t, 0, f->head, false), 0);
    assert_int_equal(tags_content(t, 0, f->head, false), 0);
    assert_int_equal(tags_content(t, 0, 0, false), -1); /* an artifact */
    assert_int_equal(tags_content(t, 0, f->head, false), 1);
    /* closed where the element goes on (another content stream): a new one */
    tags_break(t);
    assert_int_equal(tags_content(t, 0, f->head, false), 2);
    size_t n;
    const long *m = tags_page_mcids(t, 0, &n);
    assert_int_equal(n, 3);
    const tags_elem_t *el = tags_finish(t, &n);
    assert_non_null(el);
    const tags_elem_t *th = find(el, n, DOC_TAG_TH, 1);
    assert_non_null(th);
    assert_int_equal(th->kid_count, 3);
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(th->kids[k].kind, TAGS_KID_MCR);
        assert_int_equal(th->kids[k].mcid, (int)k);
        assert_int_equal(m[k], th - el); /* the ParentTree names the element */
    }
    tags_drop(t);
}

static void test_kept_corner_is_written_where_its_row_is(void **state) {
    fx_t *f = *state;
    tags_t *t = tags_new(f->doc);
    tags_content(t, 0, f->head, false);
    size_t n;
    const tags_elem_t *el = tags_finish(t, &n);
    assert_non_null(el);
    /* Document, Table, TR, the corner TH and the head TH; not the empty row */
    assert_int_equal(n, 5);
    const tags_elem_t *tr = find(el, n, DOC_TAG_TR, 0);
    assert_non_null(tr);
    assert_int_equal(tr->kid_count, 2);
    assert_int_equal(tr->kids[0].kind, TAGS_KID_ELEM);
    assert_ptr_equal(el[tr->kids[0].elem].node, &f->doc->nodes[f->corner]);
    assert_int_equal(el[tr->kids[0].elem].kid_count, 0);
    assert_ptr_equal(el[tr->kids[1].elem].node, &f->doc->nodes[f->head]);
    assert_null(find(el, n, DOC_TAG_TD, 0));
    tags_drop(t);
}

static void test_no_corner_without_its_row(void **state) {
    fx_t *f = *state;
    tags_t *t = tags_new(f->doc);
    tags_content(t, 0, f->cell, false); /* only the second row has content */
    size_t n;
    const tags_elem_t *el = tags_finish(t, &n);
    assert_non_null(el);
    assert_int_equal(n, 4); /* Document, Table, TR, TD */
    assert_null(find(el, n, DOC_TAG_TH, 0));
    tags_drop(t);
}

/* An element's text is read before the elements made under it (a list
 * item's body before the figures of its scale and lines), whatever the
 * order they were drawn in. */
static void test_own_content_before_kid_elements(void **state) {
    fx_t *f = *state;
    size_t body = doc_node(f->doc, 1, DOC_TAG_LBODY);
    size_t fig = doc_node(f->doc, body, DOC_TAG_FIGURE);
    tags_t *t = tags_new(f->doc);
    tags_content(t, 0, fig, false);
    tags_content(t, 0, body, false);
    size_t n;
    const tags_elem_t *el = tags_finish(t, &n);
    assert_non_null(el);
    const tags_elem_t *lb = find(el, n, DOC_TAG_LBODY, 0);
    assert_non_null(lb);
    assert_int_equal(lb->kid_count, 2);
    assert_int_equal(lb->kids[0].kind, TAGS_KID_MCR);
    assert_int_equal(lb->kids[1].kind, TAGS_KID_ELEM);
    assert_int_equal(el[lb->kids[1].elem].node->tag, DOC_TAG_FIGURE);
    tags_drop(t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_run_of_one_element_is_one_sequence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kept_corner_is_written_where_its_row_is, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_corner_without_its_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_own_content_before_kid_elements, setup, teardown),
    };
    return cmocka_run_group_tests_name("tags", tests, NULL, NULL);
}
