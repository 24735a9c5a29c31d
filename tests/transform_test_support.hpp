#pragma once
// Helpers for the DilatedKernelTransform tests: random panels, the plain-loop reference
// straight from the contract, and the tolerance/tie logic shared with
// tests/reference/transform_reference.py.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "strider/panel.hpp"
#include "strider/random.hpp"
#include "strider/transform/kernel.hpp"

namespace strider::test {

/// N x C x T panel of N(0, 1) values; with `lengths`, a variable-length panel.
inline Panel random_panel(index_t n, index_t c, index_t t, std::uint64_t seed,
                          std::vector<index_t> lengths = {}) {
  Panel::Tensor data = Panel::Tensor::from_shape(
      {static_cast<std::size_t>(n), static_cast<std::size_t>(c), static_cast<std::size_t>(t)});
  Rng rng(seed, 99);
  for (double& v : data)
    v = rng.normal();
  if (lengths.empty()) return Panel(std::move(data));
  return Panel(std::move(data), std::move(lengths));
}

/// c_i of kernel k on series n (channel k.channel), by plain loops from the definition:
/// xpad = p zeros, x, p zeros, then zeros until at least one window fits. A shape
/// kernel's windows are z-normalised first (population std; a window whose std is at most
/// 1e-12 * max(1, |mean|) becomes zeros), always in double.
template <class T = double>
std::vector<T> naive_distances(const Panel& x, index_t n, const Kernel& k) {
  const index_t len = x.length(n);
  std::vector<double> xpad(static_cast<std::size_t>(k.padding), 0.0);
  for (index_t t = 0; t < len; ++t)
    xpad.push_back(k.shape ? x(n, k.channel, t)
                           : static_cast<double>(static_cast<T>(x(n, k.channel, t))));
  for (index_t p = 0; p < k.padding; ++p)
    xpad.push_back(0.0);
  while (static_cast<index_t>(xpad.size()) < k.span())
    xpad.push_back(0.0);
  const index_t n_pos = static_cast<index_t>(xpad.size()) - (k.length - 1) * k.dilation;
  std::vector<T> c(static_cast<std::size_t>(n_pos));
  std::vector<double> w(static_cast<std::size_t>(k.length));
  for (index_t i = 0; i < n_pos; ++i) {
    for (index_t j = 0; j < k.length; ++j)
      w[static_cast<std::size_t>(j)] = xpad[static_cast<std::size_t>(i + j * k.dilation)];
    if (k.shape) {
      double mean = 0.0, var = 0.0;
      for (const double v : w)
        mean += v / static_cast<double>(k.length);
      for (const double v : w)
        var += (v - mean) * (v - mean) / static_cast<double>(k.length);
      const double sd = std::sqrt(var);
      for (double& v : w)
        v = sd > 1e-12 * std::max(1.0, std::abs(mean)) ? (v - mean) / sd : 0.0;
      double sum = 0;
      for (index_t j = 0; j < k.length; ++j) {
        const double diff = w[static_cast<std::size_t>(j)] - k.values[static_cast<std::size_t>(j)];
        sum += diff * diff;
      }
      c[static_cast<std::size_t>(i)] = static_cast<T>(sum);
      continue;
    }
    T sum = 0;
    for (index_t j = 0; j < k.length; ++j) {
      const T diff = static_cast<T>(w[static_cast<std::size_t>(j)]) -
                     static_cast<T>(k.values[static_cast<std::size_t>(j)]);
      sum += diff * diff;
    }
    c[static_cast<std::size_t>(i)] = sum;
  }
  return c;
}

/// The three features of c: min, fraction of increasing steps, first argmin.
template <class T>
std::vector<double> naive_features(const std::vector<T>& c) {
  std::size_t arg = 0, inc = 0;
  for (std::size_t i = 1; i < c.size(); ++i) {
    if (c[i] < c[arg]) arg = i;
    if (c[i] > c[i - 1]) ++inc;
  }
  const double frac =
      c.size() > 1 ? static_cast<double>(inc) / static_cast<double>(c.size() - 1) : 0.0;
  return {static_cast<double>(c[arg]), frac, static_cast<double>(arg)};
}

/// Two values are "tied" when they differ by at most rel * max(|a|, |b|) + abs. With
/// rel = abs = 0 nothing is tied: the features must follow the definition exactly, equal
/// values included (first argmin, strictly increasing steps).
inline bool tied(double a, double b, double rel, double abs = 0.0) {
  return (rel > 0 || abs > 0) && std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b)) + abs;
}

/**
 * Checks one kernel's three features against the reference distances c:
 * - min within `rel` relative of min(c);
 * - argmin is a position whose c is tied (within `rel`) with min(c);
 * - the increasing count lies between the clear increases and the clear increases plus
 *   the tied steps.
 * Returns an empty string when consistent, else a description.
 */
template <class T>
std::string check_features(const std::vector<T>& c, double got_min, double got_frac, double got_arg,
                           double rel, double abs = 0.0) {
  const auto ref = naive_features(c);
  const auto n_pos = static_cast<index_t>(c.size());
  std::string bad;
  if (!tied(got_min, ref[0], rel, abs) && got_min != ref[0])
    bad += "min " + std::to_string(got_min) + " vs " + std::to_string(ref[0]) + "; ";
  const auto a = static_cast<index_t>(got_arg);
  if (static_cast<double>(a) != got_arg || a < 0 || a >= n_pos)
    bad += "argmin " + std::to_string(got_arg) + " not a position; ";
  else if (rel == 0 && abs == 0
               ? a != static_cast<index_t>(ref[2])
               : !tied(static_cast<double>(c[static_cast<std::size_t>(a)]), ref[0], rel, abs))
    bad += "argmin " + std::to_string(a) +
           " (c = " + std::to_string(static_cast<double>(c[static_cast<std::size_t>(a)])) +
           ") not tied with min " + std::to_string(ref[0]) + "; ";
  index_t lo = 0, hi = 0;
  for (index_t i = 0; i + 1 < n_pos; ++i) {
    const double u = static_cast<double>(c[static_cast<std::size_t>(i)]);
    const double v = static_cast<double>(c[static_cast<std::size_t>(i + 1)]);
    if (tied(u, v, rel, abs)) {
      ++hi;
    } else if (v > u) {
      ++lo;
      ++hi;
    }
  }
  const double count = n_pos > 1 ? got_frac * static_cast<double>(n_pos - 1) : 0.0;
  const double rounded = std::round(count);
  if (std::abs(count - rounded) > 1e-6 * std::max(1.0, count) ||
      rounded < static_cast<double>(lo) || rounded > static_cast<double>(hi))
    bad += "increasing fraction " + std::to_string(got_frac) + " (count " + std::to_string(count) +
           ") outside [" + std::to_string(lo) + ", " + std::to_string(hi) + "]; ";
  if (n_pos == 1 && got_frac != 0.0) bad += "fraction must be 0 when L = 1; ";
  return bad;
}

/// Checks every feature of `features` (n_series x FK, F = 3, or 4 when `per_kernel` = 4:
/// the fourth is not checked here) against the plain-loop reference. With T = float the
/// reference computes in float too (shape kernels: in double). Shape kernels are checked
/// with the absolute tolerance `shape_abs` * l as well. Returns the number of failures
/// (each reported with ADD_FAILURE, at most 10).
template <class T, class Matrix>
int expect_matches_naive(const Panel& x, const std::vector<Kernel>& kernels, const Matrix& features,
                         double rel, const std::string& what, double shape_abs = 0.0,
                         index_t per_kernel = 3) {
  int failures = 0;
  EXPECT_EQ(features.rows(), x.n_series()) << what;
  EXPECT_EQ(features.cols(), per_kernel * static_cast<index_t>(kernels.size())) << what;
  for (index_t n = 0; n < x.n_series(); ++n) {
    for (std::size_t k = 0; k < kernels.size(); ++k) {
      const auto c = naive_distances<T>(x, n, kernels[k]);
      const auto col = per_kernel * static_cast<index_t>(k);
      const double abs =
          kernels[k].shape ? shape_abs * static_cast<double>(kernels[k].length) : 0.0;
      const std::string bad = check_features(c, static_cast<double>(features(n, col)),
                                             static_cast<double>(features(n, col + 1)),
                                             static_cast<double>(features(n, col + 2)), rel, abs);
      if (!bad.empty() && ++failures <= 10)
        ADD_FAILURE() << what << ": series " << n << ", kernel " << k << " (l " << kernels[k].length
                      << ", d " << kernels[k].dilation << ", p " << kernels[k].padding << ", c "
                      << kernels[k].channel << (kernels[k].shape ? ", shape" : "") << ", T "
                      << x.length(n) << "): " << bad;
    }
  }
  return failures;
}

}  // namespace strider::test
