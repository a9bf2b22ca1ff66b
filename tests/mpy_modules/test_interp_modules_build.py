"""The board's interp build: the core interp.mpy stays within the RP2040 budget (its code
is copied to RAM at import) and leaves the op groups' kernels to their modules."""
import re
import subprocess

import pytest

from earshot.deploy.interp_modules import OP_MODULES
from tests.conftest import BUILD, ROOT

INTERP = ROOT / "mpy_modules" / "interp"

CORE_BUDGET = 24576  # bytes of armv6m .mpy (issue 6)


def test_core_fits_the_budget():
    core = BUILD / "mpy" / "armv6m" / "interp.mpy"
    if not core.exists():
        pytest.skip("armv6m interp.mpy is not built (make modules)")
    assert core.stat().st_size <= CORE_BUDGET


def make_groups():
    """{group: its kernel sources} and the sources conv and dw share, as groups.mk lists them."""
    show = "show: ; @echo $(foreach g,$(OPMODS),$(g)=$(subst $(eval) ,:,$(OPMOD_SRC_$(g)))) $(OPMOD_SHARED)"
    out = subprocess.run(["make", "-s", "-f", "opmod/groups.mk", "--eval", show, "show"], cwd=INTERP,
                         capture_output=True, text=True, check=True).stdout.split()
    groups = {g: set(srcs.split(":")) for g, srcs in (w.split("=") for w in out if "=" in w)}
    return groups, {w for w in out if "=" not in w}


def test_core_links_no_kernel_of_an_op_module():
    dry_run = subprocess.run(["make", "-n", "-B", "-C", str(INTERP), "ARCH=armv6m"],
                             capture_output=True, text=True, check=True).stdout.replace("\\\n", " ")
    # The core is one translation unit: board_sources.h includes its sources.
    unit = next(line for line in dry_run.splitlines() if line.endswith("/obj/armv6m/interp/board_sources.h"))
    core_objects = set(re.findall(r"/mpy_modules/interp/(core/\w+)\.c", unit))
    groups, shared = make_groups()
    assert len(OP_MODULES) == len(groups) and all(groups.values())
    for group, sources in groups.items():
        assert not {s.removesuffix(".c") for s in sources} & core_objects, group
    assert {"core/ti_ops", "core/kernel_softmax", *(s.removesuffix(".c") for s in shared)} <= core_objects
    assert "core/kernel_conv_common.c" in shared
