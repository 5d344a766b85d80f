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

typedef struct _trees_obj_t {
    mp_obj_base_t base;
    trees_model_t *model;   // a heap block pointing to three more (see trees_new)
} trees_obj_t;

// Natmod rule: zero-initialised globals must not be static (the linker cannot relocate static bss).
mp_obj_full_type_t trees_type;
mp_map_elem_t trees_locals_table[6];
static MP_DEFINE_CONST_DICT(trees_locals, trees_locals_table);

// The model code returns NULL or the message of a ValueError.
static void raise_if_error(const char *error) {
    if (error) {
        mp_raise_ValueError(error);
    }
}

static mp_int_t get_capacity(mp_obj_t obj) {
    const mp_int_t n = mpyforge_get_int(obj);
    raise_if_error(trees_model_check_capacity(n));
    return n;
}

static trees_model_t *get_model(mp_obj_t self_in) {
    return ((trees_obj_t *)MP_OBJ_TO_PTR(self_in))->model;
}

static mp_obj_t trees_new(mp_obj_t max_trees_in, mp_obj_t max_nodes_in, mp_obj_t max_leaves_in) {
    const mp_int_t max_trees = get_capacity(max_trees_in);
    const mp_int_t max_nodes = get_capacity(max_nodes_in);
    const mp_int_t max_leaves = get_capacity(max_leaves_in);

    trees_obj_t *self = mp_obj_malloc(trees_obj_t, (const mp_obj_type_t *)&trees_type);
    // Heap blocks referenced only from this object: the GC frees them with it.
    const trees_model_sizes_t sizes = trees_model_sizes(max_trees, max_nodes, max_leaves);
    self->model = trees_model_init(m_new(uint8_t, sizes.model), m_new(uint8_t, sizes.nodes),
        m_new(uint8_t, sizes.roots), m_new(uint8_t, sizes.leaves), max_trees, max_nodes, max_leaves);
    return MP_OBJ_FROM_PTR(self);
}
static MP_DEFINE_CONST_FUN_OBJ_3(trees_new_obj, trees_new);

static mp_obj_t trees_setdata(mp_obj_t self_in, mp_obj_t n_features_in, mp_obj_t n_classes_in) {
    raise_if_error(trees_model_set_data(get_model(self_in), mpyforge_get_int(n_features_in),
        mpyforge_get_int(n_classes_in)));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(trees_setdata_obj, trees_setdata);

static mp_obj_t trees_addroot(mp_obj_t self_in, mp_obj_t root_in) {
    raise_if_error(trees_model_add_root(get_model(self_in), mpyforge_get_int(root_in)));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(trees_addroot_obj, trees_addroot);

// addnode(left, right, feature, threshold): see trees_model_add_node.
static mp_obj_t trees_addnode(size_t n_args, const mp_obj_t *args) {
    raise_if_error(trees_model_add_node(get_model(args[0]), mpyforge_get_int(args[1]),
        mpyforge_get_int(args[2]), mpyforge_get_int(args[3]),
        mpyforge_get_int(args[4])));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(trees_addnode_obj, 5, 5, trees_addnode);

static mp_obj_t trees_addleaf(mp_obj_t self_in, mp_obj_t value_in) {
    raise_if_error(trees_model_add_leaf(get_model(self_in), mpyforge_get_int(value_in)));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(trees_addleaf_obj, trees_addleaf);

// The number of classes of a complete, consistent model: load_model calls it last, so that a
// bad file is reported when loading rather than at the first predict.
static mp_obj_t trees_outputs(mp_obj_t self_in) {
    const trees_model_t *model = get_model(self_in);
    raise_if_error(trees_model_check(model));
    return MP_OBJ_NEW_SMALL_INT(trees_model_classes(model));
}
static MP_DEFINE_CONST_FUN_OBJ_1(trees_outputs_obj, trees_outputs);

static mp_obj_t trees_predict(mp_obj_t self_in, mp_obj_t features_in, mp_obj_t out_in) {
    mp_buffer_info_t features;
    mp_get_buffer_raise(features_in, &features, MP_BUFFER_READ);
    mp_buffer_info_t out;
    mp_get_buffer_raise(out_in, &out, MP_BUFFER_WRITE);
    raise_if_error(trees_model_predict(get_model(self_in), features.buf, features.len, features.typecode,
        out.buf, out.len, out.typecode));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(trees_predict_obj, trees_predict);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY

    trees_type.base.type = (void *)&mp_type_type;
    trees_type.flags = MP_TYPE_FLAG_NONE;
    trees_type.name = MP_QSTR_Model;
    trees_locals_table[0] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_predict), MP_OBJ_FROM_PTR(&trees_predict_obj) };
    trees_locals_table[1] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_outputs), MP_OBJ_FROM_PTR(&trees_outputs_obj) };
    trees_locals_table[2] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_setdata), MP_OBJ_FROM_PTR(&trees_setdata_obj) };
    trees_locals_table[3] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_addroot), MP_OBJ_FROM_PTR(&trees_addroot_obj) };
    trees_locals_table[4] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_addnode), MP_OBJ_FROM_PTR(&trees_addnode_obj) };
    trees_locals_table[5] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_addleaf), MP_OBJ_FROM_PTR(&trees_addleaf_obj) };
    MP_OBJ_TYPE_SET_SLOT(&trees_type, locals_dict, (void *)&trees_locals, 0);

    mp_store_global(MP_QSTR_new, MP_OBJ_FROM_PTR(&trees_new_obj));

    MP_DYNRUNTIME_INIT_EXIT
}
