"""scikit-learn estimators around the C++ classes of ``strider._strider``.

The parameters, their defaults and their help come from the C++ parameter tables: each
class's ``__init__`` signature is generated from them, so that a parameter added in C++
appears here, in ``get_params`` and in the docstring without a change to this file.
"""

import inspect
import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_consistent_length, check_is_fitted
from sklearn.utils.validation import column_or_1d

from . import _strider


def _generated_init(kind):
    """An ``__init__`` whose keyword parameters are the C++ defaults of ``kind``."""
    defaults = _strider.default_params(kind)

    def __init__(self, **params):
        unknown = sorted(set(params) - set(defaults))
        if unknown:
            raise TypeError(
                f"{type(self).__name__}.__init__() got unexpected keyword argument(s) "
                + ", ".join(repr(name) for name in unknown)
            )
        for name, default in defaults.items():
            setattr(self, name, params.get(name, default))

    self_param = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    __init__.__signature__ = inspect.Signature(
        [self_param]
        + [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=value)
            for name, value in defaults.items()
        ]
    )
    return __init__


def _parameters_doc(kind):
    defaults = _strider.default_params(kind)
    helps = _strider.params_help(kind)
    lines = ["Parameters", "----------"]
    for name, value in defaults.items():
        lines.append(f"{name} : default={value!r}")
        lines.append(f"    {helps[name]}.")
    lines.append("random_state : int, RandomState instance or None")
    lines.append("    An int is the seed as is (the command line's --seed); None or a")
    lines.append("    RandomState draw a seed at each fit.")
    return "\n".join(lines)


def _is_ragged_list(X):
    """True for a list or tuple of series (1-D or 2-D arrays) of unequal shapes, which no
    array can hold; an equal-shape list is read as the array it makes."""
    if not isinstance(X, (list, tuple)) or len(X) == 0:
        return False
    shapes = {np.shape(s) for s in X}
    return len(shapes) > 1 and all(len(shape) in (1, 2) for shape in shapes)


class _StriderEstimator(BaseEstimator):
    """The parts the three estimators share: parameters, input, pickling, model files."""

    _kind = None  # the C++ class name

    # ---- parameters -----------------------------------------------------------------
    def _cpp_params(self):
        params = self.get_params(deep=False)
        seed = params["random_state"]
        if seed is None or isinstance(seed, np.random.RandomState):
            seed = int(check_random_state(seed).randint(0, 2**63 - 1, dtype=np.int64))
        elif isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
            raise ValueError(
                f"parameter random_state={seed!r}: expected an int >= 0, "
                "a RandomState instance or None"
            )
        params["random_state"] = seed
        return params

    def _new_cpp(self):
        return getattr(_strider, self._kind)(self._cpp_params())

    def _fitted_cpp(self):
        check_is_fitted(self, "_cpp")
        n_jobs = 1 if self.n_jobs is None else self.n_jobs
        self._cpp.set_n_jobs(int(n_jobs))
        return self._cpp

    # ---- input ----------------------------------------------------------------------
    def _input(self, X, reset=False):
        """What the C++ side reads: the checked array, or a list of C-contiguous 2-D
        float64 series. With reset (fit), returns (that, what _remember_input() records
        once the fit succeeded); otherwise X is checked against the fitted shape."""
        if _is_ragged_list(X):
            series = []
            for i, s in enumerate(X):
                if np.iscomplexobj(s):
                    raise ValueError(f"series {i}: complex values are not supported")
                a = np.asarray(s, dtype=np.float64)
                series.append(np.ascontiguousarray(a.reshape(1, -1) if a.ndim == 1 else a))
            shape, n_channels, payload = None, series[0].shape[0], series
        else:
            if not reset:
                self._check_feature_names(X, reset=False)
            payload = check_array(
                X,
                dtype=(np.float64, np.float32),
                order=None,
                allow_nd=True,
                force_all_finite=self.nan_policy == "raise",
                estimator=self,
            )
            if payload.ndim > 3:
                raise ValueError(
                    f"X has {payload.ndim} dimensions; expected 2 (cases, timepoints) "
                    "or 3 (cases, channels, timepoints)"
                )
            n_channels = 1 if payload.ndim == 2 else payload.shape[1]
            shape = (n_channels, payload.shape[-1])
        if reset:
            shortest = min(a.shape[-1] for a in payload) if shape is None else shape[-1]
            kernel = min(self.lengths) if len(self.lengths) else 0
            if 0 < shortest < kernel:
                raise ValueError(
                    f"X has {shortest} feature(s) (time points) in its shortest series; "
                    f"the shortest kernel length is {kernel} (lengths={tuple(self.lengths)}): "
                    "series must be at least that long to fit"
                )
            n_features = None if shape is None else np.shape(payload)[1]
            return payload, (X if shape is not None else None, shape, n_features, n_channels)
        elif shape is not None and self._fit_shape is not None and shape != self._fit_shape:
            (c, t), (fc, ft) = shape, self._fit_shape
            name = type(self).__name__
            if payload.ndim == 2 and fc == 1:
                problem = f"X has {t} features, but {name} is expecting {ft} features as input"
            else:
                problem = (
                    f"X has {c} channel(s) of length {t}, but {name} was fitted on "
                    f"{fc} channel(s) of length {ft}"
                )
            raise ValueError(
                problem + " (an array must have the shape it was fitted on; a list of "
                "series may have other lengths)"
            )
        return payload

    def _require_y(self, y):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None"
            )

    def _remember_input(self, pending):
        """Records the fitted input's shape, once the C++ fit succeeded (an interrupted or
        failed fit leaves the estimator as it was)."""
        X, shape, n_features, n_channels = pending
        if X is not None:
            self._check_feature_names(X, reset=True)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        self.n_features_in_ = n_channels if n_features is None else n_features
        self.n_channels_ = n_channels
        self._fit_shape = shape

    def _more_tags(self):
        return {"allow_nan": self.nan_policy == "interpolate", "X_types": ["2darray", "3darray"]}

    # ---- pickling and model files ---------------------------------------------------
    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: Python may return __dict__ itself
        cpp = state.pop("_cpp", None)
        if cpp is not None:
            state["_model_bytes"] = cpp.to_bytes()
        return state

    def __setstate__(self, state):
        model = state.pop("_model_bytes", None)
        if model is not None:
            state["_cpp"] = getattr(_strider, self._kind).from_bytes(model)
        super().__setstate__(state)

    def save(self, path):
        """Writes the fitted model to ``path``, the file the command line reads (JSON when
        the name ends in .json, binary otherwise). Atomic: an interrupted save leaves no
        half-written file."""
        self._fitted_cpp().save(str(path))

    @classmethod
    def load(cls, path):
        """Reads a model file written by ``save`` or by the command line. The estimator's
        parameters are the file's; ``n_jobs`` is 1. Class labels come back as strings
        (the file stores text); a loaded model accepts series of any length."""
        cpp = getattr(_strider, cls._kind).load(str(path))
        params = cpp.params()
        params["n_jobs"] = 1
        est = cls(**params)
        est._cpp = cpp
        est._fit_shape = None
        est.n_channels_ = cpp.n_channels()
        est.n_features_in_ = est.n_channels_
        est._set_loaded_attributes()
        return est

    def _set_loaded_attributes(self):
        pass


class _PipelineMixin:
    """Fitted attributes of the classifier and the regressor."""

    def _set_pipeline_attributes(self):
        self.alpha_ = self._cpp.alpha()
        self.normalize_input_ = self._cpp.normalize_input()
        self.n_kernel_features_ = self._cpp.n_features()

    def features(self, X):
        """The features the ridge sees (standardised, times feature_weights):
        n_cases x 3K (4K with ``add_occurrences``, the classifier's default), float32 when
        ``float32`` is set (the classifier's default)."""
        cpp = self._fitted_cpp()
        return cpp.features(self._input(X))


class KernelClassifier(_PipelineMixin, ClassifierMixin, _StriderEstimator):
    _kind = "KernelClassifier"
    __init__ = _generated_init("KernelClassifier")

    def _more_tags(self):
        return {
            **super()._more_tags(),
            "_xfail_checks": {
                "check_class_weight_classifiers": "class_weight is none, balanced or "
                "choose; per-class weights given as a dict are not supported",
            },
        }

    def fit(self, X, y):
        """Fits on X (see the package docs for its forms) and labels y of any type numpy
        holds; ``classes_`` are the sorted distinct labels, given back by ``predict``."""
        cpp = self._new_cpp()  # checks the parameters first
        payload, pending = self._input(X, reset=True)
        self._require_y(y)
        y = column_or_1d(y, warn=True)
        check_consistent_length(np.empty(len(payload)), y)
        check_classification_targets(y)
        classes, codes = np.unique(y, return_inverse=True)
        texts = [str(c) for c in classes]
        if len(set(texts)) != len(texts):  # labels whose text is not unique: use codes
            texts = [str(i) for i in range(len(classes))]
        cpp.fit(payload, [texts[i] for i in codes])
        self._remember_input(pending)
        self._install(cpp, classes, texts)
        return self

    def _install(self, cpp, classes, texts):
        index = {t: i for i, t in enumerate(texts)}
        self._cpp = cpp
        self.classes_ = classes
        self._text_index = index
        # column j of the C++ scores is class classes_[self._columns[j]]
        self._columns = np.array([index[t] for t in cpp.classes()], dtype=np.intp)
        self._set_pipeline_attributes()
        self.representation_ = cpp.representation()
        self.features_used_ = cpp.features_used()

    def _set_loaded_attributes(self):
        classes = np.unique(self._cpp.classes())  # sorted, as scikit-learn's classes_
        self._install(self._cpp, classes, [str(c) for c in classes])

    def predict(self, X):
        """The predicted labels, of classes_'s type."""
        cpp = self._fitted_cpp()
        texts = cpp.predict(self._input(X))
        index = self._text_index
        return self.classes_[np.fromiter((index[t] for t in texts), np.intp, len(texts))]

    def decision_function(self, X):
        """Ridge scores: n_cases x n_classes in classes_ order, or n_cases for two classes
        (positive means classes_[1])."""
        cpp = self._fitted_cpp()
        scores = cpp.decision_function(self._input(X))
        if len(self.classes_) == 2:
            scores = scores[:, 0]
            return scores if self._columns[1] == 1 else -scores
        out = np.empty_like(scores)
        out[:, self._columns] = scores
        return out

    def predict_proba(self, X):
        """Class probabilities (columns in classes_ order): the ridge scores through a
        softmax calibrated on their exact leave-one-out values at fit."""
        cpp = self._fitted_cpp()
        proba = cpp.predict_proba(self._input(X))
        out = np.empty_like(proba)
        out[:, self._columns] = proba
        return out

    def predict_log_proba(self, X):
        """The log of predict_proba."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))


class KernelRegressor(_PipelineMixin, RegressorMixin, _StriderEstimator):
    _kind = "KernelRegressor"
    __init__ = _generated_init("KernelRegressor")

    def fit(self, X, y):
        """Fits on X and numeric targets y: n_cases values, or n_cases x n_targets."""
        cpp = self._new_cpp()  # checks the parameters first
        payload, pending = self._input(X, reset=True)
        self._require_y(y)
        y = check_array(y, ensure_2d=False, dtype=np.float64, estimator=self, input_name="y")
        check_consistent_length(np.empty(len(payload)), y)
        if y.ndim > 2:
            raise ValueError(f"y has {y.ndim} dimensions; expected 1 or 2")
        cpp.fit(payload, y.reshape(len(y), -1))
        self._remember_input(pending)
        self._y_1d = y.ndim == 1
        self._cpp = cpp
        self._set_pipeline_attributes()
        return self

    def _set_loaded_attributes(self):
        self._y_1d = self._cpp.n_targets() == 1
        self._set_pipeline_attributes()

    def predict(self, X):
        """Predicted targets: n_cases values (n_cases x n_targets for 2-D targets)."""
        cpp = self._fitted_cpp()
        out = cpp.predict(self._input(X))
        return out[:, 0] if self._y_1d else out

    def _more_tags(self):
        return {**super()._more_tags(), "multioutput": True}


class DilatedKernelTransform(TransformerMixin, _StriderEstimator):
    _kind = "DilatedKernelTransform"
    __init__ = _generated_init("DilatedKernelTransform")

    def fit(self, X, y=None):
        """Draws the kernels from X (y is ignored)."""
        cpp = self._new_cpp()  # checks the parameters first
        payload, pending = self._input(X, reset=True)
        cpp.fit(payload)
        self._remember_input(pending)
        self._cpp = cpp
        self.n_features_out_ = cpp.n_features()
        return self

    def _set_loaded_attributes(self):
        self.n_features_out_ = self._cpp.n_features()

    def transform(self, X):
        """n_cases x 3K float64 features: for kernel k, columns 3k (min of the distance
        profile), 3k + 1 (fraction of increasing steps) and 3k + 2 (argmin); with
        ``add_occurrences``, n_cases x 4K, columns 4k .. 4k + 2 the same and 4k + 3 the
        fraction of positions closer than the kernel's threshold."""
        cpp = self._fitted_cpp()
        return cpp.transform(self._input(X))


for _cls in (KernelClassifier, KernelRegressor, DilatedKernelTransform):
    _cls.__doc__ = (
        {
            "KernelClassifier": "Time-series classifier: random dilated kernel features, "
            "standardised, then a ridge classifier with alpha chosen by exact "
            "leave-one-out cross-validation.",
            "KernelRegressor": "Time-series regressor: the classifier's features with a "
            "ridge regression whose alpha is chosen by exact leave-one-out error.",
            "DilatedKernelTransform": "Random dilated kernel features: per kernel the "
            "minimum of its distance profile, the fraction of increasing steps and the "
            "argmin (and, with add_occurrences, the fraction of occurrences).",
        }[_cls.__name__]
        + "\n\n"
        + _parameters_doc(_cls._kind)
    )
del _cls
