"""interp core (host library) against the tflite_micro reference interpreter, byte for byte.

Fixtures are tiny converter outputs built by tools/make_interp_fixtures.py; inputs are
random (seeded) plus the extremes, generated here.
"""
import json
import zlib

import numpy as np
import pytest

from earshot.errors import ModelError
from earshot.interp import Interpreter
from tests.conftest import ROOT
from tests.mpy_modules.tflite_edit import edited

runtime = pytest.importorskip("tflite_micro.python.tflite_micro.runtime")

FIXTURES = ROOT / "tests" / "fixtures" / "interp"
MODELS = sorted(p.stem for p in FIXTURES.glob("*.tflite"))
RANDOM_TRIALS = 6


def random_inputs(interp, rng):
    xs = []
    for t in interp.inputs:
        if t.dtype == np.float32:
            xs.append(rng.uniform(-4.0, 4.0, t.shape).astype(np.float32))
        else:
            xs.append(rng.integers(-128, 128, t.shape).astype(t.dtype))
    return xs


def extreme_inputs(interp):
    for fill in (-128, 127):
        yield [np.full(t.shape, fill, dtype=t.dtype) for t in interp.inputs]
    yield [np.resize(np.array([-128, 127], dtype=t.dtype), t.shape) for t in interp.inputs]


def reference_outputs(ref, xs, n_outputs):
    for k, x in enumerate(xs):
        ref.set_input(x, k)
    ref.invoke()
    return [ref.get_output(k) for k in range(n_outputs)]


@pytest.mark.parametrize("name", MODELS)
def test_fixture_matches_tflite_micro(name):
    data = (FIXTURES / f"{name}.tflite").read_bytes()
    ours = Interpreter(data)
    ref = runtime.Interpreter.from_bytes(data)
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    cases = [random_inputs(ours, rng) for _ in range(RANDOM_TRIALS)] + list(extreme_inputs(ours))
    for xs in cases:
        expected = reference_outputs(ref, xs, len(ours.outputs))
        got = ours.invoke(*xs)
        got = got if isinstance(got, list) else [got]
        for e, g in zip(expected, got):
            assert g.dtype == e.dtype and g.shape == tuple(e.shape)
            assert np.array_equal(g, e), f"{name}: {np.count_nonzero(g != e)} of {g.size} outputs differ"


def with_output_scale_divided(name, factor):
    """The fixture with its output scale divided by factor: multipliers above 1, so the
    requantization shifts left (no converter output does)."""
    data = (FIXTURES / f"{name}.tflite").read_bytes()
    scale = np.float32(Interpreter(data).outputs[0].scale).tobytes()
    assert data.count(scale) == 1
    return data.replace(scale, np.float32(np.frombuffer(scale, np.float32)[0] / factor).tobytes())


def near_zero_point(interp, rng, spread=2):
    """Inputs within `spread` of the zero point: small sums that a large multiplier
    does not saturate."""
    return [np.clip(t.zero_point + rng.integers(-spread, spread + 1, t.shape), -128, 127).astype(t.dtype)
            for t in interp.inputs]


# Divided by 512 their multipliers (0.001 to 0.006) straddle 1 or exceed it.
@pytest.mark.parametrize("name", ["conv_8x8_s2_relu", "conv_1x1", "dw_3x3_same_relu"])
def test_multipliers_above_one_match_tflite_micro(name):
    data = with_output_scale_divided(name, 512)
    ours, ref = Interpreter(data), runtime.Interpreter.from_bytes(data)
    rng = np.random.default_rng(7)
    unsaturated = 0
    for xs in [near_zero_point(ours, rng) for _ in range(6)] + [random_inputs(ours, rng)]:
        got = ours.invoke(*xs)
        assert np.array_equal(got, reference_outputs(ref, xs, 1)[0])
        unsaturated += np.count_nonzero((got > -128) & (got < 127))
    assert unsaturated > 0


def with_tensor_scale(name, op_index, scale):
    """The fixture with the scale of op `op_index`'s output set to `scale`."""
    def change(model, graph, op):
        graph.tensors[graph.operators[op_index].outputs[0]].quantization.scale = [scale]
    return edited(name, change)


def assert_equals_reference(data, seed, trials):
    """The host library equals tflite_micro on `trials` random inputs."""
    ours, ref = Interpreter(data), runtime.Interpreter.from_bytes(data)
    rng = np.random.default_rng(seed)
    for xs in [random_inputs(ours, rng) for _ in range(trials)]:
        assert np.array_equal(ours.invoke(*xs), reference_outputs(ref, xs, 1)[0])


# softmax_3d is MUL then SOFTMAX: the MUL's output scale is the SOFTMAX's input scale.
def test_softmax_that_tflite_micro_stops_on_is_refused():
    """beta x input scale x 2^26 <= 1 fails a check in TFLM, which ends the process (the
    converter emits such a scale after calibrating on zeros): refused at load, named."""
    with pytest.raises(ModelError, match=r"SOFTMAX \(op 1\): input scale x beta too small"):
        Interpreter(with_tensor_scale("softmax_3d", 0, 1.4e-8))  # 0.94


def test_softmax_just_past_that_bound_matches_tflite_micro():
    assert_equals_reference(with_tensor_scale("softmax_3d", 0, 1.6e-8), 8, 4)  # 1.07


# Where 6 / scale leaves int32, TFLM casts it anyway (undefined: its x86 build gives -128
# everywhere for relu6_after_mean, an Arm build would clamp): refused, no reference answer.
@pytest.mark.parametrize("name, op_index", [("relu6_after_mean", 1), ("conv_dilated_relu6", 0)])
def test_activation_bound_past_int32_is_refused(name, op_index):
    with pytest.raises(ModelError, match="scale too small for the activation's bounds"):
        Interpreter(with_tensor_scale(name, op_index, 2.7e-9))  # 6 / scale: 2.2e9


@pytest.mark.parametrize("name, op_index", [("relu6_after_mean", 1), ("conv_dilated_relu6", 0)])
def test_activation_bound_just_inside_int32_matches_tflite_micro(name, op_index):
    assert_equals_reference(with_tensor_scale(name, op_index, 2.9e-9), 4, 3)  # 6 / scale: 2.07e9


def with_pool_quantization(name, in_scale, out_scale, out_zero_point=None):
    def change(model, graph, op):
        graph.tensors[op.inputs[0]].quantization.scale = [float(in_scale)]
        out = graph.tensors[op.outputs[0]].quantization
        out.scale = [float(out_scale)]
        if out_zero_point is not None:
            out.zeroPoint = [out_zero_point]
    return edited(name, change)


def pool_scale_pairs():
    """Scales on both sides of TFLM's bound |a - b| <= 1e-6 (the floats subtracted as
    doubles), at several magnitudes, with exponents far apart and subnormals."""
    pairs = []
    for base in (3e-8, 2e-7, 1e-6, 3e-6, 0.05, 12.0):
        a = np.float32(base)
        for d in (1e-6, -1e-6, 0.9e-6, 1.1e-6):
            b = np.float32(np.float64(a) + d)
            if b > 0:
                pairs += [(a, b), (a, np.nextafter(b, np.float32(0))), (a, np.nextafter(b, np.float32(1)))]
    pairs += [(np.float32(x), np.float32(y)) for x, y in ((1e-30, 1e-6), (1e-45, 5e-7), (1e-45, 1.1e-6), (3.0, 1e-20))]
    return pairs


@pytest.mark.parametrize("name", ["avgpool_same", "maxpool_same"])
def test_pool_quantization_bound_matches_tflite_micro(name):
    """Refused exactly where TFLM refuses (input and output quantization differ); run and
    equal where it runs."""
    zero_point = Interpreter((FIXTURES / f"{name}.tflite").read_bytes()).inputs[0].zero_point
    cases = [with_pool_quantization(name, a, b) for a, b in pool_scale_pairs()]
    cases += [with_pool_quantization(name, 0.05, 0.05, zero_point + 1), with_pool_quantization(name, 0.05, 0.05)]
    accepted = 0
    for data in cases:
        try:
            runtime.Interpreter.from_bytes(data)
        except RuntimeError:  # TFLM's prepare failed
            with pytest.raises(ModelError, match="input and output quantization differ"):
                Interpreter(data)
            continue
        assert_equals_reference(data, 3, 1)
        accepted += 1
    assert 0 < accepted < len(cases)


def test_shapes_and_quantization_match_tflite_micro():
    data = (FIXTURES / "fire_alarm.tflite").read_bytes()
    ours = Interpreter(data)
    ref = runtime.Interpreter.from_bytes(data)
    for mine, details in ((ours.inputs[0], ref.get_input_details(0)), (ours.outputs[0], ref.get_output_details(0))):
        assert mine.shape == tuple(details["shape"])
        assert np.float32(mine.scale) == details["quantization_parameters"]["scales"][0]
        assert mine.zero_point == details["quantization_parameters"]["zero_points"][0]


def test_fire_alarm_metadata_and_arena():
    ours = Interpreter((FIXTURES / "fire_alarm.tflite").read_bytes())
    settings = json.loads(ours.metadata("earshot"))
    assert settings["labels"] == ["background", "alarm"]
    assert ours.metadata("missing") is None
    assert ours.metadata("earsho") is None
    # The 124x129 input (15996 bytes) and the resize scratch must both fit, under 18 KB.
    assert 124 * 129 < ours.arena_size <= 18 * 1024


def test_run_batch_equals_reference_per_sample():
    data = (FIXTURES / "fire_alarm_32.tflite").read_bytes()
    ours = Interpreter(data)
    ref = runtime.Interpreter.from_bytes(data)
    xs = np.random.default_rng(5).integers(-128, 128, (16, *ours.input_shape())).astype(np.int8)
    batch = ours.run_batch(xs)
    assert batch.shape == (16, *ours.output_shape())
    for x, y in zip(xs, batch):
        assert np.array_equal(y, reference_outputs(ref, [x], 1)[0])


def test_two_input_model_batch():
    ours = Interpreter((FIXTURES / "add_relu.tflite").read_bytes())
    rng = np.random.default_rng(2)
    a = rng.integers(-128, 128, (4, *ours.input_shape(0))).astype(np.int8)
    b = rng.integers(-128, 128, (4, *ours.input_shape(1))).astype(np.int8)
    batch = ours.run_batch(a, b)
    for k in range(4):
        assert np.array_equal(batch[k], ours.invoke(a[k], b[k]))


def test_rejects_wrong_input_dtype_and_size():
    ours = Interpreter((FIXTURES / "fc_plain.tflite").read_bytes())
    with pytest.raises(TypeError, match="must be int8"):
        ours.invoke(np.zeros(ours.input_shape(), dtype=np.float32))
    with pytest.raises(ValueError, match="must have shape"):
        ours.invoke(np.zeros(3, dtype=np.int8))
    with pytest.raises(ValueError, match="takes 1 input"):
        ours.invoke()


def test_arena_one_byte_too_small_is_refused():
    data = (FIXTURES / "fire_alarm.tflite").read_bytes()
    need = Interpreter(data).arena_size
    with pytest.raises(ModelError, match="arena too small by 1 bytes"):
        Interpreter(data, arena_bytes=need - 1)
    assert Interpreter(data, arena_bytes=need).arena_size == need


def soft(name, restype, *argtypes):
    import ctypes

    from earshot.interp import _lib

    fn = getattr(_lib(), name)
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


def random_doubles(rng, n):
    return rng.uniform(0.5, 1.0, n) * np.exp2(rng.integers(-40, 40, n)) * rng.choice([-1.0, 1.0], n)


def test_soft_float_is_ieee_exact():
    # The core does its few float steps in integer arithmetic (no soft-float library in
    # the module); the CPU's IEEE arithmetic is the reference.
    import ctypes

    d, f, i32 = ctypes.c_double, ctypes.c_float, ctypes.c_int32
    ddiv, dmul = soft("ti_ddiv", d, d, d), soft("ti_dmul", d, d, d)
    fdiv, fmul = soft("ti_fdiv", f, f, f), soft("ti_fmul", f, f, f)
    to_f, from_f, from_i = soft("ti_f_from_d", f, d), soft("ti_d_from_f", d, f), soft("ti_d_from_i", d, i32)
    rng = np.random.default_rng(3)
    a, b = random_doubles(rng, 3000), random_doubles(rng, 3000)
    for x, y in list(zip(a, b)) + [(1.0, 3.0), (2.0, 3.0), (6.0, 0.1), (0.0, 5.0), (1.0, 1.0)]:
        assert ddiv(x, y) == x / y, (x, y)
        assert dmul(x, y) == x * y, (x, y)
        assert to_f(x) == np.float32(x), x
        fx, fy = np.float32(x), np.float32(y)
        assert from_f(fx) == float(fx)
        assert fdiv(fx, fy) == np.float32(fx / fy) and fmul(fx, fy) == np.float32(fx * fy), (fx, fy)
    for n in [0, 1, -1, 7, -128, 2**31 - 1, -2**31, 123456789]:
        assert from_i(n) == float(n)


def test_soft_rounding_matches_c_library():
    import ctypes

    d = ctypes.c_double
    floor, rnd = soft("ti_d_floor", ctypes.c_int32, d), soft("ti_d_round", ctypes.c_int32, d)
    rng = np.random.default_rng(4)
    values = list(rng.uniform(-1000, 1000, 2000)) + [0.5, -0.5, 1.5, -1.5, 2.5, 0.49999999999999994, -0.0, 3.0]
    for v in values:
        whole = np.floor(abs(v))
        half_away = int(whole + (1 if abs(v) - whole >= 0.5 else 0))  # exact: |v| < 2^52
        assert floor(v) == int(np.floor(v)), v
        assert rnd(v) == (-half_away if v < 0 else half_away), v
