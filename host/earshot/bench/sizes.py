"""Sizes of the native modules as built for each architecture."""
from earshot.paths import BUILD_DIR

TITLE = "native module sizes (.mpy bytes; on the RP2040 the code is copied to RAM)"


def run():
    rows = []
    for path in sorted((BUILD_DIR / "mpy").glob("*/*.mpy")):
        rows.append({"module": path.stem, "arch": path.parent.name, "bytes": path.stat().st_size})
    return rows
