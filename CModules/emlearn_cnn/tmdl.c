// Parser and validator for TinyMaix .tmdl files.
//
// The file comes from the user, so nothing in it is trusted: every offset and size is
// checked against the data length (in 64-bit arithmetic where u16*u16*u16 products and
// u32 sums could wrap), every shape against its neighbours, and every arena region
// against the arena. Once this accepts a model, the kernels in layers.c can run it
// without further checks.
//
// The rules are table-driven: each layer kind has a set of properties (a sliding window,
// weights, a vector output, ...; see the *_KINDS masks) and each property is checked by
// one piece of code for every kind that has it. Each kind of fault has one message: a
// message costs its bytes in every build, and a check per field per kind cost more code
// than the checks themselves (docs/kernels-cnn.md, "Validation").
#include <string.h>

#include "cnn_model.h"
#include "tmdl_format.h"

#if CNN_IS_INT8
#define EXPECTED_MODEL_TYPE TMDL_TYPE_INT8
#define OTHER_VARIANT_TYPE TMDL_TYPE_FP32
#define WRONG_TYPE_MESSAGE "use emlearn_cnn_fp32"
#else
#define EXPECTED_MODEL_TYPE TMDL_TYPE_FP32
#define OTHER_VARIANT_TYPE TMDL_TYPE_INT8
#define WRONG_TYPE_MESSAGE "use emlearn_cnn_int8"
#endif

// One message per kind of fault. The checks return the fault's number (0: none), which
// costs a byte or two per check where a string address costs a literal and its load;
// tmdl_message turns it into the message once, in the caller.
enum {
    E_TRUNCATED = 1,
    E_HEADER,     // magic, counts of inputs/outputs/layers
    E_WRONG_TYPE, // the other variant's model
    E_TYPE,       // model type
    E_SIZE,       // layer size not a multiple of 8, too short for its kind, extra data at the end
    E_LAYER_TYPE,
    E_SHAPE,      // rank, dims, chain, window arithmetic, channel rules
    E_PARAMS,     // kernel/stride/dilation 0, activation, depth multiplier
    E_DATA,       // weights, bias or scales outside the layer or misaligned
    E_ARENA,      // a tensor outside buf_size or misaligned
    E_TOO_LARGE,  // int8 fan-in or average-pool count past the int32 bounds; depthwise kernel too big
    E_SCALE,
    E_OUTPUT,
};
// The messages in that order, each after a NUL.
static const char messages[] = "\0model truncated\0bad model header\0" WRONG_TYPE_MESSAGE
    "\0bad model type\0bad layer size\0bad layer type\0bad tensor shape\0bad layer params"
    "\0bad weight offset\0bad arena offset\0layer too large\0bad quantisation"
    "\0several outputs";

const char *tmdl_message(int fault) {
    const char *m = messages;
    while (fault > 0) {
        if (*m++ == '\0') {
            fault--;
        }
    }
    return m;
}

// Layer kinds, numbered as TinyMaix's types; the pooling extension (100, 101) becomes 7, 8.
#define KIND_MAXPOOL 7
#define KIND_AVGPOOL 8
#define KIND(t) (1u << (t))
#define CONV_KINDS (KIND(TMDL_LAYER_CONV2D) | KIND(TMDL_LAYER_DWCONV2D))
#define POOL_KINDS (KIND(KIND_MAXPOOL) | KIND(KIND_AVGPOOL))
// Kernel, stride, dilation, padding and a u16 activation at the start of the body.
#define WINDOW_KINDS (CONV_KINDS | POOL_KINDS)
// Weights, bias and weight scales at three consecutive u32 offsets.
#define WEIGHT_KINDS (CONV_KINDS | KIND(TMDL_LAYER_FC))
// Output channels = input channels (times the depth multiplier for dwconv2d).
#define SAME_C_KINDS (POOL_KINDS | KIND(TMDL_LAYER_DWCONV2D) | KIND(TMDL_LAYER_GAP) \
    | KIND(TMDL_LAYER_SOFTMAX) | KIND(TMDL_LAYER_ADD))
#define SAME_HW_KINDS (KIND(TMDL_LAYER_SOFTMAX) | KIND(TMDL_LAYER_ADD))
#define VECTOR_OUT_KINDS (KIND(TMDL_LAYER_GAP) | KIND(TMDL_LAYER_FC))
// The fixed part of the layer: 48 bytes of header, +16 for these, +16 more for conv.
#define BODY_KINDS (WINDOW_KINDS | KIND(TMDL_LAYER_FC) | KIND(TMDL_LAYER_ADD))

// Out of line on Xtensa and Arm, where their callers then keep their values in registers
// instead of spilling them (parse_layer: Xtensa -56..-100 bytes, Arm -28..-84; region_fits:
// Xtensa -24..-52, Arm -72..-84); on x64 and RISC-V inlining is smaller (region_fits: x64
// -64..-96).
#if defined(__xtensa__) || defined(__arm__)
#define CNN_PARSE_HELPER static __attribute__((noinline))
#else
#define CNN_PARSE_HELPER static
#endif

// Every field of the format sits at its natural alignment from the start of the file (layers
// start at multiples of 8), and the callers pass word-aligned data, so a field is one load on a
// little-endian machine (byte by byte it costs several instructions a field on Xtensa, RISC-V
// and Cortex-M0, where loads must be aligned). may_alias: the data is bytes to the compiler.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
typedef uint16_t __attribute__((may_alias)) u16_field_t;
typedef uint32_t __attribute__((may_alias)) u32_field_t;

static uint16_t read_u16(const uint8_t *p) {
    return *(const u16_field_t *)p;
}

static uint32_t read_u32(const uint8_t *p) {
    return *(const u32_field_t *)p;
}
#else
static uint16_t read_u16(const uint8_t *p) {
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t read_u32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
#endif

#if CNN_IS_INT8  // float models carry no quantisation worth reading
// A scale (f32 at p) and zero point (i32 at p + 4) the kernels can use: the scale positive
// and small enough that a dequantised value, (q - zero) * scale with |q - zero| <= 255, is
// still finite (found by Fuzz/tmdl); the zero point an int8.
static int read_quantisation(const uint8_t *p, float *scale, int32_t *zero) {
    union {
        uint32_t u;
        float f;
    } bits;
    bits.u = read_u32(p);
    *scale = bits.f;
    *zero = (int32_t)read_u32(p + 4);
    return bits.f > 0.0f && bits.f <= 1.0e36f  // also false for NaN
           && (uint32_t)*zero + 128u <= 255u;
}
#endif

// Reads rank, h, w, c. The converter pads missing leading dims with 1
// (rank 1 is 1x1xC, rank 2 is 1xWxC); anything else is not a shape it writes.
static int read_shape(const uint8_t *p, cnn_shape_t *shape) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(shape, p, sizeof(*shape));  // the file's four u16 are the struct's
#else
    shape->rank = read_u16(p);
    shape->h = read_u16(p + 2);
    shape->w = read_u16(p + 4);
    shape->c = read_u16(p + 6);
#endif
    uint32_t rank = shape->rank;
    return rank - 1 < 3 && shape->h != 0 && shape->w != 0 && shape->c != 0
           && (rank == 3 || shape->h == 1) && (rank >= 2 || shape->w == 1);
}

static int same_hwc(const cnn_shape_t *a, const cnn_shape_t *b) {
    return a->h == b->h && a->w == b->w && a->c == b->c;
}

static uint64_t shape_count64(const cnn_shape_t *s) {
    return (uint64_t)s->h * s->w * s->c;
}

int tmdl_parse_header(const uint8_t *data, size_t length, cnn_header_t *header) {
    if (length < TMDL_HEADER_SIZE) {
        return E_TRUNCATED;
    }
    if (read_u32(data) != TMDL_MAGIC) {
        return E_HEADER;
    }
    uint8_t model_type = data[TMDL_OFS_MODEL_TYPE];
    if (model_type != EXPECTED_MODEL_TYPE) {
        return model_type == OTHER_VARIANT_TYPE ? E_WRONG_TYPE : E_TYPE;
    }
    header->layer_count = read_u16(data + TMDL_OFS_LAYER_COUNT);
    if (read_u16(data + TMDL_OFS_INPUT_COUNT) != 1 || read_u16(data + TMDL_OFS_OUTPUT_COUNT) != 1
        || header->layer_count == 0) {
        return E_HEADER;
    }
    // Checked before the layer table is allocated, so a tiny file cannot ask for a big one.
    if ((size_t)header->layer_count * TMDL_LAYER_HEADER_SIZE > length - TMDL_HEADER_SIZE) {
        return E_TRUNCATED;
    }
    // The header's out_dims are not read: TinyMaix's runtime ignores them and files in
    // the field get them wrong (emlearn's MNIST example says 1x1x1 for 10 classes).
    // The output shape is the output layer's.
    return read_shape(data + TMDL_OFS_IN_DIMS, &header->in) ? 0 : E_SHAPE;
}

// Checks that `count` elements of `element_size` bytes at `offset` (from the layer
// start) lie inside the layer's data part and are aligned for their type.
static int blob_fits(uint32_t layer_size, uint32_t fixed_size, uint32_t offset, uint64_t count,
    uint32_t element_size) {
    return offset >= fixed_size && offset % element_size == 0
           && (uint64_t)offset + count * element_size <= layer_size;
}

// Checks that a tensor of `shape` at `offset` fits the arena the file declares,
// and tracks how much of it is really used.
CNN_PARSE_HELPER int region_fits(uint32_t offset, const cnn_shape_t *shape, uint32_t buf_size,
    uint32_t *arena_end) {
    uint64_t end = (uint64_t)offset + shape_count64(shape) * sizeof(cnn_value_t);
    if (offset % sizeof(cnn_value_t) != 0 || end > buf_size) {
        return 0;
    }
    if (end > *arena_end) {
        *arena_end = (uint32_t)end;
    }
    return 1;
}

// Output size along one axis of a sliding window, or -1 if the window does not fit.
static int32_t window_output_size(uint32_t in, const uint8_t *pad, uint32_t kernel,
    uint32_t stride, uint32_t dilation) {
    uint32_t extent = dilation * (kernel - 1) + 1;
    uint32_t padded = in + pad[0] + pad[1];
    if (padded < extent) {
        return -1;
    }
    return (int32_t)((padded - extent) / stride + 1);
}

// One layer: l points at its header, `size` bytes of it are in the file (>= 48).
CNN_PARSE_HELPER int parse_layer(const uint8_t *l, uint32_t size, const cnn_shape_t *expected_in,
    uint32_t buf_size, uint32_t *arena_end, cnn_layer_t *layer) {
    memset(layer, 0, sizeof(*layer));
    uint32_t type = layer->type = read_u16(l + TMDL_LOFS_TYPE);
    uint32_t kind = type;
    if (type >= TMDL_LAYER_MAXPOOL2D) {
        kind = type - TMDL_LAYER_MAXPOOL2D + KIND_MAXPOOL;
    } else if (type >= KIND_MAXPOOL) {
        kind = 99;
    }
    if (kind > KIND_AVGPOOL) {
        return E_LAYER_TYPE;
    }
    const uint32_t rules = KIND(kind);
    uint32_t fixed_size = TMDL_LAYER_HEADER_SIZE + ((rules & BODY_KINDS) ? 16 : 0)
        + ((rules & CONV_KINDS) ? 16 : 0);
    if (size % 8 != 0 || size < fixed_size) {
        return E_SIZE;
    }
    layer->is_output = read_u16(l + TMDL_LOFS_IS_OUTPUT) != 0;
    cnn_shape_t *in = &layer->in, *out = &layer->out;
    // The input, then the output: shape, quantisation, arena region. The layers form a
    // chain: each one reads what the previous one wrote.
    for (int t = 0; t < 2; t++) {
        if (!read_shape(l + TMDL_LOFS_IN_DIMS + 8 * t, &layer->shapes[t])
            || !same_hwc(&layer->shapes[0], expected_in)) {
            return E_SHAPE;
        }
#if CNN_IS_INT8
        if (!read_quantisation(l + TMDL_LOFS_IN_SCALE + 8 * t, &layer->scales[t], &layer->zeros[t])) {
            return E_SCALE;
        }
#endif
        uint32_t offset = layer->offsets[t] = read_u32(l + TMDL_LOFS_IN_OFFSET + 4 * t);
        if (!region_fits(offset, &layer->shapes[t], buf_size, arena_end)) {
            return E_ARENA;
        }
    }

    uint32_t act = 0;
    if (rules & WINDOW_KINDS) {
        // kernel, stride, dilation (w then h each): six bytes in the file's order, none 0.
        const uint8_t *w = l + TMDL_WOFS_KERNEL_W;
        memcpy(&layer->kernel_w, w, 6);
        for (int k = 0; k < 6; k++) {
            if (w[k] == 0) {
                return E_PARAMS;
            }
        }
        const uint8_t *pad = l + TMDL_WOFS_PAD;  // top, bottom, left, right
        layer->pad_top = pad[0];
        layer->pad_left = pad[2];
        if (window_output_size(in->h, pad, w[1], w[3], w[5]) != out->h
            || window_output_size(in->w, pad + 2, w[0], w[2], w[4]) != out->w) {
            return E_SHAPE;
        }
        act = read_u16(l + TMDL_WOFS_ACT);
    }
    // conv2d must say 0, dwconv2d at least 1; the other kinds keep the channel count (1).
    uint32_t depth_mul = (rules & CONV_KINDS) ? read_u32(l + TMDL_COFS_DEPTH_MUL) : 1;
    if ((kind == TMDL_LAYER_CONV2D) != (depth_mul == 0) || depth_mul > 0xFFFF) {
        return E_PARAMS;
    }
    layer->depth_multiplier = depth_mul;
    if (((rules & SAME_C_KINDS) && in->c * depth_mul != out->c)
        || ((rules & SAME_HW_KINDS) && (in->h != out->h || in->w != out->w))
        || ((rules & VECTOR_OUT_KINDS) && (out->h != 1 || out->w != 1))
        || (kind == TMDL_LAYER_RESHAPE && shape_count64(in) != shape_count64(out))) {
        return E_SHAPE;
    }
    if (kind == TMDL_LAYER_GAP) {
        if ((uint32_t)in->h * in->w > CNN_MAX_GAP_POSITIONS) {
            return E_TOO_LARGE;
        }
        layer->dilation_w = layer->dilation_h = 1;  // layers.c runs it as an average pool
    }

    if (rules & WEIGHT_KINDS) {
        // fc reads the whole input per output; a conv a window of kh*kw (times cin for conv2d).
        uint64_t fan_in = shape_count64(in);
        uint32_t scale_count = 1;  // TinyMaix quantises fc weights per tensor
        const uint8_t *offsets = l + TMDL_FOFS_WSCALE_OFFSET;
        if (rules & CONV_KINDS) {
            fan_in = (uint64_t)layer->kernel_h * layer->kernel_w * (kind == TMDL_LAYER_CONV2D ? in->c : 1);
            scale_count = out->c;
            offsets = l + TMDL_COFS_WSCALE_OFFSET;
        } else {
            act = read_u32(l + TMDL_FOFS_ACT);
        }
        if ((CNN_IS_INT8 && fan_in > CNN_MAX_FAN_IN)
            || (kind == TMDL_LAYER_DWCONV2D && fan_in * CNN_DEPTHWISE_LANES > CNN_PATCH_VALUES)) {
            return E_TOO_LARGE;
        }
        uint32_t weight_offset = read_u32(offsets + 4), bias_offset = read_u32(offsets + 8);
        if (!blob_fits(size, fixed_size, weight_offset, fan_in * out->c, sizeof(cnn_value_t))
            || !blob_fits(size, fixed_size, bias_offset, out->c, sizeof(cnn_bias_t))) {
            return E_DATA;
        }
        layer->weights = (cnn_value_t *)(l + weight_offset);
        layer->bias = (cnn_bias_t *)(l + bias_offset);
#if CNN_IS_INT8
        uint32_t scale_offset = read_u32(offsets);
        if (!blob_fits(size, fixed_size, scale_offset, scale_count, sizeof(float))) {
            return E_DATA;
        }
        layer->weight_scales = (float *)(l + scale_offset);
#else
        (void)scale_count;
#endif
    }
    if (act > TMDL_ACT_RELU6) {
        return E_PARAMS;
    }
    layer->act = (uint8_t)act;

    if (kind == TMDL_LAYER_ADD) {
        // The second input: the branch kept in the arena.
        layer->in1_offset = read_u32(l + TMDL_AOFS_IN1_OFFSET);
        if (!region_fits(layer->in1_offset, in, buf_size, arena_end)) {
            return E_ARENA;
        }
#if CNN_IS_INT8
        if (!read_quantisation(l + TMDL_AOFS_IN1_SCALE, &layer->in1_scale, &layer->in1_zero)) {
            return E_SCALE;
        }
#endif
    }
    return 0;
}

int tmdl_parse_layers(const uint8_t *data, size_t length, cnn_header_t *header,
    cnn_layer_t *layers) {
    uint32_t buf_size = read_u32(data + TMDL_OFS_BUF_SIZE);
    uint32_t arena_end = 0;  // <= buf_size
    size_t pos = TMDL_HEADER_SIZE;
    int output_layer = -1;

    for (size_t i = 0; i < header->layer_count; i++) {
        if (length - pos < TMDL_LAYER_HEADER_SIZE) {
            return E_TRUNCATED;
        }
        const uint8_t *l = data + pos;
        uint32_t size = read_u32(l + TMDL_LOFS_SIZE);
        if (size > length - pos) {
            return E_TRUNCATED;
        }
        const cnn_shape_t *expected_in = i == 0 ? &header->in : &layers[i - 1].out;
        int error = parse_layer(l, size, expected_in, buf_size, &arena_end, &layers[i]);
        if (error) {
            return error;
        }
        cnn_prepare_layer(&layers[i]);  // valid: everything it rewrites lies inside the layer
        if (layers[i].is_output) {
            if (output_layer >= 0) {
                return E_OUTPUT;
            }
            output_layer = (int)i;
        }
        pos += size;
    }
    if (pos != length) {
        return E_SIZE;
    }
    if (output_layer < 0) {
        output_layer = header->layer_count - 1;  // a hand-made file may not flag it
    }
    header->out = layers[output_layer].out;
    header->output_layer = (uint16_t)output_layer;
    header->arena_size = (size_t)arena_end;
    return 0;
}
