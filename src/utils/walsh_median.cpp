#include "strider/utils/walsh_median.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "strider/parallel.hpp"

namespace strider::utils {
namespace {

const char* pairs_name(WalshPairs pairs) {
  return pairs == WalshPairs::with_self ? "WalshPairs::with_self" : "WalshPairs::distinct";
}

void check_length(index_t n, WalshPairs pairs, const char* who) {
  const index_t needed = pairs == WalshPairs::with_self ? 1 : 2;
  if (n < needed) {
    throw std::invalid_argument(std::string(who) + ": a sample of " + std::to_string(n) +
                                " values has no Walsh averages with " + pairs_name(pairs) +
                                "; at least " + std::to_string(needed) + " are needed");
  }
}

[[noreturn]] void reject_value(const char* who, const std::string& where, double v) {
  std::ostringstream s;
  s << who << ": " << where << " = " << v << "; every value must be finite";
  throw std::invalid_argument(s.str());
}

/// Median of v[0 .. m), m >= 1, reordering v: the middle value, or the mean of the two
/// middle values when m is even.
double median_inplace(double* v, index_t m) {
  const index_t k = m / 2;
  std::nth_element(v, v + k, v + m);
  const double upper = v[k];
  if (m % 2 == 1) return upper;
  const double lower = *std::max_element(v, v + k);  // nth_element left the smaller ones there
  return 0.5 * lower + 0.5 * upper;
}

/// Writes the Walsh averages of x[0 .. n) to buf (walsh_pair_count(n, pairs) values), then
/// returns their median.
double walsh_median_into(const double* x, index_t n, WalshPairs pairs, double* buf) {
  const index_t skip = pairs == WalshPairs::with_self ? 0 : 1;
  index_t m = 0;
  for (index_t i = 0; i < n; ++i) {
    const double half_i = 0.5 * x[i];
    const index_t first = i + skip;
    double* out = buf + m;
    for (index_t j = first; j < n; ++j)
      out[j - first] = half_i + 0.5 * x[j];
    m += n - first;
  }
  return median_inplace(buf, m);
}

}  // namespace

double walsh_median(const Eigen::Ref<const VectorD>& x, WalshPairs pairs) {
  const char* who = "walsh_median()";
  const index_t n = x.size();
  check_length(n, pairs, who);
  for (index_t i = 0; i < n; ++i) {
    if (!std::isfinite(x(i))) reject_value(who, "x(" + std::to_string(i) + ")", x(i));
  }
  std::vector<double> buf(static_cast<std::size_t>(walsh_pair_count(n, pairs)));
  return walsh_median_into(x.data(), n, pairs, buf.data());
}

VectorD walsh_median_rows(const Eigen::Ref<const RowMatrixD>& samples, WalshPairs pairs,
                          int n_jobs) {
  const char* who = "walsh_median_rows()";
  const int threads = resolve_n_jobs(n_jobs, who);
  const index_t rows = samples.rows();
  const index_t n = samples.cols();
  VectorD out(rows);
  if (rows == 0) return out;
  check_length(n, pairs, who);
  // Validate serially first, so the error names the first bad value whatever the threads.
  for (index_t r = 0; r < rows; ++r) {
    for (index_t c = 0; c < n; ++c) {
      const double v = samples(r, c);
      if (!std::isfinite(v)) {
        reject_value(who, "samples(" + std::to_string(r) + ", " + std::to_string(c) + ")", v);
      }
    }
  }
  const index_t m = walsh_pair_count(n, pairs);
  const int used = static_cast<int>(std::min<index_t>(threads, rows));
  std::vector<std::vector<double>> buffers(static_cast<std::size_t>(used),
                                           std::vector<double>(static_cast<std::size_t>(m)));
  // Each row is independent and reads only its own buffer: identical for any n_jobs.
  parallel_for(
      0, rows, used,
      [&](index_t r) {
        out(r) = walsh_median_into(samples.row(r).data(), n, pairs,
                                   buffers[static_cast<std::size_t>(thread_index())].data());
      },
      /*chunk=*/16);
  return out;
}

}  // namespace strider::utils
