"""Shared test fixtures: paths of build outputs and of the real recordings."""
from pathlib import Path

import pytest

import earshot  # noqa: F401  (selects tf-keras before any test module imports TensorFlow)

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.skip("real recordings not present: ../shared/data is missing (fresh clone)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def numpy_error_state():
    """Each test starts with numpy's default error handling, whatever an earlier test imported
    (some packages switch it to 'raise' for the whole process on import)."""
    import numpy as np

    saved = np.seterr(divide="warn", over="warn", under="ignore", invalid="warn")
    yield
    np.seterr(**saved)
