/* outfile: writing a result file safely. The PDF goes to a temporary file
 * beside its target and is renamed into place only when complete, so a
 * failed or interrupted run never leaves a half-written file and never
 * replaces a good one. Owns the temp names and their cleanup on SIGINT/TERM. */
#ifndef GRUNDLAG_OUTFILE_H
#define GRUNDLAG_OUTFILE_H

#include <stdbool.h>

#include "diag.h"

typedef struct outfile {
    char *final_path;
    char *tmp_path;
} outfile_t;

/* Creates the target's directory if needed and picks the temp name. */
bool outfile_begin(outfile_t *o, const char *final_path, diag_t *d);
/* Renames the temp file into place; on failure removes it. */
bool outfile_commit(outfile_t *o, diag_t *d);
/* Removes the temp file (after a failure). */
void outfile_abort(outfile_t *o);

/* Installs SIGINT/SIGTERM handlers that remove the pending temp file. */
void outfile_install_signal_cleanup(void);

#endif
