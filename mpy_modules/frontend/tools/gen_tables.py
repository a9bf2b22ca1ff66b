"""Generates the constant tables of the frontend module for the configured sizes only.

CMSIS-DSP's shared tables cover every FFT size (realCoefA/BQ15 alone are 32 KB), and
mpy_ld keeps every section, so this carves out of build/cmsisdsp exactly the entries
the configured real FFT sizes read: the complex-FFT twiddles and bit-reversal table of
N/2 points, and the real-FFT split coefficients at stride 8192/N, of which only
A[0..N/4] is kept (the rest follows from exact symmetries checked here). It also
computes the Hann windows and the square-root helper tables.

Regenerate (the module Makefile does this):
    .venv/bin/python mpy_modules/frontend/tools/gen_tables.py \
        --cmsis build/cmsisdsp --fft 256 512 --window 256 400 512 --out build/frontend_gen/fft256-512_win256-400-512
"""
import argparse
import math
import re
from pathlib import Path

import numpy as np

from earshot.features.window import hann_q15

# Square roots below this bound use a bitmap of CMSIS's exceptions (see core/fe_mag.c).
SQRT_BITMAP_K = 1024
ISQRT_TABLE_FIRST, ISQRT_TABLE_LAST, ISQRT_TABLE_SHIFT = 16, 64, 23
CORDIC_STEPS = 31  # cosines for the MFCC's DCT (core/fe_mel.c)


def cordic_gain():
    gain = 1.0
    for i in range(CORDIC_STEPS):
        gain /= math.sqrt(1 + 2.0 ** (-2 * i))
    return gain


def read_array(source, name):
    match = re.search(re.escape(name) + r"\s*\[[^\]]*\][^=]*=\s*\{(.*?)\};", source, re.S)
    if match is None:
        raise SystemExit(f"error: {name} not found in arm_common_tables.c")
    body = re.sub(r"/\*.*?\*/", "", match.group(1), flags=re.S)
    body = re.sub(r"\(\s*q\d+_t\s*\)|\\", "", body)
    values = [int(v, 0) for v in re.split(r"[,\s]+", body) if v]
    return values


def as_q15(values):
    return [v - 0x10000 if v >= 0x8000 else v for v in values]


def c_array(ctype, name, values, per_line=12):
    lines = [f"const {ctype} {name}[{len(values)}] = {{"]
    for i in range(0, len(values), per_line):
        lines.append("    " + ", ".join(str(v) for v in values[i : i + per_line]) + ",")
    lines.append("};")
    return "\n".join(lines)


def carve(full, stride, half):
    """(re, im) coefficient pairs k = 0..half-1 that arm_split_rfft_q15 reads at this stride."""
    return [(full[2 * k * stride], full[2 * k * stride + 1]) for k in range(half)]


def twiddles_read(n):
    """Largest twiddle index the complex FFT of n reads (CMSIS's tables hold 3n/4)."""
    if n & 0x55555555:  # a power of 4: radix-4 stages, the first one reads 3j for j < n/4
        return 3 * (n // 4 - 1)
    # radix-4-by-2: the radix-2 stage reads j < n/2, then radix-4 of n/2 at stride 2
    return max(n // 2 - 1, 2 * 3 * (n // 8 - 1))


def check_real_coefficient_symmetry(a, b, half):
    """The identities core/fe_rfft.c relies on to use half of table A and no table B.

    A[half-k] = conj(A[k]) and B[k] = (32768 - Ar[k], -Ai[k]), exact, except at
    k = half/2 where CMSIS saturated Br to 32767; returns that Br.
    """
    for k in range(1, half):
        if a[half - k] != (a[k][0], -a[k][1]):
            raise SystemExit(f"error: realCoefAQ15 is not symmetric at k={k}")
        if b[k][1] != -a[k][1] or (k != half // 2 and b[k][0] != 32768 - a[k][0]):
            raise SystemExit(f"error: realCoefBQ15 is not 1 - A at k={k}")
    return b[half // 2][0]


def cmsis_sqrt_exception_bitmap():
    """Bit k set when CMSIS's arm_sqrt_q31(2k^2) >> 16 is k - 1 instead of k."""
    import cmsisdsp as dsp

    bits = bytearray(SQRT_BITMAP_K // 8)
    for k in range(1, SQRT_BITMAP_K):
        status, root = dsp.arm_sqrt_q31(2 * k * k)
        if (root >> 16) != k:
            assert (root >> 16) == k - 1 and status == 0
            bits[k // 8] |= 1 << (k % 8)
    return list(bits)


def generate(cmsis_dir, ffts, windows):
    tables = (Path(cmsis_dir) / "Source" / "CommonTables" / "arm_common_tables.c").read_text()
    header = Path(cmsis_dir) / "Include" / "arm_common_tables.h"
    header_text = header.read_text()
    coef_a = as_q15(read_array(tables, "realCoefAQ15"))
    coef_b = as_q15(read_array(tables, "realCoefBQ15"))
    defs, cases = [], []
    for n in ffts:
        half = n // 2
        stride = 8192 // n
        twiddle = as_q15(read_array(tables, f"twiddleCoef_{half}_q15"))
        bitrev = read_array(tables, f"armBitRevIndexTable_fixed_{half}")
        length = int(re.search(rf"ARMBITREVINDEXTABLE_FIXED_{half}_TABLE_LENGTH \(\(uint16_t\)(\d+)\)", header_text).group(1))
        assert len(bitrev) == length
        a = carve(coef_a, stride, half)
        b = carve(coef_b, stride, half)
        mid_br = check_real_coefficient_symmetry(a, b, half)
        # Only the entries core/fe_cfft.c reads; word-aligned: it reads a complex entry as one word.
        used = 2 * (twiddles_read(half) + 1)
        defs.append(c_array("q15_t", f"fe_twiddle_{half}_q15", twiddle[:used]).replace(
            "] = {", "] __attribute__((aligned(4))) = {", 1))
        # CMSIS's entries are 8 * (complex index): stored as that index, one byte each.
        if any(v % 8 or v >> 3 > 255 for v in bitrev):
            raise SystemExit(f"bit reversal table of {half}: an entry is not 8 * (0..255)")
        defs.append(c_array("uint8_t", f"fe_bitrev_{half}", [v >> 3 for v in bitrev], per_line=16))
        defs.append(c_array("q15_t", f"fe_rfft_a_{n}_q15", [v for k in range(half // 2 + 1) for v in a[k]]))
        cases.append(
            f"    case {n}:\n"
            f"        t->twiddle = fe_twiddle_{half}_q15;\n"
            f"        t->bitrev = fe_bitrev_{half};\n"
            f"        t->bitrev_length = {length};\n"
            f"        t->coef_a = fe_rfft_a_{n}_q15;\n"
            f"        t->mid_br = {mid_br};\n"
            f"        return 1;"
        )
    window_cases = []
    for n in windows:
        defs.append(c_array("q15_t", f"fe_hann_{n}_half", [int(v) for v in hann_q15(n)[: n // 2 + 1]]))
        window_cases.append(f"    case {n}:\n        return fe_hann_{n}_half;")
    lut = read_array(tables, "sqrt_initial_lut_q31")
    defs.append(c_array("q31_t", "sqrt_initial_lut_q31", lut, per_line=6))
    # floor(2 * sqrt(i << 23)): with this half-unit table, interpolation lands on the
    # root or up to 3 below it (checked for every input by core test tools/check_sqrt.c).
    isqrt = [math.isqrt(4 * (i << ISQRT_TABLE_SHIFT)) for i in range(ISQRT_TABLE_FIRST, ISQRT_TABLE_LAST + 1)]
    defs.append(c_array("uint16_t", "fe_isqrt_table", isqrt))
    defs.append(c_array("uint8_t", "fe_sqrt_exceptions", cmsis_sqrt_exception_bitmap(), per_line=16))
    atan = [round(math.atan(2.0**-i) * 2**30) for i in range(CORDIC_STEPS)]
    # only the MFCC part reads it (FE_WITH_MFCC from the module's Makefile)
    defs.append("#if FE_WITH_MFCC\n" + c_array("int32_t", "fe_cordic_atan_q30", atan, per_line=6) + "\n#endif")

    h = [
        "// Generated by mpy_modules/frontend/tools/gen_tables.py: do not edit.",
        "#ifndef FE_TABLES_H",
        "#define FE_TABLES_H",
        "#include <stdint.h>",
        '#include "arm_math_types.h"',
        "",
        f"#define FE_FFT_SIZE_LIST {', '.join(map(str, ffts))}",
        f"#define FE_WINDOW_SIZE_LIST {', '.join(map(str, windows))}",
        f"#define FE_SQRT_BITMAP_K {SQRT_BITMAP_K}",
        f"#define FE_ISQRT_TABLE_FIRST {ISQRT_TABLE_FIRST}",
        f"#define FE_ISQRT_TABLE_SHIFT {ISQRT_TABLE_SHIFT}",
        f"#define FE_CORDIC_STEPS {CORDIC_STEPS}",
        f"#define FE_CORDIC_GAIN_Q30 {round(cordic_gain() * 2**30)}",
        f"#define FE_HALF_PI_Q30 {round(math.pi / 2 * 2**30)}",
        f"#define FE_SQRT2_Q30 {round(math.sqrt(2) * 2**30)}",
        "",
        "typedef struct {",
        "    const q15_t *twiddle;     // cfft of fft/2 points, CMSIS layout",
        "    const uint8_t *bitrev;    // armBitRevIndexTable_fixed / 8: complex indices to swap",
        "    uint16_t bitrev_length;",
        "    const q15_t *coef_a;      // realCoefAQ15 at stride 8192/fft, k = 0..fft/4",
        "    int16_t mid_br;           // realCoefBQ15 real part at k = fft/4",
        "} fe_rfft_tables_t;",
        "",
        "// 1 and fills *t when fft is a configured size, else 0.",
        "int fe_rfft_tables(uint32_t fft, fe_rfft_tables_t *t);",
        "// First n/2+1 entries of the periodic Hann window of n (symmetric), or NULL.",
        "const q15_t *fe_hann_half(uint32_t n);",
        "extern const uint16_t fe_isqrt_table[];",
        "extern const uint8_t fe_sqrt_exceptions[];",
        "extern const int32_t fe_cordic_atan_q30[];",
        "#endif",
        "",
    ]
    c = ["// Generated by mpy_modules/frontend/tools/gen_tables.py: do not edit.", '#include "fe_tables.h"', ""]
    c += [d + "\n" for d in defs]
    c += ["int fe_rfft_tables(uint32_t fft, fe_rfft_tables_t *t) {", "    switch (fft) {"] + cases
    c += ["    default:", "        return 0;", "    }", "}", ""]
    c += ["const q15_t *fe_hann_half(uint32_t n) {", "    switch (n) {"] + window_cases
    c += ["    default:", "        return 0;", "    }", "}", ""]
    return "\n".join(h), "\n".join(c)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cmsis", required=True)
    parser.add_argument("--fft", type=int, nargs="+", required=True)
    parser.add_argument("--window", type=int, nargs="+", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    for n in args.fft:
        if n not in (32, 64, 128, 256, 512, 1024, 2048, 4096, 8192):
            raise SystemExit(f"error: fft size {n} is not one rfft_q15 supports")
    for n in args.window:
        if n % 2 or n > max(args.fft):
            raise SystemExit(f"error: window {n} must be even and at most the largest fft")
    header, source = generate(args.cmsis, sorted(set(args.fft)), sorted(set(args.window)))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "fe_tables.h").write_text(header)
    (out / "fe_tables.c").write_text(source)


if __name__ == "__main__":
    main()
