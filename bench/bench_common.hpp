#pragma once
// Shared by the benchmarks. Convention: with STRIDER_BENCH_SMOKE=1 in the environment
// (the bench_smoke ctest sets it), every benchmark registers tiny problem sizes so that
// CI can check they still run in seconds; without it, the real sizes are used.

#include <cstdlib>
#include <cstring>

namespace strider::bench {

/// True when STRIDER_BENCH_SMOKE is set to a non-empty value other than "0".
inline bool smoke_mode() {
  const char* v = std::getenv("STRIDER_BENCH_SMOKE");
  return v != nullptr && *v != '\0' && std::strcmp(v, "0") != 0;
}

/// `full` normally, `smoke` in smoke mode: for benchmark arguments.
template <class T>
T size(T full, T smoke) {
  return smoke_mode() ? smoke : full;
}

}  // namespace strider::bench
