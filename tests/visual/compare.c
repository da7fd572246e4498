/* compare: the pixel comparison of `make visual`. Reads two binary netpbm
 * images (P5 grey or P6 colour, maxval 255: what pdftoppm and pngtopnm
 * write), compares them exactly and, when they differ, writes a diff image:
 * the reference faded to a quarter of its contrast with every changed pixel
 * in pure red, so a reviewer sees at once where a page changed.
 *
 *   compare REFERENCE.pnm NEW.pnm DIFF.ppm
 *
 * Prints nothing and exits 0 when the pixels are equal; prints one line
 * ("N pixels differ in x A..B, y C..D" or "size W×H, reference W×H") and
 * exits 1 when they differ; exits 2 when a file cannot be read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct image {
    int w, h;
    unsigned char *rgb; /* w × h × 3 */
} image_t;

/* Skips white space and # comments in a netpbm header. */
static int header_int(FILE *f, int *out) {
    int c;
    for (;;) {
        c = fgetc(f);
        if (c == '#') {
            while (c != '\n' && c != EOF) c = fgetc(f);
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            break;
        }
    }
    if (c < '0' || c > '9') return 0;
    long v = 0;
    while (c >= '0' && c <= '9') {
        v = v * 10 + (c - '0');
        if (v > 1000000) return 0;
        c = fgetc(f);
    }
    *out = (int)v; /* the one white-space character after the number is consumed */
    return 1;
}

static int load(const char *path, image_t *img) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 0;
    }
    char magic[2];
    int maxval = 0, ok = 0;
    if (fread(magic, 1, 2, f) == 2 && magic[0] == 'P' && (magic[1] == '5' || magic[1] == '6') &&
        header_int(f, &img->w) && header_int(f, &img->h) && header_int(f, &maxval) && maxval == 255 && img->w > 0 &&
        img->h > 0) {
        int ch = magic[1] == '6' ? 3 : 1;
        size_t n = (size_t)img->w * (size_t)img->h;
        unsigned char *raw = malloc(n * (size_t)ch);
        img->rgb = malloc(n * 3);
        if (raw && img->rgb && fread(raw, (size_t)ch, n, f) == n) {
            for (size_t i = 0; i < n; i++)
                for (int k = 0; k < 3; k++) img->rgb[i * 3 + (size_t)k] = raw[i * (size_t)ch + (ch == 3 ? (size_t)k : 0)];
            ok = 1;
        }
        free(raw);
    }
    if (!ok) fprintf(stderr, "%s: not a binary netpbm image with maxval 255\n", path);
    fclose(f);
    return ok;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: compare REFERENCE.pnm NEW.pnm DIFF.ppm\n");
        return 2;
    }
    image_t ref = {0}, cur = {0};
    if (!load(argv[1], &ref) || !load(argv[2], &cur)) return 2;
    if (ref.w != cur.w || ref.h != cur.h) {
        printf("size %d×%d, reference %d×%d\n", cur.w, cur.h, ref.w, ref.h);
        return 1;
    }
    size_t n = (size_t)ref.w * (size_t)ref.h, changed = 0;
    int x0 = ref.w, x1 = -1, y0 = ref.h, y1 = -1;
    for (size_t i = 0; i < n; i++) {
        if (memcmp(ref.rgb + i * 3, cur.rgb + i * 3, 3) == 0) continue;
        changed++;
        int x = (int)(i % (size_t)ref.w), y = (int)(i / (size_t)ref.w);
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
    }
    if (!changed) return 0;
    printf("%zu pixel%s differ in x %d..%d, y %d..%d\n", changed, changed == 1 ? "" : "s", x0, x1, y0, y1);
    FILE *f = fopen(argv[3], "wb");
    if (!f) {
        perror(argv[3]);
        return 2;
    }
    fprintf(f, "P6\n%d %d\n255\n", ref.w, ref.h);
    for (size_t i = 0; i < n; i++) {
        unsigned char px[3];
        if (memcmp(ref.rgb + i * 3, cur.rgb + i * 3, 3) != 0) {
            px[0] = 255, px[1] = 0, px[2] = 0;
        } else {
            for (int k = 0; k < 3; k++) px[k] = (unsigned char)(255 - (255 - ref.rgb[i * 3 + (size_t)k]) / 4);
        }
        fwrite(px, 1, 3, f);
    }
    if (fclose(f) != 0) {
        perror(argv[3]);
        return 2;
    }
    free(ref.rgb);
    free(cur.rgb);
    return 1;
}
