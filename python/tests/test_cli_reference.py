"""The Python package and the `strider` command line run the same engine: for the same
data, parameters and seed they give the same model file, predictions and features."""

import os
import subprocess

import numpy as np
import pytest

import strider
from strider import KernelClassifier, KernelRegressor

from conftest import make_series

CLI = os.environ.get("STRIDER_CLI", "")
pytestmark = pytest.mark.skipif(not CLI or not os.path.exists(CLI),
                                reason="the strider command line is not built (STRIDER_CLI)")


def write_tsv(path, X, y):
    with open(path, "w") as f:
        for label, row in zip(y, X):
            f.write("\t".join([str(label)] + [repr(float(v)) for v in row]) + "\n")


def cli(*args):
    return subprocess.run([CLI, *args, "--quiet"], check=True, capture_output=True,
                          text=True).stdout


def test_classifier_same_model_predictions_and_features(tmp_path):
    X, y = make_series(n_per_class=15, length=70, seed=3, labels=(3, 1, 2))
    Xt, yt = make_series(n_per_class=10, length=70, seed=4, labels=(3, 1, 2))
    write_tsv(tmp_path / "train.tsv", X, y)
    write_tsv(tmp_path / "test.tsv", Xt, yt)
    cli("fit", "--train", str(tmp_path / "train.tsv"), "--model", str(tmp_path / "cli.bin"),
        "--kernels", "500", "--seed", "11", "--threads", "2")
    clf = KernelClassifier(n_kernels=500, random_state=11, n_jobs=2).fit(X, y)
    clf.save(tmp_path / "py.bin")
    assert (tmp_path / "py.bin").read_bytes() == (tmp_path / "cli.bin").read_bytes()

    printed = cli("predict", "--model", str(tmp_path / "cli.bin"), "--input",
                  str(tmp_path / "test.tsv")).split()
    np.testing.assert_array_equal(np.asarray(printed, dtype=int), clf.predict(Xt))

    cli("transform", "--model", str(tmp_path / "cli.bin"), "--input", str(tmp_path / "test.tsv"),
        "--output", str(tmp_path / "f.npy"), "--scaled")
    np.testing.assert_array_equal(np.load(tmp_path / "f.npy"), clf.features(Xt))

    # and the command line reads a model saved from Python
    loaded = KernelClassifier.load(tmp_path / "cli.bin")
    np.testing.assert_array_equal(loaded.predict(Xt), np.asarray(printed))


def test_regressor_same_model_and_predictions(tmp_path):
    X, _ = make_series(n_per_class=20, length=50, seed=5)
    y = X[:, 5:15].sum(1)
    write_tsv(tmp_path / "train.tsv", X, y)
    cli("fit", "--task", "regression", "--train", str(tmp_path / "train.tsv"), "--model",
        str(tmp_path / "cli.bin"), "--kernels", "400", "--seed", "2", "--threads", "2")
    reg = KernelRegressor(n_kernels=400, random_state=2, n_jobs=2).fit(X, y)
    reg.save(tmp_path / "py.bin")
    assert (tmp_path / "py.bin").read_bytes() == (tmp_path / "cli.bin").read_bytes()
    cli("predict", "--model", str(tmp_path / "py.bin"), "--input", str(tmp_path / "train.tsv"),
        "--output", str(tmp_path / "p.csv"))
    table = np.genfromtxt(tmp_path / "p.csv", delimiter=",", names=True)
    np.testing.assert_array_equal(table["prediction"], reg.predict(X))


def test_built_in_dataset_same_accuracy_as_evaluate():
    out = cli("evaluate", "--threads", "2")
    line = next(l for l in out.splitlines() if l.startswith("accuracy:"))
    correct = int(line.split("(")[1].split("/")[0])
    Xa, ya, Xb, yb = strider.datasets.load_cylinder_bell_funnel()
    clf = KernelClassifier(n_jobs=2).fit(Xa, ya)
    assert int((clf.predict(Xb) == yb).sum()) == correct
