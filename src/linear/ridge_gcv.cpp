#include "linear/ridge_gcv.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "linear/linear_common.hpp"
#include "linear/tridiagonal.hpp"
#include "strider/linear/ridge_classifier_cv.hpp"
#include "strider/parallel.hpp"

namespace strider::detail {

namespace {

// Fixed blockings (never derived from the thread count): results are bit-identical for
// any number of threads because every output element is always computed by the same
// sequence of floating-point operations. The symmetric matrices are updated by the tiles
// of LowerPanels::lower_tiles(), one task each.
constexpr index_t kLooRows = 16;  // samples per task in the Gram-mode LOO pass
constexpr index_t kZRows = 64;    // samples per task in the covariance-mode LOO pass

// Reduction depth of one Gram/covariance update: two panel buffers of n_out x width
// doubles take at most 128 MiB (width 256 to 1024, a multiple of 64). Depends on the
// problem's size only, never on the thread count.
index_t panel_width(index_t n_out) {
  const index_t w = (index_t{1} << 27) / (16 * std::max<index_t>(n_out, 1));
  return std::clamp<index_t>(w / 64 * 64, 256, 1024);
}

// lower(S) += sum_k P_k P_k^T over n_panels panels, double-buffered: while the tiles of
// panel k are updated, the tasks filling panel k + 1 run in the same parallel loop, so
// there is one synchronisation per panel.
// Each panel is n_out x depth (the last one may be narrower).
//   fill(k, chunk, buffer): writes chunk `chunk` (of n_fill_chunks) of panel k into buffer
//   view(k, buffer): the panel as an n_out x w_k Eigen expression
// S: a dense ColMatrix or LowerPanels (every tile lies in one of its panels).
template <class S, class Fill, class View>
void accumulate_lower(S& s, index_t n_panels, index_t depth, index_t n_fill_chunks,
                      index_t buffer_rows, index_t buffer_cols, int n_threads, Fill fill,
                      View view) {
  const std::vector<LowerPanels::Tile> tiles = LowerPanels::lower_tiles(0, s.rows());
  const auto n_tiles = static_cast<index_t>(tiles.size());
  RowMatrixD buffers[2] = {RowMatrixD(buffer_rows, buffer_cols),
                           RowMatrixD(n_panels > 1 ? buffer_rows : 0, buffer_cols)};
  const double n_out = static_cast<double>(s.rows());
  const int fill_threads =
      threads_for(static_cast<double>(buffer_rows) * static_cast<double>(buffer_cols), n_threads);
  const int tile_threads = threads_for(n_out * n_out * static_cast<double>(depth) / 2.0, n_threads);
  parallel_for(0, n_fill_chunks, fill_threads, [&](index_t c) { fill(0, c, buffers[0]); });
  for (index_t k = 0; k < n_panels; ++k) {
    RowMatrixD& current = buffers[k % 2];
    RowMatrixD& next = buffers[(k + 1) % 2];
    const index_t n_fill = k + 1 < n_panels ? n_fill_chunks : 0;
    const auto p = view(k, current);
    parallel_for(0, n_tiles + n_fill, tile_threads, [&](index_t t) {
      if (t >= n_tiles) {
        fill(k + 1, t - n_tiles, next);
        return;
      }
      const LowerPanels::Tile& tl = tiles[static_cast<std::size_t>(t)];
      if (tl.r0 == tl.c0) {
        s.block(tl.r0, tl.r0, tl.rn, tl.rn)
            .template selfadjointView<Eigen::Lower>()
            .rankUpdate(p.middleRows(tl.r0, tl.rn));
      } else {
        s.block(tl.r0, tl.c0, tl.rn, tl.cn).noalias() +=
            p.middleRows(tl.r0, tl.rn) * p.middleRows(tl.c0, tl.cn).transpose();
      }
    });
  }
}

// Row i of the design matrix A, columns [j0, j0 + w), into `out` (a row expression).
template <class T, class Out>
void design_row(const Eigen::Ref<const RowMatrix<T>>& x, const GcvInput& in, index_t i, index_t j0,
                index_t w, Out&& out) {
  const double s = in.sqrt_sw(i);
  if (in.center) {
    out = s * (x.row(i).segment(j0, w).template cast<double>() -
               in.x_offset.segment(j0, w).transpose());
  } else {
    out = s * x.row(i).segment(j0, w).template cast<double>();
  }
}

// Rows [i0, i0 + r.rows()) of A into r (row-major, n_features columns).
template <class T>
void design_rows(const Eigen::Ref<const RowMatrix<T>>& x, const GcvInput& in, index_t i0,
                 RowMatrixD& r) {
  for (index_t k = 0; k < r.rows(); ++k)
    design_row<T>(x, in, i0 + k, 0, x.cols(), r.row(k));
}

// 1 when the leave-one-out decision values of sample i give its class, else 0.
// r: its LOO residuals (n_targets) in the centred and weighted target space; overwritten
// with the LOO decision values (y_i - r) / s_i + y_offset.
double loo_hit(const GcvInput& in, index_t i, Eigen::RowVectorXd& r) {
  r = (in.y.row(i) - r) / in.sqrt_sw(i) + in.y_offset.transpose();
  if (in.label.empty()) return 0.0;
  return class_of(r) == in.label[static_cast<std::size_t>(i)] ? 1.0 : 0.0;
}

}  // namespace

template <class T>
void covariance_add(const Eigen::Ref<const RowMatrix<T>>& x, const GcvInput& in, LowerPanels& c) {
  const index_t n = x.rows(), f = x.cols();
  if (c.rows() != f) throw std::logic_error("covariance_add(): c is not f x f");
  const index_t b = panel_width(f);  // samples per panel
  const index_t n_panels = n_blocks(n, b);
  if (n_panels == 0) return;
  // Panel k: rows [k b, k b + b_k) of A, row-major b_k x f = column-major A_k^T (f x b_k).
  accumulate_lower(
      c, n_panels, b, n_blocks(b, kRowBlock), b, f, in.n_threads,
      [&](index_t k, index_t chunk, RowMatrixD& buf) {
        const index_t i0 = k * b, bk = std::min(b, n - i0);
        const index_t r1 = std::min(bk, (chunk + 1) * kRowBlock);
        for (index_t r = chunk * kRowBlock; r < r1; ++r)
          design_row<T>(x, in, i0 + r, 0, f, buf.row(r));
      },
      [&](index_t k, const RowMatrixD& buf) {
        const index_t bk = std::min(b, n - k * b);
        return Eigen::Map<const ColMatrix<double>>(buf.data(), f, bk);
      });
}

// Each column block sums the samples in order, in chunks of kRowBlock.
template <class T>
ColMatrix<double> design_transpose_times(const Eigen::Ref<const RowMatrix<T>>& x,
                                         const GcvInput& in, const ColMatrix<double>& b) {
  const index_t n = x.rows(), f = x.cols(), k = b.cols();
  ColMatrix<double> out(f, k);
  const int threads = threads_for(
      static_cast<double>(n) * static_cast<double>(f) * static_cast<double>(k + 1), in.n_threads);
  parallel_for(0, n_blocks(f, kColumnBlock), threads, [&](index_t cb) {
    const index_t j0 = cb * kColumnBlock, w = std::min(kColumnBlock, f - j0);
    ColMatrix<double> acc = ColMatrix<double>::Zero(w, k);
    RowMatrixD a(kRowBlock, w);
    for (index_t i0 = 0; i0 < n; i0 += kRowBlock) {
      const index_t rb = std::min(kRowBlock, n - i0);
      for (index_t r = 0; r < rb; ++r)
        design_row<T>(x, in, i0 + r, j0, w, a.row(r));
      acc.noalias() += a.topRows(rb).transpose() * b.middleRows(i0, rb);
    }
    out.middleRows(j0, w) = acc;
  });
  return out;
}

CovarianceSolution solve_covariance(LowerPanels c, const ColMatrix<double>& aty,
                                    const std::vector<double>& alphas, int threads) {
  CovarianceSolution s;
  s.q = HouseholderQ(std::move(c), s.d, s.e, threads);
  ColMatrix<double> r = aty;  // Q^T A^T y
  s.q.left_multiply(r, true);
  const auto na = alphas.size();
  s.ldl.resize(na);
  s.sol.resize(na);
  for (std::size_t a = 0; a < na; ++a) {
    s.ldl[a] = factor_shifted(s.d, s.e, alphas[a]);
    s.sol[a] = r;
    solve_shifted(s.ldl[a], s.sol[a]);
  }
  return s;
}

ColMatrix<double> covariance_coef(const CovarianceSolution& s, index_t a) {
  ColMatrix<double> coef = s.sol[static_cast<std::size_t>(a)];
  s.q.left_multiply(coef, false);
  return coef;
}

template <class T>
void covariance_loo(const Eigen::Ref<const RowMatrix<T>>& x, const GcvInput& in,
                    const CovarianceSolution& s, const VectorD& u, const Eigen::RowVectorXd& uy,
                    ColMatrix<double>& err, ColMatrix<double>& hit, ColMatrix<double>& dec) {
  const index_t n = x.rows(), f = x.cols(), nt = in.y.cols();
  const auto na = static_cast<index_t>(s.sol.size());
  err.resize(n, na);
  hit = ColMatrix<double>::Zero(n, na);
  dec.resize(n, na * nt);
  const int z_threads = threads_for(
      static_cast<double>(n) * static_cast<double>(f) * static_cast<double>(f + na * (nt + 3)),
      in.n_threads);
  parallel_for(0, n_blocks(n, kZRows), z_threads, [&](index_t b) {
    const index_t i0 = b * kZRows, rb = std::min(kZRows, n - i0);
    RowMatrixD ar(rb, f);
    design_rows<T>(x, in, i0, ar);
    ColMatrix<double> z = ar;  // rows z_i = Q^T a_i
    s.q.right_multiply(z);
    ColMatrix<double> yhat(rb, nt);
    VectorD zz(rb), h(rb);
    Eigen::RowVectorXd res(nt);  // one sample's LOO residuals, reused
    for (index_t a = 0; a < na; ++a) {
      const ShiftedLdl& fa = s.ldl[static_cast<std::size_t>(a)];
      if (!fa.positive) {
        err.col(a).segment(i0, rb).setConstant(std::numeric_limits<double>::infinity());
        continue;
      }
      yhat.noalias() = z * s.sol[static_cast<std::size_t>(a)];
      zz = z.col(0);
      h = zz.array().square() * fa.inv_pivot(0);
      for (index_t kk = 1; kk < f; ++kk) {
        zz = z.col(kk) - fa.mult(kk) * zz;
        h.array() += zz.array().square() * fa.inv_pivot(kk);
      }
      for (index_t qq = 0; qq < rb; ++qq) {
        const index_t i = i0 + qq;
        double lev = h(qq);
        if (in.center) {
          lev += u(i) * u(i);
          yhat.row(qq) += u(i) * uy;
        }
        res = (in.y.row(i) - yhat.row(qq)) / (1.0 - lev);
        err(i, a) = res.array().square().sum();
        hit(i, a) = loo_hit(in, i, res);
        dec.row(i).segment(a * nt, nt) = res;
      }
    }
  });
}

index_t select_alpha_from_sums(const VectorD& err_sum, const VectorD& hit_sum, index_t n,
                               index_t n_targets, VectorD& mse, VectorD& accuracy) {
  const index_t na = err_sum.size();
  const double count = static_cast<double>(n) * static_cast<double>(n_targets);
  mse.resize(na);
  accuracy.resize(na);
  index_t best = -1;
  for (index_t a = 0; a < na; ++a) {
    double m = err_sum(a) / count;
    if (!std::isfinite(m)) m = std::numeric_limits<double>::infinity();
    mse(a) = m;
    accuracy(a) = std::isfinite(m) ? hit_sum(a) / static_cast<double>(n) : 0.0;
    if (!std::isfinite(m)) continue;
    if (best < 0 || m < mse(best)) best = a;
  }
  return best;
}

namespace {

template <class T>
LowerPanels covariance_lower(const Eigen::Ref<const RowMatrix<T>>& x, const GcvInput& in) {
  LowerPanels c(x.cols());
  covariance_add(x, in, c);
  return c;
}

// Mean squared LOO error and LOO accuracy per alpha, and the index of the chosen alpha
// (see ridge_gcv.hpp); -1 when no mean squared error is finite.
index_t select_alpha(const ColMatrix<double>& err, const ColMatrix<double>& hit, index_t n_targets,
                     VectorD& mse, VectorD& accuracy) {
  const index_t n = err.rows(), na = err.cols();
  VectorD err_sum(na), hit_sum(na);
  for (index_t a = 0; a < na; ++a) {
    double sum = 0.0, hits = 0.0;
    for (index_t i = 0; i < n; ++i) {
      sum += err(i, a);
      hits += hit(i, a);
    }
    err_sum(a) = sum;
    hit_sum(a) = hits;
  }
  return select_alpha_from_sums(err_sum, hit_sum, n, n_targets, mse, accuracy);
}

[[noreturn]] void throw_no_alpha(const GcvInput& in) {
  const std::vector<double>& alphas = in.alphas;
  std::string list;
  for (double a : alphas)
    list += (list.empty() ? "" : ", ") + std::to_string(a);
  throw std::runtime_error(
      std::string(in.who) + ": the leave-one-out error is not finite for any alpha in [" + list +
      "]; the alphas are too small for the scale of the features (rescale x or use "
      "larger alphas)");
}

}  // namespace

namespace {

/// log Gamma(a) for a = m / 2, m >= 1 an integer: from Gamma(1) = 1 and Gamma(1/2) =
/// sqrt(pi) by Gamma(a + 1) = a Gamma(a) (std::lgamma writes the global signgam, a data
/// race when fits run in parallel threads).
double log_gamma_half(int m) {
  double a = m % 2 == 0 ? 1.0 : 0.5;
  double out = m % 2 == 0 ? 0.0 : 0.5 * std::log(3.14159265358979323846);
  for (; a < 0.5 * m; a += 1.0)
    out += std::log(a);
  return out;
}

}  // namespace

double sign_test_upper(index_t k, index_t n) {
  if (k <= 0) return 1.0;
  if (k > n) return 0.0;
  // P(X >= k) for X ~ Binomial(n, 1/2): log C(n, k) as a sum of logs, then each term from
  // the one before, C(n, j + 1) = C(n, j) (n - j) / (j + 1), in log space.
  double log_c = 0.0;
  for (index_t i = 1; i <= k; ++i)
    log_c += std::log(static_cast<double>(n - k + i) / static_cast<double>(i));
  const double log_half_n = static_cast<double>(n) * std::log(0.5);
  double p = 0.0;
  for (index_t j = k; j <= n; ++j) {
    const double term = std::exp(log_c + log_half_n);
    p += term;
    if (j > n / 2 && term < p * 1e-17) break;  // the terms only shrink from here on
    log_c += std::log(static_cast<double>(n - j) / static_cast<double>(j + 1));
  }
  return std::min(1.0, p);
}

bool significantly_more_hits(const VectorD& cand, const VectorD& kept, double max_p) {
  if (cand.size() != kept.size()) {
    throw std::logic_error("significantly_more_hits(): " + std::to_string(cand.size()) +
                           " hits against " + std::to_string(kept.size()));
  }
  const auto only_cand = static_cast<index_t>((cand.array() > kept.array()).count());
  const auto only_kept = static_cast<index_t>((kept.array() > cand.array()).count());
  return only_cand > only_kept && sign_test_upper(only_cand, only_cand + only_kept) < max_p;
}

bool hits_beatable(const VectorD& kept, double max_p) {
  const auto misses = static_cast<index_t>((kept.array() == 0.0).count());
  return sign_test_upper(misses, misses) < max_p;
}

double chi_square_upper(double x, int dof) {
  if (dof < 1) throw std::invalid_argument("chi_square_upper(): dof must be >= 1");
  if (!(x > 0.0)) return 1.0;
  if (std::isinf(x)) return 0.0;
  // Q(a, z), the regularised upper incomplete gamma function, with a = dof / 2 and
  // z = x / 2: by its power series below z < a + 1, else by its continued fraction
  // (modified Lentz), both to double precision.
  const double a = 0.5 * dof, z = 0.5 * x;
  const double log_prefix = -z + a * std::log(z) - log_gamma_half(dof);
  constexpr double kEps = 1e-15, kTiny = 1e-300;
  if (z < a + 1.0) {
    double term = 1.0 / a, sum = term;
    for (int k = 1; k < 1000 && term > sum * kEps; ++k) {
      term *= z / (a + k);
      sum += term;
    }
    return std::clamp(1.0 - sum * std::exp(log_prefix), 0.0, 1.0);
  }
  double b = z + 1.0 - a, c = 1.0 / kTiny, d = 1.0 / b, h = d;
  for (int k = 1; k < 1000; ++k) {
    const double an = -k * (k - a);
    b += 2.0;
    d = an * d + b;
    if (std::abs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double step = d * c;
    h *= step;
    if (std::abs(step - 1.0) < kEps) break;
  }
  return std::clamp(std::exp(log_prefix) * h, 0.0, 1.0);
}

double equal_frequencies_p(const std::vector<index_t>& count) {
  double n = 0.0;
  for (const index_t c : count)
    n += static_cast<double>(c);
  if (count.size() < 2 || n <= 0.0) return 1.0;
  const double expected = n / static_cast<double>(count.size());
  double x = 0.0;
  for (const index_t c : count)
    x += (static_cast<double>(c) - expected) * (static_cast<double>(c) - expected) / expected;
  return chi_square_upper(x, static_cast<int>(count.size() - 1));
}

namespace {

// The Gram-mode path after the Gram matrix: k (n x n, lower triangle) is the Gram matrix
// of the design matrix A of `in`, or of any matrix whose columns differ from A's by
// multiples of the intercept direction s (see ridge_gcv_choose()); it is consumed.
struct GramSolution {
  GcvResult res;           // mse, accuracy, best; coef left empty
  ColMatrix<double> m;     // n x n: the basis M in its last n - off columns
  index_t off = 0;         // 1 when the intercept direction was deflated
  ColMatrix<double> best;  // M^T-space solution of the chosen alpha, (n - off) x n_targets
};

GramSolution solve_gram(ColMatrix<double> k, const GcvInput& in) {
  const index_t n = k.rows(), nt = in.y.cols();
  const index_t na = static_cast<index_t>(in.alphas.size());
  const int threads = in.n_threads;

  VectorD d, e;
  index_t off = 0;
  if (in.center) {
    // Deflate the intercept direction u = s / |s|: with the reflection P = I - beta v v^T,
    // P u = -e_1. When K u = 0, P K P has a zero first row and column; in any case the
    // trailing block of P K P is that of P (I - u u^T) K (I - u u^T) P, so the Gram matrix
    // of columns centred by any offset gives the block of the weighted-mean centring. That
    // block is reduced alone; the complement basis is M = P[:, 1:] Q_B.
    const VectorD u = in.sqrt_sw / in.sqrt_sw.norm();
    VectorD v = u;
    v(0) += 1.0;
    const double beta = 1.0 / (1.0 + u(0));
    const VectorD p = k.selfadjointView<Eigen::Lower>() * v;
    const VectorD w = beta * p - (0.5 * beta * beta * v.dot(p)) * v;
    k.selfadjointView<Eigen::Lower>().rankUpdate(v, w, -1.0);
    auto blk = k.bottomRightCorner(n - 1, n - 1);
    tridiagonalize(blk, d, e, threads);
    const VectorD g = blk.transpose() * v.tail(n - 1);
    k.row(0).tail(n - 1).setZero();
    k.rightCols(n - 1).noalias() -= (beta * v) * g.transpose();
    off = 1;
  } else {
    tridiagonalize(k, d, e, threads);
  }
  const index_t ne = n - off;
  const auto m = k.rightCols(ne);  // n x ne, orthonormal columns
  // n x ne products with the targets: parallel only when worth it.
  const int pass_threads = threads_for(
      static_cast<double>(n) * static_cast<double>(ne) * static_cast<double>(nt), threads);

  ColMatrix<double> r(ne, nt);  // M^T y
  parallel_for(0, n_blocks(ne, kColumnBlock), pass_threads, [&](index_t cb) {
    const index_t c0 = cb * kColumnBlock, w = std::min(kColumnBlock, ne - c0);
    r.middleRows(c0, w).noalias() = m.middleCols(c0, w).transpose() * in.y;
  });
  std::vector<ShiftedLdl> ldl(static_cast<std::size_t>(na));
  std::vector<ColMatrix<double>> sol(static_cast<std::size_t>(na));
  for (index_t a = 0; a < na; ++a) {
    const auto ua = static_cast<std::size_t>(a);
    ldl[ua] = factor_shifted(d, e, in.alphas[ua]);
    sol[ua] = r;
    solve_shifted(ldl[ua], sol[ua]);
  }

  // Per sample and alpha: sum over targets of (c_i / G_ii)^2, and whether the LOO
  // decision values classify the sample.
  ColMatrix<double> err(n, na), hit = ColMatrix<double>::Zero(n, na);
  ColMatrix<double> dec(n, na * nt);  // LOO decision values, alpha a in columns a * nt ...
  const int loo_threads = threads_for(static_cast<double>(n) * static_cast<double>(ne) *
                                          static_cast<double>(na) * static_cast<double>(nt + 3),
                                      threads);
  parallel_for(0, n_blocks(n, kLooRows), loo_threads, [&](index_t b) {
    const index_t i0 = b * kLooRows, rb = std::min(kLooRows, n - i0);
    const auto mb = m.middleRows(i0, rb);
    ColMatrix<double> c(rb, nt);
    double z[kLooRows], g[kLooRows];
    Eigen::RowVectorXd res(nt);  // one sample's LOO residuals, reused
    for (index_t a = 0; a < na; ++a) {
      const ShiftedLdl& f = ldl[static_cast<std::size_t>(a)];
      if (!f.positive) {
        err.col(a).segment(i0, rb).setConstant(std::numeric_limits<double>::infinity());
        continue;
      }
      c.noalias() = mb * sol[static_cast<std::size_t>(a)];
      // G_ii = q_i^T (T + aI)^-1 q_i = sum_k z_k^2 / pivot_k with z = L^-1 q_i, for the
      // block's rows at once (column k of M is contiguous over the rows).
      for (index_t q = 0; q < rb; ++q) {
        z[q] = mb(q, 0);
        g[q] = z[q] * z[q] * f.inv_pivot(0);
      }
      for (index_t kk = 1; kk < ne; ++kk) {
        const double* col = &k.coeffRef(i0, off + kk);
        const double l = f.mult(kk), ip = f.inv_pivot(kk);
        for (index_t q = 0; q < rb; ++q) {
          z[q] = col[q] - l * z[q];
          g[q] += z[q] * z[q] * ip;
        }
      }
      for (index_t q = 0; q < rb; ++q) {
        res = c.row(q) / g[q];
        err(i0 + q, a) = res.array().square().sum();
        hit(i0 + q, a) = loo_hit(in, i0 + q, res);
        dec.row(i0 + q).segment(a * nt, nt) = res;
      }
    }
  });

  GramSolution out;
  out.res.gram_mode = true;
  out.res.best = select_alpha(err, hit, nt, out.res.mse, out.res.accuracy);
  if (out.res.best >= 0) {
    out.best = std::move(sol[static_cast<std::size_t>(out.res.best)]);
    out.res.hits = hit.col(out.res.best);
    out.res.loo_decision = dec.middleCols(out.res.best * nt, nt);
  }
  out.m = std::move(k);
  out.off = off;
  return out;
}

// The primal coefficients of a Gram-mode solution: coef = A^T M sol. Releases the n x n
// matrix first.
template <class T>
GcvResult finish_gram(const Eigen::Ref<const RowMatrix<T>>& x, const GcvInput& in, GramSolution s) {
  if (s.res.best < 0) throw_no_alpha(in);
  const index_t n = s.m.rows(), nt = in.y.cols(), ne = n - s.off;
  const int pass_threads = threads_for(
      static_cast<double>(n) * static_cast<double>(ne) * static_cast<double>(nt), in.n_threads);
  ColMatrix<double> c(n, nt);
  const auto m = s.m.rightCols(ne);
  parallel_for(0, n_blocks(n, kRowBlock), pass_threads, [&](index_t b) {
    const index_t i0 = b * kRowBlock, rb = std::min(kRowBlock, n - i0);
    c.middleRows(i0, rb).noalias() = m.middleRows(i0, rb) * s.best;
  });
  s.m.resize(0, 0);  // release the n x n matrix before the last pass
  GcvResult res = std::move(s.res);
  res.coef = design_transpose_times<T>(x, in, c).transpose();
  return res;
}

template <class T>
GcvResult gcv_gram(const Eigen::Ref<const RowMatrix<T>>& x, const GcvInput& in) {
  return finish_gram<T>(x, in, solve_gram(gram_lower<T>(x, in), in));
}

template <class T>
GcvResult gcv_covariance(const Eigen::Ref<const RowMatrix<T>>& x, const GcvInput& in) {
  const index_t nt = in.y.cols();
  const ColMatrix<double> aty = design_transpose_times<T>(x, in, in.y);  // f x nt
  const CovarianceSolution s =
      solve_covariance(covariance_lower<T>(x, in), aty, in.alphas, in.n_threads);
  // The intercept column u = s / |s| is orthogonal to A's columns: leverage u_i^2, fit
  // u (u^T y) (zero up to rounding, since y is centred).
  VectorD u;
  Eigen::RowVectorXd uy;
  if (in.center) {
    u = in.sqrt_sw / in.sqrt_sw.norm();
    uy = u.transpose() * in.y;
  }
  ColMatrix<double> err, hit, dec;  // dec: LOO decision values, alpha a in columns a * nt ...
  covariance_loo<T>(x, in, s, u, uy, err, hit, dec);

  GcvResult res;
  res.gram_mode = false;
  res.best = select_alpha(err, hit, nt, res.mse, res.accuracy);
  if (res.best < 0) throw_no_alpha(in);
  res.hits = hit.col(res.best);
  res.loo_decision = dec.middleCols(res.best * nt, nt);
  res.coef = covariance_coef(s, res.best).transpose();
  return res;
}

}  // namespace

template <class T>
ColMatrix<double> gram_lower(const Eigen::Ref<const RowMatrix<T>>& x, const GcvInput& in) {
  const index_t n = x.rows(), f = x.cols();
  ColMatrix<double> k = ColMatrix<double>::Zero(n, n);
  const index_t w = panel_width(n);  // features per panel
  // Panel p: columns [p w, p w + w_p) of A, n x w_p (row-major, in a buffer of width w).
  accumulate_lower(
      k, n_blocks(f, w), w, n_blocks(n, kRowBlock), n, w, in.n_threads,
      [&](index_t p, index_t chunk, RowMatrixD& buf) {
        const index_t j0 = p * w, wp = std::min(w, f - j0);
        const index_t r1 = std::min(n, (chunk + 1) * kRowBlock);
        for (index_t i = chunk * kRowBlock; i < r1; ++i)
          design_row<T>(x, in, i, j0, wp, buf.row(i).head(wp));
      },
      [&](index_t p, const RowMatrixD& buf) { return buf.leftCols(std::min(w, f - p * w)); });
  return k;
}

template <class T>
ColMatrix<double> gram_lower_columns(const Eigen::Ref<const RowMatrix<T>>& x, const GcvInput& in,
                                     const std::vector<index_t>& cols) {
  const index_t n = x.rows(), fc = static_cast<index_t>(cols.size());
  ColMatrix<double> k = ColMatrix<double>::Zero(n, n);
  const index_t w = panel_width(n);  // columns per panel
  // Panel p: the columns cols[p w .. p w + w_p) of A, n x w_p.
  accumulate_lower(
      k, n_blocks(fc, w), w, n_blocks(n, kRowBlock), n, w, in.n_threads,
      [&](index_t p, index_t chunk, RowMatrixD& buf) {
        const index_t j0 = p * w, wp = std::min(w, fc - j0);
        const index_t r1 = std::min(n, (chunk + 1) * kRowBlock);
        for (index_t i = chunk * kRowBlock; i < r1; ++i) {
          const double s = in.sqrt_sw(i);
          for (index_t c = 0; c < wp; ++c) {
            const index_t j = cols[static_cast<std::size_t>(j0 + c)];
            const double v = static_cast<double>(x(i, j));
            buf(i, c) = s * (in.center ? v - in.x_offset(j) : v);
          }
        }
      },
      [&](index_t p, const RowMatrixD& buf) { return buf.leftCols(std::min(w, fc - p * w)); });
  return k;
}

template <class T>
GcvResult ridge_gcv(const Eigen::Ref<const RowMatrix<T>>& x, const GcvInput& in) {
  // scikit-learn: the n x n Gram matrix unless there are more samples than features.
  if (x.rows() > x.cols()) return gcv_covariance<T>(x, in);
  return gcv_gram<T>(x, in);
}

namespace {

/// The columns [begin, begin + count) of an input: its offsets cut to them.
GcvInput column_input(const GcvInput& in, index_t begin, index_t count) {
  GcvInput out = in;
  out.x_offset = in.x_offset.segment(begin, count);
  return out;
}

/// diag(s) k diag(s) on the lower triangle (k is a Gram matrix of unit sample weights).
void scale_lower(ColMatrix<double>& k, const VectorD& s) {
  if ((s.array() == 1.0).all()) return;
  for (index_t c = 0; c < k.cols(); ++c)
    k.col(c).tail(k.rows() - c).array() *= s.tail(k.rows() - c).array() * s(c);
}

}  // namespace

template <class T>
ChosenGcv ridge_gcv_choose(const Eigen::Ref<const RowMatrix<T>>& x,
                           const std::vector<GcvInput>& ins, double max_p,
                           const ColumnChoice& choice) {
  if (ins.empty()) throw std::logic_error("ridge_gcv_choose(): no input");
  const index_t f = x.cols();
  // cand replaces best when it classifies more samples out of sample and the samples
  // only it gets right outnumber those only best gets right beyond chance: a one-sided
  // sign test on the discordant samples (McNemar's exact test) below max_p.
  // The strided columns' candidate is tested at choice.period_max_p instead.
  const auto better = [](const GcvResult& cand, const GcvResult& best, double p) {
    if (cand.best < 0) return false;
    if (best.best < 0) return true;
    return significantly_more_hits(cand.hits, best.hits, p);
  };
  // Whether any candidate could replace `best`: it could at most classify every sample
  // best misses, so with too few misses no test can reject, and the candidate is not
  // fitted (the result is the same, sooner).
  const auto beatable = [](const GcvResult& best, double p) {
    return best.best < 0 || hits_beatable(best.hits, p);
  };
  ChosenGcv out;
  out.kept_end = f;
  const bool covariance = x.rows() > x.cols();
  const bool split_groups = !covariance && choice.split > 0 && choice.split < f;
  const bool strided = !covariance && choice.period > 0 && choice.residue >= 0 &&
                       choice.residue < choice.period && choice.period > 1 && choice.residue < f;
  if (covariance || (ins.size() == 1 && !split_groups && !strided)) {
    // One input, or covariance mode (the covariance matrix depends on the weights): every
    // input is solved on its own.
    bool have = false;
    for (std::size_t j = 0; j < ins.size(); ++j) {
      if (have && !beatable(out.result, max_p)) break;
      GcvResult r;
      try {
        r = ridge_gcv<T>(x, ins[j]);
      } catch (const std::runtime_error&) {
        if (j + 1 == ins.size() && !have) throw;
        continue;
      }
      if (!have || better(r, out.result, max_p)) {
        out.result = std::move(r);
        out.chosen = j;
        have = true;
      }
    }
    return out;
  }
  // Gram mode: one Gram matrix of the columns centred by their unweighted means (or not
  // centred without an intercept) serves every weighting: for weights s, diag(s) G diag(s)
  // has the trailing block of the weighted problem after deflation (solve_gram()). With
  // column groups it is the sum of the groups' Gram matrices, which also serve any union
  // of groups. Group g: (column >= split) * 2 + (column % period == residue).
  GcvInput shared = ins.front();
  shared.sqrt_sw = VectorD::Ones(x.rows());
  if (shared.center)
    shared.x_offset = weighted_column_means<T>(x, shared.sqrt_sw, shared.n_threads);
  constexpr int kGroups = 4;
  const auto group_of = [&](index_t j) {
    return (split_groups && j >= choice.split ? 2 : 0) +
           (strided && j % choice.period == choice.residue ? 1 : 0);
  };
  std::array<ColMatrix<double>, kGroups> g;
  std::array<bool, kGroups> present{};
  if (!strided) {  // contiguous groups: their columns as they are
    if (split_groups) {
      g[0] = gram_lower<T>(x.leftCols(choice.split), column_input(shared, 0, choice.split));
      g[2] = gram_lower<T>(x.rightCols(f - choice.split),
                           column_input(shared, choice.split, f - choice.split));
      present[0] = present[2] = true;
    } else {
      g[0] = gram_lower<T>(x, shared);
      present[0] = true;
    }
  } else {
    std::array<std::vector<index_t>, kGroups> cols;
    for (index_t j = 0; j < f; ++j)
      cols[static_cast<std::size_t>(group_of(j))].push_back(j);
    for (std::size_t q = 0; q < kGroups; ++q) {
      if (cols[q].empty()) continue;
      g[q] = gram_lower_columns<T>(x, shared, cols[q]);
      present[q] = true;
    }
  }
  // The Gram matrix of a union of groups (a bit mask), summed in group order.
  const auto gram_of = [&](unsigned mask) {
    ColMatrix<double> k;
    for (std::size_t q = 0; q < kGroups; ++q) {
      if (!present[q] || !(mask >> q & 1u)) continue;
      if (k.size() == 0) {
        k = g[q];
      } else {
        k.triangularView<Eigen::Lower>() += g[q];
      }
    }
    return k;
  };
  unsigned kept = 0;
  for (std::size_t q = 0; q < kGroups; ++q)
    kept |= present[q] ? 1u << q : 0u;
  const unsigned all = kept;
  GramSolution best;
  for (std::size_t j = 0; j < ins.size(); ++j) {
    if (j > 0 && !beatable(best.res, max_p)) break;
    // The last use of a lone Gram matrix takes it; otherwise a copy.
    ColMatrix<double> kj =
        !split_groups && !strided && j + 1 == ins.size() ? std::move(g[0]) : gram_of(all);
    scale_lower(kj, ins[j].sqrt_sw);
    GramSolution sj = solve_gram(std::move(kj), ins[j]);
    if (j == 0 || better(sj.res, best.res, max_p)) {
      best = std::move(sj);
      out.chosen = j;
    }
  }
  const GcvInput& in = ins[out.chosen];
  // Candidate unions of groups, each tried with the chosen weighting against the one kept
  // so far: each representation alone (groups 0-1, then 2-3), then, within the groups
  // kept, the strided columns alone (the odd groups).
  const auto try_mask = [&](unsigned mask, double p) {
    mask &= all;
    if (mask == 0 || mask == kept || !beatable(best.res, p)) return;
    ColMatrix<double> kj = gram_of(mask);
    scale_lower(kj, in.sqrt_sw);
    GramSolution sj = solve_gram(std::move(kj), in);
    if (better(sj.res, best.res, p)) {
      best = std::move(sj);
      kept = mask;
    }
  };
  if (split_groups) {
    try_mask(0b0011u, max_p);
    try_mask(0b1100u, max_p);
  }
  if (strided) try_mask(kept & 0b1010u, choice.period_max_p);
  if (split_groups) {
    out.kept_begin = (kept & 0b0011u) != 0 ? 0 : choice.split;
    out.kept_end = (kept & 0b1100u) != 0 ? f : choice.split;
  }
  g = {};  // release the groups' matrices before the last pass
  out.result = finish_gram<T>(x, in, std::move(best));
  if (kept != all) {
    for (index_t j = 0; j < f; ++j)
      if (!(kept >> group_of(j) & 1u)) out.result.coef.col(j).setZero();
  }
  return out;
}

template GcvResult ridge_gcv<float>(const Eigen::Ref<const RowMatrixF>&, const GcvInput&);
template GcvResult ridge_gcv<double>(const Eigen::Ref<const RowMatrixD>&, const GcvInput&);
template ChosenGcv ridge_gcv_choose<float>(const Eigen::Ref<const RowMatrixF>&,
                                           const std::vector<GcvInput>&, double,
                                           const ColumnChoice&);
template ChosenGcv ridge_gcv_choose<double>(const Eigen::Ref<const RowMatrixD>&,
                                            const std::vector<GcvInput>&, double,
                                            const ColumnChoice&);
template ColMatrix<double> gram_lower<float>(const Eigen::Ref<const RowMatrixF>&, const GcvInput&);
template ColMatrix<double> gram_lower<double>(const Eigen::Ref<const RowMatrixD>&, const GcvInput&);

template void covariance_add<float>(const Eigen::Ref<const RowMatrixF>&, const GcvInput&,
                                    LowerPanels&);
template void covariance_add<double>(const Eigen::Ref<const RowMatrixD>&, const GcvInput&,
                                     LowerPanels&);
template ColMatrix<double> design_transpose_times<float>(const Eigen::Ref<const RowMatrixF>&,
                                                         const GcvInput&, const ColMatrix<double>&);
template ColMatrix<double> design_transpose_times<double>(const Eigen::Ref<const RowMatrixD>&,
                                                          const GcvInput&,
                                                          const ColMatrix<double>&);
template void covariance_loo<float>(const Eigen::Ref<const RowMatrixF>&, const GcvInput&,
                                    const CovarianceSolution&, const VectorD&,
                                    const Eigen::RowVectorXd&, ColMatrix<double>&,
                                    ColMatrix<double>&, ColMatrix<double>&);
template void covariance_loo<double>(const Eigen::Ref<const RowMatrixD>&, const GcvInput&,
                                     const CovarianceSolution&, const VectorD&,
                                     const Eigen::RowVectorXd&, ColMatrix<double>&,
                                     ColMatrix<double>&, ColMatrix<double>&);

}  // namespace strider::detail
