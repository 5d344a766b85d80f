# break out of try/finally inside a loop: compiles to UNWIND_JUMP, whose jump offset is
# followed by an extra byte (the number of exception handlers to unwind).
def first_match(items, wanted):
    found = None
    for item in items:
        try:
            if item == wanted:
                found = item
                break
        finally:
            pass
    return found


print("unwind", first_match([1, 2, 3], 2), first_match([], 1))
