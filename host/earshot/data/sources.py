"""Loaders: a folder per label, the ESC-50 layout, Audacity label tracks."""
import csv
import logging
from pathlib import Path

from earshot.data.clip import Clip, recording_id
from earshot.data.wav import SAMPLE_RATE, read_wav
from earshot.errors import DataError

log = logging.getLogger("earshot.data")

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg")
PROGRESS_FROM = 200  # files; smaller loads finish before a bar helps


def load_folder(root, progress=None):
    """Every audio file under root/<label>/ (any depth) as a Clip labelled <label>.

    The group is <label>/<file stem before `_chunk`>. Unreadable files are logged by
    name and skipped; the number skipped is logged once at the end.
    """
    root = Path(root)
    if not root.is_dir():
        raise DataError(f"{root}: not a folder", hint="give a folder with one sub-folder per label")
    items = [(label_dir.name, path)
             for label_dir in sorted(p for p in root.iterdir() if p.is_dir())
             for path in sorted(label_dir.rglob("*")) if path.suffix.lower() in AUDIO_SUFFIXES]
    if not items:
        raise DataError(f"{root}: no audio files in sub-folders", hint="expected root/<label>/<file>.wav")
    clips = []
    for label, path in _progress(items, progress, f"reading {root.name}"):
        audio = _read_or_skip(path)
        if audio is not None:
            clips.append(Clip(audio, label, f"{label}/{recording_id(path.stem)}", None, str(path)))
    _report_skipped(root, len(items) - len(clips))
    return clips


def load_esc50(root, categories=None, relabel=None, progress=None):
    """Clips of an ESC-50-style dataset: root/meta/esc50.csv or root/meta.csv, audio in root/audio/.

    Columns used: filename, fold, category (else target), src_file (else the file name).
    `categories` keeps only those categories; `relabel` maps a category to the label to
    use (a dict, missing keys keep their name, or a function). The group is src_file
    before `_chunk`, so chunks of one recording stay together.
    """
    root = Path(root)
    meta = next((p for p in (root / "meta" / "esc50.csv", root / "meta.csv") if p.is_file()), None)
    if meta is None:
        raise DataError(f"{root}: no meta/esc50.csv or meta.csv", hint="point at the dataset's top folder")
    rows = _read_meta(meta)
    if categories is not None:
        wanted = set(categories)
        unknown = wanted - {r["category"] for r in rows}
        if unknown:
            raise DataError(f"{meta}: no clips of categories {sorted(unknown)}")
        rows = [r for r in rows if r["category"] in wanted]
    clips = []
    for row in _progress(rows, progress, f"reading {root.name}"):
        audio = _read_or_skip(root / "audio" / row["filename"])
        if audio is not None:
            clips.append(Clip(audio, _relabel(row["category"], relabel), recording_id(row["src_file"]),
                              row["fold"], str(root / "audio" / row["filename"])))
    _report_skipped(root, len(rows) - len(clips))
    return clips


def load_audacity(wav_path, labels_path, rate=SAMPLE_RATE):
    """The labelled regions of a recording as Clips (label file: start<TAB>end<TAB>label, seconds).

    Audacity's spectral-selection lines (starting with a backslash) are ignored; point
    labels and regions outside the recording are refused with their line number.
    """
    audio = read_wav(wav_path, rate)
    labels_path = Path(labels_path)
    try:
        lines = labels_path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{labels_path}: cannot read label track: {exc}") from exc
    group = recording_id(Path(wav_path).stem)
    clips = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("\\"):
            continue
        start, end, label = _parse_label(labels_path, number, line)
        first, last = round(start * rate), round(end * rate)
        if last <= first or first < 0 or last > len(audio) + 1:
            raise DataError(f"{labels_path}:{number}: region {start}-{end} s is empty or outside "
                            f"the {len(audio) / rate:.2f} s recording")
        clips.append(Clip(audio[first:last].copy(), label, group, None, str(wav_path)))
    if not clips:
        raise DataError(f"{labels_path}: no labelled regions")
    return clips


def _parse_label(path, number, line):
    fields = line.split("\t")
    if len(fields) < 3 or not fields[2].strip():
        raise DataError(f"{path}:{number}: expected start<TAB>end<TAB>label, got {line!r}")
    try:
        return float(fields[0]), float(fields[1]), fields[2].strip()
    except ValueError as exc:
        raise DataError(f"{path}:{number}: start and end must be seconds, got {line!r}") from exc


def _read_meta(meta):
    with open(meta, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = {"filename", "fold"} - set(reader.fieldnames or ())
        if missing or not {"category", "target"} & set(reader.fieldnames or ()):
            raise DataError(f"{meta}: needs columns filename, fold and category or target; "
                            f"has {reader.fieldnames}")
        rows = []
        for line, row in enumerate(reader, 2):
            try:
                fold = int(row["fold"])
            except ValueError as exc:
                raise DataError(f"{meta}:{line}: fold must be a number, got {row['fold']!r}") from exc
            rows.append({"filename": row["filename"], "fold": fold,
                         "category": row.get("category") or row["target"],
                         "src_file": row.get("src_file") or Path(row["filename"]).stem})
    return rows


def _relabel(category, relabel):
    if relabel is None:
        return category
    if callable(relabel):
        return relabel(category)
    return relabel.get(category, category)


def _read_or_skip(path):
    try:
        return read_wav(path)
    except DataError as exc:
        log.warning("skipped %s", exc)
        return None


def _report_skipped(root, skipped):
    if skipped:
        log.warning("%s: skipped %d unreadable file(s), named above", root, skipped)


def _progress(items, progress, desc):
    if progress is None:
        progress = len(items) >= PROGRESS_FROM
    if not progress:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="file")
