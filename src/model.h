/* model: the framework data (data/ YAML files) as an in-memory model: document
 * metadata, foreword, dimensions, profiles with their group, sections and
 * pitfalls. Owns loading and validating the data file. Knows nothing of
 * pages, fonts or layouts. Everything lives in one arena freed by model_drop. */
#ifndef GRUNDLAG_MODEL_H
#define GRUNDLAG_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* A piece of text from the data, with where it came from (for errors that
 * must name the text, e.g. a character no font has). Text is UTF-8, NFC
 * normalised is NOT guaranteed: the typesetter normalises. Inline markup
 * (*italic*, **bold**) is kept as written. */
typedef struct model_text {
    const char *text;
    diag_loc_t loc;
} model_text_t;

typedef struct model_list {
    model_text_t *items;
    size_t count;
} model_list_t;

typedef struct model_dimension {
    const char *key;
    const char *label;
    diag_loc_t loc;
} model_dimension_t;

typedef struct model_section {
    const char *dimension;   /* key into model_t.dimensions */
    size_t dimension_index;  /* index into model_t.dimensions */
    model_text_t heading;    /* the profile's own heading; defaults to the label */
    model_list_t bullets;
    diag_loc_t loc;
} model_section_t;

/* The leadership community the profile belongs to and its shared task. */
typedef struct model_group {
    model_text_t name;     /* e.g. "Direktion" */
    model_text_t heading;  /* e.g. "Den fælles opgave" */
    model_list_t bullets;
    int present;
} model_group_t;

typedef struct model_pitfalls {
    model_text_t heading;  /* e.g. "Typiske faldgruber" */
    model_list_t bullets;
    int present;
} model_pitfalls_t;

typedef struct model_profile {
    const char *id;
    model_text_t title;
    model_group_t group;
    model_section_t *sections;
    size_t section_count;
    model_pitfalls_t pitfalls;
    diag_loc_t loc;
} model_profile_t;

typedef struct model {
    const char *path;
    model_text_t title;
    model_text_t subtitle;       /* optional: text is NULL when absent */
    model_text_t organisation;
    const char *language;        /* BCP 47, e.g. "da-DK" */
    model_text_t edition;        /* optional: "1. udgave, december 2026" (a back cover prints it) */
    bool has_date;               /* document.date: the edition's date */
    long long date;              /* its midnight UTC, seconds since 1970 */
    model_text_t foreword_title; /* optional */
    model_list_t foreword;       /* paragraphs; may be empty */
    model_dimension_t *dimensions;
    size_t dimension_count;
    model_profile_t *profiles;
    size_t profile_count;
    /* Hyphenation exceptions, TeX style: "værd-sæt-ter". */
    model_list_t hyphenation;
    struct arena *arena;
} model_t;

/* Loads and validates `path`. Reports every problem found through `d` and
 * returns NULL if there was any error. */
model_t *model_load(const char *path, diag_t *d);
/* The same from bytes in memory (tests, fuzzing); `path` names it. */
model_t *model_parse(const char *path, const char *bytes, size_t len, diag_t *d);
void model_drop(model_t *m);

const model_profile_t *model_find_profile(const model_t *m, const char *id);
const model_dimension_t *model_find_dimension(const model_t *m, const char *key);
/* The section of profile `p` for dimension `key`, or NULL. */
/* "YYYY-MM-DD" (1970 on) → its midnight UTC in seconds since 1970; false
 * when it is not such a calendar date. */
bool model_parse_date(const char *s, long long *epoch);

const model_section_t *model_profile_section(const model_profile_t *p, const char *key);
/* Number of bullets in a profile: group, sections and pitfalls. */
size_t model_profile_bullet_count(const model_profile_t *p);

#endif
