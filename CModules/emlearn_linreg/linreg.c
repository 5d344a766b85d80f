// emlearn_linreg: linear regression trained on the device, with ElasticNet regularisation.
//
// Python API: new(n_features, alpha, l1_ratio, learning_rate) -> Model; Model.step(X, y) does one
// full-batch proximal gradient step; predict(x) -> float, score_mse(X, y) -> float,
// get_weights(out)/set_weights(w), get_bias()/set_bias(b), get_n_features(). X is row-major
// float32 ('f', n_samples * n_features), y float32 (n_samples). train() is in train.py.
//
// The objective is scikit-learn's ElasticNet: mean((Xw + b - y)^2) / 2
//   + alpha * l1_ratio * |w|_1 + alpha * (1 - l1_ratio) / 2 * |w|^2.
// One step (emlearn-micropython's update rule, float32, in the same order of operations):
//   g = X^T (Xw + b - y) / n;  w = soft_threshold(w - lr * (g + alpha * (1 - l1_ratio) * w),
//   alpha * l1_ratio * lr);  b -= lr * mean(Xw + b - y). The bias is not regularised.

#include "py/dynruntime.h"
#include "mpyforge/float_bits.h"
#include "mpyforge/kernel_args.h"

#define MAX_FEATURES 65535

typedef struct _linreg_obj_t {
    mp_obj_base_t base;
    size_t n_features;
    float alpha;
    float l1_ratio;
    float learning_rate;
    float bias;
    float weights[];   // n_features weights, then n_features gradient accumulators
} linreg_obj_t;

// Natmod rule: zero-initialised globals must not be static (the linker cannot relocate static bss).
mp_obj_full_type_t linreg_type;
mp_map_elem_t linreg_locals_table[8];
static MP_DEFINE_CONST_DICT(linreg_locals, linreg_locals_table);

static float *get_float_array(mp_obj_t obj, size_t *n, mp_uint_t flags) {
    return mpyforge_get_typed_array(obj, 'f', n, flags, "need a float32 ('f') array");
}

// Float tests on the bit pattern (mpyforge/float_bits.h): on soft-float targets every kind of
// float comparison pulls its own libgcc routine into the module; these need none. Subtraction
// is plain: on cores whose libgcc has a separate subtraction routine, the SDK's runtime gives
// one that goes through the adder (CModules/sdk/runtime/soft_float_sub.c).
#define float_bits mpyforge_float_bits
#define FLOAT_INF_BITS MPYFORGE_FLOAT_INF_BITS
#define FLOAT_ONE_BITS MPYFORGE_FLOAT_ONE_BITS
#define FLOAT_SIGN_BIT MPYFORGE_FLOAT_SIGN_BIT

// Non-negative floats order like their bit patterns; -0.0 counts as 0.
static uint32_t magnitude_if_not_negative(float x) {
    const uint32_t bits = float_bits(x);
    return bits == FLOAT_SIGN_BIT ? 0 : bits;   // a negative value stays >= FLOAT_SIGN_BIT
}

static mp_obj_t linreg_new(size_t n_args, const mp_obj_t *args) {
    const mp_int_t n_features = mp_obj_get_int(args[0]);
    const float alpha = mp_obj_get_float_to_f(args[1]);
    const float l1_ratio = mp_obj_get_float_to_f(args[2]);
    const float learning_rate = mp_obj_get_float_to_f(args[3]);
    // mp_obj_get_int keeps only the low bits of a big int: reject those before they wrap into range
    if (!mp_obj_is_small_int(args[0]) || n_features < 1 || n_features > MAX_FEATURES) {
        mpyforge_raise_value_error("n_features must be 1..65535");
    }
    // NaN has the largest bit patterns (exponent all ones), so it fails every test
    const uint32_t a = magnitude_if_not_negative(alpha);
    const uint32_t l = magnitude_if_not_negative(l1_ratio);
    const uint32_t r = float_bits(learning_rate);
    if (a >= FLOAT_INF_BITS || l > FLOAT_ONE_BITS || r - 1u >= FLOAT_INF_BITS - 1u) {
        mpyforge_raise_value_error("need finite alpha >= 0, 0 <= l1_ratio <= 1, learning_rate > 0");
    }
    // Weights and gradient scratch live in one heap block with the object (freed together).
    linreg_obj_t *self = mp_obj_malloc_var(linreg_obj_t, weights, float, 2 * (size_t)n_features,
                                           (const mp_obj_type_t *)&linreg_type);
    self->n_features = (size_t)n_features;
    self->alpha = alpha;
    self->l1_ratio = l1_ratio;
    self->learning_rate = learning_rate;
    self->bias = 0.0f;
    for (size_t j = 0; j < self->n_features; j++) {
        self->weights[j] = 0.0f;
    }
    return MP_OBJ_FROM_PTR(self);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(linreg_new_obj, 4, 4, linreg_new);

static float predict_row(const linreg_obj_t *self, const float *x) {
    float prediction = self->bias;
    for (size_t j = 0; j < self->n_features; j++) {
        prediction += self->weights[j] * x[j];
    }
    return prediction;
}

// predict_row for two rows at once. The two sums are independent, so their additions overlap in
// the pipeline; each is still summed in feature order, so the results are the same as one by one.
// Only on x86, whose out-of-order cores gain from it; in-order MCU cores do not, and there one
// row at a time is less code. (-DROWS_IN_PAIRS=0 builds the MCU code for a host test.)
#ifndef ROWS_IN_PAIRS
#if defined(__x86_64__) || defined(__i386__)
#define ROWS_IN_PAIRS 1
#else
#define ROWS_IN_PAIRS 0
#endif
#endif
static void predict_pair(const linreg_obj_t *self, const float *x0, const float *x1, float *p0, float *p1) {
    float a = self->bias, b = self->bias;
    for (size_t j = 0; j < self->n_features; j++) {
        const float w = self->weights[j];
        a += w * x0[j];
        b += w * x1[j];
    }
    *p0 = a;
    *p1 = b;
}

// Checks X (n_samples rows of n_features) against y (n_samples >= 1); returns n_samples.
static size_t get_dataset(const linreg_obj_t *self, mp_obj_t X_in, mp_obj_t y_in, const float **X, const float **y) {
    size_t n_X, n_y;
    *X = get_float_array(X_in, &n_X, MP_BUFFER_READ);
    *y = get_float_array(y_in, &n_y, MP_BUFFER_READ);
    if (n_y == 0 || n_X / self->n_features != n_y || n_X % self->n_features != 0) {
        mpyforge_raise_value_error("X not len(y) >= 1 rows of n_features");
    }
    return n_y;
}

// x - t if x > t, x + t if x < -t, else 0 (t >= 0), as emlearn-micropython computes it.
// x > t exactly when x - t is positive (with gradual underflow x - t is 0 only if x == t), so
// the comparisons become sign tests of the results; NaN gives 0, as the comparisons would.
static float soft_threshold(float x, float t) {
    const float above = x - t;
    if (float_bits(above) - 1u < FLOAT_INF_BITS) {   // positive, non-zero, not NaN
        return above;
    }
    const float below = x + t;
    if (float_bits(below) - (FLOAT_SIGN_BIT + 1u) < FLOAT_INF_BITS) {   // negative, non-zero, not NaN
        return below;
    }
    return 0.0f;
}

static mp_obj_t linreg_step(mp_obj_t self_in, mp_obj_t X_in, mp_obj_t y_in) {
    linreg_obj_t *self = MP_OBJ_TO_PTR(self_in);
    const float *X, *y;
    const size_t n = get_dataset(self, X_in, y_in, &X, &y);
    const size_t n_features = self->n_features;
    float *weights = self->weights;
    float *gradients = weights + n_features;
    for (size_t j = 0; j < n_features; j++) {
        gradients[j] = 0.0f;
    }
    // Rows in pairs on x86 (see predict_pair); the sums run in row order as with one row at a time.
    float bias_gradient = 0.0f;
    size_t i = 0;
    for (; ROWS_IN_PAIRS && i + 2 <= n; i += 2, X += 2 * n_features) {
        const float *x1 = X + n_features;
        float e0, e1;
        predict_pair(self, X, x1, &e0, &e1);
        e0 = e0 - y[i];
        e1 = e1 - y[i + 1];
        bias_gradient = bias_gradient + e0 + e1;
        for (size_t j = 0; j < n_features; j++) {
            gradients[j] = gradients[j] + e0 * X[j] + e1 * x1[j];
        }
    }
    for (; i < n; i++, X += n_features) {
        const float e0 = predict_row(self, X) - y[i];
        bias_gradient += e0;
        for (size_t j = 0; j < n_features; j++) {
            gradients[j] += e0 * X[j];
        }
    }
    const float n_samples = (float)n;
    const float l2 = self->alpha * (1.0f - self->l1_ratio);
    const float lr = self->learning_rate;
    const float l1_threshold = self->alpha * self->l1_ratio * lr;
    for (size_t j = 0; j < n_features; j++) {
        const float updated = weights[j] - lr * (gradients[j] / n_samples + l2 * weights[j]);
        weights[j] = soft_threshold(updated, l1_threshold);
    }
    self->bias = self->bias - lr * (bias_gradient / n_samples);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(linreg_step_obj, linreg_step);

static mp_obj_t linreg_score_mse(mp_obj_t self_in, mp_obj_t X_in, mp_obj_t y_in) {
    linreg_obj_t *self = MP_OBJ_TO_PTR(self_in);
    const float *X, *y;
    const size_t n = get_dataset(self, X_in, y_in, &X, &y);
    float sum = 0.0f;
    size_t i = 0;
    for (; ROWS_IN_PAIRS && i + 2 <= n; i += 2, X += 2 * self->n_features) {
        float e0, e1;
        predict_pair(self, X, X + self->n_features, &e0, &e1);
        e0 = e0 - y[i];   // squared: the sign does not matter
        e1 = e1 - y[i + 1];
        sum = sum + e0 * e0 + e1 * e1;
    }
    for (; i < n; i++, X += self->n_features) {
        const float e0 = predict_row(self, X) - y[i];
        sum += e0 * e0;
    }
    return mp_obj_new_float_from_f(sum / (float)n);
}
static MP_DEFINE_CONST_FUN_OBJ_3(linreg_score_mse_obj, linreg_score_mse);

// An 'f' array of exactly n_features values.
static float *get_weights_array(const linreg_obj_t *self, mp_obj_t obj, mp_uint_t flags) {
    size_t n;
    float *values = get_float_array(obj, &n, flags);
    if (n != self->n_features) {
        mpyforge_raise_value_error("length != n_features");
    }
    return values;
}

static mp_obj_t linreg_predict(mp_obj_t self_in, mp_obj_t x_in) {
    const linreg_obj_t *self = MP_OBJ_TO_PTR(self_in);
    return mp_obj_new_float_from_f(predict_row(self, get_weights_array(self, x_in, MP_BUFFER_READ)));
}
static MP_DEFINE_CONST_FUN_OBJ_2(linreg_predict_obj, linreg_predict);

static mp_obj_t linreg_get_weights(mp_obj_t self_in, mp_obj_t out_in) {
    const linreg_obj_t *self = MP_OBJ_TO_PTR(self_in);
    float *out = get_weights_array(self, out_in, MP_BUFFER_WRITE);
    for (size_t j = 0; j < self->n_features; j++) {
        out[j] = self->weights[j];
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(linreg_get_weights_obj, linreg_get_weights);

static mp_obj_t linreg_set_weights(mp_obj_t self_in, mp_obj_t weights_in) {
    linreg_obj_t *self = MP_OBJ_TO_PTR(self_in);
    const float *weights = get_weights_array(self, weights_in, MP_BUFFER_READ);
    for (size_t j = 0; j < self->n_features; j++) {
        self->weights[j] = weights[j];
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(linreg_set_weights_obj, linreg_set_weights);

static mp_obj_t linreg_get_bias(mp_obj_t self_in) {
    const linreg_obj_t *self = MP_OBJ_TO_PTR(self_in);
    return mp_obj_new_float_from_f(self->bias);
}
static MP_DEFINE_CONST_FUN_OBJ_1(linreg_get_bias_obj, linreg_get_bias);

static mp_obj_t linreg_set_bias(mp_obj_t self_in, mp_obj_t bias_in) {
    linreg_obj_t *self = MP_OBJ_TO_PTR(self_in);
    self->bias = mp_obj_get_float_to_f(bias_in);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(linreg_set_bias_obj, linreg_set_bias);

static mp_obj_t linreg_get_n_features(mp_obj_t self_in) {
    const linreg_obj_t *self = MP_OBJ_TO_PTR(self_in);
    return MP_OBJ_NEW_SMALL_INT(self->n_features);
}
static MP_DEFINE_CONST_FUN_OBJ_1(linreg_get_n_features_obj, linreg_get_n_features);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY

    linreg_type.base.type = (void *)&mp_type_type;  // flags stay 0: the loader zeroes .bss
    linreg_type.name = MP_QSTR_Model;
    // Names and functions side by side, the table filled in a loop: shorter than eight
    // stores of each (the names are qstr numbers known only at load time).
    static const void *const methods[] = { &linreg_predict_obj, &linreg_step_obj, &linreg_score_mse_obj,
        &linreg_get_weights_obj, &linreg_set_weights_obj, &linreg_get_bias_obj, &linreg_set_bias_obj,
        &linreg_get_n_features_obj };
    const qstr names[] = { MP_QSTR_predict, MP_QSTR_step, MP_QSTR_score_mse, MP_QSTR_get_weights,
        MP_QSTR_set_weights, MP_QSTR_get_bias, MP_QSTR_set_bias, MP_QSTR_get_n_features };
    for (size_t i = 0; i < MP_ARRAY_SIZE(names); i++) {
        linreg_locals_table[i] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(names[i]), MP_OBJ_FROM_PTR(methods[i]) };
    }
    MP_OBJ_TYPE_SET_SLOT(&linreg_type, locals_dict, (void *)&linreg_locals, 0);
    mp_store_global(MP_QSTR_new, MP_OBJ_FROM_PTR(&linreg_new_obj));

    MP_DYNRUNTIME_INIT_EXIT
}
