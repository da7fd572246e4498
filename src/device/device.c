/* device: the replay of a display list into a device. */
#include "device/device.h"

#include <errno.h>
#include <string.h>

bool device_replay(device_t *dev) {
    const doc_t *doc = dev->doc;
    for (size_t i = 0; i < doc->page_count; i++) {
        const doc_page_t *p = &doc->pages[i];
        if (!dev->ops->begin_page(dev, i, p)) return false;
        if (p->underlay && dev->ops->underlay(dev, p) == DEVICE_UNDERLAY_INLINE) {
            for (size_t k = 0; k < p->underlay->count; k++)
                dev->ops->item(dev, &p->underlay->items[k], p->underlay_doc, true);
            if (dev->ops->underlay_end && !dev->ops->underlay_end(dev)) return false;
        }
        for (size_t k = 0; k < p->count; k++) {
            /* A page's item may fill a place in its underlay's structure. */
            bool shared = p->items[k].underlay_node && p->underlay_doc;
            dev->ops->item(dev, &p->items[k], shared ? p->underlay_doc : doc, shared);
        }
        if (!dev->ops->end_page(dev)) return false;
    }
    return true;
}

bool device_write(device_t *dev, FILE *fp, const char *name) {
    if (!device_replay(dev)) {
        device_drop(dev);
        return false;
    }
    return device_save(dev, fp, name);
}

bool device_save(device_t *dev, FILE *fp, const char *name) {
    bool ok = dev->ops->save(dev, fp, name);
    device_drop(dev);
    return ok;
}

bool device_write_file(device_t *dev, const char *path) {
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        diag_error(dev->d, diag_file(path), "cannot write: %s", strerror(errno));
        device_drop(dev);
        return false;
    }
    diag_t *d = dev->d;
    bool ok = device_write(dev, fp, path);
    if (fclose(fp) != 0 && ok) {
        diag_error(d, diag_file(path), "cannot write: %s", strerror(errno));
        ok = false;
    }
    if (!ok) remove(path); /* no half-written file */
    return ok;
}

void device_drop(device_t *dev) {
    if (dev) dev->ops->drop(dev);
}
