// Storage backend under the port-independent file layer (fs_file.c, fs_os.c).
//
// The common layer turns Python calls (open(), os.*, import) into calls of the
// functions below; each port implements them once for its storage: firmware/linux
// on a host directory (POSIX), firmware/rp2040 on its flash.
//
// Contract (see README.md in this folder for the longer version):
// - Paths are absolute, normalised and NUL-terminated: they start with '/', use '/'
//   as separator, hold no "." or ".." parts, no empty parts, and no trailing '/'
//   except the root "/" itself. "/" is the root of the board's flash. The common
//   layer resolves the cwd and ".." before calling; strlen(path) < FS_PATH_MAX.
// - Every function returns >= 0 on success and a negated MP_Exxx code from
//   py/mperrno.h on failure (-MP_ENOENT, -MP_EEXIST, -MP_ENOSPC, ...). The common
//   layer raises OSError(MP_Exxx) from it, so pick the code CPython would report.
// - Handles are small ints >= 0 owned by the backend; a handle is valid from a
//   successful fs_open/fs_opendir until its fs_close/fs_closedir. The common layer
//   never uses a handle after closing it and closes every handle it opened.
// - No function allocates on the MicroPython heap or raises: they may run while
//   the common layer holds no Python objects, e.g. during import and soft reset.
// - Data written through a handle is visible to fs_read/fs_stat on any handle at
//   once; it must be durable after fs_sync/fs_close/fs_sync_all.
#ifndef EARSHOT_FS_BACKEND_H
#define EARSHOT_FS_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#define FS_PATH_MAX (256)   // bytes, NUL included
#define FS_NAME_MAX (64)    // one path component, NUL included

// fs_open flags, or-ed together. Exactly one of READ/WRITE/READ|WRITE is set.
#define FS_O_READ   (0x01)
#define FS_O_WRITE  (0x02)
#define FS_O_CREATE (0x04) // create the file when missing
#define FS_O_TRUNC  (0x08) // cut an existing file to length 0
#define FS_O_APPEND (0x10) // every write goes to the end of the file
#define FS_O_EXCL   (0x20) // with CREATE: fail with -MP_EEXIST if it exists

// mperrno.h has no ENOTEMPTY; 39 is what Linux and littlefs use.
#define FS_ENOTEMPTY (39)

// fs_seek whence, same values as io / os.SEEK_*.
#define FS_SEEK_SET (0)
#define FS_SEEK_CUR (1)
#define FS_SEEK_END (2)

typedef enum {
    FS_TYPE_FILE = 1,
    FS_TYPE_DIR = 2,
} fs_type_t;

typedef struct {
    fs_type_t type;
    uint32_t size;   // bytes; 0 for directories
    uint32_t mtime;  // seconds since 1970-01-01, 0 when the backend keeps no time
} fs_stat_t;

typedef struct {
    char name[FS_NAME_MAX]; // the component only, never "." or ".."
    fs_type_t type;
    uint32_t size;
} fs_dirent_t;

typedef struct {
    uint32_t block_size; // bytes
    uint32_t blocks;     // total
    uint32_t free;       // blocks available for new data
    uint32_t name_max;   // longest component in bytes
} fs_statvfs_t;

// Files. fs_open fails with -MP_ENOENT (missing, no CREATE), -MP_EISDIR (a
// directory), -MP_EEXIST (EXCL), -MP_ENOTDIR / -MP_ENOENT (parent missing),
// -MP_EMFILE (no free handle).
int fs_open(const char *path, int flags);
int fs_close(int handle);
// Reads up to len bytes at the position; returns the count, 0 at end of file.
int fs_read(int handle, void *buf, size_t len);
// Writes all len bytes (or fails, e.g. -MP_ENOSPC); returns len.
int fs_write(int handle, const void *buf, size_t len);
// Moves the position; returns the new position. Seeking past the end is allowed
// for reading (reads return 0); -MP_EINVAL for a negative result.
int32_t fs_seek(int handle, int32_t offset, int whence);
int fs_sync(int handle);

// Names. fs_remove is for files (-MP_EISDIR on a directory), fs_rmdir for empty
// directories (-FS_ENOTEMPTY when not empty).
// fs_rename replaces an existing destination file, like os.rename on POSIX.
int fs_stat(const char *path, fs_stat_t *st);
int fs_mkdir(const char *path);
int fs_rmdir(const char *path);
int fs_remove(const char *path);
int fs_rename(const char *old_path, const char *new_path);

// Directory listing: entries in any order, each exactly once.
// fs_readdir returns 1 and fills *ent, 0 after the last entry, < 0 on error.
int fs_opendir(const char *path);
int fs_readdir(int handle, fs_dirent_t *ent);
int fs_closedir(int handle);

// Whole-volume calls. fs_statvfs's path is any existing path on the volume.
int fs_statvfs(const char *path, fs_statvfs_t *st);
int fs_sync_all(void);

#endif // EARSHOT_FS_BACKEND_H
