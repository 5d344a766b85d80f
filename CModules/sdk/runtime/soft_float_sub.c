// Float subtraction for RISC-V without an FPU. libgcc's soft-float __subsf3 is a member of its
// own (rv32imac: 884 bytes) next to __addsf3 (818 bytes), so a module that both adds and
// subtracts floats carries two full adders. IEEE 754 defines a - b as a + (-b), bit for bit
// (rounding, signed zeros, infinities, NaN), so this stand-in flips b's sign and adds: such a
// module then links the adder only. mpyforge offers it to the linker before libgcc.
float __subsf3(float a, float b);

float __subsf3(float a, float b) {
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
