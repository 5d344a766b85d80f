// emlearn_trees: tree ensembles (random forest, decision tree) with int16 features.
//
// Python API: new(max_trees, max_nodes, max_leaves) -> Model, and on Model:
//   setdata(n_features, n_classes), addroot(index), addnode(left, right, feature, threshold),
//   addleaf(class), outputs(), predict(features 'h', out 'f').
// load_model(model, file) is the Python part (trees_load.py).
// Inference walks the node table without bounds checks, so predict and outputs first check the
// whole model (in constant time: see trees_model_check). The model itself (building, checking,
// predict) is trees_model.c, which has no MicroPython dependency so that Fuzz/trees_csv can run
// it on the host.

#include "py/dynruntime.h"

#include "trees_model.h"

// The model and its arrays live in the object itself: one heap block, freed by the GC with it.
typedef struct _trees_obj_t {
    mp_obj_base_t base;
    uintptr_t storage[];   // the model (word-aligned), then its roots, nodes and leaves
} trees_obj_t;

// Natmod rule: zero-initialised globals must not be static (the linker cannot relocate static bss).
mp_obj_full_type_t trees_type;
mp_map_elem_t trees_locals_table[6];
static MP_DEFINE_CONST_DICT(trees_locals, trees_locals_table);

// The model code returns 0 or the code of a ValueError.
static void raise_if_error(int error) {
    if (error) {
        mp_raise_ValueError(trees_model_message(error));
    }
}

// Python ints (refused beyond a machine word) into values[0..n-1].
static void get_ints(size_t n, const mp_obj_t *args, intptr_t *values) {
    for (size_t i = 0; i < n; i++) {
        values[i] = mpyforge_get_int(args[i]);
    }
}

static trees_model_t *get_model(mp_obj_t self_in) {
    return (trees_model_t *)((trees_obj_t *)MP_OBJ_TO_PTR(self_in))->storage;
}

static mp_obj_t trees_new(mp_obj_t max_trees_in, mp_obj_t max_nodes_in, mp_obj_t max_leaves_in) {
    const mp_obj_t args[3] = { max_trees_in, max_nodes_in, max_leaves_in };
    intptr_t capacities[3];
    get_ints(3, args, capacities);
    trees_model_sizes_t sizes;
    raise_if_error(trees_model_sizes(capacities, &sizes));

    // Sizes are multiples of 4 (the model of the word size): roots (int32) stay aligned.
    const size_t roots = sizes.model, nodes = roots + sizes.roots, leaves = nodes + sizes.nodes;
    // Not m_malloc: its MemoryError text is 25 bytes, this one 14.
    trees_obj_t *self = m_malloc_maybe(sizeof(trees_obj_t) + leaves + sizes.leaves);
    if (self == NULL) {
        mp_raise_msg(&mp_type_MemoryError, MP_ERROR_TEXT("model too big"));
    }
    self->base.type = (const mp_obj_type_t *)&trees_type;
    uint8_t *block = (uint8_t *)self->storage;
    trees_model_init(block, block + nodes, block + roots, block + leaves, capacities);
    return MP_OBJ_FROM_PTR(self);
}
static MP_DEFINE_CONST_FUN_OBJ_3(trees_new_obj, trees_new);

// setdata, addroot, addnode, addleaf: the int arguments after self, in order, to the model.
static mp_obj_t record(size_t n_args, const mp_obj_t *args, trees_model_record_t *add) {
    intptr_t values[4];   // the runtime has checked n_args against the method's signature
    get_ints(n_args - 1, args + 1, values);
    raise_if_error(add(get_model(args[0]), values));
    return mp_const_none;
}

static mp_obj_t trees_setdata(size_t n_args, const mp_obj_t *args) {
    return record(n_args, args, trees_model_set_data);
}

static mp_obj_t trees_addroot(size_t n_args, const mp_obj_t *args) {
    return record(n_args, args, trees_model_add_root);
}

static mp_obj_t trees_addnode(size_t n_args, const mp_obj_t *args) {
    return record(n_args, args, trees_model_add_node);
}

static mp_obj_t trees_addleaf(size_t n_args, const mp_obj_t *args) {
    return record(n_args, args, trees_model_add_leaf);
}

// The number of classes of a complete, consistent model: load_model calls it last, so that a
// bad file is reported when loading rather than at the first predict.
static mp_obj_t trees_outputs(size_t n_args, const mp_obj_t *args) {
    const trees_model_t *model = get_model(args[0]);
    raise_if_error(trees_model_check(model));
    return MP_OBJ_NEW_SMALL_INT(trees_model_classes(model));
}

static mp_obj_t trees_predict(size_t n_args, const mp_obj_t *args) {
    mp_buffer_info_t features;
    mp_get_buffer_raise(args[1], &features, MP_BUFFER_READ);
    mp_buffer_info_t out;
    mp_get_buffer_raise(args[2], &out, MP_BUFFER_WRITE);
    raise_if_error(trees_model_predict(get_model(args[0]), features.buf, features.len, features.typecode,
        out.buf, out.len, out.typecode));
    return mp_const_none;
}

// The methods as one array of function objects of one kind (n_args checked by the runtime), so
// that mpy_init fills the locals dict in a loop. Their names, in the same order, as indices into
// the module's qstr table (each MP_QSTR_ of a module's own name is an element of that table).
#define TREES_METHOD(fun, n_args) \
    { { &mp_type_fun_builtin_var }, MP_OBJ_FUN_MAKE_SIG((n_args), (n_args), false), { .var = (fun) } }
static const mp_obj_fun_builtin_var_t trees_methods[6] = {
    TREES_METHOD(trees_predict, 3),
    TREES_METHOD(trees_outputs, 1),
    TREES_METHOD(trees_setdata, 3),
    TREES_METHOD(trees_addroot, 2),
    TREES_METHOD(trees_addnode, 5),
    TREES_METHOD(trees_addleaf, 2),
};
#define TREES_QSTR_INDEX(name) ((uint8_t)(&(name) - mp_native_qstr_table))
static const uint8_t trees_method_names[6] = {
    TREES_QSTR_INDEX(MP_QSTR_predict),
    TREES_QSTR_INDEX(MP_QSTR_outputs),
    TREES_QSTR_INDEX(MP_QSTR_setdata),
    TREES_QSTR_INDEX(MP_QSTR_addroot),
    TREES_QSTR_INDEX(MP_QSTR_addnode),
    TREES_QSTR_INDEX(MP_QSTR_addleaf),
};

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY

    trees_type.base.type = (void *)&mp_type_type;   // flags stay 0 (bss)
    trees_type.name = MP_QSTR_Model;
    for (size_t i = 0; i < MP_ARRAY_SIZE(trees_methods); i++) {
        trees_locals_table[i] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(mp_native_qstr_table[trees_method_names[i]]),
            MP_OBJ_FROM_PTR(&trees_methods[i]) };
    }
    MP_OBJ_TYPE_SET_SLOT(&trees_type, locals_dict, (void *)&trees_locals, 0);

    mp_store_global(MP_QSTR_new, MP_OBJ_FROM_PTR(&trees_new_obj));

    MP_DYNRUNTIME_INIT_EXIT
}
