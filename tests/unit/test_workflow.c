/* test_workflow: the GitHub Actions workflow (.github/workflows/ci.yml), read
 * with the project's own YAML reader: every push runs `make test`; a
 * version tag runs `make release` after the tests and publishes dist/ with
 * its SHA256SUMS. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "ydoc.h"
#include "unit/sink.h"

#define WORKFLOW ".github/workflows/ci.yml"

static const ynode_t *get(const ynode_t *map, const char *key) {
    const ynode_t *n = ymap_get(map, key);
    if (!n) fail_msg("%s: no key '%s'", WORKFLOW, key);
    return n;
}

/* Whether some step of `job` runs exactly `command`. */
static bool runs(const ynode_t *job, const char *command) {
    const ynode_t *steps = get(job, "steps");
    for (size_t i = 0; steps->kind == YNODE_SEQ && i < steps->count; i++) {
        const ynode_t *run = ymap_get(steps->items[i], "run");
        if (run && run->kind == YNODE_SCALAR && strcmp(run->value, command) == 0) return true;
    }
    return false;
}

/* Whether `list` (a sequence or a block of lines) holds `item`. */
static bool lists(const ynode_t *list, const char *item) {
    if (list->kind == YNODE_SCALAR) return strstr(list->value, item) != NULL;
    for (size_t i = 0; list->kind == YNODE_SEQ && i < list->count; i++)
        if (list->items[i]->kind == YNODE_SCALAR && strcmp(list->items[i]->value, item) == 0) return true;
    return false;
}

static void test_workflow(void **state) {
    (void)state;
    sink_t s;
    sink_open(&s);
    ydoc_t *doc = ydoc_load(WORKFLOW, s.d);
    assert_non_null(doc);
    assert_string_equal(sink_text(&s), ""); /* not even a warning */
    const ynode_t *on = get(doc->root, "on");
    const ynode_t *push = get(on, "push");
    assert_true(lists(get(push, "branches"), "**"));
    assert_true(lists(get(push, "tags"), "v*"));

    /* the tests: on every push, unconditionally */
    const ynode_t *jobs = get(doc->root, "jobs");
    const ynode_t *test = get(jobs, "test");
    assert_null(ymap_get(test, "if"));
    assert_true(runs(test, "make test"));
    assert_non_null(strstr(get(get(test, "container"), "image")->value, "debian:12"));

    /* the release: only for a version tag, after the tests */
    const ynode_t *rel = get(jobs, "release");
    assert_string_equal(get(rel, "needs")->value, "test");
    assert_string_equal(get(rel, "if")->value, "startsWith(github.ref, 'refs/tags/v')");
    assert_string_equal(get(get(rel, "permissions"), "contents")->value, "write");
    assert_true(runs(rel, "make release"));
    assert_true(runs(rel, "cd dist && sha256sum -c SHA256SUMS"));
    const ynode_t *steps = get(rel, "steps");
    bool published = false;
    for (size_t i = 0; i < steps->count; i++) {
        const ynode_t *uses = ymap_get(steps->items[i], "uses");
        if (!uses || strncmp(uses->value, "softprops/action-gh-release@", 28) != 0) continue;
        const ynode_t *files = get(get(steps->items[i], "with"), "files");
        published = lists(files, "dist/SHA256SUMS") && lists(files, "dist/MANIFEST") && lists(files, "dist/*.pdf");
    }
    assert_true(published);
    ydoc_drop(doc);
    sink_close(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_workflow)};
    return cmocka_run_group_tests_name("workflow", tests, NULL, NULL);
}
