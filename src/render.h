/* render: the entry point from the command line into the document kinds.
 * Owns the options that the CLI passes down (which profiles, dimensions,
 * roster, where to write) and the mapping of outcomes to statuses. */
#ifndef GRUNDLAG_RENDER_H
#define GRUNDLAG_RENDER_H

#include <stdbool.h>

#include "diag.h"
#include "model.h"
#include "spec.h"
#include "typeset.h"

/* The output device: the PDF, or the display list as text (the golden
 * tests' trace: a record per line, or every glyph run). */
typedef enum render_format { RENDER_PDF, RENDER_TRACE, RENDER_TRACE_GLYPHS } render_format_t;

typedef struct render_options {
    const char *roster;         /* CSV file or NULL */
    const char *profiles;       /* "id,id" or NULL for all */
    const char *dimensions;     /* "key,key" or NULL for all */
    const char *output;         /* -o FILE, or NULL */
    const char *out_dir;        /* --out-dir DIR (default "out") */
    bool split;
    bool dry_run;               /* `check`: validate everything, write nothing */
    const char *installed_fonts;
    fontset_t *fonts;           /* shared by every layout of the run */
    render_format_t format;     /* what the output device writes */
    const struct outfile_inputs *inputs; /* files no output may replace; may be NULL */
    bool has_epoch;             /* SOURCE_DATE_EPOCH: the documents' date */
    long long epoch;
    /* Progress of long runs (the CLI draws a bar on a terminal); may be NULL. */
    void (*progress)(size_t done, size_t total, void *ctx);
    void *progress_ctx;
} render_options_t;

typedef enum render_status {
    RENDER_OK,
    RENDER_INPUT, /* bad data, layout, roster or font */
    RENDER_USAGE, /* options that do not fit the layout or data */
    RENDER_IO,    /* could not write */
} render_status_t;

/* Whether the layouts of one run write distinct files: two layouts with the
 * same file stem (ignoring case, as many file systems do) into one folder
 * would overwrite each other. Reported before anything is written. */
bool render_outputs_distinct(spec_t *const *specs, int count, const render_options_t *o, diag_t *d);

render_status_t render_layout(const model_t *m, const spec_t *s, const render_options_t *o, diag_t *d);

#endif
