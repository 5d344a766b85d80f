import micropython

@micropython.native
def scaled(values, k):
    return [v * k for v in values]

@micropython.viper
def count_bits(x: int) -> int:
    n = 0
    while x:
        n += x & 1
        x >>= 1
    return n
