"""Evaluate an int8 model (with its embedded settings) on labelled data or recordings.

  earshot evaluate model.tflite my_sounds/          labelled folder or ESC-50 layout:
                                                     accuracy, precision/recall, confusion
                                                     (with the "unknown" column), per clip too
  earshot evaluate model.tflite a.wav b.wav          recordings replayed through the board's
                                                     decision loop: share of hops raised
The int8 model runs in the TFLM reference interpreter, or --engine earshot (our C core).
"""
HELP = "score an int8 model on labelled recordings, or replay recordings through its decisions"


def add_arguments(parser):
    parser.add_argument("model", help="a .tflite with embedded earshot settings")
    parser.add_argument("data", nargs="+", help="a labelled folder (or ESC-50 layout), or WAV files")
    parser.add_argument("--engine", default="tflm", choices=("tflm", "earshot", "tflite"))
    parser.add_argument("--json", help="also write the results to this JSON file")


def _relabel(clips, model_settings):
    """Dataset labels -> the model's: with two labels, anything not the target is the other one."""
    import dataclasses

    from earshot.errors import DataError

    labels, target = model_settings["labels"], model_settings["target"]
    if len(labels) == 2:
        other = labels[0] if labels[1] == target else labels[1]
        return [dataclasses.replace(c, label=target if c.label == target else other) for c in clips]
    unknown = sorted({c.label for c in clips} - set(labels))
    if unknown:
        raise DataError(f"labels {unknown} are not among the model's labels {labels}")
    return clips


def _labelled(folder, model, model_settings):
    from pathlib import Path

    import numpy as np

    from earshot.data import load_esc50, load_folder, make_windows
    from earshot.evaluate import clip_scores, metrics
    from earshot.train import network_input

    root = Path(folder)
    esc50 = (root / "meta.csv").is_file() or (root / "meta" / "esc50.csv").is_file()
    clips = _relabel(load_esc50(root) if esc50 else load_folder(root), model_settings)
    labels = model_settings["labels"]
    ws = make_windows(clips, labels=labels, length=model_settings["window_samples"])
    f = model_settings["features"]
    probs = model.predict(network_input(ws.x, f["frame"], f["hop"], f["fft"]))
    unknown_below = model_settings["decision"]["unknown_below"]
    windows = metrics(ws.y, probs, labels, unknown_below)
    ids, scores = clip_scores(probs, ws.clip_index)
    truth = np.array([ws.y[ws.clip_index == i][0] for i in ids])
    return {"windows": windows, "clips": metrics(truth, scores, labels, unknown_below)}


def _print_metrics(name, m):
    print(f"{name}: accuracy {100 * m['accuracy']:.1f}% on {m['count']}, unknown {m['unknown']}")
    for label, c in m["per_class"].items():
        precision = "n/a" if c["precision"] is None else f"{100 * c['precision']:.1f}%"
        recall = "n/a" if c["recall"] is None else f"{100 * c['recall']:.1f}%"
        print(f"  {label:>16}: precision {precision}, recall {recall}, support {c['support']}")
    print("  confusion (rows true, columns " + ", ".join(m["confusion_columns"]) + "):")
    for label, row in zip(m["confusion_columns"], m["confusion"]):
        print(f"  {label:>16}: " + " ".join(f"{v:6d}" for v in row))


def run(args):
    import json
    from pathlib import Path

    from earshot import settings
    from earshot.errors import DataError, ModelError
    from earshot.evaluate import Int8Model

    try:
        data = Path(args.model).read_bytes()
    except OSError as exc:
        raise ModelError(f"{args.model}: cannot read: {exc.strerror}") from exc
    model_settings = settings.read(data)
    model = Int8Model(data, args.engine)
    paths = [Path(p) for p in args.data]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise DataError(f"not found: {', '.join(missing)}")
    results = {}
    if len(paths) == 1 and paths[0].is_dir():
        results = _labelled(paths[0], model, model_settings)
        for name, m in results.items():
            _print_metrics(name, m)
    else:
        from earshot.data import read_wav
        from earshot.evaluate.stream import fires, hop_scores

        for path in paths:
            audio = read_wav(path, model_settings["sample_rate"])
            ends, probs, _ = hop_scores(model, audio, model_settings)
            raised = fires(probs, model_settings)
            first = f"first at {ends[raised.argmax()]:.2f} s" if raised.any() else "never"
            print(f"{path}: {model_settings['target']} raised on {raised.sum()}/{len(raised)} hops "
                  f"({100 * raised.mean():.0f}%), {first}")
            results[str(path)] = {"hops": int(len(raised)), "raised": int(raised.sum())}
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0
