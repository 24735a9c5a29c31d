#!/usr/bin/env python3
"""Time and memory of the batched fit (`strider fit --batch-size` / `--cbf`).

Three measurements, each printed as a Markdown table:

  compare  the batched fit against the in-memory fit on the same generated files
           (Cylinder-Bell-Funnel, written as .tsv): fit time, peak memory and test
           accuracy of both;
  sizes    `strider fit --cbf N,LENGTH` for each size given: fit time and peak memory;
  threads  one size with 1 and 2 threads (or those given): the parallel fraction p of
           Amdahl's law fitted to the two times, and the time it projects for 16 and 64
           cores, t(c) = t(1) * ((1 - p) + p / c).

Every figure is the median of --repeats runs, each in a fresh process.

  /usr/bin/python3 bench/large_data.py --strider build/release/src/cli/strider \\
      --compare 20000,150,1000 --sizes 10000,150,1000 40000,150,1000 --threads-size 20000,150,1000
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import tempfile


def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def triple(text):
    n, length, kernels = (int(v) for v in text.split(","))
    return n, length, kernels


def cpu_seconds():
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def fit(strider, args, threads, repeats, model):
    """Median fit seconds, CPU seconds of the whole process (a check on a busy machine:
    wall time grows with the load, CPU time much less) and peak MB."""
    runs, cpu = [], []
    for _ in range(repeats):
        before = cpu_seconds()
        runs.append(run([strider, "fit", *args, "--threads", str(threads), "--json", "--quiet",
                         "--model", model]))
        cpu.append(cpu_seconds() - before)
    return (statistics.median(r["fit_seconds"] for r in runs), statistics.median(cpu),
            statistics.median(r["peak_rss_bytes"] for r in runs) / 1e6)


def accuracy(strider, model, test):
    return run([strider, "predict", "--model", model, "--input", test, "--json", "--quiet"])[
        "accuracy"]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--strider", required=True, help="the strider program")
    ap.add_argument("--compare", type=triple, help="N,LENGTH,KERNELS for the comparison")
    ap.add_argument("--sizes", type=triple, nargs="*", default=[],
                    help="N,LENGTH,KERNELS for batched fits on generated sets")
    ap.add_argument("--threads-size", type=triple, help="N,LENGTH,KERNELS for the scaling")
    ap.add_argument("--threads", type=int, nargs=2, default=[1, 2],
                    help="the two thread counts of the scaling")
    ap.add_argument("--sizes-threads", type=int, default=2,
                    help="threads of the comparison and of the sizes")
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    threads = a.sizes_threads

    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "m.strider")
        if a.compare:
            n, length, kernels = a.compare
            train, test = os.path.join(tmp, "train.tsv"), os.path.join(tmp, "test.tsv")
            # Train and test: Cylinder-Bell-Funnel from two seeds, written as .tsv.
            write_cbf(n, length, 1, train)
            write_cbf(2000, length, 2, test)
            common = ["--train", train, "--kernels", str(kernels), "--no-choose-normalization"]
            print(f"\n### In memory vs in batches: CBF {n} x {length}, {kernels} kernels, "
                  f"{threads} threads, medians of {a.repeats}\n")
            print("| fit | seconds | CPU seconds | peak MB | test accuracy (2,000 series) |")
            print("|---|---:|---:|---:|---:|")
            for name, extra in (("in memory", []),
                                ("in batches", ["--batch-size", str(a.batch_size)])):
                s, cpu, mb = fit(a.strider, common + extra, threads, a.repeats, model)
                print(f"| {name} | {s:.2f} | {cpu:.2f} | {mb:.0f} | "
                      f"{accuracy(a.strider, model, test):.4f} |")
        if a.sizes:
            print(f"\n### Batched fits on generated CBF, {threads} threads, batches of "
                  f"{a.batch_size}, medians of {a.repeats}\n")
            print("| series | length | kernels | seconds | CPU seconds | peak MB |")
            print("|---:|---:|---:|---:|---:|---:|")
            for n, length, kernels in a.sizes:
                s, cpu, mb = fit(a.strider, ["--cbf", f"{n},{length}", "--kernels",
                                             str(kernels), "--batch-size", str(a.batch_size)],
                                 threads, a.repeats, model)
                print(f"| {n:,} | {length} | {kernels:,} | {s:.1f} | {cpu:.1f} | {mb:.0f} |")
        if a.threads_size:
            n, length, kernels = a.threads_size
            times = []
            for t in a.threads:
                s, _, _ = fit(a.strider, ["--cbf", f"{n},{length}", "--kernels", str(kernels),
                                       "--batch-size", str(a.batch_size)], t, a.repeats, model)
                times.append(s)
            t1, t2 = times
            c1, c2 = a.threads
            # t(c) = t1' ((1 - p) + p / c) through both points.
            p = (1 - t2 / t1) / ((1 - 1 / c2) - (t2 / t1) * (1 - 1 / c1))
            p = min(max(p, 0.0), 1.0)  # noise can push a two-point fit outside [0, 1]
            base = t1 / ((1 - p) + p / c1)
            print(f"\n### Scaling: CBF {n:,} x {length}, {kernels:,} kernels, medians of "
                  f"{a.repeats}\n")
            print("| cores | seconds |")
            print("|---:|---:|")
            for c, s in zip(a.threads, times):
                print(f"| {c} (measured) | {s:.1f} |")
            for c in (16, 64):
                print(f"| {c} (projected, p = {p:.3f}) | {base * ((1 - p) + p / c):.1f} |")


def write_cbf(n, length, seed, path):
    """n Cylinder-Bell-Funnel series (Saito 1994), z-normalised, written as .tsv."""
    import numpy as np

    rng = np.random.default_rng(seed)
    with open(path, "w") as f:
        for start in range(0, n, 10000):
            m = min(10000, n - start)
            y = rng.integers(0, 3, m)
            t = np.arange(length)
            a = rng.integers(length // 8, length // 3, m)[:, None]
            b = a + rng.integers(length // 4, length // 2, m)[:, None]
            eta = rng.normal(6, 1, (m, 1))
            inside = (t >= a) & (t <= b)
            shape = np.where(y[:, None] == 0, 1.0,
                             np.where(y[:, None] == 1, (t - a) / (b - a), (b - t) / (b - a)))
            x = eta * inside * shape + rng.normal(0, 1, (m, length))
            x = (x - x.mean(1, keepdims=True)) / x.std(1, keepdims=True)
            for label, row in zip(y, x):
                f.write(str(label + 1) + "\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")


if __name__ == "__main__":
    main()
