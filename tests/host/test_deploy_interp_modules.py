"""earshot deploy copies the interp op modules a model needs: the Python table agrees
with the C one (TI_OPS in mpy_modules/interp/core/ti_kernels.h), with the op module
builds, and plan() brings exactly those modules. That the board then imports exactly
them is checked in tests/mpy_modules/test_interp_modules_boards.py."""
import re

import pytest

from earshot.deploy import arch, files, interp_modules
from earshot.export.inspect import describe
from earshot.paths import mpy_module
from tests.conftest import ROOT

INTERP = ROOT / "mpy_modules" / "interp"
FIXTURES = ROOT / "tests" / "fixtures" / "interp"
ARMV6M = arch.abi_from_sys_mpy(4870)


def c_op_table():
    text = (INTERP / "core" / "ti_kernels.h").read_text()
    return {name: group for _, name, _, group in re.findall(r"X\((\d+), (\w+), (\w+), (\w+)\)", text)}


def c_variant_groups():
    text = (INTERP / "core" / "ti_kernels.h").read_text()
    groups = {}
    for _, name, _, group in re.findall(r"V\((\d+), (\w+), (\w+), (\w+)\)", text):
        groups[name] = (*groups.get(name, ()), group)
    return groups


def test_python_table_is_the_c_table():
    assert interp_modules.OP_GROUPS == c_op_table()
    assert interp_modules.VARIANT_GROUPS == c_variant_groups() == {"CONV_2D": ("convx",), "DEPTHWISE_CONV_2D": ("dwx",),
                                                                 "FULLY_CONNECTED": ("convx",)}


def test_every_group_is_built_by_its_own_module_dir():
    groups = (set(c_op_table().values()) | {g for v in c_variant_groups().values() for g in v}) - {"core"}
    make_groups = re.search(r"^OPMODS := (.*)$", (INTERP / "opmod" / "groups.mk").read_text(), re.M).group(1)
    assert set(make_groups.split()) == groups
    dirs = {p.parent.name for p in (ROOT / "mpy_modules").glob("interp_*/Makefile")}
    assert dirs == {f"interp_{g}" for g in groups} | {interp_modules.NAMES_MODULE, interp_modules.CORES_MODULE}
    assert set(interp_modules.OP_MODULES) == {f"interp_{g}" for g in groups}


@pytest.mark.parametrize("name", ["fire_alarm", "ds_cnn_s", "zoo_lstm_mfcc", "add_relu", "squeeze_expand"])
def test_op_modules_cover_each_op_outside_the_core_and_its_variants_once(name):
    data = (FIXTURES / f"{name}.tflite").read_bytes()
    needed = interp_modules.op_modules(data)
    ops = {op["op"] for op in describe(data)["ops"]}
    groups = {interp_modules.OP_GROUPS[op] for op in ops} - {"core"}
    groups |= {g for op in ops for g in interp_modules.VARIANT_GROUPS.get(op, ())}
    assert ("interp_dwx" in needed) == (name == "ds_cnn_s")  # its depthwise convs
    assert ("interp_convx" in needed) == bool({"CONV_2D", "FULLY_CONNECTED"} & ops)
    assert len(needed) == len(set(needed)) == len(groups)
    assert set(needed) == {f"interp_{g}" for g in groups}
    assert interp_modules.interp_modules(data) == ("interp", *needed)


def test_an_op_no_module_has_adds_no_module():
    from tests.mpy_modules.test_interp_modules_boards import with_leaky_relu

    data = with_leaky_relu((FIXTURES / "fire_alarm.tflite").read_bytes())
    ops = {op["op"] for op in describe(data)["ops"]}
    assert "LEAKY_RELU" in ops  # it took RESIZE_NEAREST_NEIGHBOR's place: interp_resize is not needed
    groups = {interp_modules.OP_GROUPS[op] for op in ops if op in interp_modules.OP_GROUPS} - {"core"}
    assert interp_modules.op_modules(data) == tuple(sorted(f"interp_{g}" for g in groups | {"convx"}))
    assert "interp_resize" not in interp_modules.op_modules(data)


def _planned(model):
    names = ("interp", *interp_modules.OP_MODULES, interp_modules.NAMES_MODULE)
    if any(mpy_module(n, "armv6m") is None for n in names):
        pytest.skip("the armv6m interp modules are not built (make modules)")
    return [f.path for f in files.plan(ARMV6M, model) if f.path.startswith("/interp")]


@pytest.mark.parametrize("name", ["alarm_cnn", "music_genre", "smart_lock"])
def test_plan_copies_the_core_the_models_op_modules_and_the_names(name):
    model = ROOT / "tests" / "fixtures" / "app" / f"{name}.tflite"
    expected = ["/interp.mpy", *(f"/{m}.mpy" for m in interp_modules.op_modules(model.read_bytes())),
                "/interp_names.mpy", "/interp_cores.mpy"]
    assert _planned(model) == expected
    assert len(expected) < 2 + len(interp_modules.OP_MODULES)


def test_plan_without_a_model_copies_every_op_module():
    # The board keeps its own model, unknown here: every op module goes along.
    assert _planned(None) == ["/interp.mpy", *(f"/{m}.mpy" for m in interp_modules.OP_MODULES), "/interp_names.mpy", "/interp_cores.mpy"]
