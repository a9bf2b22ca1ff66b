// Exhaustive: fe_sqrt_q30_to_q15(x) == arm_sqrt_q31(x) >> 16 for every x in 0..2^30,
// and fe_isqrt_u29 is the exact root for every v in 0..2^29 (make check-sqrt, ~30 s).
#include <stdio.h>

#include "dsp/fast_math_functions.h"
#include "fe_mag.h"

int main(void) {
    unsigned long long bad = 0;
    for (uint32_t x = 0; x <= (1u << 30); x++) {
        q31_t root;
        arm_sqrt_q31((q31_t)x, &root);
        if (fe_sqrt_q30_to_q15(x) != (int16_t)(root >> 16) && bad++ < 10) {
            printf("x=%u ours=%d cmsis=%d\n", x, fe_sqrt_q30_to_q15(x), (int)(root >> 16));
        }
    }
    for (uint32_t v = 0; v <= (1u << 29); v++) {
        uint64_t e = fe_isqrt_u29(v);
        if ((e * e > v || (e + 1) * (e + 1) <= v) && bad++ < 20) {
            printf("isqrt(%u) = %llu\n", v, (unsigned long long)e);
        }
    }
    printf("%s: %llu mismatches\n", bad ? "sqrt check FAILED" : "sqrt check ok", bad);
    return bad ? 1 : 0;
}
