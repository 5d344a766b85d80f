# @micropython.native and @micropython.viper functions: mpy-cross -march=x64 turns this into
# a native .mpy with native-Python and viper raw codes.
import micropython


@micropython.native
def native_sum(n):
    total = 0
    for i in range(n):
        total += i
    return total


@micropython.viper
def viper_double(x: int) -> int:
    return x * 2


def plain(x):
    return x + 1


print("natpy", native_sum(10), viper_double(21), plain(1))
