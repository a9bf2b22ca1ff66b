// What import needs from a port: stat a path, and read a .py/.mpy file byte by byte.
#include <string.h>

#include "py/builtin.h"
#include "py/reader.h"
#include "py/runtime.h"
#include "fs_file.h"
#include "fs_mount.h"
#include "fs_path.h"

#define READER_CHUNK (256)

mp_import_stat_t mp_import_stat(const char *path) {
    char abs_path[FS_PATH_MAX];
    if (fs_path_resolve(path, abs_path) < 0) {
        return MP_IMPORT_STAT_NO_EXIST;
    }
    const char *sub;
    mp_obj_t mount = fs_mount_find(abs_path, &sub);
    if (mount != MP_OBJ_NULL) {
        nlr_buf_t nlr;
        if (nlr_push(&nlr) == 0) {
            mp_obj_t st = fs_mount_call(mount, MP_QSTR_stat, sub, 0, NULL);
            nlr_pop();
            mp_int_t mode = mp_obj_get_int(mp_obj_subscr(st, MP_OBJ_NEW_SMALL_INT(0), MP_OBJ_SENTINEL));
            return (mode & 0x4000) ? MP_IMPORT_STAT_DIR : MP_IMPORT_STAT_FILE;
        }
        return MP_IMPORT_STAT_NO_EXIST;
    }
    fs_stat_t st;
    if (fs_stat(abs_path, &st) < 0) {
        return MP_IMPORT_STAT_NO_EXIST;
    }
    return st.type == FS_TYPE_DIR ? MP_IMPORT_STAT_DIR : MP_IMPORT_STAT_FILE;
}

static int mpy_readers_open; // .mpy files being loaded right now

bool fs_import_loading_mpy(void) {
    return mpy_readers_open > 0;
}

typedef struct {
    mp_obj_t readinto[3]; // bound readinto method of the open file, and its buffer
    mp_obj_t close[2];
    size_t len, pos;
    bool strict; // a .mpy: reading past its end means the file is truncated
    byte buf[READER_CHUNK];
} fs_reader_t;

static mp_uint_t fs_reader_readbyte(void *data) {
    fs_reader_t *r = data;
    if (r->pos == r->len) {
        mp_obj_t args[3] = { r->readinto[0], r->readinto[1], r->readinto[2] };
        r->len = mp_obj_get_int(mp_call_method_n_kw(1, 0, args));
        r->pos = 0;
        if (r->len == 0) {
            if (r->strict) {
                mp_raise_ValueError(MP_ERROR_TEXT("truncated .mpy file"));
            }
            return MP_READER_EOF;
        }
    }
    return r->buf[r->pos++];
}

static void fs_reader_close(void *data) {
    fs_reader_t *r = data;
    if (r->strict) {
        mpy_readers_open--;
    }
    mp_call_method_n_kw(0, 0, r->close);
    m_del_obj(fs_reader_t, r);
}

// The loader of .mpy files reads on past EOF (1.23 does not check), so a
// truncated .mpy must stop it here.
void mp_reader_new_file(mp_reader_t *reader, qstr filename) {
    size_t name_len;
    const char *name = (const char *)qstr_data(filename, &name_len);
    mp_obj_t file = fs_file_open(name, "rb");
    fs_reader_t *r = m_new_obj(fs_reader_t);
    mp_load_method(file, MP_QSTR_readinto, r->readinto);
    r->readinto[2] = mp_obj_new_bytearray_by_ref(READER_CHUNK, r->buf);
    mp_load_method(file, MP_QSTR_close, r->close);
    r->len = r->pos = 0;
    r->strict = name_len >= 4 && strcmp(name + name_len - 4, ".mpy") == 0;
    if (r->strict) {
        mpy_readers_open++;
    }
    reader->data = r;
    reader->readbyte = fs_reader_readbyte;
    reader->close = fs_reader_close;
}
