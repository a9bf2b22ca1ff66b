"""earshot deploy copies only the native modules the model and the audio source need
(on the board, an imported module's code lives in the heap)."""
import json

import pytest

from earshot.deploy import arch, files
from earshot.errors import DeviceError
from earshot.paths import mpy_module
from tests.conftest import ROOT

ARMV6M = arch.abi_from_sys_mpy(4870)
MODEL = ROOT / "tests" / "fixtures" / "app" / "alarm_cnn.tflite"
# MODEL's interp op modules, with the module of CONV_2D's and FULLY_CONNECTED's variants
# (copied: the board imports it only if an op takes one).
OPS = ("interp_conv", "interp_convx", "interp_pool", "interp_resize", "interp_names", "interp_cores")


def test_modules_follow_features_and_source():
    assert files.modules_for("spectrogram_q15", "adc") == ("pcm", "frontend", "interp")
    assert files.modules_for("spectrogram_q15", "pdm") == ("pcm", "frontend", "interp", "pdm")
    assert files.modules_for("mfcc_q15", "i2s") == ("pcm", "frontend", "interp", "mfcc")
    assert files.modules_for(None, "host") == ("pcm", "frontend", "interp")


def test_config_source_resolves_like_the_app():
    default = json.loads((ROOT / "device" / "config.json").read_text())
    assert files.config_source(default) == "pdm"
    assert files.config_source({}) == "pdm"  # the app's DEFAULT_CONFIG
    assert files.config_source(dict(default, board="pico_max9814")) == "adc"
    assert files.config_source(dict(default, board="pico_max9814", source="wav")) == "wav"


def _planned_modules(config_path=None):
    for name in ("pcm", "frontend", "interp", "pdm", *OPS):
        if mpy_module(name, "armv6m") is None:
            pytest.skip(f"{name}.mpy for armv6m is not built (make modules)")
    plan = files.plan(ARMV6M, MODEL, config_path=config_path)
    return [f.path for f in plan if f.path.endswith(".mpy")]


def test_plan_without_pdm_source_leaves_pdm_out(tmp_path):
    config = tmp_path / "config.json"
    config.write_text('{"board": "pico_inmp441", "profiles": {"pico_inmp441": {"source": "i2s"}}}')
    assert _planned_modules(config) == ["/pcm.mpy", "/frontend.mpy", "/interp.mpy", *(f"/{m}.mpy" for m in OPS)]


def test_plan_with_the_boards_own_config_brings_pdm():
    # the board keeps its config.json, which deploy cannot see: the default (PDM) is assumed
    assert _planned_modules() == ["/pcm.mpy", "/frontend.mpy", "/interp.mpy", "/pdm.mpy",
                                  *(f"/{m}.mpy" for m in OPS)]


def test_config_that_is_not_json_is_refused(tmp_path):
    config = tmp_path / "config.json"
    config.write_text("{source: pdm")
    with pytest.raises(DeviceError, match="not valid JSON"):
        files.plan(ARMV6M, None, config_path=config)
