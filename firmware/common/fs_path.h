// The current directory and turning a user's path into the backend's form.
#ifndef EARSHOT_FS_PATH_H
#define EARSHOT_FS_PATH_H

#include "fs_backend.h"

// Back to cwd "/"; call at every (soft) reset.
void fs_path_init(void);

// The cwd, absolute and normalised.
const char *fs_path_cwd(void);
void fs_path_set_cwd(const char *abs_path);

// Joins `path` to the cwd when relative and removes ".", ".." and repeated '/'.
// out holds FS_PATH_MAX bytes. Returns 0, or -MP_EINVAL when the result is too long.
int fs_path_resolve(const char *path, char *out);

// Raises OSError for a backend result < 0; returns it otherwise.
int fs_check(int result);

#endif // EARSHOT_FS_PATH_H
