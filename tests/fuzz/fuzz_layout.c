/* fuzz_layout: libFuzzer harness for the layout loader: spec_parse on the
 * input as layouts/fuzz.yaml (so font files resolve against the real
 * fonts/), then the kind's own checks (kind_check) against the real model.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fuzz_layout_one(data, size); }
