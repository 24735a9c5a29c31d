#!/usr/bin/env python3
"""Independent reference for strider::RidgeCV (and so KernelRegressor's ridge):
scikit-learn's RidgeCV with cv=None (exact leave-one-out over the alphas).

Usage: ridge_cv_reference.py DIR
DIR/cases.json lists the cases written by the C++ test: name, n, f, n_targets, dtype,
fit_intercept, alphas. The features are DIR/<name>.x.bin (raw little-endian, row-major,
n x f of dtype), the targets DIR/<name>.y.bin (float64, n x n_targets). For every case
this writes, as float64 raw arrays and a text file:
  <name>.scalars.txt   alpha_ and best_score_ (repr, one "key value" per line)
  <name>.coef.bin      coef_ (n_targets x f)      <name>.intercept.bin  intercept_
  <name>.cvmse.bin     mean squared LOO error per alpha (from cv_values_)
  <name>.pred.bin      predict(X) (n x n_targets)
  <name>.seconds.txt   the fit's wall time in seconds (one fit; bench/ has the timings)
Exits 77 when numpy or scikit-learn cannot be imported (the C++ test then skips).
"""
import json
import os
import sys
import time

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

try:
    import numpy as np
    import sklearn
    from sklearn.linear_model import RidgeCV
except ImportError as exc:  # pragma: no cover - depends on the machine
    print(f"ridge_cv_reference.py: numpy/scikit-learn not available ({exc}); skipping",
          file=sys.stderr)
    sys.exit(77)


def main():
    if len(sys.argv) != 2:
        print("usage: ridge_cv_reference.py DIR", file=sys.stderr)
        return 2
    d = sys.argv[1]
    with open(os.path.join(d, "cases.json")) as fh:
        cases = json.load(fh)
    for c in cases:
        name = c["name"]
        n, f, t = c["n"], c["f"], c["n_targets"]
        x = np.fromfile(os.path.join(d, name + ".x.bin"), dtype=c["dtype"]).reshape(n, f)
        y = np.fromfile(os.path.join(d, name + ".y.bin"), dtype=np.float64).reshape(n, t)
        if t == 1:
            y = y[:, 0]
        alphas = np.array(c["alphas"], dtype=np.float64)
        model = RidgeCV(alphas=alphas, fit_intercept=c["fit_intercept"], store_cv_values=True)
        start = time.perf_counter()
        model.fit(x, y)
        seconds = time.perf_counter() - start
        out = lambda suffix: os.path.join(d, name + suffix)
        with open(out(".scalars.txt"), "w") as fh:
            fh.write(f"alpha_ {float(model.alpha_)!r}\n")
            fh.write(f"best_score_ {float(model.best_score_)!r}\n")
        with open(out(".seconds.txt"), "w") as fh:
            fh.write(f"{seconds!r}\n")
        coef = np.asarray(model.coef_, dtype=np.float64).reshape(t, f)
        np.ascontiguousarray(coef).tofile(out(".coef.bin"))
        icpt = np.broadcast_to(np.asarray(model.intercept_, dtype=np.float64), (t,))
        np.ascontiguousarray(icpt).tofile(out(".intercept.bin"))
        cv = np.asarray(model.cv_values_, dtype=np.float64).reshape(n, t, len(alphas))
        cv.mean(axis=(0, 1)).tofile(out(".cvmse.bin"))
        pred = np.asarray(model.predict(x), dtype=np.float64).reshape(n, t)
        np.ascontiguousarray(pred).tofile(out(".pred.bin"))
    print(f"ridge_cv_reference.py: {len(cases)} cases with scikit-learn {sklearn.__version__}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
