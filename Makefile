# earshot: every entry point. README.md names the two that matter: demo and test.
#
# Set-up is idempotent: each step leaves a stamp file and is redone only when its
# inputs change. Everything comes from PyPI, Debian or npm.

PYTHON ?= python3
VENV ?= .venv
BUILD ?= build
JOBS ?= 2
PYTEST_ARGS ?=

PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MPY_DIR := $(BUILD)/micropython
MPY_SDIST := mpy-cross-v6.3==1.1.1
CMSIS_SDIST := cmsisdsp==1.10.3
CMSIS_DIR := $(BUILD)/cmsisdsp
RP2040_DIR := firmware/rp2040

MODULES := $(patsubst mpy_modules/%/Makefile,%,$(wildcard mpy_modules/*/Makefile))
FIRMWARES := $(patsubst firmware/%/Makefile,%,$(wildcard firmware/*/Makefile))
NATMOD_ARCHS ?= x64 armv6m

export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: all setup venv micropython cmsis toolchain node modules firmware test bench demo dist clean help

all: setup modules firmware

help:
	@echo "make demo    set up, train the fire-alarm recipe on synthetic data, run it on the emulated board"
	@echo "make test    set up, build everything, run the test suite"
	@echo "make bench   print sizes, cycles and ratios against the budgets"
	@echo "make dist    build a wheel that carries the prebuilt .mpy modules and device/"
	@echo "make clean   remove build outputs (keeps .venv)"

setup: venv micropython cmsis toolchain node

# --- Python environment ------------------------------------------------------
venv: $(VENV)/.stamp
$(VENV)/.stamp: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	$(PIP) install -q --no-deps -e .
	touch $@

# --- MicroPython 1.23 core, from the mpy-cross sdist ---------------------------
micropython: $(MPY_DIR)/.stamp
$(MPY_DIR)/.stamp: | $(VENV)/.stamp
	rm -rf $(BUILD)/dl/mpy && mkdir -p $(BUILD)/dl/mpy
	$(PIP) download -q --no-deps --no-binary :all: --no-build-isolation -d $(BUILD)/dl/mpy "$(MPY_SDIST)"
	rm -rf $(MPY_DIR) $(BUILD)/dl/mpy/src && mkdir -p $(BUILD)/dl/mpy/src
	tar -xzf $(BUILD)/dl/mpy/*.tar.gz -C $(BUILD)/dl/mpy/src
	mv $(BUILD)/dl/mpy/src/*/micropython $(MPY_DIR)
	grep -q '^#define MPY_VERSION 6$$' $(MPY_DIR)/py/persistentcode.h || \
	  { echo "error: $(MPY_SDIST) does not hold MPY_VERSION 6"; exit 1; }
	grep -q '^#define MPY_SUB_VERSION 3$$' $(MPY_DIR)/py/persistentcode.h || \
	  { echo "error: $(MPY_SDIST) does not hold MPY_SUB_VERSION 3"; exit 1; }
	touch $@

# --- CMSIS-DSP C sources, from the cmsisdsp sdist ------------------------------
cmsis: $(CMSIS_DIR)/.stamp
$(CMSIS_DIR)/.stamp: | $(VENV)/.stamp
	rm -rf $(BUILD)/dl/cmsis && mkdir -p $(BUILD)/dl/cmsis/src
	$(PIP) download -q --no-deps --no-binary :all: --no-build-isolation -d $(BUILD)/dl/cmsis "$(CMSIS_SDIST)"
	tar -xzf $(BUILD)/dl/cmsis/*.tar.gz -C $(BUILD)/dl/cmsis/src
	rm -rf $(CMSIS_DIR) && mv $(BUILD)/dl/cmsis/src/* $(CMSIS_DIR)
	touch $@

# --- Cortex-M0+ toolchain from Debian ------------------------------------------
toolchain:
	@command -v arm-none-eabi-gcc >/dev/null && test -f /usr/lib/arm-none-eabi/newlib/libc.a || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gcc-arm-none-eabi libnewlib-arm-none-eabi; \
	  else \
	    echo "error: the ARM toolchain is missing; run: sudo apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi"; exit 1; \
	  fi; }

# --- rp2040js from npm, pinned by the lock file --------------------------------
node: $(RP2040_DIR)/node_modules/.stamp
$(RP2040_DIR)/node_modules/.stamp: $(RP2040_DIR)/package.json $(RP2040_DIR)/package-lock.json
	cd $(RP2040_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# --- native modules: host library, x64 .mpy, armv6m .mpy ----------------------
modules: setup
	@for m in $(MODULES); do \
	  $(MAKE) --no-print-directory -C mpy_modules/$$m ARCH=host || exit 1; \
	  for a in $(NATMOD_ARCHS); do \
	    $(MAKE) --no-print-directory -C mpy_modules/$$m ARCH=$$a || exit 1; \
	  done; \
	done

# --- MicroPython ports ---------------------------------------------------------
firmware: setup
	@for f in $(FIRMWARES); do $(MAKE) --no-print-directory -C firmware/$$f -j$(JOBS) || exit 1; done

# --- the two front-door commands and the rest ----------------------------------
test: all
	$(PY) -m pytest $(PYTEST_ARGS)

bench: all
	$(PY) -m earshot.bench

demo: all
	$(PY) -m earshot demo

dist: all
	$(PY) tools/stage_dist.py --build $(BUILD)
	$(PY) -m pip wheel --no-deps --no-build-isolation -w dist .
	$(PY) tools/stage_dist.py --clean

clean:
	rm -rf $(BUILD)/obj $(BUILD)/mpy $(BUILD)/host $(BUILD)/firmware dist
	@for f in $(FIRMWARES); do $(MAKE) --no-print-directory -C firmware/$$f clean; done
