"""Run a built-in recipe end to end; each writes report.md and metrics.json (and its
models) into its run folder.

  earshot recipe list                       the recipes and what they do
  earshot recipe trees                      decision tree / random forest with emlearn
  earshot recipe optimize --fast            tfmot collaborative optimization, tiny data
  earshot recipe embeddings --esc50 DIR     frozen base trained on ESC-50 + linear head
  earshot recipe fire_alarm                 the flagship CNN (same as earshot train --recipe)

--fast uses the tiny preset (seconds to a few minutes: a smoke test, not a result).
"""
HELP = "run a built-in recipe (trees, optimize, embeddings, fire_alarm) and write its report"

RECIPES = {
    "fire_alarm": "fire-alarm CNN: pre-train, transfer, QAT, int8, evaluate (earshot.recipes.fire_alarm)",
    "trees": "decision tree / random forest on band features, converted with emlearn, run by the trees module",
    "optimize": "pruning, clustering, QAT and PQAT/CQAT/PCQAT on the DS-CNN and the fire-alarm CNN",
    "embeddings": "frozen pre-trained base + scikit-learn logistic-regression head for a few-shot task",
    "music_genre": "LSTM on Q15 MFCC of 1 s chunks, int8, genre voted over a song's chunks (--data GTZAN dir)",
    "smart_lock": "4-conv CNN on 15 cascaded MFCC windows, energy gate, decision buffer (--data Audacity-labelled dir)",
}


def add_arguments(parser):
    parser.add_argument("name", choices=["list", *RECIPES], help="a recipe, or 'list'")
    parser.add_argument("--out", help="run folder (default runs/<name>)")
    parser.add_argument("--fast", action="store_true", help="tiny preset: a quick smoke run")
    parser.add_argument("--size", choices=("tiny", "fast", "full"), help="data/epochs preset (default fast)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cnn", help="trees: metrics.json of a fire-alarm CNN run to compare with "
                                      "(default runs/fire_alarm or runs/demo when present)")
    parser.add_argument("--models", nargs="+", help="optimize: fire_alarm_cnn and/or ds_cnn")
    parser.add_argument("--esc50", help="embeddings: an ESC-50-style folder to train the base on")
    parser.add_argument("--data", help="music_genre / smart_lock: a real dataset folder (see the recipe's docstring)")


def _cnn_metrics(args):
    from pathlib import Path

    if args.cnn:
        return args.cnn
    for run in ("runs/fire_alarm", "runs/demo"):
        if (Path(run) / "metrics.json").exists():
            return str(Path(run) / "metrics.json")
    return None


def config_for(args):
    """The recipe module and its Config for these arguments."""
    import importlib

    size = "tiny" if args.fast else (args.size or "fast")
    module = importlib.import_module(f"earshot.recipes.{args.name}")
    options = dict(out=args.out or f"runs/{args.name}", size=size, seed=args.seed)
    if args.name == "fire_alarm":
        from earshot.commands.demo import default_data

        options.update(shared_data=default_data(), engines=module.available_engines())
    elif args.name == "trees":
        options.update(cnn_metrics=_cnn_metrics(args))
    elif args.name == "optimize" and args.models:
        options.update(models=tuple(args.models))
    elif args.name == "embeddings" and args.esc50:
        options.update(esc50=args.esc50)
    elif args.name in ("music_genre", "smart_lock") and args.data:
        options.update(data=args.data)
    return module, module.Config(**options)


def run(args):
    if args.name == "list":
        width = max(map(len, RECIPES))
        for name, description in RECIPES.items():
            print(f"{name:<{width}}  {description}")
        return 0
    module, config = config_for(args)
    summary = module.run(config)
    print(f"{args.name}: finished in {summary.get('seconds', 0):.0f} s; report: {config.out}/report.md")
    return 0
