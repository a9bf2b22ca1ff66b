"""Sizes of the native modules as built for each architecture, and for interp (split on
the board into a core and op modules) the code each benchmark model loads."""
from earshot.bench import interp
from earshot.paths import BUILD_DIR

TITLE = "native module sizes (.mpy bytes; on the RP2040 the code is copied to RAM)"


def run():
    rows = []
    for path in sorted((BUILD_DIR / "mpy").glob("*/*.mpy")):
        rows.append({"module": path.stem, "arch": path.parent.name, "bytes": path.stat().st_size})
    for arch in ("armv6m", "x64"):
        try:
            loaded = [r for r in interp.size_rows(arch) if r[0] in interp.MODELS]
        except FileNotFoundError:  # not built for this arch
            continue
        for name, what, size in loaded:
            rows.append({"module": f"interp for {name} ({what})", "arch": arch, "bytes": size})
    return rows
