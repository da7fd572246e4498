/* render: checks the command-line selections against the data, hands the
 * layout to its document kind and writes the result safely. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kinds/kinds.h"
#include "device/device.h"
#include "outfile.h"
#include "roster.h"

/* Splits "a,b" and resolves each id with `find`; reports unknown ones with
 * the list of valid ids. */
static bool select_ids(const char *list, const char *what, const char *const *valid, size_t n, size_t *picked,
                       size_t *count, diag_t *d) {
    *count = 0;
    if (!*list) {
        diag_error(d, diag_nowhere(), "--%s is empty", what);
        return false;
    }
    bool ok = true;
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        size_t found = n;
        for (size_t i = 0; i < n; i++)
            if (strlen(valid[i]) == len && strncmp(valid[i], p, len) == 0) found = i;
        if (found == n) {
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
        } else {
            picked[(*count)++] = found;
        }
        p += len;
        if (*p == ',') p++;
    }
    return ok;
}

static render_status_t write_doc(doc_t *doc, const char *path, const render_options_t *o, diag_t *d) {
    if (!doc_finish(doc)) {
        diag_error(d, diag_file(path), "out of memory");
        return RENDER_IO;
    }
    device_t *dev = o->format == RENDER_PDF ? device_pdf_new(doc, d)
                    : device_trace_new(doc, o->format == RENDER_TRACE ? DEVICE_TRACE_LINES : DEVICE_TRACE_GLYPHS, d);
    if (!dev) return RENDER_IO;
    outfile_t of;
    if (!outfile_begin(&of, path, o->inputs, d)) {
        device_drop(dev);
        return RENDER_IO;
    }
    if (!device_write(dev, of.fp, path)) {
        outfile_abort(&of);
        return RENDER_IO;
    }
    return outfile_commit(&of, d) ? RENDER_OK : RENDER_IO;
}

static render_status_t build_and_write(const kind_layout_t *kl, const kind_job_t *job, const render_options_t *o,
                                       const char *path, diag_t *d) {
    typeset_t *t = typeset_new(job->spec, job->model, o->fonts, d);
    if (!t) return RENDER_INPUT;
    render_status_t st = RENDER_OK;
    doc_t *doc = kind_render(kl, t, job, d);
    if (doc) {
        doc->has_epoch = o->has_epoch;
        doc->epoch = o->epoch;
    }
    /* PDF/X needs dates: SOURCE_DATE_EPOCH's, else the edition's; never
     * the clock's, so that a print file is reproducible too. */
    if (doc && doc->print && !doc->has_epoch) {
        doc->has_epoch = job->model->has_date;
        doc->epoch = job->model->date;
        if (!doc->has_epoch)
            diag_error(d, ydoc_loc(job->spec->doc, job->spec->print_block),
                       "a print file (PDF/X) needs a creation date: give the data a document.date such as "
                       "\"2027-01-15\", or set SOURCE_DATE_EPOCH (the date is never taken from the clock)");
    }
    if (!doc || diag_error_count(d) > 0) {
        st = RENDER_INPUT;
    } else if (!o->dry_run) {
        st = write_doc(doc, path, o, d);
    }
    doc_drop(doc);
    typeset_drop(t);
    return st;
}

bool render_outputs_distinct(spec_t *const *specs, int count, const render_options_t *o, diag_t *d) {
    if (o->output) return true; /* -o takes one layout */
    const char *dir = o->out_dir ? o->out_dir : "out";
    bool ok = true;
    for (int i = 0; i < count; i++)
        for (int j = 0; j < i; j++) {
            if (!specs[i] || !specs[j] || strcasecmp(specs[i]->stem, specs[j]->stem) != 0) continue;
            diag_error(d, diag_file(specs[i]->path),
                       "this layout and '%s' would both write %s/%s%s; render them into different --out-dir folders "
                       "or rename one",
                       specs[j]->path, dir, specs[j]->stem, o->split ? "/" : o->format == RENDER_PDF ? ".pdf" : ".trace");
            ok = false;
            break;
        }
    return ok;
}

render_status_t render_layout(const model_t *m, const spec_t *s, const render_options_t *o, diag_t *d) {
    size_t n = m->profile_count > m->dimension_count + 2 ? m->profile_count : m->dimension_count + 2;
    const char **ids = calloc(n + 1, sizeof *ids);
    size_t *picked_p = calloc(m->profile_count * 4 + 1, sizeof *picked_p);
    size_t *picked_d = calloc(m->dimension_count * 4 + 9, sizeof *picked_d);
    kind_job_t job = {0};
    job.model = m;
    job.spec = s;
    job.profiles = calloc(m->profile_count * 4 + 1, sizeof *job.profiles);
    job.dimensions = calloc(m->dimension_count * 4 + 1, sizeof *job.dimensions);
    render_status_t st = RENDER_OK;
    roster_t *roster = NULL;
    kind_layout_t *kl = NULL;
    if (!ids || !picked_p || !picked_d || !job.profiles || !job.dimensions) { st = RENDER_IO; goto done; }

    bool ok = true;
    if (o->profiles) {
        /* A list longer than the data is allowed only up to 4× (repeats). */
        size_t cnt = 0;
        for (const char *c = o->profiles; *c; c++) cnt += *c == ',';
        if (cnt + 1 > m->profile_count * 4) {
            diag_error(d, diag_nowhere(), "--profiles lists too many ids");
            ok = false;
        } else {
            for (size_t i = 0; i < m->profile_count; i++) ids[i] = m->profiles[i].id;
            ok &= select_ids(o->profiles, "profiles", ids, m->profile_count, picked_p, &job.profile_count, d);
            for (size_t i = 0; i < job.profile_count; i++) job.profiles[i] = &m->profiles[picked_p[i]];
            job.profiles_from_cli = true;
        }
    }
    if (o->dimensions) {
        size_t cnt = 0;
        for (const char *c = o->dimensions; *c; c++) cnt += *c == ',';
        if (cnt + 1 > m->dimension_count * 4 + 8) {
            diag_error(d, diag_nowhere(), "--dimensions lists too many keys");
            ok = false;
        } else {
            /* Besides the dimensions, a comparison has the shared-task row
             * ("group") and the pitfalls row ("pitfalls"). */
            for (size_t i = 0; i < m->dimension_count; i++) ids[i] = m->dimensions[i].key;
            ids[m->dimension_count] = "group";
            ids[m->dimension_count + 1] = "pitfalls";
            size_t picked = 0;
            ok &= select_ids(o->dimensions, "dimensions", ids, m->dimension_count + 2, picked_d, &picked, d);
            job.dimensions_from_cli = true;
            for (size_t i = 0; i < picked; i++) {
                if (picked_d[i] == m->dimension_count) job.row_group = true;
                else if (picked_d[i] == m->dimension_count + 1) job.row_pitfalls = true;
                else job.dimensions[job.dimension_count++] = &m->dimensions[picked_d[i]];
            }
        }
    }
    if (!ok) { st = RENDER_USAGE; goto done; }
    kl = kind_layout_new(s, m, d);
    if (!kl) { st = RENDER_INPUT; goto done; }
    if (o->dimensions && !(kl->def->flags & KIND_ROWS))
        diag_warning(d, diag_file(s->path), "--dimensions selects poster rows; it has no effect on a layout of kind '%s'",
                     s->kind);
    if (!job.profiles_from_cli) {
        const opt_profiles_t *lp = kind_layout_profiles(kl);
        if (lp->count) {
            const model_profile_t **v = realloc((void *)job.profiles, (lp->count + 1) * sizeof *v);
            if (!v) { st = RENDER_IO; goto done; }
            job.profiles = v;
            for (size_t i = 0; i < lp->count; i++) job.profiles[i] = lp->v[i];
            job.profile_count = lp->count;
        } else {
            for (size_t i = 0; i < m->profile_count; i++) job.profiles[i] = &m->profiles[i];
            job.profile_count = m->profile_count;
        }
    }
    if (!o->dimensions) {
        for (size_t i = 0; i < m->dimension_count; i++) job.dimensions[i] = &m->dimensions[i];
        job.dimension_count = m->dimension_count;
    }

    if (o->roster) {
        if (!(kl->def->flags & KIND_ROSTER)) {
            diag_error(d, diag_file(s->path), "--roster personalises worksheets; this layout is of kind '%s'",
                       s->kind);
            st = RENDER_USAGE;
            goto done;
        }
        roster = roster_load(o->roster, m, d);
        if (!roster) { st = RENDER_INPUT; goto done; }
        job.roster = roster;
        job.roster_rows = calloc(roster->count + 1, sizeof *job.roster_rows);
        if (!job.roster_rows) { st = RENDER_IO; goto done; }
        for (size_t i = 0; i < roster->count; i++) {
            /* --profiles narrows the roster to those profiles */
            bool keep = !job.profiles_from_cli;
            for (size_t k = 0; !keep && k < job.profile_count; k++) keep = job.profiles[k] == roster->rows[i].profile;
            if (keep) job.roster_rows[job.roster_count++] = &roster->rows[i];
        }
    }
    job.progress = o->progress;
    job.progress_ctx = o->progress_ctx;

    const char *ext = o->format == RENDER_PDF ? "pdf" : "trace";
    const char *out_dir = o->out_dir ? o->out_dir : "out"; /* `check` sets none: it writes nothing */
    if (o->split && !o->dry_run) {
        /* Every document is made once, unwritten, before the first file is
         * written: a bad row or profile met late must not leave some files
         * written and the rest missing. */
        render_options_t check = *o;
        check.dry_run = true;
        kind_job_t all = job;
        all.progress = NULL;
        st = build_and_write(kl, &all, &check, NULL, d);
    }
    if (st != RENDER_OK) {
        /* reported */
    } else if (o->split && roster) {
        /* One document per participant under DIR/<stem>/, named after them. */
        char **names = roster_file_names(roster, job.roster_rows, job.roster_count);
        kind_job_t one = job;
        one.progress = NULL;
        if (!names) st = RENDER_IO;
        for (size_t i = 0; names && i < job.roster_count && st == RENDER_OK; i++) {
            one.roster_rows = &job.roster_rows[i];
            one.roster_count = 1;
            size_t plen = strlen(out_dir) + strlen(s->stem) + strlen(names[i]) + 16;
            char *path = malloc(plen);
            if (!path) { st = RENDER_IO; break; }
            snprintf(path, plen, "%s/%s/%s.%s", out_dir, s->stem, names[i], ext);
            st = build_and_write(kl, &one, o, path, d);
            free(path);
            if (o->progress) o->progress(i + 1, job.roster_count, o->progress_ctx);
        }
        roster_file_names_free(names, job.roster_count);
    } else if (o->split) {
        /* One document per profile under DIR/<stem>/. */
        kind_job_t one = job;
        for (size_t i = 0; i < job.profile_count && st == RENDER_OK; i++) {
            one.profiles = &job.profiles[i];
            one.profile_count = 1;
            size_t len = strlen(out_dir) + strlen(s->stem) + strlen(job.profiles[i]->id) + 16;
            char *path = malloc(len);
            if (!path) { st = RENDER_IO; break; }
            snprintf(path, len, "%s/%s/%s.%s", out_dir, s->stem, job.profiles[i]->id, ext);
            st = build_and_write(kl, &one, o, path, d);
            free(path);
        }
    } else {
        char *path = NULL;
        if (o->output) {
            path = strdup(o->output);
        } else {
            size_t len = strlen(out_dir) + strlen(s->stem) + 16;
            path = malloc(len);
            if (path) snprintf(path, len, "%s/%s.%s", out_dir, s->stem, ext);
        }
        if (!path) st = RENDER_IO;
        else st = build_and_write(kl, &job, o, path, d);
        free(path);
    }
done:
    free((void *)job.roster_rows);
    roster_drop(roster);
    kind_layout_drop(kl);
    free(ids);
    free(picked_p);
    free(picked_d);
    free((void *)job.profiles);
    free((void *)job.dimensions);
    return st;
}
