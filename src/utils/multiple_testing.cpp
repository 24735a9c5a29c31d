#include "strider/utils/multiple_testing.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "strider/parallel.hpp"

namespace strider::utils {
namespace {

[[noreturn]] void fail(const char* who, const std::string& what, double v,
                       const std::string& rule) {
  std::ostringstream s;
  s.precision(17);
  s << who << ": " << what << " = " << v << "; " << rule;
  throw std::invalid_argument(s.str());
}

void check_p_values(const Eigen::Ref<const VectorD>& p, const char* who) {
  for (index_t i = 0; i < p.size(); ++i) {
    if (!(p(i) >= 0.0 && p(i) <= 1.0)) {
      fail(who, "p(" + std::to_string(i) + ")", p(i), "p-values must lie in [0, 1]");
    }
  }
}

/// Sum of x[0 .. n) with eight interleaved accumulators (element c goes to lane c mod 8),
/// combined as ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)): a fixed order that the
/// compiler can vectorise without reassociating anything.
double row_sum(const double* x, index_t n) {
  double acc[8] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
  index_t c = 0;
  for (; c + 8 <= n; c += 8) {
    for (int lane = 0; lane < 8; ++lane)
      acc[lane] += x[c + lane];
  }
  for (int lane = 0; c < n; ++c, ++lane)
    acc[lane] += x[c];
  return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

}  // namespace

double two_sided_p_value(double z) noexcept {
  // erfc, not 1 - erf: keeps the p-values of large |z| instead of rounding them to 0.
  return std::erfc(std::abs(z) * 0.70710678118654752440);  // 1 / sqrt(2)
}

void z_test_rows(const Eigen::Ref<const RowMatrixD>& samples, double sigma, double mu0, int n_jobs,
                 VectorD& z, VectorD& p_value) {
  const char* who = "z_test_rows()";
  const int threads = resolve_n_jobs(n_jobs, who);
  if (!(sigma > 0.0) || !std::isfinite(sigma))
    fail(who, "sigma", sigma, "it must be finite and > 0");
  if (!std::isfinite(mu0)) fail(who, "mu0", mu0, "it must be finite");
  const index_t rows = samples.rows();
  const index_t n = samples.cols();
  if (rows > 0 && n == 0) {
    throw std::invalid_argument(std::string(who) +
                                ": the samples have 0 values each; a mean "
                                "needs at least one");
  }
  z.resize(rows);
  p_value.resize(rows);
  const double scale = std::sqrt(static_cast<double>(n)) / sigma;
  // Rows holding NaN or inf are flagged here (their sum is not finite) and reported after
  // the loop, so the error always names the first bad value whatever the thread count.
  std::vector<char> bad(static_cast<std::size_t>(rows), 0);
  // Each row is summed by one thread, in a fixed order: identical for any n_jobs.
  parallel_for(
      0, rows, threads,
      [&](index_t r) {
        const double* x = samples.row(r).data();
        const double sum = row_sum(x, n);
        if (!std::isfinite(sum)) {
          // Either a NaN or inf in the row, or finite values whose sum overflows.
          for (index_t c = 0; c < n; ++c) {
            if (!std::isfinite(x[c])) bad[static_cast<std::size_t>(r)] = 1;
          }
        }
        const double mean = sum / static_cast<double>(n);
        z(r) = scale * (mean - mu0);
        p_value(r) = two_sided_p_value(z(r));
      },
      /*chunk=*/256);
  for (index_t r = 0; r < rows; ++r) {
    if (!bad[static_cast<std::size_t>(r)]) continue;
    for (index_t c = 0; c < n; ++c) {
      if (!std::isfinite(samples(r, c))) {
        fail(who, "samples(" + std::to_string(r) + ", " + std::to_string(c) + ")", samples(r, c),
             "every value must be finite");
      }
    }
  }
}

VectorD bonferroni(const Eigen::Ref<const VectorD>& p) {
  check_p_values(p, "bonferroni()");
  const auto m = static_cast<double>(p.size());
  VectorD out(p.size());
  for (index_t i = 0; i < p.size(); ++i)
    out(i) = std::min(1.0, m * p(i));
  return out;
}

VectorD holm(const Eigen::Ref<const VectorD>& p) {
  check_p_values(p, "holm()");
  const index_t m = p.size();
  std::vector<index_t> order(static_cast<std::size_t>(m));
  std::iota(order.begin(), order.end(), index_t{0});
  std::stable_sort(order.begin(), order.end(), [&](index_t a, index_t b) { return p(a) < p(b); });
  VectorD out(m);
  double running = 0.0;  // enforces monotonicity: adjusted p never decrease along the order
  for (index_t k = 0; k < m; ++k) {
    const index_t i = order[static_cast<std::size_t>(k)];
    running = std::max(running, std::min(1.0, static_cast<double>(m - k) * p(i)));
    out(i) = running;
  }
  return out;
}

VectorD adjust_p_values(const Eigen::Ref<const VectorD>& p, Correction correction) {
  switch (correction) {
    case Correction::bonferroni:
      return bonferroni(p);
    case Correction::holm:
      return holm(p);
    case Correction::none:
      break;
  }
  check_p_values(p, "adjust_p_values()");
  return p;
}

MultipleZTestResult multiple_z_tests(const Eigen::Ref<const RowMatrixD>& samples,
                                     const MultipleZTestParams& params) {
  if (!(params.alpha > 0.0 && params.alpha < 1.0))
    fail("multiple_z_tests()", "alpha", params.alpha, "it must lie in (0, 1)");
  MultipleZTestResult result;
  z_test_rows(samples, params.sigma, params.mu0, params.n_jobs, result.z, result.p_value);
  result.p_adjusted = adjust_p_values(result.p_value, params.correction);
  result.reject.resize(static_cast<std::size_t>(samples.rows()));
  for (index_t i = 0; i < samples.rows(); ++i)
    result.reject[static_cast<std::size_t>(i)] = result.p_adjusted(i) <= params.alpha;
  return result;
}

}  // namespace strider::utils
