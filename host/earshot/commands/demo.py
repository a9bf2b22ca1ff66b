"""Train the fire-alarm recipe on synthetic sounds, quantize it to int8, evaluate float
against int8, score the real recordings in ../shared/data when they are there, and
write the report. Steps: pre-train on several synthetic classes, transfer to fire_alarm
vs everything else, quantization-aware fine-tuning, int8 conversion, evaluation."""
HELP = "train the fire-alarm detector on synthetic data and write a report (make demo)"


def add_arguments(parser):
    parser.add_argument("--out", default="runs/demo", help="run folder (default runs/demo)")
    parser.add_argument("--size", default="full", choices=("tiny", "fast", "full"),
                        help="how much data and how many epochs (default full: a few minutes on 2 cores)")
    parser.add_argument("--data", default=None,
                        help="real recordings (fire_alarm/, glass_break/); default ../shared/data if present")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--resume", action="store_true", help="continue an interrupted run from its checkpoints")


def default_data():
    from earshot.paths import CHECKOUT_DIR

    folder = CHECKOUT_DIR.parent / "shared" / "data"
    return str(folder) if folder.is_dir() else None


def summary_lines(result):
    w = result["windows"]
    lines = [f"demo finished in {result['seconds']:.0f} s: fire-alarm CNN, {result['params']:,} parameters, "
             f"{result['tflite_bytes']:,}-byte int8 model",
             "held-out synthetic windows: " + ", ".join(f"{k} {100 * m['accuracy']:.1f}%" for k, m in w.items())]
    for row in result["real"].get("alarms", []):
        lines.append(f"real alarm {row['file']}: alarm raised on {100 * row['rate']:.0f}% of "
                     f"{row['windows']} hops")
    if "background" in result["real"]:
        b = result["real"]["background"]
        parts = ", ".join(f"{k} {v['false_alarms']}/{v['clips']}" for k, v in b["per_category"].items())
        lines.append(f"real non-alarm clips: {b['false_alarms']}/{b['clips']} false alarms ({parts})")
    for engine, same in result["agreement"].items():
        lines.append(f"int8 on {engine} interpreter vs TFLM: {'identical' if same else 'DIFFERENT'}")
    lines.append(f"report: {result['out']}/report.md   model: {result['out']}/model.tflite")
    return lines


def run(args):
    from earshot.recipes import fire_alarm

    config = fire_alarm.Config(out=args.out, size=args.size, seed=args.seed, resume=args.resume,
                               shared_data=args.data if args.data is not None else default_data(),
                               engines=fire_alarm.available_engines())
    result = fire_alarm.run(config)
    print("\n".join(summary_lines(result)))
    return 0
