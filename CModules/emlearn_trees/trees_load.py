# Python part of emlearn_trees, merged into the same .mpy as trees.c: `new` and the Model
# methods come from the native part. Kept short: every name and string here is .mpy bytes.


def load_model(model, f):
    """Loads an emlearn CSV model (emlearn.convert(...).save(format='csv')) from a text file.

    Record kinds: f,<n_features>  c,<n_classes>  r,<root>  l,<class>  lb,<leaf bits: 0>
    n,<feature>,<threshold>,<left>,<right>  (threshold truncated towards zero to int16).
    Unknown kinds are ignored. Malformed lines and exceeded capacities raise ValueError
    naming the line.
    """
    nf = nc = None
    n = 0
    for line in f:
        n += 1
        tok = line.strip().split(',')
        k = tok[0]
        if k not in ('n', 'l', 'r', 'f', 'c', 'lb'):
            continue
        try:
            # a node has 4 values, every other kind 1
            if len(tok) != (5 if k == 'n' else 2):
                raise ValueError("'%s' needs %d values" % (k, 4 if k == 'n' else 1))
            if k == 'n':
                tok[2] = float(tok[2])
            v = [int(t) for t in tok[1:]]
            if k == 'n':
                model.addnode(v[2], v[3], v[0], v[1])
            elif k == 'l':
                model.addleaf(v[0])
            elif k == 'r':
                model.addroot(v[0])
            elif k == 'f':
                nf = v[0]
            elif k == 'c':
                nc = v[0]
            elif v[0]:
                raise ValueError('only leaf_bits=0 is supported')
        except (ValueError, OverflowError, TypeError) as e:
            raise ValueError('model line %d: %s' % (n, e))
    if nf is None or nc is None:
        raise ValueError("model lacks the 'f' or 'c' line")
    model.setdata(nf, nc)
    model.validate()
