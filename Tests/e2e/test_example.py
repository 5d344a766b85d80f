"""End-to-end tests for CModules/mpyforge_example: built by mpyforge, run in the unix port.

Every expected value is computed here in CPython, independently of the module.
"""

import array
import math

import pytest

from conftest import run_micropython, run_micropython_json

MODULE = "mpyforge_example"


@pytest.fixture(scope="module")
def libdir(build_module):
    dist = build_module(MODULE)
    assert (dist / f"{MODULE}.mpy").is_file(), f"no {MODULE}.mpy in {dist}"
    return dist


def run_json(libdir, body):
    """Runs body (which must assign `out`) with the module imported as m; returns out."""
    script = "import json, array\nimport mpyforge_example as m\n" + body + "\nprint(json.dumps(out))\n"
    return run_micropython_json(script, libdir)


def expect_error(libdir, call):
    """Runs `call` (an expression) and returns [exception type name, message]."""
    script = (
        "import json, array\nimport mpyforge_example as m\n"
        "try:\n"
        f"    {call}\n"
        "    out = ['no exception', '']\n"
        "except Exception as e:\n"
        "    out = [type(e).__name__, str(e)]\n"
        "print(json.dumps(out))\n"
    )
    return run_micropython_json(script, libdir)


def test_module_exports(libdir):
    names = run_json(libdir, "out = sorted(n for n in dir(m) if not n.startswith('__'))")
    expected = {
        "ANSWER", "Accumulator", "ExampleError", "GREETING", "WORD_BITS",
        "accumulate", "add_ints", "array_scale", "array_sum", "checksum", "count_calls",
        "factorial", "fail", "hypot", "mean", "mul_u64", "ratio", "sum_all", "try_call",
    }
    assert expected <= set(names), sorted(expected - set(names))


def test_module_constants(libdir):
    assert run_json(libdir, "out = [m.ANSWER, m.WORD_BITS, m.GREETING]") == [42, 64, "hello from C"]


def test_int_arguments_and_results(libdir):
    cases = [(1, 2), (-5, 100), (2**40, 2**40), (2**61, 2**61), (2**62, 1), (-(2**62), -(2**62))]
    got = run_json(libdir, f"out = [m.add_ints(a, b) for a, b in {cases!r}]")
    assert got == [a + b for a, b in cases]
    # 2**62 is past the x64 small-int range, so some of these were big ints on both sides.
    assert max(got) == 2**62 + 1 and min(got) == -(2**63)


def test_unsigned_64bit_products(libdir):
    cases = [(0, 5), (3, 7), (2**32 + 1, 2**32 - 1), (2**32, 2**31), (2**40, 2**40)]
    got = run_json(libdir, f"out = [m.mul_u64(a, b) for a, b in {cases!r}]")
    assert got == [(a * b) % 2**64 for a, b in cases]
    assert got[2] == 2**64 - 1


def test_factorial_is_exact(libdir):
    got = run_json(libdir, "out = [m.factorial(n) for n in (0, 1, 5, 20, 30, 50)]")
    assert got == [math.factorial(n) for n in (0, 1, 5, 20, 30, 50)]


def test_bss_counter_starts_at_zero(libdir):
    assert run_json(libdir, "out = [m.count_calls() for _ in range(3)]") == [1, 2, 3]


def test_floats(libdir):
    got = run_json(libdir, "out = [m.hypot(3, 4), m.hypot(1.5, 2), m.hypot(0, 0), m.ratio(1, 3), m.ratio(-7.5, 2)]")
    expected = [5.0, math.hypot(1.5, 2), 0.0, 1 / 3, -3.75]
    assert got == pytest.approx(expected, rel=1e-12)


def test_array_sum(libdir):
    h = [1, -2, 3000, 20000, -32768]
    f = [1.5, 2.25, -0.125]
    got = run_json(libdir, f"out = [m.array_sum(array.array('h', {h!r})), m.array_sum(array.array('f', {f!r}))]")
    assert got[0] == sum(h)
    # float32 storage of these values is exact, so the sum is too.
    assert got[1] == pytest.approx(sum(f))


def test_array_scale_int16_saturates_in_place(libdir):
    values = [1, -2, 3000, 20000, -20000]
    got = run_json(libdir, f"a = array.array('h', {values!r})\nclipped = m.array_scale(a, 2)\nout = [clipped, list(a)]")
    scaled = [max(-32768, min(32767, v * 2)) for v in values]
    assert got == [sum(1 for v in values if not -32768 <= v * 2 <= 32767), scaled]


def test_array_scale_float_in_place(libdir):
    values = [1.5, -2.0, 0.25]
    got = run_json(libdir, f"a = array.array('f', {values!r})\nclipped = m.array_scale(a, 0.5)\nout = [clipped, list(a)]")
    assert got[0] == 0
    expected = list(array.array("f", [v * 0.5 for v in values]))
    assert got[1] == pytest.approx(expected)


def test_checksum_of_buffers(libdir):
    got = run_json(libdir, "out = [m.checksum(b''), m.checksum(b'abc'), m.checksum(bytearray(range(256))), m.checksum(array.array('h', [258]))]")
    assert got == [0, sum(b"abc"), sum(range(256)), sum((258).to_bytes(2, "little"))]


def test_try_call_catches_exceptions(libdir):
    got = run_json(libdir, "out = [m.try_call(lambda: 1 // 0, -1), m.try_call(lambda: 'fine', -1), m.try_call(lambda: [][1], None)]")
    assert got == [-1, "fine", None]


def test_accumulator_class(libdir):
    body = """
acc = m.Accumulator(10)
out = [repr(acc), acc.add(5), acc.add(-2), acc.total, acc.count, repr(acc)]
acc.total = 100
out += [acc.total, acc.count]
acc.reset()
out += [acc.total, acc.count, type(acc).__name__, repr(m.Accumulator())]
"""
    assert run_json(libdir, body) == [
        "Accumulator(total=10, count=0)", 15, 13, 13, 2, "Accumulator(total=13, count=2)",
        100, 2,
        0, 0, "Accumulator", "Accumulator(total=0, count=0)",
    ]


def test_accumulator_count_is_read_only(libdir):
    name, _ = expect_error(libdir, "m.Accumulator().count = 3")
    assert name == "AttributeError"


def test_python_helpers_call_native_code(libdir):
    got = run_json(libdir, "out = [m.sum_all(), m.sum_all(1, 2, 3, 2**62), m.mean([1, 2, 3, 4]), repr(m.accumulate([4, 5, 6], 1))]")
    assert got[0] == 0
    assert got[1] == 6 + 2**62
    assert got[2] == pytest.approx(2.5)
    assert got[3] == "Accumulator(total=16, count=3)"


def test_custom_exception(libdir):
    body = """
try:
    m.fail('boom')
    out = 'no exception'
except m.ExampleError as e:
    out = [type(e).__name__, str(e), isinstance(e, ValueError), issubclass(m.ExampleError, Exception)]
"""
    assert run_json(libdir, body) == ["ExampleError", "boom", True, True]


@pytest.mark.parametrize(
    "call, error, message",
    [
        ("m.add_ints(1.5, 2)", "TypeError", "expected an int"),
        ("m.add_ints('1', 2)", "TypeError", "expected an int"),
        ("m.add_ints(2**70, 1)", "OverflowError", "int too large for a machine word"),
        ("m.add_ints(2**63 - 1, 1)", "OverflowError", "sum overflows a machine word"),
        ("m.mul_u64(-1, 2)", "ValueError", "arguments must be non-negative"),
        ("m.factorial(-1)", "ValueError", "factorial of a negative number"),
        ("m.ratio(1, 0)", "ZeroDivisionError", "ratio with zero denominator"),
        ("m.array_sum(array.array('i', [1]))", "TypeError", "expected an array of typecode 'h' or 'f'"),
        ("m.array_scale(bytearray(4), 2)", "TypeError", "expected an array of typecode 'h' or 'f'"),
        ("m.array_scale(array.array('h', [1]), 1.5)", "TypeError", "expected an int"),
        ("m.array_sum(5)", "TypeError", "buffer protocol"),
        ("m.checksum(None)", "TypeError", "buffer protocol"),
        ("m.Accumulator(1, 2)", "TypeError", "at most 1 argument"),
        ("m.Accumulator('x')", "TypeError", "expected an int"),
        ("m.mean([])", "ValueError", "mean of an empty list"),
        ("m.fail('custom text')", "ExampleError", "custom text"),
    ],
)
def test_wrong_input_raises(libdir, call, error, message):
    name, text = expect_error(libdir, call)
    assert name == error, (call, name, text)
    assert message in text, (call, text)


def test_module_can_be_imported_twice(libdir):
    # A second import returns the cached module; the .bss counter keeps its state.
    proc = run_micropython(
        "import mpyforge_example as a\nimport mpyforge_example as b\nprint(a is b, a.count_calls(), b.count_calls())",
        libdir,
    )
    assert proc.stdout.strip() == "True 1 2"
