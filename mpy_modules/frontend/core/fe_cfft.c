#include "fe_cfft.h"

#include "fe_tables.h"

#define FE_INLINE __attribute__((always_inline)) static inline

// __SSAT(x, 16) of CMSIS's no-DSP build; sums of two q15 rarely leave the range.
FE_INLINE int32_t sat_q15(int32_t x) {
    if (__builtin_expect((int16_t)x != x, 0)) {
        x = (x >> 31) ^ 0x7FFF;
    }
    return x;
}

// A complex q15 read as one word (little endian: re in the low half): one load
// instead of two, and no register holding a halfword offset (Cortex-M0+).
FE_INLINE int32_t re_of(uint32_t z) {
    return (int16_t)z;
}
FE_INLINE int32_t im_of(uint32_t z) {
    return (int32_t)z >> 16;
}

// x * conj(w) >> 16 per part, CMSIS's out1/out2: |w| <= 1 keeps each sum in 32 bits.
FE_INLINE void rotate(int16_t *z, int32_t xr, int32_t xi, uint32_t w) {
    int32_t wr = re_of(w), wi = im_of(w);
    z[0] = (int16_t)((wr * xr + wi * xi) >> 16);
    z[1] = (int16_t)((wr * xi - wi * xr) >> 16);
}

// The sums and differences every stage of arm_radix4_butterfly_q15 starts with
// (legs x0..x3), each saturated to q15 and then halved, as CMSIS uses them:
// r = x0 + x2, s = x0 - x2, t = x1 + x3, u = x1 - x3.
typedef struct {
    int32_t r0, r1, s0, s1, t0, t1, u0, u1;
} legs_t;

FE_INLINE legs_t legs(uint32_t x0, uint32_t x1, uint32_t x2, uint32_t x3) {
    legs_t l;
    l.r0 = sat_q15(re_of(x0) + re_of(x2)) >> 1;
    l.r1 = sat_q15(im_of(x0) + im_of(x2)) >> 1;
    l.s0 = sat_q15(re_of(x0) - re_of(x2)) >> 1;
    l.s1 = sat_q15(im_of(x0) - im_of(x2)) >> 1;
    l.t0 = sat_q15(re_of(x1) + re_of(x3)) >> 1;
    l.t1 = sat_q15(im_of(x1) + im_of(x3)) >> 1;
    l.u0 = sat_q15(re_of(x1) - re_of(x3)) >> 1;
    l.u1 = sat_q15(im_of(x1) - im_of(x3)) >> 1;
    return l;
}

// A twiddled stage: q butterflies a group, legs q apart, twiddle index j * step.
// CMSIS's middle stages write (r/2 + t/2) / 2 to x0 and rotate r/2 - t/2, s/2 + j u/2
// and s/2 - j u/2 (each / meaning >> 1). Its first stage reads every leg >> 2,
// which never saturates, and rotates whole differences: fed 2 * (x >> 2) instead
// (first_input), the code above gives exactly those differences, and its x0 output
// R/2 + T/2 (R, T the first stage's sums) equals (R + T) / 2 - (R & T & 1): odd = 1.
static void radix4_stage(uint32_t *z, uint32_t n, uint32_t q, const uint32_t *twiddle,
    uint32_t step, int32_t odd) {
    for (uint32_t j = 0; j < q; j++) {
        uint32_t w1 = twiddle[j * step], w2 = twiddle[2 * j * step], w3 = twiddle[3 * j * step];
        for (uint32_t *p = z + j, *end = z + n; p < end; p += 4 * q) {
            legs_t l = legs(p[0], p[q], p[2 * q], p[3 * q]);
            int16_t *out = (int16_t *)p;
            out[0] = (int16_t)(((l.r0 + l.t0) >> 1) - (l.r0 & l.t0 & odd));
            out[1] = (int16_t)(((l.r1 + l.t1) >> 1) - (l.r1 & l.t1 & odd));
            rotate(out + 2 * q, l.r0 - l.t0, l.r1 - l.t1, w2);
            rotate(out + 4 * q, l.s0 + l.u1, l.s1 - l.u0, w1);
            rotate(out + 6 * q, l.s0 - l.u1, l.s1 + l.u0, w3);
        }
    }
}

// out << up, wrapping in 16 bits as CMSIS's q15_t <<= 1.
#define FE_UP(x) ((int16_t)((uint32_t)(x) << up))

// The last stage of arm_radix4_butterfly_q15 (legs 1 apart, no twiddles), each
// output << up (arm_cfft_radix4by2_q15's final doubling).
static void radix4_last(uint32_t *z, uint32_t n, uint32_t up) {
    for (uint32_t *p = z, *end = z + n; p < end; p += 4) {
        legs_t l = legs(p[0], p[1], p[2], p[3]);
        int16_t *out = (int16_t *)p;
        out[0] = FE_UP(l.r0 + l.t0);
        out[1] = FE_UP(l.r1 + l.t1);
        out[2] = FE_UP(l.r0 - l.t0);
        out[3] = FE_UP(l.r1 - l.t1);
        out[4] = FE_UP(l.s0 + l.u1);
        out[5] = FE_UP(l.s1 - l.u0);
        out[6] = FE_UP(l.s0 - l.u1);
        out[7] = FE_UP(l.s1 + l.u0);
    }
}

// 2 * (x >> 2): what the first radix-4 stage reads (see radix4_stage).
FE_INLINE int16_t first_input(int32_t x) {
    return (int16_t)((x >> 2) * 2);
}

// arm_radix4_butterfly_q15(z, n, twiddle, step) on inputs already made first_input.
static void radix4(uint32_t *z, uint32_t n, const uint32_t *twiddle, uint32_t step) {
    int32_t odd = 1;
    for (uint32_t q = n / 4; q > 1; q /= 4, step *= 4, odd = 0) {
        radix4_stage(z, n, q, twiddle, step, odd);
    }
}

void fe_cfft_q15(int16_t *z16, uint32_t n, const int16_t *twiddle16) {
    uint32_t *z = (uint32_t *)z16;
    const uint32_t *twiddle = (const uint32_t *)twiddle16;
    if ((n & 0x55555555u) != 0) {  // a power of 4
        for (uint32_t i = 0; i < 2 * n; i++) {
            z16[i] = first_input(z16[i]);
        }
        radix4(z, n, twiddle, 1);
        radix4_last(z, n, 0);
        return;
    }
    // arm_cfft_radix4by2_q15: one radix-2 stage, each product truncated on its own.
    uint32_t half = n / 2;
    int16_t *lo = z16, *hi = z16 + 2 * half;
    for (uint32_t i = 0; i < half; i++, lo += 2, hi += 2) {
        int32_t cs = twiddle16[2 * i], sn = twiddle16[2 * i + 1];
        int32_t xt = (lo[0] >> 1) - (hi[0] >> 1), yt = (lo[1] >> 1) - (hi[1] >> 1);
        lo[0] = first_input(((lo[0] >> 1) + (hi[0] >> 1)) >> 1);
        lo[1] = first_input(((lo[1] >> 1) + (hi[1] >> 1)) >> 1);
        hi[0] = first_input((int16_t)((xt * cs) >> 16) + (int16_t)((yt * sn) >> 16));
        hi[1] = first_input((int16_t)((yt * cs) >> 16) - (int16_t)((xt * sn) >> 16));
    }
    radix4(z, half, twiddle, 2);
    radix4(z + half, half, twiddle, 2);
    radix4_last(z, n, 1);
}

#if FE_HOST_API
int fe_cfft_forward_q15(int16_t *z, uint32_t n) {
    fe_rfft_tables_t t;
    if (!fe_rfft_tables(2 * n, &t)) {
        return 0;
    }
    fe_cfft_q15(z, n, t.twiddle);
    return 1;
}
#endif
