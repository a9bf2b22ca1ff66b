"""What the board loads for a model stays within the RP2040 budget: interp.mpy plus the op
modules the model makes it import (their code is copied to RAM), at most 24 KB of armv6m
.mpy (issue 6). The models listed meet it. DS-CNN-S's modules (core, conv, dw, mean) came to
24,545 B, and to 25,241 B with the code that splits convolutions between the RP2040's two
cores (Model(..., cores=2)); zoo_fire_alarm_cnn to 25,107 B; zoo_ds_cnn (DS-CNN-S's
modules plus interp_resize) was already over. Every single .mpy is within 24 KB
(test_interp_modules_build.py). FULLY_CONNECTED is in the core, so the LSTM model loads no
convolution code."""
import pytest

from earshot.bench.interp import GOAL_BYTES, loaded_modules, mpy_size
from tests.conftest import BUILD

WITHIN_BUDGET = ["fire_alarm", "fire_alarm_32", "zoo_mfcc_cnn", "zoo_lstm_mfcc"]


@pytest.fixture(scope="module")
def built():
    if not (BUILD / "mpy" / "armv6m" / "interp.mpy").exists():
        pytest.skip("armv6m interp modules are not built (make modules)")


@pytest.mark.parametrize("name", WITHIN_BUDGET)
def test_loaded_code_fits_the_budget(built, name):
    modules = loaded_modules(name)
    assert len(modules) > 2  # the sum covers the op modules, not the core alone
    assert ("interp_conv" in modules) == (name != "zoo_lstm_mfcc")  # its dense layers are the core's
    sizes = {m: mpy_size(m) for m in modules}
    assert sum(sizes.values()) <= GOAL_BYTES, sizes

