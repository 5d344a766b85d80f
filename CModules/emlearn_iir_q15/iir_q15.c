// emlearn_iir_q15: fixed-point IIR filters, a cascade of direct form I biquads on int16 (Q15).
//
// Python API: new(coefficients 'h') -> IIRQ15;  IIRQ15.run(values 'h') filters in place and keeps
// the state between calls, so a signal can be streamed in chunks. convert_coefficients (the
// Python part, iir_q15_convert.py) turns scipy "sos" float coefficients into the 'h' layout.
//
// Per stage the coefficients are b0, 0, b1, b2, -a1, -a2 in Q2.13 (value * 2^13: the layout and
// format of CMSIS-DSP's arm_biquad_cascade_df1_q15 with postShift 2, which emlearn-micropython
// uses). Per sample and stage:
//   acc = b0*x[n] + b1*x[n-1] + b2*x[n-2] + a1*y[n-1] + a2*y[n-2]    (exact, 64-bit)
//   y[n] = saturate_int16(acc >> 13)                                 (arithmetic shift: floor)
// so results are bit-identical to that function. The second coefficient of each stage is ignored,
// as there.

#include "py/dynruntime.h"
#include "mpyforge/kernel_args.h"

#define COEFFS_PER_STAGE 6   // b0 0 b1 b2 a1 a2, stored as given (one memcpy)
#define STATES 4             // x[n-1] x[n-2] y[n-1] y[n-2]
#define POST_SHIFT 2         // coefficients are Q(1+2).(15-2)

typedef struct _iir_q15_obj_t {
    mp_obj_base_t base;
    size_t n_stages;
    int16_t data[];   // n_stages * COEFFS_PER_STAGE coefficients, then n_stages * STATES state
} iir_q15_obj_t;

// Natmod rule: zero-initialised globals must not be static (the linker cannot relocate static bss).
mp_obj_full_type_t iir_q15_type;
mp_map_elem_t iir_q15_locals_table[1];
static MP_DEFINE_CONST_DICT(iir_q15_locals, iir_q15_locals_table);

static int16_t *get_int16_array(mp_obj_t obj, size_t *n, mp_uint_t flags) {
    return mpyforge_get_typed_array(obj, 'h', n, flags, "need an int16 ('h') array");
}

static mp_obj_t iir_q15_new(mp_obj_t coefficients_in) {
    size_t n;
    const int16_t *src = get_int16_array(coefficients_in, &n, MP_BUFFER_READ);
    // Stages counted rather than divided: a division by 6 links libgcc's division routines on
    // MCUs without a divide instruction (armv6m: 276 bytes).
    size_t n_stages = 0;
    size_t rest = n;
    for (; rest >= COEFFS_PER_STAGE; rest -= COEFFS_PER_STAGE) {
        n_stages++;
    }
    if (n_stages == 0 || rest != 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("length not a positive multiple of 6"));
    }
    // Coefficients and state live in one heap block with the object, so the GC frees them together.
    iir_q15_obj_t *self = mp_obj_malloc_var(iir_q15_obj_t, data, int16_t, n_stages * (COEFFS_PER_STAGE + STATES),
                                            (const mp_obj_type_t *)&iir_q15_type);
    self->n_stages = n_stages;
    memcpy(self->data, src, n * sizeof(int16_t));
    memset(self->data + n, 0, n_stages * STATES * sizeof(int16_t));
    return MP_OBJ_FROM_PTR(self);
}
static MP_DEFINE_CONST_FUN_OBJ_1(iir_q15_new_obj, iir_q15_new);

static mp_obj_t iir_q15_run(mp_obj_t self_in, mp_obj_t values_in) {
    iir_q15_obj_t *self = MP_OBJ_TO_PTR(self_in);
    size_t n;
    int16_t *samples = get_int16_array(values_in, &n, MP_BUFFER_RW);
    const int16_t *taps = self->data;
    int16_t *state = self->data + self->n_stages * COEFFS_PER_STAGE;
    // Stage by stage over the whole block (each stage's output is the next one's input, in place).
    for (size_t s = 0; s < self->n_stages; s++, taps += COEFFS_PER_STAGE, state += STATES) {
        const int32_t b0 = taps[0], b1 = taps[2], b2 = taps[3], a1 = taps[4], a2 = taps[5];
        int32_t x1 = state[0], x2 = state[1], y1 = state[2], y2 = state[3];
        for (size_t i = 0; i < n; i++) {
            const int32_t x = samples[i];
            // Each product fits in int32 (|q15 * q15| <= 2^30); their sum needs up to 33 bits.
            // Widening only the sums keeps 32x32->64 multiplies (a libgcc call on Thumb-1) away.
            int64_t acc = (int64_t)(b0 * x) + (int64_t)(b1 * x1) + (int64_t)(b2 * x2);
            acc += (int64_t)(a1 * y1) + (int64_t)(a2 * y2);
            int32_t y = (int32_t)(acc >> (15 - POST_SHIFT));   // |acc| < 2^33, so this fits
            if (y > 32767) {
                y = 32767;
            } else if (y < -32768) {
                y = -32768;
            }
            x2 = x1;
            x1 = x;
            y2 = y1;
            y1 = y;
            samples[i] = (int16_t)y;
        }
        state[0] = (int16_t)x1;
        state[1] = (int16_t)x2;
        state[2] = (int16_t)y1;
        state[3] = (int16_t)y2;
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(iir_q15_run_obj, iir_q15_run);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY

    iir_q15_type.base.type = (void *)&mp_type_type;  // flags stay 0: the loader zeroes .bss
    iir_q15_type.name = MP_QSTR_IIRQ15;
    iir_q15_locals_table[0] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_run), MP_OBJ_FROM_PTR(&iir_q15_run_obj) };
    MP_OBJ_TYPE_SET_SLOT(&iir_q15_type, locals_dict, (void *)&iir_q15_locals, 0);
    mp_store_global(MP_QSTR_new, MP_OBJ_FROM_PTR(&iir_q15_new_obj));

    MP_DYNRUNTIME_INIT_EXIT
}
