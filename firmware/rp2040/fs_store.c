// The flash file store (layout in fs_store.h).
//
// Writes go through flash_write(). rp2040js lets the core store straight into
// flash; on a real chip this function would call the bootrom's flash erase/program
// routines with a RAM copy of the block. Nothing else here depends on the emulator.
#include <string.h>

#include "py/mperrno.h"
#include "fs_store.h"

#define FS_MAGIC (0x31534645) // "EFS1"

#define FAT_FREE (0xffff)
#define FAT_END (0xfffe)
#define FAT_META (0xfffd)

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

const fs_entry_t *store_entry(uint16_t idx) {
    return &META->entry[idx];
}

uint16_t store_entry_count(void) {
    return FS_ENTRIES;
}

const uint8_t *store_block(uint16_t block) {
    return BLOCK(block);
}

uint32_t store_free_blocks(void) {
    uint32_t free_blocks = 0;
    for (uint16_t b = FS_META_BLOCKS; b < FS_BLOCKS; b++) {
        free_blocks += META->head.fat[b] == FAT_FREE;
    }
    return free_blocks;
}

static void flash_write(const void *dst, const void *src, size_t len) {
    memcpy((void *)dst, src, len);
}

static void set_fat(uint16_t block, uint16_t next) {
    flash_write(&META->head.fat[block], &next, sizeof(next));
}

void store_put_entry(uint16_t idx, const fs_entry_t *e) {
    flash_write(&META->entry[idx], e, sizeof(*e));
}

void store_free_entry(uint16_t idx) {
    fs_entry_t e;
    memset(&e, 0xff, sizeof(e));
    store_put_entry(idx, &e);
}

void store_mount(void) {
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

int store_is_dir(uint16_t idx) {
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
int store_resolve(const char *path) {
    uint16_t cur = ROOT;
    const char *p = path + 1;
    while (*p) {
        if (!store_is_dir(cur)) {
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
int store_parent_of(const char *path, const char **name) {
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
    int parent = store_resolve(dir);
    if (parent >= 0 && !store_is_dir(parent)) {
        return -MP_ENOTDIR;
    }
    return parent;
}

int store_has_children(uint16_t dir) {
    for (uint16_t i = 0; i < FS_ENTRIES; i++) {
        if (META->entry[i].type != TYPE_FREE && META->entry[i].parent == dir) {
            return 1;
        }
    }
    return 0;
}

int store_create(const char *path, fs_type_t type) {
    const char *name;
    int parent = store_parent_of(path, &name);
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
            store_put_entry(i, &e);
            return i;
        }
    }
    return -MP_ENOSPC;
}

// --- data blocks -------------------------------------------------------------

void store_free_chain(uint16_t block) {
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
int store_nth_block(uint16_t idx, uint32_t n, int grow) {
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
        store_put_entry(idx, &e);
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

void store_truncate(uint16_t idx) {
    fs_entry_t e = META->entry[idx];
    store_free_chain(e.first);
    e.first = FAT_END;
    e.size = 0;
    store_put_entry(idx, &e);
}

// Writes len bytes at pos (src NULL writes zeros); grows the size as needed.
int store_write_at(uint16_t idx, uint32_t pos, const uint8_t *src, size_t len) {
    static const uint8_t zeros[64];
    size_t done = 0;
    while (done < len) {
        int block = store_nth_block(idx, (pos + done) / FS_BLOCK_SIZE, 1);
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
            store_put_entry(idx, &e);
        }
    }
    return len;
}
