"""interp_cores: the interp's ops in halves on both of the RP2040's cores (native module).

Imported by interp.Model(model, cores=2), which calls the private _attach. For each op
that runs in two halves, core 0 launches core 1 from the bootrom (the words 0, 0, 1,
vector table, stack pointer, entry, each echoed through the SIO FIFO), runs its own half,
waits for core 1's word and resets core 1 (PSM FRCE_OFF.proc1): outside those halves core 1
sits in the bootrom, as after power-up. Do not use it with _thread (core 1 is then busy:
the launch gets no echo and Model raises OSError). The x64 build raises OSError.
"""

def core1_halves() -> int:
    """Halves core 1 has run since this module was imported (a check that it works)."""

def _attach(cores: int, interp_state: int) -> bytearray:
    """interp.Model's: checks cores == 2 (ValueError), launches core 1 once to check it
    answers (OSError), points the model's state at the two-core runner; returns the
    memory the model keeps (core 1's stack)."""
