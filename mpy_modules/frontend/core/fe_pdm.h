// PDM to PCM: a 1-bit PDM stream (e.g. 1.024 MHz from a PIO program) to int16 PCM at
// 1/decimation of the bit rate (16 kHz for decimation 64).
//
// Filter: 4th-order CIC (integrators at the bit rate, combs at the output rate,
// 32-bit wrapping arithmetic, exact), then a 3-tap droop compensator
// y[n] = (6 c[n] - c[n-1] - c[n+1]) / 4 at the output rate (one sample of delay),
// scaled so full-scale PDM (all ones) gives 32767 and saturated to int16.
// Bits are consumed most significant first from each 32-bit word, as a PIO program
// shifting left with autopush delivers them; a set bit is +1, a clear bit -1.
// The integrators advance a byte (8 bits) at a time: with the byte's bits x1..x8,
//   i1 += S1, i2 += 8 i1 + S2, i3 += 8 i2 + 36 i1 + S3, i4 += 8 i3 + 36 i2 + 120 i1 + S4
// (old values on the right), S_k(byte) = sum_j C(k + 7 - j, k - 1) x_j from tables
// made at init; exactly the bit-by-bit result, modulo 2^32.
#ifndef FE_PDM_H
#define FE_PDM_H

#include <stddef.h>
#include <stdint.h>

#include "fe_status.h"

typedef struct {
    uint16_t sums[256][4];  // S1..S4 of each byte value
    uint32_t integrator[4];
    uint32_t comb_delay[4];
    int32_t previous[2];    // compensator inputs c[n-1], c[n-2] in q16
    uint16_t decimation;    // 16, 32, 64 or 128 bits per output sample
    uint8_t log2_decimation;
} fe_pdm_t;

fe_status_t fe_pdm_init(fe_pdm_t *p, uint32_t decimation);

// sizeof(fe_pdm_t), for hosts that allocate it from another language (FE_HOST_API).
size_t fe_pdm_size(void);
void fe_pdm_reset(fe_pdm_t *p);

// n_out samples from n_out * decimation / 32 words (the caller checks the lengths).
void fe_pdm_process(fe_pdm_t *p, const uint32_t *words, int16_t *out, size_t n_out);

#endif
