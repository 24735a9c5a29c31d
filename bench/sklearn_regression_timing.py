#!/usr/bin/env python3
"""Times strider's KernelRegressor fit against scikit-learn's RidgeCV on the same features.

Usage (from the repository root, after building the release preset):
  /usr/bin/python3 bench/sklearn_regression_timing.py --strider build/release/src/cli/strider \
      [--n 1500] [--length 150] [--kernels 10000] [--repeats 3]

The data: n series of the given length drawn with NumPy (seeded) as strider's built-in
pulse-area set is (datasets/pulse_area.hpp: a Gaussian pulse of random amplitude, centre
and width, a random sine and noise; the target is the pulse's area), written as a UCR .tsv
file whose first column is the target. One `strider fit --task regression
--no-choose-normalization` (a single transform variant, as scikit-learn fits a single
ridge) writes the model, and `strider transform --scaled --output x.npy` the N x 3K
features its ridge saw. Then, `--repeats` times, alternating: one strider fit (the whole
fit: transform, scaler and ridge; its JSON output gives each part's time) and one
scikit-learn RidgeCV(alphas=strider's grid).fit on the features, in a separate Python
process. Prints the median times, the ratios, and whether both chose the same alpha.
Exits 77 when numpy or scikit-learn is missing.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

try:
    import numpy as np
    import sklearn  # noqa: F401  (checked here, used in the child process)
except ImportError as exc:
    print(f"sklearn_regression_timing.py: numpy/scikit-learn not available ({exc})",
          file=sys.stderr)
    sys.exit(77)

CHILD = r"""
import json, resource, sys, time
import numpy as np
from sklearn.linear_model import RidgeCV
x = np.load(sys.argv[1])
y = np.loadtxt(sys.argv[2])
alphas = np.array(json.loads(sys.argv[3]))
t = time.perf_counter()
model = RidgeCV(alphas=alphas).fit(x, y)
elapsed = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0 ** 2
print(f"{elapsed!r} {float(model.alpha_)!r} {rss!r}")
"""


def pulse_area(n, length, seed, noise=0.3):
    """Series and targets drawn as strider's built-in pulse-area set."""
    rng = np.random.default_rng(seed)
    t = np.arange(length, dtype=np.float64)
    amp = rng.uniform(1.0, 5.0, n)
    centre = rng.uniform(0.2 * length, 0.8 * length, n)
    width = rng.uniform(length / 64.0, length / 16.0, n)
    sine = rng.uniform(0.0, 1.0, n)
    period = rng.uniform(length / 8.0, length / 2.0, n)
    phase = rng.uniform(0.0, 2.0 * np.pi, n)
    x = (amp[:, None] * np.exp(-0.5 * ((t - centre[:, None]) / width[:, None]) ** 2)
         + sine[:, None] * np.sin(2.0 * np.pi * t / period[:, None] + phase[:, None])
         + noise * rng.standard_normal((n, length)))
    return x, amp * width * np.sqrt(2.0 * np.pi)


def strider_json(args):
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--strider", required=True, help="path to the strider CLI (release build)")
    ap.add_argument("--n", type=int, default=1500)
    ap.add_argument("--length", type=int, default=150)
    ap.add_argument("--kernels", type=int, default=10000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    x, y = pulse_area(args.n, args.length, args.seed)
    ours, theirs = [], []
    with tempfile.TemporaryDirectory(prefix="strider_regression_timing_") as d:
        train = os.path.join(d, "pulse_TRAIN.tsv")
        with open(train, "w") as fh:
            for target, row in zip(y, x):
                fh.write(repr(float(target)) + "\t" + "\t".join(repr(float(v)) for v in row)
                         + "\n")
        np.savetxt(os.path.join(d, "y.txt"), y)
        model = os.path.join(d, "m.strider")
        fit = [args.strider, "fit", "--task", "regression", "--train", train, "--model", model,
               "--kernels", str(args.kernels), "--no-choose-normalization", "--json", "--quiet"]
        first = strider_json(fit)
        subprocess.run([args.strider, "transform", "--model", model, "--input", train,
                        "--output", os.path.join(d, "x.npy"), "--scaled", "--quiet"],
                       check=True, capture_output=True)
        alphas = json.dumps(first["params"]["ridge"]["alphas"])
        for _ in range(args.repeats):
            ours.append(strider_json(fit))
            out = subprocess.run([sys.executable, "-c", CHILD, os.path.join(d, "x.npy"),
                                  os.path.join(d, "y.txt"), alphas],
                                 check=True, capture_output=True, text=True).stdout.split()
            theirs.append(tuple(float(v) for v in out))

    med = statistics.median
    sk = med(v[0] for v in theirs)
    whole = med(r["fit_seconds"] for r in ours)  # the file is read before the clock starts
    ridge = med(r["fit_ridge_seconds"] for r in ours)
    print(f"shape: N = {args.n} series of length {args.length}, {args.kernels} kernels "
          f"({3 * args.kernels} features), {args.repeats} repeats (medians), "
          f"{os.cpu_count()} cores")
    print(f"{'':44s} {'fit s':>8s} {'vs sklearn':>10s} {'alpha_':>10s} {'peak RSS GiB':>13s}")
    print(f"{'scikit-learn RidgeCV on the features':44s} {sk:8.3f} {1.0:10.2f} "
          f"{theirs[0][1]:10.4g} {med(v[2] for v in theirs):13.3f}")
    print(f"{'strider ridge alone (same features)':44s} {ridge:8.3f} "
          f"{sk / ridge:9.2f}x {ours[0]['alpha']:10.4g} {'':>13s}")
    print(f"{'strider whole fit (transform+scaler+ridge)':44s} {whole:8.3f} {sk / whole:9.2f}x "
          f"{ours[0]['alpha']:10.4g} {med(r['peak_rss_bytes'] for r in ours) / 2**30:13.3f}")
    same = all(abs(r["alpha"] - v[1]) <= 1e-12 * v[1] for r, v in zip(ours, theirs))
    print("same alpha_:", "yes" if same else "NO")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
