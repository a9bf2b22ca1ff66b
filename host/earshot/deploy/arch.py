"""The .mpy architecture a board runs, and the one a .mpy file was built for.

MicroPython reports sys.implementation._mpy = version | sub_version << 8 | arch << 10;
a native .mpy file starts with b"M", version, arch << 2 | sub_version. A module is
copied only when all three agree, so a wrong-arch .mpy never reaches a board.
"""
from earshot.errors import DeviceError

ARCH_NAMES = (None, "x86", "x64", "armv6", "armv6m", "armv7m", "armv7em", "armv7emsp",
              "armv7emdp", "xtensa", "xtensawin", "rv32imc")


class MpyAbi:
    def __init__(self, version, sub_version, arch):
        self.version = version
        self.sub_version = sub_version
        self.arch = arch

    @property
    def arch_name(self):
        return ARCH_NAMES[self.arch] if 0 < self.arch < len(ARCH_NAMES) else f"arch#{self.arch}"

    def __eq__(self, other):
        return (self.version, self.sub_version, self.arch) == (other.version, other.sub_version, other.arch)

    def __repr__(self):
        return f"mpy v{self.version}.{self.sub_version} {self.arch_name}"


def abi_from_sys_mpy(value):
    if not value:
        raise DeviceError("this MicroPython cannot load native .mpy modules (sys.implementation._mpy is missing)",
                          hint="use the official MicroPython firmware for the board, v1.23 or later")
    return MpyAbi(value & 0xFF, (value >> 8) & 3, value >> 10)


def abi_of_file(data, name="module"):
    if len(data) < 4 or data[0:1] != b"M":
        raise DeviceError(f"{name} is not a .mpy file")
    return MpyAbi(data[1], data[2] & 3, data[2] >> 2)


def board_abi(board):
    return abi_from_sys_mpy(board.eval("getattr(__import__('sys').implementation, '_mpy', 0)"))
