/* sink: a diagnostics sink that writes into a string, so unit tests compare
 * messages exactly. Header-only; include after cmocka.h. */
#ifndef GRUNDLAG_TESTS_SINK_H
#define GRUNDLAG_TESTS_SINK_H

#include <stdio.h>
#include <stdlib.h>

#include "diag.h"

typedef struct sink {
    char *text;
    size_t len;
    FILE *fp;
    diag_t *d;
} sink_t;

static inline void sink_open(sink_t *s) {
    s->text = NULL;
    s->len = 0;
    s->fp = open_memstream(&s->text, &s->len);
    assert_non_null(s->fp);
    s->d = diag_new(s->fp);
    assert_non_null(s->d);
}

/* Everything reported so far; valid until sink_close. */
static inline const char *sink_text(sink_t *s) {
    fflush(s->fp);
    return s->text ? s->text : "";
}

static inline void sink_close(sink_t *s) {
    diag_drop(s->d);
    fclose(s->fp);
    free(s->text);
}

#endif
