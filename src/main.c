/* grundlag: the command line. Parses arguments, calls the library, maps
 * failures to exit codes (0 ok, 1 bad input, 2 usage, 3 I/O). The only
 * place that prints usage or calls exit(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"
#include "diag.h"
#include "model.h"
#include "kinds/kinds.h"
#include "render.h"
#include "roster.h"
#include "stopwatch.h"
#include "typeset.h"
#include "outfile.h"
#include "print.h"
#include "spec.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

static const char usage_text[] =
    "usage:\n"
    "  grundlag render [--data FILE] [--roster FILE] [--profiles ID,...] [--dimensions KEY,...]\n"
    "                  [-o FILE | --out-dir DIR] [--split] [--format pdf|trace|trace-glyphs] [--timings]\n"
    "                  LAYOUT.yaml...\n"
    "  grundlag check  [--data FILE] [--roster FILE] [--timings] [LAYOUT.yaml...]   validate only\n"
    "  grundlag list   [--data FILE]                    profile ids and titles\n"
    "  grundlag collect [--data FILE] [-o FILE.csv] FILLED.pdf...   answers of fillable worksheets as CSV\n"
    "  grundlag --help | --version\n";

static const char help_text[] =
    "grundlag turns a leadership framework (YAML data) into print-ready PDFs, one\n"
    "document per layout description (YAML): handbook, role cards, comparison\n"
    "posters and reflection worksheets.\n"
    "\n"
    "options:\n"
    "  --data FILE          the framework data (default: data/ledelsesgrundlag.yaml under the\n"
    "                       working directory, else the installed copy)\n"
    "  --roster FILE        participants (CSV: name, profile, ...) for personalised worksheets;\n"
    "                       'check --roster FILE' validates it (with layouts: as they would use it)\n"
    "  --profiles ID,...    only these profiles, in this order\n"
    "  --dimensions KEY,... only these dimensions (poster rows), in this order\n"
    "  -o FILE              output file (one layout only); '-' is standard output\n"
    "                       (collect: the CSV, standard output when not given)\n"
    "  --out-dir DIR        write DIR/<layout>.pdf (default: out/)\n"
    "  --split              one PDF per profile or participant, under DIR/<layout>/\n"
    "  --format FORMAT      pdf (default), or the display list as text for tests and\n"
    "                       debugging: trace (a line per line of text) or trace-glyphs\n"
    "                       (every glyph); the file is named <layout>.trace\n"
    "  --timings            at the end, print where the run's time went (load, shape,\n"
    "                       break, page, write), its kernel time and peak memory to stderr\n"
    "\n"
    "exit status: 0 success, 1 bad input, 2 usage error, 3 I/O error\n";

static void usage_error(const char *fmt, const char *arg) {
    fputs("grundlag: error: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n", stderr);
    fputs(usage_text, stderr);
}

static int file_exists(const char *p) { return access(p, F_OK) == 0; }

/* --data defaults to the working directory's copy, then the installed one. */
static const char *default_data(char *buf, size_t n) {
    const char *local = "data/ledelsesgrundlag.yaml";
    if (file_exists(local)) return local;
    const char *dir = getenv("GRUNDLAG_DATADIR");
    snprintf(buf, n, "%s/data/ledelsesgrundlag.yaml", dir && *dir ? dir : GRUNDLAG_DATADIR);
    return file_exists(buf) ? buf : local;
}

static const char *installed_fonts(char *buf, size_t n) {
    const char *dir = getenv("GRUNDLAG_DATADIR");
    snprintf(buf, n, "%s/fonts", dir && *dir ? dir : GRUNDLAG_DATADIR);
    return buf;
}

typedef struct cli {
    const char *command;
    const char *data;
    render_options_t ro;
    const char **layouts;
    int layout_count;
    bool timings;
} cli_t;

/* Returns 0 or EXIT_USAGE. Accepts "--opt VALUE" and "--opt=VALUE". */
static int parse_args(int argc, char **argv, cli_t *c) {
    c->layouts = calloc((size_t)argc, sizeof *c->layouts);
    if (!c->layouts) return EXIT_USAGE;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        char name[32];
        if (strncmp(a, "--", 2) == 0 && strchr(a, '=')) {
            size_t n = (size_t)(strchr(a, '=') - a);
            if (n >= sizeof name) n = sizeof name - 1;
            memcpy(name, a, n);
            name[n] = '\0';
            val = strchr(a, '=') + 1;
            a = name;
        }
#define TAKE_VALUE()                                                  \
    do {                                                              \
        if (!val) {                                                   \
            if (i + 1 >= argc) {                                      \
                usage_error("option '%s' needs a value", a);          \
                return EXIT_USAGE;                                    \
            }                                                         \
            val = argv[++i];                                          \
        }                                                             \
    } while (0)
        if (strcmp(a, "--data") == 0) { TAKE_VALUE(); c->data = val; }
        else if (strcmp(a, "--roster") == 0) { TAKE_VALUE(); c->ro.roster = val; }
        else if (strcmp(a, "--profiles") == 0) { TAKE_VALUE(); c->ro.profiles = val; }
        else if (strcmp(a, "--dimensions") == 0) { TAKE_VALUE(); c->ro.dimensions = val; }
        else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) { TAKE_VALUE(); c->ro.output = val; }
        else if (strcmp(a, "--out-dir") == 0) { TAKE_VALUE(); c->ro.out_dir = val; }
        else if (strcmp(a, "--split") == 0 && !val) c->ro.split = true;
        else if (strcmp(a, "--timings") == 0 && !val) c->timings = true;
        else if (strcmp(a, "--format") == 0) {
            TAKE_VALUE();
            if (strcmp(val, "pdf") == 0) c->ro.format = RENDER_PDF;
            else if (strcmp(val, "trace") == 0) c->ro.format = RENDER_TRACE;
            else if (strcmp(val, "trace-glyphs") == 0) c->ro.format = RENDER_TRACE_GLYPHS;
            else { usage_error("--format takes pdf, trace or trace-glyphs, not '%s'", val); return EXIT_USAGE; }
        }
        else if (a[0] == '-' && a[1] != '\0') { usage_error("unknown option '%s'", argv[i]); return EXIT_USAGE; }
        else c->layouts[c->layout_count++] = a;
#undef TAKE_VALUE
    }
    bool is_render = strcmp(c->command, "render") == 0, is_check = strcmp(c->command, "check") == 0;
    if (strcmp(c->command, "collect") == 0) {
        if (c->ro.profiles || c->ro.dimensions || c->ro.out_dir || c->ro.split || c->ro.format != RENDER_PDF ||
            c->ro.roster || c->timings) {
            usage_error("%s", "'collect' takes only --data, -o and the filled-in PDFs");
            return EXIT_USAGE;
        }
        if (c->layout_count == 0) {
            usage_error("%s", "'collect' needs at least one filled-in worksheet (FILLED.pdf)");
            return EXIT_USAGE;
        }
        return 0;
    }
    if (!is_render && (c->ro.profiles || c->ro.dimensions || c->ro.output || c->ro.out_dir || c->ro.split ||
                       c->ro.format != RENDER_PDF || (c->ro.roster && !is_check) || (c->timings && !is_check))) {
        usage_error("'%s' takes only --data and layouts", c->command);
        return EXIT_USAGE;
    }
    if (strcmp(c->command, "list") == 0 && c->layout_count) {
        usage_error("'list' takes no layouts (got '%s')", c->layouts[0]);
        return EXIT_USAGE;
    }
    if (is_render) {
        if (c->layout_count == 0) { usage_error("%s", "'render' needs at least one LAYOUT.yaml"); return EXIT_USAGE; }
        if (c->ro.output && c->ro.out_dir) { usage_error("%s", "use either -o or --out-dir, not both"); return EXIT_USAGE; }
        if (c->ro.output && c->layout_count > 1) {
            usage_error("%s", "-o names one file; with several layouts use --out-dir");
            return EXIT_USAGE;
        }
        if (c->ro.output && c->ro.split) { usage_error("%s", "--split writes several files; use --out-dir"); return EXIT_USAGE; }
        if (c->ro.output && strcmp(c->ro.output, "-") == 0 && isatty(1)) {
            usage_error("%s", "-o - writes the PDF to standard output, which is a terminal; redirect it (> FILE.pdf) or "
                              "pipe it");
            return EXIT_USAGE;
        }
        if (!c->ro.output && !c->ro.out_dir) c->ro.out_dir = "out";
    }
    return 0;
}

/* A progress bar on stderr, only when it is a terminal. */
static void progress_bar(size_t done, size_t total, void *ctx) {
    (void)ctx;
    if (total < 20) return;
    int width = 40, filled = (int)(done * (size_t)width / total);
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu", filled, "########################################", width - filled, "", done,
            total);
    if (done == total) fputc('\n', stderr);
    fflush(stderr);
}

static int cmd_list(const model_t *m) {
    size_t wid = 2;
    for (size_t i = 0; i < m->profile_count; i++)
        if (strlen(m->profiles[i].id) > wid) wid = strlen(m->profiles[i].id);
    for (size_t i = 0; i < m->profile_count; i++) {
        const model_profile_t *p = &m->profiles[i];
        /* Pad by characters, not bytes: "Direktør" is 9 bytes, 8 letters. */
        size_t chars = 0;
        for (const char *t = p->title.text; *t; t++) chars += ((unsigned char)*t & 0xC0) != 0x80;
        printf("%-*s  %s%*s  %2zu sections  %3zu bullets\n", (int)wid, p->id, p->title.text,
               chars < 28 ? (int)(28 - chars) : 0, "", p->section_count, model_profile_bullet_count(p));
    }
    return EXIT_OK;
}

/* The answers of the filled-in worksheets (c->layouts) as CSV into -o, or
 * standard output: all of it, or nothing. */
static int cmd_collect(const model_t *m, const cli_t *c, diag_t *d) {
    size_t len = 0;
    char *csv = collect_csv(m, c->layouts, (size_t)c->layout_count, &len, d);
    if (!csv) return EXIT_INPUT;
    outfile_inputs_t *inputs = outfile_inputs_new();
    outfile_inputs_add(inputs, c->data, "the data file");
    for (int i = 0; i < c->layout_count; i++) outfile_inputs_add(inputs, c->layouts[i], "a worksheet");
    outfile_t of;
    int rc = EXIT_IO;
    if (outfile_begin(&of, c->ro.output ? c->ro.output : "-", inputs, d)) {
        if (fwrite(csv, 1, len, of.fp) == len) {
            if (outfile_commit(&of, d)) rc = EXIT_OK;
        } else {
            diag_error(d, diag_file(c->ro.output ? c->ro.output : "standard output"), "cannot write the CSV");
            outfile_abort(&of);
        }
    }
    outfile_inputs_drop(inputs);
    free(csv);
    return rc;
}

int main(int argc, char **argv) {
    double t_start = stopwatch_now();
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(usage_text, stdout);
        fputs("\n", stdout);
        fputs(help_text, stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("grundlag %s\n", GRUNDLAG_VERSION);
        return EXIT_OK;
    }
    cli_t c = {0};
    c.command = argv[1];
    if (strcmp(c.command, "render") && strcmp(c.command, "check") && strcmp(c.command, "list") &&
        strcmp(c.command, "collect")) {
        usage_error("unknown command '%s'", c.command);
        return EXIT_USAGE;
    }
    int rc = parse_args(argc, argv, &c);
    if (rc) {
        free(c.layouts);
        return rc;
    }
    char databuf[4096], fontbuf[4096];
    if (!c.data) c.data = default_data(databuf, sizeof databuf);
    const char *fonts = installed_fonts(fontbuf, sizeof fontbuf);

    diag_t *d = diag_new(stderr);
    outfile_install_signal_cleanup();
    c.ro.fonts = fontset_new();
    if (isatty(2)) c.ro.progress = progress_bar;
    /* Reproducible builds: no date in the PDFs unless SOURCE_DATE_EPOCH
     * gives one (https://reproducible-builds.org/specs/source-date-epoch/). */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end || v < 0 || v > 253402300799LL) {
            fprintf(stderr, "grundlag: error: SOURCE_DATE_EPOCH must be a number of seconds since 1970, found '%s'\n", sde);
            diag_drop(d);
            fontset_drop(c.ro.fonts);
            free(c.layouts);
            return EXIT_USAGE;
        }
        c.ro.has_epoch = true;
        c.ro.epoch = v;
    }
    if (c.timings) stopwatch_reset();
    double t0 = stopwatch_start();
    model_t *m = model_load(c.data, d);
    if (strcmp(c.command, "collect") == 0) {
        rc = m ? cmd_collect(m, &c, d) : EXIT_INPUT;
        model_drop(m);
        fontset_drop(c.ro.fonts);
        diag_drop(d);
        free(c.layouts);
        return rc;
    }
    /* Validate every layout even when the data failed: one run, all errors. */
    spec_t **specs = calloc((size_t)c.layout_count + 1, sizeof *specs);
    for (int i = 0; i < c.layout_count; i++) specs[i] = spec_load(c.layouts[i], fonts, kind_names(), d);
    stopwatch_stop(STOPWATCH_LOAD, t0);
    /* Every file the run reads: no output may replace one. */
    outfile_inputs_t *inputs = outfile_inputs_new();
    outfile_inputs_add(inputs, c.data, "the data file");
    outfile_inputs_add(inputs, c.ro.roster, "the roster");
    char path[4096];
    if (m) {
        typeset_hyphen_path(m, path, sizeof path);
        outfile_inputs_add(inputs, path, "the hyphenation patterns");
    }
    for (int i = 0; i < c.layout_count; i++) {
        outfile_inputs_add(inputs, c.layouts[i], "a layout");
        for (size_t f = 0; specs[i] && f < specs[i]->family_count; f++)
            for (int face = 0; face < SPEC_FACE_COUNT; face++)
                outfile_inputs_add(inputs, specs[i]->families[f].files[face], "a font file");
        if (specs[i] && print_profile_path(specs[i], path, sizeof path))
            outfile_inputs_add(inputs, path, "the ICC output profile");
    }
    c.ro.inputs = inputs;
    if (diag_error_count(d) > 0) {
        rc = EXIT_INPUT;
    } else if (strcmp(c.command, "render") == 0 && !render_outputs_distinct(specs, c.layout_count, &c.ro, d)) {
        rc = EXIT_USAGE;
    } else if (strcmp(c.command, "list") == 0) {
        rc = cmd_list(m);
    } else {
        render_status_t st = RENDER_OK;
        if (c.ro.roster && c.layout_count == 0) {
            /* `check --roster FILE`: the roster against the data, with the
             * messages `render` gives. */
            roster_t *r = roster_load(c.ro.roster, m, d);
            st = r ? RENDER_OK : RENDER_INPUT;
            roster_drop(r);
        }
        for (int i = 0; i < c.layout_count && st == RENDER_OK; i++) {
            c.ro.dry_run = strcmp(c.command, "check") == 0;
            c.ro.installed_fonts = fonts;
            st = render_layout(m, specs[i], &c.ro, d);
        }
        rc = st == RENDER_OK ? EXIT_OK : st == RENDER_USAGE ? EXIT_USAGE : st == RENDER_IO ? EXIT_IO : EXIT_INPUT;
        if (rc == EXIT_OK && strcmp(c.command, "check") == 0) {
            size_t bullets = 0;
            for (size_t i = 0; i < m->profile_count; i++) bullets += model_profile_bullet_count(&m->profiles[i]);
            printf("ok: %s (%zu profiles, %zu dimensions, %zu bullets)", c.data, m->profile_count,
                   m->dimension_count, bullets);
            if (c.layout_count) printf(" and %d layout%s", c.layout_count, c.layout_count == 1 ? "" : "s");
            if (c.ro.roster) printf("%s roster %s", c.layout_count ? " with" : " and", c.ro.roster);
            printf("\n");
        }
    }
    for (int i = 0; i < c.layout_count; i++) spec_drop(specs[i]);
    free(specs);
    outfile_inputs_drop(inputs);
    model_drop(m);
    fontset_drop(c.ro.fonts);
    diag_drop(d);
    free(c.layouts);
    if (c.timings) stopwatch_print(stderr, t_start);
    return rc;
}
