#!/usr/bin/env python3
"""Time of fit + predict through the Python package against the command line's.

Both run the same C++ engine on the same data with the same parameters and threads:
- the command line: `strider evaluate --json`, whose own timers give fit_seconds +
  test_transform_seconds + predict_seconds (reading the files is not counted);
- Python: KernelClassifier.fit(X, y) then .predict(X_test), timed with perf_counter
  around the calls, after the data were read (strider.datasets) or generated.
Each measurement runs in a fresh process on both sides, so that both pay the same
first-touch costs (a warm Python process reusing its memory would look faster).
The runs alternate (CLI, Python, CLI, ...) so that the machine's drift hits both; the
report gives each side's median and the ratio of the medians.

Data: the built-in Cylinder-Bell-Funnel set (300 train / 900 test, length 128) and a
generated one of 1,500 train / 1,500 test series of length 150.

Usage: PYTHONPATH=build/release/python python3 bench/python_overhead.py \
           --strider build/release/src/cli/strider [--repeats 5] [--threads 2]
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

import strider


def write_tsv(path, X, y):
    with open(path, "w") as f:
        for label, row in zip(y, X):
            f.write(label + "\t" + "\t".join(repr(float(v)) for v in row) + "\n")


def cli_seconds(cli, args, threads):
    out = subprocess.run([cli, "evaluate", "--json", "--quiet", "--threads", str(threads), *args],
                         check=True, capture_output=True, text=True).stdout
    r = json.loads(out)
    return r["fit_seconds"] + r["test_transform_seconds"] + r["predict_seconds"], r["correct"]


PYTHON_RUN = """
import json, sys, time
import strider
files = sys.argv[2:]
if files:
    Xa, ya = strider.datasets.read_dataset(files[0])
    Xb, yb = strider.datasets.read_dataset(files[1])
else:
    Xa, ya, Xb, yb = strider.datasets.load_cylinder_bell_funnel()
start = time.perf_counter()
clf = strider.KernelClassifier(n_jobs=int(sys.argv[1])).fit(Xa, ya)
pred = clf.predict(Xb)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "correct": int((pred == yb).sum())}))
"""


def python_seconds(files, threads):
    out = subprocess.run([sys.executable, "-c", PYTHON_RUN, str(threads), *files], check=True,
                         capture_output=True, text=True).stdout
    r = json.loads(out)
    return r["seconds"], r["correct"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--strider", required=True, help="the strider command line")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        big = strider.datasets.load_cylinder_bell_funnel(1500, 1500, 150, random_state=1)
        write_tsv(Path(tmp) / "train.tsv", big[0], big[1])
        write_tsv(Path(tmp) / "test.tsv", big[2], big[3])
        files = [str(Path(tmp) / "train.tsv"), str(Path(tmp) / "test.tsv")]
        cases = [
            ("built-in CBF 300/900 x 128", [], []),
            ("CBF 1500/1500 x 150", ["--train", files[0], "--test", files[1]], files),
        ]
        print(f"strider {strider.__version__}, {args.threads} threads, "
              f"{args.repeats} alternating runs each")
        print(f"| data | CLI s (median) | Python s (median) | Python / CLI |")
        print(f"|---|---:|---:|---:|")
        for name, cli_args, data_files in cases:
            cli_t, py_t = [], []
            for _ in range(args.repeats):
                t, c1 = cli_seconds(args.strider, cli_args, args.threads)
                cli_t.append(t)
                t, c2 = python_seconds(data_files, args.threads)
                py_t.append(t)
                if c1 != c2:
                    raise SystemExit(f"{name}: the CLI got {c1} right, Python {c2}")
            a, b = statistics.median(cli_t), statistics.median(py_t)
            print(f"| {name} | {a:.3f} | {b:.3f} | {b / a:.3f} |")


if __name__ == "__main__":
    main()
