#!/usr/bin/python3
"""Self-test of bench/ucr_report.py against a fake `strider` executable.

    /usr/bin/python3 bench/ucr_report_selftest.py         # exit 0 pass, 1 fail, 77 skip

The fake (this file run as `ucr_report_selftest.py fake evaluate ...`) prints the JSON
object of `strider evaluate --json`, with accuracies chosen per dataset, fails with
"strider: error: ..." on a dataset named Broken, aborts on Crashes and hangs on Hangs. The
test builds a small UCR-layout folder of synthetic data (never the archive's data),
runs the report and checks the CSV, the resumption, the failure rows, the summary's
headline figures (recomputed here from the published ROCKET table), the picture, and the
section against a synthetic shared_side_by_side.csv (with and without that file).
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPORT = HERE / "ucr_report.py"
ANCHORS = (HERE.parent / ".." / "shared" / "anchors").resolve()

# Fake accuracies (correct / n_test with n_test = 50): seed-independent except Adiac.
FAKE_CORRECT = {"PigCVP": 45, "OSULeaf": 47, "Coffee": 50, "GunPoint": 49, "ECG200": 48, "50words": 40, "DodgerLoopDay": 30}


def fake_correct(name: str, seed: int) -> int:
    return 39 + seed if name == "Adiac" else FAKE_CORRECT[name]


def fake_main(argv: list[str]) -> int:
    """The fake `strider` CLI."""
    if argv == ["--version"]:
        print("strider 0.0.0-fake")
        return 0
    assert argv[0] == "evaluate", argv
    opts = {}
    k = 1
    while k < len(argv):
        if argv[k] in ("--json", "--quiet", "--float32", "--no-normalize", "--no-differences",
                       "--normalize-kernels"):
            opts[argv[k][2:]] = True
            k += 1
        else:
            opts[argv[k][2:]] = argv[k + 1]
            k += 2
    ds = Path(opts["dataset"])
    name = ds.name
    with open(os.environ["FAKE_LOG"], "a") as log:
        log.write(f"{name} {opts['seed']} {opts.get('kernels', '-')}\n")
    if name == "Broken":
        print(f"strider: error: {ds}/Broken_TRAIN.tsv:3: value 2: 'x' is not a number",
              file=sys.stderr)
        return 1
    if name == "Crashes":
        os.abort()
    if name == "Hangs":
        time.sleep(60)
    rows = {}
    for split in ("TRAIN", "TEST"):
        with open(ds / f"{name}_{split}.tsv") as fh:
            rows[split] = [line.rstrip("\n").split("\t") for line in fh]
    if any("NaN" in r for r in rows["TRAIN"] + rows["TEST"]) and opts.get("nan") != "interpolate":
        print("strider: error: series 0, channel 0, position 5 is NaN", file=sys.stderr)
        return 1
    lengths = [len(r) - 1 for r in rows["TRAIN"]]
    n_test = len(rows["TEST"])
    correct = fake_correct(name, int(opts["seed"]))
    print(json.dumps({
        "dataset": name, "n_train": len(rows["TRAIN"]), "n_test": n_test, "n_channels": 1,
        "min_length": min(lengths), "max_length": max(lengths),
        "n_classes": len({r[0] for r in rows["TRAIN"]}), "accuracy": correct / n_test,
        "correct": correct, "load_seconds": 0.01, "fit_seconds": 1.5,
        "fit_transform_seconds": 1.0, "fit_scaler_seconds": 0.1, "fit_ridge_seconds": 0.4,
        "fit_cpu_seconds": 2.9, "test_transform_seconds": 0.25, "predict_seconds": 0.25,
        "peak_memory_bytes": 100 * 2**20, "alpha": 10.0, "threads": int(opts["threads"]),
        "params": {"n_kernels": int(opts.get("kernels", 10000))},
        "log_loss": 0.3, "ece": 0.25 if name == "Coffee" else 0.05, "log_loss_softmax": 0.6,
        "ece_softmax": 0.2, "proba_scale": 2.5}))
    return 0


class Failure(Exception):
    pass


def check(cond: bool, what: str) -> None:
    if not cond:
        raise Failure(what)


def make_root(root: Path, names: list[str]) -> None:
    """Synthetic UCR-layout datasets: 20 train and 50 test series of length 30 (noise)."""
    import random
    rnd = random.Random(1)
    for name in names:
        d = root / name
        d.mkdir(parents=True)
        for split, n in (("TRAIN", 20), ("TEST", 50)):
            with open(d / f"{name}_{split}.tsv", "w") as fh:
                for i in range(n):
                    vals = [f"{rnd.gauss(0, 1):.4f}" for _ in range(30)]
                    if name == "DodgerLoopDay" and i == 0:
                        vals[5] = "NaN"
                    fh.write("\t".join([str(i % 2 + 1)] + vals) + "\n")
    (root / "not_a_dataset").mkdir()


# Synthetic side-by-side accuracies (dataset -> MiniRocket, MultiRocket, Hydra+MultiRocket;
# None = status error_rc1, "" = status ok with the field empty). strider's means over seeds
# 0 and 1: Adiac 0.79, Coffee 1.00, ECG200 0.96, GunPoint 0.98, 50words 0.80, DodgerLoopDay
# 0.60. Compared: Adiac, DodgerLoopDay, ECG200, FiftyWords (= 50words), GunPoint.
SIDE_BY_SIDE = {
    "Adiac": (0.80, 0.85, 0.83),          # best MultiRocket, gap 0.06: listed
    "FiftyWords": (0.83, 0.84, 0.87),     # best Hydra+MultiRocket, gap 0.07: listed first
    "DodgerLoopDay": (0.62, 0.65, 0.64),  # gap exactly 0.05: counted (> 0.02), not listed
    "ECG200": (0.90, 0.93, 0.95),         # strider wins against all
    "GunPoint": (0.99, 0.97, 0.98),       # L / W / T; best MiniRocket, gap 0.01
    "Coffee": ("timeout", 1.0, 1.0),      # MiniRocket's 0.5 has status timeout: not compared
    "JapaneseVowels": (None, None, None),  # the peers failed; not in results.csv
    "Wine": (0.70, "", 0.80),             # in the file only
}


def write_side_by_side(path: Path) -> None:
    """A shared_side_by_side.csv with the columns of the real one. The `strider` rows
    (0.10 everywhere) belong to an older build and must be ignored by the report."""
    fields = ["dataset", "method", "status", "accuracy", "fit_s", "predict_s", "total_s",
              "ratio_vs_strider", "cpu_s", "peak_rss_mb", "rss_before_fit_mb", "process_wall_s",
              "n_train", "n_test", "length", "n_channels", "n_classes", "loadavg_1m", "notes"]
    path.parent.mkdir(parents=True)
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, restval="", lineterminator="\n")
        w.writeheader()
        for name, accs in SIDE_BY_SIDE.items():
            w.writerow({"dataset": name, "method": "strider", "status": "ok", "accuracy": "0.1"})
            for method, a in zip(("minirocket", "multirocket", "hydra_multirocket"), accs):
                if a is None:
                    w.writerow({"dataset": name, "method": method, "status": "error_rc1",
                                "notes": "ValueError: inhomogeneous shape"})
                elif a == "timeout":  # an accuracy field with a failed status: not used
                    w.writerow({"dataset": name, "method": method, "status": "timeout",
                                "accuracy": "0.5"})
                else:
                    w.writerow({"dataset": name, "method": method, "status": "ok",
                                "accuracy": a if a == "" else repr(a)})


def check_side_by_side(tmp: Path, out: Path, env: dict) -> None:
    """The side-by-side section: W/T/L per peer and against the best peer, the best-peer
    mean, the list of datasets more than 0.05 below the best peer, the not-compared line;
    and a clean skip when the file is absent."""
    anchors = tmp / "anchors_sbs"
    anchors.mkdir()
    (anchors / "published").symlink_to(ANCHORS / "published")
    write_side_by_side(anchors / "measured" / "shared_side_by_side.csv")

    def summarise(what: str) -> str:
        p = run_report(["summary", "--out", str(out), "--no-picture", "--anchors",
                        str(anchors)], env)
        check(p.returncode == 0, f"summary {what}: {p.stderr[-1000:]}")
        return (out / "summary.md").read_text()

    summary = summarise("with the side-by-side file")
    start = summary.find("## Accuracy against MiniRocket, MultiRocket and Hydra+MultiRocket")
    end = summary.find("## Accuracy against the published results")
    check(0 < start < end, "side-by-side section before the published-results section")
    sec = summary[start:end]
    # strider 0.79, 0.60, 0.96, 0.98, 0.80 -> mean 0.8260; best peer 0.85, 0.65, 0.95,
    # 0.99, 0.87 -> mean 0.8620
    for row in ("| MiniRocket | 5 | 0.8260 | 0.8280 | -0.0020 | 1 / 0 / 4 | 0.375 |",
                "| MultiRocket | 5 | 0.8260 | 0.8480 | -0.0220 | 2 / 0 / 3 | 1 |",
                "| Hydra+MultiRocket | 5 | 0.8260 | 0.8540 | -0.0280 | 1 / 1 / 3 | 0.625 |",
                "| best peer per dataset | 5 | 0.8260 | 0.8620 | -0.0360 | 1 / 0 / 4 | 0.375 |"):
        check(row in sec, f"side-by-side row missing: {row}\n{sec}")
    check("more than 0.05 below the best peer on 2 of the 5 datasets" in sec
          and "more than 0.02 below on 3." in sec, "gap counts:\n" + sec)
    listed = re.findall(r"^\| (\S+) \| 20 \| 2 \| .*$", sec, re.M)
    check(listed == ["50words", "Adiac"], f"datasets > 0.05 below the best peer: {listed}")
    check("| 50words | 20 | 2 | 0.8000 ± 0.0000 | Hydra+MultiRocket | 0.8700 | 0.0700 |" in sec
          and "| Adiac | 20 | 2 | 0.7900 ± 0.0141 | MultiRocket | 0.8500 | 0.0600 |" in sec,
          "gap rows:\n" + sec)
    check("could not run JapaneseVowels" in sec and "seed 0" in sec
          and "mean over seeds 0, 1" in sec, "source sentence:\n" + sec)
    check("Not compared: in `results.csv` only or without an accuracy from all three peers "
          "(1): Coffee; in the file only (2): JapaneseVowels, Wine." in sec
          and "No accuracy for MiniRocket on Coffee; MultiRocket on Wine." in sec,
          "not-compared line:\n" + sec)
    head = summary[summary.find("## Headline"):start]
    check("**strider 0.8260**, the best of the three per dataset 0.8620" in head
          and "**1 / 0 / 4**" in head, "side-by-side headline bullet:\n" + head)

    # without the file: one line in the section, no headline bullet, the rest unchanged
    (anchors / "measured" / "shared_side_by_side.csv").unlink()
    bare = summarise("without the side-by-side file")
    s2 = bare.find("## Accuracy against MiniRocket")
    e2 = bare.find("## Accuracy against the published results")
    check(bare[s2:e2].count("\n") == 4 and "no side-by-side comparison" in bare[s2:e2],
          "missing-file section:\n" + bare[s2:e2])
    check("the best of the three" not in bare, "no headline bullet without the file")
    drop_bullet = lambda t: "\n".join(l for l in t[:t.find("## Accuracy against MiniRocket")]
                                      .splitlines() if "the best of the three" not in l)
    check(drop_bullet(summary) == drop_bullet(bare) and summary[end:] == bare[e2:],
          "the rest of the report does not depend on the side-by-side file")


def run_report(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPORT)] + args, capture_output=True, text=True,
                          env=env, timeout=300)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "fake":
        return fake_main(sys.argv[2:])
    if not (ANCHORS / "published" / "rocket__results_ucr.csv").exists():
        print(f"SKIP: published tables not found under {ANCHORS}")
        return 77
    try:
        import matplotlib  # noqa: F401
        have_mpl = True
    except ImportError:
        have_mpl = False
    good = ["Adiac", "Coffee", "ECG200", "GunPoint", "50words", "DodgerLoopDay"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        root, out, log = tmp / "ucr", tmp / "out", tmp / "fake.log"
        make_root(root, good + ["Broken", "Crashes", "Hangs"])
        fake = tmp / "strider"
        fake.write_text(f"#!/bin/sh\nexec {sys.executable} {Path(__file__).resolve()} fake \"$@\"\n")
        fake.chmod(0o755)
        env = dict(os.environ, FAKE_LOG=str(log))
        base = ["run", "--root", str(root), "--out", str(out), "--strider", str(fake),
                "--seeds", "0,1", "--threads", "2", "--timeout", "2"]

        # 1. first run: every dataset x seed, failures recorded, exit status 1
        p = run_report(base, env)
        check(p.returncode == 1, f"first run should exit 1 (failures), got {p.returncode}: "
              f"{p.stderr[-2000:]}")
        with open(out / "results.csv", newline="") as fh:
            rows = list(csv.DictReader(fh))
        check(len(rows) == 9 * 2, f"expected 18 rows, got {len(rows)}")
        status = {(r["dataset"], r["seed"]): r for r in rows}
        for n in good:
            for s in ("0", "1"):
                r = status[(n, s)]
                check(r["status"] == "ok", f"{n}/{s}: {r['status']} {r['message']}")
                want = fake_correct(n, int(s)) / 50
                check(abs(float(r["accuracy"]) - want) < 1e-12, f"{n}/{s} accuracy {r['accuracy']}")
                check(r["n_train"] == "20" and r["n_test"] == "50", f"{n} sizes")
                check(abs(float(r["predict_total_s"]) - 0.5) < 1e-9, "predict = transform + predict")
                check(abs(float(r["total_s"]) - 2.0) < 1e-9, "total = fit + predict")
                check(abs(float(r["peak_memory_mb"]) - 100.0) < 1e-9, "peak memory in MB")
                check(float(r["process_max_rss_mb"]) > 1.0, "child max RSS recorded")
        check(status[("Broken", "0")]["status"] == "failed" and
              "is not a number" in status[("Broken", "0")]["message"], "Broken row")
        check(status[("Crashes", "0")]["status"] == "crashed", "Crashes row: "
              + status[("Crashes", "0")]["status"])
        check(status[("Hangs", "1")]["status"] == "timeout", "Hangs row")
        check("[18/18]" in p.stderr, "progress lines on stderr")
        check("--nan interpolate" in rows[0]["config"], "nan interpolate passed by default")

        # 2. resume: only the failed runs are repeated
        log.write_text("")
        p = run_report(base + ["--exclude", "Hangs"], env)
        calls = log.read_text().split()
        ran = sorted(set(calls[0::3]))
        check(ran == ["Broken", "Crashes"], f"resume re-ran {ran}")
        check(len(calls) == 4 * 3, f"resume made {len(calls) // 3} calls, expected 4")

        # 3. summary headline against ROCKET, recomputed from the published table
        with open(ANCHORS / "published" / "rocket__results_ucr.csv", newline="") as fh:
            rocket = {r["dataset"]: r for r in csv.DictReader(fh)}
        name_in_table = {n: ("FiftyWords" if n == "50words" else n) for n in good}
        ours = {n: (fake_correct(n, 0) + fake_correct(n, 1)) / 100 for n in good}
        theirs = {n: float(rocket[name_in_table[n]]["accuracy_mean"]) for n in good}
        w = sum(ours[n] - theirs[n] >= 1e-6 for n in good)
        l = sum(theirs[n] - ours[n] >= 1e-6 for n in good)
        t = len(good) - w - l
        check(t >= 1, "the fake should tie on Coffee")
        summary = (out / "summary.md").read_text()
        m = re.search(r"(\d+) wins, (\d+) ties, (\d+) losses", summary)
        check(m is not None and tuple(map(int, m.groups())) == (w, t, l),
              f"W/T/L in summary {m and m.groups()} != {(w, t, l)}")
        m_ours = sum(ours.values()) / len(good)
        m_theirs = sum(theirs.values()) / len(good)
        check(f"strider {m_ours:.4f}**, ROCKET {m_theirs:.4f}" in summary,
              f"mean accuracy line (want {m_ours:.4f} vs {m_theirs:.4f})")
        roc_time = sum(float(rocket[name_in_table[n]]["time_training_seconds"]) +
                       float(rocket[name_in_table[n]]["time_test_seconds"]) for n in good)
        check(f"ROCKET's published {roc_time:.2f} s" in summary or
              f"ROCKET's published {roc_time:.0f} s" in summary, "ROCKET total time")
        check("**strider 12.00 s**" in summary, "our total time = 6 datasets x 2.0 s")
        check("50words -> FiftyWords" in summary, "old UCR name mapped")
        check("| Adiac | 20 | 50 | 30 | 2 | 0.7900 ± 0.0141 |" in summary,
              "per-dataset row with mean ± std over seeds")
        check("| Broken | 0 | failed |" in summary and "| Hangs | 1 | timeout |" in summary,
              "failures table")
        check("mean of 30 resamples" in summary, "resample means stated")
        ece = (0.25 + 0.05 * (len(good) - 1)) / len(good)
        check(f"| expected calibration error | {ece:.4f} | 0.2000 | {len(good) - 1} / 1 |"
              in summary, "probabilities table (Coffee worse than the softmax)")
        check("| log-loss | 0.3000 | 0.6000 |" in summary, "log-loss row")
        check("Coffee (0.2500 vs 0.2000)" in summary, "the dataset where calibration is worse")
        if have_mpl:
            for ext in ("svg", "png"):
                f = out / f"ucr_accuracy_vs_rocket.{ext}"
                check(f.exists() and f.stat().st_size > 1000, f"picture {f.name}")

        # 3b. the side-by-side section on a synthetic shared_side_by_side.csv
        check_side_by_side(tmp, out, env)

        # 4. other settings are a separate configuration: everything runs again
        log.write_text("")
        p = run_report(base + ["--datasets", "Coffee,GunPoint", "--", "--kernels", "500"], env)
        check(p.returncode == 0, f"third run: {p.returncode} {p.stderr[-1000:]}")
        check(sorted(log.read_text().split()) == sorted(
            ["Coffee", "0", "500", "Coffee", "1", "500", "GunPoint", "0", "500", "GunPoint", "1",
             "500"]), "new settings re-run: " + log.read_text())
        summary = (out / "summary.md").read_text()
        check("2 datasets from" in summary and "--kernels 500" in summary,
              "summary of the latest settings")
        p = run_report(["summary", "--out", str(out), "--no-picture", "--docs", str(tmp / "docs")],
                       env)
        check(p.returncode == 0 and (tmp / "docs" / "ucr_report.md").exists(), "--docs copy")
        p = subprocess.run([sys.executable, str(REPORT), "summary", "--out", str(out),
                            "--config", "nonsense"], capture_output=True, text=True)
        check(p.returncode != 0 and "no rows with config" in p.stderr, "unknown --config")
    print("ucr_report self-test: OK")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        print(f"ucr_report self-test FAILED: {e}", file=sys.stderr)
        sys.exit(1)
