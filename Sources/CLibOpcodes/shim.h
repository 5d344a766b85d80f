// libopcodes (binutils-dev headers, binutils-multiarch-dev library) for
// `mpyforge inspect --disasm`. libopcodes prints through C variadic callbacks, which Swift
// cannot implement, so the few functions here collect that text into a buffer and set up a
// disassemble_info for one block of machine code.
#ifndef MPYFORGE_CLIBOPCODES_SHIM_H
#define MPYFORGE_CLIBOPCODES_SHIM_H

// dis-asm.h insists on config.h-style macros being defined first.
#define PACKAGE "mpyforge"
#define PACKAGE_VERSION "1"
#include <dis-asm.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
static inline void mpyforge_disassembly_init(struct disassemble_info *info, mpyforge_text_sink *sink,
                                             enum bfd_architecture arch, unsigned long mach, int big_endian,
                                             const unsigned char *code, size_t length, const char *options) {
    memset(info, 0, sizeof(*info));
    init_disassemble_info(info, sink, mpyforge_sink_printf, mpyforge_sink_styled_printf);
    info->arch = arch;
    info->mach = mach;
    info->endian = big_endian ? BFD_ENDIAN_BIG : BFD_ENDIAN_LITTLE;
    info->endian_code = info->endian;
    info->read_memory_func = buffer_read_memory;
    info->print_address_func = mpyforge_print_address;
    info->buffer = (bfd_byte *)code;
    info->buffer_length = length;
    info->buffer_vma = 0;
    info->disassembler_options = options;
    disassemble_init_for_target(info);
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
