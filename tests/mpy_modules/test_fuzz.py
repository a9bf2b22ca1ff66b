"""Bounded fuzzing runs of the C cores that read files, under AddressSanitizer and UBSan:
interp (the .tflite loader and every kernel) and trees (the ETRS loader, emlearn's
inference on what it accepts, the summary features). Each kept corpus replays cleanly, then
is mutated for a few seconds; any out-of-bounds access, overflow or crash fails the run.
Longer runs: make -C mpy_modules/<module>/fuzz run SECONDS=600 (new inputs join the corpus).
"""
import pytest

from tests.mpy_modules.fuzzing import build_fuzzer, fuzz, fuzz_dir, replay
from tests.mpy_modules.tflite_edit import edited

# Per module: inputs of its corpus that add coverage at least, seconds of fuzzing.
MODULES = {"interp": (50, 15), "trees": (10, 10)}


@pytest.fixture(scope="module", params=list(MODULES))
def module_and_fuzzer(request):
    return request.param, build_fuzzer(request.param)


def test_corpus_replays_cleanly(module_and_fuzzer, tmp_path):
    module, fuzzer = module_and_fuzzer
    assert replay(fuzzer, fuzz_dir(module) / "corpus", tmp_path) > MODULES[module][0]


def test_bounded_fuzz_run_finds_nothing(module_and_fuzzer, tmp_path):
    module, fuzzer = module_and_fuzzer
    fuzz(fuzzer, fuzz_dir(module) / "corpus", MODULES[module][1], tmp_path)


def empty_but_huge(width):
    """A change for edited(): a batch of 0 and input width `width` (output width to match),
    so no element to compute but index arithmetic on the huge width."""
    def change(model, graph, op):
        x, y = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        stride = op.builtinOptions.strideW
        x.shape = [0, x.shape[1], width, x.shape[3]]
        y.shape = [0, y.shape[1], (width + stride - 1) // stride, y.shape[3]]
    return change


def test_interp_regressions_replay_cleanly(tmp_path):
    """Inputs the interp's fuzzer once failed on, rebuilt here (its finds are not kept by
    themselves): a depthwise window's tap offsets overflowed int32 for a huge empty input (UBSan)."""
    fuzzer = build_fuzzer("interp")
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "dw_empty_huge_width").write_bytes(edited("dw_fast_3x3_s2_c12", empty_but_huge(100_000_000)))
    replay(fuzzer, cases, tmp_path)
