// mpyforge SDK: non-local return (exception catching) buffers, used with nlr_push/nlr_pop from the fun table.
#ifndef MPYFORGE_SDK_NLR_H
#define MPYFORGE_SDK_NLR_H

#include "mpyforge/base.h"

// Registers the runtime's nlr_push saves, per architecture. The buffer is the runtime's, so its
// size must cover the largest layout the matching firmware may use: on Thumb we assume the FP
// variant (6 extra registers) and we always reserve a trailing word for builds with a Python stack.
#if defined(__x86_64__)
#define MPYFORGE_NLR_REGS (10) // 8 on System V, 10 on Windows
#elif defined(__i386__)
#define MPYFORGE_NLR_REGS (6)
#elif defined(__thumb__) || defined(__thumb2__) || defined(__arm__)
#define MPYFORGE_NLR_REGS (16)
#elif defined(__aarch64__)
#define MPYFORGE_NLR_REGS (13)
#elif defined(__xtensa__)
#define MPYFORGE_NLR_REGS (17) // 10 for lx106 (call0 ABI); a jmp_buf of 17 words on windowed ESP32 cores
#elif defined(__riscv)
#define MPYFORGE_NLR_REGS (14)
#else
#error "mpyforge SDK: unknown architecture for nlr_buf_t"
#endif

// Whether the target's runtime implements NLR with setjmp/longjmp. MicroPython's ESP32 port
// does on its Xtensa chips (MICROPY_NLR_SETJMP in ports/esp32/mpconfigport.h), and the
// xtensawin native emitter assumes it; every other port that loads native code has a native
// nlr_push (py/nlr.h picks one per CPU). With setjmp, `regs` holds the jmp_buf: newlib's is
// 17 words on windowed Xtensa, the same size MicroPython reserves (MICROPY_NLR_NUM_REGS_XTENSAWIN).
#if defined(__xtensa__) && defined(__XTENSA_WINDOWED_ABI__)
#define MPYFORGE_NLR_SETJMP (1)
#else
#define MPYFORGE_NLR_SETJMP (0)
#endif

typedef struct _nlr_buf_t nlr_buf_t;
struct _nlr_buf_t {
    nlr_buf_t *prev; // enclosing handler
    void *ret_val; // the exception object once a raise lands here
    void *regs[MPYFORGE_NLR_REGS];
    void *pystack; // only used by runtimes built with a Python stack
};

#endif // MPYFORGE_SDK_NLR_H
