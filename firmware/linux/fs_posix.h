// The POSIX storage backend: which host directory is the board's flash.
#ifndef EARSHOT_FS_POSIX_H
#define EARSHOT_FS_POSIX_H

// Returns 0, or -ENOENT when host_dir is not an existing directory.
int fs_posix_set_root(const char *host_dir);

#endif // EARSHOT_FS_POSIX_H
