# Included by the Makefile: settings shared by several modules of a project.
CFLAGS += -DFROM_COMMON_MK=7
