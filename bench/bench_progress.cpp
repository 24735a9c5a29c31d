// The cost of a ProgressBar::advance() (enabled, drawing into a discarded stream, 100 ms
// throttle) from 1 and 2 threads: what a per-element progress bar adds to a loop.
#include <benchmark/benchmark.h>

#include <fstream>

#include "strider/progress.hpp"

namespace {

void BM_ProgressBar_Advance(benchmark::State& state) {
  static std::ostream* sink = nullptr;
  static strider::ProgressBar* bar = nullptr;
  static std::ofstream null_stream;
  if (state.thread_index() == 0) {
    null_stream.open("/dev/null");
    sink = &null_stream;
    bar = new strider::ProgressBar("bench", 1 << 30, true, *sink);
  }
  for (auto _ : state)
    bar->advance();
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    // The benchmark's threads meet at a barrier at the start and at the end of the
    // timed loop, so setting up and tearing down on thread 0 is safe.
    delete bar;
    bar = nullptr;
    null_stream.close();
  }
}
BENCHMARK(BM_ProgressBar_Advance)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
