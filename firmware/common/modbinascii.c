// binascii: hex, base64 and crc32. Built when MICROPY_PY_BINASCII is set.
#include <string.h>

#include "py/objstr.h"
#include "py/runtime.h"

#if MICROPY_PY_BINASCII

static const char hex_digits[] = "0123456789abcdef";
static const char base64_digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static mp_obj_t binascii_hexlify(size_t n_args, const mp_obj_t *args) {
    mp_buffer_info_t data;
    mp_get_buffer_raise(args[0], &data, MP_BUFFER_READ);
    size_t sep_len = 0;
    const char *sep = n_args > 1 && args[1] != mp_const_none ? mp_obj_str_get_data(args[1], &sep_len) : NULL;
    if (sep_len > 1) {
        mp_raise_ValueError(MP_ERROR_TEXT("separator must be one character"));
    }
    vstr_t out;
    vstr_init(&out, data.len * (2 + sep_len));
    for (size_t i = 0; i < data.len; i++) {
        if (i > 0 && sep_len) {
            vstr_add_byte(&out, sep[0]);
        }
        byte b = ((const byte *)data.buf)[i];
        vstr_add_byte(&out, hex_digits[b >> 4]);
        vstr_add_byte(&out, hex_digits[b & 15]);
    }
    return mp_obj_new_bytes_from_vstr(&out);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(binascii_hexlify_obj, 1, 2, binascii_hexlify);

static int hex_value(byte c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static mp_obj_t binascii_unhexlify(mp_obj_t data_in) {
    mp_buffer_info_t data;
    mp_get_buffer_raise(data_in, &data, MP_BUFFER_READ);
    if (data.len % 2 != 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("odd-length string"));
    }
    vstr_t out;
    vstr_init(&out, data.len / 2);
    const byte *in = data.buf;
    for (size_t i = 0; i < data.len; i += 2) {
        int hi = hex_value(in[i]), lo = hex_value(in[i + 1]);
        if (hi < 0 || lo < 0) {
            mp_raise_ValueError(MP_ERROR_TEXT("non-hex digit found"));
        }
        vstr_add_byte(&out, hi << 4 | lo);
    }
    return mp_obj_new_bytes_from_vstr(&out);
}
static MP_DEFINE_CONST_FUN_OBJ_1(binascii_unhexlify_obj, binascii_unhexlify);

// Decodes 4-character groups; whitespace and other non-alphabet bytes are skipped,
// as CPython does without strict mode. '=' ends the data.
static mp_obj_t binascii_a2b_base64(mp_obj_t data_in) {
    mp_buffer_info_t data;
    mp_get_buffer_raise(data_in, &data, MP_BUFFER_READ);
    vstr_t out;
    vstr_init(&out, data.len / 4 * 3 + 3);
    uint32_t bits = 0; // pending bits, 6 per digit
    int n_bits = 0, n_digits = 0, n_pad = 0;
    for (size_t i = 0; i < data.len; i++) {
        byte c = ((const byte *)data.buf)[i];
        if (c == '=') {
            n_pad++;
            if (n_digits % 4 + n_pad >= 4) {
                break;
            }
            continue;
        }
        const char *digit = c != 0 ? strchr(base64_digits, c) : NULL;
        if (digit == NULL || n_pad > 0) {
            continue;
        }
        bits = bits << 6 | (digit - base64_digits);
        n_bits += 6;
        n_digits++;
        if (n_bits >= 8) {
            n_bits -= 8;
            vstr_add_byte(&out, (bits >> n_bits) & 0xff);
        }
    }
    if (n_digits % 4 == 1 || (n_digits % 4 != 0 && n_digits % 4 + n_pad < 4)) {
        mp_raise_ValueError(MP_ERROR_TEXT("incorrect padding"));
    }
    return mp_obj_new_bytes_from_vstr(&out);
}
static MP_DEFINE_CONST_FUN_OBJ_1(binascii_a2b_base64_obj, binascii_a2b_base64);

static mp_obj_t binascii_b2a_base64(size_t n_args, const mp_obj_t *args, mp_map_t *kw_args) {
    static const mp_arg_t allowed[] = {
        { MP_QSTR_data, MP_ARG_REQUIRED | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_newline, MP_ARG_KW_ONLY | MP_ARG_BOOL, {.u_bool = true} },
    };
    mp_arg_val_t vals[MP_ARRAY_SIZE(allowed)];
    mp_arg_parse_all(n_args, args, kw_args, MP_ARRAY_SIZE(allowed), allowed, vals);
    mp_buffer_info_t data;
    mp_get_buffer_raise(vals[0].u_obj, &data, MP_BUFFER_READ);
    const byte *in = data.buf;
    vstr_t out;
    vstr_init(&out, (data.len + 2) / 3 * 4 + 1);
    for (size_t i = 0; i < data.len; i += 3) {
        size_t n = data.len - i < 3 ? data.len - i : 3;
        uint32_t group = in[i] << 16 | (n > 1 ? in[i + 1] << 8 : 0) | (n > 2 ? in[i + 2] : 0);
        for (size_t k = 0; k < 4; k++) {
            vstr_add_byte(&out, k <= n ? base64_digits[(group >> (18 - 6 * k)) & 63] : '=');
        }
    }
    if (vals[1].u_bool) {
        vstr_add_byte(&out, '\n');
    }
    return mp_obj_new_bytes_from_vstr(&out);
}
static MP_DEFINE_CONST_FUN_OBJ_KW(binascii_b2a_base64_obj, 1, binascii_b2a_base64);

// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), bit by bit: no table in RAM.
static mp_obj_t binascii_crc32(size_t n_args, const mp_obj_t *args) {
    mp_buffer_info_t data;
    mp_get_buffer_raise(args[0], &data, MP_BUFFER_READ);
    uint32_t crc = n_args > 1 ? ~(uint32_t)mp_obj_int_get_truncated(args[1]) : 0xffffffff;
    for (size_t i = 0; i < data.len; i++) {
        crc ^= ((const byte *)data.buf)[i];
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
        }
    }
    return mp_obj_new_int_from_uint(~crc);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(binascii_crc32_obj, 1, 2, binascii_crc32);

static const mp_rom_map_elem_t binascii_module_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_binascii) },
    { MP_ROM_QSTR(MP_QSTR_hexlify), MP_ROM_PTR(&binascii_hexlify_obj) },
    { MP_ROM_QSTR(MP_QSTR_unhexlify), MP_ROM_PTR(&binascii_unhexlify_obj) },
    { MP_ROM_QSTR(MP_QSTR_a2b_base64), MP_ROM_PTR(&binascii_a2b_base64_obj) },
    { MP_ROM_QSTR(MP_QSTR_b2a_base64), MP_ROM_PTR(&binascii_b2a_base64_obj) },
    { MP_ROM_QSTR(MP_QSTR_crc32), MP_ROM_PTR(&binascii_crc32_obj) },
};
static MP_DEFINE_CONST_DICT(binascii_module_globals, binascii_module_globals_table);

const mp_obj_module_t mp_module_binascii = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&binascii_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR_binascii, mp_module_binascii);

#endif // MICROPY_PY_BINASCII
