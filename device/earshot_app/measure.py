"""Measurements of the running app on a board (the bench and the tests): allocation
across hops, per-stage time and the heap the app holds. Its own module, so the
listening app never holds this code. It imports the app only when called, so on a
fresh board the app's own code is counted too ("heap_code")."""
import gc


def _start(config_path):
    """(app module, App on a looping WAV source, source), or None when boot refused."""
    from . import app as A

    app = A.boot(config_path)
    if app is None:
        return None
    config = dict(app.config)
    config["source"] = "wav"
    config["loop"] = True
    app.config = config
    return A, app, A.open_source(app)


def allocation_check(hops=1000, config_path="config.json"):
    """Bytes allocated by `hops` hops of the loop (WAV source, looping, lines on):
    prints {"hops":n,"allocated":bytes}. The loop is meant to allocate nothing."""
    started = _start(config_path)
    if started is None:
        return
    _, app, source = started
    app.run(source, 2)  # first calls may cache attribute lookups
    gc.collect()
    gc.disable()
    before = gc.mem_alloc()
    app.run(source, hops)
    allocated = gc.mem_alloc() - before
    gc.enable()
    source.close()
    print('{"hops":%d,"allocated":%d,"heap_used":%d,"heap_free":%d}'
          % (hops, allocated, gc.mem_alloc(), gc.mem_free()))


def profile(hops=20, config_path="config.json"):
    """Per-stage time of `hops` hops on the WAV source (looping), and the heap the
    running app holds: prints one JSON line. Cycles where the port counts them
    (time.ticks_cpu on the emulated RP2040), else microseconds. heap_code: the app's
    Python modules (0 when already imported); heap_app: what boot and the source add."""
    gc.collect()
    heap_start = gc.mem_alloc()
    from . import app as A  # noqa: F401 - imported here so its code is measured

    gc.collect()
    heap_before = gc.mem_alloc()
    started = _start(config_path)
    if started is None:
        return
    _, app, source = started
    gc.collect()
    heap_app = gc.mem_alloc() - heap_before
    unit = "us"
    try:
        import machine
        from time import ticks_cpu
        if hasattr(machine, "cycles"):
            app.clock = ticks_cpu
            unit = "cycles"
    except ImportError:
        pass
    gc.collect()
    gc.disable()
    before = gc.mem_alloc()
    app.run(source, hops, quiet=True, profile=True)
    allocated = gc.mem_alloc() - before
    gc.enable()
    source.close()
    s = app.stages
    e = app.engine
    print('{"unit":"%s","hops":%d,"front_end":%d,"input":%d,"inference":%d,"decision":%d,'
          '"inferences":%d,"allocated":%d,"heap_app":%d,"heap_code":%d,"heap_free":%d,"ring":%d,"arena":%d,'
          '"model_bytes":%d}'
          % (unit, hops, s[0], s[1], s[2], s[3], app.inferences, allocated, heap_app, heap_before - heap_start,
             gc.mem_free(), 2 * len(e.ring) + e.window_bytes, getattr(e.model, "arena_size", -1), app.model_bytes))
