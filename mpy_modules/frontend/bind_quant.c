// Binding of the int8 input forming: Quantizer, to_int8, copy_ring.
#include "bind.h"
#include "core/fe_quant.h"
#include "core/fe_ring.h"

typedef struct {
    mp_obj_base_t base;
    fe_quant_t q;
} quantizer_obj_t;

mp_obj_full_type_t quantizer_type;
mp_map_elem_t quantizer_locals_table[1];
static MP_DEFINE_CONST_DICT(quantizer_locals, quantizer_locals_table);

static void quant_init(fe_quant_t *q, mp_obj_t scale, mp_obj_t zero_point) {
    union {
        float f;
        uint32_t bits;
    } s;
    s.f = mp_obj_get_float_to_f(scale);
    check(fe_quant_init(q, s.bits, mp_obj_get_int(zero_point)));
}

static mp_obj_t quantizer_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw,
    const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 2, 2, false);
    quantizer_obj_t *self = mp_obj_malloc(quantizer_obj_t, type);
    quant_init(&self->q, args[0], args[1]);
    return MP_OBJ_FROM_PTR(self);
}

// dst[i] = int8(src[(start + i) % len(src)]): quantizes a window straight from a ring.
static void quantize(const fe_quant_t *q, mp_obj_t src_obj, mp_obj_t dst_obj, mp_int_t start) {
    mp_buffer_info_t src, dst;
    size_t n = int16_buffer(src_obj, &src, MP_BUFFER_READ);
    typed_buffer(dst_obj, &dst, MP_BUFFER_WRITE, "bB\x01", "dst: writable int8 buffer, array('b')/bytearray");
    if (dst.len == 0 || dst.len > n || start < 0 || (size_t)start >= n) {
        mp_raise_ValueError(MP_ERROR_TEXT("need 1 <= len(dst) <= len(src), 0 <= start < len(src)"));
    }
    fe_quant_s8(q, src.buf, n, start, dst.buf, dst.len);
}

static mp_obj_t quantizer_to_int8(size_t n_args, const mp_obj_t *args) {
    quantizer_obj_t *self = MP_OBJ_TO_PTR(args[0]);
    quantize(&self->q, args[1], args[2], n_args > 3 ? mp_obj_get_int(args[3]) : 0);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(quantizer_to_int8_obj, 3, 4, quantizer_to_int8);

// copy_ring(src, dst, start=0): dst[i] = src[(start + i) % len(src)], bytes of any
// buffers; e.g. an int8 ring of quantized columns unrolled into the model's input.
static mp_obj_t copy_ring(size_t n_args, const mp_obj_t *args) {
    mp_buffer_info_t src, dst;
    if (!mp_get_buffer(args[0], &src, MP_BUFFER_READ) || !mp_get_buffer(args[1], &dst, MP_BUFFER_WRITE)) {
        mp_raise_ValueError(MP_ERROR_TEXT("src, dst: buffers, dst writable"));
    }
    mp_int_t start = n_args > 2 ? mp_obj_get_int(args[2]) : 0;
    if (src.len == 0 || dst.len > src.len || start < 0 || (size_t)start >= src.len) {
        mp_raise_ValueError(MP_ERROR_TEXT("need len(dst) <= len(src), 0 <= start < len(src)"));
    }
    fe_ring_copy_u8(src.buf, src.len, start, dst.buf, dst.len);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(copy_ring_obj, 2, 3, copy_ring);

void bind_quant_register(void) {
    mp_store_global(MP_QSTR_copy_ring, MP_OBJ_FROM_PTR(&copy_ring_obj));
    quantizer_type.base.type = (void *)&mp_type_type;
    quantizer_type.flags = MP_TYPE_FLAG_NONE;
    quantizer_type.name = MP_QSTR_Quantizer;
    MP_OBJ_TYPE_SET_SLOT(&quantizer_type, make_new, quantizer_make_new, 0);
    quantizer_locals_table[0] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_to_int8), MP_OBJ_FROM_PTR(&quantizer_to_int8_obj) };
    MP_OBJ_TYPE_SET_SLOT(&quantizer_type, locals_dict, (void *)&quantizer_locals, 1);
    mp_store_global(MP_QSTR_Quantizer, MP_OBJ_FROM_PTR(&quantizer_type));
}
