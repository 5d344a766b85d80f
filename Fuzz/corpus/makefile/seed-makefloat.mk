# How MicroPython builds a float module for an arch without a float type of its own
# (rv32imc): single-precision floats, and the compiler's runtime libraries linked.
MPY_DIR = ../../..
MOD = makefloat
SRC = makefloat.c
MICROPY_FLOAT_IMPL = float
LINK_RUNTIME = 1
include $(MPY_DIR)/py/dynruntime.mk
