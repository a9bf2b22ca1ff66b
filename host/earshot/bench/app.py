"""The whole app on the emulated RP2040 (Cortex-M0+, 125 MHz): cycles per 32 ms hop
split into front end / input forming / inference / decision, share of the budget,
and the heap the running app holds (modules, model, arena, buffers)."""
TITLE = "board app per hop on the emulated RP2040 (goal: <= 8 ms of the 32 ms hop, <= 96 KB heap)"

HOPS = 10
CLOCK_HZ = 125_000_000
HOP_BUDGET_MS = 32
GOAL_MS = 8
GOAL_HEAP = 96 * 1024


def measure(port, model_path, hops=HOPS, cores=1):
    """Deploys the app, the modules, `model_path` and an alarm recording, then runs
    measure.profile() on the board (with config "cores": 2, on both cores); returns its
    JSON numbers."""
    import io
    import json

    import soundfile

    from earshot.data import synth
    from earshot.deploy import arch, files
    from earshot.deploy.board import Board

    audio, _ = synth.alarm_in_noise(2.0, bursts_at=(0.2,), seed=1)
    wav = io.BytesIO()
    soundfile.write(wav, audio, 16000, format="WAV", subtype="PCM_16")
    with Board(port) as board:
        plan = files.plan(arch.board_abi(board), model_path)
        files.copy(board, plan, report=lambda line: None)
        files._write_atomically(board, "/test.wav", wav.getvalue())
        files._write_atomically(board, "/config.json", json.dumps({"cores": cores}).encode())
    with Board(port) as board:  # soft reset: an unfragmented heap, as after power-up
        out = board.exec(f"from earshot_app import measure\nmeasure.profile({hops})", timeout=600)
    lines = [line for line in out.splitlines() if line.startswith("{")]
    result = json.loads(lines[-1])
    if "error" in result:
        raise RuntimeError(f"the board refused: {result['error']}")
    return result


def rows_from(result, model_name):
    hops = result["hops"]
    per_hop = {k: result[k] / hops for k in ("front_end", "input", "inference", "decision")}
    if result["unit"] == "us":
        per_hop = {k: v * CLOCK_HZ / 1e6 for k, v in per_hop.items()}
    rows = []
    for stage, cycles in list(per_hop.items()) + [("whole hop", sum(per_hop.values()))]:
        ms = cycles / CLOCK_HZ * 1000
        rows.append({"model": model_name, "stage": stage, "cycles/hop": f"{cycles:,.0f}", "ms": f"{ms:.2f}",
                     "share of 32 ms": f"{100 * ms / HOP_BUDGET_MS:.1f}%",
                     "goal": f"<= {GOAL_MS} ms" if stage == "whole hop" else ""})
    total = result["heap_app"] + result.get("heap_code", 0)
    rows.append({"model": model_name, "stage": "heap held by the app", "cycles/hop": "",
                 "ms": f"{total / 1024:.1f} KB", "share of 32 ms": "",
                 "goal": f"<= {GOAL_HEAP // 1024} KB ({result['heap_free'] // 1024} KB left free)"})
    rows.append({"model": model_name, "stage": "  app code", "cycles/hop": "",
                 "ms": f"{result.get('heap_code', 0) / 1024:.1f} KB: the app's Python modules (earshot_app)",
                 "share of 32 ms": "", "goal": ""})
    rows.append({"model": model_name, "stage": "  app running", "cycles/hop": "",
                 "ms": f"{result['heap_app'] / 1024:.1f} KB: boot and source (native modules, model, arena, buffers)",
                 "share of 32 ms": "", "goal": ""})
    rows.append({"model": model_name, "stage": "  of which", "cycles/hop": "",
                 "ms": f"columns {result['ring'] / 1024:.1f} KB, arena {result['arena'] / 1024:.1f} KB, "
                       f"model {result['model_bytes'] // 1024} KB, the rest module code and buffers",
                 "share of 32 ms": "", "goal": ""})
    rows.append({"model": model_name, "stage": f"heap allocated by {hops} hops", "cycles/hop": "",
                 "ms": f"{result['allocated']} bytes", "share of 32 ms": "", "goal": "0"})
    if result["inferences"] != hops:
        rows.append({"model": model_name, "stage": f"note: {hops - result['inferences']} of {hops} hops "
                     "under the energy gate", "cycles/hop": "", "ms": "", "share of 32 ms": "", "goal": ""})
    return rows


def models():
    from earshot.paths import CHECKOUT_DIR

    candidates = [CHECKOUT_DIR / "runs" / "demo" / "model.tflite",
                  CHECKOUT_DIR / "tests" / "fixtures" / "app" / "demo_fire_alarm.tflite",
                  CHECKOUT_DIR / "tests" / "fixtures" / "app" / "alarm_cnn.tflite"]
    return [p for p in candidates if p.exists()][:1]


def run():
    from earshot.emulators.rp2040 import Rp2040Board

    rows = []
    for model in models():
        with Rp2040Board() as emulator:
            rows += rows_from(measure(emulator.port, model), model.name)
            two = rows_from(measure(emulator.port, model, cores=2), f"{model.name}, cores=2")
            rows += [r for r in two if r["cycles/hop"] or r["stage"] == "heap held by the app"]
    return rows
