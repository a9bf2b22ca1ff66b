// Executable memory for native code (x64 .mpy modules, @micropython.native):
// MP_PLAT_ALLOC_EXEC / MP_PLAT_FREE_EXEC in mpconfigport.h.
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "py/gc.h"
#include "py/runtime.h"
#include "exec_memory.h"

// Native code blocks live in their own mappings; the list lets the GC scan them
// (a natmod's data may hold heap pointers).
typedef struct exec_block {
    struct exec_block *next;
    size_t size; // bytes, header included
} exec_block_t;

static exec_block_t *exec_blocks;

void linux_alloc_exec(size_t min_size, void **ptr, size_t *size) {
    size_t page = sysconf(_SC_PAGESIZE);
    size_t total = (min_size + sizeof(exec_block_t) + page - 1) / page * page;
    void *p = mmap(NULL, total, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        m_malloc_fail(min_size);
    }
    exec_block_t *block = p;
    block->size = total;
    block->next = exec_blocks;
    exec_blocks = block;
    *ptr = block + 1;
    *size = total - sizeof(exec_block_t);
}

void linux_free_exec(void *ptr, size_t size) {
    (void)size;
    exec_block_t *block = (exec_block_t *)ptr - 1;
    for (exec_block_t **link = &exec_blocks; *link != NULL; link = &(*link)->next) {
        if (*link == block) {
            *link = block->next;
            munmap(block, block->size);
            return;
        }
    }
}

bool linux_exec_contains(uintptr_t addr) {
    for (exec_block_t *block = exec_blocks; block != NULL; block = block->next) {
        if (addr >= (uintptr_t)(block + 1) && addr < (uintptr_t)block + block->size) {
            return true;
        }
    }
    return false;
}

void linux_gc_collect_exec(void) {
    for (exec_block_t *block = exec_blocks; block != NULL; block = block->next) {
        gc_collect_root((void **)(block + 1), (block->size - sizeof(exec_block_t)) / sizeof(void *));
    }
}

// Soft reset: code from the previous session is unreachable now.
void linux_free_all_exec(void) {
    while (exec_blocks != NULL) {
        exec_block_t *block = exec_blocks;
        exec_blocks = block->next;
        munmap(block, block->size);
    }
}
