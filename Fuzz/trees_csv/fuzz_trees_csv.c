// libFuzzer target: an emlearn CSV tree model, as a user copies it onto a device and loads it
// with emlearn_trees.load_model. The records are read the way trees_load.py reads them (that
// part is Python on the device; here it is a C copy of its rules) and go into the module's own
// C model code (CModules/emlearn_trees/trees_model.c), which must refuse anything that would
// make predict read or write out of bounds. Accepted models are then run on a few inputs.
//
// Input: three bytes choosing the capacities given to new(), then the CSV text.
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trees_model.h"

// Stops the fuzzer: libFuzzer reports the abort and saves the input.
#define FUZZ_CHECK(condition, ...)                                     \
    do {                                                               \
        if (!(condition)) {                                            \
            fprintf(stderr, "fuzz_trees_csv: " __VA_ARGS__);           \
            fprintf(stderr, "\n");                                     \
            abort();                                                   \
        }                                                              \
    } while (0)

// Python's int(token) for the tokens a model holds (mp_obj_get_int then needs a machine word).
// Returns 0 when Python would raise ValueError or OverflowError.
static int parse_int(const char *text, intptr_t *value) {
    char *end;
    errno = 0;
    long long parsed = strtoll(text, &end, 10);
    if (end == text || *end != '\0' || errno != 0 || parsed < INTPTR_MIN || parsed > INTPTR_MAX) {
        return 0;
    }
    *value = (intptr_t)parsed;
    return 1;
}

// Python's int(float(token)): truncation towards zero; inf and nan raise.
static int parse_float_as_int(const char *text, intptr_t *value) {
    char *end;
    double parsed = strtod(text, &end);
    if (end == text || *end != '\0' || !isfinite(parsed)) {
        return 0;
    }
    double truncated = trunc(parsed);
    // Outside a machine word the C conversion would be undefined; Python raises OverflowError.
    if (!(truncated >= -9.2e18 && truncated <= 9.2e18)) {
        return 0;
    }
    *value = (intptr_t)truncated;
    return 1;
}

// Splits `line` in place at commas, as str.split(',') does; returns the token count.
static int split_commas(char *line, char **tokens, int max_tokens) {
    int count = 0;
    tokens[count++] = line;
    for (char *p = line; *p; p++) {
        if (*p == ',') {
            *p = '\0';
            if (count == max_tokens) {
                return max_tokens + 1;  // more than any record has: rejected by the caller
            }
            tokens[count++] = p + 1;
        }
    }
    return count;
}

static char *strip(char *text) {
    while (*text == ' ' || (*text >= '\t' && *text <= '\r')) {
        text++;
    }
    size_t length = strlen(text);
    while (length > 0 && (text[length - 1] == ' ' || (text[length - 1] >= '\t' && text[length - 1] <= '\r'))) {
        text[--length] = '\0';
    }
    return text;
}

// NULL for the model code's 0, else the message of its error code (never empty: checked).
static const char *message_of(int error) {
    if (error == 0) {
        return NULL;
    }
    const char *message = trees_model_message(error);
    FUZZ_CHECK(*message != '\0', "empty message for error %d", error);
    return message;
}

// One record. Returns NULL, or the message load_model raises ValueError with. values[] holds
// the f and c values, as the loader's nf and nc do.
static const char *load_record(trees_model_t *model, char **tokens, int count, intptr_t *values) {
    const char *kind = tokens[0];
    intptr_t v[4];
    if (strcmp(kind, "n") == 0) {
        if (count != 5 || !parse_int(tokens[1], &v[0]) || !parse_float_as_int(tokens[2], &v[1])
            || !parse_int(tokens[3], &v[2]) || !parse_int(tokens[4], &v[3])) {
            return "bad 'n' record";
        }
        const intptr_t node[4] = {v[2], v[3], v[0], v[1]};  // addnode(left, right, feature, threshold)
        return message_of(trees_model_add_node(model, node));
    }
    static const char *const kinds[] = {"l", "r", "f", "c", "lb"};
    int known = -1;
    for (int i = 0; i < 5; i++) {
        if (strcmp(kind, kinds[i]) == 0) {
            known = i;
        }
    }
    if (known < 0) {
        return NULL;  // unknown kinds are ignored
    }
    if (count != 2 || !parse_int(tokens[1], &v[0])) {
        return "bad record";
    }
    if (known == 0) {
        return message_of(trees_model_add_leaf(model, v));
    }
    if (known == 1) {
        return message_of(trees_model_add_root(model, v));
    }
    if (known == 4) {
        return v[0] == 0 ? NULL : "leaf_bits not 0";
    }
    values[known - 2] = v[0];
    return NULL;
}

// load_model(model, text): NULL when the model loaded and passed trees_model_check.
static const char *load_model(trees_model_t *model, char *text) {
    intptr_t values[2] = {0, 0};  // f, c: 0 when the line is missing
    char *next = text;
    while (next) {
        char *line = next;
        next = strchr(line, '\n');
        if (next) {
            *next++ = '\0';
        }
        line = strip(line);
        if (!*line) {
            continue;
        }
        char *tokens[6];
        int count = split_commas(line, tokens, 5);
        const char *error = load_record(model, tokens, count, values);
        if (error) {
            return error;
        }
    }
    const char *error = message_of(trees_model_set_data(model, values));
    return error ? error : message_of(trees_model_check(model));
}

// Runs an accepted model: predict must succeed, every vote must land in a class, and wrong
// lengths must be refused before anything is read.
static void exercise(trees_model_t *model, const uint8_t *data, size_t size) {
    const size_t n_features = (size_t)trees_model_features(model), n_classes = (size_t)trees_model_classes(model);
    int16_t *features = malloc(n_features * sizeof(int16_t));
    float *out = malloc(n_classes * sizeof(float));
    static const int16_t extremes[] = {INT16_MIN, -1, 0, 1, INT16_MAX};
    for (size_t round = 0; round < 8; round++) {
        for (size_t i = 0; i < n_features; i++) {
            features[i] = round < 5 ? extremes[round]
                                    : (int16_t)(data[(i * 2 + round) % size] << 8 | data[(i * 2 + round + 1) % size]);
        }
        const int error = trees_model_predict(model, features, n_features * 2, 'h', out, n_classes * 4, 'f');
        FUZZ_CHECK(error == 0, "checked model failed to predict: %s", trees_model_message(error));
        float votes = 0.0f;
        for (size_t c = 0; c < n_classes; c++) {
            FUZZ_CHECK(out[c] >= 0.0f && isfinite(out[c]), "bad output %f for class %zu", out[c], c);
            votes += out[c];
        }
        FUZZ_CHECK(votes > 0.0f, "no tree voted");
    }
    FUZZ_CHECK(trees_model_predict(model, features, (n_features - 1) * 2, 'h', out, n_classes * 4, 'f') != 0,
        "short features accepted");
    FUZZ_CHECK(trees_model_predict(model, features, n_features * 2, 'h', out, (n_classes + 1) * 4, 'f') != 0,
        "long out accepted");
    FUZZ_CHECK(trees_model_predict(model, features, n_features * 2, 'b', out, n_classes * 4, 'f') != 0,
        "int8 features accepted");
    FUZZ_CHECK(trees_model_predict(model, features, n_features * 2, 'h', out, n_classes * 4, 'i') != 0,
        "int32 out accepted");
    free(features);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 3) {
        return 0;
    }
    // Capacities up to 1020 nodes and leaves: plenty for inputs of a few KB, small enough that
    // ASan sees a write one past the end of each array.
    const intptr_t capacities[3] = {data[0] % 64, data[1] * 4, data[2] * 4};  // trees, nodes, leaves
    trees_model_sizes_t sizes;
    FUZZ_CHECK(trees_model_sizes(capacities, &sizes) == 0, "capacity refused");
    // Separate exact-size blocks (new() carves one block into these), so ASan sees any access
    // past one of the arrays.
    void *blocks[4] = {malloc(sizes.model), malloc(sizes.nodes), malloc(sizes.roots), malloc(sizes.leaves)};
    trees_model_t *model = trees_model_init(blocks[0], blocks[1], blocks[2], blocks[3], capacities);

    char *text = malloc(size - 3 + 1);
    memcpy(text, data + 3, size - 3);
    text[size - 3] = '\0';  // a NUL inside the text ends it early, as it ends a C string
    const char *error = load_model(model, text);
    if (error) {
        FUZZ_CHECK(*error != '\0', "empty error message");
    } else {
        exercise(model, data, size);
    }
    free(text);
    for (int i = 0; i < 4; i++) {
        free(blocks[i]);
    }
    return 0;
}
