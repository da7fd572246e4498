/* device/pdf_font: embeds one font in one PDF document as a subset Type0 font
 * (CIDFontType2, Identity-H) with FontDescriptor + FontFile2, /W, a
 * CIDToGIDMap stream and a ToUnicode CMap; plus the byte buffer that the
 * PDF backend writes syntax into, and the deflater for its streams.
 *
 * Two caches outlive a document: deflated streams and font subsets, each
 * keyed by its whole input. They are pure (equal input, equal output), so
 * the bytes written never depend on them; they exist for --split, where
 * every participant's file repeats the same forms and nearly the same
 * glyph sets. Process-wide because nothing else lives that long here; like
 * the rest of device/pdf, not thread-safe.
 *
 * Why CIDs are not glyph ids: a ToUnicode map gives each CID one text. The
 * å glyph can stand for "å" or for "a" + U+030A, and the ffi ligature for
 * "ffi"; giving each (glyph, source text) pair its own CID, in order of first
 * use, makes text extraction return exactly what was shaped. The
 * CIDToGIDMap then points every CID at the subset's glyph. */
#include "device/pdf_font.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <pthread.h>
#include <zlib.h>

/* ---- byte buffer ------------------------------------------------------- */

bool pdf_buf_reserve(pdf_buf_t *b, size_t n) {
    if (b->oom) return false;
    if (b->cap - b->len >= n) return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->len < n) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}


/* Two digits at a time: a batch of worksheets writes millions of object
 * numbers and MCIDs. */
static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                  "8081828384858687888990919293949596979899";

void pdf_buf_int(pdf_buf_t *b, long long v) {
    char tmp[24];
    int i = sizeof tmp;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    while (u >= 100) {
        unsigned d = (unsigned)(u % 100) * 2;
        u /= 100;
        tmp[--i] = digit_pairs[d + 1];
        tmp[--i] = digit_pairs[d];
    }
    if (u >= 10) {
        tmp[--i] = digit_pairs[u * 2 + 1];
        tmp[--i] = digit_pairs[u * 2];
    } else {
        tmp[--i] = (char)('0' + u);
    }
    if (v < 0) tmp[--i] = '-';
    pdf_buf_put(b, tmp + i, sizeof tmp - (size_t)i);
}

/* Hand-made rather than printf("%g"): printf follows LC_NUMERIC, and a
 * decimal comma would corrupt the content stream. */
/* llround, without the library call: this runs for every number of every
 * content stream. Exact below 2^52, where a double's fraction is. */
static inline long long round_away(double s) {
    if (!(fabs(s) < 4503599627370496.0)) return llround(s);
    long long t = (long long)s;
    double f = s - (double)t;
    return f >= 0.5 ? t + 1 : f <= -0.5 ? t - 1 : t;
}

void pdf_buf_num(pdf_buf_t *b, double v) {
    if (!isfinite(v)) v = 0;
    long long m = round_away(v * 1000.0);
    /* written backwards into one buffer, then appended at once */
    char tmp[32];
    int i = sizeof tmp;
    unsigned long long u = m < 0 ? 0ull - (unsigned long long)m : (unsigned long long)m;
    unsigned frac = (unsigned)(u % 1000);
    u /= 1000;
    if (frac) {
        char f[3] = {(char)('0' + frac / 100), (char)('0' + frac / 10 % 10), (char)('0' + frac % 10)};
        int n = 3;
        while (f[n - 1] == '0') n--;
        while (n) tmp[--i] = f[--n];
        tmp[--i] = '.';
    }
    do {
        tmp[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (m < 0) tmp[--i] = '-';
    pdf_buf_put(b, tmp + i, sizeof tmp - (size_t)i);
}

void pdf_buf_hex4(pdf_buf_t *b, unsigned v) {
    static const char hex[] = "0123456789ABCDEF";
    char tmp[4] = {hex[v >> 12 & 15], hex[v >> 8 & 15], hex[v >> 4 & 15], hex[v & 15]};
    pdf_buf_put(b, tmp, 4);
}

void pdf_buf_free(pdf_buf_t *b) {
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* ---- compression --------------------------------------------------------- */

/* How each kind of stream is deflated. Level 6, zlib's default: level 2
 * took 8 % fewer instructions on a --split run (the memo below already
 * spares most of the work) but made cards and posters 10 % bigger.
 * memLevel 5 for content: zlib clears its hash table (2 << memLevel + 7
 * bytes) for every stream, which at the default 8 cost more than
 * compressing a page; no real change in size. */
static const struct { int level, mem_level; } zip_params[2] = {
    [PDF_ZIP_CONTENT] = {6, 5},
    [PDF_ZIP_FONT] = {6, 8}, /* and profiles, with the same deflater */
};

/* Below this, a stream is stored as it is: zlib's fixed cost per stream
 * (building the Huffman trees) is more than a personalised page's few
 * hundred bytes are worth, which deflate would shrink by a third. */
enum { ZIP_MIN = 512 };

struct pdf_zip {
    z_stream z[2]; /* by pdf_zip_kind_t */
    bool ready[2];
    unsigned char *out;
    size_t cap;
};

pdf_zip_t *pdf_zip_new(void) { return calloc(1, sizeof(pdf_zip_t)); }

void pdf_zip_idle(pdf_zip_t *z) {
    for (int k = 0; k < 2; k++)
        if (z->ready[k]) deflateEnd(&z->z[k]);
    memset(z->ready, 0, sizeof z->ready);
    free(z->out);
    z->out = NULL;
    z->cap = 0;
}

void pdf_zip_drop(pdf_zip_t *z) {
    if (!z) return;
    pdf_zip_idle(z);
    free(z);
}

/* libharu drops a /Filter key from a stream whose own filter is none, so
 * the key is written by the dictionary's write hook instead. */
static HPDF_STATUS write_flate_filter(HPDF_Dict obj, HPDF_Stream out) {
    (void)obj;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* Replaces a stream's data with `data` as it is, `deflated` or not. One
 * buffer of exactly that size instead of libharu's 4 KB chunks: thousands
 * of pages hold a few hundred bytes each. */
static HPDF_STATUS stream_set(HPDF_Dict s, const void *data, size_t len, bool deflated) {
    HPDF_Stream st = s->stream;
    HPDF_MemStream_FreeData(st);
    HPDF_MemStreamAttr a = (HPDF_MemStreamAttr)st->attr;
    a->buf_siz = len ? (HPDF_UINT)len : 1;
    a->w_pos = a->buf_siz;
    s->filter = HPDF_STREAM_FILTER_NONE;
    s->write_fn = deflated ? write_flate_filter : NULL;
    return len ? HPDF_Stream_Write(st, (const HPDF_BYTE *)data, (HPDF_UINT)len) : HPDF_OK;
}

/* Deflates data into z->out; the compressed length, or 0 on failure. */
static size_t deflate_into(pdf_zip_t *z, pdf_zip_kind_t kind, const void *data, size_t len) {
    if (kind == PDF_ZIP_PROFILE) kind = PDF_ZIP_FONT;
    z_stream *zs = &z->z[kind];
    if (!z->ready[kind]) {
        if (deflateInit2(zs, zip_params[kind].level, Z_DEFLATED, 15, zip_params[kind].mem_level,
                         Z_DEFAULT_STRATEGY) != Z_OK)
            return 0;
        z->ready[kind] = true;
    } else if (deflateReset(zs) != Z_OK) {
        return 0;
    }
    size_t bound = deflateBound(zs, (uLong)len);
    if (bound > z->cap) {
        unsigned char *n = realloc(z->out, bound);
        if (!n) return 0;
        z->out = n;
        z->cap = bound;
    }
    zs->next_in = (Bytef *)data;
    zs->avail_in = (uInt)len;
    zs->next_out = z->out;
    zs->avail_out = (uInt)bound;
    if (deflate(zs, Z_FINISH) != Z_STREAM_END) return 0;
    return bound - zs->avail_out;
}

/* Content streams deflated before in this process, kept with their input:
 * under --split every participant's file has the same forms for the same
 * profile, and deflating them again cost a third of each file. A pure
 * cache (equal input, equal output), so the bytes written do not depend on
 * it; bounded, oldest out first, and big enough for a few dozen profiles'
 * forms (a roster cycling through them must not evict each before its
 * reuse). Process-wide because nothing else outlives a document; not
 * thread-safe, like the rest of device/pdf. Font programs are kept with their
 * subsets (below); an output profile (a print file's ICC, 200 KB to 2 MB)
 * here too, when it is small enough. */
enum { ZIP_MEMO_MIN = 2048, ZIP_MEMO_MAX = 256 * 1024, ZIP_MEMO_SLOTS = 512, ZIP_MEMO_BYTES = 8 << 20 };

typedef struct zip_memo {
    uint64_t hash;
    pdf_zip_kind_t kind;
    size_t raw_len, comp_len;
    unsigned char *raw, *comp; /* one allocation: raw, then comp */
    unsigned char md5[16];     /* of raw, once asked for (a page's stream is not) */
    bool has_md5;
} zip_memo_t;

static zip_memo_t zip_memo[ZIP_MEMO_SLOTS];
static size_t zip_memo_next, zip_memo_bytes;

uint64_t pdf_hash_bytes(const unsigned char *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x100000001b3ull;
        h ^= h >> 29;
    }
    for (; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
    return h ^ (h >> 32);
}

static zip_memo_t *zip_memo_find(pdf_zip_kind_t kind, uint64_t hash, const void *data, size_t len) {
    for (size_t i = 0; i < ZIP_MEMO_SLOTS; i++) {
        zip_memo_t *m = &zip_memo[i];
        if (m->raw && m->hash == hash && m->kind == kind && m->raw_len == len && memcmp(m->raw, data, len) == 0)
            return m;
    }
    return NULL;
}

/* md5: of `data`, or NULL when not known yet (pdf_zip works it out when asked). */
static void zip_memo_add(pdf_zip_kind_t kind, uint64_t hash, const void *data, size_t len, const void *comp,
                         size_t comp_len, const unsigned char md5[16]) {
    /* make room: the oldest go first, until both a slot and the bytes are free */
    size_t k = zip_memo_next;
    do {
        zip_memo_t *old = &zip_memo[k];
        if (old->raw) {
            zip_memo_bytes -= old->raw_len + old->comp_len;
            free(old->raw);
            *old = (zip_memo_t){0};
        }
        k = (k + 1) % ZIP_MEMO_SLOTS;
    } while (zip_memo_bytes + len + comp_len > ZIP_MEMO_BYTES && k != zip_memo_next);
    unsigned char *mem = malloc(len + comp_len);
    if (!mem) return; /* a cache: nothing lost */
    memcpy(mem, data, len);
    memcpy(mem + len, comp, comp_len);
    zip_memo[zip_memo_next] = (zip_memo_t){hash, kind, len, comp_len, mem, mem + len, {0}, md5 != NULL};
    if (md5) memcpy(zip_memo[zip_memo_next].md5, md5, 16);
    zip_memo_next = (zip_memo_next + 1) % ZIP_MEMO_SLOTS;
    zip_memo_bytes += len + comp_len;
}

static void md5_of(const void *data, size_t len, unsigned char md5[16]) {
    md5_t ctx;
    md5_init(&ctx);
    md5_update(&ctx, (const HPDF_BYTE *)data, (HPDF_UINT32)len);
    md5_final(&ctx, md5);
}

HPDF_STATUS pdf_zip(pdf_zip_t *z, pdf_zip_kind_t kind, const void *data, size_t len, const void **out,
                    size_t *out_len, bool *deflated, unsigned char md5[16]) {
    if (len > UINT32_MAX / 2) return HPDF_FAILD_TO_ALLOC_MEM;
    *out = data;
    *out_len = len;
    *deflated = false;
    bool memo = (kind == PDF_ZIP_CONTENT || kind == PDF_ZIP_PROFILE) && len >= ZIP_MEMO_MIN && len <= ZIP_MEMO_MAX;
    uint64_t hash = 0;
    if (memo) {
        hash = pdf_hash_bytes(data, len);
        zip_memo_t *m = zip_memo_find(kind, hash, data, len);
        if (m) {
            *out = m->comp;
            *out_len = m->comp_len;
            *deflated = true;
            if (md5 && !m->has_md5) {
                md5_of(m->raw, m->raw_len, m->md5);
                m->has_md5 = true;
            }
            if (md5) memcpy(md5, m->md5, 16);
            return HPDF_OK;
        }
    }
    if (md5) md5_of(data, len, md5);
    if (len < ZIP_MIN) return HPDF_OK;
    size_t n = deflate_into(z, kind, data, len);
    if (!n) return z->cap ? HPDF_ZLIB_ERROR : HPDF_FAILD_TO_ALLOC_MEM;
    if (memo) zip_memo_add(kind, hash, data, len, z->out, n, md5);
    *out = z->out;
    *out_len = n;
    *deflated = true;
    return HPDF_OK;
}

/* ---- deflating beside the drawing ----------------------------------------- */

/* The queue and its thread, one for the process: documents come one at a
 * time, and a second core deflates what the first has drawn. The zip memo
 * stays the first thread's (it looks up before and adds after a job). */
struct pdf_zip_job {
    pdf_zip_kind_t kind;
    unsigned char *in, *out; /* a copy of the stream; its deflated bytes */
    size_t in_len, out_len;
    HPDF_STATUS status;
    bool done, memo, has_md5;
    uint64_t hash;
    unsigned char md5[16];
    struct pdf_zip_job *next; /* queued */
};

static struct {
    pthread_mutex_t lock;
    pthread_cond_t work, finished;
    pthread_t thread;
    bool started, failed, stop;
    pdf_zip_job_t *head, *tail;
    pdf_zip_t zip; /* the thread's own deflaters */
} zipper = {.lock = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER, .finished = PTHREAD_COND_INITIALIZER};

static void *zipper_main(void *arg) {
    (void)arg;
    pthread_mutex_lock(&zipper.lock);
    for (;;) {
        while (!zipper.head && !zipper.stop) pthread_cond_wait(&zipper.work, &zipper.lock);
        pdf_zip_job_t *j = zipper.head;
        if (!j) break; /* stopped, nothing left */
        zipper.head = j->next;
        if (!zipper.head) zipper.tail = NULL;
        pthread_mutex_unlock(&zipper.lock);
        size_t n = deflate_into(&zipper.zip, j->kind, j->in, j->in_len);
        unsigned char *out = n ? malloc(n) : NULL;
        if (out) memcpy(out, zipper.zip.out, n);
        HPDF_STATUS st = out ? HPDF_OK : n || !zipper.zip.cap ? HPDF_FAILD_TO_ALLOC_MEM : HPDF_ZLIB_ERROR;
        pthread_mutex_lock(&zipper.lock);
        j->out = out;
        j->out_len = n;
        j->status = st;
        j->done = true;
        pthread_cond_broadcast(&zipper.finished);
    }
    pthread_mutex_unlock(&zipper.lock);
    pdf_zip_idle(&zipper.zip);
    return NULL;
}

/* At exit: the thread ends once the queue is empty (nothing is queued by
 * then: every document waits for its jobs before it is saved or dropped). */
static void zipper_stop(void) {
    pthread_mutex_lock(&zipper.lock);
    zipper.stop = true;
    pthread_cond_signal(&zipper.work);
    pthread_mutex_unlock(&zipper.lock);
    pthread_join(zipper.thread, NULL);
}

static bool zipper_ready(void) {
    if (zipper.started) return true;
    if (zipper.failed) return false;
    if (pthread_create(&zipper.thread, NULL, zipper_main, NULL) != 0 || atexit(zipper_stop) != 0) {
        zipper.failed = true; /* (atexit failing after a start is out of memory at start-up) */
        return false;
    }
    zipper.started = true;
    return true;
}

HPDF_STATUS pdf_zip_start(pdf_zip_t *z, pdf_zip_kind_t kind, const void *data, size_t len, const void **out,
                          size_t *out_len, bool *deflated, unsigned char md5[16], pdf_zip_job_t **job) {
    *job = NULL;
    if (len > UINT32_MAX / 2) return HPDF_FAILD_TO_ALLOC_MEM;
    bool memo = (kind == PDF_ZIP_CONTENT || kind == PDF_ZIP_PROFILE) && len >= ZIP_MEMO_MIN && len <= ZIP_MEMO_MAX;
    uint64_t hash = memo ? pdf_hash_bytes(data, len) : 0;
    if (len < ZIP_MIN || (memo && zip_memo_find(kind, hash, data, len)) || !zipper_ready())
        return pdf_zip(z, kind, data, len, out, out_len, deflated, md5);
    pdf_zip_job_t *j = calloc(1, sizeof *j);
    unsigned char *in = j ? malloc(len) : NULL;
    if (!in) {
        free(j);
        return pdf_zip(z, kind, data, len, out, out_len, deflated, md5);
    }
    memcpy(in, data, len);
    *j = (pdf_zip_job_t){.kind = kind, .in = in, .in_len = len, .memo = memo, .hash = hash};
    j->has_md5 = md5 != NULL;
    if (md5) {
        md5_of(data, len, j->md5);
        memcpy(md5, j->md5, 16);
    }
    pthread_mutex_lock(&zipper.lock);
    if (zipper.tail) zipper.tail->next = j;
    else zipper.head = j;
    zipper.tail = j;
    pthread_cond_signal(&zipper.work);
    pthread_mutex_unlock(&zipper.lock);
    *job = j;
    return HPDF_OK;
}

static void job_wait(pdf_zip_job_t *j) {
    pthread_mutex_lock(&zipper.lock);
    while (!j->done) pthread_cond_wait(&zipper.finished, &zipper.lock);
    pthread_mutex_unlock(&zipper.lock);
}

HPDF_STATUS pdf_zip_job_result(pdf_zip_job_t *j, const void **out, size_t *out_len, bool *deflated) {
    job_wait(j);
    if (j->status != HPDF_OK) return j->status;
    if (j->memo && j->in) zip_memo_add(j->kind, j->hash, j->in, j->in_len, j->out, j->out_len, j->has_md5 ? j->md5 : NULL);
    free(j->in); /* the memo has its own copy */
    j->in = NULL;
    *out = j->out;
    *out_len = j->out_len;
    *deflated = true;
    return HPDF_OK;
}

void pdf_zip_job_free(pdf_zip_job_t *j) {
    if (!j) return;
    job_wait(j);
    free(j->in);
    free(j->out);
    free(j);
}

HPDF_STATUS pdf_stream_put(pdf_zip_t *z, pdf_zip_kind_t kind, HPDF_Dict s, const void *data, size_t len) {
    const void *out;
    size_t n;
    bool deflated;
    HPDF_STATUS st = pdf_zip(z, kind, data, len, &out, &n, &deflated, NULL);
    return st == HPDF_OK ? stream_set(s, out, n, deflated) : st;
}

/* ---- the embedded font ------------------------------------------------- */

typedef struct cid_rec {
    uint32_t gid;
    uint32_t text_off, text_len; /* into pf->text */
    int32_t width;               /* 1/1000 em */
} cid_rec_t;

enum { MAX_CID = 0xFFFF };

struct pdf_font {
    font_t *font;
    HPDF_Doc doc;
    int upem;
    HPDF_Dict type0;

    cid_rec_t *cids; /* index = CID; cids[0] is .notdef */
    size_t ncid, cap;
    pdf_buf_t text; /* the source texts of all CIDs, back to back */
    uint32_t *slots; /* hash of (gid, text) → CID; 0 = empty */
    size_t nslots;
    bool full;

    size_t embedded; /* ncid at the last embed; 0 = never embedded */
    HPDF_Dict cidfont, descriptor, file, cidtogid, tounicode;
    unsigned char digest[16];

    unsigned page_serial;
    char page_name[HPDF_LIMIT_MAX_NAME_LEN + 1];
};

pdf_font_t *pdf_font_new(HPDF_Doc doc, font_t *font) {
    pdf_font_t *pf = calloc(1, sizeof *pf);
    if (!pf) return NULL;
    pf->font = font;
    pf->doc = doc;
    pf->upem = font_metrics(font)->units_per_em;
    pf->cap = 256;
    pf->cids = calloc(pf->cap, sizeof *pf->cids);
    pf->nslots = 512;
    pf->slots = calloc(pf->nslots, sizeof *pf->slots);
    pf->text.data = malloc(pf->text.cap = 4096); /* never NULL: lookups memcmp into it */
    if (!pf->cids || !pf->slots || !pf->text.data) goto fail;
    pf->ncid = 1; /* CID 0 = glyph 0, no text */
    pf->cids[0].width = (int32_t)lround(font_glyph_advance(font, 0) * 1000.0 / pf->upem);

    /* Into the xref first, so that page resources refer to it indirectly. */
    pf->type0 = HPDF_Dict_New(doc->mmgr);
    if (!pf->type0 || HPDF_Xref_Add(doc->xref, pf->type0) != HPDF_OK) goto fail;
    if (HPDF_Dict_AddName(pf->type0, "Type", "Font") != HPDF_OK ||
        HPDF_Dict_AddName(pf->type0, "Subtype", "Type0") != HPDF_OK ||
        HPDF_Dict_AddName(pf->type0, "Encoding", "Identity-H") != HPDF_OK)
        goto fail;
    return pf;
fail:
    pdf_font_drop(pf); /* libharu objects belong to the document */
    return NULL;
}

void pdf_font_drop(pdf_font_t *pf) {
    if (!pf) return;
    free(pf->cids);
    free(pf->slots);
    pdf_buf_free(&pf->text);
    free(pf);
}

font_t *pdf_font_source(const pdf_font_t *pf) { return pf->font; }
HPDF_Dict pdf_font_dict(const pdf_font_t *pf) { return pf->type0; }
int pdf_font_units_per_em(const pdf_font_t *pf) { return pf->upem; }
bool pdf_font_full(const pdf_font_t *pf) { return pf->full; }
int32_t pdf_font_width(const pdf_font_t *pf, unsigned cid) { return pf->cids[cid < pf->ncid ? cid : 0].width; }

const char *pdf_font_page_name(const pdf_font_t *pf, unsigned serial) {
    return pf->page_serial == serial && pf->page_name[0] ? pf->page_name : NULL;
}

void pdf_font_set_page_name(pdf_font_t *pf, unsigned serial, const char *name) {
    pf->page_serial = serial;
    size_t n = strlen(name);
    if (n >= sizeof pf->page_name) n = sizeof pf->page_name - 1;
    memcpy(pf->page_name, name, n);
    pf->page_name[n] = 0;
}

static uint64_t pair_hash(uint32_t gid, const char *s, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull ^ ((uint64_t)gid * 0x9E3779B97F4A7C15ull);
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    return h ^ (h >> 31);
}

static bool slots_grow(pdf_font_t *pf) {
    size_t n = pf->nslots * 2;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots) return false;
    for (size_t c = 1; c < pf->ncid; c++) {
        const cid_rec_t *r = &pf->cids[c];
        size_t i = pair_hash(r->gid, pf->text.data + r->text_off, r->text_len) & (n - 1);
        while (slots[i]) i = (i + 1) & (n - 1);
        slots[i] = (uint32_t)c;
    }
    free(pf->slots);
    pf->slots = slots;
    pf->nslots = n;
    return true;
}

unsigned pdf_font_cid(pdf_font_t *pf, uint32_t gid, const char *text, size_t len) {
    uint64_t h = pair_hash(gid, text, len);
    size_t mask = pf->nslots - 1, i = h & mask;
    for (uint32_t c; (c = pf->slots[i]) != 0; i = (i + 1) & mask) {
        const cid_rec_t *r = &pf->cids[c];
        if (r->gid == gid && r->text_len == len && memcmp(pf->text.data + r->text_off, text, len) == 0) return c;
    }
    if (pf->ncid > MAX_CID || len > UINT32_MAX || pf->text.len > UINT32_MAX - len) {
        pf->full = true;
        return 0;
    }
    if (pf->ncid == pf->cap) {
        cid_rec_t *n = realloc(pf->cids, pf->cap * 2 * sizeof *n);
        if (!n) goto oom;
        pf->cids = n;
        pf->cap *= 2;
    }
    size_t off = pf->text.len;
    pdf_buf_put(&pf->text, text, len);
    if (pf->text.oom) goto oom;
    unsigned cid = (unsigned)pf->ncid++;
    cid_rec_t *r = &pf->cids[cid];
    r->gid = gid;
    r->text_off = (uint32_t)off;
    r->text_len = (uint32_t)len;
    r->width = (int32_t)lround(font_glyph_advance(pf->font, gid) * 1000.0 / pf->upem);
    if (pf->ncid * 2 > pf->nslots) {
        if (!slots_grow(pf)) goto oom; /* the new CID is in cids[]; the rebuild would have placed it */
    } else {
        pf->slots[i] = cid;
    }
    return cid;
oom:
    pf->full = true;
    return 0;
}

/* Decodes one UTF-8 sequence; malformed bytes come out as U+FFFD, one at a time. */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *i) {
    unsigned char c = s[*i];
    size_t need;
    uint32_t cp;
    if (c < 0x80) {
        (*i)++;
        return c;
    } else if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        cp = c & 0x07;
    } else {
        (*i)++;
        return 0xFFFD;
    }
    if (n - *i <= need) {
        (*i)++;
        return 0xFFFD;
    }
    for (size_t k = 1; k <= need; k++) {
        unsigned char cc = s[*i + k];
        if ((cc & 0xC0) != 0x80) {
            (*i)++;
            return 0xFFFD;
        }
        cp = cp << 6 | (cc & 0x3F);
    }
    static const uint32_t min[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        (*i)++;
        return 0xFFFD;
    }
    *i += need + 1;
    return cp;
}

/* Writes text as UTF-16BE hex, as ToUnicode wants it. */
static void put_utf16(pdf_buf_t *b, const char *text, size_t len) {
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        uint32_t cp = utf8_next(s, len, &i);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            pdf_buf_hex4(b, 0xD800 | (cp >> 10));
            pdf_buf_hex4(b, 0xDC00 | (cp & 0x3FF));
        } else {
            pdf_buf_hex4(b, cp);
        }
    }
}

/* The single BMP code point that `text` is, or 0 if it is anything else. */
static uint32_t single_bmp(const char *text, size_t len) {
    size_t i = 0;
    if (!len) return 0;
    uint32_t cp = utf8_next((const unsigned char *)text, len, &i);
    return i == len && cp < 0x10000 && (cp < 0xD800 || cp > 0xDFFF) ? cp : 0;
}

/* A ToUnicode CMap: runs of consecutive CIDs standing for consecutive
 * characters become bfrange lines, the rest bfchar (multi-character for
 * ligatures). At most 100 lines per section, as the CMap spec asks. */
static void build_tounicode(const pdf_font_t *pf, pdf_buf_t *b) {
    pdf_buf_puts(b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    /* two passes: ranges, then single characters */
    for (int pass = 0; pass < 2; pass++) {
        size_t count = 0;
        pdf_buf_t lines = {0};
        for (size_t c = 1; c < pf->ncid;) {
            const cid_rec_t *r = &pf->cids[c];
            const char *t = pf->text.data + r->text_off;
            uint32_t cp = single_bmp(t, r->text_len);
            size_t run = 1;
            if (cp) {
                /* extend while CID and character both go up by one, within
                 * one low byte (the range's last byte is what varies) */
                while (c + run < pf->ncid && ((c + run) & 0xFF) != 0 && ((cp + run) & 0xFF) != 0) {
                    const cid_rec_t *q = &pf->cids[c + run];
                    if (single_bmp(pf->text.data + q->text_off, q->text_len) != cp + run) break;
                    run++;
                }
            }
            if (pass == 0 && run > 1) {
                pdf_buf_char(&lines, '<');
                pdf_buf_hex4(&lines, (unsigned)c);
                pdf_buf_puts(&lines, "> <");
                pdf_buf_hex4(&lines, (unsigned)(c + run - 1));
                pdf_buf_puts(&lines, "> <");
                pdf_buf_hex4(&lines, cp);
                pdf_buf_puts(&lines, ">\n");
                count++;
            } else if (pass == 1 && run == 1 && r->text_len > 0) {
                pdf_buf_char(&lines, '<');
                pdf_buf_hex4(&lines, (unsigned)c);
                pdf_buf_puts(&lines, "> <");
                put_utf16(&lines, t, r->text_len);
                pdf_buf_puts(&lines, ">\n");
                count++;
            }
            c += run;
            if (count == 100 || (c >= pf->ncid && count)) {
                pdf_buf_int(b, (long long)count);
                pdf_buf_puts(b, pass == 0 ? " beginbfrange\n" : " beginbfchar\n");
                pdf_buf_put(b, lines.data, lines.len);
                pdf_buf_puts(b, pass == 0 ? "endbfrange\n" : "endbfchar\n");
                if (lines.oom) b->oom = true;
                lines.len = 0;
                count = 0;
            }
        }
        pdf_buf_free(&lines);
    }
    pdf_buf_puts(b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

/* A stream object; pdf_stream_put fills it (again, in place, when a save
 * after more glyphs were drawn re-subsets). */
static HPDF_Dict new_stream(HPDF_Doc doc) { return HPDF_DictStream_New(doc->mmgr, doc->xref); }

/* Six capital letters from the glyph set: the same subset gets the same
 * tag, so the output does not change from run to run. */
static void subset_tag(const pdf_font_t *pf, char tag[8]) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t c = 0; c < pf->ncid; c++) {
        uint32_t g = pf->cids[c].gid;
        for (int k = 0; k < 4; k++) {
            h ^= (g >> (8 * k)) & 0xFF;
            h *= 0x100000001b3ull;
        }
    }
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = '+';
    tag[7] = 0;
}

/* Subsets made before in this process, by font file and glyph set, with
 * their programs deflated: under --split every participant's file needs
 * the same set for most fonts (a name seldom brings a letter the body
 * lacks), and hb-subset cost a third of each file. A pure cache, as the
 * deflate memo above. */
enum { SUBSET_MEMO_SLOTS = 64 };

typedef struct subset_memo {
    char *path;                /* the font file */
    uint32_t *gids, *new_gids; /* the set, ascending, and each glyph's id in the subset */
    size_t n;
    unsigned char *program; /* the subset font, for the /ID digest */
    size_t program_len;
    unsigned char *file;    /* the FontFile2 stream's data */
    size_t file_len;
    bool deflated;
} subset_memo_t;

static subset_memo_t subset_memo[SUBSET_MEMO_SLOTS];
static size_t subset_memo_next;

static void subset_memo_free(subset_memo_t *m) {
    free(m->path);
    free(m->gids);
    free(m->new_gids);
    free(m->program);
    free(m->file);
    *m = (subset_memo_t){0};
}

static const subset_memo_t *subset_memo_find(const char *path, const uint32_t *gids, size_t n) {
    for (size_t i = 0; i < SUBSET_MEMO_SLOTS; i++) {
        const subset_memo_t *m = &subset_memo[i];
        if (m->path && m->n == n && memcmp(m->gids, gids, n * sizeof *gids) == 0 && strcmp(m->path, path) == 0)
            return m;
    }
    return NULL;
}

/* Keeps a subset (taking gids, new_gids and program) and deflates its
 * program; NULL when memory runs out or deflate fails, and then the caller
 * still owns them. */
static const subset_memo_t *subset_memo_add(pdf_zip_t *z, const char *path, uint32_t *gids, uint32_t *new_gids,
                                            size_t n, unsigned char *program, size_t program_len) {
    const void *data;
    size_t len;
    bool deflated;
    if (pdf_zip(z, PDF_ZIP_FONT, program, program_len, &data, &len, &deflated, NULL) != HPDF_OK) return NULL;
    char *p = strdup(path);
    unsigned char *file = malloc(len ? len : 1);
    if (!p || !file) {
        free(p);
        free(file);
        return NULL;
    }
    memcpy(file, data, len);
    subset_memo_t *m = &subset_memo[subset_memo_next];
    subset_memo_next = (subset_memo_next + 1) % SUBSET_MEMO_SLOTS;
    subset_memo_free(m);
    *m = (subset_memo_t){p, gids, new_gids, n, program, program_len, file, len, deflated};
    return m;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The index of g in the ascending gids (present by construction). */
static size_t gid_index(const uint32_t *gids, size_t n, uint32_t g) {
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (gids[mid] <= g) lo = mid;
        else hi = mid;
    }
    return lo;
}

/* A FontDescriptor's metrics, in the PDF's 1/1000 em glyph space; `flags`
 * says how glyphs are reached (4 symbolic: by CID; 32 nonsymbolic: through
 * a standard Latin encoding). */
static HPDF_STATUS describe(HPDF_Dict fd, const font_metrics_t *m, int upem, const char *name, int flags) {
    double k = 1000.0 / upem;
    HPDF_STATUS st;
    if ((st = HPDF_Dict_AddName(fd, "Type", "FontDescriptor")) || (st = HPDF_Dict_AddName(fd, "FontName", name)) ||
        (st = HPDF_Dict_AddNumber(fd, "Flags", flags | (m->fixed_pitch ? 1 : 0) | (m->serif ? 2 : 0) |
                                                   (m->italic ? 64 : 0))))
        return st;
    HPDF_Array bbox = HPDF_Array_New(fd->mmgr);
    if (!bbox) return HPDF_FAILD_TO_ALLOC_MEM;
    if ((st = HPDF_Dict_Add(fd, "FontBBox", bbox))) return st;
    for (int i = 0; i < 4; i++)
        if ((st = HPDF_Array_AddNumber(bbox, (HPDF_INT32)lround(m->bbox[i] * k)))) return st;
    if ((st = HPDF_Dict_AddReal(fd, "ItalicAngle", (HPDF_REAL)m->italic_angle)) ||
        (st = HPDF_Dict_AddNumber(fd, "Ascent", (HPDF_INT32)lround(m->ascender * k))) ||
        (st = HPDF_Dict_AddNumber(fd, "Descent", (HPDF_INT32)lround(m->descender * k))) ||
        (st = HPDF_Dict_AddNumber(fd, "CapHeight", (HPDF_INT32)lround(m->cap_height * k))) ||
        (st = HPDF_Dict_AddNumber(fd, "XHeight", (HPDF_INT32)lround(m->x_height * k))))
        return st;
    return HPDF_Dict_AddNumber(fd, "StemV", (HPDF_INT32)lround(m->stem_v * k));
}

#define CHECK(call)                                                                                                    \
    do {                                                                                                               \
        if ((st = (call)) != HPDF_OK) goto fail;                                                                       \
    } while (0)

bool pdf_font_embed(pdf_font_t *pf, pdf_zip_t *z, diag_t *d, md5_t *digest) {
    if (pf->embedded && pf->embedded == pf->ncid) {
        md5_update(digest, pf->digest, sizeof pf->digest);
        return true;
    }
    const font_metrics_t *m = font_metrics(pf->font);
    HPDF_MMgr mmgr = pf->doc->mmgr;
    HPDF_STATUS st = HPDF_OK;
    bool ok = false;
    size_t n = pf->ncid;
    /* the glyph set, ascending: what the subset depends on */
    uint32_t *set = malloc(n * sizeof *set), *set_new = malloc(n * sizeof *set_new);
    unsigned char *owned_program = NULL, *map = malloc(n * 2);
    const unsigned char *program = NULL;
    size_t program_len = 0, nset = 0;
    pdf_buf_t cmap = {0};
    if (!set || !set_new || !map) goto oom;

    for (size_t c = 0; c < n; c++) set[c] = pf->cids[c].gid;
    qsort(set, n, sizeof *set, cmp_u32);
    for (size_t c = 0; c < n; c++)
        if (nset == 0 || set[nset - 1] != set[c]) set[nset++] = set[c];
    const char *path = font_path(pf->font);
    const subset_memo_t *sm = subset_memo_find(path, set, nset);
    if (!sm) {
        owned_program = font_subset(pf->font, set, nset, set_new, &program_len, d);
        if (!owned_program) goto done;
        sm = subset_memo_add(z, path, set, set_new, nset, owned_program, program_len);
        if (sm) set = set_new = NULL, owned_program = NULL; /* the memo has them now */
    }
    const uint32_t *from = sm ? sm->gids : set, *to = sm ? sm->new_gids : set_new;
    program = sm ? sm->program : owned_program;
    program_len = sm ? sm->program_len : program_len;
    for (size_t c = 0; c < n; c++) {
        uint32_t g = to[gid_index(from, nset, pf->cids[c].gid)];
        map[2 * c] = (unsigned char)(g >> 8);
        map[2 * c + 1] = (unsigned char)g;
    }
    build_tounicode(pf, &cmap);
    if (cmap.oom) goto oom;

    char name[HPDF_LIMIT_MAX_NAME_LEN + 1];
    subset_tag(pf, name);
    size_t room = sizeof name - 8;
    snprintf(name + 7, room + 1, "%s", m->postscript_name);

    bool first = !pf->cidfont;
    if (first) {
        pf->descriptor = HPDF_Dict_New(mmgr);
        pf->cidfont = HPDF_Dict_New(mmgr);
        if (!pf->descriptor || !pf->cidfont) goto lib;
        CHECK(HPDF_Xref_Add(pf->doc->xref, pf->descriptor));
        CHECK(HPDF_Xref_Add(pf->doc->xref, pf->cidfont));
        if (!(pf->file = new_stream(pf->doc)) || !(pf->cidtogid = new_stream(pf->doc)) ||
            !(pf->tounicode = new_stream(pf->doc)))
            goto lib;
    }

    /* Symbolic, not Nonsymbolic: glyphs are reached by CID, never through a
     * standard Latin encoding. */
    HPDF_Dict fd = pf->descriptor;
    CHECK(describe(fd, m, pf->upem, name, 4));

    CHECK(sm ? stream_set(pf->file, sm->file, sm->file_len, sm->deflated)
             : pdf_stream_put(z, PDF_ZIP_FONT, pf->file, program, program_len));
    CHECK(HPDF_Dict_AddNumber(pf->file, "Length1", (HPDF_INT32)program_len));
    CHECK(pdf_stream_put(z, PDF_ZIP_FONT, pf->cidtogid, map, n * 2));
    CHECK(pdf_stream_put(z, PDF_ZIP_FONT, pf->tounicode, cmap.data, cmap.len));
    if (first) CHECK(HPDF_Dict_Add(fd, "FontFile2", pf->file));

    /* CIDFontType2 with /W as [1 [w1 w2 ...]]: CIDs are dense from 1 */
    HPDF_Dict cf = pf->cidfont;
    CHECK(HPDF_Dict_AddName(cf, "Type", "Font"));
    CHECK(HPDF_Dict_AddName(cf, "Subtype", "CIDFontType2"));
    CHECK(HPDF_Dict_AddName(cf, "BaseFont", name));
    if (first) {
        HPDF_Dict info = HPDF_Dict_New(mmgr);
        if (!info) goto lib;
        CHECK(HPDF_Dict_Add(cf, "CIDSystemInfo", info));
        CHECK(HPDF_Dict_Add(info, "Registry", HPDF_String_New(mmgr, "Adobe", NULL)));
        CHECK(HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mmgr, "Identity", NULL)));
        CHECK(HPDF_Dict_AddNumber(info, "Supplement", 0));
        CHECK(HPDF_Dict_Add(cf, "FontDescriptor", fd));
        CHECK(HPDF_Dict_Add(cf, "CIDToGIDMap", pf->cidtogid));
    }
    CHECK(HPDF_Dict_AddNumber(cf, "DW", pf->cids[0].width));
    HPDF_Array w = HPDF_Array_New(mmgr);
    if (!w) goto lib;
    CHECK(HPDF_Dict_Add(cf, "W", w));
    /* libharu caps arrays at 32767 items: chunk the widths */
    for (size_t c = 1; c < n; c += 8192) {
        HPDF_Array run = HPDF_Array_New(mmgr);
        if (!run) goto lib;
        CHECK(HPDF_Array_AddNumber(w, (HPDF_INT32)c));
        CHECK(HPDF_Array_Add(w, run));
        for (size_t j = c; j < n && j < c + 8192; j++) CHECK(HPDF_Array_AddNumber(run, pf->cids[j].width));
    }

    HPDF_Dict t0 = pf->type0;
    CHECK(HPDF_Dict_AddName(t0, "BaseFont", name));
    if (first) {
        HPDF_Array desc = HPDF_Array_New(mmgr);
        if (!desc) goto lib;
        CHECK(HPDF_Dict_Add(t0, "DescendantFonts", desc));
        CHECK(HPDF_Array_Add(desc, cf));
        CHECK(HPDF_Dict_Add(t0, "ToUnicode", pf->tounicode));
    }

    md5_t ctx;
    md5_init(&ctx);
    md5_update(&ctx, program, (HPDF_UINT32)program_len);
    md5_update(&ctx, (const HPDF_BYTE *)cmap.data, (HPDF_UINT32)cmap.len);
    md5_update(&ctx, map, (HPDF_UINT32)(n * 2));
    md5_final(&ctx, pf->digest);
    md5_update(digest, pf->digest, sizeof pf->digest);
    pf->embedded = n;
    ok = true;
    goto done;

fail:
lib:
    diag_error(d, diag_file(font_path(pf->font)), "cannot embed font '%s' in the PDF (libharu error 0x%04X)",
               m->postscript_name, (unsigned)(st ? st : HPDF_GetError(pf->doc)));
    HPDF_ResetError(pf->doc);
    goto done;
oom:
    diag_error(d, diag_file(font_path(pf->font)), "out of memory embedding font '%s'", m->postscript_name);
done:
    free(set);
    free(set_new);
    free(map);
    free(owned_program);
    pdf_buf_free(&cmap);
    return ok;
}

/* ---- the font of typed text ------------------------------------------------- */

/* Windows-1252 (PDF's WinAnsiEncoding) from 0x80 to 0x9F; 0: unused. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
    0x0178};

uint32_t pdf_winansi_char(unsigned code) {
    if (code < 0x20 || code > 0xFF || code == 0x7F) return 0;
    if (code >= 0x80 && code < 0xA0) return cp1252_high[code - 0x80];
    return code;
}

HPDF_Dict pdf_font_typed(HPDF_Doc doc, pdf_zip_t *z, font_t *font, diag_t *d, md5_t *digest) {
    const font_metrics_t *m = font_metrics(font);
    HPDF_MMgr mmgr = doc->mmgr;
    uint32_t chars[224];
    size_t n = 0;
    for (unsigned c = 0x20; c <= 0xFF; c++)
        if (pdf_winansi_char(c) && font_has_codepoint(font, pdf_winansi_char(c))) chars[n++] = pdf_winansi_char(c);
    size_t len = 0;
    unsigned char *program = font_subset_chars(font, chars, n, &len, d);
    if (!program) return NULL;
    /* The tag from the font alone: the set of characters is always the same. */
    char name[HPDF_LIMIT_MAX_NAME_LEN + 1];
    uint64_t h = pdf_hash_bytes((const unsigned char *)m->postscript_name, strlen(m->postscript_name));
    for (int i = 0; i < 6; i++, h /= 26) name[i] = (char)('A' + h % 26);
    snprintf(name + 6, sizeof name - 6, "+%s", m->postscript_name);
    HPDF_STATUS st = HPDF_OK;
    HPDF_Dict f = HPDF_Dict_New(mmgr), fd = f ? HPDF_Dict_New(mmgr) : NULL;
    HPDF_Dict file = NULL;
    HPDF_Array widths = NULL;
    if (!fd) goto lib;
    CHECK(HPDF_Xref_Add(doc->xref, f));
    CHECK(HPDF_Xref_Add(doc->xref, fd));
    if (!(file = new_stream(doc)) || !(widths = HPDF_Array_New(mmgr))) goto lib;
    CHECK(HPDF_Dict_AddName(f, "Type", "Font"));
    CHECK(HPDF_Dict_AddName(f, "Subtype", "TrueType"));
    CHECK(HPDF_Dict_AddName(f, "BaseFont", name));
    CHECK(HPDF_Dict_AddNumber(f, "FirstChar", 32));
    CHECK(HPDF_Dict_AddNumber(f, "LastChar", 255));
    CHECK(HPDF_Dict_Add(f, "Widths", widths));
    /* Unused codes show a bullet in WinAnsiEncoding (ISO 32000-1, D.2). */
    uint32_t bullet = font_glyph_of(font, 0x2022);
    for (unsigned c = 0x20; c <= 0xFF; c++) {
        uint32_t g = pdf_winansi_char(c) ? font_glyph_of(font, pdf_winansi_char(c)) : bullet;
        CHECK(HPDF_Array_AddNumber(widths, (HPDF_INT32)lround(font_glyph_advance(font, g) * 1000.0 / m->units_per_em)));
    }
    CHECK(HPDF_Dict_AddName(f, "Encoding", "WinAnsiEncoding"));
    CHECK(HPDF_Dict_Add(f, "FontDescriptor", fd));
    CHECK(describe(fd, m, m->units_per_em, name, 32));
    CHECK(pdf_stream_put(z, PDF_ZIP_FONT, file, program, len));
    CHECK(HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)len));
    CHECK(HPDF_Dict_Add(fd, "FontFile2", file));
    md5_update(digest, program, (HPDF_UINT32)len);
    free(program);
    return f;

fail:
lib:
    diag_error(d, diag_file(font_path(font)), "cannot embed font '%s' for form fields (libharu error 0x%04X)",
               m->postscript_name, (unsigned)(st ? st : HPDF_GetError(doc)));
    HPDF_ResetError(doc);
    free(program);
    return NULL;
}
