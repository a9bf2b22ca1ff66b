"""Audio data for training: reading, labelled clips, windows, leak-free splits, synthetic sounds.

API (names are stable; additions only):
  SAMPLE_RATE = 16000
  read_wav(path, rate=16000) -> int16 mono array      any rate/channels, 8/16/24/32-bit int or float WAV
  write_wav(path, audio, rate=16000)                  int16 -> 16-bit PCM WAV
  resample(audio, from_rate, to_rate) -> float array  polyphase, anti-aliased
  Clip(audio, label, group, fold=None, path=None)     group = source recording (never split apart)
  load_folder(root)                                   root/<label>/*.wav; unreadable files logged and skipped
  load_esc50(root, categories=None, relabel=None)     meta/esc50.csv or meta.csv (filename, fold, category|target, src_file)
  load_audacity(wav_path, labels_path)                start<TAB>end<TAB>label regions -> clips
  windows(audio, length=16000, stride=4000) -> (n, length) int16
  is_silent(window, floor_rms=FLOOR_RMS)              RMS by the pcm core, as the board's energy gate
  make_windows(clips, labels=None, length, stride, floor_rms, verbose=True, max_per_clip=None) -> WindowSet
      WindowSet: x (n, length) int16, y (n,) int64, groups, folds (-1 = none), labels, clip_index,
      dropped_silent, counts {label: n}, summary()
  split(clips, test_fraction=0.2, val_fraction=0.1, seed=0, test_folds=None, val_folds=None) -> Split
      Split: train, val, test (lists of Clip), dropped; by fold when clips have folds,
      otherwise grouped and stratified; a group is never on both sides.
  balance(clips, target=None, augment=None, seed=0) -> clips
  class_counts(clips) -> {label: n}
  earshot.data.synth: synthetic alarms, sirens, doorbells and backgrounds (see its docstring)
"""
from earshot.data.clip import Clip, class_counts, recording_id
from earshot.data.sources import load_audacity, load_esc50, load_folder
from earshot.data.splits import Split, balance, split
from earshot.data.wav import SAMPLE_RATE, read_wav, resample, to_int16, write_wav
from earshot.data.windowing import FLOOR_RMS, STRIDE, WINDOW, WindowSet, is_silent, make_windows, windows

__all__ = [
    "SAMPLE_RATE", "FLOOR_RMS", "WINDOW", "STRIDE", "Clip", "Split", "WindowSet",
    "read_wav", "write_wav", "resample", "to_int16", "recording_id", "class_counts",
    "load_folder", "load_esc50", "load_audacity", "windows", "is_silent", "make_windows",
    "split", "balance",
]
