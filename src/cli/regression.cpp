#include "regression.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <strider/datasets/pulse_area.hpp>
#include <strider/io/dataset.hpp>
#include <strider/io/ucr.hpp>
#include <strider/memory.hpp>
#include <strider/metrics.hpp>
#include <strider/parallel.hpp>
#include <strider/stopwatch.hpp>
#include <strider/version.hpp>

#include "common.hpp"
#include "json.hpp"
#include "model_options.hpp"

namespace strider::cli {

namespace fs = std::filesystem;

namespace {

const io::ReadOptions kTargets{.labels = io::Labels::targets};

std::string input_text(const KernelRegressor& reg) {
  return std::string(reg.transform().params().normalize_input ? "z-normalised" : "as given") +
         (reg.params().choose_normalization ? " (chosen)" : "");
}

/// "300 series x 1 channel, length 128, targets 2.1 to 48.3" (`y`: the panel's targets,
/// empty when it has none).
std::string summary(const Panel& x, const std::vector<double>& y) {
  std::ostringstream s;
  s << x.n_series() << " series x " << x.n_channels() << " channel"
    << (x.n_channels() == 1 ? "" : "s") << ", length " << x.min_length();
  if (x.max_length() != x.min_length()) s << " to " << x.max_length();
  if (!y.empty()) {
    const auto [lo, hi] = std::minmax_element(y.begin(), y.end());
    s << ", targets " << *lo << " to " << *hi;
  }
  return s.str();
}

/// The targets of a training or test file: refused, naming the file, when it has none.
std::vector<double> file_targets(const Panel& x, const std::string& file) {
  if (!x.has_labels()) {
    throw std::invalid_argument(file +
                                " has no targets (no label column, or @targetLabel "
                                "false): a regressor learns from numeric targets");
  }
  return targets_from_labels(x);
}

/// Targets as one column.
RowMatrixD column(const std::vector<double>& y) {
  return Eigen::Map<const RowMatrixD>(y.data(), static_cast<index_t>(y.size()), 1);
}

/// R^2, root mean squared and mean absolute error of a prediction.
struct Errors {
  double r2 = 0.0, rmse = 0.0, mae = 0.0;
};
Errors errors(const RowMatrixD& truth, const RowMatrixD& pred) {
  return {r2_score(truth, pred), std::sqrt(mean_squared_error(truth, pred)),
          mean_absolute_error(truth, pred)};
}

void errors_json(Json& j, const Errors& e) {
  j.field("r2", e.r2).field("rmse", e.rmse).field("mae", e.mae);
}

std::string errors_text(const Errors& e) {
  std::ostringstream s;
  s << std::setprecision(6) << "R^2 " << e.r2 << ", RMSE " << e.rmse << ", MAE " << e.mae;
  return s.str();
}

}  // namespace

KernelRegressor load_regressor(const Options& o) {
  KernelRegressor reg = load<KernelRegressor>(o.get("model"));
  reg.set_n_jobs(threads(o));
  reg.set_memory_limit(memory_limit(o));
  return reg;
}

int fit_regressor(const Options& o) {
  const std::string model_path = o.get("model", "model.strider");
  KernelRegressor reg(regressor_params(o));
  reg.set_memory_limit(memory_limit(o));
  check_writable("model", model_path);
  const Panel train = read_input(o, "train", true);
  const std::vector<double> y = file_targets(train, o.get("train"));
  Stopwatch watch;
  {
    Progress progress(reg, o, "fit");
    reg.fit(train, y);
  }
  const double fit_s = watch.wall_seconds();
  save(reg, model_path);
  if (o.has("json")) {
    Json j;
    j.begin_object()
        .field("model", model_path)
        .field("task", "regression")
        .field("n_train", train.n_series())
        .field("n_channels", train.n_channels())
        .field("fit_seconds", ms_round(fit_s))
        .field("fit_transform_seconds", ms_round(reg.fit_timings().transform_seconds))
        .field("fit_scaler_seconds", ms_round(reg.fit_timings().scaler_seconds))
        .field("fit_ridge_seconds", ms_round(reg.fit_timings().ridge_seconds))
        .field("memory_estimate_bytes", static_cast<std::int64_t>(reg.fit_memory(train)))
        .field("peak_rss_bytes", peak_rss_bytes())
        .field("alpha", reg.ridge().alpha())
        .field("loo_mse", -reg.ridge().best_score())
        .field("normalized", reg.transform().params().normalize_input)
        .field("params", reg.params())
        .end_object();
    std::cout << j.str() << "\n";
    return 0;
  }
  std::cout << "train: " << summary(train, y) << "\n"
            << "fit:   " << secs(fit_s) << " (alpha " << reg.ridge().alpha()
            << ", leave-one-out MSE " << -reg.ridge().best_score() << ", input " << input_text(reg)
            << ")\n"
            << "model: " << model_path << "\n";
  return 0;
}

int predict_regressor(const Options& o) {
  for (const char* extra : {"scores", "proba"}) {
    if (o.has(extra)) {
      throw UsageError(std::string("predict: --") + extra +
                       " applies to a classifier; this model is a KernelRegressor");
    }
  }
  KernelRegressor reg = load_regressor(o);
  if (o.has("output")) check_writable("output", o.get("output"));
  const Panel x = read_input(o, "input", true);
  RowMatrixD pred;
  {
    Progress progress(reg, o, "predict");
    pred = reg.predict(x);
  }
  const bool labelled = x.has_labels() && x.n_series() > 0;
  RowMatrixD truth;
  Errors err;
  if (labelled && pred.cols() == 1) {
    truth = column(targets_from_labels(x));
    err = errors(truth, pred);
  }
  const bool scored = truth.size() > 0;
  std::vector<std::string> columns;
  for (index_t t = 0; t < pred.cols(); ++t)
    columns.push_back(pred.cols() == 1 ? "prediction" : "prediction_" + std::to_string(t));
  if (o.has("output")) {
    std::ostringstream csv;
    csv << "index";
    for (const auto& c : columns)
      csv << "," << c;
    csv << (scored ? ",target" : "") << "\n" << std::setprecision(17);
    for (index_t i = 0; i < pred.rows(); ++i) {
      csv << i;
      for (index_t t = 0; t < pred.cols(); ++t)
        csv << "," << pred(i, t);
      if (scored) csv << "," << truth(i, 0);
      csv << "\n";
    }
    write_output(o, "output", "predictions", csv.str());
  }
  if (o.has("json")) {
    Json j;
    j.begin_object().field("n_series", x.n_series()).key("predictions").begin_array();
    for (index_t i = 0; i < pred.rows(); ++i) {
      if (pred.cols() == 1) {
        j.value(pred(i, 0));
        continue;
      }
      j.begin_array();
      for (index_t t = 0; t < pred.cols(); ++t)
        j.value(pred(i, t));
      j.end_array();
    }
    j.end_array();
    if (scored) errors_json(j, err);
    if (o.has("output")) j.field("output", o.get("output"));
    std::cout << j.end_object().str() << "\n";
    return 0;
  }
  if (!o.has("output")) {
    std::cout << std::setprecision(17);
    for (index_t i = 0; i < pred.rows(); ++i) {
      for (index_t t = 0; t < pred.cols(); ++t)
        std::cout << (t ? "," : "") << pred(i, t);
      std::cout << "\n";
    }
    return 0;
  }
  std::cout << "predictions: " << o.get("output") << " (" << pred.rows() << " series)\n";
  if (scored) std::cout << "score: " << errors_text(err) << "\n";
  return 0;
}

int evaluate_regressor(const Options& o) {
  const KernelRegressorParams params = regressor_params(o);
  TrainTest data;
  std::string name;
  Stopwatch load_watch;
  if (o.has("dataset")) {
    fs::path dir = fs::path(o.get("dataset"));
    if (dir.filename().empty()) dir = dir.parent_path();
    name = dir.filename().string();
    data = io::load_ucr_dataset(dir.parent_path(), name, kTargets);
  } else if (o.has("train")) {
    data.train = io::read_dataset_file(o.get("train"), kTargets);
    data.test = io::read_dataset_file(o.get("test"), kTargets);
    name = fs::path(o.get("train")).stem().string();
  } else {
    datasets::PulseAreaParams pulse;
    pulse.random_state = params.transform.random_state;
    data = datasets::load_pulse_area(pulse);
    name = "PulseArea (built-in)";
  }
  const double load_s = load_watch.wall_seconds();
  const std::vector<double> y = file_targets(data.train, "the training set");
  const std::vector<double> y_test = file_targets(data.test, "the test set");
  const RowMatrixD truth = column(y_test);

  KernelRegressor reg(params);
  reg.set_memory_limit(memory_limit(o));
  Stopwatch fit_watch;
  {
    Progress progress(reg, o, "fit");
    reg.fit(data.train, y);
  }
  const double fit_s = fit_watch.wall_seconds(), fit_cpu = fit_watch.cpu_seconds();
  Stopwatch predict_watch;
  RowMatrixD pred;
  {
    Progress progress(reg, o, "predict");
    pred = reg.predict(data.test);
  }
  const double predict_s = predict_watch.wall_seconds();
  const Errors err = errors(truth, pred);
  const auto& t = reg.fit_timings();
  if (o.has("json")) {
    Json j;
    j.begin_object()
        .field("dataset", name)
        .field("task", "regression")
        .field("n_train", data.train.n_series())
        .field("n_test", data.test.n_series())
        .field("n_channels", data.train.n_channels())
        .field("min_length", data.train.min_length())
        .field("max_length", data.train.max_length());
    errors_json(j, err);
    j.field("load_seconds", ms_round(load_s))
        .field("fit_seconds", ms_round(fit_s))
        .field("fit_transform_seconds", ms_round(t.transform_seconds))
        .field("fit_scaler_seconds", ms_round(t.scaler_seconds))
        .field("fit_ridge_seconds", ms_round(t.ridge_seconds))
        .field("fit_cpu_seconds", ms_round(fit_cpu))
        .field("predict_seconds", ms_round(predict_s))
        .field("peak_memory_bytes", static_cast<std::int64_t>(peak_rss_bytes()))
        .field("alpha", reg.ridge().alpha())
        .field("loo_mse", -reg.ridge().best_score())
        .field("normalized", reg.transform().params().normalize_input)
        .field("threads", resolve_n_jobs(params.transform.n_jobs))
        .field("params", params)
        .end_object();
    std::cout << j.str() << "\n";
    return 0;
  }
  const int threads = resolve_n_jobs(params.transform.n_jobs);
  std::cout << "dataset:     " << name << "\n"
            << "train:       " << summary(data.train, y) << "\n"
            << "test:        " << summary(data.test, y_test) << "\n"
            << "model:       KernelRegressor, " << params.transform.n_kernels << " kernels ("
            << reg.transform().n_features() << " features), "
            << (params.float32 ? "float32" : "float64") << ", " << threads << " thread"
            << (threads == 1 ? "" : "s") << ", alpha " << reg.ridge().alpha() << ", input "
            << input_text(reg) << "\n"
            << "score:       " << errors_text(err) << "\n"
            << "fit:         " << secs(fit_s) << " (transform " << secs(t.transform_seconds)
            << ", scaler " << secs(t.scaler_seconds) << ", ridge " << secs(t.ridge_seconds) << ")\n"
            << "predict:     " << secs(predict_s) << "\n"
            << "peak memory: " << megabytes(peak_rss_bytes()) << "\n";
  return 0;
}

int info_regressor(const Options& o, const ModelEnvelope& env) {
  const KernelRegressor reg = load<KernelRegressor>(o.get("model"));
  if (o.has("json")) {
    Json j;
    j.begin_object()
        .field("estimator", env.estimator)
        .field("format", env.format)
        .field("format_version", static_cast<std::int64_t>(env.format_version))
        .field("library_version", env.library_version)
        .field("params", reg.params())
        .field("n_targets", reg.n_targets())
        .field("alpha", reg.ridge().alpha())
        .field("best_score", reg.ridge().best_score())
        .field("loo_mse", -reg.ridge().best_score())
        .field("normalized", reg.transform().params().normalize_input)
        .field("differences", reg.transform().params().add_differences)
        .field("n_channels", reg.transform().n_channels());
    print_kernels_json(j, reg.transform().kernels());
    std::cout << j.end_object().str() << "\n";
    return 0;
  }
  Json params;
  params.value(reg.params());
  std::cout << "estimator:       " << env.estimator << "\n"
            << "format:          " << env.format << " v" << env.format_version
            << (env.json ? " (JSON)" : " (binary)") << "\n"
            << "written by:      strider " << env.library_version << " (this is strider "
            << version_string << ")\n"
            << "kernels:         " << reg.transform().kernels().size() << " ("
            << reg.transform().n_features() << " features), channels "
            << reg.transform().n_channels() << "\n"
            << "params:          " << params.str() << "\n"
            << "targets:         " << reg.n_targets() << "\n"
            << "alpha:           " << reg.ridge().alpha() << " (leave-one-out MSE "
            << -reg.ridge().best_score() << ")\n"
            << "input:           " << input_text(reg) << "\n";
  return 0;
}

}  // namespace strider::cli
