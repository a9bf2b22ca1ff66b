// A small select module: poll() over stream objects (sys.stdin.buffer is what
// mpremote mount waits on). Readiness comes from each stream's MP_STREAM_POLL ioctl.
#include "py/mphal.h"
#include "py/runtime.h"
#include "py/stream.h"

typedef struct {
    mp_obj_base_t base;
    mp_obj_t entries; // dict: stream -> event mask
} select_poll_obj_t;

static mp_uint_t stream_ready(mp_obj_t stream, mp_uint_t mask) {
    const mp_stream_p_t *proto = mp_get_stream_raise(stream, MP_STREAM_OP_IOCTL);
    int errcode;
    mp_uint_t ret = proto->ioctl(stream, MP_STREAM_POLL, mask, &errcode);
    return ret == MP_STREAM_ERROR ? MP_STREAM_POLL_ERR : ret;
}

static mp_obj_t poll_register(size_t n_args, const mp_obj_t *args) {
    select_poll_obj_t *self = MP_OBJ_TO_PTR(args[0]);
    mp_uint_t mask = n_args > 2 ? mp_obj_get_int(args[2]) : (MP_STREAM_POLL_RD | MP_STREAM_POLL_WR);
    mp_obj_dict_store(self->entries, args[1], MP_OBJ_NEW_SMALL_INT(mask));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(poll_register_obj, 2, 3, poll_register);

static mp_obj_t poll_unregister(mp_obj_t self_in, mp_obj_t stream) {
    select_poll_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_obj_dict_delete(self->entries, stream);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(poll_unregister_obj, poll_unregister);

// Waits up to timeout ms (< 0: forever) for a registered stream to be ready.
static mp_obj_t poll_poll(size_t n_args, const mp_obj_t *args) {
    select_poll_obj_t *self = MP_OBJ_TO_PTR(args[0]);
    mp_int_t timeout = n_args > 1 && args[1] != mp_const_none ? mp_obj_get_int(args[1]) : -1;
    mp_uint_t start = mp_hal_ticks_ms();
    mp_map_t *map = mp_obj_dict_get_map(self->entries);
    for (;;) {
        mp_obj_t ready = mp_obj_new_list(0, NULL);
        for (size_t i = 0; i < map->alloc; i++) {
            if (!mp_map_slot_is_filled(map, i)) {
                continue;
            }
            mp_uint_t mask = MP_OBJ_SMALL_INT_VALUE(map->table[i].value);
            mp_uint_t events = stream_ready(map->table[i].key, mask) & (mask | MP_STREAM_POLL_ERR | MP_STREAM_POLL_HUP);
            if (events != 0) {
                mp_obj_t pair[2] = { map->table[i].key, MP_OBJ_NEW_SMALL_INT(events) };
                mp_obj_list_append(ready, mp_obj_new_tuple(2, pair));
            }
        }
        if (mp_obj_get_int(mp_obj_len(ready)) > 0 || (timeout >= 0 && mp_hal_ticks_ms() - start >= (mp_uint_t)timeout)) {
            return ready;
        }
        mp_hal_delay_ms(1);
    }
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(poll_poll_obj, 1, 2, poll_poll);

static mp_obj_t poll_ipoll(size_t n_args, const mp_obj_t *args) {
    return mp_getiter(poll_poll(n_args < 2 ? n_args : 2, args), NULL);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(poll_ipoll_obj, 1, 3, poll_ipoll);

static const mp_rom_map_elem_t poll_locals_dict_table[] = {
    { MP_ROM_QSTR(MP_QSTR_register), MP_ROM_PTR(&poll_register_obj) },
    { MP_ROM_QSTR(MP_QSTR_modify), MP_ROM_PTR(&poll_register_obj) },
    { MP_ROM_QSTR(MP_QSTR_unregister), MP_ROM_PTR(&poll_unregister_obj) },
    { MP_ROM_QSTR(MP_QSTR_poll), MP_ROM_PTR(&poll_poll_obj) },
    { MP_ROM_QSTR(MP_QSTR_ipoll), MP_ROM_PTR(&poll_ipoll_obj) },
};
static MP_DEFINE_CONST_DICT(poll_locals_dict, poll_locals_dict_table);

static MP_DEFINE_CONST_OBJ_TYPE(
    select_type_poll,
    MP_QSTR_poll,
    MP_TYPE_FLAG_NONE,
    locals_dict, &poll_locals_dict
    );

static mp_obj_t select_poll(void) {
    select_poll_obj_t *self = mp_obj_malloc(select_poll_obj_t, &select_type_poll);
    self->entries = mp_obj_new_dict(0);
    return MP_OBJ_FROM_PTR(self);
}
static MP_DEFINE_CONST_FUN_OBJ_0(select_poll_obj, select_poll);

static const mp_rom_map_elem_t select_module_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_select) },
    { MP_ROM_QSTR(MP_QSTR_poll), MP_ROM_PTR(&select_poll_obj) },
    { MP_ROM_QSTR(MP_QSTR_POLLIN), MP_ROM_INT(MP_STREAM_POLL_RD) },
    { MP_ROM_QSTR(MP_QSTR_POLLOUT), MP_ROM_INT(MP_STREAM_POLL_WR) },
    { MP_ROM_QSTR(MP_QSTR_POLLERR), MP_ROM_INT(MP_STREAM_POLL_ERR) },
    { MP_ROM_QSTR(MP_QSTR_POLLHUP), MP_ROM_INT(MP_STREAM_POLL_HUP) },
};
static MP_DEFINE_CONST_DICT(select_module_globals, select_module_globals_table);

const mp_obj_module_t mp_module_select = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&select_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR_select, mp_module_select);
