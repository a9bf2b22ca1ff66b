# Shared build of a native module, included by mpy_modules/<mod>/Makefile.
#
# The module Makefile sets:
#   MOD       import name of the module (output <MOD>.mpy)
#   CORE_SRC  portable C sources (no MicroPython headers)
#   BIND_SRC  the binding file(s) (py/dynruntime.h)
#   CORE_CFLAGS (optional) include paths / defines for the core
#
# ARCH=host    build/host/lib<MOD>.so from CORE_SRC (trainer, C tests)
# ARCH=x64     build/mpy/x64/<MOD>.mpy
# ARCH=armv6m  build/mpy/armv6m/<MOD>.mpy, with the libgcc helpers it needs
#
# See mpy_modules/README.md for the rules a module must follow.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
BUILD_ROOT ?= $(TOP)/build
MPY_DIR ?= $(BUILD_ROOT)/micropython
VENV_PY ?= $(TOP)/.venv/bin/python
ARCH ?= x64
OPT ?= -O2
RT_DIR := $(TOP)/mpy_modules/runtime

ifeq ($(ARCH),host)

HOST_LIB := $(BUILD_ROOT)/host/lib$(MOD).so
HOST_CFLAGS ?= -std=c99 $(OPT) -fPIC -Wall -Wextra -Werror
.DEFAULT_GOAL := $(HOST_LIB)

$(HOST_LIB): $(CORE_SRC) $(wildcard core/*.h) Makefile
	@mkdir -p $(dir $@)
	@echo "HOSTLIB $@"
	@$(CC) $(HOST_CFLAGS) $(CORE_CFLAGS) -shared -o $@ $(CORE_SRC) -lm

else

ifeq ($(wildcard $(MPY_DIR)/py/dynruntime.mk),)
$(error MicroPython core not found in $(MPY_DIR): run 'make setup' at the top first)
endif

BUILD := $(BUILD_ROOT)/obj/$(ARCH)/$(MOD)
SRC := $(BIND_SRC) $(CORE_SRC)
include $(MPY_DIR)/py/dynruntime.mk

# dynruntime.mk assigns PYTHON; mpy_ld needs the venv's pyelftools.
PYTHON := $(VENV_PY)
CFLAGS += $(CORE_CFLAGS) $(OPT) -fno-tree-loop-distribute-patterns
# dynruntime.mk does not track headers: let the compiler list them.
CFLAGS += -MMD -MP
-include $(SRC_O:.o=.d)

OUT_MPY := $(BUILD_ROOT)/mpy/$(ARCH)/$(MOD).mpy
RT_O := $(BUILD)/runtime/natmod_rt.o
RT_USED_O := $(BUILD)/runtime/natmod_rt_used.o
RT_FUNCS := memcpy|memmove|memset|__aeabi_idiv0|__aeabi_ldiv0
.DEFAULT_GOAL := $(OUT_MPY)

# One section per function: a module links only the shims it calls (mpy_ld keeps every
# section it is given).
$(RT_O): $(RT_DIR)/natmod_rt.c $(TOP)/mpy_modules/natmod.mk | $(BUILD_DIRS)
	@mkdir -p $(dir $@)
	$(Q)$(CROSS)gcc $(filter-out -DMP_CONFIGFILE=%,$(CFLAGS)) -fno-builtin -ffunction-sections -o $@ -c $<

# Link: our objects, the runtime shims they or their libgcc members call, and (armv6m)
# those libgcc members.
$(OUT_MPY): $(SRC_O) $(RT_O)
	@mkdir -p $(dir $@) $(BUILD)/libgcc
	$(Q)$(PYTHON) $(RT_DIR)/pick_libgcc.py --arch $(ARCH) --cross "$(CROSS)" \
	  --cflags "$(filter -m%,$(CFLAGS))" --dest $(BUILD)/libgcc $^ > $(BUILD)/libgcc.list
	$(Q)used=$$($(CROSS)nm -u $(filter-out $(RT_O),$^) $$(cat $(BUILD)/libgcc.list) | awk '{print $$NF}' | grep -xE '$(RT_FUNCS)' | sort -u); \
	  rm -f $(RT_USED_O); \
	  if [ -n "$$used" ]; then \
	    $(CROSS)objcopy $$(for f in $$used; do printf -- '--only-section=.text.%s ' $$f; done) $(RT_O) $(RT_USED_O); \
	  fi
	$(ECHO) "LINK $@"
	@# Linked from inside $(BUILD) so the file name the .mpy records is `<mod>.mpy`, not
	@# this checkout's path (fewer bytes in RAM, the same size wherever it is built).
	$(Q)cd $(BUILD) && $(MPY_LD) --arch $(ARCH) --qstrs $(abspath $(CONFIG_H)) -o $(MOD).mpy \
	  $(abspath $(filter-out $(RT_O),$^)) $$(ls $(RT_USED_O) 2>/dev/null) $$(cat libgcc.list)
	$(Q)cp $(BUILD)/$(MOD).mpy $@

endif
