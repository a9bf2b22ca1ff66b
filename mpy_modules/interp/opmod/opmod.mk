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
# One translation unit: the binding includes the group's kernel sources (opmod_sources.h),
# so its registration is constant data that mpy_ld relocates (it cannot relocate a data
# pointer to another object's symbol). A static name must be unique among the group's files.
CORE_SRC = opmod/ti_link.c
BIND_SRC = opmod/opmod_entry.c opmod/mod_interp_op.c
CORE_CFLAGS = -ffp-contract=off -DTI_OPMOD_GROUP=TI_GROUP_$(OPMOD) -DTI_OPMOD_IS_$(OPMOD)=1 $(OPMOD_API_CFLAGS)
ifeq ($(ARCH),armv6m)
OPT ?= -Os
CORE_SRC += opmod/ti_link_thumb.S
endif
include $(INTERP_DIR)/../natmod.mk
include $(INTERP_DIR)/opmod/api_flags.mk
UNIT_O := $(BUILD)/opmod/mod_interp_op.o
$(BUILD)/opmod_sources.h: $(addprefix $(INTERP_DIR)/,$(OPMOD_SRC_$(OPMOD))) $(INTERP_DIR)/opmod/groups.mk
	@mkdir -p $(dir $@)
	$(Q)printf '#include "%s"\n' $(addprefix $(INTERP_DIR)/,$(OPMOD_SRC_$(OPMOD))) > $@
$(UNIT_O): $(BUILD)/opmod_sources.h $(addprefix $(INTERP_DIR)/,$(OPMOD_SRC_$(OPMOD)))
CFLAGS += -I$(BUILD)
ifeq ($(ARCH),armv6m)
# Stubs only for the helpers the kernels call: the unit's undefined symbols.
$(BUILD)/ti_link_used.h: $(UNIT_O)
	$(Q)$(CROSS)nm -u $^ | awk 'NF == 2 {print "#define TI_USE_" $$2 " 1"}' | sort -u > $@
$(BUILD)/opmod/ti_link_thumb.o: $(BUILD)/ti_link_used.h
endif
endif
