// libopcodes (binutils-dev headers, binutils-multiarch library) for
// `mpyforge inspect --disasm`. libopcodes prints through C variadic callbacks, which Swift
// cannot implement, so the few functions here collect that text into a buffer and set up a
// disassemble_info for one block of machine code. The library is not linked: its five
// functions are looked up with dlopen/dlsym the first time something is disassembled.
#ifndef MPYFORGE_CLIBOPCODES_SHIM_H
#define MPYFORGE_CLIBOPCODES_SHIM_H

// dis-asm.h insists on config.h-style macros being defined first.
#define PACKAGE "mpyforge"
#define PACKAGE_VERSION "1"
#include <dis-asm.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/// The libopcodes functions mpyforge calls, resolved from the shared library at run time.
typedef struct mpyforge_libopcodes {
    disassembler_ftype (*disassembler)(enum bfd_architecture, bool, unsigned long, bfd *);
    void (*init_disassemble_info)(struct disassemble_info *, void *, fprintf_ftype, fprintf_styled_ftype);
    void (*disassemble_init_for_target)(struct disassemble_info *);
    void (*disassemble_free_target)(struct disassemble_info *);
    int (*buffer_read_memory)(bfd_vma, bfd_byte *, unsigned int, struct disassemble_info *);
} mpyforge_libopcodes;

/// Opens `library` (which stays loaded) and resolves every function into `functions`.
/// Returns NULL on success, else why not (dlerror's text, naming the library or symbol).
static inline const char *mpyforge_libopcodes_open(const char *library, mpyforge_libopcodes *functions) {
    void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!handle) return dlerror();
#define MPYFORGE_RESOLVE(name) \
    *(void **)(&functions->name) = dlsym(handle, #name); \
    if (!functions->name) { const char *why = dlerror(); return why ? why : "no symbol " #name; }
    MPYFORGE_RESOLVE(disassembler)
    MPYFORGE_RESOLVE(init_disassemble_info)
    MPYFORGE_RESOLVE(disassemble_init_for_target)
    MPYFORGE_RESOLVE(disassemble_free_target)
    MPYFORGE_RESOLVE(buffer_read_memory)
#undef MPYFORGE_RESOLVE
    return NULL;
}

/// The text of one disassembled instruction, appended to by libopcodes' print callbacks.
/// Also keeps the addresses the instruction refers to (branch targets, literal loads,
/// pc-relative operands), as libopcodes reports them through print_address_func.
typedef struct mpyforge_text_sink {
    char text[256];
    size_t length;
    unsigned long long addresses[8];
    int address_count;
} mpyforge_text_sink;

static inline void mpyforge_sink_append(mpyforge_text_sink *sink, const char *format, va_list args) {
    size_t room = sizeof(sink->text) - sink->length;
    if (room <= 1) return;
    int written = vsnprintf(sink->text + sink->length, room, format, args);
    if (written < 0) return;
    sink->length += (size_t)written < room ? (size_t)written : room - 1;
}

static inline int mpyforge_sink_printf(void *stream, const char *format, ...) {
    va_list args;
    va_start(args, format);
    mpyforge_sink_append((mpyforge_text_sink *)stream, format, args);
    va_end(args);
    return 0;
}

static inline int mpyforge_sink_styled_printf(void *stream, enum disassembler_style style, const char *format, ...) {
    (void)style;
    va_list args;
    va_start(args, format);
    mpyforge_sink_append((mpyforge_text_sink *)stream, format, args);
    va_end(args);
    return 0;
}

/// Addresses print as plain hex and are recorded so callers can match them against relocations.
static inline void mpyforge_print_address(bfd_vma address, struct disassemble_info *info) {
    mpyforge_text_sink *sink = (mpyforge_text_sink *)info->stream;
    if (sink->address_count < 8) sink->addresses[sink->address_count++] = (unsigned long long)address;
    info->fprintf_func(info->stream, "0x%llx", (unsigned long long)address);
}

/// Prepares `info` to disassemble `length` bytes at `code`, loaded at address 0.
static inline void mpyforge_disassembly_init(const mpyforge_libopcodes *functions,
                                             struct disassemble_info *info, mpyforge_text_sink *sink,
                                             enum bfd_architecture arch, unsigned long mach, int big_endian,
                                             const unsigned char *code, size_t length, const char *options) {
    memset(info, 0, sizeof(*info));
    functions->init_disassemble_info(info, sink, mpyforge_sink_printf, mpyforge_sink_styled_printf);
    info->arch = arch;
    info->mach = mach;
    info->endian = big_endian ? BFD_ENDIAN_BIG : BFD_ENDIAN_LITTLE;
    info->endian_code = info->endian;
    info->read_memory_func = functions->buffer_read_memory;
    info->print_address_func = mpyforge_print_address;
    info->buffer = (bfd_byte *)code;
    info->buffer_length = length;
    info->buffer_vma = 0;
    info->disassembler_options = options;
    functions->disassemble_init_for_target(info);
}

/// Empties the sink before the next instruction.
static inline void mpyforge_sink_reset(mpyforge_text_sink *sink) {
    sink->length = 0;
    sink->text[0] = 0;
    sink->address_count = 0;
}

/// The collected text; Swift sees the fixed-size array as a tuple, so it reads through here.
static inline const char *mpyforge_sink_text(const mpyforge_text_sink *sink) {
    return sink->text;
}

static inline unsigned long long mpyforge_sink_address(const mpyforge_text_sink *sink, int index) {
    return sink->addresses[index];
}

#endif
