// tr_features: integer summary features of a window of Q15 spectrogram columns,
// the input of the tree models (the same C on the host and on the board).
//
// Bands: bins 1..n_bins-1 (DC dropped) split into n_bands contiguous groups; band b
// covers bins [1 + b*(n_bins-1)/n_bands, 1 + (b+1)*(n_bins-1)/n_bands).
// Per column, level_b = tr_log2_q8(1 + sum of the band's magnitudes)  (log2, Q8).
// Features (int16, 2*n_bands): out[b] = floor(mean of level_b over the columns),
// out[n_bands + b] = floor(sqrt(floor(variance of level_b))), population variance
// computed exactly as (n*sum(l^2) - sum(l)^2) / n^2.
#ifndef TR_FEATURES_H
#define TR_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#define TR_MAX_BANDS 63   // 2*n_bands features must fit emlearn's int8 feature index

// floor(256 * log2(x)) approximated piecewise-linearly between powers of two: for
// 2^k <= x < 2^(k+1), 256*k + floor(256 * (x - 2^k) / 2^k). 0 for x <= 1. Exact at powers of two.
uint32_t tr_log2_q8(uint32_t x);

// columns: n_columns x n_bins int16 magnitudes (row-major, oldest first, values >= 0
// expected; negatives count as 0). out: 2*n_bands int16. Returns 0, or -1 when
// n_columns == 0, n_bins < n_bands + 1 or n_bands not in 1..TR_MAX_BANDS.
int tr_band_features(const int16_t *columns, size_t n_columns, size_t n_bins, size_t n_bands,
                     int16_t *out);

// Mean and deviation of each column of an n_rows x n_cols int16 matrix (row-major),
// e.g. MFCC frames x coefficients: out[c] = floor(sum / n_rows) (floor, also for
// negative sums), out[n_cols + c] = floor(sqrt(floor((n*sum(v^2) - sum(v)^2) / n^2))).
// out: 2*n_cols int16. Returns 0, or -1 when n_rows == 0, n_rows > 65535 or n_cols == 0.
int tr_mean_dev_s16(const int16_t *values, size_t n_rows, size_t n_cols, int16_t *out);

#endif
