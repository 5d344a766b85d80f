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

// e^x for x <= 0, all softmax needs (it subtracts the maximum first). Our own rather
// than libm's expf: glibc's static expf pulls in CPU-dispatch and errno symbols that a
// native module cannot link, and this is small and gives the same result on every arch.
// Relative error ~2e-7 (range reduction by ln 2, degree-6 Taylor polynomial).
static __attribute__((noinline)) float exp_nonpositive(float x) {
    if (!(x >= -87.0f)) {
        return 0.0f;  // underflows float anyway; also catches NaN
    }
    // Positive only in a file whose softmax output partly overlaps its input (writing one
    // probability changes an input not yet read); found by Fuzz/tmdl: the conversion below
    // would overflow.
    x = x > 0.0f ? 0.0f : x;
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

// A real result as the layer's output value (layer->output, see cnn_model.h). One clamp in the
// quantised domain does the activation and int8's saturation: quantising is monotonic, so
// clamping there to the quantised bounds equals clamping the real value first.
CNN_INLINE cnn_value_t to_output_inline(const cnn_output_t o, float real) {
#if CNN_IS_INT8
    float q = real * o.inv_scale + o.zero;  // the quantised value plus 128.5
    q = q > o.low ? q : o.low;  // also takes NaN (only nonsensical scales make one) to low
    q = q < o.high ? q : o.high;
    return (cnn_value_t)((int32_t)q - 128);  // q >= 0: truncation is floor
#else
    return real < o.low ? o.low : (real > o.high ? o.high : real);
#endif
}

#if CNN_IS_INT8
// Requantisation into int8 (cnn_output_t) with real bounds [lo, hi]. The zero point and the
// bounds carry an offset of 128.5 and the bounds lie in [0, 255], so that truncating rounds the
// quantised value half up: cheaper than rounding half away from zero (a compare and a branch per
// value; TinyMaix truncates, which biases results).
static __attribute__((noinline)) cnn_output_t int8_output(float inv_scale, int32_t zero_point, float lo, float hi) {
    const float zero = (float)zero_point + 128.5f;
    // An infinite bound, or 0 times an infinite inv_scale (NaN, from a subnormal scale), ends at
    // the int8 range's own bound.
    const float low = lo * inv_scale + zero, high = hi * inv_scale + zero;
    return (cnn_output_t){low > 0.0f ? low : 0.0f, high < 255.0f ? high : 255.0f, inv_scale, zero};
}
#endif

// One shared copy: inlined into each layer, the float compares and rounding cost more bytes
// than the call time. noipa: GCC's clones of it took the fields in registers, which every call
// site then loaded (more bytes). Clang (the fuzzing build) has no noipa.
#if defined(__clang__)
#define CNN_NOIPA __attribute__((noinline))
#else
#define CNN_NOIPA __attribute__((noipa))
#endif
static CNN_NOIPA cnn_value_t to_output(const cnn_output_t *o, float real) {
    return to_output_inline(*o, real);
}

// The normal conv's output, inlined where floats are hardware instructions on an MCU, where
// the call was a measured cost (on an emulated Cortex-M4F, 3-4% of the int8 models'
// instructions); elsewhere x64 is fast enough with the call, and the soft-float MCUs spend
// their time inside the float routines.
#if defined(__arm__) && defined(__ARM_FP) && !defined(__SOFTFP__)
#define CONV_OUTPUT(l, o, real) to_output_inline(o, real)
#else
#define CONV_OUTPUT(l, o, real) ((void)(o), to_output(&(l)->output, real))
#endif

// The hot loop of conv and fc layers. With SSE2 (every x86-64) it is written with SSE2
// intrinsics: int8 products summed in pairs by one multiply-add instruction (pmaddwd), fp32 in
// four lanes (a float add waits for the one before it, so a single running sum leaves the FPU
// idle most of the time). That is both faster and smaller than what GCC's -O2 vectoriser
// made of the plain loop (482 bytes of sign-extension shuffles for int8); plain -Os, as -O2
// (aligned loops, 8-12% faster on the unix port) cost 32-64 bytes. MCUs keep the plain
// loop: no SIMD, and single-cycle float adds on Cortex-M4F. So fp32 sums may differ between
// x86-64 and MCUs in the last bits (float addition order).
#if defined(__SSE2__)
#include <emmintrin.h>

#if CNN_IS_INT8
// Eight int8 values (the low half of x) as eight int16: each byte doubled, then shifted down.
#define CNN_WIDEN_LOW(x) _mm_srai_epi16(_mm_unpacklo_epi8((x), (x)), 8)
#endif

static accumulator_t dot(const cnn_value_t *a, const cnn_value_t *b, size_t n) {
    size_t i = 0;
#if CNN_IS_INT8
    // |product| <= 2^14, so a pair fits pmaddwd's int32, and the fan-in bound keeps the sum.
    // Eight values per pass (16 per pass and a step of 8 for the rest was 56 bytes more; the
    // module must not outgrow emlearn-micropython's, and x86-64 is fast enough either way).
    __m128i lanes = _mm_setzero_si128();
    for (; i + 8 <= n; i += 8) {
        __m128i x = _mm_loadl_epi64((const __m128i *)(a + i));
        __m128i y = _mm_loadl_epi64((const __m128i *)(b + i));
        lanes = _mm_add_epi32(lanes, _mm_madd_epi16(CNN_WIDEN_LOW(x), CNN_WIDEN_LOW(y)));
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

// The real value of one accumulated sum: bias added and, for int8, scaled (`scale`: the
// channel's weight scale times the input scale). |sum| < 2^30 (CNN_MAX_FAN_IN), so only a
// nonsensical int8 bias can take the total past int32: it wraps then (unsigned arithmetic, no
// undefined behaviour). No int64: converting one to float needs a libgcc helper on 32-bit ARM.
CNN_INLINE float sum_to_real(accumulator_t sum, cnn_bias_t bias, float scale) {
#if CNN_IS_INT8
    return (float)(int32_t)((uint32_t)sum + (uint32_t)bias) * scale;
#else
    (void)scale;
    return sum + bias;
#endif
}

// Copies the window at (y0, x0) into patch in [kh][kw][cin] order (im2col, one output position
// at a time, CNN_PATCH_VALUES at most, on the stack: the model's RAM is unchanged), so that every
// output channel runs one contiguous dot product over it; larger windows take the slower
// channel_window path. prepare_weights gives the weights of gathered windows the same order.
// Positions in the padding get
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
// (prepare_weights goes through a stack buffer of the patch's size).
static int window_is_gathered(const cnn_layer_t *l) {
    return (size_t)l->kernel_h * l->kernel_w * l->in.c <= CNN_PATCH_VALUES;
}

// Where one window lies: its first tap (y0, x0, possibly in the padding), its size (a global
// average pool's is the whole input), and the value a convolution reads in the padding (the
// value that means real 0: the input zero point for int8, as the converter's bias counts it for
// every tap; pools skip the padding and read 0 there), once per lane of depthwise_block.
typedef struct {
    int32_t y0, x0, kernel_h, kernel_w;
    cnn_value_t pad[CNN_DEPTHWISE_LANES];
} window_t;

// One input channel's part of a window, tap by tap: the sum of its values times the weights
// (every `w_step`-th from w), or of the values themselves (w NULL: a pool); the largest value
// and the number of taps inside the input.
typedef struct {
    accumulator_t sum;
    cnn_value_t best;
    uint32_t count;
} channel_sum_t;

// The slow path shared by pools, the depthwise channels that are not in a whole block and
// normal conv windows too large to gather (one input channel at a time, the file's weight
// order [cout][cin][kh][kw]).
static channel_sum_t channel_window(const cnn_layer_t *l, const cnn_value_t *in, const window_t *window,
    size_t ic, const cnn_value_t *w, size_t w_step) {
    channel_sum_t r = {0, CNN_LOWEST_VALUE, 0};
    for (int32_t ky = 0; ky < window->kernel_h; ky++) {
        uint32_t iy = (uint32_t)(window->y0 + ky * l->dilation_h);  // in the padding: huge
        for (int32_t kx = 0; kx < window->kernel_w; kx++) {
            uint32_t ix = (uint32_t)(window->x0 + kx * l->dilation_w);
            cnn_value_t v = window->pad[0];
            if (iy < l->in.h && ix < l->in.w) {
                v = in[((size_t)iy * l->in.w + ix) * l->in.c + ic];
                r.best = r.best < v ? v : r.best;
                r.count++;
            }
            if (w) {
                r.sum += (accumulator_t)v * *w;
                w += w_step;
            } else {
                r.sum += v;
            }
        }
    }
    return r;
}

// Normal convolution: gathered windows with weights [cout][kh][kw][cin] (reordered at load),
// larger ones channel by channel with the file's [cout][cin][kh][kw]. `patch` is the caller's (conv2d
// below), and on MCUs this is a function of its own: with the 1 KiB array in the same frame,
// spilled locals sit beyond the short load/store offsets and each access costs an extra address
// computation (xtensawin: the function was 1.7x its size; RISC-V and Thumb gain a little). On
// x86 the split only costs bytes, so it is inlined there. What the output loop needs is read
// into locals first: every int8 store through `out` may alias the layer (a char type), and the
// compiler reloaded each field after each store.
#if defined(__x86_64__) || defined(__i386__)
#define CNN_CONV_BODY CNN_INLINE
#else
#define CNN_CONV_BODY static __attribute__((noinline))
#endif
CNN_CONV_BODY void conv2d_with_patch(const cnn_layer_t *l, const cnn_value_t *in,
    cnn_value_t *out, cnn_value_t *patch) {
    const size_t out_c = l->out.c, taps = (size_t)l->kernel_h * l->kernel_w;
    const size_t window_values = taps * l->in.c;
    const int gathered = window_is_gathered(l);
    const cnn_output_t o = l->output;
    const cnn_bias_t *bias = l->bias;
    const float *scales = l->weight_scales;
    const cnn_value_t pad = (cnn_value_t)(CNN_IS_INT8 ? l->in_zero : 0);
    window_t window = {0, 0, l->kernel_h, l->kernel_w, {pad}};
    for (int32_t oy = 0; oy < l->out.h; oy++) {
        window.y0 = oy * l->stride_h - l->pad_top;
        for (int32_t ox = 0; ox < l->out.w; ox++) {
            window.x0 = ox * l->stride_w - l->pad_left;
            if (gathered) {
                gather_window(l, in, window.y0, window.x0, patch);
            }
            const cnn_value_t *w = l->weights;
            for (size_t oc = 0; oc < out_c; oc++, w += window_values) {
                accumulator_t sum = 0;
                if (gathered) {
                    sum = dot(patch, w, window_values);
                } else {
                    for (size_t ic = 0; ic < l->in.c; ic++) {
                        sum += channel_window(l, in, &window, ic, w + ic * taps, 1).sum;
                    }
                }
                *out++ = CONV_OUTPUT(l, o, sum_to_real(sum, bias[oc], CNN_IS_INT8 ? scales[oc] : 1.0f));
            }
        }
    }
}

static void conv2d(const cnn_layer_t *l, const cnn_value_t *in, cnn_value_t *out) {
    cnn_value_t patch[CNN_PATCH_VALUES];
    conv2d_with_patch(l, in, out, patch);
}

// The sums of CNN_DEPTHWISE_LANES adjacent channels of a depthwise conv with depth multiplier 1,
// in one pass over the window's taps (`in` at the block's first channel, `w` at its weights,
// interleaved [tap][lane] by cnn_prepare_layer): a tap's values of neighbouring channels are
// neighbours in the input (HWC). One channel per pass, as TinyMaix does and our earlier kernel
// did, spent most instructions on the loops (1.35x TinyMaix's instructions on an emulated
// Cortex-M4F). Out of line, so that the four sums stay in registers.
static __attribute__((noinline)) void depthwise_block(const cnn_layer_t *l, const cnn_value_t *in,
    const window_t *window, const cnn_value_t *w, accumulator_t *sums) {
#if defined(__SSE2__)
    // The four lanes are SSE2's four (int8: widened to int16, whose products fit, then to int32).
#if CNN_IS_INT8
    __m128i lanes = _mm_setzero_si128();
#else
    __m128 lanes = _mm_setzero_ps();
#endif
#else
    accumulator_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
#endif
    for (int32_t ky = 0; ky < window->kernel_h; ky++) {
        uint32_t iy = (uint32_t)(window->y0 + ky * l->dilation_h);  // in the padding: huge
        for (int32_t kx = 0; kx < window->kernel_w; kx++, w += CNN_DEPTHWISE_LANES) {
            uint32_t ix = (uint32_t)(window->x0 + kx * l->dilation_w);
            const cnn_value_t *x = iy < l->in.h && ix < l->in.w ? in + ((size_t)iy * l->in.w + ix) * l->in.c : window->pad;
#if defined(__SSE2__) && CNN_IS_INT8
            int32_t x4, w4;
            memcpy(&x4, x, 4);
            memcpy(&w4, w, 4);
            __m128i xv = _mm_cvtsi32_si128(x4), wv = _mm_cvtsi32_si128(w4);
            __m128i products = _mm_mullo_epi16(CNN_WIDEN_LOW(xv), CNN_WIDEN_LOW(wv));
            lanes = _mm_add_epi32(lanes, _mm_srai_epi32(_mm_unpacklo_epi16(products, products), 16));
#elif defined(__SSE2__)
            lanes = _mm_add_ps(lanes, _mm_mul_ps(_mm_loadu_ps(x), _mm_loadu_ps(w)));
#else
            s0 += (accumulator_t)x[0] * w[0];
            s1 += (accumulator_t)x[1] * w[1];
            s2 += (accumulator_t)x[2] * w[2];
            s3 += (accumulator_t)x[3] * w[3];
#endif
        }
    }
#if defined(__SSE2__) && CNN_IS_INT8
    _mm_storeu_si128((__m128i *)sums, lanes);
#elif defined(__SSE2__)
    _mm_storeu_ps(sums, lanes);
#else
    sums[0] = s0, sums[1] = s1, sums[2] = s2, sums[3] = s3;
#endif
}

// Depthwise convolution and pooling, one loop nest: each output channel reduces one input
// channel's window (a depthwise conv's channel oc reads input channel oc / depth_multiplier;
// pooling has multiplier 1). Whole blocks of a depthwise conv with multiplier 1 go through
// depthwise_block; the rest (a last, narrower block, a multiplier above 1, pools) one channel
// at a time, a depthwise channel's weights every `lanes`-th value of its block. Pooling skips
// positions in the padding, as TensorFlow does (an average divides by the number of real input
// positions), where a conv reads them as real 0. Global average pooling is an average pool whose
// window is the whole input (the parser gives it dilation 1; stride and padding are 0, and there
// is one output position).
static void window_layer(const cnn_layer_t *l, const cnn_value_t *in, cnn_value_t *out) {
    const size_t out_c = l->out.c;
    const int is_conv = l->type == TMDL_LAYER_DWCONV2D;
    const int is_max = l->type == TMDL_LAYER_MAXPOOL2D;
    const cnn_value_t pad = (cnn_value_t)(CNN_IS_INT8 && is_conv ? l->in_zero : 0);
    window_t window = {0, 0, l->kernel_h, l->kernel_w, {pad, pad, pad, pad}};
    if (l->type == TMDL_LAYER_GAP) {
        window.kernel_h = l->in.h;
        window.kernel_w = l->in.w;
    }
    const size_t taps = (size_t)window.kernel_h * window.kernel_w;
    for (int32_t oy = 0; oy < l->out.h; oy++) {
        window.y0 = oy * l->stride_h - l->pad_top;
        for (int32_t ox = 0; ox < l->out.w; ox++) {
            window.x0 = ox * l->stride_w - l->pad_left;
            for (size_t oc = 0; oc < out_c;) {
                const size_t block = oc - oc % CNN_DEPTHWISE_LANES;
                const size_t lanes = out_c - block < CNN_DEPTHWISE_LANES ? out_c - block : CNN_DEPTHWISE_LANES;
                const cnn_value_t *w = is_conv ? l->weights + block * taps + oc % CNN_DEPTHWISE_LANES : NULL;
                accumulator_t sums[CNN_DEPTHWISE_LANES];
                size_t outputs = 1;  // this pass makes
                float real = 0.0f;  // a pool's result (0: a window entirely in the padding)
                if (is_conv && l->depth_multiplier == 1 && lanes == CNN_DEPTHWISE_LANES) {
                    depthwise_block(l, in + oc, &window, w, sums);
                    outputs = CNN_DEPTHWISE_LANES;
                } else {
                    channel_sum_t r = channel_window(l, in, &window, oc / l->depth_multiplier, w, lanes);
                    sums[0] = r.sum;
                    if (!is_conv && r.count > 0) {
                        // int8: the largest or mean quantised value, then dequantised.
                        real = is_max ? (float)r.best : (float)r.sum / (float)(int32_t)r.count;
                        #if CNN_IS_INT8
                        real = (real - (float)l->in_zero) * l->in_scale;
                        #endif
                    }
                }
                for (size_t i = 0; i < outputs; i++, oc++) {
                    if (is_conv) {
                        real = sum_to_real(sums[i], l->bias[oc], CNN_IS_INT8 ? l->weight_scales[oc] : 1.0f);
                    }
                    *out++ = to_output(&l->output, real);
                }
            }
        }
    }
}

static void fully_connected(const cnn_layer_t *l, const cnn_value_t *in, cnn_value_t *out) {
    const size_t n = cnn_shape_count(&l->in);
    // TinyMaix quantises fc weights per tensor.
    const float scale = CNN_IS_INT8 ? l->weight_scales[0] : 1.0f;
    for (size_t oc = 0; oc < l->out.c; oc++) {
        accumulator_t sum = dot(in, l->weights + oc * n, n);
        out[oc] = to_output(&l->output, sum_to_real(sum, l->bias[oc], scale));
    }
}

// Softmax over the channels of every position. The exponentials are computed twice
// rather than stored, so no scratch buffer is needed and in == out is fine.
static void softmax(const cnn_layer_t *l, const cnn_value_t *in, cnn_value_t *out) {
    const size_t c_count = l->in.c;
    const size_t positions = (size_t)l->in.h * l->in.w;
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
            out[c] = CNN_IS_INT8 ? to_output(&l->output, probability) : probability;  // fp32: no activation
        }
    }
}

static void add(const cnn_layer_t *l, const cnn_value_t *in0, const cnn_value_t *in1, cnn_value_t *out) {
    const size_t n = cnn_shape_count(&l->in);
    for (size_t i = 0; i < n; i++) {
        float real = DEQUANTIZE(in0[i], l->in_scale, l->in_zero)
            + DEQUANTIZE(in1[i], l->in1_scale, l->in1_zero);
        out[i] = CNN_IS_INT8 ? to_output(&l->output, real) : real;  // fp32: no activation
    }
}

// Transposes a rows x cols matrix in place, through a buffer on the stack (rows * cols is at
// most CNN_PATCH_VALUES: tmdl.c and window_is_gathered see to it).
static void transpose(cnn_value_t *m, size_t rows, size_t cols) {
    cnn_value_t original[CNN_PATCH_VALUES];
    memcpy(original, m, rows * cols * sizeof(cnn_value_t));
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < cols; c++) {
            m[c * rows + r] = original[r * cols + c];
        }
    }
}

// The weight orders the kernels read (see cnn_prepare_layer): a gathered normal conv's
// [cout][kh][kw][cin], each output channel's [cin][taps] transposed; a depthwise conv's blocks
// of CNN_DEPTHWISE_LANES output channels, each block's [lane][taps] transposed.
static void prepare_weights(cnn_layer_t *l) {
    const size_t taps = (size_t)l->kernel_h * l->kernel_w, out_c = l->out.c;
    const int depthwise = l->type == TMDL_LAYER_DWCONV2D;
    if (!depthwise && !window_is_gathered(l)) {
        return;  // conv2d runs it channel by channel on the file's order
    }
    const size_t per_channel = depthwise ? taps : taps * l->in.c;  // weights per output channel
    const size_t block = depthwise ? CNN_DEPTHWISE_LANES : 1;  // output channels transposed together
    for (size_t oc = 0; oc < out_c; oc += block) {
        size_t channels = out_c - oc < block ? out_c - oc : block;
        transpose(l->weights + oc * per_channel, depthwise ? channels : l->in.c, taps);
    }
}

void cnn_prepare_layer(cnn_layer_t *l) {
    const float *bounds = activation_bounds[l->act];
#if CNN_IS_INT8
    l->output = int8_output(1.0f / l->out_scale, l->out_zero, bounds[0], bounds[1]);
    if (l->weights) {  // conv, depthwise conv, fc
        const size_t scale_count = l->type == TMDL_LAYER_FC ? 1 : l->out.c;
        for (size_t i = 0; i < scale_count; i++) {
            l->weight_scales[i] *= l->in_scale;
        }
    }
#else
    l->output = (cnn_output_t){bounds[0], bounds[1], 1.0f, 0.0f};
#endif
    if (l->type == TMDL_LAYER_CONV2D || l->type == TMDL_LAYER_DWCONV2D) {
        prepare_weights(l);
    }
}

// Pixels are scaled as TinyMaix's examples do for fp32 (x / 255). For int8 the same
// real value is quantised with the first layer's input parameters; for the usual
// input quantisation (scale 1/255, zero point -128) that is exactly x - 128.
static void load_input(const cnn_header_t *header, const cnn_layer_t *first, const uint8_t *pixels,
    cnn_value_t *x) {
    const size_t n = cnn_shape_count(&header->in);
    #if CNN_IS_INT8
    const cnn_output_t input = int8_output(1.0f / first->in_scale, first->in_zero, -__builtin_inff(), __builtin_inff());
    for (size_t i = 0; i < n; i++) {
        x[i] = to_output(&input, (float)(int32_t)pixels[i] / 255.0f);
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
