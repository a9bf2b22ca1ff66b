"""tools/stage_dist.py: what `make dist` puts into the wheel as package data."""
import importlib.util
import subprocess

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("stage_dist", ROOT / "tools" / "stage_dist.py")
stage_dist = importlib.util.module_from_spec(spec)
spec.loader.exec_module(stage_dist)


def fake_build(root, modules=("pcm", "frontend", "interp", "mfcc", "pdm")):
    for arch in ("armv6m", "x64"):
        (root / "mpy" / arch).mkdir(parents=True)
        for m in modules:
            (root / "mpy" / arch / f"{m}.mpy").write_bytes(b"M\x06" + arch.encode())
    (root / "host").mkdir()
    (root / "host" / "libpcm.so").write_bytes(b"\x7fELF")
    return root


def test_stages_modules_libraries_and_the_app(tmp_path):
    build = fake_build(tmp_path / "build")
    package = tmp_path / "pkg"
    assert stage_dist.stage(build, package) == []
    assert (package / "mpy" / "armv6m" / "interp.mpy").read_bytes() == b"M\x06armv6m"
    assert (package / "mpy" / "x64" / "pcm.mpy").read_bytes() == b"M\x06x64"
    assert (package / "native" / "libpcm.so").exists()
    assert (package / "device" / "main.py").read_bytes() == (ROOT / "device" / "main.py").read_bytes()
    assert (package / "device" / "earshot_app" / "decide.py").exists()
    assert not list((package / "device").rglob("__pycache__"))
    stage_dist.clean(package)
    assert not any((package / name).exists() for name in stage_dist.STAGED)


def test_missing_module_stops_the_wheel(tmp_path):
    build = fake_build(tmp_path / "build", modules=("pcm", "frontend", "mfcc", "pdm"))
    problems = stage_dist.stage(build, tmp_path / "pkg")
    assert problems == ["armv6m: interp.mpy not built", "x64: interp.mpy not built"]


def test_staged_folders_are_ignored_by_git():
    for name in stage_dist.STAGED:
        probe = f"host/earshot/{name}/x"
        assert subprocess.run(["git", "check-ignore", "-q", probe], cwd=ROOT).returncode == 0, probe
