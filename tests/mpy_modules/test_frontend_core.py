"""The frontend C core under AddressSanitizer + UndefinedBehaviorSanitizer
(mpy_modules/frontend/tools/check_core.c drives every public function over edge
cases: extreme signals, ring wrap, odd block sizes, all int16 for the quantizer, PDM)."""
import shutil
import subprocess

import pytest

from tests.conftest import ROOT


@pytest.mark.skipif(shutil.which("cc") is None, reason="no host C compiler")
def test_core_is_clean_under_sanitizers():
    done = subprocess.run(["make", "-s", "-C", str(ROOT / "mpy_modules" / "frontend"), "ARCH=host", "check"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert "core check ok" in done.stdout
