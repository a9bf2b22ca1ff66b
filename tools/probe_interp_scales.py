"""Degenerate quantization against tflite_micro: where the interp and the reference part ways.

For each fixture and each op, the scale(s) of the op's first input, of its second (the
weights of a convolution or a dense layer), then of its output, are multiplied by each factor (1e-7 to 1e7: what a converter emits after calibrating on zeros,
or a hostile file). Each edited model is loaded by the host library and by tflite_micro,
in a child process (the reference ends the process on some of them), and sorted:

    both ran            outputs compared as tools/sweep_interp.py does (they must be equal)
    refused, TFLM too   both refuse
    refused, TFLM runs  ours is stricter (documented refusals: layout ops that need equal
                        quantization, LOGISTIC/TANH's fixed output quantization, ...)
    reference stopped   TFLM ended the process (ours must refuse these)

With --zero-points, int8 zero points are set to -128, 0 and 127 instead.
Exits 1 when ours accepts what the reference stops on, or outputs differ.

    .venv/bin/python tools/probe_interp_scales.py softmax_3d relu6_after_mean avgpool_same
"""
import argparse
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "interp"
FACTORS = (1e-7, 1e-4, 1e4, 1e7)
ZERO_POINTS = (-128, 0, 127)


def schema():
    # tflite_micro's copy of the schema: no TensorFlow in this process, so fork is safe.
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated
    return schema_py_generated


def edited(name, op_index, role, change):
    """The fixture with op_index's first input ("in"), second ("weights") or output ("out")
    changed: a float multiplies its scales, ("zp", z) sets its zero points (int8 tensors
    only); None when there is no such tensor or nothing to change."""
    import flatbuffers
    import numpy as np

    s = schema()
    model = s.ModelT.InitFromObj(s.Model.GetRootAsModel((FIXTURES / f"{name}.tflite").read_bytes(), 0))
    op = model.subgraphs[0].operators[op_index]
    index = {"in": op.inputs[0], "weights": op.inputs[1] if len(op.inputs) > 1 else -1, "out": op.outputs[0]}[role]
    tensor = model.subgraphs[0].tensors[index] if index >= 0 else None
    quant = tensor.quantization if tensor is not None else None
    if quant is None or quant.scale is None:
        return None
    if isinstance(change, tuple):
        if tensor.type != s.TensorType.INT8:
            return None
        quant.zeroPoint = [change[1]] * len(quant.zeroPoint)
    else:
        quant.scale = [float(np.float32(scale * change)) for scale in quant.scale]
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def compare(data):
    """(kind, detail) for one model; runs in the child."""
    from sweep_interp import TRIALS, differing_trials
    from tflite_micro.python.tflite_micro import runtime

    from earshot.errors import EarshotError
    from earshot.interp import Interpreter

    try:
        Interpreter(data)
    except EarshotError as exc:
        try:
            runtime.Interpreter.from_bytes(data, arena_size=1 << 20)
            return "refused, TFLM runs", str(exc)
        except RuntimeError:
            return "refused, TFLM too", str(exc)
    return "both ran", f"{differing_trials(data, 0)} of {TRIALS + 2} trials differ"


def compared_or_error(data):
    try:
        return compare(data)
    except Exception as exc:  # reported, not raised: the probe goes on
        return "error", repr(exc)


def judged(data):
    from sweep_interp import in_child

    # fork: no TensorFlow in this process, and a fork starts at once.
    result, status = in_child(compared_or_error, (data,), method="fork")
    if result is not None:
        return result
    from earshot.errors import EarshotError
    from earshot.interp import Interpreter
    try:
        Interpreter(data)
        return "reference stopped", f"status {status}, and ours ACCEPTS it"
    except EarshotError as exc:
        return "reference stopped", f"status {status}, ours refuses: {exc}"


def failed(kind, detail):
    return kind == "error" or (kind == "both ran" and not detail.startswith("0 ")) or "ACCEPTS" in detail


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("fixtures", nargs="+", help="names in tests/fixtures/interp, without .tflite")
    parser.add_argument("--zero-points", action="store_true",
                        help="set int8 zero points to -128, 0 and 127 instead of scaling the scales")
    args = parser.parse_args(argv)
    changes = [("zp", z) for z in ZERO_POINTS] if args.zero_points else FACTORS
    s = schema()
    counts, failures = {}, 0
    for name in args.fixtures:
        graph = s.Model.GetRootAsModel((FIXTURES / f"{name}.tflite").read_bytes(), 0).Subgraphs(0)
        for op_index in range(graph.OperatorsLength()):
            for role in ("in", "weights", "out"):
                for change in changes:
                    data = edited(name, op_index, role, change)
                    if data is None:
                        continue
                    kind, detail = judged(data)
                    counts[kind] = counts.get(kind, 0) + 1
                    bad = failed(kind, detail)
                    failures += bad
                    what = f"zero point {change[1]}" if isinstance(change, tuple) else f"x{change:g}"
                    print(f"{'!!' if bad else '  '} {name} op {op_index} {role} {what}: {kind}: {detail[:100]}", flush=True)
    print(", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) + f"; {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
