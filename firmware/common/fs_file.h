// open() on the storage backend (or on a Python filesystem mounted with os.mount).
#ifndef EARSHOT_FS_FILE_H
#define EARSHOT_FS_FILE_H

#include "py/obj.h"

extern const mp_obj_type_t fs_type_fileio;
extern const mp_obj_type_t fs_type_textio;

// Opens `path` (relative to the cwd) with a CPython mode string ("rb", "w", "a+").
mp_obj_t fs_file_open(const char *path, const char *mode);

// True while import reads a .mpy file: the 1.23 loader trusts the file, so a port
// may turn a fault or failed assertion during that time into "corrupted .mpy".
bool fs_import_loading_mpy(void);

#endif // EARSHOT_FS_FILE_H
