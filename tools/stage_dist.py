"""Stage the build outputs a wheel carries, as package data of earshot:
  build/mpy/<arch>/*.mpy -> host/earshot/mpy/<arch>/   (armv6m for the Pico, x64 for firmware/linux)
  build/host/*.so        -> host/earshot/native/
  device/                -> host/earshot/device/        (the board app, for earshot deploy)
The staged folders are .gitignored; `make dist` runs this, then `pip wheel`, then
this again with --clean, so a checkout never runs stale staged copies (earshot.paths
prefers the package's own copies, as an installed wheel needs).

  python tools/stage_dist.py --build build
  python tools/stage_dist.py --clean
"""
import argparse
import shutil
import sys
from pathlib import Path

from earshot.deploy.files import MFCC_MODULE, MODULES, PDM_MODULE

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "host" / "earshot"
ARCHS = ("armv6m", "x64")
# Everything `earshot deploy` may copy: every app's modules, plus MFCC and PDM.
REQUIRED_MODULES = (*MODULES, MFCC_MODULE, PDM_MODULE)


def copy_files(files, dest):
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for f in files:
        shutil.copy2(f, dest / f.name)
    return len(files)


STAGED = ("mpy", "native", "device")


def clean(package=PACKAGE):
    for name in STAGED:
        if (package / name).exists():
            shutil.rmtree(package / name)


def stage(build, package=PACKAGE):
    """Copies the build outputs into `package`; returns what is missing (empty when complete)."""
    problems = []
    for arch in ARCHS:
        found = sorted((build / "mpy" / arch).glob("*.mpy"))
        missing = [m for m in REQUIRED_MODULES if not (build / "mpy" / arch / f"{m}.mpy").exists()]
        if missing:
            problems.append(f"{arch}: {', '.join(missing)}.mpy not built")
        print(f"mpy/{arch}: {copy_files(found, package / 'mpy' / arch)} modules")
    libs = sorted((build / "host").glob("*.so"))
    print(f"native: {copy_files(libs, package / 'native')} libraries")
    dest = package / "device"
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(ROOT / "device", dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    print(f"device: {sum(1 for p in dest.rglob('*') if p.is_file())} files")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    parser.add_argument("--clean", action="store_true", help="remove the staged folders")
    args = parser.parse_args(argv)
    if args.clean:
        clean()
        return 0
    problems = stage(args.build.resolve())
    if problems:
        print("error: the wheel would lack modules a board needs: " + "; ".join(problems)
              + " (run 'make modules')", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
