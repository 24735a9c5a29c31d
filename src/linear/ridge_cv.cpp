#include "strider/linear/ridge_cv.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "linear/linear_common.hpp"
#include "linear/ridge_gcv.hpp"
#include "strider/error.hpp"
#include "strider/limits.hpp"
#include "strider/metrics.hpp"
#include "strider/parallel.hpp"

namespace strider {

RidgeCV::RidgeCV(RidgeCVParams params) : params_(std::move(params)) {
  params_.validate("RidgeCV");
}

void RidgeCV::check_fitted(const char* who) const {
  if (!fitted_) throw NotFittedError(std::string("RidgeCV::") + who);
}

double RidgeCV::alpha() const {
  check_fitted("alpha()");
  return alpha_;
}
double RidgeCV::best_score() const {
  check_fitted("best_score()");
  return best_score_;
}
const VectorD& RidgeCV::cv_mse() const {
  check_fitted("cv_mse()");
  return cv_mse_;
}
const ColMatrix<double>& RidgeCV::coef() const {
  check_fitted("coef()");
  return coef_;
}
const VectorD& RidgeCV::intercept() const {
  check_fitted("intercept()");
  return intercept_;
}
index_t RidgeCV::n_targets() const {
  check_fitted("n_targets()");
  return coef_.rows();
}
index_t RidgeCV::n_features() const {
  check_fitted("n_features()");
  return n_features_;
}

void RidgeCV::set_n_jobs(int n_jobs) {
  RidgeCVParams p = params_;
  p.n_jobs = n_jobs;
  p.validate("RidgeCV::set_n_jobs()");
  params_ = p;
}

template <class T>
RidgeCV& RidgeCV::fit(const Eigen::Ref<const RowMatrix<T>>& x,
                      const Eigen::Ref<const RowMatrixD>& y) {
  const char* who = "RidgeCV::fit()";
  const index_t n = x.rows(), f = x.cols(), nt = y.cols();
  if (n < 2 || f == 0) {
    throw std::invalid_argument(std::string(who) + ": x has " + std::to_string(n) +
                                (n == 1 ? " sample" : " samples") + " of " + std::to_string(f) +
                                " features; leave-one-out needs at least 2 samples and 1 "
                                "feature");
  }
  if (y.rows() != n || nt == 0) {
    throw std::invalid_argument(std::string(who) + ": x has " + std::to_string(n) +
                                " samples but y is " + std::to_string(y.rows()) + " x " +
                                std::to_string(nt) + "; expected " + std::to_string(n) +
                                " x n_targets, n_targets >= 1");
  }
  for (index_t i = 0; i < n; ++i) {
    for (index_t t = 0; t < nt; ++t) {
      if (!(std::abs(y(i, t)) <= kMaxAbsValue)) {
        throw std::invalid_argument(std::string(who) + ": y(" + std::to_string(i) + ", " +
                                    std::to_string(t) + ") is " + shortest_text(y(i, t)) +
                                    "; every target must be finite, of magnitude at most 1e50 "
                                    "(strider::kMaxAbsValue)");
      }
    }
  }
  const int threads = resolve_n_jobs(params_.n_jobs, "RidgeCV");
  detail::check_finite<T>(x, who, threads);

  detail::GcvInput in;
  in.who = who;
  in.sqrt_sw = VectorD::Ones(n);
  in.alphas = params_.alphas;
  in.n_threads = threads;
  in.center = params_.fit_intercept;
  in.y = y;
  in.y_offset = VectorD::Zero(nt);
  in.x_offset = VectorD::Zero(f);
  if (params_.fit_intercept) {
    in.x_offset = detail::weighted_column_means<T>(x, in.sqrt_sw, threads);
    for (index_t i = 0; i < n; ++i)  // the mean, samples summed in order
      in.y_offset += in.y.row(i).transpose();
    in.y_offset /= static_cast<double>(n);
    in.y.rowwise() -= in.y_offset.transpose();
  }
  detail::GcvResult res = detail::ridge_gcv<T>(x, in);

  n_features_ = f;
  alpha_ = params_.alphas[static_cast<std::size_t>(res.best)];
  best_score_ = -res.mse(res.best);
  cv_mse_ = std::move(res.mse);
  coef_ = std::move(res.coef);
  intercept_ =
      params_.fit_intercept ? VectorD(in.y_offset - coef_ * in.x_offset) : VectorD::Zero(nt);
  fitted_ = true;
  return *this;
}

template <class T>
RowMatrixD RidgeCV::predict(const Eigen::Ref<const RowMatrix<T>>& x) const {
  const int threads = resolve_n_jobs(params_.n_jobs, "RidgeCV");
  detail::check_predict_input<T>(x, fitted_, n_features_, "RidgeCV::predict()", threads);
  RowMatrixD out = detail::affine_rows<T>(x, coef_, intercept_, threads);
  if (!out.allFinite()) {  // coefficients of a crafted file, or far-out input values
    throw std::runtime_error(
        "RidgeCV::predict(): a prediction overflowed; the model's coefficients are too large "
        "for these features");
  }
  return out;
}

template <class T>
double RidgeCV::score(const Eigen::Ref<const RowMatrix<T>>& x,
                      const Eigen::Ref<const RowMatrixD>& y) const {
  check_fitted("score()");
  if (y.rows() != x.rows() || y.cols() != coef_.rows()) {
    throw std::invalid_argument("RidgeCV::score(): x has " + std::to_string(x.rows()) +
                                " samples and the model " + std::to_string(coef_.rows()) +
                                " targets, but y is " + std::to_string(y.rows()) + " x " +
                                std::to_string(y.cols()));
  }
  return r2_score(y, predict<T>(x));
}

void RidgeCV::validate_loaded() {
  auto fail = [](const std::string& problem) {
    detail::throw_archive_error("RidgeCV: " + problem);
  };
  try {
    params_.validate("RidgeCV");
  } catch (const std::invalid_argument& e) {
    fail(std::string("invalid parameters: ") + e.what());
  }
  if (!fitted_) return;
  if (!params_.fit_intercept && !intercept_.isZero(0.0))
    fail("intercept_ is not zero but params.fit_intercept is false");
  best_score_ = detail::check_loaded_ridge("RidgeCV", n_features_, coef_, intercept_, cv_mse_,
                                           params_.alphas, alpha_, 0);
}

#define STRIDER_INSTANTIATE_RIDGE_CV(T)                                                 \
  template RidgeCV& RidgeCV::fit<T>(const Eigen::Ref<const RowMatrix<T>>&,              \
                                    const Eigen::Ref<const RowMatrixD>&);               \
  template RowMatrixD RidgeCV::predict<T>(const Eigen::Ref<const RowMatrix<T>>&) const; \
  template double RidgeCV::score<T>(const Eigen::Ref<const RowMatrix<T>>&,              \
                                    const Eigen::Ref<const RowMatrixD>&) const;

STRIDER_INSTANTIATE_RIDGE_CV(float)
STRIDER_INSTANTIATE_RIDGE_CV(double)

#undef STRIDER_INSTANTIATE_RIDGE_CV

}  // namespace strider
