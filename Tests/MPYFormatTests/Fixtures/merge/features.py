# Functions, classes, closures, generators and every kind of constant object.
BIG = 123456789012345678901234567890
NEG_BIG = -98765432109876543210
PI = 3.14159
Z = 1.5 + 2j
DATA = b"\x00\x01binary"
LONG_TEXT = "a string long enough to be stored as a constant object rather than a qstr, surely"
NESTED = (1, (2.5, b"x", "y"), None)
SMALL = (-1, 0, 63, 64, -64, -65, 8191, -8192, 100000, -100000)


def add(a, b=2, *rest, scale=1, **options):
    return (a + b + sum(rest)) * scale


def make_counter(start):
    count = start

    def step(by=1):
        nonlocal count
        count += by
        return count

    return step


def squares(n):
    for i in range(n):
        yield i * i


class Shape:
    sides = 0

    def __init__(self, name):
        self.name = name

    def describe(self):
        return "%s with %d sides" % (self.name, self.sides)


class Square(Shape):
    sides = 4

    def area(self, side):
        return side * side


def guarded(x):
    try:
        return 10 // x
    except ZeroDivisionError:
        return None
    finally:
        pass


def flags(x):
    return (x is None, x is True, x is False, x is ..., [k for k in range(3) if k != x])


counter = make_counter(10)
counter()
print("features", add(1, 2, 3, scale=2), counter(5), list(squares(4)), Square("sq").describe())
print("consts", BIG + 1, NEG_BIG, PI, Z, DATA, NESTED, SMALL, len(LONG_TEXT), guarded(0), guarded(3), flags(None))
