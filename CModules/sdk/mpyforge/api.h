// mpyforge SDK: the MicroPython C API (objects, memory, calls, exceptions, floats) implemented through mp_fun_table.
#ifndef MPYFORGE_SDK_API_H
#define MPYFORGE_SDK_API_H

#include "mpyforge/funtable.h"

// ---------------------------------------------------------------------------
// Function objects

#define MP_DECLARE_CONST_FUN_OBJ_0(name) extern const mp_obj_fun_builtin_fixed_t name
#define MP_DECLARE_CONST_FUN_OBJ_1(name) extern const mp_obj_fun_builtin_fixed_t name
#define MP_DECLARE_CONST_FUN_OBJ_2(name) extern const mp_obj_fun_builtin_fixed_t name
#define MP_DECLARE_CONST_FUN_OBJ_3(name) extern const mp_obj_fun_builtin_fixed_t name
#define MP_DECLARE_CONST_FUN_OBJ_VAR(name) extern const mp_obj_fun_builtin_var_t name
#define MP_DECLARE_CONST_FUN_OBJ_VAR_BETWEEN(name) extern const mp_obj_fun_builtin_var_t name
#define MP_DECLARE_CONST_FUN_OBJ_KW(name) extern const mp_obj_fun_builtin_var_t name

#define MP_DEFINE_CONST_FUN_OBJ_0(name, c_fun) \
    const mp_obj_fun_builtin_fixed_t name = { .base = { &mp_type_fun_builtin_0 }, .fun = { ._0 = (c_fun) } }
#define MP_DEFINE_CONST_FUN_OBJ_1(name, c_fun) \
    const mp_obj_fun_builtin_fixed_t name = { .base = { &mp_type_fun_builtin_1 }, .fun = { ._1 = (c_fun) } }
#define MP_DEFINE_CONST_FUN_OBJ_2(name, c_fun) \
    const mp_obj_fun_builtin_fixed_t name = { .base = { &mp_type_fun_builtin_2 }, .fun = { ._2 = (c_fun) } }
#define MP_DEFINE_CONST_FUN_OBJ_3(name, c_fun) \
    const mp_obj_fun_builtin_fixed_t name = { .base = { &mp_type_fun_builtin_3 }, .fun = { ._3 = (c_fun) } }
#define MPYFORGE_FUN_VAR(name, min_args, max_args, takes_kw, member, c_fun) \
    const mp_obj_fun_builtin_var_t name = { \
        .base = { &mp_type_fun_builtin_var }, \
        .sig = MP_OBJ_FUN_MAKE_SIG((min_args), (max_args), (takes_kw)), \
        .fun = { .member = (c_fun) } \
    }
#define MP_DEFINE_CONST_FUN_OBJ_VAR(name, min_args, c_fun) \
    MPYFORGE_FUN_VAR(name, min_args, MP_OBJ_FUN_ARGS_MAX, false, var, c_fun)
#define MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(name, min_args, max_args, c_fun) \
    MPYFORGE_FUN_VAR(name, min_args, max_args, false, var, c_fun)
#define MP_DEFINE_CONST_FUN_OBJ_KW(name, min_args, c_fun) \
    MPYFORGE_FUN_VAR(name, min_args, MP_OBJ_FUN_ARGS_MAX, true, kw, c_fun)

// ---------------------------------------------------------------------------
// Memory: one realloc entry does everything; a NULL result for a non-zero size is raised as MemoryError.

// Raising the MemoryError type (the runtime makes the instance) instead of a message: a
// message would be 25 more bytes in every module that allocates, and the traceback already says
// where. MicroPython's own allocator raises it without a message too when it cannot report.
static inline MP_NORETURN void mpyforge_malloc_fail(size_t num_bytes) {
    (void)num_bytes;
    mp_fun_table.raise(mp_fun_table.load_global(MP_QSTR_MemoryError));
}

static inline void *mpyforge_realloc_or_raise(void *ptr, size_t num_bytes, bool allow_move) {
    void *result = mp_fun_table.realloc_(ptr, num_bytes, allow_move);
    if (result == NULL && num_bytes != 0) {
        mpyforge_malloc_fail(num_bytes);
    }
    return result;
}

static inline void *mpyforge_malloc0(size_t num_bytes) {
    void *result = mpyforge_realloc_or_raise(NULL, num_bytes, false);
    // The GC heap normally hands out zeroed blocks, but clear anyway so m_malloc0 is a promise.
    memset(result, 0, num_bytes);
    return result;
}

#define m_malloc(n) (mpyforge_realloc_or_raise(NULL, (n), false))
#define m_malloc_maybe(n) (mp_fun_table.realloc_(NULL, (n), false))
#define m_malloc0(n) (mpyforge_malloc0((n)))
#define m_malloc_fail(n) (mpyforge_malloc_fail((n)))
#define m_realloc(ptr, n) (mpyforge_realloc_or_raise((ptr), (n), true))
#define m_realloc_maybe(ptr, n, allow_move) (mp_fun_table.realloc_((ptr), (n), (allow_move)))
#define m_free(ptr) ((void)mp_fun_table.realloc_((ptr), 0, false))

#define m_new(type, num) ((type *)m_malloc(sizeof(type) * (num)))
#define m_new_maybe(type, num) ((type *)m_malloc_maybe(sizeof(type) * (num)))
#define m_new0(type, num) ((type *)m_malloc0(sizeof(type) * (num)))
#define m_new_obj(type) (m_new(type, 1))
#define m_new_obj_maybe(type) (m_new_maybe(type, 1))
#define m_new_obj_var(obj_type, var_field, var_type, var_num) \
    ((obj_type *)m_malloc(offsetof(obj_type, var_field) + sizeof(var_type) * (var_num)))
#define m_new_obj_var0(obj_type, var_field, var_type, var_num) \
    ((obj_type *)m_malloc0(offsetof(obj_type, var_field) + sizeof(var_type) * (var_num)))
#define m_renew(type, ptr, old_num, new_num) ((void)(old_num), (type *)m_realloc((ptr), sizeof(type) * (new_num)))
#define m_renew_maybe(type, ptr, old_num, new_num, allow_move) \
    ((void)(old_num), (type *)m_realloc_maybe((ptr), sizeof(type) * (new_num), (allow_move)))
#define m_del(type, ptr, num) ((void)(num), m_free(ptr))
#define m_del_obj(type, ptr) (m_del(type, ptr, 1))
#define m_del_var(obj_type, var_field, var_type, var_num, ptr) ((void)(var_num), m_free(ptr))

// Allocate an object and set its type in one go.
static inline void *mpyforge_obj_malloc(size_t num_bytes, const mp_obj_type_t *type) {
    mp_obj_base_t *obj = (mp_obj_base_t *)m_malloc(num_bytes);
    obj->type = type;
    return obj;
}
#define mp_obj_malloc_helper(num_bytes, type) (mpyforge_obj_malloc((num_bytes), (type)))
#define mp_obj_malloc(struct_type, obj_type) ((struct_type *)mpyforge_obj_malloc(sizeof(struct_type), (obj_type)))
#define mp_obj_malloc_var(struct_type, var_field, var_type, var_num, obj_type) \
    ((struct_type *)mpyforge_obj_malloc(offsetof(struct_type, var_field) + sizeof(var_type) * (var_num), (obj_type)))
// Modules cannot register finalisers; these allocate plain objects.
#define mp_obj_malloc_with_finaliser(struct_type, obj_type) mp_obj_malloc(struct_type, obj_type)
#define mp_obj_malloc_var_with_finaliser(struct_type, var_field, var_type, var_num, obj_type) \
    mp_obj_malloc_var(struct_type, var_field, var_type, var_num, obj_type)

// ---------------------------------------------------------------------------
// Printing

#define mp_plat_print (*mp_fun_table.plat_print)
#define mp_printf(print, ...) (mp_fun_table.printf_((print), __VA_ARGS__))
#define mp_vprintf(print, fmt, args) (mp_fun_table.vprintf_((print), (fmt), (args)))
#define mp_print_str(print, str) ((void)mp_fun_table.printf_((print), "%s", (str)))

// ---------------------------------------------------------------------------
// Constants and types reachable at run time

#define mp_const_none ((mp_obj_t)mp_fun_table.const_none)
#define mp_const_false ((mp_obj_t)mp_fun_table.const_false)
#define mp_const_true ((mp_obj_t)mp_fun_table.const_true)
#define mp_const_empty_tuple (mp_fun_table.new_tuple(0, NULL))
// bytes() called with no arguments gives b''.
#define mp_const_empty_bytes (mp_fun_table.call_function_n_kw(MP_OBJ_FROM_PTR(&mp_type_bytes), 0, NULL))

#define mpyforge_builtin_type(qst) (*(const mp_obj_type_t *)MP_OBJ_TO_PTR(mp_fun_table.load_global(qst)))
#define mp_type_NoneType (*mp_obj_get_type(mp_const_none))
#define mp_type_bool (*mp_obj_get_type(mp_const_false))
#define mp_type_tuple (*((const mp_obj_base_t *)MP_OBJ_TO_PTR(mp_const_empty_tuple))->type)
#define mp_type_int mpyforge_builtin_type(MP_QSTR_int)
#define mp_type_bytes mpyforge_builtin_type(MP_QSTR_bytes)
#define mp_type_bytearray mpyforge_builtin_type(MP_QSTR_bytearray)
#define mp_type_object mpyforge_builtin_type(MP_QSTR_object)
#define mp_type_EOFError mpyforge_builtin_type(MP_QSTR_EOFError)
#define mp_type_IndexError mpyforge_builtin_type(MP_QSTR_IndexError)
#define mp_type_KeyError mpyforge_builtin_type(MP_QSTR_KeyError)
#define mp_type_MemoryError mpyforge_builtin_type(MP_QSTR_MemoryError)
#define mp_type_NotImplementedError mpyforge_builtin_type(MP_QSTR_NotImplementedError)
#define mp_type_OSError mpyforge_builtin_type(MP_QSTR_OSError)
#define mp_type_OverflowError mpyforge_builtin_type(MP_QSTR_OverflowError)
#define mp_type_RuntimeError mpyforge_builtin_type(MP_QSTR_RuntimeError)
#define mp_type_StopIteration mpyforge_builtin_type(MP_QSTR_StopIteration)
#define mp_type_TypeError mpyforge_builtin_type(MP_QSTR_TypeError)
#define mp_type_ValueError mpyforge_builtin_type(MP_QSTR_ValueError)
#define mp_type_ZeroDivisionError mpyforge_builtin_type(MP_QSTR_ZeroDivisionError)
#define mp_type_AttributeError mpyforge_builtin_type(MP_QSTR_AttributeError)
#if MPYFORGE_ABI_SUBVERSION < 3
// 6.2 has no table entry for Exception, so fetch it from builtins.
#define mp_type_Exception mpyforge_builtin_type(MP_QSTR_Exception)
#endif

// ---------------------------------------------------------------------------
// Object inspection

#define mp_obj_get_type(o) (mp_fun_table.obj_get_type((o)))
#define mp_obj_is_exact_type(o, t) (mp_obj_is_obj(o) && ((const mp_obj_base_t *)MP_OBJ_TO_PTR(o))->type == (t))
#define mp_obj_is_type(o, t) mp_obj_is_exact_type(o, t)
#define mp_obj_is_int(o) (mp_obj_is_small_int(o) || mp_obj_is_exact_type(o, &mp_type_int))
#define mp_obj_is_str(o) (mp_obj_is_qstr(o) || mp_obj_is_exact_type(o, &mp_type_str))
#define mp_obj_is_bool(o) ((o) == mp_const_false || (o) == mp_const_true)
#define mp_obj_is_integer(o) (mp_obj_is_int(o) || mp_obj_is_bool(o))
#define mp_obj_is_true(o) ((bool)mp_fun_table.native_from_obj((o), MP_NATIVE_TYPE_BOOL))
// Like the runtime's conversion for viper code: big ints are truncated to a machine word.
#define mp_obj_get_int(o) ((mp_int_t)mp_fun_table.native_from_obj((o), MP_NATIVE_TYPE_INT))
#define mp_obj_get_int_truncated(o) ((mp_int_t)mp_fun_table.native_from_obj((o), MP_NATIVE_TYPE_UINT))
#define mp_obj_get_uint(o) ((mp_uint_t)mp_fun_table.native_from_obj((o), MP_NATIVE_TYPE_UINT))

// mp_obj_get_int refusing what it would silently truncate: the table's conversion for native
// code keeps only the low machine word of a big int (2**64 + 5 becomes 5). This raises the
// runtime's own OverflowError ("overflow converting long int to machine word") instead, and
// the runtime's TypeError for a non-int; kernels then check their own ranges on the exact value.
// ABI 6.3 has the runtime's argument parser in the table, whose MP_ARG_INT conversion is the
// checked one, so the check costs one call; 6.2 lacks it and compares a round trip. One
// out-of-line copy per source file: call sites stay a plain call.
static MP_NOINLINE __attribute__((unused)) mp_int_t mpyforge_get_int(mp_obj_t o) {
    if (mp_obj_is_small_int(o)) {
        return MP_OBJ_SMALL_INT_VALUE(o);
    }
    #if MPYFORGE_ABI_SUBVERSION >= 3
    // one positional argument; its qstr is never read because no keyword can match it
    static const mp_arg_t int_argument = { 0, MP_ARG_INT, { .u_int = 0 } };
    mp_arg_val_t value;
    mp_fun_table.arg_parse_all_kw_array(1, 0, &o, 1, &int_argument, &value);
    return value.u_int;
    #else
    const mp_int_t value = (mp_int_t)mp_fun_table.native_from_obj(o, MP_NATIVE_TYPE_INT);
    mp_obj_t same = mp_fun_table.binary_op(MP_BINARY_OP_EQUAL, o,
        mp_fun_table.native_to_obj((mp_uint_t)value, MP_NATIVE_TYPE_INT));
    if (same != mp_fun_table.const_true) {
        mp_fun_table.raise_msg((const mp_obj_type_t *)mp_fun_table.load_global(MP_QSTR_OverflowError),
            "overflow converting long int to machine word");
    }
    return value;
    #endif
}

static inline bool mpyforge_is_subclass_of(const mp_obj_type_t *type, const mp_obj_type_t *base) {
    // Only follows single-parent chains; a tuple of parents stops the walk (conservatively false).
    while (type != NULL) {
        if (type == base) {
            return true;
        }
        const void *parent = MP_OBJ_TYPE_GET_SLOT_OR_NULL(type, parent);
        if (parent == NULL || ((const mp_obj_base_t *)parent)->type != &mp_type_type) {
            return false;
        }
        type = (const mp_obj_type_t *)parent;
    }
    return false;
}
#define mp_obj_is_subclass_fast(type, base) \
    (mpyforge_is_subclass_of((const mp_obj_type_t *)MP_OBJ_TO_PTR(type), (const mp_obj_type_t *)MP_OBJ_TO_PTR(base)))

// If o is an instance of a Python subclass of native_type, return the native part, else NULL.
static inline mp_obj_t mpyforge_cast_to_native_base(mp_obj_t o, mp_const_obj_t native_type) {
    const mp_obj_type_t *type = mp_obj_get_type(o);
    if ((mp_const_obj_t)type == native_type) {
        return o;
    }
    if (MP_OBJ_TYPE_GET_SLOT_OR_NULL(type, parent) != native_type) {
        return MP_OBJ_NULL;
    }
    return ((mp_obj_instance_t *)MP_OBJ_TO_PTR(o))->subobj[0];
}
#define mp_obj_cast_to_native_base(o, t) (mpyforge_cast_to_native_base((o), (t)))

// ---------------------------------------------------------------------------
// Object construction

#define mp_obj_new_bool(b) ((b) ? mp_const_true : mp_const_false)
#define mp_obj_new_int(i) (mp_fun_table.native_to_obj((mp_uint_t)(mp_int_t)(i), MP_NATIVE_TYPE_INT))
#define mp_obj_new_int_from_uint(u) (mp_fun_table.native_to_obj((mp_uint_t)(u), MP_NATIVE_TYPE_UINT))
#define mp_obj_new_str(data, len) (mp_fun_table.obj_new_str((data), (len)))
#define mp_obj_new_str_from_cstr(s) (mp_fun_table.obj_new_str((s), strlen((s))))
#define mp_obj_new_bytes(data, len) (mp_fun_table.obj_new_bytes((const byte *)(data), (len)))
#define mp_obj_new_bytearray_by_ref(n, items) (mp_fun_table.obj_new_bytearray_by_ref((n), (items)))
#define mp_obj_new_tuple(n, items) (mp_fun_table.new_tuple((n), (items)))
#define mp_obj_new_list(n, items) (mp_fun_table.new_list((n), (items)))
#define mp_obj_new_dict(n) (mp_fun_table.new_dict((n)))
#define mp_obj_new_set(n, items) (mp_fun_table.new_set((n), (items)))
#define mp_obj_new_slice(start, stop, step) (mp_fun_table.new_slice((start), (stop), (step)))

// 64-bit integers on any word size: on 32-bit targets the value is assembled from two
// halves with the runtime's own int arithmetic, so results beyond a machine word become big ints.
static inline mp_obj_t mpyforge_new_int_from_ull(unsigned long long value) {
    if (sizeof(mp_uint_t) >= sizeof(value)) {
        return mp_obj_new_int_from_uint((mp_uint_t)value);
    }
    mp_obj_t high = mp_obj_new_int_from_uint((mp_uint_t)(value >> 32));
    mp_obj_t low = mp_obj_new_int_from_uint((mp_uint_t)(value & 0xffffffffu));
    high = mp_fun_table.binary_op(MP_BINARY_OP_LSHIFT, high, MP_OBJ_NEW_SMALL_INT(32));
    return mp_fun_table.binary_op(MP_BINARY_OP_OR, high, low);
}
static inline mp_obj_t mpyforge_new_int_from_ll(long long value) {
    if (value >= 0) {
        return mpyforge_new_int_from_ull((unsigned long long)value);
    }
    // Negate in unsigned arithmetic so LLONG_MIN works too.
    mp_obj_t magnitude = mpyforge_new_int_from_ull(0ull - (unsigned long long)value);
    return mp_fun_table.unary_op(MP_UNARY_OP_NEGATIVE, magnitude);
}
#define mp_obj_new_int_from_ull(v) (mpyforge_new_int_from_ull((v)))
#define mp_obj_new_int_from_ll(v) (mpyforge_new_int_from_ll((v)))

// The low 64 bits of any int (two's complement), mirroring mp_obj_get_int_truncated.
static inline long long mpyforge_get_ll(mp_obj_t o) {
    if (sizeof(mp_uint_t) >= sizeof(long long)) {
        return (long long)mp_fun_table.native_from_obj(o, MP_NATIVE_TYPE_UINT);
    }
    mp_obj_t mask = mp_obj_new_int_from_uint(0xffffffffu);
    mp_obj_t low = mp_fun_table.binary_op(MP_BINARY_OP_AND, o, mask);
    mp_obj_t high = mp_fun_table.binary_op(MP_BINARY_OP_AND,
        mp_fun_table.binary_op(MP_BINARY_OP_RSHIFT, o, MP_OBJ_NEW_SMALL_INT(32)), mask);
    unsigned long long bits = ((unsigned long long)mp_fun_table.native_from_obj(high, MP_NATIVE_TYPE_UINT) << 32)
        | (unsigned long long)mp_fun_table.native_from_obj(low, MP_NATIVE_TYPE_UINT);
    return (long long)bits;
}
#define mp_obj_get_ll(o) (mpyforge_get_ll((o)))

static inline mp_obj_t mpyforge_new_str_of_type(const mp_obj_type_t *type, const byte *data, size_t len) {
    if (type == &mp_type_str) {
        return mp_obj_new_str((const char *)data, len);
    }
    return mp_obj_new_bytes(data, len);
}
#define mp_obj_new_str_of_type(type, data, len) (mpyforge_new_str_of_type((type), (data), (len)))

// A bytearray that owns a copy of items: build one by reference over fresh heap memory.
static inline mp_obj_t mpyforge_new_bytearray(size_t n, const void *items) {
    void *copy = m_malloc(n);
    memcpy(copy, items, n);
    return mp_obj_new_bytearray_by_ref(n, copy);
}
#define mp_obj_new_bytearray(n, items) (mpyforge_new_bytearray((n), (items)))

// ---------------------------------------------------------------------------
// Containers and buffers

#define mp_obj_list_append(list, item) (mp_fun_table.list_append((list), (item)))
#define mp_obj_dict_store(dict, key, value) (mp_fun_table.dict_store((dict), (key), (value)))
#define mp_obj_set_store(set, item) (mp_fun_table.set_store((set), (item)))
#define mp_obj_subscr(base, index, value) (mp_fun_table.obj_subscr((base), (index), (value)))
#define mp_get_buffer(o, bufinfo, flags) (mp_fun_table.get_buffer((o), (bufinfo), (flags)))
#define mp_get_buffer_raise(o, bufinfo, flags) \
    ((void)mp_fun_table.get_buffer((o), (bufinfo), (flags) | MP_BUFFER_RAISE_IF_UNSUPPORTED))
#define mp_get_stream_raise(o, flags) (mp_fun_table.get_stream_raise((o), (flags)))
#define mp_get_stream(o) ((const mp_stream_p_t *)MP_OBJ_TYPE_GET_SLOT(mp_obj_get_type(o), protocol))

// len() through the builtin, which works for every sized object.
static inline mp_obj_t mpyforge_len(mp_obj_t o) {
    return mp_fun_table.call_function_n_kw(mp_fun_table.load_name(MP_QSTR_len), 1, &o);
}
#define mp_obj_len(o) (mpyforge_len((o)))

// Works for anything with the buffer protocol, which covers str and bytes.
static inline const char *mpyforge_str_get_data(mp_obj_t o, size_t *len) {
    mp_buffer_info_t info;
    mp_get_buffer_raise(o, &info, MP_BUFFER_READ);
    if (len != NULL) {
        *len = info.len;
    }
    return (const char *)info.buf;
}
#define mp_obj_str_get_data(o, len) (mpyforge_str_get_data((o), (len)))
#define mp_obj_str_get_str(o) (mpyforge_str_get_data((o), NULL))

// ---------------------------------------------------------------------------
// Names, attributes, calls

#define mp_load_name(qst) (mp_fun_table.load_name((qst)))
#define mp_load_global(qst) (mp_fun_table.load_global((qst)))
#define mp_load_attr(base, attr) (mp_fun_table.load_attr((base), (attr)))
#define mp_load_method(base, attr, dest) (mp_fun_table.load_method((base), (attr), (dest)))
#define mp_load_super_method(attr, dest) (mp_fun_table.load_super_method((attr), (dest)))
#define mp_load_build_class() (mp_fun_table.load_build_class())
#define mp_store_name(qst, value) (mp_fun_table.store_name((qst), (value)))
#define mp_store_global(qst, value) (mp_fun_table.store_global((qst), (value)))
#define mp_store_attr(base, attr, value) (mp_fun_table.store_attr((base), (attr), (value)))
#define mp_delete_name(qst) (mp_fun_table.delete_name((qst)))
#define mp_delete_global(qst) (mp_fun_table.delete_global((qst)))

#define mp_unary_op(op, o) (mp_fun_table.unary_op((op), (o)))
#define mp_binary_op(op, lhs, rhs) (mp_fun_table.binary_op((op), (lhs), (rhs)))

// The table's iteration entries are the native emitter's wrappers: given a buffer, getiter keeps
// all state in it and returns NULL, and iternext takes that buffer (or a real iterator object,
// which it recognises by its non-NULL type). These two macros restore the usual contract:
// mp_getiter returns an iterator handle, mp_iternext returns MP_OBJ_STOP_ITERATION at the end.
static inline mp_obj_t mpyforge_getiter(mp_obj_t o, mp_obj_iter_buf_t *iter_buf) {
    mp_obj_t iter = mp_fun_table.getiter(o, iter_buf);
    return iter_buf == NULL ? iter : MP_OBJ_FROM_PTR(iter_buf);
}
#define mp_getiter(o, iter_buf) (mpyforge_getiter((o), (iter_buf)))
#define mp_iternext(iter) (mp_fun_table.iternext((mp_obj_iter_buf_t *)MP_OBJ_TO_PTR(iter)))

// The table's call entry packs the keyword count into bits 8 and up of the argument count.
#define mp_call_function_n_kw(fun, n_args, n_kw, args) \
    (mp_fun_table.call_function_n_kw((fun), (n_args) | ((n_kw) << 8), (args)))
#define mp_call_function_0(fun) (mp_call_function_n_kw((fun), 0, 0, NULL))
static inline mp_obj_t mpyforge_call_1(mp_obj_t fun, mp_obj_t arg) {
    return mp_call_function_n_kw(fun, 1, 0, &arg);
}
static inline mp_obj_t mpyforge_call_2(mp_obj_t fun, mp_obj_t arg1, mp_obj_t arg2) {
    mp_obj_t args[2] = { arg1, arg2 };
    return mp_call_function_n_kw(fun, 2, 0, args);
}
#define mp_call_function_1(fun, arg) (mpyforge_call_1((fun), (arg)))
#define mp_call_function_2(fun, arg1, arg2) (mpyforge_call_2((fun), (arg1), (arg2)))
// args = [method, self, positionals..., key/value pairs...] as filled by mp_load_method.
#define mp_call_method_n_kw(n_args, n_kw, args) (mp_fun_table.call_method_n_kw((n_args), (n_kw), (args)))

#define mp_arg_check_num(n_args, n_kw, n_args_min, n_args_max, takes_kw) \
    (mp_fun_table.arg_check_num_sig((n_args), (n_kw), MP_OBJ_FUN_MAKE_SIG((n_args_min), (n_args_max), (takes_kw))))

#define mp_import_name(name, fromlist, level) (mp_fun_table.import_name((name), (fromlist), (level)))
#define mp_import_from(module, name) (mp_fun_table.import_from((module), (name)))
#define mp_import_all(module) (mp_fun_table.import_all((module)))

#if MPYFORGE_ABI_SUBVERSION >= 3
#define mp_load_method_maybe(base, attr, dest) (mp_fun_table.load_method_maybe((base), (attr), (dest)))
#define mp_arg_parse_all(n_pos, pos, kws, n_allowed, allowed, out_vals) \
    (mp_fun_table.arg_parse_all((n_pos), (pos), (kws), (n_allowed), (allowed), (out_vals)))
#define mp_arg_parse_all_kw_array(n_pos, n_kw, args, n_allowed, allowed, out_vals) \
    (mp_fun_table.arg_parse_all_kw_array((n_pos), (n_kw), (args), (n_allowed), (allowed), (out_vals)))
#define mp_binary_get_size(struct_type, val_type, palign) (mp_fun_table.binary_get_size((struct_type), (val_type), (palign)))
#define mp_binary_get_val_array(typecode, p, index) (mp_fun_table.binary_get_val_array((typecode), (p), (index)))
#define mp_binary_set_val_array(typecode, p, index, value) \
    (mp_fun_table.binary_set_val_array((typecode), (p), (index), (value)))
#endif

// Items of a tuple or list without copying; *items may point into the GC heap.
static inline void mpyforge_get_array(mp_obj_t o, size_t *len, mp_obj_t **items) {
    const mp_obj_type_t *type = mp_obj_get_type(o);
    if (type == &mp_type_tuple) {
        mp_obj_tuple_t *tuple = (mp_obj_tuple_t *)MP_OBJ_TO_PTR(o);
        *len = tuple->len;
        *items = &tuple->items[0];
    } else if (type == &mp_type_list) {
        mp_obj_list_t *list = (mp_obj_list_t *)MP_OBJ_TO_PTR(o);
        *len = list->len;
        *items = list->items;
    } else {
        mp_fun_table.raise_msg(&mp_type_TypeError, "expected tuple/list");
    }
}
#define mp_obj_get_array(o, len, items) (mpyforge_get_array((o), (len), (items)))

static inline void mpyforge_get_array_fixed_n(mp_obj_t o, size_t len, mp_obj_t **items) {
    size_t actual;
    mpyforge_get_array(o, &actual, items);
    if (actual != len) {
        mp_fun_table.raise_msg(&mp_type_ValueError, "tuple/list has wrong length");
    }
}
#define mp_obj_get_array_fixed_n(o, len, items) (mpyforge_get_array_fixed_n((o), (len), (items)))

// ---------------------------------------------------------------------------
// Exceptions

static inline MP_NORETURN void mpyforge_raise(mp_obj_t exc) {
    mp_fun_table.raise(exc);
    // The table entry is not declared noreturn, so tell the compiler it cannot come back.
    MP_UNREACHABLE
}

static inline mp_obj_t mpyforge_new_exception_arg1(const mp_obj_type_t *exc_type, mp_obj_t arg) {
    return mp_call_function_n_kw(MP_OBJ_FROM_PTR(exc_type), 1, 0, &arg);
}

static inline MP_NORETURN void mpyforge_raise_oserror(int errno_value) {
    mpyforge_raise(mpyforge_new_exception_arg1(&mp_type_OSError, MP_OBJ_NEW_SMALL_INT(errno_value)));
}

// Raising a type (rather than an instance) makes the runtime instantiate it.
#define mp_obj_new_exception(exc_type) ((mp_obj_t)(exc_type))
#define mp_obj_new_exception_arg1(exc_type, arg) (mpyforge_new_exception_arg1((exc_type), (arg)))
#define mp_obj_new_exception_args(exc_type, n, args) (mp_call_function_n_kw(MP_OBJ_FROM_PTR(exc_type), (n), 0, (args)))
#define nlr_raise(exc) (mpyforge_raise(exc))
#define mp_raise_type(exc_type) (mpyforge_raise(MP_OBJ_FROM_PTR(exc_type)))
#define mp_raise_type_arg(exc_type, arg) (mpyforge_raise(mpyforge_new_exception_arg1((exc_type), (arg))))
#define mp_raise_msg(exc_type, msg) (mp_fun_table.raise_msg((exc_type), (msg)))
// The builtin exception named by a static qstr, raised with a message. Out of line (the
// compiler decides): a kernel has many checks, and each call site is then two arguments and a
// call instead of a global lookup plus a call.
static MP_NORETURN __attribute__((unused)) void mpyforge_raise_builtin(qstr exc_name, const char *msg) {
    mp_fun_table.raise_msg(&mpyforge_builtin_type(exc_name), msg);
}
#define mp_raise_ValueError(msg) (mpyforge_raise_builtin(MP_QSTR_ValueError, (msg)))
#define mp_raise_TypeError(msg) (mpyforge_raise_builtin(MP_QSTR_TypeError, (msg)))
#define mp_raise_NotImplementedError(msg) (mp_raise_msg(&mp_type_NotImplementedError, (msg)))
#define mp_raise_OSError(errno_value) (mpyforge_raise_oserror((errno_value)))

// Exception's own slots, so a module can make exception subclasses at load time.
#define mp_obj_exception_make_new (MP_OBJ_TYPE_GET_SLOT(&mp_type_Exception, make_new))
#define mp_obj_exception_print (MP_OBJ_TYPE_GET_SLOT(&mp_type_Exception, print))
#define mp_obj_exception_attr (MP_OBJ_TYPE_GET_SLOT(&mp_type_Exception, attr))

static inline void mp_obj_exception_init(mp_obj_full_type_t *exc, qstr name, const mp_obj_type_t *base) {
    memset(exc, 0, sizeof(*exc));
    exc->base.type = &mp_type_type;
    exc->flags = MP_TYPE_FLAG_NONE;
    exc->name = (uint16_t)name;
    MP_OBJ_TYPE_SET_SLOT(exc, make_new, mp_obj_exception_make_new, 0);
    MP_OBJ_TYPE_SET_SLOT(exc, print, mp_obj_exception_print, 1);
    MP_OBJ_TYPE_SET_SLOT(exc, attr, mp_obj_exception_attr, 2);
    MP_OBJ_TYPE_SET_SLOT(exc, parent, base, 3);
}

// Catching exceptions. nlr_push must expand in the caller's own frame (the runtime records
// that frame and resumes there with a non-zero result), so it is a macro, never a function.
#if MPYFORGE_NLR_SETJMP
// The runtime's NLR is setjmp/longjmp (mpyforge/nlr.h says which targets): the fun table's
// nlr_push entry is nlr_push_tail, which only links the buffer in, and the caller then calls
// setjmp on the buffer's jmp_buf from its own frame, as MicroPython's own nlr_push macro and its
// native emitter do. mpyforge_nlr_setjmp is declared returns_twice, so the compiler treats the
// call as setjmp (it keeps nothing in registers that a longjmp would not restore); its body is
// a frameless stub in CModules/sdk/runtime/ that jumps straight to the fun table's setjmp entry,
// so setjmp records this frame and not the stub's.
__attribute__((returns_twice)) int mpyforge_nlr_setjmp(void *jmpbuf);
#define nlr_push(buf) (mp_fun_table.nlr_push((buf)), (unsigned int)mpyforge_nlr_setjmp((buf)->regs))
#else
// Native NLR: the fun table's nlr_push saves the caller's registers itself.
#define nlr_push(buf) (mp_fun_table.nlr_push((buf)))
#endif
#define nlr_pop() (mp_fun_table.nlr_pop())

// ---------------------------------------------------------------------------
// Floats. The _f/_d forms always exist; mp_obj_new_float/mp_obj_get_float follow MICROPY_FLOAT_IMPL.

#define mp_obj_new_float_from_f(f) (mp_fun_table.obj_new_float_from_f((f)))
#define mp_obj_new_float_from_d(d) (mp_fun_table.obj_new_float_from_d((d)))
#define mp_obj_get_float_to_f(o) (mp_fun_table.obj_get_float_to_f((o)))
#define mp_obj_get_float_to_d(o) (mp_fun_table.obj_get_float_to_d((o)))
#if MICROPY_FLOAT_IMPL == MICROPY_FLOAT_IMPL_FLOAT
#define mp_obj_new_float(f) (mp_obj_new_float_from_f((f)))
#define mp_obj_get_float(o) (mp_obj_get_float_to_f((o)))
#elif MICROPY_FLOAT_IMPL == MICROPY_FLOAT_IMPL_DOUBLE
#define mp_obj_new_float(f) (mp_obj_new_float_from_d((f)))
#define mp_obj_get_float(o) (mp_obj_get_float_to_d((o)))
#endif

// ---------------------------------------------------------------------------
// Module entry: mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args)
// must start with MP_DYNRUNTIME_INIT_ENTRY and end with MP_DYNRUNTIME_INIT_EXIT. In between, the
// module's globals are current, so mp_store_global defines module attributes.

#if MPYFORGE_ABI_SUBVERSION >= 3
#define MPYFORGE_RAW_CODE_INIT(rc) \
    (rc).proto_fun_indicator[0] = MP_PROTO_FUN_INDICATOR_RAW_CODE_0; \
    (rc).proto_fun_indicator[1] = MP_PROTO_FUN_INDICATOR_RAW_CODE_1; \
    (rc).kind = MP_CODE_NATIVE_VIPER; \
    (rc).is_generator = 0; \
    (rc).children = NULL;
#define mp_make_function_from_proto_fun(proto_fun, context, def_args) \
    (mp_fun_table.make_function_from_proto_fun((proto_fun), (context), (def_args)))
#define MPYFORGE_MAKE_FUNCTION(rc_ptr, context) (mp_fun_table.make_function_from_proto_fun((rc_ptr), (context), NULL))
#else
#define MPYFORGE_RAW_CODE_INIT(rc) \
    (rc).kind = MP_CODE_NATIVE_VIPER; \
    (rc).scope_flags = 0; \
    (rc).n_pos_args = 0; \
    (rc).children = NULL; \
    (rc).type_sig = 0;
#define mp_make_function_from_raw_code(rc, context, def_args) \
    (mp_fun_table.make_function_from_raw_code((rc), (context), (def_args)))
#define MPYFORGE_MAKE_FUNCTION(rc_ptr, context) \
    (mp_fun_table.make_function_from_raw_code((const mp_raw_code_t *)(rc_ptr), (context), NULL))
#endif

#define MP_DYNRUNTIME_INIT_ENTRY \
    mp_obj_t mpyforge_saved_globals = mp_fun_table.swap_globals(self->context->module.globals); \
    mp_raw_code_truncated_t rc; \
    MPYFORGE_RAW_CODE_INIT(rc) \
    (void)rc;

#define MP_DYNRUNTIME_INIT_EXIT \
    mp_fun_table.swap_globals((mp_obj_dict_t *)mpyforge_saved_globals); \
    return mp_const_none;

// Wrap a C function with the full (self, n_args, n_kw, args) signature as a Python function
// bound to this module's globals. Only valid inside mpy_init (uses its rc and self).
#define MP_DYNRUNTIME_MAKE_FUNCTION(f) \
    (rc.fun_data = (const void *)(f), MPYFORGE_MAKE_FUNCTION((const void *)&rc, self->context))

#endif // MPYFORGE_SDK_API_H
