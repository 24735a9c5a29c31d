#include "strider/linear/standard_scaler.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "linear/linear_common.hpp"
#include "strider/error.hpp"
#include "strider/parallel.hpp"

namespace strider {

using detail::kColumnBlock;
using detail::kRowBlock;
using detail::n_blocks;

StandardScaler::StandardScaler(StandardScalerParams params) : params_(params) {
  params_.validate("StandardScaler");
}

void StandardScaler::check_fitted(const char* who) const {
  if (!fitted_) throw NotFittedError(std::string("StandardScaler::") + who);
}

const VectorD& StandardScaler::mean() const {
  check_fitted("mean()");
  return mean_;
}
const VectorD& StandardScaler::var() const {
  check_fitted("var()");
  return var_;
}
const VectorD& StandardScaler::scale() const {
  check_fitted("scale()");
  return scale_;
}
index_t StandardScaler::n_samples_seen() const {
  check_fitted("n_samples_seen()");
  return n_samples_seen_;
}
index_t StandardScaler::n_features() const {
  check_fitted("n_features()");
  return mean_.size();
}

namespace {

// Mean and population variance of each column of x: scikit-learn's corrected two-pass
// algorithm (Chan, Golub & LeVeque) with float64 accumulators; rows are summed in order,
// as NumPy reduces axis 0. Parallel over fixed column blocks.
template <class T>
void batch_moments(const Eigen::Ref<const RowMatrix<T>>& x, int threads, VectorD& mean,
                   VectorD& var) {
  const index_t n = x.rows(), f = x.cols();
  const double nd = static_cast<double>(n);
  const int fit_threads =
      detail::threads_for(2.0 * static_cast<double>(n) * static_cast<double>(f), threads);
  parallel_for(0, n_blocks(f, kColumnBlock), fit_threads, [&](index_t b) {
    const index_t j0 = b * kColumnBlock, w = std::min(kColumnBlock, f - j0);
    Eigen::Array<double, Eigen::Dynamic, 1> sum = Eigen::Array<double, Eigen::Dynamic, 1>::Zero(w);
    for (index_t i = 0; i < n; ++i)
      sum += x.row(i).segment(j0, w).transpose().array().template cast<double>();
    const Eigen::Array<double, Eigen::Dynamic, 1> m = sum / nd;
    Eigen::Array<double, Eigen::Dynamic, 1> corr = Eigen::Array<double, Eigen::Dynamic, 1>::Zero(w);
    Eigen::Array<double, Eigen::Dynamic, 1> sq = Eigen::Array<double, Eigen::Dynamic, 1>::Zero(w);
    for (index_t i = 0; i < n; ++i) {
      const Eigen::Array<double, Eigen::Dynamic, 1> d =
          x.row(i).segment(j0, w).transpose().array().template cast<double>() - m;
      corr += d;
      sq += d * d;
    }
    for (index_t k = 0; k < w; ++k) {
      mean(j0 + k) = m(k);
      var(j0 + k) = (sq(k) - corr(k) * corr(k) / nd) / nd;
    }
  });
}

// scale_ of a feature: sqrt(var), or 1 for a constant feature, whose variance is below
// the error bound of the two-pass algorithm over n samples (scikit-learn's test).
double scale_of(double var, double mean, double n) {
  constexpr double eps = std::numeric_limits<double>::epsilon();
  const double bound = n * eps * var + (n * mean * eps) * (n * mean * eps);
  return var <= bound ? 1.0 : std::sqrt(var);
}

}  // namespace

template <class T>
StandardScaler& StandardScaler::fit(const Eigen::Ref<const RowMatrix<T>>& x) {
  const char* who = "StandardScaler::fit()";
  const index_t n = x.rows(), f = x.cols();
  if (n == 0 || f == 0) {
    throw std::invalid_argument(std::string(who) + ": x is " + std::to_string(n) + " x " +
                                std::to_string(f) + "; need at least 1 sample and 1 feature");
  }
  const int threads = resolve_n_jobs(params_.n_jobs, "StandardScaler");
  detail::check_finite<T>(x, who, threads);

  VectorD mean(f), var(f), scale(f);
  batch_moments<T>(x, threads, mean, var);
  for (index_t j = 0; j < f; ++j)
    scale(j) = scale_of(var(j), mean(j), static_cast<double>(n));
  mean_ = std::move(mean);
  var_ = std::move(var);
  scale_ = std::move(scale);
  n_samples_seen_ = n;
  fitted_ = true;
  return *this;
}

template <class T>
StandardScaler& StandardScaler::partial_fit(const Eigen::Ref<const RowMatrix<T>>& x) {
  if (!fitted_) return fit<T>(x);
  const char* who = "StandardScaler::partial_fit()";
  const index_t n = x.rows(), f = x.cols();
  if (n == 0) return *this;
  if (f != mean_.size()) {
    throw std::invalid_argument(std::string(who) + ": x has " + std::to_string(f) +
                                " features; the scaler has seen " + std::to_string(mean_.size()));
  }
  const int threads = resolve_n_jobs(params_.n_jobs, "StandardScaler");
  detail::check_finite<T>(x, who, threads);
  VectorD mean(f), var(f);
  batch_moments<T>(x, threads, mean, var);
  merge_moments(n, mean, var);
  return *this;
}

StandardScaler& StandardScaler::merge(const StandardScaler& other) {
  if (!other.fitted_) return *this;
  if (!fitted_) {
    StandardScalerParams keep = params_;
    *this = other;
    params_ = keep;
    return *this;
  }
  if (other.mean_.size() != mean_.size()) {
    throw std::invalid_argument("StandardScaler::merge(): the other scaler has " +
                                std::to_string(other.mean_.size()) + " features, this one " +
                                std::to_string(mean_.size()));
  }
  merge_moments(other.n_samples_seen_, other.mean_, other.var_);
  return *this;
}

void StandardScaler::merge_moments(index_t n, const VectorD& mean_new, const VectorD& var_new) {
  // Chan, Golub & LeVeque's pairwise update, as scikit-learn's partial_fit: sums of
  // squared deviations add, plus the term for the difference of the two means.
  const index_t f = mean_.size();
  const double n_old = static_cast<double>(n_samples_seen_), n_new = static_cast<double>(n);
  const double n_all = n_old + n_new;
  VectorD mean(f), var(f), scale(f);
  for (index_t j = 0; j < f; ++j) {
    const double sum_old = mean_(j) * n_old, sum_new = mean_new(j) * n_new;
    const double ratio = n_old / n_new;
    const double d = sum_old / ratio - sum_new;
    const double m2 = var_(j) * n_old + var_new(j) * n_new + ratio / n_all * d * d;
    mean(j) = (sum_old + sum_new) / n_all;
    var(j) = m2 / n_all;
    scale(j) = scale_of(var(j), mean(j), n_all);
  }
  mean_ = std::move(mean);
  var_ = std::move(var);
  scale_ = std::move(scale);
  n_samples_seen_ += n;
}

namespace {

/// Applies `op(value, j)` to every element of x (rows in parallel).
template <class T, class Op>
void for_each_element(Eigen::Ref<RowMatrix<T>> x, int threads, Op op) {
  const index_t n = x.rows(), f = x.cols();
  threads = detail::threads_for(static_cast<double>(n) * static_cast<double>(f), threads);
  parallel_for(0, n_blocks(n, kRowBlock), threads, [&](index_t b) {
    const index_t r1 = std::min(n, (b + 1) * kRowBlock);
    for (index_t i = b * kRowBlock; i < r1; ++i) {
      T* row = x.row(i).data();
      for (index_t j = 0; j < f; ++j)
        row[j] = op(row[j], j);
    }
  });
}

}  // namespace

template <class T>
void StandardScaler::transform_inplace(Eigen::Ref<RowMatrix<T>> x) const {
  transform_columns<T>(x, nullptr, "StandardScaler::transform()", true);
}

void StandardScaler::check_factor(const Eigen::Ref<const VectorD>& factor, index_t n_columns,
                                  const char* who) {
  if (factor.size() != n_columns || !factor.allFinite()) {
    throw std::invalid_argument(std::string(who) + ": the column factor has " +
                                std::to_string(factor.size()) + " entries" +
                                (factor.allFinite() ? "" : ", not all finite") + "; need " +
                                std::to_string(n_columns) + " finite values");
  }
}

template <class T>
void StandardScaler::transform_inplace(Eigen::Ref<RowMatrix<T>> x,
                                       const Eigen::Ref<const VectorD>& factor) const {
  const char* who = "StandardScaler::transform()";
  check_fitted("transform()");
  check_factor(factor, n_features(), who);
  transform_columns<T>(x, factor.data(), who, true);
}

template <class T>
StandardScaler& StandardScaler::fit_transform_inplace(Eigen::Ref<RowMatrix<T>> x) {
  fit<T>(x);
  transform_columns<T>(x, nullptr, "StandardScaler::fit_transform_inplace()", false);
  return *this;
}

template <class T>
StandardScaler& StandardScaler::fit_transform_inplace(Eigen::Ref<RowMatrix<T>> x,
                                                      const Eigen::Ref<const VectorD>& factor) {
  const char* who = "StandardScaler::fit_transform_inplace()";
  check_factor(factor, x.cols(), who);  // before fit(): a bad factor changes nothing
  fit<T>(x);
  transform_columns<T>(x, factor.data(), who, false);
  return *this;
}

template <class T>
void StandardScaler::transform_columns(Eigen::Ref<RowMatrix<T>> x, const double* factor,
                                       const char* who, bool check) const {
  check_fitted("transform()");
  if (x.cols() != n_features()) {
    throw std::invalid_argument(std::string(who) + ": x has " + std::to_string(x.cols()) +
                                " features, fit() saw " + std::to_string(n_features()));
  }
  const int threads = resolve_n_jobs(params_.n_jobs, "StandardScaler");
  if (check) detail::check_finite<T>(x, who, threads);
  const double* m = mean_.data();
  const double* s = scale_.data();
  // In float64, rounding to T after each step as NumPy's in-place `x -= mean; x /= scale`
  // (then `x *= factor`; a product of two values of T rounds to the same T whether it is
  // computed in T or in double).
  const auto run = [&](auto centre, auto divide, auto multiply) {
    for_each_element<T>(x, threads, [=](T v, index_t j) {
      if constexpr (decltype(centre)::value) v = static_cast<T>(static_cast<double>(v) - m[j]);
      if constexpr (decltype(divide)::value) v = static_cast<T>(static_cast<double>(v) / s[j]);
      if constexpr (decltype(multiply)::value)
        v = static_cast<T>(static_cast<double>(v) * factor[j]);
      return v;
    });
  };
  // Each step compiled in or out of the loop, so that none costs a test per element.
  using Yes = std::true_type;
  using No = std::false_type;
  const auto with_factor = [&](auto c, auto d) { factor ? run(c, d, Yes{}) : run(c, d, No{}); };
  const auto with_std = [&](auto c) {
    params_.with_std ? with_factor(c, Yes{}) : with_factor(c, No{});
  };
  if (!params_.with_mean && !params_.with_std && factor == nullptr) return;  // nothing to do
  params_.with_mean ? with_std(Yes{}) : with_std(No{});
}

template <class T>
RowMatrix<T> StandardScaler::transform(const Eigen::Ref<const RowMatrix<T>>& x) const {
  check_fitted("transform()");
  if (x.cols() != n_features()) {
    throw std::invalid_argument("StandardScaler::transform(): x has " + std::to_string(x.cols()) +
                                " features, fit() saw " + std::to_string(n_features()));
  }
  RowMatrix<T> out = x;
  transform_inplace<T>(out);
  return out;
}

template <class T>
RowMatrix<T> StandardScaler::fit_transform(const Eigen::Ref<const RowMatrix<T>>& x) {
  fit<T>(x);
  return transform<T>(x);
}

template <class T>
RowMatrix<T> StandardScaler::inverse_transform(const Eigen::Ref<const RowMatrix<T>>& x) const {
  const char* who = "StandardScaler::inverse_transform()";
  check_fitted("inverse_transform()");
  if (x.cols() != n_features()) {
    throw std::invalid_argument(std::string(who) + ": x has " + std::to_string(x.cols()) +
                                " features, fit() saw " + std::to_string(n_features()));
  }
  const int threads = resolve_n_jobs(params_.n_jobs, "StandardScaler");
  detail::check_finite<T>(x, who, threads);
  RowMatrix<T> out = x;
  const double* m = mean_.data();
  const double* s = scale_.data();
  // NumPy's in-place `x *= scale; x += mean`.
  for_each_element<T>(out, threads, [&](T v, index_t j) {
    if (params_.with_std) v = static_cast<T>(static_cast<double>(v) * s[j]);
    if (params_.with_mean) v = static_cast<T>(static_cast<double>(v) + m[j]);
    return v;
  });
  return out;
}

void StandardScaler::validate_loaded() const {
  auto fail = [](const std::string& problem) {
    detail::throw_archive_error("StandardScaler: " + problem);
  };
  if (params_.n_jobs == 0) fail("n_jobs = 0 is not a valid parameter");
  if (!fitted_) return;
  const index_t f = mean_.size();
  if (f < 1) fail("a fitted scaler has no features");
  if (var_.size() != f || scale_.size() != f) {
    fail("mean_, var_ and scale_ have " + std::to_string(f) + ", " + std::to_string(var_.size()) +
         " and " + std::to_string(scale_.size()) + " entries; they must be equal");
  }
  if (n_samples_seen_ < 1) fail("n_samples_seen_ = " + std::to_string(n_samples_seen_));
  if (!mean_.allFinite() || !var_.allFinite() || !scale_.allFinite())
    fail("non-finite mean_, var_ or scale_");
  if ((var_.array() < 0).any()) fail("negative var_");
  if ((scale_.array() <= 0).any()) fail("scale_ must be > 0");
}

#define STRIDER_INSTANTIATE_SCALER(T)                                                              \
  template StandardScaler& StandardScaler::fit<T>(const Eigen::Ref<const RowMatrix<T>>&);          \
  template StandardScaler& StandardScaler::partial_fit<T>(const Eigen::Ref<const RowMatrix<T>>&);  \
  template RowMatrix<T> StandardScaler::transform<T>(const Eigen::Ref<const RowMatrix<T>>&) const; \
  template void StandardScaler::transform_inplace<T>(Eigen::Ref<RowMatrix<T>>) const;              \
  template void StandardScaler::transform_inplace<T>(Eigen::Ref<RowMatrix<T>>,                     \
                                                     const Eigen::Ref<const VectorD>&) const;      \
  template StandardScaler& StandardScaler::fit_transform_inplace<T>(Eigen::Ref<RowMatrix<T>>);     \
  template StandardScaler& StandardScaler::fit_transform_inplace<T>(                               \
      Eigen::Ref<RowMatrix<T>>, const Eigen::Ref<const VectorD>&);                                 \
  template RowMatrix<T> StandardScaler::fit_transform<T>(const Eigen::Ref<const RowMatrix<T>>&);   \
  template RowMatrix<T> StandardScaler::inverse_transform<T>(                                      \
      const Eigen::Ref<const RowMatrix<T>>&) const;

STRIDER_INSTANTIATE_SCALER(float)
STRIDER_INSTANTIATE_SCALER(double)

#undef STRIDER_INSTANTIATE_SCALER

}  // namespace strider
