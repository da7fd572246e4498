/* infile: reading one of the run's input files (data, layout, roster, font)
 * whole and safely. Owns the rules every input obeys: a regular file only (a
 * FIFO would block for ever, a device such as /dev/zero never ends, a
 * directory is no file), read up to a size limit that is checked before and
 * while reading, never more. Knows nothing of what the bytes mean. */
#ifndef GRUNDLAG_INFILE_H
#define GRUNDLAG_INFILE_H

#include <stdbool.h>
#include <stddef.h>

/* Why a read failed, for the caller's own wording: "cannot open file: %s"
 * when `opening`, else "cannot read file: %s". */
typedef struct infile_error {
    bool opening;  /* the file could not be opened (else: not read) */
    char why[160]; /* "No such file or directory", "Is a directory",
                      "it is a FIFO (named pipe), not a regular file",
                      "it is larger than 64 MB" */
} infile_error_t;

/* The whole file as a malloc'd buffer with a NUL after the last byte (*len
 * bytes before it), or NULL with *e filled in. Opens without blocking (a
 * FIFO with no writer would otherwise hang the run) and refuses anything but
 * a regular file before reading a byte. */
char *infile_read(const char *path, size_t max_bytes, size_t *len, infile_error_t *e);

/* Whether `path` names a regular file that can be opened for reading; on
 * false, *e says why, as above. Opens it the same way, reads nothing. */
bool infile_check(const char *path, infile_error_t *e);

#endif
