// pcm: block statistics and gain for int16 audio (energy gate, levels).
//
// Portable C99, no MicroPython types. All functions work on caller-owned
// buffers of n samples and never allocate.
#ifndef PCM_H
#define PCM_H

#include <stddef.h>
#include <stdint.h>

// Largest |x[i]| as 0..32768 (-32768 gives 32768); 0 when n == 0.
uint32_t pcm_peak_s16(const int16_t *x, size_t n);

// Sum of x[i]^2 over the block, exact (at most n * 2^30).
uint64_t pcm_energy_s16(const int16_t *x, size_t n);

// Mean of x[i]^2, rounded down: 0..2^30; 0 when n == 0.
uint32_t pcm_mean_square_s16(const int16_t *x, size_t n);

// Integer square root of the mean square: 0..32768, rounded down.
uint32_t pcm_rms_s16(const int16_t *x, size_t n);

// In place: x[i] = sat16((x[i] * gain_q16) >> 16), arithmetic shift
// (rounds toward minus infinity). gain_q16 is Q15.16: 65536 is unity.
// Returns how many samples saturated.
size_t pcm_scale_s16(int16_t *x, size_t n, int32_t gain_q16);

#endif
