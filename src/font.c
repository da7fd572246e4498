/* font: loads TrueType-outline fonts, reads their metrics with FreeType,
 * shapes text with HarfBuzz (cached by text) and subsets with hb-subset.
 * The only module that includes FreeType or HarfBuzz headers. It must not
 * know about pages, point sizes or the PDF file format. */
#include "font.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include FT_FONT_FORMATS_H
#include FT_OUTLINE_H

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>

#include "infile.h"
#include "stopwatch.h"

/* Debian's FreeType is built without FT_Error_String's strings, so keep our
 * own copy of FreeType's message table (the documented FT_ERRORDEF trick). */
#undef FTERRORS_H_
#define FT_ERRORDEF(e, v, s) {e, s},
#define FT_ERROR_START_LIST {
#define FT_ERROR_END_LIST {0, NULL}};
static const struct {
    int code;
    const char *msg;
} ft_errors[] =
#include FT_ERRORS_H

static const char *ft_error_text(FT_Error e) {
    for (size_t i = 0; ft_errors[i].msg; i++)
        if (ft_errors[i].code == e) return ft_errors[i].msg;
    return "unknown error";
}

/* ---- arena: shaped runs and their keys live as long as the font ------- */

/* Blocks are never moved, so pointers handed out by font_shape stay valid. */
typedef struct arena_block {
    struct arena_block *next;
    size_t used, size;
    max_align_t data[]; /* aligned storage */
} arena_block_t;

static void *arena_alloc(arena_block_t **head, size_t n) {
    n = (n + 7) & ~(size_t)7;
    arena_block_t *b = *head;
    if (!b || b->size - b->used < n) {
        size_t size = 64 * 1024;
        if (n > size / 4) size = n; /* big requests get a block of their own */
        arena_block_t *nb = malloc(sizeof *nb + size);
        if (!nb) return NULL;
        nb->used = 0;
        nb->size = size;
        if (b && n == size) {
            /* keep filling the current block afterwards */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            *head = nb;
        }
        b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

static void arena_free(arena_block_t *b) {
    while (b) {
        arena_block_t *next = b->next;
        free(b);
        b = next;
    }
}

/* ---- the font ---------------------------------------------------------- */

typedef struct shape_entry {
    uint64_t hash; /* 0 marks an empty slot */
    const char *text;
    size_t len;
    font_run_t run;
} shape_entry_t;

struct font {
    char *path;
    infile_map_t file; /* the whole file, mapped: HarfBuzz, the subsetter and FreeType read
                        * the tables they need in place, so unused glyphs are never paged in */
    font_metrics_t metrics;
    char *ps_name, *family;
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *hb;
    hb_buffer_t *buf;       /* reused by every shape call */
    hb_shape_plan_t *plan;  /* made on the first shape: every call has the same properties */
    uint8_t latin1[32];     /* bit cp: the font has U+00cp (asked of every character set) */
    int32_t space_adv, hyphen_adv; /* a lone space and hyphen as shaped; -1: not yet */
    hb_language_t lang;
    unsigned num_glyphs;

    shape_entry_t *slots; /* open addressing, power-of-two size */
    size_t nslots, nentries;
    arena_block_t *arena;
};

static char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

static uint32_t be32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint16_t be16(const unsigned char *p) { return (uint16_t)(p[0] << 8 | p[1]); }

typedef enum sfnt_check {
    SFNT_OK,
    SFNT_NOT_SFNT, /* leave the verdict to FreeType */
    SFNT_CFF,
    SFNT_TRUNCATED,
    /* Formats FreeType may read but HarfBuzz and the PDF subsetter cannot:
     * named, so that the message says what to use instead. */
    SFNT_WOFF,
    SFNT_WOFF2,
    SFNT_TYPE1,
} sfnt_check_t;

/* Reads the table directory ourselves: FreeType happily loads a TrueType
 * file cut off in the middle (missing glyphs just come back empty), and the
 * outline format is plainest to see here. For SFNT_TRUNCATED, *tag and *end
 * name the first table that runs past the end. */
static sfnt_check_t sfnt_check(const unsigned char *p, size_t size, char tag[5], size_t *end) {
    if (size >= 4 && memcmp(p, "wOFF", 4) == 0) return SFNT_WOFF;
    if (size >= 4 && memcmp(p, "wOF2", 4) == 0) return SFNT_WOFF2;
    /* PFB segments start 0x80 0x01; PFA (and PostScript) starts "%!" */
    if (size >= 2 && ((p[0] == 0x80 && p[1] == 0x01) || (p[0] == '%' && p[1] == '!'))) return SFNT_TYPE1;
    size_t base = 0;
    if (size >= 16 && memcmp(p, "ttcf", 4) == 0) base = be32(p + 12); /* first face of a collection */
    if (base > size || size - base < 12) return SFNT_NOT_SFNT;
    uint32_t version = be32(p + base);
    if (version != 0x00010000 && version != 0x74727565 /* 'true' */ && version != 0x4F54544F /* 'OTTO' */)
        return SFNT_NOT_SFNT;
    unsigned n = be16(p + base + 4);
    if (size - base - 12 < (size_t)n * 16) {
        memcpy(tag, "dir ", 5);
        *end = base + 12 + (size_t)n * 16;
        return SFNT_TRUNCATED;
    }
    bool glyf = false, cff = false;
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *r = p + base + 12 + (size_t)i * 16;
        if (memcmp(r, "glyf", 4) == 0) glyf = true;
        if (memcmp(r, "CFF ", 4) == 0 || memcmp(r, "CFF2", 4) == 0) cff = true;
    }
    /* a CFF font is refused for what it is, cut short or not */
    if (cff && !glyf) return SFNT_CFF;
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *r = p + base + 12 + (size_t)i * 16;
        uint64_t off = be32(r + 8), len = be32(r + 12);
        if (off + len > size) {
            memcpy(tag, r, 4);
            tag[4] = 0;
            *end = (size_t)(off + len);
            return SFNT_TRUNCATED;
        }
    }
    return SFNT_OK;
}

/* Reports a file sfnt_check refused; false when it was refused. `what`
 * names the layout key ("fonts.serif.regular") or is NULL. With `strict`, a
 * file that is no SFNT at all is refused here too (without, FreeType gives
 * its verdict). */
static bool sfnt_verdict(sfnt_check_t kind, const char *tag, size_t end, size_t size, const char *path,
                         const char *what, bool strict, diag_t *d, diag_loc_t where) {
    const char *pre = what ? what : "", *colon = what ? ": " : "";
    switch (kind) {
    case SFNT_OK: return true;
    case SFNT_NOT_SFNT:
        if (!strict) return true;
        diag_error(d, where, "%s%s'%s' is not a usable font file (not a TrueType font: no TrueType header)", pre,
                   colon, path);
        return false;
    case SFNT_CFF:
        diag_error(d, where,
                   "%s%s'%s' has CFF outlines, which grundlag does not support; use a TrueType-outline (.ttf) font",
                   pre, colon, path);
        return false;
    case SFNT_TRUNCATED:
        diag_error(d, where, "%s%s'%s' is not a usable font file (truncated: table '%s' ends at byte %zu of %zu)",
                   pre, colon, path, tag, end, size);
        return false;
    case SFNT_WOFF:
    case SFNT_WOFF2:
        diag_error(d, where,
                   "%s%s'%s' is a %s web font, which grundlag cannot embed; use the font's TrueType (.ttf) file%s",
                   pre, colon, path, kind == SFNT_WOFF ? "WOFF" : "WOFF2",
                   kind == SFNT_WOFF2 ? " (woff2_decompress makes one from it)" : "");
        return false;
    case SFNT_TYPE1:
        diag_error(d, where,
                   "%s%s'%s' is a PostScript Type 1 font, which grundlag does not support; use a TrueType-outline "
                   "(.ttf) font",
                   pre, colon, path);
        return false;
    }
    return false;
}

bool font_check_file(const char *path, const char *what, diag_t *d, diag_loc_t where) {
    infile_error_t ie;
    infile_map_t m;
    /* Mapped: the check reads the header and the table directory only. */
    if (!infile_map(path, FONT_MAX_BYTES, &m, &ie)) {
        diag_error(d, where, "%s: cannot %s font file '%s': %s", what, ie.opening ? "open" : "read", path, ie.why);
        return false;
    }
    char tag[5] = "";
    size_t end = 0;
    bool ok = sfnt_verdict(sfnt_check(m.data, m.len, tag, &end), tag, end, m.len, path, what, true, d, where);
    infile_unmap(&m);
    return ok;
}

/* Height of a glyph's outline (for cap and x height when OS/2 lacks them). */
static int glyph_top(FT_Face face, FT_ULong ch) {
    FT_UInt g = FT_Get_Char_Index(face, ch);
    if (!g || FT_Load_Glyph(face, g, FT_LOAD_NO_SCALE)) return 0;
    FT_BBox b;
    FT_Outline_Get_CBox(&face->glyph->outline, &b);
    return (int)b.yMax;
}

/* Fills f->metrics from FreeType. Strings are copied: the face is closed after loading. */
static bool read_metrics(font_t *f, FT_Face face) {
    font_metrics_t *m = &f->metrics;
    TT_OS2 *os2 = FT_Get_Sfnt_Table(face, FT_SFNT_OS2);
    TT_Postscript *post = FT_Get_Sfnt_Table(face, FT_SFNT_POST);

    const char *ps = FT_Get_Postscript_Name(face);
    if (ps) {
        f->ps_name = xstrdup(ps);
    } else {
        /* PDF needs some name; make one from the file name, minus the path and spaces */
        const char *base = strrchr(f->path, '/');
        base = base ? base + 1 : f->path;
        f->ps_name = xstrdup(base);
        if (f->ps_name) {
            char *dot = strrchr(f->ps_name, '.');
            if (dot) *dot = 0;
            for (char *c = f->ps_name; *c; c++)
                if (*c <= ' ' || *c > '~' || strchr("()<>[]{}/%#", *c)) *c = '-';
        }
    }
    f->family = xstrdup(face->family_name ? face->family_name : f->ps_name ? f->ps_name : "");
    if (!f->ps_name || !f->family) return false;
    m->postscript_name = f->ps_name;
    m->family_name = f->family;

    m->units_per_em = face->units_per_EM;
    m->ascender = face->ascender;
    m->descender = face->descender;
    m->line_gap = face->height - (face->ascender - face->descender);
    m->bbox[0] = (int)face->bbox.xMin;
    m->bbox[1] = (int)face->bbox.yMin;
    m->bbox[2] = (int)face->bbox.xMax;
    m->bbox[3] = (int)face->bbox.yMax;
    m->cap_height = os2 && os2->version >= 2 && os2->sCapHeight > 0 ? os2->sCapHeight : glyph_top(face, 'H');
    m->x_height = os2 && os2->version >= 2 && os2->sxHeight > 0 ? os2->sxHeight : glyph_top(face, 'x');
    if (m->cap_height <= 0) m->cap_height = m->ascender;
    m->italic_angle = post ? post->italicAngle / 65536.0 : 0.0;
    /* Fonts do not record a dominant stem width; this is the usual estimate
     * from the weight class (400 → 88, 700 → 166, per 1000 units). */
    unsigned weight = os2 && os2->usWeightClass ? os2->usWeightClass : ((face->style_flags & FT_STYLE_FLAG_BOLD) ? 700 : 400);
    double stem1000 = 50.0 + (weight / 65.0) * (weight / 65.0);
    m->stem_v = (int)lround(stem1000 * m->units_per_em / 1000.0);
    m->fixed_pitch = FT_IS_FIXED_WIDTH(face);
    m->italic = (face->style_flags & FT_STYLE_FLAG_ITALIC) != 0;
    m->bold = (face->style_flags & FT_STYLE_FLAG_BOLD) != 0;
    /* Serif: PANOSE serif style 2–10 says serifs, 11–13 sans; otherwise
     * the IBM family class (1–7 serif families, 8 sans serif). */
    m->serif = false;
    if (os2) {
        unsigned family_kind = os2->panose[0], serif_style = os2->panose[1];
        int cls = os2->sFamilyClass >> 8;
        if (family_kind == 2 && serif_style >= 2 && serif_style <= 13)
            m->serif = serif_style <= 10;
        else
            m->serif = cls >= 1 && cls <= 7;
    }
    return true;
}

font_t *font_load(const char *path, diag_t *d, diag_loc_t where) {
    font_t *f = calloc(1, sizeof *f);
    FT_Library ft = NULL;
    FT_Face face = NULL;
    if (!f || !(f->path = xstrdup(path))) {
        diag_error(d, where, "out of memory loading font file '%s'", path);
        goto fail;
    }
    infile_error_t ie;
    if (!infile_map(path, FONT_MAX_BYTES, &f->file, &ie)) {
        diag_error(d, where, "cannot %s font file '%s': %s", ie.opening ? "open" : "read", path, ie.why);
        goto fail;
    }

    char tag[5] = "";
    size_t end = 0;
    sfnt_check_t kind = sfnt_check(f->file.data, f->file.len, tag, &end);
    if (!sfnt_verdict(kind, tag, end, f->file.len, path, NULL, false, d, where)) goto fail;

    FT_Error e = FT_Init_FreeType(&ft);
    if (e) {
        diag_error(d, where, "cannot start FreeType to read '%s' (FreeType: %s)", path, ft_error_text(e));
        goto fail;
    }
    e = FT_New_Memory_Face(ft, f->file.data, (FT_Long)f->file.len, 0, &face);
    if (e) {
        /* FreeType tries one driver after another; on data that is no
         * font at all it returns whatever the last probe tripped over
         * (often "invalid stream operation"), which would mislead. */
        if (kind == SFNT_NOT_SFNT) e = FT_Err_Unknown_File_Format;
        diag_error(d, where, "'%s' is not a usable font file (FreeType: %s)", path, ft_error_text(e));
        goto fail;
    }
    const char *format = FT_Get_Font_Format(face);
    if (!FT_IS_SFNT(face) || !format || strcmp(format, "TrueType") != 0) {
        if (format && strcmp(format, "CFF") == 0)
            diag_error(d, where,
                       "'%s' has CFF outlines, which grundlag does not support; use a TrueType-outline (.ttf) font",
                       path);
        else
            diag_error(d, where, "'%s' is not a usable font file (FreeType: %s font, not TrueType outlines)", path,
                       format ? format : "unknown");
        goto fail;
    }
    if (face->units_per_EM < 16 || face->num_glyphs < 1) {
        diag_error(d, where, "'%s' is not a usable font file (FreeType: %s)", path,
                   face->num_glyphs < 1 ? "no glyphs" : "bad units per em");
        goto fail;
    }
    if (!read_metrics(f, face)) {
        diag_error(d, where, "out of memory loading font file '%s'", path);
        goto fail;
    }
    FT_Done_Face(face);
    face = NULL;
    FT_Done_FreeType(ft);
    ft = NULL;
    /* FreeType read tables HarfBuzz never needs (names, glyph names,
     * metrics of every glyph): a face loaded but little used (the bold
     * italic of a family) would keep them resident for nothing. */
    infile_map_release(&f->file);

    /* HarfBuzz reads the same bytes in place; we free them after the blob. */
    f->blob = hb_blob_create_or_fail((const char *)f->file.data, (unsigned)f->file.len, HB_MEMORY_MODE_READONLY, NULL, NULL);
    f->face = f->blob ? hb_face_create(f->blob, 0) : NULL;
    f->hb = f->face ? hb_font_create(f->face) : NULL;
    f->buf = hb_buffer_create();
    if (!f->hb || !hb_buffer_allocation_successful(f->buf)) {
        diag_error(d, where, "out of memory loading font file '%s'", path);
        goto fail;
    }
    hb_ot_font_set_funcs(f->hb);
    /* Scale = units per em and no ppem: unhinted advances in font units. */
    hb_font_set_scale(f->hb, f->metrics.units_per_em, f->metrics.units_per_em);
    f->num_glyphs = hb_face_get_glyph_count(f->face);
    f->space_adv = f->hyphen_adv = -1;
    for (uint32_t cp = 0; cp < 256; cp++) {
        hb_codepoint_t g;
        if (hb_font_get_nominal_glyph(f->hb, cp, &g)) f->latin1[cp >> 3] |= (uint8_t)(1u << (cp & 7));
    }
    f->lang = hb_language_from_string("da", -1);
    return f;

fail:
    if (face) FT_Done_Face(face);
    if (ft) FT_Done_FreeType(ft);
    font_drop(f);
    return NULL;
}

void font_drop(font_t *f) {
    if (!f) return;
    hb_buffer_destroy(f->buf);
    hb_shape_plan_destroy(f->plan);
    hb_font_destroy(f->hb);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
    infile_unmap(&f->file);
    free(f->path);
    free(f->ps_name);
    free(f->family);
    free(f->slots);
    arena_free(f->arena);
    free(f);
}

void font_release_pages(const font_t *f) { infile_map_release(&f->file); }

const font_metrics_t *font_metrics(const font_t *f) { return &f->metrics; }
const char *font_path(const font_t *f) { return f->path; }
size_t font_glyph_count(const font_t *f) { return f->num_glyphs; }

bool font_has_codepoint(const font_t *f, uint32_t cp) {
    if (cp < 256) return f->latin1[cp >> 3] >> (cp & 7) & 1;
    hb_codepoint_t g;
    return hb_font_get_nominal_glyph(f->hb, cp, &g);
}

uint32_t font_glyph_of(const font_t *f, uint32_t cp) {
    hb_codepoint_t g = 0;
    return hb_font_get_nominal_glyph(f->hb, cp, &g) ? g : 0;
}

int32_t font_glyph_advance(const font_t *f, uint32_t gid) {
    return (int32_t)hb_font_get_glyph_h_advance(f->hb, gid);
}

/* ---- shaping ----------------------------------------------------------- */

/* FNV-1a, folded so that 0 never occurs (0 marks an empty slot). Texts are
 * words and short phrases, where FNV is as fast as anything fancier. */
static uint64_t text_hash(const char *s, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    h ^= h >> 29;
    return h ? h : 1;
}

static bool cache_grow(font_t *f) {
    size_t n = f->nslots ? f->nslots * 2 : 256;
    shape_entry_t *slots = calloc(n, sizeof *slots);
    if (!slots) return false;
    for (size_t i = 0; i < f->nslots; i++) {
        shape_entry_t *e = &f->slots[i];
        if (!e->hash) continue;
        size_t j = e->hash & (n - 1);
        while (slots[j].hash) j = (j + 1) & (n - 1);
        slots[j] = *e;
    }
    free(f->slots);
    f->slots = slots;
    f->nslots = n;
    return true;
}

bool font_shape(font_t *f, const char *utf8, size_t len, font_run_t *out) {
    static const font_glyph_t none[1];
    if (len == 0) {
        out->glyphs = none;
        out->count = 0;
        out->width = 0;
        return true;
    }
    uint64_t h = text_hash(utf8, len);
    if (f->nslots) {
        for (size_t i = h & (f->nslots - 1);; i = (i + 1) & (f->nslots - 1)) {
            shape_entry_t *e = &f->slots[i];
            if (!e->hash) break;
            if (e->hash == h && e->len == len && memcmp(e->text, utf8, len) == 0) {
                *out = e->run;
                return true;
            }
        }
    }
    if ((f->nentries + 1) * 2 > f->nslots && !cache_grow(f)) return false;

    double t0 = stopwatch_start();
    hb_buffer_t *b = f->buf;
    hb_buffer_clear_contents(b);
    hb_buffer_set_direction(b, HB_DIRECTION_LTR);
    hb_buffer_set_script(b, HB_SCRIPT_LATIN);
    hb_buffer_set_language(b, f->lang);
    hb_buffer_set_cluster_level(b, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
    hb_buffer_add_utf8(b, utf8, (int)len, 0, (int)len);
    static const hb_feature_t features[] = {
        {HB_TAG('k', 'e', 'r', 'n'), 1, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
        {HB_TAG('l', 'i', 'g', 'a'), 1, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
    };
    /* One plan for the font: hb_shape would look its plan up in the face's
     * cache on every call, a fifth of the cost of shaping a word. */
    if (!f->plan) {
        hb_segment_properties_t props;
        hb_buffer_get_segment_properties(b, &props);
        f->plan = hb_shape_plan_create_cached(f->face, &props, features, sizeof features / sizeof features[0], NULL);
    }
    if (!hb_shape_plan_execute(f->plan, f->hb, b, features, sizeof features / sizeof features[0]) ||
        !hb_buffer_allocation_successful(b))
        return false;

    unsigned n = 0;
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(b, &n);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(b, NULL);
    font_glyph_t *glyphs = arena_alloc(&f->arena, (size_t)n * sizeof *glyphs);
    char *key = arena_alloc(&f->arena, len);
    if ((n && !glyphs) || !key) return false;
    int32_t width = 0;
    for (unsigned i = 0; i < n; i++) {
        glyphs[i].gid = info[i].codepoint;
        glyphs[i].cluster = info[i].cluster;
        glyphs[i].advance = pos[i].x_advance;
        glyphs[i].x_offset = pos[i].x_offset;
        glyphs[i].y_offset = pos[i].y_offset;
        width += pos[i].x_advance;
    }
    memcpy(key, utf8, len);

    size_t i = h & (f->nslots - 1);
    while (f->slots[i].hash) i = (i + 1) & (f->nslots - 1);
    shape_entry_t *e = &f->slots[i];
    e->hash = h;
    e->text = key;
    e->len = len;
    e->run.glyphs = n ? glyphs : none;
    e->run.count = n;
    e->run.width = width;
    f->nentries++;
    *out = e->run;
    stopwatch_stop(STOPWATCH_SHAPE, t0);
    return true;
}

size_t font_cache_entries(const font_t *f) { return f->nentries; }

int32_t font_space_advance(font_t *f) {
    if (f->space_adv < 0) {
        font_run_t r;
        if (!font_shape(f, " ", 1, &r)) return f->metrics.units_per_em / 4;
        f->space_adv = r.count ? r.width : f->metrics.units_per_em / 4;
    }
    return f->space_adv;
}

int32_t font_hyphen_advance(font_t *f) {
    if (f->hyphen_adv < 0) {
        font_run_t r;
        if (!font_shape(f, "-", 1, &r)) return 0;
        f->hyphen_adv = r.width;
    }
    return f->hyphen_adv;
}

/* ---- subsetting -------------------------------------------------------- */

/* The subset's input: what every subset leaves out. The PDF places every
 * glyph itself (and a viewer setting typed text does not shape it), so
 * shaping tables are dead weight; and neither print nor screen needs the
 * hinting. */
static hb_subset_input_t *subset_input(void) {
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) return NULL;
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    hb_set_add(drop, HB_TAG('G', 'S', 'U', 'B'));
    hb_set_add(drop, HB_TAG('G', 'P', 'O', 'S'));
    hb_set_add(drop, HB_TAG('G', 'D', 'E', 'F'));
    hb_set_add(drop, HB_TAG('k', 'e', 'r', 'n'));
    hb_set_add(drop, HB_TAG('h', 'd', 'm', 'x'));
    hb_set_add(drop, HB_TAG('V', 'D', 'M', 'X'));
    hb_set_add(drop, HB_TAG('L', 'T', 'S', 'H'));
    hb_set_add(drop, HB_TAG('D', 'S', 'I', 'G'));
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    return in;
}

/* Runs a subset plan into a malloc'd font file; NULL after reporting.
 * With `gids`, new_gids[i] receives the new id of gids[i]. */
static unsigned char *subset_run(const font_t *f, hb_subset_input_t *in, const uint32_t *gids, size_t n,
                                 uint32_t *new_gids, size_t *out_len, diag_t *d) {
    unsigned char *result = NULL;
    hb_face_t *sub = NULL;
    hb_blob_t *blob = NULL;
    hb_subset_plan_t *plan = in ? hb_subset_plan_create_or_fail(f->face, in) : NULL;
    if (!plan) goto fail;
    const hb_map_t *map = hb_subset_plan_old_to_new_glyph_mapping(plan);
    for (size_t i = 0; gids && i < n; i++) {
        hb_codepoint_t g = hb_map_get(map, gids[i]);
        if (g == HB_MAP_VALUE_INVALID) goto fail;
        new_gids[i] = g;
    }
    sub = hb_subset_plan_execute_or_fail(plan);
    if (!sub) goto fail;
    blob = hb_face_reference_blob(sub);
    unsigned len = 0;
    const char *data = hb_blob_get_data(blob, &len);
    if (!len || !(result = malloc(len))) goto fail;
    memcpy(result, data, len);
    *out_len = len;
    goto done;

fail:
    diag_error(d, diag_file(f->path), "cannot subset font '%s' (HarfBuzz subsetter failed)",
               f->metrics.postscript_name ? f->metrics.postscript_name : f->path);
done:
    hb_blob_destroy(blob);
    hb_face_destroy(sub);
    hb_subset_plan_destroy(plan);
    hb_subset_input_destroy(in);
    return result;
}

/* No RETAIN_GIDS: the CIDToGIDMap maps to the compact new ids. */
unsigned char *font_subset(const font_t *f, const uint32_t *gids, size_t n, uint32_t *new_gids, size_t *out_len,
                           diag_t *d) {
    hb_subset_input_t *in = subset_input();
    if (in) {
        hb_set_t *glyphs = hb_subset_input_glyph_set(in);
        for (size_t i = 0; i < n; i++) hb_set_add(glyphs, gids[i]);
    }
    return subset_run(f, in, gids, n, new_gids, out_len, d);
}

unsigned char *font_subset_chars(const font_t *f, const uint32_t *cps, size_t n, size_t *out_len, diag_t *d) {
    hb_subset_input_t *in = subset_input();
    if (in) {
        hb_set_t *chars = hb_subset_input_unicode_set(in);
        for (size_t i = 0; i < n; i++) hb_set_add(chars, cps[i]);
    }
    return subset_run(f, in, NULL, 0, NULL, out_len, d);
}
