# Python part of emlearn_iir_q15, merged into the same .mpy as iir_q15.c (which provides new()).
import array


def convert_coefficients(c, scale=8191):
    """scipy "sos" rows (b0, b1, b2, a0, a1, a2 per stage, a0 == 1) -> the 'h' array new() takes:
    b0, 0, b1, b2, -a1, -a2 per stage, each int(value * scale) (truncated towards zero).
    The filter treats them as Q2.13 (value * 8192), so |coefficient| must stay below 4."""
    n = len(c)
    if n % 6:
        raise ValueError("coefficients length must be a multiple of 6")
    out = array.array('h', bytes(2 * n))
    for o in range(0, n, 6):
        b0, b1, b2, a0, a1, a2 = c[o:o + 6]
        if a0 != 1.0:
            raise ValueError("a0 must be 1.0")
        i = o
        for v in (b0, 0.0, b1, b2, -a1, -a2):
            v *= scale
            # also rejects NaN and inf (int() of those is not a ValueError)
            if not -32769.0 < v < 32768.0:
                raise ValueError("coefficient * scale outside int16")
            out[i] = int(v)
            i += 1
    return out
