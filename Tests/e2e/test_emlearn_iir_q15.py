"""emlearn_iir_q15 built by mpyforge, run in the MicroPython unix port.

Checked two ways: bit for bit against a Python model of the Q15 direct form I arithmetic
(CMSIS-DSP's arm_biquad_cascade_df1_q15 with postShift 2, what emlearn-micropython runs), and
against scipy.signal.sosfilt on the quantised coefficients within a bound derived from the filter.
"""

import numpy as np
import pytest

from conftest import RUN_CASES, STREAM_CHUNKS, heap_growth, run_micropython, run_micropython_json

signal = pytest.importorskip("scipy.signal")

SHIFT = 13   # Q2.13 coefficients: postShift 2

FILTERS = {
    "lowpass4": lambda: signal.butter(4, 0.1, output="sos"),
    "highpass2": lambda: signal.butter(2, 0.3, btype="highpass", output="sos"),
    "bandpass4": lambda: signal.butter(2, [0.1, 0.3], btype="bandpass", output="sos"),
    # emlearn-micropython's test filter: a lowpass and a DC-blocking highpass with poles near z=1
    "upstream_example": lambda: np.array([
        [0.2064104175118759, 0.4128208350237518, 0.2064104175118759, 1.0, -0.37007910158090057, 0.19608813997724178],
        [1.0, -2.0, 1.0, 1.0, -1.999111423794296, 0.9991118187443988]]),
}


def quantise(sos, scale=8191):
    """What convert_coefficients must return: b0, 0, b1, b2, -a1, -a2, each truncated towards zero."""
    rows = [[row[0], 0.0, row[1], row[2], -row[4], -row[5]] for row in np.asarray(sos, dtype=np.float64)]
    return np.trunc(np.array(rows) * scale).astype(np.int64).ravel()


def df1_q15_reference(q, x):
    """The filter's arithmetic in Python integers: exact products and sums, floor shift, saturation."""
    y = [int(v) for v in x]
    for s in range(len(q) // 6):
        b0, _, b1, b2, a1, a2 = (int(v) for v in q[6 * s:6 * s + 6])
        x1 = x2 = y1 = y2 = 0
        for i, xn in enumerate(y):
            acc = b0 * xn + b1 * x1 + b2 * x2 + a1 * y1 + a2 * y2
            out = max(-32768, min(32767, acc >> SHIFT))
            x2, x1, y2, y1 = x1, xn, y1, out
            y[i] = out
    return np.array(y, dtype=np.int64)


STREAM_SCRIPT = """
import array, emlearn_iir_q15
with open({sos_path!r}, 'rb') as f:
    sos = array.array('d', f.read())
coeffs = emlearn_iir_q15.convert_coefficients(sos)
with open({q_path!r}, 'wb') as f:
    f.write(coeffs)
filt = emlearn_iir_q15.new(coeffs)
""" + STREAM_CHUNKS


def stream_through_micropython(libdir, work, sos, x, chunks):
    """Converts sos in MicroPython, filters x in chunks; returns (its coefficients, output)."""
    paths = {name: work / f"{name}.bin" for name in ("sos", "q", "x", "y")}
    np.asarray(sos, dtype="<f8").tofile(paths["sos"])
    np.asarray(x, dtype="<i2").tofile(paths["x"])
    run_micropython(STREAM_SCRIPT.format(chunks=chunks, typecode="h", itemsize=2,
                                         **{f"{k}_path": str(v) for k, v in paths.items()}), libdir)
    return np.fromfile(paths["q"], dtype="<i2").astype(np.int64), np.fromfile(paths["y"], dtype="<i2").astype(np.int64)


def make_signal(n=4000, amplitude=6000.0):
    rng = np.random.default_rng(11)
    noise = rng.normal(0, amplitude / 3, n // 2)
    step = np.concatenate([np.zeros(n // 8), np.full(n // 2 - n // 8, amplitude)])
    return np.clip(np.round(np.concatenate([noise, step])), -32768, 32767).astype(np.int16)


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_streamed_chunks_are_bit_exact(build_module, tmp_path, name):
    sos = FILTERS[name]()
    x = make_signal()
    # odd chunk sizes: the state must carry over correctly between run() calls
    q, y = stream_through_micropython(build_module("emlearn_iir_q15"), tmp_path, sos, x, chunks=[1, 7, 64, 500, 13])
    np.testing.assert_array_equal(q, quantise(sos))
    np.testing.assert_array_equal(y, df1_q15_reference(q, x))


def truncation_error_bound(q, n=20000):
    """Largest possible |kernel - sosfilt(quantised coefficients)|, in LSB.

    Every stage's output is floor(acc / 2^13): an error e in (-1, 0] added at that stage's output,
    which then runs through the stage's own feedback (1/A) and all later stages. So the deviation
    is at most sum over stages k of the L1 norm of the impulse response of
    1/A_k * prod_{j>k} B_j/A_j (computed here with sosfilt, long enough for it to decay)."""
    rows = np.array(q, dtype=np.float64).reshape(-1, 6) / 2 ** SHIFT
    sos = np.column_stack([rows[:, 0], rows[:, 2], rows[:, 3], np.ones(len(rows)), -rows[:, 4], -rows[:, 5]])
    impulse = np.zeros(n)
    impulse[0] = 1.0
    bound = 0.0
    for k in range(len(sos)):
        feedback_only = np.array([[1.0, 0.0, 0.0, *sos[k, 3:]]])
        h = signal.sosfilt(np.vstack([feedback_only, sos[k + 1:]]), impulse)
        assert abs(h[-1]) < 1e-9, "impulse response did not decay"
        bound += np.abs(h).sum()
    return sos, bound


# Filters whose truncation bound is a few LSB. Not lowpass4 (cutoff 0.1): its second stage has a
# DC gain of ~300 after the first stage's truncation, so the worst case is ~800 LSB (~500 seen,
# mostly a DC offset), which is what Q15 direct form I with truncation does to such filters.
CLOSE_FILTERS = {
    "lowpass2": lambda: signal.butter(2, 0.2, output="sos"),
    "highpass2": FILTERS["highpass2"],
    "bandpass2": lambda: signal.butter(1, [0.2, 0.4], btype="bandpass", output="sos"),
    "cheby_lowpass2": lambda: signal.cheby1(2, 1, 0.25, output="sos"),
}


@pytest.mark.parametrize("name", sorted(CLOSE_FILTERS))
def test_close_to_sosfilt_on_quantised_coefficients(build_module, tmp_path, name):
    x = make_signal()
    sos = CLOSE_FILTERS[name]()
    q, y = stream_through_micropython(build_module("emlearn_iir_q15"), tmp_path, sos, x, chunks=[4000])
    sos, bound = truncation_error_bound(q)
    expected = signal.sosfilt(sos, x.astype(np.float64))
    assert np.abs(expected).max() < 32000   # no saturation in this test: the bound assumes none
    deviation = np.abs(y - expected).max()
    # bounds: lowpass2 4.2, highpass2 2.2, bandpass2 3.3, cheby_lowpass2 3.2 LSB
    assert bound < 5, bound
    assert deviation <= bound, (deviation, bound)


def test_saturates_instead_of_wrapping(build_module, tmp_path):
    # gain 2 at DC (b0 = 2, 16382 / 8192 ~ 2): a full-scale step must clip at the int16 limits
    sos = np.array([[1.99, 0.0, 0.0, 1.0, 0.0, 0.0]])
    x = np.array([30000] * 5 + [-30000] * 5 + [100] * 3, dtype=np.int16)
    q, y = stream_through_micropython(build_module("emlearn_iir_q15"), tmp_path, sos, x, chunks=[13])
    assert list(y[:10]) == [32767] * 5 + [-32768] * 5
    np.testing.assert_array_equal(y, df1_q15_reference(q, x))


def test_convert_coefficients_accepts_lists_and_other_scales(build_module):
    script = """
import array, json, emlearn_iir_q15
rows = [0.25, -0.5, 0.125, 1.0, -1.5, 0.75]
print(json.dumps([list(emlearn_iir_q15.convert_coefficients(rows)),
                  list(emlearn_iir_q15.convert_coefficients(array.array('f', rows), 1000)),
                  list(emlearn_iir_q15.convert_coefficients([]))]))
"""
    default, custom, empty = run_micropython_json(script, build_module("emlearn_iir_q15"))
    rows = [[0.25, -0.5, 0.125, 1.0, -1.5, 0.75]]
    assert default == list(quantise(rows))
    assert custom == list(quantise(rows, 1000))
    assert empty == []


def test_bad_arguments_raise(build_module):
    script = """
import array, json, emlearn_iir_q15 as m
ok = array.array('h', [8192, 0, 0, 0, 0, 0])
cases = {
    'new float array': lambda: m.new(array.array('f', [1, 0, 0, 0, 0, 0])),
    'new uint16 array': lambda: m.new(array.array('H', [1, 0, 0, 0, 0, 0])),
    'new not multiple of 6': lambda: m.new(array.array('h', [1, 0, 0, 0, 0])),
    'new empty': lambda: m.new(array.array('h')),
    'new list': lambda: m.new([8192, 0, 0, 0, 0, 0]),
    'new int': lambda: m.new(6),
    'new None': lambda: m.new(None),
    'run float values': lambda: m.new(ok).run(array.array('f', [1, 2])),
    'run bytearray': lambda: m.new(ok).run(bytearray(8)),
    'run bytes (read-only)': lambda: m.new(ok).run(b'1234'),
    'run list': lambda: m.new(ok).run([1, 2]),
    'run huge int': lambda: m.new(ok).run(1 << 100),
    'convert not multiple of 6': lambda: m.convert_coefficients([1.0, 0, 0, 1.0, 0]),
    'convert a0 not 1': lambda: m.convert_coefficients([1.0, 0, 0, 2.0, 0, 0]),
    'convert out of range': lambda: m.convert_coefficients([4.5, 0, 0, 1.0, 0, 0]),
    'convert nan': lambda: m.convert_coefficients([float('nan'), 0, 0, 1.0, 0, 0]),
    'convert inf': lambda: m.convert_coefficients([1.0, 0, 0, 1.0, float('inf'), 0]),
    'convert huge scale': lambda: m.convert_coefficients([1.0, 0, 0, 1.0, 0, 0], 1 << 100),
    'convert strings': lambda: m.convert_coefficients(['a'] * 6),
    'convert not a sequence': lambda: m.convert_coefficients(3),
}
""" + RUN_CASES + """m.new(ok).run(array.array('h'))   # an empty chunk is fine
print(json.dumps(res))
"""
    res = run_micropython_json(script, build_module("emlearn_iir_q15"))
    for name, outcome in res.items():
        assert outcome is not None and outcome[0] in ("ValueError", "TypeError") and outcome[1], (name, outcome)
    assert "int16" in res["new float array"][1]
    assert "multiple of 6" in res["new not multiple of 6"][1]
    assert "a0" in res["convert a0 not 1"][1]
    assert "int16" in res["convert out of range"][1]


def test_memory_is_returned_after_del(build_module):
    growth = heap_growth(build_module("emlearn_iir_q15"),
                         setup="import array, emlearn_iir_q15\ncoeffs = array.array('h', [8192, 0, 0, 0, 0, 0] * 50)",
                         body="emlearn_iir_q15.new(coeffs)", iterations=200)
    # each filter is ~1 KB; a leak of even one per iteration would show
    assert growth < 2048, growth
