MPY_DIR = ../../..
MOD_BASE = re
MOD = $(MOD_BASE)_$(ARCH)
SRC = re.c
ARCH ?= x64
ifeq ($(ARCH),armv6m)
LINK_RUNTIME = 1
endif
ifeq ($(ARCH),xtensa)
MPY_EXTERN_SYM_FILE=$(MPY_DIR)/ports/esp8266/boards/rom.ld
endif
MPY_LD_FLAGS = "--source-name=$(MOD_BASE).mpy"
include $(MPY_DIR)/py/dynruntime.mk
CFLAGS += -std=gnu99 -DNAME=\"x.h\"
