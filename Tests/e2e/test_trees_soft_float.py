"""emlearn_trees' vote counts on MCUs without an FPU (armv6m, armv7m, RISC-V).

There trees_model.c turns counts into floats through their bits instead of libgcc's
int-to-float routine (which on Thumb drags in the whole soft-float adder). The same C, compiled
for this host as for such an MCU (-D__SOFTFP__), must give exactly the host's own division
count / n_trees for every count (Tests/e2e/host/trees_votes.c).
"""

import shutil
import subprocess

import pytest

from conftest import REPO


def emlearn_include():
    import emlearn
    return emlearn.includedir


@pytest.mark.parametrize("n_trees", [1, 3, 255, 4000])
def test_soft_float_votes_match_float_division(n_trees, tmp_path):
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.fail("no host C compiler (gcc)")
    exe = tmp_path / "trees_votes"
    trees = REPO / "CModules" / "emlearn_trees"
    subprocess.run([cc, "-std=c99", "-O1", "-Wall", "-Werror", "-D__SOFTFP__", f"-I{trees}", f"-I{emlearn_include()}",
                    str(REPO / "Tests" / "e2e" / "host" / "trees_votes.c"), str(trees / "trees_model.c"), "-o", str(exe)],
                   check=True)
    result = subprocess.run([str(exe), str(n_trees)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == f"ok {n_trees}", result.stdout + result.stderr
