#include "strider/classifier.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "strider/error.hpp"
#include "strider/labels.hpp"
#include "strider/memory.hpp"
#include "strider/parallel.hpp"
#include "strider/params.hpp"

#include "pipeline.hpp"

namespace strider {

std::array<double, 3> default_feature_weights() {
  return {1.0, 0.25, 0.25};
}

namespace classifier_checks {

std::string feature_weights(const std::array<double, 3>& w) {
  bool any = false;
  for (std::size_t j = 0; j < w.size(); ++j) {
    if (!(std::isfinite(w[j]) && w[j] >= 0.0))
      return "weight " + std::to_string(j + 1) + " = " + shortest_text(w[j]) +
             "; expected finite weights >= 0";
    any = any || w[j] > 0.0;
  }
  return any ? "" : "expected at least one weight > 0";
}

std::string occurrence_weight(const double& w) {
  if (std::isfinite(w) && w >= 0.0) return "";
  return "expected a finite weight >= 0";
}

void feature_weights_in_float(const std::array<double, 3>& w, double o, bool float32,
                              const std::string& who) {
  for (std::size_t j = 0; j <= w.size(); ++j) {
    const double v = j < w.size() ? w[j] : o;
    const auto narrow = static_cast<float>(v);
    if (float32 && v > 0.0 && !(narrow > 0.0f && std::isfinite(narrow))) {
      throw std::invalid_argument(
          who + ": " +
          (j < w.size() ? "feature_weights[" + std::to_string(j) + "]" : "occurrence_weight") +
          " = " + shortest_text(v) +
          " is 0 or infinite in float32; expected a weight within the float range, or 0");
    }
  }
}

}  // namespace classifier_checks

void KernelClassifierParams::validate(const std::string& who) const {
  validate_params(*this, who);
  classifier_checks::feature_weights_in_float(feature_weights, occurrence_weight, float32, who);
}

std::vector<index_t> default_classifier_lengths() {
  return {5, 7, 9, 11};
}

DilatedKernelTransformParams default_pipeline_transform() {
  return {.lengths = default_classifier_lengths(),
          .p_padding = 1.0,
          .source = KernelSource::mixed,
          .normalize_input = true,
          .add_differences = true,
          .length_quantile = 1.0};
}

DilatedKernelTransformParams default_classifier_transform() {
  DilatedKernelTransformParams p = default_pipeline_transform();
  p.add_occurrences = true;
  return p;
}

std::vector<double> default_classifier_alphas() {
  return logspace_alphas(-4.0, 4.0, 20);
}

KernelClassifier::KernelClassifier(KernelClassifierParams params)
    : params_(std::move(params)),
      transform_(params_.transform),
      scaler_(params_.scaler),
      ridge_(params_.ridge) {
  params_.validate("KernelClassifier");
}

KernelClassifier& KernelClassifier::fit(const Panel& x) {
  if (!x.has_labels()) {
    throw std::invalid_argument("KernelClassifier::fit(): the panel has no labels; pass y");
  }
  return fit(x, x.labels());
}

KernelClassifier& KernelClassifier::fit(const Panel& x, const std::vector<std::string>& y) {
  const std::string who = "KernelClassifier::fit()";
  if (static_cast<index_t>(y.size()) != x.n_series()) {
    throw std::invalid_argument(who + ": " + std::to_string(y.size()) + " labels for " +
                                std::to_string(x.n_series()) + " series");
  }
  // The cheap checks first: nothing below is worth starting without two classes and the
  // memory the fit needs.
  const std::vector<std::string> classes = sorted_classes(y);
  if (classes.size() == 1) {
    throw std::invalid_argument(who + ": y has only one class \"" + classes.front() +
                                "\"; a classifier needs at least 2 classes");
  }
  detail::check_fit_memory(fit_memory(x, static_cast<index_t>(classes.size())), memory_limit_, who,
                           x.n_series(), params_.transform, params_.float32);
  if (params_.float32) {
    fit_impl<float>(x, y);
  } else {
    fit_impl<double>(x, y);
  }
  return *this;
}

LooResult LooResult::of(const RidgeClassifierCV& r) {
  const auto& alphas = r.params().alphas;
  const auto k =
      static_cast<index_t>(std::find(alphas.begin(), alphas.end(), r.alpha()) - alphas.begin());
  if (r.cv_accuracy().size() != r.cv_mse().size() || k >= r.cv_mse().size()) {
    throw std::logic_error("KernelClassifier: the ridge has no leave-one-out accuracy");
  }
  return {r.cv_accuracy()(k), r.cv_mse()(k), r.cv_log_loss()};
}

bool prefer_later_variant(const LooResult& later, const LooResult& kept,
                          index_t n_series) noexcept {
  // The accuracies are hits / n_series: their difference times n_series is a whole number.
  const double more_hits =
      std::round((later.accuracy - kept.accuracy) * static_cast<double>(n_series));
  const auto min_hits = static_cast<double>(kChooseNormalizationMinHits);
  if (more_hits >= min_hits) return true;
  if (more_hits <= -min_hits) return false;
  if (std::isfinite(later.log_loss) && std::isfinite(kept.log_loss)) {
    return later.log_loss < kept.log_loss;
  }
  return std::pair(later.accuracy, -later.squared_error) >
         std::pair(kept.accuracy, -kept.squared_error);
}

template <class T>
void KernelClassifier::fit_impl(const Panel& x, const std::vector<std::string>& y) {
  // Fit into fresh stages and commit only at the end. class_weight choose reduces the
  // Gram matrix once more per variant, choose_representation twice more, choose_features
  // once more.
  const double reductions =
      (params_.ridge.class_weight == ClassWeight::choose ? 2.0 : 1.0) +
      (choosing_representation(x) ? 2.0 : 0.0) +
      (choosing_features(x, static_cast<index_t>(sorted_classes(y).size())) ? 1.0 : 0.0);
  detail::FittedStages<RidgeClassifierCV> best = detail::fit_variants<RidgeClassifierCV, T>(
      x, y, params_, progress_, reductions, memory_limit_,
      [n = x.n_series()](const RidgeClassifierCV& later, const RidgeClassifierCV& kept) {
        return prefer_later_variant(LooResult::of(later), LooResult::of(kept), n);
      });
  transform_ = std::move(best.transform);
  scaler_ = std::move(best.scaler);
  ridge_ = std::move(best.ridge);
  timings_ = best.timings;
  if (progress_) transform_.set_progress_callback(progress_);
}

std::string KernelClassifier::representation() const {
  check_fitted("representation()");
  if (!transform_.params().add_differences) return "series";
  const auto [begin, end] = ridge_.kept_columns();
  if (begin == 0 && end == ridge_.n_features()) return "series+differences";
  return begin == 0 ? "series" : "differences";
}

bool KernelClassifier::choosing_representation(const Panel& x) const noexcept {
  // Only in the ridge's Gram mode, with no more series than features.
  return params_.choose_representation && params_.transform.add_differences &&
         x.n_series() <= params_.transform.features_per_kernel() * params_.transform.n_kernels;
}

bool choose_features_applies(const KernelClassifierParams& params, index_t n_series,
                             index_t n_classes) noexcept {
  const auto& w = params.feature_weights;
  return params.choose_features && params.transform.add_occurrences &&
         params.occurrence_weight > 0.0 &&
         std::any_of(w.begin(), w.end(), [](double v) { return v > 0.0; }) &&
         static_cast<double>(n_series) <=
             kChooseFeaturesMaxPerClass * static_cast<double>(n_classes) &&
         n_series <= params.transform.features_per_kernel() * params.transform.n_kernels;
}

bool KernelClassifier::choosing_features(const Panel& x, index_t n_classes) const noexcept {
  return choose_features_applies(params_, x.n_series(), n_classes);
}

std::string KernelClassifier::features_used() const {
  check_fitted("features_used()");
  const index_t per_kernel = transform_.params().features_per_kernel();
  if (!transform_.params().add_occurrences) return "all";
  const ColMatrix<double>& coef = ridge_.coef();
  for (index_t j = 0; j < coef.cols(); ++j)
    if (j % per_kernel != per_kernel - 1 && (coef.col(j).array() != 0.0).any()) return "all";
  return "occurrences";
}

void KernelClassifier::check_loaded_representation() const {
  if (!ridge_.is_fitted()) return;
  const auto [begin, end] = ridge_.kept_columns();
  const index_t f = ridge_.n_features();
  if (begin == 0 && end == f) return;
  const index_t split = detail::representation_boundary(transform_);
  if (!params_.choose_representation || split == 0 ||
      !((begin == 0 && end == split) || (begin == split && end == f))) {
    detail::throw_archive_error(
        "KernelClassifier: the ridge keeps columns [" + std::to_string(begin) + ", " +
        std::to_string(end) + ") of " + std::to_string(f) +
        ", which are not the kernels of one representation chosen by choose_representation");
  }
}

std::uint64_t KernelClassifier::fit_memory(const Panel& x, index_t n_classes) const {
  // class_weight choose keeps the shared Gram matrix beside the one being reduced;
  // choose_representation and choose_features keep the column groups' matrices (two, or
  // four with both) beside both.
  const double groups =
      (choosing_representation(x) ? 2.0 : 1.0) * (choosing_features(x, n_classes) ? 2.0 : 1.0);
  const double squares = (params_.ridge.class_weight == ClassWeight::choose ? 3.0 : 2.0) +
                         (groups > 1.0 ? groups : 0.0);
  return detail::pipeline_fit_memory(x, params_.transform, params_.float32,
                                     n_classes > 2 ? n_classes : 1, params_.ridge.alphas.size(),
                                     squares);
}

std::uint64_t KernelClassifier::predict_memory(const Panel& x) const {
  check_fitted("predict_memory()");
  return detail::pipeline_predict_memory(x, transform_, params_.float32, ridge_.coef().rows());
}
void KernelClassifier::set_memory_limit(std::uint64_t bytes) noexcept {
  memory_limit_ = bytes;
  transform_.set_memory_limit(bytes);
}

void KernelClassifier::set_n_jobs(int n_jobs) {
  KernelClassifierParams p = params_;
  p.set_n_jobs(n_jobs);
  p.validate("KernelClassifier::set_n_jobs()");
  transform_.set_n_jobs(n_jobs);
  scaler_.set_n_jobs(n_jobs);
  ridge_.set_n_jobs(n_jobs);
  params_ = std::move(p);
}

void KernelClassifier::check_fitted(const char* who) const {
  if (!is_fitted()) throw NotFittedError(std::string("KernelClassifier::") + who);
}

template <class T>
RowMatrix<T> KernelClassifier::features(const Panel& x) const {
  check_fitted("features()");
  return detail::pipeline_features<T>(transform_, scaler_, params_, x);
}

template <class T>
std::vector<std::string> KernelClassifier::predict_features(const RowMatrix<T>& features) const {
  check_fitted("predict_features()");
  return ridge_.template predict<T>(features);
}

void KernelClassifier::check_predict_memory(const Panel& x, const char* who) const {
  detail::check_predict_memory(predict_memory(x), memory_limit_, who, x.n_series(),
                               transform_.n_features());
}

std::vector<std::string> KernelClassifier::predict(const Panel& x) const {
  check_fitted("predict()");
  check_predict_memory(x, "KernelClassifier::predict()");
  if (params_.float32) return predict_features<float>(features<float>(x));
  return predict_features<double>(features<double>(x));
}

RowMatrixD KernelClassifier::decision_function(const Panel& x) const {
  check_fitted("decision_function()");
  check_predict_memory(x, "KernelClassifier::decision_function()");
  if (params_.float32) return ridge_.template decision_function<float>(features<float>(x));
  return ridge_.template decision_function<double>(features<double>(x));
}

RowMatrixD KernelClassifier::predict_proba(const Panel& x) const {
  check_fitted("predict_proba()");
  return ridge_.probabilities(decision_function(x));
}

double KernelClassifier::score(const Panel& x) const {
  if (!x.has_labels()) {
    throw std::invalid_argument("KernelClassifier::score(): the panel has no labels; pass y");
  }
  return score(x, x.labels());
}

double KernelClassifier::score(const Panel& x, const std::vector<std::string>& y) const {
  if (static_cast<index_t>(y.size()) != x.n_series()) {
    throw std::invalid_argument("KernelClassifier::score(): " + std::to_string(y.size()) +
                                " labels for " + std::to_string(x.n_series()) + " series");
  }
  const std::vector<std::string> pred = predict(x);
  if (pred.empty()) return 0.0;
  std::size_t correct = 0;
  for (std::size_t i = 0; i < pred.size(); ++i)
    correct += pred[i] == y[i] ? 1 : 0;
  return static_cast<double>(correct) / static_cast<double>(pred.size());
}

std::vector<std::string> KernelClassifier::labels_from_scores(const RowMatrixD& scores) const {
  check_fitted("labels_from_scores()");
  const auto& cls = ridge_.classes();
  const index_t expected = cls.size() == 2 ? 1 : static_cast<index_t>(cls.size());
  if (scores.cols() != expected) {
    throw std::invalid_argument("KernelClassifier::labels_from_scores(): scores have " +
                                std::to_string(scores.cols()) + " columns, expected " +
                                std::to_string(expected));
  }
  std::vector<std::string> out(static_cast<std::size_t>(scores.rows()));
  for (index_t i = 0; i < scores.rows(); ++i) {
    index_t best = 0;
    if (expected == 1) {
      best = scores(i, 0) > 0.0 ? 1 : 0;
    } else {
      for (index_t c = 1; c < scores.cols(); ++c) {
        if (scores(i, c) > scores(i, best)) best = c;
      }
    }
    out[static_cast<std::size_t>(i)] = cls[static_cast<std::size_t>(best)];
  }
  return out;
}

const std::vector<std::string>& KernelClassifier::classes() const {
  check_fitted("classes()");
  return ridge_.classes();
}

void KernelClassifier::set_progress_callback(DilatedKernelTransform::ProgressCallback cb) {
  progress_ = std::move(cb);
  transform_.set_progress_callback(progress_);
}

template RowMatrix<double> KernelClassifier::features<double>(const Panel&) const;
template RowMatrix<float> KernelClassifier::features<float>(const Panel&) const;
template std::vector<std::string> KernelClassifier::predict_features<double>(
    const RowMatrix<double>&) const;
template std::vector<std::string> KernelClassifier::predict_features<float>(
    const RowMatrix<float>&) const;

}  // namespace strider
