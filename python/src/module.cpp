/// @file module.cpp
/// @brief The `strider._strider` extension: the C++ estimators for the Python package.
///
/// This layer only converts: parameters to and from dicts (generated from the parameter
/// tables, so a new parameter needs no change here), numpy arrays and lists of series to
/// Panels, Eigen results to numpy arrays, model files to and from bytes. The scikit-learn
/// conventions (input checks, label types, fitted attributes) live in the Python package.
///
/// Every long call releases the GIL. While it runs, the calling thread polls Python's
/// signal handlers through the progress callback; a pending KeyboardInterrupt (Ctrl-C)
/// stops the call at the next unit of work, and the estimator keeps its previous state.

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <strider/strider.hpp>
#include <strider/version.hpp>

namespace py = pybind11;
using namespace strider;

namespace {

// ---- parameters <-> dict -------------------------------------------------------------
//
// Python sees each leaf field of a params table under its own name (transform.n_kernels
// is n_kernels); the stages' n_jobs fields are one `n_jobs`. Leaf names are unique within
// each estimator (checked when the module loads).

template <class V>
py::object to_python(const V& v) {
  if constexpr (std::is_same_v<V, bool>) {
    return py::bool_(v);
  } else if constexpr (std::is_enum_v<V>) {
    return py::str(ParamText<V>::text(v));
  } else if constexpr (std::is_integral_v<V>) {
    return py::int_(v);
  } else if constexpr (std::is_floating_point_v<V>) {
    return py::float_(v);
  } else {
    py::list out;
    for (const auto& x : v)
      out.append(to_python(x));
    return py::tuple(out);
  }
}

[[noreturn]] void bad_value(const std::string& name, py::handle h, const std::string& expected) {
  throw std::invalid_argument("parameter " + name + "=" + py::repr(h).cast<std::string>() +
                              ": expected " + expected);
}

template <class V>
V from_python(const std::string& name, py::handle h) {
  const bool is_bool = py::isinstance<py::bool_>(h) ||
                       py::str(py::type::of(h).attr("__name__")).cast<std::string>() == "bool_";
  if constexpr (std::is_same_v<V, bool>) {
    if (!is_bool) bad_value(name, h, "a bool");
    return py::bool_(py::reinterpret_borrow<py::object>(h)).cast<bool>();
  } else if constexpr (std::is_enum_v<V>) {
    if (!py::isinstance<py::str>(h)) bad_value(name, h, ParamText<V>::choices());
    try {
      return ParamText<V>::parse(h.cast<std::string>());
    } catch (const std::invalid_argument&) {
      bad_value(name, h, ParamText<V>::choices());
    }
  } else if constexpr (std::is_integral_v<V>) {
    if (is_bool || !PyIndex_Check(h.ptr())) bad_value(name, h, "an integer");
    const py::int_ i = py::module_::import("operator").attr("index")(h);
    if constexpr (std::is_unsigned_v<V>) {
      unsigned long long value = 0;
      try {
        value = i.cast<unsigned long long>();  // refuses negative values
      } catch (const py::cast_error&) {
        bad_value(name, h, "an integer from 0 to " + std::to_string(std::numeric_limits<V>::max()));
      }
      if (value > std::numeric_limits<V>::max())
        bad_value(name, h, "an integer from 0 to " + std::to_string(std::numeric_limits<V>::max()));
      return static_cast<V>(value);
    } else {
      long long value = 0;
      try {
        value = i.cast<long long>();
      } catch (const py::cast_error&) {
        bad_value(name, h, "an integer in range");
      }
      if (value < static_cast<long long>(std::numeric_limits<V>::min()) ||
          value > static_cast<long long>(std::numeric_limits<V>::max()))
        bad_value(name, h, "an integer in range");
      return static_cast<V>(value);
    }
  } else if constexpr (std::is_floating_point_v<V>) {
    if (is_bool || py::isinstance<py::str>(h) || !PyNumber_Check(h.ptr()))
      bad_value(name, h, "a number");
    return static_cast<V>(py::float_(py::reinterpret_borrow<py::object>(h)).cast<double>());
  } else {
    using T = typename V::value_type;
    if (py::isinstance<py::str>(h) || !py::isinstance<py::sequence>(h))
      bad_value(name, h, "a sequence");
    const auto seq = py::reinterpret_borrow<py::sequence>(h);
    std::vector<T> items;
    for (py::handle item : seq)
      items.push_back(from_python<T>(name, item));
    if constexpr (std::is_same_v<V, std::vector<T>>) {
      return items;
    } else {
      V out{};
      if (items.size() != out.size()) bad_value(name, h, std::to_string(out.size()) + " values");
      std::copy(items.begin(), items.end(), out.begin());
      return out;
    }
  }
}

template <class P>
void params_to_dict(const P& p, py::dict& out) {
  for_each_param<P>([&](const auto& row) {
    using V = typename std::decay_t<decltype(row)>::value_type;
    if constexpr (ParamStruct<V>)
      params_to_dict(p.*(row.member), out);
    else
      out[row.name] = to_python(p.*(row.member));
  });
}

/// Sets the fields named in `d`; the keys used are removed from `unused`.
template <class P>
void params_from_dict(P& p, const py::dict& d, py::set& unused) {
  for_each_param<P>([&](const auto& row) {
    using V = typename std::decay_t<decltype(row)>::value_type;
    if constexpr (ParamStruct<V>) {
      params_from_dict(p.*(row.member), d, unused);
    } else {
      const py::str key(row.name);
      if (!d.contains(key)) return;
      py::object value = d[key];
      if (std::string(row.name) == "n_jobs" && value.is_none()) value = py::int_(1);
      p.*(row.member) = from_python<V>(row.name, value);
      unused.attr("discard")(key);
    }
  });
}

template <class P>
P make_params(const py::dict& d, const char* who) {
  P p;
  py::set unused;
  for (auto item : d)
    unused.add(item.first);
  params_from_dict(p, d, unused);
  if (py::len(unused) > 0)
    throw std::invalid_argument(std::string(who) + ": unknown parameter(s) " +
                                py::repr(unused).cast<std::string>());
  p.validate(who);
  return p;
}

template <class P>
py::dict default_params() {
  py::dict d;
  params_to_dict(P{}, d);
  return d;
}

/// Each leaf's help line, for the Python docstrings.
template <class P>
void params_help(py::dict& out) {
  for_each_param<P>([&](const auto& row) {
    using V = typename std::decay_t<decltype(row)>::value_type;
    if constexpr (ParamStruct<V>)
      params_help<V>(out);
    else
      out[row.name] = row.help;
  });
}

template <class P>
py::dict params_help() {
  py::dict d;
  params_help<P>(d);
  return d;
}

// ---- input -----------------------------------------------------------------------------

/// A copy of a 2-D (n, t) or 3-D (n, c, t) float32 or float64 array of any strides into a
/// Panel (the Panel owns its buffer: this is the one copy the input goes through).
template <class T>
Panel panel_from_array(const py::array_t<T>& a) {
  const auto nd = a.ndim();
  const index_t n = a.shape(0), c = nd == 3 ? a.shape(1) : 1, t = a.shape(nd - 1);
  if (n > 0 && (c == 0 || t == 0))
    throw std::invalid_argument("X has " + std::to_string(c) + " channels of " + std::to_string(t) +
                                " points; expected at least 1 of each");
  Panel::Tensor data = Panel::Tensor::from_shape(
      {static_cast<std::size_t>(n), static_cast<std::size_t>(c), static_cast<std::size_t>(t)});
  const auto* base = reinterpret_cast<const char*>(a.data());
  const auto s0 = a.strides(0), s1 = nd == 3 ? a.strides(1) : 0, s2 = a.strides(nd - 1);
  double* out = data.data();
  {
    py::gil_scoped_release release;
    for (index_t i = 0; i < n; ++i)
      for (index_t j = 0; j < c; ++j)
        for (index_t k = 0; k < t; ++k)
          *out++ =
              static_cast<double>(*reinterpret_cast<const T*>(base + i * s0 + j * s1 + k * s2));
  }
  return Panel(std::move(data));
}

/// Series of unequal lengths are stored padded to the longest (the Panel's layout): as the
/// file readers do, refuse lengths so uneven that the padding would dwarf the values
/// (more than 16 times the values, plus 2^20), before allocating anything.
void check_ragged_padding(index_t n, index_t c, index_t max_t, double values) {
  const double padded =
      static_cast<double>(n) * static_cast<double>(c) * static_cast<double>(max_t);
  if (padded <= 16.0 * values + 1048576.0) return;
  throw std::invalid_argument(
      "the series lengths are too uneven to store them padded to the longest: " +
      std::to_string(n) + " series x " + std::to_string(c) + " channel(s) x " +
      std::to_string(max_t) + " points would be " + shortest_text(padded) + " values for the " +
      shortest_text(values) +
      " given (more than 16 times as many); fit or predict the long series separately");
}

/// A Panel from a C-contiguous float32/float64 array, or from a list of 2-D float64
/// arrays (c, t_i) of equal channel count and any lengths (zero-padded, lengths kept).
Panel make_panel(const py::object& x) {
  if (py::isinstance<py::list>(x)) {
    const auto series = x.cast<std::vector<py::array_t<double, py::array::c_style>>>();
    const index_t n = static_cast<index_t>(series.size());
    index_t c = 0, max_t = 0;
    double values = 0.0;
    std::vector<index_t> lengths;
    for (index_t i = 0; i < n; ++i) {
      const auto& s = series[static_cast<std::size_t>(i)];
      if (s.ndim() != 2)
        throw std::invalid_argument("series " + std::to_string(i) +
                                    ": expected a 2-D (channels, timepoints) array");
      if (i == 0) c = s.shape(0);
      if (c > kMaxChannels)
        throw std::invalid_argument(
            "series 0 has " + std::to_string(c) +
            " channels; at most kMaxChannels = " + std::to_string(kMaxChannels));
      if (s.shape(0) != c)
        throw std::invalid_argument("series " + std::to_string(i) + " has " +
                                    std::to_string(s.shape(0)) + " channels; series 0 has " +
                                    std::to_string(c));
      if (s.shape(1) < 1 || c < 1)
        throw std::invalid_argument("series " + std::to_string(i) + " is empty");
      if (s.shape(1) > kMaxSeriesLength)
        throw std::invalid_argument(
            "series " + std::to_string(i) + " has " + std::to_string(s.shape(1)) +
            " points; at most kMaxSeriesLength = " + std::to_string(kMaxSeriesLength));
      lengths.push_back(s.shape(1));
      max_t = std::max<index_t>(max_t, s.shape(1));
      values += static_cast<double>(s.shape(1)) * static_cast<double>(c);
    }
    check_ragged_padding(n, c, max_t, values);
    Panel::Tensor data =
        xt::zeros<double>({static_cast<std::size_t>(n), static_cast<std::size_t>(c),
                           static_cast<std::size_t>(max_t)});
    for (index_t i = 0; i < n; ++i) {
      const auto& s = series[static_cast<std::size_t>(i)];
      const double* src = s.data();
      const index_t len = lengths[static_cast<std::size_t>(i)];
      for (index_t j = 0; j < c; ++j)
        std::copy(src + j * len, src + (j + 1) * len,
                  &data(static_cast<std::size_t>(i), static_cast<std::size_t>(j), 0));
    }
    return Panel(std::move(data), std::move(lengths));
  }
  const py::array a = py::reinterpret_borrow<py::array>(x);
  if (a.ndim() != 2 && a.ndim() != 3)
    throw std::invalid_argument("X has " + std::to_string(a.ndim()) +
                                " dimensions; expected 2 (series, timepoints) or 3 (series, "
                                "channels, timepoints)");
  if (py::isinstance<py::array_t<float>>(a)) return panel_from_array<float>(a);
  if (py::isinstance<py::array_t<double>>(a)) return panel_from_array<double>(a);
  throw std::invalid_argument("X must hold float32 or float64 values");
}

// ---- interrupts --------------------------------------------------------------------------

/// A progress callback that, on the thread that started the call (the one that can run
/// Python's signal handlers), checks for a pending signal and throws it as a Python error.
/// The engine catches it inside its parallel loops, stops at the next unit of work and
/// rethrows it on this thread; the estimator keeps its previous state.
struct InterruptCheck {
  std::thread::id caller = std::this_thread::get_id();
  void operator()(index_t /*done*/, index_t /*total*/) const {
    if (std::this_thread::get_id() != caller) return;
    py::gil_scoped_acquire acquire;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  }
};

/// An estimator and the mutex that serialises the calls on it: a call installs its own
/// progress callback and thread count, so two Python threads using one estimator take
/// turns (each call uses every thread it is given anyway).
template <class Est>
struct Guarded {
  explicit Guarded(Est e) : est(std::move(e)) {}
  Est est;
  std::mutex mutex;
};

/// Runs f(est) with the GIL released, the estimator locked, and its progress callback
/// polling for Ctrl-C. The GIL is released before the lock is taken, so that a thread
/// waiting for the lock never holds the GIL that the running call's callback needs.
template <class Est, class F>
auto locked(Guarded<Est>& h, F&& f) {
  py::gil_scoped_release release;
  std::lock_guard<std::mutex> lock(h.mutex);
  h.est.set_progress_callback(InterruptCheck{});
  struct Reset {
    Est& e;
    ~Reset() { e.set_progress_callback({}); }
  } reset{h.est};
  return f(h.est);
}

template <class T>
py::array matrix_to_numpy(RowMatrix<T>&& m) {
  return py::cast(std::move(m));
}

template <class Est>
using Handle = std::unique_ptr<Guarded<Est>>;

/// The methods every estimator has: construction from a params dict, params, thread
/// count, memory limit, model bytes and files.
template <class Est, class Params>
py::class_<Guarded<Est>, Handle<Est>> bind_common(py::module_& m, const char* name) {
  py::class_<Guarded<Est>, Handle<Est>> c(m, name);
  c.def(py::init([name](const py::dict& d) {
     return std::make_unique<Guarded<Est>>(Est(make_params<Params>(d, name)));
   }))
      .def("params",
           [](Guarded<Est>& h) {
             const Params p = locked(h, [](Est& e) { return e.params(); });
             py::dict d;
             params_to_dict(p, d);
             return d;
           })
      .def("set_n_jobs",
           [](Guarded<Est>& h, int n_jobs) {
             locked(h, [&](Est& e) {
               e.set_n_jobs(n_jobs);
               return 0;
             });
           })
      .def("set_memory_limit",
           [](Guarded<Est>& h, std::uint64_t bytes) {
             locked(h, [&](Est& e) {
               e.set_memory_limit(bytes);
               return 0;
             });
           })
      .def("is_fitted",
           [](Guarded<Est>& h) { return locked(h, [](Est& e) { return e.is_fitted(); }); })
      .def("to_bytes",
           [](Guarded<Est>& h) {
             std::string bytes = locked(h, [](Est& e) { return to_bytes(e); });
             return py::bytes(bytes);
           })
      .def_static("from_bytes",
                  [](const py::bytes& b) {
                    std::string bytes = b;
                    py::gil_scoped_release release;
                    return std::make_unique<Guarded<Est>>(from_bytes<Est>(std::move(bytes)));
                  })
      .def("save",
           [](Guarded<Est>& h, const std::string& path) {
             locked(h, [&](Est& e) {
               save(e, path);
               return 0;
             });
           })
      .def_static("load", [](const std::string& path) {
        py::gil_scoped_release release;
        return std::make_unique<Guarded<Est>>(load<Est>(path));
      });
  return c;
}

/// fit, predict and features of the two pipelines.
template <class Est>
void bind_pipeline(py::class_<Guarded<Est>, Handle<Est>>& c) {
  c.def("features",
        [](Guarded<Est>& h, const py::object& x) -> py::array {
          Panel panel = make_panel(x);
          if (locked(h, [](Est& e) { return e.params().float32; }))
            return matrix_to_numpy(
                locked(h, [&](Est& e) { return e.template features<float>(panel); }));
          return matrix_to_numpy(
              locked(h, [&](Est& e) { return e.template features<double>(panel); }));
        })
      .def("n_channels",
           [](Guarded<Est>& h) {
             return locked(h, [](Est& e) { return e.transform().n_channels(); });
           })
      .def("n_features",
           [](Guarded<Est>& h) {
             return locked(h, [](Est& e) { return e.transform().n_features(); });
           })
      .def("alpha",
           [](Guarded<Est>& h) { return locked(h, [](Est& e) { return e.ridge().alpha(); }); })
      .def("normalize_input", [](Guarded<Est>& h) {
        return locked(h, [](Est& e) { return e.transform().params().normalize_input; });
      });
}

/// The leaf names of P's table, in table order (n_jobs once per stage).
template <class P>
void leaf_names(std::vector<std::string>& out) {
  for_each_param<P>([&](const auto& row) {
    using V = typename std::decay_t<decltype(row)>::value_type;
    if constexpr (ParamStruct<V>)
      leaf_names<V>(out);
    else
      out.emplace_back(row.name);
  });
}

/// Python names each leaf by its own name: two leaves of one name (other than the stages'
/// n_jobs, which Python sets together) would be one parameter there. Refuses that at import.
template <class P>
void check_unique_names(const char* who) {
  std::vector<std::string> names;
  leaf_names<P>(names);
  std::sort(names.begin(), names.end());
  for (std::size_t i = 1; i < names.size(); ++i)
    if (names[i] == names[i - 1] && names[i] != "n_jobs")
      throw std::logic_error(std::string(who) + ": two parameters named " + names[i]);
}

// ---- datasets ------------------------------------------------------------------------------

/// (X, labels): X an (n, c, t) float64 array when every series has the same length, else a
/// list of (c, t_i) arrays; labels the panel's label texts, or None.
py::tuple panel_to_python(const Panel& panel) {
  py::object labels = py::none();
  if (panel.has_labels()) labels = py::cast(panel.labels());
  const auto n = panel.n_series(), c = panel.n_channels();
  if (panel.equal_length()) {
    const index_t t = panel.max_length();
    py::array_t<double> x({n, c, t});
    std::copy(panel.data().data(), panel.data().data() + panel.data().size(), x.mutable_data());
    return py::make_tuple(x, labels);
  }
  py::list series;
  for (index_t i = 0; i < n; ++i) {
    const index_t len = panel.length(i);
    py::array_t<double> a({c, len});
    for (index_t j = 0; j < c; ++j)
      std::copy(panel.series(i, j), panel.series(i, j) + len, a.mutable_data(j, 0));
    series.append(a);
  }
  return py::make_tuple(series, labels);
}

io::ReadOptions read_options(const std::string& labels) {
  io::ReadOptions options;
  if (labels == "labels")
    options.labels = io::Labels::labelled;
  else if (labels == "none")
    options.labels = io::Labels::unlabelled;
  else if (labels == "targets")
    options.labels = io::Labels::targets;
  else
    throw std::invalid_argument("labels='" + labels + "': expected labels, none or targets");
  return options;
}

}  // namespace

PYBIND11_MODULE(_strider, m) {
  m.doc() = "strider's C++ estimators (use the classes of the strider package)";
  m.attr("__version__") = version_string;
  check_unique_names<KernelClassifierParams>("KernelClassifier");
  check_unique_names<KernelRegressorParams>("KernelRegressor");
  check_unique_names<DilatedKernelTransformParams>("DilatedKernelTransform");

  py::register_exception<FormatError>(m, "FormatError", PyExc_ValueError);
  py::register_exception<MemoryLimitError>(m, "MemoryLimitError", PyExc_MemoryError);
  py::register_exception<NotFittedError>(m, "NotFittedError", PyExc_ValueError);

  m.def("default_params", [](const std::string& kind) -> py::dict {
    if (kind == "KernelClassifier") return default_params<KernelClassifierParams>();
    if (kind == "KernelRegressor") return default_params<KernelRegressorParams>();
    if (kind == "DilatedKernelTransform") return default_params<DilatedKernelTransformParams>();
    throw std::invalid_argument("unknown estimator " + kind);
  });
  m.def("params_help", [](const std::string& kind) -> py::dict {
    if (kind == "KernelClassifier") return params_help<KernelClassifierParams>();
    if (kind == "KernelRegressor") return params_help<KernelRegressorParams>();
    if (kind == "DilatedKernelTransform") return params_help<DilatedKernelTransformParams>();
    throw std::invalid_argument("unknown estimator " + kind);
  });
  m.def("read_dataset", [](const std::string& path, const std::string& labels) {
    const io::ReadOptions options = read_options(labels);
    Panel panel = [&] {
      py::gil_scoped_release release;
      return io::read_dataset_file(path, options);
    }();
    return panel_to_python(std::move(panel));
  });
  m.def("find_ucr_split",
        [](const std::string& root, const std::string& name, const std::string& split) {
          return io::find_ucr_split(root, name, split).string();
        });
  m.def("cylinder_bell_funnel", [](index_t n_train, index_t n_test, index_t length,
                                   std::uint64_t random_state) {
    TrainTest d = datasets::load_cylinder_bell_funnel(
        {.n_train = n_train, .n_test = n_test, .length = length, .random_state = random_state});
    return py::make_tuple(panel_to_python(std::move(d.train)), panel_to_python(std::move(d.test)));
  });

  using KC = Guarded<KernelClassifier>;
  auto classifier = bind_common<KernelClassifier, KernelClassifierParams>(m, "KernelClassifier");
  bind_pipeline(classifier);
  classifier
      .def("fit",
           [](KC& h, const py::object& x, const std::vector<std::string>& y) {
             Panel panel = make_panel(x);
             locked(h, [&](KernelClassifier& e) { return &e.fit(panel, y); });
           })
      .def("predict",
           [](KC& h, const py::object& x) {
             Panel panel = make_panel(x);
             return locked(h, [&](KernelClassifier& e) { return e.predict(panel); });
           })
      .def("decision_function",
           [](KC& h, const py::object& x) {
             Panel panel = make_panel(x);
             return matrix_to_numpy(
                 locked(h, [&](KernelClassifier& e) { return e.decision_function(panel); }));
           })
      .def("predict_proba",
           [](KC& h, const py::object& x) {
             Panel panel = make_panel(x);
             return matrix_to_numpy(
                 locked(h, [&](KernelClassifier& e) { return e.predict_proba(panel); }));
           })
      .def("classes",
           [](KC& h) {
             return locked(h, [](KernelClassifier& e) { return e.classes(); });  // a copy
           })
      .def("representation",
           [](KC& h) { return locked(h, [](KernelClassifier& e) { return e.representation(); }); })
      .def("features_used",
           [](KC& h) { return locked(h, [](KernelClassifier& e) { return e.features_used(); }); });

  using KR = Guarded<KernelRegressor>;
  auto regressor = bind_common<KernelRegressor, KernelRegressorParams>(m, "KernelRegressor");
  bind_pipeline(regressor);
  regressor
      .def("fit",
           [](KR& h, const py::object& x, const RowMatrixD& y) {
             Panel panel = make_panel(x);
             locked(h, [&](KernelRegressor& e) { return &e.fit(panel, y); });
           })
      .def(
          "predict",
          [](KR& h, const py::object& x) {
            Panel panel = make_panel(x);
            return matrix_to_numpy(locked(h, [&](KernelRegressor& e) { return e.predict(panel); }));
          })
      .def("n_targets",
           [](KR& h) { return locked(h, [](KernelRegressor& e) { return e.n_targets(); }); });

  using DT = Guarded<DilatedKernelTransform>;
  bind_common<DilatedKernelTransform, DilatedKernelTransformParams>(m, "DilatedKernelTransform")
      .def("fit",
           [](DT& h, const py::object& x) {
             Panel panel = make_panel(x);
             locked(h, [&](DilatedKernelTransform& e) { return &e.fit(panel); });
           })
      .def("transform",
           [](DT& h, const py::object& x) {
             Panel panel = make_panel(x);
             return matrix_to_numpy(
                 locked(h, [&](DilatedKernelTransform& e) { return e.transform(panel); }));
           })
      .def(
          "n_channels",
          [](DT& h) { return locked(h, [](DilatedKernelTransform& e) { return e.n_channels(); }); })
      .def("n_features", [](DT& h) {
        return locked(h, [](DilatedKernelTransform& e) { return e.n_features(); });
      });
}
