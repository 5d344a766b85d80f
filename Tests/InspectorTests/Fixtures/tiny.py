def add(a, b=1):
    return a + b
