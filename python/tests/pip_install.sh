#!/usr/bin/env bash
# `pip install .` as a user runs it, offline, into a fresh virtual environment that sees
# Debian's numpy and scikit-learn; then imports the installed package and fits a model.
# Usage: pip_install.sh SOURCE_DIR WORK_DIR PYTHON
# The source is copied first (tracked and new files; no build trees), so that pip's
# in-tree build leaves the checkout as it was.
set -euo pipefail
src=$1 work=$2 python=$3
rm -rf "$work"
mkdir -p "$work/src"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$src" && git ls-files -co --exclude-standard -z | xargs -0 -I{} cp --parents {} "$work/src/" 2>/dev/null || true)
else
  (cd "$src" && tar --exclude=./build --exclude='./build-*' -cf - .) | tar -xf - -C "$work/src"
fi
"$python" -m venv --system-site-packages "$work/venv"
"$work/venv/bin/pip" install --no-build-isolation --no-index --quiet "$work/src"
cd "$work"
"$work/venv/bin/python" - <<'PY'
import numpy as np
import strider

assert "/venv/" in strider.__file__, strider.__file__
rng = np.random.default_rng(0)
X = rng.normal(size=(40, 30))
y = np.repeat(["a", "b"], 20)
X[y == "b", 10:15] += 3.0
clf = strider.KernelClassifier(n_kernels=200).fit(X, y)
assert clf.score(X, y) == 1.0, clf.score(X, y)
print("installed", strider.__version__, "at", strider.__file__)
PY
