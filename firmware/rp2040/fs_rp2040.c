// fs_backend.h for the RP2040 port: open files and directories as small handle
// tables over the flash store (fs_store.c).
#include <string.h>

#include "py/mperrno.h"
#include "fs_rp2040.h"
#include "fs_store.h"

#define MAX_FILES (8)
#define MAX_DIRS (4)
#define GONE (0xfffe) // the entry of a handle whose file was removed

typedef struct {
    uint8_t used;
    uint8_t flags;
    uint16_t entry;
    uint32_t pos;
} fs_file_t;

typedef struct {
    uint8_t used;
    uint16_t dir;
    uint16_t cursor;
} fs_dir_t;

static fs_file_t files[MAX_FILES];
static fs_dir_t dirs[MAX_DIRS];

void fs_rp2040_mount(void) {
    memset(files, 0, sizeof(files));
    memset(dirs, 0, sizeof(dirs));
    store_mount();
}

// --- files -------------------------------------------------------------------

static fs_file_t *file_of(int handle) {
    if (handle < 0 || handle >= MAX_FILES || !files[handle].used || files[handle].entry == GONE) {
        return NULL;
    }
    return &files[handle];
}

// A file removed (or replaced by a rename) while open: its handles fail with EBADF
// from then on instead of reaching an entry that may hold another file by now.
static void forget_file(uint16_t idx) {
    store_free_chain(store_entry(idx)->first);
    store_free_entry(idx);
    for (int h = 0; h < MAX_FILES; h++) {
        if (files[h].used && files[h].entry == idx) {
            files[h].entry = GONE;
        }
    }
}

int fs_open(const char *path, int flags) {
    int idx = store_resolve(path);
    if (idx == -MP_ENOENT && (flags & FS_O_CREATE)) {
        idx = store_create(path, FS_TYPE_FILE);
    } else if (idx >= 0) {
        if (store_is_dir(idx)) {
            return -MP_EISDIR;
        }
        if ((flags & FS_O_CREATE) && (flags & FS_O_EXCL)) {
            return -MP_EEXIST;
        }
        if ((flags & FS_O_TRUNC) && (flags & FS_O_WRITE)) {
            store_truncate(idx);
        }
    }
    if (idx < 0) {
        return idx;
    }
    for (int h = 0; h < MAX_FILES; h++) {
        if (!files[h].used) {
            files[h] = (fs_file_t) { .used = 1, .flags = flags, .entry = idx, .pos = 0 };
            return h;
        }
    }
    return -MP_EMFILE;
}

int fs_close(int handle) {
    if (handle < 0 || handle >= MAX_FILES || !files[handle].used) {
        return -MP_EBADF;
    }
    files[handle].used = 0; // also frees the handle of a removed file
    return 0;
}

int fs_read(int handle, void *buf, size_t len) {
    fs_file_t *f = file_of(handle);
    if (f == NULL || !(f->flags & FS_O_READ)) {
        return -MP_EBADF;
    }
    uint32_t size = store_entry(f->entry)->size;
    if (f->pos >= size) {
        return 0;
    }
    if (len > size - f->pos) {
        len = size - f->pos;
    }
    size_t done = 0;
    while (done < len) {
        int block = store_nth_block(f->entry, f->pos / FS_BLOCK_SIZE, 0);
        if (block < 0) {
            return block;
        }
        uint32_t off = f->pos % FS_BLOCK_SIZE;
        size_t n = FS_BLOCK_SIZE - off < len - done ? FS_BLOCK_SIZE - off : len - done;
        memcpy((uint8_t *)buf + done, store_block(block) + off, n);
        done += n;
        f->pos += n;
    }
    return len;
}

int fs_write(int handle, const void *buf, size_t len) {
    fs_file_t *f = file_of(handle);
    if (f == NULL || !(f->flags & FS_O_WRITE)) {
        return -MP_EBADF;
    }
    uint32_t size = store_entry(f->entry)->size;
    if (f->flags & FS_O_APPEND) {
        f->pos = size;
    }
    if (f->pos > size) {
        int r = store_write_at(f->entry, size, NULL, f->pos - size);
        if (r < 0) {
            return r;
        }
    }
    int r = store_write_at(f->entry, f->pos, buf, len);
    if (r < 0) {
        return r;
    }
    f->pos += len;
    return len;
}

int32_t fs_seek(int handle, int32_t offset, int whence) {
    fs_file_t *f = file_of(handle);
    if (f == NULL) {
        return -MP_EBADF;
    }
    int64_t base = whence == FS_SEEK_SET ? 0 : whence == FS_SEEK_CUR ? (int64_t)f->pos
        : (int64_t)store_entry(f->entry)->size;
    if (whence < FS_SEEK_SET || whence > FS_SEEK_END || base + offset < 0 || base + offset > INT32_MAX) {
        return -MP_EINVAL;
    }
    f->pos = base + offset;
    return f->pos;
}

int fs_sync(int handle) {
    return file_of(handle) ? 0 : -MP_EBADF;
}

// --- names -------------------------------------------------------------------

int fs_stat(const char *path, fs_stat_t *st) {
    int idx = store_resolve(path);
    if (idx < 0) {
        return idx;
    }
    st->type = store_is_dir(idx) ? FS_TYPE_DIR : FS_TYPE_FILE;
    st->size = idx == ROOT || store_is_dir(idx) ? 0 : store_entry(idx)->size;
    st->mtime = 0;
    return 0;
}

int fs_mkdir(const char *path) {
    int idx = store_resolve(path);
    if (idx >= 0) {
        return -MP_EEXIST;
    }
    if (idx != -MP_ENOENT) {
        return idx;
    }
    idx = store_create(path, FS_TYPE_DIR);
    return idx < 0 ? idx : 0;
}

int fs_rmdir(const char *path) {
    int idx = store_resolve(path);
    if (idx < 0) {
        return idx;
    }
    if (idx == ROOT) {
        return -MP_EBUSY;
    }
    if (!store_is_dir(idx)) {
        return -MP_ENOTDIR;
    }
    if (store_has_children(idx)) {
        return -FS_ENOTEMPTY;
    }
    store_free_entry(idx);
    return 0;
}

int fs_remove(const char *path) {
    int idx = store_resolve(path);
    if (idx < 0) {
        return idx;
    }
    if (store_is_dir(idx)) {
        return -MP_EISDIR;
    }
    forget_file(idx);
    return 0;
}

int fs_rename(const char *old_path, const char *new_path) {
    int old = store_resolve(old_path);
    if (old < 0) {
        return old;
    }
    if (old == ROOT) {
        return -MP_EBUSY;
    }
    const char *name;
    int parent = store_parent_of(new_path, &name);
    if (parent < 0) {
        return parent;
    }
    for (int up = parent; up != ROOT; up = store_entry(up)->parent) {
        if (up == old) {
            return -MP_EINVAL; // a directory cannot move into itself
        }
    }
    int target = store_resolve(new_path);
    if (target == old) {
        return 0;
    }
    if (target >= 0) {
        if (store_is_dir(target)) {
            if (!store_is_dir(old)) {
                return -MP_EISDIR;
            }
            if (store_has_children(target)) {
                return -FS_ENOTEMPTY;
            }
            store_free_entry(target);
        } else if (store_is_dir(old)) {
            return -MP_ENOTDIR;
        } else {
            forget_file(target);
        }
    }
    fs_entry_t e = *store_entry(old);
    e.parent = parent;
    memset(e.name, 0, sizeof(e.name));
    strcpy(e.name, name);
    store_put_entry(old, &e);
    return 0;
}

// --- directories -------------------------------------------------------------

int fs_opendir(const char *path) {
    int idx = store_resolve(path);
    if (idx < 0) {
        return idx;
    }
    if (!store_is_dir(idx)) {
        return -MP_ENOTDIR;
    }
    for (int h = 0; h < MAX_DIRS; h++) {
        if (!dirs[h].used) {
            dirs[h] = (fs_dir_t) { .used = 1, .dir = idx, .cursor = 0 };
            return h;
        }
    }
    return -MP_EMFILE;
}

int fs_readdir(int handle, fs_dirent_t *ent) {
    if (handle < 0 || handle >= MAX_DIRS || !dirs[handle].used) {
        return -MP_EBADF;
    }
    fs_dir_t *d = &dirs[handle];
    while (d->cursor < store_entry_count()) {
        const fs_entry_t *e = store_entry(d->cursor++);
        if (e->type != TYPE_FREE && e->parent == d->dir) {
            strcpy(ent->name, e->name);
            ent->type = e->type;
            ent->size = e->type == FS_TYPE_FILE ? e->size : 0;
            return 1;
        }
    }
    return 0;
}

int fs_closedir(int handle) {
    if (handle < 0 || handle >= MAX_DIRS || !dirs[handle].used) {
        return -MP_EBADF;
    }
    dirs[handle].used = 0;
    return 0;
}

// --- volume ------------------------------------------------------------------

int fs_statvfs(const char *path, fs_statvfs_t *st) {
    int idx = store_resolve(path);
    if (idx < 0) {
        return idx;
    }
    st->block_size = FS_BLOCK_SIZE;
    st->blocks = FS_BLOCKS - FS_META_BLOCKS;
    st->free = store_free_blocks();
    st->name_max = FS_NAME_MAX - 1;
    return 0;
}

int fs_sync_all(void) {
    return 0;
}
