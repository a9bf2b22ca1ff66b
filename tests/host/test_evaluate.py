"""Metrics with an unknown column, clip-level averaging, the replayed decision loop, and
int8 runs in the TFLM reference agreeing with tf.lite."""
import numpy as np
import pytest
from trainer_helpers import FIXTURE_MODEL

from earshot.errors import ModelError
from earshot.evaluate import Int8Model, clip_scores, confusion, metrics, with_unknown
from earshot.evaluate.stream import fires, smoothed


def test_sigmoid_outputs_become_two_classes():
    m = metrics([0, 1, 1, 0], np.array([[0.1], [0.9], [0.4], [0.7]]), ["other", "alarm"])
    assert m["accuracy"] == 0.5
    assert m["confusion"] == [[1, 1, 0], [1, 1, 0]]
    assert m["per_class"]["alarm"] == {"precision": 0.5, "recall": 0.5, "support": 2}


def test_outputs_under_the_threshold_are_unknown():
    probs = np.array([[0.9, 0.05, 0.05], [0.4, 0.35, 0.25], [0.1, 0.8, 0.1], [0.34, 0.33, 0.33]])
    assert with_unknown(probs, 0.5).tolist() == [0, 3, 1, 3]
    m = metrics([0, 0, 1, 2], probs, ["a", "b", "c"], unknown_below=0.5)
    assert m["unknown"] == 2 and m["accuracy"] == 0.5
    assert m["confusion_columns"] == ["a", "b", "c", "unknown"]
    assert [row[3] for row in m["confusion"]] == [1, 0, 1]
    assert metrics([0, 0, 1, 2], probs, ["a", "b", "c"])["unknown"] == 0


def test_confusion_counts_true_rows_and_predicted_columns():
    assert confusion([0, 0, 1], [1, 2, 1], 2).tolist() == [[0, 1, 1], [0, 1, 0]]


def test_clip_decisions_average_their_windows():
    ids, scores = clip_scores(np.array([0.2, 0.6, 1.0, 0.1]), [4, 4, 4, 7])
    assert ids.tolist() == [4, 7]
    np.testing.assert_allclose(scores[:, 1], [0.6, 0.1])


def test_smoothing_and_threshold_follow_the_settings():
    probs = [0.0, 0.9, 0.9, 0.9, 0.0]
    np.testing.assert_allclose(smoothed(probs, 3), [0.0, 0.45, 0.6, 0.9, 0.6])
    settings = {"decision": {"smoothing_hops": 3, "threshold": 0.6}}
    assert fires(probs, settings).tolist() == [False, False, True, True, True]


def test_tflm_and_tflite_agree_exactly_on_int8():
    rng = np.random.default_rng(2)
    x = rng.random((6, 124, 129, 1), dtype=np.float32) * 0.08
    model = FIXTURE_MODEL.read_bytes()
    tflm, tflite = Int8Model(model, "tflm"), Int8Model(model, "tflite")
    np.testing.assert_array_equal(tflm.raw(x), tflite.raw(x))
    p = tflm.predict(x)
    assert p.shape == (6, 2) and np.allclose(p.sum(axis=1), 1)


def test_input_quantization_rounds_and_clamps():
    model = Int8Model(FIXTURE_MODEL.read_bytes())
    scale, zero = model.input["scale"][0], model.input["zero_point"][0]
    q15 = np.array([0, 1, 100, 32767], dtype=np.int64)
    expected = np.clip(np.round(q15 / 32768 / scale) + zero, -128, 127)
    np.testing.assert_array_equal(model.quantize(q15 / 32768.0), expected)


def test_unknown_engine_is_refused():
    with pytest.raises(ModelError, match="unknown engine 'cuda'"):
        Int8Model(FIXTURE_MODEL.read_bytes(), "cuda")
