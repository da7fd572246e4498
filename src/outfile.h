/* outfile: writing a result file safely, also in a folder others can write
 * to. The PDF goes to a temporary file beside its target, created
 * exclusively under an unpredictable name (O_EXCL: never through a planted
 * link, never into someone else's file), and is renamed into place only when
 * complete, so a failed or interrupted run never leaves a half-written file
 * and never replaces a good one. Only a regular file or a new name is ever
 * replaced: a directory, a symbolic link, a device, a FIFO or one of the
 * run's own inputs is refused. "-" is standard output (the document is
 * written whole or not at all). Owns the temp names and their cleanup on
 * SIGINT/TERM/HUP. */
#ifndef GRUNDLAG_OUTFILE_H
#define GRUNDLAG_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"

typedef struct outfile {
    char *final_path; /* as given; "-" for standard output */
    char *tmp_path;   /* beside it; NULL for standard output */
    FILE *fp;         /* where to write the document */
    char *made_dir;   /* the outermost directory begin created, or NULL */
} outfile_t;

/* The run's input files (data, layouts, roster, fonts), by device and inode,
 * so that no output replaces one, whatever path names it. */
typedef struct outfile_inputs outfile_inputs_t;
outfile_inputs_t *outfile_inputs_new(void);
void outfile_inputs_drop(outfile_inputs_t *in);
/* Records `path` (if it exists) as `what` ("the data file", "a font file"). */
void outfile_inputs_add(outfile_inputs_t *in, const char *path, const char *what);

/* Checks the target (see above; `inputs` may be NULL), creates its
 * directory if needed and opens the temp file (o->fp). */
bool outfile_begin(outfile_t *o, const char *final_path, const outfile_inputs_t *inputs, diag_t *d);
/* Closes the temp file and renames it into place (or copies it to standard
 * output); on failure removes it. */
bool outfile_commit(outfile_t *o, diag_t *d);
/* Closes and removes the temp file (after a failure), and the directories
 * begin created for it, if they are still empty. */
void outfile_abort(outfile_t *o);

/* Installs SIGINT/SIGTERM/SIGHUP handlers that remove the pending temp file,
 * and a SIGBUS handler (a mapped input shortened under us) that removes it
 * and exits 3 with a message.
 * A signal the process was started with ignored (nohup, a background job)
 * stays ignored. */
void outfile_install_signal_cleanup(void);

#endif
