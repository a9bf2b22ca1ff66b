// fs_backend.h on flash: a FAT-style store in the upper megabyte of the flash.
//
// Layout (4 KB blocks): blocks 0..3 hold the metadata, the rest file data.
//   header | fat[FS_BLOCKS] (next block of a chain) | entries[FS_ENTRIES]
// An entry is a file or a directory: its parent entry, name, size and first block.
// Erased flash reads 0xff, which is what a free FAT slot and a free entry look like.
//
// Writes go through flash_write(). rp2040js lets the core store straight into
// flash; on a real chip this function would call the bootrom's flash erase/program
// routines with a RAM copy of the block. Nothing else here depends on the emulator.
#include <string.h>

#include "py/mperrno.h"
#include "fs_rp2040.h"

#define FS_BLOCK_SIZE (4096)
#define FS_BLOCKS (256)
#define FS_META_BLOCKS (4)
#define FS_MAGIC (0x31534645) // "EFS1"

#define FAT_FREE (0xffff)
#define FAT_END (0xfffe)
#define FAT_META (0xfffd)
#define ROOT (0xffff) // the parent of top-level entries; "/" has no entry

#define TYPE_FREE (0xff)
#define MAX_FILES (8)
#define MAX_DIRS (4)

typedef struct {
    uint8_t type;  // TYPE_FREE, FS_TYPE_FILE or FS_TYPE_DIR
    uint8_t reserved;
    uint16_t parent;
    uint16_t first; // first data block, FAT_END when empty
    uint16_t reserved2;
    uint32_t size;
    char name[FS_NAME_MAX];
} fs_entry_t;

typedef struct {
    uint32_t magic;
    uint32_t block_size;
    uint32_t blocks;
    uint32_t entries;
    uint16_t fat[FS_BLOCKS];
} fs_head_t;

#define FS_ENTRIES ((FS_META_BLOCKS * FS_BLOCK_SIZE - sizeof(fs_head_t)) / sizeof(fs_entry_t))

typedef struct {
    fs_head_t head;
    fs_entry_t entry[FS_ENTRIES];
} fs_meta_t;

extern uint8_t _fs_flash_start[];
#define META ((const fs_meta_t *)_fs_flash_start)
#define BLOCK(n) (_fs_flash_start + (uint32_t)(n) * FS_BLOCK_SIZE)

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

static void flash_write(const void *dst, const void *src, size_t len) {
    memcpy((void *)dst, src, len);
}

static void set_fat(uint16_t block, uint16_t next) {
    flash_write(&META->head.fat[block], &next, sizeof(next));
}

static void put_entry(uint16_t idx, const fs_entry_t *e) {
    flash_write(&META->entry[idx], e, sizeof(*e));
}

static void free_entry(uint16_t idx) {
    fs_entry_t e;
    memset(&e, 0xff, sizeof(e));
    put_entry(idx, &e);
}

void fs_rp2040_mount(void) {
    memset(files, 0, sizeof(files));
    memset(dirs, 0, sizeof(dirs));
    const fs_head_t *h = &META->head;
    if (h->magic == FS_MAGIC && h->block_size == FS_BLOCK_SIZE && h->blocks == FS_BLOCKS
        && h->entries == FS_ENTRIES) {
        return;
    }
    static const uint8_t erased[256] = { [0 ... 255] = 0xff };
    for (size_t off = 0; off < sizeof(fs_meta_t); off += sizeof(erased)) {
        size_t n = sizeof(fs_meta_t) - off < sizeof(erased) ? sizeof(fs_meta_t) - off : sizeof(erased);
        flash_write(_fs_flash_start + off, erased, n);
    }
    for (uint16_t b = 0; b < FS_META_BLOCKS; b++) {
        set_fat(b, FAT_META);
    }
    uint32_t head[4] = { FS_MAGIC, FS_BLOCK_SIZE, FS_BLOCKS, FS_ENTRIES };
    flash_write(h, head, sizeof(head));
}

// --- names -------------------------------------------------------------------

static int is_dir(uint16_t idx) {
    return idx == ROOT || META->entry[idx].type == FS_TYPE_DIR;
}

static int find_child(uint16_t parent, const char *name, size_t len) {
    if (len >= FS_NAME_MAX) {
        return -MP_ENOENT;
    }
    for (uint16_t i = 0; i < FS_ENTRIES; i++) {
        const fs_entry_t *e = &META->entry[i];
        if (e->type != TYPE_FREE && e->parent == parent
            && strncmp(e->name, name, len) == 0 && e->name[len] == '\0') {
            return i;
        }
    }
    return -MP_ENOENT;
}

// Entry index of a normalised absolute path; ROOT for "/".
static int resolve(const char *path) {
    uint16_t cur = ROOT;
    const char *p = path + 1;
    while (*p) {
        if (!is_dir(cur)) {
            return -MP_ENOTDIR;
        }
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        int idx = find_child(cur, p, len);
        if (idx < 0) {
            return idx;
        }
        cur = idx;
        p += len + (slash ? 1 : 0);
    }
    return cur;
}

// Splits path into its parent directory (which must exist) and last component.
static int parent_of(const char *path, const char **name) {
    const char *slash = strrchr(path, '/');
    *name = slash + 1;
    if (**name == '\0' || strlen(*name) >= FS_NAME_MAX) {
        return -MP_EINVAL;
    }
    if (slash == path) {
        return ROOT;
    }
    char dir[FS_PATH_MAX];
    size_t len = slash - path;
    memcpy(dir, path, len);
    dir[len] = '\0';
    int parent = resolve(dir);
    if (parent >= 0 && !is_dir(parent)) {
        return -MP_ENOTDIR;
    }
    return parent;
}

static int has_children(uint16_t dir) {
    for (uint16_t i = 0; i < FS_ENTRIES; i++) {
        if (META->entry[i].type != TYPE_FREE && META->entry[i].parent == dir) {
            return 1;
        }
    }
    return 0;
}

static int create(const char *path, fs_type_t type) {
    const char *name;
    int parent = parent_of(path, &name);
    if (parent < 0) {
        return parent;
    }
    for (uint16_t i = 0; i < FS_ENTRIES; i++) {
        if (META->entry[i].type == TYPE_FREE) {
            fs_entry_t e;
            memset(&e, 0, sizeof(e));
            e.type = type;
            e.parent = parent;
            e.first = FAT_END;
            strcpy(e.name, name);
            put_entry(i, &e);
            return i;
        }
    }
    return -MP_ENOSPC;
}

// --- data blocks -------------------------------------------------------------

static void free_chain(uint16_t block) {
    while (block < FS_BLOCKS) {
        uint16_t next = META->head.fat[block];
        set_fat(block, FAT_FREE);
        block = next;
    }
}

static int alloc_block(void) {
    for (uint16_t b = FS_META_BLOCKS; b < FS_BLOCKS; b++) {
        if (META->head.fat[b] == FAT_FREE) {
            set_fat(b, FAT_END);
            return b;
        }
    }
    return -MP_ENOSPC;
}

// The n-th block of a file, extending its chain when `grow` is set.
static int nth_block(uint16_t idx, uint32_t n, int grow) {
    fs_entry_t e = META->entry[idx];
    if (e.first == FAT_END) {
        if (!grow) {
            return -MP_EIO;
        }
        int b = alloc_block();
        if (b < 0) {
            return b;
        }
        e.first = b;
        put_entry(idx, &e);
    }
    uint16_t block = e.first;
    while (n--) {
        uint16_t next = META->head.fat[block];
        if (next == FAT_END) {
            if (!grow) {
                return -MP_EIO;
            }
            int b = alloc_block();
            if (b < 0) {
                return b;
            }
            set_fat(block, b);
            next = b;
        }
        block = next;
    }
    return block;
}

static void truncate_to_zero(uint16_t idx) {
    fs_entry_t e = META->entry[idx];
    free_chain(e.first);
    e.first = FAT_END;
    e.size = 0;
    put_entry(idx, &e);
}

// Writes len bytes at pos (src NULL writes zeros); grows the size as needed.
static int write_at(uint16_t idx, uint32_t pos, const uint8_t *src, size_t len) {
    static const uint8_t zeros[64];
    size_t done = 0;
    while (done < len) {
        int block = nth_block(idx, (pos + done) / FS_BLOCK_SIZE, 1);
        if (block < 0) {
            return block;
        }
        uint32_t off = (pos + done) % FS_BLOCK_SIZE;
        size_t n = FS_BLOCK_SIZE - off < len - done ? FS_BLOCK_SIZE - off : len - done;
        if (src == NULL && n > sizeof(zeros)) {
            n = sizeof(zeros);
        }
        flash_write(BLOCK(block) + off, src ? src + done : zeros, n);
        done += n;
        if (pos + done > META->entry[idx].size) {
            fs_entry_t e = META->entry[idx];
            e.size = pos + done;
            put_entry(idx, &e);
        }
    }
    return len;
}

// --- files -------------------------------------------------------------------

static fs_file_t *file_of(int handle) {
    if (handle < 0 || handle >= MAX_FILES || !files[handle].used) {
        return NULL;
    }
    return &files[handle];
}

int fs_open(const char *path, int flags) {
    int idx = resolve(path);
    if (idx == -MP_ENOENT && (flags & FS_O_CREATE)) {
        idx = create(path, FS_TYPE_FILE);
    } else if (idx >= 0) {
        if (is_dir(idx)) {
            return -MP_EISDIR;
        }
        if ((flags & FS_O_CREATE) && (flags & FS_O_EXCL)) {
            return -MP_EEXIST;
        }
        if ((flags & FS_O_TRUNC) && (flags & FS_O_WRITE)) {
            truncate_to_zero(idx);
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
    fs_file_t *f = file_of(handle);
    if (f == NULL) {
        return -MP_EBADF;
    }
    f->used = 0;
    return 0;
}

int fs_read(int handle, void *buf, size_t len) {
    fs_file_t *f = file_of(handle);
    if (f == NULL || !(f->flags & FS_O_READ)) {
        return -MP_EBADF;
    }
    uint32_t size = META->entry[f->entry].size;
    if (f->pos >= size) {
        return 0;
    }
    if (len > size - f->pos) {
        len = size - f->pos;
    }
    size_t done = 0;
    while (done < len) {
        int block = nth_block(f->entry, f->pos / FS_BLOCK_SIZE, 0);
        if (block < 0) {
            return block;
        }
        uint32_t off = f->pos % FS_BLOCK_SIZE;
        size_t n = FS_BLOCK_SIZE - off < len - done ? FS_BLOCK_SIZE - off : len - done;
        memcpy((uint8_t *)buf + done, BLOCK(block) + off, n);
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
    uint32_t size = META->entry[f->entry].size;
    if (f->flags & FS_O_APPEND) {
        f->pos = size;
    }
    if (f->pos > size) {
        int r = write_at(f->entry, size, NULL, f->pos - size);
        if (r < 0) {
            return r;
        }
    }
    int r = write_at(f->entry, f->pos, buf, len);
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
        : (int64_t)META->entry[f->entry].size;
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
    int idx = resolve(path);
    if (idx < 0) {
        return idx;
    }
    st->type = is_dir(idx) ? FS_TYPE_DIR : FS_TYPE_FILE;
    st->size = idx == ROOT || is_dir(idx) ? 0 : META->entry[idx].size;
    st->mtime = 0;
    return 0;
}

int fs_mkdir(const char *path) {
    int idx = resolve(path);
    if (idx >= 0) {
        return -MP_EEXIST;
    }
    if (idx != -MP_ENOENT) {
        return idx;
    }
    idx = create(path, FS_TYPE_DIR);
    return idx < 0 ? idx : 0;
}

int fs_rmdir(const char *path) {
    int idx = resolve(path);
    if (idx < 0) {
        return idx;
    }
    if (idx == ROOT) {
        return -MP_EBUSY;
    }
    if (!is_dir(idx)) {
        return -MP_ENOTDIR;
    }
    if (has_children(idx)) {
        return -FS_ENOTEMPTY;
    }
    free_entry(idx);
    return 0;
}

int fs_remove(const char *path) {
    int idx = resolve(path);
    if (idx < 0) {
        return idx;
    }
    if (is_dir(idx)) {
        return -MP_EISDIR;
    }
    free_chain(META->entry[idx].first);
    free_entry(idx);
    return 0;
}

int fs_rename(const char *old_path, const char *new_path) {
    int old = resolve(old_path);
    if (old < 0) {
        return old;
    }
    if (old == ROOT) {
        return -MP_EBUSY;
    }
    const char *name;
    int parent = parent_of(new_path, &name);
    if (parent < 0) {
        return parent;
    }
    for (int up = parent; up != ROOT; up = META->entry[up].parent) {
        if (up == old) {
            return -MP_EINVAL; // a directory cannot move into itself
        }
    }
    int target = resolve(new_path);
    if (target == old) {
        return 0;
    }
    if (target >= 0) {
        if (is_dir(target)) {
            if (!is_dir(old)) {
                return -MP_EISDIR;
            }
            if (has_children(target)) {
                return -FS_ENOTEMPTY;
            }
        } else if (is_dir(old)) {
            return -MP_ENOTDIR;
        } else {
            free_chain(META->entry[target].first);
        }
        free_entry(target);
    }
    fs_entry_t e = META->entry[old];
    e.parent = parent;
    memset(e.name, 0, sizeof(e.name));
    strcpy(e.name, name);
    put_entry(old, &e);
    return 0;
}

// --- directories -------------------------------------------------------------

int fs_opendir(const char *path) {
    int idx = resolve(path);
    if (idx < 0) {
        return idx;
    }
    if (!is_dir(idx)) {
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
    while (d->cursor < FS_ENTRIES) {
        const fs_entry_t *e = &META->entry[d->cursor++];
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
    int idx = resolve(path);
    if (idx < 0) {
        return idx;
    }
    uint32_t free_blocks = 0;
    for (uint16_t b = FS_META_BLOCKS; b < FS_BLOCKS; b++) {
        free_blocks += META->head.fat[b] == FAT_FREE;
    }
    st->block_size = FS_BLOCK_SIZE;
    st->blocks = FS_BLOCKS - FS_META_BLOCKS;
    st->free = free_blocks;
    st->name_max = FS_NAME_MAX - 1;
    return 0;
}

int fs_sync_all(void) {
    return 0;
}
