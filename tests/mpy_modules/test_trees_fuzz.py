"""A bounded fuzzing run of the trees core (the ETRS loader, emlearn's inference on what it
accepts, the summary features) under AddressSanitizer and UBSan.

Longer runs: make -C mpy_modules/trees/fuzz run SECONDS=600 (new inputs join the corpus).
"""
import pytest

from tests.mpy_modules.fuzzing import build_fuzzer, fuzz, fuzz_dir, replay

FUZZ_SECONDS = 10


@pytest.fixture(scope="module")
def fuzzer():
    return build_fuzzer("trees")


def test_corpus_replays_cleanly(fuzzer, tmp_path):
    assert replay(fuzzer, fuzz_dir("trees") / "corpus", tmp_path) > 10


def test_bounded_fuzz_run_finds_nothing(fuzzer, tmp_path):
    fuzz(fuzzer, fuzz_dir("trees") / "corpus", FUZZ_SECONDS, tmp_path)
