#!/usr/bin/env python3
"""Independent reference for strider::StandardScaler: scikit-learn's StandardScaler.

Usage: scaler_reference.py DIR
DIR/cases.json lists cases: name, n, f, dtype, with_mean, with_std; the features are
DIR/<name>.x.bin (raw little-endian, row-major, n x f of dtype). For every case this writes
<name>.mean.bin, <name>.var.bin, <name>.scale.bin (float64; absent when scikit-learn
leaves the attribute None) and <name>.z.bin (transform(X), dtype of the input).
Exits 77 when numpy or scikit-learn cannot be imported (the C++ test then skips).
"""
import json
import os
import sys

try:
    import numpy as np
    import sklearn
    from sklearn.preprocessing import StandardScaler
except ImportError as exc:  # pragma: no cover - depends on the machine
    print(f"scaler_reference.py: numpy/scikit-learn not available ({exc}); skipping",
          file=sys.stderr)
    sys.exit(77)


def main():
    if len(sys.argv) != 2:
        print("usage: scaler_reference.py DIR", file=sys.stderr)
        return 2
    d = sys.argv[1]
    with open(os.path.join(d, "cases.json")) as fh:
        cases = json.load(fh)
    for c in cases:
        name = c["name"]
        x = np.fromfile(os.path.join(d, name + ".x.bin"), dtype=c["dtype"])
        x = x.reshape(c["n"], c["f"])
        scaler = StandardScaler(with_mean=c["with_mean"], with_std=c["with_std"]).fit(x)
        for attr in ("mean", "var", "scale"):
            value = getattr(scaler, attr + "_")
            path = os.path.join(d, f"{name}.{attr}.bin")
            if value is None:
                if os.path.exists(path):
                    os.remove(path)
            else:
                np.asarray(value, dtype=np.float64).tofile(path)
        z = scaler.transform(x)
        assert z.dtype == x.dtype
        np.ascontiguousarray(z).tofile(os.path.join(d, name + ".z.bin"))
    print(f"scaler_reference.py: {len(cases)} cases with scikit-learn {sklearn.__version__}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
