#include "strider/utils/chamfer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

#include "strider/parallel.hpp"
#include "strider/random.hpp"

namespace strider::utils {
namespace {

/// A point set as three coordinate arrays, so the inner distance loop vectorises.
struct Cloud {
  std::vector<double> x, y, z;
  index_t size() const { return static_cast<index_t>(x.size()); }
};

Cloud to_cloud(const Eigen::Ref<const Points3>& p) {
  Cloud c;
  const auto n = static_cast<std::size_t>(p.rows());
  c.x.resize(n);
  c.y.resize(n);
  c.z.resize(n);
  for (index_t i = 0; i < p.rows(); ++i) {
    const auto k = static_cast<std::size_t>(i);
    c.x[k] = p(i, 0);
    c.y[k] = p(i, 1);
    c.z[k] = p(i, 2);
  }
  return c;
}

/// Throws unless p is non-empty and finite; `name` says which set (e.g. "left[3]").
void check_set(const Eigen::Ref<const Points3>& p, const std::string& name, const char* who) {
  if (p.rows() == 0) {
    throw std::invalid_argument(std::string(who) + ": " + name +
                                " has no points; the Chamfer distance needs non-empty sets");
  }
  for (index_t i = 0; i < p.rows(); ++i) {
    for (index_t k = 0; k < 3; ++k) {
      if (!std::isfinite(p(i, k))) {
        std::ostringstream s;
        s << who << ": " << name << "(" << i << ", " << k << ") = " << p(i, k)
          << "; every coordinate must be finite";
        throw std::invalid_argument(s.str());
      }
    }
  }
}

struct DirectedMeans {
  double a_to_b;
  double b_to_a;
};

/// Both directed means in one pass over the |A| x |B| squared distances: each row's
/// minimum gives a's nearest neighbour in B, and running column minima give each b's
/// nearest neighbour in A. col_min must hold b.size() doubles (scratch).
/// Minima of the same values do not depend on the order they are visited in, and the sums
/// of square roots run in index order: the result is the same however the loop vectorises.
DirectedMeans directed_means(const Cloud& a, const Cloud& b, double* col_min) {
  const index_t nb = b.size();
  const double* bx = b.x.data();
  const double* by = b.y.data();
  const double* bz = b.z.data();
  std::fill(col_min, col_min + nb, std::numeric_limits<double>::infinity());
  double sum_a = 0.0;
  for (index_t i = 0; i < a.size(); ++i) {
    const auto ii = static_cast<std::size_t>(i);
    const double ax = a.x[ii], ay = a.y[ii], az = a.z[ii];
    double row_min = std::numeric_limits<double>::infinity();
#pragma omp simd reduction(min : row_min)
    for (index_t j = 0; j < nb; ++j) {
      const double dx = ax - bx[j];
      const double dy = ay - by[j];
      const double dz = az - bz[j];
      const double d = dx * dx + dy * dy + dz * dz;
      row_min = d < row_min ? d : row_min;
      col_min[j] = d < col_min[j] ? d : col_min[j];
    }
    sum_a += std::sqrt(row_min);
  }
  double sum_b = 0.0;
  for (index_t j = 0; j < nb; ++j)
    sum_b += std::sqrt(col_min[j]);
  return {sum_a / static_cast<double>(a.size()), sum_b / static_cast<double>(nb)};
}

double combine_means(const DirectedMeans& m, ChamferCombine combine) {
  return combine == ChamferCombine::max ? std::max(m.a_to_b, m.b_to_a) : m.a_to_b + m.b_to_a;
}

[[noreturn]] void bad_param(const std::string& problem) {
  throw std::invalid_argument("make_gaussian_clusters(): " + problem);
}

std::string num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

std::vector<Points3> make_gaussian_clusters(const GaussianClustersParams& params) {
  const auto& p = params;
  if (p.n_clusters < 0) bad_param("n_clusters = " + std::to_string(p.n_clusters) + " < 0");
  if (p.max_size < 1) bad_param("max_size = " + std::to_string(p.max_size) + " < 1");
  if (!std::isfinite(p.mean_low) || !std::isfinite(p.mean_high) || p.mean_low > p.mean_high) {
    bad_param("the mean range [" + num(p.mean_low) + ", " + num(p.mean_high) +
              ") must be finite with mean_low <= mean_high");
  }
  if (!std::isfinite(p.sigma_low) || !std::isfinite(p.sigma_high) || !(p.sigma_low > 0.0) ||
      p.sigma_low > p.sigma_high) {
    bad_param("the sigma range [" + num(p.sigma_low) + ", " + num(p.sigma_high) +
              ") must be finite with 0 < sigma_low <= sigma_high");
  }
  std::vector<Points3> clusters(static_cast<std::size_t>(p.n_clusters));
  for (index_t c = 0; c < p.n_clusters; ++c) {
    Rng rng(p.random_state, static_cast<std::uint64_t>(c));  // one stream per cluster
    const auto size =
        static_cast<index_t>(1 + rng.uniform_int(static_cast<std::uint64_t>(p.max_size)));
    double centre[3], sigma[3];
    for (int k = 0; k < 3; ++k)
      centre[k] = rng.uniform(p.mean_low, p.mean_high);
    for (int k = 0; k < 3; ++k)
      sigma[k] = rng.uniform(p.sigma_low, p.sigma_high);
    Points3& points = clusters[static_cast<std::size_t>(c)];
    points.resize(size, 3);
    for (index_t i = 0; i < size; ++i) {
      for (int k = 0; k < 3; ++k)
        points(i, k) = rng.normal(centre[k], sigma[k]);
    }
  }
  return clusters;
}

double directed_chamfer(const Eigen::Ref<const Points3>& a, const Eigen::Ref<const Points3>& b) {
  const char* who = "directed_chamfer()";
  check_set(a, "a", who);
  check_set(b, "b", who);
  const Cloud ca = to_cloud(a), cb = to_cloud(b);
  std::vector<double> scratch(static_cast<std::size_t>(cb.size()));
  return directed_means(ca, cb, scratch.data()).a_to_b;
}

double chamfer_distance(const Eigen::Ref<const Points3>& a, const Eigen::Ref<const Points3>& b,
                        ChamferCombine combine) {
  const char* who = "chamfer_distance()";
  check_set(a, "a", who);
  check_set(b, "b", who);
  const Cloud ca = to_cloud(a), cb = to_cloud(b);
  std::vector<double> scratch(static_cast<std::size_t>(cb.size()));
  return combine_means(directed_means(ca, cb, scratch.data()), combine);
}

ClusterPairing pair_clusters(const std::vector<Points3>& left, const std::vector<Points3>& right,
                             ChamferCombine combine, int n_jobs) {
  const char* who = "pair_clusters()";
  const int threads = resolve_n_jobs(n_jobs, who);
  if (left.empty() || right.empty()) {
    throw std::invalid_argument(std::string(who) + ": left has " + std::to_string(left.size()) +
                                " clusters and right " + std::to_string(right.size()) +
                                "; both lists need at least one");
  }
  for (std::size_t c = 0; c < left.size(); ++c)
    check_set(left[c], "left[" + std::to_string(c) + "]", who);
  for (std::size_t c = 0; c < right.size(); ++c)
    check_set(right[c], "right[" + std::to_string(c) + "]", who);

  std::vector<Cloud> lc, rc;
  lc.reserve(left.size());
  rc.reserve(right.size());
  for (const Points3& p : left)
    lc.push_back(to_cloud(p));
  std::size_t max_right = 0;
  for (const Points3& p : right) {
    rc.push_back(to_cloud(p));
    max_right = std::max(max_right, static_cast<std::size_t>(p.rows()));
  }

  const auto n_left = static_cast<index_t>(left.size());
  const auto n_right = static_cast<index_t>(right.size());
  ClusterPairing out;
  out.distance.resize(n_left, n_right);
  std::vector<std::vector<double>> scratch(static_cast<std::size_t>(threads),
                                           std::vector<double>(max_right));
  // Each pair's distance is computed once, by one thread: identical for any n_jobs.
  parallel_for(0, n_left * n_right, threads, [&](index_t pair) {
    const index_t i = pair / n_right;
    const index_t j = pair % n_right;
    double* col_min = scratch[static_cast<std::size_t>(thread_index())].data();
    out.distance(i, j) = combine_means(
        directed_means(lc[static_cast<std::size_t>(i)], rc[static_cast<std::size_t>(j)], col_min),
        combine);
  });

  // Nearest on the other side; the first (smallest) index wins ties.
  out.left_to_right.resize(left.size());
  for (index_t i = 0; i < n_left; ++i) {
    index_t best = 0;
    for (index_t j = 1; j < n_right; ++j) {
      if (out.distance(i, j) < out.distance(i, best)) best = j;
    }
    out.left_to_right[static_cast<std::size_t>(i)] = best;
  }
  out.right_to_left.resize(right.size());
  for (index_t j = 0; j < n_right; ++j) {
    index_t best = 0;
    for (index_t i = 1; i < n_left; ++i) {
      if (out.distance(i, j) < out.distance(best, j)) best = i;
    }
    out.right_to_left[static_cast<std::size_t>(j)] = best;
  }
  return out;
}

}  // namespace strider::utils
