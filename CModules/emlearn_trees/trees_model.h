// The tree-ensemble model of emlearn_trees without MicroPython: building it record by record,
// checking it, and predicting. trees.c wraps these for Python; Fuzz/trees_csv drives them
// on the host with sanitizers. Every function that can refuse returns 0 on success or an error
// code (trees_model_message gives its ValueError text), and leaves the model unchanged then.
#ifndef EMLEARN_TREES_MODEL_H
#define EMLEARN_TREES_MODEL_H

#include <stddef.h>
#include <stdint.h>

// Limits of the EmlTrees fields: int8 feature index and counts, int16 child references.
#define TREES_MAX_FEATURES 127
#define TREES_MAX_CLASSES 127
#define TREES_MAX_CAPACITY (1 << 20)

// Hidden: in a position-independent module, taking the address of a hidden function is one
// pc-relative add instead of a load through the GOT (trees.c passes them as pointers).
#pragma GCC visibility push(hidden)

// Opaque: eml_trees.h defines non-static functions, so only trees_model.c may include it.
typedef struct trees_model trees_model_t;

// The ValueError message of an error code (not 0).
const char *trees_model_message(int error);

// The bytes of the four parts of a model: its struct (a multiple of the word size) and its
// arrays of roots (int32), nodes and leaves. new() places them one after the other in one heap
// block, in that order (so every part stays aligned); Fuzz/trees_csv gives each its own block,
// so that a sanitizer sees an overrun of any one of them. A zero capacity gives a zero size.
typedef struct {
    size_t model, nodes, roots, leaves;
} trees_model_sizes_t;

// new(max_trees, max_nodes, max_leaves): checks the capacities (how many trees, nodes and
// leaves the arrays hold) and gives the sizes for them.
int trees_model_sizes(const intptr_t capacities[3], trees_model_sizes_t *sizes);

// Starts an empty model in blocks of the sizes trees_model_sizes gave for these capacities.
trees_model_t *trees_model_init(void *model_block, void *nodes, void *roots, void *leaves,
    const intptr_t capacities[3]);

// n_features and n_classes as set_data set them; 0 before.
int trees_model_features(const trees_model_t *model);
int trees_model_classes(const trees_model_t *model);

// The Model methods that build a model, each taking the method's int arguments in their
// Python order (so that trees.c has one wrapper for all of them). The records may come in any
// order: what a record refers to (a later node, a leaf, a feature, a class) is checked against
// the whole model by trees_model_check.
typedef int trees_model_record_t(trees_model_t *model, const intptr_t *values);
// setdata(n_features, n_classes)
trees_model_record_t trees_model_set_data;
// addroot(node index)
trees_model_record_t trees_model_add_root;
// addnode(left, right, feature, threshold). Children are relative jumps (>= 1) to later nodes,
// or leaves encoded as -(leaf index) - 1, as emlearn 0.23 writes them.
trees_model_record_t trees_model_add_node;
// addleaf(class)
trees_model_record_t trees_model_add_leaf;

// 0 if predict can neither read nor write out of bounds nor loop forever: every root and
// child within the nodes and leaves, every feature and class within set_data's counts, at
// least one tree. Constant time (the add functions keep the highest reference of each kind),
// so predict checks on every call.
int trees_model_check(const trees_model_t *model);

// Checks the model and the typecodes and byte lengths of the arrays, then writes one
// probability per class.
int trees_model_predict(const trees_model_t *model, const void *features, size_t features_bytes,
    int features_typecode, void *out, size_t out_bytes, int out_typecode);

#pragma GCC visibility pop

#endif
