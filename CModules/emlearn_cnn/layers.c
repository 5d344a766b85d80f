// Layer kernels and the interpreter loop. Tensors are HWC. Models reach this code only
// after tmdl.c validated every shape, offset and size, so nothing here re-checks them.
//
// int8 arithmetic (see docs/kernels-cnn.md): products are summed in int32, the int32
// bias (input zero point already folded in by the converter) is added, and the sum is
// scaled to a real value in float. Activations clamp real values. Results are
// requantised with round-half-away-from-zero and saturation, where TinyMaix truncates
// and does not saturate.
#include <string.h>

#include "cnn_model.h"
#include "tmdl_format.h"

#if CNN_IS_INT8
typedef int32_t accumulator_t;
#define CNN_LOWEST_VALUE INT8_MIN
#define DEQUANTIZE(q, scale, zero) ((float)((int32_t)(q) - (zero)) * (scale))
#else
typedef float accumulator_t;
#define CNN_LOWEST_VALUE (-__builtin_inff())
#define DEQUANTIZE(q, scale, zero) (q)
#endif

#define CNN_INLINE static inline __attribute__((always_inline))

// The fused activation as a clamp to [min, max], indexed by TMDL_ACT_*: none, ReLU, ReLU1,
// ReLU6. TinyMaix's fp32 kernels skip ReLU6's upper clamp for speed; we don't.
// aligned(4): without it GCC aligns a 32-byte table to 32 on x86-64 (up to 28 bytes of padding).
static const float activation_bounds[4][2] __attribute__((aligned(4))) = {
    {-__builtin_inff(), __builtin_inff()}, {0.0f, __builtin_inff()}, {-1.0f, 1.0f}, {0.0f, 6.0f}
};

CNN_INLINE float activate(float x, int act) {
    const float lo = activation_bounds[act][0], hi = activation_bounds[act][1];
    return x < lo ? lo : (x > hi ? hi : x);
}

// e^x for x <= 0, all softmax needs (it subtracts the maximum first). Our own rather
// than libm's expf: glibc's static expf pulls in CPU-dispatch and errno symbols that a
// native module cannot link, and this is small and gives the same result on every arch.
// Relative error ~2e-7 (range reduction by ln 2, degree-6 Taylor polynomial).
static __attribute__((noinline)) float exp_nonpositive(float x) {
    if (!(x >= -87.0f)) {
        return 0.0f;  // underflows float anyway; also catches NaN
    }
    int32_t n = (int32_t)(x * 1.44269504f - 0.5f);  // round(x / ln 2), x <= 0
    float r = x - (float)n * 0.693145751953125f - (float)n * 1.428606765330187e-06f;
    float p = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720))))));
    union {
        uint32_t u;
        float f;
    } two_to_n;
    two_to_n.u = (uint32_t)(n + 127) << 23;
    return p * two_to_n.f;
}

#if CNN_IS_INT8
// Written so that NaN and out-of-range values saturate instead of hitting the
// undefined float->int conversion.
CNN_INLINE int8_t quantize_inline(float real, float inv_scale, int32_t zero) {
    float q = real * inv_scale + (float)zero;
    if (!(q > -128.5f)) {
        return -128;
    }
    if (q >= 127.5f) {
        return 127;
    }
    return (int8_t)(q >= 0.0f ? (int32_t)(q + 0.5f) : -(int32_t)(0.5f - q));
}

// One shared copy for the layers that are not the hot path (input, pooling, softmax, add):
// inlined into each of them, the float compares and rounding cost more bytes than the call time.
static __attribute__((noinline)) int8_t quantize(float real, float inv_scale, int32_t zero) {
    return quantize_inline(real, inv_scale, zero);
}
#endif

// Stores a real result into the layer's output type.
CNN_INLINE cnn_value_t to_output(float real, float inv_out_scale, int32_t out_zero) {
#if CNN_IS_INT8
    return quantize(real, inv_out_scale, out_zero);
#else
    (void)inv_out_scale;
    (void)out_zero;
    return real;
#endif
}

// The hot loop of conv and fc layers. With SSE2 (every x86-64) it is written with SSE2
// intrinsics: int8 products summed in pairs by one multiply-add instruction (pmaddwd), fp32 in
// four lanes (a float add waits for the one before it, so a single running sum leaves the FPU
// idle most of the time). That is both faster and smaller than what GCC's -O2 vectoriser
// made of the plain loop (482 bytes of sign-extension shuffles for int8). MCUs keep the plain
// loop: no SIMD, and single-cycle float adds on Cortex-M4F. So fp32 sums may differ between
// x86-64 and MCUs in the last bits (float addition order).
#if defined(__SSE2__)
#include <emmintrin.h>

// Built with -O2 all the same (aligned function and loops): without it the unix-port timings
// of the small benchmark models were 8-12% slower (fp32 MNIST 0.78 -> 0.70 of theirs) for
// 48-64 bytes less.
#if defined(__GNUC__) && !defined(__clang__)
#define CNN_HOT __attribute__((optimize("O2")))
#else
#define CNN_HOT
#endif

#if CNN_IS_INT8
// Eight int8 values (the low half of x) as eight int16: each byte doubled, then shifted down.
#define CNN_WIDEN_LOW(x) _mm_srai_epi16(_mm_unpacklo_epi8((x), (x)), 8)
#define CNN_WIDEN_HIGH(x) _mm_srai_epi16(_mm_unpackhi_epi8((x), (x)), 8)
#endif

CNN_HOT static accumulator_t dot(const cnn_value_t *a, const cnn_value_t *b, size_t n) {
    size_t i = 0;
#if CNN_IS_INT8
    // |product| <= 2^14, so a pair fits pmaddwd's int32, and the fan-in bound keeps the sum.
    __m128i lanes = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(a + i));
        __m128i y = _mm_loadu_si128((const __m128i *)(b + i));
        lanes = _mm_add_epi32(lanes, _mm_madd_epi16(CNN_WIDEN_LOW(x), CNN_WIDEN_LOW(y)));
        lanes = _mm_add_epi32(lanes, _mm_madd_epi16(CNN_WIDEN_HIGH(x), CNN_WIDEN_HIGH(y)));
    }
    if (i + 8 <= n) {  // windows of 8..15 values are common (3x3 kernels)
        __m128i x = _mm_loadl_epi64((const __m128i *)(a + i));
        __m128i y = _mm_loadl_epi64((const __m128i *)(b + i));
        lanes = _mm_add_epi32(lanes, _mm_madd_epi16(CNN_WIDEN_LOW(x), CNN_WIDEN_LOW(y)));
        i += 8;
    }
    lanes = _mm_add_epi32(lanes, _mm_shuffle_epi32(lanes, _MM_SHUFFLE(1, 0, 3, 2)));
    lanes = _mm_add_epi32(lanes, _mm_shuffle_epi32(lanes, _MM_SHUFFLE(2, 3, 0, 1)));
    accumulator_t sum = _mm_cvtsi128_si32(lanes);
    for (; i < n; i++) {
        sum += (accumulator_t)a[i] * b[i];
    }
    return sum;
#else
    __m128 lanes = _mm_setzero_ps();
    for (; i + 4 <= n; i += 4) {
        lanes = _mm_add_ps(lanes, _mm_mul_ps(_mm_loadu_ps(a + i), _mm_loadu_ps(b + i)));
    }
    lanes = _mm_add_ps(lanes, _mm_movehl_ps(lanes, lanes));
    accumulator_t sum = _mm_cvtss_f32(_mm_add_ss(lanes, _mm_shuffle_ps(lanes, lanes, 1)));
    for (; i < n; i++) {
        sum += a[i] * b[i];
    }
    return sum;
#endif
}
#else
// Out of line on MCUs and four products per pass: inlined into the convolution, the loop ran
// out of registers and reloaded two of them from the stack for every element, and one product
// per pass spends half its instructions on the loop itself (8 Thumb instructions per product,
// now about 3: ours had taken 1.5-1.8x theirs' instructions on an emulated Cortex-M4F).


#if CNN_IS_INT8 && defined(__ARM_FEATURE_SIMD32)
#define CNN_DOT_STEP 8
#else
#define CNN_DOT_STEP 4
#endif

static __attribute__((noinline)) accumulator_t dot(const cnn_value_t *a, const cnn_value_t *b, size_t n) {
    accumulator_t sum = 0;
    const cnn_value_t *end = a + (n & ~(size_t)(CNN_DOT_STEP - 1));
    while (a != end) {   // each variant steps a and b by CNN_DOT_STEP values
#if !CNN_IS_INT8 && defined(__thumb2__) && defined(__ARM_FP) && !defined(__SOFTFP__)
        // Cortex-M4F/M7: four floats of each side in one VLDM each, summed in order (the same
        // order, and so the same roundings, as the plain loop); GCC loads one float per VLDR.
        __asm__("vldmia %0!, {s8-s11}\n\t"
                "vldmia %1!, {s12-s15}\n\t"
                "vmla.f32 %2, s8, s12\n\t"
                "vmla.f32 %2, s9, s13\n\t"
                "vmla.f32 %2, s10, s14\n\t"
                "vmla.f32 %2, s11, s15"
                : "+r"(a), "+r"(b), "+t"(sum)
                :
                : "s8", "s9", "s10", "s11", "s12", "s13", "s14", "s15", "memory");
#elif CNN_IS_INT8 && defined(__ARM_FEATURE_SIMD32)
        // Cortex-M4/M7 (DSP extension): four int8 pairs from one word of each side (unaligned
        // LDR is fine on these cores), sign-extended in pairs (SXTB16 of the word and of the
        // word rotated by 8, the rotation folded into the instruction), summed by two SMLADs.
        uint32_t x, y, x_odd, y_odd;
        #define CNN_SMLAD_WORD \
                "ldr %[x], [%[a]], #4\n\t" \
                "ldr %[y], [%[b]], #4\n\t" \
                "sxtb16 %[x_odd], %[x], ror #8\n\t" \
                "sxtb16 %[y_odd], %[y], ror #8\n\t" \
                "sxtb16 %[x], %[x]\n\t" \
                "sxtb16 %[y], %[y]\n\t" \
                "smlad %[sum], %[x], %[y], %[sum]\n\t" \
                "smlad %[sum], %[x_odd], %[y_odd], %[sum]\n\t"
        // two words per pass: 8 products for one loop test
        __asm__(CNN_SMLAD_WORD CNN_SMLAD_WORD
                : [a] "+r"(a), [b] "+r"(b), [sum] "+r"(sum), [x] "=&r"(x), [y] "=&r"(y),
                  [x_odd] "=&r"(x_odd), [y_odd] "=&r"(y_odd)
                :
                : "memory");
        #undef CNN_SMLAD_WORD
#else
        sum += (accumulator_t)a[0] * b[0] + (accumulator_t)a[1] * b[1]
            + (accumulator_t)a[2] * b[2] + (accumulator_t)a[3] * b[3];
        a += 4, b += 4;
#endif
    }
    for (n &= CNN_DOT_STEP - 1; n > 0; n--) {
        sum += (accumulator_t)*a++ * *b++;
    }
    return sum;
}
#endif

// Activation and output quantisation of one real result: one call per output value, with
// everything inside it inlined.
static cnn_value_t output_value(const cnn_layer_t *l, float real, float inv_out_scale) {
#if CNN_IS_INT8
    return quantize_inline(activate(real, l->act), inv_out_scale, l->out_zero);
#else
    (void)inv_out_scale;
    return activate(real, l->act);
#endif
}

// Bias and rescale of one accumulated sum, then output_value.
CNN_INLINE cnn_value_t finish_sum(const cnn_layer_t *l, size_t channel, float weight_scale,
    accumulator_t sum, float inv_out_scale) {
#if CNN_IS_INT8
    // |sum| < 2^30 (CNN_MAX_FAN_IN), so clamping the bias to +-2^30 keeps the int32 total
    // from overflowing; only a nonsensical bias is affected. No int64: converting one to
    // float needs a libgcc helper on 32-bit ARM.
    int32_t bias = l->bias[channel];
    bias = bias > CNN_BIAS_LIMIT ? CNN_BIAS_LIMIT : (bias < -CNN_BIAS_LIMIT ? -CNN_BIAS_LIMIT : bias);
    float real = (float)(sum + bias) * (weight_scale * l->in_scale);
#else
    (void)weight_scale;
    float real = sum + l->bias[channel];
#endif
    return output_value(l, real, inv_out_scale);
}

// Whether a window starting at `start` (possibly negative: padding) lies wholly inside [0, size).
static int window_inside(int32_t start, uint32_t kernel, uint32_t dilation, uint32_t size) {
    return start >= 0 && start + (int32_t)((kernel - 1) * dilation) < (int32_t)size;
}

// Values of one input window gathered on the stack (im2col, one output position at a time):
// every output channel then runs one contiguous dot product over it. Windows larger than this
// take the slower per-tap path; nothing of it lives on the heap, so the model's RAM is unchanged.
#define CNN_PATCH_BYTES 1024
#define CNN_PATCH_VALUES (CNN_PATCH_BYTES / sizeof(cnn_value_t))

// Copies the window at (y0, x0) into patch in [kh][kw][cin] order (the order
// cnn_prepare_conv_weights gives the weights of such windows); positions in the padding get
// the value that means real 0 (the input zero point for int8: the converter's bias already
// counts it for every tap). Whole kernel rows are copied at once where they lie inside:
// tap by tap was 100-190 bytes smaller, but the small benchmark models took 10-20% longer.
static void gather_window(const cnn_layer_t *l, const cnn_value_t *in, int32_t y0, int32_t x0,
    cnn_value_t *patch) {
    const size_t in_c = l->in.c;
    const cnn_value_t pad = (cnn_value_t)(CNN_IS_INT8 ? l->in_zero : 0);
    // Without horizontal dilation, a kernel row wholly inside the input is one contiguous run.
    const int row_runs = l->dilation_w == 1 && x0 >= 0 && x0 + l->kernel_w <= l->in.w;
    const size_t run = (size_t)l->kernel_w * in_c;
    for (int32_t ky = 0; ky < l->kernel_h; ky++) {
        int32_t iy = y0 + ky * l->dilation_h;
        if (row_runs && iy >= 0 && iy < l->in.h) {
            const cnn_value_t *src = in + ((size_t)iy * l->in.w + x0) * in_c;
            for (size_t i = 0; i < run; i++) {
                *patch++ = src[i];
            }
            continue;
        }
        for (int32_t kx = 0; kx < l->kernel_w; kx++) {
            int32_t ix = x0 + kx * l->dilation_w;
            int in_bounds = (uint32_t)iy < l->in.h && (uint32_t)ix < l->in.w;
            const cnn_value_t *src = in + (in_bounds ? ((size_t)iy * l->in.w + ix) * in_c : 0);
            for (size_t c = 0; c < in_c; c++) {
                *patch++ = in_bounds ? src[c] : pad;
            }
        }
    }
}

// Whether conv2d gathers the layer's windows; larger ones keep the file's weight order
// (cnn_prepare_conv_weights goes through a stack buffer of the patch's size).
static int window_is_gathered(const cnn_layer_t *l) {
    return (size_t)l->kernel_h * l->kernel_w * l->in.c <= CNN_PATCH_VALUES;
}

// Normal convolution: gathered windows with weights [cout][kh][kw][cin] (reordered at load),
// larger ones tap by tap with the file's [cout][cin][kh][kw]. `patch` is the
// caller's (conv2d below), and on MCUs this is a function of its own: with the 1 KiB array in
// the same frame, spilled locals sit beyond the short load/store offsets and each access costs
// an extra address computation (xtensawin: the function was 1.7x its size; RISC-V and Thumb
// gain a little). On x86 the split only costs bytes, so it is inlined there.
#if defined(__x86_64__) || defined(__i386__)
#define CNN_CONV_BODY CNN_INLINE
#else
#define CNN_CONV_BODY static __attribute__((noinline))
#endif
CNN_CONV_BODY void conv2d_with_patch(const cnn_layer_t *l, const cnn_value_t *in,
    cnn_value_t *out, cnn_value_t *patch) {
    const size_t in_c = l->in.c;
    const size_t taps = (size_t)l->kernel_h * l->kernel_w;
    const size_t window = taps * in_c;
    const float inv_out_scale = 1.0f / l->out_scale;
    const cnn_value_t pad = (cnn_value_t)(CNN_IS_INT8 ? l->in_zero : 0);
    for (int32_t oy = 0; oy < l->out.h; oy++) {
        int32_t y0 = oy * l->stride_h - l->pad_top;
        for (int32_t ox = 0; ox < l->out.w; ox++) {
            int32_t x0 = ox * l->stride_w - l->pad_left;
            const int gathered = window_is_gathered(l);
            if (gathered) {
                gather_window(l, in, y0, x0, patch);
            }
            const cnn_value_t *w = l->weights;
            for (size_t oc = 0; oc < l->out.c; oc++, w += window) {
                accumulator_t sum = 0;
                if (gathered) {
                    sum = dot(patch, w, window);
                } else {
                    // Tap by tap; the weights of one tap are `taps` apart.
                    const cnn_value_t *tap_w = w;
                    for (int32_t ky = 0; ky < l->kernel_h; ky++) {
                        uint32_t iy = (uint32_t)(y0 + ky * l->dilation_h);  // in the padding: huge
                        for (int32_t kx = 0; kx < l->kernel_w; kx++, tap_w++) {
                            uint32_t ix = (uint32_t)(x0 + kx * l->dilation_w);
                            int in_bounds = iy < l->in.h && ix < l->in.w;
                            const cnn_value_t *src = in + (in_bounds ? ((size_t)iy * l->in.w + ix) * in_c : 0);
                            for (size_t c = 0; c < in_c; c++) {
                                sum += (accumulator_t)(in_bounds ? src[c] : pad) * tap_w[c * taps];
                            }
                        }
                    }
                }
                float weight_scale = CNN_IS_INT8 ? l->weight_scales[oc] : 1.0f;
                *out++ = finish_sum(l, oc, weight_scale, sum, inv_out_scale);
            }
        }
    }
}

static void conv2d(const cnn_layer_t *l, const cnn_value_t *in, cnn_value_t *out) {
    cnn_value_t patch[CNN_PATCH_VALUES];
    conv2d_with_patch(l, in, out, patch);
}

// Depthwise convolution and pooling, one loop nest: each output channel reduces one input
// channel's window (a depthwise conv's channel oc reads input channel oc / depth_multiplier,
// weights [cout][kh][kw]; pooling has multiplier 1). Global average pooling is an average pool
// whose window is the whole input (the parser gives it dilation 1; stride and padding are 0,
// and there is one output position).
// Taps are walked by index steps; only a window that reaches into the padding checks each tap,
// split off at the innermost loop (a single loop with the check skipped per tap was 120 bytes
// smaller on x64 but 6% more instructions on the depthwise-separable benchmark model). Pools
// always take the checked loop: padded positions are ignored, as in TensorFlow (an average
// divides by the number of real input positions), where a conv reads them as real 0.
static void window_layer(const cnn_layer_t *l, const cnn_value_t *in, cnn_value_t *out) {
    const size_t in_c = l->in.c;
    const int is_conv = l->type == TMDL_LAYER_DWCONV2D;
    const int is_max = l->type == TMDL_LAYER_MAXPOOL2D;
    int32_t kernel_h = l->kernel_h, kernel_w = l->kernel_w;
    if (l->type == TMDL_LAYER_GAP) {
        kernel_h = l->in.h;
        kernel_w = l->in.w;
    }
    const size_t tap_step = (size_t)l->dilation_w * in_c;
    const size_t row_step = (size_t)l->dilation_h * l->in.w * in_c;
    const cnn_value_t pad = (cnn_value_t)(CNN_IS_INT8 && is_conv ? l->in_zero : 0);
    const float inv_out_scale = 1.0f / l->out_scale;
    for (int32_t oy = 0; oy < l->out.h; oy++) {
        int32_t y0 = oy * l->stride_h - l->pad_top;
        int rows_inside = window_inside(y0, kernel_h, l->dilation_h, l->in.h);
        for (int32_t ox = 0; ox < l->out.w; ox++) {
            int32_t x0 = ox * l->stride_w - l->pad_left;
            int fast = is_conv && rows_inside && window_inside(x0, kernel_w, l->dilation_w, l->in.w);
            // The window's first tap, as an index that wraps (unused) where it is in the padding.
            const size_t corner = ((size_t)y0 * l->in.w + (size_t)x0) * in_c;
            const cnn_value_t *w = l->weights;
            size_t oc = 0;
            for (size_t ic = 0; ic < in_c; ic++) {
                for (uint32_t m = 0; m < l->depth_multiplier; m++, oc++) {
                    accumulator_t sum = 0;  // a pool's: the total of the real positions
                    cnn_value_t best = CNN_LOWEST_VALUE;
                    uint32_t count = 0;
                    size_t row = corner + ic;
                    uint32_t iy = (uint32_t)y0;  // in the padding: huge
                    for (int32_t ky = 0; ky < kernel_h; ky++, row += row_step, iy += l->dilation_h) {
                        size_t tap = row;
                        if (fast) {
                            for (int32_t kx = 0; kx < kernel_w; kx++, tap += tap_step) {
                                sum += (accumulator_t)in[tap] * *w++;
                            }
                            continue;
                        }
                        uint32_t ix = (uint32_t)x0;
                        for (int32_t kx = 0; kx < kernel_w; kx++, tap += tap_step, ix += l->dilation_w) {
                            cnn_value_t v = pad;
                            if (iy < l->in.h && ix < l->in.w) {
                                v = in[tap];
                                best = best < v ? v : best;
                                count++;
                            }
                            sum += is_conv ? (accumulator_t)v * *w++ : (accumulator_t)v;
                        }
                    }
                    if (is_conv) {
                        float weight_scale = CNN_IS_INT8 ? l->weight_scales[oc] : 1.0f;
                        *out++ = finish_sum(l, oc, weight_scale, sum, inv_out_scale);
                        continue;
                    }
                    float real = 0.0f;  // a window entirely in the padding
                    if (count > 0) {
                        // int8: the largest or mean quantised value, then dequantised.
                        real = is_max ? (float)best : (float)sum / (float)(int32_t)count;
                        #if CNN_IS_INT8
                        real = (real - (float)l->in_zero) * l->in_scale;
                        #endif
                    }
                    *out++ = output_value(l, real, inv_out_scale);
                }
            }
        }
    }
}

static void fully_connected(const cnn_layer_t *l, const cnn_value_t *in, cnn_value_t *out) {
    const size_t n = cnn_shape_count(&l->in);
    const float inv_out_scale = 1.0f / l->out_scale;
    // TinyMaix quantises fc weights per tensor.
    const float weight_scale = CNN_IS_INT8 ? l->weight_scales[0] : 1.0f;
    for (size_t oc = 0; oc < l->out.c; oc++) {
        accumulator_t sum = dot(in, l->weights + oc * n, n);
        out[oc] = finish_sum(l, oc, weight_scale, sum, inv_out_scale);
    }
}

// Softmax over the channels of every position. The exponentials are computed twice
// rather than stored, so no scratch buffer is needed and in == out is fine.
static void softmax(const cnn_layer_t *l, const cnn_value_t *in, cnn_value_t *out) {
    const size_t c_count = l->in.c;
    const size_t positions = (size_t)l->in.h * l->in.w;
    const float inv_out_scale = 1.0f / l->out_scale;
    for (size_t p = 0; p < positions; p++, in += c_count, out += c_count) {
        float largest = DEQUANTIZE(in[0], l->in_scale, l->in_zero);
        for (size_t c = 1; c < c_count; c++) {
            float v = DEQUANTIZE(in[c], l->in_scale, l->in_zero);
            largest = v > largest ? v : largest;
        }
        float total = 0.0f;
        for (size_t c = 0; c < c_count; c++) {
            total += exp_nonpositive(DEQUANTIZE(in[c], l->in_scale, l->in_zero) - largest);
        }
        float inv_total = 1.0f / total;
        for (size_t c = 0; c < c_count; c++) {
            float probability = exp_nonpositive(DEQUANTIZE(in[c], l->in_scale, l->in_zero) - largest) * inv_total;
            out[c] = to_output(probability, inv_out_scale, l->out_zero);
        }
    }
}

static void add(const cnn_layer_t *l, const cnn_value_t *in0, const cnn_value_t *in1, cnn_value_t *out) {
    const size_t n = cnn_shape_count(&l->in);
    const float inv_out_scale = 1.0f / l->out_scale;
    for (size_t i = 0; i < n; i++) {
        float real = DEQUANTIZE(in0[i], l->in_scale, l->in_zero)
            + DEQUANTIZE(in1[i], l->in1_scale, l->in1_zero);
        out[i] = to_output(real, inv_out_scale, l->out_zero);
    }
}

// One output channel at a time through a buffer on the stack (see cnn_model.h).
void cnn_prepare_conv_weights(cnn_layer_t *l) {
    cnn_value_t original[CNN_PATCH_VALUES];
    if (!window_is_gathered(l)) {
        return;  // conv2d runs it tap by tap on the file's order
    }
    const size_t in_c = l->in.c;
    const size_t taps = (size_t)l->kernel_h * l->kernel_w;
    cnn_value_t *w = l->weights;
    for (size_t oc = 0; oc < l->out.c; oc++, w += in_c * taps) {
        memcpy(original, w, in_c * taps * sizeof(cnn_value_t));
        for (size_t ic = 0; ic < in_c; ic++) {
            for (size_t k = 0; k < taps; k++) {
                w[k * in_c + ic] = original[ic * taps + k];
            }
        }
    }
}

// Pixels are scaled as TinyMaix's examples do for fp32 (x / 255). For int8 the same
// real value is quantised with the first layer's input parameters; for the usual
// input quantisation (scale 1/255, zero point -128) that is exactly x - 128.
static void load_input(const cnn_header_t *header, const cnn_layer_t *first, const uint8_t *pixels,
    cnn_value_t *x) {
    const size_t n = cnn_shape_count(&header->in);
    #if CNN_IS_INT8
    const float inv_scale = 1.0f / first->in_scale;
    for (size_t i = 0; i < n; i++) {
        x[i] = quantize((float)(int32_t)pixels[i] / 255.0f, inv_scale, first->in_zero);
    }
    #else
    (void)first;
    // Conversions from int32 only (never unsigned): on MCUs without an FPU each kind is its
    // own libgcc routine. All counts here are far below 2^31.
    for (size_t i = 0; i < n; i++) {
        x[i] = (float)(int32_t)pixels[i] / 255.0f;
    }
    #endif
}

static void store_output(const cnn_layer_t *l, const cnn_value_t *y, float *outputs) {
    const size_t n = cnn_shape_count(&l->out);
    for (size_t i = 0; i < n; i++) {
        outputs[i] = DEQUANTIZE(y[i], l->out_scale, l->out_zero);
    }
}

void cnn_run(const cnn_header_t *header, const cnn_layer_t *layers, uint8_t *arena,
    const uint8_t *pixels, float *outputs) {
    load_input(header, &layers[0], pixels, (cnn_value_t *)(arena + layers[0].in_offset));
    for (size_t i = 0; i < header->layer_count; i++) {
        const cnn_layer_t *l = &layers[i];
        const cnn_value_t *in = (const cnn_value_t *)(arena + l->in_offset);
        cnn_value_t *out = (cnn_value_t *)(arena + l->out_offset);
        switch (l->type) {
            case TMDL_LAYER_CONV2D:
                conv2d(l, in, out);
                break;
            case TMDL_LAYER_DWCONV2D:
            case TMDL_LAYER_MAXPOOL2D:
            case TMDL_LAYER_AVGPOOL2D:
            case TMDL_LAYER_GAP:
                window_layer(l, in, out);
                break;
            case TMDL_LAYER_FC:
                fully_connected(l, in, out);
                break;
            case TMDL_LAYER_SOFTMAX:
                softmax(l, in, out);
                break;
            case TMDL_LAYER_ADD:
                add(l, in, (const cnn_value_t *)(arena + l->in1_offset), out);
                break;
            case TMDL_LAYER_RESHAPE:
                // Same bytes, new shape. TinyMaix reshapes in place; copy if the file moved it.
                if (in != out) {
                    memmove(out, in, cnn_shape_count(&l->in) * sizeof(cnn_value_t));
                }
                break;
        }
        if (i == header->output_layer) {
            store_output(l, out, outputs);
        }
    }
}
