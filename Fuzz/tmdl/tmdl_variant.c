// What emlearn_cnn's new() and Model.run() do with a model file (cnn.c), minus MicroPython:
// copy the file, parse the header, parse and validate the layers (which reorders the conv
// weights), then run the network once.
// Compiled twice by scripts/fuzz, with -DCNN_FP32=1 and -DCNN_INT8=1, and each build's
// public names prefixed by the variant (-Dname=fp32_name).
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnn_model.h"
#include "tmdl_format.h"

const char *tmdl_load_and_run(const uint8_t *data, size_t size);

// A device would answer a model this big with MemoryError or take minutes; neither is a
// loader bug, and the fuzzer would report both as failures (out of memory, timeout).
#define ARENA_LIMIT (64u << 20)
#define WORK_LIMIT 20000000u

// Multiply-adds the layers take: kernels stay unrun past WORK_LIMIT.
static uint64_t estimated_work(const cnn_header_t *header, const cnn_layer_t *layers) {
    uint64_t work = 0;
    for (size_t i = 0; i < header->layer_count; i++) {
        const cnn_layer_t *l = &layers[i];
        uint64_t out = (uint64_t)l->out.h * l->out.w * l->out.c;
        uint64_t window = (uint64_t)l->kernel_h * l->kernel_w;
        switch (l->type) {
            case TMDL_LAYER_CONV2D: work += out * window * l->in.c; break;
            case TMDL_LAYER_DWCONV2D:
            case TMDL_LAYER_MAXPOOL2D:
            case TMDL_LAYER_AVGPOOL2D: work += out * window; break;
            default: work += out + (uint64_t)l->in.h * l->in.w * l->in.c * l->out.c; break;
        }
    }
    return work;
}

const char *tmdl_load_and_run(const uint8_t *data, size_t size) {
    // An exact-size private copy, so ASan flags any read past the end of the file; malloc's
    // alignment, as the parser needs (the module copies into a GC block first too).
    uint8_t *model_data = malloc(size + (size == 0));
    memcpy(model_data, data, size);
    cnn_header_t header;
    int fault = tmdl_parse_header(model_data, size, &header);
    if (fault) {
        free(model_data);
        return tmdl_message(fault);
    }
    cnn_layer_t *layers = malloc(header.layer_count * sizeof(cnn_layer_t));
    fault = tmdl_parse_layers(model_data, size, &header, layers);
    if (!fault) {
        if (header.arena_size <= ARENA_LIMIT && estimated_work(&header, layers) <= WORK_LIMIT) {
            size_t n_in = cnn_shape_count(&header.in), n_out = cnn_shape_count(&header.out);
            uint8_t *arena = malloc(header.arena_size);
            uint8_t *pixels = malloc(n_in);
            float *outputs = malloc(n_out * sizeof(float));
            for (size_t i = 0; i < n_in; i++) {
                pixels[i] = (uint8_t)(i * 37 + data[i % size]);
            }
            cnn_run(&header, layers, arena, pixels, outputs);
#if CNN_IS_INT8
            // int8 outputs are dequantised int8 values with a finite scale: always finite.
            for (size_t i = 0; i < n_out; i++) {
                if (!isfinite(outputs[i])) {
                    fprintf(stderr, "int8 model output %zu is %f\n", i, outputs[i]);
                    abort();
                }
            }
#endif
            free(outputs);
            free(pixels);
            free(arena);
        }
    }
    free(layers);
    free(model_data);
    return fault ? tmdl_message(fault) : NULL;
}
