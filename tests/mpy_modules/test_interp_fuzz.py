"""A bounded fuzzing run of the interp core under AddressSanitizer and UBSan.

The harness (mpy_modules/interp/fuzz) mutates the kept corpus for FUZZ_SECONDS; any
out-of-bounds access, overflow or crash aborts it with a non-zero exit and a report.
Longer runs: make -C mpy_modules/interp/fuzz run SECONDS=600 (new inputs join the corpus).
"""
import pytest

from tests.mpy_modules.fuzzing import build_fuzzer, fuzz, fuzz_dir, replay
from tests.mpy_modules.tflite_edit import edited

FUZZ_SECONDS = 15


@pytest.fixture(scope="module")
def fuzzer():
    return build_fuzzer("interp")


def test_corpus_replays_cleanly(fuzzer, tmp_path):
    assert replay(fuzzer, fuzz_dir("interp") / "corpus", tmp_path) > 50


def test_bounded_fuzz_run_finds_nothing(fuzzer, tmp_path):
    fuzz(fuzzer, fuzz_dir("interp") / "corpus", FUZZ_SECONDS, tmp_path)


def empty_but_huge(width):
    """A change for edited(): a batch of 0 and input width `width` (output width to match),
    so no element to compute but index arithmetic on the huge width."""
    def change(model, graph, op):
        x, y = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        stride = op.builtinOptions.strideW
        x.shape = [0, x.shape[1], width, x.shape[3]]
        y.shape = [0, y.shape[1], (width + stride - 1) // stride, y.shape[3]]
    return change


def test_regressions_replay_cleanly(fuzzer, tmp_path):
    """Inputs the fuzzer once failed on, rebuilt here (its finds are not kept by themselves):
    a depthwise window's tap offsets overflowed int32 for a huge empty input (UBSan)."""
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "dw_empty_huge_width").write_bytes(edited("dw_fast_3x3_s2_c12", empty_but_huge(100_000_000)))
    replay(fuzzer, cases, tmp_path)
