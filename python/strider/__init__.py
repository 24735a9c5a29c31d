"""strider: time-series classification and regression with random dilated kernels.

The C++ library's estimators behind scikit-learn's API:

- ``KernelClassifier``: random dilated kernel features, standardised, then a ridge
  classifier whose regularisation is chosen by exact leave-one-out cross-validation;
- ``KernelRegressor``: the same features with a ridge regression;
- ``DilatedKernelTransform``: the features alone (N x 3K: per kernel the minimum of its
  distance profile, the fraction of increasing steps and the argmin; N x 4K with
  ``add_occurrences``, which adds the fraction of occurrences).

Input is a numpy array ``(n_cases, n_timepoints)`` or ``(n_cases, n_channels,
n_timepoints)``, float32 or float64 in any memory order, or a list of 1-D ``(n_timepoints,)``
or 2-D ``(n_channels, n_timepoints)`` arrays of any lengths. Models pickle through their
model-file bytes, and ``save`` / ``load`` read and write the files of the ``strider``
command line.
"""

from ._strider import FormatError, MemoryLimitError, __version__
from . import datasets
from ._estimators import DilatedKernelTransform, KernelClassifier, KernelRegressor

__all__ = [
    "DilatedKernelTransform",
    "FormatError",
    "KernelClassifier",
    "KernelRegressor",
    "MemoryLimitError",
    "datasets",
    "__version__",
]
