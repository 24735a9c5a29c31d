#include "linear/tridiagonal.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Householder>
#include <Eigen/Eigenvalues>

#include "linear/linear_common.hpp"
#include "strider/parallel.hpp"

namespace strider::linear_detail {

namespace {

constexpr index_t kQBlock = 32;   // reflectors per block when forming Q (LAPACK's nb)
constexpr index_t kQChunk = 128;  // columns per parallel chunk of a block update

// LAPACK dorg2r: a (r x c, r >= c) holds c Householder vectors in its columns (unit
// lower trapezoidal, the diagonal implied); on return a = first c columns of
// H_0 H_1 ... H_{c-1}, where the columns right of this panel (if any) were formed before.
void org2r(Eigen::Ref<ColMatrix<double>> a, const double* tau) {
  const index_t r = a.rows(), c = a.cols();
  VectorD work(std::max<index_t>(c, 1));
  for (index_t j = c - 1; j >= 0; --j) {
    if (j < c - 1) {
      a.block(j, j + 1, r - j, c - j - 1)
          .applyHouseholderOnTheLeft(a.col(j).tail(r - j - 1), tau[j], work.data());
    }
    if (j < r - 1) a.col(j).tail(r - j - 1) *= -tau[j];
    a(j, j) = 1.0 - tau[j];
    a.col(j).head(j).setZero();
  }
}

// LAPACK dorgqr (blocked, in place) for a square m x m matrix with m reflectors.
void orgqr(Eigen::Ref<ColMatrix<double>> a, const double* tau, int n_threads) {
  const index_t m = a.rows();
  if (m == 0) return;
  const index_t last = ((m - 1) / kQBlock) * kQBlock;  // first column of the last block
  a.block(0, last, last, m - last).setZero();
  org2r(a.block(last, last, m - last, m - last), tau + last);
  for (index_t i = last - kQBlock; i >= 0; i -= kQBlock) {
    const index_t ib = kQBlock, rows = m - i, nc = m - i - ib;
    const auto v = a.block(i, i, rows, ib);  // the block's reflectors, unit lower trapezoidal
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> tf(ib, ib);
    Eigen::internal::make_block_householder_triangular_factor(
        tf, v, Eigen::Map<const VectorD>(tau + i, ib));
    // Apply H_i ... H_{i+ib-1} = I - V Tf V^T to the columns on the right, in fixed chunks.
    parallel_for(0, n_blocks(nc, kQChunk), n_threads, [&](index_t cb) {
      const index_t c0 = i + ib + cb * kQChunk, w = std::min(kQChunk, m - c0);
      auto chunk = a.block(i, c0, rows, w);
      ColMatrix<double> tmp = v.triangularView<Eigen::UnitLower>().transpose() * chunk;
      tmp = tf.triangularView<Eigen::Upper>() * tmp;
      chunk.noalias() -= v.triangularView<Eigen::UnitLower>() * tmp;
    });
    org2r(a.block(i, i, rows, ib), tau + i);
    a.block(0, i, i, ib).setZero();
  }
}

// Overwrites s (reflectors left by Eigen's tridiagonalization_inplace: reflector k has
// its essential part in s(k+2:n, k)) with Q = H_0 ... H_{n-2} (LAPACK dorgtr, lower).
void form_q(Eigen::Ref<ColMatrix<double>> s, const VectorD& h, int n_threads) {
  const index_t n = s.rows();
  for (index_t j = n - 1; j >= 1; --j) {  // shift the vectors one column right
    s(0, j) = 0.0;
    if (j + 1 < n) s.col(j).tail(n - j - 1) = s.col(j - 1).tail(n - j - 1);
  }
  s(0, 0) = 1.0;
  s.col(0).tail(n - 1).setZero();
  if (n > 1) orgqr(s.bottomRightCorner(n - 1, n - 1), h.data(), n_threads);
}

}  // namespace

void tridiagonalize(Eigen::Ref<ColMatrix<double>> s, VectorD& d, VectorD& e, int n_threads) {
  const index_t n = s.rows();
  d.resize(n);
  e.resize(std::max<index_t>(n - 1, 0));
  if (n == 0) return;
  VectorD h(n - 1);
  if (n > 1) Eigen::internal::tridiagonalization_inplace(s, h);
  d = s.diagonal();
  if (n > 1) e = s.diagonal(-1);
  form_q(s, h, n_threads);
}

ShiftedLdl factor_shifted(const VectorD& d, const VectorD& e, double alpha) {
  const index_t n = d.size();
  ShiftedLdl f;
  f.pivot.resize(n);
  f.inv_pivot.resize(n);
  f.mult.resize(n);
  if (n == 0) return f;
  f.mult(0) = 0.0;
  f.pivot(0) = d(0) + alpha;
  for (index_t k = 1; k < n; ++k) {
    const double l = e(k - 1) / f.pivot(k - 1);
    f.mult(k) = l;
    f.pivot(k) = d(k) + alpha - l * e(k - 1);
  }
  for (index_t k = 0; k < n; ++k) {
    if (!(f.pivot(k) > 0.0) || !std::isfinite(f.pivot(k))) f.positive = false;
    f.inv_pivot(k) = 1.0 / f.pivot(k);
  }
  return f;
}

void solve_shifted(const ShiftedLdl& f, Eigen::Ref<ColMatrix<double>> b) {
  const index_t n = f.pivot.size();
  for (index_t t = 0; t < b.cols(); ++t) {
    double* x = b.col(t).data();
    for (index_t k = 1; k < n; ++k)  // L z = b
      x[k] -= f.mult(k) * x[k - 1];
    for (index_t k = 0; k < n; ++k)  // D w = z
      x[k] /= f.pivot(k);
    for (index_t k = n - 2; k >= 0; --k)  // L^T x = w
      x[k] -= f.mult(k + 1) * x[k + 1];
  }
}

}  // namespace strider::linear_detail
