// Linear regression by batch gradient descent (Numba tutorial): 2,000,000 observations, X = [x, 1],
// 1,000 epochs (53.2 s numpy, 47.6 s numba @jit, 11.1 s numba parallel). The plain version
// is the document's numpy epoch loop written with Eigen (four passes and two temporaries
// per epoch); the fast one is linear_regression_gd() (one fused pass, deterministic blocked
// reduction) on 1 and 2 threads, streaming over the data every epoch (gram:0) or with
// use_gram (gram:1: one pass for X^T X, then 2 x 2 epochs). Items are observation-epochs.

#include <benchmark/benchmark.h>

#include "bench_common.hpp"
#include "strider/random.hpp"
#include "strider/utils/gradient_descent.hpp"

namespace {

using strider::RowMatrixD;
using strider::VectorD;
using strider::bench::size;

const std::int64_t kRows = size<std::int64_t>(2'000'000, 2'000);
const std::int64_t kEpochs = size<std::int64_t>(1'000, 5);
constexpr double kLearningRate = 0.01;

struct Data {
  RowMatrixD x;
  VectorD y;
};

const Data& data() {
  static const Data d = [] {
    strider::Rng rng(0);
    Data out{RowMatrixD(kRows, 2), VectorD(kRows)};
    for (std::int64_t i = 0; i < kRows; ++i) {
      out.x(i, 0) = rng.uniform();
      out.x(i, 1) = 1.0;
      out.y(i) = 2.0 * out.x(i, 0) + 5.0 + 0.05 * rng.normal();
    }
    return out;
  }();
  return d;
}

void BM_UtilsGradientDescentPlain(benchmark::State& state) {
  const Data& d = data();
  const auto n = static_cast<double>(d.x.rows());
  for (auto _ : state) {
    VectorD coef = (VectorD(2) << 0.5, 0.5).finished();
    VectorD ssr(kEpochs);
    for (std::int64_t e = 0; e < kEpochs; ++e) {
      const VectorD pred = d.x * coef;
      const VectorD err = d.y - pred;
      ssr(e) = err.squaredNorm();
      coef += kLearningRate * 2.0 / n * (d.x.transpose() * err);
    }
    benchmark::DoNotOptimize(coef.data());
    benchmark::DoNotOptimize(ssr.data());
  }
  state.SetItemsProcessed(state.iterations() * kRows * kEpochs);
}
BENCHMARK(BM_UtilsGradientDescentPlain)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_UtilsGradientDescent(benchmark::State& state) {
  const Data& d = data();
  const VectorD start = (VectorD(2) << 0.5, 0.5).finished();
  const strider::utils::GradientDescentParams params{.learning_rate = kLearningRate,
                                                     .epochs = kEpochs,
                                                     .n_jobs = static_cast<int>(state.range(0)),
                                                     .use_gram = state.range(1) != 0};
  for (auto _ : state) {
    auto fit = strider::utils::linear_regression_gd(d.x, d.y, start, params);
    benchmark::DoNotOptimize(fit.coef.data());
  }
  state.SetItemsProcessed(state.iterations() * kRows * kEpochs);
}
BENCHMARK(BM_UtilsGradientDescent)
    ->ArgNames({"threads", "gram"})
    ->ArgsProduct({{1, 2}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
