"""The interp module on the boards: the x64 .mpy on firmware/linux and the armv6m .mpy
on the emulated RP2040 give the host library's outputs, byte for byte (the host library
itself is judged against tflite_micro in test_interp.py), and the binding behaves."""
import numpy as np
import pytest

from earshot.emulators.linux import BINARY as LINUX_FIRMWARE
from earshot.emulators.linux import LinuxBoard
from earshot.emulators.rp2040 import FIRMWARE as RP2040_FIRMWARE
from earshot.emulators.rp2040 import Rp2040Board
from earshot.errors import DeviceError
from earshot.deploy.interp_modules import NAMES_MODULE, OP_MODULES
from earshot.interp import Interpreter
from tests.conftest import BUILD, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "interp"
# int8-in/int8-out models covering every kernel family, plus the trainer's zoo.
MODELS = ["fire_alarm", "fire_alarm_32", "conv_dilated_relu6", "conv_5x5_s2_same", "dw_3x3_s2_mult2",
          "dw_dilated", "avgpool_same", "maxpool_same", "add_broadcast", "sub", "mul_broadcast", "mean_hw",
          "pad", "concat", "strided_slice", "logistic_tanh", "relu_relu6", "softmax_3d", "fc_tanh",
          "resize_up_align", "squeeze_expand", "relu6_after_mean"]
MODELS += ["zoo_fire_alarm_cnn", "zoo_ds_cnn", "zoo_mfcc_cnn", "ds_cnn_s"]  # ds_cnn_s: 4-tap conv rows
# Random converter outputs (tools/sweep_interp.py), some with float input and output.
MODELS += sorted(p.stem for p in FIXTURES.glob("sweep_cnn_*.tflite"))
BOARDS = {
    "linux": (LINUX_FIRMWARE, "x64", lambda: LinuxBoard()),
    "rp2040": (RP2040_FIRMWARE, "armv6m", lambda: Rp2040Board(cycles_limit=20_000_000_000)),
}
TRIALS = 1


@pytest.fixture(scope="module", params=list(BOARDS))
def board(request):
    firmware, arch, make = BOARDS[request.param]
    mpy = BUILD / "mpy" / arch / "interp.mpy"
    if not firmware.exists() or not mpy.exists():
        pytest.skip(f"{firmware.name} or {arch} interp.mpy not built: run 'make modules firmware'")
    with make() as b:
        b.write_file("interp.mpy", mpy.read_bytes(), timeout=120)
        for op_module in (*OP_MODULES, NAMES_MODULE):  # the core imports the ones a model needs
            b.write_file(f"{op_module}.mpy", (mpy.parent / f"{op_module}.mpy").read_bytes(), timeout=120)
        b.exec("import interp, micropython, gc")
        yield b


def load_on(board, name):
    return load_bytes_on(board, (FIXTURES / f"{name}.tflite").read_bytes())


def load_bytes_on(board, data, how="m = interp.Model(d)"):
    """The model as `m` on the board (its bytes as `d`, then `how`); the host library's
    Interpreter of the same bytes."""
    board.write_file("m.tflite", data, timeout=120)
    # A fresh heap per model, as a board app has: the op modules earlier models imported
    # stay in RAM and can leave no room for a large model's bytes in one piece.
    board.soft_reset()
    board.exec(f"import interp, micropython, gc\nwith open('m.tflite', 'rb') as f:\n    d = f.read()\n{how}",
               timeout=60)
    return Interpreter(data)


def run_on(board, host, xs):
    for k, x in enumerate(xs):
        # Through a file: a 16 KB bytes literal would be compiled on the board.
        board.write_file("x.bin", x.tobytes(), timeout=120)
        board.exec(f"with open('x.bin', 'rb') as f:\n    f.readinto(m.input({k}))", timeout=60)
    board.exec("m.invoke()", timeout=120)
    return [np.frombuffer(board.eval(f"bytes(m.output({k}))"), dtype=t.dtype).reshape(t.shape)
            for k, t in enumerate(host.outputs)]


def trial_input(tensor, rng, random):
    """Random values of the tensor's type (floats for a float input), else the largest
    (a float far past the int8 range: QUANTIZE saturates it)."""
    floats = tensor.dtype == np.float32
    if not random:
        return np.full(tensor.shape, 1e6 if floats else 127, tensor.dtype)
    values = rng.uniform(-3.0, 3.0, tensor.shape) if floats else rng.integers(-128, 128, tensor.shape)
    return values.astype(tensor.dtype)


@pytest.mark.parametrize("name", MODELS)
def test_outputs_equal_host_library(board, name):
    host = load_on(board, name)
    assert board.eval("m.arena_size") == host.arena_size
    rng = np.random.default_rng(len(name))
    for trial in range(TRIALS + 1):
        xs = [trial_input(t, rng, random=trial < TRIALS) for t in host.inputs]
        expected = host.invoke(*xs)
        expected = expected if isinstance(expected, list) else [expected]
        for got, want in zip(run_on(board, host, xs), expected):
            assert np.array_equal(got, want), f"{name}: {np.count_nonzero(got != want)} outputs differ"


@pytest.mark.parametrize("name", ["conv_8x8_s2_relu", "dw_3x3_same_relu"])
def test_multipliers_above_one_equal_host_library(board, name):
    from tests.mpy_modules.test_interp import near_zero_point, with_output_scale_divided

    data = with_output_scale_divided(name, 512)
    board.write_file("m.tflite", data, timeout=120)
    board.exec("m = d = None\ngc.collect()\nwith open('m.tflite', 'rb') as f:\n    d = f.read()\nm = interp.Model(d)", timeout=60)
    host = Interpreter(data)
    xs = near_zero_point(host, np.random.default_rng(3))
    assert np.array_equal(run_on(board, host, xs)[0], host.invoke(*xs))


def test_shapes_quantization_and_metadata(board):
    host = load_on(board, "fire_alarm")
    assert board.eval("m.input_shape()") == host.input_shape()
    assert board.eval("m.output_shape(0)") == host.output_shape()
    scale, zp = board.eval("m.input_quant()")
    # The RP2040 firmware prints single-precision floats with 7 significant digits.
    assert (scale, zp) == (pytest.approx(host.inputs[0].scale, rel=1e-6), host.inputs[0].zero_point)
    assert board.eval("m.output_quant(0)")[1] == host.outputs[0].zero_point
    assert board.eval("m.metadata('earshot')") == host.metadata("earshot")
    assert board.eval("m.metadata('nope')") is None


def test_binding_offers_what_the_stub_documents(board):
    import ast

    stub = ast.parse((ROOT / "mpy_modules" / "interp" / "interp.pyi").read_text())
    model = next(n for n in stub.body if isinstance(n, ast.ClassDef) and n.name == "Model")
    methods = {n.name for n in model.body if isinstance(n, ast.FunctionDef) and n.name != "__init__"}
    attributes = {n.target.id for n in model.body if isinstance(n, ast.AnnAssign)}
    load_on(board, "fc_plain")
    assert methods <= set(board.eval("[n for n in dir(m) if not n.startswith('_')]"))
    for name in attributes:
        assert isinstance(board.eval(f"m.{name}"), int)


def test_invoke_allocates_nothing(board):
    load_on(board, "fire_alarm_32")
    board.exec("x = m.input()\ny = m.output()\nmicropython.heap_lock()\ntry:\n    m.invoke()\n"
               "finally:\n    micropython.heap_unlock()")


def test_model_memory_is_arena_plus_small_tables_and_is_freed(board):
    host = load_on(board, "fire_alarm")
    board.exec("import gc\nm = None\ngc.collect()\na0 = gc.mem_alloc()\nm = interp.Model(d)\ngc.collect()\n"
               "a1 = gc.mem_alloc()\nm = None\ngc.collect()\na2 = gc.mem_alloc()")
    used, left = board.eval("(a1 - a0, a2 - a0)")
    assert host.arena_size <= used <= host.arena_size + 4096
    assert left <= 64


def test_views_keep_the_arena_alive(board):
    host = load_on(board, "fire_alarm_32")
    x = np.random.default_rng(9).integers(-128, 128, host.input_shape()).astype(np.int8)
    board.write_file("x.bin", x.tobytes(), timeout=120)
    board.exec("import gc\nxv = m.input()\nyv = m.output()\nwith open('x.bin', 'rb') as f:\n"
               "    f.readinto(xv)\nm.invoke()\nexpected = bytes(yv)\nm = None\ngc.collect()\n"
               "junk = [bytearray(64) for _ in range(200)]\ngc.collect()")
    assert board.eval("bytes(yv)") == host.invoke(x).tobytes()


def test_caller_arena(board):
    host = load_on(board, "fire_alarm_32")
    n = host.arena_size
    board.exec(f"a = bytearray({n})\nm2 = interp.Model(d, a)")
    with pytest.raises(DeviceError, match="ValueError: arena too small by 1 bytes"):
        board.exec(f"interp.Model(d, bytearray({n - 1}))")
    x = np.random.default_rng(0).integers(-128, 128, host.input_shape()).astype(np.int8)
    board.exec(f"m2.input()[:] = {x.tobytes()!r}\nm2.invoke()")
    assert board.eval("bytes(m2.output())") == host.invoke(x).tobytes()


def test_profile_names_every_op(board):
    load_on(board, "fire_alarm")
    rows = board.eval("m.profile(__import__('time').ticks_us)")
    assert [name for name, _ in rows] == ["RESIZE_NEAREST_NEIGHBOR", "CONV_2D", "MAX_POOL_2D", "RESHAPE",
                                          "FULLY_CONNECTED", "SOFTMAX"]


@pytest.mark.parametrize("code,message", [
    ("interp.Model(b'')", "truncated file"),
    ("interp.Model(d[:100])", "truncated file"),
    ("interp.Model(b'\\x1c\\x00\\x00\\x00XXXX' + bytes(64))", "bad file identifier"),
])
def test_bad_models_raise_value_error(board, code, message):
    load_on(board, "fc_plain")
    with pytest.raises(DeviceError, match=f"ValueError: {message}"):
        board.exec(code)
