"""Weights with zero points (the converter's are symmetric; TFLM takes other models too).
FULLY_CONNECTED per tensor: the offset enters every product (the variant fc_generic, in
interp_convx on the boards: test_interp_modules_boards.py); per channel, and CONV_2D and
DEPTHWISE_CONV_2D always, TFLM does not read them, and neither do we. Judged by
tflite_micro."""
import numpy as np
import pytest

from earshot.interp import Interpreter
from tests.mpy_modules.test_interp_lstm import edited

runtime = pytest.importorskip("tflite_micro.python.tflite_micro.runtime")


def weight_zero_points(zero_point, per_tensor):
    def change(model, graph, op):
        q = graph.tensors[op.inputs[1]].quantization
        if per_tensor:
            q.scale = [max(q.scale)]
        q.zeroPoint = [zero_point] * len(q.scale)
    return change


def with_zero_points(name, zero_point, per_tensor=False):
    return edited(name, weight_zero_points(zero_point, per_tensor))


def assert_equals_tflite_micro(data):
    ours, ref = Interpreter(data), runtime.Interpreter.from_bytes(data)
    rng = np.random.default_rng(7)
    for _ in range(5):
        x = rng.integers(-128, 128, ours.inputs[0].shape).astype(np.int8)
        ref.set_input(x, 0)
        ref.invoke()
        assert np.array_equal(ours.invoke(x), ref.get_output(0))
    return ours


@pytest.mark.parametrize("per_tensor", [True, False])
@pytest.mark.parametrize("name, zero_point", [("fc_plain", 3), ("fc_relu", -5), ("fc_batch", 127)])
def test_fc_weight_zero_points_equal_tflite_micro(name, zero_point, per_tensor):
    ours = assert_equals_tflite_micro(with_zero_points(name, zero_point, per_tensor))
    assert ours.variant_groups() == (["convx"] if per_tensor else [])


# Every path: the stream (conv_1x1, conv_3x3_same), conv_generic (conv_band_groups,
# conv_dilated_relu6), the pair path (dw_3x3_same_relu) and dw_generic (dw_3x3_s2_mult2).
@pytest.mark.parametrize("name", ["conv_1x1", "conv_3x3_same", "conv_band_groups", "conv_dilated_relu6",
                                  "dw_3x3_same_relu", "dw_3x3_s2_mult2"])
@pytest.mark.parametrize("zero_point", [3, -7])
def test_conv_weight_zero_points_are_not_read_as_in_tflite_micro(name, zero_point):
    assert_equals_tflite_micro(with_zero_points(name, zero_point))
