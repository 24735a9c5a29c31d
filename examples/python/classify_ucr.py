#!/usr/bin/env python3
"""Classify a UCR/UEA dataset with strider's scikit-learn estimator.

    python3 examples/python/classify_ucr.py                       # built-in CBF dataset
    python3 examples/python/classify_ucr.py <UCRArchive_2018>/GunPoint

Reads NAME_TRAIN and NAME_TEST (.tsv, .ts, .txt or .csv) with strider's readers, fits a
KernelClassifier, and prints the accuracy, the chosen regularisation, the most confident
test predictions, and a cross-validated score in a scikit-learn Pipeline.
"""

import sys
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import cross_val_score

import strider
from strider.datasets import load_cylinder_bell_funnel, load_ucr


def main():
    if len(sys.argv) > 1:
        folder = Path(sys.argv[1])
        X_train, y_train, X_test, y_test = load_ucr(folder.parent, folder.name)
        name = folder.name
    else:
        X_train, y_train, X_test, y_test = load_cylinder_bell_funnel()
        name = "CylinderBellFunnel (built-in)"
    shape = np.shape(X_train) if isinstance(X_train, np.ndarray) else f"{len(X_train)} series"
    print(f"{name}: train {shape}, {len(np.unique(y_train))} classes")

    clf = strider.KernelClassifier(n_jobs=-1)
    start = time.perf_counter()
    clf.fit(X_train, y_train)
    fitted = time.perf_counter()
    accuracy = clf.score(X_test, y_test)
    done = time.perf_counter()
    print(f"accuracy {accuracy:.4f}  (fit {fitted - start:.2f} s, predict {done - fitted:.2f} s)")
    print(f"alpha {clf.alpha_:g}, input {'z-normalised' if clf.normalize_input_ else 'as given'}")

    proba = clf.predict_proba(X_test)
    best = np.argsort(-proba.max(1))[:3]
    for i in best:
        print(f"  test series {i}: {clf.classes_[proba[i].argmax()]} "
              f"(p = {proba[i].max():.3f}, true {y_test[i]})")

    # any scikit-learn tool works with it, e.g. 3-fold cross-validation on the train split
    small = strider.KernelClassifier(n_kernels=2000, n_jobs=-1)
    scores = cross_val_score(small, X_train, y_train, cv=3)
    print(f"3-fold CV accuracy on train with 2000 kernels: {scores.mean():.4f}")


if __name__ == "__main__":
    main()
