"""emlearn_linreg built by mpyforge, run in the MicroPython unix port, checked against a numpy model
of the same ElasticNet proximal gradient step and against scikit-learn's ElasticNet / Lasso /
Ridge / LinearRegression solutions (which the steps converge to)."""

import json

import numpy as np
import pytest

from conftest import RUN_CASES, heap_growth, run_micropython, run_micropython_json

linear_model = pytest.importorskip("sklearn.linear_model")
datasets = pytest.importorskip("sklearn.datasets")


def make_data(n_samples=200, n_features=6, seed=0):
    x, y = datasets.make_regression(n_samples=n_samples, n_features=n_features, n_informative=4, noise=5.0,
                                    bias=3.0, random_state=seed)
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    return x.astype(np.float32), (y / y.std()).astype(np.float32)


def reference_step(x, y, w, b, alpha, l1_ratio, lr):
    """emlearn-micropython's update rule (float64 here; the kernel runs float32)."""
    error = x @ w + b - y
    gradient = x.T @ error / len(y)
    updated = w - lr * (gradient + alpha * (1 - l1_ratio) * w)
    threshold = alpha * l1_ratio * lr
    w = np.sign(updated) * np.maximum(np.abs(updated) - threshold, 0.0)
    return w, b - lr * error.mean()


STEPS_SCRIPT = """
import array, json, emlearn_linreg
with open({x_path!r}, 'rb') as f:
    X = array.array('f', f.read())
with open({y_path!r}, 'rb') as f:
    y = array.array('f', f.read())
n_features = {n_features}
model = emlearn_linreg.new(n_features, {alpha}, {l1_ratio}, {lr})
out = []
w = array.array('f', [0.0] * n_features)
for step in range(1, {steps} + 1):
    model.step(X, y)
    if step in {record!r}:
        model.get_weights(w)
        out.append([step, list(w), model.get_bias(), model.score_mse(X, y)])
print(json.dumps(out))
"""


def run_steps(libdir, work, x, y, alpha, l1_ratio, lr, steps, record):
    x_path, y_path = work / "x.bin", work / "y.bin"
    x.astype("<f4").tofile(x_path)
    y.astype("<f4").tofile(y_path)
    script = STEPS_SCRIPT.format(x_path=str(x_path), y_path=str(y_path), n_features=x.shape[1], alpha=alpha,
                                 l1_ratio=l1_ratio, lr=lr, steps=steps, record=record)
    return run_micropython_json(script, libdir, timeout=60)


# On x86 the kernel takes rows in pairs; MCU builds take one row at a time and subtract through
# the adder without an FPU (linreg.c). The defines build that code for the host.
BUILDS = {"x86": (), "mcu_code": ("ROWS_IN_PAIRS=0", "__SOFTFP__")}


@pytest.mark.parametrize("build", sorted(BUILDS))
@pytest.mark.parametrize("alpha,l1_ratio", [(0.0, 0.0), (0.1, 0.0), (0.1, 1.0), (0.05, 0.5)])
def test_steps_match_numpy_update_rule(build_module, tmp_path, alpha, l1_ratio, build):
    x, y = make_data(n_samples=201)   # odd: the kernel takes rows in pairs, plus a last single one
    lr = 0.1
    recorded = run_steps(build_module("emlearn_linreg", defines=BUILDS[build]), tmp_path, x, y, alpha, l1_ratio, lr,
                         40, [1, 2, 10, 40])
    w, b = np.zeros(x.shape[1]), 0.0
    xs, ys = x.astype(np.float64), y.astype(np.float64)
    steps = 0
    for step, weights, bias, mse in recorded:
        while steps < step:
            w, b = reference_step(xs, ys, w, b, alpha, l1_ratio, lr)
            steps += 1
        # float32 accumulation over 201 samples vs float64: a few ulp of the largest terms
        np.testing.assert_allclose(weights, w, rtol=1e-4, atol=1e-5)
        assert abs(bias - b) < 1e-5
        np.testing.assert_allclose(mse, np.mean((xs @ w + b - ys) ** 2), rtol=1e-4)
        if l1_ratio == 1.0:
            # soft thresholding gives exact zeros where the reference has them
            assert [wi == 0.0 for wi in weights] == list(w == 0.0)


def lipschitz_step(x):
    """A safe learning rate: below 1 / largest eigenvalue of X^T X / n."""
    return 0.9 / np.linalg.eigvalsh(x.T.astype(np.float64) @ x / len(x)).max()


@pytest.mark.parametrize("name,alpha,l1_ratio", [
    ("LinearRegression", 0.0, 0.0),
    ("Ridge", 0.2, 0.0),
    ("Lasso", 0.05, 1.0),
    ("ElasticNet", 0.1, 0.5),
])
def test_converges_to_sklearn_solution(build_module, tmp_path, name, alpha, l1_ratio):
    x, y = make_data(seed=4)
    lr = lipschitz_step(x)
    xd, yd = x.astype(np.float64), y.astype(np.float64)   # the same data, solved in float64
    if name == "LinearRegression":
        reference = linear_model.LinearRegression().fit(xd, yd)
    elif name == "Ridge":
        # sklearn's Ridge penalises alpha * |w|^2 on the summed loss; ElasticNet's l2 term is
        # alpha * (1 - l1_ratio) / 2 * |w|^2 on the mean loss / 2, hence the factor n
        reference = linear_model.Ridge(alpha=alpha * len(y)).fit(xd, yd)
    elif name == "Lasso":
        reference = linear_model.Lasso(alpha=alpha, tol=1e-10, max_iter=100000).fit(xd, yd)
    else:
        reference = linear_model.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-10, max_iter=100000).fit(xd, yd)
    [(_, weights, bias, _)] = run_steps(build_module("emlearn_linreg"), tmp_path, x, y, alpha, l1_ratio, lr, 600, [600])
    np.testing.assert_allclose(weights, reference.coef_, atol=2e-4)
    assert abs(bias - reference.intercept_) < 2e-4
    if name == "Lasso":
        assert (np.array(weights) == 0.0).sum() == (reference.coef_ == 0.0).sum() > 0


def test_upstream_trivial_training_example(build_module):
    # emlearn-micropython's test: two samples, default train() arguments
    script = """
import array, json, emlearn_linreg
model = emlearn_linreg.new(4, 0.1, 0.5, 0.01)
X = array.array('f', [1, 2, 3, 4, 2, 3, 4, 5])
y = array.array('f', [10, 15])
result = emlearn_linreg.train(model, X, y, max_iterations=100, tolerance=1e-6, verbose=0)
print(json.dumps([model.predict(array.array('f', [1, 2, 3, 4])), list(result)]))
"""
    prediction, (iteration, mse) = run_micropython_json(script, build_module("emlearn_linreg"))
    assert abs(prediction - 10.0) < 0.8
    assert iteration == 99 and mse > 0


TRAIN_SCRIPT = """
import array, json, emlearn_linreg
X = array.array('f', {x!r})
y = array.array('f', {y!r})

def manual(model, max_iterations, tolerance, check_interval, divergence_factor, score_limit):
    # the documented stopping rule, spelled out with the model's own step/score_mse
    prev = float('inf')
    for it in range(max_iterations):
        model.step(X, y)
        if it % check_interval:
            continue
        mse = model.score_mse(X, y)
        if (abs(prev - mse) < tolerance and it > 2 * check_interval) or (score_limit is not None and mse <= score_limit):
            return [it, prev, 'Converged']
        if mse > prev * divergence_factor or mse != mse:
            return [it, prev, 'Diverged']
        prev = mse
    return [it, prev, None]

out = []
for lr, kwargs in {cases!r}:
    a = emlearn_linreg.train(emlearn_linreg.new({n_features}, 0.01, 0.5, lr), X, y, verbose=1, **kwargs)
    args = dict(max_iterations=100, tolerance=1e-6, check_interval=10, divergence_factor=10.0, score_limit=None)
    args.update(kwargs)
    out.append([list(a), manual(emlearn_linreg.new({n_features}, 0.01, 0.5, lr), **args)])
print(json.dumps(out))
"""


def test_train_stops_like_the_documented_rule(build_module):
    x, y = make_data(n_samples=60, n_features=4, seed=9)
    cases = [
        (0.1, {}),                                           # runs to max_iterations
        (0.1, {"score_limit": 0.5, "check_interval": 5}),    # stops on score_limit
        (0.1, {"tolerance": 1e-3, "max_iterations": 500}),   # stops on tolerance
        (5.0, {"check_interval": 1}),                        # diverges
    ]
    script = TRAIN_SCRIPT.format(x=x.ravel().tolist(), y=y.tolist(), n_features=4, cases=cases)
    proc = run_micropython(script, build_module("emlearn_linreg"))
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    stops = []
    for (iteration, mse), (want_iteration, want_mse, stop) in results:
        assert iteration == want_iteration and mse == want_mse
        stops.append(stop)
    assert stops == [None, "Converged", "Converged", "Diverged"]
    # verbose=1 reports each stop
    assert proc.stdout.count("emlearn_linreg: Converged at iteration") == 2
    assert proc.stdout.count("emlearn_linreg: Diverged at iteration") == 1


def test_accessors_and_predict(build_module):
    script = """
import array, json, emlearn_linreg
m = emlearn_linreg.new(3, 0.0, 0.0, 0.1)
m.set_weights(array.array('f', [0.5, -2.0, 4.0]))
m.set_bias(1.25)
w = array.array('f', [0, 0, 0])
m.get_weights(w)
print(json.dumps([m.get_n_features(), list(w), m.get_bias(), m.predict(array.array('f', [1.0, 2.0, 3.0])),
                  m.score_mse(array.array('f', [1, 2, 3, 0, 0, 0]), array.array('f', [10.25, 0.25]))]))
"""
    n, weights, bias, prediction, mse = run_micropython_json(script, build_module("emlearn_linreg"))
    assert (n, weights, bias) == (3, [0.5, -2.0, 4.0], 1.25)
    assert prediction == 0.5 - 4.0 + 12.0 + 1.25
    assert mse == pytest.approx((0.5 ** 2 + 1.0 ** 2) / 2)


def test_bad_arguments_raise(build_module):
    script = """
import array, json, emlearn_linreg as linreg
m = linreg.new(2, 0.1, 0.5, 0.01)
X = array.array('f', [1, 2, 3, 4])
y = array.array('f', [1, 2])
cases = {
    'new n_features 0': lambda: linreg.new(0, 0.1, 0.5, 0.01),
    'new n_features negative': lambda: linreg.new(-1, 0.1, 0.5, 0.01),
    'new n_features huge': lambda: linreg.new(1 << 100, 0.1, 0.5, 0.01),
    'new n_features wraps to 2': lambda: linreg.new((1 << 64) + 2, 0.1, 0.5, 0.01),
    'new n_features too many': lambda: linreg.new(65536, 0.1, 0.5, 0.01),
    'new n_features str': lambda: linreg.new('2', 0.1, 0.5, 0.01),
    'new alpha negative': lambda: linreg.new(2, -0.1, 0.5, 0.01),
    'new alpha nan': lambda: linreg.new(2, float('nan'), 0.5, 0.01),
    'new alpha inf': lambda: linreg.new(2, float('inf'), 0.5, 0.01),
    'new l1_ratio above 1': lambda: linreg.new(2, 0.1, 1.5, 0.01),
    'new l1_ratio nan': lambda: linreg.new(2, 0.1, float('nan'), 0.01),
    'new learning_rate 0': lambda: linreg.new(2, 0.1, 0.5, 0.0),
    'new learning_rate str': lambda: linreg.new(2, 0.1, 0.5, 'fast'),
    'new too few args': lambda: linreg.new(2, 0.1, 0.5),
    'step int16 X': lambda: m.step(array.array('h', [1, 2, 3, 4]), y),
    'step double y': lambda: m.step(X, array.array('d', [1, 2])),
    'step lists': lambda: m.step([1.0, 2.0, 3.0, 4.0], [1.0, 2.0]),
    'step X not rows': lambda: m.step(array.array('f', [1, 2, 3]), y),
    'step X y mismatch': lambda: m.step(X, array.array('f', [1])),
    'step empty': lambda: m.step(array.array('f'), array.array('f')),
    'step None': lambda: m.step(None, y),
    'score_mse mismatch': lambda: m.score_mse(X, array.array('f', [1, 2, 3])),
    'score_mse empty': lambda: m.score_mse(array.array('f'), array.array('f')),
    'predict wrong length': lambda: m.predict(array.array('f', [1, 2, 3])),
    'predict int16': lambda: m.predict(array.array('h', [1, 2])),
    'predict huge int': lambda: m.predict(1 << 100),
    'get_weights wrong length': lambda: m.get_weights(array.array('f', [0])),
    'get_weights bytes': lambda: m.get_weights(b'12345678'),
    'set_weights wrong length': lambda: m.set_weights(array.array('f', [0, 0, 0])),
    'set_weights list': lambda: m.set_weights([0.0, 0.0]),
    'set_bias str': lambda: m.set_bias('x'),
    'train max_iterations 0': lambda: linreg.train(m, X, y, max_iterations=0),
    'train max_iterations huge': lambda: linreg.train(m, X, y, max_iterations=1 << 100),
    'train check_interval 0': lambda: linreg.train(m, X, y, check_interval=0),
    'train max_iterations str': lambda: linreg.train(m, X, y, max_iterations='10'),
    'train bad data': lambda: linreg.train(m, X, array.array('f', [1])),
}
""" + RUN_CASES + """print(json.dumps(res))
"""
    res = run_micropython_json(script, build_module("emlearn_linreg"))
    for name, outcome in res.items():
        assert outcome is not None and outcome[0] in ("ValueError", "TypeError"), (name, outcome)
        # mp_arg_check_num's own message for a missing argument is MicroPython's
        assert outcome[1] or name == "new too few args", (name, outcome)
    assert "float32" in res["step int16 X"][1]
    assert "n_features" in res["new n_features 0"][1]
    assert "n_features" in res["predict wrong length"][1]


def test_memory_is_returned_after_del(build_module):
    growth = heap_growth(build_module("emlearn_linreg"),
                         setup="import emlearn_linreg",
                         body="emlearn_linreg.new(500, 0.1, 0.5, 0.01)", iterations=200)
    # each model is 4 KB; a leak of even one per iteration would show
    assert growth < 2048, growth
