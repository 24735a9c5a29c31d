#include "strider/utils/walsh_median.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
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

bool use_bisection(index_t n, WalshAlgorithm algorithm) {
  if (algorithm == WalshAlgorithm::automatic) return n >= kWalshBisectionFrom;
  return algorithm == WalshAlgorithm::bisect;
}

// ---- materialise all averages, then select with std::nth_element --------------------

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
double median_by_selection(const double* x, index_t n, index_t skip, double* buf) {
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

// ---- bisection on the value, counting with two pointers over the sorted sample -------

/// Maps doubles to unsigned keys in the same order (-0 just below +0).
std::uint64_t order_key(double v) {
  const auto u = std::bit_cast<std::uint64_t>(v);
  return (u >> 63) != 0 ? ~u : (u | (std::uint64_t{1} << 63));
}

double from_order_key(std::uint64_t k) {
  return std::bit_cast<double>((k >> 63) != 0 ? (k & ~(std::uint64_t{1} << 63)) : ~k);
}

/// Number of Walsh averages w_ij = x_i / 2 + x_j / 2 (j >= i + skip) that are <= v, for a
/// sorted sample xs. For fixed i, w_ij grows with j (rounding is monotone), and the last j
/// with w_ij <= v shrinks as i grows: one pass with two pointers, O(n).
index_t count_at_most(const double* xs, index_t n, index_t skip, double v) {
  index_t count = 0;
  index_t j = n - 1;
  for (index_t i = 0; i < n; ++i) {
    const index_t first = i + skip;
    const double half_i = 0.5 * xs[i];
    while (j >= first && half_i + 0.5 * xs[j] > v)
      --j;
    if (j < first) break;  // no pair for this i, nor for any later one
    count += j - first + 1;
  }
  return count;
}

/// The k-th smallest (0-based) Walsh average of the sorted sample xs: the smallest double
/// v >= lowest with count_at_most(v) > k, by bisection over the ordered keys of doubles
/// (at most 64 counts). The count jumps only at Walsh averages, so v is one of them.
double kth_walsh_average(const double* xs, index_t n, index_t skip, index_t k, double lowest,
                         double highest) {
  std::uint64_t lo = order_key(lowest);
  std::uint64_t hi = order_key(highest);  // count_at_most(highest) = M > k
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (count_at_most(xs, n, skip, from_order_key(mid)) > k) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return from_order_key(lo);
}

/// The smallest Walsh average > v (+inf when there is none), for a sorted sample xs: for
/// each i the first j with w_ij > v, a pointer that only moves down as i grows, O(n).
double smallest_above(const double* xs, index_t n, index_t skip, double v) {
  double best = std::numeric_limits<double>::infinity();
  index_t j = n - 1;
  for (index_t i = 0; i + skip < n; ++i) {
    const index_t first = i + skip;
    const double half_i = 0.5 * xs[i];
    j = std::max(j, first);
    while (j > first && half_i + 0.5 * xs[j - 1] > v)
      --j;
    const double w = half_i + 0.5 * xs[j];
    if (w > v && w < best) best = w;
  }
  return best;
}

/// Median of the Walsh averages of x[0 .. n), using sorted (n doubles) as scratch.
double median_by_bisection(const double* x, index_t n, index_t skip, double* sorted) {
  std::copy(x, x + n, sorted);
  std::sort(sorted, sorted + n);
  const index_t m = skip == 0 ? n * (n + 1) / 2 : n * (n - 1) / 2;
  const double lowest = 0.5 * sorted[0] + 0.5 * sorted[skip];
  const double highest = 0.5 * sorted[n - 1 - skip] + 0.5 * sorted[n - 1];
  const index_t k = m / 2;
  if (m % 2 == 1) return kth_walsh_average(sorted, n, skip, k, lowest, highest);
  const double lower = kth_walsh_average(sorted, n, skip, k - 1, lowest, highest);
  // The k-th is `lower` again when it is tied, else the next average above it.
  const double upper =
      count_at_most(sorted, n, skip, lower) > k ? lower : smallest_above(sorted, n, skip, lower);
  return 0.5 * lower + 0.5 * upper;
}

/// Scratch doubles needed for one sample of n values.
std::size_t scratch_size(index_t n, WalshPairs pairs, bool bisect) {
  return static_cast<std::size_t>(bisect ? n : walsh_pair_count(n, pairs));
}

double median_of(const double* x, index_t n, WalshPairs pairs, bool bisect, double* scratch) {
  const index_t skip = pairs == WalshPairs::with_self ? 0 : 1;
  return bisect ? median_by_bisection(x, n, skip, scratch)
                : median_by_selection(x, n, skip, scratch);
}

}  // namespace

double walsh_median(const Eigen::Ref<const VectorD>& x, WalshPairs pairs,
                    WalshAlgorithm algorithm) {
  const char* who = "walsh_median()";
  const index_t n = x.size();
  check_length(n, pairs, who);
  for (index_t i = 0; i < n; ++i) {
    if (!std::isfinite(x(i))) reject_value(who, "x(" + std::to_string(i) + ")", x(i));
  }
  const bool bisect = use_bisection(n, algorithm);
  std::vector<double> scratch(scratch_size(n, pairs, bisect));
  return median_of(x.data(), n, pairs, bisect, scratch.data());
}

VectorD walsh_median_rows(const Eigen::Ref<const RowMatrixD>& samples, WalshPairs pairs, int n_jobs,
                          WalshAlgorithm algorithm) {
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
  const bool bisect = use_bisection(n, algorithm);
  const int used = static_cast<int>(std::min<index_t>(threads, rows));
  std::vector<std::vector<double>> scratch(static_cast<std::size_t>(used),
                                           std::vector<double>(scratch_size(n, pairs, bisect)));
  // Each row is independent and uses only its thread's scratch: identical for any n_jobs.
  parallel_for(
      0, rows, used,
      [&](index_t r) {
        out(r) = median_of(samples.row(r).data(), n, pairs, bisect,
                           scratch[static_cast<std::size_t>(thread_index())].data());
      },
      /*chunk=*/16);
  return out;
}

}  // namespace strider::utils
