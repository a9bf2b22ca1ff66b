"""interp on the emulated RP2040: cycles per op and per MAC, arena, against the anchors.

Anchors (same emulator, TFLM + CMSIS-NN as pico-tflmicro builds them): fire-alarm CNN
with resize 15.8 ms, on 32x32 input 13.4 ms, DS-CNN-S 281 ms; goal 4x faster.
Per-op cycles come from m.profile(machine.cycles) (approximate: the clock call's own
cost is estimated), totals from machine.cycles() around one m.invoke(); firmware/rp2040
at 125 MHz. Every model runs on the same seeded random int8 input (input_bytes): the
kernels' time depends a little on the data (sums <= 0 under a ReLU are cheaper).

Size: on the board interp.mpy (the core) imports the op modules interp_<group>.mpy a
model needs; their code is copied to RAM. Goal: the core and, per model, the core plus
its op modules ("loaded") at most 24 KB.
"""
import numpy as np

from earshot.paths import BUILD_DIR, CHECKOUT_DIR

TITLE = "interp: int8 inference on the emulated RP2040 (Cortex-M0+ at 125 MHz)"
FIXTURES = CHECKOUT_DIR / "tests" / "fixtures" / "interp"
MODELS = {  # fixture -> anchor ms (TFLM + CMSIS-NN), None when there is none
    "fire_alarm": 15.8,
    "fire_alarm_32": 13.4,
    "ds_cnn_s": 281.0,
    "zoo_fire_alarm_cnn": None,
    "zoo_ds_cnn": None,
    "zoo_mfcc_cnn": None,
    "zoo_lstm_mfcc": None,
}
GOAL_SPEEDUP = 4.0
GOAL_BYTES = 24576


def mpy_size(name, arch="armv6m"):
    return (BUILD_DIR / "mpy" / arch / f"{name}.mpy").stat().st_size


def loaded_modules(name):
    """interp and the op modules the fixture model `name` makes it import."""
    from earshot.deploy import interp_modules

    return interp_modules.loaded_modules((FIXTURES / f"{name}.tflite").read_bytes())


def size_rows(arch="armv6m"):
    """(module or model, what, bytes): the core, each op module, and per model of MODELS
    the native code it loads."""
    from earshot.deploy.interp_modules import NAMES_MODULE, OP_MODULES

    rows = [("interp.mpy", "core", mpy_size("interp", arch))]
    rows += [(f"{m}.mpy", "op module", mpy_size(m, arch)) for m in OP_MODULES]
    rows.append((f"{NAMES_MODULE}.mpy", "op names and error texts (imported only by an error)", mpy_size(NAMES_MODULE, arch)))
    for name in MODELS:
        modules = loaded_modules(name)
        rows.append((name, "loaded: " + " + ".join(modules), sum(mpy_size(m, arch) for m in modules)))
    return rows


def op_macs(tflite):
    """MACs of each op, in graph order (0 for ops without multiply-accumulates)."""
    from earshot.export.inspect import describe

    counts = []
    for op in describe(tflite)["ops"]:
        out = op["outputs"][0]
        if op["op"] == "CONV_2D":
            w = op["inputs"][1]
            counts.append(int(np.prod(out)) * w[1] * w[2] * w[3])
        elif op["op"] == "DEPTHWISE_CONV_2D":
            w = op["inputs"][1]
            counts.append(int(np.prod(out)) * w[1] * w[2])
        elif op["op"] == "FULLY_CONNECTED":
            w = op["inputs"][1]
            counts.append(int(np.prod(out[:-1] or [1])) * w[0] * w[1])
        elif op["op"] == "UNIDIRECTIONAL_SEQUENCE_LSTM":
            units, features = op["inputs"][1]  # the input gate's weights
            counts.append(int(np.prod(out[:-1])) * 4 * units * (features + units))
        else:
            counts.append(0)
    return counts


def input_bytes(n):
    """The benchmark's input: n int8 values, uniform over [-128, 127], the same every run."""
    return np.random.default_rng(0).integers(-128, 128, n, dtype=np.int8).tobytes()


def profile_on_board(names, cores=1):
    """{name: (arena bytes, [(op, cycles), ...], total cycles)}, each on input_bytes;
    with cores=2 on both cores (interp_cores.mpy)."""
    from earshot.deploy.interp_modules import OP_MODULES
    from earshot.emulators.rp2040 import Rp2040Board

    fill = "with open('x.bin', 'rb') as f:\n    f.readinto(m.input(0))\n"  # invoke() may overwrite the input
    results = {}
    with Rp2040Board(cycles_limit=60_000_000_000) as board:
        for module in ("interp", *OP_MODULES, "interp_cores"):
            board.write_file(f"{module}.mpy", (BUILD_DIR / "mpy" / "armv6m" / f"{module}.mpy").read_bytes(),
                             timeout=120)
        board.exec("import interp, machine, gc")
        for name in names:
            board.write_file("m.tflite", (FIXTURES / f"{name}.tflite").read_bytes(), timeout=120)
            board.exec("m = None\ngc.collect()\nwith open('m.tflite', 'rb') as f:\n    d = f.read()\n"
                       f"m = interp.Model(d, cores={cores})\nm.invoke()", timeout=300)
            board.write_file("x.bin", input_bytes(board.eval("len(m.input(0))")), timeout=120)
            # Collected first: a collection the clock's big ints would trigger is not inference.
            board.exec(fill + "gc.collect()\nc0 = machine.cycles()\nm.invoke()\nc1 = machine.cycles()", timeout=300)
            board.exec(fill, timeout=60)
            results[name] = (board.eval("m.arena_size"), board.eval("m.profile(machine.cycles)", timeout=300),
                             board.eval("c1 - c0"))
    return results


def run():
    from earshot.emulators.rp2040 import CLOCK_HZ

    rows = [{"model": what, "op": module, "macs": "", "cycles": "", "cycles/MAC": "", "ms": "",
             "arena": f"{size} B" + (f" (goal <= {GOAL_BYTES})" if what == "core" or module in MODELS else ""),
             "vs anchor": ""} for module, what, size in size_rows()]
    profiles = profile_on_board(list(MODELS))
    for name, anchor_ms in MODELS.items():
        arena, ops, total = profiles[name]
        macs = op_macs((FIXTURES / f"{name}.tflite").read_bytes())
        for (op, cycles), n in zip(ops, macs):
            rows.append({"model": name, "op": op, "macs": n or "", "cycles": cycles,
                         "cycles/MAC": f"{cycles / n:.1f}" if n else "", "ms": f"{cycles / CLOCK_HZ * 1e3:.2f}",
                         "arena": "", "vs anchor": ""})
        ms = total / CLOCK_HZ * 1e3
        ratio = f"{anchor_ms / ms:.2f}x faster (goal {GOAL_SPEEDUP:.0f}x)" if anchor_ms else ""
        rows.append({"model": name, "op": "total", "macs": sum(macs), "cycles": total,
                     "cycles/MAC": f"{total / sum(macs):.1f}" if sum(macs) else "", "ms": f"{ms:.2f}",
                     "arena": f"{arena} B", "vs anchor": ratio})
    rows += two_core_rows(profiles)
    return rows


# Models whose convolutions or LSTM take halves; on the RP2040's second core as well (cores=2).
TWO_CORE_MODELS = ["fire_alarm", "fire_alarm_32", "ds_cnn_s", "zoo_ds_cnn", "zoo_mfcc_cnn", "zoo_lstm_mfcc"]


def two_core_rows(one):
    """Totals on both cores, against `one` (profile_on_board's single-core results)."""
    from earshot.emulators.rp2040 import CLOCK_HZ

    two = profile_on_board(TWO_CORE_MODELS, cores=2)
    rows = []
    for name in TWO_CORE_MODELS:
        arena, _, total = two[name]
        ms = total / CLOCK_HZ * 1e3
        anchor_ms = MODELS[name]
        ratio = f"{anchor_ms / ms:.2f}x faster (goal {GOAL_SPEEDUP:.0f}x)" if anchor_ms else ""
        rows.append({"model": f"{name} (cores=2)", "op": f"total, {one[name][2] / total:.2f}x one core",
                     "macs": "", "cycles": total, "cycles/MAC": "", "ms": f"{ms:.2f}", "arena": f"{arena} B",
                     "vs anchor": ratio})
    return rows
