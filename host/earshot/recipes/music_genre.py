"""Music genre: Q15 MFCC of 1 s chunks -> an LSTM of about 15 K parameters -> int8;
a song's genre is the vote of its chunks.

    earshot recipe music_genre [--fast] [--data GTZAN_DIR]
    from earshot.recipes import music_genre
    summary = music_genre.run(music_genre.Config(out="runs/music_genre", size="fast"))

Without data, synthetic disco/jazz/metal songs are used (music_genre_synth): a smoke
test of the pipeline, not a result about real music.

Real data (GTZAN): a folder with one sub-folder per genre holding the 30 s clips,
e.g. GTZAN/genres_original/{disco,jazz,metal}/disco.00000.wav ... Pass
`--data GTZAN/genres_original` (Config.data); `Config.genres` picks the sub-folders
(default disco, jazz, metal). Each file is read and resampled to `sample_rate`
(22050 Hz by default, GTZAN's own rate), cut into 1 s chunks, and every chunk of a
song stays on the same side of the train/val/test split. GTZAN's 30 s songs give 30
chunks each; `vote_chunks` of them (default all) decide the song.

Front end (all carried in the model's embedded settings, features.kind "mfcc_q15";
see music_genre_mfcc): frame, hop, fft (a size the board's front end has tables for:
256 or 512), fmin/fmax (mel range, Hz), bands, coefficients. The defaults (512/512/512,
20-4000 Hz, 40 bands, 18 coefficients at 22050 Hz) give 43 x 18 MFCC per 1 s chunk.
The LSTM is trained with a free batch dimension (fast) and converted from a batch-1
copy with the same weights (the converter needs a fixed batch to emit one
UNIDIRECTIONAL_SEQUENCE_LSTM op). Post-training full-int8 quantization.

Reference design: 90% float and int8 song accuracy, 23.5 KB model.
"""
import dataclasses
import time
from pathlib import Path

import numpy as np

from earshot.errors import DataError
from earshot.recipes.music_genre_mfcc import Int8Runner, MfccFrontEnd, make, write_model
from earshot.recipes.music_genre_synth import GENRES

REFERENCE = {"float_accuracy": 0.90, "int8_accuracy": 0.90, "model_kb": 23.5, "params": 15000}
SIZES = {  # synthetic songs per genre, seconds per song, epochs
    "full": dict(songs=80, seconds=10.0, epochs=60),
    "fast": dict(songs=30, seconds=6.0, epochs=30),
    "tiny": dict(songs=4, seconds=3.0, epochs=1),
}


@dataclasses.dataclass
class Config:
    out: str = "runs/music_genre"
    size: str = "fast"
    seed: int = 0
    data: str | None = None            # GTZAN-style folder; None = synthetic songs
    genres: tuple = GENRES
    sample_rate: int = 22050
    chunk_seconds: float = 1.0
    frame: int = 512
    hop: int = 512
    fft: int = 512
    fmin: int = 20
    fmax: int = 4000
    bands: int = 40
    coefficients: int = 18
    units: int = 48                    # LSTM units
    dense: int = 32                    # hidden dense layer
    vote_chunks: int = 0               # chunks per song that vote (0 = all)
    batch_size: int = 32
    engines: tuple = ("tflm", "earshot")
    verbose: bool = True

    def sizes(self):
        if self.size not in SIZES:
            raise DataError(f"unknown size {self.size!r}", hint=f"choose one of {', '.join(SIZES)}")
        return SIZES[self.size]

    def front_end(self):
        return MfccFrontEnd(frame=self.frame, hop=self.hop, fft=self.fft, sample_rate=self.sample_rate,
                            fmin=self.fmin, fmax=self.fmax, bands=self.bands, coefficients=self.coefficients)

    def chunk_samples(self):
        return int(round(self.chunk_seconds * self.sample_rate))


def _say(config, message):
    if config.verbose:
        print(message, flush=True)


def load_songs(config):
    """[Clip] of whole songs at config.sample_rate, group = song."""
    from earshot.data import Clip, read_wav
    from earshot.recipes.music_genre_synth import songs

    if config.data is None:
        s = config.sizes()
        return [Clip(audio, genre, song_id) for genre, song_id, audio in
                songs(s["songs"], config.genres, s["seconds"], config.sample_rate, config.seed)]
    root = Path(config.data)
    if not root.is_dir():
        raise DataError(f"{root}: no GTZAN folder", hint="give a folder with one sub-folder per genre")
    clips = []
    for genre in config.genres:
        files = sorted((root / genre).glob("*.wav")) if (root / genre).is_dir() else []
        if not files:
            raise DataError(f"{root / genre}: no .wav files", hint=f"expected {root}/<genre>/*.wav for {config.genres}")
        for path in files:
            try:
                audio = read_wav(path, rate=config.sample_rate)
            except Exception as exc:  # GTZAN has a known unreadable file (jazz.00054); skip such files
                _say(config, f"skipping {path}: {exc}")
                continue
            clips.append(Clip(audio, genre, f"{genre}/{path.stem}", path=str(path)))
    return clips


def chunk_features(clips, config):
    """Songs -> (int16 MFCC (n, frames, coefficients), genre index (n,), song index (n,))."""
    front_end, size = config.front_end(), config.chunk_samples()
    features, labels, song = [], [], []
    for i, clip in enumerate(clips):
        count = len(clip.audio) // size
        if config.vote_chunks:
            count = min(count, config.vote_chunks)
        for c in range(count):
            features.append(front_end.features(clip.audio[c * size:(c + 1) * size]))
            labels.append(config.genres.index(clip.label))
            song.append(i)
    if not features:
        raise DataError(f"no {config.chunk_seconds} s chunks in {len(clips)} song(s)")
    return np.stack(features), np.array(labels), np.array(song)


def network_input(mfcc):
    """int16 q8.7 MFCC -> the float input the LSTM is trained on (the MFCC values)."""
    return np.asarray(mfcc, dtype=np.float32) / 128.0


def vote(probs, song):
    """Per song: the genre most chunks chose (ties: the larger summed probability).
    Returns (song ids, predicted genre per song)."""
    probs = np.asarray(probs)
    ids = np.unique(song)
    picks = []
    for s in ids:
        mine = probs[song == s]
        counts = np.bincount(mine.argmax(axis=1), minlength=probs.shape[1]).astype(float)
        picks.append(int(np.argmax(counts + mine.sum(axis=0) / (len(mine) + 1))))
    return ids, np.array(picks)


def _classes(probs):
    from earshot.evaluate.metrics import as_classes

    return as_classes(probs)


def train_model(config, train, val):
    """Float LSTM trained with a free batch; returns (model, history)."""
    from earshot import train as training
    from earshot.models import build

    x, y = network_input(train[0]), train[1]
    model = build("lstm_mfcc", x.shape[1:], len(config.genres), units=config.units, dense=config.dense,
                  batch_size=None, verbose=config.verbose)
    training.adapt_normalization(model, x)
    history = training.fit(model, x, y, (network_input(val[0]), val[1]), epochs=config.sizes()["epochs"],
                           lr=3e-3, batch_size=config.batch_size, patience=8, stage="music_genre",
                           verbose=config.verbose)
    return model, history


def to_int8(config, model, representative):
    """Full-int8 .tflite from a batch-1 copy of the model (same weights)."""
    from earshot import quantize
    from earshot.models import build

    single = build("lstm_mfcc", model.input_shape[1:], len(config.genres), units=config.units,
                   dense=config.dense, batch_size=1, verbose=False)
    single.set_weights(model.get_weights())
    return quantize.convert(single, representative)


def _engine_agreement(tflite, features, reference, engines):
    """{engine: True/False, or why it could not run} against TFLM's int8 outputs."""
    out = {}
    for engine in engines:
        if engine == "tflm":
            continue
        try:
            runner = Int8Runner(tflite, engine)
        except Exception as exc:  # an engine without the model's ops refuses it at load
            out[engine] = f"not run: {str(exc).splitlines()[0][:160]}"
            continue
        out[engine] = bool(np.array_equal(runner.raw(features), reference))
    return out


def run(config=None):
    """The whole recipe; returns a summary dict (also <out>/metrics.json)."""
    from earshot.data import split
    from earshot.evaluate import metrics
    from earshot.export.inspect import describe
    from earshot.models.tf import tensorflow
    from earshot.recipes.pipeline import dump_json

    config = config or Config()
    config.sizes()
    tensorflow().keras.utils.set_random_seed(config.seed)
    out = Path(config.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    _say(config, f"[1/5] songs ({config.data or 'synthetic'}), 1 s chunks, Q15 MFCC")
    parts = split(load_songs(config), test_fraction=0.25, val_fraction=0.15, seed=config.seed)
    train, val, test = (chunk_features(p, config) for p in (parts.train, parts.val, parts.test))

    _say(config, f"[2/5] training the LSTM on {len(train[0])} chunks")
    model, history = train_model(config, train, val)

    _say(config, "[3/5] full-int8 conversion, settings embedded")
    tflite = to_int8(config, model, network_input(train[0]))
    front_end, window = config.front_end(), config.chunk_samples()
    model_settings = make(
        tflite, front_end=front_end, window_samples=window, hop_samples=front_end.frames(window) * front_end.hop,
        labels=config.genres,
        target=config.genres[0], float_input="q8.7/128",
        decision={"threshold": 0.0, "smoothing_hops": max(1, config.vote_chunks), "unknown_below": 0.0,
                  "energy_gate_rms": 0, "vote": "majority of chunk decisions per song"},
        model={"name": "lstm_mfcc", "recipe": "music_genre", "params": int(model.count_params()),
               "data": config.data or f"synthetic ({config.size})"})
    tflite = write_model(out, tflite, model_settings)

    _say(config, "[4/5] evaluating float and int8 (TFLM) per chunk and per song")
    te_x, te_y, te_song = test
    int8 = Int8Runner(tflite, "tflm")
    reference = int8.raw(te_x)
    probs = {"float": _classes(model.predict(network_input(te_x), verbose=0)),
             "int8": _classes(int8.predict(te_x))}
    labels = list(config.genres)
    chunks = {name: metrics(te_y, p, labels) for name, p in probs.items()}
    songs = {}
    for name, p in probs.items():
        ids, picks = vote(p, te_song)
        truth = np.array([te_y[te_song == s][0] for s in ids])
        songs[name] = metrics(truth, np.eye(len(labels))[picks], labels)
    agreement = _engine_agreement(tflite, te_x, reference, config.engines)

    _say(config, f"[5/5] report in {out}")
    info = describe(tflite)
    summary = {
        "out": str(out), "seconds": time.perf_counter() - started, "data": model_settings["model"]["data"],
        "params": int(model.count_params()), "tflite_bytes": len(tflite), "ops": sorted({o["op"] for o in info["ops"]}),
        "input_shape": list(info["inputs"][0]["shape"]), "features": model_settings["features"],
        "chunks": chunks, "songs": songs, "agreement": agreement, "history": history, "reference": REFERENCE,
        "counts": {"train_chunks": len(train[0]), "val_chunks": len(val[0]), "test_chunks": len(te_x),
                   "test_songs": int(len(np.unique(te_song)))},
    }
    write_report(out / "report.md", summary)
    dump_json(out / "metrics.json", summary)
    return summary


def _pct(v):
    return "n/a" if v is None else f"{100 * v:.1f}%"


def write_report(path, summary):
    f, ref = summary["features"], summary["reference"]
    lines = [
        "# Music genre (LSTM on Q15 MFCC, int8)", "",
        f"Data: {summary['data']}. {summary['counts']['train_chunks']} training chunks, "
        f"{summary['counts']['test_chunks']} test chunks from {summary['counts']['test_songs']} test songs.", "",
        "| measure | measured | reference |", "| --- | --- | --- |",
        f"| float accuracy (songs, vote) | {_pct(summary['songs']['float']['accuracy'])} | "
        f"{_pct(ref['float_accuracy'])} |",
        f"| int8 accuracy (songs, vote) | {_pct(summary['songs']['int8']['accuracy'])} | "
        f"{_pct(ref['int8_accuracy'])} |",
        f"| float accuracy (1 s chunks) | {_pct(summary['chunks']['float']['accuracy'])} | |",
        f"| int8 accuracy (1 s chunks) | {_pct(summary['chunks']['int8']['accuracy'])} | |",
        f"| model.tflite | {summary['tflite_bytes'] / 1024:.1f} KB | {ref['model_kb']} KB |",
        f"| parameters | {summary['params']:,} | about {ref['params']:,} |", "",
        "## Front end (embedded in the model, features.kind mfcc_q15)", "",
        f"- {f['sample_rate']} Hz, frame {f['frame']}, hop {f['hop']}, FFT {f['fft']}, mel {f['fmin']}-{f['fmax']} Hz, "
        f"{f['bands']} bands, {f['coefficients']} coefficients: input {summary['input_shape']}",
        f"- ops: {', '.join(summary['ops'])}",
        f"- int8 engines against TFLM: {summary['agreement'] or 'only TFLM run'}", "",
        "## Confusion (int8, songs; rows true, columns predicted + unknown)", "",
    ]
    columns = summary["songs"]["int8"]["confusion_columns"]
    lines += ["| | " + " | ".join(columns) + " |", "|" + " --- |" * (len(columns) + 1)]
    for label, row in zip(columns, summary["songs"]["int8"]["confusion"]):
        lines.append(f"| {label} | " + " | ".join(map(str, row)) + " |")
    lines += ["", f"Run time {summary['seconds']:.0f} s."]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
