"""What `earshot deploy` puts on a board, and how.

The board's filesystem gets, at its root:
  pcm.mpy frontend.mpy interp.mpy   the native modules built for the board's arch
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
from earshot.errors import DeviceError, ModelError
from earshot.paths import device_dir, mpy_module

MODULES = ("pcm", "frontend", "interp")
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


def module_files(abi):
    files = []
    for name in MODULES:
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


def plan(abi, model_path, config_path=None, with_modules=True):
    files = module_files(abi) if with_modules else []
    files += app_files() + [config_file(config_path)]
    if model_path is not None:
        files.append(model_file(model_path))
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
