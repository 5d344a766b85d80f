// mpyforge SDK: type objects (mp_obj_type_t and its slot index scheme), slot function signatures, buffer protocol.
#ifndef MPYFORGE_SDK_TYPES_H
#define MPYFORGE_SDK_TYPES_H

#include "mpyforge/object.h"

struct _mp_obj_dict_t;
struct _mp_map_t;

// C signatures of plain builtin functions (what MP_DEFINE_CONST_FUN_OBJ_* wrap).
typedef mp_obj_t (*mp_fun_0_t)(void);
typedef mp_obj_t (*mp_fun_1_t)(mp_obj_t);
typedef mp_obj_t (*mp_fun_2_t)(mp_obj_t, mp_obj_t);
typedef mp_obj_t (*mp_fun_3_t)(mp_obj_t, mp_obj_t, mp_obj_t);
typedef mp_obj_t (*mp_fun_var_t)(size_t n, const mp_obj_t *args);
// Keyword form: args holds the positionals, then key/value pairs; kw_args maps the same pairs.
typedef mp_obj_t (*mp_fun_kw_t)(size_t n, const mp_obj_t *args, struct _mp_map_t *kw_args);

// Scratch space the runtime may hand to a getiter slot so small iterators need no heap.
typedef struct _mp_obj_iter_buf_t {
    mp_obj_base_t base;
    mp_obj_t buf[3];
} mp_obj_iter_buf_t;
#define MP_OBJ_ITER_BUF_NSLOTS ((sizeof(mp_obj_iter_buf_t) + sizeof(mp_obj_t) - 1) / sizeof(mp_obj_t))

// Buffer protocol: buf/len describe raw memory; typecode is the array typecode ('b', 'h', 'f', ...)
// or BYTEARRAY_TYPECODE for bytes-like objects.
typedef struct _mp_buffer_info_t {
    void *buf;
    size_t len; // bytes, not items
    int typecode;
} mp_buffer_info_t;
#define MP_BUFFER_READ (1)
#define MP_BUFFER_WRITE (2)
#define MP_BUFFER_RW (MP_BUFFER_READ | MP_BUFFER_WRITE)
#define MP_BUFFER_RAISE_IF_UNSUPPORTED (4)

// Slot function signatures.
typedef void (*mp_print_fun_t)(const mp_print_t *print, mp_obj_t self, mp_print_kind_t kind);
typedef mp_obj_t (*mp_make_new_fun_t)(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args);
typedef mp_obj_t (*mp_call_fun_t)(mp_obj_t self, size_t n_args, size_t n_kw, const mp_obj_t *args);
typedef mp_obj_t (*mp_unary_op_fun_t)(mp_unary_op_t op, mp_obj_t self);
typedef mp_obj_t (*mp_binary_op_fun_t)(mp_binary_op_t op, mp_obj_t lhs, mp_obj_t rhs);
// attr: dest[0] == MP_OBJ_NULL asks for a load (answer in dest[0], or dest[0..1] = method, self);
// dest[0] == MP_OBJ_SENTINEL asks for a store (dest[1] = value) or delete (dest[1] == MP_OBJ_NULL),
// and the slot reports success by setting dest[0] = MP_OBJ_NULL.
typedef void (*mp_attr_fun_t)(mp_obj_t self, qstr attr, mp_obj_t *dest);
// subscr: value == MP_OBJ_SENTINEL loads, MP_OBJ_NULL deletes, anything else stores.
typedef mp_obj_t (*mp_subscr_fun_t)(mp_obj_t self, mp_obj_t index, mp_obj_t value);
typedef mp_obj_t (*mp_getiter_fun_t)(mp_obj_t self, mp_obj_iter_buf_t *iter_buf);
typedef mp_fun_1_t mp_iternext_fun_t;
typedef mp_int_t (*mp_buffer_fun_t)(mp_obj_t self, mp_buffer_info_t *bufinfo, mp_uint_t flags);

// Used when a type's flags include MP_TYPE_FLAG_ITER_IS_CUSTOM.
typedef struct _mp_getiter_iternext_custom_t {
    mp_getiter_fun_t getiter;
    mp_iternext_fun_t iternext;
} mp_getiter_iternext_custom_t;

// mp_obj_type_t.flags bits.
#define MP_TYPE_FLAG_NONE (0x0000)
#define MP_TYPE_FLAG_IS_SUBCLASSED (0x0001)
#define MP_TYPE_FLAG_HAS_SPECIAL_ACCESSORS (0x0002)
#define MP_TYPE_FLAG_EQ_NOT_REFLEXIVE (0x0004)
#define MP_TYPE_FLAG_EQ_CHECKS_OTHER_TYPE (0x0008)
#define MP_TYPE_FLAG_EQ_HAS_NEQ_TEST (0x0010)
#define MP_TYPE_FLAG_BINDS_SELF (0x0020)
#define MP_TYPE_FLAG_BUILTIN_FUN (0x0040)
#define MP_TYPE_FLAG_ITER_IS_GETITER (0x0000)
#define MP_TYPE_FLAG_ITER_IS_ITERNEXT (0x0080)
#define MP_TYPE_FLAG_ITER_IS_CUSTOM (0x0100)
#define MP_TYPE_FLAG_ITER_IS_STREAM (MP_TYPE_FLAG_ITER_IS_ITERNEXT | MP_TYPE_FLAG_ITER_IS_CUSTOM)
#define MP_TYPE_FLAG_INSTANCE_TYPE (0x0200)
#define MP_TYPE_FLAG_SUBSCR_ALLOWS_STACK_SLICE (0x0400)

// The fixed head shared by all type objects: twelve one-byte slot indexes follow the name.
// A slot index of 0 means "not set"; otherwise the function lives in slots[index - 1].
#define MPYFORGE_TYPE_HEAD \
    mp_obj_base_t base; \
    uint16_t flags; \
    uint16_t name; \
    uint8_t slot_index_make_new; \
    uint8_t slot_index_print; \
    uint8_t slot_index_call; \
    uint8_t slot_index_unary_op; \
    uint8_t slot_index_binary_op; \
    uint8_t slot_index_attr; \
    uint8_t slot_index_subscr; \
    uint8_t slot_index_iter; \
    uint8_t slot_index_buffer; \
    uint8_t slot_index_protocol; \
    uint8_t slot_index_parent; \
    uint8_t slot_index_locals_dict;

struct _mp_obj_type_t {
    MPYFORGE_TYPE_HEAD
    const void *slots[];
};

// Same layout with storage, for types a module fills in at load time.
typedef struct _mp_obj_empty_type_t {
    MPYFORGE_TYPE_HEAD
} mp_obj_empty_type_t;

typedef struct _mp_obj_full_type_t {
    MPYFORGE_TYPE_HEAD
    const void *slots[11];
} mp_obj_full_type_t;

MP_STATIC_ASSERT(offsetof(mp_obj_type_t, slot_index_make_new) == sizeof(void *) + 4);
MP_STATIC_ASSERT(offsetof(mp_obj_type_t, slots) == offsetof(mp_obj_full_type_t, slots));

// The C type each slot holds, used to cast when reading or initialising it.
#define MPYFORGE_SLOT_CTYPE_make_new mp_make_new_fun_t
#define MPYFORGE_SLOT_CTYPE_print mp_print_fun_t
#define MPYFORGE_SLOT_CTYPE_call mp_call_fun_t
#define MPYFORGE_SLOT_CTYPE_unary_op mp_unary_op_fun_t
#define MPYFORGE_SLOT_CTYPE_binary_op mp_binary_op_fun_t
#define MPYFORGE_SLOT_CTYPE_attr mp_attr_fun_t
#define MPYFORGE_SLOT_CTYPE_subscr mp_subscr_fun_t
#define MPYFORGE_SLOT_CTYPE_iter const void *
#define MPYFORGE_SLOT_CTYPE_buffer mp_buffer_fun_t
#define MPYFORGE_SLOT_CTYPE_protocol const void *
#define MPYFORGE_SLOT_CTYPE_parent const void *
#define MPYFORGE_SLOT_CTYPE_locals_dict struct _mp_obj_dict_t *

#define MP_OBJ_TYPE_HAS_SLOT(t, slot) ((t)->slot_index_##slot)
#define MP_OBJ_TYPE_GET_SLOT(t, slot) ((MPYFORGE_SLOT_CTYPE_##slot)(t)->slots[(t)->slot_index_##slot - 1])
#define MP_OBJ_TYPE_GET_SLOT_OR_NULL(t, slot) \
    ((MPYFORGE_SLOT_CTYPE_##slot)(MP_OBJ_TYPE_HAS_SLOT(t, slot) ? (t)->slots[(t)->slot_index_##slot - 1] : NULL))
// n is the zero-based position in slots[]; each slot of one type needs its own n.
#define MP_OBJ_TYPE_SET_SLOT(t, slot, value, n) \
    ((t)->slot_index_##slot = (uint8_t)((n) + 1), (t)->slots[(n)] = (const void *)(value))
#define MP_OBJ_TYPE_OFFSETOF_SLOT(slot) (offsetof(mp_obj_type_t, slot_index_##slot))
#define MP_OBJ_TYPE_HAS_SLOT_BY_OFFSET(t, offset) (*(const uint8_t *)((const char *)(t) + (offset)) != 0)

// MP_DEFINE_CONST_OBJ_TYPE(name, qstr, flags, slot, value, slot, value, ...) with up to 12 pairs.
// Slots are numbered in the order given. The type name and any qstr inside must be a static
// qstr (a compile-time constant); module-specific qstrs are only known at load time, so such
// types have to be filled in from mpy_init (see mp_obj_full_type_t and MP_OBJ_TYPE_SET_SLOT).
#define MPYFORGE_SI(n, slot) .slot_index_##slot = n,
#define MPYFORGE_SV(slot, value) (const void *)(MPYFORGE_SLOT_CTYPE_##slot)(value),
#define MPYFORGE_IDX1(s1, v1) MPYFORGE_SI(1, s1)
#define MPYFORGE_IDX2(s1, v1, s2, v2) MPYFORGE_IDX1(s1, v1) MPYFORGE_SI(2, s2)
#define MPYFORGE_IDX3(s1, v1, s2, v2, s3, v3) MPYFORGE_IDX2(s1, v1, s2, v2) MPYFORGE_SI(3, s3)
#define MPYFORGE_IDX4(s1, v1, s2, v2, s3, v3, s4, v4) MPYFORGE_IDX3(s1, v1, s2, v2, s3, v3) MPYFORGE_SI(4, s4)
#define MPYFORGE_IDX5(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5) MPYFORGE_IDX4(s1, v1, s2, v2, s3, v3, s4, v4) MPYFORGE_SI(5, s5)
#define MPYFORGE_IDX6(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6) MPYFORGE_IDX5(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5) MPYFORGE_SI(6, s6)
#define MPYFORGE_IDX7(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7) MPYFORGE_IDX6(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6) MPYFORGE_SI(7, s7)
#define MPYFORGE_IDX8(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8) MPYFORGE_IDX7(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7) MPYFORGE_SI(8, s8)
#define MPYFORGE_IDX9(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8, s9, v9) MPYFORGE_IDX8(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8) MPYFORGE_SI(9, s9)
#define MPYFORGE_IDX10(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8, s9, v9, s10, v10) MPYFORGE_IDX9(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8, s9, v9) MPYFORGE_SI(10, s10)
#define MPYFORGE_IDX11(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8, s9, v9, s10, v10, s11, v11) MPYFORGE_IDX10(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8, s9, v9, s10, v10) MPYFORGE_SI(11, s11)
#define MPYFORGE_IDX12(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8, s9, v9, s10, v10, s11, v11, s12, v12) MPYFORGE_IDX11(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8, s9, v9, s10, v10, s11, v11) MPYFORGE_SI(12, s12)
#define MPYFORGE_VAL1(s1, v1) MPYFORGE_SV(s1, v1)
#define MPYFORGE_VAL2(s1, v1, s2, v2) MPYFORGE_VAL1(s1, v1) MPYFORGE_SV(s2, v2)
#define MPYFORGE_VAL3(s1, v1, s2, v2, s3, v3) MPYFORGE_VAL2(s1, v1, s2, v2) MPYFORGE_SV(s3, v3)
#define MPYFORGE_VAL4(s1, v1, s2, v2, s3, v3, s4, v4) MPYFORGE_VAL3(s1, v1, s2, v2, s3, v3) MPYFORGE_SV(s4, v4)
#define MPYFORGE_VAL5(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5) MPYFORGE_VAL4(s1, v1, s2, v2, s3, v3, s4, v4) MPYFORGE_SV(s5, v5)
#define MPYFORGE_VAL6(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6) MPYFORGE_VAL5(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5) MPYFORGE_SV(s6, v6)
#define MPYFORGE_VAL7(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7) MPYFORGE_VAL6(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6) MPYFORGE_SV(s7, v7)
#define MPYFORGE_VAL8(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8) MPYFORGE_VAL7(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7) MPYFORGE_SV(s8, v8)
#define MPYFORGE_VAL9(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8, s9, v9) MPYFORGE_VAL8(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8) MPYFORGE_SV(s9, v9)
#define MPYFORGE_VAL10(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8, s9, v9, s10, v10) MPYFORGE_VAL9(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8, s9, v9) MPYFORGE_SV(s10, v10)
#define MPYFORGE_VAL11(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8, s9, v9, s10, v10, s11, v11) MPYFORGE_VAL10(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8, s9, v9, s10, v10) MPYFORGE_SV(s11, v11)
#define MPYFORGE_VAL12(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8, s9, v9, s10, v10, s11, v11, s12, v12) MPYFORGE_VAL11(s1, v1, s2, v2, s3, v3, s4, v4, s5, v5, s6, v6, s7, v7, s8, v8, s9, v9, s10, v10, s11, v11) MPYFORGE_SV(s12, v12)

#define MPYFORGE_TYPE_WITH_SLOTS(n, var, qst, type_flags, ...) \
    const mp_obj_type_t var = { \
        .base = { &mp_type_type }, .flags = (type_flags), .name = (qst), \
        MPYFORGE_IDX##n(__VA_ARGS__) \
        .slots = { MPYFORGE_VAL##n(__VA_ARGS__) } \
    }
#define MPYFORGE_TYPE_0(var, qst, type_flags) \
    const mp_obj_type_t var = { .base = { &mp_type_type }, .flags = (type_flags), .name = (qst) }
#define MPYFORGE_TYPE_N(n) MPYFORGE_TYPE_N_(n)
#define MPYFORGE_TYPE_N_(n) MPYFORGE_TYPE_##n
#define MPYFORGE_TYPE_1(...) MPYFORGE_TYPE_WITH_SLOTS(1, __VA_ARGS__)
#define MPYFORGE_TYPE_2(...) MPYFORGE_TYPE_WITH_SLOTS(2, __VA_ARGS__)
#define MPYFORGE_TYPE_3(...) MPYFORGE_TYPE_WITH_SLOTS(3, __VA_ARGS__)
#define MPYFORGE_TYPE_4(...) MPYFORGE_TYPE_WITH_SLOTS(4, __VA_ARGS__)
#define MPYFORGE_TYPE_5(...) MPYFORGE_TYPE_WITH_SLOTS(5, __VA_ARGS__)
#define MPYFORGE_TYPE_6(...) MPYFORGE_TYPE_WITH_SLOTS(6, __VA_ARGS__)
#define MPYFORGE_TYPE_7(...) MPYFORGE_TYPE_WITH_SLOTS(7, __VA_ARGS__)
#define MPYFORGE_TYPE_8(...) MPYFORGE_TYPE_WITH_SLOTS(8, __VA_ARGS__)
#define MPYFORGE_TYPE_9(...) MPYFORGE_TYPE_WITH_SLOTS(9, __VA_ARGS__)
#define MPYFORGE_TYPE_10(...) MPYFORGE_TYPE_WITH_SLOTS(10, __VA_ARGS__)
#define MPYFORGE_TYPE_11(...) MPYFORGE_TYPE_WITH_SLOTS(11, __VA_ARGS__)
#define MPYFORGE_TYPE_12(...) MPYFORGE_TYPE_WITH_SLOTS(12, __VA_ARGS__)
// Counts slot/value pairs: 3 fixed arguments plus 2 per pair; odd positions are impossible.
#define MPYFORGE_PAIRS(...) MPYFORGE_PAIRS_PICK(__VA_ARGS__, 12, x, 11, x, 10, x, 9, x, 8, x, 7, x, 6, x, 5, x, 4, x, 3, x, 2, x, 1, x, 0, x, x, x)
#define MPYFORGE_PAIRS_PICK(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, n, ...) n
#define MP_DEFINE_CONST_OBJ_TYPE(...) MPYFORGE_TYPE_N(MPYFORGE_PAIRS(__VA_ARGS__))(__VA_ARGS__)

#endif // MPYFORGE_SDK_TYPES_H
