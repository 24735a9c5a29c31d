#include "strider/utils/gradient_descent.hpp"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

#include "strider/parallel.hpp"

namespace strider::utils {
namespace {

constexpr const char* kWho = "linear_regression_gd()";

[[noreturn]] void fail(const std::string& problem) {
  throw std::invalid_argument(std::string(kWho) + ": " + problem);
}

std::string number(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

void validate(const Eigen::Ref<const RowMatrixD>& x, const Eigen::Ref<const VectorD>& y,
              const Eigen::Ref<const VectorD>& coef_init, const GradientDescentParams& params) {
  if (x.rows() == 0) fail("x has no rows; at least one observation is needed");
  if (x.cols() == 0) fail("x has no columns; at least one coefficient is needed");
  if (y.size() != x.rows()) {
    fail("x has " + std::to_string(x.rows()) + " rows but y has " + std::to_string(y.size()) +
         " values");
  }
  if (coef_init.size() != x.cols()) {
    fail("coef_init has " + std::to_string(coef_init.size()) + " values but x has " +
         std::to_string(x.cols()) + " columns");
  }
  if (!(params.learning_rate > 0.0) || !std::isfinite(params.learning_rate)) {
    fail("learning_rate = " + number(params.learning_rate) + "; it must be finite and > 0");
  }
  if (params.epochs < 0) fail("epochs = " + std::to_string(params.epochs) + "; it must be >= 0");
  check_n_jobs(params.n_jobs, kWho);
  for (index_t i = 0; i < x.rows(); ++i) {
    for (index_t k = 0; k < x.cols(); ++k) {
      if (!std::isfinite(x(i, k))) {
        fail("x(" + std::to_string(i) + ", " + std::to_string(k) + ") = " + number(x(i, k)) +
             "; every value must be finite");
      }
    }
    if (!std::isfinite(y(i))) {
      fail("y(" + std::to_string(i) + ") = " + number(y(i)) + "; every value must be finite");
    }
  }
  for (index_t k = 0; k < coef_init.size(); ++k) {
    if (!std::isfinite(coef_init(k))) {
      fail("coef_init(" + std::to_string(k) + ") = " + number(coef_init(k)) +
           "; every value must be finite");
    }
  }
}

/// Sums over `rows` observations starting at x / y, for coefficients b: out[0] = sum r^2,
/// out[1 + k] = sum r x_k, with r = y - x . b. P > 0 is the (compile-time) column count:
/// four interleaved accumulators (rows i mod 4) hide the add latency; they are combined
/// as (a0 + a1) + (a2 + a3), a fixed order.
template <int P>
void block_sums(const double* x, index_t stride, const double* y, index_t rows, const double* b,
                double* out) {
  double ssr[4] = {0.0, 0.0, 0.0, 0.0};
  double g[4][P] = {};
  index_t i = 0;
  for (; i + 4 <= rows; i += 4) {
    for (int lane = 0; lane < 4; ++lane) {
      const double* xi = x + (i + lane) * stride;
      double pred = 0.0;
      for (int k = 0; k < P; ++k)
        pred += xi[k] * b[k];
      const double r = y[i + lane] - pred;
      ssr[lane] += r * r;
      for (int k = 0; k < P; ++k)
        g[lane][k] += r * xi[k];
    }
  }
  for (int lane = 0; i < rows; ++i, ++lane) {  // the remaining 0..3 rows
    const double* xi = x + i * stride;
    double pred = 0.0;
    for (int k = 0; k < P; ++k)
      pred += xi[k] * b[k];
    const double r = y[i] - pred;
    ssr[lane] += r * r;
    for (int k = 0; k < P; ++k)
      g[lane][k] += r * xi[k];
  }
  out[0] = (ssr[0] + ssr[1]) + (ssr[2] + ssr[3]);
  for (int k = 0; k < P; ++k)
    out[1 + k] = (g[0][k] + g[1][k]) + (g[2][k] + g[3][k]);
}

/// The same for any column count p (one accumulator, row order).
void block_sums_any(const double* x, index_t stride, index_t p, const double* y, index_t rows,
                    const double* b, double* out) {
  std::fill(out, out + 1 + p, 0.0);
  for (index_t i = 0; i < rows; ++i) {
    const double* xi = x + i * stride;
    double pred = 0.0;
    for (index_t k = 0; k < p; ++k)
      pred += xi[k] * b[k];
    const double r = y[i] - pred;
    out[0] += r * r;
    for (index_t k = 0; k < p; ++k)
      out[1 + k] += r * xi[k];
  }
}

/// n / lambda_max(X^T X): learning rates below it converge (for the error message).
double stable_learning_rate_bound(const Eigen::Ref<const RowMatrixD>& x) {
  const ColMatrix<double> gram = x.transpose() * x;
  const Eigen::SelfAdjointEigenSolver<ColMatrix<double>> eig(gram, Eigen::EigenvaluesOnly);
  const double lambda_max = eig.eigenvalues().maxCoeff();
  return static_cast<double>(x.rows()) / lambda_max;
}

/// Sufficient statistics of `rows` observations: out = [X^T X (p x p, row-major), X^T y (p),
/// y^T y], accumulated in row order.
void block_gram(const double* x, index_t stride, index_t p, const double* y, index_t rows,
                double* out) {
  double* gram = out;
  double* xty = out + p * p;
  double& yy = out[p * p + p];
  std::fill(out, out + p * p + p + 1, 0.0);
  for (index_t i = 0; i < rows; ++i) {
    const double* xi = x + i * stride;
    const double yi = y[i];
    yy += yi * yi;
    for (index_t a = 0; a < p; ++a) {
      xty[a] += yi * xi[a];
      for (index_t c = a; c < p; ++c)
        gram[a * p + c] += xi[a] * xi[c];
    }
  }
  for (index_t a = 0; a < p; ++a) {
    for (index_t c = 0; c < a; ++c)
      gram[a * p + c] = gram[c * p + a];
  }
}

[[noreturn]] void diverged(double ssr, index_t epoch, const Eigen::Ref<const RowMatrixD>& x,
                           double learning_rate) {
  fail("the iteration diverged: the SSR is " + number(ssr) + " at epoch " + std::to_string(epoch) +
       " with learning_rate = " + number(learning_rate) +
       "; it converges for learning_rate < n / lambda_max(X^T X) = " +
       number(stable_learning_rate_bound(x)) + " (or scale the columns of x)");
}

/// The use_gram path: one pass for X^T X, X^T y, y^T y, then O(p^2) per epoch.
GradientDescentResult gd_with_gram(const Eigen::Ref<const RowMatrixD>& x,
                                   const Eigen::Ref<const VectorD>& y,
                                   const Eigen::Ref<const VectorD>& coef_init,
                                   const GradientDescentParams& params,
                                   [[maybe_unused]] int threads) {  // unused without OpenMP
  const index_t n = x.rows();
  const index_t p = x.cols();
  const index_t stride = x.outerStride();
  // At most kGramBlocks blocks (a number independent of the thread count), so the
  // partial sums take kGramBlocks (p^2 + p + 1) doubles whatever n.
  constexpr index_t kGramBlocks = 64;
  const index_t block_rows = std::max(kGradientBlockRows, (n + kGramBlocks - 1) / kGramBlocks);
  const index_t n_blocks = (n + block_rows - 1) / block_rows;
  const index_t width = p * p + p + 1;
  RowMatrixD partial(n_blocks, width);
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && n_blocks > 1)
  for (index_t blk = 0; blk < n_blocks; ++blk) {
    const index_t first = blk * block_rows;
    block_gram(x.data() + first * stride, stride, p, y.data() + first,
               std::min(block_rows, n - first), partial.row(blk).data());
  }
  VectorD totals = VectorD::Zero(width);
  for (index_t blk = 0; blk < n_blocks; ++blk)  // block order: any thread count, same sums
    totals += partial.row(blk).transpose();
  const Eigen::Map<const RowMatrixD> gram(totals.data(), p, p);
  const VectorD xty = totals.segment(p * p, p);
  const double yy = totals(p * p + p);

  GradientDescentResult result;
  result.coef = coef_init;
  result.ssr.resize(params.epochs + 1);
  const double step = params.learning_rate * 2.0 / static_cast<double>(n);
  VectorD gb(p);
  for (index_t epoch = 0; epoch <= params.epochs; ++epoch) {
    gb.noalias() = gram * result.coef;
    // |y - X b|^2 expanded; cancellation can leave a tiny negative value for a near-exact fit.
    const double ssr = (yy - 2.0 * result.coef.dot(xty)) + result.coef.dot(gb);
    if (!std::isfinite(ssr)) diverged(ssr, epoch, x, params.learning_rate);
    result.ssr(epoch) = std::max(ssr, 0.0);
    if (epoch < params.epochs) result.coef += step * (xty - gb);
  }
  return result;
}

}  // namespace

GradientDescentResult linear_regression_gd(const Eigen::Ref<const RowMatrixD>& x,
                                           const Eigen::Ref<const VectorD>& y,
                                           const Eigen::Ref<const VectorD>& coef_init,
                                           const GradientDescentParams& params) {
  validate(x, y, coef_init, params);
  const int threads = resolve_n_jobs(params.n_jobs, kWho);
  if (params.use_gram) return gd_with_gram(x, y, coef_init, params, threads);
  const index_t n = x.rows();
  const index_t p = x.cols();
  const index_t stride = x.outerStride();
  const index_t n_blocks = (n + kGradientBlockRows - 1) / kGradientBlockRows;
  // One row of partial sums per block: [sum r^2, sum r x_0, ..., sum r x_{p-1}].
  RowMatrixD partial(n_blocks, 1 + p);
  VectorD totals(1 + p);

  GradientDescentResult result;
  result.coef = coef_init;
  result.ssr.resize(params.epochs + 1);
  const double step = params.learning_rate * 2.0 / static_cast<double>(n);

  for (index_t epoch = 0; epoch <= params.epochs; ++epoch) {
    const double* b = result.coef.data();
    // Nothing in the loop body can throw, so no exception handling is needed here.
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && n_blocks > 1)
    for (index_t blk = 0; blk < n_blocks; ++blk) {
      const index_t first = blk * kGradientBlockRows;
      const index_t rows = std::min(kGradientBlockRows, n - first);
      const double* xb = x.data() + first * stride;
      const double* yb = y.data() + first;
      double* out = partial.row(blk).data();
      switch (p) {
        case 1:
          block_sums<1>(xb, stride, yb, rows, b, out);
          break;
        case 2:
          block_sums<2>(xb, stride, yb, rows, b, out);
          break;
        case 3:
          block_sums<3>(xb, stride, yb, rows, b, out);
          break;
        case 4:
          block_sums<4>(xb, stride, yb, rows, b, out);
          break;
        default:
          block_sums_any(xb, stride, p, yb, rows, b, out);
          break;
      }
    }
    // Combine the blocks in block order: the same sums for any thread count.
    totals.setZero();
    for (index_t blk = 0; blk < n_blocks; ++blk)
      totals += partial.row(blk).transpose();
    if (!std::isfinite(totals(0))) diverged(totals(0), epoch, x, params.learning_rate);
    result.ssr(epoch) = totals(0);
    if (epoch < params.epochs) result.coef += step * totals.tail(p);
  }
  return result;
}

GradientDescentResult linear_regression_gd(const Eigen::Ref<const RowMatrixD>& x,
                                           const Eigen::Ref<const VectorD>& y,
                                           const GradientDescentParams& params) {
  return linear_regression_gd(x, y, VectorD::Zero(x.cols()), params);
}

}  // namespace strider::utils
