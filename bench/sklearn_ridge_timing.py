#!/usr/bin/env python3
"""Times scikit-learn's RidgeClassifierCV and strider's on the same data, in the same run.

Usage (from the repository root, after building the release preset):
  /usr/bin/python3 bench/sklearn_ridge_timing.py --bench build/release/bench/strider_bench \
      [--n 1500] [--f 30000] [--classes 4] [--repeats 5]

The script draws float32 Gaussian class data with NumPy (seeded), writes it to a temporary
directory and then alternates, `--repeats` times: one strider fit (the strider_bench
benchmark BM_RidgeFitFile, which reads the same files; all cores and one thread) and one
scikit-learn fit (RidgeClassifierCV(alphas=np.logspace(-3, 3, 10)), NumPy's BLAS threads,
in a separate Python process so that its peak memory can be read). It prints the median
fit times, their ratio, the chosen alphas (they must agree) and the peak resident memory
(ru_maxrss) of each process, which includes the float32 input itself.
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
    print(f"sklearn_ridge_timing.py: numpy/scikit-learn not available ({exc})", file=sys.stderr)
    sys.exit(77)

CHILD = r"""
import resource, sys, time
import numpy as np
from sklearn.linear_model import RidgeClassifierCV
n, f = int(sys.argv[2]), int(sys.argv[3])
x = np.fromfile(sys.argv[1] + "/x.bin", dtype=np.float32).reshape(n, f)
y = np.array(open(sys.argv[1] + "/y.txt").read().split())
t = time.perf_counter()
model = RidgeClassifierCV(alphas=np.logspace(-3, 3, 10)).fit(x, y)
elapsed = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0 ** 2
print(f"{elapsed!r} {float(model.alpha_)!r} {rss!r}")
"""


def run_strider(bench, data_dir, n, f):
    env = dict(os.environ)
    env.update(STRIDER_BENCH_RIDGE_X=os.path.join(data_dir, "x.bin"),
               STRIDER_BENCH_RIDGE_Y=os.path.join(data_dir, "y.txt"),
               STRIDER_BENCH_RIDGE_SHAPE=f"{n}x{f}")
    out = subprocess.run([bench, "--benchmark_filter=BM_RidgeFitFile",
                          "--benchmark_min_time=0.000001", "--benchmark_format=json"],
                         env=env, check=True, capture_output=True, text=True).stdout
    result = {}
    for b in json.loads(out)["benchmarks"]:
        jobs = b["name"].split("/")[1]  # "-1" (all cores) or "1"
        result[jobs] = (b["real_time"] / 1000.0, b["alpha"], b["peak_rss_GiB"])
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", required=True, help="path to strider_bench (release build)")
    ap.add_argument("--n", type=int, default=1500)
    ap.add_argument("--f", type=int, default=30000)
    ap.add_argument("--classes", type=int, default=4)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    rng = np.random.default_rng(args.seed)
    y = np.arange(args.n) % args.classes
    x = rng.standard_normal((args.n, args.f), dtype=np.float32)
    x[:, ::7] += 0.05 * y[:, None].astype(np.float32)
    ours = {"-1": [], "1": []}
    theirs = []
    with tempfile.TemporaryDirectory(prefix="strider_ridge_timing_") as d:
        x.tofile(os.path.join(d, "x.bin"))
        with open(os.path.join(d, "y.txt"), "w") as fh:
            fh.writelines(f"{v}\n" for v in y)
        del x
        for _ in range(args.repeats):
            for jobs, value in run_strider(args.bench, d, args.n, args.f).items():
                ours[jobs].append(value)
            out = subprocess.run([sys.executable, "-c", CHILD, d, str(args.n), str(args.f)],
                                 check=True, capture_output=True, text=True).stdout.split()
            theirs.append(tuple(float(v) for v in out))

    med = lambda values, k=0: statistics.median(v[k] for v in values)
    sk_time = med(theirs)
    print(f"shape: N = {args.n}, F = {args.f}, {args.classes} classes, float32 input, "
          f"{args.repeats} repeats (medians), {os.cpu_count()} cores")
    print(f"{'':32s} {'fit s':>8s} {'vs sklearn':>10s} {'alpha_':>10s} {'peak RSS GiB':>13s}")
    print(f"{'scikit-learn RidgeClassifierCV':32s} {sk_time:8.3f} {1.0:10.2f} "
          f"{theirs[0][1]:10.4g} {med(theirs, 2):13.3f}")
    for jobs, label in (("-1", "strider (all cores)"), ("1", "strider (1 thread)")):
        t = med(ours[jobs])
        print(f"{label:32s} {t:8.3f} {sk_time / t:9.2f}x {ours[jobs][0][1]:10.4g} "
              f"{med(ours[jobs], 2):13.3f}")
    same = all(abs(v[1] - theirs[0][1]) <= 1e-12 * theirs[0][1] for v in ours["-1"] + theirs)
    print("same alpha_:", "yes" if same else "NO")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
