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

/* A file mapped read-only, for big inputs read in part (fonts: a run
 * touches the tables and glyphs it uses, not the whole file). */
typedef struct infile_map {
    const unsigned char *data;
    size_t len;
    bool mapped; /* else data is malloc'd (an empty file, or mmap refused) */
} infile_map_t;

/* Maps `path` with the rules of infile_read (a regular file, at most
 * max_bytes); false with *e filled in. If another program shortens the file
 * while it is mapped, reading past the new end raises SIGBUS, which the
 * command line reports as an I/O error (outfile_install_signal_cleanup). */
bool infile_map(const char *path, size_t max_bytes, infile_map_t *m, infile_error_t *e);
void infile_unmap(infile_map_t *m);

/* Lets the pages of a mapped file go (they are read again if touched): for
 * a file whose first reading, a check of the whole, is over. */
void infile_map_release(const infile_map_t *m);

/* Whether `path` names a regular file that can be opened for reading; on
 * false, *e says why, as above. Opens it the same way, reads nothing. */
bool infile_check(const char *path, infile_error_t *e);

#endif
