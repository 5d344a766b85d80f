// State kept the way C programmers write it: file-local statics, one zero-initialised and
// one initialised. See Tests/e2e/test_static_data.py.
#include "py/dynruntime.h"

static int calls;
static int table[4] = {10, 20, 30, 40};

// Adds the running call count to table[i % 4] and returns the new value.
static mp_obj_t bump(mp_obj_t index_in) {
    int i = mp_obj_get_int(index_in) & 3;
    calls++;
    table[i] += calls;
    return mp_obj_new_int(table[i]);
}
static MP_DEFINE_CONST_FUN_OBJ_1(bump_obj, bump);

static mp_obj_t count(void) {
    return mp_obj_new_int(calls);
}
static MP_DEFINE_CONST_FUN_OBJ_0(count_obj, count);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    mp_store_global(MP_QSTR_bump, MP_OBJ_FROM_PTR(&bump_obj));
    mp_store_global(MP_QSTR_count, MP_OBJ_FROM_PTR(&count_obj));
    MP_DYNRUNTIME_INIT_EXIT
}
