#include <string.h>

#include "py/mperrno.h"
#include "py/runtime.h"
#include "fs_mount.h"

// A list of (mount point str, object) tuples; cleared at soft reset.
MP_REGISTER_ROOT_POINTER(mp_obj_t fs_mount_table);

void fs_mount_init(void) {
    MP_STATE_VM(fs_mount_table) = mp_obj_new_list(0, NULL);
}

static mp_obj_list_t *mount_table(void) {
    return MP_OBJ_TO_PTR(MP_STATE_VM(fs_mount_table));
}

mp_obj_t fs_mount_find(const char *abs_path, const char **sub_path) {
    if (MP_STATE_VM(fs_mount_table) == MP_OBJ_NULL) {
        return MP_OBJ_NULL;
    }
    mp_obj_list_t *table = mount_table();
    for (size_t i = 0; i < table->len; i++) {
        mp_obj_t *entry;
        mp_obj_get_array_fixed_n(table->items[i], 2, &entry);
        size_t n;
        const char *point = mp_obj_str_get_data(entry[0], &n);
        if (strncmp(abs_path, point, n) == 0 && (abs_path[n] == '\0' || abs_path[n] == '/')) {
            *sub_path = abs_path[n] == '\0' ? "/" : abs_path + n;
            return entry[1];
        }
    }
    return MP_OBJ_NULL;
}

mp_obj_t fs_mount_call(mp_obj_t mount, qstr method, const char *sub_path, size_t n_extra, const mp_obj_t *extra) {
    mp_obj_t args[5];
    mp_load_method(mount, method, args);
    args[2] = mp_obj_new_str(sub_path, strlen(sub_path));
    for (size_t i = 0; i < n_extra && i < 2; i++) {
        args[3 + i] = extra[i];
    }
    return mp_call_method_n_kw(1 + (n_extra < 2 ? n_extra : 2), 0, args);
}

mp_obj_t fs_mount_list(void) {
    mp_obj_t root[2] = { MP_OBJ_NEW_QSTR(MP_QSTR_flash), MP_OBJ_NEW_QSTR(MP_QSTR__slash_) };
    mp_obj_t list = mp_obj_new_list(0, NULL);
    mp_obj_list_append(list, mp_obj_new_tuple(2, root));
    mp_obj_list_t *table = mount_table();
    for (size_t i = 0; i < table->len; i++) {
        mp_obj_t *entry;
        mp_obj_get_array_fixed_n(table->items[i], 2, &entry);
        mp_obj_t pair[2] = { entry[1], entry[0] };
        mp_obj_list_append(list, mp_obj_new_tuple(2, pair));
    }
    return list;
}

void fs_mount_add(const char *abs_path, mp_obj_t mount) {
    const char *sub;
    if (strcmp(abs_path, "/") == 0 || fs_mount_find(abs_path, &sub) != MP_OBJ_NULL) {
        mp_raise_OSError(MP_EPERM);
    }
    mp_obj_t entry[2] = { mp_obj_new_str(abs_path, strlen(abs_path)), mount };
    mp_obj_list_append(MP_STATE_VM(fs_mount_table), mp_obj_new_tuple(2, entry));
}

void fs_mount_remove(const char *abs_path) {
    mp_obj_list_t *table = mount_table();
    for (size_t i = 0; i < table->len; i++) {
        mp_obj_t *entry;
        mp_obj_get_array_fixed_n(table->items[i], 2, &entry);
        if (strcmp(mp_obj_str_get_str(entry[0]), abs_path) == 0) {
            mp_obj_t mount = entry[1];
            memmove(&table->items[i], &table->items[i + 1], (table->len - i - 1) * sizeof(mp_obj_t));
            table->items[--table->len] = MP_OBJ_NULL;
            mp_obj_t umount[2];
            mp_load_method_maybe(mount, MP_QSTR_umount, umount);
            if (umount[0] != MP_OBJ_NULL) {
                mp_call_method_n_kw(0, 0, umount);
            }
            return;
        }
    }
    mp_raise_OSError(MP_EINVAL);
}
