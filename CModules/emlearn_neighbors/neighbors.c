// emlearn_neighbors: k-nearest-neighbour classification on int16 feature vectors.
//
// Python API: new(max_items, n_features, k) -> Model, and on Model:
//   additem(values 'h', label) -> index, getitem(index, out 'h'), predict(values 'h') -> label,
//   getresult(i) -> (item_index, distance, label) for the i-th nearest item of the last predict.
// Written here rather than with eml_neighbors.h: that header accumulates squared distances in
// int32 (overflows for large int16 differences), keeps votes in a global 10-class table and
// sorts without a tie-break. Here distances are exact (64-bit), labels may be any int16, and
// items at equal distance are ordered by index, so results are deterministic.
// distance = floor(sqrt(sum of squared differences)), the integer Euclidean distance emlearn reports.

#include "py/dynruntime.h"

typedef struct _neighbors_obj_t {
    mp_obj_base_t base;
    size_t max_items;
    size_t n_features;
    size_t k;
    size_t n_items;
    size_t n_results;   // items ranked by the last predict (0: no predict yet)
    size_t n_sorted;    // ranking[0..n_sorted) is in order; the rest is sorted on first use
    uint64_t *ranking;  // max_items; after predict: (squared distance << 16 | item index), ascending
    int16_t *data;      // max_items x n_features
    int16_t *labels;    // max_items
    uint64_t storage[]; // the three arrays above, in this order
} neighbors_obj_t;

// Natmod rule: zero-initialised globals must not be static (the linker cannot relocate static bss).
mp_obj_full_type_t neighbors_type;
mp_map_elem_t neighbors_locals_table[4];
static MP_DEFINE_CONST_DICT(neighbors_locals, neighbors_locals_table);

// The ranking key packs the item index into 16 bits and the squared distance into 48:
// 65535 features * 65535^2 < 2^48, so neither can overflow.
#define MAX_ITEMS 65535
#define MAX_FEATURES 65535
#define INDEX_BITS 16

static mp_obj_t neighbors_new(mp_obj_t max_items_in, mp_obj_t n_features_in, mp_obj_t k_in) {
    const mp_int_t max_items = mpyforge_get_int(max_items_in);
    const mp_int_t n_features = mpyforge_get_int(n_features_in);
    const mp_int_t k = mpyforge_get_int(k_in);
    if (max_items < 1 || max_items > MAX_ITEMS || n_features < 1 || n_features > MAX_FEATURES) {
        mp_raise_ValueError(MP_ERROR_TEXT("max_items, n_features not in 1..65535"));
    }
    if (k < 1 || k > max_items) {
        mp_raise_ValueError(MP_ERROR_TEXT("k not in 1..max_items"));
    }
    // One heap block: the object, the ranking, the items' values, their labels (the GC frees
    // them together). The int16 count is at most 65535 * 65536, so it fits in 32 bits; the byte
    // count may not fit a 32-bit size_t, hence the limit (no division: a division by a variable
    // links libgcc's division routine on MCUs without a divide instruction).
    const size_t n_int16 = (size_t)((uint32_t)max_items * ((uint32_t)n_features + 1u));
    if (n_int16 > (SIZE_MAX - sizeof(neighbors_obj_t) - MAX_ITEMS * sizeof(uint64_t)) / sizeof(int16_t)) {
        mp_raise_ValueError(MP_ERROR_TEXT("model too large"));
    }
    neighbors_obj_t *self = mp_obj_malloc_helper(
        sizeof(neighbors_obj_t) + (size_t)max_items * sizeof(uint64_t) + n_int16 * sizeof(int16_t),
        (const mp_obj_type_t *)&neighbors_type);
    self->max_items = (size_t)max_items;
    self->n_features = (size_t)n_features;
    self->k = (size_t)k;
    self->n_items = 0;
    self->n_results = 0;
    self->n_sorted = 0;
    self->ranking = self->storage;
    self->data = (int16_t *)(self->storage + max_items);
    self->labels = self->data + (size_t)max_items * (size_t)n_features;
    return MP_OBJ_FROM_PTR(self);
}
static MP_DEFINE_CONST_FUN_OBJ_3(neighbors_new_obj, neighbors_new);

// Returns the int16 elements of `obj`, which must hold exactly n_features of them.
static int16_t *get_item_array(const neighbors_obj_t *self, mp_obj_t obj, mp_uint_t flags) {
    mp_buffer_info_t info;
    mp_get_buffer_raise(obj, &info, flags);
    if (info.typecode != 'h') {
        mp_raise_TypeError(MP_ERROR_TEXT("values must be int16"));
    }
    if (info.len / sizeof(int16_t) != self->n_features) {
        mp_raise_ValueError(MP_ERROR_TEXT("length != n_features"));
    }
    return info.buf;
}

static mp_obj_t neighbors_additem(mp_obj_t self_in, mp_obj_t values_in, mp_obj_t label_in) {
    neighbors_obj_t *self = MP_OBJ_TO_PTR(self_in);
    const int16_t *values = get_item_array(self, values_in, MP_BUFFER_READ);
    const mp_int_t label = mpyforge_get_int(label_in);
    if (label < -32768 || label > 32767) {
        mp_raise_ValueError(MP_ERROR_TEXT("label not int16"));
    }
    if (self->n_items >= self->max_items) {
        mp_raise_ValueError(MP_ERROR_TEXT("model full"));
    }
    const size_t index = self->n_items++;
    int16_t *dst = self->data + index * self->n_features;
    for (size_t i = 0; i < self->n_features; i++) {
        dst[i] = values[i];
    }
    self->labels[index] = (int16_t)label;
    return MP_OBJ_NEW_SMALL_INT(index);   // < 65535
}
static MP_DEFINE_CONST_FUN_OBJ_3(neighbors_additem_obj, neighbors_additem);

static mp_obj_t neighbors_getitem(mp_obj_t self_in, mp_obj_t index_in, mp_obj_t out_in) {
    neighbors_obj_t *self = MP_OBJ_TO_PTR(self_in);
    const mp_int_t index = mpyforge_get_int(index_in);
    if (index < 0 || (size_t)index >= self->n_items) {
        mp_raise_ValueError(MP_ERROR_TEXT("bad index"));
    }
    int16_t *out = get_item_array(self, out_in, MP_BUFFER_WRITE);
    const int16_t *src = self->data + (size_t)index * self->n_features;
    for (size_t i = 0; i < self->n_features; i++) {
        out[i] = src[i];
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(neighbors_getitem_obj, neighbors_getitem);

static uint64_t squared_distance(const int16_t *a, const int16_t *b, size_t n) {
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        const int32_t diff = (int32_t)a[i] - (int32_t)b[i];
        const uint32_t magnitude = (uint32_t)(diff < 0 ? -diff : diff);   // <= 65535
        sum += magnitude * magnitude;                                      // fits in uint32
    }
    return sum;
}

// floor(sqrt(x)) for x < 2^48 by the digit-by-digit method (two bits of x per step): only
// shifts, adds and compares (no libm, no division). The root is < 2^24 and the remainder at
// most twice the root, so everything fits in 32 bits (64-bit arithmetic costs twice the code on
// 32-bit MCUs).
static uint32_t isqrt48(uint64_t x) {
    uint32_t root = 0, rem = 0;
    for (int i = 0; i < 24; i++, x <<= 2) {
        rem = (rem << 2) | ((uint32_t)(x >> 46) & 3u);   // the next two bits of x, from the top
        root <<= 1;
        const uint32_t trial = (root << 1) | 1u;
        if (rem >= trial) {
            rem -= trial;
            root |= 1u;
        }
    }
    return root;
}

// In-place heapsort (ascending): O(n log n), no recursion, no extra memory.
static void sift_down(uint64_t *a, size_t root, size_t end) {
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= end) {
            return;
        }
        if (child + 1 < end && a[child + 1] > a[child]) {
            child++;
        }
        if (a[root] >= a[child]) {
            return;
        }
        const uint64_t t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

static void heapsort_u64(uint64_t *a, size_t n) {
    for (size_t i = n / 2; i-- > 0;) {
        sift_down(a, i, n);
    }
    for (size_t end = n; end-- > 1;) {
        const uint64_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
}

// Moves the k smallest keys to a[0..k), in ascending order, in O(n log k): a[0..k) is kept
// as a max-heap of the smallest seen so far. predict() needs only these; the rest of the
// ranking is sorted when getresult() first asks beyond them.
static void select_smallest(uint64_t *a, size_t n, size_t k) {
    for (size_t i = k / 2; i-- > 0;) {
        sift_down(a, i, k);
    }
    for (size_t i = k; i < n; i++) {
        if (a[i] < a[0]) {
            const uint64_t t = a[0];
            a[0] = a[i];
            a[i] = t;
            sift_down(a, 0, k);
        }
    }
    heapsort_u64(a, k);
}

static size_t item_of(uint64_t key) {
    return (size_t)(key & ((1u << INDEX_BITS) - 1));
}

// Majority label among the k nearest; ties go to the smallest label.
static int16_t vote(const neighbors_obj_t *self) {
    int16_t best_label = 0;
    size_t best_votes = 0;
    for (size_t i = 0; i < self->k; i++) {
        const int16_t label = self->labels[item_of(self->ranking[i])];
        size_t votes = 0;
        for (size_t j = 0; j < self->k; j++) {
            votes += (self->labels[item_of(self->ranking[j])] == label);
        }
        if (votes > best_votes || (votes == best_votes && label < best_label)) {
            best_label = label;
            best_votes = votes;
        }
    }
    return best_label;
}

static mp_obj_t neighbors_predict(mp_obj_t self_in, mp_obj_t values_in) {
    neighbors_obj_t *self = MP_OBJ_TO_PTR(self_in);
    const int16_t *values = get_item_array(self, values_in, MP_BUFFER_READ);
    if (self->n_items < self->k) {
        mp_raise_ValueError(MP_ERROR_TEXT("fewer items than k"));
    }
    for (size_t i = 0; i < self->n_items; i++) {
        const uint64_t d2 = squared_distance(values, self->data + i * self->n_features, self->n_features);
        self->ranking[i] = (d2 << INDEX_BITS) | i;
    }
    select_smallest(self->ranking, self->n_items, self->k);
    self->n_results = self->n_items;
    self->n_sorted = self->k;
    return MP_OBJ_NEW_SMALL_INT(vote(self));   // an int16
}
static MP_DEFINE_CONST_FUN_OBJ_2(neighbors_predict_obj, neighbors_predict);

static mp_obj_t neighbors_getresult(mp_obj_t self_in, mp_obj_t i_in) {
    neighbors_obj_t *self = MP_OBJ_TO_PTR(self_in);
    const mp_int_t i = mpyforge_get_int(i_in);
    if (self->n_results == 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("call predict() first"));
    }
    if (i < 0 || (size_t)i >= self->n_results) {
        mp_raise_ValueError(MP_ERROR_TEXT("bad index"));
    }
    if ((size_t)i >= self->n_sorted) {
        // every key past the first k is at least as large as those, so sorting the tail
        // completes the ranking
        heapsort_u64(self->ranking + self->n_sorted, self->n_results - self->n_sorted);
        self->n_sorted = self->n_results;
    }
    const uint64_t key = self->ranking[i];
    const size_t item = item_of(key);
    // all small ints (no runtime call): item < 2^16, distance < 2^24, an int16 label
    mp_obj_t fields[3] = {
        MP_OBJ_NEW_SMALL_INT(item),
        MP_OBJ_NEW_SMALL_INT(isqrt48(key >> INDEX_BITS)),
        MP_OBJ_NEW_SMALL_INT(self->labels[item]),
    };
    return mp_obj_new_tuple(3, fields);
}
static MP_DEFINE_CONST_FUN_OBJ_2(neighbors_getresult_obj, neighbors_getresult);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY

    neighbors_type.base.type = (void *)&mp_type_type;  // flags stay 0: the loader zeroes .bss
    neighbors_type.name = MP_QSTR_Model;
    neighbors_locals_table[0] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_additem), MP_OBJ_FROM_PTR(&neighbors_additem_obj) };
    neighbors_locals_table[1] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_getitem), MP_OBJ_FROM_PTR(&neighbors_getitem_obj) };
    neighbors_locals_table[2] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_predict), MP_OBJ_FROM_PTR(&neighbors_predict_obj) };
    neighbors_locals_table[3] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_getresult), MP_OBJ_FROM_PTR(&neighbors_getresult_obj) };
    MP_OBJ_TYPE_SET_SLOT(&neighbors_type, locals_dict, (void *)&neighbors_locals, 0);
    mp_store_global(MP_QSTR_new, MP_OBJ_FROM_PTR(&neighbors_new_obj));

    MP_DYNRUNTIME_INIT_EXIT
}
