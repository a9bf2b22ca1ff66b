// The flash file store under fs_rp2040.c: a FAT-style layout in the upper megabyte
// of the flash (memmap.ld's _fs_flash_start), 4 KB blocks.
//
//   blocks 0..3: header | fat[FS_BLOCKS] (next block of a chain) | entries[FS_ENTRIES]
//   the rest:    file data
//
// An entry is a file or a directory: its parent entry, name, size and first block.
// Erased flash reads 0xff, which is what a free FAT slot and a free entry look like.
// Functions return >= 0 or a negated MP_Exxx, like fs_backend.h.
#ifndef EARSHOT_FS_STORE_H
#define EARSHOT_FS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "fs_backend.h"

#define FS_BLOCK_SIZE (4096)
#define FS_BLOCKS (256)
#define FS_META_BLOCKS (4)
#define ROOT (0xffff) // the parent of top-level entries; "/" has no entry
#define TYPE_FREE (0xff)

typedef struct {
    uint8_t type;  // TYPE_FREE, FS_TYPE_FILE or FS_TYPE_DIR
    uint8_t reserved;
    uint16_t parent;
    uint16_t first; // first data block, FAT_END when empty
    uint16_t reserved2;
    uint32_t size;
    char name[FS_NAME_MAX];
} fs_entry_t;

// Formats the store unless it already holds one.
void store_mount(void);

const fs_entry_t *store_entry(uint16_t idx);
uint16_t store_entry_count(void);
const uint8_t *store_block(uint16_t block);
uint32_t store_free_blocks(void);

// Names: paths are normalised and absolute (fs_backend.h).
int store_is_dir(uint16_t idx);
int store_resolve(const char *path);  // entry index; ROOT for "/"
int store_parent_of(const char *path, const char **name);
int store_has_children(uint16_t dir);
int store_create(const char *path, fs_type_t type);
void store_put_entry(uint16_t idx, const fs_entry_t *e);
void store_free_entry(uint16_t idx);

// Data.
void store_free_chain(uint16_t block);
int store_nth_block(uint16_t idx, uint32_t n, int grow);
void store_truncate(uint16_t idx);
int store_write_at(uint16_t idx, uint32_t pos, const uint8_t *src, size_t len);

#endif
