/* roster: an RFC 4180 reader with positions, and the participant checks. */
#include "roster.h"

#include <errno.h>
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "infile.h"
#include "text.h"
#include "ydoc.h"

#define ROSTER_MAX_BYTES (256u << 20)

typedef struct cell {
    char *text;
    size_t len, cap;
    int line, col;
} cell_t;

typedef struct record {
    cell_t *cells;
    size_t count, cap;
    int line;
} record_t;

static bool cell_put(cell_t *c, char ch) {
    if (c->len + 1 >= c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 32;
        char *nt = realloc(c->text, nc);
        if (!nt) return false;
        c->text = nt;
        c->cap = nc;
    }
    c->text[c->len++] = ch;
    c->text[c->len] = '\0';
    return true;
}

static cell_t *record_add(record_t *r, int line, int col) {
    if (r->count == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 8;
        cell_t *n = realloc(r->cells, nc * sizeof *n);
        if (!n) return NULL;
        r->cells = n;
        r->cap = nc;
    }
    cell_t *c = &r->cells[r->count++];
    memset(c, 0, sizeof *c);
    c->line = line;
    c->col = col;
    if (!cell_put(c, 'x')) return NULL; /* allocate the buffer */
    c->len = 0;
    c->text[0] = '\0';
    return c;
}

static void record_clear(record_t *r) {
    for (size_t i = 0; i < r->count; i++) free(r->cells[i].text);
    r->count = 0;
}

/* The reader: one record at a time. Columns count characters, not bytes,
 * so that editors land on the right spot. */
typedef struct reader {
    const char *s;
    size_t len, i;
    int line, col;
    char sep;
} reader_t;

static void advance(reader_t *rd) {
    unsigned char c = (unsigned char)rd->s[rd->i++];
    if (c == '\n') {
        rd->line++;
        rd->col = 1;
    } else if ((c & 0xC0) != 0x80) {
        rd->col++;
    }
}

/* Reads a record into r. Returns 1 for a record, 0 at the end, -1 on error
 * (reported). */
static int read_record(reader_t *rd, record_t *r, const char *path, diag_t *d) {
    record_clear(r);
    if (rd->i >= rd->len) return 0;
    r->line = rd->line;
    cell_t *c = record_add(r, rd->line, rd->col);
    if (!c) return -1;
    for (;;) {
        if (rd->i >= rd->len) return 1;
        char ch = rd->s[rd->i];
        if (ch == '"' && c->len == 0) {
            int ql = rd->line, qc = rd->col;
            advance(rd);
            for (;;) {
                if (rd->i >= rd->len) {
                    diag_error(d, diag_at(path, ql, qc), "a quoted field is never closed (a '\"' is missing)");
                    return -1;
                }
                char q = rd->s[rd->i];
                if (q == '"') {
                    if (rd->i + 1 < rd->len && rd->s[rd->i + 1] == '"') {
                        advance(rd);
                        advance(rd);
                        if (!cell_put(c, '"')) return -1;
                        continue;
                    }
                    advance(rd);
                    break;
                }
                if (q == '\r' && rd->i + 1 < rd->len && rd->s[rd->i + 1] == '\n') {
                    advance(rd);
                    continue;
                }
                advance(rd);
                if (!cell_put(c, q)) return -1;
            }
            /* After the closing quote only a separator or the line's end. */
            if (rd->i < rd->len && rd->s[rd->i] != rd->sep && rd->s[rd->i] != '\n' && rd->s[rd->i] != '\r') {
                diag_error(d, diag_at(path, rd->line, rd->col),
                           "text after a closing quote; inside a quoted field write a quote as \"\"");
                return -1;
            }
            continue;
        }
        if (ch == rd->sep) {
            advance(rd);
            c = record_add(r, rd->line, rd->col);
            if (!c) return -1;
            continue;
        }
        if (ch == '\r' || ch == '\n') {
            if (ch == '\r') advance(rd);
            if (rd->i < rd->len && rd->s[rd->i] == '\n') advance(rd);
            return 1;
        }
        advance(rd);
        if (!cell_put(c, ch)) return -1;
    }
}

static char *trim(arena_t *a, const char *s) {
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    return arena_strndup(a, s, n);
}

/* A field as the worksheets print it: trimmed, and in Unicode NFC, so that
 * a name typed decomposed (a + U+030A) copies out of the PDF, and is found
 * by a search, as "å". */
static char *trim_nfc(arena_t *a, const char *s) {
    char *t = trim(a, s);
    size_t n;
    char *nfc = t ? text_nfc(t, strlen(t), &n) : NULL;
    char *out = nfc ? arena_strndup(a, nfc, n) : NULL;
    free(nfc);
    return out;
}

static bool blank_record(const record_t *r) {
    for (size_t i = 0; i < r->count; i++)
        for (const char *p = r->cells[i].text; *p; p++)
            if (*p != ' ' && *p != '\t') return false;
    return true;
}

/* UTF-16, as Excel's "Unicode Text" and some exports save: a byte-order
 * mark, or ASCII text with a zero byte beside every letter (and UTF-32,
 * rarer, by its mark). */
static const char *utf16_kind(const unsigned char *b, size_t len) {
    if (len >= 4 && b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0) return "UTF-32 (little-endian)";
    if (len >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF) return "UTF-32 (big-endian)";
    if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE) return "UTF-16 (little-endian)";
    if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF) return "UTF-16 (big-endian)";
    size_t n = len < 64 ? len & ~(size_t)1 : 64, even = 0, odd = 0;
    for (size_t i = 0; i < n; i += 2) {
        even += b[i] == 0 && b[i + 1] != 0;
        odd += b[i + 1] == 0 && b[i] != 0;
    }
    if (n >= 4 && odd * 4 >= n * 3 / 2) return "UTF-16 (little-endian)";
    if (n >= 4 && even * 4 >= n * 3 / 2) return "UTF-16 (big-endian)";
    return NULL;
}

/* Where a NUL byte is (1-based line and column in characters), if any: it
 * would cut a name short without a word. */
static bool find_nul(const char *s, size_t len, int *line, int *col) {
    const char *z = memchr(s, '\0', len);
    if (!z) return false;
    *line = 1;
    *col = 1;
    for (const char *p = s; p < z; p++) {
        if (*p == '\n') { (*line)++; *col = 1; }
        else if (((unsigned char)*p & 0xC0) != 0x80) (*col)++;
    }
    return true;
}

roster_t *roster_parse(const char *path, const char *bytes, size_t len, const model_t *m, diag_t *d) {
    int bl, bc;
    size_t start = 0;
    const char *u16 = utf16_kind((const unsigned char *)bytes, len);
    if (u16) {
        diag_error(d, diag_file(path),
                   "the roster is %s text, not UTF-8: in the spreadsheet use Save As \"CSV UTF-8 (comma delimited) "
                   "(*.csv)\"",
                   u16);
        return NULL;
    }
    if (len >= 3 && (unsigned char)bytes[0] == 0xEF && (unsigned char)bytes[1] == 0xBB && (unsigned char)bytes[2] == 0xBF)
        start = 3;
    if (!yutf8_valid(bytes + start, len - start, &bl, &bc)) {
        diag_error(d, diag_at(path, bl, bc),
                   "invalid UTF-8: save the roster as \"CSV UTF-8\" (not Latin-1 or Windows-1252)");
        return NULL;
    }
    if (find_nul(bytes + start, len - start, &bl, &bc)) {
        diag_error(d, diag_at(path, bl, bc), "a NUL byte (character 0) in the roster: is this a CSV text file?");
        return NULL;
    }
    roster_t *r = calloc(1, sizeof *r);
    arena_t *a = arena_new();
    if (!r || !a) {
        free(r);
        arena_drop(a);
        return NULL;
    }
    r->arena = a;
    r->path = arena_strdup(a, path);
    reader_t rd = {bytes + start, len - start, 0, 1, 1, ','};
    /* Excel's "sep=;" first line names the separator; it is no header. */
    if (rd.len >= 5 && memcmp(rd.s, "sep=", 4) == 0 && rd.s[4] != '\n' && rd.s[4] != '\r' &&
        (rd.len == 5 || rd.s[5] == '\n' || rd.s[5] == '\r')) {
        rd.sep = rd.s[4];
        rd.i = 5;
        if (rd.i < rd.len && rd.s[rd.i] == '\r') rd.i++;
        if (rd.i < rd.len && rd.s[rd.i] == '\n') rd.i++;
        rd.line = 2;
    } else {
        /* A header with semicolons and no commas: a Danish spreadsheet export. */
        size_t eol = 0;
        while (eol < rd.len && rd.s[eol] != '\n') eol++;
        if (memchr(rd.s, ';', eol) && !memchr(rd.s, ',', eol)) rd.sep = ';';
    }

    record_t rec = {0};
    bool ok = true;
    int got = read_record(&rd, &rec, path, d);
    if (got <= 0 || blank_record(&rec)) {
        if (got == 0 || (got > 0 && blank_record(&rec)))
            diag_error(d, diag_file(path), "the roster is empty; it needs a header row with the columns name and profile");
        ok = false;
        goto done;
    }
    r->column_count = rec.count;
    r->columns = arena_alloc(a, rec.count * sizeof *r->columns);
    r->name_col = r->profile_col = (size_t)-1;
    for (size_t i = 0; i < rec.count; i++) {
        r->columns[i] = trim(a, rec.cells[i].text);
        for (char *p = r->columns[i]; *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->columns[j], r->columns[i]) == 0 && *r->columns[i]) {
                diag_error(d, diag_at(path, rec.cells[i].line, rec.cells[i].col), "column '%s' appears twice in the header",
                           r->columns[i]);
                ok = false;
            }
        if (strcmp(r->columns[i], "name") == 0) r->name_col = i;
        if (strcmp(r->columns[i], "profile") == 0) r->profile_col = i;
    }
    static const char *const required[] = {"name", "profile", NULL};
    for (int k = 0; required[k]; k++) {
        if ((k == 0 ? r->name_col : r->profile_col) != (size_t)-1) continue;
        const char *near = NULL;
        for (size_t i = 0; i < rec.count && !near; i++) near = ysuggest(r->columns[i], required) == required[k] ? r->columns[i] : NULL;
        if (near)
            diag_error(d, diag_at(path, rec.line, 1), "the header has no column '%s' (is '%s' meant to be '%s'?)",
                       required[k], near, required[k]);
        else
            diag_error(d, diag_at(path, rec.line, 1),
                       "the header has no column '%s'; the roster needs the columns name and profile", required[k]);
        ok = false;
    }
    if (!ok) goto done;

    size_t cap = 0;
    char *valid = NULL;
    while ((got = read_record(&rd, &rec, path, d)) > 0) {
        if (blank_record(&rec) && rec.count <= 1) continue; /* blank lines, often at the end */
        if (rec.count != r->column_count) {
            diag_error(d, diag_at(path, rec.line, 1), "this row has %zu field%s, the header has %zu%s", rec.count,
                       rec.count == 1 ? "" : "s", r->column_count,
                       rec.count > r->column_count ? " (a comma inside a name must be in quotes)" : "");
            ok = false;
            continue;
        }
        if (r->count == cap) {
            cap = cap ? cap * 2 : 64;
            roster_row_t *nr = realloc(r->rows, cap * sizeof *nr);
            if (!nr) { ok = false; break; }
            r->rows = nr;
        }
        roster_row_t *row = &r->rows[r->count];
        row->line = rec.line;
        row->fields = arena_alloc(a, rec.count * sizeof *row->fields);
        if (!row->fields) { ok = false; break; }
        bool oom = false;
        for (size_t i = 0; i < rec.count; i++) {
            row->fields[i].text = trim_nfc(a, rec.cells[i].text);
            row->fields[i].line = rec.cells[i].line;
            row->fields[i].col = rec.cells[i].col;
            oom |= !row->fields[i].text;
        }
        if (oom) {
            diag_error(d, diag_file(path), "out of memory reading the roster");
            ok = false;
            break;
        }
        const roster_field_t *nf = &row->fields[r->name_col], *pf = &row->fields[r->profile_col];
        if (!*nf->text) {
            diag_error(d, diag_at(path, nf->line, nf->col), "the name is empty");
            ok = false;
        }
        row->profile = m ? model_find_profile(m, pf->text) : NULL;
        if (m && !row->profile) {
            if (!valid) {
                size_t n = 1;
                for (size_t i = 0; i < m->profile_count; i++) n += strlen(m->profiles[i].id) + 2;
                valid = malloc(n);
                if (valid) {
                    valid[0] = '\0';
                    for (size_t i = 0; i < m->profile_count; i++) {
                        if (i) strcat(valid, ", ");
                        strcat(valid, m->profiles[i].id);
                    }
                }
            }
            diag_error(d, diag_at(path, pf->line, pf->col), "unknown profile '%s'; valid profiles: %s", pf->text,
                       valid ? valid : "");
            ok = false;
        }
        r->count++;
    }
    free(valid);
    if (got < 0) ok = false;
    if (ok && r->count == 0) {
        diag_error(d, diag_file(path), "the roster has a header but no participants");
        ok = false;
    }
done:
    record_clear(&rec);
    free(rec.cells);
    if (!ok) {
        roster_drop(r);
        return NULL;
    }
    return r;
}

roster_t *roster_load(const char *path, const model_t *m, diag_t *d) {
    infile_error_t e;
    size_t n = 0;
    char *buf = infile_read(path, ROSTER_MAX_BYTES, &n, &e);
    if (!buf) {
        diag_error(d, diag_file(path), "cannot %s the roster: %s", e.opening ? "open" : "read", e.why);
        return NULL;
    }
    roster_t *r = roster_parse(path, buf, n, m, d);
    free(buf);
    return r;
}

void roster_drop(roster_t *r) {
    if (!r) return;
    free(r->rows);
    arena_drop(r->arena);
    free(r);
}

long roster_column(const roster_t *r, const char *column) {
    for (size_t i = 0; i < r->column_count; i++)
        if (strcmp(r->columns[i], column) == 0) return (long)i;
    return -1;
}

const char *roster_value(const roster_t *r, const roster_row_t *row, const char *column) {
    long c = roster_column(r, column);
    return c < 0 ? NULL : row->fields[c].text;
}

char *roster_safe_name(const char *raw) {
    size_t len;
    char *name = text_nfc(raw, strlen(raw), &len); /* a + U+030A is å, so "aa" */
    if (!name) return NULL;
    char *out = malloc(len * 2 + 16), *w = out;
    if (!out) { free(name); return NULL; }
    hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
    bool dash = true; /* no leading dash */
    for (size_t i = 0; i < len;) {
        uint32_t c = text_next(name, len, &i);
        const char *rep = NULL;
        char one[2] = {0, 0};
        switch (c) {
        case 0xE6: rep = "ae"; break;
        case 0xC6: rep = "Ae"; break;
        case 0xF8: rep = "oe"; break;
        case 0xD8: rep = "Oe"; break;
        case 0xE5: rep = "aa"; break;
        case 0xC5: rep = "Aa"; break;
        case 0xDF: rep = "ss"; break;
        default: break;
        }
        if (!rep) {
            hb_codepoint_t a = c, b = 0;
            while (a >= 0x80 && hb_unicode_decompose(uf, a, &a, &b)) {}
            if ((a >= 'a' && a <= 'z') || (a >= 'A' && a <= 'Z') || (a >= '0' && a <= '9')) {
                one[0] = (char)a;
                rep = one;
            } else if (a == ' ' || a == '-' || a == '_' || a == '.' || a == '\t') {
                if (!dash) *w++ = '-';
                dash = true;
                continue;
            } else {
                continue; /* other characters are dropped */
            }
        }
        while (*rep) *w++ = *rep++;
        dash = false;
    }
    while (w > out && w[-1] == '-') w--;
    if (w == out) w += sprintf(w, "participant");
    *w = '\0';
    free(name);
    return out;
}

/* ---- file names for --split -------------------------------------------------- */

/* A set of names ignoring ASCII case, each with the next number to try when
 * it is taken again (open addressing). */
typedef struct name_slot {
    char *key; /* lower case */
    unsigned next;
} name_slot_t;

typedef struct name_set {
    name_slot_t *slots;
    size_t cap, count;
} name_set_t;

static uint64_t name_hash(const char *s) {
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s)) * 1099511628211u;
    return h;
}

/* The slot of `name` (ignoring case), or the empty slot where it would go. */
static name_slot_t *name_find(name_set_t *ns, const char *name) {
    size_t k = name_hash(name) & (ns->cap - 1);
    while (ns->slots[k].key && strcasecmp(ns->slots[k].key, name) != 0) k = (k + 1) & (ns->cap - 1);
    return &ns->slots[k];
}

static name_slot_t *name_add(name_set_t *ns, const char *name) {
    if ((ns->count + 1) * 2 > ns->cap) {
        name_set_t bigger = {calloc(ns->cap ? ns->cap * 2 : 64, sizeof(name_slot_t)), ns->cap ? ns->cap * 2 : 64, 0};
        if (!bigger.slots) return NULL;
        for (size_t i = 0; i < ns->cap; i++)
            if (ns->slots[i].key) *name_find(&bigger, ns->slots[i].key) = ns->slots[i];
        bigger.count = ns->count;
        free(ns->slots);
        *ns = bigger;
    }
    name_slot_t *sl = name_find(ns, name);
    if (!sl->key) {
        if (!(sl->key = strdup(name))) return NULL;
        sl->next = 2;
        ns->count++;
    }
    return sl;
}

char **roster_file_names(const roster_t *r, const roster_row_t *const *rows, size_t n) {
    char **names = calloc(n + 1, sizeof *names);
    name_set_t used = {calloc(64, sizeof(name_slot_t)), 64, 0};
    bool ok = names != NULL && used.slots != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        char *base = roster_safe_name(roster_value(r, rows[i], "name"));
        ok = base != NULL;
        if (!ok) break;
        /* Shortened, so that the name, a number and ".pdf" fit a file
         * name's 255 bytes with room to spare (the safe name is ASCII). */
        if (strlen(base) > ROSTER_NAME_MAX) {
            base[ROSTER_NAME_MAX] = '\0';
            for (size_t k = ROSTER_NAME_MAX; k > 0 && base[k - 1] == '-'; k--) base[k - 1] = '\0';
        }
        size_t cap = strlen(base) + 16;
        /* Windows (and a share it serves) has no file CON.pdf, NUL.pdf, ... */
        static const char *const reserved[] = {"CON", "PRN", "AUX", "NUL", NULL};
        bool dev = (strlen(base) == 4 && (strncasecmp(base, "COM", 3) == 0 || strncasecmp(base, "LPT", 3) == 0) &&
                    base[3] >= '1' && base[3] <= '9');
        for (int k = 0; reserved[k]; k++) dev |= strcasecmp(base, reserved[k]) == 0;
        if (dev) {
            char *nb = realloc(base, strlen(base) + 3);
            if (!nb) { free(base); ok = false; break; }
            base = nb;
            strcat(base, "-1");
        }
        names[i] = malloc(cap);
        ok = names[i] != NULL;
        if (!ok) { free(base); break; }
        name_slot_t *sl = name_find(&used, base);
        if (!sl->key) {
            snprintf(names[i], cap, "%s", base);
        } else {
            /* "Anne", "anne" and a third "ANNE" are anne, anne-2, anne-3 on a
             * file system that ignores case: number them. Each base keeps
             * its next number, so n equal names cost n steps, not n². */
            unsigned k = sl->next;
            for (;; k++) {
                snprintf(names[i], cap, "%s-%u", base, k);
                if (!name_find(&used, names[i])->key) break;
            }
            sl->next = k + 1;
        }
        free(base);
        ok = name_add(&used, names[i]) != NULL;
    }
    for (size_t i = 0; i < used.cap; i++) free(used.slots[i].key);
    free(used.slots);
    if (!ok) {
        roster_file_names_free(names, n);
        return NULL;
    }
    return names;
}

void roster_file_names_free(char **names, size_t n) {
    for (size_t i = 0; names && i < n; i++) free(names[i]);
    free(names);
}
