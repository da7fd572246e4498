/* device/xmp: a small, fixed XMP packet. */
#include "device/xmp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct buf {
    char *s;
    size_t len, cap;
    int oom;
} buf_t;

static void put(buf_t *b, const char *s, size_t n) {
    if (b->oom) return;
    if (b->len + n + 1 > b->cap) {
        size_t nc = (b->len + n + 1) * 2;
        char *ns = realloc(b->s, nc);
        if (!ns) { b->oom = 1; return; }
        b->s = ns;
        b->cap = nc;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void puts_(buf_t *b, const char *s) { put(b, s, strlen(s)); }

static void esc(buf_t *b, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '<': puts_(b, "&lt;"); break;
        case '>': puts_(b, "&gt;"); break;
        case '&': puts_(b, "&amp;"); break;
        case '"': puts_(b, "&quot;"); break;
        default:
            /* XML 1.0 forbids most control characters */
            if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n') put(b, s, 1);
        }
    }
}

static void alt(buf_t *b, const char *tag, const char *lang, const char *value) {
    if (!value) return;
    puts_(b, "   <");
    puts_(b, tag);
    puts_(b, "><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    esc(b, value);
    puts_(b, "</rdf:li>");
    if (lang) {
        puts_(b, "<rdf:li xml:lang=\"");
        esc(b, lang);
        puts_(b, "\">");
        esc(b, value);
        puts_(b, "</rdf:li>");
    }
    puts_(b, "</rdf:Alt></");
    puts_(b, tag);
    puts_(b, ">\n");
}

/* <tag>value</tag> on a line of its own, when there is a value. */
static void prop(buf_t *b, const char *tag, const char *value) {
    if (!value) return;
    puts_(b, "   <");
    puts_(b, tag);
    puts_(b, ">");
    esc(b, value);
    puts_(b, "</");
    puts_(b, tag);
    puts_(b, ">\n");
}

char *xmp_packet(const xmp_meta_t *m) {
    buf_t b = {0};
    puts_(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
              "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
              " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
              "  <rdf:Description rdf:about=\"\"\n"
              "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
              "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
              "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"");
    if (m->pdfua) puts_(&b, "\n    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"");
    if (m->pdfx)
        puts_(&b, "\n    xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\""
                  "\n    xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\"");
    puts_(&b, ">\n");
    if (m->pdfua) puts_(&b, "   <pdfuaid:part>1</pdfuaid:part>\n");
    puts_(&b, "   <dc:format>application/pdf</dc:format>\n");
    alt(&b, "dc:title", m->lang, m->title);
    alt(&b, "dc:description", m->lang, m->subject);
    if (m->author) {
        puts_(&b, "   <dc:creator><rdf:Seq><rdf:li>");
        esc(&b, m->author);
        puts_(&b, "</rdf:li></rdf:Seq></dc:creator>\n");
    }
    if (m->lang) {
        puts_(&b, "   <dc:language><rdf:Bag><rdf:li>");
        esc(&b, m->lang);
        puts_(&b, "</rdf:li></rdf:Bag></dc:language>\n");
    }
    if (m->creator) {
        prop(&b, "xmp:CreatorTool", m->creator);
        prop(&b, "pdf:Producer", "grundlag with libharu");
    }
    prop(&b, "xmp:CreateDate", m->date);
    prop(&b, "xmp:ModifyDate", m->date);
    if (m->pdfx) {
        prop(&b, "xmp:MetadataDate", m->date);
        prop(&b, "pdfxid:GTS_PDFXVersion", m->pdfx);
        prop(&b, "pdf:Trapped", m->trapped ? "True" : "False");
        prop(&b, "xmpMM:DocumentID", m->document_id);
        prop(&b, "xmpMM:InstanceID", m->instance_id);
        prop(&b, "xmpMM:VersionID", "1");
        prop(&b, "xmpMM:RenditionClass", "default");
    }
    puts_(&b, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

xmp_time_t xmp_utc(long long epoch) {
    /* days → civil date (Howard Hinnant's algorithm) */
    long long days = epoch / 86400, secs = epoch % 86400;
    long long z = days + 719468, era = z / 146097, doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    xmp_time_t t;
    t.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    t.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    t.year = (int)(y + (t.month <= 2));
    t.hour = (int)(secs / 3600);
    t.minute = (int)(secs / 60 % 60);
    t.second = (int)(secs % 60);
    return t;
}
