#!/usr/bin/env python3
"""Independent numpy recomputation of DilatedKernelTransform features.

Usage: transform_reference.py CASE_DIR [CASE_DIR ...]

Each CASE_DIR, written by tests/test_dilated_kernel_transform_reference.cpp, holds
- meta.txt:      "key value" lines: n_series, n_channels, nan_policy (raise or
                 interpolate), normalize (0 or 1)
- data.txt:      one line per series: its length T, then C * T values, channel-major
                 (raw input: may contain nan / inf when nan_policy is interpolate)
- kernels.txt:   one line per kernel: length l, dilation d, padding p, channel c, shape
                 (0 or 1), then the l values
- features.txt:  one line per series: the 3K features computed by the C++ transform

From the raw data and the kernels alone, this script recomputes, following the contract
in include/strider/transform/dilated_kernel_transform.hpp:
  preprocessing (linear interpolation of non-finite values, per-series z-normalisation),
  xpad = [0]*p + x + [0]*p, extended with zeros up to the span when shorter,
  c_i = sum_j (xpad[i + j d] - v_j)^2 (for a shape kernel c_i = sum_j (z_ij - v_j)^2 with
  z_i the window z-normalised, zeros when constant), then min, fraction of increasing
  steps, argmin.
Tolerances: min within 1e-9 relative; argmin and the increasing fraction equal
except at ties within 1e-12 relative: the C++ argmin may be any position whose c is
within 1e-12 of the minimum, and its increasing count must lie between the number of
clear increases and that number plus the number of tied steps.

When the script recomputes the preprocessing itself (nan_policy interpolate or normalize),
its inputs differ from the C++ ones by a few ulps (other summation orders), so distances
that are exactly 0 in C++ (a sampled kernel on its own source window) come out around
1e-30 here: in those cases an absolute difference of 1e-20 * (1 + sum_j v_j^2) is also
accepted, for the minimum and for deciding ties. A shape kernel's distances are computed
here by z-normalising each window and in C++ through a dot product, so their rounding
errors differ at the scale of 2l (the largest distance): an absolute difference of
1e-9 * l is accepted for them.

Exit status: 0 when every case agrees, 1 otherwise, 77 when numpy is missing.
"""

import os
import sys

try:
    import numpy as np
except ImportError:
    print("transform_reference.py: numpy is not installed (python3-numpy); skipping",
          file=sys.stderr)
    sys.exit(77)

MIN_REL = 1e-9
TIE_REL = 1e-12


def read_case(path):
    meta = {}
    with open(os.path.join(path, "meta.txt")) as f:
        for line in f:
            key, value = line.split()
            meta[key] = value
    n_channels = int(meta["n_channels"])
    series = []
    with open(os.path.join(path, "data.txt")) as f:
        for line in f:
            fields = line.split()
            t = int(fields[0])
            values = np.array([float(v) for v in fields[1:]], dtype=np.float64)
            assert values.size == n_channels * t, (path, values.size, n_channels, t)
            series.append(values.reshape(n_channels, t))
    kernels = []
    with open(os.path.join(path, "kernels.txt")) as f:
        for line in f:
            fields = line.split()
            l, d, p, c, shape = (int(v) for v in fields[:5])
            v = np.array([float(u) for u in fields[5:]], dtype=np.float64)
            assert v.size == l
            kernels.append((l, d, p, c, shape, v))
    features = np.loadtxt(os.path.join(path, "features.txt"), dtype=np.float64, ndmin=2)
    assert features.shape == (len(series), 3 * len(kernels)), features.shape
    return meta, series, kernels, features


def interpolate(x):
    """Non-finite values by linear interpolation; edges take the nearest finite value;
    nothing finite gives zeros."""
    ok = np.isfinite(x)
    if ok.all():
        return x
    if not ok.any():
        return np.zeros_like(x)
    t = np.arange(x.size, dtype=np.float64)
    return np.interp(t, t[ok], x[ok])  # np.interp holds the end values outside


def znormalize(x):
    mean = x.mean()
    sd = x.std()
    if sd <= 1e-12 * max(1.0, abs(mean)):
        return np.zeros_like(x)
    return (x - mean) / sd


def prepare(x, meta):
    if meta["nan_policy"] == "interpolate":
        x = interpolate(x)
    if meta["normalize"] == "1":
        x = znormalize(x)
    return x


def distances(x, l, d, p, shape, v):
    xpad = np.concatenate([np.zeros(p), x, np.zeros(p)])
    span = (l - 1) * d + 1
    if xpad.size < span:
        xpad = np.concatenate([xpad, np.zeros(span - xpad.size)])
    n_pos = xpad.size - (l - 1) * d
    windows = xpad[np.arange(n_pos)[:, None] + d * np.arange(l)[None, :]]
    if shape:
        windows = np.array([znormalize(w) for w in windows])
    return ((windows - v[None, :]) ** 2).sum(axis=1)


def tied(a, b, abs_tol):
    return np.abs(a - b) <= TIE_REL * np.maximum(np.abs(a), np.abs(b)) + abs_tol


class Stats:
    def __init__(self):
        self.values = 0
        self.failures = []
        self.max_min_rel = 0.0  # over minima that are not ~0
        self.near_zero = 0      # minima < 1e-12 compared with the absolute tolerance
        self.argmin_ties = 0
        self.count_ties = 0


def check_kernel(c, got, where, stats, abs_tol):
    got_min, got_frac, got_arg = got
    ref_min = c.min()
    ref_arg = int(np.argmin(c))
    n_pos = c.size
    stats.values += 3
    scale = max(abs(got_min), abs(ref_min))
    rel = abs(got_min - ref_min) / scale if scale > 0 else 0.0
    if scale >= 1e-12:
        stats.max_min_rel = max(stats.max_min_rel, rel)
    else:
        stats.near_zero += 1
    if rel > MIN_REL and abs(got_min - ref_min) > abs_tol:
        stats.failures.append(f"{where}: min {got_min!r} vs reference {ref_min!r}")
    arg = int(got_arg)
    if arg != got_arg or not 0 <= arg < n_pos:
        stats.failures.append(f"{where}: argmin {got_arg!r} is not a position in [0, {n_pos})")
    elif arg != ref_arg:
        if tied(c[arg], ref_min, abs_tol):
            stats.argmin_ties += 1
        else:
            stats.failures.append(
                f"{where}: argmin {arg} (c = {c[arg]!r}) vs reference {ref_arg} "
                f"(c = {ref_min!r}), not a tie")
    if n_pos == 1:
        if got_frac != 0.0:
            stats.failures.append(f"{where}: L = 1 but fraction {got_frac!r}")
        return
    count = got_frac * (n_pos - 1)
    k = int(round(count))
    if abs(count - k) > 1e-6 or got_frac != k / (n_pos - 1):
        stats.failures.append(f"{where}: fraction {got_frac!r} is not a count / {n_pos - 1}")
        return
    a, b = c[:-1], c[1:]
    ties = tied(a, b, abs_tol)
    clear_up = int(np.count_nonzero((b > a) & ~ties))
    n_ties = int(np.count_nonzero(ties))
    if not clear_up <= k <= clear_up + n_ties:
        stats.failures.append(
            f"{where}: {k} increasing steps, reference {clear_up} (+ {n_ties} tied)")
    elif k != int(np.count_nonzero(b > a)):
        stats.count_ties += 1


def check_case(path):
    meta, series, kernels, features = read_case(path)
    stats = Stats()
    recomputed = meta["nan_policy"] == "interpolate" or meta["normalize"] == "1"
    for n, x in enumerate(series):
        prepared = [prepare(x[c], meta) for c in range(x.shape[0])]
        for k, (l, d, p, c, shape, v) in enumerate(kernels):
            dist = distances(prepared[c], l, d, p, shape, v)
            abs_tol = 1e-20 * (1.0 + float(v @ v)) if recomputed else 0.0
            if shape:
                abs_tol = 1e-9 * l
            check_kernel(dist, features[n, 3 * k:3 * k + 3],
                         f"{os.path.basename(path)} series {n} kernel {k} (l {l} d {d} p {p} "
                         f"c {c} shape {shape} T {x.shape[1]})", stats, abs_tol)
    return stats


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    ok = True
    for path in argv[1:]:
        stats = check_case(path)
        status = "ok" if not stats.failures else f"{len(stats.failures)} FAILURES"
        print(f"transform_reference: {os.path.basename(path)}: {stats.values} features, "
              f"max relative difference of min {stats.max_min_rel:.3g} "
              f"(+ {stats.near_zero} minima below 1e-12), "
              f"argmin ties {stats.argmin_ties}, count ties {stats.count_ties}: {status}")
        for failure in stats.failures[:10]:
            print("  " + failure)
        ok = ok and not stats.failures
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
