// The mmap'd PROT_EXEC blocks native code runs from, and what the runtime asks of them.
#ifndef EARSHOT_LINUX_EXEC_MEMORY_H
#define EARSHOT_LINUX_EXEC_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void linux_alloc_exec(size_t min_size, void **ptr, size_t *size);
void linux_free_exec(void *ptr, size_t size);
// Whether addr lies inside a block: used to tell faults in native code apart.
bool linux_exec_contains(uintptr_t addr);
// Roots for the GC: a native module's data may hold heap pointers.
void linux_gc_collect_exec(void);
// At soft reset nothing references the previous session's code any more.
void linux_free_all_exec(void);

#endif // EARSHOT_LINUX_EXEC_MEMORY_H
