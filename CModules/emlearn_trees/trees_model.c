// See trees_model.h. The messages are the ValueError texts users see.
#include "trees_model.h"

#include <string.h>

#define EML_TREES_REGRESSION_ENABLE 0
// eml_common.h defines static helpers we do not call; keep -Wall -Werror builds quiet about them.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include <eml_trees.h>
#pragma GCC diagnostic pop

struct trees_model {
    EmlTrees trees;         // counts, and pointers into the three array blocks
    int32_t max_trees;
    int32_t max_nodes;
    int32_t max_leaves;
    // One more than the highest index the records so far refer to (0: none): what
    // trees_model_check compares with the counts instead of walking the model.
    int32_t node_refs;      // roots and child jumps
    int32_t leaf_refs;      // leaf children
    int32_t feature_refs;   // node features
    int32_t class_refs;     // leaf values
};

// The errors: their codes (what the functions return) and their messages, in one list.
#define TREES_ERRORS(X) \
    X(CAPACITY, "capacity not in 0..2^20") \
    X(N_FEATURES, "n_features not in 1..127") \
    X(N_CLASSES, "n_classes not in 1..127") \
    X(ROOT, "bad root") \
    X(TREES, "too many trees") \
    X(CHILD, "bad child") \
    X(FEATURE, "bad feature") \
    X(THRESHOLD, "threshold not int16") \
    X(NODES, "too many nodes") \
    X(LEAF, "leaf not in 0..255") \
    X(LEAVES, "too many leaves") \
    X(NOT_LOADED, "model not loaded") \
    X(NODE_REF, "root/child beyond nodes") \
    X(LEAF_REF, "child beyond leaves") \
    X(FEATURE_REF, "feature >= n_features") \
    X(CLASS_REF, "class >= n_classes") \
    X(FEATURES_ARRAY, "features not int16[n_features]") \
    X(OUT_ARRAY, "out not float32[outputs()]")

enum {
    TREES_OK,
#define TREES_ERROR_CODE(name, text) TREES_##name,
    TREES_ERRORS(TREES_ERROR_CODE)
};

// The messages one after the other, each ending in NUL: an error code is a small constant at
// each check (a string's address would be a pc-relative load, about 6 bytes more each on Thumb).
static const char messages[] =
#define TREES_ERROR_TEXT(name, text) text "\0"
    TREES_ERRORS(TREES_ERROR_TEXT);

const char *trees_model_message(int error) {
    const char *message = messages;
    while (--error > 0) {
        while (*message++ != '\0') {
        }
    }
    return message;
}

static int32_t max_of(int32_t a, int32_t b) {
    return a > b ? a : b;
}

static int in_int16(intptr_t v) {
    return v >= -32768 && v <= 32767;
}

int trees_model_sizes(const intptr_t capacities[3], trees_model_sizes_t *sizes) {
    for (int i = 0; i < 3; i++) {
        if (capacities[i] < 0 || capacities[i] > TREES_MAX_CAPACITY) {
            return TREES_CAPACITY;
        }
    }
    sizes->model = sizeof(trees_model_t);
    sizes->roots = (size_t)capacities[0] * sizeof(int32_t);
    sizes->nodes = (size_t)capacities[1] * sizeof(EmlTreesNode);
    sizes->leaves = (size_t)capacities[2] * sizeof(uint8_t);
    return TREES_OK;
}

int trees_model_features(const trees_model_t *model) {
    return model->trees.n_features;
}

int trees_model_classes(const trees_model_t *model) {
    return model->trees.n_classes;
}

trees_model_t *trees_model_init(void *model_block, void *nodes, void *roots, void *leaves,
    const intptr_t capacities[3]) {
    // All counts, refs and leaf_bits (0: majority voting, a leaf holds a class index) start at 0.
    trees_model_t *model = memset(model_block, 0, sizeof(trees_model_t));
    model->max_trees = (int32_t)capacities[0];
    model->max_nodes = (int32_t)capacities[1];
    model->max_leaves = (int32_t)capacities[2];
    model->trees.nodes = nodes;
    model->trees.tree_roots = roots;
    model->trees.leaves = leaves;
    return model;
}

int trees_model_set_data(trees_model_t *model, const intptr_t *values) {
    const intptr_t n_features = values[0], n_classes = values[1];
    if (n_features < 1 || n_features > TREES_MAX_FEATURES) {
        return TREES_N_FEATURES;
    }
    if (n_classes < 1 || n_classes > TREES_MAX_CLASSES) {
        return TREES_N_CLASSES;
    }
    model->trees.n_features = (int8_t)n_features;
    model->trees.n_classes = (int8_t)n_classes;
    return TREES_OK;
}

int trees_model_add_root(trees_model_t *model, const intptr_t *values) {
    const intptr_t root = values[0];
    if (root < 0 || root >= TREES_MAX_CAPACITY) {
        return TREES_ROOT;
    }
    if (model->trees.n_trees >= model->max_trees) {
        return TREES_TREES;
    }
    model->trees.tree_roots[model->trees.n_trees++] = (int32_t)root;
    model->node_refs = max_of(model->node_refs, (int32_t)root + 1);
    return TREES_OK;
}

int trees_model_add_node(trees_model_t *model, const intptr_t *values) {
    const intptr_t left = values[0], right = values[1], feature = values[2], threshold = values[3];
    for (int i = 0; i < 2; i++) {   // left, right
        if (!in_int16(values[i]) || values[i] == 0) {
            return TREES_CHILD;   // 0 would be the node itself: a walk that never ends
        }
    }
    if (feature < 0 || feature >= TREES_MAX_FEATURES) {
        return TREES_FEATURE;
    }
    if (!in_int16(threshold)) {
        return TREES_THRESHOLD;
    }
    const int32_t index = model->trees.n_nodes;
    if (index >= model->max_nodes) {
        return TREES_NODES;
    }
    EmlTreesNode *node = &model->trees.nodes[index];
    node->left = (int16_t)left;
    node->right = (int16_t)right;
    node->feature = (int8_t)feature;
    node->value = (int16_t)threshold;
    model->trees.n_nodes = index + 1;
    // A child is a forward jump of at least 1 (so every walk ends) to node index + child, or
    // leaf -child - 1. Both children in one go: a leaf child makes index + child + 1 at most
    // index + 1 (this node: no new ref), a node child makes -child negative (no leaf ref).
    const int32_t l = (int32_t)left, r = (int32_t)right;
    model->node_refs = max_of(model->node_refs, index + max_of(l, r) + 1);
    model->leaf_refs = max_of(model->leaf_refs, -(l < r ? l : r));
    model->feature_refs = max_of(model->feature_refs, (int32_t)feature + 1);
    return TREES_OK;
}

int trees_model_add_leaf(trees_model_t *model, const intptr_t *values) {
    const intptr_t value = values[0];
    if (value < 0 || value > 255) {
        return TREES_LEAF;
    }
    if (model->trees.n_leaves >= model->max_leaves) {
        return TREES_LEAVES;
    }
    model->trees.leaves[model->trees.n_leaves++] = (uint8_t)value;
    model->class_refs = max_of(model->class_refs, (int32_t)value + 1);
    return TREES_OK;
}

int trees_model_check(const trees_model_t *model) {
    const EmlTrees *t = &model->trees;
    if (t->n_features == 0 || t->n_trees == 0) {   // set_data sets n_features and n_classes together
        return TREES_NOT_LOADED;
    }
    if (model->node_refs > t->n_nodes) {
        return TREES_NODE_REF;
    }
    if (model->leaf_refs > t->n_leaves) {
        return TREES_LEAF_REF;
    }
    if (model->feature_refs > t->n_features) {
        return TREES_FEATURE_REF;
    }
    if (model->class_refs > t->n_classes) {
        return TREES_CLASS_REF;
    }
    return TREES_OK;
}

// The float of a count below 2^24 (exact). Without an FPU it is built from its bits: libgcc's
// int-to-float conversion shares a member with the float adder on Thumb, which nothing else
// here needs (armv7m: about 490 bytes less; RISC-V: 140). With an FPU one instruction is smaller.
static float count_to_float(uint32_t v) {
#if !defined(__SOFTFP__) && !defined(__riscv_float_abi_soft)
    return (float)(int32_t)v;
#else
    if (v == 0) {
        return 0.0f;
    }
    uint32_t exponent = 127 + 23;
    while (v < 0x800000u) {   // normalise: the leading 1 at bit 23
        v <<= 1;
        exponent--;
    }
    const uint32_t bits = (exponent << 23) | (v & 0x7fffffu);
    float f;
    memcpy(&f, &bits, sizeof(f));
    return f;
#endif
}

// The counts divided by the number of trees, into the same memory as floats.
#if defined(__GNUC__) && !defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
// Like the SDK's MPYFORGE_HOT (this file builds without MicroPython): at -Os GCC converts each
// count into the register still holding the previous quotient (cvtsi2ss keeps its upper bits),
// so every division waits for the one before.
__attribute__((optimize("O2")))
#endif
static void counts_to_fractions(const uint32_t *counts, float *fractions, size_t n, uint32_t n_trees) {
    const float divisor = count_to_float(n_trees);   // at most 2^20 trees
    for (size_t c = 0; c < n; c++) {
        const uint32_t count = counts[c];   // read before the float is written over it
        fractions[c] = count_to_float(count) / divisor;
    }
}

// eml_trees_predict_proba for leaf_bits 0 (the only kind the loader accepts): majority votes,
// divided by the number of trees. Written out here so the walk is inlined into the per-tree loop
// and follows node pointers (trees_model_check passed, so every index is in range and every walk
// ends in a leaf). Votes are counted as integers in the output buffer itself (a heap block
// without a declared type, so it may hold uint32_t counts first and then the floats) and
// converted once: the same floats as adding 1.0f per vote (exact below 2^24; at most 2^20
// trees), without a float addition, which on MCUs without an FPU would link libgcc's soft-float
// adder (armv6m: 772 bytes).
#if defined(__GNUC__) && !defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
// Not turning the zeroing loop into a memset, which the module gets as a byte loop (x64: 4
// instructions a byte). -Os, unlike the final division: the walk is as short at -O2.
__attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif
static void vote(const EmlTrees *trees, const int16_t *features, void *out, size_t n_out) {
    const EmlTreesNode *nodes = trees->nodes;
    const int32_t *roots = trees->tree_roots;
    const uint8_t *leaves = trees->leaves;
    const int32_t n_trees = trees->n_trees;
    uint32_t *counts = out;
    for (size_t c = 0; c < n_out; c++) {
        counts[c] = 0;
    }
    for (int32_t t = 0; t < n_trees; t++) {
        const EmlTreesNode *node = &nodes[roots[t]];   // a root is a node, never a leaf
        int32_t child;
        while ((child = features[node->feature] < node->value ? node->left : node->right) >= 0) {
            node += child;
        }
        counts[leaves[-child - 1]]++;
    }
    counts_to_fractions(counts, out, n_out, (uint32_t)n_trees);
}

int trees_model_predict(const trees_model_t *model, const void *features, size_t features_bytes,
    int features_typecode, void *out, size_t out_bytes, int out_typecode) {
    const int error = trees_model_check(model);
    if (error) {
        return error;
    }
    if (features_typecode != 'h' || features_bytes != (size_t)model->trees.n_features * sizeof(int16_t)) {
        return TREES_FEATURES_ARRAY;
    }
    const size_t n_out = (size_t)model->trees.n_classes;
    if (out_typecode != 'f' || out_bytes != n_out * sizeof(float)) {
        return TREES_OUT_ARRAY;
    }
    vote(&model->trees, features, out, n_out);
    return TREES_OK;
}
