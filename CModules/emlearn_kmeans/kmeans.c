// emlearn_kmeans: nearest-centroid search on uint8 vectors, the native half of k-means
// clustering (cluster.py holds the Lloyd iterations, as in emlearn-micropython).
//
// Python API: euclidean_argmin(vectors, point) -> (index, squared distance) of the vector
// nearest to point. Beyond emlearn-micropython: euclidean_argmin(vectors, points, out) classifies
// len(out) points (len(points) / len(out) values each) in one call, writes each one's nearest
// index into out and returns how many entries of out changed; cluster_iter uses it.
// Arrays are uint8: 'B' arrays or bytearrays. Ties go to the lowest index. Distances are exact.

#include "py/dynruntime.h"
#include "mpyforge/kernel_args.h"

#define MAX_POINT 65535   // 65535 * 255^2 < 2^32: distances fit in uint32

static uint8_t *get_uint8_array(mp_obj_t obj, size_t *len, mp_uint_t flags) {
    return mpyforge_get_typed_array(obj, 'B', len, flags, "need a uint8 ('B') array");
}

// Index of the vector nearest to point (squared Euclidean distance, first one on ties).
static size_t nearest(const uint8_t *vectors, size_t n_vectors, const uint8_t *point, size_t n,
                      uint32_t *distance) {
    size_t best = 0;
    uint32_t best_distance = UINT32_MAX;
    for (size_t v = 0; v < n_vectors; v++, vectors += n) {
        uint32_t d = 0;
        for (size_t j = 0; j < n; j++) {
            const int32_t diff = (int32_t)point[j] - (int32_t)vectors[j];
            d += (uint32_t)(diff * diff);
        }
        if (d < best_distance) {
            best_distance = d;
            best = v;
        }
    }
    *distance = best_distance;
    return best;
}

static mp_obj_t euclidean_argmin(size_t n_args, const mp_obj_t *args) {
    size_t n_values, n_points_values, n_points = 1;
    const uint8_t *vectors = get_uint8_array(args[0], &n_values, MP_BUFFER_READ);
    const uint8_t *points = get_uint8_array(args[1], &n_points_values, MP_BUFFER_READ);
    uint8_t *out = NULL;
    if (n_args == 3) {
        out = get_uint8_array(args[2], &n_points, MP_BUFFER_RW);
    }
    const size_t n = n_points == 0 ? 0 : n_points_values / n_points;   // values per point
    const size_t n_vectors = n == 0 ? 0 : n_values / n;
    if (n == 0 || n > MAX_POINT || n * n_points != n_points_values || n_vectors * n != n_values || n_vectors == 0
        || (out != NULL && n_vectors > 256)) {
        mp_raise_ValueError(MP_ERROR_TEXT("lengths: point 1..65535, vectors k*len(point)"));
    }
    size_t index = 0, changes = 0;
    uint32_t distance = 0;
    for (size_t i = 0; i < n_points; i++, points += n) {
        index = nearest(vectors, n_vectors, points, n, &distance);
        if (out != NULL) {
            changes += (out[i] != index);
            out[i] = (uint8_t)index;
        }
    }
    if (out != NULL) {
        return MP_OBJ_NEW_SMALL_INT(changes);   // <= len(out): a small int
    }
    // index < len(vectors) fits a small int; the distance can exceed one on 32-bit ports
    mp_obj_t result[2] = { MP_OBJ_NEW_SMALL_INT(index), mp_obj_new_int_from_uint(distance) };
    return mp_obj_new_tuple(2, result);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(euclidean_argmin_obj, 2, 3, euclidean_argmin);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY

    mp_store_global(MP_QSTR_euclidean_argmin, MP_OBJ_FROM_PTR(&euclidean_argmin_obj));

    MP_DYNRUNTIME_INIT_EXIT
}
