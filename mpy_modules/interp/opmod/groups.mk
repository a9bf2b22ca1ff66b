# The op modules and their kernel sources (paths relative to mpy_modules/interp).
# Must agree with TI_OPS / TI_GROUPS in core/ti_kernels.h (checked by the link: a kernel
# a group's table names but its sources lack is an undefined symbol).
# The board's core interp.mpy gets every core/*.c that no group claims (kernel_fc.c:
# FULLY_CONNECTED, the dense head of every zoo model, is the core's).
INTERP_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
opmod_src = $(patsubst $(INTERP_DIR)/%,%,$(wildcard $(addprefix $(INTERP_DIR)/core/,$(1))))

OPMODS := conv convx dw dwx pool mean resize act sigmoid binary layout lstm
# What conv and dw share stays in the core: both reach it through TI_CORE_API_CONV
# (core/ti_abi.h), so a model with both loads one copy. Except the requantization of
# accumulators, called once per output row or pixel: a module calls its own copy,
# directly (a call through the helper table costs ~20 cycles, 1% of a convolution).
# Until it has a file of its own (kernel_conv_requant*.c), it is in the core's table.
OPMOD_SHARED := $(call opmod_src,kernel_conv_common*.c)
OPMOD_REQUANT := $(call opmod_src,kernel_conv_requant*.c)
OPMOD_GENERIC := $(call opmod_src,kernel_conv_generic*.c)
OPMOD_SRC_conv := $(filter-out $(OPMOD_SHARED) $(OPMOD_GENERIC),$(call opmod_src,kernel_conv*.c))
OPMOD_SRC_convx := $(OPMOD_GENERIC) $(OPMOD_REQUANT)
OPMOD_SRC_dw := $(call opmod_src,kernel_dw.c kernel_dw_pairs*.c)
OPMOD_SRC_dwx := $(call opmod_src,kernel_dw_generic*.c) $(OPMOD_REQUANT)
OPMOD_SRC_pool := $(call opmod_src,kernel_pool*.c)
OPMOD_SRC_mean := $(call opmod_src,kernel_mean*.c)
OPMOD_SRC_resize := $(call opmod_src,kernel_resize*.c)
OPMOD_SRC_act := $(call opmod_src,kernel_activation*.c)
OPMOD_SRC_sigmoid := $(call opmod_src,kernel_sigmoid*.c)
OPMOD_SRC_binary := $(call opmod_src,kernel_binary*.c)
OPMOD_SRC_layout := $(call opmod_src,kernel_layout*.c)
OPMOD_SRC_lstm := $(call opmod_src,kernel_lstm*.c)
OPMOD_SRC := $(sort $(foreach g,$(OPMODS),$(OPMOD_SRC_$(g))))
# For the core and every op module alike: the helper table's entries (core/ti_abi.h).
OPMOD_API_CFLAGS := $(if $(OPMOD_REQUANT),-DTI_REQUANT_IN_MODULES=1)
