MOD = ../../x
SRC = m.c
include $(MPY_DIR)/py/dynruntime.mk
