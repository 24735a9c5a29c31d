#!/usr/bin/env python3
"""Independent reference for tests/test_utils_normal_pdf.cpp.

usage: utils_normal_pdf.py INPUT OUTPUT

INPUT: whitespace-separated text: mu sigma, then the points x.
OUTPUT: scipy.stats.norm.pdf(x, loc=mu, scale=sigma), one value per line (repr).
Exits 77 when numpy or scipy cannot be imported.
"""
import sys

try:
    import numpy as np
    from scipy import stats
except ImportError as e:  # pragma: no cover
    print(f"utils_normal_pdf.py: {e}; skipping", file=sys.stderr)
    sys.exit(77)


def main():
    tokens = open(sys.argv[1]).read().split()
    mu, sigma = float(tokens[0]), float(tokens[1])
    x = np.array([float(t) for t in tokens[2:]])
    pdf = stats.norm.pdf(x, loc=mu, scale=sigma)
    with open(sys.argv[2], "w") as out:
        out.write("\n".join(repr(float(v)) for v in pdf) + "\n")


if __name__ == "__main__":
    main()
