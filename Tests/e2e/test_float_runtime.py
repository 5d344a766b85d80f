"""Float maths that needs the runtime libraries (sqrtf, expf, logf, float division).

The module links for x64 (musl's libm) and every Thumb arch (newlib's libm plus mpyforge's
runtime support object), and the x64 build computes what CPython's maths does, rounded to
float32 as the C code computes.
"""

import json

import numpy as np
import pytest

from conftest import REPO, run_micropython_json, run_mpyforge

MODULE = REPO / "Tests" / "e2e" / "modules" / "floatmath"


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    run_mpyforge("build", MODULE, "--arch", "x64", "--out", out, "--work", tmp_path_factory.mktemp("work"))
    return out / "x64_6.3"


@pytest.mark.parametrize("arch", ["armv6m", "armv7m", "armv7emsp", "armv7emdp"])
def test_links_with_newlib_maths_on_thumb(arch, tmp_path):
    proc = run_mpyforge("build", MODULE, "--arch", arch, "--out", tmp_path / "d", "--work", tmp_path / "w", "--json")
    job = json.loads(proc.stdout)["jobs"][0]
    assert job["status"] == "built", job
    data = (tmp_path / "d" / f"{arch}_6.3" / "floatmath.mpy").read_bytes()
    assert data[:2] == b"M\x06"


def test_x64_results_match_float32_maths(dist):
    xs = [0.25, 1.0, 2.0, 10.5, 88.0]
    got = run_micropython_json(
        "import floatmath, json\n"
        f"xs = {xs!r}\n"
        "print(json.dumps({'sqrt': [floatmath.sqrt(x) for x in xs], 'exp': [floatmath.exp(x) for x in xs],\n"
        "  'log': [floatmath.log(x) for x in xs], 'div': [floatmath.div(x, 3.0) for x in xs],\n"
        "  'softmax': floatmath.softmax_first([1.0, 2.0, 3.0])}))",
        dist,
    )
    f32 = np.float32
    np.testing.assert_allclose(got["sqrt"], np.sqrt(np.array(xs, dtype=f32)), rtol=1e-6)
    np.testing.assert_allclose(got["exp"], np.exp(np.array(xs, dtype=f32)), rtol=2e-6)
    np.testing.assert_allclose(got["log"], np.log(np.array(xs, dtype=f32)), rtol=2e-6)
    np.testing.assert_allclose(got["div"], np.array(xs, dtype=f32) / f32(3.0), rtol=1e-7)
    e = np.exp(np.array([1.0, 2.0, 3.0], dtype=f32) - f32(3.0))
    assert got["softmax"] == pytest.approx(float(e[0] / e.sum()), rel=2e-6)


def test_overflow_gives_inf_not_a_crash(dist):
    got = run_micropython_json("import floatmath, json\nprint(json.dumps(str(floatmath.exp(1000.0))))", dist)
    assert got == "inf"
