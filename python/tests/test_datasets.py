"""strider.datasets: the C++ readers and the built-in dataset, from Python."""

import numpy as np
import pytest

import strider
from strider.datasets import load_cylinder_bell_funnel, load_ucr, read_dataset


def test_equal_and_unequal_lengths(tmp_path):
    (tmp_path / "eq.tsv").write_text("b\t1\t2\t3\na\t4\t5\t6\n")
    X, y = read_dataset(tmp_path / "eq.tsv")
    np.testing.assert_array_equal(X, [[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(y, ["b", "a"])
    (tmp_path / "rag.tsv").write_text("1.5\t1\t2\t3\t4\t5\n-2\t7\t8\t9\n")
    X, y = read_dataset(tmp_path / "rag.tsv", task="regression")
    assert isinstance(X, list) and [x.shape for x in X] == [(1, 5), (1, 3)]
    np.testing.assert_array_equal(y, [1.5, -2.0])
    X, y = read_dataset(tmp_path / "rag.tsv", task=None)
    assert y is None and X[1].shape == (1, 4)
    # a ragged dataset fits as read
    rows = [np.arange(10.0 + i % 4) * (1 + i % 2) for i in range(12)]
    text = "".join(f"{i % 2}\t" + "\t".join(map(str, r)) + "\n" for i, r in enumerate(rows))
    (tmp_path / "fit.tsv").write_text(text)
    X, y = read_dataset(tmp_path / "fit.tsv")
    assert strider.KernelClassifier(n_kernels=100).fit(X, y).predict(X).shape == (12,)


def test_malformed_files_name_file_and_line(tmp_path):
    (tmp_path / "bad.tsv").write_text("1\t1\t2\n2\t1\tx\n")
    with pytest.raises(strider.FormatError, match=r"bad.tsv:2: .*'x' is not a number"):
        read_dataset(tmp_path / "bad.tsv")
    with pytest.raises(ValueError, match="task"):
        read_dataset(tmp_path / "bad.tsv", task="clustering")
    with pytest.raises(strider.FormatError, match="NoSuchSet"):
        load_ucr(tmp_path, "NoSuchSet")


def test_ucr_layout_and_multivariate(tmp_path):
    (tmp_path / "Toy").mkdir()
    (tmp_path / "Toy" / "Toy_TRAIN.tsv").write_text("1\t1\t2\t3\n2\t3\t2\t1\n")
    (tmp_path / "Toy" / "Toy_TEST.tsv").write_text("2\t3\t3\t1\n")
    Xa, ya, Xb, yb = load_ucr(tmp_path, "Toy")
    assert Xa.shape == (2, 3) and Xb.shape == (1, 3) and list(yb) == ["2"]


def test_cylinder_bell_funnel_is_the_command_lines():
    Xa, ya, Xb, yb = load_cylinder_bell_funnel(n_train=30, n_test=12, length=64, random_state=4)
    assert Xa.shape == (30, 64) and Xb.shape == (12, 64)
    assert set(ya) == {"1", "2", "3"}
    np.testing.assert_allclose(Xa.mean(1), 0, atol=1e-12)  # z-normalised
    again = load_cylinder_bell_funnel(n_train=30, n_test=12, length=64, random_state=4)
    np.testing.assert_array_equal(again[0], Xa)
