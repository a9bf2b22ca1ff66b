"""The trees .mpy on firmware/linux (x64) and the emulated RP2040 (armv6m): a model
loaded from a file predicts, votes and computes band features and mean/deviation exactly as the host library."""
import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier

from earshot.bench import trees as board_trees
from earshot.recipes.trees_model import emlearn, HostForest, band_features, mean_dev, to_bytes

RNG = np.random.default_rng(5)
X = RNG.integers(0, 6000, (300, 32)).astype(np.int16)
Y = (X[:, 0] > X[:, 1]).astype(int) + (X[:, 2] > 3000)
COLUMNS = RNG.integers(0, 4000, (124, 129)).astype(np.int16)


@pytest.fixture(scope="module")
def model():
    forest = RandomForestClassifier(8, max_depth=7, random_state=0).fit(X[:200], Y[:200])
    return to_bytes(emlearn().convert(forest, method="loadable", dtype="int16_t", leaf_bits=8))


def check_against_host(result, data, x):
    host = HostForest(data)
    assert result["predictions"] == host.predict(x).tolist()
    assert result["votes"] == host.votes(x).tolist()
    assert result["band_features"] == band_features(COLUMNS, 16).tolist()
    assert result["mean_dev"] == mean_dev(COLUMNS).tolist()


@pytest.mark.skipif(bool(board_trees.available("x64")), reason=str(board_trees.available("x64")))
def test_linux_board_equals_host_library(model):
    check_against_host(board_trees.on_linux(model, X[200:], COLUMNS, 16), model, X[200:])


@pytest.mark.skipif(bool(board_trees.available("x64")), reason=str(board_trees.available("x64")))
def test_linux_board_refuses_hostile_model(model):
    from earshot.errors import DeviceError

    with pytest.raises(DeviceError, match="ValueError: node child must jump forward"):
        bad = bytearray(model)
        n_nodes = int.from_bytes(model[12:16], "little")
        at = 20 + 4 * 8 + 4 * n_nodes
        bad[at:at + 2] = (0).to_bytes(2, "little")
        board_trees.on_linux(bytes(bad), X[:2], COLUMNS, 16)


@pytest.mark.skipif(bool(board_trees.available("armv6m")), reason=str(board_trees.available("armv6m")))
def test_rp2040_equals_host_library(model):
    result = board_trees.on_rp2040(model, X[200:230], COLUMNS, 16)
    check_against_host(result, model, X[200:230])
    assert result["cycles_predict"] > 0
