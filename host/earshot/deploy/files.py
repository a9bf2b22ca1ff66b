"""What `earshot deploy` puts on a board, and how.

The board's filesystem gets, at its root:
  pcm.mpy frontend.mpy interp.mpy   the native modules built for the board's arch, plus
  mfcc.mpy / pdm.mpy                only when the model's features / the audio source
                                    need them (see modules_for)
  interp_<group>.mpy                the interp op modules the model's ops need
                                    (earshot.deploy.interp_modules; all of them
                                    when no model is deployed), interp_names.mpy and
                                    interp_cores.mpy (config "cores": 2)
  main.py earshot_app/              the application (device/ of this package)
  config.json                       only when the board has none (it holds the user's pins)
  model.tflite                      the model, settings embedded
  earshot_manifest.json             sha256 of what deploy wrote, to skip unchanged files

Every file is written as <name>.new and then renamed over the old one, so a deploy cut
off half way leaves each file either old or new, never truncated: the old model keeps
working.
"""
import hashlib
import json

from earshot.deploy.arch import abi_of_file
from earshot.deploy.interp_modules import CORES_MODULE, NAMES_MODULE, OP_MODULES, op_modules
from earshot.errors import DeviceError, ModelError
from earshot.paths import device_dir, mpy_module

MODULES = ("pcm", "frontend", "interp")  # every app imports these
MFCC_MODULE = "mfcc"  # features.kind mfcc*: the board's Mfcc
PDM_MODULE = "pdm"    # source "pdm": the board's PdmDecimator
DEFAULT_SOURCE = "pdm"  # device/earshot_app/app.py DEFAULT_CONFIG
MODEL_PATH = "/model.tflite"
CONFIG_PATH = "/config.json"
MANIFEST_PATH = "/earshot_manifest.json"
APP_SUFFIXES = (".py",)
WRITE_CHUNK = 2048


class BoardFile:
    def __init__(self, path, data, only_if_missing=False):
        self.path = path
        self.data = bytes(data)
        self.sha256 = hashlib.sha256(self.data).hexdigest()
        self.only_if_missing = only_if_missing

    def __repr__(self):
        return f"BoardFile({self.path}, {len(self.data)} bytes)"


def config_source(config):
    """The audio source a config.json (as a dict) selects, as the app resolves it:
    the app's default, then the named board profile, then the top-level key."""
    source = DEFAULT_SOURCE
    profile = config.get("profiles", {}).get(config.get("board")) if "board" in config else None
    if isinstance(profile, dict):
        source = profile.get("source", source)
    return config.get("source", source)


def modules_for(feature_kind=None, source=DEFAULT_SOURCE):
    """The native modules a board needs: on the board, module code lives in the heap
    once imported, so what a model or source does not use is left out."""
    names = list(MODULES)
    if feature_kind is not None and feature_kind.startswith("mfcc"):
        names.append(MFCC_MODULE)
    if source == "pdm":
        names.append(PDM_MODULE)
    return tuple(names)


def module_files(abi, names=MODULES):
    files = []
    for name in names:
        path = mpy_module(name, abi.arch_name)
        if path is None:
            raise DeviceError(f"no {name}.mpy built for {abi.arch_name}",
                              hint="run 'make modules' in the earshot checkout, or install an earshot wheel")
        data = path.read_bytes()
        found = abi_of_file(data, path.name)
        if found != abi:
            raise DeviceError(f"{path} is {found}, the board runs {abi}: refusing to copy it")
        files.append(BoardFile(f"/{name}.mpy", data))
    return files


def app_files():
    root = device_dir()
    if root is None:
        raise DeviceError("the device/ folder was not found", hint="reinstall earshot")
    files = [BoardFile("/main.py", (root / "main.py").read_bytes())]
    for path in sorted((root / "earshot_app").rglob("*")):
        if path.suffix in APP_SUFFIXES and "__pycache__" not in path.parts:
            files.append(BoardFile("/" + path.relative_to(root).as_posix(), path.read_bytes()))
    return files


def config_file(config_path=None):
    if config_path is not None:
        return BoardFile(CONFIG_PATH, open(config_path, "rb").read())
    return BoardFile(CONFIG_PATH, (device_dir() / "config.json").read_bytes(), only_if_missing=True)


def model_file(model_path):
    from earshot import settings

    try:
        data = open(model_path, "rb").read()
    except OSError as exc:
        raise ModelError(f"cannot read the model {model_path}: {exc.strerror}",
                         hint="train one (earshot train) or pass --model path/to/model.tflite") from exc
    settings.read(data)  # refuse here what the board would refuse
    return BoardFile(MODEL_PATH, data)


def _feature_kind(model):
    from earshot import settings

    return settings.read(model.data)["features"]["kind"]


def _source_of(config):
    """Source of the config deploy copies. The board keeps its own config.json when none
    is given, unknown here: the default (a PDM mic) is assumed, so pdm.mpy goes along."""
    try:
        data = json.loads(config.data)
    except ValueError as exc:
        raise DeviceError(f"the config to copy is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise DeviceError("the config to copy must hold a JSON object")
    return DEFAULT_SOURCE if config.only_if_missing else config_source(data)


def plan(abi, model_path, config_path=None, with_modules=True):
    config = config_file(config_path)
    model = model_file(model_path) if model_path is not None else None
    files = []
    if with_modules:
        kind = _feature_kind(model) if model is not None else None
        files += module_files(abi, modules_for(kind, _source_of(config)))
        # Without a model the board keeps its own, whose ops are unknown here: every op
        # module goes along, so the op modules always match the interp.mpy copied.
        ops = op_modules(model.data) if model is not None else OP_MODULES
        files += module_files(abi, (*ops, NAMES_MODULE, CORES_MODULE))
    files += app_files() + [config]
    if model is not None:
        files.append(model)
    return files


def _board_state(board, paths):
    """Sizes of `paths` on the board (-1 when missing) and the manifest it holds."""
    code = (
        "import os\n"
        "r={}\n"
        f"for p in {sorted(paths)!r}:\n"
        " try:\n  r[p]=os.stat(p)[6]\n"
        " except OSError:\n  r[p]=-1\n"
        "m=''\n"
        "try:\n"
        f" f=open({MANIFEST_PATH!r})\n m=f.read()\n f.close()\n"
        "except OSError:\n pass\n"
        "print(repr((r,m)))\n")
    import ast

    sizes, manifest_text = ast.literal_eval(board.exec(code).strip())
    try:
        manifest = json.loads(manifest_text) if manifest_text else {}
    except ValueError:
        manifest = {}
    return sizes, manifest if isinstance(manifest, dict) else {}


def _parents(path):
    parts = path.strip("/").split("/")[:-1]
    return ["/" + "/".join(parts[:i + 1]) for i in range(len(parts))]


def _write_atomically(board, path, data):
    from mpremote.transport import TransportError

    tmp = path + ".new"
    try:
        board.transport.fs_writefile(tmp, data, chunk_size=WRITE_CHUNK)
    except (TransportError, OSError) as exc:
        raise DeviceError(f"writing {path} on the board failed: {exc}") from exc
    board.exec(f"import os\nos.rename({tmp!r}, {path!r})")


def copy(board, files, force=False, report=print):
    """Writes the files that differ from what the board holds; returns (copied, skipped)."""
    sizes, manifest = _board_state(board, [f.path for f in files])
    dirs = sorted({d for f in files for d in _parents(f.path)})
    if dirs:
        board.exec("import os\n"
                   f"for d in {dirs!r}:\n"
                   " try:\n  os.mkdir(d)\n"
                   " except OSError:\n  pass\n")
    copied, skipped = [], []
    for f in files:
        present = sizes.get(f.path, -1) >= 0
        unchanged = present and sizes[f.path] == len(f.data) and manifest.get(f.path) == f.sha256
        if (f.only_if_missing and present and not force) or (unchanged and not force):
            skipped.append(f.path)
            continue
        report(f"  {f.path} ({len(f.data)} bytes)")
        _write_atomically(board, f.path, f.data)
        manifest[f.path] = f.sha256
        copied.append(f.path)
    if copied:
        _write_atomically(board, MANIFEST_PATH, (json.dumps(manifest, sort_keys=True) + "\n").encode())
    return copied, skipped
