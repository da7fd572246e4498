/* fuzz_markup: libFuzzer harness for inline markup: text_parse, text_nfc
 * and text_upper on the input as a NUL-terminated string.
 * The body is in fuzz_entry.h, shared with the regression unit test. Run
 * from the repository root (`make fuzz`). */
#include "fuzz_entry.h"

/* Opens the message sink once, before any input. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (!fuzz_setup(false)) abort(); /* the reason is on stderr */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fuzz_markup_one(data, size); }
