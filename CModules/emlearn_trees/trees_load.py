# Python part of emlearn_trees, merged into the same .mpy as trees.c: `new` and the Model
# methods come from the native part. Kept short: every name and string here is .mpy bytes.


def load_model(model, f):
    """Loads an emlearn CSV model (emlearn.convert(...).save(format='csv')) from a text file.

    Record kinds: f,<n_features>  c,<n_classes>  r,<root>  l,<class>  lb,<leaf bits: 0>
    n,<feature>,<threshold>,<left>,<right>  (threshold truncated towards zero to int16).
    Unknown kinds are ignored. A malformed line raises ValueError naming the line; the native
    part checks the values, and outputs() at the end the model as a whole.
    """
    nf = nc = n = 0  # a missing f or c line leaves 0, which setdata refuses
    for line in f:
        n += 1
        k, *t = line.strip().split(',')
        try:
            if k == 'n':
                a, b, c, e = t  # the unpacking says when the count is wrong
                model.addnode(int(c), int(e), int(a), int(float(b)))
            elif k in ('l', 'r', 'f', 'c', 'lb'):
                v, = t
                v = int(v)
                if k == 'l':
                    model.addleaf(v)
                elif k == 'r':
                    model.addroot(v)
                elif k == 'f':
                    nf = v
                elif k == 'c':
                    nc = v
                elif v:
                    raise ValueError('leaf_bits not 0')
        except (ValueError, OverflowError) as e:  # int(), float(), unpacking, the native checks
            raise ValueError('line %d: %s' % (n, e))
    model.setdata(nf, nc)
    model.outputs()
