// libopcodes (binutils-dev) for disassembling native code in `mpyforge inspect --disasm`.
// dis-asm.h insists on config.h-style macros being defined first.
#define PACKAGE "mpyforge"
#define PACKAGE_VERSION "1"
#include <dis-asm.h>
