"""Smart-lock recipe, tiny preset: the run folder, the int8 CNN (our interpreter against
TFLM), the integer board rules against float formulas, and Audacity-labelled data."""
import json

import numpy as np
import pytest

from earshot.data import write_wav
from earshot.errors import DataError
from earshot.paths import native_library
from earshot.recipes import smart_lock
from earshot.recipes import smart_lock_board as board
from earshot.recipes.music_genre_mfcc import read


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("smart_lock")
    return out, smart_lock.run(smart_lock.Config(out=str(out), size="tiny", verbose=False))


def test_tiny_run_writes_report_and_metrics(tiny_run):
    out, summary = tiny_run
    saved = json.loads((out / "metrics.json").read_text())
    assert saved["params"] == summary["params"] and {"CONV_2D", "MAX_POOL_2D"} <= set(summary["ops"])
    assert summary["input_shape"] == [1, 15, 20, 1]
    after = summary["counts"]["train_clips"]
    assert len(set(after.values())) == 1  # undersampled to the smallest class
    assert sum(summary["counts"]["train_clips_before_undersampling"].values()) > sum(after.values())
    w = summary["windows"]["int8"]
    assert w["confusion_columns"][-1] == "unknown" and w["unknown_below"] == 0.8
    assert np.asarray(w["confusion"]).sum() == summary["counts"]["test_slices"]
    report = (out / "report.md").read_text()
    assert "| PPV |" in report and "sensitivity" in report and "93.0%" in report


def test_model_carries_window_cascade_and_scaling(tiny_run):
    out, _ = tiny_run
    s = read((out / "model.tflite").read_bytes())
    f = s["features"]
    assert (f["kind"], f["frame"], f["hop"], f["coefficients"], f["columns"]) == ("mfcc_q15", 400, 400, 20, 15)
    assert f["scaling"]["kind"] == "minmax_u8" and len(f["scaling"]["min"]) == len(f["scaling"]["max"]) == 20
    assert s["input"]["float_input"] == "u8" and s["window_samples"] == 6000 and s["hop_samples"] == 400
    d = s["decision"]
    assert d["unknown_below"] == 0.8 and 5 <= d["post_buffer"] <= 10 and d["energy_backoff_windows"] == 15


@pytest.mark.skipif(native_library("interp") is None, reason="build/host/libinterp.so not built (make modules)")
def test_our_interpreter_equals_tflm_on_the_test_set(tiny_run):
    _, summary = tiny_run
    assert summary["agreement"] == {"earshot": True}


def test_minmax_u8_matches_float_formula():
    rng = np.random.default_rng(3)
    v = rng.integers(-4000, 4000, (50, 15, 20)).astype(np.int16)
    lo, hi = board.minmax_fit(v[:30])
    want = np.clip(np.floor((v.astype(np.float64) - lo) * 255 / (hi - lo) + 0.5), 0, 255)
    got = board.minmax_u8(v, lo, hi)
    assert np.array_equal(got, want) and got.min() == 0 and got.max() == 255


def test_window_rms_matches_float_formula():
    levels = np.repeat([10, 300, 9000, 0, 30000], 800)
    audio = np.clip(np.random.default_rng(4).standard_normal(4000) * levels, -32768, 32767).astype(np.int16)
    want = np.floor(np.sqrt(np.floor((audio.astype(np.float64) ** 2).reshape(-1, 400).sum(axis=1) / 400)))
    assert board.window_rms(audio, 400).tolist() == want.astype(int).tolist()
    with pytest.raises(DataError, match="int16"):
        board.window_rms(audio.astype(np.float32), 400)


def test_gate_opens_for_the_backoff_after_a_loud_window():
    rms = [0, 500, 0, 0, 0, 0, 600, 0, 0]
    assert board.gate(rms, 300, 3).tolist() == [0, 1, 1, 1, 0, 0, 1, 1, 1]
    assert board.gate(rms, 0, 1).all()
    with pytest.raises(DataError, match="backoff"):
        board.gate(rms, 300, 0)


def test_post_buffer_reports_a_strict_majority_once():
    unknown = 5
    decisions = [None, 2, 2, unknown, 2, 2, 2, 1, 1, 1, 1, 1, None, None]
    assert board.events(decisions, 5, unknown) == [2, 1]
    assert board.events([unknown] * 10 + [3, 4, 3, 4], 5, unknown) == []
    with pytest.raises(DataError, match="1..32"):
        board.PostBuffer(0, 5)


def test_post_buffer_outside_5_to_10_is_refused(tmp_path):
    with pytest.raises(DataError, match="post_buffer"):
        smart_lock.run(smart_lock.Config(out=str(tmp_path), size="tiny", post_buffer=4, verbose=False))


def test_audacity_labelled_recordings_are_loaded(tmp_path):
    audio = (np.random.default_rng(5).standard_normal(32000) * 2000).astype(np.int16)
    write_wav(tmp_path / "door1.wav", audio)
    (tmp_path / "door1.txt").write_text("0.10\t0.60\tknocking\n0.80\t1.30\tkey_in\n1.40\t1.90\tdog\n")
    clips, spans = smart_lock.load_clips(smart_lock.Config(data=str(tmp_path), verbose=False))
    assert [c.label for c in clips] == ["knocking", "key_in"]  # "dog" is not a class: skipped
    assert all(spans[c.group] == (0, len(c.audio)) for c in clips)
    x, y, owner = smart_lock.slices(clips, spans, smart_lock.Config(), 1)
    assert x.shape[1:] == (15, 20) and set(y.tolist()) == {3, 0}
    with pytest.raises(DataError, match="pairs"):
        smart_lock.load_clips(smart_lock.Config(data=str(tmp_path / "empty")))


def test_linux_board_gives_the_host_features_and_tflm_outputs(tiny_run):
    """firmware/linux with the x64 frontend, mfcc and interp modules: the same MFCC windows
    as the host library and the same int8 outputs as tflite_micro, for a few windows."""
    import shutil

    from earshot.emulators.linux import BINARY, LinuxBoard
    from earshot.paths import mpy_module
    from earshot.recipes.music_genre_mfcc import Int8Runner
    from earshot.recipes.smart_lock_device import decide_on

    from earshot.deploy.interp_modules import OP_MODULES

    modules = [mpy_module(name, "x64") for name in ("frontend", "mfcc", "interp", *OP_MODULES)]
    if not BINARY.exists() or not all(m is not None and m.exists() for m in modules):
        pytest.skip("firmware/linux or the x64 frontend/mfcc/interp modules are not built (make modules firmware)")
    out, _ = tiny_run
    tflite = (out / "model.tflite").read_bytes()
    settings = read(tflite)
    lo, hi = settings["features"]["scaling"]["min"], settings["features"]["scaling"]["max"]
    config = smart_lock.Config()
    tflm = Int8Runner(tflite, "tflm", float_input="u8")
    clips, _ = smart_lock.load_clips(smart_lock.Config(size="tiny"))
    with LinuxBoard() as device:
        for module in modules:
            shutil.copy(module, device.flash_dir / module.name)
        for clip in clips[::7][:3]:
            audio = clip.audio[:6400]  # 16 windows: the ring wraps once, the newest 15 decide
            features, q, output = decide_on(device, tflite, settings, audio)
            host = config.front_end().features(audio)[-15:]
            assert np.array_equal(features, host)
            scaled = board.minmax_u8(host, lo, hi)
            assert np.array_equal(q, tflm.quantize(scaled).reshape(-1))
            assert np.array_equal(output, tflm.raw(scaled[np.newaxis, ..., np.newaxis])[0])
