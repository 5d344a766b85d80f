"""Integer arguments of the kernels beyond a machine word (issue 15, finding 7).

The runtime's conversion for native code keeps only the low machine word of a big int, so
before the fix 2**64 + 5 arrived as 5: a tree threshold was stored as 5, a CSV threshold of
1e308 loaded as 0, a k-NN label 2**64 + 1 became 1, and trees.new(2**64 + 1, 1, 1) made a
model of capacity 1. Every int argument now goes through the SDK's mpyforge_get_int, which
raises the runtime's own OverflowError (what MicroPython's built-in modules raise for a big
int argument); in-range values keep working.
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

# (module, setup, call)
CASES = {
    "trees addnode threshold 2**64+5": (
        "emlearn_trees", "m = emlearn_trees.new(4, 10, 4)", "m.addnode(-1, -2, 0, 2**64 + 5)"),
    "trees addnode feature -2**64": (
        "emlearn_trees", "m = emlearn_trees.new(4, 10, 4)", "m.addnode(-1, -2, -2**64, 5)"),
    "trees addnode left 2**64-1": (
        "emlearn_trees", "m = emlearn_trees.new(4, 10, 4)", "m.addnode(2**64 - 1, -2, 0, 5)"),
    "trees new capacity 2**64+1": (
        "emlearn_trees", "", "emlearn_trees.new(2**64 + 1, 1, 1)"),
    "trees setdata 2**64+2 classes": (
        "emlearn_trees", "m = emlearn_trees.new(4, 10, 4)", "m.setdata(2, 2**64 + 2)"),
    "trees addleaf 2**64": (
        "emlearn_trees", "m = emlearn_trees.new(4, 10, 4)", "m.addleaf(2**64)"),
    "trees addroot 2**65": (
        "emlearn_trees", "m = emlearn_trees.new(4, 10, 4)", "m.addroot(2**65)"),
    "trees CSV threshold 1e308": (
        "emlearn_trees", "m = emlearn_trees.new(4, 10, 4)",
        "emlearn_trees.load_model(m, io.StringIO(" + repr(TREES_CSV.format(threshold="1e308")) + "))"),
    "neighbors label 2**64+1": (
        "emlearn_neighbors", "m = emlearn_neighbors.new(4, 2, 1)",
        "m.additem(array.array('h', [1, 2]), 2**64 + 1)"),
    "neighbors new 2**64+4 items": (
        "emlearn_neighbors", "", "emlearn_neighbors.new(2**64 + 4, 2, 1)"),
    "neighbors getitem 2**64": (
        "emlearn_neighbors", "m = emlearn_neighbors.new(4, 2, 1); m.additem(array.array('h', [1, 2]), 0)",
        "m.getitem(2**64, array.array('h', [0, 0]))"),
    "neighbors getresult 2**64": (
        "emlearn_neighbors", "m = emlearn_neighbors.new(4, 2, 1); m.additem(array.array('h', [1, 2]), 0); "
        "m.predict(array.array('h', [1, 2]))", "m.getresult(2**64)"),
    "fft length 2**64+256": (
        "emlearn_fft", "", "emlearn_fft.FFT(2**64 + 256)"),
}


# what MicroPython's own checked conversion says (the unix port's error reporting level)
RUNTIME_OVERFLOW = "overflow converting long int to machine word"


@pytest.mark.parametrize("case", sorted(CASES))
def test_big_int_is_refused(build_module, case):
    module, setup, call = CASES[case]
    kind, message = run_micropython_json(SCRIPT.format(module=module, setup=setup, call=call), build_module(module))
    # load_model reports the CSV line as ValueError around the kernel's OverflowError
    assert kind in ("OverflowError", "ValueError"), (case, kind, message)
    assert message.split(": ")[-1] == RUNTIME_OVERFLOW, (case, message)
    if module == "emlearn_trees" and "CSV" in case:
        assert message.startswith("line 3: "), message


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
