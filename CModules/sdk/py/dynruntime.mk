# mpyforge's stand-in for MicroPython's py/dynruntime.mk.
#
# mpyforge runs GNU make on a natmod Makefile with MPY_DIR pointing here, so the Makefile is
# evaluated by make itself (include, $(shell), conditionals on ARCH, command-line variables)
# but nothing is compiled: the target `mpyforge-describe` writes what the module asks for to
# the file named by MPYFORGE_DESCRIBE, one KEY=value line each, and mpyforge builds it.
# Variable names and per-arch defaults follow MicroPython's natmod build (1.22-1.29).

ARCH ?= x64
BUILD ?= build-$(ARCH)
CONFIG_H = $(BUILD)/$(MOD).config.h
PYTHON ?= python3

# Per-arch facts a Makefile may read after this include: the cross prefix and the float
# type the port uses. mpyforge passes CC (the compiler it found) on the command line.
ifeq ($(ARCH),x86)
CROSS ?= i686-linux-gnu-
MICROPY_FLOAT_IMPL ?= double
else ifeq ($(ARCH),x64)
CROSS ?= x86_64-linux-gnu-
MICROPY_FLOAT_IMPL ?= double
else ifeq ($(ARCH),$(filter $(ARCH),armv6m armv7m armv7emsp))
CROSS ?= arm-none-eabi-
MICROPY_FLOAT_IMPL ?= float
else ifeq ($(ARCH),armv7emdp)
CROSS ?= arm-none-eabi-
MICROPY_FLOAT_IMPL ?= double
else ifeq ($(ARCH),xtensa)
CROSS ?= xtensa-lx106-elf-
MICROPY_FLOAT_IMPL ?= none
else ifeq ($(ARCH),xtensawin)
CROSS ?= xtensa-esp32-elf-
MICROPY_FLOAT_IMPL ?= float
else ifeq ($(ARCH),$(filter $(ARCH),rv32imc rv64imc))
CROSS ?= riscv64-unknown-elf-
MICROPY_FLOAT_IMPL ?= none
else
$(error mpyforge: architecture '$(ARCH)' is not one MicroPython natmods support)
endif
ifneq ($(origin CC),command line)
CC = $(CROSS)gcc
endif

.PHONY: all clean mpyforge-describe
all: mpyforge-describe

# One line per setting; values are written as make expanded them (words in CFLAGS keep
# the shell quoting the Makefile gave them, as upstream passes them through sh).
mpyforge-describe:
	$(file >$(MPYFORGE_DESCRIBE),MOD=$(strip $(MOD)))
	$(file >>$(MPYFORGE_DESCRIBE),SRC=$(strip $(SRC)))
	$(file >>$(MPYFORGE_DESCRIBE),CFLAGS=$(strip $(CFLAGS)))
	$(file >>$(MPYFORGE_DESCRIBE),CFLAGS_EXTRA=$(strip $(CFLAGS_EXTRA)))
	$(file >>$(MPYFORGE_DESCRIBE),LINK_RUNTIME=$(strip $(LINK_RUNTIME)))
	$(file >>$(MPYFORGE_DESCRIBE),MICROPY_FLOAT_IMPL=$(strip $(MICROPY_FLOAT_IMPL)))
	$(file >>$(MPYFORGE_DESCRIBE),MPY_ABI_VERSION=$(strip $(MPY_ABI_VERSION)))
	$(file >>$(MPYFORGE_DESCRIBE),MPY_EXTERN_SYM_FILE=$(strip $(if $(MPY_EXTERN_SYM_FILE),$(abspath $(MPY_EXTERN_SYM_FILE)))))
	$(file >>$(MPYFORGE_DESCRIBE),END=1)
