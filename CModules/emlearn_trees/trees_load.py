# Python part of emlearn_trees, merged into the same .mpy as trees.c: `new` and the Model
# methods come from the native part.


def _ints(tok, count, line_no):
    # Each record kind has a fixed number of integer fields after the kind.
    if len(tok) != count + 1:
        raise ValueError("model line %d: '%s' needs %d values" % (line_no, tok[0], count))
    return [int(t) for t in tok[1:]]


def load_model(model, f):
    """Loads an emlearn CSV model (emlearn.convert(...).save(format='csv')) from a text file.

    Record kinds: f,<n_features>  c,<n_classes>  r,<root>  l,<class>
    n,<feature>,<threshold>,<left>,<right>  (threshold truncated towards zero to int16).
    Unknown kinds are ignored. Malformed lines and exceeded capacities raise ValueError.
    """
    n_features = None
    n_classes = None
    line_no = 0
    for line in f:
        line_no += 1
        line = line.strip()
        if not line:
            continue
        tok = line.split(',')
        kind = tok[0]
        try:
            if kind == 'n':
                if len(tok) != 5:
                    raise ValueError("'n' needs 4 values")
                feature = int(tok[1])
                threshold = int(float(tok[2]))
                model.addnode(int(tok[3]), int(tok[4]), feature, threshold)
            elif kind == 'l':
                model.addleaf(_ints(tok, 1, line_no)[0])
            elif kind == 'r':
                model.addroot(_ints(tok, 1, line_no)[0])
            elif kind == 'f':
                n_features = _ints(tok, 1, line_no)[0]
            elif kind == 'c':
                n_classes = _ints(tok, 1, line_no)[0]
            elif kind == 'lb':
                # leaf bits: only 0 (a leaf is a class index, majority voting) is supported
                if _ints(tok, 1, line_no)[0] != 0:
                    raise ValueError("only leaf_bits=0 models are supported")
        except (ValueError, OverflowError, TypeError) as e:
            msg = str(e)
            if msg.startswith("model line"):
                raise
            raise ValueError("model line %d: %s" % (line_no, msg))
    if n_features is None or n_classes is None:
        raise ValueError("model file lacks the 'f' (features) or 'c' (classes) line")
    model.setdata(n_features, n_classes)
    model.validate()
