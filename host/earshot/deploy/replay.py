"""Replay: the host streams a recording into the board's host-stream source, collects
its decision lines, and compares them with HostBoard's prediction, hop by hop."""
import hashlib
import json
import struct

import numpy as np

from earshot.deploy.board import ProgramOutput
from earshot.deploy.predict import HostBoard
from earshot.errors import DataError, DeviceError

COMPARED = ("t", "hop", "rms", "scores", "smoothed", "label")


class ReplayResult:
    def __init__(self, board_rows, host_rows, board_events):
        self.board_rows = board_rows
        self.host_rows = host_rows
        self.board_events = board_events
        self.differences = [k for k in range(max(len(board_rows), len(host_rows)))
                            if k >= len(board_rows) or k >= len(host_rows)
                            or any(board_rows[k].get(f) != host_rows[k][f] for f in COMPARED)]

    @property
    def identical(self):
        return not self.differences and len(self.board_rows) == len(self.host_rows) > 0


def load_inputs(wav_path, model_path):
    import soundfile

    try:
        audio, rate = soundfile.read(wav_path, dtype="int16", always_2d=True)
    except (OSError, RuntimeError) as exc:
        raise DataError(f"cannot read {wav_path}: {exc}") from exc
    try:
        model_bytes = open(model_path, "rb").read()
    except OSError as exc:
        raise DataError(f"cannot read the model {model_path}: {exc.strerror}",
                        hint="pass --model, the same file you deployed") from exc
    host = HostBoard(model_bytes)
    if rate != host.settings.sample_rate:
        raise DataError(f"{wav_path} is {rate} Hz, the model wants {host.settings.sample_rate} Hz")
    return audio[:, 0].copy(), model_bytes


def check_board_model(board, model_bytes):
    """DeviceError unless the board's model is this one (the deploy manifest's hash)."""
    from earshot.deploy import files

    try:
        manifest = json.loads(board.exec(f"print(open({files.MANIFEST_PATH!r}).read())"))
    except (DeviceError, ValueError):
        manifest = {}
    if manifest.get(files.MODEL_PATH) != hashlib.sha256(model_bytes).hexdigest():
        raise DeviceError("the board does not run this model",
                          hint="deploy it first: earshot deploy --model <the same file>")


def stream(board, audio, hop_samples, idle_timeout=60):
    """Runs app.replay() on the board; returns (decision rows, event rows)."""
    rows, events = [], []
    blocks = iter(range(len(audio) // hop_samples))
    board.start("from earshot_app import app\napp.replay()")
    output = ProgramOutput(board, idle_timeout=idle_timeout)
    for line in output:
        if not line.startswith("{"):
            continue
        msg = json.loads(line)
        if "need" in msg:
            k = next(blocks, None)
            if k is None:
                board.write(struct.pack("<H", 0))
            else:
                data = audio[k * hop_samples:(k + 1) * hop_samples].astype("<i2").tobytes()
                board.write(struct.pack("<H", len(data)) + data)
        elif "error" in msg:
            raise DeviceError(f"board: {msg['error']}")
        elif "event" in msg:
            events.append(msg)
        elif "hop" in msg:
            rows.append(msg)
    return rows, events


def replay(board, model_bytes, audio):
    check_board_model(board, model_bytes)
    host = HostBoard(model_bytes)
    board_rows, board_events = stream(board, np.asarray(audio, dtype=np.int16), host.settings.hop_samples)
    return ReplayResult(board_rows, host.predict(audio), board_events)


def print_side_by_side(result, quiet=False, out=print):
    out(f"{'hop':>5} {'t ms':>6}  {'board scores':<18} {'board label':<12} {'host scores':<18} {'host label':<12}")
    for k in range(max(len(result.board_rows), len(result.host_rows))):
        b = result.board_rows[k] if k < len(result.board_rows) else {}
        h = result.host_rows[k] if k < len(result.host_rows) else {}
        differs = k in result.differences
        if quiet and not differs:
            continue
        out(f"{k:>5} {h.get('t', b.get('t', '')):>6}  {str(b.get('scores', '-')):<18} {b.get('label', '-'):<12} "
            f"{str(h.get('scores', '-')):<18} {h.get('label', '-'):<12}{'  <- differs' if differs else ''}")
    for e in result.board_events:
        out(f"event: {e['event']} {e['label']} at {e['t']} ms (hop {e['hop']})")
    verdict = "identical" if result.identical else f"{len(result.differences)} hops differ"
    out(f"{len(result.board_rows)} hops from the board, {len(result.host_rows)} from the host: {verdict}")
