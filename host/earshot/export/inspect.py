"""What is inside a .tflite: tensors, ops, sizes and quantization (no TensorFlow needed)."""
import numpy as np

from earshot.errors import ModelError

DTYPES = {0: "float32", 1: "float16", 2: "int32", 3: "uint8", 4: "int64", 6: "bool",
          7: "int16", 9: "int8", 10: "float64"}


def _schema():
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated
    return schema_py_generated


def _op_names():
    names = {}
    for key, value in vars(_schema().BuiltinOperator).items():
        if not key.startswith("_") and isinstance(value, int):
            names.setdefault(value, key)
    return names


def _tensor(t, buffers):
    q = t.quantization
    scale = [] if q is None or q.scale is None else [float(s) for s in q.scale]
    zero = [] if q is None or q.zeroPoint is None else [int(z) for z in q.zeroPoint]
    data = buffers[t.buffer].data if 0 < t.buffer < len(buffers) else None
    return {"name": t.name.decode() if isinstance(t.name, bytes) else t.name,
            "shape": [] if t.shape is None else [int(s) for s in t.shape],
            "dtype": DTYPES.get(t.type, f"type{t.type}"), "scale": scale, "zero_point": zero,
            "bytes": 0 if data is None else len(data)}


def describe(tflite):
    """A dict: inputs, outputs (with quantization), ops (with dtypes), tensor and weight bytes."""
    schema = _schema()
    buf = bytes(tflite)
    if len(buf) < 8 or buf[4:8] != b"TFL3":
        raise ModelError("not a TFLite model (no TFL3 identifier)")
    try:
        model = schema.ModelT.InitFromPackedBuf(buf, 0)
    except Exception as exc:  # the generated reader raises anything on corrupt input
        raise ModelError(f"cannot parse the TFLite flatbuffer: {exc}") from exc
    if not model.subgraphs:
        raise ModelError("the model has no subgraph")
    names = _op_names()
    buffers = model.buffers or []
    graph = model.subgraphs[0]
    tensors = [_tensor(t, buffers) for t in graph.tensors]
    ops = []
    for op in graph.operators or []:
        code = model.operatorCodes[op.opcodeIndex]
        builtin = max(code.builtinCode, code.deprecatedBuiltinCode)
        used = [i for i in list(op.inputs) + list(op.outputs) if i >= 0]
        ops.append({"op": names.get(builtin, f"op{builtin}"),
                    "inputs": [tensors[i]["shape"] for i in op.inputs if i >= 0],
                    "outputs": [tensors[i]["shape"] for i in op.outputs],
                    "dtypes": sorted({tensors[i]["dtype"] for i in used})})
    io = []
    for kind, indices in (("input", graph.inputs), ("output", graph.outputs)):
        for i in indices:
            io.append(dict(tensors[i], kind=kind))
    metadata = [m.name.decode() if isinstance(m.name, bytes) else m.name for m in model.metadata or []]
    return {"bytes": len(buf), "weight_bytes": sum(t["bytes"] for t in tensors),
            "tensors": tensors, "ops": ops, "metadata": metadata,
            "inputs": [t for t in io if t["kind"] == "input"],
            "outputs": [t for t in io if t["kind"] == "output"]}


def macs(tflite):
    """Multiply-accumulates of one inference, counted for the ops that dominate."""
    total = 0
    for op in describe(tflite)["ops"]:
        out = op["outputs"][0]
        if op["op"] in ("CONV_2D",):
            w = op["inputs"][1]  # [out_ch, kh, kw, in_ch]
            total += int(np.prod(out)) * w[1] * w[2] * w[3]
        elif op["op"] == "DEPTHWISE_CONV_2D":
            w = op["inputs"][1]  # [1, kh, kw, ch]
            total += int(np.prod(out)) * w[1] * w[2]
        elif op["op"] == "FULLY_CONNECTED":
            w = op["inputs"][1]  # [units, in]
            total += int(np.prod(out[:-1] or [1])) * w[0] * w[1]
        elif op["op"] == "UNIDIRECTIONAL_SEQUENCE_LSTM":
            x, w = op["inputs"][0], op["inputs"][1]  # input [b, t, d]; w [units, d]
            units = w[0]
            total += x[0] * x[1] * 4 * units * (x[2] + units)
    return total
