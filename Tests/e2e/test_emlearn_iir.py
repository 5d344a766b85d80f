"""emlearn_iir built by mpyforge, run in the MicroPython unix port, checked against scipy.signal.sosfilt."""

import numpy as np
import pytest

from conftest import RUN_CASES, STREAM_CHUNKS, heap_growth, run_micropython, run_micropython_json

signal = pytest.importorskip("scipy.signal")

STREAM_SCRIPT = """
import array, emlearn_iir
with open({sos_path!r}, 'rb') as f:
    coeffs = array.array('f', f.read())
filt = emlearn_iir.new(coeffs)
""" + STREAM_CHUNKS


def stream_through_micropython(libdir, work, sos, x, chunks):
    sos_path, x_path, y_path = work / "sos.bin", work / "x.bin", work / "y.bin"
    np.asarray(sos, dtype="<f4").tofile(sos_path)
    np.asarray(x, dtype="<f4").tofile(x_path)
    run_micropython(STREAM_SCRIPT.format(sos_path=str(sos_path), x_path=str(x_path), y_path=str(y_path),
                                         chunks=chunks, typecode="f", itemsize=4), libdir)
    return np.fromfile(y_path, dtype="<f4")


FILTERS = {
    "lowpass4": lambda: signal.butter(4, 0.1, output="sos"),
    "highpass2": lambda: signal.butter(2, 0.3, btype="highpass", output="sos"),
    "bandpass6": lambda: signal.butter(6, [0.05, 0.25], btype="bandpass", output="sos"),
    "cheby_bandstop4": lambda: signal.cheby1(4, 1, [0.2, 0.4], btype="bandstop", output="sos"),
}


# On x86 two stages run per pass; MCU builds run one (iir.c). The define builds that code for the host.
BUILDS = {"x86": (), "mcu_code": ("STAGES_PER_PASS=1",)}


@pytest.mark.parametrize("build", sorted(BUILDS))
@pytest.mark.parametrize("name", sorted(FILTERS))
def test_streamed_chunks_match_sosfilt(build_module, tmp_path, name, build):
    libdir = build_module("emlearn_iir", defines=BUILDS[build])
    sos = FILTERS[name]().astype(np.float32)
    rng = np.random.default_rng(7)
    noise = rng.normal(0, 1, 3000)
    step = np.concatenate([np.zeros(200), np.full(1800, 3.0)])
    x = np.concatenate([noise, step]).astype(np.float32)
    # odd chunk sizes: the state must carry over correctly between run() calls
    y = stream_through_micropython(libdir, tmp_path, sos, x, chunks=[1, 7, 64, 500, 13])
    expected = signal.sosfilt(sos.astype(np.float64), x.astype(np.float64))
    assert y.shape == expected.shape
    scale = np.max(np.abs(expected))
    np.testing.assert_allclose(y, expected, rtol=0, atol=2e-4 * scale)
    # the step response settles to the DC gain of the filter
    dc_gain = np.prod(sos[:, :3].sum(axis=1) / sos[:, 3:].sum(axis=1))
    np.testing.assert_allclose(y[-1], 3.0 * dc_gain, atol=1e-3)


def test_a0_other_than_one_is_refused(build_module):
    # scipy.signal.sosfilt's own rule: every section normalised to a0 == 1
    script = """
import array, json, emlearn_iir
try:
    emlearn_iir.new(array.array('f', [1, 0, 0, 1, 0, 0, 2, 0, 0, 2, 0, 0]))
    print(json.dumps(None))
except ValueError as e:
    print(json.dumps(str(e)))
"""
    assert "a0 must be 1" in run_micropython_json(script, build_module("emlearn_iir"))
    sos = signal.butter(2, 0.2, output="sos")
    with pytest.raises(ValueError, match="all ones"):
        signal.sosfilt(sos * 2.0, np.zeros(8))


def test_bad_arguments_raise(build_module):
    script = """
import array, json, emlearn_iir
ok = array.array('f', [1, 0, 0, 1, 0, 0])
cases = {
    'coefficients not float': lambda: emlearn_iir.new(array.array('h', [1, 0, 0, 1, 0, 0])),
    'coefficients not multiple of 6': lambda: emlearn_iir.new(array.array('f', [1, 0, 0, 1, 0])),
    'coefficients empty': lambda: emlearn_iir.new(array.array('f')),
    'coefficients a0 zero': lambda: emlearn_iir.new(array.array('f', [1, 0, 0, 0, 0, 0])),
    'coefficients not a buffer': lambda: emlearn_iir.new([1, 0, 0, 1, 0, 0]),
    'run int16 values': lambda: emlearn_iir.new(ok).run(array.array('h', [1, 2])),
    'run bytes': lambda: emlearn_iir.new(ok).run(bytearray(8)),
    'run not a buffer': lambda: emlearn_iir.new(ok).run(3.0),
}
""" + RUN_CASES + """empty = array.array('f')
emlearn_iir.new(ok).run(empty)   # an empty chunk is fine
print(json.dumps(res))
"""
    res = run_micropython_json(script, build_module("emlearn_iir"))
    for name, outcome in res.items():
        assert outcome is not None and outcome[0] in ("ValueError", "TypeError"), (name, outcome)
    assert "float32" in res["coefficients not float"][1]
    assert "6 * (1..65536)" in res["coefficients not multiple of 6"][1]
    assert "6 * (1..65536)" in res["coefficients empty"][1]
    assert "a0 must be 1" in res["coefficients a0 zero"][1]
    assert "float32" in res["run int16 values"][1]


def test_memory_is_returned_after_del(build_module):
    growth = heap_growth(build_module("emlearn_iir"),
                         setup="import array, emlearn_iir\ncoeffs = array.array('f', [1, 0, 0, 1, 0, 0] * 50)",
                         body="emlearn_iir.new(coeffs)", iterations=200)
    # each model is kilobytes; a leak of even one per iteration would show
    assert growth < 2048, growth
