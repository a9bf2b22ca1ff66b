// Python filesystem objects mounted with os.mount (as mpremote mount does): a path
// under a mount point goes to the object's methods (open, stat, ilistdir, ...)
// instead of the backend.
#ifndef EARSHOT_FS_MOUNT_H
#define EARSHOT_FS_MOUNT_H

#include "py/obj.h"

void fs_mount_init(void);
// The object mounted over abs_path, or MP_OBJ_NULL for the backend. *sub_path is
// the path inside the mount, starting with '/'.
mp_obj_t fs_mount_find(const char *abs_path, const char **sub_path);
// Calls mount.<method>(sub_path, *extra).
mp_obj_t fs_mount_call(mp_obj_t mount, qstr method, const char *sub_path, size_t n_extra, const mp_obj_t *extra);
void fs_mount_add(const char *abs_path, mp_obj_t mount);
void fs_mount_remove(const char *abs_path);
// [(filesystem, mount point), ...] with ("flash", "/") first, as vfs.mount() lists them.
mp_obj_t fs_mount_list(void);

#endif // EARSHOT_FS_MOUNT_H
