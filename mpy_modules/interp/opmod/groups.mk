# The op modules and their kernel sources (paths relative to mpy_modules/interp).
# Must agree with TI_OPS / TI_GROUPS in core/ti_kernels.h (checked by the link: a kernel
# a group's table names but its sources lack is an undefined symbol).
# The board's core interp.mpy gets every core/*.c that no group claims.
INTERP_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
opmod_src = $(patsubst $(INTERP_DIR)/%,%,$(wildcard $(addprefix $(INTERP_DIR)/core/,$(1))))

OPMODS := conv dw pool mean resize act binary layout lstm
# What conv and dw share stays in the core: both reach it through TI_CORE_API_CONV
# (core/ti_abi.h), so a model with both loads one copy.
OPMOD_SHARED := $(call opmod_src,kernel_conv_common*.c kernel_requant*.c)
OPMOD_SRC_conv := $(filter-out $(OPMOD_SHARED),$(call opmod_src,kernel_conv*.c))
OPMOD_SRC_dw := $(call opmod_src,kernel_dw*.c)
OPMOD_SRC_pool := $(call opmod_src,kernel_pool*.c)
OPMOD_SRC_mean := $(call opmod_src,kernel_mean*.c)
OPMOD_SRC_resize := $(call opmod_src,kernel_resize*.c)
OPMOD_SRC_act := $(call opmod_src,kernel_activation*.c)
OPMOD_SRC_binary := $(call opmod_src,kernel_binary*.c)
OPMOD_SRC_layout := $(call opmod_src,kernel_layout*.c)
OPMOD_SRC_lstm := $(call opmod_src,kernel_lstm*.c)
OPMOD_SRC := $(foreach g,$(OPMODS),$(OPMOD_SRC_$(g)))
