"""Splits never put one recording on two sides; seeded; by fold when there are folds. Balancing."""
import numpy as np
import pytest

from earshot.augment import Gain
from earshot.data import Clip, balance, class_counts, load_esc50, split
from earshot.errors import DataError


def corpus(folds=False):
    """3 classes, recordings of 1-4 clips each, some recordings shared by two labels."""
    rng = np.random.default_rng(7)
    clips = []
    for label, recordings in (("alarm", 12), ("speech", 20), ("music", 8)):
        for r in range(recordings):
            for _ in range(int(rng.integers(1, 5))):
                clips.append(Clip(np.zeros(10, np.int16), label, f"{label}-{r}", (r % 5) + 1 if folds else None))
    clips += [Clip(np.zeros(10, np.int16), "speech", "alarm-0"), Clip(np.zeros(10, np.int16), "music", "alarm-1")]
    if folds:
        clips[-2].fold, clips[-1].fold = 3, 5
    return clips


def groups(clips):
    return {c.group for c in clips}


def assert_disjoint(parts):
    assert not groups(parts.train) & groups(parts.test)
    assert not groups(parts.train) & groups(parts.val)
    assert not groups(parts.val) & groups(parts.test)


@pytest.mark.parametrize("seed", range(5))
def test_grouped_split_never_straddles_and_covers_every_clip(seed):
    clips = corpus()
    parts = split(clips, test_fraction=0.25, val_fraction=0.15, seed=seed)
    assert_disjoint(parts)
    assert len(parts.train) + len(parts.val) + len(parts.test) == len(clips)
    for label in ("alarm", "speech", "music"):     # stratified: every class on every side
        assert label in class_counts(parts.test) and label in class_counts(parts.train)
    assert 0.15 <= len(parts.test) / len(clips) <= 0.35


def test_split_is_reproducible_and_depends_on_the_seed():
    first, again, other = split(corpus(), seed=3), split(corpus(), seed=3), split(corpus(), seed=4)
    assert groups(first.test) == groups(again.test) and groups(first.val) == groups(again.val)
    assert groups(first.test) != groups(other.test)


def test_fold_split_uses_the_highest_fold_for_test_by_default():
    clips = corpus(folds=True)
    parts = split(clips, seed=0)
    assert {c.fold for c in parts.test} == {5}
    assert_disjoint(parts)
    # the recording alarm-1 also has a clip in fold 5: its other clips leave train
    assert parts.dropped == sum(c.group == "alarm-1" and c.fold != 5 for c in clips) > 0


def test_fold_split_with_chosen_folds():
    parts = split(corpus(folds=True), test_folds=[1], val_folds=[2])
    assert {c.fold for c in parts.test} == {1}
    assert {c.fold for c in parts.val} == {2}
    assert {c.fold for c in parts.train} <= {3, 4, 5}
    assert_disjoint(parts)


def test_fold_arguments_without_folds_are_refused():
    with pytest.raises(DataError, match="some clips have no fold"):
        split(corpus(), test_folds=[1])
    with pytest.raises(DataError, match="no clips in test folds"):
        split(corpus(folds=True), test_folds=[9])
    with pytest.raises(DataError, match="test_fraction must be in"):
        split(corpus(), test_fraction=1.0)


def test_fold_split_of_the_shared_glass_break_set_keeps_recordings_together(shared_data):
    clips = load_esc50(shared_data / "glass_break", progress=False)
    parts = split(clips, test_folds=[3], val_folds=[2])
    assert {c.fold for c in parts.test} == {3} and len(parts.test) == 83
    assert_disjoint(parts)
    assert parts.dropped > 0          # the set's folds share recordings: those are left out of train
    assert class_counts(parts.train).keys() == {"background", "glass_break"}


def test_balance_subsamples_and_repeats_to_the_target():
    clips = corpus()
    balanced = balance(clips, target=30, seed=1)
    assert class_counts(balanced) == {"alarm": 30, "speech": 30, "music": 30}
    assert balance(clips, seed=1) == balance(clips, seed=1)
    assert set(class_counts(balance(clips)).values()) == {min(class_counts(clips).values())}


def test_balance_with_augmentation_grows_small_classes_with_new_audio():
    clips = [Clip(np.full(100, 1000, np.int16), "rare", "r")] + \
            [Clip(np.full(100, 50, np.int16), "common", f"c{i}") for i in range(4)]
    balanced = balance(clips, augment=Gain((-6.0, -1.0)), seed=0)
    assert class_counts(balanced) == {"rare": 4, "common": 4}
    rare = [c for c in balanced if c.label == "rare"]
    assert all(c.group == "r" for c in rare)
    assert all(0 < c.audio[0] < 1000 for c in rare[1:])
