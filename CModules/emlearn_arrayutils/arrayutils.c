// emlearn_arrayutils: array helpers.
//
// linear_map(inp, out, in_min, in_max, out_min, out_max):
//   out = (inp - in_min) * (out_max - out_min) / (in_max - in_min) + out_min, clamped to the
// output range. The operations are done in this order (float32) as emlearn-micropython does, so
// results match it bit for bit.
// Supported typecode pairs: 'h' -> 'f' and 'f' -> 'h'. For 'h' output the value is also clamped
// to int16 and truncated towards zero (emlearn-micropython's behaviour); NaN input gives 0.
// Float32 arithmetic throughout: no double-precision helpers needed on single-precision MCUs.

#include "py/dynruntime.h"

typedef struct _range_map_t {
    float in_min;
    float out_min;
    float out_span;   // out_max - out_min
    float in_span;    // in_max - in_min
    float lo;   // clamp bounds: the output range, ordered
    float hi;
} range_map_t;

// Every float comparison below is written as `<`, and NaN/infinity are found from the bits: on
// MCUs without an FPU each comparison kind (==, <, <=, >, >=) is its own soft-float routine from
// libgcc, so one kind instead of five keeps the module small there.
static uint32_t magnitude_bits(float x) {
    union {
        float f;
        uint32_t u;
    } v = { .f = x };
    return v.u & 0x7fffffffu;
}

static bool is_finite(float x) {
    return magnitude_bits(x) < 0x7f800000u;   // false for NaN and +-inf
}

static inline float map_value(const range_map_t *m, float x) {
    float y = (x - m->in_min) * m->out_span / m->in_span + m->out_min;
    if (y < m->lo) {
        y = m->lo;
    } else if (m->hi < y) {
        y = m->hi;
    }
    return y;
}

static inline int16_t float_to_int16(float y) {
    if (magnitude_bits(y) > 0x7f800000u) {
        return 0;   // NaN (infinities fall through to the clamps)
    }
    if (!(-32768.0f < y)) {
        return -32768;
    }
    if (!(y < 32767.0f)) {
        return 32767;
    }
    return (int16_t)y;
}

// int16 -> float without an int-to-float conversion: 2^23 + 2^15 + v is exact in a float's
// mantissa, so building its bits and subtracting 2^23 + 2^15 gives v exactly. At -Os on x64,
// GCC's cvtsi2ss writes into the register still holding the previous element's division, which
// chains every element to the one before (linear_map ran 4x slower); this writes a whole
// register instead. On MCUs without an FPU it also needs no int-to-float routine from libgcc.
static inline float int16_to_float(int16_t v) {
    union {
        uint32_t u;
        float f;
    } bits = { .u = 0x4b000000u + (uint32_t)(v + 32768) };
    return bits.f - 8421376.0f;
}

static void map_int16_to_float(const range_map_t *m, const int16_t *src, float *dst, size_t n) {
    for (size_t i = 0; i < n; i++) {
        dst[i] = map_value(m, int16_to_float(src[i]));
    }
}

static void map_float_to_int16(const range_map_t *m, const float *src, int16_t *dst, size_t n) {
    for (size_t i = 0; i < n; i++) {
        dst[i] = float_to_int16(map_value(m, src[i]));
    }
}

static mp_obj_t linear_map(size_t n_args, const mp_obj_t *args) {
    mp_buffer_info_t in, out;
    mp_get_buffer_raise(args[0], &in, MP_BUFFER_READ);
    mp_get_buffer_raise(args[1], &out, MP_BUFFER_WRITE);
    const float in_min = mp_obj_get_float_to_f(args[2]);
    const float in_max = mp_obj_get_float_to_f(args[3]);
    const float out_min = mp_obj_get_float_to_f(args[4]);
    const float out_max = mp_obj_get_float_to_f(args[5]);
    const float in_span = in_max - in_min;
    const float out_span = out_max - out_min;
    // A NaN or infinite bound makes its span NaN or infinite, so this one check also covers
    // bounds that are finite but too far apart for float32.
    if (!is_finite(in_span) || !is_finite(out_span)) {
        mp_raise_ValueError(MP_ERROR_TEXT("bounds not finite or too far apart"));
    }
    if (magnitude_bits(in_span) == 0) {   // finite floats differ iff their difference is not 0
        mp_raise_ValueError(MP_ERROR_TEXT("in_min, in_max must differ"));
    }
    const bool h_to_f = in.typecode == 'h' && out.typecode == 'f';
    const bool f_to_h = in.typecode == 'f' && out.typecode == 'h';
    if (!h_to_f && !f_to_h) {
        mp_raise_TypeError(MP_ERROR_TEXT("typecodes not h->f or f->h"));
    }
    // both element types are 2 and 4 bytes; compare element counts, not byte lengths
    const size_t n = h_to_f ? in.len / sizeof(int16_t) : in.len / sizeof(float);
    const size_t n_out = h_to_f ? out.len / sizeof(float) : out.len / sizeof(int16_t);
    if (n != n_out) {
        mp_raise_ValueError(MP_ERROR_TEXT("inp, out length differ"));
    }

    range_map_t m;
    m.in_min = in_min;
    m.out_min = out_min;
    m.out_span = out_span;
    m.in_span = in_span;
    m.lo = out_min < out_max ? out_min : out_max;
    m.hi = out_min < out_max ? out_max : out_min;

    if (h_to_f) {
        map_int16_to_float(&m, in.buf, out.buf, n);
    } else {
        map_float_to_int16(&m, in.buf, out.buf, n);
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(linear_map_obj, 6, 6, linear_map);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    mp_store_global(MP_QSTR_linear_map, MP_OBJ_FROM_PTR(&linear_map_obj));
    MP_DYNRUNTIME_INIT_EXIT
}
