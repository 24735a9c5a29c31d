#include "strider/regressor.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "strider/error.hpp"
#include "strider/limits.hpp"
#include "strider/memory.hpp"
#include "strider/metrics.hpp"
#include "strider/parallel.hpp"

#include "io/text.hpp"
#include "pipeline.hpp"

namespace strider {

std::vector<double> default_regressor_alphas() {
  return logspace_alphas(-4.0, 6.0, 21);
}

void KernelRegressorParams::validate(const std::string& who) const {
  validate_params(*this, who);
  classifier_checks::feature_weights_in_float(feature_weights, occurrence_weight, float32, who);
}

std::vector<double> targets_from_labels(const Panel& x) {
  if (!x.has_labels()) {
    throw std::invalid_argument(
        "targets_from_labels(): the panel has no labels (the targets); pass y");
  }
  const std::vector<std::string>& labels = x.labels();
  std::vector<double> y(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (!detail::parse_target(labels[i], y[i])) {
      throw std::invalid_argument("series " + std::to_string(i) + ": target " +
                                  detail::quote_token(labels[i]) +
                                  " is not a finite number of magnitude at most 1e50; a "
                                  "regressor needs numeric targets");
    }
  }
  return y;
}

KernelRegressor::KernelRegressor(KernelRegressorParams params)
    : params_(std::move(params)),
      transform_(params_.transform),
      scaler_(params_.scaler),
      ridge_(params_.ridge) {
  params_.validate("KernelRegressor");
}

KernelRegressor& KernelRegressor::fit(const Panel& x) {
  return fit(x, targets_from_labels(x));
}

KernelRegressor& KernelRegressor::fit(const Panel& x, const std::vector<double>& y) {
  return fit(x, Eigen::Map<const RowMatrixD>(y.data(), static_cast<index_t>(y.size()), 1));
}

KernelRegressor& KernelRegressor::fit(const Panel& x, const Eigen::Ref<const RowMatrixD>& y) {
  const std::string who = "KernelRegressor::fit()";
  if (y.rows() != x.n_series() || y.cols() < 1) {
    throw std::invalid_argument(who + ": y is " + std::to_string(y.rows()) + " x " +
                                std::to_string(y.cols()) + " for " + std::to_string(x.n_series()) +
                                " series; expected one row per series and at least 1 target");
  }
  for (index_t i = 0; i < y.rows(); ++i) {
    for (index_t t = 0; t < y.cols(); ++t) {
      if (!(std::abs(y(i, t)) <= kMaxAbsValue)) {
        throw std::invalid_argument(who + ": the target of series " + std::to_string(i) +
                                    (y.cols() > 1 ? " (target " + std::to_string(t) + ")" : "") +
                                    " is " + shortest_text(y(i, t)) +
                                    "; every target must be finite, of magnitude at most 1e50");
      }
    }
  }
  detail::check_fit_memory(fit_memory(x, y.cols()), memory_limit_, who, x.n_series(),
                           params_.transform, params_.float32);
  // Lower mean squared leave-one-out error wins; a tie keeps the variant fitted first.
  auto better = [](const RidgeCV& a, const RidgeCV& b) { return a.best_score() > b.best_score(); };
  detail::FittedStages<RidgeCV> best =
      params_.float32 ? detail::fit_variants<RidgeCV, float>(x, y, params_, progress_, 1.0,
                                                             memory_limit_, better)
                      : detail::fit_variants<RidgeCV, double>(x, y, params_, progress_, 1.0,
                                                              memory_limit_, better);
  transform_ = std::move(best.transform);
  scaler_ = std::move(best.scaler);
  ridge_ = std::move(best.ridge);
  timings_ = best.timings;
  if (progress_) transform_.set_progress_callback(progress_);
  return *this;
}

std::uint64_t KernelRegressor::fit_memory(const Panel& x, index_t n_targets) const {
  return detail::pipeline_fit_memory(x, params_.transform, params_.float32,
                                     std::max<index_t>(n_targets, 1), params_.ridge.alphas.size(),
                                     2.0);
}

std::uint64_t KernelRegressor::predict_memory(const Panel& x) const {
  check_fitted("predict_memory()");
  return detail::pipeline_predict_memory(x, transform_, params_.float32, ridge_.n_targets());
}

void KernelRegressor::set_memory_limit(std::uint64_t bytes) noexcept {
  memory_limit_ = bytes;
  transform_.set_memory_limit(bytes);
}

void KernelRegressor::set_n_jobs(int n_jobs) {
  KernelRegressorParams p = params_;
  p.set_n_jobs(n_jobs);
  p.validate("KernelRegressor::set_n_jobs()");
  transform_.set_n_jobs(n_jobs);
  scaler_.set_n_jobs(n_jobs);
  ridge_.set_n_jobs(n_jobs);
  params_ = std::move(p);
}

void KernelRegressor::check_fitted(const char* who) const {
  if (!is_fitted()) throw NotFittedError(std::string("KernelRegressor::") + who);
}

index_t KernelRegressor::n_targets() const {
  check_fitted("n_targets()");
  return ridge_.n_targets();
}

void KernelRegressor::check_predict_memory(const Panel& x, const char* who) const {
  detail::check_predict_memory(predict_memory(x), memory_limit_, who, x.n_series(),
                               transform_.n_features());
}

template <class T>
RowMatrix<T> KernelRegressor::features(const Panel& x) const {
  check_fitted("features()");
  return detail::pipeline_features<T>(transform_, scaler_, params_, x);
}

RowMatrixD KernelRegressor::predict(const Panel& x) const {
  check_fitted("predict()");
  check_predict_memory(x, "KernelRegressor::predict()");
  if (params_.float32) return ridge_.template predict<float>(features<float>(x));
  return ridge_.template predict<double>(features<double>(x));
}

double KernelRegressor::score(const Panel& x) const {
  const std::vector<double> y = targets_from_labels(x);
  return score(x, Eigen::Map<const RowMatrixD>(y.data(), static_cast<index_t>(y.size()), 1));
}

double KernelRegressor::score(const Panel& x, const Eigen::Ref<const RowMatrixD>& y) const {
  check_fitted("score()");
  if (y.rows() != x.n_series() || y.cols() != ridge_.n_targets()) {
    throw std::invalid_argument("KernelRegressor::score(): y is " + std::to_string(y.rows()) +
                                " x " + std::to_string(y.cols()) + " for " +
                                std::to_string(x.n_series()) + " series and " +
                                std::to_string(ridge_.n_targets()) + " targets");
  }
  return r2_score(y, predict(x));
}

void KernelRegressor::set_progress_callback(DilatedKernelTransform::ProgressCallback cb) {
  progress_ = std::move(cb);
  transform_.set_progress_callback(progress_);
}

template RowMatrix<double> KernelRegressor::features<double>(const Panel&) const;
template RowMatrix<float> KernelRegressor::features<float>(const Panel&) const;

}  // namespace strider
