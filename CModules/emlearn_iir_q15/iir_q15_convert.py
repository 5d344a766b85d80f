# Python part of emlearn_iir_q15, merged into the same .mpy as iir_q15.c (which provides new()).
import array


def convert_coefficients(c, scale=8191):
    """scipy "sos" rows (b0, b1, b2, a0, a1, a2 per stage, a0 == 1) -> the 'h' array new() takes:
    b0, 0, b1, b2, -a1, -a2 per stage, each int(value * scale) (truncated towards zero).
    The filter treats them as Q2.13 (value * 8192), so |coefficient| must stay below 4."""
    n = len(c)
    if n % 6:
        raise ValueError("length not a multiple of 6")
    # One check for all: |value * scale| < 32768 also rejects inf (int() of it would raise
    # OverflowError); int() of NaN raises ValueError by itself.
    if n and not max(max(c), -min(c)) * abs(scale) < 32768:
        raise ValueError("coefficient * scale outside int16")
    out = array.array('h', bytes(2 * n))
    for o in range(0, n, 6):
        b0, b1, b2, a0, a1, a2 = c[o:o + 6]
        if a0 != 1.0:
            raise ValueError("a0 must be 1.0")
        out[o] = int(b0 * scale)
        out[o + 2] = int(b1 * scale)
        out[o + 3] = int(b2 * scale)
        out[o + 4] = int(-a1 * scale)
        out[o + 5] = int(-a2 * scale)
    return out
