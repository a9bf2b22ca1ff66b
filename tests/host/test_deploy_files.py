"""earshot.deploy: architecture checks and the list of files a deploy copies."""
import json

import pytest

from earshot.deploy import arch, files
from earshot.errors import DeviceError, ModelError
from earshot.paths import device_dir, mpy_module
from tests.conftest import ROOT

X64 = arch.abi_from_sys_mpy(2822)       # what firmware/linux reports
ARMV6M = arch.abi_from_sys_mpy(4870)    # firmware/rp2040 and the official Pico firmware


def test_sys_mpy_decodes_version_and_arch():
    assert (X64.version, X64.sub_version, X64.arch_name) == (6, 3, "x64")
    assert (ARMV6M.version, ARMV6M.sub_version, ARMV6M.arch_name) == (6, 3, "armv6m")


def test_board_without_native_support_is_refused():
    with pytest.raises(DeviceError, match="cannot load native .mpy"):
        arch.abi_from_sys_mpy(0)


@pytest.mark.parametrize("abi", [X64, ARMV6M], ids=["x64", "armv6m"])
def test_built_modules_carry_their_arch(abi):
    path = mpy_module("pcm", abi.arch_name)
    if path is None:
        pytest.skip("pcm.mpy not built (make modules)")
    assert arch.abi_of_file(path.read_bytes()) == abi


def test_wrong_arch_module_is_never_copied(monkeypatch):
    x64_pcm = mpy_module("pcm", "x64")
    if x64_pcm is None:
        pytest.skip("pcm.mpy not built (make modules)")
    monkeypatch.setattr(files, "mpy_module", lambda name, arch_name: x64_pcm)
    with pytest.raises(DeviceError, match="is mpy v6.3 x64, the board runs mpy v6.3 armv6m: refusing"):
        files.module_files(ARMV6M)


def test_missing_module_says_how_to_build_it(monkeypatch):
    monkeypatch.setattr(files, "mpy_module", lambda name, arch_name: None)
    with pytest.raises(DeviceError, match="no pcm.mpy built for x64") as info:
        files.module_files(X64)
    assert "make modules" in info.value.hint


def test_not_a_mpy_file_is_refused():
    with pytest.raises(DeviceError, match="not a .mpy file"):
        arch.abi_of_file(b"#!/usr/bin/env python\n", "x.mpy")


def test_app_files_are_the_device_folder():
    paths = [f.path for f in files.app_files()]
    assert paths[0] == "/main.py"
    assert "/earshot_app/decide.py" in paths and "/earshot_app/sources/wav.py" in paths
    assert not any("__pycache__" in p for p in paths)


def test_config_is_only_copied_when_missing_unless_given(tmp_path):
    assert files.config_file().only_if_missing
    mine = tmp_path / "config.json"
    mine.write_text('{"board": "pico_max9814"}')
    f = files.config_file(mine)
    assert not f.only_if_missing and f.data == mine.read_bytes()


def test_model_without_earshot_settings_is_refused_before_copying():
    with pytest.raises(ModelError, match="invalid earshot settings"):
        files.model_file(ROOT / "tests" / "fixtures" / "interp" / "fire_alarm.tflite")
    with pytest.raises(ModelError, match="cannot read the model"):
        files.model_file(ROOT / "no_such_model.tflite")


def test_mip_package_lists_every_app_file():
    root = device_dir()
    package = json.loads((root / "package.json").read_text())
    listed = {dest for dest, _ in package["urls"]}
    wanted = {f.path.lstrip("/") for f in files.app_files()} | {"config.json"}
    assert listed == wanted
    assert all(dest == src for dest, src in package["urls"])
