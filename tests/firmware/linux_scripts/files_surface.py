# open() and os on files, written to run unchanged under CPython and MicroPython:
# the test compares the two outputs line by line. Run with a fresh empty cwd.
import os

start = os.getcwd()


def rel(path):
    return path[len(start):].lstrip("/")


def err(fn, *args):
    try:
        fn(*args)
        return "no error"
    except OSError as e:
        return "OSError %d" % e.errno


def is_dir(path):
    return (os.stat(path)[0] & 0x4000) != 0


# binary write / read, all 256 byte values
data = bytes(range(256)) * 4
with open("bin.dat", "wb") as f:
    print("write", f.write(data))
    print("tell after write", f.tell())
print("size", os.stat("bin.dat")[6], "is_dir", is_dir("bin.dat"))
with open("bin.dat", "rb") as f:
    print("read 10", f.read(10))
    print("tell", f.tell())
    print("seek cur", f.seek(5, 1), "seek end", f.seek(-3, 2), "tail", f.read())
    print("read at end", f.read(), f.read(4))
    print("seek set", f.seek(250))
    buf = bytearray(12)
    print("readinto", f.readinto(buf), bytes(buf))
    print("rest length", len(f.read()))
    print("whole equal", f.seek(0) == 0 and f.read() == data)

# text mode: str in and out, lines, iteration, readline at the end
with open("t.txt", "w") as f:
    f.write("first line\n")
    f.write("second\n")
    print("text write returns", f.write("no newline"))
    f.flush()
with open("t.txt") as f:
    print("readline", repr(f.readline()), repr(f.readline()))
    print("readline last", repr(f.readline()), repr(f.readline()))
with open("t.txt") as f:
    print("iterate", [line for line in f])
with open("t.txt", "r") as f:
    print("read all", repr(f.read()))
    print("read again", repr(f.read()))
with open("t.txt", "rb") as f:
    print("as bytes", f.read(6))

# append, read-write, exclusive create, truncate by w
with open("t.txt", "a") as f:
    f.write("+appended")
print("after append", repr(open("t.txt").read()))
with open("bin.dat", "r+b") as f:
    f.seek(2)
    f.write(b"XY")
    f.seek(0)
    print("r+b", f.read(6))
print("x on existing", err(open, "t.txt", "x"))
with open("new.txt", "x") as f:
    f.write("made")
print("x new", open("new.txt").read())
with open("new.txt", "w") as f:
    pass
print("w truncates", os.stat("new.txt")[6])
print("wb+ then read", end=" ")
with open("rw.bin", "wb+") as f:
    f.write(b"abcdef")
    f.seek(1)
    print(f.read(3))

# directories
os.mkdir("sub")
print("mkdir existing", err(os.mkdir, "sub"))
print("is_dir", is_dir("sub"))
with open("sub/inner.txt", "w") as f:
    f.write("in")
print("listdir root", sorted(os.listdir()))
print("listdir sub", os.listdir("sub"))
os.chdir("sub")
print("cwd", rel(os.getcwd()))
print("relative read", open("inner.txt").read(), open("../t.txt").read(5))
os.chdir("..")
print("cwd back", rel(os.getcwd()))
print("rmdir not empty", err(os.rmdir, "sub"))
print("remove dir", err(os.remove, "sub"))
print("open dir", err(open, "sub"))
print("chdir to file", err(os.chdir, "t.txt"))

# rename, remove, missing paths
os.rename("sub/inner.txt", "moved.txt")
print("renamed", open("moved.txt").read(), sorted(os.listdir("sub")))
os.rename("moved.txt", "new.txt")
print("rename replaces", open("new.txt").read())
os.rmdir("sub")
os.remove("new.txt")
print("missing stat", err(os.stat, "nope.txt"))
print("missing open", err(open, "nope.txt"))
print("missing remove", err(os.remove, "nope.txt"))
print("missing rmdir", err(os.rmdir, "nope"))
print("missing listdir", err(os.listdir, "nope"))
print("missing parent", err(open, "nope/x.txt", "w"))
print("final", sorted(os.listdir()))
