// mpyforge_example: a tour of the native-module API (ints, big ints, floats, buffers, a class, exceptions, globals, BSS).
#include "py/dynruntime.h"

// ---------------------------------------------------------------------------
// Integers

// Accepts only real ints and refuses values that do not fit a machine word, rather than
// silently truncating them the way mp_obj_get_int does.
static mp_int_t int_arg(mp_obj_t arg) {
    if (!mp_obj_is_int(arg)) {
        mp_raise_TypeError(MP_ERROR_TEXT("expected an int"));
    }
    mp_int_t value = mp_obj_get_int(arg);
    if (!mp_obj_is_small_int(arg)) {
        mp_obj_t round_trip = mp_obj_new_int(value);
        if (!mp_obj_is_true(mp_binary_op(MP_BINARY_OP_EQUAL, round_trip, arg))) {
            mp_raise_msg(&mp_type_OverflowError, MP_ERROR_TEXT("int too large for a machine word"));
        }
    }
    return value;
}

// add_ints(a, b): the result may leave the small-int range, mp_obj_new_int then makes a big int.
static mp_obj_t add_ints(mp_obj_t a_in, mp_obj_t b_in) {
    mp_int_t a = int_arg(a_in);
    mp_int_t b = int_arg(b_in);
    mp_int_t sum;
    if (__builtin_add_overflow(a, b, &sum)) {
        mp_raise_msg(&mp_type_OverflowError, MP_ERROR_TEXT("sum overflows a machine word"));
    }
    return mp_obj_new_int(sum);
}
static MP_DEFINE_CONST_FUN_OBJ_2(add_ints_obj, add_ints);

// mul_u64(a, b): 64-bit unsigned product (inputs and result wrap modulo 2**64), returned as a
// Python int of up to 2**64-1, which is a big int even on 64-bit targets.
static mp_obj_t mul_u64(mp_obj_t a_in, mp_obj_t b_in) {
    long long a = mp_obj_get_ll(a_in);
    long long b = mp_obj_get_ll(b_in);
    if (a < 0 || b < 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("arguments must be non-negative"));
    }
    return mp_obj_new_int_from_ull((unsigned long long)a * (unsigned long long)b);
}
static MP_DEFINE_CONST_FUN_OBJ_2(mul_u64_obj, mul_u64);

// factorial(n): exact, of any size, by multiplying Python int objects with the runtime's arithmetic.
static mp_obj_t factorial(mp_obj_t n_in) {
    mp_int_t n = int_arg(n_in);
    if (n < 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("factorial of a negative number"));
    }
    mp_obj_t result = MP_OBJ_NEW_SMALL_INT(1);
    for (mp_int_t i = 2; i <= n; ++i) {
        result = mp_binary_op(MP_BINARY_OP_MULTIPLY, result, mp_obj_new_int(i));
    }
    return result;
}
static MP_DEFINE_CONST_FUN_OBJ_1(factorial_obj, factorial);

// ---------------------------------------------------------------------------
// A counter in .bss: it starts at zero when the module is loaded. Zero-initialised data must have
// external linkage (no `static`): MicroPython's mpy_ld rejects fixed relocations to static .bss
// symbols, and mpyforge keeps modules linkable by both. Prefix such names with the module name.

mp_int_t mpyforge_example_calls_so_far;

static mp_obj_t count_calls(void) {
    mpyforge_example_calls_so_far += 1;
    return mp_obj_new_int(mpyforge_example_calls_so_far);
}
static MP_DEFINE_CONST_FUN_OBJ_0(count_calls_obj, count_calls);

// ---------------------------------------------------------------------------
// Floats (mp_float_t is double on x64/x86, float on Cortex-M; absent where floats are off)

#if MICROPY_PY_BUILTINS_FLOAT

// Newton's method keeps the module free of libm, so it links the same on every architecture.
static mp_float_t float_sqrt(mp_float_t x) {
    if (x <= 0) {
        return 0;
    }
    mp_float_t guess = x > 1 ? x : 1;
    for (int i = 0; i < 64; ++i) {
        mp_float_t next = (guess + x / guess) / 2;
        if (next >= guess) {
            break;
        }
        guess = next;
    }
    return guess;
}

// hypot(x, y) = sqrt(x*x + y*y)
static mp_obj_t hypot_(mp_obj_t x_in, mp_obj_t y_in) {
    mp_float_t x = mp_obj_get_float(x_in);
    mp_float_t y = mp_obj_get_float(y_in);
    return mp_obj_new_float(float_sqrt(x * x + y * y));
}
static MP_DEFINE_CONST_FUN_OBJ_2(hypot_obj, hypot_);

// ratio(a, b) = a / b, refusing b == 0 with ZeroDivisionError.
static mp_obj_t ratio(mp_obj_t a_in, mp_obj_t b_in) {
    mp_float_t b = mp_obj_get_float(b_in);
    if (b == 0) {
        mp_raise_msg(&mp_type_ZeroDivisionError, MP_ERROR_TEXT("ratio with zero denominator"));
    }
    return mp_obj_new_float(mp_obj_get_float(a_in) / b);
}
static MP_DEFINE_CONST_FUN_OBJ_2(ratio_obj, ratio);

#endif

// ---------------------------------------------------------------------------
// Buffers: array('f') and array('h') read and written in place

static void get_number_array(mp_obj_t arr, mp_buffer_info_t *info, mp_uint_t access) {
    mp_get_buffer_raise(arr, info, access);
    if (info->typecode != 'h' && info->typecode != 'f') {
        mp_raise_TypeError(MP_ERROR_TEXT("expected an array of typecode 'h' or 'f'"));
    }
    #if !MICROPY_PY_BUILTINS_FLOAT
    if (info->typecode == 'f') {
        mp_raise_TypeError(MP_ERROR_TEXT("float arrays need a float-enabled build"));
    }
    #endif
}

// array_sum(arr): the sum of an array('h') as an int, or of an array('f') as a float.
static mp_obj_t array_sum(mp_obj_t arr) {
    mp_buffer_info_t info;
    get_number_array(arr, &info, MP_BUFFER_READ);
    if (info.typecode == 'h') {
        const int16_t *items = info.buf;
        mp_int_t total = 0;
        for (size_t i = 0; i < info.len / sizeof(*items); ++i) {
            total += items[i];
        }
        return mp_obj_new_int(total);
    }
    #if MICROPY_PY_BUILTINS_FLOAT
    const float *items = info.buf;
    mp_float_t total = 0;
    for (size_t i = 0; i < info.len / sizeof(*items); ++i) {
        total += items[i];
    }
    return mp_obj_new_float(total);
    #else
    return mp_const_none;
    #endif
}
static MP_DEFINE_CONST_FUN_OBJ_1(array_sum_obj, array_sum);

// array_scale(arr, factor): multiplies every item in place. For 'h' the factor must be an int
// and results saturate to the int16 range; returns how many items were clipped.
static mp_obj_t array_scale(mp_obj_t arr, mp_obj_t factor_in) {
    mp_buffer_info_t info;
    get_number_array(arr, &info, MP_BUFFER_RW);
    mp_int_t clipped = 0;
    if (info.typecode == 'h') {
        mp_int_t factor = int_arg(factor_in);
        int16_t *items = info.buf;
        for (size_t i = 0; i < info.len / sizeof(*items); ++i) {
            long long scaled = (long long)items[i] * factor;
            if (scaled > INT16_MAX || scaled < INT16_MIN) {
                scaled = scaled > 0 ? INT16_MAX : INT16_MIN;
                clipped += 1;
            }
            items[i] = (int16_t)scaled;
        }
    }
    #if MICROPY_PY_BUILTINS_FLOAT
    else {
        float factor = mp_obj_get_float_to_f(factor_in);
        float *items = info.buf;
        for (size_t i = 0; i < info.len / sizeof(*items); ++i) {
            items[i] *= factor;
        }
    }
    #endif
    return mp_obj_new_int(clipped);
}
static MP_DEFINE_CONST_FUN_OBJ_2(array_scale_obj, array_scale);

// checksum(data): byte sum of anything with the buffer protocol (bytes, bytearray, array, ...).
static mp_obj_t checksum(mp_obj_t data) {
    mp_buffer_info_t info;
    mp_get_buffer_raise(data, &info, MP_BUFFER_READ);
    const uint8_t *bytes = info.buf;
    mp_uint_t total = 0;
    for (size_t i = 0; i < info.len; ++i) {
        total += bytes[i];
    }
    return mp_obj_new_int_from_uint(total);
}
static MP_DEFINE_CONST_FUN_OBJ_1(checksum_obj, checksum);

// ---------------------------------------------------------------------------
// Catching exceptions raised by Python code

// try_call(fn, fallback): fn() or, if it raises any exception, fallback.
static mp_obj_t try_call(mp_obj_t fn, mp_obj_t fallback) {
    nlr_buf_t handler;
    if (nlr_push(&handler) == 0) {
        mp_obj_t result = mp_call_function_0(fn);
        nlr_pop();
        return result;
    }
    // handler.ret_val holds the exception; it is simply dropped here.
    return fallback;
}
static MP_DEFINE_CONST_FUN_OBJ_2(try_call_obj, try_call);

// ---------------------------------------------------------------------------
// A class: Accumulator(start=0) with add()/reset() methods and total/count attributes

typedef struct {
    mp_obj_base_t base;
    mp_int_t total;
    mp_int_t count;
} accumulator_t;

// Filled in by mpy_init: the type name and method names are module qstrs, known only at load time.
// Both live in .bss, hence external linkage (see the counter above).
mp_obj_full_type_t mpyforge_example_accumulator_type;
mp_map_elem_t mpyforge_example_accumulator_locals[2];
static MP_DEFINE_CONST_DICT(accumulator_locals_dict, mpyforge_example_accumulator_locals);

static mp_obj_t accumulator_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 0, 1, false);
    accumulator_t *self = mp_obj_malloc(accumulator_t, type);
    self->total = n_args > 0 ? int_arg(args[0]) : 0;
    self->count = 0;
    return MP_OBJ_FROM_PTR(self);
}

static void accumulator_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    (void)kind;
    accumulator_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "Accumulator(total=%d, count=%d)", (int)self->total, (int)self->count);
}

// total is readable and writable, count is read-only; other names fall through to the methods.
static void accumulator_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    accumulator_t *self = MP_OBJ_TO_PTR(self_in);
    if (dest[0] == MP_OBJ_NULL) {
        if (attr == MP_QSTR_total) {
            dest[0] = mp_obj_new_int(self->total);
        } else if (attr == MP_QSTR_count) {
            dest[0] = mp_obj_new_int(self->count);
        } else {
            dest[1] = MP_OBJ_SENTINEL; // continue lookup in locals_dict
        }
    } else if (attr == MP_QSTR_total && dest[1] != MP_OBJ_NULL) {
        self->total = int_arg(dest[1]);
        dest[0] = MP_OBJ_NULL; // store succeeded
    }
}

// add(x): adds x, returns the new total.
static mp_obj_t accumulator_add(mp_obj_t self_in, mp_obj_t x) {
    accumulator_t *self = MP_OBJ_TO_PTR(self_in);
    self->total += int_arg(x);
    self->count += 1;
    return mp_obj_new_int(self->total);
}
static MP_DEFINE_CONST_FUN_OBJ_2(accumulator_add_obj, accumulator_add);

static mp_obj_t accumulator_reset(mp_obj_t self_in) {
    accumulator_t *self = MP_OBJ_TO_PTR(self_in);
    self->total = 0;
    self->count = 0;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(accumulator_reset_obj, accumulator_reset);

static void accumulator_type_init(void) {
    mpyforge_example_accumulator_type.base.type = &mp_type_type;
    mpyforge_example_accumulator_type.flags = MP_TYPE_FLAG_NONE;
    mpyforge_example_accumulator_type.name = MP_QSTR_Accumulator;
    MP_OBJ_TYPE_SET_SLOT(&mpyforge_example_accumulator_type, make_new, accumulator_make_new, 0);
    MP_OBJ_TYPE_SET_SLOT(&mpyforge_example_accumulator_type, print, accumulator_print, 1);
    MP_OBJ_TYPE_SET_SLOT(&mpyforge_example_accumulator_type, attr, accumulator_attr, 2);
    mpyforge_example_accumulator_locals[0] = (mp_map_elem_t) { MP_OBJ_NEW_QSTR(MP_QSTR_add), MP_OBJ_FROM_PTR(&accumulator_add_obj) };
    mpyforge_example_accumulator_locals[1] = (mp_map_elem_t) { MP_OBJ_NEW_QSTR(MP_QSTR_reset), MP_OBJ_FROM_PTR(&accumulator_reset_obj) };
    MP_OBJ_TYPE_SET_SLOT(&mpyforge_example_accumulator_type, locals_dict, &accumulator_locals_dict, 3);
}

// ---------------------------------------------------------------------------
// A module-specific exception class

mp_obj_full_type_t mpyforge_example_error_type;

// fail(message): raises ExampleError(message).
static mp_obj_t fail(mp_obj_t message) {
    mp_raise_type_arg((const mp_obj_type_t *)&mpyforge_example_error_type, message);
}
static MP_DEFINE_CONST_FUN_OBJ_1(fail_obj, fail);

// ---------------------------------------------------------------------------
// Module entry point

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY

    mp_store_global(MP_QSTR_add_ints, MP_OBJ_FROM_PTR(&add_ints_obj));
    mp_store_global(MP_QSTR_mul_u64, MP_OBJ_FROM_PTR(&mul_u64_obj));
    mp_store_global(MP_QSTR_factorial, MP_OBJ_FROM_PTR(&factorial_obj));
    mp_store_global(MP_QSTR_count_calls, MP_OBJ_FROM_PTR(&count_calls_obj));
    #if MICROPY_PY_BUILTINS_FLOAT
    mp_store_global(MP_QSTR_hypot, MP_OBJ_FROM_PTR(&hypot_obj));
    mp_store_global(MP_QSTR_ratio, MP_OBJ_FROM_PTR(&ratio_obj));
    #endif
    mp_store_global(MP_QSTR_array_sum, MP_OBJ_FROM_PTR(&array_sum_obj));
    mp_store_global(MP_QSTR_array_scale, MP_OBJ_FROM_PTR(&array_scale_obj));
    mp_store_global(MP_QSTR_checksum, MP_OBJ_FROM_PTR(&checksum_obj));
    mp_store_global(MP_QSTR_try_call, MP_OBJ_FROM_PTR(&try_call_obj));

    accumulator_type_init();
    mp_store_global(MP_QSTR_Accumulator, MP_OBJ_FROM_PTR(&mpyforge_example_accumulator_type));

    mp_obj_exception_init(&mpyforge_example_error_type, MP_QSTR_ExampleError, &mp_type_ValueError);
    mp_store_global(MP_QSTR_ExampleError, MP_OBJ_FROM_PTR(&mpyforge_example_error_type));
    mp_store_global(MP_QSTR_fail, MP_OBJ_FROM_PTR(&fail_obj));

    // Module constants.
    mp_store_global(MP_QSTR_ANSWER, MP_OBJ_NEW_SMALL_INT(42));
    mp_store_global(MP_QSTR_WORD_BITS, MP_OBJ_NEW_SMALL_INT(sizeof(mp_int_t) * 8));
    mp_store_global(MP_QSTR_GREETING, mp_obj_new_str("hello from C", 12));

    MP_DYNRUNTIME_INIT_EXIT
}
