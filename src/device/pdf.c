/* device/pdf: the PDF backend on libharu. Owns the document, its pages and
 * boxes, forms (Form XObjects: content drawn once and shown on many pages),
 * and the content streams, which it writes and compresses itself: libharu
 * 2.3.0 has no way to show glyph ids or position them (no TJ), so libharu
 * serves as the object store and file writer, and the text operators come
 * from here. Font embedding lives in device/pdf_font.c. Must not know about
 * layout. */
#include "device/pdf.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_conf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include "arena.h"
#include "device/pdf_font.h"
#include "device/tags.h"
#include "device/xmp.h"

/* Objects by the bytes they stand for (a shared content stream by its
 * content, an /Alt string by its text): open addressing on a hash of the
 * bytes, grown at half full. A few dozen in practice, but nothing bounds
 * them. The keys are borrowed and must outlive the map. */
typedef struct byte_slot {
    uint64_t hash;
    const void *key;
    size_t len;
    void *obj; /* NULL: a free slot */
} byte_slot_t;

typedef struct byte_map {
    byte_slot_t *v;
    size_t n, cap; /* cap: a power of two, or 0 */
} byte_map_t;

/* The slot of `key`, or the free slot where it would go (cap > 0). */
static size_t bytes_slot(const byte_map_t *m, const void *key, size_t len, uint64_t hash) {
    size_t i = hash & (m->cap - 1);
    while (m->v[i].obj && !(m->v[i].hash == hash && m->v[i].len == len && memcmp(m->v[i].key, key, len) == 0))
        i = (i + 1) & (m->cap - 1);
    return i;
}

static void *bytes_find(const byte_map_t *m, const void *key, size_t len) {
    return m->cap ? m->v[bytes_slot(m, key, len, pdf_hash_bytes(key, len))].obj : NULL;
}


/* Adds `key` → `obj` (`key` not yet in the map); false when memory ran out. */
static bool bytes_add(byte_map_t *m, const void *key, size_t len, void *obj) {
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        byte_slot_t *t = calloc(cap, sizeof *t);
        if (!t) return false;
        for (size_t k = 0; k < m->cap; k++) {
            if (!m->v[k].obj) continue;
            size_t i = m->v[k].hash & (cap - 1);
            while (t[i].obj) i = (i + 1) & (cap - 1);
            t[i] = m->v[k];
        }
        free(m->v);
        m->v = t;
        m->cap = cap;
    }
    uint64_t hash = pdf_hash_bytes(key, len);
    m->v[bytes_slot(m, key, len, hash)] = (byte_slot_t){hash, key, len, obj};
    m->n++;
    return true;
}

struct pdf_doc {
    diag_t *d;
    HPDF_Doc pdf;
    arena_t *hpdf_memory; /* libharu's memory when it is the arena (hpdf_alloc); NULL: malloc */
    HPDF_Array reg_space; /* the registration colour space, once used */
    pdf_font_t **fonts;
    size_t nfonts, capfonts;

    HPDF_Page page; /* the open page, or NULL */
    HPDF_Dict form; /* or the open form, or NULL */
    HPDF_Dict form_fonts; /* the open form's /Font resources, made on first use */
    unsigned page_serial; /* pages begun */
    unsigned serial;      /* pages and forms begun: keys the fonts' resource names */
    pdf_buf_t ops; /* the open page's or form's content stream, flushed at its end */
    bool full_reported;
    pdf_zip_t *zip;
    struct raw_stream **jobs; /* streams being deflated beside the drawing (raw_resolve) */
    size_t st_first_id;       /* the object number of structure element 0 (elem_dict) */
    HPDF_List st_no_keys;     /* the empty list of keys the elements share */
    size_t njobs, capjobs;

    HPDF_Dict *forms; /* every form ended, by id */
    size_t nforms, capforms;
    unsigned form_serial;

    /* The pages' /Resources, shared: thousands of small pages need not each
     * carry their own. One per group of FORMS_PER_GROUP forms (a libharu
     * dictionary holds at most 4095 entries); a page uses its form's group,
     * or group 0. Each has its /Font (F1, … in order of first use there)
     * and /XObject (Fm<form id>). */
    struct res_group { HPDF_Dict dict, fonts, forms; } *groups;
    size_t ngroups;
    HPDF_Pages node; /* the /Pages node that takes new pages */
    pdf_buf_t scratch; /* for writing page dictionaries */
    arena_t *store;    /* page and form streams' data, and their records */

    /* Graphics and text state as written into the open page so far, so
     * that unchanged settings are not repeated. */
    bool in_text;  /* inside BT … ET */
    bool in_array; /* inside a TJ array: "[" written, "]TJ" not yet */
    bool in_str;   /* inside a string of glyph codes in that array */
    pdf_font_t *tf_font;
    long long tf_size; /* in 1/1000 pt, as written */
    double tf_pt;      /* the same, in points */
    double tlm_x, tlm_y; /* text line origin, as written (rounded) */
    double pen_x;        /* where the viewer's text position is now */
    long long rise;      /* Ts, 1/1000 pt */
    bool fill_set, stroke_set;
    colour_t fill, stroke;
    long long line_width; /* 1/1000 pt; -1 unknown */

    HPDF_Page *pages; /* every page begun, for links and bookmarks */
    size_t npages, cappages;
    HPDF_Outline outline_stack[8];

    md5_t content; /* all page content and boxes, for /ID */
    unsigned char info_digest[16];

    /* Tagged PDF: pages carry /StructParents (their index) and /Tabs /S;
     * links get /StructParent (after the pages' keys). */
    bool tagged;
    bool in_mark;          /* a marked-content sequence is open */
    long long tz;          /* horizontal scaling as written, 1/1000 % */
    double hscale;         /* asked for the next glyphs (1 = none) */
    bool space_next;       /* the next run begins a new word (pdf_space_before) */
    HPDF_Annotation *annots; /* those with a /StructParent (links, widgets), in order */
    size_t nannots, capannots;
    /* The interactive form: the catalog's /AcroForm (made with the first
     * field), its /Fields and /DR fonts, the field dictionaries by their
     * fully qualified names, appearance streams by what they draw (every
     * radio button of one size looks the same), the fonts of typed text. */
    HPDF_Dict acroform;
    HPDF_Array acro_fields;
    HPDF_Dict dr_fonts;
    byte_map_t fields, looks;
    struct typed_font { font_t *font; HPDF_Dict dict; } *typed;
    size_t ntyped;
    /* Content streams shared by pages (pdf_page_share), by their bytes;
     * the open page's, once shared. */
    byte_map_t shared;
    const unsigned char *shared_md5;
    /* The structure tree (pdf_set_structure), borrowed until saved: its
     * objects are written from these records. */
    const tags_elem_t *st_elems;
    size_t st_n;
    const tags_t *st_tags;
    HPDF_Dict *st_dicts;  /* per element, in the store */
    byte_map_t alts;      /* the /Alt strings, by their text */
    HPDF_Dict st_root;
    long *st_annot_elem;   /* per link: its element + 1, 0 none */
};

static const char *hpdf_error_text(HPDF_STATUS e) {
    switch (e) {
    case HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
    case HPDF_FILE_IO_ERROR: return "file input/output error";
    case HPDF_FILE_OPEN_ERROR: return "cannot open file";
    case HPDF_PAGE_INVALID_SIZE: return "page size out of range (3 to 14400 points)";
    case HPDF_ZLIB_ERROR: return "compression failed";
    case HPDF_INVALID_PARAMETER: return "invalid parameter";
    case HPDF_REAL_OUT_OF_RANGE: return "number out of range";
    default: return "internal error";
    }
}

/* libharu reports here; we only record. Its state is reset by the caller
 * that saw the failing return code, never here (resetting inside the
 * handler would make that call look successful). */
static void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *user) {
    pdf_doc_t *p = user;
    diag_error(p->d, diag_nowhere(), "PDF writer: %s (libharu error 0x%04X, detail %u)", hpdf_error_text(error),
               (unsigned)error, (unsigned)detail);
}

/* For low-level object calls, which return a status without calling the handler. */
static bool check(pdf_doc_t *p, HPDF_STATUS st, const char *what) {
    if (st == HPDF_OK) return true;
    diag_error(p->d, diag_nowhere(), "PDF writer: cannot %s: %s (libharu error 0x%04X)", what, hpdf_error_text(st),
               (unsigned)st);
    HPDF_ResetError(p->pdf);
    return false;
}

/* libharu's memory for the document being written: tens of thousands of
 * small objects (a tagged document's structure elements, their lists)
 * that all live as long as the document. A bump arena holds them without
 * malloc's per-object header and frees them at once; libharu's frees do
 * nothing. libharu's allocation calls carry no context, so the arena is
 * the process's one: the first document open at a time takes it, another
 * at the same time uses malloc (its own pool misaligns). */
static arena_t *hpdf_arena;
static void *hpdf_alloc(HPDF_UINT size) { return arena_alloc_raw(hpdf_arena, size, sizeof(void *)); }
static void hpdf_free(void *ptr) { (void)ptr; }

pdf_doc_t *pdf_doc_new(diag_t *d) {
    pdf_doc_t *p = calloc(1, sizeof *p);
    if (!p) {
        diag_error(d, diag_nowhere(), "out of memory creating a PDF document");
        return NULL;
    }
    p->d = d;
    if (!hpdf_arena && (hpdf_arena = arena_new())) {
        p->hpdf_memory = hpdf_arena;
        p->pdf = HPDF_NewEx(on_hpdf_error, hpdf_alloc, hpdf_free, 0, p);
    } else {
        p->pdf = HPDF_New(on_hpdf_error, p);
    }
    if (!p->pdf) {
        if (p->hpdf_memory) {
            arena_drop(hpdf_arena);
            hpdf_arena = NULL;
        }
        diag_error(d, diag_nowhere(), "PDF writer: cannot create a document (out of memory)");
        free(p);
        return NULL;
    }
    /* 1.5: a tagged file's pages have /Tabs and its table headers /Scope
     * (both 1.5); /Lang is 1.4, everything else here 1.3. */
    p->pdf->pdf_version = HPDF_VER_15;
    /* No HPDF_SetCompressionMode: streams are deflated here (pdf_zip), with
     * one zlib state for the whole document, and small ones not at all. */
    p->zip = pdf_zip_new();
    p->store = arena_new();
    if (!p->zip || !p->store) {
        diag_error(d, diag_nowhere(), "out of memory creating a PDF document");
        pdf_doc_drop(p);
        return NULL;
    }
    md5_init(&p->content);
    return p;
}

static void raw_forget(pdf_doc_t *p);

void pdf_doc_drop(pdf_doc_t *p) {
    if (!p) return;
    raw_forget(p);
    for (size_t i = 0; i < p->nfonts; i++) pdf_font_drop(p->fonts[i]);
    free(p->fonts);
    free(p->pages);
    free(p->annots);
    free(p->forms);
    free(p->groups);
    free(p->shared.v);
    free(p->alts.v);
    free(p->fields.v);
    free(p->looks.v);
    free(p->typed);
    pdf_zip_drop(p->zip);
    pdf_buf_free(&p->ops);
    pdf_buf_free(&p->scratch);
    if (p->pdf) HPDF_Free(p->pdf);
    if (p->hpdf_memory) {
        arena_drop(hpdf_arena); /* after HPDF_Free, whose frees were nothing */
        hpdf_arena = NULL;
    }
    arena_drop(p->store); /* after HPDF_Free: the streams' records are in it */
    free(p);
}

static void reset_page_state(pdf_doc_t *p) {
    p->ops.len = 0;
    p->in_text = p->in_array = p->in_str = false;
    p->tf_font = NULL;
    p->tf_size = -1;
    p->rise = 0;
    p->fill_set = p->stroke_set = false;
    p->line_width = -1;
    p->tz = 100000; /* every content stream starts at Tz 100 */
}

/* ---- streams written by us ----------------------------------------------------- */

/* Page and form content as a dictionary whose write hooks add /Length (a
 * number: libharu's own streams each carry an indirect length object, and
 * keep their data in 4 KB chunks) and write the data after it; the data is
 * in the document's store. Other keys go into the dictionary as usual. */
typedef struct raw_stream {
    const unsigned char *data;
    size_t len;
    bool deflated;
    HPDF_Stream out; /* between the two hooks */
    pdf_zip_job_t *job; /* being deflated: data and len come from it (raw_resolve) */
} raw_stream_t;

static HPDF_STATUS raw_write(HPDF_Dict d, HPDF_Stream out) {
    raw_stream_t *r = d->attr;
    r->out = out;
    char buf[64];
    int n = snprintf(buf, sizeof buf, "/Length %zu\012%s", r->len, r->deflated ? "/Filter /FlateDecode\012" : "");
    return HPDF_Stream_Write(out, (const HPDF_BYTE *)buf, (HPDF_UINT)n);
}

/* Called by libharu after the dictionary's ">>". */
static HPDF_STATUS raw_after_write(HPDF_Dict d) {
    raw_stream_t *r = d->attr;
    HPDF_Stream out = r->out;
    r->out = NULL;
    if (!out) return HPDF_INVALID_OBJECT;
    HPDF_STATUS st = HPDF_Stream_WriteStr(out, "\012stream\015\012");
    if (st == HPDF_OK && r->len) st = HPDF_Stream_Write(out, r->data, (HPDF_UINT)r->len);
    if (st == HPDF_OK) st = HPDF_Stream_WriteStr(out, "\012endstream");
    return st;
}

/* Makes `d` (in the xref) a stream of ops, deflated unless small; md5
 * (unless NULL) receives the digest of the ops. */
static bool raw_set(pdf_doc_t *p, HPDF_Dict d, const pdf_buf_t *ops, unsigned char md5[16], const char *what) {
    const void *data = NULL;
    size_t len = 0;
    bool deflated = false;
    pdf_zip_job_t *job = NULL;
    raw_stream_t *r = arena_alloc(p->store, sizeof *r);
    if (!r || !mem_grow((void **)&p->jobs, &p->capjobs, p->njobs + 1, sizeof *p->jobs))
        return check(p, HPDF_FAILD_TO_ALLOC_MEM, what);
    if (!check(p, pdf_zip_start(p->zip, PDF_ZIP_CONTENT, ops->data, ops->len, &data, &len, &deflated, md5, &job), what))
        return false;
    unsigned char *copy = len ? arena_alloc(p->store, len) : NULL;
    if (len && !copy) return check(p, HPDF_FAILD_TO_ALLOC_MEM, what);
    if (len) memcpy(copy, data, len);
    *r = (raw_stream_t){copy, len, deflated, NULL, job};
    if (job) p->jobs[p->njobs++] = r;
    d->attr = r;
    d->write_fn = raw_write;
    d->after_write_fn = raw_after_write;
    return true;
}

/* The streams deflated beside the drawing, into the store, in the order
 * they were drawn; false after reporting. A stream that failed keeps its
 * job, so that saving again fails again rather than writing it empty. */
static bool raw_resolve(pdf_doc_t *p) {
    bool ok = true;
    size_t failed = 0;
    for (size_t i = 0; i < p->njobs; i++) {
        raw_stream_t *r = p->jobs[i];
        const void *data = NULL;
        size_t len = 0;
        bool deflated = false;
        HPDF_STATUS st = pdf_zip_job_result(r->job, &data, &len, &deflated);
        unsigned char *copy = st == HPDF_OK ? arena_alloc(p->store, len ? len : 1) : NULL;
        if (st == HPDF_OK && !copy) st = HPDF_FAILD_TO_ALLOC_MEM;
        if (st != HPDF_OK) {
            p->jobs[failed++] = r;
            if (ok) ok = check(p, st, "write a page's content");
            continue;
        }
        memcpy(copy, data, len);
        pdf_zip_job_free(r->job);
        *r = (raw_stream_t){copy, len, deflated, NULL, NULL};
    }
    p->njobs = failed;
    return ok;
}

/* A document dropped unsaved: its jobs are waited for (the thread may be
 * using them) and freed. */
static void raw_forget(pdf_doc_t *p) {
    for (size_t i = 0; i < p->njobs; i++) pdf_zip_job_free(p->jobs[i]->job);
    free(p->jobs);
    p->jobs = NULL;
    p->njobs = p->capjobs = 0;
}

/* ---- pages ------------------------------------------------------------------ */

/* A page is a dictionary of libharu's page class, so that the page tree,
 * destinations and link annotations take it, but not one made by
 * HPDF_AddPage: that one carries its own resources, ProcSet, graphics
 * state and boxes as separate objects (some 7 KB of memory a page). Its
 * keys are written from this record when the file is saved. */
typedef struct page_rec {
    HPDF_PageAttr_Rec attr; /* first: libharu reads page->attr as its own */
    pdf_doc_t *doc;
    HPDF_Dict contents;
    HPDF_Dict shared;  /* content before `contents`, shared with other pages (pdf_page_share) */
    size_t group;      /* of the shared resources */
    bool group_fixed;  /* a font or form is named by it already */
    double media_w, media_h;
    pdf_box_t trim, bleed;
    bool has_trim, has_bleed;
    long struct_parents; /* tagged: the page's key in the ParentTree; -1 untagged */
} page_rec_t;

static void page_free(HPDF_Dict page) {
    HPDF_FreeMem(page->mmgr, page->attr);
    page->attr = NULL;
}

static void put_box(pdf_buf_t *b, const char *key, double x0, double y0, double x1, double y1) {
    pdf_buf_char(b, '/');
    pdf_buf_puts(b, key);
    pdf_buf_puts(b, " [ ");
    double v[4] = {x0, y0, x1, y1};
    for (int i = 0; i < 4; i++) {
        pdf_buf_num(b, v[i]);
        pdf_buf_char(b, ' ');
    }
    pdf_buf_puts(b, "]\n");
}

/* " 12 0 R": a reference to an object in the xref (libharu writes every
 * object as generation 0). */
static void put_obj(pdf_buf_t *b, const void *obj) {
    const HPDF_Obj_Header *h = obj;
    pdf_buf_char(b, ' ');
    pdf_buf_int(b, h->obj_id & 0x00FFFFFF);
    if (h->gen_no == 0) {
        pdf_buf_put(b, " 0 R", 4);
        return;
    }
    pdf_buf_char(b, ' ');
    pdf_buf_int(b, h->gen_no);
    pdf_buf_puts(b, " R");
}

/* libharu grows a list by a fixed step, copying it each time: quadratic
 * in a batch of thousands of pages. Called before adding to `l`, this
 * makes the next step as large as the list, so it grows by doubling. */
static void list_grows_by_doubling(HPDF_List l) {
    if (l && l->items_per_block < l->count) l->items_per_block = l->count;
}

/* "/Key 12 0 R" and a line end. */
static void put_ref(pdf_buf_t *b, const char *key, const void *obj) {
    pdf_buf_char(b, '/');
    pdf_buf_puts(b, key);
    put_obj(b, obj);
    pdf_buf_char(b, '\n');
}

/* libharu's write hook: the keys that the record holds. */
static HPDF_STATUS page_write(HPDF_Dict page, HPDF_Stream out) {
    const page_rec_t *r = (const page_rec_t *)page->attr;
    pdf_buf_t *b = &r->doc->scratch;
    b->len = 0;
    pdf_buf_puts(b, "/Type /Page\n");
    put_ref(b, "Parent", r->attr.parent);
    put_box(b, "MediaBox", 0, 0, r->media_w, r->media_h);
    if (r->has_trim) put_box(b, "TrimBox", r->trim.x0, r->trim.y0, r->trim.x1, r->trim.y1);
    if (r->has_bleed) put_box(b, "BleedBox", r->bleed.x0, r->bleed.y0, r->bleed.x1, r->bleed.y1);
    put_ref(b, "Resources", r->doc->groups[r->group].dict);
    if (r->shared && r->contents) {
        pdf_buf_puts(b, "/Contents [");
        put_obj(b, r->shared);
        put_obj(b, r->contents);
        pdf_buf_puts(b, " ]\n");
    } else if (r->shared || r->contents) {
        put_ref(b, "Contents", r->shared ? r->shared : r->contents);
    }
    if (r->struct_parents >= 0) {
        pdf_buf_puts(b, "/StructParents ");
        pdf_buf_int(b, r->struct_parents);
        pdf_buf_puts(b, "\n/Tabs /S\n");
    }
    if (b->oom) return HPDF_FAILD_TO_ALLOC_MEM;
    return HPDF_Stream_Write(out, (const HPDF_BYTE *)b->data, (HPDF_UINT)b->len);
}

enum {
    FORMS_PER_GROUP = 4000,
    /* Kids of one /Pages node (libharu caps arrays at 32767): after that
     * many pages at the root, further pages go into nodes of that many. */
    PAGES_PER_NODE = 8192,
};

/* Makes the shared resources up to group g. */
static bool resource_group(pdf_doc_t *p, size_t g) {
    while (p->ngroups <= g) {
        struct res_group *n = realloc(p->groups, (p->ngroups + 1) * sizeof *n);
        if (!n) return check(p, HPDF_FAILD_TO_ALLOC_MEM, "make the page resources");
        p->groups = n;
        HPDF_MMgr mmgr = p->pdf->mmgr;
        HPDF_Dict res = HPDF_Dict_New(mmgr);
        if (!res || !check(p, HPDF_Xref_Add(p->pdf->xref, res), "make the page resources")) return false;
        /* the xref owns it now */
        HPDF_Dict fonts = HPDF_Dict_New(mmgr), forms = fonts ? HPDF_Dict_New(mmgr) : NULL;
        if (!fonts || !check(p, HPDF_Dict_Add(res, "Font", fonts), "make the page resources")) return false;
        if (!forms || !check(p, HPDF_Dict_Add(res, "XObject", forms), "make the page resources")) return false;
        p->groups[p->ngroups++] = (struct res_group){res, fonts, forms};
    }
    return true;
}

/* The resource-name cache key (see pdf_font_page_name) of the pages of
 * group g; forms count up from 1. */
static unsigned group_serial(size_t g) { return UINT_MAX - (unsigned)g; }

/* The /Pages node for a new page. */
static HPDF_Pages page_node(pdf_doc_t *p) {
    HPDF_Doc pdf = p->pdf;
    if (!p->node) p->node = pdf->root_pages;
    HPDF_Array kids = HPDF_Dict_GetItem(p->node, "Kids", HPDF_OCLASS_ARRAY);
    if (kids && kids->list->count >= PAGES_PER_NODE) {
        p->node = HPDF_Pages_New(pdf->mmgr, pdf->root_pages, pdf->xref);
        kids = p->node ? HPDF_Dict_GetItem(p->node, "Kids", HPDF_OCLASS_ARRAY) : NULL;
    }
    return kids ? p->node : NULL;
}

/* A new page in the page tree; its content stream comes at its end. */
static HPDF_Dict page_new(pdf_doc_t *p) {
    HPDF_Doc pdf = p->pdf;
    HPDF_Pages node = resource_group(p, 0) ? page_node(p) : NULL;
    if (!node) return NULL;
    list_grows_by_doubling(pdf->xref->entries);
    list_grows_by_doubling(pdf->page_list);
    HPDF_Dict page = HPDF_Dict_New(pdf->mmgr);
    if (!page) return NULL;
    page_rec_t *r = HPDF_GetMem(pdf->mmgr, sizeof *r);
    if (!r) {
        HPDF_Dict_Free(page);
        return NULL;
    }
    memset(r, 0, sizeof *r);
    r->attr.gmode = HPDF_GMODE_PAGE_DESCRIPTION;
    r->attr.xref = pdf->xref;
    r->doc = p;
    page->header.obj_class |= HPDF_OSUBCLASS_PAGE;
    page->attr = r;
    page->free_fn = page_free;
    page->write_fn = page_write;
    if (HPDF_Xref_Add(pdf->xref, page) != HPDF_OK) return NULL; /* frees the page */
    /* Into /Kids without HPDF_Pages_AddKids, which would give the page a
     * /Parent entry of its own (page_write writes it). */
    HPDF_Array kids = HPDF_Dict_GetItem(node, "Kids", HPDF_OCLASS_ARRAY);
    if (kids) list_grows_by_doubling(kids->list);
    if (!kids || HPDF_Array_Add(kids, page) != HPDF_OK || HPDF_List_Add(pdf->page_list, page) != HPDF_OK)
        return NULL;
    r->attr.parent = node;
    pdf->cur_page = page;
    return page;
}

static void digest_box(pdf_doc_t *p, const char *key, const pdf_box_t *b) {
    double v[4] = {b->x0, b->y0, b->x1, b->y1};
    md5_update(&p->content, (const HPDF_BYTE *)key, (HPDF_UINT32)strlen(key));
    md5_update(&p->content, (const HPDF_BYTE *)v, sizeof v);
}

bool pdf_page_begin(pdf_doc_t *p, double media_w, double media_h, const pdf_box_t *trim, const pdf_box_t *bleed) {
    if (p->page && !pdf_page_end(p)) return false;
    if (p->form && pdf_form_end(p) < 0) return false;
    if (!(media_w >= 3 && media_w <= 14400 && media_h >= 3 && media_h <= 14400)) {
        diag_error(p->d, diag_nowhere(), "PDF writer: %s (libharu error 0x%04X, detail 0)",
                   hpdf_error_text(HPDF_PAGE_INVALID_SIZE), (unsigned)HPDF_PAGE_INVALID_SIZE);
        return false;
    }
    if (p->npages == p->cappages) {
        size_t nc = p->cappages ? p->cappages * 2 : 16;
        HPDF_Page *np = realloc(p->pages, nc * sizeof *np);
        if (!np) {
            diag_error(p->d, diag_nowhere(), "out of memory adding a page to the PDF");
            return false;
        }
        p->pages = np;
        p->cappages = nc;
    }
    HPDF_Page page = page_new(p);
    if (!page) {
        check(p, HPDF_GetError(p->pdf) ? HPDF_GetError(p->pdf) : HPDF_FAILD_TO_ALLOC_MEM, "add a page");
        return false;
    }
    page_rec_t *r = (page_rec_t *)page->attr;
    r->media_w = media_w;
    r->media_h = media_h;
    if (trim) r->trim = *trim;
    if (bleed) r->bleed = *bleed;
    r->has_trim = trim != NULL;
    r->has_bleed = bleed != NULL;
    r->struct_parents = p->tagged ? (long)p->npages : -1;
    p->page = page;
    p->page_serial++;
    p->serial = group_serial(0); /* until a form decides the page's group */
    p->pages[p->npages++] = page;
    reset_page_state(p);
    double v[2] = {media_w, media_h};
    md5_update(&p->content, (const HPDF_BYTE *)"page", 4);
    md5_update(&p->content, (const HPDF_BYTE *)v, sizeof v);
    if (trim) digest_box(p, "TrimBox", trim);
    if (bleed) digest_box(p, "BleedBox", bleed);
    return true;
}

/* Rounds half away from zero, inline: llround is a library call, and this
 * runs for every glyph. */
static inline long long rnd(double v) { return (long long)(v < 0 ? v - 0.5 : v + 0.5); }

/* Whether a page or a form is open to draw on. */
static inline bool drawing(const pdf_doc_t *p) { return p->page || p->form; }

static void end_array(pdf_doc_t *p) {
    if (p->in_str) pdf_buf_char(&p->ops, ')');
    if (p->in_array) pdf_buf_puts(&p->ops, "]TJ\n");
    p->in_str = p->in_array = false;
}

static void end_text(pdf_doc_t *p) {
    if (!p->in_text) return;
    end_array(p);
    pdf_buf_puts(&p->ops, "ET\n");
    p->in_text = false;
}

static double clamp01(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

/* The registration colour space, /Separation /All (every plate, as print
 * shops' preflight expects crop marks), named /Reg in the resources of the
 * open page's group or the open form; false when memory ran out. */
static bool registration_space(pdf_doc_t *p) {
    HPDF_MMgr mm = p->pdf->mmgr;
    if (!p->reg_space) {
        HPDF_Array cs = HPDF_Array_New(mm);
        HPDF_Dict fn = HPDF_Dict_New(mm);
        HPDF_Array domain = HPDF_Array_New(mm), c0 = HPDF_Array_New(mm), c1 = HPDF_Array_New(mm);
        bool ok = cs && fn && domain && c0 && c1 && HPDF_Xref_Add(p->pdf->xref, cs) == HPDF_OK &&
                  HPDF_Array_AddName(cs, "Separation") == HPDF_OK && HPDF_Array_AddName(cs, "All") == HPDF_OK &&
                  HPDF_Array_AddName(cs, "DeviceCMYK") == HPDF_OK && HPDF_Array_Add(cs, fn) == HPDF_OK &&
                  HPDF_Dict_AddNumber(fn, "FunctionType", 2) == HPDF_OK && HPDF_Dict_Add(fn, "Domain", domain) == HPDF_OK &&
                  HPDF_Array_AddNumber(domain, 0) == HPDF_OK && HPDF_Array_AddNumber(domain, 1) == HPDF_OK &&
                  HPDF_Dict_Add(fn, "C0", c0) == HPDF_OK && HPDF_Dict_Add(fn, "C1", c1) == HPDF_OK &&
                  HPDF_Dict_AddNumber(fn, "N", 1) == HPDF_OK;
        for (int i = 0; ok && i < 4; i++)
            ok = HPDF_Array_AddNumber(c0, 0) == HPDF_OK && HPDF_Array_AddNumber(c1, 1) == HPDF_OK;
        if (!ok) return check(p, HPDF_FAILD_TO_ALLOC_MEM, "make the registration colour");
        p->reg_space = cs;
        md5_update(&p->content, (const HPDF_BYTE *)"registration", 12);
    }
    HPDF_Dict res = p->form ? HPDF_Dict_GetItem(p->form, "Resources", HPDF_OCLASS_DICT)
                            : p->groups[((page_rec_t *)p->page->attr)->group].dict;
    if (!res) return false;
    HPDF_Dict spaces = HPDF_Dict_GetItem(res, "ColorSpace", HPDF_OCLASS_DICT);
    if (!spaces) {
        spaces = HPDF_Dict_New(mm);
        if (!spaces || HPDF_Dict_Add(res, "ColorSpace", spaces) != HPDF_OK)
            return check(p, HPDF_FAILD_TO_ALLOC_MEM, "make the registration colour");
    }
    if (!HPDF_Dict_GetItem(spaces, "Reg", HPDF_OCLASS_ARRAY) && HPDF_Dict_Add(spaces, "Reg", p->reg_space) != HPDF_OK)
        return check(p, HPDF_FAILD_TO_ALLOC_MEM, "make the registration colour");
    return true;
}

static void set_colour(pdf_doc_t *p, colour_t c, bool stroke) {
    colour_t *cur = stroke ? &p->stroke : &p->fill;
    bool *known = stroke ? &p->stroke_set : &p->fill_set;
    if (*known && cur->space == c.space && memcmp(cur->v, c.v, sizeof c.v) == 0) return;
    if (!drawing(p)) return;
    *cur = c;
    *known = true;
    /* colour operators are allowed inside BT…ET, but not inside a TJ array */
    end_array(p);
    if (c.space == COLOUR_REGISTRATION) {
        if (!registration_space(p)) return;
        pdf_buf_puts(&p->ops, stroke ? "/Reg CS " : "/Reg cs ");
        pdf_buf_num(&p->ops, clamp01(c.v[0]));
        pdf_buf_puts(&p->ops, stroke ? " SCN\n" : " scn\n");
        return;
    }
    int n = c.space == COLOUR_CMYK ? 4 : c.space == COLOUR_RGB ? 3 : 1;
    for (int i = 0; i < n; i++) {
        pdf_buf_num(&p->ops, clamp01(c.v[i]));
        pdf_buf_char(&p->ops, ' ');
    }
    static const char *const ops[3][2] = {{"g", "G"}, {"rg", "RG"}, {"k", "K"}};
    int idx = c.space == COLOUR_CMYK ? 2 : c.space == COLOUR_RGB ? 1 : 0;
    pdf_buf_puts(&p->ops, ops[idx][stroke]);
    pdf_buf_char(&p->ops, '\n');
}

void pdf_fill_colour(pdf_doc_t *p, colour_t c) { set_colour(p, c, false); }
void pdf_stroke_colour(pdf_doc_t *p, colour_t c) { set_colour(p, c, true); }

/* Four numbers and an operator: "x y w h re f", "x0 y0 m x1 y1 l S" in parts. */
static void put_numbers(pdf_doc_t *p, const double *v, int n, const char *op) {
    for (int i = 0; i < n; i++) {
        pdf_buf_num(&p->ops, v[i]);
        pdf_buf_char(&p->ops, ' ');
    }
    pdf_buf_puts(&p->ops, op);
}

void pdf_fill_rect(pdf_doc_t *p, double x, double y, double w, double h) {
    if (!drawing(p)) return;
    end_text(p);
    put_numbers(p, (double[]){x, y, w, h}, 4, "re f\n");
}

static void line_width(pdf_doc_t *p, double width) {
    long long w = llround(width * 1000);
    if (w != p->line_width) {
        pdf_buf_num(&p->ops, width);
        pdf_buf_puts(&p->ops, " w\n");
        p->line_width = w;
    }
}

void pdf_stroke_rect(pdf_doc_t *p, double x, double y, double w, double h, double width) {
    if (!drawing(p)) return;
    end_text(p);
    line_width(p, width);
    put_numbers(p, (double[]){x, y, w, h}, 4, "re S\n");
}

void pdf_stroke_line(pdf_doc_t *p, double x0, double y0, double x1, double y1, double width) {
    if (!drawing(p)) return;
    end_text(p);
    line_width(p, width);
    put_numbers(p, (double[]){x0, y0}, 2, "m ");
    put_numbers(p, (double[]){x1, y1}, 2, "l S\n");
}

/* A font's name in the open page's shared resources, registered on first
 * use (F1, F2, … in that order). */
static const char *page_font_name(pdf_doc_t *p, pdf_font_t *pf, char *name, size_t size) {
    page_rec_t *r = (page_rec_t *)p->page->attr;
    r->group_fixed = true;
    HPDF_Dict fonts = p->groups[r->group].fonts;
    const char *key = HPDF_Dict_GetKeyByObj(fonts, pdf_font_dict(pf));
    if (key) return key;
    snprintf(name, size, "F%u", (unsigned)fonts->list->count + 1);
    return HPDF_Dict_Add(fonts, name, pdf_font_dict(pf)) == HPDF_OK ? name : NULL;
}

/* Registers a font in the open form's own resources, named in the same way. */
static const char *form_font_name(pdf_doc_t *p, pdf_font_t *pf, char *name, size_t size) {
    HPDF_MMgr mmgr = p->pdf->mmgr;
    if (!p->form_fonts) {
        HPDF_Dict res = HPDF_Dict_GetItem(p->form, "Resources", HPDF_OCLASS_DICT);
        HPDF_Dict fonts = res ? HPDF_Dict_New(mmgr) : NULL;
        if (!fonts || HPDF_Dict_Add(res, "Font", fonts) != HPDF_OK) return NULL;
        p->form_fonts = fonts;
    }
    snprintf(name, size, "F%u", (unsigned)p->form_fonts->list->count + 1);
    if (HPDF_Dict_Add(p->form_fonts, name, pdf_font_dict(pf)) != HPDF_OK) return NULL;
    return name;
}

static pdf_font_t *font_for(pdf_doc_t *p, font_t *font) {
    /* a handful of fonts per document: a linear scan beats hashing */
    for (size_t i = 0; i < p->nfonts; i++)
        if (pdf_font_source(p->fonts[i]) == font) return p->fonts[i];
    if (p->nfonts == p->capfonts) {
        size_t cap = p->capfonts ? p->capfonts * 2 : 8;
        pdf_font_t **n = realloc(p->fonts, cap * sizeof *n);
        if (!n) return NULL;
        p->fonts = n;
        p->capfonts = cap;
    }
    pdf_font_t *pf = pdf_font_new(p->pdf, font);
    if (!pf) {
        HPDF_ResetError(p->pdf);
        return NULL;
    }
    p->fonts[p->nfonts++] = pf;
    return pf;
}

/* Text span of glyph i: from its cluster to the next glyph's different
 * cluster. Further glyphs of the same cluster get an empty span, so that
 * the cluster's text is extracted once. */
static size_t glyph_text(const font_glyph_t *g, size_t count, size_t i, size_t len, size_t *start) {
    size_t c = g[i].cluster < len ? g[i].cluster : len;
    *start = c;
    if (i > 0 && g[i - 1].cluster == g[i].cluster) return 0;
    size_t end = len;
    for (size_t j = i + 1; j < count; j++)
        if (g[j].cluster != g[i].cluster) {
            end = g[j].cluster < len ? g[j].cluster : len;
            break;
        }
    return end > c ? end - c : 0;
}

/* Writes a glyph code into the open TJ array, in a string. Two-byte codes
 * as raw bytes: half the size of hex. Escapes what a literal string cannot
 * hold as is (a raw CR would read as LF). */
static void put_code(pdf_doc_t *p, unsigned cid) {
    pdf_buf_t *b = &p->ops;
    if (!p->in_str) pdf_buf_char(b, '(');
    p->in_str = true;
    char code[2] = {(char)(cid >> 8), (char)(cid & 0xFF)};
    for (int j = 0; j < 2; j++) {
        char c = code[j];
        if (c == '(' || c == ')' || c == '\\') {
            pdf_buf_char(b, '\\');
            pdf_buf_char(b, c);
        } else if (c == '\r') {
            pdf_buf_put(b, "\\r", 2);
        } else if (c == '\n') {
            pdf_buf_put(b, "\\n", 2);
        } else {
            pdf_buf_char(b, c);
        }
    }
}

/* Moves the viewer's pen, inside the open TJ array, from `at` as near to
 * `to` as whole adjustments go (text space units); returns where it is. */
static double put_adjust(pdf_doc_t *p, double at, double to) {
    long long adj = rnd(at - to);
    if (!adj) return at;
    if (p->in_str) pdf_buf_char(&p->ops, ')');
    p->in_str = false;
    pdf_buf_int(&p->ops, adj);
    return at - (double)adj;
}

/* Writes a space glyph of `pf`/`font` that ends where the next glyph
 * begins: `at` is the viewer's pen relative to that point, in text space
 * units (1/1000 em); returns the pen after the space. Nothing when the font
 * has no space. The adjustment before it moves the pen back over a gap
 * narrower than the space, or on over a wider one: either way the space
 * touches the word it comes before, in the same marked content. */
static double put_space(pdf_doc_t *p, pdf_font_t *pf, font_t *font, double at) {
    font_run_t sp;
    if (!font_shape(font, " ", 1, &sp) || sp.count != 1) return at;
    unsigned scid = pdf_font_cid(pf, sp.glyphs[0].gid, " ", 1);
    if (!scid) return at;
    double w = pdf_font_width(pf, scid);
    pdf_buf_t *b = &p->ops;
    if (!p->in_array) {
        pdf_buf_char(b, '[');
        p->in_array = true;
    }
    at = put_adjust(p, at, -w);
    put_code(p, scid);
    return at + w;
}

void pdf_space_before(pdf_doc_t *p) { p->space_next = p->tagged; }

void pdf_draw_glyphs(pdf_doc_t *p, font_t *font, double size, double x, double y, const char *text, size_t len,
                     const font_glyph_t *glyphs, size_t count) {
    if (!drawing(p) || count == 0) return;
    pdf_font_t *pf = font_for(p, font);
    if (!pf) {
        diag_error(p->d, diag_file(font_path(font)), "out of memory adding font '%s' to the PDF",
                   font_metrics(font)->postscript_name);
        return;
    }
    const char *res = pdf_font_page_name(pf, p->serial);
    if (!res) {
        char buf[16];
        const char *name = p->page ? page_font_name(p, pf, buf, sizeof buf) : form_font_name(p, pf, buf, sizeof buf);
        if (!name) {
            check(p, HPDF_GetError(p->pdf) ? HPDF_GetError(p->pdf) : HPDF_FAILD_TO_ALLOC_MEM,
                  "add a font to the page resources");
            return;
        }
        pdf_font_set_page_name(pf, p->serial, name);
        res = pdf_font_page_name(pf, p->serial);
    }

    pdf_buf_t *b = &p->ops;
    if (!p->in_text) {
        pdf_buf_puts(b, "BT\n");
        p->in_text = true;
        p->tlm_x = p->tlm_y = p->pen_x = 0;
    }
    long long sz = rnd(size * 1000);
    if (sz <= 0) return;
    if (pf != p->tf_font || sz != p->tf_size) {
        end_array(p); /* Tf does not move the text position */
        pdf_buf_char(b, '/');
        pdf_buf_puts(b, res);
        pdf_buf_char(b, ' ');
        pdf_buf_num(b, size);
        pdf_buf_puts(b, " Tf\n");
        p->tf_font = pf;
        p->tf_size = sz;
        p->tf_pt = sz / 1000.0;
    }
    /* A run on the baseline of the previous one (the next word of a line)
     * continues the TJ array with a gap; otherwise Td moves to the new
     * origin, relative to the current line origin, which is tracked as
     * written so that rounding never accumulates. */
    if (rnd(y * 1000) != rnd(p->tlm_y * 1000)) {
        end_array(p);
        double dx = rnd((x - p->tlm_x) * 1000) / 1000.0, dy = rnd((y - p->tlm_y) * 1000) / 1000.0;
        pdf_buf_num(b, dx);
        pdf_buf_char(b, ' ');
        pdf_buf_num(b, dy);
        pdf_buf_puts(b, " Td\n");
        p->tlm_x += dx;
        p->tlm_y += dy;
        p->pen_x = p->tlm_x;
    }

    /* In TJ, glyph space is 1/1000 em. After each glyph the viewer advances
     * by its /W width; an adjustment n moves the pen by -n. `pen` is where
     * HarfBuzz puts the next glyph, `at` where the viewer's pen is, both
     * relative to (x, y). Rounding each adjustment against the real
     * position carries the remainder instead of accumulating it. */
    /* Font expansion: Tz scales the glyphs and their adjustments; the text
     * position (Td) is unaffected. Distances on the page are converted to
     * unscaled text space by dividing by the scale. */
    long long tz = rnd((p->hscale > 0 ? p->hscale : 1) * 100000);
    if (tz != p->tz) {
        end_array(p);
        pdf_buf_num(b, tz / 1000.0);
        pdf_buf_puts(b, " Tz\n");
        p->tz = tz;
    }
    const double hs = tz / 100000.0;
    const double em = p->tf_pt * hs;
    const int upem = pdf_font_units_per_em(pf);
    const double k = 1000.0 / upem;
    double pen = 0, at = (p->pen_x - x) * 1000.0 / em;
    /* Tagged: a run that begins a new word holds a real space glyph first,
     * so that the structure's text (what a screen reader reads) has its
     * word breaks (ISO 32000-1, 14.8.2.5), at a font change and a line
     * break too; the glyph adjustment below puts the word where it belongs. */
    if (p->space_next) at = put_space(p, pf, font, at);
    p->space_next = false;
    for (size_t i = 0; i < count; i++) {
        const font_glyph_t *g = &glyphs[i];
        size_t start, tl = glyph_text(glyphs, count, i, len, &start);
        unsigned cid = pdf_font_cid(pf, g->gid, text + start, tl);
        if (cid == 0 && pdf_font_full(pf) && !p->full_reported) {
            diag_error(p->d, diag_file(font_path(font)),
                       "font '%s': too many distinct glyphs for one PDF font (65535), or out of memory",
                       font_metrics(font)->postscript_name);
            p->full_reported = true;
        }
        long long rise = g->y_offset ? rnd(g->y_offset * em / upem * 1000) : 0;
        if (rise != p->rise) {
            end_array(p);
            pdf_buf_num(b, rise / 1000.0);
            pdf_buf_puts(b, " Ts\n");
            p->rise = rise;
        }
        if (!p->in_array) {
            pdf_buf_char(b, '[');
            p->in_array = true;
        }
        at = put_adjust(p, at, pen + g->x_offset * k);
        put_code(p, cid);
        at += pdf_font_width(pf, cid);
        pen += g->advance * k;
    }
    p->pen_x = x + at * em / 1000.0;
}

/* The open page's operators so far are done with: false (reported) when
 * their buffer ran out of memory, else they join the content's digest. */
static bool ops_done(pdf_doc_t *p) {
    if (p->ops.oom) {
        diag_error(p->d, diag_nowhere(), "out of memory writing page %u of the PDF", p->page_serial);
        p->ops.oom = false;
        p->ops.len = 0;
        return false;
    }
    md5_update(&p->content, (const HPDF_BYTE *)p->ops.data, (HPDF_UINT32)p->ops.len);
    return true;
}

/* A new content stream in the xref holding those operators (and, unless
 * md5 is NULL, their digest); NULL after reporting. */
static HPDF_Dict ops_stream(pdf_doc_t *p, unsigned char md5[16]) {
    HPDF_Dict d = HPDF_Dict_New(p->pdf->mmgr);
    if (!d) {
        check(p, HPDF_FAILD_TO_ALLOC_MEM, "write a page's content");
        return NULL;
    }
    if (!check(p, HPDF_Xref_Add(p->pdf->xref, d), "write a page's content") ||
        !raw_set(p, d, &p->ops, md5, "write a page's content"))
        return NULL;
    return d;
}

bool pdf_page_end(pdf_doc_t *p) {
    if (!p->page) return true;
    pdf_mark_end(p);
    end_text(p);
    HPDF_Page page = p->page;
    p->page = NULL;
    if (!ops_done(p)) return false;
    page_rec_t *r = (page_rec_t *)page->attr;
    if (r->shared && p->ops.len == 0) return true; /* all of it is shared */
    r->contents = ops_stream(p, NULL);
    p->ops.len = 0;
    return r->contents != NULL;
}

/* What drawing a page's shared part left: its stream (and the digest of its
 * bytes, which stands for them in the document's /ID, as a form's does),
 * and the page's resources and drawing state that the page's own content
 * goes on from. */
struct pdf_shared {
    HPDF_Dict stream;
    unsigned char md5[16];
    size_t group;
    bool group_fixed;
    pdf_font_t *tf_font;
    long long tf_size, rise, line_width, tz;
    double tf_pt, tlm_x, tlm_y, pen_x, hscale;
    bool fill_set, stroke_set;
    colour_t fill, stroke;
};

bool pdf_page_share(pdf_doc_t *p) {
    if (!p->page) return true;
    page_rec_t *r = (page_rec_t *)p->page->attr;
    if (r->shared) return true; /* once a page */
    pdf_mark_end(p);
    end_text(p);
    if (p->ops.len == 0) return true; /* nothing to share */
    if (p->ops.oom) return ops_done(p);
    /* The map's values are records of a stream and its digest. */
    pdf_shared_t *sh = bytes_find(&p->shared, p->ops.data, p->ops.len);
    if (!sh) {
        if (!(sh = arena_alloc(p->store, sizeof *sh))) return check(p, HPDF_FAILD_TO_ALLOC_MEM, "write a page's content");
        if (!(sh->stream = ops_stream(p, sh->md5))) return false;
        /* the key: a copy of the bytes, which the page's buffer will not keep */
        unsigned char *key = arena_alloc(p->store, p->ops.len);
        if (!key || !bytes_add(&p->shared, memcpy(key, p->ops.data, p->ops.len), p->ops.len, sh))
            return check(p, HPDF_FAILD_TO_ALLOC_MEM, "write a page's content");
    }
    md5_update(&p->content, sh->md5, sizeof sh->md5);
    r->shared = sh->stream;
    p->shared_md5 = sh->md5;
    p->ops.len = 0;
    return true;
}

const pdf_shared_t *pdf_page_shared(pdf_doc_t *p) {
    if (!p->page) return NULL;
    const page_rec_t *r = (const page_rec_t *)p->page->attr;
    if (!r->shared || p->ops.len || !p->shared_md5) return NULL;
    pdf_shared_t *s = arena_alloc(p->store, sizeof *s);
    if (!s) return NULL;
    *s = (pdf_shared_t){r->shared, {0}, r->group, r->group_fixed, p->tf_font, p->tf_size, p->rise,
                        p->line_width, p->tz, p->tf_pt, p->tlm_x, p->tlm_y, p->pen_x, p->hscale, p->fill_set,
                        p->stroke_set, p->fill, p->stroke};
    memcpy(s->md5, p->shared_md5, sizeof s->md5);
    return s;
}

bool pdf_page_share_again(pdf_doc_t *p, const pdf_shared_t *s) {
    if (!p->page || p->ops.len || p->in_text || p->in_mark) return false;
    page_rec_t *r = (page_rec_t *)p->page->attr;
    if (r->shared) return false;
    /* What pdf_page_share did with these bytes, drawn again. */
    md5_update(&p->content, s->md5, sizeof s->md5);
    r->shared = s->stream;
    p->shared_md5 = s->md5;
    r->group = s->group;
    r->group_fixed = s->group_fixed;
    p->tf_font = s->tf_font;
    p->tf_size = s->tf_size;
    p->rise = s->rise;
    p->line_width = s->line_width;
    p->tz = s->tz;
    p->tf_pt = s->tf_pt;
    p->tlm_x = s->tlm_x;
    p->tlm_y = s->tlm_y;
    p->pen_x = s->pen_x;
    p->hscale = s->hscale;
    p->fill_set = s->fill_set;
    p->stroke_set = s->stroke_set;
    p->fill = s->fill;
    p->stroke = s->stroke;
    return true;
}

/* ---- forms ----------------------------------------------------------------- */

/* Opens a form (the open page or form ended): what is drawn next goes
 * into it, in its own coordinates, `bbox` its bounding box. */
static bool form_open(pdf_doc_t *p, const pdf_box_t *bbox) {
    if (p->page && !pdf_page_end(p)) return false;
    if (p->form && pdf_form_end(p) < 0) return false;
    HPDF_MMgr mmgr = p->pdf->mmgr;
    HPDF_Box box = {(HPDF_REAL)bbox->x0, (HPDF_REAL)bbox->y0, (HPDF_REAL)bbox->x1, (HPDF_REAL)bbox->y1};
    HPDF_Dict form = HPDF_Dict_New(mmgr);
    if (form && !check(p, HPDF_Xref_Add(p->pdf->xref, form), "make a form")) return false;
    HPDF_Dict res = form ? HPDF_Dict_New(mmgr) : NULL;
    HPDF_Array a = res ? HPDF_Box_Array_New(mmgr, box) : NULL;
    if (!a || !check(p, HPDF_Dict_AddName(form, "Type", "XObject"), "make a form") ||
        !check(p, HPDF_Dict_AddName(form, "Subtype", "Form"), "make a form") ||
        !check(p, HPDF_Dict_Add(form, "BBox", a), "make a form") ||
        !check(p, HPDF_Dict_Add(form, "Resources", res), "make a form")) {
        if (!a) check(p, HPDF_FAILD_TO_ALLOC_MEM, "make a form");
        return false;
    }
    p->form = form;
    p->form_fonts = NULL;
    p->serial = ++p->form_serial;
    reset_page_state(p);
    double v[4] = {bbox->x0, bbox->y0, bbox->x1, bbox->y1};
    md5_update(&p->content, (const HPDF_BYTE *)"form", 4);
    md5_update(&p->content, (const HPDF_BYTE *)v, sizeof v);
    return true;
}

/* Closes the open form, its content written; NULL after reporting. */
static HPDF_Dict form_close(pdf_doc_t *p) {
    if (!p->form) return NULL;
    end_text(p);
    HPDF_Dict form = p->form;
    p->form = NULL;
    p->form_fonts = NULL;
    if (p->ops.oom) {
        diag_error(p->d, diag_nowhere(), "out of memory writing form %zu of the PDF", p->nforms + 1);
        p->ops.oom = false;
        p->ops.len = 0;
        return NULL;
    }
    /* The form's digest rather than its content, which is often one seen
     * before (see pdf_zip) */
    unsigned char md5[16];
    bool ok = raw_set(p, form, &p->ops, md5, "write a form's content");
    if (ok) md5_update(&p->content, md5, sizeof md5);
    p->ops.len = 0;
    return ok ? form : NULL;
}

bool pdf_form_begin(pdf_doc_t *p, const pdf_box_t *bbox) {
    if (p->nforms == p->capforms) {
        size_t nc = p->capforms ? p->capforms * 2 : 8;
        HPDF_Dict *nf = realloc(p->forms, nc * sizeof *nf);
        if (!nf) {
            diag_error(p->d, diag_nowhere(), "out of memory adding a form to the PDF");
            return false;
        }
        p->forms = nf;
        p->capforms = nc;
    }
    return form_open(p, bbox);
}

int pdf_form_end(pdf_doc_t *p) {
    HPDF_Dict form = form_close(p);
    bool ok = form != NULL;
    /* Every form is in its group's page resources, as /Fm<id>. */
    char name[32];
    snprintf(name, sizeof name, "Fm%zu", p->nforms);
    size_t g = p->nforms / FORMS_PER_GROUP;
    if (ok) ok = resource_group(p, g) && check(p, HPDF_Dict_Add(p->groups[g].forms, name, form), "add a form to the page resources");
    if (!ok) return -1;
    p->forms[p->nforms] = form;
    return (int)p->nforms++;
}

bool pdf_draw_form(pdf_doc_t *p, int form, double x, double y) {
    if (!p->page || form < 0 || (size_t)form >= p->nforms) {
        diag_error(p->d, diag_nowhere(), "PDF writer: cannot show form %d: %s", form,
                   p->page ? "there is no such form" : "no page is open");
        return false;
    }
    page_rec_t *r = (page_rec_t *)p->page->attr;
    size_t g = (size_t)form / FORMS_PER_GROUP;
    if (r->group != g) {
        if (r->group_fixed) {
            diag_error(p->d, diag_nowhere(),
                       "PDF writer: page %u shows form %d, which is not in the resources (one per %d forms) that "
                       "the page already uses",
                       p->page_serial, form, FORMS_PER_GROUP);
            return false;
        }
        r->group = g;
        p->serial = group_serial(g);
    }
    r->group_fixed = true;
    end_text(p);
    /* q … Q: whatever the form sets (colours, font, line width) is gone
     * afterwards, so the page's record of its state stays true. */
    pdf_buf_t *b = &p->ops;
    pdf_buf_puts(b, "q 1 0 0 1 ");
    pdf_buf_num(b, x);
    pdf_buf_char(b, ' ');
    pdf_buf_num(b, y);
    pdf_buf_puts(b, " cm /Fm");
    pdf_buf_int(b, form);
    pdf_buf_puts(b, " Do Q\n");
    return true;
}

/* UTF-8 → UTF-16BE with a byte-order mark: how PDF text strings carry
 * anything beyond PDFDocEncoding. Returns the byte count, or 0 on OOM. */
static size_t utf16be(const char *s, unsigned char **out) {
    size_t n = strlen(s);
    unsigned char *o = malloc(2 + n * 4), *w = o;
    if (!o) return 0;
    *w++ = 0xFE;
    *w++ = 0xFF;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0xFFFD;
        size_t need = u[i] < 0x80 ? 0 : u[i] >= 0xF0 ? 3 : u[i] >= 0xE0 ? 2 : u[i] >= 0xC0 ? 1 : 9;
        if (need == 0) cp = u[i];
        else if (need != 9 && i + need < n) {
            cp = u[i] & (0x3F >> need);
            for (size_t k = 1; k <= need; k++) {
                if ((u[i + k] & 0xC0) != 0x80) {
                    cp = 0xFFFD;
                    need = 0;
                    break;
                }
                cp = cp << 6 | (u[i + k] & 0x3F);
            }
        } else {
            need = 0;
        }
        i += need + 1;
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            uint32_t hi = 0xD800 | (cp >> 10), lo = 0xDC00 | (cp & 0x3FF);
            *w++ = (unsigned char)(hi >> 8);
            *w++ = (unsigned char)hi;
            *w++ = (unsigned char)(lo >> 8);
            *w++ = (unsigned char)lo;
        } else {
            *w++ = (unsigned char)(cp >> 8);
            *w++ = (unsigned char)cp;
        }
    }
    *out = o;
    return (size_t)(w - o);
}

static void set_info_field(pdf_doc_t *p, HPDF_InfoType type, const char *key, const char *value) {
    if (!value) return;
    bool ascii = true;
    for (const char *c = value; *c; c++)
        if ((unsigned char)*c >= 0x80) ascii = false;
    /* libharu creates the Info dictionary on first use; ASCII goes in as is */
    if (HPDF_SetInfoAttr(p->pdf, type, ascii ? value : "") != HPDF_OK) {
        HPDF_ResetError(p->pdf);
        return;
    }
    if (ascii) return;
    unsigned char *u = NULL;
    size_t n = utf16be(value, &u);
    HPDF_Binary bin = n ? HPDF_Binary_New(p->pdf->mmgr, u, (HPDF_UINT)n) : NULL;
    free(u);
    check(p, bin ? HPDF_Dict_Add(p->pdf->info, key, bin) : HPDF_FAILD_TO_ALLOC_MEM, "set the document info");
}

void pdf_set_info(pdf_doc_t *p, const char *title, const char *author, const char *subject, const char *creator,
                  const char *lang) {
    set_info_field(p, HPDF_INFO_TITLE, "Title", title);
    set_info_field(p, HPDF_INFO_AUTHOR, "Author", author);
    set_info_field(p, HPDF_INFO_SUBJECT, "Subject", subject);
    set_info_field(p, HPDF_INFO_CREATOR, "Creator", creator);
    set_info_field(p, HPDF_INFO_PRODUCER, "Producer", "grundlag with libharu");
    if (lang)
        check(p, HPDF_Dict_Add(p->pdf->catalog, "Lang", HPDF_String_New(p->pdf->mmgr, lang, NULL)),
              "set the document language");
    md5_t ctx;
    md5_init(&ctx);
    const char *fields[] = {title, author, subject, creator, lang};
    for (size_t i = 0; i < 5; i++) {
        const char *f = fields[i] ? fields[i] : "";
        md5_update(&ctx, (const HPDF_BYTE *)f, (HPDF_UINT32)strlen(f) + 1);
    }
    md5_final(&ctx, p->info_digest);
}

/* The file being saved: libharu's many small writes, gathered into blocks. */
typedef struct file_out {
    FILE *fp;
    int err; /* errno of the first failure, or 0 */
    size_t len;
    unsigned char buf[1 << 16];
} file_out_t;

static HPDF_STATUS file_write(HPDF_Stream s, const HPDF_BYTE *ptr, HPDF_UINT n) {
    file_out_t *o = s->attr;
    if (o->err) return HPDF_FILE_IO_ERROR;
    if (n > sizeof o->buf - o->len) {
        if (o->len && fwrite(o->buf, 1, o->len, o->fp) != o->len) o->err = errno ? errno : EIO;
        o->len = 0;
        if (!o->err && n >= sizeof o->buf && fwrite(ptr, 1, n, o->fp) != n) o->err = errno ? errno : EIO;
        if (o->err) return HPDF_FILE_IO_ERROR;
        if (n >= sizeof o->buf) return HPDF_OK;
    }
    memcpy(o->buf + o->len, ptr, n);
    o->len += n;
    return HPDF_OK;
}

bool pdf_save_stream(pdf_doc_t *p, FILE *fp, const char *name) {
    if (p->page && !pdf_page_end(p)) return false;
    if (p->form && pdf_form_end(p) < 0) return false;
    if (!raw_resolve(p)) return false;
    /* /ID: a digest of pages, fonts and info, so that equal documents are equal files */
    md5_t ctx = p->content;
    md5_update(&ctx, p->info_digest, sizeof p->info_digest);
    bool ok = true;
    for (size_t i = 0; i < p->nfonts; i++) ok = pdf_font_embed(p->fonts[i], p->zip, p->d, &ctx) && ok;
    if (!ok) return false;
    /* The fonts were the last streams: the file is written without them. */
    pdf_zip_idle(p->zip);
    unsigned char id[16];
    md5_final(&ctx, id);
    HPDF_MMgr mmgr = p->pdf->mmgr;
    HPDF_Array ids = HPDF_Array_New(mmgr);
    if (!ids || !check(p, HPDF_Array_Add(ids, HPDF_Binary_New(mmgr, id, sizeof id)), "set the document /ID") ||
        !check(p, HPDF_Array_Add(ids, HPDF_Binary_New(mmgr, id, sizeof id)), "set the document /ID") ||
        !check(p, HPDF_Dict_Add(p->pdf->trailer, "ID", ids), "set the document /ID"))
        return false;

    file_out_t *o = calloc(1, sizeof *o);
    if (!o) {
        diag_error(p->d, diag_nowhere(), "out of memory saving '%s'", name);
        return false;
    }
    o->fp = fp;
    /* Straight into the file: HPDF_SaveToStream writes into the document's
     * stream, which is a memory stream (a second copy of the whole file)
     * unless it is set beforehand. */
    HPDF_Stream out = HPDF_CallbackWriter_New(p->pdf->mmgr, file_write, o);
    if (out) {
        p->pdf->stream = out;
        if (HPDF_SaveToStream(p->pdf) != HPDF_OK) {
            HPDF_ResetError(p->pdf);
            ok = false;
        }
        p->pdf->stream = NULL;
        HPDF_Stream_Free(out);
    } else {
        HPDF_ResetError(p->pdf);
        ok = false;
    }
    if (ok && o->len && fwrite(o->buf, 1, o->len, o->fp) != o->len) o->err = errno ? errno : EIO;
    if (fflush(o->fp) != 0 && !o->err) o->err = errno ? errno : EIO;
    if (o->err) {
        diag_error(p->d, diag_nowhere(), "cannot write '%s': %s", name, strerror(o->err));
        ok = false;
    } else if (!ok) {
        diag_error(p->d, diag_nowhere(), "cannot write '%s': the PDF writer failed", name);
    }
    free(o);
    return ok;
}

bool pdf_save(pdf_doc_t *p, const char *path) {
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        diag_error(p->d, diag_nowhere(), "cannot write '%s': %s", path, strerror(errno));
        return false;
    }
    bool ok = pdf_save_stream(p, fp, path);
    if (fclose(fp) != 0 && ok) {
        diag_error(p->d, diag_nowhere(), "cannot write '%s': %s", path, strerror(errno));
        ok = false;
    }
    if (!ok) remove(path); /* no half-written file */
    return ok;
}

/* ---- navigation ---------------------------------------------------------- */

static HPDF_Destination fit_h(pdf_doc_t *p, size_t page, double top) {
    if (page >= p->npages) return NULL;
    HPDF_Destination dst = HPDF_Page_CreateDestination(p->pages[page]);
    if (!dst || HPDF_Destination_SetFitH(dst, (HPDF_REAL)top) != HPDF_OK) {
        HPDF_ResetError(p->pdf);
        return NULL;
    }
    return dst;
}

bool pdf_add_outline(pdf_doc_t *p, const char *title, int level, size_t page, double top) {
    if (level < 0) level = 0;
    if (level > 7) level = 7;
    if (!p->outline_stack[0] && level > 0) level = 0;
    while (level > 0 && !p->outline_stack[level - 1]) level--;
    /* Not libharu's UTF-8 encoder: making it costs more than a small
     * document's pages (tables for all of Unicode). ASCII titles go in as
     * they are, others as UTF-16BE with a byte-order mark, as the encoder
     * would have written them. */
    bool ascii = true;
    for (const char *c = title; *c; c++)
        if ((unsigned char)*c >= 0x80) ascii = false;
    HPDF_Outline parent = level > 0 ? p->outline_stack[level - 1] : NULL;
    HPDF_Outline o = HPDF_CreateOutline(p->pdf, parent, ascii ? title : "", NULL);
    if (o && !ascii) {
        unsigned char *u = NULL;
        size_t n = utf16be(title, &u);
        HPDF_Binary bin = n ? HPDF_Binary_New(p->pdf->mmgr, u, (HPDF_UINT)n) : NULL;
        free(u);
        if (!bin || HPDF_Dict_Add(o, "Title", bin) != HPDF_OK) o = NULL;
    }
    HPDF_Destination dst = o ? fit_h(p, page, top) : NULL;
    if (!o || !dst || HPDF_Outline_SetDestination(o, dst) != HPDF_OK) {
        HPDF_ResetError(p->pdf);
        diag_error(p->d, diag_nowhere(), "PDF writer: cannot add the bookmark '%s'", title);
        return false;
    }
    /* Chapters open, so the reader sees the sections at once. */
    HPDF_Outline_SetOpened(o, level == 0 ? HPDF_FALSE : HPDF_FALSE);
    p->outline_stack[level] = o;
    for (int l = level + 1; l < 8; l++) p->outline_stack[l] = NULL;
    md5_update(&p->content, (const HPDF_BYTE *)title, (HPDF_UINT32)strlen(title) + 1);
    return true;
}

/* Counts an annotation among those the structure may name (in a tagged
 * file it gets its /StructParent, the key after the pages'); its number,
 * or -1 when memory ran out. */
static long annot_register(pdf_doc_t *p, HPDF_Annotation a) {
    if (p->nannots == p->capannots) {
        size_t nc = p->capannots ? p->capannots * 2 : 16;
        HPDF_Annotation *nl = realloc(p->annots, nc * sizeof *nl);
        if (!nl) return -1;
        p->annots = nl;
        p->capannots = nc;
    }
    if (p->tagged && HPDF_Dict_AddNumber(a, "StructParent", (HPDF_INT32)(p->npages + p->nannots)) != HPDF_OK) {
        HPDF_ResetError(p->pdf);
        return -1;
    }
    p->annots[p->nannots] = a;
    return (long)p->nannots++;
}

bool pdf_add_link(pdf_doc_t *p, size_t from_page, const pdf_box_t *area, size_t to_page, double top,
                  const char *contents) {
    if (from_page >= p->npages) return false;
    HPDF_Rect r = {(HPDF_REAL)area->x0, (HPDF_REAL)area->y0, (HPDF_REAL)area->x1, (HPDF_REAL)area->y1};
    HPDF_Destination dst = fit_h(p, to_page, top);
    HPDF_Annotation a = dst ? HPDF_Page_CreateLinkAnnot(p->pages[from_page], r, dst) : NULL;
    if (!a || HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0) != HPDF_OK) {
        HPDF_ResetError(p->pdf);
        diag_error(p->d, diag_nowhere(), "PDF writer: cannot add a link");
        return false;
    }
    if (contents) {
        unsigned char *u = NULL;
        size_t n = utf16be(contents, &u);
        HPDF_Binary bin = n ? HPDF_Binary_New(p->pdf->mmgr, u, (HPDF_UINT)n) : NULL;
        free(u);
        if (!bin || HPDF_Dict_Add(a, "Contents", bin) != HPDF_OK) { HPDF_ResetError(p->pdf); return false; }
    }
    if (annot_register(p, a) < 0) return false;
    double v[6] = {(double)from_page, area->x0, area->y0, area->x1, (double)to_page, top};
    md5_update(&p->content, (const HPDF_BYTE *)v, sizeof v);
    return true;
}

bool pdf_add_page_label(pdf_doc_t *p, size_t first_page, char style, int start, const char *prefix) {
    HPDF_PageNumStyle st = style == 'r' ? HPDF_PAGE_NUM_STYLE_LOWER_ROMAN
                         : style == 'R' ? HPDF_PAGE_NUM_STYLE_UPPER_ROMAN
                                        : HPDF_PAGE_NUM_STYLE_DECIMAL;
    if (HPDF_AddPageLabel(p->pdf, (HPDF_UINT)first_page, st, (HPDF_UINT)start, prefix) != HPDF_OK) {
        HPDF_ResetError(p->pdf);
        return false;
    }
    double v[3] = {(double)first_page, (double)style, (double)start};
    md5_update(&p->content, (const HPDF_BYTE *)v, sizeof v);
    return true;
}

bool pdf_set_viewer(pdf_doc_t *p, bool show_outline) {
    /* DisplayDocTitle: the viewer's title bar shows the Title, not the file name. */
    HPDF_Dict vp = HPDF_Dict_New(p->pdf->mmgr);
    if (!vp || HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE) != HPDF_OK ||
        HPDF_Dict_Add(p->pdf->catalog, "ViewerPreferences", vp) != HPDF_OK) {
        HPDF_ResetError(p->pdf);
        return false;
    }
    if (show_outline && HPDF_SetPageMode(p->pdf, HPDF_PAGE_MODE_USE_OUTLINE) != HPDF_OK) {
        HPDF_ResetError(p->pdf);
        return false;
    }
    return true;
}

/* ---- tagged PDF ------------------------------------------------------------ */

void pdf_set_tagged(pdf_doc_t *p, bool tagged) { p->tagged = tagged; }

/* Marked content and text objects must nest: a sequence opens and closes
 * outside BT … ET. */
void pdf_mark_begin(pdf_doc_t *p, const char *tag, int mcid) {
    if (!drawing(p)) return;
    pdf_mark_end(p);
    end_text(p);
    pdf_buf_char(&p->ops, '/');
    pdf_buf_puts(&p->ops, tag);
    pdf_buf_puts(&p->ops, " <</MCID ");
    pdf_buf_int(&p->ops, mcid);
    pdf_buf_puts(&p->ops, ">> BDC\n");
    p->in_mark = true;
}

void pdf_artifact_begin(pdf_doc_t *p, const char *type, const char *subtype) {
    if (!drawing(p)) return;
    pdf_mark_end(p);
    end_text(p);
    if (type) {
        pdf_buf_puts(&p->ops, "/Artifact <</Type /");
        pdf_buf_puts(&p->ops, type);
        if (subtype) {
            pdf_buf_puts(&p->ops, " /Subtype /");
            pdf_buf_puts(&p->ops, subtype);
        }
        pdf_buf_puts(&p->ops, ">> BDC\n");
    } else {
        pdf_buf_puts(&p->ops, "/Artifact BMC\n");
    }
    p->in_mark = true;
}

void pdf_mark_end(pdf_doc_t *p) {
    if (!p->in_mark) return;
    end_text(p);
    pdf_buf_puts(&p->ops, "EMC\n");
    p->in_mark = false;
}

static HPDF_Dict xdict(pdf_doc_t *p) {
    HPDF_Dict d = HPDF_Dict_New(p->pdf->mmgr);
    if (!d) return NULL;
    if (HPDF_Xref_Add(p->pdf->xref, d) != HPDF_OK) return NULL;
    return d;
}

/* `text` as a PDF text string in UTF-16BE; NULL when memory ran out. */
static HPDF_Binary text_string(pdf_doc_t *p, const char *text) {
    unsigned char *u = NULL;
    size_t n = utf16be(text, &u);
    HPDF_Binary bin = n ? HPDF_Binary_New(p->pdf->mmgr, u, (HPDF_UINT)n) : NULL;
    free(u);
    return bin;
}

static bool add_text(pdf_doc_t *p, HPDF_Dict d, const char *key, const char *text) {
    HPDF_Binary bin = text_string(p, text);
    return bin && HPDF_Dict_Add(d, key, bin) == HPDF_OK;
}

/* The structure tree is written compactly. A tagged batch of personalised
 * worksheets has hundreds of thousands of elements, and libharu's own
 * dictionaries cost some 1.5 KB of memory an element (every key a 128-byte
 * name, every value an object). So each element, and each leaf of the
 * ParentTree, is a dictionary without keys of its own (some 200 bytes)
 * whose write hook writes its entries from the tags' records at save time,
 * as pages are written. */
typedef struct struct_ref {
    pdf_doc_t *doc;
    size_t index; /* an element; for a ParentTree leaf, its first key */
} struct_ref_t;

/* Writes the scratch buffer out when it has grown (a ParentTree leaf can
 * hold megabytes of references), or at the end. */
static HPDF_STATUS flush_scratch(pdf_doc_t *p, HPDF_Stream out, bool always) {
    pdf_buf_t *b = &p->scratch;
    if (b->oom) return HPDF_FAILD_TO_ALLOC_MEM;
    if (!always && b->len < 65536) return HPDF_OK;
    HPDF_STATUS st = HPDF_Stream_Write(out, (const HPDF_BYTE *)b->data, (HPDF_UINT)b->len);
    b->len = 0;
    return st;
}

/* The element's page (/Pg): that of its first marked content, which then
 * is named by its MCID alone. -1: none. */
static long elem_page(const pdf_doc_t *p, const tags_elem_t *e) {
    for (size_t k = 0; k < e->kid_count; k++)
        if (e->kids[k].kind == TAGS_KID_MCR && e->kids[k].page < p->npages) return (long)e->kids[k].page;
    return -1;
}

/* An /Alt text as one string object however many elements it describes
 * (a worksheet's every rating scale says the same). */
static bool alt_add(pdf_doc_t *p, const char *text) {
    size_t len = strlen(text);
    if (bytes_find(&p->alts, text, len)) return true;
    HPDF_Binary bin = text_string(p, text);
    return bin && HPDF_Xref_Add(p->pdf->xref, bin) == HPDF_OK && bytes_add(&p->alts, text, len, bin);
}

static HPDF_STATUS elem_write(HPDF_Dict d, HPDF_Stream out) {
    pdf_doc_t *p = d->attr;
    /* the elements' objects were numbered in a row (elem_dict) */
    size_t index = (size_t)(d->header.obj_id & 0x00FFFFFF) - p->st_first_id;
    if (index >= p->st_n) return HPDF_INVALID_OBJECT;
    const tags_elem_t *e = &p->st_elems[index];
    pdf_buf_t *b = &p->scratch;
    b->len = 0;
    /* (/Type /StructElem is optional: left out, a hundred bytes saved per
     * dozen elements, and there are thousands) */
    pdf_buf_puts(b, "/S /");
    pdf_buf_puts(b, doc_tag_name(e->node->tag));
    pdf_buf_puts(b, "\n/P");
    put_obj(b, e->parent >= 0 ? p->st_dicts[e->parent] : p->st_root);
    if (e->node->alt) {
        const void *alt = bytes_find(&p->alts, e->node->alt, strlen(e->node->alt));
        if (!alt) return HPDF_INVALID_OBJECT;
        pdf_buf_puts(b, "\n/Alt");
        put_obj(b, alt);
    }
    if (e->node->scope) {
        pdf_buf_puts(b, "\n/A << /O /Table /Scope /");
        pdf_buf_puts(b, e->node->scope);
        pdf_buf_puts(b, " >>");
    }
    long pg = elem_page(p, e);
    if (pg >= 0) {
        pdf_buf_puts(b, "\n/Pg");
        put_obj(b, p->pages[pg]);
    }
    pdf_buf_puts(b, "\n/K [");
    for (size_t k = 0; k < e->kid_count; k++) {
        const tags_kid_t *kid = &e->kids[k];
        if (kid->kind == TAGS_KID_ELEM) {
            if (kid->elem >= p->st_n) return HPDF_INVALID_OBJECT;
            put_obj(b, p->st_dicts[kid->elem]);
        } else if (kid->kind == TAGS_KID_MCR && (long)kid->page == pg) {
            pdf_buf_char(b, ' ');
            pdf_buf_int(b, kid->mcid);
        } else if (kid->kind == TAGS_KID_MCR) {
            if (kid->page >= p->npages) return HPDF_INVALID_OBJECT;
            pdf_buf_puts(b, " << /Type /MCR /Pg");
            put_obj(b, p->pages[kid->page]);
            pdf_buf_puts(b, " /MCID ");
            pdf_buf_int(b, kid->mcid);
            pdf_buf_puts(b, " >>");
        } else {
            if (kid->link >= p->nannots || kid->page >= p->npages) return HPDF_INVALID_OBJECT;
            pdf_buf_puts(b, " << /Type /OBJR /Obj");
            put_obj(b, p->annots[kid->link]);
            pdf_buf_puts(b, " /Pg");
            put_obj(b, p->pages[kid->page]);
            pdf_buf_puts(b, " >>");
        }
    }
    pdf_buf_puts(b, " ]\n");
    return flush_scratch(p, out, true);
}

/* The ParentTree, a number tree: page i → its MCIDs' elements, link j →
 * its element (keys after the pages'). Past LEAF_KEYS keys, leaves under
 * /Kids, each with its /Limits. */
enum { LEAF_KEYS = 4000 };

static HPDF_STATUS leaf_write(HPDF_Dict d, HPDF_Stream out) {
    const struct_ref_t *r = d->attr;
    pdf_doc_t *p = r->doc;
    size_t nkeys = p->npages + p->nannots, first = r->index;
    size_t last = first + LEAF_KEYS < nkeys ? first + LEAF_KEYS - 1 : nkeys - 1;
    pdf_buf_t *b = &p->scratch;
    b->len = 0;
    if (nkeys > LEAF_KEYS) {
        pdf_buf_puts(b, "/Limits [ ");
        pdf_buf_int(b, (long long)first);
        pdf_buf_char(b, ' ');
        pdf_buf_int(b, (long long)last);
        pdf_buf_puts(b, " ]\n");
    }
    pdf_buf_puts(b, "/Nums [");
    HPDF_STATUS st = HPDF_OK;
    for (size_t key = first; key <= last && st == HPDF_OK; key++) {
        pdf_buf_char(b, ' ');
        pdf_buf_int(b, (long long)key);
        if (key < p->npages) {
            size_t cnt;
            const long *m = tags_page_mcids(p->st_tags, key, &cnt);
            pdf_buf_puts(b, " [");
            for (size_t i = 0; i < cnt; i++) {
                if (m[i] >= 0 && (size_t)m[i] < p->st_n) put_obj(b, p->st_dicts[m[i]]);
                else pdf_buf_puts(b, " null");
            }
            pdf_buf_puts(b, " ]");
        } else {
            long e = p->st_annot_elem[key - p->npages];
            if (e > 0) put_obj(b, p->st_dicts[e - 1]);
            else pdf_buf_puts(b, " null");
        }
        st = flush_scratch(p, out, false);
    }
    pdf_buf_puts(b, " ]\n");
    return st == HPDF_OK ? flush_scratch(p, out, true) : st;
}

/* A dictionary in the xref written by `fn` from record (p, index). */
static HPDF_Dict hooked(pdf_doc_t *p, HPDF_Dict_OnWriteFunc fn, size_t index) {
    struct_ref_t *r = arena_alloc(p->store, sizeof *r);
    HPDF_Dict d = r ? xdict(p) : NULL;
    if (!d) return NULL;
    *r = (struct_ref_t){p, index};
    d->attr = r;
    d->write_fn = fn;
    return d;
}

/* The dictionary of structure element i, written by elem_write. Made in the
 * bump arena rather than by HPDF_Dict_New, which clears its record a byte at
 * a time (with a hundred thousand elements, 5 % of a batch of worksheets),
 * with the one empty list all elements share and no record of its own:
 * the elements' objects are numbered in a row, so its number says which it
 * is. libharu's frees of these do nothing there. With malloc'd libharu
 * memory (a second document open), a dictionary as any other. */
static HPDF_Dict elem_dict(pdf_doc_t *p, size_t i) {
    HPDF_Dict d;
    if (p->hpdf_memory) {
        HPDF_MMgr mm = p->pdf->mmgr;
        if (!p->st_no_keys) {
            p->st_no_keys = HPDF_GetMem(mm, sizeof *p->st_no_keys);
            if (!p->st_no_keys) return NULL;
            *p->st_no_keys = (HPDF_List_Rec){.mmgr = mm, .error = mm->error, .items_per_block = HPDF_DEF_ITEMS_PER_BLOCK};
        }
        d = HPDF_GetMem(mm, sizeof *d);
        if (!d) return NULL;
        *d = (HPDF_Dict_Rec){.header = {.obj_class = HPDF_OCLASS_DICT}, .mmgr = mm, .error = mm->error,
                             .list = p->st_no_keys, .filter = HPDF_STREAM_FILTER_NONE};
        if (HPDF_Xref_Add(p->pdf->xref, d) != HPDF_OK) return NULL;
    } else if (!(d = xdict(p))) {
        return NULL;
    }
    size_t id = d->header.obj_id & 0x00FFFFFF;
    if (i == 0) p->st_first_id = id;
    else if (id != p->st_first_id + i) return NULL; /* not in a row: cannot happen with libharu's xref */
    d->attr = p;
    d->write_fn = elem_write;
    return d;
}

/* The catalog's /Metadata stream. */
static bool add_metadata(pdf_doc_t *p, const char *xmp) {
    HPDF_MMgr mm = p->pdf->mmgr;
    /* XMP stays uncompressed so that tools can find it. */
    HPDF_Dict meta = HPDF_DictStream_New(mm, p->pdf->xref);
    bool ok = meta && HPDF_Dict_AddName(meta, "Type", "Metadata") == HPDF_OK &&
              HPDF_Dict_AddName(meta, "Subtype", "XML") == HPDF_OK &&
              HPDF_Stream_Write(meta->stream, (const HPDF_BYTE *)xmp, (HPDF_UINT)strlen(xmp)) == HPDF_OK &&
              HPDF_Dict_Add(p->pdf->catalog, "Metadata", meta) == HPDF_OK;
    if (meta) meta->filter = HPDF_STREAM_FILTER_NONE;
    md5_update(&p->content, (const HPDF_BYTE *)xmp, (HPDF_UINT32)strlen(xmp));
    return ok;
}

bool pdf_set_metadata(pdf_doc_t *p, const char *xmp) {
    if (add_metadata(p, xmp)) return true;
    HPDF_ResetError(p->pdf);
    return check(p, HPDF_FAILD_TO_ALLOC_MEM, "write the XMP metadata");
}

/* A text string, as is when ASCII (what prepress tools read most easily); none for NULL. */
static bool add_string(pdf_doc_t *p, HPDF_Dict d, const char *key, const char *text) {
    if (!text) return true;
    for (const char *c = text; *c; c++)
        if ((unsigned char)*c >= 0x80) return add_text(p, d, key, text);
    HPDF_String str = HPDF_String_New(p->pdf->mmgr, text, NULL);
    return str && HPDF_Dict_Add(d, key, str) == HPDF_OK;
}

bool pdf_set_output_intent(pdf_doc_t *p, const pdf_output_intent_t *oi) {
    HPDF_MMgr mm = p->pdf->mmgr;
    HPDF_Dict intent = xdict(p), profile = HPDF_DictStream_New(mm, p->pdf->xref);
    HPDF_Array list = HPDF_Array_New(mm);
    bool ok = intent && profile && list && HPDF_Dict_AddName(intent, "Type", "OutputIntent") == HPDF_OK &&
              HPDF_Dict_AddName(intent, "S", "GTS_PDFX") == HPDF_OK &&
              add_string(p, intent, "OutputConditionIdentifier", oi->condition_id) &&
              add_string(p, intent, "OutputCondition", oi->condition) &&
              add_string(p, intent, "RegistryName", oi->registry) && add_string(p, intent, "Info", oi->info) &&
              HPDF_Dict_AddNumber(profile, "N", 4) == HPDF_OK &&
              /* Deflated by the document's deflater, and once per process:
               * every print file of a run embeds the same profile. */
              pdf_stream_put(p->zip, PDF_ZIP_PROFILE, profile, oi->icc, oi->icc_len) == HPDF_OK &&
              HPDF_Dict_Add(intent, "DestOutputProfile", profile) == HPDF_OK &&
              HPDF_Array_Add(list, intent) == HPDF_OK && HPDF_Dict_Add(p->pdf->catalog, "OutputIntents", list) == HPDF_OK;
    if (!ok) {
        HPDF_ResetError(p->pdf);
        return check(p, HPDF_FAILD_TO_ALLOC_MEM, "write the output intent");
    }
    md5_update(&p->content, (const HPDF_BYTE *)oi->condition_id, (HPDF_UINT32)strlen(oi->condition_id) + 1);
    md5_update(&p->content, oi->icc, (HPDF_UINT32)oi->icc_len);
    return true;
}

bool pdf_set_pdfx(pdf_doc_t *p, const char *version, bool trapped) {
    /* The Info dictionary exists: pdf_set_info wrote the Producer. */
    HPDF_Dict info = p->pdf->info;
    if (!info || !check(p, HPDF_Dict_Add(info, "GTS_PDFXVersion", HPDF_String_New(p->pdf->mmgr, version, NULL)),
                        "set the PDF/X version") ||
        !check(p, HPDF_Dict_AddName(info, "Trapped", trapped ? "True" : "False"), "set the PDF/X trapping key"))
        return false;
    md5_update(&p->content, (const HPDF_BYTE *)version, (HPDF_UINT32)strlen(version));
    return true;
}

/* An MD5 digest as a name-based UUID (RFC 4122 version 3). */
static void uuid_of(const unsigned char md5[16], char out[PDF_UUID_SIZE]) {
    unsigned char u[16];
    memcpy(u, md5, 16);
    u[6] = (unsigned char)((u[6] & 0x0F) | 0x30);
    u[8] = (unsigned char)((u[8] & 0x3F) | 0x80);
    char *w = out + snprintf(out, PDF_UUID_SIZE, "uuid:");
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) *w++ = '-';
        w += snprintf(w, 3, "%02x", u[i]);
    }
}

void pdf_uuids(pdf_doc_t *p, char document[PDF_UUID_SIZE], char instance[PDF_UUID_SIZE]) {
    uuid_of(p->info_digest, document);
    md5_t c = p->content; /* the content so far, left running */
    unsigned char md5[16];
    md5_final(&c, md5);
    uuid_of(md5, instance);
}

bool pdf_set_structure(pdf_doc_t *p, const tags_elem_t *elems, size_t n, const tags_t *tags, const char *xmp) {
    HPDF_MMgr mm = p->pdf->mmgr;
    p->st_elems = elems;
    p->st_n = n;
    p->st_tags = tags;
    p->st_dicts = arena_alloc(p->store, (n + 1) * sizeof *p->st_dicts);
    p->st_annot_elem = arena_alloc(p->store, (p->nannots + 1) * sizeof *p->st_annot_elem);
    HPDF_Dict root = p->st_dicts && p->st_annot_elem ? xdict(p) : NULL;
    if (!root) return check(p, HPDF_FAILD_TO_ALLOC_MEM, "write the structure tree");
    p->st_root = root;
    /* libharu grows its xref by a fixed step, copying it each time: make
     * room for the elements at once. */
    HPDF_List entries = p->pdf->xref->entries;
    if (entries->items_per_block < n) entries->items_per_block = (HPDF_UINT)(n < UINT32_MAX / 2 ? n : UINT32_MAX / 2);
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) ok = (p->st_dicts[i] = elem_dict(p, i)) != NULL;
    for (size_t i = 0; i < n && ok; i++)
        if (elems[i].node->alt) ok = alt_add(p, elems[i].node->alt);
    HPDF_Array top = ok ? HPDF_Array_New(mm) : NULL;
    ok = ok && top && HPDF_Dict_AddName(root, "Type", "StructTreeRoot") == HPDF_OK &&
         HPDF_Dict_Add(root, "K", top) == HPDF_OK;
    for (size_t i = 0; i < n && ok; i++)
        if (elems[i].parent < 0) ok = HPDF_Array_Add(top, p->st_dicts[i]) == HPDF_OK;
    /* Links: the element whose OBJR names each (index + 1; 0 none). */
    memset(p->st_annot_elem, 0, (p->nannots + 1) * sizeof *p->st_annot_elem);
    for (size_t i = 0; i < n && ok; i++)
        for (size_t k = 0; k < elems[i].kid_count; k++)
            if (elems[i].kids[k].kind == TAGS_KID_OBJR && elems[i].kids[k].link < p->nannots)
                p->st_annot_elem[elems[i].kids[k].link] = (long)i + 1;
    size_t nkeys = p->npages + p->nannots;
    HPDF_Dict tree = NULL;
    if (ok && nkeys <= LEAF_KEYS) {
        ok = (tree = hooked(p, leaf_write, 0)) != NULL;
    } else if (ok) {
        tree = HPDF_Dict_New(mm);
        HPDF_Array leaves = tree ? HPDF_Array_New(mm) : NULL;
        ok = leaves && HPDF_Dict_Add(tree, "Kids", leaves) == HPDF_OK;
        for (size_t key = 0; key < nkeys && ok; key += LEAF_KEYS) {
            HPDF_Dict leaf = hooked(p, leaf_write, key);
            ok = leaf && HPDF_Array_Add(leaves, leaf) == HPDF_OK;
        }
    }
    ok = ok && tree && HPDF_Dict_Add(root, "ParentTree", tree) == HPDF_OK;
    ok = ok && HPDF_Dict_AddNumber(root, "ParentTreeNextKey", (HPDF_INT32)nkeys) == HPDF_OK;
    ok = ok && HPDF_Dict_Add(p->pdf->catalog, "StructTreeRoot", root) == HPDF_OK;
    HPDF_Dict mark = ok ? HPDF_Dict_New(mm) : NULL;
    ok = ok && mark && HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE) == HPDF_OK &&
         HPDF_Dict_Add(p->pdf->catalog, "MarkInfo", mark) == HPDF_OK;
    if (ok && xmp) ok = add_metadata(p, xmp);
    if (!ok) {
        HPDF_ResetError(p->pdf);
        return check(p, HPDF_FAILD_TO_ALLOC_MEM, "write the structure tree");
    }
    return true;
}

void pdf_set_date(pdf_doc_t *p, long long epoch) {
    xmp_time_t t = xmp_utc(epoch);
    HPDF_Date date = {t.year, t.month, t.day, t.hour, t.minute, t.second, 'Z', 0, 0};
    if (HPDF_SetInfoDateAttr(p->pdf, HPDF_INFO_CREATION_DATE, date) != HPDF_OK ||
        HPDF_SetInfoDateAttr(p->pdf, HPDF_INFO_MOD_DATE, date) != HPDF_OK)
        HPDF_ResetError(p->pdf);
    md5_update(&p->content, (const HPDF_BYTE *)&epoch, sizeof epoch);
}

void pdf_set_hscale(pdf_doc_t *p, double hscale) { p->hscale = hscale; }

/* ---- interactive forms -------------------------------------------------------- */

/* The form's catalog entry, made with the first field: no viewer needs to
 * make appearances (every field brings its own, for every state, so that
 * printers and viewers that make none show them too); typed text in the
 * first typed font. */
static bool acroform(pdf_doc_t *p) {
    if (p->acroform) return true;
    HPDF_MMgr mm = p->pdf->mmgr;
    HPDF_Dict af = xdict(p), dr = af ? HPDF_Dict_New(mm) : NULL;
    HPDF_Dict fonts = dr ? HPDF_Dict_New(mm) : NULL;
    HPDF_Array fields = fonts ? HPDF_Array_New(mm) : NULL;
    if (!fields || HPDF_Dict_Add(af, "Fields", fields) != HPDF_OK || HPDF_Dict_Add(af, "DR", dr) != HPDF_OK ||
        HPDF_Dict_Add(dr, "Font", fonts) != HPDF_OK ||
        HPDF_Dict_AddBoolean(af, "NeedAppearances", HPDF_FALSE) != HPDF_OK ||
        HPDF_Dict_Add(p->pdf->catalog, "AcroForm", af) != HPDF_OK) {
        HPDF_ResetError(p->pdf);
        return check(p, HPDF_FAILD_TO_ALLOC_MEM, "make the interactive form");
    }
    p->acroform = af;
    p->acro_fields = fields;
    p->dr_fonts = fonts;
    return true;
}

/* The /DR name of the font typed text is set in ("TT1", ...), embedded on
 * first use; NULL after reporting. */
static const char *typed_font(pdf_doc_t *p, font_t *font, char name[16]) {
    size_t i = 0;
    while (i < p->ntyped && p->typed[i].font != font) i++;
    if (i == p->ntyped) {
        struct typed_font *t = realloc(p->typed, (p->ntyped + 1) * sizeof *t);
        if (!t) {
            check(p, HPDF_FAILD_TO_ALLOC_MEM, "embed the font of form fields");
            return NULL;
        }
        p->typed = t;
        HPDF_Dict dict = pdf_font_typed(p->pdf, p->zip, font, p->d, &p->content);
        if (!dict) return NULL;
        snprintf(name, 16, "TT%zu", i + 1);
        if (!check(p, HPDF_Dict_Add(p->dr_fonts, name, dict), "embed the font of form fields")) return NULL;
        /* The form's default: the first font. */
        if (i == 0) {
            char da[40];
            snprintf(da, sizeof da, "/%s 0 Tf 0 g", name);
            if (!add_string(p, p->acroform, "DA", da)) return NULL;
        }
        p->typed[p->ntyped++] = (struct typed_font){font, dict};
    }
    snprintf(name, 16, "TT%zu", i + 1);
    return name;
}

/* The field named name[0..len) (a dictionary with /T, under its parent's
 * /Kids or in /Fields), made with its parents when new; *made says
 * whether it was. NULL after reporting. */
static HPDF_Dict field_node(pdf_doc_t *p, const char *name, size_t len, bool *made) {
    HPDF_Dict f = bytes_find(&p->fields, name, len);
    *made = f == NULL;
    if (f) return f;
    size_t dot = len;
    while (dot > 0 && name[dot - 1] != '.') dot--;
    bool parent_made;
    HPDF_Dict parent = dot > 1 ? field_node(p, name, dot - 1, &parent_made) : NULL;
    if (dot > 1 && !parent) return NULL;
    if (parent && HPDF_Dict_GetItem(parent, "FT", HPDF_OCLASS_NAME)) {
        diag_error(p->d, diag_nowhere(), "PDF writer: the form field '%.*s' would be inside the field '%.*s'",
                   (int)len, name, (int)(dot - 1), name);
        return NULL;
    }
    char *key = arena_alloc(p->store, len + 1);
    f = key ? xdict(p) : NULL;
    if (!f) {
        check(p, HPDF_FAILD_TO_ALLOC_MEM, "make a form field");
        return NULL;
    }
    memcpy(key, name, len);
    key[len] = '\0';
    HPDF_Array kids = parent ? HPDF_Dict_GetItem(parent, "Kids", HPDF_OCLASS_ARRAY) : p->acro_fields;
    if (!kids && (kids = HPDF_Array_New(p->pdf->mmgr)) && HPDF_Dict_Add(parent, "Kids", kids) != HPDF_OK) kids = NULL;
    bool ok = kids && add_string(p, f, "T", key + dot) && HPDF_Array_Add(kids, f) == HPDF_OK &&
              (!parent || HPDF_Dict_Add(f, "Parent", parent) == HPDF_OK) && bytes_add(&p->fields, key, len, f);
    if (!ok) {
        HPDF_ResetError(p->pdf);
        check(p, HPDF_FAILD_TO_ALLOC_MEM, "make a form field");
        return NULL;
    }
    return f;
}

/* A widget's keys: where it is, that it prints, its page; then it is one
 * of the page's annotations (in drawing order, which /Tabs /S leaves to
 * the structure) and of those the structure names. Its number, or -1. */
static long widget(pdf_doc_t *p, HPDF_Dict a, const pdf_widget_t *w) {
    HPDF_Dict page = p->pages[w->page];
    HPDF_Rect r = {(HPDF_REAL)w->area.x0, (HPDF_REAL)w->area.y0, (HPDF_REAL)w->area.x1, (HPDF_REAL)w->area.y1};
    HPDF_Box box = {r.left, r.bottom, r.right, r.top};
    HPDF_Array rect = HPDF_Box_Array_New(p->pdf->mmgr, box);
    HPDF_Array annots = HPDF_Dict_GetItem(page, "Annots", HPDF_OCLASS_ARRAY);
    if (!annots && (annots = HPDF_Array_New(p->pdf->mmgr)) && HPDF_Dict_Add(page, "Annots", annots) != HPDF_OK)
        annots = NULL;
    bool ok = rect && annots && HPDF_Dict_AddName(a, "Type", "Annot") == HPDF_OK &&
              HPDF_Dict_AddName(a, "Subtype", "Widget") == HPDF_OK && HPDF_Dict_Add(a, "Rect", rect) == HPDF_OK &&
              HPDF_Dict_AddNumber(a, "F", w->hidden ? 2 : 4) == HPDF_OK && HPDF_Dict_Add(a, "P", page) == HPDF_OK &&
              HPDF_Array_Add(annots, a) == HPDF_OK;
    long n = !ok ? -1 : w->hidden ? (long)p->nannots : annot_register(p, a);
    if (n < 0) {
        HPDF_ResetError(p->pdf);
        check(p, HPDF_FAILD_TO_ALLOC_MEM, "add a form field's widget");
    }
    double v[5] = {(double)w->page, w->area.x0, w->area.y0, w->area.x1, w->area.y1};
    md5_update(&p->content, (const HPDF_BYTE *)v, sizeof v);
    if (w->hidden) md5_update(&p->content, (const HPDF_BYTE *)"hidden", 6);
    md5_update(&p->content, (const HPDF_BYTE *)w->name, (HPDF_UINT32)strlen(w->name) + 1);
    return n;
}

/* A field's /TU (what assistive technology reads for it). */
static bool tooltip(pdf_doc_t *p, HPDF_Dict field, const char *tip) {
    if (add_string(p, field, "TU", tip)) return true;
    HPDF_ResetError(p->pdf);
    return check(p, HPDF_FAILD_TO_ALLOC_MEM, "add a form field's tooltip");
}

/* Colour operators for fills and strokes of `c`, as set_colour writes them. */
static void colour_ops(pdf_buf_t *b, colour_t c, bool stroke) {
    int n = c.space == COLOUR_CMYK ? 4 : c.space == COLOUR_RGB ? 3 : 1;
    for (int i = 0; i < n; i++) {
        pdf_buf_num(b, clamp01(c.v[i]));
        pdf_buf_char(b, ' ');
    }
    static const char *const ops[3][2] = {{"g", "G"}, {"rg", "RG"}, {"k", "K"}};
    pdf_buf_puts(b, ops[c.space == COLOUR_CMYK ? 2 : c.space == COLOUR_RGB ? 1 : 0][stroke]);
}

/* An appearance stream of w × h drawing `ops`, one object however many
 * widgets look so; NULL after reporting. */
static HPDF_Dict look(pdf_doc_t *p, double w, double h, const char *ops) {
    pdf_buf_t key = {0};
    pdf_buf_num(&key, w);
    pdf_buf_char(&key, ' ');
    pdf_buf_num(&key, h);
    pdf_buf_char(&key, '\n');
    pdf_buf_puts(&key, ops);
    HPDF_Dict d = key.oom ? NULL : bytes_find(&p->looks, key.data, key.len);
    if (!d && !key.oom) {
        pdf_box_t bbox = {0, 0, w, h};
        char *copy = arena_alloc(p->store, key.len);
        if (copy && form_open(p, &bbox)) {
            pdf_buf_puts(&p->ops, ops);
            d = form_close(p);
            if (d && !bytes_add(&p->looks, memcpy(copy, key.data, key.len), key.len, d)) d = NULL;
        }
    }
    if (!d) check(p, HPDF_FAILD_TO_ALLOC_MEM, "draw a form field's appearance");
    pdf_buf_free(&key);
    return d;
}

bool pdf_field_look_begin(pdf_doc_t *p, double w, double h) {
    pdf_box_t bbox = {0, 0, w, h};
    if (!form_open(p, &bbox)) return false;
    /* What a viewer replaces when it sets the field's text anew. */
    pdf_buf_puts(&p->ops, "/Tx BMC\n");
    return true;
}

long pdf_add_text_field(pdf_doc_t *p, const pdf_widget_t *w, const pdf_text_field_t *tf) {
    HPDF_Dict ap_n = NULL;
    if (p->form) {
        end_text(p);
        pdf_buf_puts(&p->ops, "EMC\n");
        ap_n = form_close(p);
    } else {
        ap_n = look(p, w->area.x1 - w->area.x0, w->area.y1 - w->area.y0, "/Tx BMC\nEMC\n");
    }
    if (!ap_n || w->page >= p->npages || !acroform(p)) return -1;
    char font_name[16];
    if (!typed_font(p, tf->font, font_name)) return -1;
    bool made;
    HPDF_Dict f = field_node(p, w->name, strlen(w->name), &made);
    if (!f) return -1;
    if (!made) {
        diag_error(p->d, diag_nowhere(), "PDF writer: two form fields are named '%s'", w->name);
        return -1;
    }
    pdf_buf_t da = {0};
    pdf_buf_char(&da, '/');
    pdf_buf_puts(&da, font_name);
    pdf_buf_char(&da, ' ');
    pdf_buf_num(&da, tf->size);
    pdf_buf_puts(&da, " Tf ");
    colour_ops(&da, tf->colour, false);
    pdf_buf_char(&da, '\0');
    HPDF_Dict ap = HPDF_Dict_New(p->pdf->mmgr);
    bool ok = !da.oom && ap && HPDF_Dict_AddName(f, "FT", "Tx") == HPDF_OK &&
              HPDF_Dict_AddNumber(f, "Ff", (tf->multiline ? 4096 : 0) | (w->hidden ? 1 : 0)) == HPDF_OK &&
              add_string(p, f, "DA", da.data) &&
              (!tf->value || !*tf->value || add_text(p, f, "V", tf->value)) && HPDF_Dict_Add(f, "AP", ap) == HPDF_OK &&
              HPDF_Dict_Add(ap, "N", ap_n) == HPDF_OK;
    pdf_buf_free(&da);
    if (!ok) {
        HPDF_ResetError(p->pdf);
        check(p, HPDF_FAILD_TO_ALLOC_MEM, "make a text field");
        return -1;
    }
    if (tf->value) md5_update(&p->content, (const HPDF_BYTE *)tf->value, (HPDF_UINT32)strlen(tf->value) + 1);
    return tooltip(p, f, w->tooltip) ? widget(p, f, w) : -1;
}

long pdf_add_radio(pdf_doc_t *p, const pdf_widget_t *w, const char *option, colour_t colour) {
    if (w->page >= p->npages || !acroform(p)) return -1;
    bool made;
    HPDF_Dict f = field_node(p, w->name, strlen(w->name), &made);
    if (!f) return -1;
    HPDF_MMgr mm = p->pdf->mmgr;
    HPDF_Array kids = HPDF_Dict_GetItem(f, "Kids", HPDF_OCLASS_ARRAY);
    if (made) {
        /* One choice, and one stays chosen (NoToggleToOff, Radio). */
        kids = HPDF_Array_New(mm);
        /* /V /Off: none chosen yet (said, for readers that expect a value) */
        if (!kids || HPDF_Dict_AddName(f, "FT", "Btn") != HPDF_OK || HPDF_Dict_AddNumber(f, "Ff", 49152) != HPDF_OK ||
            HPDF_Dict_AddName(f, "V", "Off") != HPDF_OK ||
            HPDF_Dict_Add(f, "Kids", kids) != HPDF_OK || !tooltip(p, f, w->tooltip)) {
            HPDF_ResetError(p->pdf);
            return check(p, HPDF_FAILD_TO_ALLOC_MEM, "make a radio button"), -1;
        }
    } else if (!kids || !HPDF_Dict_GetItem(f, "FT", HPDF_OCLASS_NAME)) {
        diag_error(p->d, diag_nowhere(), "PDF writer: the radio button '%s' has the name of another form field",
                   w->name);
        return -1;
    }
    /* On: a cross, as on paper; down (while pressed): shaded. */
    double bw = w->area.x1 - w->area.x0, bh = w->area.y1 - w->area.y0, in = fmin(bw, bh) * 0.22;
    pdf_buf_t on = {0};
    pdf_buf_puts(&on, "q ");
    colour_ops(&on, colour, true);
    pdf_buf_char(&on, ' ');
    pdf_buf_num(&on, fmin(bw, bh) * 0.1);
    pdf_buf_puts(&on, " w 1 J\n");
    double v[8] = {in, in, bw - in, bh - in, in, bh - in, bw - in, in};
    for (int i = 0; i < 8; i += 4) {
        for (int k = 0; k < 4; k++) {
            pdf_buf_num(&on, v[i + k]);
            pdf_buf_puts(&on, k == 1 ? " m " : k == 3 ? " l S\n" : " ");
        }
    }
    pdf_buf_puts(&on, "Q\n");
    pdf_buf_t down = {0};
    pdf_buf_puts(&down, "q 0.8 g 0 0 ");
    pdf_buf_num(&down, bw);
    pdf_buf_char(&down, ' ');
    pdf_buf_num(&down, bh);
    pdf_buf_puts(&down, " re f Q\n");
    pdf_buf_t down_on = {0};
    pdf_buf_put(&down_on, down.data, down.len);
    pdf_buf_put(&down_on, on.data, on.len);
    pdf_buf_char(&on, '\0');
    pdf_buf_char(&down, '\0');
    pdf_buf_char(&down_on, '\0');
    bool ok = !on.oom && !down.oom && !down_on.oom;
    HPDF_Dict n_on = ok ? look(p, bw, bh, on.data) : NULL, n_off = n_on ? look(p, bw, bh, "") : NULL;
    HPDF_Dict d_on = n_off ? look(p, bw, bh, down_on.data) : NULL, d_off = d_on ? look(p, bw, bh, down.data) : NULL;
    pdf_buf_free(&on);
    pdf_buf_free(&down);
    pdf_buf_free(&down_on);
    if (!d_off) return -1;
    HPDF_Dict a = xdict(p), ap = HPDF_Dict_New(mm), n = HPDF_Dict_New(mm), d = HPDF_Dict_New(mm);
    HPDF_Dict mk = HPDF_Dict_New(mm);
    /* /MK /CA: the symbol a viewer that draws its own shows, ZapfDingbats' cross. */
    ok = a && ap && n && d && mk && HPDF_Dict_Add(a, "Parent", f) == HPDF_OK && HPDF_Array_Add(kids, a) == HPDF_OK &&
         HPDF_Dict_AddName(a, "AS", "Off") == HPDF_OK && HPDF_Dict_Add(a, "AP", ap) == HPDF_OK &&
         HPDF_Dict_Add(ap, "N", n) == HPDF_OK && HPDF_Dict_Add(ap, "D", d) == HPDF_OK &&
         HPDF_Dict_Add(n, option, n_on) == HPDF_OK && HPDF_Dict_Add(n, "Off", n_off) == HPDF_OK &&
         HPDF_Dict_Add(d, option, d_on) == HPDF_OK && HPDF_Dict_Add(d, "Off", d_off) == HPDF_OK &&
         HPDF_Dict_Add(a, "MK", mk) == HPDF_OK && add_string(p, mk, "CA", "8");
    if (!ok) {
        HPDF_ResetError(p->pdf);
        return check(p, HPDF_FAILD_TO_ALLOC_MEM, "make a radio button"), -1;
    }
    md5_update(&p->content, (const HPDF_BYTE *)option, (HPDF_UINT32)strlen(option) + 1);
    return widget(p, a, w);
}
