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
