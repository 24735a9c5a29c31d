#!/usr/bin/env python3
"""Independent reference for tests/test_utils_multiple_testing.cpp.

usage: utils_ztest.py INPUT OUTPUT

INPUT (whitespace-separated text):
  line 1: rows n sigma mu0
  next `rows` lines: the n values of each sample
  last line: the rows z statistics computed by strider
OUTPUT: five lines of `rows` numbers each:
  z from numpy, 2 * scipy.stats.norm.sf(|z_strider|), 2 * norm.sf(|z_numpy|),
  Bonferroni and Holm adjustments (numpy) of the second line.
Exits 77 when numpy or scipy cannot be imported.
"""
import sys

try:
    import numpy as np
    from scipy import stats
except ImportError as e:  # pragma: no cover
    print(f"utils_ztest.py: {e}; skipping", file=sys.stderr)
    sys.exit(77)


def holm(p):
    m = len(p)
    order = np.argsort(p, kind="stable")
    scaled = np.minimum(1.0, (m - np.arange(m)) * p[order])
    adjusted = np.empty(m)
    adjusted[order] = np.maximum.accumulate(scaled)
    return adjusted


def main():
    tokens = open(sys.argv[1]).read().split()
    rows, n = int(tokens[0]), int(tokens[1])
    sigma, mu0 = float(tokens[2]), float(tokens[3])
    values = np.array([float(t) for t in tokens[4:]])
    samples = values[: rows * n].reshape(rows, n)
    z_ours = values[rows * n:]
    assert z_ours.size == rows, "expected one z per row"
    z_ref = np.sqrt(n) * (samples.mean(axis=1) - mu0) / sigma
    p_ours_z = 2.0 * stats.norm.sf(np.abs(z_ours))
    p_ref = 2.0 * stats.norm.sf(np.abs(z_ref))
    bonf = np.minimum(1.0, rows * p_ours_z)
    with open(sys.argv[2], "w") as out:
        for line in (z_ref, p_ours_z, p_ref, bonf, holm(p_ours_z)):
            out.write(" ".join(repr(float(v)) for v in line) + "\n")


if __name__ == "__main__":
    main()
