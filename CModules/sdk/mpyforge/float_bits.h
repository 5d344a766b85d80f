// A float's bit pattern and back, for tests and arithmetic done on the bits: on MCUs without
// an FPU every kind of float comparison and conversion is its own libgcc routine, so kernels
// that test signs, NaN or infinity from the bits keep those routines out of the module.
#ifndef MPYFORGE_FLOAT_BITS_H
#define MPYFORGE_FLOAT_BITS_H

#include <stdint.h>

#define MPYFORGE_FLOAT_SIGN_BIT 0x80000000u
#define MPYFORGE_FLOAT_INF_BITS 0x7f800000u
#define MPYFORGE_FLOAT_ONE_BITS 0x3f800000u

static inline uint32_t mpyforge_float_bits(float x) {
    union {
        float f;
        uint32_t u;
    } v = { .f = x };
    return v.u;
}

static inline float mpyforge_bits_float(uint32_t bits) {
    union {
        uint32_t u;
        float f;
    } v = { .u = bits };
    return v.f;
}

#endif
