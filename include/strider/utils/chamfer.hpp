#pragma once
/// @file utils/chamfer.hpp
/// @brief Gaussian 3-D point clusters from a seed, the Chamfer distance between two point
/// sets, and the pairing of two lists of clusters by nearest Chamfer distance, in parallel.
///
/// Definition used here, for non-empty finite point sets A and B in R^3 with the
/// Euclidean norm |.|:
///   d(A -> B) = (1 / |A|) sum_{a in A} min_{b in B} |a - b|     (directed: a mean)
///   chamfer(A, B) = d(A -> B) + d(B -> A)        (ChamferCombine::sum, the default)
///   chamfer_max(A, B) = max(d(A -> B), d(B -> A)) (ChamferCombine::max, the document's)
/// Both are symmetric, zero for A = B, and positive when the sets differ.
/// Distances, not squared distances, are averaged (some texts average squares).
///
/// Source: "scipar", a parallel Python workshop, section "Pairwise Matching of
/// Clusters": two clouds L and R clustered into 50 and 30 clusters of up to 35 points
/// (1,090 points in its run), and for each cluster the index of the nearest cluster on
/// the other side. The document reports no timing for this part (its text ends at the
/// data generation), so the benchmarks have no document figure to compare against.
///
/// What differs from the document's code:
/// - The document's "distance" between points l and r is sqrt(l . r), the square root of
///   a dot product: it is not a distance (it is not zero for l = r, not translation
///   invariant, and NaN when l . r < 0; the notebook silences numpy's warnings). Here it
///   is the Euclidean |l - r|.
/// - Its generator draws sizes in [1, max_size - 1] (numpy's randint excludes the top),
///   integer centre coordinates in {1, .., 9} and integer sigmas in {1, 2}; here sizes are
///   in [1, max_size] and centres and sigmas are continuous uniforms on the same ranges,
///   from strider::Rng (one stream per cluster: the same clusters on every platform).
/// - The fast kernel finds both directions' nearest neighbours in one pass over the
///   |A| x |B| squared distances (vectorised, square roots only of the minima), and
///   pair_clusters() computes each Chamfer distance once for both pairings (the document
///   computes each pair twice), pairs spread over threads.
/// - Empty sets, empty lists and NaN or inf coordinates are rejected with
///   std::invalid_argument.

#include <cstdint>
#include <vector>

#include "strider/types.hpp"

namespace strider::utils {

/// A set of n points in 3-D: n x 3, one point per row.
using Points3 = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;

/// Parameters of make_gaussian_clusters().
struct GaussianClustersParams {
  index_t n_clusters = 50;         ///< clusters to draw (>= 0)
  index_t max_size = 35;           ///< points per cluster, uniform in [1, max_size] (>= 1)
  double mean_low = 1.0;           ///< centre coordinates ~ U[mean_low, mean_high)
  double mean_high = 10.0;         ///< (mean_low <= mean_high, finite)
  double sigma_low = 1.0;          ///< per-axis standard deviations ~ U[sigma_low, sigma_high)
  double sigma_high = 3.0;         ///< (0 < sigma_low <= sigma_high, finite)
  std::uint64_t random_state = 0;  ///< seed: the same seed gives the same clusters everywhere
};

/**
 * @brief Draws clusters of Gaussian points: cluster c has a size, a centre and per-axis
 * sigmas drawn as the params say, then its points ~ N(centre, diag(sigma^2)).
 * @return n_clusters point sets (each size_c x 3)
 * @throws std::invalid_argument when a parameter is out of its range
 */
std::vector<Points3> make_gaussian_clusters(const GaussianClustersParams& params = {});

/// How the two directed Chamfer means are combined.
enum class ChamferCombine {
  sum,  ///< d(A -> B) + d(B -> A) (the usual Chamfer distance)
  max,  ///< max(d(A -> B), d(B -> A)) (the document's choice)
};

/**
 * @brief d(A -> B): the mean over a in A of the Euclidean distance to the nearest b in B.
 * @param a |A| x 3, |A| >= 1, finite
 * @param b |B| x 3, |B| >= 1, finite
 * @throws std::invalid_argument when a set is empty or holds NaN or inf
 */
double directed_chamfer(const Eigen::Ref<const Points3>& a, const Eigen::Ref<const Points3>& b);

/**
 * @brief The Chamfer distance between two point sets (see the file comment).
 * @param a |A| x 3, |A| >= 1, finite
 * @param b |B| x 3, |B| >= 1, finite
 * @param combine sum (default) or max of the two directed means
 * @throws std::invalid_argument when a set is empty or holds NaN or inf
 */
double chamfer_distance(const Eigen::Ref<const Points3>& a, const Eigen::Ref<const Points3>& b,
                        ChamferCombine combine = ChamferCombine::sum);

/// Result of pair_clusters().
struct ClusterPairing {
  RowMatrixD distance;                 ///< n_left x n_right Chamfer distances
  std::vector<index_t> left_to_right;  ///< n_left: nearest right cluster of each left one
  std::vector<index_t> right_to_left;  ///< n_right: nearest left cluster of each right one
};

/**
 * @brief For two lists of clusters, the Chamfer distance of every (left, right) pair and,
 * for each cluster, the index of the nearest cluster in the other list (the smallest
 * index on ties). Pairs run in parallel; identical results for any n_jobs.
 * @param left    n_left >= 1 clusters, each non-empty and finite
 * @param right   n_right >= 1 clusters, each non-empty and finite
 * @param combine sum (default) or max of the directed means
 * @param n_jobs  threads: -1 all cores, k >= 1 exactly k; 0 rejected
 * @throws std::invalid_argument on an empty list, an empty cluster, NaN or inf (the
 *         message names the list, cluster and point), or n_jobs == 0
 */
ClusterPairing pair_clusters(const std::vector<Points3>& left, const std::vector<Points3>& right,
                             ChamferCombine combine = ChamferCombine::sum, int n_jobs = 1);

}  // namespace strider::utils
