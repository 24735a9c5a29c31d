#include "strider/utils/parallel_reduce.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include <Eigen/Core>

namespace strider::utils {

namespace {

[[noreturn]] void throw_bad_value(const char* who, std::span<const double> a) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || a[i] < 0) {
      throw std::invalid_argument(std::string(who) + ": a[" + std::to_string(i) +
                                  "] = " + std::to_string(a[i]) +
                                  " has no real square root (values must be >= 0)");
    }
  }
  throw std::logic_error(std::string(who) + ": NaN sum without a bad input (bug)");
}

constexpr index_t kBlock = 4096;

}  // namespace

double sum_sqrt_plain(std::span<const double> a) {
  double acc = 0.0;
  bool bad = false;
  for (const double v : a) {
    bad |= !(v >= 0.0);  // true for negatives and NaN
    acc += std::sqrt(v);
  }
  if (bad) throw_bad_value("sum_sqrt_plain()", a);
  return acc;
}

double sum_sqrt(std::span<const double> a, int n_jobs) {
  const auto n = static_cast<index_t>(a.size());
  const double* data = a.data();
  const double sum =
      parallel_reduce((n + kBlock - 1) / kBlock, 0.0,
                      [&](index_t b) {
                        const index_t begin = b * kBlock;
                        const index_t len = std::min(kBlock, n - begin);
                        // Eigen's sqrt is a SIMD instruction (no errno), and its sum keeps one
                        // partial accumulator per SIMD lane; a negative or NaN input yields a NaN
                        // block sum.
                        return Eigen::Map<const Eigen::ArrayXd>(data + begin, len).sqrt().sum();
                      },
                      [](double x, double y) { return x + y; }, n_jobs, /*block=*/1);
  if (std::isnan(sum)) throw_bad_value("sum_sqrt()", a);
  return sum;
}

}  // namespace strider::utils
