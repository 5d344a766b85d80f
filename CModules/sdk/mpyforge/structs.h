// mpyforge SDK: memory layouts of runtime objects a module may touch directly (maps, str, tuple, list, functions, ...).
#ifndef MPYFORGE_SDK_STRUCTS_H
#define MPYFORGE_SDK_STRUCTS_H

#include "mpyforge/types.h"

// Hash map / ordered table behind dicts and keyword arguments.
typedef struct _mp_map_elem_t {
    mp_obj_t key;
    mp_obj_t value;
} mp_map_elem_t;

typedef struct _mp_rom_map_elem_t {
    mp_rom_obj_t key;
    mp_rom_obj_t value;
} mp_rom_map_elem_t;

typedef struct _mp_map_t {
    size_t all_keys_are_qstrs : 1;
    size_t is_fixed : 1; // table is read-only
    size_t is_ordered : 1; // table is searched linearly, not hashed
    size_t used : (8 * sizeof(size_t) - 3);
    size_t alloc;
    mp_map_elem_t *table;
} mp_map_t;

typedef enum _mp_map_lookup_kind_t {
    MP_MAP_LOOKUP = 0,
    MP_MAP_LOOKUP_ADD_IF_NOT_FOUND = 1,
    MP_MAP_LOOKUP_REMOVE_IF_FOUND = 2,
    MP_MAP_LOOKUP_ADD_IF_NOT_FOUND_OR_REMOVE_IF_FOUND = 3,
} mp_map_lookup_kind_t;

static inline bool mp_map_slot_is_filled(const mp_map_t *map, size_t pos) {
    return map->table[pos].key != MP_OBJ_NULL && map->table[pos].key != MP_OBJ_SENTINEL;
}

typedef struct _mp_obj_dict_t {
    mp_obj_base_t base;
    mp_map_t map;
} mp_obj_dict_t;

static inline mp_map_t *mp_obj_dict_get_map(mp_obj_t dict) {
    return &((mp_obj_dict_t *)MP_OBJ_TO_PTR(dict))->map;
}

// A dict over a table the module owns. The table may be filled in at load time (its keys are
// usually module qstrs), which is why it is not const; the dict is marked fixed and ordered.
#define MP_DEFINE_CONST_DICT_WITH_SIZE(dict_name, table_name, n) \
    const mp_obj_dict_t dict_name = { \
        .base = { &mp_type_dict }, \
        .map = { \
            .all_keys_are_qstrs = 1, .is_fixed = 1, .is_ordered = 1, \
            .used = (n), .alloc = (n), \
            .table = (mp_map_elem_t *)(mp_rom_map_elem_t *)(table_name), \
        }, \
    }
#define MP_DEFINE_CONST_DICT(dict_name, table_name) \
    MP_DEFINE_CONST_DICT_WITH_SIZE(dict_name, table_name, MP_ARRAY_SIZE(table_name))
#define MP_DEFINE_CONST_MAP(map_name, table_name) \
    const mp_map_t map_name = { \
        .all_keys_are_qstrs = 1, .is_fixed = 1, .is_ordered = 1, \
        .used = MP_ARRAY_SIZE(table_name), .alloc = MP_ARRAY_SIZE(table_name), \
        .table = (mp_map_elem_t *)(mp_rom_map_elem_t *)(table_name), \
    }

// str and bytes share one layout; data is NUL-terminated for str.
typedef struct _mp_obj_str_t {
    mp_obj_base_t base;
    size_t hash;
    size_t len;
    const byte *data;
} mp_obj_str_t;

typedef struct _mp_obj_tuple_t {
    mp_obj_base_t base;
    size_t len;
    mp_obj_t items[];
} mp_obj_tuple_t;

typedef struct _mp_obj_list_t {
    mp_obj_base_t base;
    size_t alloc;
    size_t len;
    mp_obj_t *items;
} mp_obj_list_t;

// array.array, bytearray and memoryview.
typedef struct _mp_obj_array_t {
    mp_obj_base_t base;
    size_t typecode : 8;
    size_t free : (8 * sizeof(size_t) - 8); // spare items after len (offset for memoryview)
    size_t len; // items, not bytes
    void *items;
} mp_obj_array_t;

// Instance of a class defined in Python; subobj[0] holds the native base object if any.
typedef struct _mp_obj_instance_t {
    mp_obj_base_t base;
    mp_map_t members;
    mp_obj_t subobj[];
} mp_obj_instance_t;

typedef struct _mp_obj_cell_t {
    mp_obj_base_t base;
    mp_obj_t obj;
} mp_obj_cell_t;

typedef struct _mp_obj_slice_t {
    mp_obj_base_t base;
    mp_obj_t start;
    mp_obj_t stop;
    mp_obj_t step;
} mp_obj_slice_t;

typedef struct {
    mp_int_t start;
    mp_int_t stop;
    mp_int_t step;
} mp_bound_slice_t;

// Builtin function objects. sig packs (min args << 17) | (max args << 1) | takes_kw.
typedef struct _mp_obj_fun_builtin_fixed_t {
    mp_obj_base_t base;
    union {
        mp_fun_0_t _0;
        mp_fun_1_t _1;
        mp_fun_2_t _2;
        mp_fun_3_t _3;
    } fun;
} mp_obj_fun_builtin_fixed_t;

typedef struct _mp_obj_fun_builtin_var_t {
    mp_obj_base_t base;
    uint32_t sig;
    union {
        mp_fun_var_t var;
        mp_fun_kw_t kw;
    } fun;
} mp_obj_fun_builtin_var_t;

#define MP_OBJ_FUN_ARGS_MAX (0xffff)
#define MP_OBJ_FUN_MAKE_SIG(n_args_min, n_args_max, takes_kw) \
    ((uint32_t)(((uint32_t)(n_args_min) << 17) | ((uint32_t)(n_args_max) << 1) | ((takes_kw) ? 1u : 0u)))

// staticmethod/classmethod wrappers.
typedef struct _mp_obj_static_class_method_t {
    mp_obj_base_t base;
    mp_obj_t fun;
} mp_obj_static_class_method_t;
typedef struct _mp_rom_obj_static_class_method_t {
    mp_obj_base_t base;
    mp_rom_obj_t fun;
} mp_rom_obj_static_class_method_t;

typedef struct _mp_obj_module_t {
    mp_obj_base_t base;
    mp_obj_dict_t *globals;
} mp_obj_module_t;

// Per-module state the loader creates; mpy_init reaches it through self->context.
typedef struct _mp_module_constants_t {
    qstr_short_t *qstr_table;
    mp_obj_t *obj_table;
} mp_module_constants_t;

typedef struct _mp_module_context_t {
    mp_obj_module_t module;
    mp_module_constants_t constants;
} mp_module_context_t;

// The function object the runtime passes to mpy_init (and to MP_DYNRUNTIME_MAKE_FUNCTION functions).
typedef struct _mp_obj_fun_bc_t {
    mp_obj_base_t base;
    const mp_module_context_t *context;
    struct _mp_raw_code_t *const *child_table;
    const byte *bytecode;
    mp_obj_t extra_args[];
} mp_obj_fun_bc_t;

// Kinds of raw code, as stored in the raw code header.
typedef enum {
    MP_CODE_UNUSED,
    MP_CODE_RESERVED,
    MP_CODE_BYTECODE,
    MP_CODE_NATIVE_PY,
    MP_CODE_NATIVE_VIPER,
    MP_CODE_NATIVE_ASM,
} mp_raw_code_kind_t;

typedef const void *mp_proto_fun_t;
struct _mp_raw_code_t;
typedef struct _mp_raw_code_t mp_raw_code_t;

#if MPYFORGE_ABI_SUBVERSION >= 3
// 1.23+: two zero bytes tell the runtime "this is a raw code header, not bytecode".
#define MP_PROTO_FUN_INDICATOR_RAW_CODE_0 (0)
#define MP_PROTO_FUN_INDICATOR_RAW_CODE_1 (0)
typedef struct _mp_raw_code_truncated_t {
    uint8_t proto_fun_indicator[2];
    uint8_t kind;
    bool is_generator;
    const void *fun_data;
    struct _mp_raw_code_t **children;
} mp_raw_code_truncated_t;
#else
// 1.22: kind and scope flags share one bitfield word. The trailing word stands in for the
// runtime's viper type signature so the runtime never reads past our stack copy.
typedef struct _mp_raw_code_truncated_t {
    mp_uint_t kind : 3;
    mp_uint_t scope_flags : 7;
    mp_uint_t n_pos_args : 11;
    const void *fun_data;
    struct _mp_raw_code_t **children;
    mp_uint_t type_sig;
} mp_raw_code_truncated_t;
#endif

// Stream protocol, found in a type's protocol slot.
typedef struct _mp_stream_p_t {
    mp_uint_t (*read)(mp_obj_t obj, void *buf, mp_uint_t size, int *errcode);
    mp_uint_t (*write)(mp_obj_t obj, const void *buf, mp_uint_t size, int *errcode);
    mp_uint_t (*ioctl)(mp_obj_t obj, mp_uint_t request, uintptr_t arg, int *errcode);
    mp_uint_t is_text : 1;
} mp_stream_p_t;

#define MP_STREAM_ERROR ((mp_uint_t)-1)
#define MP_STREAM_FLUSH (1)
#define MP_STREAM_SEEK (2)
#define MP_STREAM_POLL (3)
#define MP_STREAM_CLOSE (4)
#define MP_STREAM_TIMEOUT (5)
#define MP_STREAM_GET_OPTS (6)
#define MP_STREAM_SET_OPTS (7)
#define MP_STREAM_GET_DATA_OPTS (8)
#define MP_STREAM_SET_DATA_OPTS (9)
#define MP_STREAM_GET_FILENO (10)
#define MP_STREAM_GET_BUFFER_SIZE (11)
#define MP_STREAM_RW_READ (0)
#define MP_STREAM_RW_ONCE (1)
#define MP_STREAM_RW_WRITE (2)

typedef struct mp_stream_seek_t {
    mp_off_t offset;
    int whence;
} mp_stream_seek_t;

// Argument parsing tables for mp_arg_parse_all.
typedef enum {
    MP_ARG_BOOL = 0x001,
    MP_ARG_INT = 0x002,
    MP_ARG_OBJ = 0x003,
    MP_ARG_KIND_MASK = 0x0ff,
    MP_ARG_REQUIRED = 0x100,
    MP_ARG_KW_ONLY = 0x200,
} mp_arg_flag_t;

typedef union _mp_arg_val_t {
    bool u_bool;
    mp_int_t u_int;
    mp_obj_t u_obj;
    mp_rom_obj_t u_rom_obj;
} mp_arg_val_t;

typedef struct _mp_arg_t {
    uint16_t qst;
    uint16_t flags;
    mp_arg_val_t defval;
} mp_arg_t;

// Typecode the buffer protocol reports for bytes/bytearray.
#define BYTEARRAY_TYPECODE (1)

#endif // MPYFORGE_SDK_STRUCTS_H
