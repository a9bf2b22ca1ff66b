// The RP2040 port's storage backend (fs_backend.h) on a file store in the upper
// megabyte of flash. Files live as long as the flash contents: across soft resets,
// and, under rp2040js, for one run of the emulator.
#ifndef EARSHOT_FS_RP2040_H
#define EARSHOT_FS_RP2040_H

#include "fs_backend.h"

// Formats the store if it holds no valid one, and closes every handle. Call at boot.
void fs_rp2040_mount(void);

#endif
