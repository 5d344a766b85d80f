// emlearn_iir: IIR filters as cascaded second-order sections (scipy.signal "sos" layout).
//
// Python API: new(coefficients 'f' array) -> IIR;  IIR.run(values 'f' array) filters in place,
// keeping the filter state between calls so a signal can be streamed in chunks.
// The per-sample math is the emlearn C library's (eml_iir.h: transposed direct form II, the same
// operations in the same order, so results are bit-identical), but run stage by stage over the
// whole buffer rather than sample by sample through all stages: a stage's coefficients and
// state then stay in registers for the whole loop instead of being reloaded for every sample.

#include "py/dynruntime.h"

// One object holds everything: header, then coefficients, then state (see iir_new).
typedef struct _iir_obj_t {
    mp_obj_base_t base;
    size_t n_stages;
    float *coefficients;   // b0 b1 b2 a0 a1 a2 per stage, divided by a0
    float *states;         // s1 s2 per stage
} iir_obj_t;

// Natmod rule: zero-initialised globals must not be static (the linker cannot relocate static bss).
mp_obj_full_type_t iir_type;

#define COEFFS_PER_STAGE 6
#define STATES_PER_STAGE 2

// A float's bits. a0 is tested against 0 and 1 through them: a float == is the module's only
// float comparison, and on MCUs without an FPU it would link libgcc's comparison routines.
static uint32_t float_bits(float x) {
    union {
        float f;
        uint32_t u;
    } v = { .f = x };
    return v.u;
}
#define FLOAT_ONE_BITS 0x3f800000u

static mp_obj_t iir_new(mp_obj_t coefficients_in) {
    mp_buffer_info_t coeffs;
    mp_get_buffer_raise(coefficients_in, &coeffs, MP_BUFFER_READ);
    if (coeffs.typecode != 'f') {
        mp_raise_TypeError(MP_ERROR_TEXT("coefficients must be float32"));
    }
    const size_t n_coeffs = coeffs.len / sizeof(float);
    // Counted rather than divided: a division by 6 links libgcc's division routines on MCUs
    // without a divide instruction (armv6m: about 300 bytes).
    size_t n_stages = 0;
    for (size_t rest = n_coeffs; rest >= COEFFS_PER_STAGE; rest -= COEFFS_PER_STAGE) {
        n_stages++;
    }
    if (n_stages == 0 || n_stages * COEFFS_PER_STAGE != n_coeffs) {
        mp_raise_ValueError(MP_ERROR_TEXT("length not a positive multiple of 6"));
    }
    if (n_stages > 0x10000) {
        mp_raise_ValueError(MP_ERROR_TEXT("too many stages"));
    }
    const float *src = coeffs.buf;
    for (size_t s = 0; s < n_stages; s++) {
        if ((float_bits(src[s * COEFFS_PER_STAGE + 3]) & 0x7fffffffu) == 0) {   // +0.0 or -0.0
            mp_raise_ValueError(MP_ERROR_TEXT("a0 is 0"));
        }
    }

    // Coefficients and state live in one heap block with the object, so the GC frees them together
    // when the filter becomes unreachable (natmod types cannot have finalisers).
    const size_t n_floats = n_coeffs + n_stages * STATES_PER_STAGE;
    iir_obj_t *self = m_malloc(sizeof(iir_obj_t) + n_floats * sizeof(float));
    self->base.type = (const mp_obj_type_t *)&iir_type;
    float *coefficients = (float *)(self + 1);
    float *states = coefficients + n_coeffs;

    // scipy.signal.sosfilt expects a0 == 1. Dividing each stage by its a0 gives identical results
    // for such filters and correct ones for filters designed with another normalisation.
    for (size_t s = 0; s < n_stages; s++) {
        const float *in = src + s * COEFFS_PER_STAGE;
        float *out = coefficients + s * COEFFS_PER_STAGE;
        const float a0 = in[3];
        for (int i = 0; i < COEFFS_PER_STAGE; i++) {
            out[i] = float_bits(a0) == FLOAT_ONE_BITS ? in[i] : in[i] / a0;
        }
    }
    for (size_t i = 0; i < n_stages * STATES_PER_STAGE; i++) {
        states[i] = 0.0f;
    }

    self->n_stages = n_stages;
    self->states = states;
    self->coefficients = coefficients;
    return MP_OBJ_FROM_PTR(self);
}
static MP_DEFINE_CONST_FUN_OBJ_1(iir_new_obj, iir_new);

// Biquads over the whole buffer, in place (eml_biquad_tdf2's expressions, term for term), two
// stages per pass: a stage's samples form one long dependency chain, and running the next stage
// a sample behind lets the CPU overlap the two chains.
typedef struct {
    float b0, b1, b2, a1, a2, s1, s2;
} biquad_t;

static biquad_t load_stage(const float *c, const float *state) {
    biquad_t q = { c[0], c[1], c[2], c[4], c[5], state[0], state[1] };
    return q;
}

static inline float step(biquad_t *q, float in) {
    const float out = q->s1 + q->b0 * in;
    q->s1 = q->s2 + q->b1 * in - q->a1 * out;
    q->s2 = q->b2 * in - q->a2 * out;
    return out;
}

static void run_stages(const float *c, float *state, size_t count, float *x, size_t n) {
    biquad_t first = load_stage(c, state);
    biquad_t second = load_stage(c + (count - 1) * COEFFS_PER_STAGE, state + (count - 1) * STATES_PER_STAGE);
    for (size_t i = 0; i < n; i++) {
        float y = step(&first, x[i]);
        if (count == 2) {
            y = step(&second, y);
        }
        x[i] = y;
    }
    state[0] = first.s1;
    state[1] = first.s2;
    if (count == 2) {
        state[STATES_PER_STAGE] = second.s1;
        state[STATES_PER_STAGE + 1] = second.s2;
    }
}

static mp_obj_t iir_run(mp_obj_t self_in, mp_obj_t values_in) {
    iir_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_buffer_info_t values;
    mp_get_buffer_raise(values_in, &values, MP_BUFFER_RW);
    if (values.typecode != 'f') {
        mp_raise_TypeError(MP_ERROR_TEXT("values must be float32"));
    }
    const size_t n = values.len / sizeof(float);
    for (size_t stage = 0; stage < self->n_stages; stage += 2) {
        run_stages(self->coefficients + stage * COEFFS_PER_STAGE, self->states + stage * STATES_PER_STAGE,
            self->n_stages - stage >= 2 ? 2 : 1, values.buf, n);
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(iir_run_obj, iir_run);

mp_map_elem_t iir_locals_table[1];
static MP_DEFINE_CONST_DICT(iir_locals, iir_locals_table);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY

    iir_type.base.type = (void *)&mp_type_type;
    iir_type.flags = MP_TYPE_FLAG_NONE;
    iir_type.name = MP_QSTR_IIR;
    iir_locals_table[0] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_run), MP_OBJ_FROM_PTR(&iir_run_obj) };
    MP_OBJ_TYPE_SET_SLOT(&iir_type, locals_dict, (void *)&iir_locals, 0);

    mp_store_global(MP_QSTR_new, MP_OBJ_FROM_PTR(&iir_new_obj));
    mp_store_global(MP_QSTR_IIR, MP_OBJ_FROM_PTR(&iir_type));

    MP_DYNRUNTIME_INIT_EXIT
}
