// open() and the file objects (io.FileIO for binary, io.TextIOWrapper for text)
// on top of fs_backend.h.
#include <string.h>

#include "py/builtin.h"
#include "py/mperrno.h"
#include "py/runtime.h"
#include "py/stream.h"
#include "fs_file.h"
#include "fs_mount.h"
#include "fs_path.h"

typedef struct {
    mp_obj_base_t base;
    int handle; // -1 once closed
} fs_file_obj_t;

static void fs_file_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    fs_file_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "<io.%s %d>", mp_obj_get_type_str(self_in), self->handle);
}

static mp_uint_t fs_file_read(mp_obj_t self_in, void *buf, mp_uint_t size, int *errcode) {
    fs_file_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (self->handle < 0) {
        *errcode = MP_EBADF;
        return MP_STREAM_ERROR;
    }
    int n = fs_read(self->handle, buf, size);
    if (n < 0) {
        *errcode = -n;
        return MP_STREAM_ERROR;
    }
    return n;
}

static mp_uint_t fs_file_write(mp_obj_t self_in, const void *buf, mp_uint_t size, int *errcode) {
    fs_file_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (self->handle < 0) {
        *errcode = MP_EBADF;
        return MP_STREAM_ERROR;
    }
    int n = fs_write(self->handle, buf, size);
    if (n < 0) {
        *errcode = -n;
        return MP_STREAM_ERROR;
    }
    return n;
}

static mp_uint_t fs_file_ioctl(mp_obj_t self_in, mp_uint_t request, uintptr_t arg, int *errcode) {
    fs_file_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (request == MP_STREAM_CLOSE) {
        if (self->handle >= 0) {
            int handle = self->handle;
            self->handle = -1;
            int ret = fs_close(handle);
            if (ret < 0) {
                *errcode = -ret;
                return MP_STREAM_ERROR;
            }
        }
        return 0;
    }
    if (self->handle < 0) {
        *errcode = MP_EBADF;
        return MP_STREAM_ERROR;
    }
    int ret;
    switch (request) {
        case MP_STREAM_FLUSH:
            ret = fs_sync(self->handle);
            break;
        case MP_STREAM_SEEK: {
            struct mp_stream_seek_t *s = (struct mp_stream_seek_t *)arg;
            int32_t pos = fs_seek(self->handle, s->offset, s->whence);
            if (pos >= 0) {
                s->offset = pos;
            }
            ret = pos < 0 ? pos : 0;
            break;
        }
        case MP_STREAM_GET_BUFFER_SIZE:
            return 256;
        default:
            ret = -MP_EINVAL;
            break;
    }
    if (ret < 0) {
        *errcode = -ret;
        return MP_STREAM_ERROR;
    }
    return 0;
}

static const mp_rom_map_elem_t fs_file_locals_dict_table[] = {
    { MP_ROM_QSTR(MP_QSTR_read), MP_ROM_PTR(&mp_stream_read_obj) },
    { MP_ROM_QSTR(MP_QSTR_readinto), MP_ROM_PTR(&mp_stream_readinto_obj) },
    { MP_ROM_QSTR(MP_QSTR_readline), MP_ROM_PTR(&mp_stream_unbuffered_readline_obj) },
    { MP_ROM_QSTR(MP_QSTR_readlines), MP_ROM_PTR(&mp_stream_unbuffered_readlines_obj) },
    { MP_ROM_QSTR(MP_QSTR_write), MP_ROM_PTR(&mp_stream_write_obj) },
    { MP_ROM_QSTR(MP_QSTR_seek), MP_ROM_PTR(&mp_stream_seek_obj) },
    { MP_ROM_QSTR(MP_QSTR_tell), MP_ROM_PTR(&mp_stream_tell_obj) },
    { MP_ROM_QSTR(MP_QSTR_flush), MP_ROM_PTR(&mp_stream_flush_obj) },
    { MP_ROM_QSTR(MP_QSTR_close), MP_ROM_PTR(&mp_stream_close_obj) },
    { MP_ROM_QSTR(MP_QSTR___del__), MP_ROM_PTR(&mp_stream_close_obj) },
    { MP_ROM_QSTR(MP_QSTR___enter__), MP_ROM_PTR(&mp_identity_obj) },
    { MP_ROM_QSTR(MP_QSTR___exit__), MP_ROM_PTR(&mp_stream___exit___obj) },
};
static MP_DEFINE_CONST_DICT(fs_file_locals_dict, fs_file_locals_dict_table);

static const mp_stream_p_t fs_fileio_stream_p = {
    .read = fs_file_read,
    .write = fs_file_write,
    .ioctl = fs_file_ioctl,
};

static const mp_stream_p_t fs_textio_stream_p = {
    .read = fs_file_read,
    .write = fs_file_write,
    .ioctl = fs_file_ioctl,
    .is_text = true,
};

MP_DEFINE_CONST_OBJ_TYPE(
    fs_type_fileio,
    MP_QSTR_FileIO,
    MP_TYPE_FLAG_ITER_IS_STREAM,
    print, fs_file_print,
    protocol, &fs_fileio_stream_p,
    locals_dict, &fs_file_locals_dict
    );

MP_DEFINE_CONST_OBJ_TYPE(
    fs_type_textio,
    MP_QSTR_TextIOWrapper,
    MP_TYPE_FLAG_ITER_IS_STREAM,
    print, fs_file_print,
    protocol, &fs_textio_stream_p,
    locals_dict, &fs_file_locals_dict
    );

// Mode letters as in CPython: one of r w a x, optional + and b or t, any order.
static int fs_mode_flags(const char *mode, bool *is_text) {
    int flags = 0;
    int kinds = 0;
    *is_text = true;
    for (const char *m = mode; *m != '\0'; m++) {
        switch (*m) {
            case 'r': flags |= FS_O_READ; kinds++; break;
            case 'w': flags |= FS_O_WRITE | FS_O_CREATE | FS_O_TRUNC; kinds++; break;
            case 'a': flags |= FS_O_WRITE | FS_O_CREATE | FS_O_APPEND; kinds++; break;
            case 'x': flags |= FS_O_WRITE | FS_O_CREATE | FS_O_EXCL; kinds++; break;
            case '+': flags |= FS_O_READ | FS_O_WRITE; break;
            case 'b': *is_text = false; break;
            case 't': break;
            default: return -1;
        }
    }
    return kinds == 1 ? flags : -1;
}

mp_obj_t fs_file_open(const char *path, const char *mode) {
    bool is_text;
    int flags = fs_mode_flags(mode, &is_text);
    if (flags < 0) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("invalid mode '%s'"), mode);
    }
    char abs_path[FS_PATH_MAX];
    fs_check(fs_path_resolve(path, abs_path));
    const char *sub_path;
    mp_obj_t mount = fs_mount_find(abs_path, &sub_path);
    if (mount != MP_OBJ_NULL) {
        mp_obj_t args[4];
        mp_load_method(mount, MP_QSTR_open, args);
        args[2] = mp_obj_new_str(sub_path, strlen(sub_path));
        args[3] = mp_obj_new_str(mode, strlen(mode));
        return mp_call_method_n_kw(2, 0, args);
    }
    fs_file_obj_t *self = mp_obj_malloc_with_finaliser(fs_file_obj_t, is_text ? &fs_type_textio : &fs_type_fileio);
    self->handle = -1;
    self->handle = fs_check(fs_open(abs_path, flags));
    return MP_OBJ_FROM_PTR(self);
}

mp_obj_t mp_builtin_open(size_t n_args, const mp_obj_t *args, mp_map_t *kwargs) {
    enum { ARG_file, ARG_mode, ARG_buffering, ARG_encoding };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_file, MP_ARG_OBJ | MP_ARG_REQUIRED, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_mode, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_QSTR(MP_QSTR_r)} },
        { MP_QSTR_buffering, MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_encoding, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
    };
    mp_arg_val_t vals[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args, args, kwargs, MP_ARRAY_SIZE(allowed_args), allowed_args, vals);
    return fs_file_open(mp_obj_str_get_str(vals[ARG_file].u_obj), mp_obj_str_get_str(vals[ARG_mode].u_obj));
}
MP_DEFINE_CONST_FUN_OBJ_KW(mp_builtin_open_obj, 1, mp_builtin_open);
