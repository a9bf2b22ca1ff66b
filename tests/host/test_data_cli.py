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


def test_get_esc50_unpacks_an_archive_and_is_idempotent(tmp_path):
    import zipfile

    import soundfile

    from earshot.data import load_esc50

    source = tmp_path / "source.zip"
    with zipfile.ZipFile(source, "w") as zf:
        zf.writestr("ESC-50-master/meta/esc50.csv", "filename,fold,target,category,esc10,src_file,take\n"
                                                    "1-5-A-0.wav,1,0,dog,True,5,A\n")
        wav = tmp_path / "clip.wav"
        soundfile.write(wav, np.full(80, 300, np.int16), 16000, subtype="PCM_16")
        zf.write(wav, "ESC-50-master/audio/1-5-A-0.wav")
    folder = download.get_esc50(tmp_path / "data", url=source.as_uri(), progress=False)
    assert [(c.label, c.fold, len(c.audio)) for c in load_esc50(folder)] == [("dog", 1, 80)]
    source.unlink()
    assert download.get_esc50(tmp_path / "data", url=source.as_uri()) == folder
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["ESC-50-master"]


def test_get_esc50_refuses_an_archive_without_the_dataset(tmp_path):
    import zipfile

    import pytest

    from earshot.errors import DataError

    source = tmp_path / "other.zip"
    with zipfile.ZipFile(source, "w") as zf:
        zf.writestr("something/else.txt", "hello")
    with pytest.raises(DataError, match="meta/esc50.csv is missing"):
        download.get_esc50(tmp_path / "data", url=source.as_uri(), progress=False)
    (tmp_path / "junk.zip").write_text("not a zip")
    with pytest.raises(DataError, match="did not give a zip archive"):
        download.get_esc50(tmp_path / "data2", url=(tmp_path / "junk.zip").as_uri(), progress=False)
