"""Smart lock: door sounds (key in, key out, locking, knocking, other) from 15 cascaded
400-sample MFCC windows, min-max scaled to 0..255, a 4-convolution CNN in int8, gated
by an energy threshold with back-off and smoothed by a buffer of decisions.

    earshot recipe smart_lock [--fast] [--data LOCK_DIR]
    from earshot.recipes import smart_lock
    summary = smart_lock.run(smart_lock.Config(out="runs/smart_lock", size="fast"))

Without data, synthetic door sounds are used (smart_lock_synth): a smoke test of the
pipeline, not a result about real doors.

Real recordings: record each session at 16 kHz (or any rate: files are resampled) and
label the events in Audacity (select a region, Ctrl+B, type the label; then File >
Export > Export Labels). Put each recording and its label file side by side in one
folder: LOCK_DIR/session1.wav + LOCK_DIR/session1.txt, ... Labels must be the class
names (key_in, key_out, locking, knocking, other); regions labelled anything else
are skipped. Every region becomes a clip; regions of one recording stay on one side
of the train/test split.

Pipeline: MFCC of 400-sample windows (fft 512, 40 mel bands, 20 coefficients, Q15
front end, q8.7) -> 15 consecutive windows cascaded (6000 samples, sliding one window
per decision) -> each coefficient min-max scaled to 0..255 with the training set's
integer range (carried in the model's settings) -> mfcc_cnn (4 convolutions) -> int8.
The majority classes are undersampled (earshot.data.balance) before windowing.
On the board (simulated here with integers, smart_lock_board): a window is classified
only while one of the last `backoff_windows` windows had RMS >= energy_gate_rms;
decisions whose top probability is under 0.8 are "unknown"; an event is reported when
one class holds the majority of the last `post_buffer` (5-10) decisions.

Reference design: 93% overall accuracy, a 4-conv CNN of about 24.6 K parameters.
"""
import dataclasses
import time
from pathlib import Path

import numpy as np

from earshot.errors import DataError
from earshot.recipes import smart_lock_board as board
from earshot.recipes.music_genre_mfcc import Int8Runner, MfccFrontEnd, make, write_model
from earshot.recipes.smart_lock_synth import LABELS

REFERENCE = {"accuracy": 0.93, "params": 24600}
SIZES = {  # synthetic clips per class (majority classes get more), epochs
    "full": dict(clips=200, epochs=40),
    "fast": dict(clips=60, epochs=25),
    "tiny": dict(clips=4, epochs=1),
}
WEIGHTS = {"other": 3.0, "knocking": 1.5}  # an imbalanced set, as real recordings are


@dataclasses.dataclass
class Config:
    out: str = "runs/smart_lock"
    size: str = "fast"
    seed: int = 0
    data: str | None = None          # folder of recordings + Audacity label files; None = synthetic
    window: int = 400                # samples per MFCC window (25 ms at 16 kHz)
    coefficients: int = 20
    cascade: int = 15                # windows per network input
    train_stride: int = 2            # windows between training slices
    unknown_below: float = 0.8
    energy_gate_rms: int = 300
    backoff_windows: int = 15
    post_buffer: int = 5             # decisions in the majority buffer (5-10)
    batch_size: int = 32
    engines: tuple = ("tflm", "earshot")
    verbose: bool = True

    def sizes(self):
        if self.size not in SIZES:
            raise DataError(f"unknown size {self.size!r}", hint=f"choose one of {', '.join(SIZES)}")
        if not 5 <= self.post_buffer <= 10:
            raise DataError(f"post_buffer must be 5..10 decisions, got {self.post_buffer}")
        return SIZES[self.size]

    def front_end(self):
        return MfccFrontEnd(frame=self.window, hop=self.window, fft=512, sample_rate=16000, fmin=0, fmax=8000,
                            bands=40, coefficients=self.coefficients)


def _say(config, message):
    if config.verbose:
        print(message, flush=True)


def load_clips(config):
    """([Clip], {group: (start, end) event span in samples})."""
    from earshot.data import Clip, load_audacity
    from earshot.recipes.smart_lock_synth import clips as synth_clips

    if config.data is None:
        made = synth_clips(config.sizes()["clips"], seed=config.seed, weights=WEIGHTS)
        return [Clip(audio, label, group) for label, group, audio, _ in made], {g: s for _, g, _, s in made}
    root = Path(config.data)
    pairs = [(wav, wav.with_suffix(".txt")) for wav in sorted(root.glob("*.wav")) if wav.with_suffix(".txt").exists()]
    if not pairs:
        raise DataError(f"{root}: no recording.wav + recording.txt pairs",
                        hint="export Audacity labels next to each WAV")
    clips = [c for wav, labels in pairs for c in load_audacity(wav, labels) if c.label in LABELS]
    if not clips:
        raise DataError(f"{root}: no regions labelled {list(LABELS)}")
    return clips, {c.group: (0, len(c.audio)) for c in clips}


def slices(clips, spans, config, stride):
    """Clips -> (int16 MFCC (n, cascade, coefficients), label index (n,), clip index (n,)).
    A slice keeps its clip's label when it covers at least half the event (or half of itself)."""
    front_end, length = config.front_end(), config.cascade * config.window
    out, labels, owner = [], [], []
    for i, clip in enumerate(clips):
        mfcc = front_end.features(clip.audio)
        start, end = spans.get(clip.group, (0, len(clip.audio)))
        for j in range(0, len(mfcc) - config.cascade + 1, stride):
            a, b = j * config.window, j * config.window + length
            overlap = min(b, end) - max(a, start)
            if overlap >= min(length, end - start) / 2:
                out.append(mfcc[j:j + config.cascade])
                labels.append(LABELS.index(clip.label))
                owner.append(i)
    if not out:
        raise DataError(f"no {config.cascade}-window slices in {len(clips)} clip(s)")
    return np.stack(out), np.array(labels), np.array(owner)


def network_input(scaled):
    return np.asarray(scaled, dtype=np.float32)[..., np.newaxis]


def stream_check(clips, config, runner, scaling, quiet_seconds=0.4):
    """Each test clip between stretches of quiet, run as the board would: energy gate,
    a decision per gated window, majority buffer. Correct: the first door event reported
    is the clip's label ("other" clips: no door event reported)."""
    front_end, classes = config.front_end(), len(LABELS)
    other = LABELS.index("other")
    rng = np.random.default_rng(config.seed + 7)
    correct, gated_off, total = 0, 0, 0
    for clip in clips:
        pad = (rng.standard_normal(int(quiet_seconds * 16000)) * 30).astype(np.int16)
        audio = np.concatenate([pad, clip.audio, pad])
        mfcc = front_end.features(audio)
        rms = board.window_rms(audio, config.window)[:len(mfcc)]
        open_ = board.gate(rms, config.energy_gate_rms, config.backoff_windows)
        decisions = [None] * len(mfcc)
        ends = [k for k in range(config.cascade - 1, len(mfcc)) if open_[k]]
        if ends:
            x = board.minmax_u8(np.stack([mfcc[k - config.cascade + 1:k + 1] for k in ends]), *scaling)
            probs = runner.predict(x[..., np.newaxis])
            for k, p in zip(ends, probs):
                decisions[k] = int(p.argmax()) if p.max() >= config.unknown_below else classes
        found = [e for e in board.events(decisions, config.post_buffer, classes) if e != other]
        want = LABELS.index(clip.label)
        correct += (not found) if want == other else bool(found and found[0] == want)
        gated_off += int((~open_).sum())
        total += len(open_)
    return {"clips": len(clips), "correct": correct, "accuracy": correct / max(1, len(clips)),
            "windows": total, "windows_skipped_by_gate": gated_off}


def run(config=None):
    """The whole recipe; returns a summary dict (also <out>/metrics.json)."""
    from earshot import quantize, train as training
    from earshot.data import balance, class_counts, split
    from earshot.evaluate import metrics
    from earshot.evaluate.metrics import as_classes
    from earshot.export.inspect import describe
    from earshot.models import build
    from earshot.models.tf import tensorflow
    from earshot.recipes.pipeline import dump_json

    config = config or Config()
    config.sizes()
    tensorflow().keras.utils.set_random_seed(config.seed)
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    _say(config, f"[1/5] door sounds ({config.data or 'synthetic'}); undersampling the majority classes")
    clips, spans = load_clips(config)
    parts = split(clips, test_fraction=0.2, val_fraction=0.15, seed=config.seed)
    before = class_counts(parts.train)
    balanced = balance(parts.train, seed=config.seed)
    train = slices(balanced, spans, config, config.train_stride)
    val, test = (slices(p, spans, config, 1) for p in (parts.val, parts.test))
    lo, hi = board.minmax_fit(train[0])
    scaled = {name: board.minmax_u8(s[0], lo, hi) for name, s in (("train", train), ("val", val), ("test", test))}

    _say(config, f"[2/5] training the 4-conv CNN on {len(train[0])} slices")
    x = network_input(scaled["train"])
    model = build("mfcc_cnn", x.shape[1:], len(LABELS), verbose=config.verbose)
    training.adapt_normalization(model, x)
    history = training.fit(model, x, train[1], (network_input(scaled["val"]), val[1]),
                           epochs=config.sizes()["epochs"], lr=2e-3, batch_size=config.batch_size, patience=6,
                           stage="smart_lock", verbose=config.verbose)

    _say(config, "[3/5] full-int8 conversion, settings embedded")
    tflite = quantize.convert(model, x)
    scaling = {"kind": "minmax_u8", "min": [int(v) for v in lo], "max": [int(v) for v in hi]}
    model_settings = make(
        tflite, front_end=config.front_end(), window_samples=config.cascade * config.window,
        hop_samples=config.window, labels=LABELS, target="locking", float_input="u8", scaling=scaling,
        # The board votes over post_buffer decisions itself: no averaging on top of it.
        decision={"threshold": config.unknown_below, "smoothing_hops": 1,
                  "unknown_below": config.unknown_below, "energy_gate_rms": config.energy_gate_rms,
                  "energy_backoff_windows": config.backoff_windows, "post_buffer": config.post_buffer},
        model={"name": "mfcc_cnn", "recipe": "smart_lock", "params": int(model.count_params()),
               "data": config.data or f"synthetic ({config.size})"})
    tflite = write_model(out, tflite, model_settings)

    _say(config, "[4/5] evaluating float and int8 windows; board rules on test clips")
    te_x = network_input(scaled["test"])
    runner = Int8Runner(tflite, "tflm", float_input="u8")
    reference = runner.raw(te_x)
    probs = {"float": as_classes(model.predict(te_x, verbose=0)), "int8": as_classes(runner.predict(te_x))}
    windows = {name: metrics(test[1], p, list(LABELS), config.unknown_below) for name, p in probs.items()}
    plain = {name: metrics(test[1], p, list(LABELS)) for name, p in probs.items()}
    agreement = {}
    for engine in config.engines:
        if engine != "tflm":
            agreement[engine] = bool(np.array_equal(Int8Runner(tflite, engine, "u8").raw(te_x), reference))
    stream = stream_check(parts.test, config, runner, (lo, hi))

    _say(config, f"[5/5] report in {out}")
    info = describe(tflite)
    summary = {
        "out": str(out), "seconds": time.perf_counter() - started, "data": model_settings["model"]["data"],
        "params": int(model.count_params()), "tflite_bytes": len(tflite),
        "ops": sorted({o["op"] for o in info["ops"]}), "input_shape": list(info["inputs"][0]["shape"]),
        "windows": windows, "windows_no_unknown": plain, "stream": stream, "agreement": agreement,
        "history": history, "reference": REFERENCE, "settings": model_settings,
        "counts": {"train_clips_before_undersampling": before, "train_clips": class_counts(balanced),
                   "train_slices": len(train[0]), "test_slices": len(test[0]), "test_clips": len(parts.test)},
    }
    write_report(out / "report.md", summary)
    dump_json(out / "metrics.json", summary)
    return summary


def _pct(v):
    return "n/a" if v is None else f"{100 * v:.1f}%"


def write_report(path, summary):
    ref, w = summary["reference"], summary["windows"]["int8"]
    d = summary["settings"]["decision"]
    lines = [
        "# Smart lock (4-conv CNN on cascaded Q15 MFCC, int8)", "",
        f"Data: {summary['data']}. Training clips per class before undersampling "
        f"{summary['counts']['train_clips_before_undersampling']}, after {summary['counts']['train_clips']}; "
        f"{summary['counts']['train_slices']} training slices, {summary['counts']['test_slices']} test slices.", "",
        "| measure | measured | reference |", "| --- | --- | --- |",
        f"| float accuracy (test slices, argmax) | {_pct(summary['windows_no_unknown']['float']['accuracy'])} | "
        f"{_pct(ref['accuracy'])} |",
        f"| int8 accuracy (test slices, argmax) | {_pct(summary['windows_no_unknown']['int8']['accuracy'])} | "
        f"{_pct(ref['accuracy'])} |",
        f"| int8 accuracy, unknown below {d['unknown_below']} (unknown counts as wrong) | {_pct(w['accuracy'])} | |",
        f"| board rules on whole test clips (gate, buffer of {d['post_buffer']}) | "
        f"{_pct(summary['stream']['accuracy'])} of {summary['stream']['clips']} | |",
        f"| parameters | {summary['params']:,} | about {ref['params']:,} |",
        f"| model.tflite | {summary['tflite_bytes'] / 1024:.1f} KB | |", "",
        f"Energy gate: RMS >= {d['energy_gate_rms']} opens {d['energy_backoff_windows']} windows; it skipped "
        f"{summary['stream']['windows_skipped_by_gate']} of {summary['stream']['windows']} windows.",
        f"Input {summary['input_shape']}; ops {', '.join(summary['ops'])}; "
        f"int8 engines against TFLM: {summary['agreement'] or 'only TFLM run'}.", "",
        f"## Confusion (int8 test slices; rows true; 'unknown' = top probability < {d['unknown_below']})", "",
    ]
    columns = w["confusion_columns"]
    lines += ["| | " + " | ".join(columns) + " | sensitivity |", "|" + " --- |" * (len(columns) + 2)]
    for label, row in zip(columns, w["confusion"]):
        lines.append(f"| {label} | " + " | ".join(map(str, row)) + f" | {_pct(w['per_class'][label]['recall'])} |")
    lines.append("| PPV | " + " | ".join(_pct(w["per_class"][c]["precision"]) for c in columns[:-1]) + " | | |")
    lines += ["", f"Run time {summary['seconds']:.0f} s."]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
