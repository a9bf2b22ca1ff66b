// The os module: files and directories through fs_backend.h (or a mounted Python
// filesystem), uname and sync.
#include <string.h>

#include "py/mperrno.h"
#include "py/objstr.h"
#include "py/runtime.h"
#include "genhdr/mpversion.h"
#include "fs_mount.h"
#include "fs_path.h"

#define FS_MODE_DIR  (0x4000)
#define FS_MODE_FILE (0x8000)

void fs_init(void) {
    fs_path_init();
    fs_mount_init();
}

// Resolves a path argument; returns the mount that owns it, or MP_OBJ_NULL.
static mp_obj_t resolve(mp_obj_t path_in, char *abs_path, const char **sub_path) {
    fs_check(fs_path_resolve(mp_obj_str_get_str(path_in), abs_path));
    return fs_mount_find(abs_path, sub_path);
}

static mp_obj_t path_arg(size_t n_args, const mp_obj_t *args) {
    return n_args > 0 ? args[0] : MP_OBJ_NEW_QSTR(MP_QSTR_);
}

static mp_obj_t new_int_tuple(size_t n, const mp_int_t *values) {
    mp_obj_tuple_t *t = MP_OBJ_TO_PTR(mp_obj_new_tuple(n, NULL));
    for (size_t i = 0; i < n; i++) {
        t->items[i] = mp_obj_new_int(values[i]);
    }
    return MP_OBJ_FROM_PTR(t);
}

static mp_int_t type_mode(fs_type_t type) {
    return type == FS_TYPE_DIR ? FS_MODE_DIR : FS_MODE_FILE;
}

// Closes a backend directory handle if building the listing raises (MemoryError).
typedef struct {
    nlr_jump_callback_node_t node; // first: the callback receives the node
    int dir;
} dir_guard_t;

static void dir_guard_close(void *ctx) {
    fs_closedir(((dir_guard_t *)ctx)->dir);
}

static mp_obj_t fs_os_ilistdir_list(size_t n_args, const mp_obj_t *args) {
    char abs_path[FS_PATH_MAX];
    const char *sub;
    mp_obj_t mount = resolve(path_arg(n_args, args), abs_path, &sub);
    if (mount != MP_OBJ_NULL) {
        mp_obj_t iter = mp_getiter(fs_mount_call(mount, MP_QSTR_ilistdir, sub, 0, NULL), NULL);
        mp_obj_t list = mp_obj_new_list(0, NULL);
        for (mp_obj_t item; (item = mp_iternext(iter)) != MP_OBJ_STOP_ITERATION;) {
            mp_obj_list_append(list, item);
        }
        return list;
    }
    dir_guard_t guard;
    guard.dir = fs_check(fs_opendir(abs_path));
    nlr_push_jump_callback(&guard.node, dir_guard_close);
    mp_obj_t list = mp_obj_new_list(0, NULL);
    fs_dirent_t ent;
    int ret;
    while ((ret = fs_readdir(guard.dir, &ent)) > 0) {
        mp_obj_t entry[4] = {
            mp_obj_new_str(ent.name, strlen(ent.name)),
            MP_OBJ_NEW_SMALL_INT(type_mode(ent.type)),
            MP_OBJ_NEW_SMALL_INT(0),
            mp_obj_new_int_from_uint(ent.size),
        };
        mp_obj_list_append(list, mp_obj_new_tuple(4, entry));
    }
    nlr_pop_jump_callback(true);
    fs_check(ret);
    return list;
}

static mp_obj_t fs_os_ilistdir(size_t n_args, const mp_obj_t *args) {
    return mp_getiter(fs_os_ilistdir_list(n_args, args), NULL);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(fs_os_ilistdir_obj, 0, 1, fs_os_ilistdir);

static mp_obj_t fs_os_listdir(size_t n_args, const mp_obj_t *args) {
    mp_obj_list_t *list = MP_OBJ_TO_PTR(fs_os_ilistdir_list(n_args, args));
    for (size_t i = 0; i < list->len; i++) {
        list->items[i] = mp_obj_subscr(list->items[i], MP_OBJ_NEW_SMALL_INT(0), MP_OBJ_SENTINEL);
    }
    return MP_OBJ_FROM_PTR(list);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(fs_os_listdir_obj, 0, 1, fs_os_listdir);

static mp_obj_t fs_os_stat(mp_obj_t path_in) {
    char abs_path[FS_PATH_MAX];
    const char *sub;
    mp_obj_t mount = resolve(path_in, abs_path, &sub);
    if (mount != MP_OBJ_NULL) {
        return fs_mount_call(mount, MP_QSTR_stat, sub, 0, NULL);
    }
    fs_stat_t st;
    fs_check(fs_stat(abs_path, &st));
    mp_int_t values[10] = { type_mode(st.type), 0, 0, 0, 0, 0, st.size, st.mtime, st.mtime, st.mtime };
    return new_int_tuple(10, values);
}
static MP_DEFINE_CONST_FUN_OBJ_1(fs_os_stat_obj, fs_os_stat);

static mp_obj_t fs_os_statvfs(mp_obj_t path_in) {
    char abs_path[FS_PATH_MAX];
    const char *sub;
    mp_obj_t mount = resolve(path_in, abs_path, &sub);
    if (mount != MP_OBJ_NULL) {
        return fs_mount_call(mount, MP_QSTR_statvfs, sub, 0, NULL);
    }
    fs_statvfs_t st;
    fs_check(fs_statvfs(abs_path, &st));
    mp_int_t values[10] = { st.block_size, st.block_size, st.blocks, st.free, st.free, 0, 0, 0, 0, st.name_max };
    return new_int_tuple(10, values);
}
static MP_DEFINE_CONST_FUN_OBJ_1(fs_os_statvfs_obj, fs_os_statvfs);

// mkdir, rmdir, remove: one path, a backend call or the mount's method.
static mp_obj_t path_op(mp_obj_t path_in, qstr method, int (*op)(const char *)) {
    char abs_path[FS_PATH_MAX];
    const char *sub;
    mp_obj_t mount = resolve(path_in, abs_path, &sub);
    if (mount != MP_OBJ_NULL) {
        fs_mount_call(mount, method, sub, 0, NULL);
    } else {
        fs_check(op(abs_path));
    }
    return mp_const_none;
}

static mp_obj_t fs_os_mkdir(mp_obj_t path_in) {
    return path_op(path_in, MP_QSTR_mkdir, fs_mkdir);
}
static MP_DEFINE_CONST_FUN_OBJ_1(fs_os_mkdir_obj, fs_os_mkdir);

static mp_obj_t fs_os_rmdir(mp_obj_t path_in) {
    return path_op(path_in, MP_QSTR_rmdir, fs_rmdir);
}
static MP_DEFINE_CONST_FUN_OBJ_1(fs_os_rmdir_obj, fs_os_rmdir);

static mp_obj_t fs_os_remove(mp_obj_t path_in) {
    return path_op(path_in, MP_QSTR_remove, fs_remove);
}
static MP_DEFINE_CONST_FUN_OBJ_1(fs_os_remove_obj, fs_os_remove);

static mp_obj_t fs_os_rename(mp_obj_t old_in, mp_obj_t new_in) {
    char old_path[FS_PATH_MAX], new_path[FS_PATH_MAX];
    const char *old_sub, *new_sub;
    mp_obj_t old_mount = resolve(old_in, old_path, &old_sub);
    mp_obj_t new_mount = resolve(new_in, new_path, &new_sub);
    if (old_mount != new_mount) {
        mp_raise_OSError(MP_EXDEV);
    }
    if (old_mount != MP_OBJ_NULL) {
        mp_obj_t extra = mp_obj_new_str(new_sub, strlen(new_sub));
        fs_mount_call(old_mount, MP_QSTR_rename, old_sub, 1, &extra);
    } else {
        fs_check(fs_rename(old_path, new_path));
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(fs_os_rename_obj, fs_os_rename);

static mp_obj_t fs_os_getcwd(void) {
    const char *cwd = fs_path_cwd();
    return mp_obj_new_str(cwd, strlen(cwd));
}
static MP_DEFINE_CONST_FUN_OBJ_0(fs_os_getcwd_obj, fs_os_getcwd);

static mp_obj_t fs_os_chdir(mp_obj_t path_in) {
    char abs_path[FS_PATH_MAX];
    const char *sub;
    mp_obj_t mount = resolve(path_in, abs_path, &sub);
    if (mount != MP_OBJ_NULL) {
        // The mount checks the path itself (for its root, without a round trip).
        fs_mount_call(mount, MP_QSTR_chdir, sub, 0, NULL);
    } else {
        fs_stat_t st;
        fs_check(fs_stat(abs_path, &st));
        if (st.type != FS_TYPE_DIR) {
            mp_raise_OSError(MP_ENOTDIR);
        }
    }
    fs_path_set_cwd(abs_path);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(fs_os_chdir_obj, fs_os_chdir);

static mp_obj_t fs_os_sync(void) {
    fs_check(fs_sync_all());
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_0(fs_os_sync_obj, fs_os_sync);

static mp_obj_t fs_os_mount(size_t n_args, const mp_obj_t *args, mp_map_t *kwargs) {
    if (n_args == 0) {
        return fs_mount_list(); // vfs.mount() with no arguments
    }
    if (n_args < 2) {
        mp_raise_TypeError(MP_ERROR_TEXT("mount(fs, mount_point)"));
    }
    char abs_path[FS_PATH_MAX];
    fs_check(fs_path_resolve(mp_obj_str_get_str(args[1]), abs_path));
    mp_obj_t mount_method[4];
    mp_load_method_maybe(args[0], MP_QSTR_mount, mount_method);
    if (mount_method[0] != MP_OBJ_NULL) {
        mount_method[2] = mp_const_false; // readonly
        mount_method[3] = mp_const_false; // mkfs
        mp_call_method_n_kw(2, 0, mount_method);
    }
    fs_mount_add(abs_path, args[0]);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_KW(fs_os_mount_obj, 0, fs_os_mount);

static mp_obj_t fs_os_umount(mp_obj_t path_in) {
    char abs_path[FS_PATH_MAX];
    fs_check(fs_path_resolve(mp_obj_str_get_str(path_in), abs_path));
    fs_mount_remove(abs_path);
    const char *cwd = fs_path_cwd();
    size_t n = strlen(abs_path);
    if (strncmp(cwd, abs_path, n) == 0 && (cwd[n] == '\0' || cwd[n] == '/')) {
        fs_path_set_cwd("/"); // the cwd was inside the mount
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(fs_os_umount_obj, fs_os_umount);

static const qstr uname_fields[] = {
    MP_QSTR_sysname, MP_QSTR_nodename, MP_QSTR_release, MP_QSTR_version, MP_QSTR_machine
};
static const MP_DEFINE_STR_OBJ(uname_sysname_obj, FS_OS_SYSNAME);
static const MP_DEFINE_STR_OBJ(uname_release_obj, MICROPY_VERSION_STRING);
static const MP_DEFINE_STR_OBJ(uname_version_obj, MICROPY_VERSION_STRING " on " MICROPY_BUILD_DATE);
static const MP_DEFINE_STR_OBJ(uname_machine_obj, FS_OS_MACHINE);
static MP_DEFINE_ATTRTUPLE(
    uname_info_obj,
    uname_fields,
    5,
    MP_ROM_PTR(&uname_sysname_obj),
    MP_ROM_PTR(&uname_sysname_obj),
    MP_ROM_PTR(&uname_release_obj),
    MP_ROM_PTR(&uname_version_obj),
    MP_ROM_PTR(&uname_machine_obj)
    );

static mp_obj_t fs_os_uname(void) {
    return MP_OBJ_FROM_PTR(&uname_info_obj);
}
static MP_DEFINE_CONST_FUN_OBJ_0(fs_os_uname_obj, fs_os_uname);

static const mp_rom_map_elem_t fs_os_module_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_os) },
    { MP_ROM_QSTR(MP_QSTR_uname), MP_ROM_PTR(&fs_os_uname_obj) },
    { MP_ROM_QSTR(MP_QSTR_listdir), MP_ROM_PTR(&fs_os_listdir_obj) },
    { MP_ROM_QSTR(MP_QSTR_ilistdir), MP_ROM_PTR(&fs_os_ilistdir_obj) },
    { MP_ROM_QSTR(MP_QSTR_stat), MP_ROM_PTR(&fs_os_stat_obj) },
    { MP_ROM_QSTR(MP_QSTR_statvfs), MP_ROM_PTR(&fs_os_statvfs_obj) },
    { MP_ROM_QSTR(MP_QSTR_mkdir), MP_ROM_PTR(&fs_os_mkdir_obj) },
    { MP_ROM_QSTR(MP_QSTR_rmdir), MP_ROM_PTR(&fs_os_rmdir_obj) },
    { MP_ROM_QSTR(MP_QSTR_remove), MP_ROM_PTR(&fs_os_remove_obj) },
    { MP_ROM_QSTR(MP_QSTR_rename), MP_ROM_PTR(&fs_os_rename_obj) },
    { MP_ROM_QSTR(MP_QSTR_getcwd), MP_ROM_PTR(&fs_os_getcwd_obj) },
    { MP_ROM_QSTR(MP_QSTR_chdir), MP_ROM_PTR(&fs_os_chdir_obj) },
    { MP_ROM_QSTR(MP_QSTR_sync), MP_ROM_PTR(&fs_os_sync_obj) },
    { MP_ROM_QSTR(MP_QSTR_mount), MP_ROM_PTR(&fs_os_mount_obj) },
    { MP_ROM_QSTR(MP_QSTR_umount), MP_ROM_PTR(&fs_os_umount_obj) },
    { MP_ROM_QSTR(MP_QSTR_sep), MP_ROM_QSTR(MP_QSTR__slash_) },
};
static MP_DEFINE_CONST_DICT(fs_os_module_globals, fs_os_module_globals_table);

const mp_obj_module_t fs_os_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&fs_os_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR_os, fs_os_module);

// vfs: the mount calls on their own, as MicroPython 1.23 names them (mpremote df).
static const mp_rom_map_elem_t fs_vfs_module_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_vfs) },
    { MP_ROM_QSTR(MP_QSTR_mount), MP_ROM_PTR(&fs_os_mount_obj) },
    { MP_ROM_QSTR(MP_QSTR_umount), MP_ROM_PTR(&fs_os_umount_obj) },
};
static MP_DEFINE_CONST_DICT(fs_vfs_module_globals, fs_vfs_module_globals_table);

const mp_obj_module_t fs_vfs_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&fs_vfs_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR_vfs, fs_vfs_module);
