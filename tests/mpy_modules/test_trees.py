"""trees core (host library): emlearn-converted sklearn models predict exactly as
sklearn (exact thresholds) and as emlearn's own compiled C (emlearn's thresholds);
hostile model bytes are refused; band features match a numpy transcription."""
import math
import struct

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier

from earshot.recipes.trees_model import emlearn, HEADER, HostForest, band_features, log2_q8, mean_dev, to_bytes

RNG = np.random.default_rng(3)
X = RNG.integers(-200, 200, (500, 6)).astype(np.int16)
Y = ((X[:, 0] + X[:, 1] > 0) ^ (X[:, 2] > 60)).astype(int) + 2 * (X[:, 3] > 150)
TRAIN, TEST = slice(0, 350), slice(350, None)

ESTIMATORS = {
    "tree": lambda: DecisionTreeClassifier(max_depth=7, random_state=0),
    "forest": lambda: RandomForestClassifier(12, max_depth=6, random_state=0),
}


@pytest.fixture(autouse=True)
def in_tmp_dir(tmp_path, monkeypatch):
    """emlearn's compiled models build in ./tmp: keep that out of the checkout."""
    monkeypatch.chdir(tmp_path)


def converted(kind, leaf_bits):
    model = ESTIMATORS[kind]().fit(X[TRAIN], Y[TRAIN])
    options = {} if leaf_bits is None else {"leaf_bits": leaf_bits}
    return model, emlearn().convert(model, method="loadable", dtype="int16_t", **options)


@pytest.mark.parametrize("kind,leaf_bits", [("tree", None), ("tree", 8), ("forest", 8)])
def test_exact_thresholds_predict_as_sklearn(kind, leaf_bits):
    model, forest = converted(kind, leaf_bits)
    assert np.array_equal(HostForest(to_bytes(forest)).predict(X[TEST]), model.predict(X[TEST]))


@pytest.mark.parametrize("kind,leaf_bits", [("tree", None), ("forest", None), ("forest", 8)])
def test_emlearn_thresholds_predict_as_emlearns_own_c(kind, leaf_bits):
    _, forest = converted(kind, leaf_bits)
    ours = HostForest(to_bytes(forest, rule="emlearn")).predict(X[TEST])
    assert np.array_equal(ours, forest.predict(X[TEST]))


def test_votes_are_emlearns_probabilities():
    _, forest = converted("forest", 8)
    host = HostForest(to_bytes(forest, rule="emlearn"))
    proba = host.votes(X[TEST]) / (255.0 * host.n_trees)
    assert np.allclose(proba, forest.predict_proba(X[TEST]), atol=1e-6)
    _, hard = converted("forest", None)
    counts = HostForest(to_bytes(hard, rule="emlearn")).votes(X[TEST])
    assert np.array_equal(counts.sum(axis=1), np.full(len(counts), 12))


def header_of(data):
    return list(HEADER.unpack(data[:HEADER.size]))


def with_header(data, **changes):
    fields = header_of(data)
    names = ["magic", "version", "n_features", "n_classes", "n_trees", "leaf_bits", "reserved", "n_nodes",
             "n_leaves"]
    for name, value in changes.items():
        fields[names.index(name)] = value
    return HEADER.pack(*fields) + data[HEADER.size:]


@pytest.fixture(scope="module")
def model_bytes():
    return to_bytes(converted("tree", None)[1])


@pytest.mark.parametrize("changes,message", [
    (dict(magic=b"ETRX"), "magic"),
    (dict(version=2), "version"),
    (dict(n_features=0), "header"),
    (dict(n_features=128), "header"),
    (dict(n_classes=1), "header"),
    (dict(n_classes=31), "header"),
    (dict(leaf_bits=4), "header"),
    (dict(reserved=1), "header"),
    (dict(n_trees=0), "header"),
    (dict(n_nodes=40000), "header"),
])
def test_bad_header_is_refused(model_bytes, changes, message):
    with pytest.raises(ValueError, match=message):
        HostForest(with_header(model_bytes, **changes))


def test_wrong_lengths_are_refused(model_bytes):
    with pytest.raises(ValueError, match="truncated"):
        HostForest(model_bytes[:-1])
    with pytest.raises(ValueError, match="does not match"):
        HostForest(model_bytes + b"\0")
    with pytest.raises(ValueError, match="truncated"):
        HostForest(b"ETRS")


def patched(data, offset, fmt, value):
    data = bytearray(data)
    struct.pack_into(fmt, data, offset, value)
    return bytes(data)


def test_bad_references_are_refused(model_bytes):
    n_trees, n_nodes = header_of(model_bytes)[4], header_of(model_bytes)[7]
    nodes = HEADER.size + 4 * n_trees
    left = nodes + 4 * n_nodes
    with pytest.raises(ValueError, match="root"):
        HostForest(patched(model_bytes, HEADER.size, "<i", n_nodes))
    with pytest.raises(ValueError, match="feature"):
        HostForest(patched(model_bytes, nodes, "<h", 6))
    with pytest.raises(ValueError, match="forward"):
        HostForest(patched(model_bytes, left, "<h", 0))
    with pytest.raises(ValueError, match="forward"):
        HostForest(patched(model_bytes, left, "<h", n_nodes))
    with pytest.raises(ValueError, match="leaf"):
        HostForest(patched(model_bytes, left, "<h", -32768))
    with pytest.raises(ValueError, match="leaf"):
        HostForest(model_bytes[:-1] + b"\x07")   # a class number beyond n_classes


def test_random_corruption_never_crashes(model_bytes):
    rng = np.random.default_rng(0)
    refused = 0
    for _ in range(2000):
        data = bytearray(model_bytes)
        for at in rng.integers(0, len(data), rng.integers(1, 4)):
            data[at] = rng.integers(0, 256)
        try:
            forest = HostForest(bytes(data))
        except ValueError:
            refused += 1
            continue
        x = rng.integers(-32768, 32768, (20, forest.n_features)).astype(np.int16)
        assert set(forest.predict(x).tolist()) <= set(range(forest.n_classes))
    assert refused > 0


def test_wrong_feature_count_is_refused(model_bytes):
    with pytest.raises(ValueError, match="shape"):
        HostForest(model_bytes).predict(X[:3, :5])


def reference_log2_q8(x):
    if x <= 1:
        return 0
    k = x.bit_length() - 1
    return 256 * k + ((x - (1 << k)) << 8 >> k)


def reference_band_features(columns, bands):
    n_bins = columns.shape[1]
    edges = [1 + b * (n_bins - 1) // bands for b in range(bands + 1)]
    levels = np.array([[reference_log2_q8(1 + int(np.clip(col[lo:hi], 0, None).astype(np.int64).sum()))
                        for lo, hi in zip(edges, edges[1:])] for col in columns], dtype=np.int64)
    n = len(columns)
    s, ss = levels.sum(axis=0), (levels * levels).sum(axis=0)
    var = (n * ss - s * s) // (n * n)
    return np.concatenate([s // n, [int(np.floor(np.sqrt(v))) for v in var]]).astype(np.int16)


@pytest.mark.parametrize("x", [0, 1, 2, 3, 255, 256, 257, 1000, 65535, 2**22 + 12345, 2**32 - 1])
def test_log2_q8(x):
    assert log2_q8(x) == reference_log2_q8(x)


@pytest.mark.parametrize("shape,bands", [((124, 129), 16), ((1, 129), 16), ((7, 65), 8),
                                         ((30, 257), 63), ((5, 2), 1)])
def test_band_features_match_numpy(shape, bands):
    columns = RNG.integers(-100, 32768, shape).astype(np.int16)
    assert np.array_equal(band_features(columns, bands), reference_band_features(columns, bands))


def test_band_features_refuse_bad_sizes():
    with pytest.raises(ValueError, match="bands"):
        band_features(np.zeros((3, 10), np.int16), 10)
    with pytest.raises(ValueError, match="columns"):
        band_features(np.zeros((0, 10), np.int16), 2)


@pytest.mark.parametrize("shape", [(98, 20), (1, 13), (5, 1), (300, 40)])
def test_mean_dev_matches_numpy(shape):
    values = RNG.integers(-32768, 32768, shape).astype(np.int16)
    values[0, 0] = -32768
    wide = values.astype(np.int64)
    n = shape[0]
    s, ss = wide.sum(axis=0), (wide * wide).sum(axis=0)
    var = (n * ss - s * s) // (n * n)
    expected = np.concatenate([np.floor_divide(s, n), [math.isqrt(int(v)) for v in var]]).astype(np.int16)
    assert np.array_equal(mean_dev(values), expected)


def test_mean_dev_refuses_empty():
    with pytest.raises(ValueError, match="rows"):
        mean_dev(np.zeros((0, 4), np.int16))
