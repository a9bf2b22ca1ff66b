"""trees: tree ensembles converted by emlearn, loaded from a file at run time (native module).

    import trees, array
    forest = trees.Forest(open("model.etrs", "rb").read())   # the bytes are copied and checked
    features = array.array("h", [0] * 32)
    trees.band_features(columns, 129, 16, features)          # columns: int16 Q15 magnitudes
    label = forest.predict(features)

Model format: mpy_modules/trees/core/tr_model.h ("ETRS" version 1). Bad bytes raise
ValueError saying what is wrong; buffers of the wrong type or size raise ValueError/TypeError.
"""

class Forest:
    n_features: int
    n_classes: int
    n_trees: int
    n_nodes: int
    leaf_bits: int

    def __init__(self, data) -> None:
        """data: the model file's bytes (bytes, bytearray, memoryview)."""

    def predict(self, features) -> int:
        """Class 0..n_classes-1 with the most votes (first on a tie); features: n_features int16."""

    def votes(self, features, out) -> None:
        """out: array('I') of n_classes; leaf_bits 0: trees per class; 8: summed uint8 proportions."""

def band_features(columns, bins: int, bands: int, out) -> None:
    """Mean and deviation of per-band log2 energy (Q8) over the columns; out: 2*bands int16.
    Definition in core/tr_features.h. bands 1..63, bins > bands."""

def mean_dev(values, n_cols: int, out) -> None:
    """Per column of an int16 matrix (rows x n_cols, e.g. MFCC frames x coefficients):
    floor mean and floor sqrt of the population variance; out: 2*n_cols int16."""
