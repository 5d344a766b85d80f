// emlearn_trees: tree ensembles (random forest, decision tree) with int16 features.
//
// Python API: new(max_trees, max_nodes, max_leaves) -> Model, and on Model:
//   setdata(n_features, n_classes), addroot(index), addnode(left, right, feature, threshold),
//   addleaf(class), outputs(), predict(features 'h', out 'f').
// load_model(model, file) is the Python part (trees_load.py).
// Inference is the emlearn C library's (eml_trees.h). Because it walks the node table without
// bounds checks, the model is validated once after every change, before the first predict.

#include "py/dynruntime.h"

#define EML_TREES_REGRESSION_ENABLE 0
// eml_common.h defines static helpers we do not call; keep -Wall -Werror builds quiet about them.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include <eml_trees.h>
#pragma GCC diagnostic pop

typedef struct _trees_obj_t {
    mp_obj_base_t base;
    EmlTrees trees;         // counts and pointers into the three arrays below
    int32_t max_trees;
    int32_t max_nodes;
    int32_t max_leaves;
    bool validated;         // model checked since its last change
} trees_obj_t;

// Natmod rule: zero-initialised globals must not be static (the linker cannot relocate static bss).
mp_obj_full_type_t trees_type;
mp_map_elem_t trees_locals_table[7];
static MP_DEFINE_CONST_DICT(trees_locals, trees_locals_table);

// Limits of the EmlTrees fields: int8 feature index and counts, int16 child references.
#define MAX_FEATURES 127
#define MAX_CLASSES 127
#define MAX_CAPACITY (1 << 20)

static mp_int_t get_capacity(mp_obj_t obj) {
    const mp_int_t n = mp_obj_get_int(obj);
    if (n < 0 || n > MAX_CAPACITY) {
        mp_raise_ValueError(MP_ERROR_TEXT("capacity must be between 0 and 1048576"));
    }
    return n;
}

static bool in_int16(mp_int_t v) {
    return v >= -32768 && v <= 32767;
}

static mp_obj_t trees_new(mp_obj_t max_trees_in, mp_obj_t max_nodes_in, mp_obj_t max_leaves_in) {
    const mp_int_t max_trees = get_capacity(max_trees_in);
    const mp_int_t max_nodes = get_capacity(max_nodes_in);
    const mp_int_t max_leaves = get_capacity(max_leaves_in);

    trees_obj_t *self = mp_obj_malloc(trees_obj_t, (const mp_obj_type_t *)&trees_type);
    self->max_trees = max_trees;
    self->max_nodes = max_nodes;
    self->max_leaves = max_leaves;
    self->validated = false;
    // Separate heap blocks referenced only from this object: the GC frees them with it.
    // (+1 so that a zero capacity still gives a valid, unused pointer.)
    self->trees.nodes = m_new(EmlTreesNode, max_nodes + 1);
    self->trees.tree_roots = m_new(int32_t, max_trees + 1);
    self->trees.leaves = m_new(uint8_t, max_leaves + 1);
    self->trees.n_nodes = 0;
    self->trees.n_trees = 0;
    self->trees.n_leaves = 0;
    self->trees.leaf_bits = 0;   // majority voting: a leaf holds a class index
    self->trees.n_features = 0;  // set by setdata()
    self->trees.n_classes = 0;
    return MP_OBJ_FROM_PTR(self);
}
static MP_DEFINE_CONST_FUN_OBJ_3(trees_new_obj, trees_new);

static mp_obj_t trees_setdata(mp_obj_t self_in, mp_obj_t n_features_in, mp_obj_t n_classes_in) {
    trees_obj_t *self = MP_OBJ_TO_PTR(self_in);
    const mp_int_t n_features = mp_obj_get_int(n_features_in);
    const mp_int_t n_classes = mp_obj_get_int(n_classes_in);
    if (n_features < 1 || n_features > MAX_FEATURES) {
        mp_raise_ValueError(MP_ERROR_TEXT("n_features must be between 1 and 127"));
    }
    if (n_classes < 1 || n_classes > MAX_CLASSES) {
        mp_raise_ValueError(MP_ERROR_TEXT("n_classes must be between 1 and 127"));
    }
    self->trees.n_features = (int8_t)n_features;
    self->trees.n_classes = (int8_t)n_classes;
    self->validated = false;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(trees_setdata_obj, trees_setdata);

static mp_obj_t trees_addroot(mp_obj_t self_in, mp_obj_t root_in) {
    trees_obj_t *self = MP_OBJ_TO_PTR(self_in);
    const mp_int_t root = mp_obj_get_int(root_in);
    if (root < 0 || root >= MAX_CAPACITY) {
        mp_raise_ValueError(MP_ERROR_TEXT("root node index out of range"));
    }
    if (self->trees.n_trees >= self->max_trees) {
        mp_raise_ValueError(MP_ERROR_TEXT("too many trees for max_trees"));
    }
    self->trees.tree_roots[self->trees.n_trees++] = (int32_t)root;
    self->validated = false;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(trees_addroot_obj, trees_addroot);

// addnode(left, right, feature, threshold): children are relative jumps (>= 1) to later nodes,
// or leaves encoded as -(leaf index) - 1, as emlearn 0.23 writes them.
static mp_obj_t trees_addnode(size_t n_args, const mp_obj_t *args) {
    trees_obj_t *self = MP_OBJ_TO_PTR(args[0]);
    const mp_int_t left = mp_obj_get_int(args[1]);
    const mp_int_t right = mp_obj_get_int(args[2]);
    const mp_int_t feature = mp_obj_get_int(args[3]);
    const mp_int_t threshold = mp_obj_get_int(args[4]);
    if (!in_int16(left) || !in_int16(right)) {
        mp_raise_ValueError(MP_ERROR_TEXT("node child reference out of int16 range"));
    }
    if (feature < 0 || feature >= MAX_FEATURES) {
        mp_raise_ValueError(MP_ERROR_TEXT("node feature index out of range"));
    }
    if (!in_int16(threshold)) {
        mp_raise_ValueError(MP_ERROR_TEXT("node threshold out of int16 range"));
    }
    if (self->trees.n_nodes >= self->max_nodes) {
        mp_raise_ValueError(MP_ERROR_TEXT("too many nodes for max_nodes"));
    }
    EmlTreesNode *node = &self->trees.nodes[self->trees.n_nodes++];
    node->feature = (int8_t)feature;
    node->value = (int16_t)threshold;
    node->left = (int16_t)left;
    node->right = (int16_t)right;
    self->validated = false;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(trees_addnode_obj, 5, 5, trees_addnode);

static mp_obj_t trees_addleaf(mp_obj_t self_in, mp_obj_t value_in) {
    trees_obj_t *self = MP_OBJ_TO_PTR(self_in);
    const mp_int_t value = mp_obj_get_int(value_in);
    if (value < 0 || value > 255) {
        mp_raise_ValueError(MP_ERROR_TEXT("leaf value (class index) must be between 0 and 255"));
    }
    if (self->trees.n_leaves >= self->max_leaves) {
        mp_raise_ValueError(MP_ERROR_TEXT("too many leaves for max_leaves"));
    }
    self->trees.leaves[self->trees.n_leaves++] = (uint8_t)value;
    self->validated = false;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(trees_addleaf_obj, trees_addleaf);

static void check_child(const EmlTrees *t, int32_t node_index, int16_t child) {
    if (child >= 0) {
        // A forward jump of at least 1 guarantees every walk ends (no cycles).
        if (child == 0) {
            mp_raise_ValueError(MP_ERROR_TEXT("model: node child jump of 0 (a node cannot be its own child)"));
        }
        if (node_index + child >= t->n_nodes) {
            mp_raise_ValueError(MP_ERROR_TEXT("model: node child points outside the node table"));
        }
    } else if (-(int32_t)child - 1 >= t->n_leaves) {
        mp_raise_ValueError(MP_ERROR_TEXT("model: node child points outside the leaf table"));
    }
}

// Makes sure eml_trees_predict_proba cannot read or write out of bounds nor loop forever.
static void validate(trees_obj_t *self) {
    if (self->validated) {
        return;
    }
    const EmlTrees *t = &self->trees;
    if (t->n_features == 0 || t->n_classes == 0 || t->n_trees == 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("model not loaded (needs setdata and at least one root)"));
    }
    for (int32_t i = 0; i < t->n_trees; i++) {
        if (t->tree_roots[i] >= t->n_nodes) {
            mp_raise_ValueError(MP_ERROR_TEXT("model: tree root points outside the node table"));
        }
    }
    for (int32_t i = 0; i < t->n_nodes; i++) {
        const EmlTreesNode *node = &t->nodes[i];
        if (node->feature >= t->n_features) {
            mp_raise_ValueError(MP_ERROR_TEXT("model: node feature index >= n_features"));
        }
        check_child(t, i, node->left);
        check_child(t, i, node->right);
    }
    for (int32_t i = 0; i < t->n_leaves; i++) {
        if (t->leaves[i] >= t->n_classes) {
            mp_raise_ValueError(MP_ERROR_TEXT("model: leaf class index >= n_classes"));
        }
    }
    self->validated = true;
}

// validate(): raises ValueError if the model is inconsistent; load_model calls it so that a bad
// file is reported when loading rather than at the first predict.
static mp_obj_t trees_validate(mp_obj_t self_in) {
    validate(MP_OBJ_TO_PTR(self_in));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(trees_validate_obj, trees_validate);

static mp_obj_t trees_outputs(mp_obj_t self_in) {
    trees_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (self->trees.n_classes == 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("model not loaded"));
    }
    return mp_obj_new_int(self->trees.n_classes);
}
static MP_DEFINE_CONST_FUN_OBJ_1(trees_outputs_obj, trees_outputs);

static mp_obj_t trees_predict(mp_obj_t self_in, mp_obj_t features_in, mp_obj_t out_in) {
    trees_obj_t *self = MP_OBJ_TO_PTR(self_in);
    validate(self);

    mp_buffer_info_t features;
    mp_get_buffer_raise(features_in, &features, MP_BUFFER_READ);
    if (features.typecode != 'h') {
        mp_raise_TypeError(MP_ERROR_TEXT("features must be an int16 ('h') array"));
    }
    if (features.len / sizeof(int16_t) != (size_t)self->trees.n_features) {
        mp_raise_ValueError(MP_ERROR_TEXT("features length must equal the model's n_features"));
    }
    mp_buffer_info_t out;
    mp_get_buffer_raise(out_in, &out, MP_BUFFER_WRITE);
    if (out.typecode != 'f') {
        mp_raise_TypeError(MP_ERROR_TEXT("out must be a float32 ('f') array"));
    }
    const size_t n_out = out.len / sizeof(float);
    if (n_out != (size_t)self->trees.n_classes) {
        mp_raise_ValueError(MP_ERROR_TEXT("out length must equal outputs()"));
    }
    const EmlError err = eml_trees_predict_proba(&self->trees, features.buf, self->trees.n_features,
        out.buf, (int32_t)n_out);
    if (err != EmlOk) {
        mp_raise_ValueError(MP_ERROR_TEXT("prediction failed"));
    }
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
    trees_locals_table[6] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_validate), MP_OBJ_FROM_PTR(&trees_validate_obj) };
    MP_OBJ_TYPE_SET_SLOT(&trees_type, locals_dict, (void *)&trees_locals, 0);

    mp_store_global(MP_QSTR_new, MP_OBJ_FROM_PTR(&trees_new_obj));

    MP_DYNRUNTIME_INIT_EXIT
}
