/* kp: Knuth–Plass total-fit line breaking (Knuth & Plass, "Breaking
 * Paragraphs into Lines", 1981; TeX: The Program §813–890). Owns the active
 * list, the passive (chosen-break) records, the passes (pretolerance,
 * tolerance, emergency stretch, last resort) and looseness. Works in doubles
 * in whatever unit the caller measures in.
 *
 * Shape of the algorithm: walk the items once per pass; at every legal
 * breakpoint b, look at each active node a (a break that could start a line)
 * and ask whether the line a..b is feasible. Feasible lines give candidate
 * breaks at b, the best per fitness class and line-number class becoming new
 * active nodes. An active node whose line to b is overfull can only get worse
 * (widths and shrinks are non-negative), so it is dropped: that keeps the
 * active list to the breakpoints within about one line of b, and the whole
 * pass linear in the number of items for a fixed measure. */
#include "kp.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX
#define NFIT 4

kp_params_t kp_params_default(void) {
    return (kp_params_t){
        .tolerance = 200,
        .pretolerance = 100,
        .line_penalty = 10,
        .flagged_demerits = 3000,
        .final_hyphen_demerits = 5000,
        .fitness_demerits = 3000,
        .looseness = 0,
        .emergency_stretch = 0,
    };
}

void kp_result_free(kp_result_t *r) {
    if (!r) return;
    free(r->breaks);
    r->breaks = NULL;
    r->count = 0;
}

/* A break that some feasible line ended at; kept for the whole pass because
 * the best path through them is only known at the end. */
typedef struct passive {
    size_t index; /* item index of the break */
    size_t prev;  /* previous break on the best path to here; NONE = paragraph start */
    double ratio; /* of the line ending here, as reported to the caller */
    int fitness;
    bool artificial; /* last-resort break through an overfull line */
} passive_t;

/* A break from which a line may still start. */
typedef struct active {
    size_t next;    /* active list link; NONE ends the list */
    size_t passive; /* NONE for the paragraph start */
    size_t line;    /* lines before this break = 0-based number of the line it starts */
    int fitness;    /* of the line ending here */
    bool flagged;   /* ends at a flagged penalty */
    double total;   /* demerits of the best path to here */
    double w, y, z; /* prefix sums where the next line starts (discardables skipped) */
} active_t;

/* One pass's settings. */
typedef struct pass {
    double threshold;  /* max badness; INFINITY = any line that is not overfull */
    double bg_stretch; /* emergency stretch added to every line's stretch */
    bool hyphenate;    /* flagged penalties of non-zero width are breakpoints */
    bool final;        /* never let the active list run dry */
} pass_t;

typedef struct run {
    const kp_item_t *items;
    size_t n;
    const kp_params_t *p;
    /* prefix sums over items[0..i): box and glue widths, stretch and shrink */
    double *W, *Y, *Z;
    /* start[i]: first index >= i that is a box or a forced break (or n):
     * where the line after a break begins once discardables are dropped */
    size_t *start;
    /* measures of lines 0..nwidths-1; from line `easy` on all are equal */
    double *widths;
    size_t nwidths, easy;
    bool distinct_lines; /* looseness != 0: never merge line-number classes */

    passive_t *pas;
    size_t npas, cappas;
    active_t *act;
    size_t capact, head, freelist; /* capact: the nodes in the pool (in use or free) */
    size_t act_room;               /* the array's capacity, from a run before (kp_cache) */

    /* best candidates at the current breakpoint, per fitness class */
    double minimal[NFIT];
    size_t best_place[NFIT], best_line[NFIT];
    double best_ratio[NFIT];
    bool best_art[NFIT];
    double minimum;
} run_t;

/* Grows *arr (elem bytes each) to hold at least need elements; false on
 * allocation failure or size overflow. */
static bool grow(void **arr, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return true;
    size_t nc = *cap ? *cap : 64;
    while (nc < need) {
        if (nc > SIZE_MAX / 2 / elem) return false;
        nc *= 2;
    }
    void *na = realloc(*arr, nc * elem);
    if (!na) return false;
    *arr = na;
    *cap = nc;
    return true;
}

static size_t active_alloc(run_t *r) {
    if (r->freelist != NONE) {
        size_t i = r->freelist;
        r->freelist = r->act[i].next;
        return i;
    }
    /* the pool only grows (doubling) when every node is in use; capact
     * counts all; the array may have room already */
    size_t used = r->capact;
    size_t cap = used ? 2 * used : 64;
    if (used > SIZE_MAX / 2 / sizeof(active_t)) return NONE;
    if (cap > r->act_room) {
        void *arr = r->act;
        size_t room = r->act_room;
        if (!grow(&arr, &room, cap, sizeof(active_t))) return NONE;
        r->act = arr;
        r->act_room = room;
    }
    for (size_t i = cap; i-- > used + 1;) {
        r->act[i].next = r->freelist;
        r->freelist = i;
    }
    r->capact = cap;
    return used;
}

static void active_free(run_t *r, size_t i) {
    r->act[i].next = r->freelist;
    r->freelist = i;
}

static size_t line_class(const run_t *r, size_t line) {
    if (r->distinct_lines || line < r->easy) return line;
    return r->easy;
}

static double line_width(const run_t *r, size_t line) {
    return r->widths[line < r->nwidths ? line : r->nwidths - 1];
}

static size_t start_after(const run_t *r, size_t b) {
    if (b >= r->n) return r->n;
    const kp_item_t *it = &r->items[b];
    if (it->type == KP_PENALTY && it->penalty <= -KP_INFINITY) return r->start[b + 1];
    return r->start[b];
}

/* TeX's badness: 100 r^3, capped at KP_INFINITY ("infinitely bad"). */
static double badness(double ratio) {
    double b = 100.0 * ratio * ratio * ratio;
    return b > KP_INFINITY ? KP_INFINITY : b;
}

/* Turns the best candidates at breakpoint b into active nodes, inserted after
 * `*prev` (NONE = at the head) so the list stays sorted by line class. Only
 * candidates within fitness_demerits of the best can ever win (that is the
 * most a fitness mismatch can cost later), the rest are not worth keeping. */
static bool create_nodes(run_t *r, size_t b, bool flagged, size_t *prev) {
    double limit = r->minimum + fabs(r->p->fitness_demerits);
    size_t s = start_after(r, b);
    for (int fit = NFIT - 1; fit >= 0; fit--) {
        if (r->minimal[fit] <= limit) {
            void *arr = r->pas;
            if (!grow(&arr, &r->cappas, r->npas + 1, sizeof(passive_t))) return false;
            r->pas = arr;
            size_t pi = r->npas++;
            r->pas[pi] = (passive_t){
                .index = b,
                .prev = r->best_place[fit],
                .ratio = r->best_ratio[fit],
                .fitness = fit,
                .artificial = r->best_art[fit],
            };
            size_t ai = active_alloc(r);
            if (ai == NONE) return false;
            active_t *a = &r->act[ai];
            *a = (active_t){
                .passive = pi,
                .line = r->best_line[fit] + 1,
                .fitness = fit,
                .flagged = flagged,
                .total = r->minimal[fit],
                .w = r->W[s],
                .y = r->Y[s],
                .z = r->Z[s],
            };
            if (*prev == NONE) {
                a->next = r->head;
                r->head = ai;
            } else {
                a->next = r->act[*prev].next;
                r->act[*prev].next = ai;
            }
            *prev = ai;
        }
        r->minimal[fit] = INFINITY;
    }
    r->minimum = INFINITY;
    return true;
}

/* Considers a break at item b (index n = the implicit end) with penalty pi,
 * `flagged`, and extra width pw (the hyphen) on the line that ends there. */
static bool try_break(run_t *r, const pass_t *ps, size_t b, double pi, bool flagged, double pw) {
    const kp_params_t *p = r->p;
    bool forced = pi <= -KP_INFINITY;
    if (forced) pi = -KP_INFINITY;
    size_t prev = NONE;
    size_t cur = r->head;
    bool have_class = false;
    size_t old_class = 0;
    double measure = 0;
    for (;;) {
        /* Crossing into a higher line class (or reaching the end): candidates
         * collected so far belong before it. */
        if (cur == NONE || (have_class && line_class(r, r->act[cur].line) != old_class)) {
            if (r->minimum < INFINITY && !create_nodes(r, b, flagged, &prev)) return false;
            if (cur == NONE) break;
        }
        active_t *a = &r->act[cur];
        if (!have_class || line_class(r, a->line) != old_class) {
            have_class = true;
            old_class = line_class(r, a->line);
            measure = line_width(r, a->line);
        }
        double nat = r->W[b] - a->w + pw;
        double stretch = r->Y[b] - a->y;
        double shrink = r->Z[b] - a->z;
        double shortfall = measure - nat;
        /* sums of many doubles: treat a near-exact fit as exact, so rounding
         * cannot turn a perfect line without shrink into an overfull one */
        if (fabs(shortfall) <= 1e-9 * (fabs(measure) > 1 ? fabs(measure) : 1)) shortfall = 0;
        double bad, ratio;
        int fit;
        bool overfull = false;
        if (shortfall > 0) {
            double ys = stretch + ps->bg_stretch;
            bad = ys > 0 ? badness(shortfall / ys) : KP_INFINITY;
            fit = bad > 99 ? KP_FIT_VERY_LOOSE : bad > 12 ? KP_FIT_LOOSE : KP_FIT_DECENT;
            ratio = stretch > 0 ? shortfall / stretch : 0;
        } else if (shortfall < 0) {
            if (-shortfall > shrink) {
                overfull = true;
                bad = INFINITY;
                fit = KP_FIT_TIGHT;
                ratio = -1;
            } else {
                ratio = shortfall / shrink;
                bad = badness(-ratio);
                fit = bad > 12 ? KP_FIT_TIGHT : KP_FIT_DECENT;
            }
        } else {
            bad = 0, ratio = 0, fit = KP_FIT_DECENT;
        }

        bool stays, artificial = false;
        if (overfull || forced) {
            /* The node cannot start a line past b. In the final pass, if it
             * is the last one left and nothing feasible ends at b, it still
             * makes a break here (an overfull line) so there is a result. */
            if (ps->final && overfull && r->minimum == INFINITY && prev == NONE && a->next == NONE)
                artificial = true;
            else if (overfull || bad > ps->threshold)
                goto deactivate;
            stays = false;
        } else {
            if (bad > ps->threshold) { /* too loose now; a later b may do */
                prev = cur;
                cur = a->next;
                continue;
            }
            stays = true;
        }

        double d = 0;
        if (!artificial) {
            d = p->line_penalty + bad;
            d *= d;
            if (pi > 0) d += pi * pi;
            else if (pi > -KP_INFINITY) d -= pi * pi;
            /* A hyphen on the line before the last (TeX \finalhyphendemerits),
             * else two hyphenated lines in a row. */
            if (a->flagged && pi <= -KP_INFINITY) d += p->final_hyphen_demerits;
            else if (flagged && a->flagged) d += p->flagged_demerits;
            if (abs(fit - a->fitness) > 1) d += p->fitness_demerits;
        }
        d += a->total;
        if (d <= r->minimal[fit]) {
            r->minimal[fit] = d;
            r->best_place[fit] = a->passive;
            r->best_line[fit] = a->line;
            r->best_ratio[fit] = ratio;
            r->best_art[fit] = artificial;
            if (d < r->minimum) r->minimum = d;
        }
        if (stays) {
            prev = cur;
            cur = a->next;
            continue;
        }
    deactivate:;
        size_t next = a->next;
        if (prev == NONE) r->head = next;
        else r->act[prev].next = next;
        active_free(r, cur);
        cur = next;
    }
    return true;
}

/* True when only glue and penalties stand between item b and a forced break
 * (or the implicit end): a break at b would be followed by an empty line.
 * That is what makes the paragraph-end convention glue(0, big) +
 * penalty(-inf) safe without TeX's penalty(+inf) before the glue. */
static bool before_forced(const run_t *r, size_t b) {
    size_t s = r->start[b];
    return s == r->n || r->items[s].type == KP_PENALTY;
}

/* Runs one pass. Returns 1 with a solution (active list non-empty at the
 * end), 0 if the active list ran dry, -1 on allocation failure. */
static int run_pass(run_t *r, const pass_t *ps) {
    r->npas = 0;
    r->head = NONE;
    r->freelist = NONE;
    /* the whole pool is free again; rebuild the free list */
    for (size_t i = r->capact; i-- > 0;) active_free(r, i);
    for (int f = 0; f < NFIT; f++) r->minimal[f] = INFINITY;
    r->minimum = INFINITY;

    size_t a0 = active_alloc(r);
    if (a0 == NONE) return -1;
    /* The paragraph's start: a decent "line 0" so the first real line is
     * not charged for a fitness jump; leading glue is kept, as in TeX. */
    r->act[a0] = (active_t){.next = NONE, .passive = NONE, .fitness = KP_FIT_DECENT};
    r->head = a0;

    const kp_item_t *it = r->items;
    for (size_t b = 0; b < r->n; b++) {
        bool ok = true;
        if (it[b].type == KP_PENALTY && it[b].penalty <= -KP_INFINITY) {
            ok = try_break(r, ps, b, it[b].penalty, it[b].flagged, it[b].width);
        } else if (before_forced(r, b)) {
            /* not a breakpoint: see before_forced */
        } else if (it[b].type == KP_GLUE) {
            if (b > 0 && it[b - 1].type == KP_BOX) ok = try_break(r, ps, b, 0, false, 0);
        } else if (it[b].type == KP_PENALTY && it[b].penalty < KP_INFINITY) {
            bool hyphen = (it[b].flagged && it[b].width != 0) || it[b].late;
            if (ps->hyphenate || !hyphen)
                ok = try_break(r, ps, b, it[b].penalty, it[b].flagged, it[b].width);
        }
        if (!ok) return -1;
        if (r->head == NONE) return 0;
    }
    bool ends_forced = r->n > 0 && it[r->n - 1].type == KP_PENALTY && it[r->n - 1].penalty <= -KP_INFINITY;
    if (!ends_forced) {
        if (!try_break(r, ps, r->n, -KP_INFINITY, false, 0)) return -1;
        if (r->head == NONE) return 0;
    }
    return 1;
}

/* Picks the final node as TeX does: fewest demerits, or with looseness the
 * line count closest to optimum + looseness (ties: fewest demerits). Sets
 * *achieved when the requested looseness was met. */
static size_t pick_best(const run_t *r, bool *achieved) {
    size_t best = NONE;
    for (size_t i = r->head; i != NONE; i = r->act[i].next)
        if (best == NONE || r->act[i].total < r->act[best].total) best = i;
    int want = r->p->looseness;
    *achieved = want == 0;
    if (want == 0) return best;
    size_t best_line = r->act[best].line;
    long actual = 0;
    for (size_t i = r->head; i != NONE; i = r->act[i].next) {
        long diff = (long)r->act[i].line - (long)best_line;
        if ((diff < actual && want <= diff) || (diff > actual && want >= diff)) {
            best = i;
            actual = diff;
        } else if (diff == actual && r->act[i].total < r->act[best].total) {
            best = i;
        }
    }
    *achieved = actual == want;
    return best;
}

/* Copies the path ending at active node `best` into out. */
static bool extract(const run_t *r, size_t best, kp_result_t *out) {
    size_t count = 0;
    for (size_t q = r->act[best].passive; q != NONE; q = r->pas[q].prev) count++;
    kp_break_t *br = malloc((count ? count : 1) * sizeof *br);
    if (!br) return false;
    bool overfull = false;
    size_t k = count;
    for (size_t q = r->act[best].passive; q != NONE; q = r->pas[q].prev) {
        const passive_t *ps = &r->pas[q];
        br[--k] = (kp_break_t){.index = ps->index, .ratio = ps->ratio, .fitness = ps->fitness};
        overfull |= ps->artificial;
    }
    kp_result_free(out);
    out->breaks = br;
    out->count = count;
    out->overfull = overfull;
    out->demerits = r->act[best].total;
    return true;
}

/* Prefix sums, line starts and the measures of every line that could exist. */
/* A run's arrays, kept for the next paragraph: the breaker runs for every
 * paragraph of every copy-fitting trial, and allocating and freeing seven
 * arrays each time was a good part of its cost. One per thread; they grow
 * to the largest paragraph and are freed at exit (kp_cache_free). */
static _Thread_local struct kp_cache {
    double *W, *Y, *Z, *widths;
    size_t *start;
    size_t n_room, widths_room; /* W, Y, Z and start hold n_room each */
    passive_t *pas;
    size_t pas_room;
    active_t *act;
    size_t act_room;
} kp_cache;

static void kp_cache_free(void);

/* Takes the kept arrays, grown to hold n items' sums. */
static bool cache_take(run_t *r, size_t n) {
    struct kp_cache *c = &kp_cache;
    static _Thread_local bool freed_at_exit; /* (if atexit cannot take it, the system frees them) */
    if (!freed_at_exit) {
        (void)atexit(kp_cache_free);
        freed_at_exit = true;
    }
    if (c->n_room < n + 1) {
        size_t room = n + 1 > 2 * c->n_room ? n + 1 : 2 * c->n_room;
        double *W = realloc(c->W, room * sizeof *W);
        if (W) c->W = W;
        double *Y = W ? realloc(c->Y, room * sizeof *Y) : NULL;
        if (Y) c->Y = Y;
        double *Z = Y ? realloc(c->Z, room * sizeof *Z) : NULL;
        if (Z) c->Z = Z;
        size_t *start = Z ? realloc(c->start, room * sizeof *start) : NULL;
        if (start) c->start = start;
        if (!start) return false;
        c->n_room = room;
    }
    r->W = c->W, r->Y = c->Y, r->Z = c->Z, r->start = c->start;
    r->pas = c->pas, r->cappas = c->pas_room;
    r->act = c->act, r->act_room = c->act_room;
    return true;
}

/* Gives the arrays back (grown as the run grew them), if it took them. */
static void cache_give(run_t *r) {
    struct kp_cache *c = &kp_cache;
    if (!r->W) return;
    if (r->widths) c->widths = r->widths;
    c->pas = r->pas, c->pas_room = r->cappas;
    c->act = r->act, c->act_room = r->act_room;
}

static void kp_cache_free(void) {
    struct kp_cache *c = &kp_cache;
    free(c->W);
    free(c->Y);
    free(c->Z);
    free(c->start);
    free(c->widths);
    free(c->pas);
    free(c->act);
    *c = (struct kp_cache){0};
}

static bool prepare(run_t *r, kp_width_fn width, void *ctx) {
    size_t n = r->n;
    if (!cache_take(r, n)) return false;
    double w = 0, y = 0, z = 0;
    size_t nbreaks = 1; /* the implicit end, if the caller left it out */
    for (size_t i = 0; i < n; i++) {
        r->W[i] = w, r->Y[i] = y, r->Z[i] = z;
        const kp_item_t *it = &r->items[i];
        if (it->type == KP_BOX) {
            /* a box's stretch and shrink (font expansion) count wherever the
             * box is: boxes never vanish at a break */
            w += it->width, y += it->stretch, z += it->shrink;
        } else if (it->type == KP_GLUE) {
            w += it->width, y += it->stretch, z += it->shrink;
            if (i > 0 && r->items[i - 1].type == KP_BOX) nbreaks++;
        } else if (it->penalty < KP_INFINITY) {
            nbreaks++;
        }
    }
    r->W[n] = w, r->Y[n] = y, r->Z[n] = z;
    r->start[n] = n;
    for (size_t i = n; i-- > 0;) {
        const kp_item_t *it = &r->items[i];
        bool stop = it->type == KP_BOX || (it->type == KP_PENALTY && it->penalty <= -KP_INFINITY);
        r->start[i] = stop ? i : r->start[i + 1];
    }
    /* Every line ends at a distinct breakpoint, so there are at most nbreaks
     * lines. Knowing all their widths up front tells us from which line on
     * they are all the same (TeX's easy_line), and past it line numbers need
     * not be told apart: that is what keeps long paragraphs linear. */
    r->widths = kp_cache.widths;
    if (kp_cache.widths_room < nbreaks) {
        size_t room = nbreaks > 2 * kp_cache.widths_room ? nbreaks : 2 * kp_cache.widths_room;
        double *wd = realloc(kp_cache.widths, room * sizeof *wd);
        if (!wd) return false;
        r->widths = kp_cache.widths = wd;
        kp_cache.widths_room = room;
    }
    for (size_t l = 0; l < nbreaks; l++) r->widths[l] = width(l, ctx);
    r->nwidths = nbreaks;
    r->easy = nbreaks - 1;
    while (r->easy > 0 && r->widths[r->easy - 1] == r->widths[nbreaks - 1]) r->easy--;
    return true;
}

bool kp_break_paragraph(const kp_item_t *items, size_t n, kp_width_fn width, void *ctx,
                        const kp_params_t *p, kp_result_t *out) {
    if (!out) return false;
    *out = (kp_result_t){0};
    if (n == 0) return true;
    if (!items || !width) return false;
    kp_params_t defaults = kp_params_default();
    if (!p) p = &defaults;

    run_t r = {.items = items, .n = n, .p = p, .distinct_lines = p->looseness != 0};
    r.head = r.freelist = NONE;
    bool ok = false;
    if (!prepare(&r, width, ctx)) goto done;

    double tol = p->tolerance >= KP_INFINITY ? INFINITY : p->tolerance;
    double es = p->emergency_stretch > 0 ? p->emergency_stretch : 0;
    /* TeX's passes, plus a last resort: without hyphenation under
     * pretolerance; with it under tolerance; with emergency stretch; and
     * finally accepting any line that fits, with overfull lines only where
     * nothing fits at all. */
    pass_t passes[4];
    size_t npasses = 0;
    if (p->pretolerance >= 0)
        passes[npasses++] = (pass_t){.threshold = p->pretolerance >= KP_INFINITY ? INFINITY : p->pretolerance};
    passes[npasses++] = (pass_t){.threshold = tol, .hyphenate = true};
    if (es > 0) passes[npasses++] = (pass_t){.threshold = tol, .bg_stretch = es, .hyphenate = true};
    size_t last_resort = npasses;
    passes[npasses++] = (pass_t){.threshold = INFINITY, .bg_stretch = es, .hyphenate = true, .final = true};

    bool have = false;
    for (size_t i = 0; i < npasses; i++) {
        /* The last resort is for paragraphs with no feasible solution, not
         * for reaching a looseness: that would buy a line with awful ones. */
        if (i == last_resort && have) break;
        int rc = run_pass(&r, &passes[i]);
        if (rc < 0) goto done;
        if (rc == 0) continue;
        bool achieved;
        size_t best = pick_best(&r, &achieved);
        if (!extract(&r, best, out)) goto done;
        have = true;
        if (achieved) break;
    }
    ok = true;
done:
    cache_give(&r);
    if (!ok) kp_result_free(out);
    return ok;
}
