"""The interp op modules on the boards (x64 on firmware/linux, armv6m on the emulated
RP2040): interp.mpy imports exactly the interp_<group>.mpy a model needs (of the list
earshot deploy copies: its ops' modules, and a variant's only when an op takes it) and the
outputs equal tflite_micro's byte for byte; a missing module, an op no module has and
forged registrations give clear errors, never a crash.
The registration contract is mpy_modules/interp/core/ti_abi.h."""
import contextlib
import struct

import numpy as np
import pytest

from earshot.deploy.interp_modules import NAMES_MODULE, OP_GROUPS, OP_MODULES, loaded_modules, op_modules
from earshot.export.inspect import describe
from earshot.errors import DeviceError, ModelError
from earshot.interp import Interpreter
from tests.conftest import BUILD
from tests.mpy_modules.test_interp_boards import BOARDS, FIXTURES
from tests.mpy_modules.test_interp_hostile import FIRE_ALARM, MODEL_OPCODES, OPCODE_BUILTIN, OPCODE_DEPRECATED
from tests.mpy_modules.test_interp_hostile import SUBGRAPH_OPERATORS, OP_INPUTS, element_table, field, patched
from tests.mpy_modules.test_interp_hostile import root, set_input_shape, subgraph, vector

runtime = pytest.importorskip("tflite_micro.python.tflite_micro.runtime")
POINTER = {"linux": 8, "rp2040": 4}


@pytest.fixture(scope="module", params=list(BOARDS))
def board(request):
    firmware, arch, make = BOARDS[request.param]
    files = [BUILD / "mpy" / arch / f"{m}.mpy" for m in ("interp", *OP_MODULES, NAMES_MODULE)]
    if not firmware.exists() or not all(f.exists() for f in files):
        pytest.skip(f"{firmware.name} or the {arch} interp modules are not built: run 'make modules firmware'")
    with make() as b:
        for f in files:
            b.write_file(f.name, f.read_bytes(), timeout=120)
        b.kind = request.param
        yield b


def fresh(board):
    """A restarted interpreter (no module imported), the flash kept."""
    board.soft_reset()
    board.exec("import interp, os, sys")


@contextlib.contextmanager
def module_away(board, module):
    """The board without `module`.mpy (renamed, in a restarted interpreter) until the end."""
    board.exec(f"os.rename({module + '.mpy'!r}, 'away.mpy')")
    fresh(board)
    try:
        yield
    finally:
        board.exec(f"os.rename('away.mpy', {module + '.mpy'!r})")


def load(board, data, name="m.tflite"):
    board.write_file(name, data, timeout=120)
    board.exec(f"with open({name!r}, 'rb') as f:\n    d = f.read()\nm = interp.Model(d)", timeout=120)


def assert_loaded_model_equals_tflite_micro(board, data, seed):
    """The board's model m (loaded from data) gives tflite_micro's output on a random input."""
    ref = runtime.Interpreter.from_bytes(data)
    detail = ref.get_input_details(0)
    x = np.random.default_rng(seed).integers(-128, 128, detail["shape"]).astype(detail["dtype"])
    ref.set_input(x, 0)
    ref.invoke()
    board.write_file("x.bin", x.tobytes(), timeout=120)
    board.exec("with open('x.bin', 'rb') as f:\n    f.readinto(m.input())\nm.invoke()", timeout=120)
    assert board.eval("bytes(m.output())") == ref.get_output(0).tobytes()


def imported_op_modules(board):
    """The op modules imported so far (not interp_names, which any error message imports)."""
    return tuple(board.eval(f"sorted(k for k in sys.modules if k.startswith('interp_') and k != {NAMES_MODULE!r})"))


def names_imported(board):
    return board.eval(f"{NAMES_MODULE!r} in sys.modules")


# The variants' modules each model takes: dw_fast_3x3_s2_c12's depthwise conv has stride 2,
# not the pair path's 1 (zoo_ds_cnn's are all 3x3 stride 1 under a ReLU); conv_dilated_relu6's
# conv is dilated, which the stream path does not take (every zoo conv is on it).
# fc_softmax's ops are both in the core: it imports nothing.
@pytest.mark.parametrize("name, variants", [("fire_alarm", ()), ("zoo_ds_cnn", ()), ("lstm_tiny", ()),
                                            ("fc_softmax", ()),
                                            ("dw_fast_3x3_s2_c12", ("interp_dwx",)),
                                            ("conv_dilated_relu6", ("interp_convx",))])
def test_model_imports_exactly_its_op_modules_and_equals_tflite_micro(board, name, variants):
    data = (FIXTURES / f"{name}.tflite").read_bytes()
    fresh(board)
    assert imported_op_modules(board) == ()
    load(board, data)
    ops = {op["op"] for op in describe(data)["ops"]}
    own = {f"interp_{OP_GROUPS[op]}" for op in ops if OP_GROUPS[op] != "core"}
    assert imported_op_modules(board) == tuple(sorted(own | set(variants)))
    assert set(variants) <= set(op_modules(data))  # earshot deploy copies them
    assert loaded_modules(data) == ("interp", *imported_op_modules(board))  # the host library's choice
    assert not names_imported(board)  # only an error needs it
    assert_loaded_model_equals_tflite_micro(board, data, seed=5)


@pytest.mark.parametrize("module, op, name", [("interp_lstm", "UNIDIRECTIONAL_SEQUENCE_LSTM", "lstm_tiny"),
                                             ("interp_dwx", "DEPTHWISE_CONV_2D", "dw_fast_3x3_s2_c12")])
def test_missing_op_module_names_the_op_and_the_file(board, module, op, name):
    fresh(board)
    with module_away(board, module):
        with pytest.raises(DeviceError, match=rf"ImportError: {op} needs {module}\.mpy "
                                              r"on the board: copy it \(earshot deploy does\)"):
            load(board, (FIXTURES / f"{name}.tflite").read_bytes())
    assert board.eval("1 + 1") == 2


def test_fc_weight_zero_points_take_fc_generic_and_equal_tflite_micro(board):
    from tests.mpy_modules.test_interp_weight_zero_points import with_zero_points

    data = with_zero_points("fc_batch", -5, per_tensor=True)
    fresh(board)
    load(board, data)
    assert imported_op_modules(board) == ("interp_convx",)  # FULLY_CONNECTED itself is in the core
    assert_loaded_model_equals_tflite_micro(board, data, seed=3)


def test_a_model_loads_without_the_variants_it_does_not_take(board):
    fresh(board)
    with module_away(board, "interp_dwx"):
        load(board, (FIXTURES / "dw_pairs_zoo_shape.tflite").read_bytes())  # the pair path
        assert "interp_dw" in imported_op_modules(board) and "interp_dwx" not in imported_op_modules(board)


def with_leaky_relu(data):
    buf = bytearray(data)
    code = element_table(root(buf), MODEL_OPCODES, 0)
    struct.pack_into("<i", buf, field(code, OPCODE_BUILTIN), 98)  # LEAKY_RELU: in no module
    if code.Offset(4 + 2 * OPCODE_DEPRECATED):
        struct.pack_into("<b", buf, field(code, OPCODE_DEPRECATED), 98)
    return bytes(buf)


def test_op_no_module_has_is_refused_by_name(board):
    fresh(board)
    data = with_leaky_relu(FIRE_ALARM)
    with pytest.raises(DeviceError, match=r"ValueError: unsupported op LEAKY_RELU \(op 0\)"):
        load(board, data)
    with module_away(board, NAMES_MODULE):
        with pytest.raises(DeviceError, match=r"ValueError: unsupported op 98 \(op 0\)"):
            load(board, data)


def with_tensor_index_999(b):
    start, _ = vector(element_table(subgraph(b), SUBGRAPH_OPERATORS, 1), OP_INPUTS)
    struct.pack_into("<i", b, start, 999)


# (model, its message without interp_names.mpy): the core writes codes of texts, which
# interp_names.mpy writes out (core/ti_text.h).
CORE_ERRORS = [
    (b"\x1c\0\0\0XXXX" + bytes(64), r"\[E[0-9a-f]{2}\]"),
    (FIRE_ALARM[:100], r"\[E[0-9a-f]{2}\]"),
    (patched(with_tensor_index_999), r"CONV_2D \(op 1\): \[E[0-9a-f]{2}\]999\[E[0-9a-f]{2}\]"),
    (patched(set_input_shape([1, 124, 129, 2])), r"RESIZE_NEAREST_NEIGHBOR \(op 0\): \[E[0-9a-f]{2}\]"),  # in interp_resize
]


@pytest.mark.parametrize("data,short", CORE_ERRORS, ids=["identifier", "truncated", "op", "op_module"])
def test_core_error_reads_as_on_the_host_and_in_short_without_interp_names(board, data, short):
    with pytest.raises(ModelError) as host:
        Interpreter(data)
    text = str(host.value).removeprefix("cannot load model: ")
    fresh(board)
    with pytest.raises(DeviceError) as on_board:
        load(board, data)
    assert str(on_board.value).rstrip().endswith(f"ValueError: {text}")
    with module_away(board, NAMES_MODULE):
        with pytest.raises(DeviceError, match=f"ValueError: {short} \\(texts: copy interp_names\\.mpy\\)"):
            load(board, data)


def genuine_registration(board):
    """The bytes interp_pool.mpy registers with, caught on their way to the core."""
    fresh(board)
    board.exec("real = interp._register\ncaught = []\ninterp._register = lambda r, k: caught.append((r, k))\n"
               "import interp_pool\ninterp._register = real")
    return bytearray(board.eval("caught[0][0]"))


def forgeries(genuine, pointer):
    api = (18 + pointer - 1) // pointer * pointer  # offsets of ti_op_reg_t (core/ti_abi.h)
    op0 = api + pointer

    def edit(offset, fmt, value):
        forged = bytearray(genuine)
        struct.pack_into(fmt, forged, offset, value)
        return bytes(forged)

    ptr = "<Q" if pointer == 8 else "<I"
    return [
        (b"garbage", "wrong size"),
        (bytes(genuine) + b"\0", "wrong size"),
        (edit(0, "<I", 0x12345678), "wrong magic"),
        (edit(4, "<H", struct.unpack_from("<H", genuine, 4)[0] + 1), "ABI version differs"),
        (edit(8, "<H", struct.unpack_from("<H", genuine, 8)[0] + 8), "struct sizes differ"),
        (edit(16, "<B", 0), "bad group"),          # the core's own group
        (edit(16, "<B", 200), "bad group"),
        (edit(17, "<B", 0), "bad op count"),
        (edit(17, "<B", 9), "bad op count"),
        (edit(api, ptr, 0), "NULL helper table"),
        (edit(op0, "<i", 3), "an op outside the module's group"),     # CONV_2D is not a pool op
        (edit(op0, "<i", 98), "an op outside the module's group"),    # nobody's
        (edit(op0, "<i", 0x10000), "an op outside the module's group"),  # dw_generic, interp_dwx's variant
        (edit(op0, "<i", 0x10063), "an op outside the module's group"),  # no such variant
        (edit(op0 + pointer, ptr, 0), "a NULL kernel"),
        (edit(op0 + 2 * pointer, ptr, 0), "a NULL kernel"),
    ]


def test_forged_registrations_are_refused_and_change_nothing(board):
    genuine = genuine_registration(board)
    # interp_pool is imported but registered nothing: the core says so.
    with pytest.raises(DeviceError, match=r"ImportError: MAX_POOL_2D needs interp_pool\.mpy, which did not "
                                          r"register it"):
        load(board, (FIXTURES / "fire_alarm_32.tflite").read_bytes())
    for forged, message in forgeries(genuine, POINTER[board.kind]):
        with pytest.raises(DeviceError, match=f"ValueError: bad op module registration: {message}"):
            board.exec(f"real({forged!r}, caught[0][1])")
    with pytest.raises(DeviceError, match="TypeError"):
        board.exec("real(None, None)")
    with pytest.raises(DeviceError, match="did not register it"):
        board.exec("m = interp.Model(d)")
    board.exec("real(caught[0][0], caught[0][1])\nm = interp.Model(d)\nm.invoke()")
    assert imported_op_modules(board) == ("interp_conv", "interp_pool")
