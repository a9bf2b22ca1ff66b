# os.listdir failing with MemoryError must give its directory handle back:
# the backend has only a few. Run with a small heap in a directory of 60 files.
import os, gc
listdir = os.listdir
failed = i = size = 0
hog = []
size = 4096
while size >= 16:
    try:
        hog.append(bytearray(size))
    except MemoryError:
        size //= 2
while i < 12:
    try:
        listdir()
    except MemoryError:
        failed += 1
    i += 1
hog = None
gc.collect()
print(failed, len(listdir()))
