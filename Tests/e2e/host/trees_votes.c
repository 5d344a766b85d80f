// Host driver for Tests/e2e/test_trees_soft_float.py: runs CModules/emlearn_trees/trees_model.c
// compiled as for an MCU without an FPU (-D__SOFTFP__), where vote counts become floats through
// their bits rather than a conversion instruction, and compares every probability with the
// host's own float division. One model of `n` single-node trees: tree t sends a feature below t
// to class 0 and the rest to class 1, so feature x (-1..n-1) gets x + 1 votes for class 1 and
// n - x - 1 for class 0: every count 0..n is checked.
#include <stdio.h>
#include <stdlib.h>

#include "trees_model.h"

int main(int argc, char **argv) {
    const int n = argc > 1 ? atoi(argv[1]) : 100;
    const intptr_t capacities[3] = {n, n, 2};   // trees, nodes, leaves
    trees_model_sizes_t sizes;
    int error = trees_model_sizes(capacities, &sizes);
    trees_model_t *model = trees_model_init(calloc(1, sizes.model), calloc(1, sizes.nodes),
        calloc(1, sizes.roots), calloc(1, sizes.leaves), capacities);
    static const intptr_t data[2] = {1, 2}, leaf0[1] = {0}, leaf1[1] = {1};
    error = error ? error : trees_model_set_data(model, data);
    error = error ? error : trees_model_add_leaf(model, leaf0);
    error = error ? error : trees_model_add_leaf(model, leaf1);
    for (int t = 0; t < n && !error; t++) {
        const intptr_t node[4] = {-1, -2, 0, t}, root[1] = {t};   // left, right, feature, threshold
        error = trees_model_add_node(model, node);
        error = error ? error : trees_model_add_root(model, root);
    }
    if (error) {
        printf("model refused: %s\n", trees_model_message(error));
        return 1;
    }
    float *out = malloc(2 * sizeof(float));   // heap, like an array's data: predict counts in it first
    for (int x = -1; x < n; x++) {
        const int16_t feature = (int16_t)x;
        error = trees_model_predict(model, &feature, sizeof(feature), 'h', out, 2 * sizeof(float), 'f');
        const int class1 = x + 1;   // trees t <= x: feature >= threshold t goes right, to class 1
        const float want0 = (float)(n - class1) / (float)n, want1 = (float)class1 / (float)n;
        if (error || out[0] != want0 || out[1] != want1) {
            printf("x=%d: got %.9g %.9g, want %.9g %.9g (%s)\n", x, out[0], out[1], want0, want1,
                error ? trees_model_message(error) : "");
            return 1;
        }
    }
    printf("ok %d\n", n);
    return 0;
}
