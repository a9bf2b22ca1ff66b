"""Names of TFLite builtin ops, for interp's message about an op it cannot run."""


def name(code: int) -> str | None:
    """The builtin op name of `code` ("LEAKY_RELU" for 98), None when there is none."""
