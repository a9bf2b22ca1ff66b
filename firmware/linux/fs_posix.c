// fs_backend.h on a host directory: the board's flash is one folder on the PC.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "fs_backend.h"
#include "fs_posix.h"

#define MAX_OPEN_DIRS (8)

static char flash_root[FS_PATH_MAX];
static DIR *open_dirs[MAX_OPEN_DIRS];

int fs_posix_set_root(const char *host_dir) {
    char *full = realpath(host_dir, NULL);
    struct stat st;
    int ret = full != NULL && strlen(full) < sizeof(flash_root) && stat(full, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -ENOENT;
    if (ret == 0) {
        strcpy(flash_root, full);
    }
    free(full);
    return ret;
}

// The host path of a backend path; paths are normalised, so they stay inside.
static int host_path(const char *path, char *out) {
    int n = snprintf(out, 2 * FS_PATH_MAX, "%s%s", flash_root, strcmp(path, "/") == 0 ? "" : path);
    return n < 2 * FS_PATH_MAX ? 0 : -ENAMETOOLONG;
}

#define HOST_PATH(var, path) \
    char var[2 * FS_PATH_MAX]; \
    if (host_path(path, var) < 0) { \
        return -ENAMETOOLONG; \
    }

static int result(int ret) {
    return ret < 0 ? -errno : ret;
}

int fs_open(const char *path, int flags) {
    HOST_PATH(host, path);
    int oflags = O_CLOEXEC;
    if ((flags & FS_O_READ) && (flags & FS_O_WRITE)) {
        oflags |= O_RDWR;
    } else if (flags & FS_O_WRITE) {
        oflags |= O_WRONLY;
    } else {
        oflags |= O_RDONLY;
    }
    oflags |= (flags & FS_O_CREATE ? O_CREAT : 0) | (flags & FS_O_TRUNC ? O_TRUNC : 0)
        | (flags & FS_O_APPEND ? O_APPEND : 0) | (flags & FS_O_EXCL ? O_EXCL : 0);
    int fd = open(host, oflags, 0644);
    if (fd < 0) {
        return -errno;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return -EISDIR;
    }
    return fd;
}

int fs_close(int handle) {
    return result(close(handle));
}

int fs_read(int handle, void *buf, size_t len) {
    ssize_t n;
    do {
        n = read(handle, buf, len);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : (int)n;
}

int fs_write(int handle, const void *buf, size_t len) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(handle, (const char *)buf + done, len - done);
        if (n < 0 && errno != EINTR) {
            return -errno;
        }
        done += n > 0 ? n : 0;
    }
    return len;
}

int32_t fs_seek(int handle, int32_t offset, int whence) {
    off_t pos = lseek(handle, offset, whence);
    return pos < 0 ? -errno : (int32_t)pos;
}

// Writes reach the host's page cache at once, which every reader sees; a test
// runtime needs no fsync.
int fs_sync(int handle) {
    (void)handle;
    return 0;
}

int fs_sync_all(void) {
    return 0;
}

int fs_stat(const char *path, fs_stat_t *out) {
    HOST_PATH(host, path);
    struct stat st;
    if (stat(host, &st) != 0) {
        return -errno;
    }
    out->type = S_ISDIR(st.st_mode) ? FS_TYPE_DIR : FS_TYPE_FILE;
    out->size = S_ISDIR(st.st_mode) ? 0 : (uint32_t)st.st_size;
    out->mtime = (uint32_t)st.st_mtime;
    return 0;
}

int fs_mkdir(const char *path) {
    HOST_PATH(host, path);
    return result(mkdir(host, 0755));
}

int fs_rmdir(const char *path) {
    HOST_PATH(host, path);
    return result(rmdir(host));
}

int fs_remove(const char *path) {
    HOST_PATH(host, path);
    return result(unlink(host));
}

int fs_rename(const char *old_path, const char *new_path) {
    HOST_PATH(old_host, old_path);
    HOST_PATH(new_host, new_path);
    return result(rename(old_host, new_host));
}

int fs_opendir(const char *path) {
    HOST_PATH(host, path);
    for (int i = 0; i < MAX_OPEN_DIRS; i++) {
        if (open_dirs[i] == NULL) {
            open_dirs[i] = opendir(host);
            return open_dirs[i] != NULL ? i : -errno;
        }
    }
    return -EMFILE;
}

int fs_readdir(int handle, fs_dirent_t *ent) {
    if (handle < 0 || handle >= MAX_OPEN_DIRS || open_dirs[handle] == NULL) {
        return -EBADF;
    }
    struct dirent *d;
    while ((d = readdir(open_dirs[handle])) != NULL) {
        if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0 || strlen(d->d_name) >= FS_NAME_MAX) {
            continue;
        }
        strcpy(ent->name, d->d_name);
        struct stat st;
        if (fstatat(dirfd(open_dirs[handle]), d->d_name, &st, 0) != 0) {
            continue;
        }
        ent->type = S_ISDIR(st.st_mode) ? FS_TYPE_DIR : FS_TYPE_FILE;
        ent->size = S_ISDIR(st.st_mode) ? 0 : (uint32_t)st.st_size;
        return 1;
    }
    return 0;
}

int fs_closedir(int handle) {
    if (handle < 0 || handle >= MAX_OPEN_DIRS || open_dirs[handle] == NULL) {
        return -EBADF;
    }
    closedir(open_dirs[handle]);
    open_dirs[handle] = NULL;
    return 0;
}

int fs_statvfs(const char *path, fs_statvfs_t *out) {
    HOST_PATH(host, path);
    struct statvfs st;
    if (statvfs(host, &st) != 0) {
        return -errno;
    }
    out->block_size = st.f_frsize;
    out->blocks = st.f_blocks > UINT32_MAX ? UINT32_MAX : st.f_blocks;
    out->free = st.f_bavail > UINT32_MAX ? UINT32_MAX : st.f_bavail;
    out->name_max = FS_NAME_MAX - 1;
    return 0;
}
