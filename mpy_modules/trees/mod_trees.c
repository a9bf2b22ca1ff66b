// MicroPython binding of the trees core: Forest(model_bytes) owns a checked copy of
// the model; predict/votes and band_features work on caller buffers.
#include "py/dynruntime.h"
#include "../common/natmod_alloc.h"

#include "core/tr_features.h"
#include "core/tr_model.h"

static void check(tr_status_t status) {
    if (status != TR_OK) {
        mp_raise_ValueError(tr_status_message(status));
    }
}

static size_t int16_buffer(mp_obj_t obj, mp_buffer_info_t *info, mp_uint_t flags) {
    mp_get_buffer_raise(obj, info, flags);
    if (info->len % 2 != 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("expected int16 values: even byte count"));
    }
    return info->len / 2;
}

typedef struct {
    mp_obj_base_t base;
    tr_model_t model;
    uint32_t storage[];  // roots, nodes, leaves (tr_storage_bytes)
} forest_obj_t;

mp_obj_full_type_t forest_type;
mp_map_elem_t forest_locals_table[2];
static MP_DEFINE_CONST_DICT(forest_locals, forest_locals_table);

// Forest(data): data is the model file's bytes (bytes, bytearray, memoryview).
static mp_obj_t forest_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw,
    const mp_obj_t *args) {
    if (n_args != 1 || n_kw != 0) {
        mp_raise_TypeError(MP_ERROR_TEXT("Forest(data) takes the model bytes"));
    }
    mp_buffer_info_t info;
    mp_get_buffer_raise(args[0], &info, MP_BUFFER_READ);
    tr_header_t header;
    check(tr_read_header(info.buf, info.len, &header));
    size_t bytes = tr_storage_bytes(&header);
    forest_obj_t *self = mp_obj_malloc_var(forest_obj_t, storage, uint32_t, (bytes + 3) / 4, type);
    check(tr_load(&self->model, info.buf, info.len, self->storage, (bytes + 3) / 4 * 4));
    return MP_OBJ_FROM_PTR(self);
}

static const int16_t *features_of(forest_obj_t *self, mp_obj_t obj, mp_buffer_info_t *info) {
    if (int16_buffer(obj, info, MP_BUFFER_READ) != self->model.header.n_features) {
        mp_raise_ValueError(MP_ERROR_TEXT("features must hold n_features int16 values"));
    }
    return info->buf;
}

// predict(features) -> class index. features: int16 buffer of n_features values.
static mp_obj_t forest_predict(mp_obj_t self_in, mp_obj_t features) {
    forest_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_buffer_info_t info;
    const int16_t *x = features_of(self, features, &info);
    return mp_obj_new_int(tr_predict(&self->model, x, self->model.header.n_features));
}
static MP_DEFINE_CONST_FUN_OBJ_2(forest_predict_obj, forest_predict);

// votes(features, out): out is array('I') (uint32) of n_classes values; see tr_votes.
static mp_obj_t forest_votes(mp_obj_t self_in, mp_obj_t features, mp_obj_t out_obj) {
    forest_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_buffer_info_t info, out;
    const int16_t *x = features_of(self, features, &info);
    mp_get_buffer_raise(out_obj, &out, MP_BUFFER_WRITE);
    if ((out.typecode != 'I' && out.typecode != 'L') || out.len != 4 * (size_t)self->model.header.n_classes) {
        mp_raise_ValueError(MP_ERROR_TEXT("out must be array('I') of n_classes values"));
    }
    check(tr_votes(&self->model, x, self->model.header.n_features, out.buf,
                   self->model.header.n_classes));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(forest_votes_obj, forest_votes);

static void forest_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    if (dest[0] != MP_OBJ_NULL) {
        return;
    }
    const tr_header_t *h = &((forest_obj_t *)MP_OBJ_TO_PTR(self_in))->model.header;
    if (attr == MP_QSTR_n_features) {
        dest[0] = mp_obj_new_int(h->n_features);
    } else if (attr == MP_QSTR_n_classes) {
        dest[0] = mp_obj_new_int(h->n_classes);
    } else if (attr == MP_QSTR_n_trees) {
        dest[0] = mp_obj_new_int(h->n_trees);
    } else if (attr == MP_QSTR_n_nodes) {
        dest[0] = mp_obj_new_int_from_uint(h->n_nodes);
    } else if (attr == MP_QSTR_leaf_bits) {
        dest[0] = mp_obj_new_int(h->leaf_bits);
    } else {
        dest[1] = MP_OBJ_SENTINEL;
    }
}

// band_features(columns, bins, bands, out): see core/tr_features.h.
static mp_obj_t band_features(size_t n_args, const mp_obj_t *args) {
    mp_buffer_info_t in, out;
    size_t n = int16_buffer(args[0], &in, MP_BUFFER_READ);
    mp_int_t bins = mp_obj_get_int(args[1]), bands = mp_obj_get_int(args[2]);
    size_t n_out = int16_buffer(args[3], &out, MP_BUFFER_WRITE);
    if (bins < 2 || bands < 1 || bands > TR_MAX_BANDS || bins < bands + 1 || n % bins != 0 ||
        n == 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("need 1..63 bands, bins > bands, columns of bins int16"));
    }
    if (n_out != 2 * (size_t)bands) {
        mp_raise_ValueError(MP_ERROR_TEXT("out must hold 2 * bands int16"));
    }
    tr_band_features(in.buf, n / bins, bins, bands, out.buf);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(band_features_obj, 4, 4, band_features);

// mean_dev(values, n_cols, out): see core/tr_features.h (e.g. MFCC frames x coefficients).
static mp_obj_t mean_dev(mp_obj_t values_obj, mp_obj_t cols_obj, mp_obj_t out_obj) {
    mp_buffer_info_t in, out;
    size_t n = int16_buffer(values_obj, &in, MP_BUFFER_READ);
    mp_int_t cols = mp_obj_get_int(cols_obj);
    size_t n_out = int16_buffer(out_obj, &out, MP_BUFFER_WRITE);
    if (cols < 1 || n == 0 || n % cols != 0 || n / cols > 65535) {
        mp_raise_ValueError(MP_ERROR_TEXT("values must be 1..65535 rows of n_cols int16"));
    }
    if (n_out != 2 * (size_t)cols) {
        mp_raise_ValueError(MP_ERROR_TEXT("out must hold 2 * n_cols int16"));
    }
    tr_mean_dev_s16(in.buf, n / cols, cols, out.buf);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_3(mean_dev_obj, mean_dev);

mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY

    forest_type.base.type = (void *)&mp_type_type;
    forest_type.flags = MP_TYPE_FLAG_NONE;
    forest_type.name = MP_QSTR_Forest;
    MP_OBJ_TYPE_SET_SLOT(&forest_type, make_new, forest_make_new, 0);
    MP_OBJ_TYPE_SET_SLOT(&forest_type, attr, forest_attr, 1);
    forest_locals_table[0] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_predict), MP_OBJ_FROM_PTR(&forest_predict_obj) };
    forest_locals_table[1] = (mp_map_elem_t){ MP_OBJ_NEW_QSTR(MP_QSTR_votes), MP_OBJ_FROM_PTR(&forest_votes_obj) };
    MP_OBJ_TYPE_SET_SLOT(&forest_type, locals_dict, (void *)&forest_locals, 2);
    mp_store_global(MP_QSTR_Forest, MP_OBJ_FROM_PTR(&forest_type));
    mp_store_global(MP_QSTR_band_features, MP_OBJ_FROM_PTR(&band_features_obj));
    mp_store_global(MP_QSTR_mean_dev, MP_OBJ_FROM_PTR(&mean_dev_obj));

    MP_DYNRUNTIME_INIT_EXIT
}
