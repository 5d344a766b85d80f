// libFuzzer target: a TinyMaix .tmdl model file handed to emlearn_cnn_fp32.new() and
// emlearn_cnn_int8.new() and then run (CModules/emlearn_cnn: tmdl.c parses, layers.c runs).
// Every input goes to both variants; each refuses the other's model type in its header check.
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

const char *fp32_tmdl_load_and_run(const uint8_t *data, size_t size);
const char *int8_tmdl_load_and_run(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *errors[2] = {fp32_tmdl_load_and_run(data, size), int8_tmdl_load_and_run(data, size)};
    for (int i = 0; i < 2; i++) {
        // The message becomes a ValueError; it must say something.
        if (errors[i] && !errors[i][0]) {
            fprintf(stderr, "empty error message\n");
            abort();
        }
    }
    return 0;
}
