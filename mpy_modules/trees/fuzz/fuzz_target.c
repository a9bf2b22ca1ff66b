// Fuzz target of the trees core: load any bytes as an ETRS model (the binding's storage
// rounding included); when it loads, free the file and evaluate the model on features at
// the int16 extremes and from the input. The summary features run on the input's bytes
// with shapes inside the binding's checks.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/tr_features.h"
#include "../core/tr_model.h"

volatile int32_t sink;  // keeps the results

static void evaluate(const tr_model_t *model, uint32_t seed) {
    // Exactly n features and n_classes votes on the heap, so that ASan sees any access past them.
    size_t n = model->header.n_features;
    int16_t *features = malloc(n * sizeof(int16_t));
    uint32_t *votes = malloc(model->header.n_classes * sizeof(uint32_t));
    for (int round = 0; round < 4; round++) {
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1664525u + 1013904223u;
            features[i] = round == 0 ? 0 : round == 1 ? INT16_MAX : round == 2 ? INT16_MIN : (int16_t)(seed >> 16);
        }
        sink ^= tr_predict(model, features, n);
        if (tr_votes(model, features, n, votes, model->header.n_classes) == TR_OK) {
            sink ^= (int32_t)votes[0];
        }
    }
    free(features);
    free(votes);
}

static void summary_features(const uint8_t *data, size_t size) {
    if (size < 4) {
        return;
    }
    size_t values = (size - 4) / 2, bins = 2 + data[0] % 64, bands = 1 + data[1] % TR_MAX_BANDS;
    size_t cols = 1 + data[2] % 32;
    int16_t *in = malloc(values ? values * 2 : 2), out[2 * (TR_MAX_BANDS + 32)];
    memcpy(in, data + 4, values * 2);
    if (bands + 1 <= bins && values / bins > 0) {
        tr_band_features(in, values / bins, bins, bands, out);
    }
    if (values / cols > 0 && values / cols <= 65535) {
        tr_mean_dev_s16(in, values / cols, cols, out);
    }
    free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    // A private copy, exactly `size` bytes long, so that ASan sees any read past the end.
    uint8_t *bytes = malloc(size ? size : 1);
    memcpy(bytes, data, size);
    tr_header_t header;
    if (tr_read_header(bytes, size, &header) == TR_OK) {
        size_t storage_bytes = (tr_storage_bytes(&header) + 3) / 4 * 4;
        void *storage = malloc(storage_bytes ? storage_bytes : 4);
        tr_model_t model;
        if (tr_load(&model, bytes, size, storage, storage_bytes) == TR_OK) {
            free(bytes);  // a loaded model must not need the file any more
            bytes = NULL;
            evaluate(&model, (uint32_t)size);
        }
        free(storage);
    }
    free(bytes);
    summary_features(data, size);
    return 0;
}
