// mpyforge SDK: mp_fun_table_t, the runtime's table of entry points a native module calls through (ABI 6.3 or 6.2).
#ifndef MPYFORGE_SDK_FUNTABLE_H
#define MPYFORGE_SDK_FUNTABLE_H

#include "mpyforge/nlr.h"
#include "mpyforge/structs.h"

// Every entry is one pointer wide; the number in each comment is its index, which is what the
// linker and loader use. Entries 0-49 are shared with the runtime's own native emitter; the rest
// exist for dynamic modules. ABI 6.3 (1.23+) added six functions and type_Exception.
typedef struct _mp_fun_table_t {
    mp_const_obj_t const_none; // 0
    mp_const_obj_t const_false; // 1
    mp_const_obj_t const_true; // 2
    mp_uint_t (*native_from_obj)(mp_obj_t obj, mp_uint_t native_type); // 3
    mp_obj_t (*native_to_obj)(mp_uint_t value, mp_uint_t native_type); // 4
    mp_obj_dict_t *(*swap_globals)(mp_obj_dict_t *new_globals); // 5
    mp_obj_t (*load_name)(qstr name); // 6
    mp_obj_t (*load_global)(qstr name); // 7
    mp_obj_t (*load_build_class)(void); // 8
    mp_obj_t (*load_attr)(mp_obj_t base, qstr attr); // 9
    void (*load_method)(mp_obj_t base, qstr attr, mp_obj_t *dest); // 10
    void (*load_super_method)(qstr attr, mp_obj_t *dest); // 11
    void (*store_name)(qstr name, mp_obj_t value); // 12
    void (*store_global)(qstr name, mp_obj_t value); // 13
    void (*store_attr)(mp_obj_t base, qstr attr, mp_obj_t value); // 14
    mp_obj_t (*obj_subscr)(mp_obj_t base, mp_obj_t index, mp_obj_t value); // 15
    bool (*obj_is_true)(mp_obj_t obj); // 16
    mp_obj_t (*unary_op)(mp_unary_op_t op, mp_obj_t obj); // 17
    mp_obj_t (*binary_op)(mp_binary_op_t op, mp_obj_t lhs, mp_obj_t rhs); // 18
    mp_obj_t (*new_tuple)(size_t n, const mp_obj_t *items); // 19
    mp_obj_t (*new_list)(size_t n, mp_obj_t *items); // 20
    mp_obj_t (*new_dict)(size_t n_args); // 21
    mp_obj_t (*new_set)(size_t n_args, mp_obj_t *items); // 22
    void (*set_store)(mp_obj_t set, mp_obj_t item); // 23
    mp_obj_t (*list_append)(mp_obj_t list, mp_obj_t item); // 24
    mp_obj_t (*dict_store)(mp_obj_t dict, mp_obj_t key, mp_obj_t value); // 25
    #if MPYFORGE_ABI_SUBVERSION >= 3
    mp_obj_t (*make_function_from_proto_fun)(mp_proto_fun_t proto_fun, const mp_module_context_t *context, const mp_obj_t *def_args); // 26
    #else
    mp_obj_t (*make_function_from_raw_code)(const mp_raw_code_t *rc, const mp_module_context_t *context, const mp_obj_t *def_args); // 26
    #endif
    mp_obj_t (*call_function_n_kw)(mp_obj_t fun, size_t n_args_kw, const mp_obj_t *args); // 27, n_kw in bits 8+
    mp_obj_t (*call_method_n_kw)(size_t n_args, size_t n_kw, const mp_obj_t *args); // 28
    mp_obj_t (*call_method_n_kw_var)(bool have_self, size_t n_args_n_kw, const mp_obj_t *args); // 29
    mp_obj_t (*getiter)(mp_obj_t obj, mp_obj_iter_buf_t *iter_buf); // 30
    mp_obj_t (*iternext)(mp_obj_iter_buf_t *iter_buf); // 31
    unsigned int (*nlr_push)(nlr_buf_t *buf); // 32, nlr_push_tail on setjmp-based runtimes
    void (*nlr_pop)(void); // 33
    MP_NORETURN void (*raise)(mp_obj_t exc); // 34, never returns
    mp_obj_t (*import_name)(qstr name, mp_obj_t fromlist, mp_obj_t level); // 35
    mp_obj_t (*import_from)(mp_obj_t module, qstr name); // 36
    void (*import_all)(mp_obj_t module); // 37
    mp_obj_t (*new_slice)(mp_obj_t start, mp_obj_t stop, mp_obj_t step); // 38
    void (*unpack_sequence)(mp_obj_t seq, size_t num, mp_obj_t *items); // 39
    void (*unpack_ex)(mp_obj_t seq, size_t num, mp_obj_t *items); // 40
    void (*delete_name)(qstr name); // 41
    void (*delete_global)(qstr name); // 42
    mp_obj_t (*new_closure)(mp_obj_t fun, size_t n_closed_over, const mp_obj_t *closed); // 43
    void (*arg_check_num_sig)(size_t n_args, size_t n_kw, uint32_t sig); // 44
    void (*setup_code_state_native)(void *code_state, size_t n_args, size_t n_kw, const mp_obj_t *args); // 45
    mp_int_t (*small_int_floor_divide)(mp_int_t num, mp_int_t denom); // 46
    mp_int_t (*small_int_modulo)(mp_int_t dividend, mp_int_t divisor); // 47
    bool (*yield_from)(mp_obj_t gen, mp_obj_t send_value, mp_obj_t *ret_value); // 48
    void *setjmp_; // 49
    void *(*memset_)(void *s, int c, size_t n); // 50
    void *(*memmove_)(void *dest, const void *src, size_t n); // 51
    void *(*realloc_)(void *ptr, size_t n_bytes, bool allow_move); // 52, frees when n_bytes == 0
    int (*printf_)(const mp_print_t *print, const char *fmt, ...); // 53
    int (*vprintf_)(const mp_print_t *print, const char *fmt, va_list args); // 54
    MP_NORETURN void (*raise_msg)(const mp_obj_type_t *exc_type, mp_rom_error_text_t msg); // 55
    const mp_obj_type_t *(*obj_get_type)(mp_const_obj_t obj); // 56
    mp_obj_t (*obj_new_str)(const char *data, size_t len); // 57
    mp_obj_t (*obj_new_bytes)(const byte *data, size_t len); // 58
    mp_obj_t (*obj_new_bytearray_by_ref)(size_t n, void *items); // 59
    mp_obj_t (*obj_new_float_from_f)(float f); // 60
    mp_obj_t (*obj_new_float_from_d)(double d); // 61
    float (*obj_get_float_to_f)(mp_obj_t obj); // 62
    double (*obj_get_float_to_d)(mp_obj_t obj); // 63
    #if MPYFORGE_ABI_SUBVERSION >= 3
    void (*load_method_maybe)(mp_obj_t base, qstr attr, mp_obj_t *dest); // 64
    #endif
    bool (*get_buffer)(mp_obj_t obj, mp_buffer_info_t *bufinfo, mp_uint_t flags); // 65 (6.2: 64)
    const mp_stream_p_t *(*get_stream_raise)(mp_obj_t obj, int flags); // 66 (6.2: 65)
    #if MPYFORGE_ABI_SUBVERSION >= 3
    void (*arg_parse_all)(size_t n_pos, const mp_obj_t *pos, mp_map_t *kws, size_t n_allowed, const mp_arg_t *allowed, mp_arg_val_t *out_vals); // 67
    void (*arg_parse_all_kw_array)(size_t n_pos, size_t n_kw, const mp_obj_t *args, size_t n_allowed, const mp_arg_t *allowed, mp_arg_val_t *out_vals); // 68
    size_t (*binary_get_size)(char struct_type, char val_type, size_t *palign); // 69
    mp_obj_t (*binary_get_val_array)(char typecode, void *p, size_t index); // 70
    void (*binary_set_val_array)(char typecode, void *p, size_t index, mp_obj_t value); // 71
    #endif
    const mp_print_t *plat_print; // 72 (6.2: 66)
    // From here on the entries are data, which the linker also exposes as the symbols below.
    const mp_obj_type_t *type_type; // 73 (6.2: 67)
    const mp_obj_type_t *type_str; // 74
    const mp_obj_type_t *type_list; // 75
    const mp_obj_type_t *type_dict; // 76
    const mp_obj_type_t *type_fun_builtin_0; // 77
    const mp_obj_type_t *type_fun_builtin_1; // 78
    const mp_obj_type_t *type_fun_builtin_2; // 79
    const mp_obj_type_t *type_fun_builtin_3; // 80
    const mp_obj_type_t *type_fun_builtin_var; // 81 (6.2: 75)
    #if MPYFORGE_ABI_SUBVERSION >= 3
    const mp_obj_type_t *type_Exception; // 82
    #endif
    const mp_obj_fun_builtin_var_t *stream_read_obj; // 83 (6.2: 76)
    const mp_obj_fun_builtin_var_t *stream_readinto_obj; // 84
    const mp_obj_fun_builtin_var_t *stream_unbuffered_readline_obj; // 85
    const mp_obj_fun_builtin_var_t *stream_write_obj; // 86 (6.2: 79)
} mp_fun_table_t;

#define MPYFORGE_FUN_TABLE_INDEX(member) (offsetof(mp_fun_table_t, member) / sizeof(void *))
#if MPYFORGE_ABI_SUBVERSION >= 3
#define MPYFORGE_FUN_TABLE_TYPE_TYPE_INDEX (73)
#define MPYFORGE_FUN_TABLE_SIZE (87)
#else
#define MPYFORGE_FUN_TABLE_TYPE_TYPE_INDEX (67)
#define MPYFORGE_FUN_TABLE_SIZE (80)
#endif
MP_STATIC_ASSERT(MPYFORGE_FUN_TABLE_INDEX(setjmp_) == 49);
MP_STATIC_ASSERT(MPYFORGE_FUN_TABLE_INDEX(memset_) == 50);
MP_STATIC_ASSERT(MPYFORGE_FUN_TABLE_INDEX(memmove_) == 51);
MP_STATIC_ASSERT(MPYFORGE_FUN_TABLE_INDEX(obj_get_float_to_d) == 63);
MP_STATIC_ASSERT(MPYFORGE_FUN_TABLE_INDEX(type_type) == MPYFORGE_FUN_TABLE_TYPE_TYPE_INDEX);
MP_STATIC_ASSERT(sizeof(mp_fun_table_t) == MPYFORGE_FUN_TABLE_SIZE * sizeof(void *));
#if MPYFORGE_ABI_SUBVERSION >= 3
MP_STATIC_ASSERT(MPYFORGE_FUN_TABLE_INDEX(get_buffer) == 65);
MP_STATIC_ASSERT(MPYFORGE_FUN_TABLE_INDEX(plat_print) == 72);
MP_STATIC_ASSERT(MPYFORGE_FUN_TABLE_INDEX(type_Exception) == 82);
#else
MP_STATIC_ASSERT(MPYFORGE_FUN_TABLE_INDEX(get_buffer) == 64);
MP_STATIC_ASSERT(MPYFORGE_FUN_TABLE_INDEX(plat_print) == 66);
#endif

// The linker resolves this symbol to the runtime's table.
extern const mp_fun_table_t mp_fun_table;

// Data entries from type_type on, as symbols: the linker turns references to these names into
// loads from the matching table entry, so they can be used in static initialisers (e.g. the
// base.type of a MP_DEFINE_CONST_FUN_OBJ_* object).
extern const mp_obj_type_t mp_type_type;
extern const mp_obj_type_t mp_type_str;
extern const mp_obj_type_t mp_type_list;
extern const mp_obj_type_t mp_type_dict;
extern const mp_obj_type_t mp_type_fun_builtin_0;
extern const mp_obj_type_t mp_type_fun_builtin_1;
extern const mp_obj_type_t mp_type_fun_builtin_2;
extern const mp_obj_type_t mp_type_fun_builtin_3;
extern const mp_obj_type_t mp_type_fun_builtin_var;
#if MPYFORGE_ABI_SUBVERSION >= 3
extern const mp_obj_type_t mp_type_Exception;
#endif
extern const mp_obj_fun_builtin_var_t mp_stream_read_obj;
extern const mp_obj_fun_builtin_var_t mp_stream_readinto_obj;
extern const mp_obj_fun_builtin_var_t mp_stream_unbuffered_readline_obj;
extern const mp_obj_fun_builtin_var_t mp_stream_write_obj;

#endif // MPYFORGE_SDK_FUNTABLE_H
