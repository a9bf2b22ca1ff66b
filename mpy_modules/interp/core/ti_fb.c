#include "ti_fb.h"

#include <string.h>

// 1 when [pos, pos + size) lies inside the buffer; in 32 bits without overflow.
static int in_bounds(const ti_fb_t *fb, uint32_t pos, uint32_t size) {
    return pos <= fb->len && size <= fb->len - pos;
}

int ti_fb_table_at(const ti_fb_t *fb, uint32_t pos, ti_fb_table_t *t) {
    if (!in_bounds(fb, pos, 4)) {
        return 0;
    }
    // The vtable sits at pos - soffset. pos < len <= 2^31 - 1: a negative result wraps
    // to at least 2^31, past the end, and pos - soffset < 2^32 for a negative soffset.
    uint32_t vt = pos - (uint32_t)ti_rd_i32(fb->buf + pos);
    if (!in_bounds(fb, vt, 4)) {
        return 0;
    }
    uint16_t vt_len = ti_rd_u16(fb->buf + vt);
    uint16_t inline_len = ti_rd_u16(fb->buf + vt + 2);
    if (vt_len < 4 || (vt_len & 1) || !in_bounds(fb, vt, vt_len) || inline_len < 4 ||
        !in_bounds(fb, pos, inline_len)) {
        return 0;
    }
    t->pos = pos;
    t->vtable = vt;
    t->vtable_len = vt_len;
    t->inline_len = inline_len;
    return 1;
}

int ti_fb_root(const ti_fb_t *fb, const char *ident, ti_fb_table_t *root) {
    if (fb->len < 8 || !ti_bytes_equal(fb->buf + 4, ident, 4)) {
        return 0;
    }
    return ti_fb_table_at(fb, ti_rd_u32(fb->buf), root);
}

uint32_t ti_fb_field(const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, unsigned size) {
    uint32_t slot = 4 + 2 * idx;
    if (slot + 2 > t->vtable_len) {
        return 0;
    }
    uint16_t off = ti_rd_u16(fb->buf + t->vtable + slot);
    if (off == 0 || off < 4 || (uint32_t)off + size > t->inline_len) {
        return 0;
    }
    return t->pos + off;
}

int32_t ti_fb_i32(const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, int32_t dflt) {
    uint32_t p = ti_fb_field(fb, t, idx, 4);
    return p ? ti_rd_i32(fb->buf + p) : dflt;
}

uint32_t ti_fb_u32(const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, uint32_t dflt) {
    uint32_t p = ti_fb_field(fb, t, idx, 4);
    return p ? ti_rd_u32(fb->buf + p) : dflt;
}

int32_t ti_fb_i8(const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, int32_t dflt) {
    uint32_t p = ti_fb_field(fb, t, idx, 1);
    return p ? (int8_t)fb->buf[p] : dflt;
}

uint32_t ti_fb_u8(const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, uint32_t dflt) {
    uint32_t p = ti_fb_field(fb, t, idx, 1);
    return p ? fb->buf[p] : dflt;
}

float ti_fb_f32(const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, float dflt) {
    uint32_t p = ti_fb_field(fb, t, idx, 4);
    if (!p) {
        return dflt;
    }
    uint32_t bits = ti_rd_u32(fb->buf + p);
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

// Follows the uoffset stored at `p` (p + 4 <= len); 0 when it leaves the buffer.
static uint32_t follow(const ti_fb_t *fb, uint32_t p) {
    uint32_t off = ti_rd_u32(fb->buf + p);
    return off < fb->len - p ? p + off : 0;
}

int ti_fb_subtable(const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, ti_fb_table_t *out) {
    uint32_t p = ti_fb_field(fb, t, idx, 4);
    if (!p) {
        return 0;
    }
    uint32_t target = follow(fb, p);
    return target && ti_fb_table_at(fb, target, out);
}

int ti_fb_vector(const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, unsigned elem, ti_fb_vec_t *v) {
    v->pos = 0;
    v->n = 0;
    uint32_t p = ti_fb_field(fb, t, idx, 4);
    if (!p) {
        return 0;
    }
    uint32_t target = follow(fb, p);
    if (!target || !in_bounds(fb, target, 4)) {
        return -1;
    }
    uint32_t n = ti_rd_u32(fb->buf + target);
    if (n > (fb->len - (target + 4)) / elem) {  // target + 4 <= len
        return -1;
    }
    v->pos = target + 4;
    v->n = n;
    return 1;
}

int ti_fb_vec_table(const ti_fb_t *fb, const ti_fb_vec_t *v, uint32_t i, ti_fb_table_t *out) {
    if (i >= v->n) {
        return 0;
    }
    uint32_t p = v->pos + 4 * i;
    uint32_t target = follow(fb, p);
    return target && ti_fb_table_at(fb, target, out);
}
