#include "fe_rfft.h"

#include "fe_cfft.h"
#include "fe_mag.h"
#include "fe_tables.h"

FE_COLD fe_status_t fe_rfft_init(fe_rfft_t *r, uint32_t fft) {
    fe_rfft_tables_t t;
    if (!fe_rfft_tables(fft, &t)) {
        return FE_ERR_FFT_SIZE;
    }
    r->fft = (uint16_t)fft;
    r->twiddle = t.twiddle;
    r->bitrev = t.bitrev;
    r->bitrev_length = t.bitrev_length;
    r->coef_a = t.coef_a;
    r->mid_br = t.mid_br;
    return FE_OK;
}

void fe_bitreverse(int16_t *z, const uint8_t *pairs, uint32_t length) {
    for (const uint8_t *end = pairs + length; pairs < end; pairs += 2) {
        int16_t *a = z + 2 * pairs[0], *b = z + 2 * pairs[1];
        int16_t re = a[0], im = a[1];
        a[0] = b[0];
        a[1] = b[1];
        b[0] = re;
        b[1] = im;
    }
}

void fe_rfft_mag_q15(const fe_rfft_t *r, int16_t *in, int16_t *out) {
    uint32_t half = r->fft / 2u;
    fe_cfft_q15(in, half, r->twiddle);  // arm_cfft_q15(S, in, 0, 1)
    fe_bitreverse(in, r->bitrev, r->bitrev_length);

    // arm_split_rfft_q15 (no-DSP build), with z = in as complex q15:
    //   X[k] = (zr[k] Ar - zi[k] Ai + zr[j] Br + zi[j] Bi,
    //           zr[j] Bi - zi[j] Br + zi[k] Ar + zr[k] Ai) >> 16,  j = half - k,
    // each sum wrapping in 32 bits. CMSIS's tables satisfy, exactly, Br = 32768 - Ar,
    // Bi = -Ai and A[j] = conj(A[k]) (except Br = 32767 at k = half/2), so with
    // d = zr[k] - zr[j] and s = zi[k] + zi[j] bins k and j share four products.
    const int16_t *a = r->coef_a;
    int16_t first = (int16_t)((in[0] + in[1]) >> 1), last = (int16_t)((in[0] - in[1]) >> 1);
    uint32_t k = 1, j = half - 1;
    for (; k < j; k++, j--) {
        int32_t kr = in[2 * k], ki = in[2 * k + 1], jr = in[2 * j], ji = in[2 * j + 1];
        int32_t ar = a[2 * k], ai = a[2 * k + 1];
        int32_t d = kr - jr, s = ki + ji;
        uint32_t p = (uint32_t)(d * ar), q = (uint32_t)(s * ai), rs = (uint32_t)(d * ai) + (uint32_t)(s * ar);
        in[2 * k] = (int16_t)((int32_t)(p - q + ((uint32_t)jr << 15)) >> 16);
        in[2 * k + 1] = (int16_t)((int32_t)(rs - ((uint32_t)ji << 15)) >> 16);
        in[2 * j] = (int16_t)((int32_t)(q - p + ((uint32_t)kr << 15)) >> 16);
        in[2 * j + 1] = (int16_t)((int32_t)(rs - ((uint32_t)ki << 15)) >> 16);
    }
    // k = half/2 pairs with itself; its Br is the table's own (saturated) value.
    int32_t mr = in[2 * k], mi = in[2 * k + 1], ar = a[2 * k], ai = a[2 * k + 1], br = r->mid_br;
    uint32_t mre = (uint32_t)(mr * ar) - (uint32_t)(mi * ai) + (uint32_t)(mr * br) - (uint32_t)(mi * ai);
    uint32_t mim = (uint32_t)(mr * -ai) - (uint32_t)(mi * br) + (uint32_t)(mi * ar) + (uint32_t)(mr * ai);
    in[2 * k] = (int16_t)((int32_t)mre >> 16);
    in[2 * k + 1] = (int16_t)((int32_t)mim >> 16);
    in[0] = first;
    in[1] = 0;
    fe_cmplx_mag_q15(in, out, half);
    int16_t nyquist[2] = { last, 0 };
    fe_cmplx_mag_q15(nyquist, &out[half], 1);
}
