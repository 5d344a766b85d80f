# Python part of emlearn_fft, merged into the same .mpy as fft.c (which provides FFT).
# The twiddle tables are computed here with the firmware's math module, so the native code
# does not need sin/cos from libm (bytecode is also smaller than native code calling the runtime).
import array
import math


def fill(fft, n):
    """Computes the sin/cos tables for an FFT of length n and hands them to fft.fill()."""
    # The same rule as FFT(n), checked before the tables are built: n = 0 would divide by
    # zero and a huge n would build tables the device cannot hold (found by Fuzz/kernel_args).
    # A non-int n fails the comparison or the & with TypeError.
    if not 2 <= n <= 1048576 or n & (n - 1):
        raise ValueError("n not a power of two in 2..2^20")
    half = n // 2
    step = math.pi / half   # exactly 2 * pi / n
    sin = array.array('f', range(half))
    cos = array.array('f', sin)
    for i in range(half):
        sin[i] = math.sin(step * i)
        cos[i] = math.cos(step * i)
    fft.fill(sin, cos)
