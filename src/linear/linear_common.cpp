#include "linear/linear_common.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "strider/detail/serial_version.hpp"
#include "strider/error.hpp"
#include "strider/parallel.hpp"
#include "strider/params.hpp"

namespace strider::detail {

template <class T>
void check_finite(const Eigen::Ref<const RowMatrix<T>>& x, const std::string& who, int n_threads) {
  const index_t n = x.rows(), f = x.cols();
  const index_t blocks = n_blocks(n, kRowBlock);
  // First bad flat index per block of rows; the smallest one is reported, so the message
  // does not depend on the thread count.
  constexpr index_t kNone = std::numeric_limits<index_t>::max();
  std::vector<index_t> first_bad(static_cast<std::size_t>(blocks), kNone);
  const int threads = threads_for(static_cast<double>(n) * static_cast<double>(f), n_threads);
  parallel_for(0, blocks, threads, [&](index_t b) {
    const index_t r1 = std::min(n, (b + 1) * kRowBlock);
    for (index_t i = b * kRowBlock; i < r1; ++i) {
      const T* row = x.row(i).data();
      if (x.row(i).allFinite()) continue;
      for (index_t j = 0; j < f; ++j) {
        if (!std::isfinite(row[j])) {
          first_bad[static_cast<std::size_t>(b)] = i * f + j;
          return;
        }
      }
    }
  });
  for (index_t bad : first_bad) {
    if (bad == kNone) continue;
    const index_t i = bad / f, j = bad % f;
    std::ostringstream msg;
    msg << who << ": x(" << i << ", " << j << ") is " << x(i, j) << " (row " << i << ", column "
        << j << "); every value must be finite";
    throw std::invalid_argument(msg.str());
  }
}

template <class T>
VectorD weighted_column_means(const Eigen::Ref<const RowMatrix<T>>& x, const VectorD& w,
                              int n_threads) {
  const index_t n = x.rows(), f = x.cols();
  const double wsum = w.sum();
  VectorD means(f);
  const int threads = threads_for(static_cast<double>(n) * static_cast<double>(f), n_threads);
  parallel_for(0, n_blocks(f, kColumnBlock), threads, [&](index_t b) {
    const index_t j0 = b * kColumnBlock;
    const index_t width = std::min(kColumnBlock, f - j0);
    VectorD acc = VectorD::Zero(width);
    for (index_t i = 0; i < n; ++i)
      acc += x.row(i).segment(j0, width).transpose().template cast<double>() * w(i);
    means.segment(j0, width) = acc / wsum;
  });
  return means;
}

template <class T>
void check_predict_input(const Eigen::Ref<const RowMatrix<T>>& x, bool fitted, index_t n_features,
                         const char* who, int n_threads) {
  if (!fitted) throw NotFittedError(who);
  if (x.cols() != n_features) {
    throw std::invalid_argument(std::string(who) + ": x has " + std::to_string(x.cols()) +
                                " features, fit() saw " + std::to_string(n_features));
  }
  check_finite<T>(x, who, n_threads);
}

double check_loaded_ridge(const std::string& who, index_t n_features, const ColMatrix<double>& coef,
                          const VectorD& intercept, const VectorD& cv_mse,
                          const std::vector<double>& alphas, double alpha, index_t targets) {
  auto fail = [&](const std::string& problem) { throw_archive_error(who + ": " + problem); };
  if (n_features < 1) fail("n_features_in_ = " + std::to_string(n_features));
  const index_t nt = targets > 0 ? targets : coef.rows();
  if (nt < 1 || coef.rows() != nt || coef.cols() != n_features) {
    fail("coef_ is " + std::to_string(coef.rows()) + " x " + std::to_string(coef.cols()) +
         ", expected " + (targets > 0 ? std::to_string(targets) : std::string("n_targets >= 1")) +
         " x " + std::to_string(n_features) + " (targets x features)");
  }
  if (intercept.size() != nt) {
    fail("intercept_ has " + std::to_string(intercept.size()) + " entries, expected " +
         std::to_string(nt));
  }
  if (cv_mse.size() != static_cast<index_t>(alphas.size())) {
    fail("cv_mse_ has " + std::to_string(cv_mse.size()) + " entries for " +
         std::to_string(alphas.size()) + " alphas");
  }
  if (!coef.allFinite() || !intercept.allFinite()) fail("non-finite coef_ or intercept_");
  for (double v : cv_mse)
    if (std::isnan(v) || v < 0.0) fail("invalid cv_mse_ entry");
  const auto chosen = std::find(alphas.begin(), alphas.end(), alpha);
  if (chosen == alphas.end())
    fail("alpha_ = " + shortest_text(alpha) + " is not one of the alphas");
  const double best = -cv_mse(chosen - alphas.begin());
  if (!std::isfinite(best)) fail("the chosen alpha has no finite leave-one-out error");
  return best;
}

template void check_predict_input<float>(const Eigen::Ref<const RowMatrixF>&, bool, index_t,
                                         const char*, int);
template void check_predict_input<double>(const Eigen::Ref<const RowMatrixD>&, bool, index_t,
                                          const char*, int);

template <class T>
RowMatrixD affine_rows(const Eigen::Ref<const RowMatrix<T>>& x, const ColMatrix<double>& coef,
                       const VectorD& intercept, int n_threads) {
  const index_t n = x.rows(), nt = coef.rows();
  RowMatrixD out(n, nt);
  const int threads = threads_for(
      static_cast<double>(n) * static_cast<double>(x.cols()) * static_cast<double>(nt), n_threads);
  parallel_for(0, n_blocks(n, kRowBlock), threads, [&](index_t b) {
    const index_t i0 = b * kRowBlock, rb = std::min(kRowBlock, n - i0);
    const RowMatrixD xb = x.middleRows(i0, rb).template cast<double>();
    out.middleRows(i0, rb).noalias() = xb * coef.transpose();
    out.middleRows(i0, rb).rowwise() += intercept.transpose();
  });
  return out;
}

template RowMatrixD affine_rows<float>(const Eigen::Ref<const RowMatrixF>&,
                                       const ColMatrix<double>&, const VectorD&, int);
template RowMatrixD affine_rows<double>(const Eigen::Ref<const RowMatrixD>&,
                                        const ColMatrix<double>&, const VectorD&, int);
template VectorD weighted_column_means<float>(const Eigen::Ref<const RowMatrixF>&, const VectorD&,
                                              int);
template VectorD weighted_column_means<double>(const Eigen::Ref<const RowMatrixD>&, const VectorD&,
                                               int);
template void check_finite<float>(const Eigen::Ref<const RowMatrixF>&, const std::string&, int);
template void check_finite<double>(const Eigen::Ref<const RowMatrixD>&, const std::string&, int);

}  // namespace strider::detail
