#include "strider/utils/chamfer.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace strider::utils {
namespace {

// Plain reference: the definition, point by point, with Eigen norms.
double reference_directed(const Points3& a, const Points3& b) {
  double sum = 0.0;
  for (index_t i = 0; i < a.rows(); ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (index_t j = 0; j < b.rows(); ++j)
      best = std::min(best, (a.row(i) - b.row(j)).norm());
    sum += best;
  }
  return sum / static_cast<double>(a.rows());
}

Points3 points(std::initializer_list<std::array<double, 3>> rows) {
  Points3 p(static_cast<index_t>(rows.size()), 3);
  index_t i = 0;
  for (const auto& r : rows) {
    p.row(i++) << r[0], r[1], r[2];
  }
  return p;
}

TEST(UtilsChamfer, ClosedFormDistances) {
  const Points3 origin = points({{0, 0, 0}});
  const Points3 two = points({{0, 0, 0}, {3, 4, 0}});
  // origin -> two: 0; two -> origin: (0 + 5) / 2.
  EXPECT_EQ(directed_chamfer(origin, two), 0.0);
  EXPECT_EQ(directed_chamfer(two, origin), 2.5);
  EXPECT_EQ(chamfer_distance(origin, two), 2.5);
  EXPECT_EQ(chamfer_distance(two, origin, ChamferCombine::max), 2.5);
  // Two single points: sum counts |p - q| twice, max once.
  const Points3 p = points({{1, 2, 3}}), q = points({{1, 2 + 12, 3 + 5}});
  EXPECT_EQ(chamfer_distance(p, q), 26.0);
  EXPECT_EQ(chamfer_distance(p, q, ChamferCombine::max), 13.0);
  // A set against itself, and translation invariance (unlike sqrt(l . r)).
  const Points3 cloud = make_gaussian_clusters({.n_clusters = 1, .max_size = 40})[0];
  EXPECT_EQ(chamfer_distance(cloud, cloud), 0.0);
  Points3 shifted = cloud;
  shifted.col(0).array() += 100.0;
  Points3 other = make_gaussian_clusters({.n_clusters = 2, .max_size = 40})[1];
  Points3 other_shifted = other;
  other_shifted.col(0).array() += 100.0;
  EXPECT_NEAR(chamfer_distance(shifted, other_shifted), chamfer_distance(cloud, other), 1e-12);
}

TEST(UtilsChamfer, MatchesThePlainDefinitionAndIsSymmetric) {
  const auto clusters =
      make_gaussian_clusters({.n_clusters = 12, .max_size = 60, .random_state = 4});
  for (std::size_t i = 0; i < clusters.size(); ++i) {
    for (std::size_t j = 0; j < clusters.size(); ++j) {
      const auto& a = clusters[i];
      const auto& b = clusters[j];
      const double ab = reference_directed(a, b), ba = reference_directed(b, a);
      EXPECT_NEAR(directed_chamfer(a, b), ab, 1e-13 * (1 + ab));
      EXPECT_NEAR(chamfer_distance(a, b), ab + ba, 1e-13 * (1 + ab + ba));
      EXPECT_NEAR(chamfer_distance(a, b, ChamferCombine::max), std::max(ab, ba), 1e-13 * (1 + ab));
      EXPECT_EQ(chamfer_distance(a, b), chamfer_distance(b, a));
    }
  }
}

TEST(UtilsChamfer, GeneratorFollowsItsParameters) {
  // The document's sizes: 50 and 30 clusters of up to 35 points.
  const auto left = make_gaussian_clusters({.n_clusters = 50, .max_size = 35, .random_state = 1});
  ASSERT_EQ(left.size(), 50u);
  index_t total = 0;
  for (const auto& c : left) {
    EXPECT_GE(c.rows(), 1);
    EXPECT_LE(c.rows(), 35);
    total += c.rows();
  }
  EXPECT_GT(total, 50 * 8);  // mean size 18: far from the extremes
  EXPECT_LT(total, 50 * 28);
  // Reproducible; another seed gives other clusters.
  const auto again = make_gaussian_clusters({.n_clusters = 50, .max_size = 35, .random_state = 1});
  for (std::size_t c = 0; c < left.size(); ++c)
    EXPECT_EQ(left[c], again[c]);
  // (Eigen compares only matrices of one shape: the sizes are compared first.)
  const auto seed2 = make_gaussian_clusters({.n_clusters = 1, .random_state = 2})[0];
  const auto seed3 = make_gaussian_clusters({.n_clusters = 1, .random_state = 3})[0];
  EXPECT_FALSE(seed2.rows() == seed3.rows() && seed2 == seed3);
  // Tiny sigma: every point sits on its centre, inside the mean range.
  const auto tight = make_gaussian_clusters({.n_clusters = 20,
                                             .max_size = 5,
                                             .mean_low = 2.0,
                                             .mean_high = 3.0,
                                             .sigma_low = 1e-9,
                                             .sigma_high = 1e-9});
  for (const auto& c : tight) {
    EXPECT_GE(c.minCoeff(), 2.0 - 1e-7);
    EXPECT_LT(c.maxCoeff(), 3.0 + 1e-7);
    EXPECT_LT((c.rowwise() - c.row(0)).cwiseAbs().maxCoeff(), 1e-7);
  }
  // Per-axis spread of large clusters: sigma_low = sigma_high = 2.
  const auto wide = make_gaussian_clusters(
      {.n_clusters = 10, .max_size = 4000, .sigma_low = 2.0, .sigma_high = 2.0});
  for (const auto& c : wide) {
    if (c.rows() < 1000) continue;
    const Eigen::RowVector3d mean = c.colwise().mean();
    const Eigen::RowVector3d sd =
        ((c.rowwise() - mean).array().square().colwise().sum() / static_cast<double>(c.rows() - 1))
            .sqrt();
    EXPECT_NEAR(sd(0), 2.0, 0.2);
    EXPECT_NEAR(sd(2), 2.0, 0.2);
    EXPECT_GT(mean.minCoeff(), 1.0 - 0.5);
    EXPECT_LT(mean.maxCoeff(), 10.0 + 0.5);
  }
  EXPECT_TRUE(make_gaussian_clusters({.n_clusters = 0}).empty());
}

TEST(UtilsChamfer, PairingFindsTheNearestClusterForAnyThreadCount) {
  const auto left = make_gaussian_clusters({.n_clusters = 50, .max_size = 35, .random_state = 1});
  const auto right = make_gaussian_clusters({.n_clusters = 30, .max_size = 35, .random_state = 2});
  for (ChamferCombine combine : {ChamferCombine::sum, ChamferCombine::max}) {
    const ClusterPairing one = pair_clusters(left, right, combine, 1);
    ASSERT_EQ(one.distance.rows(), 50);
    ASSERT_EQ(one.distance.cols(), 30);
    ASSERT_EQ(one.left_to_right.size(), 50u);
    ASSERT_EQ(one.right_to_left.size(), 30u);
    // Against the plain definition: distances and argmins (first index on ties).
    for (index_t i = 0; i < 50; ++i) {
      index_t best = 0;
      double best_d = std::numeric_limits<double>::infinity();
      for (index_t j = 0; j < 30; ++j) {
        const double ab = reference_directed(left[i], right[j]);
        const double ba = reference_directed(right[j], left[i]);
        const double d = combine == ChamferCombine::sum ? ab + ba : std::max(ab, ba);
        EXPECT_NEAR(one.distance(i, j), d, 1e-13 * (1 + d));
        EXPECT_EQ(one.distance(i, j), chamfer_distance(left[i], right[j], combine));
        if (d < best_d) {
          best_d = d;
          best = j;
        }
      }
      EXPECT_EQ(one.left_to_right[i], best) << "left " << i;
    }
    for (index_t j = 0; j < 30; ++j) {
      index_t best = 0;
      for (index_t i = 1; i < 50; ++i) {
        if (one.distance(i, j) < one.distance(best, j)) best = i;
      }
      EXPECT_EQ(one.right_to_left[j], best) << "right " << j;
    }
    for (int threads : {2, 3}) {
      const ClusterPairing many = pair_clusters(left, right, combine, threads);
      EXPECT_EQ(many.distance, one.distance);
      EXPECT_EQ(many.left_to_right, one.left_to_right);
      EXPECT_EQ(many.right_to_left, one.right_to_left);
    }
  }
  // Ties: two identical right clusters; the first index wins.
  const std::vector<Points3> twins{right[0], right[0]};
  const ClusterPairing tie = pair_clusters({left[0]}, twins);
  EXPECT_EQ(tie.left_to_right[0], 0);
  EXPECT_EQ(tie.right_to_left, (std::vector<index_t>{0, 0}));
}

void expect_invalid(const std::function<void()>& f, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "no exception; expected one mentioning '" << fragment << "'";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(UtilsChamfer, BadInputIsRejectedClearly) {
  const Points3 p = points({{0, 0, 0}, {1, 1, 1}});
  expect_invalid([&] { chamfer_distance(Points3(0, 3), p); }, "a has no points");
  expect_invalid([&] { directed_chamfer(p, Points3(0, 3)); }, "b has no points");
  Points3 bad = p;
  bad(1, 2) = std::nan("");
  expect_invalid([&] { chamfer_distance(p, bad); }, "b(1, 2) = nan");
  const std::vector<Points3> ok{p};
  expect_invalid([&] { pair_clusters({}, ok); }, "left has 0 clusters");
  expect_invalid([&] { pair_clusters(ok, {}); }, "right 0");
  expect_invalid([&] { pair_clusters(ok, {p, Points3(0, 3)}); }, "right[1] has no points");
  expect_invalid([&] { pair_clusters({p, p, bad}, ok); }, "left[2](1, 2) = nan");
  expect_invalid([&] { pair_clusters(ok, ok, ChamferCombine::sum, 0); }, "n_jobs = 0");
  expect_invalid([] { make_gaussian_clusters({.n_clusters = -1}); }, "n_clusters = -1");
  expect_invalid([] { make_gaussian_clusters({.max_size = 0}); }, "max_size = 0");
  expect_invalid([] { make_gaussian_clusters({.mean_low = 5, .mean_high = 1}); }, "mean range");
  expect_invalid([] { make_gaussian_clusters({.sigma_low = 0.0}); }, "sigma range");
  expect_invalid([] { make_gaussian_clusters({.sigma_low = 3, .sigma_high = 2}); }, "sigma range");
}

}  // namespace
}  // namespace strider::utils
