"""Tree ensembles in the "ETRS" file format (mpy_modules/trees/core/tr_model.h), and
the host build of the board's C core (build/host/libtrees.so) through ctypes.

    forest = emlearn.convert(sklearn_model, method="loadable", dtype="int16_t")
    data = to_bytes(forest)                       # what the board loads: trees.Forest(data)
    HostForest(data).predict(features_int16)      # the same C as the board

Thresholds: sklearn splits on x <= t (t a float midpoint); the format stores an int16
threshold T and goes left when x < T. For integer features x <= t <=> x < floor(t) + 1,
so rule="exact" stores floor(t) + 1 and predicts exactly what sklearn predicts.
rule="emlearn" stores int(t) as emlearn's C generator does (truncation), so it
predicts what emlearn's own compiled model predicts, which differs from sklearn for
features equal to floor(t).
"""
import ctypes
import functools
import math
import struct

import numpy as np

from earshot import native


def emlearn():
    """The emlearn package, imported without its side effect: importing it sets numpy's
    error handling to 'raise' for the whole process (an underflow anywhere then throws)."""
    saved = np.geterr()
    try:
        import emlearn as package
    finally:
        np.seterr(**saved)
    return package


def emlearn_predict(forest, x):
    """emlearn's own compiled C predictions. emlearn compiles into ./tmp of the current
    directory, so it runs in a scratch directory that is removed afterwards."""
    import contextlib
    import tempfile

    with tempfile.TemporaryDirectory(prefix="earshot-emlearn-") as scratch, contextlib.chdir(scratch):
        return forest.predict(x)

MAGIC = b"ETRS"
VERSION = 1
HEADER = struct.Struct("<4sHBBHBBII")
RULES = ("exact", "emlearn")

_I16P = ctypes.POINTER(ctypes.c_int16)
_U32P = ctypes.POINTER(ctypes.c_uint32)


class _Model(ctypes.Structure):
    # tr_model_t: tr_header_t then four pointer-sized fields
    _fields_ = [("n_features", ctypes.c_uint8), ("n_classes", ctypes.c_uint8), ("n_trees", ctypes.c_uint16),
                ("leaf_bits", ctypes.c_uint8), ("n_nodes", ctypes.c_uint32), ("n_leaves", ctypes.c_uint32),
                ("roots", ctypes.c_void_p), ("nodes", ctypes.c_void_p), ("leaves", ctypes.c_void_p),
                ("leaf_bytes", ctypes.c_size_t)]


class _Header(ctypes.Structure):
    _fields_ = _Model._fields_[:6]


def _threshold(value, rule):
    t = math.floor(value) + 1 if rule == "exact" else int(value)
    return min(max(t, -32768), 32767)


def _relative(index, child):
    # emlearn's loadable encoding: decision children as forward jumps, leaves as -leaf-1
    return child - index if child >= 0 else child


def to_bytes(forest, rule="exact"):
    """An emlearn tree Wrapper (emlearn.convert(..., method="loadable")) -> ETRS bytes."""
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}, got {rule!r}")
    if not forest.is_classifier:
        raise ValueError("only classifiers are supported")
    nodes, roots, leaves = forest.forest_
    leaf_bits = 0 if forest.leaf_bits == 0 else 8
    n_classes = forest.n_classes
    leaf_values = np.asarray(leaves, dtype=np.uint8).reshape(len(leaves), -1)
    if leaf_values.shape[1] != (1 if leaf_bits == 0 else n_classes):
        raise ValueError(f"leaves of shape {leaf_values.shape} do not match leaf_bits={leaf_bits}")
    columns = np.array([[int(f), _threshold(t, rule), _relative(i, int(l)), _relative(i, int(r))]
                        for i, (f, t, l, r) in enumerate(nodes)], dtype=np.int64)
    if columns[:, 2:].min() < -32768 or columns[:, 2:].max() > 32767:
        raise ValueError("model too large: child jumps do not fit int16")
    header = HEADER.pack(MAGIC, VERSION, forest.n_features, n_classes, len(roots), leaf_bits, 0,
                         len(nodes), len(leaf_values))
    return b"".join([header, np.asarray(roots, dtype="<i4").tobytes(),
                     *(columns[:, k].astype("<i2").tobytes() for k in range(4)),
                     leaf_values.astype(np.uint8).tobytes()])


@functools.lru_cache(maxsize=None)
def _lib():
    lib = native.load("trees")
    lib.tr_status_message.restype = ctypes.c_char_p
    lib.tr_status_message.argtypes = [ctypes.c_int]
    lib.tr_read_header.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(_Header)]
    lib.tr_storage_bytes.restype = ctypes.c_size_t
    lib.tr_storage_bytes.argtypes = [ctypes.POINTER(_Header)]
    lib.tr_load.argtypes = [ctypes.POINTER(_Model), ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p,
                            ctypes.c_size_t]
    lib.tr_votes.argtypes = [ctypes.POINTER(_Model), _I16P, ctypes.c_size_t, _U32P, ctypes.c_size_t]
    lib.tr_predict.restype = ctypes.c_int32
    lib.tr_predict.argtypes = [ctypes.POINTER(_Model), _I16P, ctypes.c_size_t]
    lib.tr_band_features.argtypes = [_I16P, ctypes.c_size_t, ctypes.c_size_t, ctypes.c_size_t, _I16P]
    lib.tr_mean_dev_s16.argtypes = [_I16P, ctypes.c_size_t, ctypes.c_size_t, _I16P]
    lib.tr_log2_q8.restype = ctypes.c_uint32
    lib.tr_log2_q8.argtypes = [ctypes.c_uint32]
    return lib


def _check(status):
    if status != 0:
        raise ValueError(_lib().tr_status_message(status).decode())


class HostForest:
    """ETRS bytes loaded by the board's C core, compiled for the host."""

    def __init__(self, data):
        data = bytes(data)
        lib = _lib()
        header = _Header()
        _check(lib.tr_read_header(data, len(data), ctypes.byref(header)))
        size = lib.tr_storage_bytes(ctypes.byref(header))
        self._storage = (ctypes.c_uint32 * ((size + 3) // 4))()
        self._model = _Model()
        _check(lib.tr_load(ctypes.byref(self._model), data, len(data), self._storage, size))
        self.n_features, self.n_classes = self._model.n_features, self._model.n_classes
        self.n_trees, self.n_nodes = self._model.n_trees, self._model.n_nodes

    def _features(self, x):
        x = np.asarray(x)
        if x.dtype != np.int16 or x.ndim != 2 or x.shape[1] != self.n_features:
            raise ValueError(f"expected int16 features of shape (n, {self.n_features}), got {x.dtype} {x.shape}")
        return np.ascontiguousarray(x)

    def predict(self, x):
        x = self._features(x)
        lib, model = _lib(), ctypes.byref(self._model)
        return np.array([lib.tr_predict(model, row.ctypes.data_as(_I16P), self.n_features) for row in x],
                        dtype=np.int64)

    def votes(self, x):
        x = self._features(x)
        out = np.zeros((len(x), self.n_classes), dtype=np.uint32)
        for row, dest in zip(x, out):
            _check(_lib().tr_votes(ctypes.byref(self._model), row.ctypes.data_as(_I16P), self.n_features,
                                   dest.ctypes.data_as(_U32P), self.n_classes))
        return out


def log2_q8(x):
    return int(_lib().tr_log2_q8(int(x)))


def band_features(columns, bands):
    """(n_columns, n_bins) int16 Q15 magnitudes -> int16 (2 * bands,), by the C core."""
    columns = np.ascontiguousarray(columns)
    if columns.dtype != np.int16 or columns.ndim != 2 or columns.shape[0] == 0:
        raise ValueError(f"expected (n_columns >= 1, n_bins) int16 columns, got {columns.dtype} {columns.shape}")
    out = np.zeros(2 * bands, dtype=np.int16)
    if _lib().tr_band_features(columns.ctypes.data_as(_I16P), columns.shape[0], columns.shape[1], bands,
                               out.ctypes.data_as(_I16P)) != 0:
        raise ValueError(f"bands must be 1..63 and fewer than the {columns.shape[1]} bins, got {bands}")
    return out


def mean_dev(values):
    """(n_rows, n_cols) int16, e.g. MFCC frames -> int16 (2 * n_cols,): per column floor
    mean, then floor sqrt of the population variance, by the C core."""
    values = np.ascontiguousarray(values)
    if values.dtype != np.int16 or values.ndim != 2 or not 1 <= values.shape[0] <= 65535 or values.shape[1] < 1:
        raise ValueError(f"expected (1..65535 rows, n_cols >= 1) int16 values, got {values.dtype} {values.shape}")
    out = np.zeros(2 * values.shape[1], dtype=np.int16)
    _lib().tr_mean_dev_s16(values.ctypes.data_as(_I16P), values.shape[0], values.shape[1], out.ctypes.data_as(_I16P))
    return out
