"""Print the libgcc members a native module needs, extracted and stripped.

MicroPython 1.23's mpy_ld cannot link libgcc, and the Cortex-M0+ has no divide
instruction and no 64-bit multiply, so the compiler emits calls such as
__aeabi_idiv and __aeabi_lmul. We resolve them by hand: find every undefined
symbol of the module's objects, take the libgcc.a members that define them
(transitively), strip their debug sections (mpy_ld rejects some of them) and
hand them to mpy_ld as ordinary objects.
"""
import argparse
import os
import subprocess
import sys

# Resolved by mpy_ld itself, never from libgcc.
LINKER_SYMBOLS = {"mp_fun_table", "mp_native_qstr_table", "mp_native_obj_table", "_GLOBAL_OFFSET_TABLE_"}


def nm(cross, path, *flags):
    out = subprocess.run([cross + "nm", *flags, path], check=True, capture_output=True, text=True).stdout
    return out.splitlines()


def symbols_of(cross, obj):
    defined, undefined = set(), set()
    for line in nm(cross, obj):
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("U", "w"):
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDRBWtdrbV" and parts[1].isupper():
            defined.add(parts[2])
    return defined, undefined


def library_index(cross, libgcc):
    """Map each symbol defined in libgcc.a to the member that defines it."""
    index, member = {}, None
    for line in nm(cross, libgcc, "--defined-only"):
        if line.endswith(":") and line.strip():
            member = line[:-1]
        else:
            parts = line.split()
            if len(parts) == 3 and parts[1].isupper():
                index.setdefault(parts[2], member)
    return index


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", required=True)
    ap.add_argument("--cross", default="")
    ap.add_argument("--cflags", default="")
    ap.add_argument("--dest", required=True)
    ap.add_argument("objects", nargs="+")
    args = ap.parse_args()
    if not args.arch.startswith("armv"):
        return 0  # x64 has hardware divide and 64-bit multiply; nothing to add
    libgcc = subprocess.run(
        [args.cross + "gcc", *args.cflags.split(), "-print-libgcc-file-name"],
        check=True, capture_output=True, text=True).stdout.strip()
    index = library_index(args.cross, libgcc)
    defined, wanted = set(), set()
    for obj in args.objects:
        d, u = symbols_of(args.cross, obj)
        defined |= d
        wanted |= u
    members, seen = [], set()
    todo = sorted(wanted - defined - LINKER_SYMBOLS)
    while todo:
        sym = todo.pop()
        if sym in seen:
            continue
        seen.add(sym)
        member = index.get(sym)
        if member is None or member in members:
            continue  # not ours to supply: mpy_ld reports it if really missing
        members.append(member)
        path = os.path.join(args.dest, member)
        subprocess.run([args.cross + "ar", "x", "--output", args.dest, libgcc, member], check=True)
        subprocess.run([args.cross + "objcopy", "--strip-debug", "--remove-section=.ARM.attributes", path], check=True)
        d, u = symbols_of(args.cross, path)
        defined |= d
        todo.extend(sorted(u - defined - LINKER_SYMBOLS))
    print(" ".join(os.path.join(args.dest, m) for m in members))
    return 0


if __name__ == "__main__":
    sys.exit(main())
