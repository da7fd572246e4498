/* colour: a colour as the layout names it, in the space the layout chose
 * (CMYK for print, RGB for screen, grey). Shared by spec and the outputs. */
#ifndef GRUNDLAG_COLOUR_H
#define GRUNDLAG_COLOUR_H

typedef enum colour_space {
    COLOUR_GREY,
    COLOUR_RGB,
    COLOUR_CMYK,
    /* Every plate, for crop marks (a print shop's "registration"):
     * /Separation /All in the PDF, v[0] the tint. Not a layout's choice. */
    COLOUR_REGISTRATION,
} colour_space_t;

typedef struct colour {
    colour_space_t space;
    double v[4]; /* 0..1: grey uses v[0]; RGB v[0..2]; CMYK v[0..3] */
} colour_t;

static inline colour_t colour_black(void) {
    colour_t c = {COLOUR_GREY, {0, 0, 0, 0}};
    return c;
}

static inline colour_t colour_registration(void) {
    colour_t c = {COLOUR_REGISTRATION, {1, 0, 0, 0}};
    return c;
}

#endif
