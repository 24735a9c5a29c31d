#pragma once
/// @file limits.hpp
/// @brief The documented bounds on what strider accepts, from a dataset file, a model file
/// or the API. Each bound is far beyond what time-series classification data needs and
/// keeps every allocation and every intermediate value within reach: an input past a
/// bound is refused with a message naming it, never half-processed.

#include <cstdint>

#include "strider/types.hpp"

namespace strider {

/// Longest series (time points per channel) the readers and the estimators accept, and the
/// longest kernel span and reference length a model file may claim: 2^22 = 4,194,304
/// points (32 MiB per channel in double). It bounds what predicting one series can
/// allocate whatever model is loaded: about 3 x kMaxSeriesLength values per thread.
inline constexpr index_t kMaxSeriesLength = index_t{1} << 22;

/// Largest magnitude of an input value: 1e50. Distances sum squared differences of values
/// and the scaler squares the distances, so every intermediate result stays finite (about
/// 1e203 at most) for inputs within this bound; a value beyond it is refused naming its
/// place rather than turning into an infinity several steps later.
inline constexpr double kMaxAbsValue = 1e50;

/// Most channels a series may have: 2^16 = 65,536 (the widest UEA dataset has 1,345).
inline constexpr index_t kMaxChannels = index_t{1} << 16;

/// Most kernels a transform may have: 2^24 = 16,777,216 (the default is 10,000).
inline constexpr index_t kMaxKernels = index_t{1} << 24;

}  // namespace strider
