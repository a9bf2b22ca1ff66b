// Unrolling a ring buffer: out[i] = ring[(start + i) % ring_len] for i < n, in bytes.
// Whole 32-bit words are copied when the addresses allow (natmods' memcpy is a byte
// loop). Requires start < ring_len and n <= ring_len.
#ifndef FE_RING_H
#define FE_RING_H

#include <stddef.h>
#include <stdint.h>

void fe_copy_u8(uint8_t *dst, const uint8_t *src, size_t n);
void fe_ring_copy_u8(const uint8_t *ring, size_t ring_len, size_t start, uint8_t *out, size_t n);

#endif
