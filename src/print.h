/* print: a layout's `print:` block, which makes its PDF a PDF/X-4 print file
 * for one printing condition. Owns reading and checking the block (declared
 * options) and the ICC output profile it names: a CMYK output (printer)
 * profile, read whole, its own description taken for the output intent's
 * Info. The colours of such a layout are checked by spec (CMYK only, ink
 * limit); the date a print file needs comes from render. Knows nothing of
 * PDF syntax. */
#ifndef GRUNDLAG_PRINT_H
#define GRUNDLAG_PRINT_H

#include <stdbool.h>
#include <stddef.h>

#include "doc.h"
#include "options.h"
#include "spec.h"

extern const opt_schema_t print_schema;

/* Reads and checks the layout's `print:` into *out, the profile's bytes in
 * env->arena; *given is false without one. Errors name the key, its line
 * and column, and the file. */
bool print_read(const spec_t *s, const opt_env_t *env, doc_print_t *out, bool *given);
/* The file `print.output_profile` names (in the layout's folder when the
 * path is relative), a file the run reads; false without one. */
bool print_profile_path(const spec_t *s, char *path, size_t cap);

/* What an ICC profile's header says: false (and *why, a phrase) when the
 * bytes are no ICC profile or not a CMYK output profile. `desc` (may be
 * NULL) receives the profile's description ("Coated FOGRA39 ..."), in
 * `arena`, or NULL when it has none that reads as text. */
bool print_icc_check(const unsigned char *icc, size_t len, arena_t *arena, const char **desc, char *why,
                     size_t why_size);

#endif
