// emlearn_iir: IIR filters as cascaded second-order sections (scipy.signal "sos" layout).
//
// Python API: new(coefficients 'f' array) -> IIR;  IIR.run(values 'f' array) filters in place,
// keeping the filter state between calls so a signal can be streamed in chunks.
// The per-sample math is the emlearn C library's (eml_iir.h: transposed direct form II, the same
// operations in the same order, so results are bit-identical), but run stage by stage over the
// whole buffer rather than sample by sample through all stages: a stage's coefficients and
// state then stay in registers for the whole loop instead of being reloaded for every sample.

#include "py/dynruntime.h"
#include "mpyforge/float_bits.h"

// One object holds everything: header, then coefficients, then state (see iir_new).
typedef struct _iir_obj_t {
    mp_obj_base_t base;
    size_t n_stages;
    float *coefficients;   // b0 b1 b2 a0 a1 a2 per stage (a0 is 1)
    float *states;         // s1 s2 per stage
} iir_obj_t;

// Natmod rule: zero-initialised globals must not be static (the linker cannot relocate static bss).
mp_obj_full_type_t iir_type;

#define COEFFS_PER_STAGE 6
#define STATES_PER_STAGE 2
#define MAX_STAGES 0x10000
// new() and run() each take one array, so one message serves both
#define NOT_FLOAT32 "not a float32 array"

static mp_obj_t iir_new(mp_obj_t coefficients_in) {
    mp_buffer_info_t coeffs;
    mp_get_buffer_raise(coefficients_in, &coeffs, MP_BUFFER_READ);
    if (coeffs.typecode != 'f') {
        mp_raise_TypeError(MP_ERROR_TEXT(NOT_FLOAT32));
    }
    const size_t n_coeffs = coeffs.len / sizeof(float);
    // Stages counted rather than divided: a division by 6 links libgcc's division routines on
    // MCUs without a divide instruction (armv6m: about 300 bytes). The count stops one past the
    // limit. Each stage's a0 must be 1, scipy.signal.sosfilt's rule (sections are normalised);
    // dividing by a0 instead would link libgcc's float division on MCUs without an FPU (about
    // 700 bytes on armv6m). a0 is tested from its bits: a float == would be the module's only
    // float comparison, and on MCUs without an FPU it would link libgcc's comparison routines.
    const float *src = coeffs.buf;
    size_t n_stages = 0;
    size_t rest = n_coeffs;
    for (; rest >= COEFFS_PER_STAGE && n_stages <= MAX_STAGES; rest -= COEFFS_PER_STAGE) {
        if (mpyforge_float_bits(src[n_stages * COEFFS_PER_STAGE + 3]) != MPYFORGE_FLOAT_ONE_BITS) {
            mp_raise_ValueError(MP_ERROR_TEXT("a0 must be 1"));
        }
        n_stages++;
    }
    if (rest != 0 || n_stages - 1 >= MAX_STAGES) {   // n_stages 0 wraps around
        mp_raise_ValueError(MP_ERROR_TEXT("length must be 6 * (1..65536)"));
    }

    // Coefficients and state live in one heap block with the object, so the GC frees them together
    // when the filter becomes unreachable (natmod types cannot have finalisers).
    const size_t n_floats = n_coeffs + n_stages * STATES_PER_STAGE;
    iir_obj_t *self = m_malloc(sizeof(iir_obj_t) + n_floats * sizeof(float));
    self->base.type = (const mp_obj_type_t *)&iir_type;
    float *coefficients = (float *)(self + 1);
    float *states = coefficients + n_coeffs;
    memcpy(coefficients, src, n_coeffs * sizeof(float));
    memset(states, 0, n_stages * STATES_PER_STAGE * sizeof(float));

    self->n_stages = n_stages;
    self->states = states;
    self->coefficients = coefficients;
    return MP_OBJ_FROM_PTR(self);
}
static MP_DEFINE_CONST_FUN_OBJ_1(iir_new_obj, iir_new);

// Biquads over the whole buffer, in place (eml_biquad_tdf2's expressions, term for term). A
// stage's samples form one long dependency chain. On x86, two stages run per pass, the second a
// sample behind, so the out-of-order core overlaps the two chains (one stage per pass ran the
// 12-stage benchmark 1.1x theirs, which runs every stage per sample). In-order MCU cores gain
// nothing from that, and there one stage per pass is less code. (-DSTAGES_PER_PASS=1 builds the
// MCU code for a host test.)
#ifndef STAGES_PER_PASS
#if defined(__x86_64__) || defined(__i386__)
#define STAGES_PER_PASS 2
#else
#define STAGES_PER_PASS 1
#endif
#endif
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
        mp_raise_TypeError(MP_ERROR_TEXT(NOT_FLOAT32));
    }
    const size_t n = values.len / sizeof(float);
    for (size_t stage = 0; stage < self->n_stages; stage += STAGES_PER_PASS) {
        run_stages(self->coefficients + stage * COEFFS_PER_STAGE, self->states + stage * STATES_PER_STAGE,
            self->n_stages - stage >= STAGES_PER_PASS ? STAGES_PER_PASS : 1, values.buf, n);
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(iir_run_obj, iir_run);

mp_map_elem_t iir_locals_table[1];
static MP_DEFINE_CONST_DICT(iir_locals, iir_locals_table);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY

    iir_type.base.type = (void *)&mp_type_type;  // flags stay 0: the loader zeroes .bss
    iir_type.name = MP_QSTR_IIR;
    iir_locals_table[0] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_run), MP_OBJ_FROM_PTR(&iir_run_obj) };
    MP_OBJ_TYPE_SET_SLOT(&iir_type, locals_dict, (void *)&iir_locals, 0);

    mp_store_global(MP_QSTR_new, MP_OBJ_FROM_PTR(&iir_new_obj));
    mp_store_global(MP_QSTR_IIR, MP_OBJ_FROM_PTR(&iir_type));

    MP_DYNRUNTIME_INIT_EXIT
}
