"""Loaders: folder per label, ESC-50 layouts (with the shared glass_break set), Audacity labels."""
import logging

import numpy as np
import pytest
import soundfile

from earshot.data import load_audacity, load_esc50, load_folder
from earshot.errors import DataError


def write(path, samples, rate=16000):
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(path, np.asarray(samples, dtype=np.int16), rate, subtype="PCM_16")


def test_folder_labels_come_from_sub_folders_and_bad_files_are_skipped_by_name(tmp_path, caplog):
    write(tmp_path / "alarm" / "kitchen_chunk1.wav", np.full(100, 7))
    write(tmp_path / "alarm" / "kitchen_chunk2.wav", np.full(200, 8))
    write(tmp_path / "quiet" / "hall.wav", np.full(300, 9), rate=48000)
    (tmp_path / "quiet" / "broken.wav").write_text("not audio")
    (tmp_path / "quiet" / "readme.md").write_text("ignored: not audio by name")
    with caplog.at_level(logging.WARNING, logger="earshot.data"):
        clips = load_folder(tmp_path)
    assert [(c.label, len(c.audio)) for c in clips] == [("alarm", 100), ("alarm", 200), ("quiet", 100)]
    assert clips[0].group == clips[1].group == "alarm/kitchen"
    assert clips[2].group == "quiet/hall"
    assert "broken.wav" in caplog.text and "skipped 1" in caplog.text


def test_folder_without_audio_is_refused(tmp_path):
    (tmp_path / "empty_label").mkdir()
    with pytest.raises(DataError, match="no audio files"):
        load_folder(tmp_path)
    with pytest.raises(DataError, match="not a folder"):
        load_folder(tmp_path / "missing")


def make_esc50(root):
    rows = [("1-1-A-0.wav", 1, 0, "dog", "100032"), ("1-2-A-0.wav", 1, 0, "dog", "100032"),
            ("2-3-A-1.wav", 2, 1, "rain", "200111"), ("3-4-A-2.wav", 3, 2, "siren", "300999")]
    lines = ["filename,fold,target,category,esc10,src_file,take"]
    for i, (name, fold, target, category, src) in enumerate(rows):
        write(root / "audio" / name, np.full(160, i + 1))
        lines.append(f"{name},{fold},{target},{category},False,{src},A")
    (root / "meta").mkdir()
    (root / "meta" / "esc50.csv").write_text("\n".join(lines) + "\n")


def test_esc50_layout_with_folds_groups_and_relabelling(tmp_path):
    make_esc50(tmp_path)
    clips = load_esc50(tmp_path)
    assert [(c.label, c.fold, c.group, int(c.audio[0])) for c in clips] == [
        ("dog", 1, "100032", 1), ("dog", 1, "100032", 2), ("rain", 2, "200111", 3), ("siren", 3, "300999", 4)]
    kept = load_esc50(tmp_path, categories=["dog", "siren"], relabel={"dog": "other"})
    assert [c.label for c in kept] == ["other", "other", "siren"]
    by_function = load_esc50(tmp_path, relabel=lambda c: "alarm" if c == "siren" else "other")
    assert [c.label for c in by_function] == ["other", "other", "other", "alarm"]


def test_esc50_refuses_unknown_category_and_missing_meta(tmp_path):
    make_esc50(tmp_path)
    with pytest.raises(DataError, match="no clips of categories.*'cat'"):
        load_esc50(tmp_path, categories=["cat"])
    with pytest.raises(DataError, match="no meta/esc50.csv or meta.csv"):
        load_esc50(tmp_path / "audio")


def test_esc50_bad_fold_names_the_line(tmp_path):
    write(tmp_path / "audio" / "a.wav", np.ones(10))
    (tmp_path / "meta.csv").write_text("filename,fold,category\na.wav,one,dog\n")
    with pytest.raises(DataError, match=r"meta.csv:2: fold must be a number"):
        load_esc50(tmp_path)


def test_shared_glass_break_meta_loads_with_recording_groups(shared_data):
    clips = load_esc50(shared_data / "glass_break", progress=False)
    assert len(clips) == 251
    assert {c.fold for c in clips} == {1, 2, 3}
    assert {c.label for c in clips} == {"background", "glass_break"}
    assert all("_chunk" not in c.group and len(c.audio) == 16000 for c in clips)
    assert len({c.group for c in clips}) < len(clips)   # chunks of one recording share a group


def test_audacity_regions_become_clips(tmp_path):
    write(tmp_path / "rec.wav", np.arange(32000) % 1000)
    (tmp_path / "rec.txt").write_text("0.5\t1.0\tfire_alarm\n\\\t3000.0\t3500.0\n1.25\t1.5\tdoor\n\n")
    clips = load_audacity(tmp_path / "rec.wav", tmp_path / "rec.txt")
    assert [(c.label, len(c.audio), int(c.audio[0])) for c in clips] == [("fire_alarm", 8000, 8000 % 1000),
                                                                         ("door", 4000, 20000 % 1000)]
    assert {c.group for c in clips} == {"rec"}


@pytest.mark.parametrize("text, message", [
    ("0.5\tfire\n", r"rec.txt:1: expected start<TAB>end<TAB>label"),
    ("a\tb\tfire\n", r"rec.txt:1: start and end must be seconds"),
    ("1.0\t1.0\tpoint\n", r"rec.txt:1: region 1.0-1.0 s is empty"),
    ("0.5\t9.0\tlate\n", r"rec.txt:1: region .* outside the 2.00 s recording"),
    ("", r"no labelled regions"),
])
def test_audacity_bad_label_lines_are_refused_with_line_numbers(tmp_path, text, message):
    write(tmp_path / "rec.wav", np.zeros(32000))
    (tmp_path / "rec.txt").write_text(text)
    with pytest.raises(DataError, match=message):
        load_audacity(tmp_path / "rec.wav", tmp_path / "rec.txt")


def test_progress_bar_can_be_forced(tmp_path, capsys):
    write(tmp_path / "a" / "x.wav", np.ones(10))
    assert len(load_folder(tmp_path, progress=True)) == 1
    assert "reading" in capsys.readouterr().err
