"""Cutting clips into fixed-length windows and dropping the silent ones."""
from dataclasses import dataclass, field

import numpy as np

from earshot import pcm
from earshot.data.wav import SAMPLE_RATE
from earshot.errors import DataError

WINDOW = SAMPLE_RATE        # 1 s, the network's input span
STRIDE = 4000               # the design's step between windows
FLOOR_RMS = 10              # int16 RMS (about -70 dBFS): below this a window is digital silence


@dataclass
class WindowSet:
    """Windows ready for training: x int16 (n, length), y class index (n,), and where each came from."""

    x: np.ndarray
    y: np.ndarray
    groups: np.ndarray
    folds: np.ndarray          # -1 where the clip had no fold
    labels: tuple
    clip_index: np.ndarray     # index into the clip list, for clip-level decisions
    dropped_silent: int = 0
    counts: dict = field(default_factory=dict)

    def __len__(self):
        return len(self.y)

    def summary(self):
        per_class = ", ".join(f"{label} {n}" for label, n in self.counts.items())
        return f"{len(self)} windows: {per_class}; {self.dropped_silent} silent dropped"


def windows(audio, length=WINDOW, stride=STRIDE):
    """Windows of `length` samples every `stride` samples, as a (n, length) int16 array.

    Audio shorter than one window is zero-padded to one; a tail shorter than a window
    after the last full one is not used.
    """
    if length <= 0 or stride <= 0:
        raise DataError(f"window length and stride must be positive, got {length} and {stride}")
    audio = np.asarray(audio, dtype=np.int16)
    if audio.ndim != 1:
        raise DataError(f"expected mono audio (1-D), got shape {audio.shape}")
    if len(audio) < length:
        audio = np.concatenate([audio, np.zeros(length - len(audio), np.int16)])
    count = 1 + (len(audio) - length) // stride
    starts = np.arange(count) * stride
    return audio[starts[:, None] + np.arange(length)]


def is_silent(window, floor_rms=FLOOR_RMS):
    """True when the window's RMS, as the board's energy gate computes it, is below floor_rms."""
    return pcm.rms(np.ascontiguousarray(window, dtype=np.int16)) < floor_rms


def make_windows(clips, labels=None, length=WINDOW, stride=STRIDE, floor_rms=FLOOR_RMS, verbose=True,
                 max_per_clip=None):
    """Window every clip, drop silent windows, number the labels.

    `labels` fixes the class order (index = y); by default the sorted clip labels.
    A clip whose label is not in `labels` is an error: relabel first. `max_per_clip`
    keeps at most that many of a clip's non-silent windows, evenly spaced (long clips
    otherwise dominate, and 5 s clips at stride 4000 give 17 windows of 32 KB each).
    """
    clips = list(clips)
    if not clips:
        raise DataError("no clips to window")
    labels = tuple(labels) if labels is not None else tuple(sorted({c.label for c in clips}))
    index = {label: i for i, label in enumerate(labels)}
    unknown = sorted({c.label for c in clips} - set(index))
    if unknown:
        raise DataError(f"clips labelled {unknown} are not among the labels {list(labels)}",
                        hint="relabel them (load_esc50(relabel=...)) or add them to labels")
    xs, ys, groups, folds, owners = [], [], [], [], []
    dropped = 0
    for n, clip in enumerate(clips):
        cut = windows(clip.audio, length, stride)
        keep = np.array([not is_silent(w, floor_rms) for w in cut], dtype=bool)
        dropped += int((~keep).sum())
        cut = cut[keep]
        if max_per_clip is not None and len(cut) > max_per_clip:
            cut = cut[np.linspace(0, len(cut) - 1, max_per_clip).round().astype(int)]
        xs.append(cut)
        ys += [index[clip.label]] * len(cut)
        groups += [clip.group] * len(cut)
        folds += [-1 if clip.fold is None else clip.fold] * len(cut)
        owners += [n] * len(cut)
    y = np.array(ys, dtype=np.int64)
    result = WindowSet(np.concatenate(xs) if xs else np.zeros((0, length), np.int16), y,
                       np.array(groups, dtype=object), np.array(folds, dtype=np.int64), labels,
                       np.array(owners, dtype=np.int64), dropped,
                       {label: int((y == i).sum()) for i, label in enumerate(labels)})
    if verbose:
        print(result.summary())
    return result
