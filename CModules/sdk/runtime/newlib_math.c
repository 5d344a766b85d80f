// Lets newlib's libm (arm-none-eabi) link into a native module. Its maths wrappers (expf,
// logf, ...) read the library's error-handling mode from a writable variable and may set
// errno; a native module can have neither initialised writable data nor thread state.
// mpyforge links this object only when a module's maths calls need these two symbols.

// The mode the wrappers check first: -1 is newlib's IEEE mode, in which they return the
// result as computed and never touch errno. Constant, so it lives in rodata.
const int __fdlib_version = -1;

// The wrappers still reference errno's accessor. A plain global (not static) is reached
// through the GOT and so may live in .bss, which the loader allocates.
int mpyforge_errno_word;

int *__errno(void) {
    return &mpyforge_errno_word;
}
