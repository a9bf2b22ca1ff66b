"""The board application: boot checks, the listening loop and replay (the recorder is in
recorder.py, measurements in measure.py: the listening app does not hold their code).

Boot never ends in a crash loop: whatever is missing or wrong becomes one JSON line
    {"error":"<what and what to do>","code":<n>}
on serial and <n> blinks of the LED, then the board returns to the REPL, where
`earshot deploy` can fix it. Blink codes: 1 app missing (main.py), 2 config.json,
3 native module, 4 model file, 5 model settings, 6 audio source, 7 unexpected error.
"""
import gc
import sys

from . import decide, report

BLINK_CODES = {"config": 2, "module": 3, "model": 4, "settings": 5, "source": 6, "crash": 7}
DEFAULT_CONFIG = {
    "model": "model.tflite",
    "source": "pdm",
    "pins": {"pdm_clock": 3, "pdm_data": 2, "adc": 26, "i2s_sck": 16, "i2s_ws": 17, "i2s_sd": 18},
    "led": 25,
    "wav": "test.wav",
    "loop": False,
}

try:
    from time import ticks_diff, ticks_us
except ImportError:  # CPython
    from time import perf_counter_ns

    def ticks_us():
        return perf_counter_ns() // 1000

    def ticks_diff(a, b):
        return a - b


class BootError(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.code = BLINK_CODES[kind]


def load_config(path="config.json"):
    """DEFAULT_CONFIG, then the profile named by "board", then the file's own keys."""
    from . import minijson

    config = {}
    for key, value in DEFAULT_CONFIG.items():
        config[key] = dict(value) if isinstance(value, dict) else value
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return config
    try:
        user = minijson.loads(text)
    except ValueError as exc:
        raise BootError("config", "%s is not valid JSON (%s): fix it or delete it" % (path, exc))
    if not isinstance(user, dict):
        raise BootError("config", "%s must hold a JSON object" % path)
    profile = {}
    if "board" in user:
        profile = user.get("profiles", {}).get(user["board"])
        if not isinstance(profile, dict):
            raise BootError("config", "%s: board %r has no entry in profiles" % (path, user["board"]))
    for layer in (profile, user):
        for key, value in layer.items():
            if isinstance(value, dict) and isinstance(config.get(key), dict):
                config[key].update(value)
            else:
                config[key] = value
    config.pop("profiles", None)  # resolved above; the running app would only hold them
    return config


def _import_native(name):
    try:
        return __import__(name)
    except (ImportError, ValueError) as exc:
        # ValueError: "incompatible .mpy file" (wrong architecture or version)
        raise BootError("module", "native module %s cannot be imported (%s): run earshot deploy"
                        % (name, exc))


class Led:
    """PWM brightness on the board's LED; does nothing where there is no machine.PWM."""

    def __init__(self, pin):
        self.pwm = None
        self.pin = None
        if pin is None:
            return
        try:
            from machine import PWM, Pin
            self.pin = Pin(pin, Pin.OUT)
            self.pwm = PWM(self.pin)
            self.pwm.freq(1000)
        except (ImportError, AttributeError, ValueError, TypeError, OSError):
            self.pwm = None

    def set_permille(self, level):
        if self.pwm is not None:
            self.pwm.duty_u16(level * 65535 // 1000 if 0 < level < 1000 else (65535 if level > 0 else 0))

    def blink(self, count, rounds=3):
        if self.pwm is None:
            return
        from time import sleep_ms
        for _ in range(rounds):
            for _ in range(count):
                self.set_permille(1000)
                sleep_ms(150)
                self.set_permille(0)
                sleep_ms(250)
            sleep_ms(1000)


class App:
    """Everything the loop needs, made once: no allocation per hop afterwards."""

    def __init__(self, config):
        from . import engine

        self.config = config
        self.pcm = _import_native("pcm")
        frontend = _import_native("frontend")
        interp = _import_native("interp")
        path = config.get("model", "model.tflite")
        try:
            with open(path, "rb") as f:
                model_bytes = f.read()
        except OSError:
            raise BootError("model", "no %s on the board: run earshot deploy --model <file>" % path)
        self.model_bytes = len(model_bytes)
        try:
            # The engine keeps its window in the input; "cores": 2 runs the convolutions on both
            # of the RP2040's cores (interp_cores.mpy).
            model = interp.Model(model_bytes, keep_input=True, cores=config.get("cores", 1))
        except (ValueError, OSError, MemoryError, ImportError) as exc:  # ImportError: an op module is missing
            raise BootError("model", "%s cannot be loaded: %s" % (path, exc))
        from . import settings as model_settings  # boot only: unloaded once the app runs

        try:
            self.settings = _Values(model_settings.from_metadata(model.metadata("earshot")))
        except model_settings.SettingsError as exc:
            raise BootError("settings", "%s: %s" % (path, exc))
        mfcc = _import_native("mfcc") if self.settings.mfcc else None
        try:
            self.engine = engine.Engine(self.settings, model, frontend, mfcc)
        except (ValueError, OSError) as exc:
            raise BootError("settings", "%s does not fit this app: %s" % (path, exc))
        self.decider = decide.Decider(self.settings, self.engine.output_quant)
        self.reporter = report.Reporter(self.settings.labels, _stdout_write())
        self.led = Led(config.get("led"))
        self.block = bytearray(2 * self.settings.hop_samples)
        # a hop's real-time budget; config "budget_us" narrows it (tests, spare CPU for other work)
        self.budget_us = config.get("budget_us") or self.settings.hop_samples * 1000000 // self.settings.sample_rate
        self.hop = 0
        self.rms = 0
        self.last_us = 0
        self.overruns = 0
        self.stages = [0, 0, 0, 0]  # front end, input forming, inference, decision
        self.clock = ticks_us
        self.inferences = 0
        gc.collect()

    def step(self, block, profile=False):
        """One hop: columns, input, inference, decision. Returns the label. With
        `profile`, each stage's time in self.clock units is added to self.stages."""
        engine = self.engine
        clock = self.clock if profile else ticks_us
        t0 = clock()
        engine.add_samples(block)
        rms = self.pcm.rms(block)
        gated = self.decider.gated(self.pcm.mean_square(block))
        t1 = clock()
        engine.form_input()
        outputs = None
        if not gated:
            engine.load_input()
        t2 = clock()
        if not gated:
            self.inferences += 1
            engine.invoke()
            outputs = engine.outputs
        t3 = clock()
        label = self.decider.update(outputs)
        t4 = clock()
        if profile:
            stages = self.stages
            stages[0] += ticks_diff(t1, t0)
            stages[1] += ticks_diff(t2, t1)
            stages[2] += ticks_diff(t3, t2)
            stages[3] += ticks_diff(t4, t3)
        else:
            self.last_us = ticks_diff(t4, t0)
        self.rms = rms
        return label

    def run(self, source, hops=-1, quiet=False, profile=False):
        """The loop: read a block, decide, report. Returns the number of hops run."""
        block = self.block
        decider = self.decider
        reporter = self.reporter
        settings = self.settings
        target = settings.target_index
        hop_samples, rate = settings.hop_samples, settings.sample_rate
        done = 0
        while done != hops:
            if not source.read_into(block):
                break
            self.step(block, profile)
            if self.last_us > self.budget_us:
                self.overruns += 1
            t_ms = report.hop_ms(self.hop, hop_samples, rate)
            if not quiet:
                reporter.decision(self.hop, t_ms, self.rms, decider, self.last_us,
                                  self.overruns + getattr(source, "overruns", 0))
                reporter.events(decider, self.hop, t_ms)
            self.led.set_permille(decider.smoothed[target])
            self.hop += 1
            done += 1
        return done


class _Values:
    """The model's settings as plain attributes: a Settings object would keep settings.py,
    the parser, in RAM through its class."""

    def __init__(self, settings):
        for key, value in settings.__dict__.items():
            setattr(self, key, value)


def _unload_boot_modules():
    """Forgets the modules only boot needs (the settings parser and JSON reader), so that
    their code is garbage while the app runs: about 9 KB of heap. MicroPython only: CPython
    keeps its modules."""
    if sys.implementation.name != "micropython":
        return
    package = __name__.rsplit(".", 1)[0]
    for name in ("settings", "minijson"):
        sys.modules.pop(package + "." + name, None)
        parent = sys.modules.get(package)
        if parent is not None and hasattr(parent, name):
            delattr(parent, name)


def _stdout_write():
    return getattr(sys.stdout, "buffer", sys.stdout).write


def _print_error(message, code):
    out = ('{"error":"%s","code":%d}\n' % (message.replace("\\", "/").replace('"', "'"), code)).encode()
    _stdout_write()(out)


def boot(config_path="config.json"):
    """Config and App, or None after reporting why not (message + blink code)."""
    config = None
    try:
        config = load_config(config_path)
        app = App(config)
        _unload_boot_modules()
        gc.collect()
        return app
    except BootError as exc:
        _print_error(str(exc), exc.code)
        Led(config.get("led") if config else DEFAULT_CONFIG["led"]).blink(exc.code)
    except MemoryError as exc:
        _print_error("out of memory while starting: %s" % exc, BLINK_CODES["crash"])
    return None


def open_source(app, kind=None):
    from .sources import open_source as _open

    config = app.config
    if kind is not None:
        config = dict(config)
        config["source"] = kind
    try:
        return _open(config, app.settings.sample_rate, app.settings.hop_samples)
    except (ImportError, OSError, ValueError) as exc:
        raise BootError("source", "audio source %r cannot start: %s" % (config.get("source"), exc))


def listen(kind=None, hops=-1, config_path="config.json"):
    """The main loop on the configured source (or `kind`): what main.py runs."""
    app = boot(config_path)
    if app is None:
        return None
    s = app.settings
    _stdout_write()(('{"labels":[%s],"target":"%s","hop_ms":%d}\n'
                     % (",".join('"%s"' % x for x in s.labels), s.target, app.budget_us // 1000)).encode())
    try:
        source = open_source(app, kind)
    except BootError as exc:
        _print_error(str(exc), exc.code)
        app.led.blink(exc.code)
        return None
    try:
        app.run(source, hops)
    finally:
        source.close()
        app.led.set_permille(0)
    return app


def replay():
    """Decisions for samples streamed by the host (earshot replay)."""
    return listen("host")
