/* infile: regular files only, bounded reads. */
#define _DEFAULT_SOURCE /* madvise */
#include "infile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void set_errno(infile_error_t *e, bool opening, int err) {
    e->opening = opening;
    snprintf(e->why, sizeof e->why, "%s", strerror(err ? err : EIO));
}

/* What a non-regular file is, for the message. */
static const char *kind_of(mode_t m) {
    if (S_ISFIFO(m)) return "a FIFO (named pipe)";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a file";
}

/* Opens `path` for reading, refusing anything but a regular file. O_NONBLOCK
 * keeps open() from waiting for a FIFO's writer; it does nothing to reads of
 * a regular file. Returns the descriptor (size in *size) or -1. */
static int open_regular(const char *path, off_t *size, infile_error_t *e) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        set_errno(e, true, errno);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        set_errno(e, false, errno);
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        e->opening = false;
        /* "Is a directory", as read() says it, names the commonest slip. */
        if (S_ISDIR(st.st_mode)) snprintf(e->why, sizeof e->why, "%s", strerror(EISDIR));
        else snprintf(e->why, sizeof e->why, "it is %s, not a regular file", kind_of(st.st_mode));
        close(fd);
        return -1;
    }
    *size = st.st_size;
    return fd;
}

static void too_big(infile_error_t *e, size_t max) {
    e->opening = false;
    if (max >= (1u << 20)) snprintf(e->why, sizeof e->why, "it is larger than %zu MB", max >> 20);
    else snprintf(e->why, sizeof e->why, "it is larger than %zu bytes", max);
}

bool infile_check(const char *path, infile_error_t *e) {
    off_t size;
    int fd = open_regular(path, &size, e);
    if (fd < 0) return false;
    close(fd);
    return true;
}

char *infile_read(const char *path, size_t max, size_t *len, infile_error_t *e) {
    off_t size;
    int fd = open_regular(path, &size, e);
    if (fd < 0) return NULL;
    if (size < 0 || (unsigned long long)size > max) {
        too_big(e, max);
        close(fd);
        return NULL;
    }
    /* The size may change while we read (a file being written, or one of
     * /proc's that says 0): read in chunks, never past max + 1 bytes. */
    size_t cap = (size_t)size + 1 < 65536 ? 65536 : (size_t)size + 1, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (!buf) {
            set_errno(e, false, ENOMEM);
            close(fd);
            return NULL;
        }
        if (n == cap) {
            if (cap > max) break;
            size_t nc = cap * 2 > max + 1 ? max + 1 : cap * 2;
            char *nb = realloc(buf, nc + 1);
            if (!nb) { free(buf); buf = NULL; continue; }
            buf = nb;
            cap = nc;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            set_errno(e, false, errno);
            free(buf);
            close(fd);
            return NULL;
        }
        if (got == 0) break;
        n += (size_t)got;
    }
    close(fd);
    if (n > max) {
        too_big(e, max);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

bool infile_map(const char *path, size_t max, infile_map_t *m, infile_error_t *e) {
    *m = (infile_map_t){0};
    off_t size;
    int fd = open_regular(path, &size, e);
    if (fd < 0) return false;
    if (size < 0 || (unsigned long long)size > max) {
        too_big(e, max);
        close(fd);
        return false;
    }
    void *p = size > 0 ? mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (p != MAP_FAILED) {
        /* Lookups jump about the file (a glyph here, a table there): no
         * read-ahead or fault-around, so only the pages read are resident. */
        madvise(p, (size_t)size, MADV_RANDOM);
        *m = (infile_map_t){p, (size_t)size, true};
        return true;
    }
    /* Empty, or a file system that cannot map: read it. */
    size_t len = 0;
    char *buf = infile_read(path, max, &len, e);
    if (!buf) return false;
    *m = (infile_map_t){(unsigned char *)buf, len, false};
    return true;
}

void infile_unmap(infile_map_t *m) {
    if (!m->data) return;
    if (m->mapped) munmap((void *)m->data, m->len);
    else free((void *)m->data);
    *m = (infile_map_t){0};
}

void infile_map_release(const infile_map_t *m) {
    if (m->mapped) madvise((void *)m->data, m->len, MADV_DONTNEED);
}
