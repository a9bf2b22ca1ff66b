"""Fixtures edited through the TFLite schema, for tests of forms no fixture has."""
import pytest

from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "interp"


def edited(name, change):
    """The fixture `name` with its first op or its tensors changed by change(model, graph, op)."""
    import flatbuffers
    schema = pytest.importorskip("tensorflow.lite.python.schema_py_generated")

    model = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel((FIXTURES / f"{name}.tflite").read_bytes(), 0))
    graph = model.subgraphs[0]
    change(model, graph, graph.operators[0])
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())
