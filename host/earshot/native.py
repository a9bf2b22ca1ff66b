"""Loads the host builds of the native modules' C cores (the same C as on the board)."""
import ctypes
import functools

from earshot.errors import NativeLibraryError
from earshot.paths import native_library


@functools.lru_cache(maxsize=None)
def load(name):
    path = native_library(name)
    if path is None:
        raise NativeLibraryError(f"native library lib{name}.so was not found")
    try:
        return ctypes.CDLL(str(path))
    except OSError as exc:
        raise NativeLibraryError(f"cannot load {path}: {exc}") from exc
