/* device: where a finished display list goes. A device receives the pages
 * and items of a doc in drawing order (device_replay walks the doc and
 * calls it) and writes them out when it is saved. Two devices exist: the
 * PDF device (device/pdf_device.c, through device/pdf, the only libharu
 * code) and the trace device (device/trace_device.c: the display list as
 * stable text, for golden tests). Page furniture (crop marks, page boxes)
 * is part of the doc (doc_finish), so every device sees the same. A new
 * output format is one new device. */
#ifndef GRUNDLAG_DEVICE_H
#define GRUNDLAG_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "doc.h"

typedef struct device device_t;

/* What a device does with a page's underlay (device_ops.underlay). */
typedef enum device_underlay {
    DEVICE_UNDERLAY_DONE,   /* drawn (or referred to) by the device itself */
    DEVICE_UNDERLAY_INLINE, /* replay its items as the page's own, first */
} device_underlay_t;

typedef struct device_ops {
    /* Page `index` of the doc begins: its boxes come from the page. */
    bool (*begin_page)(device_t *dev, size_t index, const doc_page_t *page);
    /* The page has an underlay (page->underlay, shared by many pages). */
    device_underlay_t (*underlay)(device_t *dev, const doc_page_t *page);
    /* After an underlay's items, replayed as the page's own (INLINE); may
     * be NULL. */
    bool (*underlay_end)(device_t *dev);
    /* An item of the page, or of its underlay (`owner` is the doc whose
     * structure elements the item names: the underlay's for its items, and
     * for a page item with underlay_node; `from_underlay` says which). */
    void (*item)(device_t *dev, const doc_item_t *it, const doc_t *owner, bool from_underlay);
    bool (*end_page)(device_t *dev);
    /* After the last page: navigation, structure, and the file, into `fp`
     * (an open file, flushed but not closed: outfile owns it; `name` names
     * it in messages). Reports through the device's diagnostics sink. */
    bool (*save)(device_t *dev, FILE *fp, const char *name);
    void (*drop)(device_t *dev);
} device_ops_t;

struct device {
    const device_ops_t *ops;
    const doc_t *doc;
    diag_t *d;
};

/* Draws every page of `doc` (finished: doc_finish) into `dev`, in order. */
bool device_replay(device_t *dev);
/* Replays the doc into the device and saves it into `fp` (named `name` in
 * messages); drops the device. */
bool device_write(device_t *dev, FILE *fp, const char *name);
/* Saves what device_replay drew into `fp` and drops the device: for a
 * caller that frees the doc's drawing in between (doc_release_drawing). */
bool device_save(device_t *dev, FILE *fp, const char *name);
/* The same into a new file `path` (removed again on failure). */
bool device_write_file(device_t *dev, const char *path);
void device_drop(device_t *dev);

/* The PDF: page boxes, fonts embedded as subsets with ToUnicode maps,
 * underlays as forms (drawn in place when tagged), the structure tree of a
 * tagged doc, bookmarks, links, page labels and metadata. NULL after
 * reporting. */
device_t *device_pdf_new(const doc_t *doc, diag_t *d);

/* How much the trace says of text: every run with its glyph ids and
 * advances (the engine's golden test), or a record per line (what a page
 * shows, for golden traces of every layout). */
typedef enum device_trace_detail { DEVICE_TRACE_GLYPHS, DEVICE_TRACE_LINES } device_trace_detail_t;

/* The trace: document metadata, page boxes, every drawn item with its
 * colour and structure element, links, bookmarks and page labels, as
 * stable, diffable text. */
device_t *device_trace_new(const doc_t *doc, device_trace_detail_t detail, diag_t *d);

#endif
