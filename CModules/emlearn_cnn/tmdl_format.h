// Byte layout of a TinyMaix model file (.tmdl), as written by TinyMaix's converter.
// All multi-byte fields are little-endian. Every layer starts on an 8-byte boundary.
// See docs/kernels-cnn.md for the full description.
#ifndef EMLEARN_CNN_TMDL_FORMAT_H
#define EMLEARN_CNN_TMDL_FORMAT_H

// Model header: 64 bytes.
#define TMDL_MAGIC 0x5849414Du  // "MAIX" read as a little-endian u32
#define TMDL_HEADER_SIZE 64
#define TMDL_OFS_MODEL_TYPE 4      // u8
#define TMDL_OFS_OUT_DEQUANT 5     // u8
#define TMDL_OFS_INPUT_COUNT 6     // u16
#define TMDL_OFS_OUTPUT_COUNT 8    // u16
#define TMDL_OFS_LAYER_COUNT 10    // u16
#define TMDL_OFS_BUF_SIZE 12       // u32: arena bytes (ping-pong + kept branch)
#define TMDL_OFS_SUB_SIZE 16       // u32: unused by the converter, always 0
#define TMDL_OFS_IN_DIMS 20        // u16[4]: rank, h, w, c
#define TMDL_OFS_OUT_DIMS 28       // u16[4]: not trusted, see tmdl.c

#define TMDL_TYPE_INT8 0
#define TMDL_TYPE_INT16 1
#define TMDL_TYPE_FP32 2
#define TMDL_TYPE_FP16 3
#define TMDL_TYPE_FP8_143 4
#define TMDL_TYPE_FP8_152 5

// Layer header: 48 bytes, common to every layer.
#define TMDL_LAYER_HEADER_SIZE 48
#define TMDL_LOFS_TYPE 0           // u16
#define TMDL_LOFS_IS_OUTPUT 2      // u16
#define TMDL_LOFS_SIZE 4           // u32: whole layer incl. header, multiple of 8
#define TMDL_LOFS_IN_OFFSET 8      // u32: input tensor offset in the arena
#define TMDL_LOFS_OUT_OFFSET 12    // u32: output tensor offset in the arena
#define TMDL_LOFS_IN_DIMS 16       // u16[4]
#define TMDL_LOFS_OUT_DIMS 24      // u16[4]
#define TMDL_LOFS_IN_SCALE 32      // f32
#define TMDL_LOFS_IN_ZERO 36       // i32 in int8 models, f32 (unused) in float models
#define TMDL_LOFS_OUT_SCALE 40     // f32
#define TMDL_LOFS_OUT_ZERO 44      // i32 / f32

// Layer types known to TinyMaix.
#define TMDL_LAYER_CONV2D 0
#define TMDL_LAYER_GAP 1
#define TMDL_LAYER_FC 2
#define TMDL_LAYER_SOFTMAX 3
#define TMDL_LAYER_RESHAPE 4
#define TMDL_LAYER_DWCONV2D 5
#define TMDL_LAYER_ADD 6
// mpyforge extensions: TinyMaix has no pooling layer. Numbers far from TinyMaix's own
// so that a future upstream layer type is never misread as one of these.
#define TMDL_LAYER_MAXPOOL2D 100
#define TMDL_LAYER_AVGPOOL2D 101

// Window parameters shared by conv2d, dwconv2d and the pooling extension,
// at the start of the layer body (right after the 48-byte header).
#define TMDL_WOFS_KERNEL_W 48      // u8
#define TMDL_WOFS_KERNEL_H 49      // u8
#define TMDL_WOFS_STRIDE_W 50      // u8
#define TMDL_WOFS_STRIDE_H 51      // u8
#define TMDL_WOFS_DILATION_W 52    // u8
#define TMDL_WOFS_DILATION_H 53    // u8
#define TMDL_WOFS_ACT 54           // u16
#define TMDL_WOFS_PAD 56           // u8[4]: top, bottom, left, right

// conv2d / dwconv2d body continues; layer header+body is 80 bytes before the data.
#define TMDL_COFS_DEPTH_MUL 60     // u32: 0 for conv2d, >=1 for dwconv2d
#define TMDL_COFS_WSCALE_OFFSET 68 // u32, from layer start: f32 per output channel (int8)
#define TMDL_COFS_WEIGHT_OFFSET 72 // u32: weights [cout][cin][kh][kw] (dw: [cout][kh][kw])
#define TMDL_COFS_BIAS_OFFSET 76   // u32: f32 (fp32) or i32 (int8, zero point pre-fused)
#define TMDL_CONV_FIXED_SIZE 80

// Pooling extension: window parameters + 4 reserved bytes.
#define TMDL_POOL_FIXED_SIZE 64

// fc body: 16 bytes of offsets.
#define TMDL_FOFS_WSCALE_OFFSET 48 // u32: int8 only ws[0] is used (per-tensor)
#define TMDL_FOFS_WEIGHT_OFFSET 52 // u32: weights [cout][cin]
#define TMDL_FOFS_BIAS_OFFSET 56   // u32
#define TMDL_FOFS_ACT 60           // u32: reserved (0) in TinyMaix; mpyforge reads an activation
#define TMDL_FC_FIXED_SIZE 64

// add body: second input.
#define TMDL_AOFS_IN1_OFFSET 48    // u32: arena offset of the kept branch
#define TMDL_AOFS_IN1_SCALE 52     // f32
#define TMDL_AOFS_IN1_ZERO 56      // i32 / f32
#define TMDL_ADD_FIXED_SIZE 64

// Activations (the act field).
#define TMDL_ACT_NONE 0
#define TMDL_ACT_RELU 1
#define TMDL_ACT_RELU1 2
#define TMDL_ACT_RELU6 3

#endif
