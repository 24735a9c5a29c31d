#!/usr/bin/python3
"""UCR benchmark report for strider: run the `strider evaluate` CLI on every dataset of a
UCR-layout folder, then compare with the published results of ROCKET, MiniRocket, RDST,
MultiRocket and Hydra+MultiRocket, and with the reference code of MiniRocket, MultiRocket
and Hydra+MultiRocket run side by side (<anchors>/measured/shared_side_by_side.csv; the
section says so and is skipped when that file is absent).

Two subcommands (run from the repository root):

    /usr/bin/python3 bench/ucr_report.py run      [options] [-- extra strider options]
    /usr/bin/python3 bench/ucr_report.py summary  [options]

`run` fits and scores each dataset in a fresh `strider evaluate --json` process (so the
peak memory is per dataset), appends one row per (dataset, seed) to <out>/results.csv,
and then writes the summary. It is resumable: a dataset already in the CSV with status
ok, the same seed and the same settings is skipped; failed ones are run again. A failure
(non-zero exit, a crash, a timeout, unreadable output) is recorded with its message and
the run goes on. Progress goes to stderr.

`summary` reads <out>/results.csv and writes <out>/summary.md and the picture
<out>/ucr_accuracy_vs_rocket.{svg,png}; `--docs DIR` also writes DIR/ucr_report.md and
DIR/ucr_accuracy_vs_rocket.svg (the copies committed to the repository).

Needs only the standard library for `run`; `summary` uses matplotlib (Agg) for the
picture and skips it with a warning when matplotlib is missing.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import json
import math
import os
import platform
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_ROOT = (REPO / ".." / "shared" / "datasets" / "ucr").resolve()
DEFAULT_ANCHORS = (REPO / ".." / "shared" / "anchors").resolve()
DEFAULT_OUT = REPO / "bench" / "results"
DEFAULT_STRIDER = REPO / "build" / "release" / "src" / "cli" / "strider"
PICTURE = "ucr_accuracy_vs_rocket"

# Two accuracies are a tie when they differ by less than this. Published means carry
# 8 decimals (rounding error <= 5e-9) and float noise (0.8199999999666667); a genuine
# difference between two accuracy means is at least 1 / (runs x n_test), above 1e-6 for
# every UCR test set (n_test <= 24,000 and at most 30 runs).
TIE_TOLERANCE = 1e-6

# ---------------------------------------------------------------------------------------
# results.csv

FIELDS = [
    "dataset", "seed", "config", "status", "message",
    "n_train", "n_test", "n_channels", "min_length", "max_length", "n_classes",
    "accuracy", "correct",
    "load_s", "fit_s", "fit_transform_s", "fit_scaler_s", "fit_ridge_s", "fit_cpu_s",
    "test_transform_s", "predict_s", "predict_total_s", "total_s",
    "peak_memory_mb", "process_max_rss_mb", "process_cpu_s", "wall_s",
    "alpha", "threads", "params", "strider_version", "started_at",
    "log_loss", "ece", "log_loss_softmax", "ece_softmax", "proba_scale",
]


def read_results(path: Path) -> list[dict]:
    """All rows of results.csv (empty list when absent)."""
    if not path.exists():
        return []
    with path.open(newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != FIELDS:
            sys.exit(f"ucr_report: {path} has columns {reader.fieldnames}, expected {FIELDS}; "
                     "use another --out")
        return list(reader)


def latest_rows(rows: list[dict]) -> dict[tuple, dict]:
    """The last row per (dataset, seed, config): a re-run replaces a failed attempt."""
    out: dict[tuple, dict] = {}
    for r in rows:
        out[(r["dataset"], r["seed"], r["config"])] = r
    return out


def append_row(path: Path, row: dict) -> None:
    """Appends one row and flushes it to disk, writing the header for a new file."""
    new = not path.exists() or path.stat().st_size == 0
    with path.open("a", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        if new:
            w.writeheader()
        w.writerow({k: row.get(k, "") for k in FIELDS})
        fh.flush()
        os.fsync(fh.fileno())


# ---------------------------------------------------------------------------------------
# run


def list_datasets(root: Path) -> list[str]:
    """Sub-folders of root that hold <name>_TRAIN.* and <name>_TEST.* files, sorted."""
    names = []
    for d in sorted(root.iterdir(), key=lambda p: p.name.lower()):
        if not d.is_dir():
            continue
        has = lambda split: any((d / f"{d.name}_{split}{ext}").exists()
                                for ext in (".tsv", ".ts", ".txt", ".csv"))
        if has("TRAIN") and has("TEST"):
            names.append(d.name)
    return names


def dataset_bytes(root: Path, name: str) -> int:
    """Size of the dataset's files: the progress/ETA estimate of its work."""
    return sum(p.stat().st_size for p in (root / name).glob(f"{name}_*") if p.is_file())


def run_one(cmd: list[str], timeout: float) -> dict:
    """Runs cmd, returning returncode (negative: signal), stdout, stderr, wall time and the
    child's own peak RSS and CPU time (from wait4, so they are this process's alone)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid != 0:
                break
            if time.monotonic() - t0 > timeout:
                timed_out = True
                proc.send_signal(signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall = time.monotonic() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait again
        out.seek(0)
        err.seek(0)
        return {
            "returncode": proc.returncode,
            "timed_out": timed_out,
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
            "wall_s": wall,
            "max_rss_mb": usage.ru_maxrss / 1024.0,  # Linux: kilobytes
            "cpu_s": usage.ru_utime + usage.ru_stime,
        }


def fmt(x, digits=4) -> str:
    return "" if x is None else f"{x:.{digits}f}"


def row_from_result(name: str, seed: int, config: str, res: dict, version: str) -> dict:
    """Turns one CLI run into a results.csv row (status ok or failed/timeout/crashed)."""
    row = {"dataset": name, "seed": seed, "config": config, "strider_version": version,
           "wall_s": fmt(res["wall_s"], 3), "process_max_rss_mb": fmt(res["max_rss_mb"], 1),
           "process_cpu_s": fmt(res["cpu_s"], 3)}
    if res["timed_out"]:
        row.update(status="timeout", message=f"killed after {res['wall_s']:.0f} s")
        return row
    if res["returncode"] != 0:
        lines = [l for l in res["stderr"].splitlines() if l.strip()]
        errs = [l for l in lines if "error" in l.lower()]
        msg = (errs or lines or ["(no message on stderr)"])[-1].strip()
        if res["returncode"] < 0:
            sig = signal.Signals(-res["returncode"]).name
            row.update(status="crashed", message=f"killed by {sig}: {msg}"[:500])
        else:
            row.update(status="failed", message=f"exit {res['returncode']}: {msg}"[:500])
        return row
    try:
        j = json.loads(res["stdout"].strip().splitlines()[-1])
        fit_s = float(j["fit_seconds"])
        # predict time as users see it: transform the test set, then the ridge
        predict_total = float(j["test_transform_seconds"]) + float(j["predict_seconds"])
        row.update(
            status="ok", message="",
            n_train=j["n_train"], n_test=j["n_test"], n_channels=j["n_channels"],
            min_length=j["min_length"], max_length=j["max_length"], n_classes=j["n_classes"],
            accuracy=f"{float(j['accuracy']):.10g}", correct=j["correct"],
            load_s=fmt(j["load_seconds"]), fit_s=fmt(fit_s),
            fit_transform_s=fmt(j["fit_transform_seconds"]),
            fit_scaler_s=fmt(j["fit_scaler_seconds"]), fit_ridge_s=fmt(j["fit_ridge_seconds"]),
            fit_cpu_s=fmt(j["fit_cpu_seconds"]), test_transform_s=fmt(j["test_transform_seconds"]),
            predict_s=fmt(j["predict_seconds"]), predict_total_s=fmt(predict_total),
            total_s=fmt(fit_s + predict_total),
            peak_memory_mb=fmt(float(j["peak_memory_bytes"]) / 2**20, 1),
            alpha=f"{float(j['alpha']):.6g}", threads=j["threads"],
            params=json.dumps(j.get("params", {}), sort_keys=True, separators=(",", ":")))
        # Probability scores of the test set (absent from builds without predict_proba).
        for k in ("log_loss", "ece", "log_loss_softmax", "ece_softmax", "proba_scale"):
            if k in j:
                row[k] = f"{float(j[k]):.6g}"
    except (ValueError, KeyError, IndexError, TypeError) as e:
        row.update(status="failed",
                   message=f"unreadable output ({type(e).__name__}: {e}): {res['stdout'][:200]!r}")
    return row


def strider_version(binary: str) -> str:
    try:
        p = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30)
        return p.stdout.strip().splitlines()[0] if p.returncode == 0 and p.stdout.strip() else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def hms(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def cmd_run(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if not root.is_dir():
        sys.exit(f"ucr_report: dataset root {root} is not a directory")
    binary = str(Path(args.strider))
    if not os.access(binary, os.X_OK):
        sys.exit(f"ucr_report: {binary} is not an executable; build it with "
                 "`cmake --preset release && cmake --build --preset release -j2`")
    extra = list(args.extra)
    if extra and extra[0] == "--":
        extra = extra[1:]
    user_extra = list(extra)
    if args.nan_interpolate and "--nan" not in extra:
        extra = ["--nan", "interpolate"] + extra
    config = " ".join(["--threads", str(args.threads)] + [shlex.quote(a) for a in extra])
    names = list_datasets(root)
    if args.datasets:
        wanted = [n.strip() for n in args.datasets.split(",") if n.strip()]
        unknown = [n for n in wanted if n not in names]
        if unknown:
            sys.exit(f"ucr_report: not found under {root}: {', '.join(unknown)}")
        names = wanted
    if args.exclude:
        drop = {n.strip() for n in args.exclude.split(",")}
        names = [n for n in names if n not in drop]
    seeds = [int(s) for s in args.seeds.split(",")]
    csv_path = out / "results.csv"
    done = latest_rows(read_results(csv_path))
    version = strider_version(binary)

    jobs = [(n, s) for n in names for s in seeds]
    todo = [(n, s) for n, s in jobs
            if done.get((n, str(s), config), {}).get("status") != "ok"]
    size = {n: dataset_bytes(root, n) for n in names}
    work_total = sum(size[n] for n, _ in todo) or 1
    meta = {
        "started_at": _dt.datetime.now().isoformat(timespec="seconds"),
        "root": str(root), "strider": binary, "strider_version": version,
        "config": config, "seeds": seeds, "datasets": names,
        "command": " ".join(shlex.quote(a) for a in sys.argv),
        "machine": machine_info(), "loadavg_start": os.getloadavg(),
        "reproduce": " ".join(
            ["/usr/bin/python3 bench/ucr_report.py run", "--seeds", args.seeds, "--threads",
             str(args.threads)]
            + ([] if args.nan_interpolate else ["--no-nan-interpolate"])
            + ([] if Path(args.root).resolve() == DEFAULT_ROOT else ["--root", args.root])
            + (["--", *map(shlex.quote, user_extra)] if user_extra else [])),
    }
    print(f"ucr_report: {len(jobs)} runs ({len(names)} datasets x {len(seeds)} seeds), "
          f"{len(jobs) - len(todo)} already done in {csv_path}; settings: {config}",
          file=sys.stderr)
    t0 = time.monotonic()
    work_done = 0
    n_fail = 0
    for k, (name, seed) in enumerate(todo, 1):
        cmd = [binary, "evaluate", "--dataset", str(root / name), "--json", "--seed", str(seed),
               "--threads", str(args.threads), "--quiet"] + extra
        started = _dt.datetime.now().isoformat(timespec="seconds")
        res = run_one(cmd, args.timeout)
        row = row_from_result(name, seed, config, res, version)
        row["started_at"] = started
        append_row(csv_path, row)
        work_done += size[name]
        elapsed = time.monotonic() - t0
        eta = elapsed * (work_total - work_done) / max(work_done, 1)
        if row["status"] == "ok":
            what = (f"acc {float(row['accuracy']):.4f}  fit {float(row['fit_s']):.2f} s  "
                    f"predict {float(row['predict_total_s']):.2f} s  "
                    f"peak {float(row['peak_memory_mb']):.0f} MB")
        else:
            n_fail += 1
            what = f"{row['status'].upper()}: {row['message']}"
        print(f"[{k}/{len(todo)}] {name} (seed {seed}): {what}  "
              f"[elapsed {hms(elapsed)}, eta {hms(eta)}]", file=sys.stderr, flush=True)
    meta["finished_at"] = _dt.datetime.now().isoformat(timespec="seconds")
    meta["loadavg_end"] = os.getloadavg()
    meta["wall_s"] = time.monotonic() - t0
    (out / "run.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"ucr_report: {len(todo)} runs in {hms(time.monotonic() - t0)}, {n_fail} failed; "
          f"results in {csv_path}", file=sys.stderr)
    if not args.no_summary:
        sargs = argparse.Namespace(out=str(out), anchors=args.anchors, config=config,
                                   docs=None, no_picture=False)
        cmd_summary(sargs)
    return 1 if n_fail else 0


def machine_info() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = None
    try:
        mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem_gib,
            "os": platform.platform(), "python": platform.python_version()}


# ---------------------------------------------------------------------------------------
# published tables

# Old (UCR 2015) and alternative spellings -> UCR 2018 names, for folders laid out with
# the old names. Anything else is matched exactly, then ignoring case, '_' and '-'.
ALIASES = {
    "50words": "FiftyWords", "cricket_x": "CricketX", "cricket_y": "CricketY",
    "cricket_z": "CricketZ", "gun_point": "GunPoint", "synthetic_control": "SyntheticControl",
    "two_patterns": "TwoPatterns", "wordssynonyms": "WordSynonyms",
    "noninvasivefatalecg_thorax1": "NonInvasiveFetalECGThorax1",
    "noninvasivefatalecg_thorax2": "NonInvasiveFetalECGThorax2",
    "starlightcurves": "StarLightCurves", "uwavegesturelibrary_x": "UWaveGestureLibraryX",
    "uwavegesturelibrary_y": "UWaveGestureLibraryY",
    "uwavegesturelibrary_z": "UWaveGestureLibraryZ", "ecgfivedays": "ECGFiveDays",
    "chlorineconcentration": "ChlorineConcentration", "dodgerloopday_nmv": "DodgerLoopDay",
    "dodgerloopgame_nmv": "DodgerLoopGame", "dodgerloopweekend_nmv": "DodgerLoopWeekend",
}


def norm_key(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


class Table:
    """One published table: accuracy (and optionally times) per dataset name."""

    def __init__(self, key, label, file, split, acc, train_time=None, test_time=None):
        self.key, self.label, self.file, self.split = key, label, file, split
        self.acc, self.train_time, self.test_time = acc, train_time or {}, test_time or {}
        self._norm = {norm_key(n): n for n in acc}

    def lookup(self, name: str) -> str | None:
        """The table's spelling of dataset `name`, or None when not covered."""
        if name in self.acc:
            return name
        alias = ALIASES.get(name.lower())
        if alias and alias in self.acc:
            return alias
        return self._norm.get(norm_key(alias or name))


def load_tables(anchors: Path) -> list[Table]:
    pub = anchors / "published"

    def rows(fname):
        with (pub / fname).open(newline="") as fh:
            return list(csv.DictReader(fh))

    tables = []
    r = rows("rocket__results_ucr.csv")
    tables.append(Table(
        "rocket", "ROCKET", "rocket__results_ucr.csv",
        "original split, mean of 10 runs",
        {x["dataset"]: float(x["accuracy_mean"]) for x in r},
        {x["dataset"]: float(x["time_training_seconds"]) for x in r},
        {x["dataset"]: float(x["time_test_seconds"]) for x in r}))
    r = rows("minirocket__results_ucr109_mean.csv")
    tables.append(Table("minirocket", "MiniRocket", "minirocket__results_ucr109_mean.csv",
                        "mean of 30 resamples", {x["dataset"]: float(x["accuracy"]) for x in r}))
    r = rows("convst__CV_30_results_v_0_2_5.csv")
    tables.append(Table("rdst", "RDST", "convst__CV_30_results_v_0_2_5.csv (model R_DST)",
                        "mean of 30 resamples",
                        {x["dataset"]: float(x["acc_mean"]) for x in r if x["model"] == "R_DST"}))
    r = rows("multirocket__all_resamples_average.csv")
    tables.append(Table("multirocket", "MultiRocket",
                        "multirocket__all_resamples_average.csv (column MultiRocket, 50k features)",
                        "mean of 30 resamples",
                        {x["dataset_name"]: float(x["MultiRocket"]) for x in r}))
    r = rows("hydra__results_ucr112_variants.csv")
    tables.append(Table("hydra_mr", "Hydra+MultiRocket",
                        "hydra__results_ucr112_variants.csv (column Hydra+MultiRocket)",
                        "mean of 30 resamples",
                        {x["dataset"]: float(x["Hydra+MultiRocket"]) for x in r}))
    return tables


def load_measured(anchors: Path) -> list[dict]:
    path = anchors / "measured" / "anchors_2core.csv"
    if not path.exists():
        return []
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


# The reference code measured side by side with strider, one row per (dataset, method):
# method key in the file -> label. The file's own `strider` rows come from an earlier
# build and are not used: strider's figures come from results.csv.
SIDE_BY_SIDE = "shared_side_by_side.csv"
PEERS = (("minirocket", "MiniRocket"), ("multirocket", "MultiRocket"),
         ("hydra_multirocket", "Hydra+MultiRocket"))
# strider below the best peer by more than GAP_LIST: listed; by more than GAP_COUNT: counted.
GAP_LIST = 0.05
GAP_COUNT = 0.02


def load_side_by_side(anchors: Path) -> list[dict] | None:
    """Rows of measured/shared_side_by_side.csv, or None when the file is absent."""
    path = anchors / "measured" / SIDE_BY_SIDE
    if not path.exists():
        return None
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def side_by_side(ours: dict[str, float], rows: list[dict]) -> dict:
    """strider (ours: our dataset name -> accuracy) against each peer and against the best
    of the three per dataset, over the datasets where strider and all three peers have an
    accuracy. A peer row has an accuracy when its status is `ok` and the field is filled;
    the last row per (dataset, method) counts."""
    acc: dict[str, dict[str, float | None]] = {k: {} for k, _ in PEERS}
    status: dict[tuple[str, str], str] = {}
    for r in rows:
        if r["method"] not in acc:
            continue
        ok = r["status"] == "ok" and r["accuracy"].strip() != ""
        acc[r["method"]][r["dataset"]] = float(r["accuracy"]) if ok else None
        status[(r["dataset"], r["method"])] = r["status"]
    file_names = sorted(set().union(*acc.values()), key=str.lower)
    # the file's spelling of our names, as for the published tables
    lookup = Table("side_by_side", "", SIDE_BY_SIDE, "", dict.fromkeys(file_names, 0.0))
    to_file = {n: lookup.lookup(n) for n in ours}
    peer = {k: {n: acc[k][f] for n, f in to_file.items()
                if f is not None and acc[k].get(f) is not None} for k, _ in PEERS}
    common = sorted(set(ours).intersection(*peer.values()), key=str.lower)
    ours_c = {n: ours[n] for n in common}
    best = {n: max(peer[k][n] for k, _ in PEERS) for n in common}
    best_by = {n: [label for k, label in PEERS if best[n] - peer[k][n] < TIE_TOLERANCE]
               for n in common}
    cmp = {k: compare(ours_c, {n: peer[k][n] for n in common}) for k, _ in PEERS}
    cmp["best"] = compare(ours_c, best)
    gap = {n: best[n] - ours[n] for n in common}
    # "more than x below": a gap of exactly x (up to float noise) does not count
    listed = sorted((n for n in common if gap[n] - GAP_LIST >= TIE_TOLERANCE),
                    key=lambda n: (-gap[n], n.lower()))
    n_count = sum(1 for n in common if gap[n] - GAP_COUNT >= TIE_TOLERANCE)
    methods = {"strider": ours_c}
    methods.update({label: {n: peer[k][n] for n in common} for k, label in PEERS})
    _, ranks = joint_ranks(methods)
    # datasets the peers have no accuracy for: which peers, with the file's status
    no_acc = {}
    for f in file_names:
        missing = [(label, status.get((f, k), "absent")) for k, label in PEERS
                   if acc[k].get(f) is None]
        if missing:
            no_acc[f] = missing
    return {
        "n": len(common), "datasets": common, "cmp": cmp, "best": best, "best_by": best_by,
        "gap": gap, "listed": listed, "n_count": n_count, "ranks": ranks,
        "ours_only": [n for n in ours if n not in common],
        "file_only": [f for f in file_names if f not in set(to_file.values())],
        "no_acc": no_acc,
    }


# ---------------------------------------------------------------------------------------
# summary


def mean(xs):
    xs = list(xs)
    return sum(xs) / len(xs) if xs else float("nan")


def sample_std(xs):
    xs = list(xs)
    if len(xs) < 2:
        return 0.0
    m = mean(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


def compare(ours: dict[str, float], theirs: dict[str, float]) -> dict:
    """Wins/ties/losses (tie: |diff| < TIE_TOLERANCE) and pairwise mean ranks (1 = better,
    1.5 each on a tie) over the datasets in both dicts."""
    common = sorted(set(ours) & set(theirs))
    w = t = l = 0
    for d in common:
        diff = ours[d] - theirs[d]
        if abs(diff) < TIE_TOLERANCE:
            t += 1
        elif diff > 0:
            w += 1
        else:
            l += 1
    n = len(common)
    return {"n": n, "datasets": common, "wins": w, "ties": t, "losses": l,
            "ours": mean(ours[d] for d in common), "theirs": mean(theirs[d] for d in common),
            "rank_ours": (w * 1 + t * 1.5 + l * 2) / n if n else float("nan"),
            "rank_theirs": (l * 1 + t * 1.5 + w * 2) / n if n else float("nan"),
            "p_sign": sign_test(w, l)}


def sign_test(wins: int, losses: int) -> float:
    """Two-sided exact sign test p-value, ties dropped."""
    n = wins + losses
    if n == 0:
        return 1.0
    k = min(wins, losses)
    p = sum(math.comb(n, i) for i in range(k + 1)) / 2.0**n
    return min(1.0, 2 * p)


def joint_ranks(methods: dict[str, dict[str, float]]) -> tuple[list[str], dict[str, float]]:
    """Mean rank of each method over the datasets all of them cover (ties: average rank)."""
    common = sorted(set.intersection(*(set(m) for m in methods.values())))
    ranks = {k: 0.0 for k in methods}
    for d in common:
        vals = {k: m[d] for k, m in methods.items()}
        for k, v in vals.items():
            better = sum(1 for o in vals.values() if o - v >= TIE_TOLERANCE)
            equal = sum(1 for o in vals.values() if abs(o - v) < TIE_TOLERANCE)
            ranks[k] += better + (equal + 1) / 2.0
    return common, {k: r / len(common) if common else float("nan") for k, r in ranks.items()}


def select_config(rows: list[dict], out: Path, config: str | None) -> str:
    configs = sorted({r["config"] for r in rows})
    if config:
        if config not in configs:
            sys.exit(f"ucr_report: no rows with config {config!r}; present: {configs}")
        return config
    run = out / "run.json"
    if run.exists():
        c = json.loads(run.read_text()).get("config")
        if c in configs:
            return c
    if len(configs) == 1:
        return configs[0]
    sys.exit(f"ucr_report: results.csv holds several settings, pick one with --config: {configs}")


def f4(x):
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.4f}"


def secs(x):
    if x is None or math.isnan(x):
        return "–"
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"


def acc_pm(p: dict) -> str:
    """A dataset's accuracy, with ± the standard deviation over seeds when several ran."""
    return f4(p["acc"]) + (f" ± {p['acc_std']:.4f}" if p["seeds"] > 1 else "")


def side_by_side_lines(sbs: dict | None, per: dict, seeds: list[int], anchors: Path) -> list[str]:
    """The Markdown section comparing strider with the peers of shared_side_by_side.csv."""
    md = ["## Accuracy against MiniRocket, MultiRocket and Hydra+MultiRocket run side by side",
          ""]
    P = md.append
    src = f"`anchors/measured/{SIDE_BY_SIDE}`"
    if sbs is None:
        P(f"{src} is not in {anchors}: no side-by-side comparison.")
        P("")
        return md
    seed_text = (f"the mean over seeds {', '.join(map(str, seeds))} of `results.csv`"
                 if len(seeds) > 1 else f"its run with seed {seeds[0]} in `results.csv`")
    failed = [f for f, miss in sbs["no_acc"].items() if len(miss) == len(PEERS)]
    partial = [f"{', '.join(label for label, _ in miss)} on {f}"
               for f, miss in sbs["no_acc"].items() if len(miss) < len(PEERS)]
    P(f"Source: {src}, the published reference code of each method (the file's README names "
      "the versions and the classifier settings), each run once: seed 0, the archive's "
      "original train/test split, 2 threads. strider's figure is " + seed_text
      + " (the file's own `strider` rows, from an earlier build, are not used)."
      + (f" The three could not run {', '.join(failed)} (status "
         f"{', '.join(sorted({st for f in failed for _, st in sbs['no_acc'][f]}))})."
         if failed else "")
      + (f" No accuracy for {'; '.join(partial)}." if partial else ""))
    P("")
    if sbs["n"] == 0:
        P("No dataset has an accuracy from strider and from all three.")
        P("")
    else:
        P(f"Over the {sbs['n']} datasets where strider and all three have an accuracy; "
          "best peer = the highest of the three on each dataset. Tie: the two accuracies "
          f"differ by less than {TIE_TOLERANCE:g}.")
        P("")
        P("| compared with | datasets | strider | peer | difference | wins / ties / losses "
          "| sign test p |")
        P("|---|---:|---:|---:|---:|---|---:|")
        for k, label in PEERS + (("best", "best peer per dataset"),):
            c = sbs["cmp"][k]
            P(f"| {label} | {c['n']} | {f4(c['ours'])} | {f4(c['theirs'])} | "
              f"{c['ours'] - c['theirs']:+.4f} | {c['wins']} / {c['ties']} / {c['losses']} | "
              f"{c['p_sign']:.3g} |")
        P("")
        P("Mean rank among the four (1 = best, ties share): " + ", ".join(
            f"{k} {r:.2f}" for k, r in sorted(sbs["ranks"].items(), key=lambda kv: kv[1])) + ".")
        P("")
        P(f"strider is more than {GAP_LIST:g} below the best peer on {len(sbs['listed'])} of "
          f"the {sbs['n']} datasets" + (" (below, largest gap first)" if sbs["listed"] else "")
          + f", and more than {GAP_COUNT:g} below on {sbs['n_count']}.")
        P("")
        if sbs["listed"]:
            P("| dataset | train | classes | strider | best peer | its accuracy | gap |")
            P("|---|---:|---:|---:|---|---:|---:|")
            for n in sbs["listed"]:
                p = per[n]
                P(f"| {n} | {p['n_train']} | {p['classes']} | {acc_pm(p)} | "
                  f"{' = '.join(sbs['best_by'][n])} | {f4(sbs['best'][n])} | "
                  f"{sbs['gap'][n]:.4f} |")
            P("")
    if sbs["ours_only"] or sbs["file_only"]:
        P("Not compared: "
          + "; ".join(x for x in (
              (f"in `results.csv` only or without an accuracy from all three peers "
               f"({len(sbs['ours_only'])}): {', '.join(sbs['ours_only'])}"
               if sbs["ours_only"] else ""),
              (f"in the file only ({len(sbs['file_only'])}): {', '.join(sbs['file_only'])}"
               if sbs["file_only"] else "")) if x) + ".")
        P("")
    return md


def cmd_summary(args: argparse.Namespace) -> int:
    out = Path(args.out)
    anchors = Path(args.anchors)
    rows = read_results(out / "results.csv")
    if not rows:
        sys.exit(f"ucr_report: no results in {out / 'results.csv'}; run `ucr_report.py run` first")
    config = select_config(rows, out, args.config)
    latest = [r for r in latest_rows(rows).values() if r["config"] == config]
    meta = {}
    if (out / "run.json").exists():
        meta = json.loads((out / "run.json").read_text())

    # per dataset: mean over the seeds that finished
    by_ds: dict[str, list[dict]] = {}
    failures = []
    for r in latest:
        if r["status"] == "ok":
            by_ds.setdefault(r["dataset"], []).append(r)
        else:
            failures.append(r)
    failed_names = sorted({r["dataset"] for r in failures} - set(by_ds))
    per = {}
    for name, rs in sorted(by_ds.items(), key=lambda kv: kv[0].lower()):
        g = lambda k: [float(r[k]) for r in rs]
        first = rs[0]
        per[name] = {
            "seeds": len(rs), "acc": mean(g("accuracy")), "acc_std": sample_std(g("accuracy")),
            "fit_s": mean(g("fit_s")), "predict_s": mean(g("predict_total_s")),
            "total_s": mean(g("total_s")), "load_s": mean(g("load_s")),
            "peak_mb": max(g("peak_memory_mb")),
            "n_train": int(first["n_train"]), "n_test": int(first["n_test"]),
            "length": (first["max_length"] if first["min_length"] == first["max_length"]
                       else f"{first['min_length']}–{first['max_length']}"),
            "classes": int(first["n_classes"]), "threads": first["threads"],
        }
        if all(r.get("ece") not in (None, "") for r in rs):
            for k in ("log_loss", "ece", "log_loss_softmax", "ece_softmax"):
                per[name][k] = mean(g(k))
    seeds_used = sorted({int(r["seed"]) for r in latest if r["status"] == "ok"})
    ours = {n: p["acc"] for n, p in per.items()}

    tables = load_tables(anchors)
    mapped = {}  # table key -> {our name: value}
    renamed = []
    for t in tables:
        m = {}
        for n in per:
            tn = t.lookup(n)
            if tn is not None:
                m[n] = t.acc[tn]
                if tn != n:
                    renamed.append(f"{n} -> {tn}")
        mapped[t.key] = m
    rocket = tables[0]
    rocket_acc = mapped["rocket"]
    cmp = {t.key: compare(ours, mapped[t.key]) for t in tables}

    # ---- time vs ROCKET's published times
    rt_names = [n for n in per if rocket.lookup(n) is not None]
    our_total = sum(per[n]["total_s"] for n in rt_names)
    our_fit = sum(per[n]["fit_s"] for n in rt_names)
    our_pred = sum(per[n]["predict_s"] for n in rt_names)
    roc_train = sum(rocket.train_time[rocket.lookup(n)] for n in rt_names)
    roc_test = sum(rocket.test_time[rocket.lookup(n)] for n in rt_names)

    # ---- time vs the reference code measured on a 2-core machine like ours
    measured = load_measured(anchors)
    meas = {}  # method -> {dataset: (total_s, acc)}
    for r in measured:
        if r["method"] not in ("rocket", "minirocket", "rdst") or r["dataset"] not in per:
            continue
        if str(r["threads"]) != str(per[r["dataset"]]["threads"]):
            continue
        tot = sum(float(r[k]) for k in ("t_fit_transform_s", "t_test_transform_s", "t_ridge_s",
                                        "t_predict_s"))
        meas.setdefault(r["method"], {})[r["dataset"]] = (tot, float(r["accuracy"]),
                                                          float(r["peak_rss_mb"]))

    # ---- accuracy vs the reference code run side by side (None: file absent)
    sbs_rows = load_side_by_side(anchors)
    sbs = side_by_side(ours, sbs_rows) if sbs_rows is not None else None

    md = []
    P = md.append
    P("# strider on the UCR archive")
    P("")
    n_ok = len(per)
    P(f"{n_ok} datasets from `{meta.get('root', 'the dataset root')}`"
      + (f", {len(failed_names)} failed ({', '.join(failed_names)})" if failed_names else "")
      + f"; seeds {', '.join(map(str, seeds_used))}"
      + (" (accuracy = mean over seeds, ± sample standard deviation)" if len(seeds_used) > 1 else "")
      + ". Fit on TRAIN, accuracy on TEST (the archive's original split).")
    P("")
    P(f"- Settings: `strider evaluate --dataset DIR/NAME --json --seed S {config} --quiet` "
      "(library defaults otherwise).")
    if meta:
        mi = meta.get("machine", {})
        mem = mi.get("memory_gib")
        P(f"- Machine: {mi.get('cpu', '?')}, {mi.get('cores', '?')} cores"
          + (f", {mem:.0f} GiB" if mem else "") + f", {mi.get('os', '')}; `strider --version`: "
          f"{meta.get('strider_version') or '(unknown)'}; run {meta.get('started_at', '?')}"
          f" to {meta.get('finished_at', '?')}; load average "
          f"{meta.get('loadavg_start', ['?'])[0]:.2f} at start, "
          f"{meta.get('loadavg_end', ['?'])[0]:.2f} at the end (other jobs share the machine).")
    P("")
    P("## Headline")
    P("")
    c = cmp["rocket"]
    P(f"- Mean accuracy over the {c['n']} datasets ROCKET's table covers: **strider "
      f"{f4(c['ours'])}**, ROCKET {f4(c['theirs'])} (difference {c['ours'] - c['theirs']:+.4f}).")
    P(f"- Against ROCKET (original split): **{c['wins']} wins, {c['ties']} ties, "
      f"{c['losses']} losses**; mean rank strider {c['rank_ours']:.3f}, ROCKET "
      f"{c['rank_theirs']:.3f} (two-sided sign test p = {c['p_sign']:.3g}).")
    P(f"- Total time (fit + predict, {len(rt_names)} datasets): **strider {secs(our_total)} s** "
      f"(fit {secs(our_fit)} s, predict {secs(our_pred)} s), ROCKET's published "
      f"{secs(roc_train + roc_test)} s (train {secs(roc_train)} s, test {secs(roc_test)} s): "
      f"{(roc_train + roc_test) / our_total:.1f}x less time" if our_total > 0 else "")
    if sbs is not None and sbs["n"] > 0:
        c = sbs["cmp"]["best"]
        P(f"- Against the reference code of MiniRocket, MultiRocket and Hydra+MultiRocket "
          f"(original split, {c['n']} datasets): **strider {f4(c['ours'])}**, the best of the "
          f"three per dataset {f4(c['theirs'])} (difference {c['ours'] - c['theirs']:+.4f}); "
          f"wins / ties / losses against it **{c['wins']} / {c['ties']} / {c['losses']}**; "
          f"more than {GAP_LIST:g} below it on {len(sbs['listed'])} datasets.")
    P("")
    md.extend(side_by_side_lines(sbs, per, seeds_used, anchors))
    P("## Accuracy against the published results")
    P("")
    P(f"Tie: the two accuracies differ by less than {TIE_TOLERANCE:g}. Mean rank: 1 for the "
      "better of the two on a dataset, 2 for the worse, 1.5 each on a tie. Only datasets "
      "both cover count. ROCKET's figures are on the archive's original train/test split "
      "(mean of 10 runs), as ours. **The other four are means over 30 random resamples of "
      "train+test**, not the original split: they are indicative (resample means differ from "
      "original-split results by a few points on some datasets).")
    P("")
    P("| method | published table | split | datasets | strider | method | difference "
      "| wins / ties / losses | mean rank strider / method | sign test p |")
    P("|---|---|---|---:|---:|---:|---:|---|---|---:|")
    for t in tables:
        c = cmp[t.key]
        if c["n"] == 0:
            P(f"| {t.label} | `{t.file}` | {t.split} | 0 | – | – | – | – | – | – |")
            continue
        P(f"| {t.label} | `{t.file}` | {t.split} | {c['n']} | {f4(c['ours'])} | "
          f"{f4(c['theirs'])} | {c['ours'] - c['theirs']:+.4f} | {c['wins']} / {c['ties']} / "
          f"{c['losses']} | {c['rank_ours']:.3f} / {c['rank_theirs']:.3f} | {c['p_sign']:.3g} |")
    P("")
    methods = {"strider": ours}
    methods.update({t.label: mapped[t.key] for t in tables})
    common, ranks = joint_ranks(methods)
    if common:
        P(f"Mean rank among all six over the {len(common)} datasets every table covers "
          "(1 = best; ROCKET original split, the others resample means):")
        P("")
        P("| method | mean accuracy | mean rank |")
        P("|---|---:|---:|")
        for k in sorted(ranks, key=lambda k: ranks[k]):
            P(f"| {k} | {f4(mean(methods[k][d] for d in common))} | {ranks[k]:.2f} |")
        P("")
    uncovered = [n for n in per if all(mapped[t.key].get(n) is None for t in tables[1:])]
    if uncovered:
        P(f"Not in the four resample tables ({len(uncovered)}): {', '.join(uncovered)}.")
        P("")
    if renamed:
        P("Names matched under another spelling: " + "; ".join(sorted(set(renamed))) + ".")
        P("")
    P(f"![strider vs ROCKET accuracy per dataset]({PICTURE}.svg)")
    P("")
    P("## Time")
    P("")
    P(f"strider: wall-clock seconds of `fit` (transform of TRAIN, scaler, ridge with "
      "leave-one-out over the alphas) plus `predict` (transform of TEST, scaler, ridge), "
      f"measured by the CLI with {', '.join(sorted({p['threads'] for p in per.values()}))} "
      "thread(s); loading the files is excluded "
      f"({secs(sum(p['load_s'] for p in per.values()))} s in total).")
    P("")
    P(f"- Against ROCKET's published train + test times on the {len(rt_names)} datasets "
      f"both cover: strider {secs(our_total)} s, ROCKET {secs(roc_train + roc_test)} s "
      f"(ratio {(roc_train + roc_test) / our_total:.1f}x). The hardware differs: ROCKET's "
      "table was measured by its authors on their machine, not this one, so this ratio mixes "
      "code and hardware." if our_total > 0 else "- (no time)")
    if meas:
        P("- The fairer comparison: the reference Python code measured on a 2-core machine "
          "like ours (`anchors/measured/anchors_2core.csv`, 10,000 kernels, same thread count, "
          "transform of train and test + scaler + ridge + predict):")
        P("")
        P("| method (reference code) | datasets | its total s | strider total s | "
          "strider is faster by | its mean acc | strider mean acc |")
        P("|---|---:|---:|---:|---:|---:|---:|")
        for m, label in (("rocket", "ROCKET"), ("minirocket", "MiniRocket"), ("rdst", "RDST")):
            if m not in meas:
                continue
            ds = sorted(meas[m])
            theirs_t = sum(meas[m][d][0] for d in ds)
            ours_t = sum(per[d]["total_s"] for d in ds)
            P(f"| {label} | {len(ds)} | {secs(theirs_t)} | {secs(ours_t)} | "
              f"{theirs_t / ours_t:.1f}x | {f4(mean(meas[m][d][1] for d in ds))} | "
              f"{f4(mean(per[d]['acc'] for d in ds))} |")
        P("")
        if "rocket" in meas:
            P("Per dataset (ROCKET reference code, same machine type):")
            P("")
            P("| dataset | ROCKET s | strider s | speed-up | ROCKET peak MB | strider peak MB |")
            P("|---|---:|---:|---:|---:|---:|")
            for d in sorted(meas["rocket"], key=str.lower):
                rt, _, rm = meas["rocket"][d]
                P(f"| {d} | {secs(rt)} | {secs(per[d]['total_s'])} | "
                  f"{rt / per[d]['total_s']:.1f}x | {rm:.0f} | {per[d]['peak_mb']:.0f} |")
            P("")
            P("(The reference code's peak includes about 240 MB of Python interpreter and "
              "libraries.)")
            P("")
    proba = [n for n in per if "ece" in per[n]]
    if proba:
        P("## Probabilities")
        P("")
        P("`predict_proba` (calibrated on the leave-one-out decision values at fit) against a "
          "plain softmax of the same decision values, on the test sets; expected calibration "
          "error with 15 equal-width bins of the top probability; per dataset the mean over "
          "the seeds. Lower is better for both; the predictions, and so the accuracy, are "
          "the same.")
        P("")
        P("| measure | calibrated | plain softmax | datasets better / worse |")
        P("|---|---:|---:|---|")
        for k, label in (("log_loss", "log-loss"), ("ece", "expected calibration error")):
            better = sum(per[n][k] < per[n][k + "_softmax"] - 1e-12 for n in proba)
            worse = sum(per[n][k] > per[n][k + "_softmax"] + 1e-12 for n in proba)
            P(f"| {label} | {f4(mean(per[n][k] for n in proba))} | "
              f"{f4(mean(per[n][k + '_softmax'] for n in proba))} | {better} / {worse} |")
        P("")
        worse = sorted((n for n in proba if per[n]["ece"] > per[n]["ece_softmax"] + 1e-12),
                       key=lambda n: per[n]["ece_softmax"] - per[n]["ece"])
        if worse:
            P("Where the calibrated error is higher: " + ", ".join(
                f"{n} ({f4(per[n]['ece'])} vs {f4(per[n]['ece_softmax'])})" for n in worse) + ".")
            P("")
    P("## Per dataset")
    P("")
    P("Accuracy on TEST; published accuracies as in the tables above (ROCKET original split, "
      "the others resample means); Δ = strider − ROCKET. Times in seconds; peak = the "
      "process's peak resident memory.")
    P("")
    P("| dataset | train | test | length | classes | strider | ROCKET | Δ | MiniRocket | RDST "
      "| MultiRocket | Hydra+MR | fit s | predict s | peak MB |")
    P("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, p in per.items():
        acc = acc_pm(p)
        ra = rocket_acc.get(n)
        delta = f"{p['acc'] - ra:+.4f}" if ra is not None else "–"
        P(f"| {n} | {p['n_train']} | {p['n_test']} | {p['length']} | {p['classes']} | {acc} | "
          f"{f4(ra)} | {delta} | " + " | ".join(f4(mapped[k].get(n)) for k in
                                               ("minirocket", "rdst", "multirocket", "hydra_mr"))
          + f" | {secs(p['fit_s'])} | {secs(p['predict_s'])} | {p['peak_mb']:.0f} |")
    P("")
    if failures:
        P("## Failures")
        P("")
        P("| dataset | seed | status | message |")
        P("|---|---:|---|---|")
        for r in sorted(failures, key=lambda r: (r["dataset"].lower(), int(r["seed"]))):
            P(f"| {r['dataset']} | {r['seed']} | {r['status']} | "
              f"{r['message'].replace('|', '/')} |")
        P("")
    P("## Reproduce")
    P("")
    P("```sh")
    P("cmake --preset release && cmake --build --preset release -j2")
    P(meta.get("reproduce", "/usr/bin/python3 bench/ucr_report.py run"))
    P("```")
    P("")
    text = "\n".join(md).rstrip("\n") + "\n"
    (out / "summary.md").write_text(text)

    picture_ok = False
    if not args.no_picture:
        pts = [(rocket_acc[n], ours[n], n) for n in per if n in rocket_acc]
        picture_ok = draw(pts, out / PICTURE, cmp["rocket"])
    if args.docs:
        docs = Path(args.docs)
        docs.mkdir(parents=True, exist_ok=True)
        (docs / "ucr_report.md").write_text(text)
        if picture_ok:
            (docs / f"{PICTURE}.svg").write_bytes((out / f"{PICTURE}.svg").read_bytes())
    # the headline on stdout
    c = cmp["rocket"]
    print(f"strider mean accuracy {f4(c['ours'])} vs ROCKET {f4(c['theirs'])} over {c['n']} "
          f"datasets; wins/ties/losses {c['wins']}/{c['ties']}/{c['losses']}; total time "
          f"{secs(our_total)} s vs ROCKET published {secs(roc_train + roc_test)} s")
    if sbs is not None and sbs["n"] > 0:
        c = sbs["cmp"]["best"]
        print(f"strider mean accuracy {f4(c['ours'])} vs the best of MiniRocket, MultiRocket and "
              f"Hydra+MultiRocket per dataset {f4(c['theirs'])} over {c['n']} datasets (run side "
              f"by side); wins/ties/losses {c['wins']}/{c['ties']}/{c['losses']}")
    print(f"summary: {out / 'summary.md'}" + (f", picture: {out / PICTURE}.svg/.png"
                                              if picture_ok else ""))
    return 0


def draw(points, base: Path, c: dict) -> bool:
    """Scatter of strider's accuracy (y) against ROCKET's (x), one point per dataset, with
    the diagonal. Writes base.svg and base.png; False (with a warning) without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        print(f"ucr_report: no picture ({e})", file=sys.stderr)
        return False
    if not points:
        return False
    matplotlib.rcParams["svg.hashsalt"] = "strider"  # reproducible SVG ids
    fig, ax = plt.subplots(figsize=(6.4, 6.4))
    lo = min(min(x, y) for x, y, _ in points)
    lo = max(0.0, math.floor(lo * 20) / 20 - 0.02)
    ax.plot([lo, 1.0], [lo, 1.0], color="0.5", lw=1, zorder=1)
    col = ["tab:green" if y - x >= TIE_TOLERANCE else
           "tab:red" if x - y >= TIE_TOLERANCE else "0.3" for x, y, _ in points]
    ax.scatter([p[0] for p in points], [p[1] for p in points], s=22, c=col, zorder=2,
               edgecolors="white", linewidths=0.4)
    for x, y, n in points:
        if abs(y - x) >= 0.03:
            ax.annotate(n, (x, y), fontsize=7, xytext=(4, -3), textcoords="offset points")
    ax.set_xlim(lo, 1.01)
    ax.set_ylim(lo, 1.01)
    ax.set_aspect("equal")
    ax.set_xlabel("ROCKET accuracy (published, original split, mean of 10 runs)")
    ax.set_ylabel("strider accuracy (original split)")
    ax.set_title(f"{c['n']} UCR datasets: strider {c['ours']:.4f} vs ROCKET {c['theirs']:.4f}\n"
                 f"wins / ties / losses {c['wins']} / {c['ties']} / {c['losses']}", fontsize=10)
    ax.text(0.03, 0.97, "strider better", transform=ax.transAxes, va="top", color="tab:green")
    ax.text(0.97, 0.03, "ROCKET better", transform=ax.transAxes, ha="right", color="tab:red")
    ax.grid(True, lw=0.3, color="0.85")
    fig.tight_layout()
    fig.savefig(f"{base}.svg", metadata={"Date": None})
    fig.savefig(f"{base}.png", dpi=120)
    plt.close(fig)
    return True


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run strider on every dataset, then write the summary")
    r.add_argument("--root", default=str(DEFAULT_ROOT),
                   help="UCR-layout folder, one sub-folder per dataset (default: %(default)s)")
    r.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default: %(default)s)")
    r.add_argument("--strider", default=str(DEFAULT_STRIDER),
                   help="the strider executable (default: %(default)s)")
    r.add_argument("--seeds", default="0", help="comma-separated seeds (default: 0)")
    r.add_argument("--threads", type=int, default=2, help="threads per run (default: 2)")
    r.add_argument("--datasets", help="comma-separated subset of dataset names")
    r.add_argument("--exclude", help="comma-separated dataset names to skip")
    r.add_argument("--timeout", type=float, default=3600.0,
                   help="seconds before a dataset's run is killed (default: 3600)")
    r.add_argument("--no-nan-interpolate", dest="nan_interpolate", action="store_false",
                   help="do not pass `--nan interpolate` (then datasets with missing values, "
                        "DodgerLoop*, fail; the option changes nothing on the others)")
    r.add_argument("--no-summary", action="store_true", help="do not write the summary")
    r.add_argument("--anchors", default=str(DEFAULT_ANCHORS),
                   help="folder with published/ and measured/ (default: %(default)s)")
    r.add_argument("extra", nargs=argparse.REMAINDER,
                   help="after `--`: extra options for `strider evaluate` (e.g. -- --kernels 5000)")
    s = sub.add_parser("summary", help="write summary.md and the picture from results.csv")
    s.add_argument("--out", default=str(DEFAULT_OUT), help="results folder (default: %(default)s)")
    s.add_argument("--anchors", default=str(DEFAULT_ANCHORS),
                   help="folder with published/ and measured/ (default: %(default)s)")
    s.add_argument("--config", help="which settings to summarise when results.csv holds several")
    s.add_argument("--docs", help="also write DIR/ucr_report.md and DIR/ucr_accuracy_vs_rocket.svg")
    s.add_argument("--no-picture", action="store_true", help="skip the picture")
    args = p.parse_args(argv)
    return cmd_run(args) if args.command == "run" else cmd_summary(args)


if __name__ == "__main__":
    sys.exit(main())
