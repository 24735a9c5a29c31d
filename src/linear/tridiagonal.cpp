#include "linear/tridiagonal.hpp"

#include <algorithm>
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
// The reduction works on LowerPanels, dense or packed, in global indices. Its panels of
// kTriBlock columns start at multiples of kTriBlock and so never straddle a storage
// panel; its parallel work is cut at the storage panels' edges, which depend on n and
// the position in the reduction only, never on the thread count.

constexpr index_t kTriBlock = 32;        // columns per panel (LAPACK's nb)
constexpr index_t kTriUnblocked = 128;   // trailing size reduced unblocked
constexpr index_t kSymvRows = 512;       // rows per step inside a symv task
constexpr index_t kSymvParallel = 1024;  // smallest order reduced with several threads
static_assert(LowerPanels::kWidth % kTriBlock == 0, "reduction panels straddle storage panels");

// Below kSymvParallel a reduction (or forming Q, or a symv) takes well under a second and
// is mostly bound by synchronisation: one thread is about as fast when the cores are idle
// and much faster when they are shared. (The work split is the same, so are the results.)
int reduction_threads(index_t n, int n_threads) {
  return n < kSymvParallel ? 1 : n_threads;
}

// y = S v for the symmetric S = a[s0:, s0:] (lower triangle). Each column piece
// accumulates into its own buffer, summed in piece order: the result depends on n and
// s0 only, not on the thread count. `parts` is reusable workspace.
void symv_lower(const LowerPanels& a, index_t s0, const Eigen::Ref<const VectorD>& v,
                Eigen::Ref<VectorD> y, int n_threads, std::vector<VectorD>& parts) {
  const index_t n = a.rows();
  const std::vector<index_t> edges = LowerPanels::edges(s0, n);
  const auto chunks = static_cast<index_t>(edges.size()) - 1;
  if (static_cast<index_t>(parts.size()) < chunks) parts.resize(static_cast<std::size_t>(chunks));
  parallel_for(0, chunks, reduction_threads(n - s0, n_threads), [&](index_t c) {
    const auto uc = static_cast<std::size_t>(c);
    const index_t c0 = edges[uc], c1 = edges[uc + 1], w = c1 - c0;
    VectorD& part = parts[uc];
    part.resize(n - c0);
    part.head(w).noalias() =
        a.block(c0, c0, w, w).selfadjointView<Eigen::Lower>() * v.segment(c0 - s0, w);
    part.tail(n - c1).setZero();
    for (index_t r0 = c1; r0 < n; r0 += kSymvRows) {
      const index_t rn = std::min(kSymvRows, n - r0);
      const auto b = a.block(r0, c0, rn, w);  // read once from memory, reused from cache
      part.head(w).noalias() += b.transpose() * v.segment(r0 - s0, rn);
      part.segment(r0 - c0, rn).noalias() += b * v.segment(c0 - s0, w);
    }
  });
  y = parts[0];
  for (std::size_t c = 1; c < edges.size() - 1; ++c)
    y.tail(n - edges[c]) += parts[c];
}

// Lower triangle of a[s0:, s0:] -= U Z^T (U, Z: (n - s0) x k), by tiles in parallel.
void update_lower(LowerPanels& a, index_t s0, const ColMatrix<double>& u,
                  const ColMatrix<double>& z, int n_threads) {
  const index_t m = a.rows() - s0;
  const std::vector<LowerPanels::Tile> tiles = LowerPanels::lower_tiles(s0, a.rows());
  const int threads = threads_for(
      static_cast<double>(m) * static_cast<double>(m) * static_cast<double>(u.cols()), n_threads);
  parallel_for(0, static_cast<index_t>(tiles.size()), threads, [&](index_t t) {
    const auto [r0, rn, c0, cn] = tiles[static_cast<std::size_t>(t)];
    if (r0 == c0) {
      a.block(r0, r0, rn, rn).triangularView<Eigen::Lower>() -=
          u.middleRows(r0 - s0, rn) * z.middleRows(r0 - s0, rn).transpose();
    } else {
      a.block(r0, c0, rn, cn).noalias() -=
          u.middleRows(r0 - s0, rn) * z.middleRows(c0 - s0, cn).transpose();
    }
  });
}

// Reduces the nb columns [i0, i0 + nb) of the symmetric a[i0:, i0:] (LAPACK dlatrd).
// Returns V = the panel's reflectors (unit entries stored in place, restored by the
// caller) and W (n - i0 rows) such that the trailing block becomes
// a[i0 + nb:, i0 + nb:] - V W^T - W V^T.
void reduce_panel(LowerPanels& a, index_t i0, index_t nb, double* h, double* e,
                  ColMatrix<double>& w, int n_threads, std::vector<VectorD>& parts) {
  const index_t n = a.rows(), m = n - i0;
  w.setZero(m, nb);
  VectorD t1(nb), t2(nb);
  for (index_t j = 0; j < nb; ++j) {
    const index_t c = i0 + j;
    auto col = a.block(c, c, n - c, 1);
    if (j > 0) {  // apply the panel's earlier reflectors to column j
      col.noalias() -= a.block(c, i0, n - c, j) * w.row(j).head(j).transpose();
      col.noalias() -= w.block(j, 0, m - j, j) * a.block(c, i0, 1, j).transpose();
    }
    const index_t r = m - j - 1;  // length of the reflector
    double tau = 0.0, beta = 0.0;
    auto v = a.block(c + 1, c, r, 1).col(0);
    v.makeHouseholderInPlace(tau, beta);
    e[j] = beta;
    h[j] = tau;
    a(c + 1, c) = 1.0;
    auto wj = w.col(j).tail(r);
    symv_lower(a, c + 1, v, wj, n_threads, parts);
    if (j > 0) {
      t1.head(j).noalias() = w.block(j + 1, 0, r, j).transpose() * v;
      wj.noalias() -= a.block(c + 1, i0, r, j) * t1.head(j);
      t2.head(j).noalias() = a.block(c + 1, i0, r, j).transpose() * v;
      wj.noalias() -= w.block(j + 1, 0, r, j) * t2.head(j);
    }
    wj *= tau;
    wj += (-0.5 * tau * wj.dot(v)) * v;
  }
}

// Householder tridiagonalisation of the symmetric a (lower triangle) in place, in the
// storage of Eigen's tridiagonalization_inplace: reflector k (H_k = I - h_k v v^T,
// v = [1; a(k+2:, k)]) below the subdiagonal, the subdiagonal and diagonal of T in place.
void reduce_blocked(LowerPanels& a, VectorD& h, int n_threads) {
  const index_t n = a.rows();
  std::vector<VectorD> parts;
  ColMatrix<double> w, u, z;
  VectorD e(kTriBlock);
  index_t i = 0;
  for (; n - i > kTriUnblocked; i += kTriBlock) {
    const index_t m = n - i, nb = kTriBlock;
    reduce_panel(a, i, nb, h.data() + i, e.data(), w, n_threads, parts);
    // Trailing update: a[i+nb:, i+nb:] -= V W^T + W V^T as one rank-2nb product
    // [V W][W V]^T.
    const index_t t = m - nb;
    u.resize(t, 2 * nb);
    z.resize(t, 2 * nb);
    u.leftCols(nb) = a.block(i + nb, i, t, nb);  // rows >= nb: no implied entries
    u.rightCols(nb) = w.bottomRows(t);
    z.leftCols(nb) = w.bottomRows(t);
    z.rightCols(nb) = u.leftCols(nb);
    update_lower(a, i + nb, u, z, n_threads);
    for (index_t j = 0; j < nb; ++j)
      a(i + j + 1, i + j) = e(j);
  }
  if (n - i > 1) {  // the last corner, at most kTriUnblocked wide, in a dense copy
    const index_t m = n - i;
    ColMatrix<double> rest = ColMatrix<double>::Zero(m, m);
    for (index_t c = 0; c < m; ++c)
      rest.col(c).tail(m - c) = a.block(i + c, i + c, m - c, 1);
    VectorD hr(m - 1);
    Eigen::internal::tridiagonalization_inplace(rest, hr);
    for (index_t c = 0; c < m; ++c)
      a.block(i + c, i + c, m - c, 1) = rest.col(c).tail(m - c);
    h.tail(m - 1) = hr;
  }
}

// Reduces a in place, leaving d, e and the reflectors' coefficients h.
void reduce(LowerPanels& a, VectorD& d, VectorD& e, VectorD& h, int n_threads) {
  const index_t n = a.rows();
  d.resize(n);
  e.resize(std::max<index_t>(n - 1, 0));
  h.resize(std::max<index_t>(n - 1, 0));
  if (n == 0) return;
  if (n > 1) reduce_blocked(a, h, reduction_threads(n, n_threads));
  for (index_t k = 0; k < n; ++k)
    d(k) = a(k, k);
  for (index_t k = 0; k + 1 < n; ++k)
    e(k) = a(k + 1, k);
}

// ---- Q from its reflectors, kQApply at a time ---------------------------------------

constexpr index_t kQApply = 64;  // reflectors per block (I - V T V^T)
static_assert(LowerPanels::kWidth % kQApply == 0, "reflector blocks straddle storage panels");

}  // namespace

void symmetric_lower_times(const Eigen::Ref<const ColMatrix<double>>& a,
                           const Eigen::Ref<const VectorD>& v, Eigen::Ref<VectorD> y,
                           int n_threads) {
  std::vector<VectorD> parts;
  ColMatrix<double> copy = a;  // a view needs mutable storage; tests only
  symv_lower(LowerPanels::view(copy), 0, v, y, n_threads, parts);
}

void tridiagonalize(Eigen::Ref<ColMatrix<double>> s, VectorD& d, VectorD& e, int n_threads) {
  LowerPanels view = LowerPanels::view(s);
  VectorD h;
  reduce(view, d, e, h, n_threads);
  if (s.rows() > 0) form_q(s, h, reduction_threads(s.rows(), n_threads));
}

HouseholderQ::HouseholderQ(LowerPanels s, VectorD& d, VectorD& e, int n_threads)
    : v_(std::move(s)) {
  reduce(v_, d, e, tau_, n_threads);
  const index_t n = v_.rows(), nr = std::max<index_t>(n - 1, 0);
  for (index_t k0 = 0; k0 < nr; k0 += kQApply) {
    const index_t nb = std::min(kQApply, nr - k0);
    ColMatrix<double> t(nb, nb);
    Eigen::internal::make_block_householder_triangular_factor(
        t, v_.block(k0 + 1, k0, n - k0 - 1, nb), tau_.segment(k0, nb));
    t_.push_back(std::move(t));
  }
}

// Block b holds reflectors [k0, k0 + nb) acting on rows [k0 + 1, n):
// V = v(k0 + 1:, k0:k0 + nb), unit lower trapezoidal, and their product is I - V T V^T.
// V's top nb x nb triangle and the dense rows below it are multiplied apart.
HouseholderQ::Block HouseholderQ::block(std::size_t b) const {
  const index_t n = v_.rows(), k0 = static_cast<index_t>(b) * kQApply, nb = t_[b].rows();
  return {k0, v_.block(k0 + 1, k0, nb, nb), v_.block(k0 + 1 + nb, k0, n - k0 - 1 - nb, nb)};
}

void HouseholderQ::right_multiply(Eigen::Ref<ColMatrix<double>> x) const {
  const index_t n = v_.rows();
  if (x.cols() != n) throw std::logic_error("HouseholderQ::right_multiply(): wrong width");
  ColMatrix<double> p;
  for (std::size_t b = 0; b < t_.size(); ++b) {  // x Q = x B_0 B_1 ...
    const Block blk = block(b);
    const auto v1 = blk.top.triangularView<Eigen::UnitLower>();
    auto x1 = x.middleCols(blk.k0 + 1, blk.top.cols());
    auto x2 = x.rightCols(blk.rest.rows());
    p.noalias() = x1 * v1;
    p.noalias() += x2 * blk.rest;
    p = p * t_[b].triangularView<Eigen::Upper>();
    x2.noalias() -= p * blk.rest.transpose();
    x1.noalias() -= p * v1.transpose();
  }
}

void HouseholderQ::left_multiply(Eigen::Ref<ColMatrix<double>> x, bool transpose) const {
  const index_t n = v_.rows();
  if (x.rows() != n) throw std::logic_error("HouseholderQ::left_multiply(): wrong height");
  ColMatrix<double> p;
  const auto blocks = static_cast<index_t>(t_.size());
  for (index_t i = 0; i < blocks; ++i) {  // Q^T x: B_0^T first; Q x: B_last first
    const auto b = static_cast<std::size_t>(transpose ? i : blocks - 1 - i);
    const Block blk = block(b);
    const auto v1 = blk.top.triangularView<Eigen::UnitLower>();
    const auto& v2 = blk.rest;
    auto x1 = x.middleRows(blk.k0 + 1, blk.top.cols());
    auto x2 = x.bottomRows(v2.rows());
    p.noalias() = v1.transpose() * x1;
    p.noalias() += v2.transpose() * x2;
    if (transpose) {
      p = t_[b].triangularView<Eigen::Upper>().transpose() * p;
    } else {
      p = t_[b].triangularView<Eigen::Upper>() * p;
    }
    x2.noalias() -= v2 * p;
    x1.noalias() -= v1 * p;
  }
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
