/* fuzz_roster: libFuzzer harness for the roster reader: roster_parse on
 * the input as a CSV roster checked against the real data model, then
 * roster_safe_name on every field of every row and the --split file names.
 * The body is in fuzz_entry.h, shared with the regression unit test. Run
 * from the repository root (`make fuzz`). */
#include "fuzz_entry.h"

/* Opens the message sink and loads the real data model once, before any input. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (!fuzz_setup(true)) abort(); /* the reason is on stderr */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fuzz_roster_one(data, size); }
