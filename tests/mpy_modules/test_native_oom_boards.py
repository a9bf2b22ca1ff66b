"""Native objects made on a full heap raise MemoryError, as the firmware's own objects do,
on firmware/linux (x64) and the emulated RP2040 (armv6m). MicroPython 1.23's dynruntime
m_malloc returns NULL there and mp_obj_malloc wrote through it: the board crashed
(mpy_modules/common/natmod_alloc.h)."""
import pytest

from earshot.emulators.linux import BINARY as LINUX_FIRMWARE
from earshot.emulators.linux import LinuxBoard
from earshot.emulators.rp2040 import FIRMWARE as RP2040_FIRMWARE
from earshot.emulators.rp2040 import Rp2040Board
from tests.conftest import BUILD, ROOT

BOARDS = {
    "linux": (LINUX_FIRMWARE, "x64", lambda: LinuxBoard(heap_size=128 * 1024)),
    "rp2040": (RP2040_FIRMWARE, "armv6m", lambda: Rp2040Board()),
}
# Each constructor, with what it needs already in RAM (d: a tree model, t: a .tflite).
MAKERS = {
    "trees": "trees.Forest(d)",
    "interp": "interp.Model(t)",
    "frontend": "frontend.Spectrogram()",
}
# Fills the heap from large blocks down to the smallest, then tries `make`; frees it all.
# Nothing is allocated between the attempt and the freeing (every name exists before).
FILL_AND_TRY = """
outcome = made = None
junk = [None] * 2000
i = 0
for size in (16384, 4096, 1024, 256, 64, 16):
    try:
        while i < 2000:
            junk[i] = bytearray(size)
            i += 1
    except MemoryError:
        pass
outcome = 'made'
try:
    made = {make}
except MemoryError:  # its text needs room too: a full heap gives the bare exception
    outcome = 'MemoryError'
junk = made = None
gc.collect()
print(outcome)
"""


@pytest.fixture(scope="module", params=list(BOARDS))
def board(request):
    firmware, arch, make = BOARDS[request.param]
    modules = [BUILD / "mpy" / arch / f"{name}.mpy" for name in (*MAKERS, "interp_conv")]  # conv_1x1's op
    if not firmware.exists() or not all(m.exists() for m in modules):
        pytest.skip(f"{firmware.name} or the {arch} modules are not built: run 'make modules firmware'")
    from earshot.recipes.trees_model import to_bytes, emlearn
    from sklearn.tree import DecisionTreeClassifier

    tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit([[0], [1], [2], [3]], [0, 1, 0, 1])
    with make() as b:
        for module in modules:
            b.write_file(module.name, module.read_bytes(), timeout=120)
        b.write_file("m.etrs", to_bytes(emlearn().convert(tree, method="loadable", dtype="int16_t")))
        b.write_file("m.tflite", (ROOT / "tests" / "fixtures" / "interp" / "conv_1x1.tflite").read_bytes())
        b.exec("import gc, trees, interp, frontend\n"
               "d = open('m.etrs', 'rb').read()\nt = open('m.tflite', 'rb').read()")
        yield b


@pytest.mark.parametrize("name", list(MAKERS))
def test_full_heap_raises_memory_error_and_the_board_goes_on(board, name):
    assert board.exec(FILL_AND_TRY.format(make=MAKERS[name]), timeout=120).strip() == "MemoryError"
    # The same constructor on the freed heap works.
    assert board.exec(f"made = {MAKERS[name]}\nprint(type(made).__name__)").strip() in ("Forest", "Model", "Spectrogram")
