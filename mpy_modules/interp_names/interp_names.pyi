"""What interp.mpy leaves out until an error needs it: op names and error texts."""


def name(code: int) -> str | None:
    """The builtin op name of `code` ("LEAKY_RELU" for 98), None when there is none."""


def text(msg: str) -> str:
    """The core's message with each code "[Exx]" replaced by the text 0xxx of
    core/ti_text.h, cut at 95 characters as the host library cuts it."""
