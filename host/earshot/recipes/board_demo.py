"""The last leg of `make demo`: the trained model on the emulated RP2040.

Boots our MicroPython port under rp2040js, deploys the modules, the app and the model
with the same code as `earshot deploy`, replays a synthetic scene (smoke-alarm bursts
in noise) through the board's host-stream source as `earshot replay` does, and checks
that the board's decisions equal the host's hop by hop and that the alarm events come
out where the beeps are.
"""
import hashlib
from pathlib import Path

from earshot.errors import DeviceError

SCENE_SECONDS = 8.0
BURSTS_AT = (1.5, 5.0)
SCENE_SNR_DB = 10.0


def _events(board_events, label):
    starts = [e["t"] / 1000 for e in board_events if e["event"] == "start" and e["label"] == label]
    stops = [e["t"] / 1000 for e in board_events if e["event"] == "stop" and e["label"] == label]
    return starts, stops


def run(model_path, out, target="fire_alarm", seconds=SCENE_SECONDS, bursts_at=BURSTS_AT, seed=0, say=print):
    """Returns a summary dict; writes scene.wav and board_replay.txt into `out`."""
    from earshot.data import synth, write_wav
    from earshot.deploy import arch, files, replay
    from earshot.deploy.board import Board
    from earshot.emulators.rp2040 import CLOCK_HZ, Rp2040Board

    out = Path(out)
    audio, bursts = synth.alarm_in_noise(seconds, bursts_at=bursts_at, snr_db=SCENE_SNR_DB, seed=seed)
    write_wav(out / "scene.wav", audio)
    model_bytes = Path(model_path).read_bytes()
    lines = []
    with Rp2040Board() as emulator:
        say(f"  emulated RP2040 booted in {emulator.boot_cycles:,} cycles, {emulator.mem_free():,} bytes free")
        cycles_before = int(emulator.eval("__import__('machine').cycles()"))
        with Board(emulator.port) as board:
            abi = arch.board_abi(board)
            plan = files.plan(abi, str(model_path))
            copied, _ = files.copy(board, plan, report=lambda *_: None)
            say(f"  deployed {len(copied)} files for {abi}: " + ", ".join(copied))
            result = replay.replay(board, model_bytes, audio)
        cycles = int(emulator.eval("__import__('machine').cycles()")) - cycles_before
    replay.print_side_by_side(result, out=lines.append)
    (out / "board_replay.txt").write_text("\n".join(lines) + "\n")
    if not result.board_rows:
        raise DeviceError("the emulated board made no decisions during the replay")
    starts, stops = _events(result.board_events, target)
    return {
        "scene": str(out / "scene.wav"),
        "model_sha256": hashlib.sha256(model_bytes).hexdigest(),
        "bursts": bursts,
        "hops": len(result.board_rows),
        "identical": result.identical,
        "differences": len(result.differences),
        "alarm_starts": starts,
        "alarm_stops": stops,
        "emulated_seconds": round(cycles / CLOCK_HZ, 2),
    }


def summary_lines(board):
    bursts = ", ".join(f"{a:.2f}-{b:.2f} s" for a, b in board["bursts"])
    starts = ", ".join(f"{t:.2f} s" for t in board["alarm_starts"]) or "none"
    verdict = "identical" if board["identical"] else f"{board['differences']} hops DIFFER"
    return [f"emulated RP2040: {board['hops']} hops replayed, board vs host decisions {verdict}",
            f"  alarm bursts at {bursts}; the board raised fire_alarm at {starts}",
            f"  side by side: {Path(board['scene']).parent}/board_replay.txt"]
