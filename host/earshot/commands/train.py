"""Train a model and write a run folder (model.tflite with embedded settings, model.json,
model_data.h, metrics.json, plots, report.md).

  earshot train --recipe fire_alarm                  the synthetic fire-alarm recipe
  earshot train DATA [--target LABEL]                your folder (DATA/<label>/*.wav) or an
                                                     ESC-50 style dataset (meta.csv, audio/)
  earshot train DATA --base runs/demo/model.keras    transfer a trained body to your labels
Interrupted? Re-run the same command with --resume.
"""
HELP = "train, quantize and export a model from a recipe or your own recordings"


def add_arguments(parser):
    parser.add_argument("data", nargs="?", help="a folder of labelled recordings (omit with --recipe)")
    parser.add_argument("--recipe", choices=("fire_alarm",), help="a built-in recipe instead of DATA")
    parser.add_argument("--out", default=None, help="run folder (default runs/<recipe or data name>)")
    parser.add_argument("--target", help="detect this label against all others (sigmoid output)")
    parser.add_argument("--model", default="fire_alarm_cnn", help="architecture for DATA (see earshot.models)")
    parser.add_argument("--base", help="model.keras of an earlier run to transfer from")
    parser.add_argument("--layout", default="auto", choices=("auto", "folder", "esc50"))
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--qat-epochs", type=int, default=5, help="quantization-aware fine-tuning epochs")
    parser.add_argument("--size", default="full", choices=("tiny", "fast", "full"), help="for --recipe")
    parser.add_argument("--threshold", type=float, default=0.5, help="decision threshold stored in the model")
    parser.add_argument("--unknown-below", type=float, default=0.0,
                        help="top probability below which the answer is 'unknown'")
    parser.add_argument("--no-augment", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--resume", action="store_true", help="continue from the run folder's checkpoints")


def run(args):
    from pathlib import Path

    from earshot.errors import DataError

    if bool(args.recipe) == bool(args.data):
        raise DataError("give either DATA or --recipe", hint="earshot train --recipe fire_alarm")
    if args.recipe:
        from earshot.commands.demo import default_data, summary_lines
        from earshot.recipes import fire_alarm

        config = fire_alarm.Config(out=args.out or "runs/fire_alarm", size=args.size, seed=args.seed,
                                   threshold=args.threshold, resume=args.resume, shared_data=default_data(),
                                   engines=fire_alarm.available_engines())
        print("\n".join(summary_lines(fire_alarm.run(config))))
        return 0
    from earshot.recipes import folder

    config = folder.Config(data=args.data, out=args.out or f"runs/{Path(args.data).name}", layout=args.layout,
                           target=args.target, model=args.model, base=args.base, epochs=args.epochs,
                           qat_epochs=args.qat_epochs,
                           augment=not args.no_augment, threshold=args.threshold,
                           unknown_below=args.unknown_below, seed=args.seed, resume=args.resume)
    result = folder.run(config)
    for name, m in result["windows"].items():
        print(f"{name}: accuracy {100 * m['accuracy']:.1f}% on {m['count']} test windows")
    print(f"report: {result['out']}/report.md   model: {result['out']}/model.tflite")
    return 0
