#!/usr/bin/env python3
"""Independent reference for strider::RidgeClassifierCV: scikit-learn's RidgeClassifierCV.

Usage: ridge_reference.py DIR
DIR/cases.json lists the cases written by the C++ test: name, n, f, dtype, fit_intercept,
class_weight (null or "balanced"), alphas, labels. The features are DIR/<name>.x.bin (raw
little-endian, row-major, n x f of dtype). For every case this writes, with float64 raw
arrays and text files:
  <name>.scalars.txt   alpha_ and best_score_ (repr, one "key value" per line)
  <name>.classes.txt   classes_, one per line
  <name>.coef.bin      coef_ (n_targets x f)        <name>.intercept.bin  intercept_
  <name>.cvmse.bin     mean squared LOO error per alpha (from cv_values_)
  <name>.decision.bin  decision_function(X) (n x n_targets)
  <name>.pred.txt      predict(X), one per line
  <name>.looacc.bin    (cases with n <= 100) leave-one-out accuracy per alpha, by brute
                       force: for each sample, scikit-learn's Ridge fitted on the others
                       ({-1, +1} targets, the full data's class weights as sample weights),
                       the sample's class = the largest decision value (one target: > 0)
Exits 77 when numpy or scikit-learn cannot be imported (the C++ test then skips).
"""
import json
import os
import sys

# Many small fits: BLAS threads only add overhead (and compete with the test runner).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

try:
    import numpy as np
    import sklearn
    from sklearn.linear_model import Ridge, RidgeClassifierCV
    from sklearn.preprocessing import LabelBinarizer
    from sklearn.utils.class_weight import compute_sample_weight
except ImportError as exc:  # pragma: no cover - depends on the machine
    print(f"ridge_reference.py: numpy/scikit-learn not available ({exc}); skipping",
          file=sys.stderr)
    sys.exit(77)


def as_labels(labels):
    """Integers when every label is an integer (so classes sort numerically, as
    strider::sorted_classes does), else the strings."""
    try:
        ints = [int(s) for s in labels]
        if all(str(v) == s for v, s in zip(ints, labels)):
            return np.array(ints)
    except ValueError:
        pass
    return np.array(labels)


def brute_force_loo_accuracy(x, y, alphas, fit_intercept, class_weight):
    """Leave-one-out accuracy of each alpha, refitting without each sample in turn."""
    targets = LabelBinarizer(neg_label=-1, pos_label=1).fit_transform(y).astype(np.float64)
    weights = (compute_sample_weight(class_weight, y) if class_weight
               else np.ones(len(y)))
    classes = np.unique(y)
    truth = np.searchsorted(classes, y)
    acc = []
    for alpha in alphas:
        hits = 0
        for i in range(len(y)):
            keep = np.arange(len(y)) != i
            r = Ridge(alpha=alpha, fit_intercept=fit_intercept, solver="svd")
            r.fit(x[keep].astype(np.float64), targets[keep], sample_weight=weights[keep])
            dec = np.atleast_1d(r.predict(x[i:i + 1].astype(np.float64))[0])
            pred = int(dec[0] > 0) if dec.size == 1 else int(np.argmax(dec))
            hits += pred == truth[i]
        acc.append(hits / len(y))
    return np.array(acc, dtype=np.float64)


def main():
    if len(sys.argv) != 2:
        print("usage: ridge_reference.py DIR", file=sys.stderr)
        return 2
    d = sys.argv[1]
    with open(os.path.join(d, "cases.json")) as fh:
        cases = json.load(fh)
    for c in cases:
        name = c["name"]
        x = np.fromfile(os.path.join(d, name + ".x.bin"), dtype=c["dtype"])
        x = x.reshape(c["n"], c["f"])
        y = as_labels(c["labels"])
        model = RidgeClassifierCV(alphas=np.array(c["alphas"], dtype=np.float64),
                                  fit_intercept=c["fit_intercept"],
                                  class_weight=c["class_weight"], store_cv_values=True)
        model.fit(x, y)
        out = lambda suffix: os.path.join(d, name + suffix)
        with open(out(".scalars.txt"), "w") as fh:
            fh.write(f"alpha_ {float(model.alpha_)!r}\n")
            fh.write(f"best_score_ {float(model.best_score_)!r}\n")
        with open(out(".classes.txt"), "w") as fh:
            fh.writelines(f"{cl}\n" for cl in model.classes_)
        np.ascontiguousarray(model.coef_, dtype=np.float64).tofile(out(".coef.bin"))
        icpt = np.broadcast_to(np.asarray(model.intercept_, dtype=np.float64),
                               (model.coef_.shape[0],))  # 0.0 without intercept
        np.ascontiguousarray(icpt).tofile(out(".intercept.bin"))
        cv = np.asarray(model.cv_values_, dtype=np.float64)
        cv = cv.reshape(c["n"], -1, len(c["alphas"]))
        cv.mean(axis=(0, 1)).tofile(out(".cvmse.bin"))
        dec = np.asarray(model.decision_function(x), dtype=np.float64).reshape(c["n"], -1)
        np.ascontiguousarray(dec).tofile(out(".decision.bin"))
        with open(out(".pred.txt"), "w") as fh:
            fh.writelines(f"{p}\n" for p in model.predict(x))
        if c["n"] <= 100:
            brute_force_loo_accuracy(x, y, c["alphas"], c["fit_intercept"],
                                     c["class_weight"]).tofile(out(".looacc.bin"))
    print(f"ridge_reference.py: {len(cases)} cases with scikit-learn {sklearn.__version__}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
