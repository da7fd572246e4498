/* kp: the Knuth–Plass total-fit line breaker. Owns the choice of breakpoints
 * for one paragraph given as boxes, glue and penalties, and nothing else: it
 * does not know about glyphs, fonts, hyphenation or pages, and it reads no
 * settings. Every call is a pure function of the items, the line-width
 * callback and the parameter struct (no globals, no I/O), so it is safe to
 * run on several paragraphs at once from different threads.
 *
 * Conventions (Knuth & Plass 1981, TeX §813–890):
 *  - a line may end at a penalty whose penalty < KP_INFINITY, or at a glue
 *    that directly follows a box; the glue or penalty at the break and any
 *    glue/penalties after it (up to the next box or forced break) vanish.
 *    Glue or penalties with nothing but glue and penalties between them and
 *    a forced break are not breakpoints (the next line would be empty);
 *  - a penalty's width only counts when the line ends there (a hyphen);
 *  - the caller ends each paragraph with glue(0, big stretch, 0) followed by
 *    penalty(-KP_INFINITY). If the last item is not a forced break, the
 *    breaker acts as if one followed it, at index n;
 *  - a box may carry stretch and shrink too (font expansion: a word may
 *    widen or narrow a little); unlike glue it never vanishes at a break;
 *  - widths and shrinks are non-negative (the breaker forgets a candidate
 *    line start as soon as the line from it cannot shrink enough, which is
 *    only sound if lines never get narrower as they get longer); stretch
 *    may be negative, as in Knuth–Plass's ragged-right and centred settings
 *    (glue(0,+s) penalty(0) glue(space,-s)).
 */
#ifndef GRUNDLAG_KP_H
#define GRUNDLAG_KP_H

#include <stdbool.h>
#include <stddef.h>

/* penalty >= KP_INFINITY forbids a break; <= -KP_INFINITY forces one. */
#define KP_INFINITY 10000.0

typedef enum { KP_BOX, KP_GLUE, KP_PENALTY } kp_type_t;

typedef struct kp_item {
    kp_type_t type;
    double width, stretch, shrink; /* stretch/shrink: glue, and boxes that may expand */
    double penalty;                /* penalties only */
    bool flagged;                  /* penalties only: a hyphen (see kp_params_t) */
    /* penalties only: a break kept for when the first pass fails, like a
     * hyphenation candidate (a line allowed to fall short, say) */
    bool late;
} kp_item_t;

/* Fitness classes, as in TeX: how far a line's glue is from its natural
 * width. Adjacent lines more than one class apart cost fitness_demerits. */
enum {
    KP_FIT_TIGHT = 0,     /* shrinking, badness >= 13 (ratio < -0.5) */
    KP_FIT_DECENT = 1,    /* badness <= 12 (|ratio| <= 0.5) */
    KP_FIT_LOOSE = 2,     /* stretching, badness 13..99 */
    KP_FIT_VERY_LOOSE = 3 /* stretching, badness >= 100 (ratio > 1) */
};

typedef struct kp_params {
    /* Badness a line may have, as TeX's \tolerance: badness = 100 r^3 for the
     * adjustment ratio r, so 200 accepts r <= 1.26. Shrinking beyond r = -1
     * is never accepted. >= KP_INFINITY accepts any line that is not
     * overfull. */
    double tolerance;
    /* Badness for a first pass that ignores hyphenation candidates (TeX's
     * \pretolerance): a paragraph that sets well without hyphens gets none.
     * A hyphenation candidate is a flagged penalty of non-zero width, or a
     * penalty marked late; a flagged zero-width penalty (after an explicit
     * "-") stays usable.
     * < 0 skips the first pass. */
    double pretolerance;
    double line_penalty;      /* added to each line's badness (\linepenalty), 10 */
    double flagged_demerits;  /* two flagged breaks in a row (\doublehyphendemerits) */
    double final_hyphen_demerits; /* a flagged break before the paragraph's last line (\finalhyphendemerits) */
    double fitness_demerits;  /* adjacent lines >1 fitness class apart (\adjdemerits) */
    /* 0 = the optimum; +n/-n = n lines more/fewer than the optimum if any
     * feasible solution has that many, else as close as possible (TeX's
     * \looseness). Non-zero looseness keeps every line count apart, which
     * costs time on very long paragraphs. */
    int looseness;
    /* Passes: (1) pretolerance without hyphenation candidates; (2) tolerance
     * with them; (3) if emergency_stretch > 0, tolerance again with badness
     * computed as if every line had this much extra stretch (TeX's
     * \emergencystretch; same units as widths), which spreads looseness over
     * the paragraph instead of piling it into one line; (4) only if all of
     * these found nothing: any line that is not overfull is accepted (badness
     * still with the emergency stretch), and overfull lines only where
     * nothing else is possible. Looseness never triggers pass 4. */
    double emergency_stretch;
} kp_params_t;

/* tolerance 200, pretolerance 100, line_penalty 10, flagged_demerits 3000,
 * final_hyphen_demerits 5000, fitness_demerits 3000, looseness 0,
 * emergency_stretch 0. */
kp_params_t kp_params_default(void);

typedef struct kp_break {
    size_t index; /* item index of the break (the glue or penalty that ends the line) */
    /* Adjustment ratio to set the line with: each glue becomes
     * width + ratio*stretch (ratio >= 0) or width + ratio*shrink (ratio < 0).
     * Clamped to >= -1 (an overfull line is set fully shrunk and sticks out);
     * 0 when the line is short but has no stretch at all. May exceed the
     * tolerance's ratio after the final pass (an underfull line). */
    double ratio;
    int fitness; /* KP_FIT_* */
} kp_break_t;

/* line_width(line, ctx): the measure of line `line` (0-based). Lines may
 * differ (hanging indents, a narrower first line). It must be a pure
 * function of `line`: it is called once per possible line up front, and the
 * breaker uses the fact that widths become constant after some line to keep
 * its work linear. */
typedef double (*kp_width_fn)(size_t line, void *ctx);

typedef struct kp_result {
    kp_break_t *breaks; /* one per line, ascending; the last is the paragraph's end */
    size_t count;
    /* No setting without an overfull line exists: at least one line is wider
     * than its measure even fully shrunk. As in TeX, such a line ends at the
     * first breakpoint where the last surviving line start overflows. Lines
     * that are only too loose do not set this; their ratio shows it. */
    bool overfull;
    double demerits; /* total demerits of the chosen breaks */
} kp_result_t;

/* Breaks items[0..n) into lines. Returns false only on allocation failure
 * or a NULL width/out/items (then *out is empty). If no feasible set of breaks exists even with
 * emergency stretch, it still returns the best it can with overfull = true;
 * the caller decides whether that is an error. n == 0 gives no lines. */
bool kp_break_paragraph(const kp_item_t *items, size_t n, kp_width_fn width, void *ctx,
                        const kp_params_t *p, kp_result_t *out);
void kp_result_free(kp_result_t *r);

#endif
