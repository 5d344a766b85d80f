// mpyforge SDK: the mp_obj_t handle, its tagged encodings (representation A) and the core object structs.
#ifndef MPYFORGE_SDK_OBJECT_H
#define MPYFORGE_SDK_OBJECT_H

#include "mpyforge/base.h"

typedef void *mp_obj_t;
typedef const void *mp_const_obj_t;
typedef struct _mp_obj_type_t mp_obj_type_t;

// Every heap object starts with a pointer to its type.
typedef struct _mp_obj_base_t {
    const mp_obj_type_t *type;
} mp_obj_base_t;

#define MP_OBJ_TO_PTR(o) ((void *)(o))
#define MP_OBJ_FROM_PTR(p) ((mp_obj_t)(p))

// Marker values used by slot functions (non-debug runtime builds alias STOP_ITERATION to NULL).
#define MP_OBJ_NULL (MP_OBJ_FROM_PTR((void *)0))
#define MP_OBJ_STOP_ITERATION (MP_OBJ_FROM_PTR((void *)0))
#define MP_OBJ_SENTINEL (MP_OBJ_FROM_PTR((void *)4))

// Representation A: xxxx...xxx1 small int, xxxx...x010 qstr, xxxx...x110 immediate, xxxx...xx00 pointer.
static inline bool mp_obj_is_small_int(mp_const_obj_t o) {
    return ((mp_uint_t)o & 1u) != 0;
}
#define MP_OBJ_SMALL_INT_VALUE(o) (((mp_int_t)(o)) >> 1)
#define MP_OBJ_NEW_SMALL_INT(value) ((mp_obj_t)((((mp_uint_t)(value)) << 1) | 1u))

static inline bool mp_obj_is_qstr(mp_const_obj_t o) {
    return ((mp_uint_t)o & 7u) == 2u;
}
// Encoded in place rather than through the runtime's native_to_obj: no call (every locals-table
// entry of every module makes one at load).
#define MP_OBJ_NEW_QSTR(qst) ((mp_obj_t)((((mp_uint_t)(qst)) << 3) | 2u))

static inline bool mp_obj_is_immediate_obj(mp_const_obj_t o) {
    return ((mp_uint_t)o & 7u) == 6u;
}
#define MP_OBJ_IMMEDIATE_OBJ_VALUE(o) (((mp_uint_t)(o)) >> 3)
#define MP_OBJ_NEW_IMMEDIATE_OBJ(value) ((mp_obj_t)((((mp_uint_t)(value)) << 3) | 6u))

static inline bool mp_obj_is_obj(mp_const_obj_t o) {
    return ((mp_uint_t)o & 3u) == 0;
}

// ROM objects are plain object handles in representation A.
typedef mp_const_obj_t mp_rom_obj_t;
#define MP_ROM_INT(i) MP_OBJ_NEW_SMALL_INT(i)
#define MP_ROM_PTR(p) (p)
// MP_ROM_QSTR is deliberately absent: module qstr numbers are only known at load time.

// Printer: a sink for text, e.g. mp_plat_print.
typedef void (*mp_print_strn_t)(void *data, const char *str, size_t len);
typedef struct _mp_print_t {
    void *data;
    mp_print_strn_t print_strn;
} mp_print_t;

// How an object's print slot should render it.
typedef enum {
    PRINT_STR = 0,
    PRINT_REPR = 1,
    PRINT_EXC = 2,
    PRINT_JSON = 3,
    PRINT_RAW = 4,
    PRINT_EXC_SUBCLASS = 0x80,
} mp_print_kind_t;

// Unary operators, in the runtime's numbering.
typedef enum {
    MP_UNARY_OP_POSITIVE,
    MP_UNARY_OP_NEGATIVE,
    MP_UNARY_OP_INVERT,
    MP_UNARY_OP_NOT,
    MP_UNARY_OP_BOOL,
    MP_UNARY_OP_LEN,
    MP_UNARY_OP_HASH,
    MP_UNARY_OP_ABS,
    MP_UNARY_OP_INT_MAYBE,
    MP_UNARY_OP_FLOAT_MAYBE,
    MP_UNARY_OP_COMPLEX_MAYBE,
    MP_UNARY_OP_SIZEOF,
} mp_unary_op_t;

// Binary operators, in the runtime's numbering: comparisons, in-place forms,
// plain forms, then runtime-only ones and the reflected forms.
typedef enum {
    MP_BINARY_OP_LESS,
    MP_BINARY_OP_MORE,
    MP_BINARY_OP_EQUAL,
    MP_BINARY_OP_LESS_EQUAL,
    MP_BINARY_OP_MORE_EQUAL,
    MP_BINARY_OP_NOT_EQUAL,
    MP_BINARY_OP_IN,
    MP_BINARY_OP_IS,
    MP_BINARY_OP_EXCEPTION_MATCH,

    MP_BINARY_OP_INPLACE_OR,
    MP_BINARY_OP_INPLACE_XOR,
    MP_BINARY_OP_INPLACE_AND,
    MP_BINARY_OP_INPLACE_LSHIFT,
    MP_BINARY_OP_INPLACE_RSHIFT,
    MP_BINARY_OP_INPLACE_ADD,
    MP_BINARY_OP_INPLACE_SUBTRACT,
    MP_BINARY_OP_INPLACE_MULTIPLY,
    MP_BINARY_OP_INPLACE_MAT_MULTIPLY,
    MP_BINARY_OP_INPLACE_FLOOR_DIVIDE,
    MP_BINARY_OP_INPLACE_TRUE_DIVIDE,
    MP_BINARY_OP_INPLACE_MODULO,
    MP_BINARY_OP_INPLACE_POWER,

    MP_BINARY_OP_OR,
    MP_BINARY_OP_XOR,
    MP_BINARY_OP_AND,
    MP_BINARY_OP_LSHIFT,
    MP_BINARY_OP_RSHIFT,
    MP_BINARY_OP_ADD,
    MP_BINARY_OP_SUBTRACT,
    MP_BINARY_OP_MULTIPLY,
    MP_BINARY_OP_MAT_MULTIPLY,
    MP_BINARY_OP_FLOOR_DIVIDE,
    MP_BINARY_OP_TRUE_DIVIDE,
    MP_BINARY_OP_MODULO,
    MP_BINARY_OP_POWER,

    MP_BINARY_OP_DIVMOD,
    MP_BINARY_OP_CONTAINS,

    MP_BINARY_OP_REVERSE_OR,
    MP_BINARY_OP_REVERSE_XOR,
    MP_BINARY_OP_REVERSE_AND,
    MP_BINARY_OP_REVERSE_LSHIFT,
    MP_BINARY_OP_REVERSE_RSHIFT,
    MP_BINARY_OP_REVERSE_ADD,
    MP_BINARY_OP_REVERSE_SUBTRACT,
    MP_BINARY_OP_REVERSE_MULTIPLY,
    MP_BINARY_OP_REVERSE_MAT_MULTIPLY,
    MP_BINARY_OP_REVERSE_FLOOR_DIVIDE,
    MP_BINARY_OP_REVERSE_TRUE_DIVIDE,
    MP_BINARY_OP_REVERSE_MODULO,
    MP_BINARY_OP_REVERSE_POWER,

    MP_BINARY_OP_NOT_IN,
    MP_BINARY_OP_IS_NOT,
} mp_binary_op_t;

// Value kinds understood by the runtime's native<->object converters (fun table 3 and 4).
#define MP_NATIVE_TYPE_OBJ (0x00)
#define MP_NATIVE_TYPE_BOOL (0x01)
#define MP_NATIVE_TYPE_INT (0x02)
#define MP_NATIVE_TYPE_UINT (0x03)
#define MP_NATIVE_TYPE_PTR (0x04)
#define MP_NATIVE_TYPE_PTR8 (0x05)
#define MP_NATIVE_TYPE_PTR16 (0x06)
#define MP_NATIVE_TYPE_PTR32 (0x07)
#define MP_NATIVE_TYPE_QSTR (0x08)

#endif // MPYFORGE_SDK_OBJECT_H
