/* print: the `print:` block and the ICC output profile it names. */
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "infile.h"

typedef struct print_opts {
    const char *output_condition_identifier, *output_condition, *output_profile, *registry_name;
    bool trapped;
} print_opts_t;

static const opt_key_t print_keys[] = {
    OPT_NEEDED(print_opts_t, output_condition_identifier,
               "the printing condition's name in the ICC registry (`FOGRA39`, `FOGRA51`, `CGATS TR 001`), or "
               "`Custom` for a profile of the print shop's own"),
    OPT_WORDS(print_opts_t, output_condition, "the printing condition in words (default: none)"),
    OPT_NEEDED(print_opts_t, output_profile,
               "the ICC output profile of that condition, a CMYK printer profile (absolute, or relative to the "
               "layout's folder); it is embedded"),
    {"registry_name", OPT_TEXT, offsetof(print_opts_t, registry_name), "http://www.color.org", 0, 0, NULL, NULL,
     false, "where the condition's name is registered"},
    OPT_FLAG(print_opts_t, trapped, "false", "whether the file has been trapped (`/Trapped`)"),
};

const opt_schema_t print_schema = OPT_SCHEMA("print", print_opts_t, print_keys);

static unsigned long be32(const unsigned char *p) {
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* The printable ASCII of `n` bytes (or of every other byte, from UTF-16BE),
 * trimmed, in the arena; NULL when none. */
static const char *ascii_text(const unsigned char *p, size_t n, size_t step, arena_t *arena) {
    char *s = arena_alloc(arena, n / step + 1);
    size_t len = 0;
    for (size_t i = step - 1; s && i < n; i += step) {
        if (p[i] == 0) break;
        if (step == 2 && p[i - 1] != 0) continue;
        if (p[i] >= 0x20 && p[i] < 0x7F) s[len++] = (char)p[i];
    }
    while (len && s[len - 1] == ' ') len--;
    if (!s || !len) return NULL;
    s[len] = '\0';
    return s;
}

/* The 'desc' tag: textDescriptionType (ICC v2) or multiLocalizedUnicodeType (v4). */
static const char *icc_description(const unsigned char *icc, size_t len, arena_t *arena) {
    unsigned long count = be32(icc + 128);
    for (unsigned long i = 0; i < count && 132 + 12 * (i + 1) <= len; i++) {
        const unsigned char *t = icc + 132 + 12 * i;
        unsigned long off = be32(t + 4), size = be32(t + 8);
        if (memcmp(t, "desc", 4) != 0 || off > len || size > len - off || size < 12) continue;
        const unsigned char *d = icc + off;
        if (memcmp(d, "desc", 4) == 0) {
            unsigned long n = be32(d + 8);
            return n <= size - 12 ? ascii_text(d + 12, n, 1, arena) : NULL;
        }
        if (memcmp(d, "mluc", 4) == 0 && size >= 28 && be32(d + 8) >= 1) {
            unsigned long n = be32(d + 20), o = be32(d + 24);
            return o <= size && n <= size - o ? ascii_text(d + o, n, 2, arena) : NULL;
        }
    }
    return NULL;
}

bool print_icc_check(const unsigned char *icc, size_t len, arena_t *arena, const char **desc, char *why,
                     size_t why_size) {
    if (desc) *desc = NULL;
    if (len < 132 || memcmp(icc + 36, "acsp", 4) != 0) {
        snprintf(why, why_size, "it is not an ICC colour profile");
        return false;
    }
    if (be32(icc) != len || 132 + 12 * (size_t)be32(icc + 128) > len) {
        snprintf(why, why_size, "the ICC profile is damaged or cut short (its header says %lu bytes, the file has %zu)",
                 be32(icc), len);
        return false;
    }
    char space[5] = {0}, cls[5] = {0};
    memcpy(space, icc + 16, 4);
    memcpy(cls, icc + 12, 4);
    for (int i = 3; i > 0 && space[i] == ' '; i--) space[i] = '\0'; /* "RGB " */
    if (strcmp(space, "CMYK") != 0) {
        snprintf(why, why_size, "it is a profile for %s colour, not CMYK", space);
        return false;
    }
    if (strcmp(cls, "prtr") != 0) {
        snprintf(why, why_size, "it is a CMYK profile of class '%.4s', not an output (printer, 'prtr') profile", cls);
        return false;
    }
    if (desc) *desc = icc_description(icc, len, arena);
    return true;
}

/* `file` as the layout names it: absolute as given, else in the layout's
 * folder. False when it does not fit in `cap`. */
static bool profile_path(const spec_t *s, const char *file, char *path, size_t cap) {
    const char *slash = strrchr(s->path, '/');
    int dir = file[0] == '/' ? 0 : slash ? (int)(slash - s->path) + 1 : 0;
    int w = snprintf(path, cap, "%.*s%s", dir, s->path, file);
    return w >= 0 && (size_t)w < cap;
}

bool print_profile_path(const spec_t *s, char *path, size_t cap) {
    const ynode_t *n = s->print_block ? ymap_get(s->print_block, "output_profile") : NULL;
    return n && n->kind == YNODE_SCALAR && n->value[0] && profile_path(s, n->value, path, cap);
}

bool print_read(const spec_t *s, const opt_env_t *env, doc_print_t *out, bool *given) {
    memset(out, 0, sizeof *out);
    *given = s->print_block != NULL;
    if (!*given) return true;
    print_opts_t o;
    if (!opt_read(&print_schema, s->doc, s->print_block, env, &o)) return false;
    diag_loc_t at = ydoc_loc(s->doc, ymap_get(s->print_block, "output_profile"));
    char path[4096];
    if (!profile_path(s, o.output_profile, path, sizeof path)) {
        diag_error(env->d, at, "print.output_profile: the path is too long");
        return false;
    }
    infile_error_t e;
    size_t len = 0;
    unsigned char *icc = (unsigned char *)infile_read(path, 64u << 20, &len, &e);
    if (!icc) {
        diag_error(env->d, at, "print.output_profile: cannot %s ICC profile '%s': %s", e.opening ? "open" : "read",
                   path, e.why);
        return false;
    }
    char why[160];
    const char *desc = NULL;
    bool ok = print_icc_check(icc, len, env->arena, &desc, why, sizeof why);
    unsigned char *copy = ok ? arena_alloc(env->arena, len) : NULL;
    if (!ok)
        diag_error(env->d, at,
                   "print.output_profile: '%s' cannot be a PDF/X output intent: %s; use the CMYK output profile of "
                   "the printing condition (the print shop's, e.g. FOGRA39 or PSO Coated v3)",
                   path, why);
    else if (!copy)
        diag_error(env->d, at, "out of memory reading ICC profile '%s'", path);
    if (copy) memcpy(copy, icc, len);
    free(icc);
    if (!copy) return false;
    *out = (doc_print_t){o.output_condition_identifier, o.output_condition, o.registry_name, desc, copy, len,
                         o.trapped};
    return true;
}
