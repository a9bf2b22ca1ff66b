"""firmware/rp2040/core1.mjs, the second core rp2040js lacks, on a bare chip: CPUID per
core, a hardware divider per core, the inter-core FIFOs and their status bits, the bootrom's launch protocol (echo,
restart on a wrong word, start at the entry with the given stack), lockstep cycles, and
PSM's reset of core 1 back into the bootrom (which then sends a 0)."""
import json
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "tests" / "firmware" / "rp2040_scripts" / "core1_model.mjs"
RP2040JS = ROOT / "firmware" / "rp2040" / "node_modules" / "rp2040js"
ENTRY, STACK, VTOR = 0x20000200, 0x20001000, 0x10000000
RDY, VLD, WOF, ROE = 2, 1, 4, 8


@pytest.fixture(scope="module")
def seen():
    if shutil.which("node") is None or not RP2040JS.exists():
        pytest.skip("node or rp2040js missing: run 'make node'")
    done = subprocess.run(["node", str(SCRIPT)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_core_0_reads_cpuid_0_and_an_idle_fifo(seen):
    assert seen["cpuid0"] == 0
    assert seen["status_idle"] == RDY


def test_a_word_out_of_sequence_is_echoed_and_starts_nothing(seen):
    assert seen["echo_broken"] == [0, 0, 7]
    assert seen["running_after_broken"] is False


def test_the_launch_sequence_starts_core_1_at_its_entry(seen):
    assert seen["echo_launch"] == [0, 0, 1, VTOR, STACK, ENTRY | 1]
    assert seen["running"] is True
    assert (seen["core1_sp"], seen["core1_vtor"]) == (STACK, VTOR)
    assert seen["from_core1"] == [1 + 40]  # its code read CPUID 1 and sent it + 40
    assert seen["core1_pc_spinning"] is True
    assert seen["cycles_in_step"] is True


def test_fifo_status_bits(seen):
    assert seen["status_roe"] == ROE | RDY  # read from an empty FIFO
    assert seen["status_cleared"] == RDY
    assert seen["status_full"] == WOF  # 9 words into 8: no room, the overflow flagged


def test_psm_reset_returns_core_1_to_the_bootrom(seen):
    assert seen["running_in_reset"] is False
    assert seen["after_reset"] == [0]  # its FIFO drained, a 0 for core 0
    assert seen["relaunch"] == [0, 0, 1, VTOR, STACK, ENTRY | 1]
    assert seen["running_again"] is True


def test_each_core_has_its_own_divider(seen):
    assert seen["core1_division"] == [-11, -1]  # truncated toward zero, as C
    assert seen["core0_division"] == [14, 2]  # untouched by core 1's division
    # rp2040js charges 8 cycles per divider write (dividend, divisor), to the core that wrote
    assert seen["core1_divider_cycles"] == 16 == seen["core0_divider_cycles"]
