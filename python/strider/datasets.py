"""Dataset files and the built-in dataset, read by the C++ readers (the command line's).

Series come back as the estimators take them: an array ``(n_cases, n_timepoints)`` for a
univariate equal-length dataset, ``(n_cases, n_channels, n_timepoints)`` for a
multivariate one, and a list of ``(n_channels, n_timepoints_i)`` arrays when the lengths
differ. Class labels come back as the file's text (numpy strings); regression targets as
float64.
"""

import numpy as np

from . import _strider

_LABELS = {"classification": "labels", "regression": "targets", None: "none"}


def _series(X):
    if isinstance(X, np.ndarray) and X.shape[1] == 1:
        return X[:, 0, :]
    return X


def _labels(y, task):
    if y is None:
        return None
    return np.asarray(y, dtype=np.float64) if task == "regression" else np.asarray(y)


def read_dataset(path, task="classification"):
    """Reads a UCR ``.tsv``, UCR 2015 ``.txt``/``.csv`` or sktime/aeon ``.ts`` file.

    task: "classification" (first field: a class label), "regression" (a numeric target)
    or None (no label column). Returns (X, y); y is None without labels. Malformed files
    raise strider.FormatError naming the file and line.
    """
    if task not in _LABELS:
        raise ValueError(f"task={task!r}: expected 'classification', 'regression' or None")
    X, y = _strider.read_dataset(str(path), _LABELS[task])
    return _series(X), _labels(y, task)


def load_ucr(root, name, task="classification"):
    """Reads ``root/name/name_TRAIN.*`` and ``root/name/name_TEST.*`` (UCR 2018 / UEA layout;
    ``.tsv``, ``.ts``, ``.txt`` or ``.csv``). Returns (X_train, y_train, X_test, y_test)."""
    train = read_dataset(_strider.find_ucr_split(str(root), name, "TRAIN"), task)
    test = read_dataset(_strider.find_ucr_split(str(root), name, "TEST"), task)
    return train + test


def load_cylinder_bell_funnel(n_train=300, n_test=900, length=128, random_state=0):
    """The built-in dataset of ``strider evaluate``: Cylinder-Bell-Funnel series
    (z-normalised), generated from the seed. Returns (X_train, y_train, X_test, y_test)."""
    (Xa, ya), (Xb, yb) = _strider.cylinder_bell_funnel(n_train, n_test, length, random_state)
    return _series(Xa), np.asarray(ya), _series(Xb), np.asarray(yb)
