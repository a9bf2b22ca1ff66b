"""`earshot data ...`: synthetic clips and scenes on disk, per-class stats, a clear no-network error."""
import numpy as np

from earshot.cli import main
from earshot.data import download, load_audacity, load_folder


def test_synth_writes_a_folder_that_load_folder_and_stats_read(tmp_path, capsys):
    assert main(["data", "synth", str(tmp_path / "set"), "--per-class", "3", "--classes", "fire_alarm",
                 "siren", "--seconds", "0.5"]) == 0
    clips = load_folder(tmp_path / "set")
    assert sorted(c.label for c in clips) == ["fire_alarm"] * 3 + ["siren"] * 3
    assert all(len(c.audio) == 8000 for c in clips)
    capsys.readouterr()
    assert main(["data", "stats", str(tmp_path / "set")]) == 0
    out = capsys.readouterr().out
    assert "6 clips, 6 recordings" in out
    assert [line.split() for line in out.splitlines() if line.startswith("siren")] == [["siren", "3", "1.5", "3"]]


def test_scene_labels_mark_the_bursts(tmp_path):
    wav = tmp_path / "scene.wav"
    assert main(["data", "scene", str(wav), "--seconds", "10", "--bursts-at", "1", "6", "--snr-db", "5"]) == 0
    regions = load_audacity(wav, tmp_path / "scene.txt")
    assert [r.label for r in regions] == ["fire_alarm", "fire_alarm"]
    assert all(2.3 * 16000 < len(r.audio) < 2.7 * 16000 for r in regions)
    assert np.abs(regions[0].audio.astype(int)).max() > 1000


def test_get_without_network_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(download, "ESC50_URL", "http://127.0.0.1:9/esc50.zip")
    assert main(["data", "get", "esc50", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "cannot download ESC-50" in err and "no internet access" in err
    assert not list(tmp_path.iterdir())


def test_stats_of_a_missing_folder_fails_with_a_reason(tmp_path, capsys):
    assert main(["data", "stats", str(tmp_path / "nothing")]) == 1
    assert "not a folder" in capsys.readouterr().err
