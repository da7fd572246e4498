/* ydoc: libyaml events → node tree, and the shared schema checks. */
#include "ydoc.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "infile.h"

/* ---- reading ----------------------------------------------------------- */

static char *read_file(const char *path, size_t *len, diag_t *d) {
    infile_error_t e;
    char *buf = infile_read(path, YDOC_MAX_FILE_BYTES, len, &e);
    if (!buf) diag_error(d, diag_file(path), "cannot %s file: %s", e.opening ? "open" : "read", e.why);
    return buf;
}

/* Validates UTF-8 and says where the first bad byte is (line, column in
 * characters, byte offset). */
static bool utf8_check(const char *s, size_t len, int *line, int *col, size_t *offset) {
    const unsigned char *p = (const unsigned char *)s;
    int ln = 1, cl = 1;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        size_t need;
        uint32_t cp, min;
        if (c < 0x80) {
            if (c == '\n') { ln++; cl = 1; } else cl++;
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) { need = 1; cp = c & 0x1F; min = 0x80; }
        else if ((c & 0xF0) == 0xE0) { need = 2; cp = c & 0x0F; min = 0x800; }
        else if ((c & 0xF8) == 0xF0) { need = 3; cp = c & 0x07; min = 0x10000; }
        else goto bad;
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= len || (p[i + k] & 0xC0) != 0x80) goto bad;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) goto bad;
        i += need + 1;
        cl++;
    }
    return true;
bad:
    if (line) *line = ln;
    if (col) *col = cl;
    if (offset) *offset = i;
    return false;
}

bool yutf8_valid(const char *s, size_t len, int *line, int *col) {
    return utf8_check(s, len, line, col, NULL);
}

/* ---- tree building ------------------------------------------------------ */

/* What a subtree expands to, aliases included: an alias to it repeats this. */
typedef struct weight {
    uint64_t nodes, bytes; /* bytes: of scalar text */
} weight_t;

typedef struct frame {
    ynode_t *node;
    ynode_t **items;
    size_t count, cap;
    weight_t weight;
    yaml_mark_t mark; /* where the collection (and its anchor) starts */
} frame_t;

typedef struct anchor {
    char *name;
    ynode_t *node;
    weight_t weight;
    yaml_mark_t mark; /* where '&name' is */
    bool used;        /* an alias refers to it */
} anchor_t;

/* Byte offsets of libyaml's marks, whose index counts characters: a cursor
 * that moves forward through the (valid UTF-8) source, so that asking for
 * the positions of successive events costs one pass over the file. */
typedef struct cursor {
    const char *s;
    size_t len, start; /* start: after a byte-order mark, which libyaml skips */
    size_t byte, chr;
} cursor_t;

static size_t cursor_byte(cursor_t *c, size_t chr) {
    if (chr < c->chr) {
        c->byte = c->start;
        c->chr = 0;
    }
    while (c->chr < chr && c->byte < c->len) {
        c->byte++;
        while (c->byte < c->len && ((unsigned char)c->s[c->byte] & 0xC0) == 0x80) c->byte++;
        c->chr++;
    }
    return c->byte;
}

typedef struct builder {
    ydoc_t *doc;
    diag_t *d;
    frame_t *stack;
    size_t depth, cap;
    anchor_t *anchors;
    size_t n_anchors, cap_anchors;
    size_t nodes;     /* nodes written in the file so far */
    weight_t aliased; /* what all aliases so far have added to the document */
    bool failed;
    /* The last quoted scalar that ran over several lines: after a syntax
     * error it is the likely culprit (a missing closing quote). */
    bool multiline_quote;
    yaml_mark_t quote_start, quote_end;
    cursor_t src;
} builder_t;

/* The source from byte `at` to the end of its line, trimmed, cut to about
 * 60 bytes at a character boundary, with '"' and '\\' escaped: an example
 * of the text written in double quotes. */
static void quoted_example(const cursor_t *c, size_t at, char *out, size_t n) {
    size_t end = at;
    while (end < c->len && c->s[end] != '\n' && c->s[end] != '\r') end++;
    while (end > at && (c->s[end - 1] == ' ' || c->s[end - 1] == '\t')) end--;
    bool cut = end - at > 60;
    if (cut) {
        end = at + 60;
        while (end > at && ((unsigned char)c->s[end] & 0xC0) == 0x80) end--;
    }
    size_t w = 0;
    out[w++] = '"';
    for (size_t i = at; i < end && w + 8 < n; i++) {
        if (c->s[i] == '"' || c->s[i] == '\\') out[w++] = '\\';
        out[w++] = c->s[i];
    }
    if (cut && w + 5 < n) w += (size_t)snprintf(out + w, n - w, "\xE2\x80\xA6"); /* … */
    out[w++] = '"';
    out[w] = '\0';
}

static diag_loc_t mark_loc(const builder_t *b, yaml_mark_t m) {
    return diag_at(b->doc->path, (int)m.line + 1, (int)m.column + 1);
}

/* The token at byte `at` up to the next blank ("!Skanderborg", "&Ansvar"). */
static int token_len(const cursor_t *c, size_t at) {
    size_t e = at;
    while (e < c->len && c->s[e] != ' ' && c->s[e] != '\t' && c->s[e] != '\n' && c->s[e] != '\r') e++;
    return (int)(e - at > 60 ? 60 : e - at);
}

/* A plain (unquoted) text followed by " # ...": YAML reads everything from
 * the '#' as a comment, so the rest of the text is silently gone. */
static void warn_comment_after(builder_t *b, const yaml_event_t *ev) {
    size_t end = cursor_byte(&b->src, ev->end_mark.index), i = end;
    while (i < b->src.len && (b->src.s[i] == ' ' || b->src.s[i] == '\t')) i++;
    if (i == end || i >= b->src.len || b->src.s[i] != '#') return;
    size_t start = cursor_byte(&b->src, ev->start_mark.index);
    char example[256];
    quoted_example(&b->src, start, example, sizeof example);
    yaml_mark_t at = ev->end_mark;
    at.column += i - end;
    diag_warning(b->d, mark_loc(b, at),
                 "' #' starts a YAML comment, so the text ends at '%.*s' and what follows is dropped; if it belongs "
                 "to the text, write the whole text in double quotes: %s (a comment goes on a line of its own)",
                 (int)(end - start > 60 ? 60 : end - start), b->src.s + start, example);
}

/* An explicit tag ("!Skanderborg Kommune" reads as the tag !Skanderborg on
 * the text "Kommune"): grundlag has no use for tags, so it is a slip. */
static void warn_tag(builder_t *b, const yaml_event_t *ev, bool scalar) {
    size_t at = cursor_byte(&b->src, ev->start_mark.index);
    if (at >= b->src.len || b->src.s[at] != '!') {
        /* properties may come in either order: "&a !t x" */
        size_t i = at;
        while (i < b->src.len && b->src.s[i] != '!' && b->src.s[i] != '\n') i++;
        if (i >= b->src.len || b->src.s[i] != '!') return;
        at = i;
    }
    char example[256];
    quoted_example(&b->src, cursor_byte(&b->src, ev->start_mark.index), example, sizeof example);
    if (scalar)
        diag_warning(b->d, mark_loc(b, ev->start_mark),
                     "'%.*s' is read as a YAML tag and dropped, leaving '%s'; if it belongs to the text, write the "
                     "whole text in double quotes: %s",
                     token_len(&b->src, at), b->src.s + at, (const char *)ev->data.scalar.value, example);
    else
        diag_warning(b->d, mark_loc(b, ev->start_mark), "'%.*s' is read as a YAML tag, which grundlag ignores; remove it",
                     token_len(&b->src, at), b->src.s + at);
}

/* An anchor nothing refers to: "&Ansvar tekst" reads as the anchor Ansvar
 * on the text "tekst". */
static void warn_unused_anchor(builder_t *b, const anchor_t *a) {
    size_t at = cursor_byte(&b->src, a->mark.index);
    char example[256];
    quoted_example(&b->src, at, example, sizeof example);
    if (a->node && a->node->kind == YNODE_SCALAR)
        diag_warning(b->d, mark_loc(b, a->mark),
                     "'&%s' is read as a YAML anchor (a name for an alias '*%s' to refer to) and dropped, leaving "
                     "'%s'; if it belongs to the text, write the whole text in double quotes: %s",
                     a->name, a->name, a->node->value, example);
    else
        diag_warning(b->d, mark_loc(b, a->mark), "'&%s' is a YAML anchor that no alias '*%s' refers to; remove it",
                     a->name, a->name);
}

static bool push_item(builder_t *b, ynode_t *n, weight_t weight) {
    if (b->depth == 0) {
        b->doc->root = n;
        return true;
    }
    frame_t *f = &b->stack[b->depth - 1];
    if (f->count == f->cap) {
        size_t nc = f->cap ? f->cap * 2 : 8;
        ynode_t **ni = realloc(f->items, nc * sizeof *ni);
        if (!ni) return false;
        f->items = ni;
        f->cap = nc;
    }
    f->items[f->count++] = n;
    f->weight.nodes += weight.nodes;
    f->weight.bytes += weight.bytes;
    return true;
}

static void add_anchor(builder_t *b, const char *name, ynode_t *n, weight_t weight, yaml_mark_t mark) {
    if (!name) return;
    for (size_t i = 0; i < b->n_anchors; i++) {
        if (strcmp(b->anchors[i].name, name) == 0) { /* YAML lets an anchor be redefined */
            if (!b->anchors[i].used) warn_unused_anchor(b, &b->anchors[i]);
            b->anchors[i].node = n;
            b->anchors[i].weight = weight;
            b->anchors[i].mark = mark;
            b->anchors[i].used = false;
            return;
        }
    }
    if (b->n_anchors == b->cap_anchors) {
        size_t nc = b->cap_anchors ? b->cap_anchors * 2 : 8;
        anchor_t *na = realloc(b->anchors, nc * sizeof *na);
        if (!na) return;
        b->anchors = na;
        b->cap_anchors = nc;
    }
    b->anchors[b->n_anchors].name = strdup(name);
    b->anchors[b->n_anchors].node = n;
    b->anchors[b->n_anchors].weight = weight;
    b->anchors[b->n_anchors].mark = mark;
    b->anchors[b->n_anchors].used = false;
    if (b->anchors[b->n_anchors].name) b->n_anchors++;
}

static ynode_t *new_node(builder_t *b, ynode_kind_t kind, yaml_mark_t m) {
    /* A file of nothing but "1," holds a node every two bytes: bound the
     * tree as well as the file. */
    if (++b->nodes > YDOC_MAX_NODES) {
        diag_error(b->d, diag_at(b->doc->path, (int)m.line + 1, (int)m.column + 1),
                   "the file holds more than %u values, lists and maps; refusing to load it", YDOC_MAX_NODES);
        b->failed = true;
        return NULL;
    }
    ynode_t *n = arena_alloc(b->doc->arena, sizeof *n);
    if (!n) return NULL;
    n->kind = kind;
    n->line = (int)m.line + 1;
    n->col = (int)m.column + 1;
    return n;
}

/* Why a leading character makes YAML read a text as something else. */
static const char *indicator_meaning(char c) {
    switch (c) {
    case '*': return "YAML reads '*' as a reference to an anchor";
    case '&': return "YAML reads '&' as an anchor";
    case '!': return "YAML reads '!' as a tag";
    case '|':
    case '>': return "YAML reads '|' and '>' as the start of a block of lines";
    case '-': return "YAML reads '- ' as a list item";
    case '?': return "YAML reads '? ' as a key";
    case '%': return "YAML reads '%' as a directive";
    default: return "YAML reserves '@' and '`'";
    }
}

/* "profiles:42" between `from` and `to` (a line from its first word): a key
 * needs a space after its ':'. Reports it and returns true if so. */
static bool report_missing_space(builder_t *b, size_t from, size_t to) {
    const cursor_t *c = &b->src;
    size_t i = from;
    while (i < to && c->s[i] != ':' && c->s[i] != '"' && c->s[i] != '\'' && c->s[i] != '#') i++;
    if (i == from || i + 1 >= to || c->s[i] != ':' || strchr(" \t\r\n", c->s[i + 1])) return false;
    /* the position: count the line and column of `from` */
    int line = 1, col = 1;
    for (size_t k = c->start; k < from; k++) {
        if (c->s[k] == '\n') { line++; col = 1; }
        else if (((unsigned char)c->s[k] & 0xC0) != 0x80) col++;
    }
    int vlen = token_len(c, i + 1);
    diag_error(b->d, diag_at(b->doc->path, line, col),
               "malformed YAML: a key needs a space after its ':'; write '%.*s: %.*s'", (int)(i - from > 60 ? 60 : i - from),
               c->s + from, vlen, c->s + i + 1);
    return true;
}

/* libyaml's words for a text that YAML reads as syntax — "*Ansvar",
 * "@home", "Ledelse: nu", "key:value" — put as what was expected, where, and
 * how to write it. False when the error is none of these. */
static bool report_text_slip(builder_t *b, const yaml_parser_t *p) {
    const char *problem = p->problem ? p->problem : "", *context = p->context ? p->context : "";
    const cursor_t *c = &b->src;
    size_t pb = cursor_byte(&b->src, p->problem_mark.index);
    size_t cb = p->context ? cursor_byte(&b->src, p->context_mark.index) : pb;
    char pc = pb < c->len ? c->s[pb] : 0, cc = cb < c->len ? c->s[cb] : 0;
    char example[256];
    char ind = 0;
    size_t at = pb;
    yaml_mark_t m = p->problem_mark;
    if ((strstr(context, "scanning an alias") || strstr(context, "scanning an anchor") ||
         strstr(context, "scanning a tag") || strstr(context, "scanning a block scalar")) &&
        cc && strchr("*&!|>", cc)) {
        ind = cc;
        at = cb;
        m = p->context_mark;
    } else if (strstr(problem, "cannot start any token") && pc && strchr("@`%", pc)) {
        ind = pc;
    } else if (strstr(problem, "block sequence entries are not allowed") && pc == '-') {
        ind = '-';
    } else if (strstr(problem, "mapping keys are not allowed") && pc == '?') {
        ind = '?';
    }
    if (ind) {
        quoted_example(c, at, example, sizeof example);
        diag_error(b->d, mark_loc(b, m), "malformed YAML: a text that starts with '%c' must be written in double quotes "
                                         "(%s): %s",
                   ind, indicator_meaning(ind), example);
        return true;
    }
    size_t ls = pb;
    while (ls > c->start && c->s[ls - 1] != '\n') ls--;
    if (strstr(problem, "mapping values are not allowed") && ls > c->start) {
        /* The text ran on from the line above, which may be a key without
         * the space after its ':' ("title:\"x\""): that is the slip. */
        size_t prev = ls - 1;
        while (prev > c->start && c->s[prev - 1] != '\n') prev--;
        while (prev < ls && (c->s[prev] == ' ' || c->s[prev] == '\t' || c->s[prev] == '-')) prev++;
        if (report_missing_space(b, prev, ls)) return true;
    }
    if (strstr(problem, "mapping values are not allowed")) {
        /* "title: Ledelse: nu": the text starts after the key's ": " (or
         * after a list item's "- ") */
        size_t vs = ls;
        while (vs < pb && (c->s[vs] == ' ' || c->s[vs] == '\t')) vs++;
        if (vs + 1 < pb && c->s[vs] == '-' && c->s[vs + 1] == ' ') vs += 2;
        for (size_t i = vs; i + 1 < pb; i++)
            if (c->s[i] == ':' && (c->s[i + 1] == ' ' || c->s[i + 1] == '\t')) {
                vs = i + 1;
                break;
            }
        while (vs < pb && (c->s[vs] == ' ' || c->s[vs] == '\t')) vs++;
        quoted_example(c, vs, example, sizeof example);
        diag_error(b->d, mark_loc(b, p->problem_mark),
                   "malformed YAML: a text that contains ': ' must be written in double quotes (YAML reads ': ' as "
                   "a key and its value): %s",
                   example);
        return true;
    }
    if (strstr(problem, "could not find expected ':'") && p->context) {
        size_t le = cb;
        while (le < c->len && c->s[le] != '\n') le++;
        if (report_missing_space(b, cb, le)) return true;
    }
    if ((strstr(context, "flow sequence") || strstr(context, "flow mapping")) && (cc == '[' || cc == '{')) {
        quoted_example(c, cb, example, sizeof example);
        diag_error(b->d, mark_loc(b, p->problem_mark),
                   "malformed YAML: %s %s that starts at line %d; if '%c' begins a text rather than a %s, write the "
                   "whole text in double quotes: %s",
                   problem, context, (int)p->context_mark.line + 1, cc, cc == '[' ? "list" : "map", example);
        return true;
    }
    return false;
}

static void report_parser_error(builder_t *b, yaml_parser_t *p, const char *bytes, size_t len) {
    int line = (int)p->problem_mark.line + 1, col = (int)p->problem_mark.column + 1;
    size_t at = p->problem_mark.index;
    if (p->error == YAML_READER_ERROR) {
        /* Reader errors carry only a byte offset: count lines ourselves. */
        line = 1;
        col = 1;
        for (size_t i = 0; i < p->problem_offset && i < len; i++) {
            if (bytes[i] == '\n') { line++; col = 1; }
            else if (((unsigned char)bytes[i] & 0xC0) != 0x80) col++;
        }
        diag_error(b->d, diag_at(b->doc->path, line, col), "invalid input: %s",
                   p->problem ? p->problem : "unreadable character");
        return;
    }
    const char *problem = p->problem ? p->problem : "syntax error";
    /* libyaml says "found character that cannot start any token" for a tab
     * in the indentation, the commonest slip of all: name it. (Marks count
     * characters; the cursor finds the byte.) */
    at = cursor_byte(&b->src, at);
    const char *hint = at < len && bytes[at] == '\t' ? " (a tab: YAML indents with spaces only)" : "";
    if (!*hint && report_text_slip(b, p)) return;
    if (p->context)
        diag_error(b->d, diag_at(b->doc->path, line, col), "malformed YAML: %s %s%s", problem, p->context,
                   hint);
    else
        diag_error(b->d, diag_at(b->doc->path, line, col), "malformed YAML: %s%s", problem, hint);
    if (p->error == YAML_SCANNER_ERROR && p->context && strstr(p->context, "quoted scalar")) {
        /* The problem mark is the end of the file; say where the text began. */
        diag_note(b->d, diag_at(b->doc->path, (int)p->context_mark.line + 1, (int)p->context_mark.column + 1),
                  "the quoted text that starts here has no closing quote");
    } else if (b->multiline_quote && b->quote_end.line == p->problem_mark.line && b->quote_end.index <= at) {
        diag_note(b->d, diag_at(b->doc->path, (int)b->quote_start.line + 1, (int)b->quote_start.column + 1),
                  "the quoted text that starts here runs on to line %d; is a closing quote missing?",
                  (int)b->quote_end.line + 1);
    }
}

ydoc_t *ydoc_parse(const char *path, const char *bytes, size_t len, diag_t *d) {
    int line, col;
    size_t bad;
    if (!utf8_check(bytes, len, &line, &col, &bad)) {
        /* The usual cause is an editor that saved the file as Latin-1 or
         * Windows-1252, where æ, ø and å are single bytes. */
        diag_error(d, diag_at(path, line, col),
                   "invalid UTF-8 (byte 0x%02X): the file must be saved as UTF-8 text, not Latin-1 or "
                   "Windows-1252",
                   (unsigned char)bytes[bad]);
        return NULL;
    }
    ydoc_t *doc = calloc(1, sizeof *doc);
    if (!doc) return NULL;
    doc->arena = arena_new();
    if (!doc->arena) { free(doc); return NULL; }
    doc->path = arena_strdup(doc->arena, path);

    builder_t b = {.doc = doc, .d = d};
    size_t bom = len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    b.src = (cursor_t){bytes, len, bom, bom, 0};
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        diag_error(d, diag_file(path), "out of memory");
        ydoc_drop(doc);
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)bytes, len);
    int documents = 0;
    bool done = false, oom = false;
    while (!done && !b.failed) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            report_parser_error(&b, &parser, bytes, len);
            b.failed = true;
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1) {
                diag_error(d, diag_at(path, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1),
                           "a second YAML document starts here; the file must hold exactly one "
                           "(is there a stray '---' line?)");
                b.failed = true;
            }
            break;
        case YAML_SCALAR_EVENT: {
            ynode_t *n = new_node(&b, YNODE_SCALAR, ev.start_mark);
            if (!n) { oom = !b.failed; break; }
            n->value = arena_strndup(doc->arena, (const char *)ev.data.scalar.value, ev.data.scalar.length);
            if (!n->value) { oom = true; break; }
            n->len = ev.data.scalar.length;
            n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
            b.multiline_quote = (ev.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
                                 ev.data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE) &&
                                ev.end_mark.line > ev.start_mark.line;
            b.quote_start = ev.start_mark;
            b.quote_end = ev.end_mark;
            if (memchr(n->value, '\0', n->len)) {
                diag_error(d, ydoc_loc(doc, n), "text contains a NUL character");
                b.failed = true;
            }
            weight_t w = {1, n->len};
            add_anchor(&b, (const char *)ev.data.scalar.anchor, n, w, ev.start_mark);
            if (ev.data.scalar.tag && !ev.data.scalar.plain_implicit && !ev.data.scalar.quoted_implicit)
                warn_tag(&b, &ev, true);
            if (n->plain) warn_comment_after(&b, &ev);
            if (!push_item(&b, n, w)) oom = true;
            break;
        }
        case YAML_ALIAS_EVENT: {
            const char *name = (const char *)ev.data.alias.anchor;
            anchor_t *a = NULL;
            for (size_t i = 0; i < b.n_anchors; i++)
                if (strcmp(b.anchors[i].name, name) == 0) a = &b.anchors[i];
            if (!a) {
                /* Most often a text that starts with '*' ("*Ansvar og
                 * tillid"): say what YAML made of it and how to write it. */
                char example[256];
                quoted_example(&b.src, cursor_byte(&b.src, ev.start_mark.index), example, sizeof example);
                diag_error(d, diag_at(path, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1),
                           "'*%s' is read as a YAML alias (a reference to an anchor '&%s'), and there is no such "
                           "anchor; a text that starts with '*' must be written in double quotes: %s",
                           name, name, example);
                b.failed = true;
                break;
            }
            a->used = true;
            /* Aliases share the node, but the loaders walk the tree as if
             * it were copied, and some of their work per node grows with
             * the file (did-you-mean over every dimension, duplicate checks
             * over every key): bound what the copies would add. */
            b.aliased.nodes += a->weight.nodes;
            b.aliased.bytes += a->weight.bytes;
            if (b.aliased.nodes > YDOC_MAX_ALIAS_NODES || b.aliased.bytes > YDOC_MAX_ALIAS_BYTES) {
                diag_loc_t loc = diag_at(path, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1);
                if (b.aliased.nodes > YDOC_MAX_ALIAS_NODES)
                    diag_error(d, loc, "aliases expand to more than %u nodes; refusing (is this an alias bomb?)",
                               YDOC_MAX_ALIAS_NODES);
                else
                    diag_error(d, loc, "aliases expand to more than %u MB of text; refusing (is this an alias bomb?)",
                               YDOC_MAX_ALIAS_BYTES >> 20);
                b.failed = true;
                break;
            }
            if (!push_item(&b, a->node, a->weight)) oom = true;
            break;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            ynode_kind_t kind = ev.type == YAML_SEQUENCE_START_EVENT ? YNODE_SEQ : YNODE_MAP;
            if (b.depth >= YDOC_MAX_DEPTH) {
                diag_error(d, diag_at(path, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1),
                           "nesting deeper than %d levels", YDOC_MAX_DEPTH);
                b.failed = true;
                break;
            }
            ynode_t *n = new_node(&b, kind, ev.start_mark);
            if (!n) { oom = !b.failed; break; }
            if (b.depth == b.cap) {
                size_t nc = b.cap ? b.cap * 2 : 16;
                frame_t *ns = realloc(b.stack, nc * sizeof *ns);
                if (!ns) { oom = true; break; }
                b.stack = ns;
                b.cap = nc;
            }
            frame_t *f = &b.stack[b.depth++];
            memset(f, 0, sizeof *f);
            f->node = n;
            f->weight.nodes = 1;
            f->mark = ev.start_mark;
            const yaml_char_t *tag = ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.tag
                                                                          : ev.data.mapping_start.tag;
            int implicit = ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.implicit
                                                                : ev.data.mapping_start.implicit;
            if (tag && !implicit) warn_tag(&b, &ev, false);
            /* The anchor is registered at the end, with the subtree's weight;
             * YAML forbids an alias to a node from inside it anyway. */
            n->value = (const char *)ev.data.sequence_start.anchor; /* stash; replaced below */
            if (ev.type == YAML_MAPPING_START_EVENT)
                n->value = (const char *)ev.data.mapping_start.anchor;
            n->value = n->value ? arena_strdup(doc->arena, n->value) : NULL;
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: {
            frame_t f = b.stack[--b.depth];
            ynode_t *n = f.node;
            const char *anchor = n->value;
            n->value = NULL;
            n->count = n->kind == YNODE_MAP ? f.count / 2 : f.count;
            if (f.count) {
                n->items = arena_alloc(doc->arena, f.count * sizeof *n->items);
                if (!n->items) { free(f.items); oom = true; break; }
                memcpy(n->items, f.items, f.count * sizeof *n->items);
            }
            free(f.items);
            add_anchor(&b, anchor, n, f.weight, f.mark);
            if (!push_item(&b, n, f.weight)) oom = true;
            break;
        }
        default:
            break;
        }
        yaml_event_delete(&ev);
        if (oom) {
            diag_error(d, diag_file(path), "out of memory");
            b.failed = true;
        }
    }
    while (b.depth > 0) free(b.stack[--b.depth].items);
    free(b.stack);
    for (size_t i = 0; i < b.n_anchors && !b.failed; i++)
        if (!b.anchors[i].used) warn_unused_anchor(&b, &b.anchors[i]);
    for (size_t i = 0; i < b.n_anchors; i++) free(b.anchors[i].name);
    free(b.anchors);
    yaml_parser_delete(&parser);
    if (b.failed) {
        ydoc_drop(doc);
        return NULL;
    }
    return doc;
}

ydoc_t *ydoc_load(const char *path, diag_t *d) {
    size_t len = 0;
    char *bytes = read_file(path, &len, d);
    if (!bytes) return NULL;
    ydoc_t *doc = ydoc_parse(path, bytes, len, d);
    free(bytes);
    return doc;
}

void ydoc_drop(ydoc_t *doc) {
    if (!doc) return;
    arena_drop(doc->arena);
    free(doc);
}

/* ---- access and checks -------------------------------------------------- */

diag_loc_t ydoc_loc(const ydoc_t *doc, const ynode_t *n) {
    return n ? diag_at(doc->path, n->line, n->col) : diag_file(doc->path);
}

bool ynode_is_null(const ynode_t *n) {
    if (!n) return true;
    if (n->kind != YNODE_SCALAR || !n->plain) return false;
    return n->len == 0 || strcmp(n->value, "~") == 0 || strcmp(n->value, "null") == 0 ||
           strcmp(n->value, "Null") == 0 || strcmp(n->value, "NULL") == 0;
}

const char *ynode_kind_name(const ynode_t *n) {
    if (ynode_is_null(n)) return "nothing";
    switch (n->kind) {
    case YNODE_SCALAR: return "a value";
    case YNODE_SEQ: return "a list";
    case YNODE_MAP: return "a map";
    }
    return "?";
}

ynode_t *ymap_get(const ynode_t *map, const char *key) {
    if (!map || map->kind != YNODE_MAP) return NULL;
    for (size_t i = 0; i < map->count; i++) {
        const ynode_t *k = map->items[2 * i];
        if (k->kind == YNODE_SCALAR && strcmp(k->value, key) == 0) return map->items[2 * i + 1];
    }
    return NULL;
}

/* Edit distance counting a swap of two neighbouring letters as one edit
 * (optimal string alignment): "txet" is one typo away from "text". Only
 * distances up to `max` are wanted, so only the cells within `max` of the
 * diagonal are computed and the walk stops once two rows are all beyond it:
 * a did-you-mean over thousands of names stays cheap. Returns max + 1 for
 * anything further (and for words over 64 bytes, never suggested). */
static size_t edit_distance_within(const char *a, const char *b, size_t max) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return max + 1;
    if ((la > lb ? la - lb : lb - la) > max) return max + 1; /* each extra letter is an edit */
    const size_t far = max + 1;
    size_t rows[3][65]; /* i-2, i-1, i */
    size_t *pp = rows[0], *prev = rows[1], *row = rows[2];
    for (size_t j = 0; j <= lb; j++) pp[j] = far;
    for (size_t j = 0; j <= lb; j++) prev[j] = j <= max ? j : far;
    bool prev_far = false;
    for (size_t i = 1; i <= la; i++) {
        size_t lo = i > max ? i - max : 1, hi = i + max < lb ? i + max : lb;
        for (size_t j = 0; j <= lb; j++) row[j] = far;
        if (i <= max) row[0] = i;
        size_t row_min = row[0];
        for (size_t j = lo; j <= hi; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = prev[j - 1] + cost;
            if (prev[j] + 1 < best) best = prev[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < best)
                best = pp[j - 2] + 1;
            row[j] = best < far ? best : far;
            if (row[j] < row_min) row_min = row[j];
        }
        /* A cell comes from the two rows above it: both beyond max, so is
         * everything below. */
        if (row_min >= far && prev_far) return far;
        prev_far = row_min >= far;
        size_t *t = pp;
        pp = prev;
        prev = row;
        row = t;
    }
    return prev[lb];
}

/* A lower bound on the edit distance, cheaper than the distance: the letters
 * (bytes) of `cand` that `word` lacks, or the other way round, each need an
 * edit. `have` counts the bytes of `word` and is left as it was. */
static size_t letters_apart(int have[256], size_t word_len, const char *cand) {
    size_t missing = 0, n = 0;
    for (const unsigned char *p = (const unsigned char *)cand; *p; p++, n++)
        if (have[*p]-- <= 0) missing++;
    for (const unsigned char *p = (const unsigned char *)cand; *p; p++) have[*p]++;
    size_t extra = word_len - (n - missing); /* bytes of word left unmatched */
    return missing > extra ? missing : extra;
}

const char *ysuggest(const char *word, const char *const *candidates) {
    size_t len = strlen(word);
    size_t allowed = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    const char *best = NULL;
    size_t best_d = allowed + 1;
    int have[256] = {0};
    for (const unsigned char *p = (const unsigned char *)word; *p; p++) have[*p]++;
    for (size_t i = 0; candidates && candidates[i]; i++) {
        /* Most names are nothing like the word: rule them out cheaply. */
        if (letters_apart(have, len, candidates[i]) > allowed) continue;
        size_t dist = edit_distance_within(word, candidates[i], allowed);
        if (dist < best_d) {
            best_d = dist;
            best = candidates[i];
        }
    }
    return best;
}

bool yexpect(const ydoc_t *doc, const ynode_t *n, ynode_kind_t kind, const char *what, diag_t *d) {
    if (n && n->kind == kind && !(kind == YNODE_SCALAR && ynode_is_null(n))) return true;
    static const char *names[] = {"a value", "a list", "a map"};
    if (n && n->kind == YNODE_SCALAR && !ynode_is_null(n)) {
        /* Quote what was found ("found 'Hjælper kollegaer'"), cut at a
         * character boundary so a long text stays one readable line. */
        size_t cut = n->len;
        const char *more = "";
        if (cut > 40) {
            cut = 40;
            while (cut > 0 && ((unsigned char)n->value[cut] & 0xC0) == 0x80) cut--;
            more = "…";
        }
        /* A value where a list or a map belongs ("profiles: 42"): also say
         * how one is written. */
        const char *how = kind == YNODE_SEQ ? " (a list is written as one '- item' per line"
                          : kind == YNODE_MAP ? " (a map is written as one 'key: value' per line"
                                              : "";
        const char *under = !*how ? "" : n == doc->root ? ")" : ", indented under its key)";
        diag_error(d, ydoc_loc(doc, n), "%s must be %s, found '%.*s%s'%s%s", what, names[kind], (int)cut, n->value,
                   more, how, under);
        return false;
    }
    diag_error(d, ydoc_loc(doc, n), "%s must be %s, found %s", what, names[kind], ynode_kind_name(n));
    return false;
}

/* "a, b, c" for a message; malloc'd, NULL when out of memory. */
static char *word_list(const char *const *words) {
    size_t cap = 1;
    for (size_t i = 0; words[i]; i++) cap += strlen(words[i]) + 2;
    char *s = malloc(cap);
    if (!s) return NULL;
    s[0] = '\0';
    for (size_t i = 0; words[i]; i++) {
        if (i > 0) strcat(s, ", ");
        strcat(s, words[i]);
    }
    return s;
}

/* Whether an unknown key of `map` looks like a typo for `key`, so that the
 * did-you-mean already covers the key's absence. */
static bool misspelt(const ynode_t *map, const char *key, const char *const *known) {
    for (size_t i = 0; i < map->count; i++) {
        const ynode_t *k = map->items[2 * i];
        if (k->kind != YNODE_SCALAR) continue;
        bool is_known = false;
        for (size_t j = 0; known && known[j]; j++)
            if (strcmp(known[j], k->value) == 0) is_known = true;
        const char *s = is_known ? NULL : ysuggest(k->value, known);
        if (s && strcmp(s, key) == 0) return true;
    }
    return false;
}

bool ymap_check(const ydoc_t *doc, const ynode_t *map, const char *what,
                const char *const *known, const char *const *required, diag_t *d) {
    return ymap_check_hint(doc, map, what, known, required, NULL, d);
}

bool ymap_check_hint(const ydoc_t *doc, const ynode_t *map, const char *what, const char *const *known,
                     const char *const *required, const char *hint, diag_t *d) {
    if (!yexpect(doc, map, YNODE_MAP, what, d)) return false;
    bool ok = true;
    for (size_t i = 0; i < map->count; i++) {
        const ynode_t *k = map->items[2 * i];
        if (k->kind != YNODE_SCALAR) {
            diag_error(d, ydoc_loc(doc, k), "keys in %s must be plain words, found %s", what,
                       ynode_kind_name(k));
            ok = false;
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++) {
            const ynode_t *o = map->items[2 * j];
            if (o->kind == YNODE_SCALAR && strcmp(o->value, k->value) == 0) {
                diag_error(d, ydoc_loc(doc, k), "duplicate key '%s' in %s (first at line %d)", k->value,
                           what, o->line);
                ok = false;
                dup = true;
            }
        }
        if (dup) continue; /* an unknown key was reported at its first place */
        bool found = false;
        for (size_t j = 0; known && known[j]; j++)
            if (strcmp(known[j], k->value) == 0) found = true;
        if (!found) {
            const char *s = ysuggest(k->value, known);
            char *all = s || !known || !known[0] ? NULL : word_list(known);
            if (s)
                diag_error(d, ydoc_loc(doc, k), "unknown key '%s' in %s; did you mean '%s'?", k->value,
                           what, s);
            else if (all)
                diag_error(d, ydoc_loc(doc, k), "unknown key '%s' in %s; allowed keys: %s%s", k->value,
                           what, all, hint ? hint : "");
            else
                diag_error(d, ydoc_loc(doc, k), "unknown key '%s' in %s", k->value, what);
            free(all);
            ok = false;
        }
    }
    for (size_t j = 0; required && required[j]; j++) {
        if (!ymap_get(map, required[j])) {
            if (!misspelt(map, required[j], known))
                diag_error(d, ydoc_loc(doc, map), "%s is missing the required key '%s'", what, required[j]);
            ok = false;
        }
    }
    return ok;
}

const char *ytext(const ydoc_t *doc, const ynode_t *n, const char *what, diag_t *d) {
    if (n && n->kind == YNODE_MAP && n->count == 1 && n->items[0]->kind == YNODE_SCALAR && n->items[0]->plain &&
        n->items[1]->kind == YNODE_SCALAR && n->items[1]->plain && n->items[1]->line == n->items[0]->line) {
        /* "- Mål: tid": a text with ': ' in it reads as a key and its value */
        const ynode_t *k = n->items[0], *v = n->items[1];
        diag_error(d, ydoc_loc(doc, n),
                   "%s must be text, found a map: ': ' makes '%s' a key and '%s' its value; write the whole text "
                   "in double quotes: \"%s: %s\"",
                   what, k->value, v->value, k->value, v->value);
        return NULL;
    }
    if (!n || n->kind != YNODE_SCALAR) {
        diag_error(d, ydoc_loc(doc, n), "%s must be text, found %s", what, ynode_kind_name(n));
        return NULL;
    }
    if (ynode_is_null(n)) {
        diag_error(d, ydoc_loc(doc, n), "%s is empty", what);
        return NULL;
    }
    bool blank = true;
    for (size_t i = 0; i < n->len && blank; i++)
        if (n->value[i] != ' ' && n->value[i] != '\t' && n->value[i] != '\n' && n->value[i] != '\r')
            blank = false;
    if (blank) {
        diag_error(d, ydoc_loc(doc, n), "%s is empty", what);
        return NULL;
    }
    return n->value;
}

bool ybool(const ydoc_t *doc, const ynode_t *n, const char *what, bool *out, diag_t *d) {
    if (n && n->kind == YNODE_SCALAR && n->plain) {
        static const char *yes[] = {"true", "True", "TRUE", "yes", "Yes", "on", "On", NULL};
        static const char *no[] = {"false", "False", "FALSE", "no", "No", "off", "Off", NULL};
        for (int i = 0; yes[i]; i++)
            if (strcmp(n->value, yes[i]) == 0) { *out = true; return true; }
        for (int i = 0; no[i]; i++)
            if (strcmp(n->value, no[i]) == 0) { *out = false; return true; }
    }
    diag_error(d, ydoc_loc(doc, n), "%s must be true or false, found %s%s%s%s", what,
               n && n->kind == YNODE_SCALAR && !ynode_is_null(n) ? "'" : "",
               n && n->kind == YNODE_SCALAR && !ynode_is_null(n) ? n->value : ynode_kind_name(n),
               n && n->kind == YNODE_SCALAR && !ynode_is_null(n) ? "'" : "", "");
    return false;
}

/* strtod obeys LC_NUMERIC (a Danish locale wants "1,5"); layouts are written
 * with a point everywhere, so parse by hand. */
bool ynumber_parse(const char *s, double *out) {
    const char *p = s;
    double sign = 1, v = 0;
    bool digits = false;
    if (*p == '+' || *p == '-') sign = *p++ == '-' ? -1 : 1;
    while (*p >= '0' && *p <= '9') { v = v * 10 + (*p++ - '0'); digits = true; }
    if (*p == '.') {
        p++;
        double scale = 0.1;
        while (*p >= '0' && *p <= '9') { v += (*p++ - '0') * scale; scale /= 10; digits = true; }
    }
    if (!digits) return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        int esign = 1, e = 0;
        bool edig = false;
        if (*p == '+' || *p == '-') esign = *p++ == '-' ? -1 : 1;
        while (*p >= '0' && *p <= '9') { if (e < 400) e = e * 10 + (*p - '0'); p++; edig = true; }
        if (!edig) return false;
        v *= pow(10, esign * e);
    }
    if (*p != '\0' || !isfinite(v)) return false;
    *out = sign * v;
    return true;
}

bool ynumber(const ydoc_t *doc, const ynode_t *n, const char *what, double *out, diag_t *d) {
    if (n && n->kind == YNODE_SCALAR && ynumber_parse(n->value, out)) return true;
    if (n && n->kind == YNODE_SCALAR && !ynode_is_null(n))
        diag_error(d, ydoc_loc(doc, n), "%s must be a number, found '%s'", what, n->value);
    else
        diag_error(d, ydoc_loc(doc, n), "%s must be a number, found %s", what, ynode_kind_name(n));
    return false;
}
