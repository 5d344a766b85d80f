// A parsed, validated TinyMaix model and the interpreter entry points.
// Nothing here depends on MicroPython, so the parser and the kernels can be
// exercised on the host (fuzzing, sanitizers) as well as in the native module.
#ifndef EMLEARN_CNN_MODEL_H
#define EMLEARN_CNN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#if defined(CNN_INT8) && CNN_INT8
#define CNN_IS_INT8 1
typedef int8_t cnn_value_t;   // activations and weights
typedef int32_t cnn_bias_t;
#elif defined(CNN_FP32) && CNN_FP32
#define CNN_IS_INT8 0
typedef float cnn_value_t;
typedef float cnn_bias_t;
#else
#error "build with -DCNN_FP32=1 or -DCNN_INT8=1"
#endif

// Largest number of products summed into one int8 accumulator. With |q*w| <= 2^14
// this keeps the int32 sum below 2^30, so it can never overflow.
#define CNN_MAX_FAN_IN 65535
// The stack buffer convolution windows are gathered into, and weights reordered through, at
// load time (layers.c): CNN_DEPTHWISE_LANES times a depthwise kernel's taps must fit (16x16
// for int8, 8x8 for fp32; TinyMaix's limit is 5x5).
#define CNN_PATCH_BYTES 1024
#define CNN_PATCH_VALUES (CNN_PATCH_BYTES / sizeof(cnn_value_t))
// Output channels a depthwise layer computes together (layers.c).
#define CNN_DEPTHWISE_LANES 4
// Global average pool sums int8 values in int32: at most 2^23 positions (128 * 2^23 = 2^30).
#define CNN_MAX_GAP_POSITIONS (1 << 23)

typedef struct {
    uint16_t rank;  // 1..3: how many of h, w, c the tensor really has
    uint16_t h, w, c;
} cnn_shape_t;

// How a layer turns a real result into its output value (cnn_prepare_layer fills it): fp32
// clamps to [low, high], the fused activation's bounds; int8 first quantises,
// real * inv_scale + zero, where zero is the zero point plus 128.5, clamps to those bounds
// quantised the same way and kept within [0, 255], truncates and subtracts 128 (layers.c).
typedef struct {
    float low, high, inv_scale, zero;
} cnn_output_t;

typedef struct {
    uint16_t type;            // TMDL_LAYER_*
    uint8_t act;              // TMDL_ACT_*
    uint8_t is_output;
    // Each also as an array (input, output, second input of add), so that tmdl.c reads the
    // input's and the output's fields with one loop.
    union {
        struct {
            cnn_shape_t in, out;
        };
        cnn_shape_t shapes[2];
    };
    union {  // byte offsets in the arena
        struct {
            uint32_t in_offset, out_offset, in1_offset;
        };
        uint32_t offsets[3];
    };

    // Quantisation, real = scale * (q - zero). Unused (0) in fp32 models.
    union {
        struct {
            float in_scale, out_scale, in1_scale;
        };
        float scales[3];
    };
    union {
        struct {
            int32_t in_zero, out_zero, in1_zero;
        };
        int32_t zeros[3];
    };

    // Window layers (conv, depthwise conv, pooling). The first six in the file's order:
    // tmdl.c copies them in one go.
    uint8_t kernel_w, kernel_h, stride_w, stride_h, dilation_w, dilation_h;
    uint8_t pad_top, pad_left;  // bottom/right padding only changes the output shape
    uint32_t depth_multiplier;  // 0: normal conv, 1 for the layers that keep their channels

    cnn_output_t output;

    // Point into the model copy owned by the Model object; cnn_prepare_layer rewrites them.
    cnn_value_t *weights;
    cnn_bias_t *bias;
    float *weight_scales;  // int8 only: times in_scale once prepared
} cnn_layer_t;

typedef struct {
    cnn_shape_t in, out;
    uint16_t layer_count;
    uint16_t output_layer;
    size_t arena_size;  // bytes the layers really touch (<= the file's buf_size)
} cnn_header_t;

static inline size_t cnn_shape_count(const cnn_shape_t *s) {
    return (size_t)s->h * s->w * s->c;
}

// Parses the fixed header of `data`, which must be 4-byte aligned. Returns 0 on success,
// else a fault number for tmdl_message.
int tmdl_parse_header(const uint8_t *data, size_t length, cnn_header_t *header);

// Parses and validates every layer into layers[header->layer_count]. The weight
// pointers point into `data`, which must stay alive and be 4-byte aligned; each layer is
// prepared there (cnn_prepare_layer). Fills header->output_layer and
// arena_size. Returns 0 or a fault number.
int tmdl_parse_layers(const uint8_t *data, size_t length, cnn_header_t *header,
    cnn_layer_t *layers);

// The message (for ValueError) of a fault number the parse functions returned.
const char *tmdl_message(int fault);

// Readies a validated layer for the kernels, once, at load time: fills layer->output; for int8,
// multiplies the weight scales by in_scale, in place; reorders the weights of a normal conv whose
// windows the kernel gathers (up to 1 KiB of values) from TinyMaix's [cout][cin][kh][kw] into
// [cout][kh][kw][cin], so the inner loop walks input channels contiguously in both the input
// tensor and the weights, and a depthwise conv's into blocks of CNN_DEPTHWISE_LANES channels,
// [tap][lane] within a block.
void cnn_prepare_layer(cnn_layer_t *layer);

// Runs the network: pixels (h*w*c uint8) -> outputs (count of the output shape).
void cnn_run(const cnn_header_t *header, const cnn_layer_t *layers, uint8_t *arena,
    const uint8_t *pixels, float *outputs);

#endif
