// CONV_2D on the stream path (shared checks and multipliers: kernel_conv_common.c; every other
// convolution: kernel_conv_generic.c).
#include <string.h>

#include "kernel_conv.h"

// The stream path (most convolutions): inputs widened to int32 words, weights re-laid
// at eval into a "stream" in scratch that one assembly loop runs, 8 output channels
// per block. Stream of one block: 8 initial words, then chunks of 1..8 tap pairs,
// each after a header {x advance in bytes, entry}, then the header {0, STREAM_END}; or,
// fused (a ReLU, every shift < 0, whole blocks of 8 channels), {1, STREAM_END} and the
// block's 8 requantization records (relu_record, in the order FUSED_ORDER):
// the kernel writes the outputs itself instead of the sums.
// A chunk's words are [tap pair][channel pair][tap]: the weights of channels 2k and
// 2k + 1 as w0 + 2^16 w1, so one product sum s = x w + x' w' holds two channels in 16-bit
// lanes (exact while |x w + x' w'| < 2^15: no weight is -128). A channel pair keeps
// P += s and H += (s >> 16) + bit 15 of s (the high lane, the low lane's borrow undone):
// H is the high channel's sum and P - 2^16 H the low one's. The block's initial words are
// P and H per channel pair (stream_build).
#define STREAM_BLOCK 8
#define STREAM_BUDGET 4608u  // bytes of stream (a group of blocks) in scratch
#define BLOCK_LIMIT 8192u    // bytes of one block's stream (windows of about 500 taps)
#define INPUT_BUDGET 4096u   // bytes of widened input (whole, or a tile under an output row)
#define SUMS_BUDGET 1024u    // bytes of sums per call of the kernel
#define RECORD_WORDS 4     // per output channel of a fused block: see relu_record
enum { STREAM_BAND = 1, STREAM_WHOLE = 2, STREAM_FUSED = 4, STREAM_COLUMNS = 8 };  // ti_conv_params_t.wide
// Entries are offsets for the loop's computed jump ("add pc", which reads pc as its own
// address + 4): into the unrolled tap pairs (TAP_PAIR_BYTES of code each) or to the
// instruction after it, the end of a block.
#define TAP_PAIR_BYTES 62
#define STREAM_PAIRS(k) (-(k) * TAP_PAIR_BYTES - 8)
#define STREAM_END (-2)
static const uint8_t FUSED_ORDER[STREAM_BLOCK] = {7, 5, 6, 0, 1, 2, 3, 4};  // the kernel's registers

// x is the input widened to words inside its padding (zero point), pw pixels a row: all
// ph rows of a batch (STREAM_WHOLE), or under one output row the filter_h rows of the
// columns that `pixels` windows span (a tile). The kernel runs `rows` lines of `row` taps
// (row even: an odd line's last tap pair reads one word more, of weight 0), `advance`
// bytes from one line's end to the next's start. A line is a window row, or with
// STREAM_COLUMNS (one input channel, the whole input) a window column: x is then stored
// column by column (ph words each), so a tall window has fewer, longer lines.
typedef struct {
    int32_t pw, ph, row, rows, advance;
    int32_t pixels;  // per call of the kernel (along an output row)
    int32_t taps, w_line, w_tap;  // real taps a line; weight index steps per line and per tap
    uint32_t x_words, group, blocks;
} stream_plan_t;

// Fills g; returns the scratch words: x, the sums of one call, the stream of a group; 0
// when the stream path does not fit.
static uint32_t stream_plan(const ti_conv_params_t *p, const int32_t *in_dims, int32_t oh, int32_t ow, int32_t oc,
                            stream_plan_t *g) {
    int32_t ih = in_dims[1], iw = in_dims[2], ic = in_dims[3], fh = p->filter_h, fw = p->filter_w;
    int whole = p->wide & STREAM_WHOLE;
    // Bounds that keep every product below 2^31 (strides, dilations <= 4096, windows < 2^15);
    // oc bounds the records' words. Larger convolutions are for the generic path.
    if ((uint32_t)oc > 65536u || (uint32_t)(ih | iw | oh | ow | p->pad_h | p->pad_w) > 0xffffu ||
        (uint32_t)ic > INPUT_BUDGET / 4u) {
        return 0;
    }
    int32_t right = (ow - 1) * p->stride_w + fw - p->pad_w - iw;
    int32_t bottom = (oh - 1) * p->stride_h + (fh - 1) * p->dil_h + 1 - p->pad_h - ih;
    int32_t pw = p->pad_w + iw + (right > 0 ? right : 0);
    int32_t ph = p->pad_h + ih + (bottom > 0 ? bottom : 0);
    int32_t x_rows = whole ? ph : fh;
    // One window must fit.
    if (fw > (int32_t)INPUT_BUDGET || x_rows > (int32_t)INPUT_BUDGET ||
        (uint32_t)(fw * x_rows) * (uint32_t)ic > INPUT_BUDGET / 4u) {
        return 0;
    }
    uint32_t row_words = INPUT_BUDGET / 4u / (uint32_t)x_rows;  // at most, per row
    if (whole && (pw > (int32_t)INPUT_BUDGET || (uint32_t)(pw * ic) > row_words)) {
        return 0;
    }
    int cols = (p->wide & STREAM_COLUMNS) && whole;
    g->rows = cols ? fw : fh;
    g->taps = cols ? fh : fw * ic;
    g->row = (g->taps + 1) & ~1;
    g->w_line = cols ? 1 : fw * ic;
    g->w_tap = cols ? fw : 1;
    g->blocks = (uint32_t)(oc + STREAM_BLOCK - 1) / STREAM_BLOCK;
    // 8 sums, per row a header per chunk of 16 taps and 4 words per tap, the end header.
    uint32_t block = 10u + (uint32_t)g->rows * (2u * (((uint32_t)g->row + 15u) / 16u) + 4u * (uint32_t)g->row);
    int fused = p->wide & STREAM_FUSED;
    block += fused ? STREAM_BLOCK * RECORD_WORDS : 0u;
    if (block > BLOCK_LIMIT / 4u) {
        return 0;
    }
    // Fused, the stream also takes the budget of the sums and the records.
    uint32_t budget = fused ? STREAM_BUDGET + SUMS_BUDGET : STREAM_BUDGET;
    g->group = block * 4u > budget ? 1u : budget / 4u / block;
    g->group = g->group < g->blocks ? g->group : g->blocks;
    uint32_t sums = g->group * STREAM_BLOCK * 4u;
    g->pixels = fused ? ow : SUMS_BUDGET / sums > 1u ? (int32_t)(SUMS_BUDGET / sums) : 1;
    g->pixels = g->pixels < ow ? g->pixels : ow;
    if (!whole) {
        // A tile of as many windows as fit: (pixels - 1) strides and a window wide.
        int32_t fit = (int32_t)((row_words / (uint32_t)ic - (uint32_t)fw) / (uint32_t)p->stride_w) + 1;
        g->pixels = g->pixels < fit ? g->pixels : fit;
        pw = (g->pixels - 1) * p->stride_w + fw;
    }
    g->pw = pw;
    g->ph = ph;
    g->x_words = (uint32_t)(pw * x_rows * ic) + 1u;
    g->advance = ((cols ? g->ph : g->pw * ic * (whole ? p->dil_h : 1)) - g->row) * 4;
    if (fused) {
        return g->x_words + g->group * block;
    }
    return g->x_words + g->group * ((uint32_t)g->pixels * STREAM_BLOCK + block);
}

// Fused, the output pixels split in two halves (stream_halves): each writes its own
// outputs; a tile of its own unless the input is whole.
static int stream_halves(const ti_interp_t *it, const ti_conv_params_t *p) {
    return it->two_cores && (p->wide & STREAM_FUSED);
}

static uint32_t stream_tiles(const ti_interp_t *it, const ti_conv_params_t *p) {
    return stream_halves(it, p) && !(p->wide & STREAM_WHOLE) ? 2u : 1u;
}

// Whether the stream path applies; then p->wide and the scratch bytes.
static void stream_choose(const ti_interp_t *it, ti_op_t *op, const ti_tensor_t *in, const ti_tensor_t *w,
                          const ti_tensor_t *out) {
    ti_conv_params_t *p = &op->p.conv;
    const int8_t *wd = (const int8_t *)w->data;
    uint64_t pixels = (uint64_t)out->dims[0] * (uint64_t)out->dims[1] * (uint64_t)out->dims[2];
    stream_plan_t g;
    p->wide = 0;
    // Each eval re-lays every weight once: not worth it for a single pixel.
    if (!p->fold || ti_elements(w) == 0 || pixels < 2 || w->dims[3] != in->dims[3] || p->dil_w != 1) {
        return;
    }
    for (uint32_t i = 0, n = ti_elements(w); i < n; i++) {
        if (wd[i] == -128) {
            return;
        }
    }
    // Fused (relu_record): a ReLU, right shifts only, whole blocks. Decided here, not at eval,
    // so that every build plans the same scratch.
    int fused = p->act_min == p->out_offset && w->dims[0] % STREAM_BLOCK == 0;
    for (int32_t c = 0; c < w->dims[0]; c++) {
        fused &= p->shift[c] < 0;
    }
    // The whole input when it fits: each input row is widened once, not once per
    // output row it serves.
    p->wide = (int16_t)(STREAM_WHOLE | (fused ? STREAM_FUSED : 0));
    // Columns for a window taller than wide and of even height: fewer, longer lines, no
    // more tap pairs.
    if (in->dims[3] == 1 && p->dil_h == 1 && p->filter_h > p->filter_w && p->filter_h % 2 == 0) {
        p->wide |= STREAM_COLUMNS;
    }
    uint32_t words = stream_plan(p, in->dims, out->dims[1], out->dims[2], w->dims[0], &g);
    if (words == 0) {
        p->wide = (int16_t)(STREAM_BAND | (fused ? STREAM_FUSED : 0));
        words = stream_plan(p, in->dims, out->dims[1], out->dims[2], w->dims[0], &g);
    }
    p->wide = words ? p->wide : 0;
    op->scratch_bytes = (words + (stream_tiles(it, p) - 1u) * g.x_words) * 4u;
}

ti_status_t ti_conv_prepare(ti_interp_t *it, ti_op_t *op) {
    ti_tensor_t *in, *w, *bias, *out;
    ti_conv_params_t *p = &op->p.conv;
    ti_status_t st = ti_cv_check_common(it, op, &in, &w, &bias, &out);
    if (st != TI_OK) {
        return st;
    }
    if (w->ndim != 4) {
        return ti_fail(it, TI_ERR_SHAPE, "weights must be 4-D");
    }
    int32_t oc = w->dims[0], ic = w->dims[3];
    if ((st = ti_cv_prepare_window(it, op, p, in, out, w->dims[1], w->dims[2], ti_opt_i8(it, op, CONV_PADDING, 0) == 0,
                             CONV_STRIDE_W, CONV_STRIDE_H, CONV_DIL_W, CONV_DIL_H)) != TI_OK) {
        return st;
    }
    if (ic == 0 || oc == 0 || in->dims[3] < ic || in->dims[3] % ic != 0 || out->dims[3] != oc || oc % (in->dims[3] / ic) != 0) {
        return ti_fail(it, TI_ERR_SHAPE, "channel counts of input, weights and output do not agree");
    }
    if ((st = ti_cv_check_bias(it, bias, oc)) || (st = ti_cv_check_weight_scales(it, w, oc)) ||
        (st = ti_cv_channel_multipliers(it, p, in, w, out, oc, 0))) {
        return st;
    }
    p->fold = 0;
    p->wide = 0;
    if (ic == in->dims[3]) {
        int32_t window = w->dims[1] * w->dims[2] * ic;
        if ((st = ti_cv_fold_offsets(it, p, w, bias, oc, window, window, 1)) != TI_OK) {
            return st;
        }
    }
    if ((st = ti_activation_range(it, ti_opt_i8(it, op, CONV_ACT, 0), out, &p->act_min, &p->act_max)) != TI_OK) {
        return st;
    }
    if (p->fold) {
        stream_choose(it, op, in, w, out);
    }
    // Every other convolution: the variant conv_generic (kernel_conv_generic.c).
    return p->wide ? TI_OK : ti_use_variant(it, op, TI_VARIANT_conv_generic);
}

// One call of the kernel: `pixels` windows, each x_step bytes after the last; per pixel
// and block of the stream, 8 sums (the block's initial sums + sum x[t] w[t][j]) to acc;
// fused, 8 outputs to y (acc's argument), then y_skip bytes to the next pixel's.
typedef struct {
    const int32_t *x, *end, *stream;
    int32_t pixels, x_step;
    int32_t y_skip, offset, hi;
    const int32_t *mult, *shift;  // fused, of the group's first channel (the C kernel's)
} stream_run_t;

#if defined(__thumb__) && !defined(__thumb2__)
// Cortex-M0+: P and H of channel pairs A-D in r8 r9, r10 r11, r12 r6, lr r7; a tap pair is
// one LDM of x and 4 LDMs of weight words, 41 cycles for 16 MACs; a chunk's header is one
// LDM, an add and the jump.
#define STR_(x) #x
#define STR(x) STR_(x)
#define SUM "ldm r3!, {r4, r5}\n muls r4, r0, r4\n muls r5, r1, r5\n adds r4, r4, r5\n"
// H in a low register takes the borrow with ADCS; in a high one, through r4 with r3 (the
// stream address, the same at every pixel) added too: stream_build starts H lower by their sum.
#define PAIR_LOW(p, h) SUM "add " p ", r4\n asrs r4, r4, #16\n adcs " h ", r4\n"
#define PAIR_HIGH(p, h) SUM "add " p ", r4\n asrs r4, r4, #16\n adcs r4, r3\n add " h ", r4\n"
#define TAP_PAIR "ldm r2!, {r0, r1}\n" PAIR_HIGH("r8", "r9") PAIR_HIGH("r10", "r11") PAIR_LOW("r12", "r6") PAIR_LOW("lr", "r7")
// P - 2^16 H into P (r0, r1 scratch): the block's 8 sums in r8-r11, r12, r6, lr, r7.
#define LOW_SUM(p, h) "mov r0, " p "\n lsls r1, " h ", #16\n subs r0, r0, r1\n mov " p ", r0\n"
#define FUSED_OUT(j)                                                                    \
    "cmp r7, #0\n bgt 7f\n"                                                              \
    "adds r3, #16\n strb r0, [r2, #" j "]\n b 9f\n"                                       \
    "8: bl 30f\n b 10f\n"                                                                \
    "7: lsrs r4, r7, #16\n bne 8b\n"                                                      \
    "ldm r3!, {r4, r5}\n muls r4, r7, r4\n lsrs r4, r4, #16\n muls r7, r5, r7\n adds r7, r7, r4\n" \
    "ldm r3!, {r4, r5}\n adds r7, r7, r4\n lsrs r7, r5\n adds r7, r7, r0\n"                \
    "cmp r7, r1\n ble 10f\n movs r7, r1\n"                                                \
    "10: strb r7, [r2, #" j "]\n"                                                         \
    "9:\n"
__attribute__((naked, noinline)) static void dot8_stream(int32_t *acc, const stream_run_t *run) {
    (void)acc, (void)run;
    __asm__ volatile(
        ".syntax unified\n"
        "push {r4-r7, lr}\n"
        "mov r4, r8\n mov r5, r9\n mov r6, r10\n mov r7, r11\n"
        "push {r4-r7}\n"
        "movs r7, r1\n"
        "adds r7, #20\n ldm r7!, {r4-r6}\n push {r4-r6}\n"
        "subs r7, #32\n ldm r7!, {r1-r5}\n"
        // [sp] acc or y, [sp+4] window, [sp+8] end, [sp+12] stream, [sp+16] pixels left,
        // [sp+20] step, [sp+24] y_skip, [sp+28] offset, [sp+32] hi
        "push {r0-r5}\n"
        "b 4f\n"
        "0:\n" TAP_PAIR TAP_PAIR TAP_PAIR TAP_PAIR TAP_PAIR TAP_PAIR TAP_PAIR TAP_PAIR
        "3:\n"
        "ldm r3!, {r4, r5}\n"
        "adds r2, r2, r4\n"
        "1:\n"
        "add pc, r5\n"
        // STREAM_END lands here, r4 = 1 when fused.
        "mov r2, r9\n" LOW_SUM("r8", "r2") "mov r2, r11\n" LOW_SUM("r10", "r2")
        LOW_SUM("r12", "r6") LOW_SUM("lr", "r7")
        "cmp r4, #0\n bne 20f\n"
        // Not fused: store the block's sums; the next block, pixel or return.
        "ldr r0, [sp]\n"
        "mov r4, r8\n mov r5, r9\n stm r0!, {r4, r5}\n"
        "mov r4, r10\n mov r5, r11\n stm r0!, {r4, r5}\n"
        "movs r5, r6\n mov r4, r12\n mov r6, lr\n stm r0!, {r4-r7}\n"
        "str r0, [sp]\n"
        "21:\n"
        "ldr r4, [sp, #8]\n"
        "cmp r3, r4\n"
        "bne 4f\n"
        "ldr r4, [sp, #16]\n subs r4, #1\n str r4, [sp, #16]\n"
        "beq 5f\n"
        "ldr r4, [sp, #4]\n ldr r5, [sp, #20]\n adds r4, r4, r5\n str r4, [sp, #4]\n"
        "ldr r4, [sp]\n ldr r5, [sp, #24]\n adds r4, r4, r5\n str r4, [sp]\n"
        "ldr r3, [sp, #12]\n"
        "4:\n"
        "ldr r2, [sp, #4]\n"
        "ldm r3!, {r4-r7}\n"
        "mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n"
        "ldm r3!, {r4-r7}\n"
        "mov r12, r4\n mov lr, r6\n movs r6, r5\n"
        "b 3b\n"
        "5:\n"
        "add sp, #36\n"
        "pop {r4-r7}\n"
        "mov r8, r4\n mov r9, r5\n mov r10, r6\n mov r11, r7\n"
        "pop {r4-r7, pc}\n"
        // Fused: the 8 sums requantized in FUSED_ORDER, each moved to r7 (r6's before r6 is
        // a temporary, lr's pushed so that the large sums' path can be called).
        "20:\n"
        "ldr r2, [sp]\n ldr r0, [sp, #28]\n ldr r1, [sp, #32]\n"
        "mov r4, lr\n push {r4}\n"
        FUSED_OUT("7") "movs r7, r6\n" FUSED_OUT("5") "pop {r7}\n" FUSED_OUT("6")
        "mov r7, r8\n" FUSED_OUT("0") "mov r7, r9\n" FUSED_OUT("1") "mov r7, r10\n" FUSED_OUT("2")
        "mov r7, r11\n" FUSED_OUT("3") "mov r7, r12\n" FUSED_OUT("4")
        "adds r2, #8\n str r2, [sp]\n"
        "b 21b\n"
        // A sum >= 2^16 in r7, its record at r3: the output in r7 (the four products of
        // kernel_conv_requant.c); keeps r0-r2 and r6.
        "30:\n"
        "push {r0-r2, r6, lr}\n"
        "ldm r3!, {r5, r6}\n"
        "sxth r4, r5\n lsrs r5, r5, #15\n adds r6, r6, r5\n movs r5, r4\n"  // ml, mh
        "sxth r4, r7\n asrs r7, r7, #15\n adds r7, #1\n asrs r7, r7, #1\n"  // al, ah
        "movs r0, r4\n muls r0, r5\n muls r4, r6\n muls r5, r7\n muls r7, r6\n"
        "movs r1, #1\n lsls r1, r1, #30\n adds r0, r0, r1\n"
        "adds r4, r4, r5\n lsls r5, r4, #16\n asrs r4, r4, #16\n"
        "adds r5, r5, r0\n adcs r7, r4\n adds r5, r5, r5\n adcs r7, r7\n"  // Q
        "ldm r3!, {r4, r5}\n subs r5, #16\n"  // e - 1
        "asrs r7, r5\n asrs r7, r7, #1\n movs r4, #0\n adcs r7, r4\n"
        "pop {r0-r2, r6}\n"
        "adds r7, r7, r0\n cmp r7, r1\n ble 31f\n movs r7, r1\n 31:\n"
        "pop {pc}\n"
        ".if (1b - 0b) != 8 * " STR(TAP_PAIR_BYTES) " + 4\n"
        ".error \"dot8_stream: tap pairs are not TAP_PAIR_BYTES long\"\n"
        ".endif\n"
        ".syntax divided\n");
}
#undef TAP_PAIR
#undef FUSED_OUT
#undef LOW_SUM
#undef PAIR_HIGH
#undef PAIR_LOW
#undef SUM
#else
// The assembly's arithmetic, stream addresses included: the host runs the same streams.
static void dot8_stream(int32_t *acc, const stream_run_t *run) {
    int8_t *y = (int8_t *)acc;  // fused
    for (int32_t px = 0; px < run->pixels; px++) {
        const int32_t *x = (const int32_t *)((const char *)run->x + px * run->x_step);
        requant_t rq = {run->mult, run->shift, run->offset, run->offset, run->hi};
        for (const int32_t *s = run->stream; s != run->end;) {
            uint32_t a[STREAM_BLOCK];  // P and H of each channel pair
            const int32_t *xt = x;
            for (int32_t j = 0; j < STREAM_BLOCK; j++) {
                a[j] = (uint32_t)*s++;
            }
            for (;;) {
                int32_t advance = s[0], entry = s[1];
                s += 2;
                if (entry == STREAM_END) {
                    break;
                }
                xt = (const int32_t *)((const char *)xt + advance);
                for (int32_t q = (-entry - 8) / TAP_PAIR_BYTES; q > 0; q--, xt += 2) {
                    for (int32_t j = 0; j < STREAM_BLOCK; j += 2, s += 2) {
                        uint32_t sum = (uint32_t)xt[0] * (uint32_t)s[0] + (uint32_t)xt[1] * (uint32_t)s[1];
                        a[j] += sum;
                        a[j + 1] += (uint32_t)((int32_t)sum >> 16) + ((sum >> 15) & 1u);
                        a[j + 1] += j < 4 ? (uint32_t)(uintptr_t)(s + 2) : 0u;  // PAIR_HIGH's r3
                    }
                }
            }
            for (int32_t j = 0; j < STREAM_BLOCK; j += 2) {
                a[j] -= a[j + 1] << 16;
            }
            if (s[-2] == 0) {
                memcpy(acc, a, sizeof(a));
                acc += STREAM_BLOCK;
                continue;
            }
            ti_requant_run(y, (const int32_t *)a, STREAM_BLOCK, &rq);
            y += STREAM_BLOCK;
            rq.mult += STREAM_BLOCK;
            rq.shift += STREAM_BLOCK;
            s += STREAM_BLOCK * RECORD_WORDS;
        }
        y += run->y_skip;
    }
}
#endif

// A fused block's record (a ReLU: lo is the output offset; shift < 0): {m mod 2^16, m >> 16,
// Rh, 15 + e} (multipliers are >= 0). A sum <= 0 gives the offset (the requantization is
// monotonic and maps 0 to 0), a sum a >= 1 the offset plus
// floor((a m + 2^30 + 2^(30+e)) / 2^(31+e)) (TFLM's two roundings as one, exact for a m >= 0).
// Below 2^16 (nearly every sum) that is (a (m >> 16) + (a (m mod 2^16) >> 16) + Rh) >> (15 + e)
// with Rh = 2^14 + 2^(14+e), all in 32 bits unsigned; for e > 16 the shift (>= 32) gives 0, as
// the formula does, and Rh drops 2^(14+e). Larger sums take the four products of
// kernel_conv_requant.c (signed halves).
static __attribute__((noinline)) void relu_record(int32_t *r, int32_t mult, int32_t shift) {
    uint32_t m = (uint32_t)mult, e = (uint32_t)-shift;
    r[0] = (int32_t)(m & 0xffffu), r[1] = (int32_t)(m >> 16);
    r[2] = (int32_t)((1u << 14) + (e <= 16u ? 1u << (14u + e) : 0u)), r[3] = (int32_t)(15u + e);
}

// The stream of a group of blocks from channel c_first on (see STREAM_BLOCK); returns its
// end. Channels past oc (a last partial block) repeat the last one: their sums go unused.
static TI_HOT __attribute__((noinline)) int32_t *stream_build(int32_t *s, const int8_t *w, const ti_conv_params_t *p, int32_t oc,
                                    int32_t c_first, const stream_plan_t *g) {
    int32_t n = g->rows * g->taps, step = g->w_tap;
    for (int32_t c0 = c_first; c0 < oc && c0 < c_first + (int32_t)g->group * STREAM_BLOCK; c0 += STREAM_BLOCK) {
        const int8_t *ch[STREAM_BLOCK];
        int32_t *init = s;
        uint32_t addresses = 0, tap_pairs = 0;
        for (int32_t j = 0; j < STREAM_BLOCK; j++) {
            int32_t c = c0 + j < oc ? c0 + j : oc - 1;
            init[j] = p->fold[c];
            ch[j] = w + c * n;
        }
        s += STREAM_BLOCK;
        for (int32_t r = 0; r < g->rows; r++) {
            for (int32_t t = 0; t < g->row; t += 16) {
                int32_t pairs = g->row - t < 16 ? (g->row - t) / 2 : 8;
                int32_t full = t + 2 * pairs > g->taps ? pairs - 1 : pairs;  // the last tap pair may have one tap
                *s++ = t == 0 && r > 0 ? g->advance : 0;
                *s++ = STREAM_PAIRS(pairs);
                for (int32_t q = 0; q < pairs; q++) {
                    addresses += (uint32_t)(uintptr_t)(s + q * STREAM_BLOCK);
                }
                tap_pairs += (uint32_t)pairs;
                // [tap pair][channel pair][tap], one channel pair at a time.
                for (int32_t j = 0; j < STREAM_BLOCK; j += 2) {
                    const int8_t *lo = ch[j] + r * g->w_line + t * step, *hi = ch[j + 1] + (lo - ch[j]);
                    int32_t *d = s + j;
                    for (int32_t q = 0; q < full; q++, d += STREAM_BLOCK, lo += 2 * step, hi += 2 * step) {
                        d[0] = (int32_t)((uint32_t)lo[0] + ((uint32_t)hi[0] << 16));
                        d[1] = (int32_t)((uint32_t)lo[step] + ((uint32_t)hi[step] << 16));
                    }
                    if (full < pairs) {
                        d[0] = (int32_t)((uint32_t)lo[0] + ((uint32_t)hi[0] << 16));
                        d[1] = 0;
                    }
                }
                s += pairs * STREAM_BLOCK;
            }
        }
        // P = f0 + 2^16 f1 and H = f1 per channel pair (folds f0, f1); PAIR_HIGH's pairs A and B
        // add r3 at each tap pair, the address 8 or 16 bytes past the tap pair's.
        for (int32_t j = 0; j < STREAM_BLOCK; j += 2) {
            init[j] = (int32_t)((uint32_t)init[j] + ((uint32_t)init[j + 1] << 16));
        }
        init[1] = (int32_t)((uint32_t)init[1] - addresses - 8u * tap_pairs);
        init[3] = (int32_t)((uint32_t)init[3] - addresses - 16u * tap_pairs);
        *s++ = p->wide & STREAM_FUSED ? 1 : 0;
        *s++ = STREAM_END;
        if (!(p->wide & STREAM_FUSED)) {
            continue;
        }
        for (int32_t j = 0; j < STREAM_BLOCK; j++, s += RECORD_WORDS) {
            relu_record(s, p->mult[c0 + FUSED_ORDER[j]], p->shift[c0 + FUSED_ORDER[j]]);
        }
    }
    return s;
}

// Widens n input bytes into words.
static void TI_HOT widen(int32_t *dst, const int8_t *src, int32_t n) {
    const int8_t *end = src + n;
#if defined(__thumb__) && !defined(__thumb2__)
    // Cortex-M0+: two words of 4 bytes at a time once src is aligned (3.6 cycles a byte).
    for (; src < end && ((uintptr_t)src & 3u) != 0; src++) {
        *dst++ = *src;
    }
    const int8_t *words_end = src + ((end - src) & ~7);
#define WIDEN_WORD                                                                \
    "ldm %[src]!, {%[t]}\n"                                                       \
    "sxtb r4, %[t]\n"                                                             \
    "lsls r5, %[t], #16\n asrs r5, r5, #24\n"                                     \
    "lsls r6, %[t], #8\n asrs r6, r6, #24\n"                                      \
    "asrs r7, %[t], #24\n"                                                        \
    "stm %[dst]!, {r4-r7}\n"
    if (src != words_end) {
        uint32_t t;
        __asm__ volatile(
            ".syntax unified\n"
            "1:\n"
            WIDEN_WORD WIDEN_WORD
            "cmp %[src], %[end]\n"
            "bne 1b\n"
            ".syntax divided\n"
            : [dst] "+l"(dst), [src] "+l"(src), [t] "=&l"(t)
            : [end] "l"(words_end)
            : "r4", "r5", "r6", "r7", "cc", "memory");
    }
#undef WIDEN_WORD
#endif
    while (src < end) {
        *dst++ = *src++;
    }
}

static void fill(int32_t *dst, int32_t v, int32_t n) {
    for (int32_t i = 0; i < n; i++) {
        dst[i] = v;
    }
}

// Rows y0, y0 + step, ... (count of them) of batch b, columns x0 .. x0 + width - 1, as
// words (the zero point outside the image), rows pitch words apart; then one word more
// (read, times weight 0, by an odd row's last tap).
static void widen_tile(int32_t *dst, const conv_shape_t *s, const ti_conv_params_t *p, int32_t b, int32_t y0,
                       int32_t count, int32_t step, int32_t x0, int32_t width, int32_t pitch) {
    int32_t zp = -p->in_offset, ic = s->ic;
    int32_t lo = x0 < 0 ? -x0 : 0, hi = x0 + width > s->iw ? s->iw - x0 : width;
    hi = hi > lo ? hi : lo;
    for (int32_t r = 0; r < count; r++, dst += pitch) {
        int32_t yy = y0 + r * step;
        if (yy < 0 || yy >= s->ih) {
            fill(dst, zp, width * ic);
            continue;
        }
        fill(dst, zp, lo * ic);
        widen(dst + lo * ic, s->x + ((b * s->ih + yy) * s->iw + x0 + lo) * ic, (hi - lo) * ic);
        fill(dst + hi * ic, zp, (width - hi) * ic);
    }
    *dst = 0;
}

// STREAM_COLUMNS (one input channel): the padded image of batch b column by column, ph words
// each (the zero point outside the image), then one word more.
static void widen_columns(int32_t *dst, const conv_shape_t *s, const ti_conv_params_t *p, int32_t b, int32_t pw,
                          int32_t ph) {
    for (int32_t c = 0; c < pw; c++, dst += ph) {
        int32_t xx = c - p->pad_w;
        fill(dst, -p->in_offset, ph);
        if (xx >= 0 && xx < s->iw) {
            const int8_t *src = s->x + b * s->ih * s->iw + xx;
            for (int32_t r = 0; r < s->ih; r++, src += s->iw) {
                dst[p->pad_h + r] = *src;
            }
        }
    }
    *dst = 0;
}

// Output pixels q0..q1 - 1 (row by row) of one group of blocks and batch: the kernel over
// their windows along each row (into a tile widened per call unless the input is whole),
// fused or requantized.
typedef struct {
    stream_run_t run;
    const stream_plan_t *g;
    const conv_shape_t *s;
    const ti_conv_params_t *p;
    const requant_t *rq;
    int32_t *xw, *acc;  // this half's tile (or the whole input), the sums of one call
    int8_t *y;          // output pixel 0 of the batch, the group's first channel
    int32_t b, q0, q1, ow, nc, stride, row_pitch, col_pitch;
} stream_rows_t;

static void stream_rows(void *arg) {
    stream_rows_t *r = arg;
    const ti_conv_params_t *p = r->p;
    const conv_shape_t *s = r->s;
    int32_t oy = r->q0 / r->ow, ox = r->q0 - oy * r->ow;
    for (int32_t q = r->q0; q < r->q1; q += r->run.pixels, ox += r->run.pixels) {
        if (ox == r->ow) {
            ox = 0;
            oy++;
        }
        int32_t row_end = r->q1 - q < r->ow - ox ? r->q1 - q : r->ow - ox;
        int8_t *y = r->y + q * s->oc;
        r->run.pixels = row_end < r->g->pixels ? row_end : r->g->pixels;
        r->run.x = r->xw + oy * p->stride_h * r->row_pitch + ox * p->stride_w * r->col_pitch;
        if (!(p->wide & STREAM_WHOLE)) {
            int32_t width = (r->run.pixels - 1) * p->stride_w + p->filter_w;
            widen_tile(r->xw, s, p, r->b, oy * p->stride_h - p->pad_h, p->filter_h, p->dil_h,
                       ox * p->stride_w - p->pad_w, width, r->g->pw * s->ic);
            r->run.x = r->xw;
        }
        if (p->wide & STREAM_FUSED) {
            dot8_stream((int32_t *)y, &r->run);
            continue;
        }
        dot8_stream(r->acc, &r->run);
        for (int32_t k = 0; k < r->run.pixels; k++, y += s->oc) {
            ti_requant_run(y, r->acc + k * r->stride, r->nc, r->rq);
        }
    }
}

// Scratch: x words (a second tile for the other half), the sums of one call, the stream
// of a group of blocks.
static void conv_stream(ti_interp_t *it, const ti_op_t *op, const conv_shape_t *s, int32_t batches) {
    const ti_conv_params_t *p = &op->p.conv;
    const ti_tensor_t *out = ti_out(it, op, 0);
    int32_t oh = out->dims[1], ow = out->dims[2], whole = p->wide & STREAM_WHOLE;
    const int32_t in_dims[4] = {batches, s->ih, s->iw, s->ic};
    stream_plan_t g;
    stream_plan(p, in_dims, oh, ow, s->oc, &g);
    int32_t *xw = (int32_t *)(it->arena + op->scratch_offset);
    int32_t *acc = xw + stream_tiles(it, p) * g.x_words;
    int32_t per_pixel = (int32_t)g.group * STREAM_BLOCK, row_words = g.pw * s->ic;
    int fused = p->wide & STREAM_FUSED, cols = p->wide & STREAM_COLUMNS;
    stream_rows_t rows = {{xw, 0, fused ? acc : acc + g.pixels * per_pixel, g.pixels, 0, 0, p->out_offset,
                           p->act_max, 0, 0},
                          &g, s, p, 0, xw, acc, 0, 0, 0, 0, ow, 0, 0, cols ? 1 : row_words, cols ? g.ph : s->ic};
    rows.run.x_step = p->stride_w * rows.col_pitch * 4;
    requant_t rq = {p->mult, p->shift, p->out_offset, p->act_min, p->act_max};
    rows.rq = &rq;
    for (int32_t c0 = 0; c0 < s->oc; c0 += per_pixel) {
        rows.nc = s->oc - c0 < per_pixel ? s->oc - c0 : per_pixel;
        rows.stride = (rows.nc + STREAM_BLOCK - 1) & ~(STREAM_BLOCK - 1);  // sums of a pixel
        rows.run.end = stream_build((int32_t *)rows.run.stream, s->w, p, s->oc, c0, &g);
        rq.mult = p->mult + c0;
        rq.shift = p->shift + c0;
        rows.run.mult = rq.mult;
        rows.run.shift = rq.shift;
        rows.run.y_skip = fused ? s->oc - rows.nc : 0;
        for (int32_t b = 0; b < batches; b++) {
            // The widened input of a single batch serves every group.
            if (cols && (c0 == 0 || batches > 1)) {
                widen_columns(xw, s, p, b, g.pw, g.ph);
            } else if (whole && (c0 == 0 || batches > 1)) {
                widen_tile(xw, s, p, b, -p->pad_h, g.ph, 1, -p->pad_w, g.pw, row_words);
            }
            rows.b = b;
            rows.y = (int8_t *)out->data + (b * oh * ow) * s->oc + c0;
            rows.q1 = oh * ow;
            if (!stream_halves(it, p) || rows.q1 < 2) {
                stream_rows(&rows);
                continue;
            }
            stream_rows_t second = rows;
            rows.q1 = second.q0 = (oh * ow + 1) / 2;
            second.xw += whole ? 0 : g.x_words;
            ti_halves(it, stream_rows, &rows, &second);
        }
    }
}

void ti_conv_eval(ti_interp_t *it, const ti_op_t *op) {
    const ti_tensor_t *in = ti_in(it, op, 0), *w = ti_in(it, op, 1), *out = ti_out(it, op, 0);
    conv_shape_t s = {(const int8_t *)in->data, (const int8_t *)w->data, in->dims[1], in->dims[2], in->dims[3],
                      w->dims[3], out->dims[3], 0};
    conv_stream(it, op, &s, in->dims[0]);
}
