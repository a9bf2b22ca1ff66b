"""Train the fire-alarm recipe on synthetic sounds, quantize it to int8, evaluate float
against int8, score the real recordings in ../shared/data when they are there, and
write the report, then run the int8 model on the emulated RP2040. Steps: pre-train on
several synthetic classes, transfer to fire_alarm vs everything else, quantization-aware
fine-tuning, int8 conversion, evaluation; then deploy to the emulated board, replay a
scene with alarm bursts in noise, and compare its decisions with the host's hop by hop."""
HELP = "train the fire-alarm detector on synthetic data and write a report (make demo)"


def add_arguments(parser):
    parser.add_argument("--out", default="runs/demo", help="run folder (default runs/demo)")
    parser.add_argument("--size", default="full", choices=("tiny", "fast", "full"),
                        help="how much data and how many epochs (default full: a few minutes on 2 cores)")
    parser.add_argument("--data", default=None,
                        help="real recordings (fire_alarm/, glass_break/); default ../shared/data if present")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--resume", action="store_true", help="continue an interrupted run from its checkpoints")
    parser.add_argument("--no-board", action="store_true", help="skip the run on the emulated RP2040")


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
    if args.no_board:
        return 0
    return run_on_board(result["out"])


def run_on_board(out):
    """Deploy and replay on the emulated RP2040; non-zero when board and host disagree."""
    import json
    from pathlib import Path

    from earshot.recipes import board_demo

    print("[board] deploying to the emulated RP2040 and replaying a scene with two alarm bursts")
    board = board_demo.run(Path(out) / "model.tflite", out)
    metrics_path = Path(out) / "metrics.json"
    metrics = json.loads(metrics_path.read_text())
    metrics["board"] = board
    metrics_path.write_text(json.dumps(metrics, indent=2) + "\n")
    lines = board_demo.summary_lines(board)
    with open(Path(out) / "report.md", "a") as report:
        report.write("\n## On the emulated RP2040\n\n" + "\n".join(f"- {line.strip()}" for line in lines) + "\n")
    print("\n".join(lines))
    return 0 if board["identical"] else 1
