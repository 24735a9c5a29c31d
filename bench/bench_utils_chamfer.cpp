// Chamfer pairing of clusters ("scipar" workshop): 50 left and 30 right Gaussian clusters of up to
// 35 points (the document's case; it reports no timing), and a 100x larger case with 100x
// more points per cluster (up to 3,500). The plain version follows the document's
// structure (each cluster against every cluster on the other side, both lists, so every
// pair's distance is computed twice; a square root per point pair) with the Euclidean
// distance; the fast one is pair_clusters() on 1 and 2 threads. Items are cluster pairs.

#include <benchmark/benchmark.h>

#include <cmath>
#include <limits>
#include <vector>

#include "bench_common.hpp"
#include "strider/utils/chamfer.hpp"

namespace {

using strider::index_t;
using strider::utils::ChamferCombine;
using strider::utils::Points3;

const std::int64_t kDocumentSize = strider::bench::size<std::int64_t>(35, 5);
const std::int64_t kLargeSize = strider::bench::size<std::int64_t>(3'500, 10);

struct Lists {
  std::vector<Points3> left, right;
};

Lists make_lists(index_t max_size) {
  return {strider::utils::make_gaussian_clusters(
              {.n_clusters = 50, .max_size = max_size, .random_state = 1}),
          strider::utils::make_gaussian_clusters(
              {.n_clusters = 30, .max_size = max_size, .random_state = 2})};
}

double plain_directed(const Points3& a, const Points3& b) {
  double sum = 0.0;
  for (index_t i = 0; i < a.rows(); ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (index_t j = 0; j < b.rows(); ++j) {
      const double dx = a(i, 0) - b(j, 0), dy = a(i, 1) - b(j, 1), dz = a(i, 2) - b(j, 2);
      best = std::min(best, std::sqrt(dx * dx + dy * dy + dz * dz));
    }
    sum += best;
  }
  return sum / static_cast<double>(a.rows());
}

index_t plain_nearest(const Points3& c, const std::vector<Points3>& others) {
  index_t best = 0;
  double best_d = std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < others.size(); ++k) {
    const double d = plain_directed(c, others[k]) + plain_directed(others[k], c);
    if (d < best_d) {
      best_d = d;
      best = static_cast<index_t>(k);
    }
  }
  return best;
}

void BM_UtilsChamferPairingPlain(benchmark::State& state) {
  const Lists lists = make_lists(state.range(0));
  std::vector<index_t> l2r(lists.left.size()), r2l(lists.right.size());
  for (auto _ : state) {
    for (std::size_t i = 0; i < lists.left.size(); ++i)
      l2r[i] = plain_nearest(lists.left[i], lists.right);
    for (std::size_t j = 0; j < lists.right.size(); ++j)
      r2l[j] = plain_nearest(lists.right[j], lists.left);
    benchmark::DoNotOptimize(l2r.data());
    benchmark::DoNotOptimize(r2l.data());
  }
  state.SetItemsProcessed(state.iterations() * 50 * 30);
}
BENCHMARK(BM_UtilsChamferPairingPlain)
    ->ArgName("max_size")
    ->Arg(kDocumentSize)
    ->Arg(kLargeSize)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_UtilsChamferPairing(benchmark::State& state) {
  const Lists lists = make_lists(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  for (auto _ : state) {
    auto pairing =
        strider::utils::pair_clusters(lists.left, lists.right, ChamferCombine::sum, threads);
    benchmark::DoNotOptimize(pairing.left_to_right.data());
  }
  state.SetItemsProcessed(state.iterations() * 50 * 30);
}
BENCHMARK(BM_UtilsChamferPairing)
    ->ArgNames({"max_size", "threads"})
    ->Args({kDocumentSize, 1})
    ->Args({kDocumentSize, 2})
    ->Args({kLargeSize, 1})
    ->Args({kLargeSize, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
