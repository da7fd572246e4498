/* render: checks the command-line selections against the data and hands the
 * layout to its document kind. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

/* Checks a comma-separated list of ids against `valid`, naming the valid ones. */
static bool check_ids(const char *list, const char *what, const char *const *valid, size_t n, diag_t *d) {
    if (!list) return true;
    bool ok = true;
    const char *p = list;
    if (!*p) {
        diag_error(d, diag_nowhere(), "--%s is empty", what);
        return false;
    }
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        bool found = false;
        for (size_t i = 0; i < n; i++)
            if (strlen(valid[i]) == len && strncmp(valid[i], p, len) == 0) found = true;
        if (!found) {
            size_t cap = 1;
            for (size_t i = 0; i < n; i++) cap += strlen(valid[i]) + 2;
            char *names = malloc(cap);
            if (names) {
                names[0] = '\0';
                for (size_t i = 0; i < n; i++) {
                    if (i) strcat(names, ", ");
                    strcat(names, valid[i]);
                }
            }
            diag_error(d, diag_nowhere(), "--%s: unknown %s '%.*s'; valid: %s", what,
                       strcmp(what, "profiles") == 0 ? "profile" : "dimension", (int)len, p, names ? names : "");
            free(names);
            ok = false;
        }
        p += len;
        if (*p == ',') p++;
    }
    return ok;
}

render_status_t render_layout(const model_t *m, const spec_t *s, const render_options_t *o, diag_t *d) {
    const char **ids = calloc(m->profile_count + m->dimension_count + 1, sizeof *ids);
    if (!ids) return RENDER_IO;
    for (size_t i = 0; i < m->profile_count; i++) ids[i] = m->profiles[i].id;
    bool ok = check_ids(o->profiles, "profiles", ids, m->profile_count, d);
    for (size_t i = 0; i < m->dimension_count; i++) ids[i] = m->dimensions[i].key;
    ok &= check_ids(o->dimensions, "dimensions", ids, m->dimension_count, d);
    free(ids);
    if (!ok) return RENDER_USAGE;
    if (o->dry_run) return RENDER_OK;
    diag_error(d, diag_file(s->path), "rendering kind '%s' is not available in this version",
               spec_kind_name(s->kind));
    return RENDER_INPUT;
}
