"""emlearn_trees built by mpyforge, run in the MicroPython unix port, checked against scikit-learn
and against a plain-Python walk of the same emlearn CSV model."""

import json

import numpy as np
import pytest

from conftest import RUN_CASES, heap_growth, run_micropython, run_micropython_json

emlearn = pytest.importorskip("emlearn")
sklearn_datasets = pytest.importorskip("sklearn.datasets")
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

# digits pixels are 0..16; x1000 keeps them well inside int16 and makes every split threshold
# (a midpoint of two training values) an integer, so int16 truncation loses nothing.
FEATURE_SCALE = 1000


def parse_csv_model(text):
    """The emlearn CSV model as plain Python lists, read with the rules load_model uses."""
    nodes, roots, leaves = [], [], []
    n_features = n_classes = None
    for line in text.splitlines():
        tok = line.strip().split(",")
        if tok[0] == "n":
            nodes.append((int(tok[1]), int(float(tok[2])), int(tok[3]), int(tok[4])))
        elif tok[0] == "l":
            leaves.append(int(tok[1]))
        elif tok[0] == "r":
            roots.append(int(tok[1]))
        elif tok[0] == "f":
            n_features = int(tok[1])
        elif tok[0] == "c":
            n_classes = int(tok[1])
    return n_features, n_classes, nodes, roots, leaves


def python_tree_scores(model, x):
    """Reference inference: walk each tree (children are relative jumps, leaves are -(i)-1)."""
    _, n_classes, nodes, roots, leaves = model
    votes = [0] * n_classes
    for root in roots:
        idx = root
        while idx >= 0:
            feature, threshold, left, right = nodes[idx]
            child = left if x[feature] < threshold else right
            idx = idx + child if child >= 0 else child
        votes[leaves[-idx - 1]] += 1
    return np.array(votes, dtype=np.float64) / len(roots)


@pytest.fixture(scope="module")
def digits_model(tmp_path_factory):
    X, y = sklearn_datasets.load_digits(return_X_y=True)
    X = (X * FEATURE_SCALE).astype(np.int16)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=3)
    estimator = RandomForestClassifier(n_estimators=10, max_depth=8, random_state=1)
    estimator.fit(X_train, y_train)
    work = tmp_path_factory.mktemp("trees")
    csv_path = work / "digits.csv"
    emlearn.convert(estimator, method="inline").save(format="csv", name="digits", file=str(csv_path))
    X_test.astype("<i2").tofile(work / "x_test.bin")
    # x - 1 turns the kernel's `x < trunc(t)` into sklearn's `x <= t` (integer x, t >= 0): see docs/kernels.md
    (X_test - 1).astype("<i2").tofile(work / "x_test_minus1.bin")
    return dict(estimator=estimator, csv=csv_path, X_test=X_test, y_test=y_test, work=work,
                parsed=parse_csv_model(csv_path.read_text()))


PREDICT_SCRIPT = """
import array, emlearn_trees
model = emlearn_trees.new({max_trees}, {max_nodes}, {max_leaves})
with open({csv!r}) as f:
    emlearn_trees.load_model(model, f)
n_features, n_outputs, n_rows = {n_features}, model.outputs(), {n_rows}
x = array.array('h', [0] * n_features)
out = array.array('f', [0.0] * n_outputs)
for x_path, out_path in {paths!r}:
    with open(x_path, 'rb') as src, open(out_path, 'wb') as dst:
        for _ in range(n_rows):
            src.readinto(x)
            model.predict(x, out)
            dst.write(out)
print(n_outputs)
"""


def test_digits_forest_matches_python_walk_and_sklearn(build_module, digits_model):
    libdir = build_module("emlearn_trees")
    n_features, n_classes, nodes, roots, leaves = digits_model["parsed"]
    X_test = digits_model["X_test"]
    work = digits_model["work"]
    paths = [(str(work / "x_test.bin"), str(work / "scores.bin")),
             (str(work / "x_test_minus1.bin"), str(work / "scores_minus1.bin"))]
    script = PREDICT_SCRIPT.format(
        max_trees=len(roots), max_nodes=len(nodes), max_leaves=len(leaves), csv=str(digits_model["csv"]),
        n_features=n_features, n_rows=len(X_test), paths=paths)
    proc = run_micropython(script, libdir)
    assert int(proc.stdout.split()[-1]) == n_classes == 10

    scores = np.fromfile(work / "scores.bin", dtype="<f4").reshape(len(X_test), n_classes)
    expected = np.array([python_tree_scores(digits_model["parsed"], x) for x in X_test]).astype(np.float32)
    np.testing.assert_array_equal(scores, expected)

    # argmax takes the lowest class on ties, as does numpy
    sklearn_pred = digits_model["estimator"].predict(X_test)
    agreement = np.mean(np.argmax(scores, axis=1) == sklearn_pred)
    assert agreement >= 0.95, agreement
    assert np.mean(np.argmax(scores, axis=1) == digits_model["y_test"]) >= 0.85

    # With the x - 1 input offset the vote fractions equal scikit-learn's per-tree (hard) votes exactly.
    scores_minus1 = np.fromfile(work / "scores_minus1.bin", dtype="<f4").reshape(len(X_test), n_classes)
    hard_votes = np.zeros((len(X_test), n_classes))
    for tree in digits_model["estimator"].estimators_:
        hard_votes[np.arange(len(X_test)), tree.predict(X_test.astype(np.float32)).astype(int)] += 1
    hard_votes = (hard_votes / len(roots)).astype(np.float32)
    np.testing.assert_array_equal(scores_minus1, hard_votes)


def test_low_level_builder_api(build_module):
    """A hand-built stump: feature 1 < 10 -> class 0 else class 2; second tree always class 1."""
    script = """
import array, json, emlearn_trees
m = emlearn_trees.new(2, 2, 3)
m.addleaf(0); m.addleaf(2); m.addleaf(1)
m.addnode(-1, -2, 1, 10)
m.addnode(-3, -3, 0, 0)
m.addroot(0); m.addroot(1)
m.setdata(2, 3)
out = array.array('f', [9.0, 9.0, 9.0])
res = []
for v in (9, 10, -32768, 32767):
    m.predict(array.array('h', [0, v]), out)
    res.append(list(out))
print(json.dumps(res))
"""
    res = run_micropython_json(script, build_module("emlearn_trees"))
    assert res == [[0.5, 0.5, 0.0], [0.0, 0.5, 0.5], [0.5, 0.5, 0.0], [0.0, 0.5, 0.5]]


ERRORS_SCRIPT = """
import array, json, emlearn_trees

def loaded():
    m = emlearn_trees.new(1, 1, 2)
    emlearn_trees.load_model(m, ['f,2', 'c,2', 'l,0', 'l,1', 'r,0', 'n,0,5.5,-1,-2'])
    return m

def load(lines, caps=(4, 4, 4)):
    emlearn_trees.load_model(emlearn_trees.new(*caps), lines)

GOOD = ['f,2', 'c,2', 'l,0', 'l,1', 'r,0', 'n,0,5.5,-1,-2']
cases = {
    'predict float features': lambda: loaded().predict(array.array('f', [1, 2]), array.array('f', [0, 0])),
    'predict short features': lambda: loaded().predict(array.array('h', [1]), array.array('f', [0, 0])),
    'predict long features': lambda: loaded().predict(array.array('h', [1, 2, 3]), array.array('f', [0, 0])),
    'predict int out': lambda: loaded().predict(array.array('h', [1, 2]), array.array('h', [0, 0])),
    'predict short out': lambda: loaded().predict(array.array('h', [1, 2]), array.array('f', [0])),
    'predict bytes features': lambda: loaded().predict(b'abcd', array.array('f', [0, 0])),
    'predict not a buffer': lambda: loaded().predict(12, array.array('f', [0, 0])),
    'predict unloaded': lambda: emlearn_trees.new(1, 1, 1).predict(array.array('h', [1]), array.array('f', [0])),
    'outputs unloaded': lambda: emlearn_trees.new(1, 1, 1).outputs(),
    'new negative capacity': lambda: emlearn_trees.new(-1, 4, 4),
    'too many trees': lambda: load(GOOD[:4] + ['r,0', 'r,0'] + GOOD[5:], caps=(1, 4, 4)),
    'too many nodes': lambda: load(GOOD + ['n,0,1,-1,-1'], caps=(4, 1, 4)),
    'too many leaves': lambda: load(GOOD, caps=(4, 4, 1)),
    'node missing field': lambda: load(GOOD[:5] + ['n,0,5.5,-1']),
    'node extra field': lambda: load(GOOD[:5] + ['n,0,5.5,-1,-2,7']),
    'node bad threshold': lambda: load(GOOD[:5] + ['n,0,abc,-1,-2']),
    'node threshold beyond int16': lambda: load(GOOD[:5] + ['n,0,40000.5,-1,-2']),
    'node feature beyond n_features': lambda: load(GOOD[:5] + ['n,2,5,-1,-2']),
    'node negative feature': lambda: load(GOOD[:5] + ['n,-1,5,-1,-2']),
    'node child outside nodes': lambda: load(GOOD[:5] + ['n,0,5,3,-2']),
    'node child self loop': lambda: load(GOOD[:5] + ['n,0,5,0,-2']),
    'node child outside leaves': lambda: load(GOOD[:5] + ['n,0,5,-1,-3']),
    'leaf class beyond n_classes': lambda: load(['f,2', 'c,2', 'l,0', 'l,5'] + GOOD[4:]),
    'leaf not a number': lambda: load(['f,2', 'c,2', 'l,x'] + GOOD[3:]),
    'leaf empty': lambda: load(['f,2', 'c,2', 'l,'] + GOOD[3:]),
    'root outside nodes': lambda: load(GOOD[:4] + ['r,3'] + GOOD[5:]),
    'root negative': lambda: load(GOOD[:4] + ['r,-1'] + GOOD[5:]),
    'leaf beyond 255': lambda: load(['f,2', 'c,2', 'l,0', 'l,256'] + GOOD[4:]),
    'features missing': lambda: load(GOOD[1:]),
    'classes zero': lambda: load(['f,2', 'c,0'] + GOOD[2:]),
    'features too many': lambda: load(['f,500'] + GOOD[1:]),
    'soft voting leaves': lambda: load(GOOD[:2] + ['lb,8'] + GOOD[2:]),
    'no roots': lambda: load(GOOD[:4] + GOOD[5:]),
}
""" + RUN_CASES + """# unknown record kinds and blank lines are ignored
m = emlearn_trees.new(1, 1, 2)
emlearn_trees.load_model(m, ['# comment', '', 'x,1,2'] + GOOD)
out = array.array('f', [0, 0])
m.predict(array.array('h', [6, 0]), out)
res['unknown kinds ignored'] = list(out)
print(json.dumps(res))
"""


def test_malformed_models_and_arrays_raise(build_module):
    results = run_micropython_json(ERRORS_SCRIPT, build_module("emlearn_trees"))
    assert results.pop("unknown kinds ignored") == [0.0, 1.0]
    for name, outcome in results.items():
        assert outcome is not None, f"{name}: no exception"
        assert outcome[0] in ("ValueError", "TypeError"), f"{name}: {outcome}"
        assert outcome[1], f"{name}: empty message"
    # each message names what is wrong (the model code returns error codes; this pins their texts)
    expected_words = {
        "predict float features": "int16", "predict short features": "n_features",
        "predict int out": "float32", "predict short out": "outputs()",
        "node child outside nodes": "nodes", "root outside nodes": "nodes",
        "node child outside leaves": "leaves", "node feature beyond n_features": "n_features",
        "leaf class beyond n_classes": "n_classes", "no roots": "not loaded", "predict unloaded": "not loaded",
        "new negative capacity": "capacity", "features too many": "n_features", "classes zero": "n_classes",
        "too many trees": "trees", "too many nodes": "nodes", "too many leaves": "leaves",
        "node child self loop": "child", "node negative feature": "feature",
        "node threshold beyond int16": "threshold", "root negative": "root", "leaf beyond 255": "0..255",
        "soft voting leaves": "leaf_bits",
    }
    for name, word in expected_words.items():
        assert word in results[name][1], (name, results[name])
    assert "line 6" in results["node missing field"][1]


def test_memory_is_returned_after_del(build_module):
    growth = heap_growth(build_module("emlearn_trees"),
                         setup="import emlearn_trees",
                         body="m = emlearn_trees.new(10, 2000, 2000)\nm.addleaf(1)\ndel m\ngc.collect()", iterations=50)
    # each model is kilobytes; a leak of even one per iteration would show
    assert growth < 2048, growth


def test_model_beyond_the_heap_is_a_memory_error(build_module):
    script = """
import json, emlearn_trees
try:
    emlearn_trees.new(1 << 20, 1 << 20, 1 << 20)   # about 13 MB
    res = None
except MemoryError as e:
    res = ['MemoryError', str(e)]
m = emlearn_trees.new(1, 1, 2)   # the heap is still usable
emlearn_trees.load_model(m, ['f,1', 'c,2', 'l,0', 'l,1', 'r,0', 'n,0,5,-1,-2'])
print(json.dumps([res, m.outputs()]))
"""
    assert run_micropython_json(script, build_module("emlearn_trees")) == [["MemoryError", "model too big"], 2]
