// The whole pipeline at the benchmark shape: 1,500 training series of length 150,
// 10,000 kernels (40,000 features with the default occurrences), 4 classes, split into
// its stages (transform of the training set, scaling, ridge fit with leave-one-out over
// the alphas, prediction of a 1,500-series test set), plus KernelClassifier::fit end to
// end. Synthetic data: random
// walks with a class-dependent shape added. Tiny sizes in smoke mode.
//
//   ./build/release/bench/strider_bench --benchmark_filter=Pipeline
//       --benchmark_repetitions=5 --benchmark_report_aggregates_only=true   (one line)

#include <benchmark/benchmark.h>

#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "bench_common.hpp"
#include "strider/classifier.hpp"
#include "strider/detail/xtensor.hpp"
#include "strider/linear/ridge_classifier_cv.hpp"
#include "strider/linear/standard_scaler.hpp"
#include "strider/panel.hpp"
#include "strider/random.hpp"
#include "strider/transform/dilated_kernel_transform.hpp"

namespace {

using strider::index_t;

struct Shape {
  index_t n;        // series in each of train and test
  index_t length;   // points per series
  index_t kernels;  // K
};

Shape benchmark_shape() {
  return {strider::bench::size<index_t>(1500, 40), strider::bench::size<index_t>(150, 32),
          strider::bench::size<index_t>(10000, 50)};
}

constexpr int kClasses = 4;

/// n labelled series of `length` points: a Gaussian random walk plus the shape of class
/// i % 4 (nothing, a sine wave, a step, a bump) at a random position and amplitude.
strider::Panel make_panel(index_t n, index_t length, std::uint64_t stream) {
  strider::Panel::Tensor data = strider::Panel::Tensor::from_shape(
      {static_cast<std::size_t>(n), 1, static_cast<std::size_t>(length)});
  std::vector<std::string> labels(static_cast<std::size_t>(n));
  strider::Rng rng(2024, stream);
  const double tl = static_cast<double>(length);
  for (index_t i = 0; i < n; ++i) {
    const int c = static_cast<int>(i % kClasses);
    labels[static_cast<std::size_t>(i)] = "class" + std::to_string(c);
    const double amp = rng.uniform(2.0, 4.0);
    const double at = rng.uniform(0.2, 0.8) * tl;
    double walk = 0.0;
    for (index_t t = 0; t < length; ++t) {
      walk += 0.3 * rng.normal();
      const double x = static_cast<double>(t);
      double shape = 0.0;
      if (c == 1) shape = amp * std::sin(2.0 * M_PI * x / (tl / 6.0));
      if (c == 2) shape = x >= at ? amp : 0.0;
      if (c == 3) shape = amp * std::exp(-0.5 * std::pow((x - at) / (tl / 20.0), 2));
      data(static_cast<std::size_t>(i), 0, static_cast<std::size_t>(t)) = walk + shape;
    }
  }
  std::vector<index_t> lengths(static_cast<std::size_t>(n), length);
  return strider::Panel(std::move(data), std::move(lengths), std::move(labels));
}

/// Data and intermediate results shared by the benchmarks (built once, outside timing).
struct Fixture {
  strider::Panel train, test;
  strider::DilatedKernelTransform transform;
  strider::RowMatrixD features;  // transform of train
  strider::StandardScaler scaler;
  strider::RowMatrixD scaled;  // scaled features of train
};

strider::KernelClassifierParams params(const Shape& s, int threads, bool f32) {
  strider::KernelClassifierParams p;
  p.transform.n_kernels = s.kernels;
  p.transform.random_state = 7;
  p.float32 = f32;
  p.set_n_jobs(threads);
  return p;
}

Fixture& fixture() {
  static std::unique_ptr<Fixture> f;
  if (!f) {
    const Shape s = benchmark_shape();
    f = std::make_unique<Fixture>();
    f->train = make_panel(s.n, s.length, 0);
    f->test = make_panel(s.n, s.length, 1);
    const strider::KernelClassifierParams p = params(s, -1, false);
    f->transform = strider::DilatedKernelTransform(p.transform);
    f->features = f->transform.fit_transform<double>(f->train);
    f->scaler = strider::StandardScaler(p.scaler);
    f->scaled = f->scaler.fit_transform<double>(f->features);
  }
  return *f;
}

// Args: {threads, float32}
void BM_PipelineTransform(benchmark::State& state) {
  const Shape s = benchmark_shape();
  Fixture& fx = fixture();
  const auto p = params(s, static_cast<int>(state.range(0)), state.range(1) != 0);
  for (auto _ : state) {
    strider::DilatedKernelTransform dkt(p.transform);
    if (p.float32) {
      benchmark::DoNotOptimize(dkt.fit_transform<float>(fx.train).data());
    } else {
      benchmark::DoNotOptimize(dkt.fit_transform<double>(fx.train).data());
    }
  }
  state.SetItemsProcessed(state.iterations() * s.n);  // series per second
  state.SetLabel(std::to_string(s.n) + " x " + std::to_string(s.length) +
                 ", K=" + std::to_string(s.kernels) + (p.float32 ? ", float32" : ", float64"));
}

void BM_PipelineScaler(benchmark::State& state) {
  Fixture& fx = fixture();
  const strider::StandardScalerParams sp =
      params(benchmark_shape(), static_cast<int>(state.range(0)), false).scaler;
  for (auto _ : state) {
    strider::StandardScaler sc(sp);
    benchmark::DoNotOptimize(sc.fit_transform<double>(fx.features).data());
  }
  state.SetItemsProcessed(state.iterations() * fx.features.size());  // values per second
  state.SetLabel(std::to_string(fx.features.rows()) + " x " + std::to_string(fx.features.cols()));
}

void BM_PipelineRidge(benchmark::State& state) {
  Fixture& fx = fixture();
  const strider::RidgeClassifierCVParams rp =
      params(benchmark_shape(), static_cast<int>(state.range(0)), false).ridge;
  for (auto _ : state) {
    strider::RidgeClassifierCV ridge(rp);
    ridge.fit<double>(fx.scaled, fx.train.labels());
    benchmark::DoNotOptimize(ridge.alpha());
  }
  state.SetItemsProcessed(state.iterations() * fx.scaled.rows());  // series per second
  state.SetLabel(std::to_string(fx.scaled.rows()) + " x " + std::to_string(fx.scaled.cols()) +
                 ", " + std::to_string(rp.alphas.size()) + " alphas, " + std::to_string(kClasses) +
                 " classes");
}

// Prediction of the test set: transform, scaling and the ridge's decision, as users call it.
void BM_PipelinePredict(benchmark::State& state) {
  Fixture& fx = fixture();
  const auto p = params(benchmark_shape(), static_cast<int>(state.range(0)), false);
  strider::KernelClassifier local(p);
  local.fit(fx.train);  // outside the timing
  std::vector<std::string> pred;
  for (auto _ : state) {
    pred = local.predict(fx.test);
    benchmark::DoNotOptimize(pred.data());
  }
  index_t correct = 0;  // of the last prediction, outside the timing
  for (std::size_t i = 0; i < pred.size(); ++i)
    correct += pred[i] == fx.test.labels()[i];
  state.SetItemsProcessed(state.iterations() * fx.test.n_series());
  state.counters["accuracy"] = static_cast<double>(correct) / static_cast<double>(pred.size());
}

// KernelClassifier::fit end to end; the counters split it with the classifier's own timings.
// Args: {threads, float32, choose, weights}: choose = 0 turns choose_normalization off (one
// pipeline instead of two), to show what the default's choice costs; weights = 0 sets
// feature_weights to {1, 1, 1}, which skips the weighting pass (its cost, not its effect:
// the accuracy counter of this synthetic set is not a benchmark of the weights).
void BM_PipelineFit(benchmark::State& state) {
  const Shape s = benchmark_shape();
  Fixture& fx = fixture();
  auto p = params(s, static_cast<int>(state.range(0)), state.range(1) != 0);
  p.choose_normalization = state.range(2) != 0;
  if (state.range(3) == 0) p.feature_weights = {1.0, 1.0, 1.0};  // no weighting pass
  strider::FitTimings sum;
  for (auto _ : state) {
    strider::KernelClassifier clf(p);
    clf.fit(fx.train);
    sum.transform_seconds += clf.fit_timings().transform_seconds;
    sum.scaler_seconds += clf.fit_timings().scaler_seconds;
    sum.ridge_seconds += clf.fit_timings().ridge_seconds;
  }
  const double it = static_cast<double>(state.iterations());
  state.counters["transform_s"] = sum.transform_seconds / it;
  state.counters["scaler_s"] = sum.scaler_seconds / it;
  state.counters["ridge_s"] = sum.ridge_seconds / it;
  state.SetItemsProcessed(state.iterations() * s.n);
  state.SetLabel(std::string(p.float32 ? "float32" : "float64") +
                 (p.choose_normalization ? ", choose_normalization" : ", one normalisation") +
                 (state.range(3) != 0 ? "" : ", equal feature weights"));
}

void thread_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"threads", "float32"});
  b->Args({1, 0})->Args({2, 0})->Args({2, 1});
}

void fit_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"threads", "float32", "choose", "weights"});
  b->Args({1, 0, 1, 1})
      ->Args({2, 0, 1, 1})
      ->Args({2, 1, 1, 1})
      ->Args({2, 0, 0, 1})
      ->Args({2, 0, 0, 0});
}

void one_arg(benchmark::internal::Benchmark* b) {
  b->ArgNames({"threads"});
  b->Arg(1)->Arg(2);
}

BENCHMARK(BM_PipelineTransform)->Apply(thread_args)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PipelineScaler)->Apply(one_arg)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PipelineRidge)->Apply(one_arg)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PipelinePredict)->Apply(one_arg)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PipelineFit)->Apply(fit_args)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
