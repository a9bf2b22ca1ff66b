"""Record from the board's microphone into the dataset folder as a 16 kHz WAV
(<dataset>/<label>/<label>_<date>_<time>.wav). Packets carry a sequence number and a
CRC: lost or damaged packets are reported and the command fails, the WAV is still kept."""
HELP = "record N seconds from the board into the dataset folder (lost packets are reported)"


def add_arguments(parser):
    parser.add_argument("--label", required=True, help="class name: the sub-folder of the dataset")
    parser.add_argument("--seconds", type=int, default=5, help="length of the recording (default 5)")
    parser.add_argument("--dataset", default="data", help="dataset folder (default ./data)")
    parser.add_argument("--port", help="serial port or pty of the board (default: the Pico on USB, or $EARSHOT_PORT)")
    parser.add_argument("--source", help="override the board's audio source (pdm, adc, i2s, wav)")


def run(args):
    import re
    import time
    from pathlib import Path

    import soundfile

    from earshot.deploy.board import Board
    from earshot.deploy.record import RECORD_RATE, receive
    from earshot.errors import DataError

    if not re.fullmatch(r"[A-Za-z0-9_.-]+", args.label):
        raise DataError(f"label {args.label!r} must be letters, digits, '_', '-' or '.'")
    if not 0 < args.seconds <= 3600:
        raise DataError("--seconds must be 1..3600")
    with Board(args.port) as board:
        rec = receive(board, args.seconds, source=args.source)
    folder = Path(args.dataset) / args.label
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{args.label}_{time.strftime('%Y%m%d_%H%M%S')}.wav"
    soundfile.write(path, rec.samples, RECORD_RATE, subtype="PCM_16")
    print(f"{path}: {len(rec.samples) / RECORD_RATE:.2f} s, {rec.packets} packets, "
          f"{rec.lost} lost, {rec.corrupted} damaged")
    if not rec.clean:
        print(f"earshot: warning: the recording has gaps ({rec.lost} packets lost, {rec.corrupted} damaged)")
        return 1
    return 0
