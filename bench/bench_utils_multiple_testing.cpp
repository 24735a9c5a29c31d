// Many two-sided z-tests with Bonferroni correction (numba/joblib tutorial): 10,000 samples of 100
// values from N(0.1, 1) (22.2 ms loop of @jit calls, 1.15 ms numba prange on 64 cores). The plain
// version is a serial loop (mean, z, erfc, min(1, m p)); the fast one is multiple_z_tests()
// (validation, parallel rows, reject decisions) on 1 and 2 threads. Items are samples.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>

#include "bench_common.hpp"
#include "strider/random.hpp"
#include "strider/utils/multiple_testing.hpp"

namespace {

using strider::index_t;
using strider::RowMatrixD;
using strider::VectorD;

const std::int64_t kSamples = strider::bench::size<std::int64_t>(10'000, 50);
constexpr index_t kSampleSize = 100;

const RowMatrixD& samples() {
  static const RowMatrixD s = [] {
    strider::Rng rng(0);
    RowMatrixD m(kSamples, kSampleSize);
    for (index_t r = 0; r < m.rows(); ++r) {
      for (index_t c = 0; c < m.cols(); ++c)
        m(r, c) = rng.normal(0.1, 1.0);
    }
    return m;
  }();
  return s;
}

void BM_UtilsMultipleTestingPlain(benchmark::State& state) {
  const RowMatrixD& s = samples();
  const double m = static_cast<double>(s.rows());
  VectorD adjusted(s.rows());
  for (auto _ : state) {
    for (index_t r = 0; r < s.rows(); ++r) {
      const double z = std::sqrt(static_cast<double>(s.cols())) * s.row(r).mean() / 1.0;
      adjusted(r) = std::min(1.0, m * std::erfc(std::abs(z) / std::sqrt(2.0)));
    }
    benchmark::DoNotOptimize(adjusted.data());
  }
  state.SetItemsProcessed(state.iterations() * s.rows());
}
BENCHMARK(BM_UtilsMultipleTestingPlain)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_UtilsMultipleTesting(benchmark::State& state) {
  const RowMatrixD& s = samples();
  const strider::utils::MultipleZTestParams params{
      .sigma = 1.0,
      .correction = strider::utils::Correction::bonferroni,
      .n_jobs = static_cast<int>(state.range(0))};
  for (auto _ : state) {
    auto res = strider::utils::multiple_z_tests(s, params);
    benchmark::DoNotOptimize(res.p_adjusted.data());
  }
  state.SetItemsProcessed(state.iterations() * s.rows());
}
BENCHMARK(BM_UtilsMultipleTesting)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

}  // namespace
