/* form_tool: what the end-to-end tests do to a fillable worksheet that a
 * participant's PDF viewer would, and what they check of its fields, with
 * libqpdf (a test helper, not part of grundlag).
 *   form_tool fill IN.pdf OUT.pdf NAME=VALUE...
 *       sets fields by their fully qualified names: a text field's /V (UTF-8;
 *       "\n" in VALUE is a line break), a radio group's /V and its buttons'
 *       /AS; marks the form /NeedAppearances true, as a viewer that makes
 *       no appearances must (`qpdf --generate-appearances` then makes them).
 *       Exit 1 naming a field that is not there.
 *   form_tool list FILE.pdf
 *       a line per widget, in the order of the pages' /Annots:
 *       PAGE NAME TYPE tu=yes|no sp=N|none objr=ELEMENT|none tabs=S|none f=F ff=FF ap=STATE,...
 *       ELEMENT: the /S of the structure element whose OBJR names it; F the
 *       widget's annotation flags (/F: 4 print, 2 hidden), FF the field's
 *       (/Ff: 1 read-only); ap: the states of /AP /N (a text field's "N"),
 *       then "/D:" and /D's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qpdf/qpdf-c.h>

static qpdf_data q;

static qpdf_oh get(qpdf_oh oh, const char *key) {
    return qpdf_oh_is_dictionary(q, oh) ? qpdf_oh_get_key(q, oh, key) : qpdf_oh_new_null(q);
}

static int count(qpdf_oh a) { return qpdf_oh_is_array(q, a) ? qpdf_oh_get_array_n_items(q, a) : 0; }

/* ---- fill --------------------------------------------------------------------- */

static int set_field(qpdf_oh f, const char *value) {
    qpdf_oh ft = get(f, "/FT");
    if (qpdf_oh_is_name_and_equals(q, ft, "/Tx")) {
        char *v = malloc(strlen(value) + 1), *w = v;
        for (const char *s = value; *s; s++) {
            if (s[0] == '\\' && s[1] == 'n') {
                *w++ = '\n';
                s++;
            } else {
                *w++ = *s;
            }
        }
        *w = '\0';
        qpdf_oh_replace_key(q, f, "/V", qpdf_oh_new_unicode_string(q, v));
        free(v);
        return 1;
    }
    char state[64];
    snprintf(state, sizeof state, "/%s", *value ? value : "Off");
    qpdf_oh_replace_key(q, f, "/V", qpdf_oh_new_name(q, state));
    qpdf_oh kids = get(f, "/Kids");
    for (int i = 0; i < count(kids); i++) {
        qpdf_oh w = qpdf_oh_get_array_item(q, kids, i);
        int has = qpdf_oh_has_key(q, get(get(w, "/AP"), "/N"), state);
        qpdf_oh_replace_key(q, w, "/AS", qpdf_oh_new_name(q, has ? state : "/Off"));
    }
    return 1;
}

/* The field named `name` under `f` (whose name so far is `prefix`). */
static int find(qpdf_oh f, const char *prefix, const char *name, const char *value, int depth) {
    if (depth > 16) return 0;
    qpdf_oh t = get(f, "/T");
    char full[1024];
    if (qpdf_oh_is_string(q, t))
        snprintf(full, sizeof full, "%s%s%s", prefix, *prefix ? "." : "", qpdf_oh_get_utf8_value(q, t));
    else
        snprintf(full, sizeof full, "%s", prefix);
    if (strcmp(full, name) == 0 && qpdf_oh_has_key(q, f, "/FT")) return set_field(f, value);
    size_t n = strlen(full);
    if (n && (strncmp(name, full, n) != 0 || name[n] != '.')) return 0;
    qpdf_oh kids = get(f, "/Kids");
    for (int i = 0; i < count(kids); i++)
        if (find(qpdf_oh_get_array_item(q, kids, i), full, name, value, depth + 1)) return 1;
    return 0;
}

static int fill(int argc, char **argv) {
    if (qpdf_read(q, argv[2], NULL) & QPDF_ERRORS) {
        fprintf(stderr, "form_tool: cannot read %s\n", argv[2]);
        return 1;
    }
    qpdf_oh form = get(qpdf_get_root(q), "/AcroForm"), fields = get(form, "/Fields");
    for (int a = 4; a < argc; a++) {
        char *eq = strchr(argv[a], '=');
        if (!eq) return fprintf(stderr, "form_tool: NAME=VALUE, not '%s'\n", argv[a]), 1;
        *eq = '\0';
        int found = 0;
        for (int i = 0; i < count(fields) && !found; i++)
            found = find(qpdf_oh_get_array_item(q, fields, i), "", argv[a], eq + 1, 0);
        if (!found) return fprintf(stderr, "form_tool: no field '%s' in %s\n", argv[a], argv[2]), 1;
    }
    qpdf_oh_replace_key(q, form, "/NeedAppearances", qpdf_oh_new_bool(q, QPDF_TRUE));
    if (qpdf_init_write(q, argv[3]) & QPDF_ERRORS) return fprintf(stderr, "form_tool: cannot write %s\n", argv[3]), 1;
    qpdf_set_deterministic_ID(q, QPDF_TRUE);
    if (qpdf_write(q) & QPDF_ERRORS) return fprintf(stderr, "form_tool: cannot write %s\n", argv[3]), 1;
    return 0;
}

/* ---- list --------------------------------------------------------------------- */

typedef struct objr {
    int id;
    const char *elem;
} objr_t;

static objr_t *objrs;
static size_t nobjr, capobjr;

/* Every OBJR under structure element `e` (of type `s`), recorded. */
static void walk(qpdf_oh e, const char *s, int depth) {
    if (depth > 64) return;
    qpdf_oh k = get(e, "/K");
    int n = qpdf_oh_is_array(q, k) ? count(k) : 1;
    for (int i = 0; i < n; i++) {
        qpdf_oh kid = qpdf_oh_is_array(q, k) ? qpdf_oh_get_array_item(q, k, i) : k;
        if (!qpdf_oh_is_dictionary(q, kid)) continue;
        qpdf_oh type = get(kid, "/Type");
        if (qpdf_oh_is_name_and_equals(q, type, "/OBJR")) {
            if (nobjr == capobjr) objrs = realloc(objrs, (capobjr = capobjr ? capobjr * 2 : 64) * sizeof *objrs);
            objrs[nobjr++] = (objr_t){qpdf_oh_get_object_id(q, get(kid, "/Obj")), s};
        } else if (qpdf_oh_has_key(q, kid, "/S")) {
            walk(kid, strdup(qpdf_oh_get_name(q, get(kid, "/S")) + 1), depth + 1); /* kept: names are few */
        }
    }
}

static void full_name(qpdf_oh f, char *out, size_t size) {
    char parts[16][256];
    int n = 0;
    for (qpdf_oh x = f; n < 16 && qpdf_oh_is_dictionary(q, x); x = get(x, "/Parent"))
        if (qpdf_oh_is_string(q, get(x, "/T"))) snprintf(parts[n++], 256, "%s", qpdf_oh_get_utf8_value(q, get(x, "/T")));
    out[0] = '\0';
    for (int i = n - 1; i >= 0; i--) {
        strncat(out, parts[i], size - strlen(out) - 1);
        if (i) strncat(out, ".", size - strlen(out) - 1);
    }
}

static void states(qpdf_oh d) {
    if (qpdf_oh_is_stream(q, d)) {
        fputs("N", stdout);
        return;
    }
    int first = 1;
    qpdf_oh_begin_dict_key_iter(q, d);
    while (qpdf_oh_dict_more_keys(q)) {
        const char *k = qpdf_oh_dict_next_key(q);
        if (!qpdf_oh_is_stream(q, get(d, k))) continue;
        printf("%s%s", first ? "" : ",", k + 1);
        first = 0;
    }
}

static int list(const char *path) {
    if (qpdf_read(q, path, NULL) & QPDF_ERRORS) {
        fprintf(stderr, "form_tool: cannot read %s\n", path);
        return 1;
    }
    walk(get(qpdf_get_root(q), "/StructTreeRoot"), "StructTreeRoot", 0);
    int pages = qpdf_get_num_pages(q);
    for (int p = 0; p < pages; p++) {
        qpdf_oh page = qpdf_get_page_n(q, (size_t)p);
        qpdf_oh annots = get(page, "/Annots"), tabs = get(page, "/Tabs");
        for (int i = 0; i < count(annots); i++) {
            qpdf_oh a = qpdf_oh_get_array_item(q, annots, i);
            if (!qpdf_oh_is_name_and_equals(q, get(a, "/Subtype"), "/Widget")) continue;
            qpdf_oh field = qpdf_oh_has_key(q, a, "/FT") ? a : get(a, "/Parent");
            char name[1024];
            full_name(field, name, sizeof name);
            const char *elem = "none";
            int id = qpdf_oh_get_object_id(q, a);
            for (size_t k = 0; k < nobjr; k++)
                if (objrs[k].id == id) elem = objrs[k].elem;
            qpdf_oh sp = get(a, "/StructParent");
            printf("%d %s %s tu=%s ", p + 1, name, qpdf_oh_get_name(q, get(field, "/FT")) + 1,
                   qpdf_oh_is_string(q, get(field, "/TU")) && *qpdf_oh_get_utf8_value(q, get(field, "/TU")) ? "yes"
                                                                                                           : "no");
            if (qpdf_oh_is_integer(q, sp)) printf("sp=%d ", qpdf_oh_get_int_value_as_int(q, sp));
            else fputs("sp=none ", stdout);
            printf("objr=%s tabs=%s ", elem, qpdf_oh_is_name(q, tabs) ? qpdf_oh_get_name(q, tabs) + 1 : "none");
            qpdf_oh f = get(a, "/F"), ff = get(field, "/Ff");
            printf("f=%d ff=%d ap=", qpdf_oh_is_integer(q, f) ? qpdf_oh_get_int_value_as_int(q, f) : 0,
                   qpdf_oh_is_integer(q, ff) ? qpdf_oh_get_int_value_as_int(q, ff) : 0);
            states(get(get(a, "/AP"), "/N"));
            if (qpdf_oh_has_key(q, get(a, "/AP"), "/D")) {
                fputs(" /D:", stdout);
                states(get(get(a, "/AP"), "/D"));
            }
            fputc('\n', stdout);
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    int rc = 2;
    if (argc >= 4 && strcmp(argv[1], "fill") == 0) rc = fill(argc, argv);
    else if (argc == 3 && strcmp(argv[1], "list") == 0) rc = list(argv[2]);
    else fputs("usage: form_tool fill IN.pdf OUT.pdf NAME=VALUE... | form_tool list FILE.pdf\n", stderr);
    qpdf_cleanup(&q);
    free(objrs);
    return rc;
}
