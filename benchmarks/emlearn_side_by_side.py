"""Our emlearn kernels against emlearn-micropython's published builds: speed and size, side by side.

    .venv/bin/python benchmarks/emlearn_side_by_side.py --theirs DIR --models DIR [--ours DIR]

--theirs DIR   a copy of emlearn-micropython's gh-pages builds/latest: DIR/<arch>_6.3/<module>.mpy.
               One way to make it from a bare mirror of their repository:
                 for f in $(git -C REPO ls-tree -r --name-only gh-pages builds/latest | grep '_6.3/.*mpy$'); do
                   mkdir -p DIR/$(basename $(dirname $f)); git -C REPO show gh-pages:$f > DIR/$(basename $(dirname $f))/$(basename $f)
                 done
--models DIR   their example models, taken from their master branch: mnist_cnn_fp32.tmdl,
               mnist_cnn_int8.tmdl and mnist_example_0.bin (examples/mnist_cnn/...), uci_har.trees.csv
               (examples/har_trees/). A workload whose file is missing is reported as skipped.
--ours DIR     prebuilt ours (DIR/<arch>_6.3/*.mpy); default: build with mpyforge (MPYFORGE or
               .build/debug/mpyforge) into a temporary directory, every arch with a compiler.

Speed (x64 only, the host): both modules are loaded into ONE MicroPython unix-port process (theirs
under the name theirs_<module>), given the same inputs, their results compared (the run stops if
they disagree), then timed in 15 alternating batches; each side keeps its best batch. The ratio
is ours / theirs of those best times per call: below 1.0 means ours is faster.

Size: .mpy bytes per module and arch, ours / theirs, and the geometric mean per arch over the
modules both sides have.

--speed-arch ARCH times ARCH's builds instead, in whatever MICROPYTHON names: a program that
runs `-c SCRIPT` with the modules on MICROPYPATH, e.g. a wrapper around MicroPython on an
emulated board. Under QEMU's `-icount shift=0` the board's ticks_us counts instructions, so the
ratios are instruction ratios, steady on a shared machine. A workload the board's heap cannot
hold is listed as missing; anything else that fails stops the run. Prints only.

Every module or arch that one side lacks is printed as MISSING (never silently dropped), and
listed under the tables. The tables are printed and written to docs/benchmarks.md (section
"emlearn-micropython side by side") unless --no-write.
"""

import argparse
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "scripts"))
from kernels import TIMER, mpyforge_binary, write_section  # noqa: E402

MICROPYTHON = os.environ.get("MICROPYTHON", str(Path(sys.executable).parent / "micropython"))
MODULES = ["emlearn_trees", "emlearn_iir", "emlearn_fft", "emlearn_neighbors", "emlearn_arrayutils",
           "emlearn_cnn_fp32", "emlearn_cnn_int8", "emlearn_iir_q15", "emlearn_kmeans", "emlearn_linreg"]
ARCHES = ["x64", "armv6m", "armv7m", "armv7emsp", "rv32imc", "xtensawin"]
ABI = "6.3"
SECTION = "## emlearn-micropython side by side"

# Times ours and theirs in alternating batches, so load changes on a shared machine hit both.
SIDE_BY_SIDE = TIMER + """
def ratio(ours, theirs, rounds=15):
    if COUNT_SIDE:
        # instruction-count mode: call one side COUNT_CALLS times and nothing else
        fn = ours if COUNT_SIDE == 'ours' else theirs
        for _ in range(COUNT_CALLS):
            fn()
        return [0, 0, 0]
    # rounds alternate which side goes first; each side keeps its best batch (machine noise only
    # ever adds time, so the minimum is the estimate), and the ratio is of the two minimums
    ours(); theirs()
    reps = 1
    while batch_us(ours, reps) < 10000 and batch_us(theirs, reps) < 10000:
        reps *= 2
    best_ours = best_theirs = None
    for r in range(rounds):
        if r % 2:
            b = batch_us(theirs, reps) / reps
            a = batch_us(ours, reps) / reps
        else:
            a = batch_us(ours, reps) / reps
            b = batch_us(theirs, reps) / reps
        best_ours = a if best_ours is None else min(best_ours, a)
        best_theirs = b if best_theirs is None else min(best_theirs, b)
    return best_ours, best_theirs, best_ours / best_theirs

def close(a, b, tol):
    assert len(a) == len(b), (len(a), len(b))
    for i in range(len(a)):
        if not abs(a[i] - b[i]) <= tol * (1 + abs(b[i])):
            raise AssertionError('results differ at %d: ours %r, theirs %r' % (i, a[i], b[i]))

def report(t):
    print(json.dumps(list(t)))
"""

TREES = """
import array, emlearn_trees as O, theirs_emlearn_trees as T
def load(mod):
    m = mod.new({n_trees}, {n_nodes}, {n_leaves})
    with open({csv!r}) as f:
        mod.load_model(m, f)
    return m
mo, mt = load(O), load(T)
xs = [array.array('h', row) for row in {rows!r}]
oo = array.array('f', [0] * mo.outputs()); ot = array.array('f', [0] * mt.outputs())
for x in xs:
    mo.predict(x, oo); mt.predict(x, ot); close(oo, ot, 0)
x = xs[0]
report(ratio(lambda: mo.predict(x, oo), lambda: mt.predict(x, ot)))
"""

IIR = """
import array, emlearn_iir as O, theirs_emlearn_iir as T
sos = array.array('f', {sos!r})
n = {n}
sig = [((i * 7919) % 200 - 100) / 100.0 for i in range(n)]
fo, ft = O.new(sos), T.new(sos)
a = array.array('f', sig); b = array.array('f', sig)
fo.run(a); ft.run(b); close(a, b, 0)
report(ratio(lambda: fo.run(a), lambda: ft.run(b)))
"""

FFT = """
import array, math, emlearn_fft as O, theirs_emlearn_fft as T
n = {n}
fo, ft = O.FFT(n), T.FFT(n)
O.fill(fo, n); T.fill(ft, n)
src = [math.sin(0.3 * i) + 0.1 * (i % 7) for i in range(n)]
ar = array.array('f', src); ai = array.array('f', [0] * n)
br = array.array('f', src); bi = array.array('f', [0] * n)
fo.run(ar, ai); ft.run(br, bi); close(ar, br, 1e-3); close(ai, bi, 1e-3)
report(ratio(lambda: fo.run(ar, ai), lambda: ft.run(br, bi)))
"""

KNN = """
import array, emlearn_neighbors as O, theirs_emlearn_neighbors as T
n_items, n_features, k = {n_items}, {n_features}, {k}
mo, mt = O.new(n_items, n_features, k), T.new(n_items, n_features, k)
# four well separated clusters, so the k nearest always agree on the label (the two kernels
# break voting ties differently, by design); small values, because theirs hangs in predict()
# once a squared distance overflows int32
def point(label, seed, spread):
    return array.array('h', [(label * 1000 - 1500) + ((seed * 31 + j * 17) * 2654435761) % (2 * spread + 1) - spread
                             for j in range(n_features)])
for i in range(n_items):
    row = point(i % 4, i, 300)
    mo.additem(row, i % 4); mt.additem(row, i % 4)
queries = [point(q % 4, q + 7, 100) for q in range(8)]
for q in queries:
    assert mo.predict(q) == mt.predict(q), 'k-NN labels differ'
q = queries[0]
report(ratio(lambda: mo.predict(q), lambda: mt.predict(q)))
"""

LINEAR_MAP = """
import array, emlearn_arrayutils as O, theirs_emlearn_arrayutils as T
n = {n}
i16 = array.array('h', [(i * 97) % 65536 - 32768 for i in range(n)])
fa = array.array('f', [0] * n); fb = array.array('f', [0] * n)
ha = array.array('h', [0] * n); hb = array.array('h', [0] * n)
def run(mod, f, h):
    mod.linear_map(i16, f, -2**15, 2**15, -1.0, 1.0)
    mod.linear_map(f, h, -1.0, 1.0, -2**15, 2**15)
run(O, fa, ha); run(T, fb, hb); close(fa, fb, 0); close(ha, hb, 0)
report(ratio(lambda: run(O, fa, ha), lambda: run(T, fb, hb)))
"""

CNN = """
import array, struct, emlearn_cnn_{variant} as O, theirs_emlearn_cnn_{variant} as T
raw = open({model!r}, 'rb').read()
# Theirs sizes its activation buffer by the file's length, not by the header's buf_size (offset
# 12), and writes past it when the arena is larger (the 32x32x3 models: a corrupted heap on the
# emulated M4F). It ignores bytes after the last layer, so it gets the file padded to buf_size;
# ours rejects trailing bytes and gets the file as written.
padding = bytes(max(0, struct.unpack_from('<I', raw, 12)[0] - len(raw)))
mo, mt = O.new(array.array('B', raw)), T.new(array.array('B', raw + padding))
n_out = 1
for d in mo.output_dimensions():
    n_out *= d
img = array.array('B', open({pixels!r}, 'rb').read())
oa = array.array('f', [0] * n_out); ob = array.array('f', [0] * n_out)
mo.run(img, oa); mt.run(img, ob)
close(oa, ob, {tol})
assert list(oa).index(max(oa)) == list(ob).index(max(ob)), 'top class differs'
report(ratio(lambda: mo.run(img, oa), lambda: mt.run(img, ob)))
"""

IIR_Q15 = """
import array, emlearn_iir_q15 as O, theirs_emlearn_iir_q15 as T
sos = array.array('f', {sos!r})
n = {n}
sig = [((i * 7919) % 2000 - 1000) * 16 for i in range(n)]
fo, ft = O.new(O.convert_coefficients(sos)), T.new(T.convert_coefficients(sos))
a = array.array('h', sig); b = array.array('h', sig)
fo.run(a); ft.run(b); close(a, b, 0)
report(ratio(lambda: fo.run(a), lambda: ft.run(b)))
"""

KMEANS = """
import array, emlearn_kmeans as O, theirs_emlearn_kmeans as T
n, f, k = {n}, {f}, {k}
data = array.array('B', [(i * 2654435761 >> 7) % 256 for i in range(n * f)])
init = array.array('B', data[:k * f])
def run(mod):
    return mod.cluster(data, array.array('B', init), features=f, max_iter=10)
assert list(run(O)) == list(run(T)), 'cluster assignments differ'
report(ratio(lambda: run(O), lambda: run(T)))
"""

LINREG = """
import array, emlearn_linreg as O, theirs_emlearn_linreg as T
n, f = {n}, {f}
X = array.array('f', [((i * 37) % 101) / 50.0 - 1.0 for i in range(n * f)])
y = array.array('f', [sum(X[r * f + j] * (j + 1) for j in range(f)) + 0.5 for r in range(n)])
def fit(mod):
    m = mod.new(f, 0.01, 0.5, 0.05)
    mod.train(m, X, y, max_iterations=50, tolerance=1e-9, verbose=0)
    return m
mo, mt = fit(O), fit(T)
x = array.array('f', X[:f])
close([mo.predict(x)], [mt.predict(x)], 1e-3)
report(ratio(lambda: fit(O), lambda: fit(T)))
"""


class Missing:
    """Everything one side lacks, said out loud as it is found and again at the end."""

    def __init__(self):
        self.items = []

    def add(self, what):
        self.items.append(what)
        print(f"MISSING: {what}", file=sys.stderr, flush=True)


def run_script(script, libdir, count_side=None, count_calls=0):
    env = dict(os.environ, MICROPYPATH=f"{libdir}:.frozen")
    prelude = f"COUNT_SIDE = {count_side!r}\nCOUNT_CALLS = {count_calls}\n"
    command = [MICROPYTHON, "-c", prelude + SIDE_BY_SIDE + script]
    if count_side:
        # deterministic wrapper (the unix port runs inside CPython here)
        env["PYTHONHASHSEED"] = "0"
        command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + command
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    if proc.returncode != 0:
        raise SystemExit(f"micropython failed:\n{proc.stdout}\n{proc.stderr}")
    if count_side:
        refs = [line for line in proc.stderr.splitlines() if "refs:" in line]
        if not refs:
            raise SystemExit(f"valgrind printed no instruction count:\n{proc.stderr}")
        return int(refs[-1].split()[-1].replace(",", ""))
    import json
    return json.loads(proc.stdout.strip().splitlines()[-1])


def instructions_per_call(script, libdir, side, calls):
    """Instructions one call of `side` costs, by callgrind: a run with `calls` calls minus a run
    with none (same setup), divided by `calls`. Deterministic, unlike time on a shared machine."""
    return (run_script(script, libdir, side, calls) - run_script(script, libdir, side, 0)) / calls


def build_ours(work, cc):
    out = Path(work) / "ours"
    command = [mpyforge_binary(), "build", REPO / "CModules", "--abi", ABI, "--out", out,
               "--work", Path(work) / "build"]
    for spec in cc:
        command += ["--cc", spec]
    print("building ours:", " ".join(map(str, command)), file=sys.stderr, flush=True)
    subprocess.run(command, check=True, stdout=sys.stderr)
    return out


def digits_forest(work, n_trees, depth):
    from sklearn.datasets import load_digits
    from sklearn.ensemble import RandomForestClassifier
    import emlearn
    X, y = load_digits(return_X_y=True)
    X = (X * 1000).astype(np.int16)
    est = RandomForestClassifier(n_estimators=n_trees, max_depth=depth, random_state=1).fit(X, y)
    path = Path(work) / f"digits_{n_trees}x{depth}.csv"
    emlearn.convert(est, method="inline").save(format="csv", name="digits", file=str(path))
    return path, [X[i].tolist() for i in (17, 300, 1200)]


def csv_capacity(path):
    nodes = roots = 0
    leaves = set()
    for line in Path(path).read_text().splitlines():
        tok = line.split(",")
        if tok[0] == "n":
            nodes += 1
        elif tok[0] == "r":
            roots += 1
        elif tok[0] == "l":
            leaves.add(line)
    return roots, nodes, max(1, len(leaves))


def speed_workloads(work, models, missing):
    """(module, workload name, script) for every workload whose inputs exist."""
    from scipy import signal
    jobs = []

    def trees(name, csv, rows):
        n_trees, n_nodes, n_leaves = csv_capacity(csv)
        jobs.append(("emlearn_trees", name, TREES.format(csv=str(csv), rows=rows, n_trees=n_trees,
                                                        n_nodes=n_nodes, n_leaves=n_leaves + 8)))

    har = models / "uci_har.trees.csv"
    if har.exists():
        n_features = next(int(line.split(",")[1]) for line in har.read_text().splitlines() if line.startswith("f,"))
        rng = np.random.default_rng(3)
        trees("uci_har model, one predict()", har,
              [rng.integers(-2000, 2000, n_features).tolist() for _ in range(3)])
    else:
        missing.add(f"workload trees uci_har: {har} not found (their examples/har_trees/uci_har.trees.csv)")
    for n_trees, depth in ((10, 8), (30, 12)):
        csv, rows = digits_forest(work, n_trees, depth)
        trees(f"digits forest {n_trees} trees depth {depth}, one predict()", csv, rows)

    for order, n in ((2, 2000), (6, 2000), (12, 2000)):
        sos = signal.butter(order, [0.05, 0.25], btype="bandpass", output="sos").astype(np.float32)
        flat = [float(c) for row in sos for c in row]
        jobs.append(("emlearn_iir", f"{len(sos)}-stage band-pass, {n} samples", IIR.format(sos=flat, n=n)))
        if order == 2:
            jobs.append(("emlearn_iir_q15", f"{len(sos)}-stage band-pass, {n} int16 samples",
                         IIR_Q15.format(sos=flat, n=n)))
    for n in (64, 512, 2048):
        jobs.append(("emlearn_fft", f"n={n}", FFT.format(n=n)))
    for n_items, n_features, k in ((100, 3, 3), (300, 16, 5), (1000, 32, 5)):
        jobs.append(("emlearn_neighbors", f"{n_items}x{n_features}, k={k}, one predict()",
                     KNN.format(n_items=n_items, n_features=n_features, k=k)))
    for n in (256, 4000):
        jobs.append(("emlearn_arrayutils", f"linear_map {n} int16 -> float -> int16", LINEAR_MAP.format(n=n)))

    pixels = models / "mnist_example_0.bin"
    # their softmax uses an approximate exp, so fp32 probabilities agree to about 1e-4 only
    for variant, tol in (("fp32", 2e-3), ("int8", 0.05)):
        model = models / f"mnist_cnn_{variant}.tmdl"
        if model.exists() and pixels.exists():
            jobs.append((f"emlearn_cnn_{variant}", "MNIST model (their example), one run()",
                         CNN.format(variant=variant, model=str(model), pixels=str(pixels), tol=tol)))
        else:
            missing.add(f"workload cnn_{variant} MNIST: {model} or {pixels} not found (their examples/mnist_cnn/)")
    # their softmax uses an approximate exp, so fp32 probabilities agree to about 1e-4 only
    # flatter output distributions than MNIST's show their approximate exp more: argmax and 0.05
    for variant, tol in (("fp32", 0.05), ("int8", 0.05)):
        for name, (model, pixels) in synthetic_cnn_models(work).items():
            jobs.append((f"emlearn_cnn_{variant}", f"{name} (random weights), one run()",
                         CNN.format(variant=variant, model=str(model[variant]), pixels=str(pixels), tol=tol)))

    jobs.append(("emlearn_kmeans", "500 x 3 bytes, 4 clusters, 10 iterations", KMEANS.format(n=500, f=3, k=4)))
    jobs.append(("emlearn_linreg", "200 x 8 floats, 50 iterations of training", LINREG.format(n=200, f=8)))
    return jobs


_SYNTHETIC = {}


def synthetic_cnn_models(work):
    """Wider CNN workloads written by scripts/tmdl_writer.py (TinyMaix format both sides read)."""
    if _SYNTHETIC:
        return _SYNTHETIC
    import tmdl_writer as tw
    rng = np.random.default_rng(0)

    def w(*shape):
        return rng.normal(0, np.sqrt(2.0 / np.prod(shape[:-1])), shape).astype(np.float32)

    small = tw.Network((16, 16, 1))
    small.conv2d(w(3, 3, 1, 8), strides=2, activation="relu")
    small.conv2d(w(3, 3, 8, 16), strides=2, activation="relu")
    small.global_average_pool()
    small.dense(w(16, 10))
    small.softmax()

    mobile = tw.Network((32, 32, 3))
    mobile.conv2d(w(3, 3, 3, 16), strides=1, activation="relu")
    for cin, cout, stride in ((16, 32, 1), (32, 64, 2), (64, 64, 1)):
        mobile.depthwise_conv2d(w(3, 3, cin, 1), strides=stride, activation="relu")
        mobile.conv2d(w(1, 1, cin, cout), activation="relu")
    mobile.global_average_pool()
    mobile.dense(w(64, 10))
    mobile.softmax()

    for name, net in (("16x16x1, 2 conv + pool + dense", small), ("32x32x3 depthwise-separable", mobile)):
        images = tw.random_images(8, net.input_shape, seed=1)
        stem = Path(work) / name.split(",")[0].split(" ")[0]
        pixels = stem.with_suffix(".pixels")
        pixels.write_bytes(images[0].tobytes())
        paths = {}
        for variant, blob in (("fp32", net.to_tmdl()), ("int8", net.quantize(images).to_tmdl())):
            paths[variant] = Path(f"{stem}_{variant}.tmdl")
            paths[variant].write_bytes(blob)
        _SYNTHETIC[name] = (paths, pixels)
    return _SYNTHETIC


def module_files(ours_dir, theirs_dir, module):
    return ours_dir / f"{module}.mpy", theirs_dir / f"{module}.mpy"


def missing_files(ours, theirs):
    """What one side lacks, in words ("ours (not built: path)", "theirs (not published: path)")."""
    lacking = []
    if not ours.exists():
        lacking.append(f"ours (not built: {ours})")
    if not theirs.exists():
        lacking.append(f"theirs (not published: {theirs})")
    return lacking


def speed(ours_dir, theirs_dir, arch, work, models, missing, only, instructions):
    libdir = Path(work) / "lib"
    libdir.mkdir()
    have = {}
    for module in MODULES:
        ours, theirs = module_files(ours_dir, theirs_dir, module)
        lacking = missing_files(ours, theirs)
        if lacking:
            missing.add(f"{module}: no {' and no '.join(lacking)} for {arch}; no speed comparison")
        else:
            shutil.copy(ours, libdir / ours.name)
            shutil.copy(theirs, libdir / f"theirs_{module}.mpy")
            have[module] = True
    rows = []
    for module, name, script in speed_workloads(work, models, missing):
        if module not in have or (only and module not in only):
            continue
        print(f"timing {module}: {name} ...", file=sys.stderr, flush=True)
        try:
            ours_us, theirs_us, ratio = run_script(script, libdir)
        except SystemExit as failure:
            # a board's heap may be too small for a workload; that is a gap, not a result
            if arch == "x64" or "MemoryError" not in str(failure):
                raise
            missing.add(f"{module} {name}: MemoryError on {arch} in {MICROPYTHON}")
            continue
        print(f"  ours {ours_us:.2f} us, theirs {theirs_us:.2f} us, ratio {ratio:.2f}", file=sys.stderr, flush=True)
        counts = None
        if instructions:
            # about 20 ms of native work per counted run, at least 5 calls
            calls = max(5, min(2000, int(20000 / max(theirs_us, 0.01))))
            counts = (instructions_per_call(script, libdir, "ours", calls),
                      instructions_per_call(script, libdir, "theirs", calls))
            print(f"  instructions per call: ours {counts[0]:.0f}, theirs {counts[1]:.0f}, "
                  f"ratio {counts[0] / counts[1]:.2f}", file=sys.stderr, flush=True)
        rows.append((module, name, ours_us, theirs_us, ratio, counts))
    return rows


def sizes(ours_root, theirs_root, missing):
    table = {}
    for arch in ARCHES:
        ours_dir, theirs_dir = ours_root / f"{arch}_{ABI}", theirs_root / f"{arch}_{ABI}"
        if not theirs_dir.is_dir():
            missing.add(f"arch {arch}: no {theirs_dir} (theirs); no size comparison")
            continue
        if not ours_dir.is_dir():
            missing.add(f"arch {arch}: ours not built ({ours_dir}; compiler missing? see --cc)")
            continue
        for module in MODULES:
            ours, theirs = module_files(ours_dir, theirs_dir, module)
            for what in missing_files(ours, theirs):
                missing.add(f"{module} {arch}: no {what}")
            table[(module, arch)] = (ours.stat().st_size if ours.exists() else None,
                                     theirs.stat().st_size if theirs.exists() else None)
    return table


def geo_mean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def render(speed_rows, size_table, missing, speed_arch="x64"):
    lines = [
        SECTION,
        "",
        "Ours (built by mpyforge from this tree) against emlearn-micropython's published builds",
        "(their gh-pages branch, builds/latest/<arch>_6.3; the copy used is given with --theirs).",
        "Reproduce: `.venv/bin/python benchmarks/emlearn_side_by_side.py --theirs DIR --models DIR --instructions",
        "--cc xtensawin=PATH/TO/xtensa-esp32-elf-gcc` (about 15 minutes; without --instructions 1).",
        "(the script's --help says how to get DIR from their repository; their files are not in ours).",
        "",
        "### Speed (x64 unix port, both modules in one process, results checked equal first)" if speed_arch == "x64"
        else f"### Speed ({speed_arch} in {MICROPYTHON}, both modules in one process, results checked equal first)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, 1-minute load average at the end "
        f"{os.getloadavg()[0]:.1f} (shared; batches alternate between the two sides).",
        "",
        "Times are each side's best of 15 alternating batches (noise on a shared machine only adds",
        "time); the ratio is ours / theirs of those best times.",
        "",
        "With --instructions, the last columns count x64 instructions per call (callgrind: a run",
        "with N calls minus one with none), which a shared machine cannot disturb.",
        "",
        "| module | workload | ours (us) | theirs (us) | time ours / theirs | instructions ours / theirs |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for module, name, ours_us, theirs_us, ratio, counts in speed_rows:
        counted = f"{counts[0]:.0f} / {counts[1]:.0f} = **{counts[0] / counts[1]:.2f}**" if counts else "-"
        lines.append(f"| {module} | {name} | {ours_us:.2f} | {theirs_us:.2f} | {ratio:.2f} | {counted} |")
    lines += [
        "",
        "Agreement checks: trees, k-NN labels, linear_map and IIR outputs equal bit for bit; FFT within",
        "1e-3; CNN top class equal and probabilities within 2e-3 (MNIST fp32) or 0.05 (int8, and the",
        "random-weight models, whose flat outputs show their softmax's approximate exp). k-NN inputs",
        "are kept small: theirs hangs in predict() once a squared distance overflows int32. Their",
        "CNN sizes its activation buffer by the model file's length and writes past it when the",
        "header's buf_size is larger (the 32x32x3 models), so it gets the file padded to buf_size.",
        "",
        "### Size (.mpy bytes, ours / theirs)",
        "",
    ]
    arches = [a for a in ARCHES if any(arch == a for (_, arch) in size_table)]
    lines.append("| module | " + " | ".join(arches) + " |")
    lines.append("| --- | " + " | ".join("---:" for _ in arches) + " |")
    for module in MODULES:
        cells = []
        for arch in arches:
            ours, theirs = size_table.get((module, arch), (None, None))
            if ours and theirs:
                cells.append(f"{ours} / {theirs} = {ours / theirs:.2f}")
            else:
                cells.append(f"{ours or 'MISSING'} / {theirs or 'MISSING'}")
        lines.append(f"| {module} | " + " | ".join(cells) + " |")
    means = []
    for arch in arches:
        ratios = [o / t for (m, a), (o, t) in size_table.items() if a == arch and o and t]
        g = geo_mean(ratios)
        means.append(f"**{g:.2f}** ({len(ratios)} modules)" if g else "-")
    lines.append("| geo-mean | " + " | ".join(means) + " |")
    lines.append("")
    if missing.items:
        lines.append("Missing from this run (not compared):")
        lines.append("")
        lines += [f"- {item}" for item in missing.items]
        lines.append("")
    return "\n".join(lines) + "\n"   # a blank line before the next section of the file


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--theirs", required=True, type=Path, help="their builds: DIR/<arch>_6.3/*.mpy")
    parser.add_argument("--models", required=True, type=Path, help="their example models (see above)")
    parser.add_argument("--ours", type=Path, help="prebuilt ours: DIR/<arch>_6.3/*.mpy (default: build now)")
    parser.add_argument("--cc", action="append", default=[], help="passed to mpyforge build, e.g. xtensawin=/path/gcc")
    parser.add_argument("--only", action="append", default=[], help="time only these modules (repeatable)")
    parser.add_argument("--no-speed", action="store_true", help="sizes only")
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions per call with valgrind (deterministic; slow)")
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md alone")
    parser.add_argument("--speed-arch", default="x64",
                        help="time this arch's builds (default x64) in the MicroPython that the MICROPYTHON "
                             "environment variable names: a program taking `-c SCRIPT` with the modules on "
                             "MICROPYPATH, e.g. a wrapper around an emulated board; prints only")
    args = parser.parse_args()
    if args.speed_arch != "x64":
        if args.instructions:
            raise SystemExit("--instructions counts x64 instructions with valgrind; with --speed-arch use "
                             "an emulator that counts instructions (QEMU -icount shift=0 makes ticks_us count them)")
        if not args.no_write:
            print("--speed-arch: printing only (docs/benchmarks.md holds the x64 run)", file=sys.stderr)
            args.no_write = True
    if not args.theirs.is_dir():
        raise SystemExit(f"--theirs {args.theirs}: not a directory (see --help for how to make it)")
    missing = Missing()
    with tempfile.TemporaryDirectory() as work:
        ours = args.ours or build_ours(work, args.cc)
        size_table = sizes(ours, args.theirs, missing)
        speed_rows = []
        if not args.no_speed:
            speed_rows = speed(ours / f"{args.speed_arch}_{ABI}", args.theirs / f"{args.speed_arch}_{ABI}",
                               args.speed_arch, work, args.models, missing, args.only, args.instructions)
    text = render(speed_rows, size_table, missing, args.speed_arch)
    print(text)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", text, SECTION)


if __name__ == "__main__":
    main()
