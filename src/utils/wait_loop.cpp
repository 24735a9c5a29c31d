#include "strider/utils/wait_loop.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "strider/parallel.hpp"

namespace strider::utils {

namespace {

void check_n(index_t n, const char* who) {
  if (n < 0)
    throw std::invalid_argument(std::string(who) + ": n must be >= 0, got " + std::to_string(n));
}

// One row of the triangle. Not inlined, so every caller runs the very same instructions
// (no call-site-dependent contraction or vectorisation can change the rounding).
[[gnu::noinline]] double row_sum(index_t m) {
  double acc = 0.0;
  for (index_t l = 0; l < m; ++l) {
    const double s = std::sqrt(static_cast<double>(l) + 4.0);
    acc += s * s;
  }
  return acc;
}

}  // namespace

double wait_loop_plain(index_t n) {
  check_n(n, "wait_loop_plain()");
  double out = 0.0;
  for (index_t m = 0; m < n; ++m) {
    for (index_t l = 0; l < m; ++l) {
      const double s = std::sqrt(static_cast<double>(l) + 4.0);
      out += s * s;
    }
  }
  return out;
}

double wait_loop(index_t n, int n_jobs) {
  check_n(n, "wait_loop()");
  const int threads = resolve_n_jobs(n_jobs, "wait_loop()");
  std::vector<double> rows(static_cast<std::size_t>(n));
  double* r = rows.data();
#pragma omp parallel for schedule(dynamic, 8) num_threads(threads) if (threads > 1)
  for (index_t m = 0; m < n; ++m)
    r[m] = row_sum(m);
  (void)threads;
  double total = 0.0;
  for (const double v : rows)
    total += v;
  return total;
}

}  // namespace strider::utils
