/* stopwatch: where a run's time goes (`grundlag render --timings`, read by
 * `make bench`). Owns the sums of time per stage of the pipeline, kept
 * while it is switched on; off, each stage costs one branch. Loading,
 * composing and writing are timed around their calls; shaping and breaking
 * where they happen, inside composing (a paragraph is shaped, hyphenated,
 * broken and set in one call). Not thread-safe. */
#ifndef GRUNDLAG_STOPWATCH_H
#define GRUNDLAG_STOPWATCH_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

typedef enum stopwatch_stage {
    STOPWATCH_LOAD,    /* data, layouts, fonts, hyphenation patterns */
    STOPWATCH_COMPOSE, /* the document kinds: shaping, breaking, pages */
    STOPWATCH_SHAPE,   /* of which HarfBuzz shaping of runs not shaped before */
    STOPWATCH_BREAK,   /* of which total-fit line breaking */
    STOPWATCH_WRITE,   /* the device: drawing, fonts, structure, the file */
    STOPWATCH_STAGES,
} stopwatch_stage_t;

extern bool stopwatch_on;
extern double stopwatch_seconds[STOPWATCH_STAGES];

static inline double stopwatch_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Starts and stops a stage: t = stopwatch_start(); ...; stopwatch_stop(stage, t). */
static inline double stopwatch_start(void) { return stopwatch_on ? stopwatch_now() : 0; }
static inline void stopwatch_stop(stopwatch_stage_t stage, double t0) {
    if (stopwatch_on) stopwatch_seconds[stage] += stopwatch_now() - t0;
}

/* Switches timing on and clears the sums. */
void stopwatch_reset(void);

/* One line for the end of a run: the stages in milliseconds ("page" is
 * composing less shaping and breaking), the whole since `t_start`, and the
 * process's kernel time, page faults and peak RSS. */
void stopwatch_print(FILE *fp, double t_start);

#endif
