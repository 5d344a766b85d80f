"""emlearn_arrayutils.linear_map built by mpyforge, run in the MicroPython unix port, checked
against the same affine map in numpy (float32, same operation order), including clamping."""

import numpy as np
import pytest

from conftest import RUN_CASES, run_micropython, run_micropython_json

MAP_SCRIPT = """
import array, emlearn_arrayutils
with open({in_path!r}, 'rb') as f:
    inp = array.array({in_type!r}, f.read())
out = array.array({out_type!r}, [0] * len(inp))
emlearn_arrayutils.linear_map(inp, out, {in_min!r}, {in_max!r}, {out_min!r}, {out_max!r})
with open({out_path!r}, 'wb') as f:
    f.write(out)
print('ok')
"""


def numpy_linear_map(x, in_min, in_max, out_min, out_max):
    f32 = np.float32
    y = (x.astype(f32) - f32(in_min)) * (f32(out_max) - f32(out_min)) / (f32(in_max) - f32(in_min)) + f32(out_min)
    return np.clip(y, min(f32(out_min), f32(out_max)), max(f32(out_min), f32(out_max)))


# Without an FPU the kernel compares floats as integers and truncates them from their bits
# (arrayutils.c). __SOFTFP__ selects that code; built for the host it runs in the unix port
# against the same expectations as the default build.
BUILDS = {"fpu": (), "soft_float_code": ("__SOFTFP__",)}


def run_map(libdir, work, inp, in_type, out_type, bounds):
    in_path, out_path = work / "in.bin", work / "out.bin"
    inp.tofile(in_path)
    run_micropython(MAP_SCRIPT.format(in_path=str(in_path), out_path=str(out_path), in_type=in_type,
                                      out_type=out_type, in_min=bounds[0], in_max=bounds[1],
                                      out_min=bounds[2], out_max=bounds[3]), libdir)
    return np.fromfile(out_path, dtype="<f4" if out_type == "f" else "<i2")


@pytest.mark.parametrize("bounds", [
    (-32768, 32767, -1.0, 1.0),     # int16 audio to float
    (-1000, 1000, 0.0, 1.0),        # values beyond the range clamp to 0 / 1
    (0, 4095, 10.0, -10.0),         # inverted output range
])
@pytest.mark.parametrize("build", sorted(BUILDS))
def test_int16_to_float(build_module, tmp_path, bounds, build):
    inp = np.concatenate([np.arange(-32768, 32768, 97), [-32768, 32767, 0, -1000, 1000, 4095]]).astype("<i2")
    got = run_map(build_module("emlearn_arrayutils", defines=BUILDS[build]), tmp_path, inp, "h", "f", bounds)
    expected = numpy_linear_map(inp, *bounds)
    np.testing.assert_array_equal(got, expected)
    lo, hi = sorted(bounds[2:])
    assert got.min() >= lo and got.max() <= hi


@pytest.mark.parametrize("bounds", [
    (-1.0, 1.0, -32768, 32767),     # float back to int16 audio
    (0.0, 1.0, -100, 100),          # clamp to the output range
    (-1.0, 1.0, -100000, 100000),   # output range beyond int16: clamp to int16
    (-1.0, 1.0, 40000, 50000),      # output range wholly above int16: all 32767
    (-1.0, 1.0, 100.5, -100.5),     # inverted output range, fractional bounds
])
@pytest.mark.parametrize("build", sorted(BUILDS))
def test_float_to_int16(build_module, tmp_path, bounds, build):
    rng = np.random.default_rng(3)
    inp = np.concatenate([rng.uniform(-2, 2, 3000), [-1, 1, 0, -0.0, 0.5, -0.5, 1e30, -1e30, np.inf, -np.inf, np.nan, 1e-40, -1e-40,
                                                   0.99999, -0.99999, 0.9999999, -0.9999999, 1 / 32767, -1 / 32768]])
    with np.errstate(under="ignore"):   # 1e-40 is meant to become a float32 subnormal
        inp = inp.astype("<f4")
    got = run_map(build_module("emlearn_arrayutils", defines=BUILDS[build]), tmp_path, inp, "f", "h", bounds)
    with np.errstate(invalid="ignore", over="ignore"):
        y = numpy_linear_map(inp, *bounds)
    expected = np.trunc(np.clip(np.nan_to_num(y, nan=0.0), -32768, 32767)).astype(np.int16)
    np.testing.assert_array_equal(got, expected)


def test_bad_arguments_raise(build_module):
    script = """
import array, json, emlearn_arrayutils as au
h = lambda n=4: array.array('h', [0] * n)
f = lambda n=4: array.array('f', [0] * n)
cases = {
    'h to h': lambda: au.linear_map(h(), h(), 0, 1, 0, 1),
    'f to f': lambda: au.linear_map(f(), f(), 0, 1, 0, 1),
    'b to f': lambda: au.linear_map(array.array('b', [0] * 4), f(), 0, 1, 0, 1),
    'h to d': lambda: au.linear_map(h(), array.array('d', [0] * 4), 0, 1, 0, 1),
    'bytes in': lambda: au.linear_map(b'abcdefgh', f(), 0, 1, 0, 1),
    'length mismatch h f': lambda: au.linear_map(h(4), f(3), 0, 1, 0, 1),
    'length mismatch f h': lambda: au.linear_map(f(4), h(8), 0, 1, 0, 1),
    'empty input range': lambda: au.linear_map(h(), f(), 5, 5, 0, 1),
    'nan bound': lambda: au.linear_map(h(), f(), 0, float('nan'), 0, 1),
    'inf bound': lambda: au.linear_map(f(), h(), 0, 1, 0, float('inf')),
    'bound not a number': lambda: au.linear_map(h(), f(), 0, 'x', 0, 1),
    'not a buffer': lambda: au.linear_map([1, 2], f(2), 0, 1, 0, 1),
    'too few args': lambda: au.linear_map(h(), f(), 0, 1, 0),
}
""" + RUN_CASES + """empty = au.linear_map(h(0), f(0), 0, 1, 0, 1)   # zero-length arrays are fine
print(json.dumps(res))
"""
    res = run_micropython_json(script, build_module("emlearn_arrayutils"))
    for name, outcome in res.items():
        assert outcome is not None and outcome[0] in ("ValueError", "TypeError"), (name, outcome)
    assert "typecode" in res["h to h"][1]
    assert "length" in res["length mismatch h f"][1]
    assert "in_min == in_max" in res["empty input range"][1]
    assert "finite" in res["nan bound"][1] and "finite" in res["inf bound"][1]
