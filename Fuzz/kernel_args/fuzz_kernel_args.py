"""Fuzzes the argument checks of every kernel entry point that takes arrays, in the real
MicroPython unix port, with the modules mpyforge builds for x64.

Not libFuzzer: the C entry points take MicroPython objects (arrays, bytes, ints) and raise
through the VM's nlr machinery, so they only run inside a VM. Instead each round generates a
batch of random calls (wrong typecodes, wrong and zero lengths, read-only buffers, huge and
negative ints, NaN) from a seed, runs it in one micropython process, and checks that the VM
survives (exit 0, no signal, no hang) and that every refusal is a ValueError or TypeError
with a message. Also allowed: OverflowError, which the VM's own int conversion
(mp_obj_get_int) raises for an int wider than a machine word (in this port it is not a
ValueError subclass), and MemoryError, a device's answer to an impossible capacity, which may
come without a message (the SDK raises the bare type: its name says it all, and a text would
cost every module that allocates 25 bytes).

    fuzz_kernel_args.py --seconds N --work DIR [--artifacts DIR]   random rounds for N seconds
    fuzz_kernel_args.py --replay Fuzz/corpus/kernel_args --work DIR

A failing round is saved as a .py batch (the exact script the VM ran) in --artifacts; a batch
committed under Fuzz/corpus/kernel_args is replayed as a regression.
"""

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MICROPYTHON = os.environ.get("MICROPYTHON", str(Path(sys.executable).parent / "micropython"))
MODULES = ["emlearn_arrayutils", "emlearn_fft", "emlearn_iir", "emlearn_neighbors", "emlearn_trees",
           "emlearn_cnn", "mpyforge_example", "emlearn_iir_q15", "emlearn_kmeans", "emlearn_linreg"]
TYPECODES = "bBhHiIlLqQfd"
CALLS_PER_ROUND = 300

# Good objects made once per batch; a call that replaces one keeps the old one if it raises.
SETUP = """\
import array, gc, io
import emlearn_arrayutils, emlearn_fft, emlearn_iir, emlearn_neighbors, emlearn_trees
import emlearn_cnn_fp32, emlearn_cnn_int8, mpyforge_example
import emlearn_iir_q15, emlearn_kmeans, emlearn_linreg
fft = emlearn_fft.FFT(8)
emlearn_fft.fill(fft, 8)
iir = emlearn_iir.new(array.array('f', [1, 0, 0, 1, 0, 0]))
knn = emlearn_neighbors.new(4, 3, 2)
knn.additem(array.array('h', [1, 2, 3]), 0)
trees = emlearn_trees.new(2, 8, 8)
emlearn_trees.load_model(trees, io.StringIO('f,2\\nc,2\\nr,0\\nn,0,5,-1,-2\\nl,0\\nl,1\\n'))
cnn32 = emlearn_cnn_fp32.new(CNN_FP32)
cnn8 = emlearn_cnn_int8.new(CNN_INT8)
iirq = emlearn_iir_q15.new(array.array('h', [8192, 0, 0, 0, 0, 0]))
lin = emlearn_linreg.new(2, 0.1, 0.5, 0.01)
canary = bytearray(range(256))
ALLOWED = (ValueError, TypeError, OverflowError, MemoryError)

def call(i, text):
    print('call', i)
    try:
        exec(text, globals())
    except ALLOWED as e:
        if not str(e) and not isinstance(e, MemoryError):
            print('FAIL', i, 'no message:', type(e).__name__)
    except Exception as e:
        print('FAIL', i, type(e).__name__, e)
    if canary != bytearray(range(256)):
        print('FAIL', i, 'heap canary overwritten')
        raise SystemExit(1)
    if i % 16 == 0:
        gc.collect()

"""


class Values:
    """Python source text for random arguments."""

    def __init__(self, rng):
        self.r = rng

    def integer(self):
        return self.r.choice([0, 1, -1, 2, 3, 4, 7, 8, 16, 64, 127, 128, 255, 256, 1000, 32767, 32768,
                              -32768, -32769, 2**20, 2**31, -2**31, 2**63, 2**64 + 1, -2**70,
                              self.r.randint(-50, 50)])

    def number(self):
        return self.r.choice([self.integer(), "0.5", "-1e30", "1e40", "float('nan')", "float('inf')",
                              "-float('inf')", "3.25"])

    def element(self, typecode):
        if typecode in "fd":
            return self.number()
        return self.r.choice([0, 1, -1, 100, 127, -128, 255, 32767, -32768, self.r.randint(-9, 9)])

    def length(self):
        return self.r.choice([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 17, 64, self.r.randint(0, 40)])

    def array(self, typecode=None, length=None):
        typecode = typecode or self.r.choice(TYPECODES)
        if typecode in "qQ" and self.r.random() < 0.5:
            typecode = "l"
        length = self.length() if length is None else length
        unsigned = typecode in "BHILQ"
        items = []
        for _ in range(length):
            v = self.element(typecode)
            items.append(str(abs(v) if unsigned and isinstance(v, int) else v))
        if typecode in "bB":
            items = [str(int(i) % 128) for i in items]
        return "array.array('%s', [%s])" % (typecode, ", ".join(items))

    def buffer(self, typecode, length):
        """Mostly the right typecode and length, often not."""
        roll = self.r.random()
        if roll < 0.45:
            return self.array(typecode, length)
        if roll < 0.65:
            return self.array(typecode)
        if roll < 0.8:
            return self.array()
        return self.r.choice(["bytearray(%d)" % self.length(), "bytes(%d)" % self.length(), "None", "3",
                              "'text'", "[1, 2, 3]", "memoryview(%s)[1:]" % self.array(typecode, length + 1),
                              "memoryview(bytearray(%d))" % self.length()])

    def model_bytes(self, seed):
        """A committed .tmdl seed with a few bytes changed."""
        data = bytearray(seed)
        for _ in range(self.r.choice([0, 1, 2, 4, 8])):
            if data:
                data[self.r.randrange(len(data))] = self.r.randrange(256)
        if self.r.random() < 0.2:
            data = data[: self.r.randrange(len(data) + 1)]
        return "bytes(%r)" % bytes(data)

    def csv(self):
        lines = ["f,%s" % self.integer(), "c,%s" % self.integer(), "r,%s" % self.integer(),
                 "n,%s,%s,%s,%s" % (self.integer(), self.number(), self.integer(), self.integer()),
                 "l,%s" % self.integer(), "lb,%s" % self.integer(), "n,1,2", "x,1", ",,,", "f,1.5"]
        return "io.StringIO(%r)" % "\n".join(self.r.choice(lines) for _ in range(self.r.randint(0, 12)))


def random_call(v, tmdl_seeds):
    """One call of one array-taking entry point (or a constructor the others depend on)."""
    r = v.r
    n = r.choice([1, 2, 3, 4, 8, 16])
    choices = [
        lambda: "emlearn_arrayutils.linear_map(%s, %s, %s, %s, %s, %s)" % (
            v.buffer(r.choice("hf"), n), v.buffer(r.choice("hf"), n), v.number(), v.number(), v.number(), v.number()),
        lambda: "fft = emlearn_fft.FFT(%s)" % r.choice([n, v.integer()]),
        lambda: "fft.fill(%s, %s)" % (v.buffer("f", n // 2), v.buffer("f", n // 2)),
        lambda: "emlearn_fft.fill(fft, %s)" % r.choice([n, v.integer()]),
        lambda: "fft.run(%s, %s)" % (v.buffer("f", n), v.buffer("f", n)),
        lambda: "iir = emlearn_iir.new(%s)" % v.buffer("f", 6 * r.choice([0, 1, 2, 3])),
        # a0 must be 1: most random coefficient arrays stop at new(); these reach run()
        lambda: "iir = emlearn_iir.new(array.array('f', [%s, %s, %s, 1, %s, %s] * %d))" % (
            v.number(), v.number(), v.number(), v.number(), v.number(), r.choice([1, 2, 3])),
        lambda: "iir.run(%s)" % v.buffer("f", n),
        lambda: "knn = emlearn_neighbors.new(%s, %s, %s)" % (v.integer(), v.integer(), v.integer()),
        lambda: "knn.additem(%s, %s)" % (v.buffer("h", 3), v.integer()),
        lambda: "knn.getitem(%s, %s)" % (v.integer(), v.buffer("h", 3)),
        lambda: "knn.predict(%s)" % v.buffer("h", 3),
        lambda: "knn.getresult(%s)" % v.integer(),
        lambda: "trees = emlearn_trees.new(%s, %s, %s)" % (v.integer(), v.integer(), v.integer()),
        lambda: "trees.predict(%s, %s)" % (v.buffer("h", 2), v.buffer("f", 2)),
        lambda: "trees.addnode(%s, %s, %s, %s)" % (v.integer(), v.integer(), v.integer(), v.integer()),
        lambda: "trees.addleaf(%s)" % v.integer(),
        lambda: "trees.addroot(%s)" % v.integer(),
        lambda: "trees.setdata(%s, %s)" % (v.integer(), v.integer()),
        lambda: "emlearn_trees.load_model(trees, %s)" % v.csv(),
        lambda: "cnn32 = emlearn_cnn_fp32.new(%s)" % v.model_bytes(r.choice(tmdl_seeds)),
        lambda: "cnn8 = emlearn_cnn_int8.new(%s)" % v.model_bytes(r.choice(tmdl_seeds)),
        lambda: "%s.run(%s, %s)" % (r.choice(["cnn32", "cnn8"]), v.buffer("B", r.choice([8, 16, 25, 72])),
                                    v.buffer("f", r.choice([2, 3, 4, 8]))),
        lambda: "%s.output_dimensions()" % r.choice(["cnn32", "cnn8"]),
        lambda: "mpyforge_example.array_sum(%s)" % v.buffer(r.choice("hf"), n),
        lambda: "mpyforge_example.array_scale(%s, %s)" % (v.buffer(r.choice("hf"), n), v.number()),
        lambda: "mpyforge_example.checksum(%s)" % v.buffer("B", n),
        lambda: "iirq = emlearn_iir_q15.new(%s)" % v.buffer("h", 6 * r.choice([0, 1, 2, 3])),
        lambda: "iirq.run(%s)" % v.buffer("h", n),
        lambda: "emlearn_iir_q15.convert_coefficients([%s], %s)" % (
            ", ".join(str(v.number()) for _ in range(r.choice([0, 5, 6, 12]))), r.choice([8191, v.number()])),
        lambda: "emlearn_kmeans.euclidean_argmin(%s, %s)" % (v.buffer("B", 3 * n), v.buffer("B", 3)),
        lambda: "emlearn_kmeans.euclidean_argmin(%s, %s, %s)" % (
            v.buffer("B", 6), v.buffer("B", 3 * n), v.buffer("B", n)),
        lambda: "emlearn_kmeans.cluster(%s, %s, %s, max_iter=%s)" % (
            v.buffer("B", 3 * n), v.buffer("B", 6), r.choice([3, v.integer()]), r.choice([1, 3, 0, -1, 2**40])),
        lambda: "lin = emlearn_linreg.new(%s, %s, %s, %s)" % (
            r.choice([2, v.integer()]), v.number(), r.choice([0.5, v.number()]), r.choice([0.01, v.number()])),
        lambda: "lin.%s(%s, %s)" % (r.choice(["step", "score_mse"]), v.buffer("f", 2 * n), v.buffer("f", n)),
        lambda: "lin.%s(%s)" % (r.choice(["predict", "get_weights", "set_weights"]), v.buffer("f", 2)),
        lambda: "lin.set_bias(%s)" % v.number(),
        lambda: "emlearn_linreg.train(lin, %s, %s, max_iterations=%s, check_interval=%s)" % (
            v.buffer("f", 2 * n), v.buffer("f", n), r.choice([1, 5, 0, -1, 2**40]), r.choice([1, 3, 0, -2])),
    ]
    return r.choice(choices)()


def tmdl_seeds():
    corpus = REPO / "Fuzz" / "corpus" / "tmdl"
    return sorted(p.read_bytes() for p in corpus.glob("seed-*.tmdl"))


def batch_script(calls, seeds):
    fp32 = next(s for s in seeds if s[4] == 2)
    int8 = next(s for s in seeds if s[4] == 0)
    setup = SETUP.replace("CNN_FP32", "bytes(%r)" % fp32).replace("CNN_INT8", "bytes(%r)" % int8)
    body = "".join("call(%d, %r)\n" % (i, text) for i, text in enumerate(calls))
    return setup + body + "print('DONE')\n"


def run_batch(script, libdir):
    """None if the batch passed, else why it failed."""
    env = {k: v for k, v in os.environ.items() if k != "MICROPYPATH"}
    env["MICROPYPATH"] = "%s:.frozen" % libdir
    try:
        proc = subprocess.run([MICROPYTHON, "-c", script], capture_output=True, text=True, timeout=60, env=env)
    except subprocess.TimeoutExpired:
        return "hang (no result in 60 s)"
    failures = [line for line in proc.stdout.splitlines() if line.startswith("FAIL")]
    if proc.returncode != 0 or "DONE" not in proc.stdout or failures:
        last = [line for line in proc.stdout.splitlines() if line.startswith("call ")][-1:]
        return "exit %d after %s: %s %s" % (proc.returncode, last, failures[:3], proc.stderr.strip()[-400:])
    return None


def build_modules(work):
    """The kernels for x64 with the mpyforge under test; its cache makes rebuilds cheap."""
    mpyforge = os.environ.get("MPYFORGE") or str(REPO / ".build-fuzz" / "debug" / "mpyforge")
    dist = work / "dist"
    for module in MODULES:
        subprocess.run([mpyforge, "build", str(REPO / "CModules" / module), "--arch", "x64", "--abi", "6.3",
                        "--out", str(dist), "--work", str(work / "build")], check=True, capture_output=True)
    return dist / "x64_6.3"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--seed", type=int, default=None, help="first round's seed (default: from the clock)")
    parser.add_argument("--replay", type=Path, help="run the committed batches in this directory and stop")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--artifacts", type=Path, default=None)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    libdir = build_modules(args.work)

    if args.replay:
        failed = 0
        for batch in sorted(args.replay.glob("*.py")):
            why = run_batch(batch.read_text(), libdir)
            if why:
                print("FAIL %s: %s" % (batch.name, why))
                failed += 1
        print("replayed %d batches, %d failed" % (len(list(args.replay.glob("*.py"))), failed))
        sys.exit(1 if failed else 0)

    seeds = tmdl_seeds()
    seed = args.seed if args.seed is not None else int(time.time())
    deadline = time.monotonic() + args.seconds
    rounds = calls = crashes = 0
    while time.monotonic() < deadline:
        v = Values(random.Random(seed))
        script = batch_script([random_call(v, seeds) for _ in range(CALLS_PER_ROUND)], seeds)
        why = run_batch(script, libdir)
        rounds += 1
        calls += CALLS_PER_ROUND
        if why:
            crashes += 1
            print("FAIL round seed %d: %s" % (seed, why))
            if args.artifacts:
                args.artifacts.mkdir(parents=True, exist_ok=True)
                (args.artifacts / ("kernel_args-seed-%d.py" % seed)).write_text(script)
        seed += 1
    # Same wording as libFuzzer's final stats, so scripts/fuzz reads both alike.
    print("stat::number_of_executed_units: %d" % calls)
    print("rounds %d, calls %d, failing rounds %d" % (rounds, calls, crashes))
    sys.exit(1 if crashes else 0)


if __name__ == "__main__":
    main()
