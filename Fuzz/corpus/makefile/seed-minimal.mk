MPY_DIR = ../../..
MOD = features0
SRC = features0.c
ARCH = x64
include $(MPY_DIR)/py/dynruntime.mk
