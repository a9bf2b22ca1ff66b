"""Host side of the interp core: runs int8 .tflite models with the board's arithmetic.

The same C as the board's `interp` module (build/host/libinterp.so), so a dataset
evaluated here gives the outputs the board will give, byte for byte.

    it = Interpreter(Path("model.tflite").read_bytes())
    y = it.invoke(x_int8)              # one sample, shaped like it.input_shape()
    ys = it.run_batch(xs_int8)         # many samples: xs.shape == (n, *input_shape)
    settings = it.metadata("earshot")  # bytes or None
"""
import ctypes
import functools

import numpy as np

from earshot import native
from earshot.errors import ModelError

_DTYPES = {0: np.float32, 2: np.int32, 3: np.uint8, 4: np.int64, 6: np.bool_, 7: np.int16, 9: np.int8}
_MAX_DIMS = 6
_P = ctypes.c_void_p
_KEEP_INPUT = 1  # TI_KEEP_INPUT
_TWO_CORES = 2  # TI_TWO_CORES
_HALF_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_SPLIT_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)


@functools.lru_cache(maxsize=None)
def _lib():
    lib = native.load("interp")
    sig = {
        "ti_interp_size": (ctypes.c_size_t, []),
        "ti_meta_size": (ctypes.c_int, [_P, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t), ctypes.c_char_p]),
        "ti_load_flags": (ctypes.c_int, [_P, _P, ctypes.c_size_t, _P, ctypes.c_size_t, ctypes.c_uint32]),
        "ti_set_arena": (ctypes.c_int, [_P, _P, ctypes.c_size_t]),
        "ti_invoke": (None, [_P]),
        "ti_reset_state": (None, [_P]),
        "ti_message": (ctypes.c_char_p, [_P]),
        "ti_op_variant_group": (ctypes.c_char_p, [_P, ctypes.c_uint32]),
        "ti_host_set_split": (None, [_P, _P, _P]),
        "ti_arena_size": (ctypes.c_uint32, [_P]),
        "ti_count": (ctypes.c_uint32, [_P, ctypes.c_int]),
        "ti_metadata": (_P, [_P, ctypes.c_char_p, ctypes.POINTER(ctypes.c_uint32)]),
        "ti_tensor_info": (ctypes.c_int, [_P, ctypes.c_int, ctypes.c_uint32, ctypes.POINTER(_P),
                                          ctypes.POINTER(ctypes.c_int32), ctypes.POINTER(ctypes.c_uint32),
                                          ctypes.POINTER(ctypes.c_uint32), ctypes.POINTER(ctypes.c_uint32),
                                          ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_int32)]),
    }
    for name, (restype, argtypes) in sig.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def _aligned(nbytes):
    """Zeroed bytes with 8-byte alignment (numpy's allocator guarantees at least that)."""
    return np.zeros(max(1, (nbytes + 7) // 8), dtype=np.uint64)


class TensorInfo:
    def __init__(self, shape, dtype, scale, zero_point, view):
        self.shape = shape
        self.dtype = dtype
        self.scale = scale
        self.zero_point = zero_point
        self.view = view  # numpy array over the arena bytes of the tensor


class Interpreter:
    """One loaded model with its own arena. Not thread-safe (one arena)."""

    def __init__(self, model_bytes, arena_bytes=None, keep_input=False, two_cores=False):
        """`arena_bytes` overrides the planned arena size (to test the size check).
        With `keep_input` no other tensor shares the inputs' arena bytes: the inputs survive
        invoke(), so a sliding window can be updated in place (the arena may be larger).
        `two_cores` plans the arena as the board's `Model(..., cores=2)` does: the
        convolutions then run in two halves (here one after the other), as on two cores."""
        lib = _lib()
        self._model = ctypes.create_string_buffer(bytes(model_bytes), len(model_bytes))
        self._model_len = len(model_bytes)
        msg = ctypes.create_string_buffer(96)
        meta_bytes = ctypes.c_size_t(0)
        if lib.ti_meta_size(self._model, self._model_len, ctypes.byref(meta_bytes), msg) != 0:
            raise ModelError(f"cannot load model: {msg.value.decode()}")
        self._state = _aligned(lib.ti_interp_size())
        self._meta = _aligned(meta_bytes.value)
        self._it = self._state.ctypes.data
        self.keep_input = bool(keep_input)
        self.two_cores = bool(two_cores)
        flags = (_KEEP_INPUT if self.keep_input else 0) | (_TWO_CORES if self.two_cores else 0)
        if lib.ti_load_flags(self._it, self._model, self._model_len, self._meta.ctypes.data, self._meta.nbytes,
                             flags) != 0:
            raise ModelError(f"cannot load model: {self.last_error()}")
        self.arena_size = int(lib.ti_arena_size(self._it))
        arena_len = self.arena_size if arena_bytes is None else arena_bytes
        self._arena = _aligned(arena_len)
        if lib.ti_set_arena(self._it, self._arena.ctypes.data, arena_len) != 0:
            raise ModelError(self.last_error())
        self.inputs = [self._tensor(0, i) for i in range(lib.ti_count(self._it, 0))]
        self.outputs = [self._tensor(1, i) for i in range(lib.ti_count(self._it, 1))]

    def last_error(self):
        return _lib().ti_message(self._it).decode()

    @property
    def n_ops(self):
        return int(_lib().ti_count(self._it, 2))

    def set_split(self, split):
        """Tests: `split(run_half)` runs the two halves of each two-core step (two_cores),
        calling run_half(0) and run_half(1) in the order it likes; None: in order. The board's
        interp_cores.mpy runs them on the RP2040's two cores at once."""
        if split is None:
            self._split = None
            _lib().ti_host_set_split(self._it, None, None)
            return

        def call(ctx, fn, a, b):
            half = _HALF_FN(fn)
            split(lambda k: half(b if k else a))

        self._split = _SPLIT_FN(call)  # kept: the library holds the pointer
        _lib().ti_host_set_split(self._it, ctypes.cast(self._split, _P), None)

    def variant_groups(self):
        """The groups of the variants the ops took, sorted: a board imports their modules
        (interp_<group>.mpy) beside those of the ops (earshot.deploy.interp_modules)."""
        groups = {_lib().ti_op_variant_group(self._it, i).decode() for i in range(self.n_ops)}
        return sorted(groups - {""})

    def _tensor(self, is_output, i):
        data = _P()
        dims = (ctypes.c_int32 * _MAX_DIMS)()
        ndim, ttype, nbytes = ctypes.c_uint32(), ctypes.c_uint32(), ctypes.c_uint32()
        scale, zp = ctypes.c_float(), ctypes.c_int32()
        _lib().ti_tensor_info(self._it, is_output, i, ctypes.byref(data), dims, ctypes.byref(ndim),
                              ctypes.byref(ttype), ctypes.byref(nbytes), ctypes.byref(scale), ctypes.byref(zp))
        shape = tuple(dims[: ndim.value])
        dtype = np.dtype(_DTYPES.get(ttype.value, np.uint8))
        if nbytes.value:
            raw = (ctypes.c_uint8 * nbytes.value).from_address(data.value)
            view = np.frombuffer(raw, dtype=dtype).reshape(shape)
        else:
            view = np.zeros(shape, dtype=dtype)
        return TensorInfo(shape, dtype, float(scale.value), int(zp.value), view)

    def input_shape(self, i=0):
        return self.inputs[i].shape

    def output_shape(self, i=0):
        return self.outputs[i].shape

    def input_quant(self, i=0):
        return self.inputs[i].scale, self.inputs[i].zero_point

    def output_quant(self, i=0):
        return self.outputs[i].scale, self.outputs[i].zero_point

    def metadata(self, name):
        """The model's metadata buffer called `name` as bytes, or None."""
        n = ctypes.c_uint32(0)
        ptr = _lib().ti_metadata(self._it, name.encode(), ctypes.byref(n))
        return None if not ptr else ctypes.string_at(ptr, n.value)

    def _set_inputs(self, values):
        if len(values) != len(self.inputs):
            raise ValueError(f"model takes {len(self.inputs)} input(s), got {len(values)}")
        for k, (x, t) in enumerate(zip(values, self.inputs)):
            x = np.asarray(x)
            if x.dtype != t.dtype:
                raise TypeError(f"input {k} must be {t.dtype}, got {x.dtype}")
            if x.size != t.view.size:
                raise ValueError(f"input {k} must have shape {t.shape}, got {x.shape}")
            t.view[...] = x.reshape(t.shape)

    def invoke(self, *inputs):
        """Runs one sample; returns the output array (a list if the model has several).
        State (an LSTM's variable tensors) carries over to the next invoke, as in TFLM.
        Without arguments the inputs are what the tensors hold (inputs[k].view, written in
        place: with keep_input, what the previous invoke left there)."""
        if inputs:
            self._set_inputs(inputs)
        elif len(self.inputs) and not self.keep_input:
            raise ValueError(f"model takes {len(self.inputs)} input(s), got 0 (in-place inputs need keep_input)")
        _lib().ti_invoke(self._it)
        outs = [t.view.copy() for t in self.outputs]
        return outs[0] if len(outs) == 1 else outs

    def reset(self):
        """Puts the model's state (variable tensors) back to zero, as TFLM's reset()."""
        _lib().ti_reset_state(self._it)

    def run_batch(self, *batches):
        """Runs samples stacked along axis 0, each from a reset state; returns stacked
        outputs (a list if several)."""
        batches = [np.asarray(b) for b in batches]
        n = len(batches[0]) if batches else 0
        results = [np.empty((n, *t.shape), dtype=t.dtype) for t in self.outputs]
        lib, it = _lib(), self._it
        for s in range(n):
            self._set_inputs([b[s] for b in batches])
            lib.ti_reset_state(it)
            lib.ti_invoke(it)
            for r, t in zip(results, self.outputs):
                r[s] = t.view
        return results[0] if len(results) == 1 else results
