// Reports what the Makefile decided, so the test can check make's evaluation.
#include "py/dynruntime.h"

int part_answer(void);

static mp_obj_t settings(void) {
    mp_obj_t items[5] = {
        mp_obj_new_str(ARCH_NAME, sizeof(ARCH_NAME) - 1),
        mp_obj_new_str(FLAVOUR, sizeof(FLAVOUR) - 1),
        mp_obj_new_int(FROM_COMMON_MK),
        mp_obj_new_int(AFTER_INCLUDE),
        mp_obj_new_int(part_answer()),
    };
    return mp_obj_new_tuple(5, items);
}
static MP_DEFINE_CONST_FUN_OBJ_0(settings_obj, settings);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    mp_store_global(MP_QSTR_settings, MP_OBJ_FROM_PTR(&settings_obj));
    MP_DYNRUNTIME_INIT_EXIT
}
