"""Train/validation/test splits that never put one recording on both sides, and class balancing."""
import logging
from dataclasses import dataclass

import numpy as np

from earshot.data.clip import class_counts
from earshot.errors import DataError

log = logging.getLogger("earshot.data")


@dataclass
class Split:
    train: list
    val: list
    test: list
    dropped: int = 0    # clips left out because their recording is in a later part (test, then val)

    def summary(self):
        parts = [f"{name} {len(clips)} {class_counts(clips)}"
                 for name, clips in (("train", self.train), ("val", self.val), ("test", self.test))]
        return "; ".join(parts) + (f"; {self.dropped} dropped (recording in test or val)" if self.dropped else "")


def split(clips, test_fraction=0.2, val_fraction=0.1, seed=0, test_folds=None, val_folds=None):
    """Split clips so that no group (source recording) is in two parts.

    With folds (every clip has one): test = clips in test_folds (default: the highest
    fold); val = clips in val_folds, or else whole groups of the rest, stratified, making
    about val_fraction of all clips. Clips whose group is also in test (or, with
    val_folds, in val) are dropped: a dataset's folds may leak chunks of one recording.
    Without folds: grouped, stratified fractions. The same seed gives the same split.
    """
    clips = list(clips)
    if not clips:
        raise DataError("no clips to split")
    for name, fraction in (("test_fraction", test_fraction), ("val_fraction", val_fraction)):
        if not 0 <= fraction < 1:
            raise DataError(f"{name} must be in [0, 1), got {fraction}")
    rng = np.random.default_rng(seed)
    has_folds = all(c.fold is not None for c in clips)
    if test_folds is not None or val_folds is not None:
        if not has_folds:
            raise DataError("test_folds/val_folds given but some clips have no fold")
    if has_folds:
        test_folds = set(test_folds) if test_folds is not None else {max(c.fold for c in clips)}
        test = [c for c in clips if c.fold in test_folds]
        if not test:
            raise DataError(f"no clips in test folds {sorted(test_folds)}")
        rest = [c for c in clips if c.fold not in test_folds]
    else:
        test, rest = _grouped_fraction(clips, test_fraction, rng)
    rest, dropped = _without_groups(rest, {c.group for c in test})
    if val_folds is not None:
        val = [c for c in rest if c.fold in set(val_folds)]
        train, dropped_from_train = _without_groups([c for c in rest if c.fold not in set(val_folds)],
                                                    {c.group for c in val})
        dropped += dropped_from_train
    else:
        share = min(0.99, val_fraction * len(clips) / max(1, len(rest)))
        val, train = _grouped_fraction(rest, share, rng)
    if dropped:
        log.warning("split: dropped %d clip(s) whose recording is also in test or val", dropped)
    return Split(train, val, test, dropped)


def balance(clips, target=None, augment=None, seed=0):
    """Every class to `target` clips: larger classes are subsampled, smaller ones grown.

    Smaller classes grow with augmented copies when `augment` (a transform, see
    earshot.augment) is given, else with repeats. Default target: the largest class
    when augmenting, the smallest otherwise.
    """
    from earshot.augment import augment_to

    clips = list(clips)
    counts = class_counts(clips)
    if not counts:
        raise DataError("no clips to balance")
    if target is None:
        target = max(counts.values()) if augment is not None else min(counts.values())
    rng = np.random.default_rng(seed)
    result = []
    for label in counts:
        own = [c for c in clips if c.label == label]
        if len(own) >= target:
            keep = np.sort(rng.choice(len(own), size=target, replace=False))
            result += [own[i] for i in keep]
        elif augment is not None:
            result += augment_to(own, label, target, augment, seed=int(rng.integers(2**31)))
        else:
            result += [own[i % len(own)] for i in range(target)]
    return result


def _without_groups(clips, groups):
    kept = [c for c in clips if c.group not in groups]
    return kept, len(clips) - len(kept)


def _grouped_fraction(clips, fraction, rng):
    """(picked, rest): whole groups picked per class until about `fraction` of its clips.

    A group counts toward the class most of its clips carry. Each class keeps at least
    one group in `rest`, and gives one to `picked` when it has two or more and fraction > 0.
    """
    if fraction <= 0:
        return [], list(clips)
    by_group = {}
    for clip in clips:
        by_group.setdefault(clip.group, []).append(clip)
    by_class = {}
    for group in sorted(by_group):
        members = by_group[group]
        main = max(class_counts(members).items(), key=lambda kv: (kv[1], kv[0]))[0]
        by_class.setdefault(main, []).append(group)
    picked_groups = set()
    for label in sorted(by_class):
        groups = by_class[label]
        order = [groups[i] for i in rng.permutation(len(groups))]
        total = sum(len(by_group[g]) for g in groups)
        want, taken = fraction * total, 0
        for group in order[:-1]:
            if taken >= want or (taken and taken + len(by_group[group]) / 2 > want):
                break
            picked_groups.add(group)
            taken += len(by_group[group])
    picked = [c for c in clips if c.group in picked_groups]
    rest = [c for c in clips if c.group not in picked_groups]
    return picked, rest
