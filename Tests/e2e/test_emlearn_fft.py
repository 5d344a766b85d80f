"""emlearn_fft built by mpyforge, run in the MicroPython unix port, checked against numpy.fft.fft."""

import numpy as np

from conftest import RUN_CASES, heap_growth, run_micropython, run_micropython_json

LENGTHS = [8, 16, 32, 64, 128, 256, 512, 1024]

FFT_SCRIPT = """
import array, emlearn_fft
with open({in_path!r}, 'rb') as src, open({out_path!r}, 'wb') as dst:
    for n in {lengths!r}:
        fft = emlearn_fft.FFT(n)
        emlearn_fft.fill(fft, n)
        for _ in range({signals_per_length}):
            re = array.array('f', src.read(4 * n))
            im = array.array('f', src.read(4 * n))
            fft.run(re, im)
            dst.write(re)
            dst.write(im)
print('ok')
"""


def test_matches_numpy_for_all_power_of_two_lengths(build_module, tmp_path):
    rng = np.random.default_rng(42)
    signals = []
    for n in LENGTHS:
        t = np.arange(n)
        signals.append(rng.normal(size=n) + 1j * rng.normal(size=n))               # complex noise
        signals.append(np.sin(2 * np.pi * 3 * t / n) + 0.5 + 0j)                   # real tone + DC
        signals.append(np.where(t == 1, 1.0, 0.0) + 0j)                            # shifted impulse
    in_path, out_path = tmp_path / "in.bin", tmp_path / "out.bin"
    with open(in_path, "wb") as f:
        for s in signals:
            s.real.astype("<f4").tofile(f)
            s.imag.astype("<f4").tofile(f)
    run_micropython(FFT_SCRIPT.format(in_path=str(in_path), out_path=str(out_path), lengths=LENGTHS,
                                      signals_per_length=3), build_module("emlearn_fft"))
    out = np.fromfile(out_path, dtype="<f4")
    offset = 0
    for s in signals:
        n = len(s)
        got = out[offset:offset + n] + 1j * out[offset + n:offset + 2 * n]
        offset += 2 * n
        x32 = s.real.astype(np.float32) + 1j * s.imag.astype(np.float32)
        expected = np.fft.fft(x32.astype(np.complex128))
        # float32 error grows ~log2(n); relative to the norm of the spectrum
        err = np.linalg.norm(got - expected) / np.linalg.norm(expected)
        assert err < 1e-6 * np.log2(n) * 4, (n, err)
    assert offset == len(out)


def test_bad_arguments_raise(build_module):
    script = """
import array, json, emlearn_fft
def filled(n=8):
    f = emlearn_fft.FFT(n)
    emlearn_fft.fill(f, n)
    return f
f8 = lambda: array.array('f', [0] * 8)
cases = {
    'length not power of two': lambda: emlearn_fft.FFT(12),
    'length zero': lambda: emlearn_fft.FFT(0),
    'length negative': lambda: emlearn_fft.FFT(-8),
    'length one': lambda: emlearn_fft.FFT(1),
    'length huge': lambda: emlearn_fft.FFT(1 << 30),
    'length float': lambda: emlearn_fft.FFT(8.0),
    'run before fill': lambda: emlearn_fft.FFT(8).run(f8(), f8()),
    'fill wrong n': lambda: emlearn_fft.fill(emlearn_fft.FFT(8), 16),
    'fill int16 tables': lambda: emlearn_fft.FFT(8).fill(array.array('h', [0] * 4), array.array('h', [0] * 4)),
    'fill short cos': lambda: emlearn_fft.FFT(8).fill(array.array('f', [0] * 4), array.array('f', [0] * 3)),
    'run real too short': lambda: filled().run(array.array('f', [0] * 7), f8()),
    'run imag too long': lambda: filled().run(f8(), array.array('f', [0] * 9)),
    'run real int16': lambda: filled().run(array.array('h', [0] * 8), f8()),
    'run imag double': lambda: filled().run(f8(), array.array('d', [0] * 8)),
    'run not a buffer': lambda: filled().run(None, f8()),
    'run same array twice': lambda: (lambda a: filled().run(a, a))(f8()),
}
""" + RUN_CASES + """print(json.dumps(res))
"""
    res = run_micropython_json(script, build_module("emlearn_fft"))
    for name, outcome in res.items():
        assert outcome is not None and outcome[0] in ("ValueError", "TypeError", "OverflowError"), (name, outcome)
    assert "power of two" in res["length not power of two"][1]
    assert "fill" in res["run before fill"][1]
    assert "length" in res["run real too short"][1]
    assert "float32" in res["run real int16"][1]


def test_memory_is_returned_after_del(build_module):
    growth = heap_growth(build_module("emlearn_fft"),
                         setup="import emlearn_fft",
                         body="f = emlearn_fft.FFT(1024)\nemlearn_fft.fill(f, 1024)", iterations=100)
    # each FFT(1024) holds 4 KiB of tables; a leak of even one per iteration would show
    assert growth < 2048, growth
