# Shared build of an op module interp_<OPMOD>.mpy, included by mpy_modules/interp_<g>/Makefile
# (which sets OPMOD). Its kernels are compiled from mpy_modules/interp/core, the same
# sources as the core and the host library; their calls to the core's helpers go through
# ti_link.c (contract: core/ti_abi.h).
include $(dir $(lastword $(MAKEFILE_LIST)))groups.mk

ifeq ($(filter $(OPMOD),$(OPMODS)),)
$(error unknown op module '$(OPMOD)': the groups are $(OPMODS) (mpy_modules/interp/opmod/groups.mk))
endif

ifeq ($(ARCH),host)
# build/host/libinterp.so holds every kernel: nothing to build here.
.PHONY: host
host: ; @:
else
MOD = interp_$(OPMOD)
VPATH = $(INTERP_DIR)
CORE_SRC = $(OPMOD_SRC_$(OPMOD)) opmod/ti_link.c
BIND_SRC = opmod/mod_interp_op.c
CORE_CFLAGS = -ffp-contract=off -DTI_OPMOD_GROUP=TI_GROUP_$(OPMOD) $(OPMOD_API_CFLAGS)
ifeq ($(ARCH),armv6m)
OPT ?= -Os
CORE_SRC += opmod/ti_link_thumb.S
endif
include $(INTERP_DIR)/../natmod.mk
include $(INTERP_DIR)/opmod/api_flags.mk
ifeq ($(ARCH),armv6m)
# Stubs only for the helpers the kernels call: their undefined symbols.
KERNEL_O := $(addprefix $(BUILD)/,$(OPMOD_SRC_$(OPMOD):.c=.o))
$(BUILD)/ti_link_used.h: $(KERNEL_O)
	$(Q)$(CROSS)nm -u $^ | awk 'NF == 2 {print "#define TI_USE_" $$2 " 1"}' | sort -u > $@
$(BUILD)/opmod/ti_link_thumb.o: $(BUILD)/ti_link_used.h
CFLAGS += -I$(BUILD)
endif
endif
