// Parser and validator for TinyMaix .tmdl files.
//
// The file comes from the user, so nothing in it is trusted: every offset and size is
// checked against the data length (in 64-bit arithmetic, so u16*u16*u16 products and
// u32 sums cannot wrap), every shape against its neighbours, and every arena region
// against the arena. Once this accepts a model, the kernels in layers.c can run it
// without further checks.
#include "cnn_model.h"
#include "tmdl_format.h"

#if CNN_IS_INT8
#define EXPECTED_MODEL_TYPE TMDL_TYPE_INT8
#define OTHER_VARIANT_TYPE TMDL_TYPE_FP32
#define WRONG_TYPE_MESSAGE "fp32 model: use emlearn_cnn_fp32"
#else
#define EXPECTED_MODEL_TYPE TMDL_TYPE_FP32
#define OTHER_VARIANT_TYPE TMDL_TYPE_INT8
#define WRONG_TYPE_MESSAGE "int8 model: use emlearn_cnn_int8"
#endif

// Small checks used at many places of the parser. On Thumb one out-of-line copy of each is
// smaller than inlining it everywhere (their 64-bit arithmetic takes several instructions
// there): 130-280 bytes less per module. On x64, RISC-V and Xtensa inlining is as small or
// smaller. Load time does not matter either way.
#if defined(__arm__)
#define CNN_CHECK_HELPER static __attribute__((noinline))
#else
#define CNN_CHECK_HELPER static
#endif

// Little-endian reads byte by byte: the file may be anywhere in memory and the host
// may be big-endian; neither matters here.
static uint16_t read_u16(const uint8_t *p) {
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t read_u32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

#if CNN_IS_INT8  // float models carry no scales worth reading
static float read_f32(const uint8_t *p) {
    union {
        uint32_t u;
        float f;
    } bits;
    bits.u = read_u32(p);
    return bits.f;
}

// A scale the kernels can use: positive, and small enough that a dequantised value,
// (q - zero) * scale with |q - zero| <= 255, is still finite (found by Fuzz/tmdl).
static int scale_is_usable(float x) {
    return x > 0.0f && x <= 1.0e36f;  // also false for NaN
}
#endif

// Reads rank, h, w, c. The converter pads missing leading dims with 1
// (rank 1 is 1x1xC, rank 2 is 1xWxC); anything else is not a shape it writes.
static const char *read_shape(const uint8_t *p, cnn_shape_t *shape) {
    shape->rank = read_u16(p);
    shape->h = read_u16(p + 2);
    shape->w = read_u16(p + 4);
    shape->c = read_u16(p + 6);
    if (shape->rank < 1 || shape->rank > 3) {
        return "bad tensor rank";
    }
    if (shape->h == 0 || shape->w == 0 || shape->c == 0) {
        return "zero tensor dim";
    }
    if ((shape->rank < 3 && shape->h != 1) || (shape->rank < 2 && shape->w != 1)) {
        return "bad tensor dims";
    }
    return NULL;
}

CNN_CHECK_HELPER int same_hwc(const cnn_shape_t *a, const cnn_shape_t *b) {
    return a->h == b->h && a->w == b->w && a->c == b->c;
}

CNN_CHECK_HELPER uint64_t shape_count64(const cnn_shape_t *s) {
    return (uint64_t)s->h * s->w * s->c;
}

const char *tmdl_parse_header(const uint8_t *data, size_t length, cnn_header_t *header) {
    if (length < TMDL_HEADER_SIZE) {
        return "model too short";
    }
    if (data[0] != TMDL_MAGIC_0 || data[1] != TMDL_MAGIC_1 || data[2] != TMDL_MAGIC_2
        || data[3] != TMDL_MAGIC_3) {
        return "bad magic";
    }
    uint8_t model_type = data[TMDL_OFS_MODEL_TYPE];
    if (model_type != EXPECTED_MODEL_TYPE) {
        return model_type == OTHER_VARIANT_TYPE ? WRONG_TYPE_MESSAGE : "bad model type";
    }
    if (read_u16(data + TMDL_OFS_INPUT_COUNT) != 1 || read_u16(data + TMDL_OFS_OUTPUT_COUNT) != 1) {
        return "not 1 input, 1 output";
    }
    header->layer_count = read_u16(data + TMDL_OFS_LAYER_COUNT);
    if (header->layer_count == 0) {
        return "no layers";
    }
    // Checked before the layer table is allocated, so a tiny file cannot ask for a big one.
    if ((size_t)header->layer_count * TMDL_LAYER_HEADER_SIZE > length - TMDL_HEADER_SIZE) {
        return "model truncated";
    }
    // The header's out_dims are not read: TinyMaix's runtime ignores them and files in
    // the field get them wrong (emlearn's MNIST example says 1x1x1 for 10 classes).
    // The output shape is the output layer's.
    return read_shape(data + TMDL_OFS_IN_DIMS, &header->in);
}

// Checks that `count` elements of `element_size` bytes at `offset` (from the layer
// start) lie inside the layer's data part and are aligned for their type.
CNN_CHECK_HELPER int blob_fits(uint32_t layer_size, uint32_t fixed_size, uint32_t offset,
    uint64_t count, uint32_t element_size) {
    if (offset < fixed_size || offset % element_size != 0) {
        return 0;
    }
    return (uint64_t)offset + count * element_size <= layer_size;
}

// Checks that a tensor of `shape` at `offset` fits the arena the file declares,
// and tracks how much of it is really used.
CNN_CHECK_HELPER int region_fits(uint32_t offset, const cnn_shape_t *shape, uint32_t buf_size,
    uint64_t *arena_end) {
    if (offset % sizeof(cnn_value_t) != 0) {
        return 0;
    }
    uint64_t end = (uint64_t)offset + shape_count64(shape) * sizeof(cnn_value_t);
    if (end > buf_size) {
        return 0;
    }
    if (end > *arena_end) {
        *arena_end = end;
    }
    return 1;
}

static const char *read_quantisation(const uint8_t *l, cnn_layer_t *layer) {
#if CNN_IS_INT8
    layer->in_scale = read_f32(l + TMDL_LOFS_IN_SCALE);
    layer->in_zero = (int32_t)read_u32(l + TMDL_LOFS_IN_ZERO);
    layer->out_scale = read_f32(l + TMDL_LOFS_OUT_SCALE);
    layer->out_zero = (int32_t)read_u32(l + TMDL_LOFS_OUT_ZERO);
    if (!scale_is_usable(layer->in_scale) || !scale_is_usable(layer->out_scale)) {
        return "bad scale";
    }
    if (layer->in_zero < -128 || layer->in_zero > 127 || layer->out_zero < -128 || layer->out_zero > 127) {
        return "bad zero point";
    }
#else
    // Float models carry 1.0 / 0.0 here; nothing to read.
    (void)l;
    layer->in_scale = layer->out_scale = 1.0f;
    layer->in_zero = layer->out_zero = 0;
#endif
    return NULL;
}

static const char *read_activation(uint32_t act, cnn_layer_t *layer) {
    if (act > TMDL_ACT_RELU6) {
        return "bad activation";
    }
    layer->act = (uint8_t)act;
    return NULL;
}

// Output size along one axis of a sliding window, or -1 if the window does not fit.
static int32_t window_output_size(uint32_t in, uint32_t pad_before, uint32_t pad_after,
    uint32_t kernel, uint32_t stride, uint32_t dilation) {
    uint32_t extent = dilation * (kernel - 1) + 1;
    uint32_t padded = in + pad_before + pad_after;
    if (padded < extent) {
        return -1;
    }
    return (int32_t)((padded - extent) / stride + 1);
}

// Kernel, stride, dilation, padding and activation; common to conv and pooling.
static const char *read_window(const uint8_t *l, cnn_layer_t *layer) {
    layer->kernel_w = l[TMDL_WOFS_KERNEL_W];
    layer->kernel_h = l[TMDL_WOFS_KERNEL_H];
    layer->stride_w = l[TMDL_WOFS_STRIDE_W];
    layer->stride_h = l[TMDL_WOFS_STRIDE_H];
    layer->dilation_w = l[TMDL_WOFS_DILATION_W];
    layer->dilation_h = l[TMDL_WOFS_DILATION_H];
    if (layer->kernel_w == 0 || layer->kernel_h == 0 || layer->stride_w == 0 || layer->stride_h == 0
        || layer->dilation_w == 0 || layer->dilation_h == 0) {
        return "bad kernel/stride/dilation";
    }
    const uint8_t *pad = l + TMDL_WOFS_PAD;  // top, bottom, left, right
    layer->pad_top = pad[0];
    layer->pad_left = pad[2];
    int32_t out_h = window_output_size(layer->in.h, pad[0], pad[1], layer->kernel_h, layer->stride_h,
        layer->dilation_h);
    int32_t out_w = window_output_size(layer->in.w, pad[2], pad[3], layer->kernel_w, layer->stride_w,
        layer->dilation_w);
    if (out_h != layer->out.h || out_w != layer->out.w) {
        return "bad conv output shape";
    }
    return read_activation(read_u16(l + TMDL_WOFS_ACT), layer);
}

static const char *read_conv(const uint8_t *l, uint32_t size, int depthwise, cnn_layer_t *layer,
    cnn_header_t *header) {
    if (size < TMDL_CONV_FIXED_SIZE) {
        return "conv too short";
    }
    const char *error = read_window(l, layer);
    if (error) {
        return error;
    }
    uint32_t depth_mul = read_u32(l + TMDL_COFS_DEPTH_MUL);
    uint64_t fan_in;
    if (depthwise) {
        if (depth_mul == 0 || (uint64_t)layer->in.c * depth_mul != layer->out.c) {
            return "bad dwconv channels";
        }
        fan_in = (uint64_t)layer->kernel_h * layer->kernel_w;
    } else {
        if (depth_mul != 0) {
            return "conv2d depth multiplier";
        }
        fan_in = (uint64_t)layer->in.c * layer->kernel_h * layer->kernel_w;
    }
    layer->depth_multiplier = depth_mul;
    if (CNN_IS_INT8 && fan_in > CNN_MAX_FAN_IN) {
        return "conv too large";
    }
    uint32_t weight_offset = read_u32(l + TMDL_COFS_WEIGHT_OFFSET);
    uint32_t bias_offset = read_u32(l + TMDL_COFS_BIAS_OFFSET);
    if (!blob_fits(size, TMDL_CONV_FIXED_SIZE, weight_offset, fan_in * layer->out.c, sizeof(cnn_value_t))
        || !blob_fits(size, TMDL_CONV_FIXED_SIZE, bias_offset, layer->out.c, sizeof(cnn_bias_t))) {
        return "bad conv weights";
    }
    layer->weights = (cnn_value_t *)(l + weight_offset);
    layer->bias = (const cnn_bias_t *)(l + bias_offset);
    // The weights fit in the layer, so fan_in fits in size_t. Reordering a conv's
    // weights needs scratch for one output channel.
    if (!depthwise && fan_in > header->largest_conv_fan_in) {
        header->largest_conv_fan_in = (size_t)fan_in;
    }
#if CNN_IS_INT8
    uint32_t scale_offset = read_u32(l + TMDL_COFS_WSCALE_OFFSET);
    if (!blob_fits(size, TMDL_CONV_FIXED_SIZE, scale_offset, layer->out.c, sizeof(float))) {
        return "bad conv scales";
    }
    layer->weight_scales = (const float *)(l + scale_offset);
#endif
    return NULL;
}

static const char *read_fc(const uint8_t *l, uint32_t size, cnn_layer_t *layer) {
    if (size < TMDL_FC_FIXED_SIZE) {
        return "fc too short";
    }
    if (layer->out.h != 1 || layer->out.w != 1) {
        return "fc output not a vector";
    }
    uint64_t fan_in = shape_count64(&layer->in);
    if (CNN_IS_INT8 && fan_in > CNN_MAX_FAN_IN) {
        return "fc too large";
    }
    uint32_t weight_offset = read_u32(l + TMDL_FOFS_WEIGHT_OFFSET);
    uint32_t bias_offset = read_u32(l + TMDL_FOFS_BIAS_OFFSET);
    if (!blob_fits(size, TMDL_FC_FIXED_SIZE, weight_offset, fan_in * layer->out.c, sizeof(cnn_value_t))
        || !blob_fits(size, TMDL_FC_FIXED_SIZE, bias_offset, layer->out.c, sizeof(cnn_bias_t))) {
        return "bad fc weights";
    }
    layer->weights = (cnn_value_t *)(l + weight_offset);
    layer->bias = (const cnn_bias_t *)(l + bias_offset);
#if CNN_IS_INT8
    // TinyMaix quantises fc weights per tensor: only the first scale is meaningful.
    uint32_t scale_offset = read_u32(l + TMDL_FOFS_WSCALE_OFFSET);
    if (!blob_fits(size, TMDL_FC_FIXED_SIZE, scale_offset, 1, sizeof(float))) {
        return "bad fc scale";
    }
    layer->weight_scales = (const float *)(l + scale_offset);
#endif
    return read_activation(read_u32(l + TMDL_FOFS_ACT), layer);
}

static const char *read_add(const uint8_t *l, uint32_t size, uint32_t buf_size, cnn_layer_t *layer,
    uint64_t *arena_end) {
    if (size < TMDL_ADD_FIXED_SIZE) {
        return "add too short";
    }
    if (!same_hwc(&layer->in, &layer->out)) {
        return "bad add shape";
    }
    layer->in1_offset = read_u32(l + TMDL_AOFS_IN1_OFFSET);
    if (!region_fits(layer->in1_offset, &layer->in, buf_size, arena_end)) {
        return "bad add input";
    }
#if CNN_IS_INT8
    layer->in1_scale = read_f32(l + TMDL_AOFS_IN1_SCALE);
    layer->in1_zero = (int32_t)read_u32(l + TMDL_AOFS_IN1_ZERO);
    if (!scale_is_usable(layer->in1_scale) || layer->in1_zero < -128 || layer->in1_zero > 127) {
        return "bad add scale";
    }
#else
    layer->in1_scale = 1.0f;
    layer->in1_zero = 0;
#endif
    return NULL;
}

static const char *read_layer_body(const uint8_t *l, uint32_t size, uint32_t buf_size,
    cnn_layer_t *layer, cnn_header_t *header, uint64_t *arena_end) {
    switch (layer->type) {
        case TMDL_LAYER_CONV2D:
            return read_conv(l, size, 0, layer, header);
        case TMDL_LAYER_DWCONV2D:
            return read_conv(l, size, 1, layer, header);
        case TMDL_LAYER_FC:
            return read_fc(l, size, layer);
        case TMDL_LAYER_GAP:
            if (layer->out.h != 1 || layer->out.w != 1 || layer->out.c != layer->in.c) {
                return "bad gap shape";
            }
            if ((uint32_t)layer->in.h * layer->in.w > CNN_MAX_GAP_POSITIONS) {
                return "gap too large";
            }
            return NULL;
        case TMDL_LAYER_SOFTMAX:
            return same_hwc(&layer->in, &layer->out) ? NULL : "bad softmax shape";
        case TMDL_LAYER_RESHAPE:
            return shape_count64(&layer->in) == shape_count64(&layer->out) ? NULL
                   : "bad reshape";
        case TMDL_LAYER_ADD:
            return read_add(l, size, buf_size, layer, arena_end);
        case TMDL_LAYER_MAXPOOL2D:
        case TMDL_LAYER_AVGPOOL2D:
            if (size < TMDL_POOL_FIXED_SIZE) {
                return "pool too short";
            }
            if (layer->in.c != layer->out.c) {
                return "bad pool channels";
            }
            return read_window(l, layer);
        default:
            return "bad layer type";
    }
}

const char *tmdl_parse_layers(const uint8_t *data, size_t length, cnn_header_t *header,
    cnn_layer_t *layers) {
    uint32_t buf_size = read_u32(data + TMDL_OFS_BUF_SIZE);
    uint64_t arena_end = 0;
    size_t pos = TMDL_HEADER_SIZE;
    int output_layer = -1;
    header->largest_conv_fan_in = 0;

    for (size_t i = 0; i < header->layer_count; i++) {
        if (length - pos < TMDL_LAYER_HEADER_SIZE) {
            return "model truncated";
        }
        const uint8_t *l = data + pos;
        uint32_t size = read_u32(l + TMDL_LOFS_SIZE);
        if (size < TMDL_LAYER_HEADER_SIZE || size % 8 != 0) {
            return "bad layer size";
        }
        if (size > length - pos) {
            return "model truncated";
        }

        cnn_layer_t *layer = &layers[i];
        layer->type = read_u16(l + TMDL_LOFS_TYPE);
        layer->is_output = read_u16(l + TMDL_LOFS_IS_OUTPUT) != 0;
        layer->act = TMDL_ACT_NONE;
        layer->in_offset = read_u32(l + TMDL_LOFS_IN_OFFSET);
        layer->out_offset = read_u32(l + TMDL_LOFS_OUT_OFFSET);
        layer->in1_offset = 0;
        layer->depth_multiplier = 0;
        layer->weights = NULL;
        layer->bias = NULL;
        layer->weight_scales = NULL;
        const char *error = read_shape(l + TMDL_LOFS_IN_DIMS, &layer->in);
        if (!error) {
            error = read_shape(l + TMDL_LOFS_OUT_DIMS, &layer->out);
        }
        if (!error) {
            error = read_quantisation(l, layer);
        }
        if (error) {
            return error;
        }
        // The layers form a chain: each one reads what the previous one wrote.
        const cnn_shape_t *expected_in = i == 0 ? &header->in : &layers[i - 1].out;
        if (!same_hwc(&layer->in, expected_in)) {
            return "layer shapes differ";
        }
        if (!region_fits(layer->in_offset, &layer->in, buf_size, &arena_end)
            || !region_fits(layer->out_offset, &layer->out, buf_size, &arena_end)) {
            return "layer outside arena";
        }
        error = read_layer_body(l, size, buf_size, layer, header, &arena_end);
        if (error) {
            return error;
        }
        if (layer->is_output) {
            if (output_layer >= 0) {
                return "several output layers";
            }
            output_layer = (int)i;
        }
        pos += size;
    }
    if (pos != length) {
        return "data after last layer";
    }
    if (output_layer < 0) {
        output_layer = header->layer_count - 1;  // a hand-made file may not flag it
    }
    header->out = layers[output_layer].out;
    header->output_layer = (uint16_t)output_layer;
    header->arena_size = (size_t)arena_end;
    return NULL;
}
