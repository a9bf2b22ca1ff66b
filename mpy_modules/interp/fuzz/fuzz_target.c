// Fuzz target: load any bytes as a model; when it loads, run it once.
// libFuzzer-compatible entry point (clang -fsanitize=fuzzer), also driven by fuzz_driver.c.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/ti_interp.h"

#define MAX_META (1u << 20)
#define MAX_ARENA (256u << 10)

volatile uint32_t checksum;  // keeps the reads of the settings

// Two-core plans run their halves here one after the other, the second first.
static void reversed_halves(void *ctx, ti_half_fn fn, void *a, void *b) {
    (void)ctx;
    fn(b);
    fn(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    // A private copy, exactly `size` bytes long, so that ASan sees any read past the end.
    uint8_t *model = malloc(size ? size : 1);
    memcpy(model, data, size);
    char msg[TI_MSG_LEN];
    size_t meta_bytes;
    if (ti_meta_size(model, size, &meta_bytes, msg) == TI_OK && meta_bytes <= MAX_META) {
        void *meta = malloc(meta_bytes ? meta_bytes : 8);  // glibc aligns to 16
        ti_interp_t *it = malloc(sizeof(ti_interp_t));
        // The load flags from the size's low bits: mutations try every plan.
        uint32_t flags = (uint32_t)size & (TI_KEEP_INPUT | TI_TWO_CORES);
        if (ti_load_flags(it, model, size, meta, meta_bytes, flags) == TI_OK && it->arena_size <= MAX_ARENA) {
            it->split = reversed_halves;
            // The embedded settings, as the board reads them: every byte of a found entry.
            uint32_t len = 0;
            const uint8_t *settings = ti_metadata(it, "earshot", &len);
            for (uint32_t i = 0, sum = 0; settings && i < len; i++) {
                sum += settings[i];
                checksum ^= sum;
            }
            size_t arena_len = it->arena_size;
            uint8_t *arena = malloc(arena_len ? arena_len : 8);
            if (ti_set_arena(it, arena, arena_len) == TI_OK) {
                for (uint32_t i = 0; i < ti_count(it, 0); i++) {
                    const ti_tensor_t *t = ti_input(it, i);
                    memset(t->data, 0x5a, t->bytes);
                }
                ti_invoke(it);
            }
            free(arena);
        }
        free(it);
        free(meta);
    }
    free(model);
    return 0;
}
