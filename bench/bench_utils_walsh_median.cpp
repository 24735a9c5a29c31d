// Walsh averages median (seed 002). One sample of 1,000 uniforms with i <= j, as the
// document's numpy version (58.8 ms numpy, 141 ms @jit, 1.46 s Python); and 10,000 samples
// of 100 with i < j, as its guvectorize version (265 ms parallel guvectorize, 4.62 s
// np.vectorize). The plain version stores every average and fully sorts it (the document's
// algorithm); the fast one selects with std::nth_element, rows in parallel. Items are samples.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <vector>

#include "bench_common.hpp"
#include "strider/random.hpp"
#include "strider/utils/walsh_median.hpp"

namespace {

using strider::index_t;
using strider::RowMatrixD;
using strider::VectorD;
using strider::bench::size;
using strider::utils::WalshPairs;

const std::int64_t kOneSample = size<std::int64_t>(1'000, 50);
const std::int64_t kSamples = size<std::int64_t>(10'000, 20);
constexpr std::int64_t kSampleSize = 100;

RowMatrixD uniforms(index_t rows, index_t cols) {
  strider::Rng rng(0);
  RowMatrixD m(rows, cols);
  for (index_t r = 0; r < rows; ++r) {
    for (index_t c = 0; c < cols; ++c)
      m(r, c) = rng.uniform();
  }
  return m;
}

// The document's algorithm done right: all averages, full sort, middle of M values.
double plain_walsh_median(const double* x, index_t n, WalshPairs pairs, std::vector<double>& w) {
  w.clear();
  for (index_t i = 0; i < n; ++i) {
    for (index_t j = (pairs == WalshPairs::with_self ? i : i + 1); j < n; ++j)
      w.push_back((x[i] + x[j]) / 2.0);
  }
  std::sort(w.begin(), w.end());
  const std::size_t m = w.size();
  return m % 2 == 1 ? w[m / 2] : 0.5 * (w[m / 2 - 1] + w[m / 2]);
}

void BM_UtilsWalshMedianOnePlain(benchmark::State& state) {
  const RowMatrixD x = uniforms(1, state.range(0));
  std::vector<double> w;
  for (auto _ : state)
    benchmark::DoNotOptimize(plain_walsh_median(x.data(), x.cols(), WalshPairs::with_self, w));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UtilsWalshMedianOnePlain)->Arg(kOneSample)->Unit(benchmark::kMillisecond);

void BM_UtilsWalshMedianOne(benchmark::State& state) {
  const RowMatrixD x = uniforms(1, state.range(0));
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        strider::utils::walsh_median(x.row(0).transpose(), WalshPairs::with_self));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UtilsWalshMedianOne)->Arg(kOneSample)->Unit(benchmark::kMillisecond);

void BM_UtilsWalshMedianRowsPlain(benchmark::State& state) {
  const RowMatrixD x = uniforms(state.range(0), kSampleSize);
  std::vector<double> w;
  VectorD out(x.rows());
  for (auto _ : state) {
    for (index_t r = 0; r < x.rows(); ++r)
      out(r) = plain_walsh_median(x.row(r).data(), x.cols(), WalshPairs::distinct, w);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_UtilsWalshMedianRowsPlain)
    ->Arg(kSamples)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_UtilsWalshMedianRows(benchmark::State& state) {
  const RowMatrixD x = uniforms(state.range(0), kSampleSize);
  const int threads = static_cast<int>(state.range(1));
  for (auto _ : state) {
    VectorD out = strider::utils::walsh_median_rows(x, WalshPairs::distinct, threads);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_UtilsWalshMedianRows)
    ->ArgNames({"samples", "threads"})
    ->Args({kSamples, 1})
    ->Args({kSamples, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
