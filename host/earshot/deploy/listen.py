"""`earshot listen`: the board's decision lines as terminal bars and CSV rows."""
import csv
import json

from earshot.deploy.board import ProgramOutput
from earshot.errors import DeviceError

BAR_WIDTH = 30


def bar(permille, width=BAR_WIDTH):
    filled = max(0, min(width, permille * width // 1000))
    return "#" * filled + "." * (width - filled)


def format_decision(msg, labels):
    cells = [f"{name[:10]:>10} {bar(score)} {score:4d}" for name, score in zip(labels, msg["smoothed"])]
    return f"{msg['t'] / 1000:8.2f}s  " + "  ".join(cells) + f"  -> {msg['label']}"


def listen(board, csv_path=None, seconds=None, source=None, out=print):
    """Starts the app's loop on the board and shows its lines; returns the decisions seen."""
    kind = "None" if source is None else repr(source)
    labels = []
    board.start(f"from earshot_app import app\napp.listen({kind})")
    writer = None
    handle = open(csv_path, "a", newline="") if csv_path else None
    decisions = []
    try:
        for line in ProgramOutput(board):
            if not line.startswith("{"):
                continue
            msg = json.loads(line)
            if "error" in msg:
                raise DeviceError(f"board: {msg['error']}")
            if "labels" in msg:
                labels = msg["labels"]
                if handle is not None:
                    writer = csv.writer(handle)
                    if handle.tell() == 0:
                        writer.writerow(["t_ms", "hop", "rms", "label", "us", "overruns"]
                                        + [f"score_{n}" for n in labels] + [f"smoothed_{n}" for n in labels])
                continue
            if "event" in msg:
                out(f"{msg['t'] / 1000:8.2f}s  {msg['event']} {msg['label']}")
                continue
            if "hop" not in msg:
                continue
            decisions.append(msg)
            out(format_decision(msg, labels))
            if writer is not None:
                writer.writerow([msg["t"], msg["hop"], msg["rms"], msg["label"], msg["us"], msg["overruns"]]
                                + msg["scores"] + msg["smoothed"])
            if seconds is not None and msg["t"] >= seconds * 1000:
                break
    finally:
        if handle is not None:
            handle.close()
    return decisions
