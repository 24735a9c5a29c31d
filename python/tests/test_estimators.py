"""The Python estimators: scikit-learn's conventions, input forms, labels, pickling,
model files, threads, Ctrl-C and the GIL."""

import pickle
import threading
import time
import _thread
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError, SkipTestWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.estimator_checks import check_estimator

import strider
from strider import DilatedKernelTransform, KernelClassifier, KernelRegressor

from conftest import make_series

SMALL = dict(n_kernels=300)


# ---- scikit-learn's own checks ---------------------------------------------------------

# scikit-learn's check data have 1 to 4 columns, which are time points here: kernels of
# length 2 let every check fit (the default lengths, 5 to 11, refuse such short series
# with an error that says so; a test below checks that error).
CHECKED = [
    KernelClassifier(n_kernels=200, lengths=(2,)),
    KernelRegressor(n_kernels=200, lengths=(2,)),
    DilatedKernelTransform(n_kernels=200, lengths=(2,)),
]
# The only check skipped, and why (the estimator's _xfail_checks tag says so too).
SKIPPED = {("KernelClassifier", "check_class_weight_classifiers")}


@pytest.mark.parametrize("estimator", CHECKED, ids=lambda e: type(e).__name__)
def test_check_estimator(estimator):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_estimator(estimator)
    skipped = {
        (type(estimator).__name__, name)
        for w in caught
        if issubclass(w.category, SkipTestWarning)
        for name in [str(w.message).split(" for ")[0].replace("Skipping ", "")]
    }
    assert skipped == {s for s in SKIPPED if s[0] == type(estimator).__name__}, [
        str(w.message) for w in caught if issubclass(w.category, SkipTestWarning)
    ]


def test_short_series_are_refused_with_the_kernel_length():
    X = np.random.default_rng(0).normal(size=(10, 3))
    with pytest.raises(ValueError, match=r"3 feature\(s\).*shortest kernel length is 5"):
        KernelClassifier(**SMALL).fit(X, [0, 1] * 5)


# ---- parameters ------------------------------------------------------------------------

def test_defaults_are_the_cpp_defaults():
    params = KernelClassifier().get_params()
    assert params["n_kernels"] == 10000
    assert params["lengths"] == (5, 7, 9, 11)
    assert params["class_weight"] == "choose"
    assert params["random_state"] == 0
    assert params["n_jobs"] == 1
    assert len(params["alphas"]) == 20
    assert KernelRegressor().get_params()["alphas"][-1] == pytest.approx(1e6)
    assert DilatedKernelTransform().get_params()["lengths"] == (7, 9, 11)
    assert "n_kernels" in KernelClassifier.__doc__


def test_unknown_and_invalid_parameters(series):
    X, y = series
    with pytest.raises(TypeError, match="n_kernel"):
        KernelClassifier(n_kernel=3)
    with pytest.raises(ValueError, match=r"parameter class_weight='heavy'.*none, balanced or choose"):
        KernelClassifier(class_weight="heavy").fit(X, y)
    with pytest.raises(ValueError, match="n_kernels"):
        KernelClassifier(n_kernels=0).fit(X, y)
    with pytest.raises(ValueError, match="parameter n_kernels=2.5: expected an integer"):
        KernelClassifier(n_kernels=2.5).fit(X, y)
    with pytest.raises(ValueError, match="random_state"):
        KernelClassifier(random_state="x").fit(X, y)


def test_set_params_reaches_the_fit(series):
    X, y = series
    clf = KernelClassifier(**SMALL).set_params(n_kernels=40, normalize_input=False,
                                               choose_normalization=False)
    clf.fit(X, y)
    assert clf.features(X).shape == (len(X), 160)  # 4 features per kernel by default
    assert clf.normalize_input_ is False
    assert clf.representation_ == "series+differences"  # choose_representation is off
    clf.set_params(choose_representation=True).fit(X, y)
    assert clf.representation_ in ("series+differences", "series", "differences")
    clf.set_params(add_differences=False).fit(X, y)
    assert clf.representation_ == "series"  # one representation: nothing to choose
    assert KernelClassifier().get_params()["choose_representation"] is False
    assert KernelClassifier().get_params()["choose_features"] is True
    assert clf.features_used_ == "all"  # 20 series per class: the choice is not tried
    clf.set_params(add_occurrences=False).fit(X, y)
    assert clf.features_used_ == "all"  # no occurrences: nothing to choose
    clf.set_params(choose_features=False)
    assert clf.get_params()["choose_features"] is False
    assert KernelClassifier().get_params()["p_shape"] == 0.0
    plain = clf.features(X)
    clf.set_params(p_shape=0.5).fit(X, y)  # half of the kernels compare z-normalised windows
    shaped = clf.features(X)
    assert shaped.shape == plain.shape == (len(X), 120)
    assert np.isfinite(shaped).all()
    assert not np.array_equal(shaped, plain)
    with pytest.raises(ValueError, match="p_shape"):
        KernelClassifier(p_shape=1.5).fit(X, y)


def test_random_state_int_is_the_seed_and_none_draws_one(series):
    X, y = series
    a = KernelClassifier(random_state=5, **SMALL).fit(X, y).decision_function(X)
    b = KernelClassifier(random_state=5, **SMALL).fit(X, y).decision_function(X)
    c = KernelClassifier(random_state=6, **SMALL).fit(X, y).decision_function(X)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    d = KernelClassifier(random_state=np.random.RandomState(1), **SMALL).fit(X, y)
    assert d.score(X, y) > 0.9


# ---- input forms -----------------------------------------------------------------------

def test_layouts_and_dtypes_give_the_same_features(series):
    X, y = series
    clf = KernelClassifier(**SMALL).fit(X, y)
    ref = clf.features(X)
    np.testing.assert_array_equal(clf.features(np.asfortranarray(X)), ref)
    np.testing.assert_array_equal(clf.features(X[:, None, :]), ref)
    np.testing.assert_array_equal(clf.features(list(X)), ref)
    strided = np.repeat(X, 2, axis=1)[:, ::2]
    np.testing.assert_array_equal(clf.features(strided), ref)
    X32 = X.astype(np.float32)
    np.testing.assert_array_equal(clf.features(X32), clf.features(X32.astype(np.float64)))
    np.testing.assert_array_equal(
        KernelClassifier(**SMALL).fit(X32, y).predict(X32),
        KernelClassifier(**SMALL).fit(X32.astype(np.float64), y).predict(X32))


def test_multivariate_and_unequal_lengths():
    X, y = make_series(length=80)
    rng = np.random.default_rng(1)
    X3 = np.stack([X, X[:, ::-1] + rng.normal(size=X.shape)], axis=1)  # (n, 2, 80)
    clf = KernelClassifier(**SMALL).fit(X3, y)
    assert clf.n_channels_ == 2 and clf.n_features_in_ == 2
    assert clf.score(X3, y) > 0.9
    with pytest.raises(ValueError, match=r"X has 1 channel\(s\) of length 80, but .* 2 channel"):
        clf.predict(X3[:, :1, :])
    # a list of series of different lengths: each series' features are its own
    ragged = [x[:, : 60 + (i % 20)] for i, x in enumerate(X3)]
    clf = KernelClassifier(**SMALL).fit(ragged, y)
    assert clf.n_features_in_ == 2
    rows = clf.features(ragged)
    np.testing.assert_array_equal(rows[3], clf.features([ragged[3]])[0])
    np.testing.assert_array_equal(rows[5], clf.features(ragged[5][None])[0])
    univariate = [x[: 50 + i] for i, x in enumerate(X)]
    assert KernelClassifier(**SMALL).fit(univariate, y).score(univariate, y) > 0.9
    with pytest.raises(ValueError, match="series 1 has 2 channels; series 0 has 1"):
        KernelClassifier(**SMALL).fit([X[0], X3[1]], y[:2])


def test_an_array_must_have_the_fitted_shape_a_list_need_not(series):
    X, y = series
    clf = KernelClassifier(**SMALL).fit(X, y)
    with pytest.raises(ValueError, match="X has 59 features, but KernelClassifier is expecting 60"):
        clf.predict(X[:, :-1])
    assert clf.predict([X[0][:-1], X[1]]).shape == (2,)


def test_missing_values(series):
    X, y = series
    Xn = X.copy()
    Xn[3, 10] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        KernelClassifier(**SMALL).fit(Xn, y)
    clf = KernelClassifier(nan_policy="interpolate", **SMALL).fit(Xn, y)
    Xi = Xn.copy()
    Xi[3, 10] = (X[3, 9] + X[3, 11]) / 2
    np.testing.assert_allclose(clf.features(Xn), clf.features(Xi))


# ---- labels ----------------------------------------------------------------------------

@pytest.mark.parametrize("labels", [
    np.array([3, 1, 2]), np.array(["cat", "dog", "emu"]), np.array([2.0, -1.0, 7.0]),
    np.array(["10", "9", "2"]), np.array([0, 0, 0], dtype=object),
])
def test_labels_come_back_as_given(labels):
    X, y = make_series(labels=["a", "b", "c"] if labels.dtype == object else list(labels))
    if labels.dtype == object:  # Python objects (strings held as objects)
        labels = np.array(["x", "yy", "zzz"], dtype=object)
        y = np.array([labels[["a", "b", "c"].index(v)] for v in y], dtype=object)
        assert y.dtype == object
    else:
        y = np.asarray(y, dtype=labels.dtype)
    clf = KernelClassifier(**SMALL).fit(X, y)
    np.testing.assert_array_equal(clf.classes_, np.unique(y))
    pred = clf.predict(X)
    assert pred.dtype == clf.classes_.dtype
    assert clf.score(X, y) > 0.9
    scores = clf.decision_function(X)
    proba = clf.predict_proba(X)
    np.testing.assert_array_equal(clf.classes_[scores.argmax(1)], pred)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(1)], pred)
    np.testing.assert_allclose(proba.sum(1), 1.0)


@pytest.mark.parametrize("labels", [["10", "9"], ["9", "10"], [1, 0]])
def test_two_classes_decision_sign_follows_classes(labels):
    X, y = make_series(labels=labels)
    clf = KernelClassifier(**SMALL).fit(X, np.asarray(y))
    scores = clf.decision_function(X)
    assert scores.ndim == 1
    np.testing.assert_array_equal(np.where(scores > 0, clf.classes_[1], clf.classes_[0]),
                                  clf.predict(X))
    assert clf.predict_proba(X).shape == (len(X), 2)


def test_one_class_is_refused(series):
    X, _ = series
    with pytest.raises(ValueError, match="only one class"):
        KernelClassifier(**SMALL).fit(X, ["a"] * len(X))


# ---- regressor and transform -----------------------------------------------------------

def test_regressor_one_and_two_targets(series):
    X, _ = series
    y = X[:, 10:20].sum(1)
    reg = KernelRegressor(**SMALL).fit(X, y)
    assert reg.predict(X).shape == (len(X),)
    assert reg.score(X, y) > 0.9
    Y = np.stack([y, -2 * y], axis=1)
    two = KernelRegressor(**SMALL).fit(X, Y)
    assert two.predict(X).shape == (len(X), 2)
    np.testing.assert_allclose(two.predict(X)[:, 0], reg.predict(X), rtol=1e-9, atol=1e-9)


def test_transform_matches_the_classifiers_unscaled_features(series):
    X, y = series
    t = DilatedKernelTransform(n_kernels=50, random_state=2).fit(X)
    F = t.transform(X)
    assert F.shape == (len(X), 150) and t.n_features_out_ == 150
    np.testing.assert_array_equal(F, DilatedKernelTransform(n_kernels=50, random_state=2)
                                  .fit_transform(X))
    assert ((F[:, 1::3] >= 0) & (F[:, 1::3] <= 1)).all()


# ---- composition -----------------------------------------------------------------------

def test_pipeline_and_grid_search(series):
    X, y = series
    pipe = Pipeline([("scale", FunctionTransformer(lambda a: a * 2.0)),
                     ("clf", KernelClassifier(**SMALL))])
    assert pipe.fit(X, y).score(X, y) > 0.9
    grid = GridSearchCV(KernelClassifier(n_kernels=100),
                        {"normalize_input": [True, False], "choose_normalization": [False]},
                        cv=3)
    grid.fit(X, y)
    assert set(grid.best_params_) == {"normalize_input", "choose_normalization"}
    assert grid.best_estimator_.n_kernels == 100
    assert clone(grid.best_estimator_).get_params() == grid.best_estimator_.get_params()


# ---- persistence -----------------------------------------------------------------------

@pytest.mark.parametrize("cls", [KernelClassifier, KernelRegressor, DilatedKernelTransform])
def test_pickle_and_model_files(cls, series, tmp_path):
    X, y = series
    est = cls(**SMALL)
    if cls is KernelRegressor:
        y = X[:, :5].sum(1)
    est.fit(X, y)
    out = est.transform if cls is DilatedKernelTransform else est.predict
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(
        (again.transform if cls is DilatedKernelTransform else again.predict)(X), out(X))
    for name in ("m.bin", "m.json"):
        est.save(tmp_path / name)
        loaded = cls.load(tmp_path / name)
        got = (loaded.transform if cls is DilatedKernelTransform else loaded.predict)(X)
        if cls is KernelClassifier:
            np.testing.assert_array_equal(got, out(X).astype(str))  # labels read as text
        else:
            np.testing.assert_array_equal(got, out(X))
        assert loaded.get_params()["n_kernels"] == 300


def test_corrupt_model_bytes_are_refused(series, tmp_path):
    X, y = series
    clf = KernelClassifier(**SMALL).fit(X, y)
    state = clf.__getstate__()
    data = bytearray(state["_model_bytes"])
    data[len(data) // 2] ^= 0xFF
    state["_model_bytes"] = bytes(data)
    with pytest.raises(strider.FormatError, match="checksum"):
        KernelClassifier().__setstate__(state)
    (tmp_path / "bad.bin").write_bytes(bytes(data[:100]))
    with pytest.raises(strider.FormatError, match="bad.bin"):
        KernelClassifier.load(tmp_path / "bad.bin")
    with pytest.raises(strider.FormatError, match="holds a KernelClassifier"):
        clf.save(tmp_path / "c.bin")
        KernelRegressor.load(tmp_path / "c.bin")


def test_not_fitted():
    with pytest.raises(NotFittedError):
        KernelClassifier().predict(np.zeros((2, 20)))
    with pytest.raises(NotFittedError):
        KernelClassifier().save("/nonexistent/never-written.bin")


# ---- threads, GIL, Ctrl-C --------------------------------------------------------------

def test_same_results_for_any_thread_count(series):
    X, y = series
    one = KernelClassifier(n_jobs=1, **SMALL).fit(X, y)
    two = KernelClassifier(n_jobs=2, **SMALL).fit(X, y)
    np.testing.assert_array_equal(one.decision_function(X), two.decision_function(X))
    two.set_params(n_jobs=3)
    np.testing.assert_array_equal(one.features(X), two.features(X))


def _long_problem():
    X, y = make_series(n_per_class=300, length=500)
    return X, y, KernelClassifier(n_kernels=20000, n_jobs=2)


def test_fit_releases_the_gil():
    X, y, clf = _long_problem()
    worker = threading.Thread(target=clf.fit, args=(X[::3], y[::3]))
    ticks = 0
    worker.start()
    while worker.is_alive():
        time.sleep(0.001)  # runs only while the fit has released the GIL
        ticks += 1
    worker.join()
    assert ticks > 10, "the main thread did not run during the fit"


def test_ctrl_c_stops_a_fit_and_keeps_the_previous_model(series):
    small_X, small_y = series
    X, y, clf = _long_problem()
    clf.set_params(n_kernels=300).fit(small_X, small_y)
    before = clf.decision_function(small_X)
    clf.set_params(n_kernels=20000)
    finished = False
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, y)
        finished = True
        time.sleep(60)  # reached only if the fit ended before the interrupt
    timer.join()
    assert not finished, "the fit ended before the interrupt: make the problem larger"
    # the interrupted fit left the estimator as it was
    assert clf.n_features_in_ == small_X.shape[1]
    np.testing.assert_array_equal(clf.decision_function(small_X), before)


# ---- state and concurrency ---------------------------------------------------------------

def test_a_failed_fit_changes_nothing(series):
    X, y = series
    clf = KernelClassifier(**SMALL)
    with pytest.raises(ValueError):
        clf.fit(X, ["a"] * len(X))
    assert not hasattr(clf, "n_features_in_") and not hasattr(clf, "classes_")
    assert len(pickle.dumps(clf)) < 2000  # no copy of X kept anywhere
    clf.fit(X, y)
    before = clf.decision_function(X)
    with pytest.raises(ValueError):
        clf.fit(X[:, :30], ["a"] * len(X))
    assert clf.n_features_in_ == X.shape[1]
    np.testing.assert_array_equal(clf.decision_function(X), before)


def test_parameters_are_checked_before_the_data():
    X = np.zeros((4, 3))
    with pytest.raises(ValueError, match="parameter lengths=5: expected a sequence"):
        KernelClassifier(lengths=5).fit(X, [0, 1, 0, 1])
    with pytest.raises(ValueError, match="parameter lengths=.*expected an integer"):
        KernelClassifier(lengths=("a",)).fit(X, [0, 1, 0, 1])


def test_any_64_bit_seed(series):
    X, y = series
    big = KernelClassifier(random_state=2**64 - 1, **SMALL).fit(X, y)
    assert big._cpp.params()["random_state"] == 2**64 - 1
    with pytest.raises(ValueError, match="random_state"):
        KernelClassifier(random_state=2**64, **SMALL).fit(X, y)
    with pytest.raises(ValueError, match="random_state"):
        KernelClassifier(random_state=-1, **SMALL).fit(X, y)


def test_loaded_classes_are_sorted_as_numpy_sorts_them(tmp_path):
    X, y = make_series(labels=["2", "9", "10"])
    clf = KernelClassifier(**SMALL).fit(X, np.asarray(y))
    clf.save(tmp_path / "m.bin")
    loaded = KernelClassifier.load(tmp_path / "m.bin")
    np.testing.assert_array_equal(loaded.classes_, clf.classes_)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_float32_features(series):
    X, y = series
    assert KernelClassifier(**SMALL).fit(X, y).features(X).dtype == np.float32  # the default
    clf = KernelClassifier(float32=False, **SMALL).fit(X, y)
    assert clf.features(X).dtype == np.float64


def test_uneven_lengths_are_bounded_before_allocating():
    series = [np.zeros(10)] * 2000 + [np.zeros(400_000)]
    with pytest.raises(ValueError, match="too uneven to store them padded"):
        KernelClassifier(**SMALL).fit(series, [0, 1] * 1000 + [0])
    with pytest.raises(ValueError, match="kMaxSeriesLength"):
        KernelClassifier(**SMALL).fit([np.zeros(10), np.zeros(2**22 + 1)], [0, 1])


def test_threads_sharing_one_estimator(series):
    X, y = series
    clf = KernelClassifier(**SMALL).fit(X, y)
    expected = clf.decision_function(X)
    results, errors = [], []

    def work():
        try:
            for _ in range(5):
                results.append(clf.decision_function(X))
                clf.set_params(n_jobs=2).predict(X)
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(results) == 20
    for r in results:
        np.testing.assert_array_equal(r, expected)


def test_ctrl_c_stops_a_predict():
    X, y, clf = _long_problem()
    clf.set_params(n_kernels=20000, choose_normalization=False).fit(X[::10], y[::10])
    big = np.tile(X, (4, 1))
    finished = False
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        clf.predict(big)
        finished = True
        time.sleep(60)  # reached only if the predict ended before the interrupt
    timer.join()
    assert not finished, "the predict ended before the interrupt: make the problem larger"
