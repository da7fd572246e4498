/* bench: how fast grundlag is, measured on the real code paths. Prints a
 * table: per job the median and min–max wall time over repeated runs, pages,
 * pages per second, output bytes, and the process's peak RSS so far. Not a
 * test: timings vary by machine; `make bench` runs it. */
#define _DEFAULT_SOURCE /* wait4 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kinds/kinds.h"
#include "model.h"
#include "device/device.h"
#include "render.h"
#include "spec.h"
#include "stopwatch.h"
#include "typeset.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long peak_rss_kb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct stats {
    double median, min, max;
} stats_t;

static stats_t summarise(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    stats_t s = {v[n / 2], v[0], v[n - 1]};
    return s;
}

static void row(const char *job, stats_t s, size_t pages, long bytes) {
    printf("| %-34s | %8.2f | %7.2f–%-7.2f | %5zu | %9.0f | %8ld | %6ld |\n", job, s.median * 1e3, s.min * 1e3,
           s.max * 1e3, pages, pages / s.median, bytes, peak_rss_kb() / 1024);
}

static long file_size(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

/* A job for every profile of m in data order (what a layout without a
 * `profiles:` list renders); free job->profiles after. */
static kind_job_t all_profiles(const model_t *m, const spec_t *s) {
    kind_job_t job = {0};
    job.model = m;
    job.spec = s;
    const model_profile_t **all = calloc(m->profile_count + 1, sizeof *all);
    for (size_t i = 0; all && i < m->profile_count; i++) all[i] = &m->profiles[i];
    job.profiles = all;
    job.profile_count = all ? m->profile_count : 0;
    return job;
}

/* The document of layout s for every profile (or the layout's choice), as
 * `grundlag render` composes it; NULL on failure. */
static doc_t *compose_doc(const spec_t *s, const model_t *m, typeset_t *ts, diag_t *d) {
    kind_layout_t *kl = ts ? kind_layout_new(s, m, d) : NULL;
    if (!kl) return NULL;
    kind_job_t job = all_profiles(m, s);
    const opt_profiles_t *lp = kind_layout_profiles(kl);
    const model_profile_t **all = job.profiles;
    if (lp->count) {
        job.profiles = lp->v;
        job.profile_count = lp->count;
    }
    const model_dimension_t **dims = calloc(m->dimension_count + 1, sizeof *dims);
    for (size_t i = 0; dims && i < m->dimension_count; i++) dims[i] = &m->dimensions[i];
    job.dimensions = dims;
    job.dimension_count = dims ? m->dimension_count : 0;
    doc_t *doc = kind_render(kl, ts, &job, d);
    free((void *)all);
    free((void *)dims);
    kind_layout_drop(kl);
    return doc;
}

/* The shipped layouts ("layouts/x.yaml", malloc'd), sorted; at most max. */
static int list_layouts(char **out, int max) {
    int n = 0;
    DIR *dir = opendir("layouts");
    struct dirent *e;
    while (dir && (e = readdir(dir)) && n < max) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0) {
            out[n] = malloc(len + 10);
            snprintf(out[n], len + 10, "layouts/%s", e->d_name);
            n++;
        }
    }
    if (dir) closedir(dir);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (strcmp(out[i], out[j]) > 0) { char *t = out[i]; out[i] = out[j]; out[j] = t; }
    return n;
}

/* A whole process, run n times: wall times into t (sorted by summarise),
 * its CPU time in user and kernel mode summed, its peak RSS the largest.
 * Run before this process has grown: a forked child starts with its
 * parent's resident pages counted in its peak. False if a run failed. */
typedef struct proc_stats {
    stats_t wall;
    double user, sys; /* seconds, summed over the runs */
    long rss_kb;
} proc_stats_t;

static bool run_process(char *const argv[], int n, double *t, proc_stats_t *out) {
    memset(out, 0, sizeof *out);
    for (int r = 0; r < n; r++) {
        double t0 = now();
        pid_t pid = fork();
        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY);
            if (null >= 0) dup2(null, STDOUT_FILENO);
            execv(argv[0], argv);
            _exit(127);
        }
        int ws;
        struct rusage ru;
        if (pid < 0 || wait4(pid, &ws, 0, &ru) != pid) return false;
        t[r] = now() - t0;
        out->user += ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
        out->sys += ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
        if (ru.ru_maxrss > out->rss_kb) out->rss_kb = ru.ru_maxrss;
        if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0) return false;
    }
    out->wall = summarise(t, n);
    return true;
}

static size_t count_words(const model_t *m) {
    size_t w = 0;
    const model_list_t *lists[3];
    for (size_t i = 0; i < m->foreword.count; i++)
        for (const char *p = m->foreword.items[i].text; *p; p++) w += *p == ' ';
    w += m->foreword.count;
    for (size_t i = 0; i < m->profile_count; i++) {
        const model_profile_t *p = &m->profiles[i];
        lists[0] = &p->group.bullets;
        lists[1] = &p->pitfalls.bullets;
        for (int k = 0; k < 2; k++)
            for (size_t j = 0; j < lists[k]->count; j++) {
                w++;
                for (const char *c = lists[k]->items[j].text; *c; c++) w += *c == ' ';
            }
        for (size_t s = 0; s < p->section_count; s++)
            for (size_t j = 0; j < p->sections[s].bullets.count; j++) {
                w++;
                for (const char *c = p->sections[s].bullets.items[j].text; *c; c++) w += *c == ' ';
            }
    }
    (void)lists[2];
    return w;
}

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 20;
    if (runs < 3) runs = 3;
    const char *out_dir = "build/bench-out";
    mkdir("build", 0777);
    mkdir(out_dir, 0777);

    /* Whole processes first, while this one is small (see run_process). */
    double *pt = calloc((size_t)runs, sizeof *pt);
    proc_stats_t start_up, handbook, every;
    char *version_argv[] = {"./grundlag", "--version", NULL};
    char *handbook_argv[] = {"./grundlag", "render", "-o", "build/bench-out/process.pdf", "layouts/handbook.yaml", NULL};
    char *every_argv[80] = {"./grundlag", "render", "--out-dir", "build/bench-out/every"};
    int nlayouts = list_layouts(every_argv + 4, 75);
    every_argv[4 + nlayouts] = NULL;
    if (!pt || !run_process(version_argv, runs, pt, &start_up) || !run_process(handbook_argv, runs, pt, &handbook) ||
        !run_process(every_argv, runs < 10 ? runs : 10, pt, &every)) {
        fprintf(stderr, "bench: a grundlag process failed (run `make` first)\n");
        return 1;
    }
    for (int k = 0; k < nlayouts; k++) free(every_argv[4 + k]);
    free(pt);

    printf("grundlag benchmark, whole processes (%d runs each; every layout: %d)\n\n", runs, runs < 10 ? runs : 10);
    printf("| %-40s | %9s | %15s | %10s | %7s |\n", "process", "median ms", "min–max ms", "kernel", "peak RSS");
    printf("|%s|%s|%s|%s|%s|\n", "------------------------------------------", "-----------", "-----------------",
           "------------", "---------");
    const struct { const char *name; const proc_stats_t *p; } procs[] = {
        {"grundlag --version (start-up)", &start_up},
        {"grundlag render layouts/handbook.yaml", &handbook},
        {"grundlag render (every layout)", &every},
    };
    for (size_t i = 0; i < 3; i++) {
        const proc_stats_t *p = procs[i].p;
        printf("| %-40s | %9.2f | %7.2f–%-7.2f | %9.0f%% | %5.1f MB |\n", procs[i].name, p->wall.median * 1e3,
               p->wall.min * 1e3, p->wall.max * 1e3, 100 * p->sys / (p->user + p->sys), p->rss_kb / 1024.0);
    }
    printf("\n(kernel: the share of the process's CPU time spent in the kernel: mapping, page faults, files)\n\n");

    diag_t *d = diag_new(stderr);

    char *layouts[64];
    int nl = list_layouts(layouts, 64);

    printf("grundlag benchmark: %d runs per job, in one process (fonts loaded once per job run)\n\n", runs);
    printf("| %-34s | %8s | %15s | %5s | %9s | %8s | %6s |\n", "job", "median ms", "min–max ms", "pages",
           "pages/s", "bytes", "RSS MB");
    printf("|%s|%s|%s|%s|%s|%s|%s|\n", "------------------------------------", "----------", "-----------------",
           "-------", "-----------", "----------", "--------");

    double *t = calloc((size_t)runs, sizeof *t);
    /* Each layout: load data and layout, typeset, write. */
    for (int l = 0; l < nl; l++) {
        size_t pages = 0;
        char path[512];
        for (int r = 0; r < runs; r++) {
            double t0 = now();
            fontset_t *fs = fontset_new();
            model_t *m = model_load("data/ledelsesgrundlag.yaml", d);
            spec_t *s = spec_load(layouts[l], NULL, kind_names(), d);
            render_options_t o = {0};
            o.out_dir = out_dir;
            o.fonts = fs;
            if (!m || !s || render_layout(m, s, &o, d) != RENDER_OK) {
                fprintf(stderr, "bench: %s failed\n", layouts[l]);
                return 1;
            }
            t[r] = now() - t0;
            snprintf(path, sizeof path, "%s/%s.pdf", out_dir, s->stem);
            spec_drop(s);
            model_drop(m);
            fontset_drop(fs);
        }
        /* The page count: typeset once more (cheaper than parsing the PDF). */
        {
            fontset_t *fs = fontset_new();
            model_t *m = model_load("data/ledelsesgrundlag.yaml", d);
            spec_t *s = spec_load(layouts[l], NULL, kind_names(), d);
            typeset_t *ts = typeset_new(s, m, fs, d);
            doc_t *doc = compose_doc(s, m, ts, d);
            if (doc) pages = doc->page_count;
            doc_drop(doc);
            typeset_drop(ts);
            spec_drop(s);
            model_drop(m);
            fontset_drop(fs);
        }
        char job[80];
        snprintf(job, sizeof job, "render %s", layouts[l] + 8);
        row(job, summarise(t, runs), pages, file_size(path));
    }

    /* Every layout in one process, fonts loaded once. */
    {
        size_t pages = 0;
        long bytes = 0;
        for (int r = 0; r < runs; r++) {
            double t0 = now();
            fontset_t *fs = fontset_new();
            model_t *m = model_load("data/ledelsesgrundlag.yaml", d);
            for (int l = 0; l < nl; l++) {
                spec_t *s = spec_load(layouts[l], NULL, kind_names(), d);
                render_options_t o = {0};
                o.out_dir = out_dir;
                o.fonts = fs;
                if (!s || render_layout(m, s, &o, d) != RENDER_OK) return 1;
                if (r == 0) {
                    char path[512];
                    snprintf(path, sizeof path, "%s/%s.pdf", out_dir, s->stem);
                    bytes += file_size(path);
                }
                spec_drop(s);
            }
            model_drop(m);
            fontset_drop(fs);
            t[r] = now() - t0;
        }
        (void)pages;
        row("all layouts in one process", summarise(t, runs), 0, bytes);
    }

    /* 1,000 personalised worksheets from a generated roster. */
    {
        const char *roster = "build/bench-out/roster-1000.csv";
        FILE *f = fopen(roster, "w");
        if (!f) return 1;
        static const char *ids[] = {"direktoer", "fag-og-stabschef", "kontraktholder", "leder-af-leder",
                                    "leder-af-medarbejder", "medarbejder"};
        static const char *first[] = {"Anne", "Bo", "Søren", "Mette", "Lars", "Ida", "Jens", "Åse", "Kirsten", "Mikkel"};
        static const char *last[] = {"Hansen", "Jensen", "Nielsen", "Sørensen", "Kjær", "Østergaard", "Møller"};
        fputs("name,profile,seminar,date\n", f);
        for (int i = 0; i < 1000; i++)
            fprintf(f, "%s %s %d,%s,Ledelsesseminar,2027-03-%02d\n", first[i % 10], last[i % 7], i, ids[i % 6], 1 + i % 28);
        fclose(f);
        int n = runs < 5 ? runs : 5;
        for (int split = 0; split < 2; split++) {
            size_t pages = 0;
            long bytes = 0;
            for (int r = 0; r < n; r++) {
                double t0 = now();
                fontset_t *fs = fontset_new();
                model_t *m = model_load("data/ledelsesgrundlag.yaml", d);
                spec_t *s = spec_load("layouts/worksheet.yaml", NULL, kind_names(), d);
                render_options_t o = {0};
                o.roster = roster;
                o.fonts = fs;
                o.split = split;
                o.out_dir = split ? "build/bench-out/split" : NULL;
                o.output = split ? NULL : "build/bench-out/worksheets-1000.pdf";
                if (!m || !s || render_layout(m, s, &o, d) != RENDER_OK) return 1;
                spec_drop(s);
                model_drop(m);
                fontset_drop(fs);
                t[r] = now() - t0;
            }
            if (!split) {
                bytes = file_size("build/bench-out/worksheets-1000.pdf");
                FILE *p = popen("pdfinfo build/bench-out/worksheets-1000.pdf | sed -n 's/^Pages: *//p'", "r");
                if (p && fscanf(p, "%zu", &pages) != 1) pages = 0;
                if (p) pclose(p);
            }
            row(split ? "1,000 worksheets, --split (1,000 PDFs)" : "1,000 worksheets into one PDF", summarise(t, n),
                pages, bytes);
        }
    }

    /* Where the handbook's process time goes: `--timings` of whole
     * processes (medians over the runs), against the process's wall time;
     * start-up is a process that does nothing (--version). */
    {
        int n = runs < 64 ? runs : 64;
        double st[6][64]; /* load shape break page write main */
        for (int r = 0; r < n; r++) {
            FILE *p = popen("./grundlag render --timings -o build/bench-out/process.pdf layouts/handbook.yaml 2>&1", "r");
            char line[512] = "";
            if (!p || !fgets(line, sizeof line, p)) return 1;
            pclose(p);
            if (sscanf(line,
                       "grundlag: timings: load %lf ms, shape %lf ms, break %lf ms, page %lf ms, write %lf ms, main %lf",
                       &st[0][r], &st[1][r], &st[2][r], &st[3][r], &st[4][r], &st[5][r]) != 6) {
                fprintf(stderr, "bench: unexpected --timings line: %s", line);
                return 1;
            }
        }
        double med[6];
        for (int k = 0; k < 6; k++) med[k] = summarise(st[k], n).median / 1e3;
        double whole = handbook.wall.median, start = start_up.wall.median;
        printf("\nWhere the time of `grundlag render layouts/handbook.yaml` goes (medians of %d runs with "
               "--timings):\n\n",
               n);
        printf("| %-58s | %8s | %6s |\n", "stage", "ms", "share");
        printf("|%s|%s|%s|\n", "------------------------------------------------------------", "----------",
               "--------");
        const struct { const char *name; double v; } rows[] = {
            {"start-up and exit (exec, dynamic linking: `--version`)", start},
            {"load (data, layout, fonts, hyphenation patterns)", med[0]},
            {"shape (HarfBuzz, runs not shaped before)", med[1]},
            {"break (total-fit line breaking)", med[2]},
            {"page (hyphenation, setting lines, page building)", med[3]},
            {"write (drawing, font subsets, deflate, structure, file)", med[4]},
            {"rest (options, input checks, freeing)", med[5] - med[0] - med[1] - med[2] - med[3] - med[4]},
        };
        for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
            printf("| %-58s | %8.2f | %5.1f%% |\n", rows[i].name, rows[i].v * 1e3, 100 * rows[i].v / whole);
        printf("| %-58s | %8.2f | %5.1f%% |\n", "whole process (median wall time)", whole * 1e3, 100.0);
        model_t *m = model_load("data/ledelsesgrundlag.yaml", d);
        size_t words = m ? count_words(m) : 0;
        model_drop(m);
        printf("\nKernel: %.0f%% of the process's CPU time (%.1f of %.1f ms per run, page faults and files "
               "included above). Shaping, breaking and page building: %.0f words/s (%zu words).\n",
               100 * handbook.sys / (handbook.user + handbook.sys), 1e3 * handbook.sys / runs,
               1e3 * (handbook.user + handbook.sys) / runs, words / (med[1] + med[2] + med[3]), words);
    }
    free(t);
    for (int i = 0; i < nl; i++) free(layouts[i]);
    diag_drop(d);
    return 0;
}
