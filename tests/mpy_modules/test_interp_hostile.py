"""Hostile .tflite files: every one gives a clear ModelError, never a crash.

Files are made by patching a valid fixture in place; the flatbuffers package (not our
reader) locates the fields to patch.
"""
import struct

import numpy as np
import pytest
from flatbuffers.table import Table

from earshot.errors import ModelError
from earshot.interp import Interpreter
from tests.conftest import ROOT

FIRE_ALARM = (ROOT / "tests" / "fixtures" / "interp" / "fire_alarm.tflite").read_bytes()
# Schema field numbers (tensorflow/lite/schema/schema.fbs).
MODEL_OPCODES, MODEL_SUBGRAPHS, MODEL_BUFFERS = 1, 2, 4
SUBGRAPH_TENSORS, SUBGRAPH_OPERATORS = 0, 3
TENSOR_SHAPE, TENSOR_TYPE, TENSOR_BUFFER = 0, 1, 2
OPCODE_DEPRECATED, OPCODE_BUILTIN = 0, 3
OP_INPUTS = 1


def root(buf):
    return Table(buf, struct.unpack_from("<I", buf, 0)[0])


def field(tab, slot):
    off = tab.Offset(4 + 2 * slot)
    assert off, f"field {slot} absent"
    return tab.Pos + off


def vector(tab, slot):
    off = tab.Offset(4 + 2 * slot)
    return tab.Vector(off), tab.VectorLen(off)


def element_table(tab, slot, i):
    start, n = vector(tab, slot)
    assert i < n
    return Table(tab.Bytes, tab.Indirect(start + 4 * i))


def subgraph(buf):
    return element_table(root(buf), MODEL_SUBGRAPHS, 0)


def tensor(buf, i):
    return element_table(subgraph(buf), SUBGRAPH_TENSORS, i)


def patched(edit):
    buf = bytearray(FIRE_ALARM)
    edit(buf)
    return bytes(buf)


def load(data):
    return Interpreter(data)


def test_valid_fixture_loads():
    assert load(FIRE_ALARM).arena_size > 0


@pytest.mark.parametrize("length", [0, 3, 7])
def test_tiny_files_are_truncated(length):
    with pytest.raises(ModelError, match="truncated file"):
        load(FIRE_ALARM[:length])


def test_every_prefix_is_refused_cleanly():
    for length in range(8, len(FIRE_ALARM), 7):
        with pytest.raises(ModelError):
            load(FIRE_ALARM[:length])


def test_wrong_identifier():
    with pytest.raises(ModelError, match="bad file identifier"):
        load(patched(lambda b: b.__setitem__(slice(4, 8), b"TFL2")))


def test_root_offset_out_of_range():
    with pytest.raises(ModelError, match="truncated file"):
        load(patched(lambda b: struct.pack_into("<I", b, 0, 0xFFFFFF00)))


def test_vector_length_past_the_end():
    def edit(b):
        start, _ = vector(subgraph(b), SUBGRAPH_TENSORS)
        struct.pack_into("<I", b, start - 4, 0x40000000)
    with pytest.raises(ModelError, match="truncated file"):
        load(patched(edit))


def set_input_shape(dims):
    def edit(b):
        start, n = vector(tensor(b, 0), TENSOR_SHAPE)
        for k in range(n):
            struct.pack_into("<i", b, start + 4 * k, dims[k])
    return edit


def test_huge_shape_product_overflows():
    with pytest.raises(ModelError, match="too large"):
        load(patched(set_input_shape([65536, 65536, 65536, 65536])))


def test_negative_dimension():
    with pytest.raises(ModelError, match="negative dimension"):
        load(patched(set_input_shape([1, -124, 129, 1])))


def test_shape_inconsistent_with_the_ops():
    with pytest.raises(ModelError, match="RESIZE_NEAREST_NEIGHBOR"):
        load(patched(set_input_shape([1, 124, 129, 2])))


def test_unsupported_op_is_named():
    def edit(b):
        code = element_table(root(b), MODEL_OPCODES, 0)
        struct.pack_into("<i", b, field(code, OPCODE_BUILTIN), 98)   # LEAKY_RELU
        if code.Offset(4 + 2 * OPCODE_DEPRECATED):
            struct.pack_into("<b", b, field(code, OPCODE_DEPRECATED), 98)
    with pytest.raises(ModelError, match=r"unsupported op LEAKY_RELU \(op 0\)"):
        load(patched(edit))


def test_wrong_tensor_type_is_named():
    # Tensor 8 is the CONV_2D output (see the fixture's tensor table): make it int32.
    def edit(b):
        struct.pack_into("<b", b, field(tensor(b, 8), TENSOR_TYPE), 2)
    with pytest.raises(ModelError, match="CONV_2D \\(op 1\\): output must be int8, not int32"):
        load(patched(edit))


def test_unknown_tensor_type():
    def edit(b):
        struct.pack_into("<b", b, field(tensor(b, 8), TENSOR_TYPE), 99)
    with pytest.raises(ModelError, match="must be int8, not unknown type"):
        load(patched(edit))


def test_tensor_index_out_of_range():
    def edit(b):
        op = element_table(subgraph(b), SUBGRAPH_OPERATORS, 1)
        start, _ = vector(op, OP_INPUTS)
        struct.pack_into("<i", b, start, 999)
    with pytest.raises(ModelError, match="tensor index 999 out of range"):
        load(patched(edit))


def test_buffer_index_out_of_range():
    def edit(b):
        struct.pack_into("<I", b, field(tensor(b, 6), TENSOR_BUFFER), 5000)
    with pytest.raises(ModelError, match="names a buffer that does not exist"):
        load(patched(edit))


def test_weights_shorter_than_their_shape():
    # Shorten the FULLY_CONNECTED weights' buffer by one byte.
    def edit(b):
        index = struct.unpack_from("<I", b, field(tensor(b, 4), TENSOR_BUFFER))[0]
        start, n = vector(element_table(root(b), MODEL_BUFFERS, index), 0)
        struct.pack_into("<I", b, start - 4, n - 1)
    with pytest.raises(ModelError, match="constant data size does not match its shape"):
        load(patched(edit))


def test_random_mutations_never_crash():
    # Each mutant either loads (and then runs) or raises ModelError.
    rng = np.random.default_rng(99)
    loaded = 0
    for _ in range(400):
        buf = bytearray(FIRE_ALARM)
        for _ in range(int(rng.integers(1, 6))):
            buf[int(rng.integers(0, len(buf)))] = int(rng.integers(0, 256))
        try:
            it = load(bytes(buf))
        except ModelError:
            continue
        loaded += 1
        it.invoke(*[np.zeros(t.shape, dtype=t.dtype) for t in it.inputs])
    assert loaded > 0  # the mutations also reach the kernels, not only the parser
