#include "linear/tridiagonal.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include <Eigen/Eigenvalues>
#include <Eigen/Householder>

#include "linear/linear_common.hpp"
#include "strider/parallel.hpp"

namespace strider::detail {

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
    const int threads = threads_for(
        static_cast<double>(rows) * static_cast<double>(nc) * static_cast<double>(2 * ib),
        n_threads);
    parallel_for(0, n_blocks(nc, kQChunk), threads, [&](index_t cb) {
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

// ---- blocked reduction (LAPACK dsytrd / dlatrd, lower) -----------------------------

constexpr index_t kTriBlock = 32;        // columns per panel (LAPACK's nb)
constexpr index_t kTriUnblocked = 128;   // trailing size reduced unblocked
constexpr index_t kSymvChunk = 256;      // columns per task of the parallel symv
constexpr index_t kSymvRows = 512;       // rows per step inside a symv task
constexpr index_t kSymvParallel = 1024;  // smallest order using the chunked symv
constexpr index_t kUpdateTile = 256;     // tile of the trailing rank-2k update

// y = S v for the symmetric S stored in the lower triangle of a (n x n).
// Below kSymvParallel, Eigen's symmetric product. Above, fixed chunks of columns each
// accumulate into their own buffer, summed in chunk order: the result depends on n only,
// not on the thread count. `parts` is reusable workspace.
void symv_lower(const Eigen::Ref<const ColMatrix<double>>& a, const Eigen::Ref<const VectorD>& v,
                Eigen::Ref<VectorD> y, int n_threads, std::vector<VectorD>& parts) {
  const index_t n = a.rows();
  if (n < kSymvParallel) {
    y.noalias() = a.selfadjointView<Eigen::Lower>() * v;
    return;
  }
  const index_t chunks = n_blocks(n, kSymvChunk);
  if (static_cast<index_t>(parts.size()) < chunks) parts.resize(static_cast<std::size_t>(chunks));
  parallel_for(0, chunks, n_threads, [&](index_t c) {
    const index_t c0 = c * kSymvChunk, w = std::min(kSymvChunk, n - c0), c1 = c0 + w;
    VectorD& part = parts[static_cast<std::size_t>(c)];
    part.resize(n - c0);
    part.head(w).noalias() =
        a.block(c0, c0, w, w).selfadjointView<Eigen::Lower>() * v.segment(c0, w);
    part.tail(n - c1).setZero();
    for (index_t r0 = c1; r0 < n; r0 += kSymvRows) {
      const index_t rn = std::min(kSymvRows, n - r0);
      const auto b = a.block(r0, c0, rn, w);  // read once from memory, reused from cache
      part.head(w).noalias() += b.transpose() * v.segment(r0, rn);
      part.segment(r0 - c0, rn).noalias() += b * v.segment(c0, w);
    }
  });
  for (index_t i = 0; i < n; ++i) {
    double sum = 0.0;
    for (index_t c = 0; c <= i / kSymvChunk; ++c)
      sum += parts[static_cast<std::size_t>(c)](i - c * kSymvChunk);
    y(i) = sum;
  }
}

// Lower triangle of a (m x m) -= U Z^T (U, Z: m x k), by tiles in parallel.
void update_lower(Eigen::Ref<ColMatrix<double>> a, const ColMatrix<double>& u,
                  const ColMatrix<double>& z, int n_threads) {
  const index_t m = a.rows();
  std::vector<std::array<index_t, 4>> tiles;
  for (index_t r0 = 0; r0 < m; r0 += kUpdateTile)
    for (index_t c0 = 0; c0 <= r0; c0 += kUpdateTile)
      tiles.push_back({r0, std::min(kUpdateTile, m - r0), c0, std::min(kUpdateTile, m - c0)});
  const int threads = threads_for(
      static_cast<double>(m) * static_cast<double>(m) * static_cast<double>(u.cols()), n_threads);
  parallel_for(0, static_cast<index_t>(tiles.size()), threads, [&](index_t t) {
    const auto [r0, rn, c0, cn] = tiles[static_cast<std::size_t>(t)];
    if (r0 == c0) {
      a.block(r0, r0, rn, rn).triangularView<Eigen::Lower>() -=
          u.middleRows(r0, rn) * z.middleRows(r0, rn).transpose();
    } else {
      a.block(r0, c0, rn, cn).noalias() -= u.middleRows(r0, rn) * z.middleRows(c0, cn).transpose();
    }
  });
}

// Reduces the first nb columns of the symmetric a (m x m, lower; LAPACK dlatrd). Returns
// V = the panel's reflectors (unit entries stored in place, restored by the caller) and W
// such that the trailing block becomes a(nb:, nb:) - V W^T - W V^T.
void reduce_panel(Eigen::Ref<ColMatrix<double>> a, index_t nb, double* h, double* e,
                  ColMatrix<double>& w, int n_threads, std::vector<VectorD>& parts) {
  const index_t m = a.rows();
  w.setZero(m, nb);
  VectorD t1(nb), t2(nb);
  for (index_t j = 0; j < nb; ++j) {
    if (j > 0) {  // apply the panel's earlier reflectors to column j
      a.col(j).tail(m - j).noalias() -= a.block(j, 0, m - j, j) * w.row(j).head(j).transpose();
      a.col(j).tail(m - j).noalias() -= w.block(j, 0, m - j, j) * a.row(j).head(j).transpose();
    }
    const index_t r = m - j - 1;  // length of the reflector
    double tau = 0.0, beta = 0.0;
    a.col(j).tail(r).makeHouseholderInPlace(tau, beta);
    e[j] = beta;
    h[j] = tau;
    a(j + 1, j) = 1.0;
    const auto v = a.col(j).tail(r);
    auto wj = w.col(j).tail(r);
    symv_lower(a.bottomRightCorner(r, r), v, wj, n_threads, parts);
    if (j > 0) {
      t1.head(j).noalias() = w.block(j + 1, 0, r, j).transpose() * v;
      wj.noalias() -= a.block(j + 1, 0, r, j) * t1.head(j);
      t2.head(j).noalias() = a.block(j + 1, 0, r, j).transpose() * v;
      wj.noalias() -= w.block(j + 1, 0, r, j) * t2.head(j);
    }
    wj *= tau;
    wj += (-0.5 * tau * wj.dot(v)) * v;
  }
}

// Householder tridiagonalisation of the symmetric a (lower triangle) in place, in the
// storage of Eigen's tridiagonalization_inplace: reflector k (H_k = I - h_k v v^T,
// v = [1; a(k+2:, k)]) below the subdiagonal, the subdiagonal and diagonal of T in place.
void reduce_blocked(Eigen::Ref<ColMatrix<double>> a, VectorD& h, int n_threads) {
  const index_t n = a.rows();
  std::vector<VectorD> parts;
  ColMatrix<double> w, u, z;
  VectorD e(kTriBlock);
  index_t i = 0;
  for (; n - i > kTriUnblocked; i += kTriBlock) {
    const index_t m = n - i, nb = kTriBlock;
    auto block = a.bottomRightCorner(m, m);
    reduce_panel(block, nb, h.data() + i, e.data(), w, n_threads, parts);
    // Trailing update: a(nb:, nb:) -= V W^T + W V^T as one rank-2nb product [V W][W V]^T.
    const index_t t = m - nb;
    u.resize(t, 2 * nb);
    z.resize(t, 2 * nb);
    u.leftCols(nb) = block.block(nb, 0, t, nb);  // rows >= nb: no implied entries
    u.rightCols(nb) = w.bottomRows(t);
    z.leftCols(nb) = w.bottomRows(t);
    z.rightCols(nb) = u.leftCols(nb);
    update_lower(block.bottomRightCorner(t, t), u, z, n_threads);
    for (index_t j = 0; j < nb; ++j)
      block(j + 1, j) = e(j);
  }
  if (n - i > 1) {
    auto rest = a.bottomRightCorner(n - i, n - i);
    VectorD hr(n - i - 1);
    Eigen::internal::tridiagonalization_inplace(rest, hr);
    h.tail(n - i - 1) = hr;
  }
}

}  // namespace

void symmetric_lower_times(const Eigen::Ref<const ColMatrix<double>>& a,
                           const Eigen::Ref<const VectorD>& v, Eigen::Ref<VectorD> y,
                           int n_threads) {
  std::vector<VectorD> parts;
  symv_lower(a, v, y, n_threads, parts);
}

void tridiagonalize(Eigen::Ref<ColMatrix<double>> s, VectorD& d, VectorD& e, int n_threads) {
  const index_t n = s.rows();
  d.resize(n);
  e.resize(std::max<index_t>(n - 1, 0));
  if (n == 0) return;
  // Below kSymvParallel the whole reduction takes well under a second and is mostly bound
  // by synchronisation: one thread is about as fast when the cores are idle and much
  // faster when they are shared. (The work split is the same, so are the results.)
  if (n < kSymvParallel) n_threads = 1;
  VectorD h(n - 1);
  if (n > 1) reduce_blocked(s, h, n_threads);
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

}  // namespace strider::detail
