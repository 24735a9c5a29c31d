// One explicit diffusion step on the 640 x 640 grid of "High Performance
// Python" (D = 1, dt = 0.1, dx = 1, periodic as np.roll), CÉCI's exercise: the plain
// loop with per-point boundary tests against the row-parallel step with 1 and 2 threads.
#include <benchmark/benchmark.h>

#include "bench_common.hpp"
#include "strider/random.hpp"
#include "strider/utils/diffusion.hpp"

namespace {

using strider::index_t;
using strider::RowMatrixD;
namespace utils = strider::utils;

RowMatrixD initial_grid(index_t n) {
  // The book's initial condition: a block of 0.005 in [0.4 n, 0.5 n)^2, zero elsewhere.
  RowMatrixD u = RowMatrixD::Zero(n, n);
  const auto lo = static_cast<index_t>(0.4 * static_cast<double>(n));
  const auto hi = static_cast<index_t>(0.5 * static_cast<double>(n));
  u.block(lo, lo, hi - lo, hi - lo).setConstant(0.005);
  return u;
}

utils::DiffusionParams book_params(int n_jobs) {
  utils::DiffusionParams p;
  p.diffusivity = 1.0;
  p.dt = 0.1;
  p.dx = 1.0;
  p.boundary = utils::DiffusionBoundary::periodic;
  p.n_jobs = n_jobs;
  return p;
}

void BM_Diffusion_Plain(benchmark::State& state) {
  const index_t n = state.range(0);
  RowMatrixD u = initial_grid(n), next(n, n);
  const auto p = book_params(1);
  for (auto _ : state) {
    utils::diffusion_step_plain(u, next, p);
    u.swap(next);
  }
  state.SetItemsProcessed(state.iterations() * n * n);
}
BENCHMARK(BM_Diffusion_Plain)
    ->Arg(strider::bench::size<index_t>(640, 32))
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

void BM_Diffusion_Step(benchmark::State& state) {
  const index_t n = state.range(0);
  RowMatrixD u = initial_grid(n), next(n, n);
  const auto p = book_params(static_cast<int>(state.range(1)));
  for (auto _ : state) {
    utils::diffusion_step(u, next, p);
    u.swap(next);
  }
  state.SetItemsProcessed(state.iterations() * n * n);
}
BENCHMARK(BM_Diffusion_Step)
    ->Args({strider::bench::size<index_t>(640, 32), 1})
    ->Args({strider::bench::size<index_t>(640, 32), 2})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// The book's run: 500 steps of the whole simulation (items: grid points x steps).
void BM_Diffusion_500Steps(benchmark::State& state) {
  const index_t n = state.range(0);
  const index_t steps = strider::bench::size<index_t>(500, 5);
  const RowMatrixD u0 = initial_grid(n);
  const auto p = book_params(static_cast<int>(state.range(1)));
  for (auto _ : state)
    benchmark::DoNotOptimize(utils::diffuse(u0, steps, p).data());
  state.SetItemsProcessed(state.iterations() * n * n * steps);
}
BENCHMARK(BM_Diffusion_500Steps)
    ->Args({strider::bench::size<index_t>(640, 32), 1})
    ->Args({strider::bench::size<index_t>(640, 32), 2})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
