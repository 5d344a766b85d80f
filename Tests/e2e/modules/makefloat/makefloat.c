// Uses mp_float_t, which exists only when MICROPY_FLOAT_IMPL is not none.
#include "py/dynruntime.h"

static mp_obj_t scale(mp_obj_t x, mp_obj_t k) {
    mp_float_t product = mp_obj_get_float(x) * mp_obj_get_float(k);
    return mp_obj_new_float(product);
}
static MP_DEFINE_CONST_FUN_OBJ_2(scale_obj, scale);

static mp_obj_t width(void) {
    return mp_obj_new_int(sizeof(mp_float_t));
}
static MP_DEFINE_CONST_FUN_OBJ_0(width_obj, width);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    mp_store_global(MP_QSTR_scale, MP_OBJ_FROM_PTR(&scale_obj));
    mp_store_global(MP_QSTR_width, MP_OBJ_FROM_PTR(&width_obj));
    MP_DYNRUNTIME_INIT_EXIT
}
