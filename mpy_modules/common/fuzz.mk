# The rules of a core's fuzzer (mpy_modules/<module>/fuzz/Makefile sets FUZZ, CORE and,
# if it needs them, FUZZ_CFLAGS, then includes this): AddressSanitizer + UBSan, coverage
# from gcc's trace-pc, the driver common/fuzz_driver.c.
#   make -C mpy_modules/<module>/fuzz             builds build/fuzz/$(FUZZ)
#   make -C mpy_modules/<module>/fuzz run SECONDS=60   fuzzes, adding new inputs to corpus/
#   (a sanitizer report stops it and leaves the input behind it in fuzz-crash.bin there)
TOP := $(abspath ../../..)
OUT := $(TOP)/build/fuzz/$(FUZZ)
DRIVER := ../../common/fuzz_driver.c
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
SECONDS ?= 60

$(OUT): $(CORE) $(wildcard ../core/*.h) fuzz_target.c $(DRIVER) Makefile ../../common/fuzz.mk
	@mkdir -p $(dir $@)
	$(CC) -std=c99 -O1 -g -Wall -Werror $(SAN) -fsanitize-coverage=trace-pc $(FUZZ_CFLAGS) -c $(CORE) fuzz_target.c
	$(CC) -std=c11 -O1 -g -Wall -Werror $(SAN) -D_DEFAULT_SOURCE -DFUZZ_NAME='"$(FUZZ)"' -o $@ $(DRIVER) *.o
	@rm -f *.o

run: $(OUT)
	$(OUT) corpus $(SECONDS) --save

.PHONY: run
