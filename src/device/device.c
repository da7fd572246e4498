/* device: the replay of a display list into a device. */
#include "device/device.h"

bool device_replay(device_t *dev) {
    const doc_t *doc = dev->doc;
    for (size_t i = 0; i < doc->page_count; i++) {
        const doc_page_t *p = &doc->pages[i];
        if (!dev->ops->begin_page(dev, i, p)) return false;
        if (p->underlay && dev->ops->underlay(dev, p) == DEVICE_UNDERLAY_INLINE)
            for (size_t k = 0; k < p->underlay->count; k++)
                dev->ops->item(dev, &p->underlay->items[k], p->underlay_doc, true);
        for (size_t k = 0; k < p->count; k++) dev->ops->item(dev, &p->items[k], doc, false);
        if (!dev->ops->end_page(dev)) return false;
    }
    return true;
}

bool device_write(device_t *dev, const char *path) {
    bool ok = device_replay(dev) && dev->ops->save(dev, path);
    device_drop(dev);
    return ok;
}

void device_drop(device_t *dev) {
    if (dev) dev->ops->drop(dev);
}
