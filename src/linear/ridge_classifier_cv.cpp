#include "strider/linear/ridge_classifier_cv.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>

#include "linear/calibration.hpp"
#include "linear/linear_common.hpp"
#include "linear/ridge_gcv.hpp"
#include "strider/error.hpp"
#include "strider/labels.hpp"
#include "strider/parallel.hpp"

namespace strider {

std::vector<double> logspace_alphas(double lo, double hi, int n) {
  if (n < 2)
    throw std::invalid_argument("logspace_alphas(): n = " + std::to_string(n) + "; expected >= 2");
  // As NumPy's logspace(lo, hi, n): exponents arange(n) * ((hi - lo) / (n - 1)) + lo, the
  // last one hi, with the C library's pow (NumPy's vectorised power can differ in the
  // last bit).
  std::vector<double> alphas(static_cast<std::size_t>(n));
  const double step = (hi - lo) / static_cast<double>(n - 1);
  for (int k = 0; k < n; ++k) {
    const double e = k == n - 1 ? hi : static_cast<double>(k) * step + lo;
    alphas[static_cast<std::size_t>(k)] = std::pow(10.0, e);
  }
  return alphas;
}

std::vector<double> default_ridge_alphas() {
  return logspace_alphas(-3.0, 3.0, 10);
}

RidgeClassifierCV::RidgeClassifierCV(RidgeClassifierCVParams params) : params_(std::move(params)) {
  params_.validate("RidgeClassifierCV");
}

void RidgeClassifierCV::check_fitted(const char* who) const {
  if (!fitted_) throw NotFittedError(std::string("RidgeClassifierCV::") + who);
}

double RidgeClassifierCV::alpha() const {
  check_fitted("alpha()");
  return alpha_;
}
ClassWeight RidgeClassifierCV::class_weight() const {
  check_fitted("class_weight()");
  return class_weight_;
}
double RidgeClassifierCV::proba_scale() const {
  check_fitted("proba_scale()");
  return proba_scale_;
}
double RidgeClassifierCV::best_score() const {
  check_fitted("best_score()");
  return best_score_;
}
const VectorD& RidgeClassifierCV::cv_mse() const {
  check_fitted("cv_mse()");
  return cv_mse_;
}
const VectorD& RidgeClassifierCV::cv_accuracy() const {
  check_fitted("cv_accuracy()");
  return cv_accuracy_;
}
const ColMatrix<double>& RidgeClassifierCV::coef() const {
  check_fitted("coef()");
  return coef_;
}
const VectorD& RidgeClassifierCV::intercept() const {
  check_fitted("intercept()");
  return intercept_;
}
const std::vector<std::string>& RidgeClassifierCV::classes() const {
  check_fitted("classes()");
  return classes_;
}
index_t RidgeClassifierCV::n_classes() const {
  check_fitted("n_classes()");
  return static_cast<index_t>(classes_.size());
}
index_t RidgeClassifierCV::n_targets() const {
  check_fitted("n_targets()");
  return coef_.rows();
}
index_t RidgeClassifierCV::n_features() const {
  check_fitted("n_features()");
  return n_features_;
}

template <class T>
detail::GcvInput RidgeClassifierCV::gcv_input(const Eigen::Ref<const RowMatrix<T>>& x,
                                              const std::vector<index_t>& yi,
                                              const std::vector<index_t>& count, ClassWeight weight,
                                              int threads) const {
  const index_t n = x.rows(), f = x.cols();
  const auto nc = static_cast<index_t>(count.size());
  // Targets in {-1, +1} (scikit-learn's LabelBinarizer): one column for two classes,
  // +1 for classes[1].
  const index_t nt = nc == 2 ? 1 : nc;
  detail::GcvInput in;
  in.y = ColMatrix<double>::Constant(n, nt, -1.0);
  for (index_t i = 0; i < n; ++i) {
    const index_t k = yi[static_cast<std::size_t>(i)];
    if (nc == 2) {
      if (k == 1) in.y(i, 0) = 1.0;
    } else {
      in.y(i, k) = 1.0;
    }
  }
  // Sample weights: "balanced" gives n / (n_classes * count) to each sample of a class.
  VectorD sw = VectorD::Ones(n);
  if (weight == ClassWeight::balanced) {
    for (index_t i = 0; i < n; ++i) {
      sw(i) =
          static_cast<double>(n) /
          (static_cast<double>(nc) *
           static_cast<double>(count[static_cast<std::size_t>(yi[static_cast<std::size_t>(i)])]));
    }
  }
  in.sqrt_sw = sw.cwiseSqrt();
  in.alphas = params_.alphas;
  in.n_threads = threads;
  in.center = params_.fit_intercept;
  in.label = yi;

  // Weighted means of X and y (NumPy's average: sum(w x) / sum(w), samples in order).
  in.y_offset = VectorD::Zero(nt);
  in.x_offset = VectorD::Zero(f);
  if (params_.fit_intercept) {
    in.x_offset = detail::weighted_column_means<T>(x, sw, threads);
    for (index_t i = 0; i < n; ++i)
      in.y_offset += in.y.row(i).transpose() * sw(i);
    in.y_offset /= sw.sum();
    in.y.rowwise() -= in.y_offset.transpose();
  }
  in.y = in.sqrt_sw.asDiagonal() * in.y;
  return in;
}

template <class T>
RidgeClassifierCV& RidgeClassifierCV::fit(const Eigen::Ref<const RowMatrix<T>>& x,
                                          const std::vector<std::string>& y) {
  const char* who = "RidgeClassifierCV::fit()";
  const index_t n = x.rows(), f = x.cols();
  if (n == 0 || f == 0) {
    throw std::invalid_argument(std::string(who) + ": x is " + std::to_string(n) + " x " +
                                std::to_string(f) + "; need at least 1 sample and 1 feature");
  }
  if (static_cast<index_t>(y.size()) != n) {
    throw std::invalid_argument(std::string(who) + ": x has " + std::to_string(n) +
                                " samples but y has " + std::to_string(y.size()) + " labels");
  }
  const int threads = resolve_n_jobs(params_.n_jobs, "RidgeClassifierCV");
  detail::check_finite<T>(x, who, threads);

  std::vector<std::string> classes = sorted_classes(y);
  const index_t nc = static_cast<index_t>(classes.size());
  if (nc < 2) {
    throw std::invalid_argument(std::string(who) + ": y has only one class \"" + classes.front() +
                                "\"; a classifier needs at least 2 classes");
  }
  const std::vector<index_t> yi = class_indices(y, classes);
  std::vector<index_t> count(static_cast<std::size_t>(nc), 0);
  for (const index_t k : yi)
    ++count[static_cast<std::size_t>(k)];

  // The weightings to fit, the preferred one first: the one asked for; for `choose`,
  // balanced when the class counts are consistent with equal class frequencies, else
  // none, then the other one (see ClassWeight::choose). With equal sizes both give every
  // sample weight 1: one fit, reported as balanced.
  std::vector<ClassWeight> weights = {params_.class_weight};
  if (params_.class_weight == ClassWeight::choose) {
    weights = {ClassWeight::balanced};
    if (std::adjacent_find(count.begin(), count.end(), std::not_equal_to<>()) != count.end()) {
      if (detail::equal_frequencies_p(count) >= kChooseMaxP) {
        weights = {ClassWeight::balanced, ClassWeight::none};
      } else {
        weights = {ClassWeight::none, ClassWeight::balanced};
      }
    }
  }
  std::vector<detail::GcvInput> inputs;
  inputs.reserve(weights.size());
  for (const ClassWeight w : weights)
    inputs.push_back(gcv_input<T>(x, yi, count, w, threads));

  detail::ChosenGcv chosen = detail::ridge_gcv_choose<T>(x, inputs, kChooseMaxP);
  const detail::GcvInput& in = inputs[chosen.chosen];
  detail::GcvResult& res = chosen.result;

  classes_ = std::move(classes);
  n_features_ = f;
  class_weight_ = weights[chosen.chosen];
  alpha_ = params_.alphas[static_cast<std::size_t>(res.best)];
  best_score_ = -res.mse(res.best);
  cv_mse_ = std::move(res.mse);
  cv_accuracy_ = std::move(res.accuracy);
  coef_ = std::move(res.coef);
  intercept_ = params_.fit_intercept ? VectorD(in.y_offset - coef_ * in.x_offset)
                                     : VectorD::Zero(coef_.rows());
  proba_scale_ = detail::fit_inverse_temperature(res.loo_decision, yi, nc);
  fitted_ = true;
  return *this;
}

template <class T>
RowMatrixD RidgeClassifierCV::decision_function(const Eigen::Ref<const RowMatrix<T>>& x) const {
  const int threads = resolve_n_jobs(params_.n_jobs, "RidgeClassifierCV");
  detail::check_predict_input<T>(x, fitted_, n_features_, "RidgeClassifierCV::decision_function()",
                                 threads);
  return detail::affine_rows<T>(x, coef_, intercept_, threads);
}

RowMatrixD RidgeClassifierCV::probabilities(const Eigen::Ref<const RowMatrixD>& decision) const {
  return probabilities(decision, proba_scale_);  // checks that the model is fitted
}

RowMatrixD RidgeClassifierCV::probabilities(const Eigen::Ref<const RowMatrixD>& decision,
                                            double inverse_temperature) const {
  const char* who = "RidgeClassifierCV::probabilities()";
  check_fitted("probabilities()");
  if (!(std::isfinite(inverse_temperature) && inverse_temperature > 0.0)) {
    throw std::invalid_argument(std::string(who) + ": inverse temperature " +
                                shortest_text(inverse_temperature) + "; need a finite value > 0");
  }
  if (decision.cols() != coef_.rows()) {
    throw std::invalid_argument(std::string(who) + ": decision values have " +
                                std::to_string(decision.cols()) + " columns, expected " +
                                std::to_string(coef_.rows()));
  }
  if (!decision.allFinite())
    throw std::invalid_argument(std::string(who) + ": a non-finite decision value");
  return detail::softmax_rows(detail::class_scores(decision), inverse_temperature);
}

template <class T>
RowMatrixD RidgeClassifierCV::predict_proba(const Eigen::Ref<const RowMatrix<T>>& x) const {
  return probabilities(decision_function<T>(x));
}

template <class T>
std::vector<index_t> RidgeClassifierCV::predict_index(
    const Eigen::Ref<const RowMatrix<T>>& x) const {
  const RowMatrixD scores = decision_function<T>(x);
  std::vector<index_t> out(static_cast<std::size_t>(scores.rows()));
  for (index_t i = 0; i < scores.rows(); ++i)
    out[static_cast<std::size_t>(i)] = detail::class_of(scores.row(i));
  return out;
}

template <class T>
std::vector<std::string> RidgeClassifierCV::predict(const Eigen::Ref<const RowMatrix<T>>& x) const {
  const std::vector<index_t> idx = predict_index<T>(x);
  std::vector<std::string> out;
  out.reserve(idx.size());
  for (index_t k : idx)
    out.push_back(classes_[static_cast<std::size_t>(k)]);
  return out;
}

template <class T>
double RidgeClassifierCV::score(const Eigen::Ref<const RowMatrix<T>>& x,
                                const std::vector<std::string>& y) const {
  if (static_cast<index_t>(y.size()) != x.rows()) {
    throw std::invalid_argument("RidgeClassifierCV::score(): x has " + std::to_string(x.rows()) +
                                " samples but y has " + std::to_string(y.size()) + " labels");
  }
  const std::vector<std::string> pred = predict<T>(x);
  if (pred.empty()) {
    throw std::invalid_argument("RidgeClassifierCV::score(): x has no samples");
  }
  std::size_t hits = 0;
  for (std::size_t i = 0; i < pred.size(); ++i)
    hits += pred[i] == y[i] ? 1 : 0;
  return static_cast<double>(hits) / static_cast<double>(pred.size());
}

void RidgeClassifierCV::validate_loaded() {
  auto fail = [](const std::string& problem) {
    detail::throw_archive_error("RidgeClassifierCV: " + problem);
  };
  try {
    params_.validate("RidgeClassifierCV");
  } catch (const std::invalid_argument& e) {
    fail(std::string("invalid parameters: ") + e.what());
  }
  if (!fitted_) return;
  const index_t nc = static_cast<index_t>(classes_.size());
  if (nc < 2) fail("classes_ has " + std::to_string(nc) + " entries; a classifier has at least 2");
  if (sorted_classes(classes_) != classes_) fail("classes_ are not distinct and sorted");
  // best_score_ is minus the chosen alpha's leave-one-out error: recomputed rather than
  // trusted (files from before format version 3 may hold an accuracy there).
  best_score_ = detail::check_loaded_ridge("RidgeClassifierCV", n_features_, coef_, intercept_,
                                           cv_mse_, params_.alphas, alpha_, nc == 2 ? 1 : nc);
  if (cv_accuracy_.size() != 0 && cv_accuracy_.size() != cv_mse_.size()) {
    fail("cv_accuracy_ has " + std::to_string(cv_accuracy_.size()) + " entries for " +
         std::to_string(cv_mse_.size()) + " alphas");
  }
  for (double v : cv_accuracy_)
    if (!(v >= 0.0 && v <= 1.0)) fail("invalid cv_accuracy_ entry");
  if (params_.class_weight == ClassWeight::choose ? class_weight_ == ClassWeight::choose
                                                  : class_weight_ != params_.class_weight) {
    fail("class_weight_ = " + ParamText<ClassWeight>::text(class_weight_) +
         " does not follow from params.class_weight = " +
         ParamText<ClassWeight>::text(params_.class_weight));
  }
  if (!(proba_scale_ >= detail::kMinInverseTemperature &&
        proba_scale_ <= detail::kMaxInverseTemperature)) {
    fail("proba_scale_ = " + shortest_text(proba_scale_) + " is outside [" +
         shortest_text(detail::kMinInverseTemperature) + ", " +
         shortest_text(detail::kMaxInverseTemperature) + "]");
  }
}

#define STRIDER_INSTANTIATE_RIDGE(T)                                                             \
  template RidgeClassifierCV& RidgeClassifierCV::fit<T>(const Eigen::Ref<const RowMatrix<T>>&,   \
                                                        const std::vector<std::string>&);        \
  template RowMatrixD RidgeClassifierCV::decision_function<T>(                                   \
      const Eigen::Ref<const RowMatrix<T>>&) const;                                              \
  template RowMatrixD RidgeClassifierCV::predict_proba<T>(const Eigen::Ref<const RowMatrix<T>>&) \
      const;                                                                                     \
  template std::vector<std::string> RidgeClassifierCV::predict<T>(                               \
      const Eigen::Ref<const RowMatrix<T>>&) const;                                              \
  template std::vector<index_t> RidgeClassifierCV::predict_index<T>(                             \
      const Eigen::Ref<const RowMatrix<T>>&) const;                                              \
  template double RidgeClassifierCV::score<T>(const Eigen::Ref<const RowMatrix<T>>&,             \
                                              const std::vector<std::string>&) const;

STRIDER_INSTANTIATE_RIDGE(float)
STRIDER_INSTANTIATE_RIDGE(double)

#undef STRIDER_INSTANTIATE_RIDGE

}  // namespace strider
