// Bounds-checked reader of a FlatBuffer held in memory (the .tflite file, in place).
//
// Every access checks offsets and lengths against the buffer: a hostile file makes a
// reader function return 0 / an empty result, never a read outside [buf, buf+len).
// Multi-byte values are read byte by byte (little endian): the Cortex-M0+ faults on
// unaligned loads and a file may place anything anywhere.
#ifndef TI_FB_H
#define TI_FB_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *buf;
    uint32_t len;
} ti_fb_t;

// A table: its position and the size of its vtable and inline part (both checked).
typedef struct {
    uint32_t pos;
    uint32_t vtable;
    uint16_t vtable_len;
    uint16_t inline_len;
} ti_fb_table_t;

// A vector: position of element 0 and element count (elements checked to lie in the buffer).
typedef struct {
    uint32_t pos;
    uint32_t n;
} ti_fb_vec_t;

static inline uint32_t ti_rd_u32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline int32_t ti_rd_i32(const uint8_t *p) {
    return (int32_t)ti_rd_u32(p);
}
// memcmp(a, b, n) == 0 (natmods have no libc).
static inline int ti_bytes_equal(const uint8_t *a, const char *b, uint32_t n) {
    for (uint32_t i = 0; i < n; i++) {
        if (a[i] != (uint8_t)b[i]) {
            return 0;
        }
    }
    return 1;
}

static inline uint16_t ti_rd_u16(const uint8_t *p) {
    return (uint16_t)(p[0] | (p[1] << 8));
}

// 1 and the root table when the buffer is a FlatBuffer whose identifier is `ident` (4 chars).
int ti_fb_root(const ti_fb_t *fb, const char *ident, ti_fb_table_t *root);
// 1 when a valid table starts at `pos`.
int ti_fb_table_at(const ti_fb_t *fb, uint32_t pos, ti_fb_table_t *t);

// Position of field `idx` when present and `size` bytes of it lie inside the table, else 0.
uint32_t ti_fb_field(const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, unsigned size);

int32_t ti_fb_i32(const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, int32_t dflt);
uint32_t ti_fb_u32(const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, uint32_t dflt);
int32_t ti_fb_i8(const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, int32_t dflt);
uint32_t ti_fb_u8(const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, uint32_t dflt);
float ti_fb_f32(const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, float dflt);

// Field `idx` as a table; 0 when absent or invalid.
int ti_fb_subtable(const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, ti_fb_table_t *out);

// Field `idx` as a vector of `elem` byte elements. Returns -1 when present but out of
// bounds, 0 when absent (v->n = 0), 1 when present.
int ti_fb_vector(const ti_fb_t *fb, const ti_fb_table_t *t, unsigned idx, unsigned elem, ti_fb_vec_t *v);

// Element i of a vector of tables; 0 when invalid.
int ti_fb_vec_table(const ti_fb_t *fb, const ti_fb_vec_t *v, uint32_t i, ti_fb_table_t *out);

static inline int32_t ti_fb_vec_i32(const ti_fb_t *fb, const ti_fb_vec_t *v, uint32_t i) {
    return ti_rd_i32(fb->buf + v->pos + 4 * i);
}

#endif
