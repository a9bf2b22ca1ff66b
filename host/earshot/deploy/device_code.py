"""Import the board's Python (device/earshot_app) on the host: the same files run on
both sides, so decisions and packet framing cannot drift apart."""
import importlib
import sys

from earshot.errors import EarshotError
from earshot.paths import device_dir


def module(name):
    """earshot_app.<name> from the device/ folder this earshot uses."""
    root = device_dir()
    if root is None or not (root / "earshot_app").is_dir():
        raise EarshotError("the device/ folder with earshot_app was not found",
                           hint="reinstall earshot (the wheel carries device/) or run from a checkout")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    return importlib.import_module(f"earshot_app.{name}")
