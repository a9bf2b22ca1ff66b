"""Where earshot finds its build outputs: a source checkout or an installed wheel."""
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent.parent
BUILD_DIR = CHECKOUT_DIR / "build"


def first_existing(*candidates):
    for path in candidates:
        if path.exists():
            return path
    return None


def native_library(name):
    """Path of lib<name>.so: the wheel's copy first, then the checkout's build."""
    filename = f"lib{name}.so"
    return first_existing(PACKAGE_DIR / "native" / filename, BUILD_DIR / "host" / filename)


def mpy_module(name, arch):
    """Path of a prebuilt <name>.mpy for `arch` (x64, armv6m)."""
    filename = f"{name}.mpy"
    return first_existing(PACKAGE_DIR / "mpy" / arch / filename, BUILD_DIR / "mpy" / arch / filename)


def device_dir():
    return first_existing(PACKAGE_DIR / "device", CHECKOUT_DIR / "device")
