// {{name}}: a native MicroPython module built with mpyforge.
// A function and a class; CModules/mpyforge_example shows more of the API (floats, big
// ints, exceptions, arrays), docs/sdk.md lists all of it.
#include "py/dynruntime.h"

// ---------------------------------------------------------------------------
// add(a, b): a Python function backed by C. Ints come in and go out as objects.

static mp_obj_t add(mp_obj_t a_in, mp_obj_t b_in) {
    if (!mp_obj_is_int(a_in) || !mp_obj_is_int(b_in)) {
        mp_raise_TypeError(MP_ERROR_TEXT("add() expects two ints"));
    }
    return mp_obj_new_int(mp_obj_get_int(a_in) + mp_obj_get_int(b_in));
}
static MP_DEFINE_CONST_FUN_OBJ_2(add_obj, add);

// ---------------------------------------------------------------------------
// Samples(n): a class holding n bytes, with methods fill(value) and total(), and the buffer
// protocol, so bytes(s), memoryview(s) and any C function taking a buffer can use it.

typedef struct {
    mp_obj_base_t base;
    size_t length;
    uint8_t *data;
} samples_t;

// The type object is filled in by mpy_init: its name and method names are qstrs of this
// module, whose numbers are known only when it is loaded. Both are zero-initialised (.bss)
// and not `static`: on rv32imc, code can reach .bss only through the GOT (README.md).
mp_obj_full_type_t {{name}}_samples_type;
mp_map_elem_t {{name}}_samples_locals[2];
static MP_DEFINE_CONST_DICT(samples_locals_dict, {{name}}_samples_locals);

static mp_obj_t samples_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, 1, false);
    mp_int_t length = mp_obj_get_int(args[0]);
    if (length < 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("length must be >= 0"));
    }
    samples_t *self = mp_obj_malloc(samples_t, type);
    self->length = (size_t)length;
    self->data = m_new(uint8_t, self->length);
    memset(self->data, 0, self->length);
    return MP_OBJ_FROM_PTR(self);
}

static void samples_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    (void)kind;
    samples_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "Samples(%d)", (int)self->length);
}

// The buffer protocol: hand out the bytes, writable when asked.
static mp_int_t samples_buffer(mp_obj_t self_in, mp_buffer_info_t *info, mp_uint_t flags) {
    (void)flags;
    samples_t *self = MP_OBJ_TO_PTR(self_in);
    info->buf = self->data;
    info->len = self->length;
    info->typecode = 'B';
    return 0;
}

// fill(value): sets every byte to value (0..255).
static mp_obj_t samples_fill(mp_obj_t self_in, mp_obj_t value_in) {
    samples_t *self = MP_OBJ_TO_PTR(self_in);
    mp_int_t value = mp_obj_get_int(value_in);
    if (value < 0 || value > 255) {
        mp_raise_ValueError(MP_ERROR_TEXT("value must be 0..255"));
    }
    memset(self->data, (int)value, self->length);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(samples_fill_obj, samples_fill);

// total(): the sum of the bytes.
static mp_obj_t samples_total(mp_obj_t self_in) {
    samples_t *self = MP_OBJ_TO_PTR(self_in);
    mp_int_t sum = 0;
    for (size_t i = 0; i < self->length; i++) {
        sum += self->data[i];
    }
    return mp_obj_new_int(sum);
}
static MP_DEFINE_CONST_FUN_OBJ_1(samples_total_obj, samples_total);

static void samples_type_init(void) {
    {{name}}_samples_type.base.type = &mp_type_type;
    {{name}}_samples_type.flags = MP_TYPE_FLAG_NONE;
    {{name}}_samples_type.name = MP_QSTR_Samples;
    MP_OBJ_TYPE_SET_SLOT(&{{name}}_samples_type, make_new, samples_make_new, 0);
    MP_OBJ_TYPE_SET_SLOT(&{{name}}_samples_type, print, samples_print, 1);
    MP_OBJ_TYPE_SET_SLOT(&{{name}}_samples_type, buffer, samples_buffer, 2);
    {{name}}_samples_locals[0] = (mp_map_elem_t) { MP_OBJ_NEW_QSTR(MP_QSTR_fill), MP_OBJ_FROM_PTR(&samples_fill_obj) };
    {{name}}_samples_locals[1] = (mp_map_elem_t) { MP_OBJ_NEW_QSTR(MP_QSTR_total), MP_OBJ_FROM_PTR(&samples_total_obj) };
    MP_OBJ_TYPE_SET_SLOT(&{{name}}_samples_type, locals_dict, &samples_locals_dict, 3);
}

// ---------------------------------------------------------------------------
// Called once when the module is imported: put everything the module exports into its globals.

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY

    mp_store_global(MP_QSTR_add, MP_OBJ_FROM_PTR(&add_obj));
    samples_type_init();
    mp_store_global(MP_QSTR_Samples, MP_OBJ_FROM_PTR(&{{name}}_samples_type));
    mp_store_global(MP_QSTR_VERSION, mp_obj_new_str("0.1.0", 5));

    MP_DYNRUNTIME_INIT_EXIT
}
