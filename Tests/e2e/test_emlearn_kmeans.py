"""emlearn_kmeans built by mpyforge, run in the MicroPython unix port, checked against a numpy model
of the same integer Lloyd iterations (exact) and against scikit-learn's KMeans."""

import json

import numpy as np
import pytest

from conftest import RUN_CASES, run_micropython, run_micropython_json

cluster_module = pytest.importorskip("sklearn.cluster")
datasets = pytest.importorskip("sklearn.datasets")


def nearest_reference(vectors, point):
    d = ((vectors.astype(np.int64) - point.astype(np.int64)) ** 2).sum(axis=1)
    return int(np.argmin(d)), int(d.min())   # argmin returns the first minimum: ties to the lowest


def lloyd_reference(values, centroids, features, max_iter=10, stop_changes=0):
    """emlearn-micropython's cluster_iter: assign, count changes, stop or move every centroid with
    members to the floor of their mean. Returns (assignments, centroids, changes per pass)."""
    x = values.reshape(-1, features).astype(np.int64)
    c = centroids.reshape(-1, features).astype(np.int64).copy()
    assignments = np.full(len(x), 255)
    history = []
    for _ in range(max_iter):
        new = np.array([nearest_reference(c, p)[0] for p in x])
        changes = int((new != assignments).sum())
        assignments = new
        history.append(changes)
        if changes <= stop_changes:
            break
        for k in range(len(c)):
            members = x[assignments == k]
            if len(members):
                c[k] = members.sum(axis=0) // len(members)
    return assignments, c.ravel(), history


CLUSTER_SCRIPT = """
import array, json, emlearn_kmeans
cases = {cases!r}
out = []
for values, centroids, features, kwargs in cases:
    values = array.array('B', values)
    centroids = array.array('B', centroids)
    assignments = array.array('B', [255] * (len(values) // features))
    history = list(emlearn_kmeans.cluster_iter(values, centroids, assignments, features, **kwargs))
    out.append([list(assignments), list(centroids), history])
print(json.dumps(out))
"""


def test_upstream_two_clusters_example(build_module):
    # emlearn-micropython's test: low and high values, with a bytearray and with a 'B' array
    script = """
import array, json, emlearn_kmeans
data = [0, 0, 0, 10, 5, 2, 200, 50, 100, 255, 255, 255]
init = [0, 0, 0, 200, 200, 200]
res = []
for make in (bytearray, lambda v: array.array('B', v)):
    centroids = make(init)
    assignments = emlearn_kmeans.cluster(make(data), centroids, features=3)
    res.append([list(assignments), list(centroids)])
print(json.dumps(res))
"""
    for assignments, centroids in run_micropython_json(script, build_module("emlearn_kmeans")):
        assert assignments == [0, 0, 1, 1]
        assert centroids == [5, 2, 1, 227, 152, 177]   # floor of the members' means


@pytest.mark.parametrize("features,k,n,max_iter,stop", [(3, 8, 300, 10, 0), (1, 4, 50, 3, 0), (10, 5, 120, 20, 2),
                                                        (2, 16, 40, 10, 0)])
def test_cluster_iter_matches_integer_lloyd(build_module, features, k, n, max_iter, stop):
    rng = np.random.default_rng(features * 100 + k)
    values = rng.integers(0, 256, n * features)
    # centroids drawn from the data, plus duplicates and far-away points: ties and empty clusters
    centroids = values[: k * features].copy()
    centroids[features:2 * features] = centroids[:features]
    centroids[-features:] = 255
    case = [values.tolist(), centroids.tolist(), features, {"max_iter": max_iter, "stop_changes": stop}]
    [(assignments, got_centroids, history)] = run_micropython_json(CLUSTER_SCRIPT.format(cases=[case]),
                                                                  build_module("emlearn_kmeans"))
    want_assignments, want_centroids, want_history = lloyd_reference(values, centroids, features, max_iter, stop)
    assert history == want_history
    assert assignments == want_assignments.tolist()
    assert got_centroids == want_centroids.tolist()


def test_cluster_matches_sklearn_kmeans_on_blobs(build_module):
    # well separated blobs (centres >= 130 apart, std 10), initialised with one sample of each:
    # no sample is near a boundary, where floor() of the centroid could tip the assignment
    centers = [(50, 50, 50), (200, 50, 50), (50, 200, 50), (50, 50, 200), (200, 200, 200), (125, 125, 125)]
    x, y = datasets.make_blobs(n_samples=400, centers=centers, cluster_std=10.0, random_state=3)
    x = np.clip(np.round(x), 0, 255).astype(np.uint8)
    init = x[[int(np.argmax(y == k)) for k in range(6)]]
    km = cluster_module.KMeans(n_clusters=6, init=init.astype(np.float64), n_init=1, algorithm="lloyd",
                               max_iter=100, tol=0.0).fit(x.astype(np.float64))
    script = """
import array, json, emlearn_kmeans
values = array.array('B', {values!r})
centroids = array.array('B', {init!r})
assignments = emlearn_kmeans.cluster(values, centroids, 3, max_iter=100)
print(json.dumps([list(assignments), list(centroids)]))
""".format(values=x.ravel().tolist(), init=init.ravel().tolist())
    assignments, centroids = run_micropython_json(script, build_module("emlearn_kmeans"))
    # same partition as scikit-learn, and each centroid the floor of scikit-learn's (float) mean
    assert assignments == km.labels_.tolist()
    np.testing.assert_array_equal(np.array(centroids).reshape(6, 3), np.floor(km.cluster_centers_ + 1e-9))


def test_euclidean_argmin_single_and_batch(build_module):
    rng = np.random.default_rng(5)
    palette = rng.integers(0, 256, 16 * 3)
    palette[3:6] = palette[9:12]   # a duplicate: the lower index must win
    points = rng.integers(0, 256, 200 * 3)
    points[:3] = palette[9:12]
    script = """
import array, json, emlearn_kmeans
palette = bytearray({palette!r})
points = array.array('B', {points!r})
single = [list(emlearn_kmeans.euclidean_argmin(palette, points[i:i + 3])) for i in range(0, len(points), 3)]
out = bytearray(len(points) // 3)
changed = emlearn_kmeans.euclidean_argmin(palette, points, out)
again = emlearn_kmeans.euclidean_argmin(palette, points, out)
print(json.dumps([single, list(out), changed, again]))
""".format(palette=palette.tolist(), points=points.tolist())
    single, batch, changed, again = run_micropython_json(script, build_module("emlearn_kmeans"))
    want = [nearest_reference(palette.reshape(-1, 3), p) for p in points.reshape(-1, 3)]
    assert [tuple(s) for s in single] == want
    assert single[0][0] == 1
    assert batch == [w[0] for w in want]
    assert changed == sum(w[0] != 0 for w in want)   # out started as zeros
    assert again == 0


def test_large_distance_is_exact(build_module):
    # 1000 values of 0 vs 255: 65,025,000, beyond a 30-bit small int on 32-bit ports
    script = """
import json, emlearn_kmeans
print(json.dumps(list(emlearn_kmeans.euclidean_argmin(bytearray(1000), bytearray(b"\\xff" * 1000)))))
"""
    assert run_micropython_json(script, build_module("emlearn_kmeans")) == [0, 1000 * 255 * 255]


def test_bad_arguments_raise(build_module):
    script = """
import array, json, emlearn_kmeans as m
v = array.array('B', range(12))
c = array.array('B', [0, 0, 0, 9, 9, 9])
a = array.array('B', [255] * 4)
cases = {
    'argmin signed array': lambda: m.euclidean_argmin(array.array('b', [0, 0, 0]), bytearray(3)),
    'argmin int16 point': lambda: m.euclidean_argmin(c, array.array('h', [0, 0, 0])),
    'argmin list': lambda: m.euclidean_argmin([0, 0, 0], bytearray(3)),
    'argmin None': lambda: m.euclidean_argmin(None, bytearray(3)),
    'argmin huge int': lambda: m.euclidean_argmin(1 << 100, bytearray(3)),
    'argmin empty point': lambda: m.euclidean_argmin(c, bytearray()),
    'argmin empty vectors': lambda: m.euclidean_argmin(bytearray(), bytearray(3)),
    'argmin vectors not multiple': lambda: m.euclidean_argmin(bytearray(7), bytearray(3)),
    'argmin out empty': lambda: m.euclidean_argmin(c, v, bytearray()),
    'argmin out wrong length': lambda: m.euclidean_argmin(c, v, bytearray(5)),
    'argmin out read-only': lambda: m.euclidean_argmin(c, v, b'1234'),
    'argmin out int16': lambda: m.euclidean_argmin(c, v, array.array('h', [0] * 4)),
    'argmin out too many vectors': lambda: m.euclidean_argmin(bytearray(300), v, bytearray(12)),
    'cluster features 0': lambda: m.cluster(v, c, 0),
    'cluster features negative': lambda: m.cluster(v, c, -3),
    'cluster features 255': lambda: m.cluster(bytearray(255 * 2), bytearray(255), 255),
    'cluster features huge': lambda: m.cluster(v, c, 1 << 100),
    'cluster features str': lambda: m.cluster(v, c, '3'),
    'cluster values not multiple': lambda: m.cluster(bytearray(13), c, 3),
    'cluster centroids not multiple': lambda: m.cluster(v, bytearray(7), 3),
    'cluster no centroids': lambda: m.cluster(v, bytearray(), 3),
    'cluster 255 centroids': lambda: m.cluster(v, bytearray(255 * 3), 3),
    'cluster float values': lambda: m.cluster(array.array('f', range(12)), c, 3),
    'cluster empty values': lambda: m.cluster(bytearray(), c, 3),
    'cluster read-only centroids': lambda: m.cluster(v, bytes(6), 3),
    'cluster_iter short assignments': lambda: list(m.cluster_iter(v, c, bytearray(3), 3)),
    'cluster_iter list assignments': lambda: list(m.cluster_iter(v, c, [255] * 4, 3)),
    'cluster max_iter str': lambda: m.cluster(v, c, 3, max_iter='x'),
    'cluster unknown keyword': lambda: m.cluster(v, c, 3, bogus=1),
}
""" + RUN_CASES + """print(json.dumps(res))
"""
    res = run_micropython_json(script, build_module("emlearn_kmeans"))
    for name, outcome in res.items():
        assert outcome is not None and outcome[0] in ("ValueError", "TypeError") and outcome[1], (name, outcome)
    assert "uint8" in res["argmin int16 point"][1]
    assert "features" in res["cluster features 0"][1]
