// Benchmarks of include/strider/linear/: RidgeClassifierCV::fit at the benchmark shape
// (N = 1,500 series, F = 30,000 features, 4 classes), its Gram-matrix kernel beside a
// plain Eigen product, and StandardScaler on the N x F feature matrix.
//
// Extra benchmarks, registered only on request (never in CI):
// - STRIDER_BENCH_RIDGE_X=<file> STRIDER_BENCH_RIDGE_Y=<file> STRIDER_BENCH_RIDGE_SHAPE=NxF:
//   RidgeFitFile times fit() on float32 data written by bench/sklearn_ridge_timing.py, so
//   scikit-learn and strider are timed on the same data in the same run.
// - STRIDER_BENCH_RIDGE_BIG=NxF (e.g. 20000x30000): RidgeFitBig, one fit on float32 Gaussian
//   data with 2 threads, reporting the peak resident memory (getrusage ru_maxrss).
// Both report the process's peak RSS as the counter peak_rss_GiB.

#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "../src/linear/ridge_gcv.hpp"
#include "bench_common.hpp"
#include "strider/linear/ridge_classifier_cv.hpp"
#include "strider/linear/standard_scaler.hpp"
#include "strider/parallel.hpp"
#include "strider/random.hpp"

namespace {

using strider::index_t;
using strider::RowMatrixF;

double peak_rss_gib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / (1024.0 * 1024.0);  // ru_maxrss is in KiB
}

struct Data {
  RowMatrixF x;
  std::vector<std::string> y;
};

// Gaussian classes (the statistics do not matter for the cost: the exact LOO solution
// does the same work for any values). Cached per shape.
const Data& gaussian_data(index_t n, index_t f, int classes) {
  static std::map<std::vector<index_t>, Data> cache;
  const std::vector<index_t> key{n, f, classes};
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  if (cache.size() > 2) cache.clear();  // keep memory bounded across shapes
  Data d;
  d.x.resize(n, f);
  strider::parallel_for(0, n, strider::resolve_n_jobs(-1), [&](index_t i) {
    strider::Rng rng(42, static_cast<std::uint64_t>(i));
    const auto k = static_cast<int>(i % classes);
    for (index_t j = 0; j < f; ++j)
      d.x(i, j) = static_cast<float>(rng.normal() + 0.05 * k * ((j % 7) == 0));
  });
  for (index_t i = 0; i < n; ++i)
    d.y.push_back(std::to_string(i % classes));
  return cache.emplace(key, std::move(d)).first->second;
}

void fit_and_report(benchmark::State& state, const Data& d, int n_jobs) {
  strider::RidgeClassifierCVParams p;
  p.n_jobs = n_jobs;
  double alpha = 0.0;
  for (auto _ : state) {
    strider::RidgeClassifierCV model(p);
    model.fit<float>(d.x, d.y);
    alpha = model.alpha();
    benchmark::DoNotOptimize(model.coef().data());
  }
  state.counters["alpha"] = alpha;
  state.counters["peak_rss_GiB"] = peak_rss_gib();
  state.SetItemsProcessed(state.iterations() * d.x.rows());  // samples fitted per second
}

// RidgeClassifierCV::fit, float32 input; args: N, F, classes, n_jobs.
void BM_RidgeFit(benchmark::State& state) {
  const Data& d = gaussian_data(state.range(0), state.range(1), static_cast<int>(state.range(2)));
  fit_and_report(state, d, static_cast<int>(state.range(3)));
}

// The Gram matrix A A^T of the Gram mode (lower triangle, tiled, n_jobs threads).
void BM_RidgeGram(benchmark::State& state) {
  const Data& d = gaussian_data(state.range(0), state.range(1), 4);
  strider::detail::GcvInput in;
  in.x_offset = strider::VectorD::Zero(d.x.cols());
  in.sqrt_sw = strider::VectorD::Ones(d.x.rows());
  in.n_threads = strider::resolve_n_jobs(static_cast<int>(state.range(2)));
  for (auto _ : state) {
    const auto k = strider::detail::gram_lower<float>(d.x, in);
    benchmark::DoNotOptimize(k.data());
  }
  const double n = static_cast<double>(d.x.rows());
  state.counters["GFLOPS"] = benchmark::Counter(
      n * n * static_cast<double>(d.x.cols()) * static_cast<double>(state.iterations()) * 1e-9,
      benchmark::Counter::kIsRate);
}

// Plain reference: one Eigen product X X^T in float64 (full matrix, one thread).
void BM_RidgeGramPlainEigen(benchmark::State& state) {
  const Data& d = gaussian_data(state.range(0), state.range(1), 4);
  const strider::RowMatrixD x = d.x.cast<double>();
  for (auto _ : state) {
    const strider::ColMatrix<double> k = x * x.transpose();
    benchmark::DoNotOptimize(k.data());
  }
  const double n = static_cast<double>(d.x.rows());
  state.counters["GFLOPS"] = benchmark::Counter(2.0 * n * n * static_cast<double>(d.x.cols()) *
                                                    static_cast<double>(state.iterations()) * 1e-9,
                                                benchmark::Counter::kIsRate);
}

// StandardScaler fit + in-place transform of the N x F float32 feature matrix.
void BM_ScalerFitTransform(benchmark::State& state) {
  const Data& d = gaussian_data(state.range(0), state.range(1), 4);
  RowMatrixF work = d.x;
  strider::StandardScalerParams p;
  p.n_jobs = static_cast<int>(state.range(2));
  for (auto _ : state) {
    state.PauseTiming();
    work = d.x;
    state.ResumeTiming();
    strider::StandardScaler s(p);
    s.fit<float>(work);
    s.transform_inplace<float>(work);
    benchmark::DoNotOptimize(work.data());
  }
  state.SetBytesProcessed(state.iterations() * d.x.size() * static_cast<int64_t>(sizeof(float)));
}

// Plain reference: the same standardisation as two loops over the matrix.
void BM_ScalerPlainLoops(benchmark::State& state) {
  const Data& d = gaussian_data(state.range(0), state.range(1), 4);
  RowMatrixF work = d.x;
  const index_t n = d.x.rows(), f = d.x.cols();
  for (auto _ : state) {
    state.PauseTiming();
    work = d.x;
    state.ResumeTiming();
    std::vector<double> sum(static_cast<std::size_t>(f), 0.0), sq(static_cast<std::size_t>(f));
    for (index_t i = 0; i < n; ++i)
      for (index_t j = 0; j < f; ++j)
        sum[static_cast<std::size_t>(j)] += work(i, j);
    for (index_t j = 0; j < f; ++j)
      sum[static_cast<std::size_t>(j)] /= static_cast<double>(n);
    for (index_t i = 0; i < n; ++i)
      for (index_t j = 0; j < f; ++j) {
        const double c = work(i, j) - sum[static_cast<std::size_t>(j)];
        sq[static_cast<std::size_t>(j)] += c * c;
      }
    for (index_t i = 0; i < n; ++i)
      for (index_t j = 0; j < f; ++j)
        work(i, j) =
            static_cast<float>((work(i, j) - sum[static_cast<std::size_t>(j)]) /
                               std::sqrt(sq[static_cast<std::size_t>(j)] / static_cast<double>(n)));
    benchmark::DoNotOptimize(work.data());
  }
  state.SetBytesProcessed(state.iterations() * d.x.size() * static_cast<int64_t>(sizeof(float)));
}

using strider::bench::size;

// Benchmark shape: N = 1,500, F = 30,000, 4 classes (smoke: tiny).
BENCHMARK(BM_RidgeFit)
    ->Args({size<int64_t>(1500, 40), size<int64_t>(30000, 90), 4, -1})
    ->Args({size<int64_t>(1500, 40), size<int64_t>(30000, 90), 4, 1})
    ->Args({size<int64_t>(3000, 60), size<int64_t>(1000, 20), 4, -1})  // covariance mode
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_RidgeGram)
    ->Args({size<int64_t>(1500, 40), size<int64_t>(30000, 90), -1})
    ->Args({size<int64_t>(1500, 40), size<int64_t>(30000, 90), 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_RidgeGramPlainEigen)
    ->Args({size<int64_t>(1500, 40), size<int64_t>(30000, 90)})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ScalerFitTransform)
    ->Args({size<int64_t>(1500, 40), size<int64_t>(30000, 90), -1})
    ->Args({size<int64_t>(1500, 40), size<int64_t>(30000, 90), 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ScalerPlainLoops)
    ->Args({size<int64_t>(1500, 40), size<int64_t>(30000, 90)})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// ---- on request only ------------------------------------------------------------

bool parse_shape(const char* text, index_t& n, index_t& f) {
  long long a = 0, b = 0;
  if (text == nullptr || std::sscanf(text, "%lldx%lld", &a, &b) != 2 || a < 1 || b < 1)
    return false;
  n = static_cast<index_t>(a);
  f = static_cast<index_t>(b);
  return true;
}

const Data& file_data() {
  static Data d = [] {
    index_t n = 0, f = 0;
    parse_shape(std::getenv("STRIDER_BENCH_RIDGE_SHAPE"), n, f);
    Data out;
    out.x.resize(n, f);
    std::ifstream xs(std::getenv("STRIDER_BENCH_RIDGE_X"), std::ios::binary);
    xs.read(reinterpret_cast<char*>(out.x.data()),
            static_cast<std::streamsize>(out.x.size() * static_cast<index_t>(sizeof(float))));
    std::ifstream ys(std::getenv("STRIDER_BENCH_RIDGE_Y"));
    std::string label;
    while (std::getline(ys, label))
      out.y.push_back(label);
    if (!xs || static_cast<index_t>(out.y.size()) != n)
      throw std::runtime_error("bench_linear: cannot read the STRIDER_BENCH_RIDGE_X/Y files");
    return out;
  }();
  return d;
}

void BM_RidgeFitFile(benchmark::State& state) {
  fit_and_report(state, file_data(), static_cast<int>(state.range(0)));
}

void BM_RidgeFitBig(benchmark::State& state) {
  index_t n = 0, f = 0;
  parse_shape(std::getenv("STRIDER_BENCH_RIDGE_BIG"), n, f);
  Data d;
  {
    d.x.resize(n, f);
    strider::parallel_for(0, n, 2, [&](index_t i) {
      strider::Rng rng(7, static_cast<std::uint64_t>(i));
      for (index_t j = 0; j < f; ++j)
        d.x(i, j) = static_cast<float>(rng.normal());
    });
    for (index_t i = 0; i < n; ++i)
      d.y.push_back(std::to_string(i % 4));
  }
  state.counters["input_GiB"] =
      static_cast<double>(d.x.size()) * sizeof(float) / (1024.0 * 1024.0 * 1024.0);
  fit_and_report(state, d, 2);
}

[[maybe_unused]] const bool registered_on_request = [] {
  index_t n = 0, f = 0;
  if (std::getenv("STRIDER_BENCH_RIDGE_X") && std::getenv("STRIDER_BENCH_RIDGE_Y") &&
      parse_shape(std::getenv("STRIDER_BENCH_RIDGE_SHAPE"), n, f)) {
    benchmark::RegisterBenchmark("BM_RidgeFitFile", BM_RidgeFitFile)
        ->Arg(-1)
        ->Arg(1)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  if (parse_shape(std::getenv("STRIDER_BENCH_RIDGE_BIG"), n, f)) {
    benchmark::RegisterBenchmark("BM_RidgeFitBig", BM_RidgeFitBig)
        ->Iterations(1)
        ->Unit(benchmark::kSecond)
        ->UseRealTime();
  }
  return true;
}();

}  // namespace
