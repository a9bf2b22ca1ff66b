#include <string.h>

#include "py/mperrno.h"
#include "py/runtime.h"
#include "fs_path.h"

static char fs_cwd[FS_PATH_MAX];

void fs_path_init(void) {
    strcpy(fs_cwd, "/");
}

const char *fs_path_cwd(void) {
    return fs_cwd;
}

void fs_path_set_cwd(const char *abs_path) {
    strcpy(fs_cwd, abs_path);
}

// Appends the components of `path` to out (length *len), folding "." and "..".
static int append_components(char *out, size_t *len, const char *path) {
    while (*path != '\0') {
        const char *end = strchr(path, '/');
        size_t n = end != NULL ? (size_t)(end - path) : strlen(path);
        if (n == 0 || (n == 1 && path[0] == '.')) {
            // empty or "." part: nothing to add
        } else if (n == 2 && path[0] == '.' && path[1] == '.') {
            while (*len > 1 && out[*len - 1] != '/') {
                (*len)--;
            }
            if (*len > 1) {
                (*len)--; // drop the '/' too, unless it is the root
            }
        } else {
            size_t sep = *len > 1 ? 1 : 0;
            if (*len + sep + n + 1 > FS_PATH_MAX) {
                return -MP_EINVAL;
            }
            if (sep) {
                out[(*len)++] = '/';
            }
            memcpy(out + *len, path, n);
            *len += n;
        }
        path += n;
        if (*path == '/') {
            path++;
        }
    }
    out[*len] = '\0';
    return 0;
}

int fs_path_resolve(const char *path, char *out) {
    size_t len = 1;
    strcpy(out, "/");
    if (path[0] != '/') {
        append_components(out, &len, fs_cwd);
    }
    return append_components(out, &len, path);
}

int fs_check(int result) {
    if (result < 0) {
        mp_raise_OSError(-result);
    }
    return result;
}
