"""emlearn_neighbors built by mpyforge, run in the MicroPython unix port, checked against a
brute-force k-NN in numpy (predicted label, order of getresult, distances, labels)."""

import numpy as np

from conftest import RUN_CASES, heap_growth, run_micropython, run_micropython_json

KNN_SCRIPT = """
import array, json, emlearn_neighbors
n_items, n_features, k, n_queries = {n_items}, {n_features}, {k}, {n_queries}
model = emlearn_neighbors.new(n_items, n_features, k)
row = array.array('h', [0] * n_features)
labels = {labels!r}
indices = []
with open({items_path!r}, 'rb') as f:
    for i in range(n_items):
        f.readinto(row)
        indices.append(model.additem(row, labels[i]))
# getitem gives back what was stored
back = array.array('h', [0] * n_features)
model.getitem(n_items - 1, back)
results = []
with open({queries_path!r}, 'rb') as f:
    for q in range(n_queries):
        f.readinto(row)
        label = model.predict(row)
        results.append([label, [list(model.getresult(i)) for i in range(n_items)]])
print(json.dumps([indices, list(back), results]))
"""


def knn_reference(items, labels, query, k):
    d2 = ((items.astype(np.int64) - query.astype(np.int64)) ** 2).sum(axis=1)
    order = np.lexsort((np.arange(len(items)), d2))   # by distance, ties by item index
    distances = np.floor(np.sqrt(d2[order].astype(np.float64))).astype(np.int64)
    nearest = labels[order[:k]]
    values, counts = np.unique(nearest, return_counts=True)   # sorted: ties go to the smallest label
    return int(values[np.argmax(counts)]), [[int(i), int(d), int(labels[i])] for i, d in zip(order, distances)]


def run_knn(libdir, work, items, labels, queries, k):
    items_path, queries_path = work / "items.bin", work / "queries.bin"
    items.astype("<i2").tofile(items_path)
    queries.astype("<i2").tofile(queries_path)
    script = KNN_SCRIPT.format(n_items=len(items), n_features=items.shape[1], k=k, n_queries=len(queries),
                               labels=[int(v) for v in labels], items_path=str(items_path),
                               queries_path=str(queries_path))
    return run_micropython_json(script, libdir)


def check_against_reference(result, items, labels, queries, k):
    indices, back, per_query = result
    assert indices == list(range(len(items)))
    assert back == items[-1].tolist()
    for query, (label, ranking) in zip(queries, per_query):
        expected_label, expected_ranking = knn_reference(items, labels, query, k)
        assert ranking == expected_ranking
        assert label == expected_label


def test_clustered_data_matches_numpy(build_module, tmp_path):
    rng = np.random.default_rng(5)
    centers = rng.integers(-2000, 2000, size=(4, 6))
    labels = rng.integers(0, 4, size=60)
    items = (centers[labels] + rng.normal(0, 600, size=(60, 6))).astype(np.int16)
    queries = (centers[rng.integers(0, 4, size=15)] + rng.normal(0, 800, size=(15, 6))).astype(np.int16)
    result = run_knn(build_module("emlearn_neighbors"), tmp_path, items, labels, queries, k=5)
    check_against_reference(result, items, labels, queries, k=5)


def test_extreme_values_ties_and_large_labels(build_module, tmp_path):
    # full int16 range (squared distances overflow 32 bits), duplicate items (ties broken by
    # index), labels beyond 0..9 and negative ones, an even k with tied votes
    items = np.array([[-32768] * 8, [32767] * 8, [0] * 8, [0] * 8, [100] * 8, [-32768] * 8, [5] * 8],
                     dtype=np.int16)
    labels = np.array([300, -7, 12, 3, 12, 3, -7])
    queries = np.array([[32767] * 8, [-32768] * 8, [0] * 8, [50] * 8], dtype=np.int16)
    result = run_knn(build_module("emlearn_neighbors"), tmp_path, items, labels, queries, k=4)
    check_against_reference(result, items, labels, queries, k=4)
    # largest possible distance: sqrt(8 * 65535^2)
    assert result[2][0][1][-1][1] == int(np.floor(np.sqrt(8 * 65535 ** 2)))


def test_bad_arguments_raise(build_module):
    script = """
import array, json, emlearn_neighbors
def model(items=2):
    m = emlearn_neighbors.new(4, 3, 1)
    for i in range(items):
        m.additem(array.array('h', [i, i, i]), i)
    return m
h3 = lambda: array.array('h', [1, 2, 3])
cases = {
    'new zero items': lambda: emlearn_neighbors.new(0, 3, 1),
    'new zero features': lambda: emlearn_neighbors.new(4, 0, 1),
    'new k zero': lambda: emlearn_neighbors.new(4, 3, 0),
    'new k beyond items': lambda: emlearn_neighbors.new(4, 3, 5),
    'new too large': lambda: emlearn_neighbors.new(65535, 65535, 1),
    'additem float': lambda: model().additem(array.array('f', [1, 2, 3]), 0),
    'additem short': lambda: model().additem(array.array('h', [1, 2]), 0),
    'additem long': lambda: model().additem(array.array('h', [1, 2, 3, 4]), 0),
    'additem label beyond int16': lambda: model().additem(h3(), 40000),
    'additem full': lambda: model(4).additem(h3(), 0),
    'additem not a buffer': lambda: model().additem(5, 0),
    'getitem index': lambda: model().getitem(2, array.array('h', [0, 0, 0])),
    'getitem negative': lambda: model().getitem(-1, array.array('h', [0, 0, 0])),
    'getitem out float': lambda: model().getitem(0, array.array('f', [0, 0, 0])),
    'getitem out short': lambda: model().getitem(0, array.array('h', [0, 0])),
    'predict float': lambda: model().predict(array.array('f', [1, 2, 3])),
    'predict short': lambda: model().predict(array.array('h', [1, 2])),
    'predict empty model': lambda: model(0).predict(h3()),
    'getresult before predict': lambda: model().getresult(0),
    'getresult beyond items': lambda: (lambda m: (m.predict(h3()), m.getresult(2)))(model()),
    'getresult negative': lambda: (lambda m: (m.predict(h3()), m.getresult(-1)))(model()),
}
""" + RUN_CASES + """print(json.dumps(res))
"""
    res = run_micropython_json(script, build_module("emlearn_neighbors"))
    # 65535 x 65535 int16 is 8 GiB: a size overflow error on 32-bit, MemoryError on 64-bit
    assert res.pop("new too large")[0] in ("ValueError", "MemoryError")
    for name, outcome in res.items():
        assert outcome is not None and outcome[0] in ("ValueError", "TypeError"), (name, outcome)
    assert "int16" in res["additem float"][1]
    assert "length" in res["additem short"][1]
    assert "full" in res["additem full"][1]
    assert "predict" in res["getresult before predict"][1]


def test_memory_is_returned_after_del(build_module):
    growth = heap_growth(build_module("emlearn_neighbors"),
                         setup="import array, emlearn_neighbors\nrow = array.array('h', [1] * 16)",
                         body="m = emlearn_neighbors.new(500, 16, 1)\nm.additem(row, 1)\nm.predict(row)", iterations=100)
    # each model holds ~21 KB; a leak of even one per iteration would show
    assert growth < 2048, growth
