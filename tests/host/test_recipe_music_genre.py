"""Music genre recipe, tiny preset: the run folder, the LSTM's int8 model with its
MFCC settings embedded, int8 input forming against a float formula, the song vote,
and GTZAN-style folder loading."""
import json

import numpy as np
import pytest

from earshot import settings as settings_module
from earshot.data import write_wav
from earshot.errors import DataError
from earshot.recipes import music_genre
from earshot.recipes.music_genre_mfcc import Int8Runner, read, to_int8


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("music_genre")
    config = music_genre.Config(out=str(out), size="tiny", verbose=False)
    return out, config, music_genre.run(config)


def test_tiny_run_writes_report_and_metrics(tiny_run):
    out, _, summary = tiny_run
    saved = json.loads((out / "metrics.json").read_text())
    assert saved["params"] == summary["params"] and 12000 <= summary["params"] <= 18000
    assert "UNIDIRECTIONAL_SEQUENCE_LSTM" in summary["ops"]
    assert summary["tflite_bytes"] == (out / "model.tflite").stat().st_size < 30 * 1024
    for kind in ("chunks", "songs"):
        assert set(summary[kind]) == {"float", "int8"}
        assert 0.0 <= summary[kind]["int8"]["accuracy"] <= 1.0
    report = (out / "report.md").read_text()
    assert "23.5 KB" in report and "songs, vote" in report


def test_model_carries_the_front_end_settings(tiny_run):
    out, config, _ = tiny_run
    tflite = (out / "model.tflite").read_bytes()
    carried = read(tflite)
    f = carried["features"]
    assert f["kind"] == "mfcc_q15"
    assert (f["frame"], f["hop"], f["fft"], f["fmin"], f["fmax"], f["bands"], f["coefficients"], f["sample_rate"]) == (
        config.frame, config.hop, config.fft, config.fmin, config.fmax, config.bands, config.coefficients,
        config.sample_rate)
    assert carried["input"]["shape"] == [1, f["columns"], f["coefficients"]]
    assert carried["labels"] == list(config.genres)
    # earshot.settings (what deploy and the board check) reads the same settings.
    assert settings_module.read(tflite) == carried


def test_int8_runs_are_independent_of_order(tiny_run):
    """The LSTM's state tensors are reset before every chunk: order does not matter."""
    out, config, _ = tiny_run
    runner = Int8Runner((out / "model.tflite").read_bytes(), "tflm")
    songs = music_genre.load_songs(config)[:2]
    x = music_genre.chunk_features(songs, config)[0]
    forward = runner.raw(x)
    assert np.array_equal(runner.raw(x[::-1]), forward[::-1])
    assert forward.dtype == np.int8 and forward.shape == (len(x), len(config.genres))


def test_our_interpreter_equals_tflm(tiny_run):
    """earshot's interpreter gives TFLM's int8 outputs for every test chunk, byte for byte."""
    _, _, summary = tiny_run
    assert summary["agreement"].get("earshot") is True, summary["agreement"]


@pytest.mark.parametrize("scale,zero_point", [(0.0371, -5), (0.25, 10), (1.7e-3, 127)])
def test_int8_input_forming_matches_float_formula(scale, zero_point):
    v = np.random.default_rng(1).integers(-32768, 32768, 4000).astype(np.int16)
    f = v.astype(np.float64) / 128.0 / np.float64(np.float32(scale))
    want = np.clip(np.sign(f) * np.floor(np.abs(f) + 0.5) + zero_point, -128, 127)
    assert np.array_equal(to_int8(v, scale, zero_point, "q8.7/128"), want.astype(np.int8))


def test_vote_takes_the_majority_of_chunks():
    probs = np.array([[0.6, 0.3, 0.1], [0.1, 0.8, 0.1], [0.5, 0.4, 0.1],  # song 0: two chunks say 0
                      [0.1, 0.3, 0.6], [0.25, 0.4, 0.35]])                  # song 1: a tie, 2 has more in sum
    ids, picks = music_genre.vote(probs, np.array([0, 0, 0, 1, 1]))
    assert ids.tolist() == [0, 1] and picks.tolist() == [0, 2]


def test_gtzan_folder_is_read_and_chunked(tmp_path):
    rng = np.random.default_rng(0)
    for genre in ("disco", "jazz", "metal"):
        (tmp_path / genre).mkdir()
        for i in range(2):
            audio = (rng.standard_normal(int(2.5 * 22050)) * 3000).astype(np.int16)
            write_wav(tmp_path / genre / f"{genre}.{i:05d}.wav", audio, rate=22050)
    config = music_genre.Config(data=str(tmp_path), verbose=False)
    songs = music_genre.load_songs(config)
    assert len(songs) == 6 and {s.group for s in songs} >= {"disco/disco.00000", "metal/metal.00001"}
    x, y, song = music_genre.chunk_features(songs, config)
    assert x.shape == (12, 43, 18) and x.dtype == np.int16  # two whole 1 s chunks per 2.5 s song
    assert y.tolist() == [0] * 4 + [1] * 4 + [2] * 4 and song.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_missing_folder_and_bad_size_are_refused(tmp_path):
    with pytest.raises(DataError, match="no GTZAN folder"):
        music_genre.load_songs(music_genre.Config(data=str(tmp_path / "nope")))
    (tmp_path / "disco").mkdir()
    with pytest.raises(DataError, match="no .wav files"):
        music_genre.load_songs(music_genre.Config(data=str(tmp_path), genres=("disco",)))
    with pytest.raises(DataError, match="unknown size"):
        music_genre.run(music_genre.Config(out=str(tmp_path), size="huge"))


BOARD_MFCC = """
import array, json, mfcc
with open('genre.json') as f:
    fe = json.load(f)['features']
with open('genre.pcm', 'rb') as f:
    audio = bytearray(f.read())
n, c = fe['columns'], fe['coefficients']
m = mfcc.Mfcc(fe['frame'], fe['hop'], fe['fft'], fe['sample_rate'], fe['fmin'], fe['fmax'], fe['bands'], c)
ring = array.array('h', bytes(2 * n * c))
out = array.array('h', bytes(2 * n * c))
for start in range(0, len(audio), 1000):
    m.process(audio[start:start + 1000], ring)
m.window(ring, out)
print(repr(bytes(out)))
"""


def test_linux_board_mfcc_equals_host_for_the_embedded_front_end(tiny_run):
    """firmware/linux's x64 mfcc module, configured from the model's settings, gives the
    host's chunk features."""
    import ast
    import shutil

    from earshot.emulators.linux import BINARY, LinuxBoard
    from earshot.paths import mpy_module

    module = mpy_module("mfcc", "x64")
    if not BINARY.exists() or module is None:
        pytest.skip("firmware/linux or the x64 mfcc module is not built (make modules firmware)")
    out, config, _ = tiny_run
    settings = read((out / "model.tflite").read_bytes())
    songs = music_genre.load_songs(config)
    with LinuxBoard() as device:
        shutil.copy(module, device.flash_dir / "mfcc.mpy")
        (device.flash_dir / "genre.json").write_text(json.dumps(settings))
        for song in songs[::5][:3]:
            chunk = song.audio[:config.chunk_samples()]
            (device.flash_dir / "genre.pcm").write_bytes(chunk.astype("<i2").tobytes())
            got = np.frombuffer(ast.literal_eval(device.exec(BOARD_MFCC, timeout=120).strip()), dtype="<i2")
            want = config.front_end().features(chunk)
            assert want.shape == (settings["features"]["columns"], settings["features"]["coefficients"])
            assert np.array_equal(got.reshape(want.shape), want)
