// hashlib.sha256 (FIPS 180-4). Built when MICROPY_PY_HASHLIB is set; mpremote uses
// it to skip copying files that are already on the board.
#include <string.h>

#include "py/objstr.h"
#include "py/runtime.h"

#if MICROPY_PY_HASHLIB

typedef struct {
    mp_obj_base_t base;
    uint32_t state[8];
    uint64_t length;   // bytes hashed so far
    byte block[64];    // the first length % 64 bytes are pending
    bool final;        // digest() was called: no more updates
} sha256_obj_t;

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n) {
    return x >> n | x << (32 - n);
}

static void sha256_compress(uint32_t *state, const byte *block) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++) {
        w[i] = (uint32_t)block[4 * i] << 24 | block[4 * i + 1] << 16 | block[4 * i + 2] << 8 | block[4 * i + 3];
    }
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

static void sha256_add(sha256_obj_t *self, const byte *data, size_t len) {
    while (len > 0) {
        size_t used = self->length % 64;
        size_t n = 64 - used < len ? 64 - used : len;
        memcpy(self->block + used, data, n);
        self->length += n;
        data += n;
        len -= n;
        if (self->length % 64 == 0) {
            sha256_compress(self->state, self->block);
        }
    }
}

static mp_obj_t sha256_update(mp_obj_t self_in, mp_obj_t data_in) {
    sha256_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (self->final) {
        mp_raise_ValueError(MP_ERROR_TEXT("shouldn't update after digest"));
    }
    mp_buffer_info_t data;
    mp_get_buffer_raise(data_in, &data, MP_BUFFER_READ);
    sha256_add(self, data.buf, data.len);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(sha256_update_obj, sha256_update);

// Pads once (0x80, zeros, the bit length) and returns the 32-byte digest.
static mp_obj_t sha256_digest(mp_obj_t self_in) {
    sha256_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (!self->final) {
        uint64_t bits = self->length * 8;
        byte pad[72] = { 0x80 };
        size_t pad_len = (self->length % 64 < 56 ? 56 : 120) - self->length % 64;
        for (int i = 0; i < 8; i++) {
            pad[pad_len + i] = bits >> (56 - 8 * i);
        }
        sha256_add(self, pad, pad_len + 8);
        self->final = true;
    }
    byte digest[32];
    for (int i = 0; i < 32; i++) {
        digest[i] = self->state[i / 4] >> (24 - 8 * (i % 4));
    }
    return mp_obj_new_bytes(digest, sizeof(digest));
}
static MP_DEFINE_CONST_FUN_OBJ_1(sha256_digest_obj, sha256_digest);

static mp_obj_t sha256_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 0, 1, false);
    static const uint32_t initial[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    sha256_obj_t *self = mp_obj_malloc(sha256_obj_t, type);
    memcpy(self->state, initial, sizeof(initial));
    self->length = 0;
    self->final = false;
    if (n_args == 1) {
        sha256_update(MP_OBJ_FROM_PTR(self), args[0]);
    }
    return MP_OBJ_FROM_PTR(self);
}

static const mp_rom_map_elem_t sha256_locals_dict_table[] = {
    { MP_ROM_QSTR(MP_QSTR_update), MP_ROM_PTR(&sha256_update_obj) },
    { MP_ROM_QSTR(MP_QSTR_digest), MP_ROM_PTR(&sha256_digest_obj) },
};
static MP_DEFINE_CONST_DICT(sha256_locals_dict, sha256_locals_dict_table);

static MP_DEFINE_CONST_OBJ_TYPE(
    hashlib_type_sha256,
    MP_QSTR_sha256,
    MP_TYPE_FLAG_NONE,
    make_new, sha256_make_new,
    locals_dict, &sha256_locals_dict
    );

static const mp_rom_map_elem_t hashlib_module_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_hashlib) },
    { MP_ROM_QSTR(MP_QSTR_sha256), MP_ROM_PTR(&hashlib_type_sha256) },
};
static MP_DEFINE_CONST_DICT(hashlib_module_globals, hashlib_module_globals_table);

const mp_obj_module_t mp_module_hashlib = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&hashlib_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR_hashlib, mp_module_hashlib);

#endif // MICROPY_PY_HASHLIB
