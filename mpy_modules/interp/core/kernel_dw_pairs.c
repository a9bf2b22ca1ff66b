// DEPTHWISE_CONV_2D, 3x3 window, stride 1, depth multiplier 1, channels a multiple of 4,
// under a ReLU (act_min is the output offset): two vertically adjacent outputs per multiply.
//
// Lanes: P = a + 2^16 b (a, b the inputs of rows r and r + 1, signed) times a weight w gives
// a w + 2^16 b w, the products of outputs oy and oy + 1 for the same tap. With |w| <= 127 and
// |x| <= 128 a sum of two such products keeps each lane within a signed 16-bit half, so taps go
// in groups of two: for a group sum s, S += s and H += (s >> 16) + bit 15 of s (the borrow of a
// negative low lane) keep H exact; the low output is L = S - H 2^16 (mod 2^32), S and H
// starting from fold (1 + 2^16) and fold.
//
// Per block of 4 channels the planes P[cc][rr][j] (column cc = ox + kx in 0..OW + 1, row
// rr = oy + ky in 0..OH + 1, j the channel) are built from the input, the padding as the input
// zero point; the records hold the folds, the weights column by column and the
// requantization below. The assembly goes down each column two pairs at a time (rows
// oy..oy + 3), their taps a few words apart, sharing the weight loads. Cortex-M0+, DS-CNN-S's
// 25 x 5 x 64: about 507,000 cycles (the planes 76,000, the records 10,000), 750,000 on
// dw_pixel's path.
//
// Requantization of 0 < acc < 2^16 with m = mh 2^16 + ml, shift -e (1 <= e <= 16):
// TFLM's floor((floor((acc m + 2^30) / 2^31) + 2^(e-1)) / 2^e) = floor((acc m + 2^30 +
// 2^(30+e)) / 2^(31+e)) = floor((acc mh + floor(acc ml / 2^16) + 2^14 + 2^(14+e)) / 2^(15+e)),
// every term below 2^32 unsigned. acc <= 0 gives the offset (monotonic, 0 -> 0); larger
// accumulators take TFLM's arithmetic as written (ti_dw_pairs_big).
#include <string.h>

#include "kernel_conv.h"
#include "kernel_dw_pairs.h"

typedef struct {
    int32_t fold_s, fold, w[9], e15, k, ml, mh;
} dw_rec_t;

#define DW_PAIRS_MAX_PLANE WIDE_BUDGET
#define DW_PAIRS_MAX_ZP 4096u

static uint32_t round4(uint32_t n) {
    return (n + 3u) & ~3u;
}

// Plane rows 0..OH + 1: the last for a pair that ends below the output (odd OH).
static uint32_t dw_pairs_plane_bytes(const ti_tensor_t *out) {
    return (uint32_t)(out->dims[1] + 2) * (uint32_t)(out->dims[2] + 2) * 16u;
}

// Bytes between plane columns.
static int32_t dw_pairs_column(const ti_tensor_t *out) {
    return (out->dims[1] + 2) * 16;
}

// One half's scratch: the planes and 4 records.
static uint32_t dw_pairs_half_bytes(const ti_tensor_t *out) {
    return dw_pairs_plane_bytes(out) + 4u * (uint32_t)sizeof(dw_rec_t);
}

uint32_t ti_dw_pairs_scratch(const ti_interp_t *it, const ti_conv_params_t *p, const ti_tensor_t *in,
                             const ti_tensor_t *w, const ti_tensor_t *out) {
    int32_t oc = out->dims[3];
    if (p->filter_h != 3 || p->filter_w != 3 || p->stride_h != 1 || p->stride_w != 1 || p->depth_mult != 1 ||
        p->dil_h != 1 || p->dil_w != 1 || oc % 4 != 0 || oc <= 0 || out->dims[1] < 2 || out->dims[2] < 1 ||
        p->act_min != p->out_offset || p->pad_h < 0 || p->pad_w < 0 || in->dims[0] != 1) {
        return 0;
    }
    uint32_t zp = (uint32_t)in->dims[2] * (uint32_t)in->dims[3];  // a row of zero points
    if (zp > DW_PAIRS_MAX_ZP || dw_pairs_plane_bytes(out) > DW_PAIRS_MAX_PLANE) {
        return 0;
    }
    for (int32_t c = 0; c < oc; c++) {
        if (p->shift[c] > -1 || p->shift[c] < -16) {
            return 0;
        }
    }
    const int8_t *wd = (const int8_t *)w->data;
    for (int32_t i = 0; i < 9 * oc; i++) {
        if (wd[i] == -128) {  // two products of -128 x -128 overflow a lane
            return 0;
        }
    }
    // The row of zero points, then one half's or two halves' planes and records.
    return round4(zp) + (it->two_cores && oc >= 8 ? 2u : 1u) * dw_pairs_half_bytes(out);
}

// `ch` channels, `cols0` columns of pairs from plane0 / y0 (channel j at plane0 + j, y0 + j,
// its record rec + j): per column, pairs of pairs then a lone pair when `odd`. The assembly
// copies the words from owc on to its stack frame and keeps them there.
typedef struct {
    int32_t d, off;            // act_max - offset, offset
    const void *rec;           // the first channel's dw_rec_t
    int32_t cs;                // bytes between plane columns
    int32_t owc, owc2;         // bytes between output rows, 2 owc
    int32_t adj2;              // 64 - 2 cs: from a quad's third column to the next quad
    int8_t *quad_end, *py;     // the assembly's: where a column's quads end, the next output
    const int32_t *plane;      // the assembly's: P of (oy, ox, channel j), the column's
    int8_t *y;                 // the assembly's: output (oy, ox, c), the column's
    int32_t cols;              // the assembly's
    int32_t quads;             // bytes of output a column's pairs of pairs cover (4 owc each)
    int32_t odd;               // a column ends with a lone pair
    int32_t col_step, c;       // cs (the assembly keeps it in r10), bytes between output pixels
    const int32_t *plane0;
    int8_t *y0;
    int32_t cols0, ch;
    int32_t lone_hi;           // bytes from a lone pair's first output to its second, 0: none
    int32_t pad;
} dw_run_t;

#if defined(__thumb__) && !defined(__thumb2__)
// The assembly's offsets: 22 words, the frame from owc on; records 60 bytes apart.
_Static_assert(sizeof(dw_run_t) == 22 * 4 && sizeof(dw_rec_t) == 60, "dw_pairs_run's layout");
#endif

// Accumulators >= 2^16: the general requantization of the record's channel (offset and
// clamp included; lo is the offset).
__attribute__((used, noinline)) int32_t ti_dw_pairs_big(int32_t acc, const dw_rec_t *r, int32_t off, int32_t d) {
    int32_t m = (int32_t)(((uint32_t)r->mh << 16) + (uint32_t)r->ml);
    int32_t v = ti_mbqm(acc, m, 15 - r->e15) + off;
    return v < off ? off : v > off + d ? off + d : v;
}

#if defined(__thumb__) && !defined(__thumb2__)
// The group sum r2 into S (SACC) and H (HACC): 3 cycles.
#define DP_SPLIT(SACC, HACC) DP_SPLIT_OF("r2", SACC, HACC)
#define DP_SPLIT_OF(SUM, SACC, HACC) "add " SACC ", " SUM "\n asrs " SUM ", " SUM ", #16\n adcs " HACC ", " SUM "\n"
// The accumulator X requantized (r0 = 15 + e, K = k, r4 = ml, r5 = mh, r11 = act_max -
// offset, r12 = offset; r3 scratch): 14 cycles for 0 < X < 2^16, 6 for X <= 0. NEG, SAT and
// BIG are the numbers of the out-of-line labels (DP_REQUANT_TAIL), BACK the join.
#define DP_REQUANT(X, K, NEG, SAT, BIG, BACK)                                                \
    "cmp " X ", #0\n ble " NEG "f\n lsrs r3, " X ", #16\n bne " BIG "f\n"                     \
    "movs r3, " X "\n muls r3, r4\n lsrs r3, r3, #16\n muls " X ", r5\n"                      \
    "adds " X ", " X ", r3\n adds " X ", " X ", " K "\n lsrs " X ", r0\n"                     \
    "cmp " X ", r11\n bgt " SAT "f\n add " X ", r12\n" BACK ":\n"
// acc >= 2^16: dw_pairs_big_stub (the record pushed, r3 = acc and the result).
#define DP_REQUANT_TAIL(X, NEG, SAT, BIG, BACK)                                              \
    NEG ":\n mov " X ", r12\n b " BACK "b\n"                                                   \
    SAT ":\n mov " X ", r11\n add " X ", r12\n b " BACK "b\n"                                 \
    BIG ":\n movs r3, " X "\n push {lr}\n bl dw_pairs_big_stub\n movs " X ", r3\n"           \
    "pop {r3}\n mov lr, r3\n b " BACK "b\n"
// Two taps of a column for a pair of pairs (A at r0, B two rows down at r0 + 32), weights
// r4 and r5, rows R and R + 1 (byte offsets RA, RA + 16 for A, RB = RA + 32, RB + 16 for B).
#define DP_QUAD_TWO(RA, RA1, RB, RB1)                                                         \
    "ldr r2, [r0, #" RA "]\n muls r2, r4\n ldr r3, [r0, #" RA1 "]\n muls r3, r5\n"            \
    "adds r2, r2, r3\n" DP_SPLIT("r8", "r6")                                                  \
    "ldr r2, [r0, #" RB "]\n muls r2, r4\n ldr r3, [r0, #" RB1 "]\n muls r3, r5\n"            \
    "adds r2, r2, r3\n" DP_SPLIT("r9", "r7")
// The 9 taps of a pair of pairs in groups (column, row): (0 0, 0 1) (0 2, 1 0) (1 1, 1 2)
// (2 0, 2 1) (2 2).
#define DP_QUAD_TAPS                                                                          \
    "ldm r1!, {r4, r5}\n" DP_QUAD_TWO("0", "16", "32", "48")                                 \
    "ldm r1!, {r4}\n ldr r2, [r0, #32]\n muls r2, r4\n ldr r3, [r0, #64]\n muls r3, r4\n"    \
    "add r0, r10\n ldm r1!, {r4}\n"                                                          \
    "ldr r5, [r0, #0]\n muls r5, r4\n adds r2, r2, r5\n" DP_SPLIT("r8", "r6")                 \
    "ldr r5, [r0, #32]\n muls r5, r4\n adds r3, r3, r5\n" DP_SPLIT_OF("r3", "r9", "r7")      \
    "ldm r1!, {r4, r5}\n" DP_QUAD_TWO("16", "32", "48", "64")                                \
    "add r0, r10\n"                                                                           \
    "ldm r1!, {r4, r5}\n" DP_QUAD_TWO("0", "16", "32", "48")                                 \
    "ldm r1!, {r4}\n"                                                                         \
    "ldr r2, [r0, #32]\n muls r2, r4\n" DP_SPLIT("r8", "r6")                                  \
    "ldr r2, [r0, #64]\n muls r2, r4\n" DP_SPLIT("r9", "r7")

// ti_dw_pairs_big(r3, the record on the stack, r12, r11) into r3, the other registers kept.
__attribute__((naked, noinline, used)) static void dw_pairs_big_stub(void) {
    __asm__ volatile(
        ".syntax unified\n"
        "push {r0-r2, lr}\n mov r2, r12\n push {r2}\n"
        "movs r0, r3\n ldr r1, [sp, #20]\n mov r3, r11\n"  // acc, record, offset (r2), d
        "bl ti_dw_pairs_big\n movs r3, r0\n"
        "pop {r2}\n mov r12, r2\n pop {r0-r2, pc}\n"
        ".syntax divided\n");
}

// Frame (words from sp): owc, 2 owc, 64 - 2 cs, quad end, py, plane, y, cols, quads, odd, cs, c,
// plane0, y0, cols0, ch, lone_hi.
#define DP_OWC "[sp, #0]"
#define DP_OWC2 "[sp, #4]"
#define DP_ADJ2 "[sp, #8]"
#define DP_QEND "[sp, #12]"
#define DP_PY "[sp, #16]"

// Cortex-M0+: per pair of pairs of outputs (rows oy..oy + 3) about 205 cycles with the
// weights loaded once, 160 when its four sums are negative (the offset, no records); a lone
// pair about 110.
__attribute__((naked, noinline)) static void dw_pairs_run(const dw_run_t *a) {
    (void)a;
    __asm__ volatile(
        ".syntax unified\n"
        "push {r4-r7, lr}\n"
        "mov r4, r8\n mov r5, r9\n mov r6, r10\n mov r7, r11\n"
        "push {r4-r7}\n"
        "ldm r0!, {r1-r4}\n mov r11, r1\n mov r12, r2\n mov lr, r3\n mov r10, r4\n"  // d, off, rec, cs
        "sub sp, #72\n mov r1, sp\n"
        "ldm r0!, {r2-r7}\n stm r1!, {r2-r7}\n ldm r0!, {r2-r7}\n stm r1!, {r2-r7}\n"
        "ldm r0!, {r2-r7}\n stm r1!, {r2-r7}\n"
        "add r3, sp, #48\n ldm r3!, {r0-r2}\n"                 // plane0, y0, cols0
        "8:\n"                                                 // a channel
        "add r3, sp, #20\n stm r3!, {r0-r2}\n"
        "0:\n"                                                 // a column: r0 plane, r1 y
        "str r1, " DP_PY "\n"
        "ldr r2, [sp, #32]\n adds r2, r1, r2\n str r2, " DP_QEND "\n"
        "cmp r2, r1\n bne 2f\n b 5f\n"
        "2:\n"                                                 // a pair of pairs
        "mov r1, lr\n ldm r1!, {r2, r6}\n mov r8, r2\n mov r9, r2\n movs r7, r6\n"
        DP_QUAD_TAPS
        "mov r2, r8\n lsls r3, r6, #16\n subs r2, r2, r3\n"     // L of A; H of A in r6
        "mov r3, r9\n lsls r4, r7, #16\n subs r3, r3, r4\n"     // L of B; H of B in r7
        "movs r4, r2\n ands r4, r6\n ands r4, r3\n ands r4, r7\n bmi 3f\n"  // all four < 0
        "mov r8, r0\n mov r9, r3\n"
        "ldm r1, {r0, r1, r4, r5}\n"                           // 15 + e, k, ml, mh
        DP_REQUANT("r2", "r1", "40", "41", "42", "43")
        DP_REQUANT("r6", "r1", "44", "45", "46", "47")
        "ldr r3, " DP_PY "\n strb r2, [r3]\n ldr r2, " DP_OWC "\n strb r6, [r3, r2]\n"
        "mov r2, r9\n"
        DP_REQUANT("r2", "r1", "50", "51", "52", "53")
        DP_REQUANT("r7", "r1", "54", "55", "56", "57")
        "ldr r3, " DP_PY "\n ldr r6, " DP_OWC2 "\n adds r3, r3, r6\n strb r2, [r3]\n"
        "ldr r2, " DP_OWC "\n strb r7, [r3, r2]\n adds r3, r3, r6\n str r3, " DP_PY "\n"
        "mov r0, r8\n ldr r2, " DP_ADJ2 "\n adds r0, r0, r2\n"
        "1:\n ldr r2, " DP_QEND "\n cmp r3, r2\n beq 4f\n b 2b\n"
        "3:\n mov r2, r12\n ldr r3, " DP_PY "\n ldr r4, " DP_OWC "\n strb r2, [r3]\n strb r2, [r3, r4]\n"
        "ldr r5, " DP_OWC2 "\n adds r3, r3, r5\n strb r2, [r3]\n strb r2, [r3, r4]\n adds r3, r3, r5\n"
        "str r3, " DP_PY "\n ldr r2, " DP_ADJ2 "\n adds r0, r0, r2\n b 1b\n"
        DP_REQUANT_TAIL("r2", "40", "41", "42", "43")
        DP_REQUANT_TAIL("r6", "44", "45", "46", "47")
        DP_REQUANT_TAIL("r2", "50", "51", "52", "53")
        DP_REQUANT_TAIL("r7", "54", "55", "56", "57")
        "4:\n"
        "ldr r2, [sp, #36]\n cmp r2, #0\n beq 6f\n"
        "5:\n"                                                 // a lone pair: S r8, H r6
        "mov r1, lr\n ldm r1!, {r2, r6}\n mov r8, r2\n"
        "ldm r1!, {r4, r5, r7}\n"
        "ldr r2, [r0, #0]\n muls r2, r4\n ldr r3, [r0, #16]\n muls r3, r5\n adds r2, r2, r3\n"
        DP_SPLIT("r8", "r6")
        "ldr r2, [r0, #32]\n muls r2, r7\n add r0, r10\n"
        "ldm r1!, {r4, r5, r7}\n"
        "ldr r3, [r0, #0]\n muls r3, r4\n adds r2, r2, r3\n" DP_SPLIT("r8", "r6")
        "ldr r2, [r0, #16]\n muls r2, r5\n ldr r3, [r0, #32]\n muls r3, r7\n adds r2, r2, r3\n"
        DP_SPLIT("r8", "r6")
        "add r0, r10\n"
        "ldm r1!, {r4, r5, r7}\n"
        "ldr r2, [r0, #0]\n muls r2, r4\n ldr r3, [r0, #16]\n muls r3, r5\n adds r2, r2, r3\n"
        DP_SPLIT("r8", "r6")
        "ldr r2, [r0, #32]\n muls r2, r7\n" DP_SPLIT("r8", "r6")
        "mov r2, r8\n lsls r3, r6, #16\n subs r2, r2, r3\n"
        "ldm r1, {r0, r1, r4, r5}\n"
        DP_REQUANT("r2", "r1", "60", "61", "62", "63")
        "ldr r3, " DP_PY "\n strb r2, [r3]\n ldr r2, [sp, #64]\n cmp r2, #0\n beq 6f\n"  // no row below
        DP_REQUANT("r6", "r1", "64", "65", "66", "67")
        "ldr r3, " DP_PY "\n strb r6, [r3, r2]\n"
        "b 6f\n"
        DP_REQUANT_TAIL("r2", "60", "61", "62", "63")
        DP_REQUANT_TAIL("r6", "64", "65", "66", "67")
        "6:\n"                                                 // the next column
        "add r3, sp, #20\n ldm r3!, {r0-r2}\n"                 // plane, y, cols
        "add r0, r10\n ldr r4, [sp, #44]\n adds r1, r1, r4\n"  // cs, c
        "subs r3, #12\n subs r2, r2, #1\n stm r3!, {r0-r2}\n"
        "beq 9f\n b 0b\n"
        "9:\n"                                                 // the next channel
        "add r4, sp, #48\n ldm r4!, {r0-r3}\n"                // plane0, y0, cols0, ch
        "subs r3, r3, #1\n beq 10f\n"
        "adds r0, r0, #4\n adds r1, r1, #1\n subs r4, #16\n stm r4!, {r0-r3}\n"
        "mov r4, lr\n adds r4, #60\n mov lr, r4\n"
        "b 8b\n"
        "10:\n"
        "add sp, #72\n"
        "pop {r4-r7}\n"
        "mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n"
        "pop {r4-r7, pc}\n"
        ".syntax divided\n");
}
#else
static int32_t dw_pairs_requant(int32_t acc, const dw_rec_t *r, const dw_run_t *a) {
    if (acc <= 0) {
        return a->off;
    }
    if (acc >= 65536) {
        return ti_dw_pairs_big(acc, r, a->off, a->d);
    }
    uint32_t u = (uint32_t)acc;
    uint32_t v = (u * (uint32_t)r->mh + ((u * (uint32_t)r->ml) >> 16) + (uint32_t)r->k) >> r->e15;
    return ((int32_t)v > a->d ? a->d : (int32_t)v) + a->off;
}

static void dw_pairs_run(const dw_run_t *a) {
    int32_t cw = a->cs / 4, pairs = a->quads / a->owc2 + a->odd;
    // Taps (column-major) in groups of at most two: (0 1) (2 3) (4 5) (6 7) (8).
    static const uint8_t first[] = {0, 2, 4, 6, 8}, count[] = {2, 2, 2, 2, 1};
    for (int32_t j = 0; j < a->ch; j++) {
        const dw_rec_t *r = (const dw_rec_t *)a->rec + j;
        for (int32_t col = 0; col < a->cols0; col++) {
            for (int32_t k = 0; k < pairs; k++) {
                const int32_t *pp = a->plane0 + j + col * cw + 8 * k;
                int8_t *y = a->y0 + j + col * a->c + k * a->owc2;
                uint32_t s_acc = (uint32_t)r->fold_s, h_acc = (uint32_t)r->fold;  // wrapping, as TFLM's sums
                for (int32_t g = 0; g < 5; g++) {
                    uint32_t s = 0;
                    for (int32_t t = first[g]; t < first[g] + count[g]; t++) {
                        s += (uint32_t)pp[(t / 3) * cw + (t % 3) * 4] * (uint32_t)r->w[t];
                    }
                    s_acc += s;
                    h_acc += (uint32_t)((int32_t)s >> 16) + ((s >> 15) & 1u);
                }
                y[0] = (int8_t)dw_pairs_requant((int32_t)(s_acc - (h_acc << 16)), r, a);
                int32_t hi = k == pairs - 1 && a->odd ? a->lone_hi : a->owc;
                if (hi != 0) {  // 0: the pair's second row is below the output
                    y[hi] = (int8_t)dw_pairs_requant((int32_t)h_acc, r, a);
                }
            }
        }
    }
}
#endif

// Plane rows of cells from the 4 channels at a (input row r) and a + d (row r + 1): n cells a
// row, `cs` bytes apart, the next row's 16 bytes after; input pixels `stride` bytes apart and
// rows n stride apart (whole input rows) (a, d word aligned; n, rows >= 1).
typedef struct {
    int32_t *cell;
    const int8_t *a;
    int32_t d, n, stride, rows, cs;
} dw_cells_t;

#if defined(__thumb__) && !defined(__thumb2__)
// A cell into r4-r7 from row words X (lane a) and Y (lane b); X is lost.
#define DP_CELL(X, Y)                                                                         \
    "sxtb r4, " X "\n lsls r5, " Y ", #24\n asrs r5, r5, #8\n adds r4, r4, r5\n"               \
    "lsls r5, " X ", #16\n asrs r5, r5, #24\n lsrs r6, " Y ", #8\n lsls r6, r6, #24\n"          \
    "asrs r6, r6, #8\n adds r5, r5, r6\n"                                                     \
    "lsls r6, " X ", #8\n asrs r6, r6, #24\n lsrs r7, " Y ", #16\n lsls r7, r7, #24\n"          \
    "asrs r7, r7, #8\n adds r6, r6, r7\n"                                                     \
    "asrs r7, " Y ", #24\n lsls r7, r7, #16\n asrs " X ", " X ", #24\n adds r7, r7, " X "\n"

// Cortex-M0+: down each column, one load a cell (the row word of lane b is the next cell's
// lane a), about 30 cycles a cell.
__attribute__((naked, noinline)) static void dw_pairs_cells(const dw_cells_t *c) {
    (void)c;
    __asm__ volatile(
        ".syntax unified\n"
        "push {r4-r7, lr}\n"
        "mov r4, r8\n mov r5, r9\n mov r6, r10\n mov r7, r11\n push {r4-r7}\n"
        "ldm r0, {r0-r6}\n"                                  // cell, a, d, n, stride, rows, cs
        "muls r3, r4\n mov r8, r3\n adds r3, r1, r3\n"      // R: bytes of a row; the columns' end
        "mov r9, r4\n mov r10, r6\n lsls r5, r5, #4\n mov r11, r5\n mov lr, r2\n"
        "push {r0, r1, r3}\n"                                // column's cell, column's a, end
        "0:\n"
        "ldr r0, [sp]\n ldr r1, [sp, #4]\n ldr r2, [r1]\n add r1, lr\n"
        "mov r3, r0\n add r3, r11\n mov r12, r3\n"          // the column's last cell's end
        "1:\n"                                                 // two cells
        "ldr r3, [r1]\n add r1, r8\n" DP_CELL("r2", "r3") "stm r0!, {r4-r7}\n cmp r0, r12\n beq 2f\n"
        "ldr r2, [r1]\n add r1, r8\n" DP_CELL("r3", "r2") "stm r0!, {r4-r7}\n cmp r0, r12\n bne 1b\n"
        "2:\n"
        "pop {r0-r2}\n add r0, r10\n add r1, r9\n push {r0-r2}\n"
        "cmp r1, r2\n bne 0b\n"
        "add sp, #12\n"
        "pop {r4-r7}\n mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n"
        "pop {r4-r7, pc}\n"
        ".syntax divided\n");
}
#else
static void dw_pairs_cells(const dw_cells_t *c) {
    const int8_t *a = c->a;
    for (int32_t r = 0; r < c->rows; r++) {
        for (int32_t i = 0; i < c->n; i++, a += c->stride) {
            int32_t *cell = c->cell + 4 * r + i * (c->cs / 4);
            for (int32_t j = 0; j < 4; j++) {
                cell[j] = (int32_t)((uint32_t)a[j] + ((uint32_t)a[c->d + j] << 16));
            }
        }
    }
}
#endif

// The planes of channels c0..c0 + 3: the cells over the input (the columns of padding keep
// the zero points written before the first block). Rows of the plane whose lanes are both input
// rows in one run; a row with a lane of padding on its own.
static void dw_pairs_plane(int32_t *plane, const int8_t *x, const int8_t *zp_rows, const ti_tensor_t *in,
                           const ti_tensor_t *out, const ti_conv_params_t *p, int32_t c0) {
    int32_t ih = in->dims[1], iw = in->dims[2], ic = in->dims[3], cs = dw_pairs_column(out);
    int32_t row = iw * ic;
    plane += p->pad_w * cs / 4;
    for (int32_t rr = 0, ra = -p->pad_h; rr <= out->dims[1] + 1; rr++, ra++) {
        int inside_a = (uint32_t)ra < (uint32_t)ih, inside_b = (uint32_t)(ra + 1) < (uint32_t)ih;
        const int8_t *pa = inside_a ? x + ra * row : zp_rows;
        const int8_t *pb = inside_b ? x + (ra + 1) * row : zp_rows;
        if (!inside_a && !inside_b) {  // zero points from the fill
            continue;
        }
        dw_cells_t c = {plane + 4 * rr, pa + c0, (int32_t)(pb - pa), iw, ic, 1, cs};
        if (inside_a && inside_b) {  // and the rows after it while row r + 1 is in the input
            int32_t last = out->dims[1] + 1 < ih - 2 + p->pad_h ? out->dims[1] + 1 : ih - 2 + p->pad_h;
            c.rows = last - rr + 1;
            rr = last, ra = last - p->pad_h;
        }
        dw_pairs_cells(&c);
    }
}

static void dw_pairs_records(dw_rec_t *r, const int8_t *wd, const ti_conv_params_t *p, int32_t oc, int32_t c0) {
    const int32_t *fold = p->fold + c0, *mult = p->mult + c0, *shift = p->shift + c0;
    int32_t row1 = 3 * oc, row2 = 6 * oc;
    wd += c0;
    for (int32_t j = 0; j < 4; j++, r++, wd++) {
        int32_t e = -shift[j];
        uint32_t m = (uint32_t)mult[j];
        r->fold = fold[j];
        r->fold_s = (int32_t)((uint32_t)fold[j] * 0x10001u);
        int32_t *w = r->w;
        for (const int8_t *col = wd; w < r->w + 9; col += oc, w += 3) {  // column by column
            w[0] = col[0], w[1] = col[row1], w[2] = col[row2];
        }
        r->e15 = 15 + e;
        r->k = (int32_t)((1u << 14) + (1u << (14 + e)));
        r->ml = (int32_t)(m & 0xffffu);
        r->mh = (int32_t)(m >> 16);
    }
}

// Channel blocks [c_begin, c_end) of 4, with this half's planes and records.
typedef struct {
    const ti_tensor_t *in, *out;
    const ti_conv_params_t *p;
    const int8_t *wd, *zp_rows;
    int8_t *y;
    int32_t *plane;
    int32_t c_begin, c_end;
} dw_half_t;

static void dw_pairs_blocks(void *arg) {
    const dw_half_t *h = arg;
    const ti_tensor_t *in = h->in, *out = h->out;
    const ti_conv_params_t *p = h->p;
    int32_t oh = out->dims[1], ow = out->dims[2], oc = out->dims[3], cs = dw_pairs_column(out), owc = ow * oc;
    uint32_t plane_bytes = dw_pairs_plane_bytes(out);
    int32_t *plane = h->plane;
    dw_rec_t *recs = (dw_rec_t *)((uint8_t *)plane + plane_bytes);
    int32_t zp = -p->in_offset, zp2 = (int32_t)((uint32_t)zp + ((uint32_t)zp << 16));
    for (int32_t *cell = plane, *end = plane + plane_bytes / 4; cell < end; cell += 4) {
        cell[0] = cell[1] = cell[2] = cell[3] = zp2;
    }
    dw_run_t a = {p->act_max - p->out_offset, p->out_offset, recs, cs, owc, 2 * owc, 64 - 2 * cs, 0, 0, 0, 0, 0,
                  0, 0, cs, oc, 0, 0, ow, 4, owc, 0};
    for (int32_t c0 = h->c_begin; c0 < h->c_end; c0 += 4) {
        dw_pairs_plane(plane, (const int8_t *)in->data, h->zp_rows, in, out, p, c0);
        dw_pairs_records(recs, h->wd, p, oc, c0);
        // Pairs from row 0 on: pairs of pairs, then a lone pair. An odd OH's last row ends a lone
        // pair whose second row (below the output) is not requantized, or else repeats the row
        // above it.
        int32_t pairs = oh / 2, below_pair = (oh & 1) && !(pairs & 1);
        a.plane0 = plane;
        a.y0 = h->y + c0;
        a.quads = pairs / 2 * 2 * a.owc2;
        a.odd = (pairs & 1) | below_pair;
        a.lone_hi = below_pair ? 0 : owc;
        dw_pairs_run(&a);
        if ((oh & 1) && !below_pair) {
            a.plane0 = plane + (oh - 2) * 4;
            a.y0 += (oh - 2) * owc;
            a.quads = 0;
            a.odd = 1;
            a.lone_hi = owc;
            dw_pairs_run(&a);
        }
    }
}

// Scratch: a row of input zero points, then per half (two with TI_TWO_CORES) the planes
// and 4 records.
void ti_dw_pairs_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *out = ti_out(it, op, 0);
    const ti_conv_params_t *p = &op->p.conv;
    int32_t oc = out->dims[3];
    uint32_t zp_bytes = round4((uint32_t)(in->dims[2] * in->dims[3]));
    int8_t *zp_rows = (int8_t *)(it->arena + op->scratch_offset);
    memset(zp_rows, -p->in_offset, zp_bytes);
    dw_half_t first = {in, out, p, (const int8_t *)ti_in(it, op, 1)->data, zp_rows, (int8_t *)out->data,
                       (int32_t *)(zp_rows + zp_bytes), 0, oc};
    if (!it->two_cores || oc < 8) {
        dw_pairs_blocks(&first);
        return;
    }
    dw_half_t second = first;
    second.plane = (int32_t *)((uint8_t *)first.plane + dw_pairs_half_bytes(out));
    first.c_end = second.c_begin = oc / 8 * 4;
    ti_halves(it, dw_pairs_blocks, &first, &second);
}
