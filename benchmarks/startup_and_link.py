#!/usr/bin/env python3
"""Whole-process CPU time and peak memory of mpyforge against upstream mpy_ld.py, in one run.

    .venv/bin/python benchmarks/startup_and_link.py --micropython DIR [--mpyforge BIN] [--runs N] [--no-matrix]

DIR is a MicroPython checkout, or a bare git repository of one (its tools/ are extracted to a
temporary directory). mpy_ld.py needs pyelftools (scripts/pins.txt has it).

Three workloads, each printed as a Markdown table for docs/benchmarks.md:
1. link: the armv7emsp emlearn_trees golden fixture (Tests/LinkerTests/Fixtures/golden) with the
   arch's full libgcc.a and libm.a, by `mpyforge link` and by mpy_ld.py (its archive cache
   warmed by two runs first); runs alternate between the two, and both outputs must equal the
   golden .mpy;
2. start-up: commands that do no work (`--version`, `doctor --help`);
3. no-op rebuild of the full matrix: `mpyforge build` of every module in CModules/ for every arch
   with a compiler, once cold, then again with nothing changed.
CPU time is user + system of the process and its children (wait4), peak memory its maximum
resident set as /usr/bin/time reports it (the issue's measure); the medians of --runs runs.
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
FIXTURE = REPO / "Tests/LinkerTests/Fixtures/golden/armv7emsp/emlearn_trees"
ARM_FLAGS = ["-mthumb", "-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"]


class Sample:
    def __init__(self, cpu: float, rss_kb: int, wall: float):
        self.cpu, self.rss_kb, self.wall = cpu, rss_kb, wall


def run_once(command, cwd, memory=True) -> Sample:
    """CPU and wall time of one unwrapped run; peak memory from a second run under
    /usr/bin/time. (wait4's ru_maxrss cannot be used: exec records the RSS of the process it
    replaces, and a child forked or vforked from this Python starts at this Python's size.)"""
    cpu, wall = spawn(command, cwd)
    rss_kb = 0
    if memory:
        with tempfile.NamedTemporaryFile("r") as report:
            spawn(["/usr/bin/time", "-f", "%M", "-o", report.name, *command], cwd)
            rss_kb = int(report.read().split()[-1])
    return Sample(cpu, rss_kb, wall)


def spawn(command, cwd):
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    if process.returncode != 0:
        sys.exit(f"benchmark: {' '.join(map(str, command))} failed ({process.returncode}):\n{stderr.decode(errors='replace')}")
    return usage.ru_utime + usage.ru_stime, wall


def median(samples, field):
    return statistics.median(getattr(sample, field) for sample in samples)


def upstream_tools(micropython: Path, scratch: Path) -> Path:
    if (micropython / "tools" / "mpy_ld.py").is_file():
        return micropython / "tools"
    # A bare mirror: extract tools/ (mpy_ld.py, ar_util.py) and py/makeqstrdata.py it imports.
    archive = subprocess.run(["git", "--git-dir", str(micropython), "archive", "HEAD", "tools", "py/makeqstrdata.py"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "x", "-C", str(scratch)], input=archive, check=True)
    return scratch / "tools"


def upstream_commit(micropython: Path) -> str:
    git = ["git", "--git-dir", str(micropython)] if not (micropython / "tools").is_dir() else ["git", "-C", str(micropython)]
    done = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def arm_library(flag: str) -> str:
    return subprocess.run(["arm-none-eabi-gcc", *ARM_FLAGS, flag], check=True, capture_output=True, text=True).stdout.strip()


def bench_link(mpyforge, python, tools, work, runs):
    libgcc, libm = arm_library("--print-libgcc-file-name"), arm_library("--print-file-name=libm.a")
    config = FIXTURE / "emlearn_trees.config.h"
    objects = sorted(str(path) for path in FIXTURE.glob("*.o"))
    ours = [mpyforge, "link", "--arch", "armv7emsp", "--qstrs", config, "--source-name", "emlearn_trees.mpy",
            "-l", libgcc, "-l", libm, "-o", work / "ours.mpy", *objects]
    theirs = [python, tools / "mpy_ld.py", "--arch", "armv7emsp", "--qstrs", config, "--source-name", "emlearn_trees.mpy",
              "-l", libgcc, "-l", libm, "-o", work / "theirs.mpy", *objects]
    run_once(theirs, work)
    run_once(theirs, work)  # mpy_ld.py's archive cache is now warm
    mine, upstream = [], []
    for _ in range(runs):
        mine.append(run_once(ours, work))
        upstream.append(run_once(theirs, work))
    golden = (FIXTURE / "emlearn_trees.mpy").read_bytes()
    identical = (work / "ours.mpy").read_bytes() == golden == (work / "theirs.mpy").read_bytes()
    if not identical:
        sys.exit("benchmark: the two linkers' outputs differ from the golden .mpy")
    cpu_ratio = median(mine, "cpu") / median(upstream, "cpu")
    rss_ratio = median(mine, "rss_kb") / median(upstream, "rss_kb")
    print(f"### link: armv7emsp emlearn_trees + libgcc.a ({os.path.getsize(libgcc) / 1e6:.1f} MB) + libm.a "
          f"({os.path.getsize(libm) / 1e6:.1f} MB), median of {runs}\n")
    print("| | CPU (ms) | peak memory (MB) | wall (ms) |")
    print("|---|---:|---:|---:|")
    for label, samples in (("mpyforge link", mine), ("mpy_ld.py (warm cache)", upstream)):
        print(f"| {label} | {median(samples, 'cpu') * 1000:.1f} | {median(samples, 'rss_kb') / 1024:.1f} | {median(samples, 'wall') * 1000:.0f} |")
    print(f"| **mpyforge / mpy_ld.py** | **{cpu_ratio:.3f}x** | **{rss_ratio:.2f}x** | |")
    print(f"\nOutputs byte-identical to the golden: {identical}.\n")


def bench_startup(mpyforge, python, work, runs):
    commands = [
        ("mpyforge --version", [mpyforge, "--version"]),
        ("mpyforge doctor --help", [mpyforge, "doctor", "--help"]),
        ("python3 -c pass (for scale)", [python, "-c", "pass"]),
    ]
    print(f"### start-up, median of {runs}\n")
    print("| command | CPU (ms) | peak memory (MB) | wall (ms) |")
    print("|---|---:|---:|---:|")
    for label, command in commands:
        samples = [run_once(command, work) for _ in range(runs)]
        print(f"| `{label}` | {median(samples, 'cpu') * 1000:.1f} | {median(samples, 'rss_kb') / 1024:.1f} | {median(samples, 'wall') * 1000:.1f} |")
    print()


def bench_matrix(mpyforge, work, runs):
    command = [mpyforge, "build", "--out", work / "dist", "--work", work / "build"]
    cold = run_once(command, REPO, memory=False)
    outputs = sorted((work / "dist").rglob("*.mpy"))
    targets = sorted({path.parent.name for path in outputs})
    samples = [run_once(command, REPO) for _ in range(runs)]
    print(f"### no-op rebuild of the full matrix ({len(outputs)} .mpy files: "
          f"{len({p.name for p in outputs})} outputs x {len(targets)} arches with a compiler), median of {runs}\n")
    print("| | CPU (ms) | peak memory (MB) | wall (ms) |")
    print("|---|---:|---:|---:|")
    print(f"| cold build (once) | {cold.cpu * 1000:.0f} | | {cold.wall * 1000:.0f} |")
    print(f"| no-op rebuild | {median(samples, 'cpu') * 1000:.1f} | {median(samples, 'rss_kb') / 1024:.1f} | {median(samples, 'wall') * 1000:.1f} |")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--micropython", type=Path, required=True, help="MicroPython checkout or bare git repository")
    parser.add_argument("--mpyforge", type=Path, default=REPO / ".build/release/mpyforge", help="default: .build/release/mpyforge")
    parser.add_argument("--python", type=Path, default=Path(sys.executable), help="Python with pyelftools, for mpy_ld.py")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--no-matrix", action="store_true", help="skip the full-matrix build (its cold build takes a minute)")
    args = parser.parse_args()
    if not args.mpyforge.is_file():
        sys.exit(f"benchmark: {args.mpyforge} not found; build it with scripts/release-build")
    if subprocess.run([str(args.python), "-c", "import elftools"], capture_output=True).returncode != 0:
        sys.exit(f"benchmark: {args.python} has no pyelftools, which mpy_ld.py needs (pip install -r scripts/pins.txt)")
    with tempfile.TemporaryDirectory(prefix="mpyforge-bench-") as scratch:
        scratch = Path(scratch)
        tools = upstream_tools(args.micropython.resolve(), scratch)
        load = os.getloadavg()[0]
        print(f"mpyforge {subprocess.run([args.mpyforge, '--version'], capture_output=True, text=True).stdout.strip()} "
              f"({args.mpyforge}), MicroPython {upstream_commit(args.micropython.resolve())}, "
              f"Python {sys.version.split()[0]}; {os.cpu_count()} cores, load average {load:.1f} at the start\n")
        bench_link(args.mpyforge, args.python, tools, scratch, args.runs)
        bench_startup(args.mpyforge, args.python, scratch, args.runs)
        if not args.no_matrix:
            bench_matrix(args.mpyforge, scratch, args.runs)
        shutil.rmtree(scratch / "dist", ignore_errors=True)


if __name__ == "__main__":
    main()
