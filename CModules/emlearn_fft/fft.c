// emlearn_fft: in-place radix-2 complex FFT on float32 arrays.
//
// Python API: FFT(n) with n a power of two; FFT.fill(sin 'f', cos 'f') takes the twiddle tables
// (n/2 entries each: sin/cos(2*pi*i/n)), which the module function fill(fft, n) computes in
// Python (fft_fill.py) so that the native code needs no libm; FFT.run(real 'f', imag 'f').
// Same sign convention as numpy.fft.fft: X[k] = sum x[j] * exp(-2*pi*i*j*k/n).
// The kernel is written here rather than taken from eml_fft.h, whose table filler calls sinf/cosf.

#include "py/dynruntime.h"

typedef struct _fft_obj_t {
    mp_obj_base_t base;
    size_t n;
    float *sin_table;   // n/2 entries, in one heap block with cos_table
    float *cos_table;
    bool filled;
} fft_obj_t;

// Natmod rule: zero-initialised globals must not be static (the linker cannot relocate static bss).
mp_obj_full_type_t fft_type;
mp_map_elem_t fft_locals_table[2];
static MP_DEFINE_CONST_DICT(fft_locals, fft_locals_table);

#define MAX_FFT_LENGTH (1 << 20)

static mp_obj_t fft_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, 1, false);
    const mp_int_t n = mpyforge_get_int(args[0]);
    if (n < 2 || n > MAX_FFT_LENGTH || (n & (n - 1)) != 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("n not a power of two in 2..2^20"));
    }
    fft_obj_t *self = mp_obj_malloc(fft_obj_t, type);
    self->n = (size_t)n;
    self->filled = false;
    // Referenced only from this object, so the GC frees the tables together with it.
    self->sin_table = m_new(float, (size_t)n);
    self->cos_table = self->sin_table + n / 2;
    return MP_OBJ_FROM_PTR(self);
}

// Returns the float32 elements of `obj`, which must hold exactly `n` of them.
static float *get_float_array(mp_obj_t obj, size_t n, mp_uint_t flags) {
    mp_buffer_info_t info;
    mp_get_buffer_raise(obj, &info, flags);
    if (info.typecode != 'f') {
        mp_raise_TypeError(MP_ERROR_TEXT("arrays must be float32"));
    }
    if (info.len / sizeof(float) != n) {
        mp_raise_ValueError(MP_ERROR_TEXT("wrong array length"));
    }
    return info.buf;
}

static mp_obj_t fft_fill(mp_obj_t self_in, mp_obj_t sin_in, mp_obj_t cos_in) {
    fft_obj_t *self = MP_OBJ_TO_PTR(self_in);
    const size_t half = self->n / 2;
    const float *sin_values = get_float_array(sin_in, half, MP_BUFFER_READ);
    const float *cos_values = get_float_array(cos_in, half, MP_BUFFER_READ);
    for (size_t i = 0; i < half; i++) {
        self->sin_table[i] = sin_values[i];
        self->cos_table[i] = cos_values[i];
    }
    self->filled = true;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(fft_fill_obj, fft_fill);

static void swap(float *a, float *b) {
    const float t = *a;
    *a = *b;
    *b = t;
}

// Reorders both arrays into bit-reversed index order (decimation in time needs it).
static void bit_reverse_permute(float *re, float *im, size_t n) {
    size_t j = 0;   // bit-reversed counterpart of i, advanced by a reversed increment
    for (size_t i = 0; i < n - 1; i++) {
        if (i < j) {
            swap(&re[i], &re[j]);
            swap(&im[i], &im[j]);
        }
        size_t bit = n >> 1;
        while (j & bit) {
            j ^= bit;
            bit >>= 1;
        }
        j |= bit;
    }
}

static void fft_forward(const fft_obj_t *self, float *re, float *im) {
    const size_t n = self->n;
    bit_reverse_permute(re, im, n);
    // table_step = n / (2 * span), kept by halving: both are powers of two, and a division
    // would link libgcc's division routine on MCUs without a divide instruction
    size_t table_step = n / 2;
    for (size_t span = 1; span < n; span *= 2, table_step /= 2) {
        // Combine pairs of length-`span` transforms; twiddle k is exp(-i*pi*k/span).
        for (size_t k = 0; k < span; k++) {
            const float c = self->cos_table[k * table_step];
            const float s = self->sin_table[k * table_step];
            for (size_t top = k; top < n; top += 2 * span) {
                const size_t bottom = top + span;
                const float t_re = re[bottom] * c + im[bottom] * s;
                const float t_im = im[bottom] * c - re[bottom] * s;
                re[bottom] = re[top] - t_re;
                im[bottom] = im[top] - t_im;
                re[top] += t_re;
                im[top] += t_im;
            }
        }
    }
}

static mp_obj_t fft_run(mp_obj_t self_in, mp_obj_t real_in, mp_obj_t imag_in) {
    fft_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (!self->filled) {
        mp_raise_ValueError(MP_ERROR_TEXT("call fill() first"));
    }
    float *re = get_float_array(real_in, self->n, MP_BUFFER_RW);
    float *im = get_float_array(imag_in, self->n, MP_BUFFER_RW);
    if (re == im) {
        mp_raise_ValueError(MP_ERROR_TEXT("real is imag"));
    }
    fft_forward(self, re, im);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(fft_run_obj, fft_run);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY

    fft_type.base.type = (void *)&mp_type_type;  // flags stay 0: the loader zeroes .bss
    fft_type.name = MP_QSTR_FFT;
    fft_locals_table[0] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_run), MP_OBJ_FROM_PTR(&fft_run_obj) };
    fft_locals_table[1] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_fill), MP_OBJ_FROM_PTR(&fft_fill_obj) };
    MP_OBJ_TYPE_SET_SLOT(&fft_type, make_new, fft_make_new, 0);
    MP_OBJ_TYPE_SET_SLOT(&fft_type, locals_dict, (void *)&fft_locals, 1);
    mp_store_global(MP_QSTR_FFT, MP_OBJ_FROM_PTR(&fft_type));

    MP_DYNRUNTIME_INIT_EXIT
}
