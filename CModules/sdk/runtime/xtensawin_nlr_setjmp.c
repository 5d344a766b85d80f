// The setjmp half of nlr_push on windowed Xtensa (ESP32), where MicroPython's NLR is
// setjmp/longjmp (see MPYFORGE_NLR_SETJMP in mpyforge/nlr.h).
//
// setjmp must record the frame of the function that uses nlr_push, so it cannot be called from
// a C wrapper (the wrapper's frame is gone when longjmp comes back). This stub has no frame of
// its own: it runs before any ENTRY, still in the caller's register window, and jumps (JX, not
// a call) to the firmware's setjmp found in the fun table. That setjmp's ENTRY then rotates the
// window exactly as if the caller had called it directly, and its RETW returns to the caller.
// a8 holds the caller's return address and a10 the jmp_buf argument; a9 is free because ENTRY
// overwrites it with the new stack pointer anyway. Linked only into modules that catch
// exceptions (mpyforge offers the SDK's runtime objects to the linker like a library).

#if defined(__xtensa__) && defined(__XTENSA_WINDOWED_ABI__)

// Compiled on its own, without the SDK's headers: 196 is the byte offset of entry 49 (setjmp)
// of the fun table, which mpyforge/funtable.h checks with a static assertion.

__asm__(
    "    .section .text.mpyforge_nlr_setjmp, \"ax\", @progbits\n"
    "    .literal_position\n"
    "    .literal .Lmpyforge_fun_table, mp_fun_table\n"
    "    .align 4\n"
    "    .global mpyforge_nlr_setjmp\n"
    "    .type mpyforge_nlr_setjmp, @function\n"
    "mpyforge_nlr_setjmp:\n"
    "    l32r a9, .Lmpyforge_fun_table\n"
    "    l32i a9, a9, 196\n"
    "    jx a9\n"
    "    .size mpyforge_nlr_setjmp, . - mpyforge_nlr_setjmp\n");

#endif
