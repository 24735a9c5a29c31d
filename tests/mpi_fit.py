#!/usr/bin/env python3
"""`mpirun -n 2 strider fit` against `strider fit` in one process.

Usage: mpi_fit.py STRIDER MPIEXEC WORK_DIR [SHARED_DATASETS]

For a training file (a shared UCR set when SHARED_DATASETS holds GunPoint, and a
generated one always) and for a generated --cbf set, fits the classifier in batches
once with one process and once with two MPI ranks, and checks that
  - both models predict the same labels on the test series,
  - their alphas, classes and kernels are the same,
  - every number of their model files agrees to a relative 1e-7: the sums are added in
    another order, so bits may differ (the most sensitive numbers, the leave-one-out
    errors of the smallest alphas, differ by about 3e-9 on GunPoint).
Exits 1 with a message on the first difference.
"""

import json
import os
import shutil
import subprocess
import sys


def run(cmd, env=None):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stdout}\n{r.stderr}")
    return r.stdout


def model(path):
    with open(path) as f:
        return json.load(f)


def numbers(tree, prefix=""):
    """Every number of a JSON tree with its path."""
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from numbers(v, prefix + "/" + k)
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            yield from numbers(v, prefix + f"[{i}]")
    elif isinstance(tree, (int, float)) and not isinstance(tree, bool):
        yield prefix, float(tree)


def compare(one, two, what):
    a, b = dict(numbers(model(one))), dict(numbers(model(two)))
    if a.keys() != b.keys():
        sys.exit(f"{what}: the two model files differ in layout")
    worst = 0.0
    for k in a:
        scale = max(abs(a[k]), abs(b[k]), 1e-300)
        if "n_jobs" in k:
            continue
        worst = max(worst, abs(a[k] - b[k]) / scale if scale > 1e-12 else abs(a[k] - b[k]))
    if worst > 1e-7:
        sys.exit(f"{what}: largest relative difference {worst:.3g} > 1e-7")
    return worst


def write_cbf(path, n, length, seed):
    """n Cylinder-Bell-Funnel-like series as .tsv, without numpy (a linear generator)."""
    state = seed * 2654435761 % 2**32 or 1

    def uniform():
        nonlocal state
        state = (1103515245 * state + 12345) % 2**31
        return state / 2**31

    with open(path, "w") as f:
        for i in range(n):
            c = i % 3
            a = int(length * (0.1 + 0.2 * uniform()))
            b = a + int(length * (0.3 + 0.3 * uniform()))
            values = []
            for t in range(length):
                inside = a <= t <= b
                shape = 1.0 if c == 0 else ((t - a) / (b - a) if c == 1 else (b - t) / (b - a))
                values.append(6.0 * shape * inside + (uniform() - 0.5) * 2.0)
            f.write(f"{c + 1}\t" + "\t".join(f"{v:.5f}" for v in values) + "\n")


def main():
    strider, mpiexec, work = sys.argv[1:4]
    shared = sys.argv[4] if len(sys.argv) > 4 else ""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1", OMPI_MCA_btl="self,vader")
    mpi = [mpiexec, "-n", "2"]
    common = ["--kernels", "300", "--threads", "1", "--quiet"]

    sets = []
    gunpoint = os.path.join(shared, "ucr", "GunPoint")
    if shared and os.path.isdir(gunpoint):
        sets.append(("GunPoint", os.path.join(gunpoint, "GunPoint_TRAIN.tsv"),
                     os.path.join(gunpoint, "GunPoint_TEST.tsv")))
    train, test = os.path.join(work, "train.tsv"), os.path.join(work, "test.tsv")
    write_cbf(train, 301, 60, 1)
    write_cbf(test, 150, 60, 2)
    sets.append(("generated file", train, test))

    for name, train, test in sets:
        one, two = os.path.join(work, "one.json"), os.path.join(work, "two.json")
        args = ["fit", "--train", train, "--batch-size", "40", *common]
        run([strider, *args, "--model", one])
        out = run([*mpi, strider, *args, "--model", two, "--json"], env)
        if json.loads(out)["processes"] != 2:
            sys.exit(f"{name}: the MPI fit did not run over 2 processes: {out}")
        p1 = run([strider, "predict", "--model", one, "--input", test, "--quiet"])
        p2 = run([strider, "predict", "--model", two, "--input", test, "--quiet"])
        if p1 != p2:
            sys.exit(f"{name}: the predictions of 1 and 2 processes differ")
        worst = compare(one, two, name)
        print(f"{name}: same {len(p1.split())} predictions; largest relative difference "
              f"of the model's numbers {worst:.2g}")

    one, two = os.path.join(work, "cbf1.json"), os.path.join(work, "cbf2.json")
    args = ["fit", "--cbf", "1001,64,5", "--batch-size", "100", "--kernel-sample", "200",
            "--loo-sample", "300", *common]
    run([strider, *args, "--model", one])
    run([*mpi, strider, *args, "--model", two], env)
    p1 = run([strider, "predict", "--model", one, "--input", test, "--quiet"])
    p2 = run([strider, "predict", "--model", two, "--input", test, "--quiet"])
    if p1 != p2:
        sys.exit("--cbf: the predictions of 1 and 2 processes differ")
    print(f"--cbf: same predictions; largest relative difference {compare(one, two, '--cbf'):.2g}")

    # An error on one rank ends both, with the message naming the file and line.
    bad = os.path.join(work, "bad.tsv")
    with open(train) as f:
        lines = f.readlines()
    lines[250] = lines[250].replace("\t", "\tx", 1)
    with open(bad, "w") as f:
        f.writelines(lines)
    r = subprocess.run([*mpi, strider, "fit", "--train", bad, "--batch-size", "40", *common,
                        "--model", os.path.join(work, "bad.json")],
                       capture_output=True, text=True, env=env, timeout=300)
    if r.returncode == 0 or "bad.tsv:251" not in r.stderr:
        sys.exit(f"a bad line on rank 1: exit {r.returncode}, stderr:\n{r.stderr}")
    if os.path.exists(os.path.join(work, "bad.json")):
        sys.exit("a failed MPI fit left a model file")
    print("a bad line on rank 1 ends both ranks, naming bad.tsv:251")


if __name__ == "__main__":
    main()
