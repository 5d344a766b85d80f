# A natmod Makefile that uses what GNU make can do; mpyforge must evaluate it as make does.
# Never built by upstream's make here: MPY_DIR names no checkout, and mpyforge supplies
# its own py/dynruntime.mk.
MPY_DIR = ../no-micropython-here

# MicroPython's examples add the arch to MOD; mpyforge drops that suffix.
MOD = makefeatures_$(ARCH)

# $(shell ...), ${VAR} and functions.
PARTS_DIR := $(shell echo parts)
SRC = main.c
SRC += $(addprefix ${PARTS_DIR}/,$(notdir $(wildcard $(PARTS_DIR)/*.c)))

# Conditionals on ARCH.
ifeq ($(ARCH),x64)
CFLAGS += -DARCH_NAME=\"x64\"
else ifeq ($(ARCH),$(filter $(ARCH),armv6m armv7m))
CFLAGS += -DARCH_NAME=\"small-arm\"
else
CFLAGS += -DARCH_NAME=\"other\"
endif

# A variable the command line may set: mpyforge build DIR FLAVOUR=sweet
FLAVOUR ?= plain
CFLAGS += -DFLAVOUR=\"$(FLAVOUR)\"

include common.mk
include $(MPY_DIR)/py/dynruntime.mk

# After the include, as emlearn-micropython's Makefiles do.
CFLAGS += -DAFTER_INCLUDE=$(words $(SRC))
