"""The board's interp build: the core interp.mpy stays within the RP2040 budget (its code
is copied to RAM at import) and leaves the op groups' kernels to their modules."""
import re
import subprocess

import pytest

from earshot.deploy.interp_modules import OP_MODULES
from tests.conftest import BUILD, ROOT

CORE_BUDGET = 24576  # bytes of armv6m .mpy (issue 6)


def test_core_fits_the_budget():
    core = BUILD / "mpy" / "armv6m" / "interp.mpy"
    if not core.exists():
        pytest.skip("armv6m interp.mpy is not built (make modules)")
    assert core.stat().st_size <= CORE_BUDGET


def test_core_links_no_kernel_of_an_op_module():
    dry_run = subprocess.run(["make", "-n", "-B", "-C", str(ROOT / "mpy_modules" / "interp"), "ARCH=armv6m"],
                             capture_output=True, text=True, check=True).stdout.replace("\\\n", " ")
    link = next(line for line in dry_run.splitlines() if "mpy_ld.py" in line and "-o interp.mpy" in line)
    core_objects = set(re.findall(r"/obj/armv6m/interp/(core/\w+)\.o", link))
    groups = (ROOT / "mpy_modules" / "interp" / "opmod" / "groups.mk").read_text()
    patterns = re.findall(r"opmod_src,([^)]*)\)", groups)
    claimed = {p.removesuffix(".c") for line in patterns for p in line.split()}
    for pattern in claimed:
        regex = re.compile("core/" + pattern.replace("*", r"\w*") + "$")
        assert not [o for o in core_objects if regex.match(o)], pattern
    assert "core/ti_ops" in core_objects and "core/kernel_softmax" in core_objects
    assert len(OP_MODULES) == len(patterns)
