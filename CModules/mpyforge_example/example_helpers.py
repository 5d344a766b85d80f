# mpyforge_example: the Python half of the module; it runs after mpy_init, with the C names as globals.

# ruff: noqa: F821 - add_ints, array_sum, Accumulator etc. come from example.c


def sum_all(*numbers):
    """Adds any number of ints with the native add_ints."""
    total = 0
    for n in numbers:
        total = add_ints(total, n)
    return total


def mean(values):
    """Mean of a list of numbers, computed natively over an array('f')."""
    import array

    if not values:
        raise ValueError("mean of an empty list")
    return array_sum(array.array("f", values)) / len(values)


def accumulate(values, start=0):
    """Feeds values into a native Accumulator and returns it."""
    acc = Accumulator(start)
    for v in values:
        acc.add(v)
    return acc
