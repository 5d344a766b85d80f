# Reads a natmod Makefile only to learn its own MPY_DIR (where it expects a MicroPython
# checkout), before mpyforge evaluates it for real against its own py/dynruntime.mk.
# A missing $(MPY_DIR)/py/dynruntime.mk is made by the empty rule below, so reading goes on.
include $(MPYFORGE_MAKEFILE)

%/py/dynruntime.mk: ; @:
/py/dynruntime.mk py/dynruntime.mk: ; @:

.PHONY: mpyforge-mpy-dir
mpyforge-mpy-dir:
	$(file >$(MPYFORGE_DESCRIBE),MPY_DIR=$(strip $(if $(MPY_DIR),$(abspath $(MPY_DIR)))))
