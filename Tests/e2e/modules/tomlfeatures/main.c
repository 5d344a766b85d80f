// Sums values that each come from one module.toml feature, so the test can tell which
// reached the build: defines (common, per arch, command line), include directories (the
// manifest's and -I), a per-arch source, and a function from a static library.
#include "py/dynruntime.h"
#include "local.h"
#include "cli.h"

int tally(int n);
int arch_part(void);

static mp_obj_t parts(void) {
    mp_obj_t items[6] = {
        mp_obj_new_int(BASE),
        mp_obj_new_int(ARCH_BONUS),
        mp_obj_new_int(LOCAL_VALUE),
        mp_obj_new_int(CLI_VALUE + CLI_HEADER_VALUE),
        mp_obj_new_int(tally(4)),
        mp_obj_new_int(arch_part()),
    };
    return mp_obj_new_tuple(6, items);
}
static MP_DEFINE_CONST_FUN_OBJ_0(parts_obj, parts);

static mp_obj_t has_float(void) {
    return mp_obj_new_bool(MICROPY_PY_BUILTINS_FLOAT);
}
static MP_DEFINE_CONST_FUN_OBJ_0(has_float_obj, has_float);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    mp_store_global(MP_QSTR_parts, MP_OBJ_FROM_PTR(&parts_obj));
    mp_store_global(MP_QSTR_has_float, MP_OBJ_FROM_PTR(&has_float_obj));
    MP_DYNRUNTIME_INIT_EXIT
}
