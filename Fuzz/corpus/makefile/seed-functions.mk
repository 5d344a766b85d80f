DEPS := $(shell echo deps)
CONFIG := int8
MOD = cnn
SRC = m.c ${DEPS}/a.c
SRC += $(addprefix $(realpath .)/,$(filter %.c,m.c x.h))
LINK_RUNTIME=1
MICROPY_FLOAT_IMPL = float
include $(MPY_DIR)/py/dynruntime.mk
CFLAGS += -I./$(CONFIG) -Wno-unused-function $(if $(CFLAGS_EXTRA),-DX)
