/* collect: filled-in worksheets → one CSV table. libqpdf reads the PDFs:
 * Debian's other readers are renderers (poppler, MuPDF) whose C interfaces
 * say little about form fields, while qpdf's object handles walk the field
 * tree as the file has it, turn PDF text strings (UTF-16 or
 * PDFDocEncoding) into UTF-8, and can refuse a damaged file instead of
 * repairing it behind our back. */
#include "collect.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <dlfcn.h>

#include <qpdf/qpdf-c.h>

#include "arena.h"
#include "infile.h"
#include "text.h"

/* libqpdf, loaded when collect runs rather than linked: it brings the C++
 * runtime, whose loading would cost every render 3 ms of start-up and 5 MB
 * of memory for a command that never reads a PDF. */
#ifndef QPDF_SONAME
#define QPDF_SONAME "libqpdf.so"
#endif

static struct {
    __typeof__(qpdf_cleanup) *cleanup;
    __typeof__(qpdf_get_error) *get_error;
    __typeof__(qpdf_get_error_message_detail) *get_error_message_detail;
    __typeof__(qpdf_get_root) *get_root;
    __typeof__(qpdf_has_error) *has_error;
    __typeof__(qpdf_init) *init;
    __typeof__(qpdf_more_warnings) *more_warnings;
    __typeof__(qpdf_next_warning) *next_warning;
    __typeof__(qpdf_oh_get_array_item) *oh_get_array_item;
    __typeof__(qpdf_oh_get_array_n_items) *oh_get_array_n_items;
    __typeof__(qpdf_oh_get_key) *oh_get_key;
    __typeof__(qpdf_oh_get_name) *oh_get_name;
    __typeof__(qpdf_oh_get_utf8_value) *oh_get_utf8_value;
    __typeof__(qpdf_oh_has_key) *oh_has_key;
    __typeof__(qpdf_oh_is_array) *oh_is_array;
    __typeof__(qpdf_oh_is_dictionary) *oh_is_dictionary;
    __typeof__(qpdf_oh_is_name) *oh_is_name;
    __typeof__(qpdf_oh_is_string) *oh_is_string;
    __typeof__(qpdf_oh_new_null) *oh_new_null;
    __typeof__(qpdf_read_memory) *read_memory;
    __typeof__(qpdf_set_attempt_recovery) *set_attempt_recovery;
    __typeof__(qpdf_set_suppress_warnings) *set_suppress_warnings;
    __typeof__(qpdf_silence_errors) *silence_errors;
} Q;

/* Loads libqpdf once; false after reporting why not. */
static bool qpdf_load(diag_t *d) {
    static void *lib;
    if (lib) return true;
    void *h = dlopen(QPDF_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        diag_error(d, diag_nowhere(), "collect needs libqpdf (Debian's libqpdf29): %s", dlerror());
        return false;
    }
    bool ok = true;
#define LOAD(name) ok = ok && (*(void **)&Q.name = dlsym(h, "qpdf_" #name)) != NULL
    LOAD(cleanup);
    LOAD(get_error);
    LOAD(get_error_message_detail);
    LOAD(get_root);
    LOAD(has_error);
    LOAD(init);
    LOAD(more_warnings);
    LOAD(next_warning);
    LOAD(oh_get_array_item);
    LOAD(oh_get_array_n_items);
    LOAD(oh_get_key);
    LOAD(oh_get_name);
    LOAD(oh_get_utf8_value);
    LOAD(oh_has_key);
    LOAD(oh_is_array);
    LOAD(oh_is_dictionary);
    LOAD(oh_is_name);
    LOAD(oh_is_string);
    LOAD(oh_new_null);
    LOAD(read_memory);
    LOAD(set_attempt_recovery);
    LOAD(set_suppress_warnings);
    LOAD(silence_errors);
#undef LOAD
    if (!ok) {
        diag_error(d, diag_nowhere(), "collect: the libqpdf found (%s) lacks a function it needs", QPDF_SONAME);
        dlclose(h);
        return false;
    }
    lib = h;
    return true;
}

/* One field's answer: its name below the profile ("strategisk-ledelse.3.rating",
 * "name") and its value ("" when none). */
typedef struct answer {
    const char *key, *value;
} answer_t;

/* A worksheet: one participant's sheet of one profile. */
typedef struct sheet {
    const char *file;
    const model_profile_t *profile;
    answer_t *v;
    size_t n, cap;
    bool answered; /* some field besides the header's has a value */
} sheet_t;

typedef struct collector {
    const model_t *m;
    diag_t *d;
    arena_t *a;
    sheet_t *sheets;
    size_t n, cap;
    const char *file; /* being read */
    qpdf_data q;
    bool broken;      /* the file turned out damaged while it was walked */
    int top_fields;   /* the file's /Fields */
} collector_t;

/* Fields nest this deep at most in a worksheet (prefix, profile, part,
 * item, rating); a damaged or hostile tree deeper than a few more is not
 * one, and its loops must not recurse for ever. */
enum { MAX_DEPTH = 12 };

/* `s` in Unicode NFC, line breaks as LF, in the arena; NULL when memory ran out. */
static const char *clean_text(collector_t *c, const char *s) {
    size_t n = 0;
    char *nfc = text_nfc(s, strlen(s), &n);
    if (!nfc) return NULL;
    char *out = arena_alloc(c->a, n + 1), *w = out;
    for (size_t i = 0; out && i < n; i++) {
        if (nfc[i] == '\r') {
            *w++ = '\n';
            if (i + 1 < n && nfc[i + 1] == '\n') i++;
        } else {
            *w++ = nfc[i];
        }
    }
    if (out) *w = '\0';
    free(nfc);
    return out;
}

/* Entry `name` of dictionary `oh`; a null object when `oh` is no
 * dictionary (qpdf would count asking a non-dictionary as damage). */
static qpdf_oh entry(collector_t *c, qpdf_oh oh, const char *name) {
    return Q.oh_is_dictionary(c->q, oh) ? Q.oh_get_key(c->q, oh, name) : Q.oh_new_null(c->q);
}

/* A field's partial name (/T) in UTF-8, or NULL when it has none. */
static const char *partial_name(collector_t *c, qpdf_oh f) {
    qpdf_oh t = entry(c, f, "/T");
    return Q.oh_is_string(c->q, t) ? Q.oh_get_utf8_value(c->q, t) : NULL;
}

/* A terminal field's value: a text field's text, a radio group's chosen
 * button ("3"; "" when none, /Off). */
static const char *field_value(collector_t *c, qpdf_oh f) {
    qpdf_oh v = entry(c, f, "/V");
    if (Q.oh_is_string(c->q, v)) return clean_text(c, Q.oh_get_utf8_value(c->q, v));
    if (Q.oh_is_name(c->q, v)) {
        const char *name = Q.oh_get_name(c->q, v);
        if (name[0] == '/') name++;
        return arena_strdup(c->a, strcmp(name, "Off") == 0 ? "" : name);
    }
    return "";
}

static bool add_answer(sheet_t *s, const char *key, const char *value) {
    if (!key || !value || !mem_grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v)) return false;
    s->v[s->n++] = (answer_t){key, value};
    if (*value && strchr(key, '.')) s->answered = true;
    return true;
}

/* The terminal fields under `f` (whose name below the profile is `key`,
 * "" for the profile's own field) as answers of sheet `s`. */
static bool gather(collector_t *c, sheet_t *s, qpdf_oh f, const char *key, int depth) {
    if (depth > MAX_DEPTH) {
        c->broken = true;
        return true;
    }
    if (Q.oh_is_dictionary(c->q, f) && Q.oh_has_key(c->q, f, "/FT")) return add_answer(s, key, field_value(c, f));
    qpdf_oh kids = entry(c, f, "/Kids");
    int n = Q.oh_is_array(c->q, kids) ? Q.oh_get_array_n_items(c->q, kids) : 0;
    for (int i = 0; i < n; i++) {
        qpdf_oh kid = Q.oh_get_array_item(c->q, kids, i);
        const char *t = partial_name(c, kid);
        if (!t) continue; /* a widget of this field, not a field */
        size_t len = strlen(key) + strlen(t) + 2;
        char *sub = arena_alloc(c->a, len);
        if (!sub) return false;
        snprintf(sub, len, "%s%s%s", key, *key ? "." : "", t);
        if (!gather(c, s, kid, sub, depth + 1)) return false;
    }
    return true;
}

/* A sheet of `p` from its field `f`. */
static bool add_sheet(collector_t *c, const model_profile_t *p, qpdf_oh f) {
    if (!mem_grow((void **)&c->sheets, &c->cap, c->n + 1, sizeof *c->sheets)) return false;
    sheet_t *s = &c->sheets[c->n++];
    *s = (sheet_t){c->file, p, NULL, 0, 0, false};
    return gather(c, s, f, "", 1);
}

/* The sheets of the file open in c->q: top-level fields named after a
 * profile, or holding one such field (a participant's, in a file of
 * several). Their count, or -1 when memory ran out. */
static long read_sheets(collector_t *c) {
    qpdf_oh fields = entry(c, entry(c, Q.get_root(c->q), "/AcroForm"), "/Fields");
    int n = Q.oh_is_array(c->q, fields) ? Q.oh_get_array_n_items(c->q, fields) : 0;
    c->top_fields = n;
    long found = 0;
    for (int i = 0; i < n; i++) {
        qpdf_oh top = Q.oh_get_array_item(c->q, fields, i);
        const char *t = partial_name(c, top);
        const model_profile_t *p = t ? model_find_profile(c->m, t) : NULL;
        if (p) {
            if (!add_sheet(c, p, top)) return -1;
            found++;
            continue;
        }
        qpdf_oh kids = entry(c, top, "/Kids");
        int nk = Q.oh_is_array(c->q, kids) ? Q.oh_get_array_n_items(c->q, kids) : 0;
        for (int k = 0; k < nk; k++) {
            qpdf_oh kid = Q.oh_get_array_item(c->q, kids, k);
            const char *kt = partial_name(c, kid);
            const model_profile_t *kp = kt ? model_find_profile(c->m, kt) : NULL;
            if (!kp) continue;
            if (!add_sheet(c, kp, kid)) return -1;
            found++;
        }
    }
    return found;
}

/* qpdf's words for what went wrong with the file, without its own
 * prefix of file name and offset. */
static const char *qpdf_why(qpdf_data q, bool warning) {
    qpdf_error e = warning ? Q.next_warning(q) : Q.get_error(q);
    const char *why = e ? Q.get_error_message_detail(q, e) : NULL;
    return why && *why ? why : "it cannot be read";
}

/* Reads one file's sheets; false after reporting. */
static bool read_file(collector_t *c, const char *path) {
    infile_error_t e;
    size_t len = 0;
    char *bytes = infile_read(path, COLLECT_MAX_BYTES, &len, &e);
    if (!bytes) {
        diag_error(c->d, diag_file(path), "cannot %s file: %s", e.opening ? "open" : "read", e.why);
        return false;
    }
    /* A PDF starts with its header, perhaps after some junk (ISO 32000-1,
     * 7.5.2, as viewers allow: within the first kilobyte). */
    bool pdf = false;
    for (size_t i = 0; i + 5 <= len && i < 1024 && !pdf; i++) pdf = memcmp(bytes + i, "%PDF-", 5) == 0;
    if (!pdf) {
        diag_error(c->d, diag_file(path), "not a PDF file (it does not begin with %%PDF-)");
        free(bytes);
        return false;
    }
    c->file = arena_strdup(c->a, path);
    c->q = Q.init();
    c->broken = false;
    c->top_fields = 0;
    bool ok = c->file && c->q;
    if (ok) {
        Q.silence_errors(c->q);
        Q.set_suppress_warnings(c->q, QPDF_TRUE);
        /* A damaged file is refused, not repaired: answers read from a
         * guess would be worse than none. */
        Q.set_attempt_recovery(c->q, QPDF_FALSE);
        if (Q.read_memory(c->q, path, bytes, len, NULL) & QPDF_ERRORS) {
            diag_error(c->d, diag_file(path), "damaged PDF: %s", qpdf_why(c->q, false));
            ok = false;
        }
    }
    size_t before = c->n;
    long found = ok ? read_sheets(c) : 0;
    if (ok && found < 0) {
        diag_error(c->d, diag_file(path), "out of memory reading the worksheet");
        ok = false;
    } else if (ok && (Q.has_error(c->q) || Q.more_warnings(c->q) || c->broken)) {
        bool warning = !Q.has_error(c->q) && Q.more_warnings(c->q);
        diag_error(c->d, diag_file(path), "damaged PDF: %s",
                   c->broken ? "its form fields nest too deep" : qpdf_why(c->q, warning));
        ok = false;
    } else if (ok && found == 0) {
        diag_error(c->d, diag_file(path),
                   "not a grundlag worksheet: %s (a fillable worksheet is made with `grundlag render "
                   "layouts/worksheet-fillable.yaml`)",
                   c->top_fields ? "none of its form fields is named after a profile of the data" : "it has no form fields");
        ok = false;
    } else if (ok) {
        bool any = false;
        for (size_t i = before; i < c->n; i++) any |= c->sheets[i].answered;
        if (!any) diag_warning(c->d, diag_file(path), "no answer is filled in; it adds no row");
    }
    if (!ok) {
        for (size_t i = before; i < c->n; i++) free(c->sheets[i].v);
        c->n = before;
    }
    if (c->q) Q.cleanup(&c->q);
    free(bytes);
    return ok;
}

/* The value of `key` in sheet s, or "". */
static const char *value_of(const sheet_t *s, const char *key) {
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].key, key) == 0) return s->v[i].value;
    return "";
}

/* ---- the table ------------------------------------------------------------------ */

typedef struct column {
    const model_profile_t *profile; /* NULL: the header's, for every profile */
    const char *key;
} column_t;

typedef struct table {
    column_t *v;
    size_t n, cap;
} table_t;

static bool column_add(table_t *t, const model_profile_t *p, const char *key) {
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].profile == p && strcmp(t->v[i].key, key) == 0) return true;
    if (!mem_grow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v)) return false;
    t->v[t->n++] = (column_t){p, key};
    return true;
}

/* One CSV field (RFC 4180: quoted when it holds a comma, a quote or a
 * line break; quotes doubled). One that begins as a spreadsheet formula
 * does (=, +, -, @, a tab, a carriage return) gets a ' first: participants
 * typed it, and the spreadsheet that opens the table must show it as text,
 * not run it (CSV injection: =HYPERLINK(...), =cmd|...). */
static void csv_field(FILE *f, const char *s, bool first) {
    if (!first) fputc(',', f);
    bool quoted = strpbrk(s, ",\"\r\n") != NULL;
    if (quoted) fputc('"', f);
    if (*s && strchr("=+-@\t\r", *s)) fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    if (quoted) fputc('"', f);
}

/* The column's title: the field's name as the file has it, less a
 * participant's prefix ("leder-af-leder.strategisk-ledelse.3.rating"). */
static void csv_title(FILE *f, const column_t *col) {
    char title[512];
    snprintf(title, sizeof title, "%s%s%s", col->profile ? col->profile->id : "", col->profile ? "." : "", col->key);
    csv_field(f, title, false);
}

static char *write_table(collector_t *c, const bool *row, size_t *len) {
    table_t t = {0};
    bool ok = true;
    /* The header's fields (a name of one part) first, then each profile's
     * answers, in the data's order of profiles and the sheets' of fields. */
    for (size_t i = 0; ok && i < c->n; i++)
        for (size_t k = 0; ok && row[i] && k < c->sheets[i].n; k++)
            if (!strchr(c->sheets[i].v[k].key, '.') && strcmp(c->sheets[i].v[k].key, "name") != 0)
                ok = column_add(&t, NULL, c->sheets[i].v[k].key);
    for (size_t p = 0; ok && p < c->m->profile_count; p++)
        for (size_t i = 0; ok && i < c->n; i++)
            for (size_t k = 0; ok && row[i] && c->sheets[i].profile == &c->m->profiles[p] && k < c->sheets[i].n; k++)
                if (strchr(c->sheets[i].v[k].key, '.')) ok = column_add(&t, c->sheets[i].profile, c->sheets[i].v[k].key);
    char *out = NULL;
    *len = 0;
    FILE *f = ok ? open_memstream(&out, len) : NULL;
    if (!f) {
        free(t.v);
        return NULL;
    }
    fputs("\xEF\xBB\xBF", f); /* so that spreadsheets read it as UTF-8 */
    csv_field(f, "name", true);
    csv_field(f, "profile", false);
    for (size_t k = 0; k < t.n; k++) csv_title(f, &t.v[k]);
    fputs("\r\n", f);
    for (size_t i = 0; i < c->n; i++) {
        if (!row[i]) continue;
        const sheet_t *s = &c->sheets[i];
        csv_field(f, value_of(s, "name"), true);
        csv_field(f, s->profile->id, false);
        for (size_t k = 0; k < t.n; k++)
            csv_field(f, !t.v[k].profile || t.v[k].profile == s->profile ? value_of(s, t.v[k].key) : "", false);
        fputs("\r\n", f);
    }
    ok = !ferror(f);
    if (fclose(f) != 0) ok = false;
    free(t.v);
    if (!ok) {
        free(out);
        return NULL;
    }
    return out;
}

char *collect_csv(const model_t *m, const char *const *paths, size_t n, size_t *len, diag_t *d) {
    if (!qpdf_load(d)) return NULL;
    collector_t c = {m, d, arena_new(), NULL, 0, 0, NULL, NULL, false, 0};
    char *csv = NULL;
    bool *row = NULL;
    if (!c.a) goto oom;
    bool ok = true;
    for (size_t i = 0; i < n; i++) ok = read_file(&c, paths[i]) && ok;
    row = calloc(c.n + 1, sizeof *row);
    if (!row) goto oom;
    /* A row per answered sheet; a participant once. */
    for (size_t i = 0; i < c.n; i++) {
        const sheet_t *s = &c.sheets[i];
        if (!s->answered) continue;
        const char *name = value_of(s, "name");
        if (!*name) {
            diag_error(d, diag_file(s->file),
                       "the worksheet for %s has answers but no name; fill in the name, so that the answers can "
                       "be told from others'",
                       s->profile->id);
            ok = false;
            continue;
        }
        for (size_t k = 0; k < i; k++)
            if (row[k] && strcasecmp(value_of(&c.sheets[k], "name"), name) == 0) {
                diag_error(d, diag_file(s->file), "a second worksheet for '%s' (the first is in %s)", name,
                           c.sheets[k].file);
                ok = false;
                break;
            }
        row[i] = true;
    }
    if (ok && !(csv = write_table(&c, row, len))) goto oom;
    goto done;
oom:
    diag_error(d, diag_nowhere(), "out of memory collecting the answers");
done:
    for (size_t i = 0; i < c.n; i++) free(c.sheets[i].v);
    free(c.sheets);
    free(row);
    arena_drop(c.a);
    return csv;
}
