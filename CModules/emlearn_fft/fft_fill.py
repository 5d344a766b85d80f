# Python part of emlearn_fft, merged into the same .mpy as fft.c (which provides FFT).
# The twiddle tables are computed here with the firmware's math module, so the native code
# does not need sin/cos from libm.
import array
import math


def fill(fft, n):
    """Computes the sin/cos tables for an FFT of length n and hands them to fft.fill()."""
    # The same rule as FFT(n), checked before the tables are built: n = 0 would divide by
    # zero and a huge n would build tables the device cannot hold (found by Fuzz/kernel_args).
    if not isinstance(n, int) or n < 2 or n > 1048576 or n & (n - 1):
        raise ValueError("n not a power of two in 2..2^20")
    half = n // 2
    step = 2.0 * math.pi / n
    sin = array.array('f', [math.sin(step * i) for i in range(half)])
    cos = array.array('f', [math.cos(step * i) for i in range(half)])
    fft.fill(sin, cos)
