"""The exceptions earshot raises. The CLI prints them as one line plus a hint."""


class EarshotError(Exception):
    """Base class; `hint` says what the user can do next."""

    hint = ""

    def __init__(self, message, hint=None):
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class NativeLibraryError(EarshotError):
    hint = "run 'make modules' at the top of the earshot checkout"


class DataError(EarshotError):
    pass


class ModelError(EarshotError):
    pass


class DeviceError(EarshotError):
    hint = "check the --port argument and that the board runs MicroPython"
