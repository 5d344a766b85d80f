// {{name}}: a native MicroPython module built with mpyforge (see CModules/mpyforge_example for more of the API).
#include "py/dynruntime.h"

// add(a, b): a Python function backed by C. Ints come in and go out as objects.
static mp_obj_t add(mp_obj_t a_in, mp_obj_t b_in) {
    if (!mp_obj_is_int(a_in) || !mp_obj_is_int(b_in)) {
        mp_raise_TypeError(MP_ERROR_TEXT("add() expects two ints"));
    }
    return mp_obj_new_int(mp_obj_get_int(a_in) + mp_obj_get_int(b_in));
}
static MP_DEFINE_CONST_FUN_OBJ_2(add_obj, add);

// Called once when the module is imported: put everything the module exports into its globals.
mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY

    mp_store_global(MP_QSTR_add, MP_OBJ_FROM_PTR(&add_obj));
    mp_store_global(MP_QSTR_VERSION, mp_obj_new_str("0.1.0", 5));

    MP_DYNRUNTIME_INIT_EXIT
}
