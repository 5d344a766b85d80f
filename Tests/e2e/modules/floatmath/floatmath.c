// floatmath: float maths that needs the compiler's runtime libraries (libm, and libgcc where
// the FPU is missing), for Tests/e2e/test_float_runtime.py.
//
// Every function takes and returns Python floats and computes in single precision (float), the
// way DSP kernels do: sqrtf/expf/logf come from libm, the division from the FPU or libgcc.

#include <math.h>
#include "py/dynruntime.h"

// sqrtf(x)
static mp_obj_t f_sqrt(mp_obj_t x_in) {
    return mp_obj_new_float(sqrtf((float)mp_obj_get_float(x_in)));
}
static MP_DEFINE_CONST_FUN_OBJ_1(f_sqrt_obj, f_sqrt);

// expf(x)
static mp_obj_t f_exp(mp_obj_t x_in) {
    return mp_obj_new_float(expf((float)mp_obj_get_float(x_in)));
}
static MP_DEFINE_CONST_FUN_OBJ_1(f_exp_obj, f_exp);

// logf(x)
static mp_obj_t f_log(mp_obj_t x_in) {
    return mp_obj_new_float(logf((float)mp_obj_get_float(x_in)));
}
static MP_DEFINE_CONST_FUN_OBJ_1(f_log_obj, f_log);

// a / b in float
static mp_obj_t f_div(mp_obj_t a_in, mp_obj_t b_in) {
    float a = (float)mp_obj_get_float(a_in);
    float b = (float)mp_obj_get_float(b_in);
    return mp_obj_new_float(a / b);
}
static MP_DEFINE_CONST_FUN_OBJ_2(f_div_obj, f_div);

// softmax denominator: sum(expf(x_i - max)) over a list, then 1 / that; a typical kernel mix.
static mp_obj_t f_softmax_first(mp_obj_t list_in) {
    size_t n;
    mp_obj_t *items;
    mp_obj_get_array(list_in, &n, &items);
    if (n == 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("empty list"));
    }
    float top = (float)mp_obj_get_float(items[0]);
    for (size_t i = 1; i < n; i++) {
        float v = (float)mp_obj_get_float(items[i]);
        top = v > top ? v : top;
    }
    float total = 0.0f;
    for (size_t i = 0; i < n; i++) {
        total += expf((float)mp_obj_get_float(items[i]) - top);
    }
    return mp_obj_new_float(expf((float)mp_obj_get_float(items[0]) - top) / total);
}
static MP_DEFINE_CONST_FUN_OBJ_1(f_softmax_first_obj, f_softmax_first);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    mp_store_global(MP_QSTR_sqrt, MP_OBJ_FROM_PTR(&f_sqrt_obj));
    mp_store_global(MP_QSTR_exp, MP_OBJ_FROM_PTR(&f_exp_obj));
    mp_store_global(MP_QSTR_log, MP_OBJ_FROM_PTR(&f_log_obj));
    mp_store_global(MP_QSTR_div, MP_OBJ_FROM_PTR(&f_div_obj));
    mp_store_global(MP_QSTR_softmax_first, MP_OBJ_FROM_PTR(&f_softmax_first_obj));
    MP_DYNRUNTIME_INIT_EXIT
}
