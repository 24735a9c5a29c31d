import numpy as np
import pytest


def make_series(n_per_class=20, length=60, seed=0, labels=("a", "b", "c")):
    """Noisy series whose class places a bump: bump k starts at k * length / 4."""
    rng = np.random.default_rng(seed)
    X, y = [], []
    for k, label in enumerate(labels):
        for _ in range(n_per_class):
            s = rng.normal(scale=0.5, size=length)
            start = (k + 1) * length // (len(labels) + 2)
            s[start:start + length // 8] += 3.0
            X.append(s)
            y.append(label)
    return np.asarray(X), np.asarray(y)


@pytest.fixture
def series():
    return make_series()
