"""Integer arguments of the kernels beyond a machine word (issue 15, finding 7).

The runtime's conversion for native code keeps only the low machine word of a big int, so
before the fix 2**64 + 5 arrived as 5: a tree threshold was stored as 5, a CSV threshold of
1e308 loaded as 0, a k-NN label 2**64 + 1 became 1, and trees.new(2**64 + 1, 1, 1) made a
model of capacity 1. Every int argument now goes through the SDK's mp_obj_get_int_arg, which
raises OverflowError naming the argument; in-range values keep working.
"""

import pytest

from conftest import run_micropython_json

SCRIPT = """
import array, io, json, {module}
def outcome(fn):
    try:
        return ['ok', repr(fn())]
    except Exception as e:
        return [type(e).__name__, str(e)]
{setup}
print(json.dumps(outcome(lambda: {call})))
"""

TREES_CSV = "f,2\nc,2\nn,0,{threshold},-1,-2\nr,0\nl,0\nl,1\n"

# (module, setup, call, name the error must carry)
CASES = {
    "trees addnode threshold 2**64+5": (
        "emlearn_trees", "m = emlearn_trees.new(4, 10, 4)", "m.addnode(-1, -2, 0, 2**64 + 5)", "threshold"),
    "trees addnode feature -2**64": (
        "emlearn_trees", "m = emlearn_trees.new(4, 10, 4)", "m.addnode(-1, -2, -2**64, 5)", "feature"),
    "trees addnode left 2**64-1": (
        "emlearn_trees", "m = emlearn_trees.new(4, 10, 4)", "m.addnode(2**64 - 1, -2, 0, 5)", "left"),
    "trees new capacity 2**64+1": (
        "emlearn_trees", "", "emlearn_trees.new(2**64 + 1, 1, 1)", "max_trees"),
    "trees setdata 2**64+2 classes": (
        "emlearn_trees", "m = emlearn_trees.new(4, 10, 4)", "m.setdata(2, 2**64 + 2)", "n_classes"),
    "trees addleaf 2**64": (
        "emlearn_trees", "m = emlearn_trees.new(4, 10, 4)", "m.addleaf(2**64)", "leaf"),
    "trees addroot 2**65": (
        "emlearn_trees", "m = emlearn_trees.new(4, 10, 4)", "m.addroot(2**65)", "root"),
    "trees CSV threshold 1e308": (
        "emlearn_trees", "m = emlearn_trees.new(4, 10, 4)",
        "emlearn_trees.load_model(m, io.StringIO(" + repr(TREES_CSV.format(threshold="1e308")) + "))", "threshold"),
    "neighbors label 2**64+1": (
        "emlearn_neighbors", "m = emlearn_neighbors.new(4, 2, 1)",
        "m.additem(array.array('h', [1, 2]), 2**64 + 1)", "label"),
    "neighbors new 2**64+4 items": (
        "emlearn_neighbors", "", "emlearn_neighbors.new(2**64 + 4, 2, 1)", "max_items"),
    "neighbors getitem 2**64": (
        "emlearn_neighbors", "m = emlearn_neighbors.new(4, 2, 1); m.additem(array.array('h', [1, 2]), 0)",
        "m.getitem(2**64, array.array('h', [0, 0]))", "index"),
    "neighbors getresult 2**64": (
        "emlearn_neighbors", "m = emlearn_neighbors.new(4, 2, 1); m.additem(array.array('h', [1, 2]), 0); "
        "m.predict(array.array('h', [1, 2]))", "m.getresult(2**64)", "i"),
    "fft length 2**64+256": (
        "emlearn_fft", "", "emlearn_fft.FFT(2**64 + 256)", "n"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_big_int_is_refused_with_its_name(build_module, case):
    module, setup, call, name = CASES[case]
    kind, message = run_micropython_json(SCRIPT.format(module=module, setup=setup, call=call), build_module(module))
    # load_model reports the CSV line as ValueError around the kernel's OverflowError
    assert kind in ("OverflowError", "ValueError"), (case, kind, message)
    assert message.split(": ")[-1].startswith(name + " "), (case, message)


def test_in_range_values_still_work(build_module):
    # a big-int object that fits a machine word (2**40 on x64) is exact, so it reaches the
    # kernel's own range check; True counts as 1, like everywhere in Python
    setup = "m = emlearn_neighbors.new(4, 2, 1)"
    ok = run_micropython_json(SCRIPT.format(module="emlearn_neighbors", setup=setup,
                                            call="m.additem(array.array('h', [1, 2]), True)"),
                              build_module("emlearn_neighbors"))
    assert ok[0] == "ok"
    kind, message = run_micropython_json(SCRIPT.format(module="emlearn_neighbors", setup=setup,
                                                       call="m.additem(array.array('h', [1, 2]), 2**40)"),
                                         build_module("emlearn_neighbors"))
    assert (kind, message) == ("ValueError", "label not int16")
