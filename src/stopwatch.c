/* stopwatch: the sums behind stopwatch.h. */
#include "stopwatch.h"

#include <sys/resource.h>

bool stopwatch_on;
double stopwatch_seconds[STOPWATCH_STAGES];

void stopwatch_reset(void) {
    stopwatch_on = true;
    for (int i = 0; i < STOPWATCH_STAGES; i++) stopwatch_seconds[i] = 0;
}

void stopwatch_print(FILE *fp, double t_start) {
    const double *v = stopwatch_seconds;
    double page = v[STOPWATCH_COMPOSE] - v[STOPWATCH_SHAPE] - v[STOPWATCH_BREAK];
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6, sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    fprintf(fp,
            "grundlag: timings: load %.2f ms, shape %.2f ms, break %.2f ms, page %.2f ms, write %.2f ms, main %.2f "
            "ms; kernel %.2f ms of %.2f ms CPU, %ld page faults, peak RSS %ld KB\n",
            v[STOPWATCH_LOAD] * 1e3, v[STOPWATCH_SHAPE] * 1e3, v[STOPWATCH_BREAK] * 1e3, page * 1e3,
            v[STOPWATCH_WRITE] * 1e3, (stopwatch_now() - t_start) * 1e3, sys * 1e3, (user + sys) * 1e3, ru.ru_minflt,
            ru.ru_maxrss);
}
