"""Print what a model file carries: the embedded earshot settings, the ops, tensor sizes
and the quantization of its input and output."""
HELP = "show a model's embedded settings, ops, sizes and quantization"


def add_arguments(parser):
    parser.add_argument("model", help="a .tflite file")
    parser.add_argument("--json", action="store_true", help="print the embedded settings only, as JSON")


def _quant(t):
    scale = ", ".join(f"{s:.6g}" for s in t["scale"][:4]) + (" ..." if len(t["scale"]) > 4 else "")
    return f"{t['dtype']} {t['shape']} scale {scale or '-'} zero point {t['zero_point'][:4] or '-'}"


def run(args):
    from pathlib import Path

    from earshot import settings
    from earshot.errors import ModelError
    from earshot.export.inspect import describe, macs

    try:
        data = Path(args.model).read_bytes()
    except OSError as exc:
        raise ModelError(f"{args.model}: cannot read: {exc.strerror}") from exc
    info = describe(data)
    try:
        embedded, problem = settings.read(data), None
    except ModelError as exc:
        embedded, problem = None, str(exc)
    if args.json:
        if embedded is None:
            raise ModelError(problem)
        print(settings.to_json(embedded), end="")
        return 0
    print(f"{args.model}: {info['bytes']:,} bytes, {info['weight_bytes']:,} bytes of constants, "
          f"{len(info['tensors'])} tensors, {len(info['ops'])} ops, {macs(data):,} MACs")
    for t in info["inputs"] + info["outputs"]:
        print(f"  {t['kind']:6} {t['name']}: {_quant(t)}")
    print("ops:")
    for n, op in enumerate(info["ops"]):
        print(f"  {n:2} {op['op']:<28} {op['inputs'][0] if op['inputs'] else ''} -> "
              f"{op['outputs'][0]}  [{', '.join(op['dtypes'])}]")
    print(f"metadata: {', '.join(info['metadata']) or '-'}")
    if embedded is None:
        print(f"earshot settings: none ({problem})")
        return 1
    d = embedded["decision"]
    f = embedded["features"]
    print(f"earshot settings (schema {embedded['schema']}):")
    print(f"  labels {embedded['labels']}, target {embedded['target']!r}, output {embedded['output']['activation']}")
    print(f"  audio {embedded['sample_rate']} Hz, window {embedded['window_samples']} samples, "
          f"decision every {embedded['hop_samples']} samples")
    print(f"  features {f['kind']}: frame {f['frame']}, hop {f['hop']}, fft {f['fft']}, {f['window']} window, "
          f"{f['columns']} x {f['bins']}")
    print(f"  input int8 scale {embedded['input']['scale']:.6g} zero point {embedded['input']['zero_point']} "
          f"from {embedded['input']['float_input']}")
    print(f"  decision: threshold {d['threshold']}, smoothing {d['smoothing_hops']} hops, "
          f"unknown below {d['unknown_below']}, energy gate RMS {d['energy_gate_rms']}")
    print(f"  model: {', '.join(f'{k} {v}' for k, v in embedded['model'].items())}")
    return 0
