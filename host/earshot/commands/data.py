"""Datasets: write synthetic clips (synth) or a long recording with timed alarm bursts (scene),
download ESC-50 (get), print per-class counts (stats). See `earshot data ACTION --help`."""
HELP = "make synthetic data, download ESC-50, print per-class counts"


def add_arguments(parser):
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = sub.add_parser("synth", help="write synthetic clips as OUT/<label>/<clip>.wav")
    p.add_argument("out", help="output folder")
    p.add_argument("--per-class", type=int, default=200, help="clips per class (default 200)")
    p.add_argument("--classes", nargs="+", default=["fire_alarm", "background"],
                   help="fire_alarm background siren doorbell beeps (default: fire_alarm background)")
    p.add_argument("--seconds", type=float, default=1.0, help="length of each clip (default 1)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--snr-db", type=float, nargs=2, default=[0.0, 30.0], metavar=("LOW", "HIGH"))

    p = sub.add_parser("scene", help="write a long recording with smoke-alarm bursts, and their times")
    p.add_argument("out", help="output WAV; the labels go beside it with .txt")
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--bursts-at", type=float, nargs="+", default=[5.0, 18.0], help="burst start times (s)")
    p.add_argument("--snr-db", type=float, default=10.0)
    p.add_argument("--pattern", choices=["temporal3", "continuous"], default="temporal3")
    p.add_argument("--burst-seconds", type=float, default=None, help="default: one temporal-three group")
    p.add_argument("--seed", type=int, default=0)

    p = sub.add_parser("get", help="download a public dataset (needs internet)")
    p.add_argument("dataset", choices=["esc50"])
    p.add_argument("dest", help="folder to unpack into")

    p = sub.add_parser("stats", help="per-class counts of a folder, an ESC-50-style set or a labelled WAV")
    p.add_argument("path", help="folder of <label>/ sub-folders, ESC-50-style folder, or a WAV with a .txt label track")
    p.add_argument("--stride", type=int, default=4000, help="window stride for the window counts")


def run(args):
    return {"synth": _synth, "scene": _scene, "get": _get, "stats": _stats}[args.action](args)


def _synth(args):
    from pathlib import Path

    from earshot.data import class_counts, synth, write_wav

    clips = synth.dataset(per_class=args.per_class, classes=tuple(args.classes), seconds=args.seconds,
                          seed=args.seed, snr_db=tuple(args.snr_db))
    out = Path(args.out)
    for clip in clips:
        folder = out / clip.label
        folder.mkdir(parents=True, exist_ok=True)
        write_wav(folder / f"{clip.group}.wav", clip.audio)
    print(f"{out}: {len(clips)} clips {class_counts(clips)}")


def _scene(args):
    from pathlib import Path

    from earshot.data import synth, write_wav

    audio, events = synth.alarm_in_noise(args.seconds, bursts_at=args.bursts_at, snr_db=args.snr_db,
                                         seed=args.seed, pattern=args.pattern, burst_seconds=args.burst_seconds)
    out = Path(args.out)
    write_wav(out, audio)
    labels = out.with_suffix(".txt")
    labels.write_text("".join(f"{a:.4f}\t{b:.4f}\tfire_alarm\n" for a, b in events))
    print(f"{out}: {args.seconds} s, {len(events)} alarm bursts; times in {labels}")


def _get(args):
    from earshot.data.download import get_esc50

    folder = get_esc50(args.dest)
    print(f"ESC-50 is in {folder}; load it with earshot.data.load_esc50({str(folder)!r})")


def _stats(args):
    from pathlib import Path

    from earshot.data import load_audacity, load_esc50, load_folder, make_windows
    from earshot.errors import DataError

    path = Path(args.path)
    if path.is_file():
        labels = path.with_suffix(".txt")
        if not labels.is_file():
            raise DataError(f"{path}: no label track {labels.name} beside it")
        clips = load_audacity(path, labels)
    elif (path / "meta.csv").is_file() or (path / "meta" / "esc50.csv").is_file():
        clips = load_esc50(path)
    else:
        clips = load_folder(path)
    windows = make_windows(clips, stride=args.stride, verbose=False)
    folds = sorted({c.fold for c in clips if c.fold is not None})
    print(f"{path}: {len(clips)} clips, {len({c.group for c in clips})} recordings"
          + (f", folds {folds}" if folds else ""))
    print(f"{'label':<20} {'clips':>6} {'seconds':>9} {'windows':>8}")
    for label in windows.labels:
        own = [c for c in clips if c.label == label]
        print(f"{label:<20} {len(own):>6} {sum(c.seconds for c in own):>9.1f} {windows.counts[label]:>8}")
    print(f"{windows.dropped_silent} silent windows dropped")
