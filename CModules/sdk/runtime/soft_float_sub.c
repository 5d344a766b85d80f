// Float subtraction for cores without an FPU whose libgcc builds it from the generic soft-fp C:
// RISC-V (__subsf3, a member of its own, rv32imac: 884 bytes, next to __addsf3's 818) and
// Cortex-M0 (__aeabi_fsub in subsf3.o, about 800 bytes, next to __aeabi_fadd in addsf3.o), so a
// module that both adds and subtracts floats carries two full adders. IEEE 754 defines a - b as
// a + (-b), bit for bit (rounding, signed zeros, infinities, NaN), so this stand-in flips b's
// sign and adds: such a module then links the adder only. mpyforge offers it to the linker
// before libgcc. (Cortex-M3's libgcc has one hand-written member for both; it needs nothing.)
#if defined(__ARM_EABI__)
#define MPYFORGE_FLOAT_SUB __aeabi_fsub
#else
#define MPYFORGE_FLOAT_SUB __subsf3
#endif

float MPYFORGE_FLOAT_SUB(float a, float b);

float MPYFORGE_FLOAT_SUB(float a, float b) {
    union {
        float f;
        unsigned int u;   // 32 bits on rv32 and rv64; no libc header needed
    } negated = { .f = b };
    negated.u ^= 0x80000000u;
    // Hides the negation from the compiler, which would fold a + (-b) back into a - b: a call
    // of this very function.
    __asm__("" : "+r"(negated.u));
    return a + negated.f;
}
