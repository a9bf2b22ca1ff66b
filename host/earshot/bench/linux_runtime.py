"""firmware/linux: binary size, and the wall time of a mpremote-style round trip."""
import time

from earshot.emulators.linux import BINARY, LinuxBoard

TITLE = "firmware/linux runtime (x86-64; wall times on this machine, for orientation only)"
ROUNDS = 20


def run():
    if not BINARY.exists():
        return [{"what": "firmware/linux", "value": "not built (make firmware)"}]
    rows = [{"what": "binary size", "value": f"{BINARY.stat().st_size} bytes"}]
    start = time.perf_counter()
    with LinuxBoard() as board:
        rows.append({"what": "start to first REPL answer", "value": f"{(time.perf_counter() - start) * 1e3:.0f} ms"})
        start = time.perf_counter()
        for _ in range(ROUNDS):
            board.exec("pass")
        per_exec = (time.perf_counter() - start) / ROUNDS
        rows.append({"what": "raw-REPL exec round trip", "value": f"{per_exec * 1e3:.1f} ms"})
        free = board.eval("__import__('gc').mem_free()")
        rows.append({"what": "heap free at the REPL", "value": f"{free} bytes"})
    return rows
