// The windows of convst's transform at its dataset size (1500 series of 150
// points; 100 random kernels of length 9 with random dilation and convst's padding):
// for each (series, kernel), the minimum squared distance between the kernel and the
// windows. "Copy" builds a padded copy per pair as the document's convolve_x does;
// "View" reads through StridedWindows::operator() (a padding test per value);
// "ViewRange" reads inner windows directly and splits edge windows with
// valid_columns() (a test per window, not per value). Parallel over series, 1
// and 2 threads.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "bench_common.hpp"
#include "strider/parallel.hpp"
#include "strider/random.hpp"
#include "strider/utils/strided_windows.hpp"

namespace {

using strider::index_t;
namespace utils = strider::utils;

struct Kernel {
  std::vector<double> values;
  index_t dilation;
  index_t padding;
};

struct Problem {
  index_t n_series, length;
  std::vector<double> x;  // n_series x length
  std::vector<Kernel> kernels;
};

Problem make_problem(index_t n_series, index_t length, index_t n_kernels) {
  strider::Rng rng(42);
  Problem p{n_series, length, std::vector<double>(static_cast<std::size_t>(n_series * length)), {}};
  for (auto& v : p.x)
    v = rng.normal();
  const index_t l = 9;
  for (index_t k = 0; k < n_kernels; ++k) {
    Kernel kern;
    kern.values.resize(l);
    for (auto& v : kern.values)
      v = rng.normal();
    // Dilation 2^u, u uniform in [0, log2((length - 1) / (l - 1))], as in ROCKET.
    const double max_exp = std::log2(static_cast<double>(length - 1) / static_cast<double>(l - 1));
    kern.dilation = static_cast<index_t>(std::pow(2.0, rng.uniform(0.0, max_exp)));
    kern.padding = (rng.uniform_int(2) == 1) ? (l - 1) * kern.dilation / 2 : 0;
    p.kernels.push_back(kern);
  }
  return p;
}

double min_distance_copy(const double* x, index_t n, const Kernel& k) {
  const auto l = static_cast<index_t>(k.values.size());
  std::vector<double> xpad(static_cast<std::size_t>(n + 2 * k.padding), 0.0);
  std::copy(x, x + n, xpad.begin() + k.padding);
  const index_t n_windows = static_cast<index_t>(xpad.size()) - (l - 1) * k.dilation;
  double best = std::numeric_limits<double>::infinity();
  for (index_t i = 0; i < n_windows; ++i) {
    double s = 0;
    for (index_t j = 0; j < l; ++j) {
      const double diff = xpad[static_cast<std::size_t>(i + j * k.dilation)] - k.values[j];
      s += diff * diff;
    }
    best = std::min(best, s);
  }
  return best;
}

double min_distance_view(const double* x, index_t n, const Kernel& k) {
  const auto l = static_cast<index_t>(k.values.size());
  const utils::StridedWindows<double> w({x, static_cast<std::size_t>(n)}, l, k.dilation, k.padding);
  double best = std::numeric_limits<double>::infinity();
  for (index_t i = 0; i < w.n_windows(); ++i) {
    double s = 0;
    for (index_t j = 0; j < l; ++j) {
      const double diff = w(i, j) - k.values[j];
      s += diff * diff;
    }
    best = std::min(best, s);
  }
  return best;
}

// The padding handled per window, not per value: inner windows (no padding) read x
// directly; edge windows are split by valid_columns() into padding zeros and data.
double min_distance_view_range(const double* x, index_t n, const Kernel& k) {
  const auto l = static_cast<index_t>(k.values.size());
  const utils::StridedWindows<double> w({x, static_cast<std::size_t>(n)}, l, k.dilation, k.padding);
  const index_t d = k.dilation;
  const double* kv = k.values.data();
  double best = std::numeric_limits<double>::infinity();
  const auto edge = [&](index_t i) {
    const auto [begin, end] = w.valid_columns(i);
    double s = 0;
    for (index_t j = 0; j < begin; ++j)
      s += kv[j] * kv[j];
    if (begin < end) {
      const double* win = w.valid_data(i);
      for (index_t j = begin; j < end; ++j) {
        const double diff = win[(j - begin) * d] - kv[j];
        s += diff * diff;
      }
    }
    for (index_t j = end; j < l; ++j)
      s += kv[j] * kv[j];
    best = std::min(best, s);
  };
  for (index_t i = 0; i < w.inner_begin(); ++i)
    edge(i);
  for (index_t i = w.inner_begin(); i < w.inner_end(); ++i) {
    const double* win = w.inner_window(i);
    double s = 0;
    for (index_t j = 0; j < l; ++j) {
      const double diff = win[j * d] - kv[j];
      s += diff * diff;
    }
    best = std::min(best, s);
  }
  for (index_t i = w.inner_end(); i < w.n_windows(); ++i)
    edge(i);
  return best;
}

template <double (*Distance)(const double*, index_t, const Kernel&)>
void BM_Windows(benchmark::State& state) {
  static const Problem p = make_problem(strider::bench::size<index_t>(1500, 20), 150,
                                        strider::bench::size<index_t>(100, 5));
  const auto n_threads = static_cast<int>(state.range(0));
  std::vector<double> out(static_cast<std::size_t>(p.n_series) * p.kernels.size());
  for (auto _ : state) {
    strider::parallel_for(
        0, p.n_series, n_threads,
        [&](index_t s) {
          for (std::size_t k = 0; k < p.kernels.size(); ++k)
            out[static_cast<std::size_t>(s) * p.kernels.size() + k] =
                Distance(p.x.data() + s * p.length, p.length, p.kernels[k]);
        },
        8);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * p.n_series * static_cast<index_t>(p.kernels.size()));
}
BENCHMARK(BM_Windows<min_distance_copy>)
    ->Name("BM_StridedWindows_Copy")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Windows<min_distance_view>)
    ->Name("BM_StridedWindows_View")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Windows<min_distance_view_range>)
    ->Name("BM_StridedWindows_ViewRange")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
