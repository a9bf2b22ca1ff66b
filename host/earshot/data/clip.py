"""The unit of labelled audio that every loader returns."""
from dataclasses import dataclass

import numpy as np

from earshot.data.wav import SAMPLE_RATE


@dataclass
class Clip:
    """Labelled audio: int16, 16 kHz, mono.

    `group` names the source recording; clips sharing it are never split across
    train and test. `fold` is the dataset's own fold number, when it has one.
    """

    audio: np.ndarray
    label: str
    group: str
    fold: int | None = None
    path: str | None = None

    @property
    def seconds(self):
        return len(self.audio) / SAMPLE_RATE


def recording_id(name):
    """The source-recording part of a file name: what comes before `_chunk`, if anything."""
    return str(name).split("_chunk")[0]


def class_counts(clips):
    """{label: number of clips}, labels in first-seen order."""
    counts = {}
    for clip in clips:
        counts[clip.label] = counts.get(clip.label, 0) + 1
    return counts
