#pragma once
/// @file utils.hpp
/// @brief Includes every auxiliary kernel of strider::utils (CMake target strider::utils).
///
/// These stand apart from the classifier: strider.hpp never includes them, and they use
/// only the core's lowest layer: thread control (parallel.hpp), types, random numbers,
/// the version string, atomic file writes, the progress bar and the stopwatch.
/// Documentation: docs/utils_numerics.md (numerical kernels) and
/// docs/utils_parallel_tools.md (parallel patterns, caching, timing and files).

// Numerical kernels.
#include "strider/utils/chamfer.hpp"
#include "strider/utils/gradient_descent.hpp"
#include "strider/utils/insertion_sort.hpp"
#include "strider/utils/multiple_testing.hpp"
#include "strider/utils/normal_pdf.hpp"
#include "strider/utils/sieve.hpp"
#include "strider/utils/walsh_median.hpp"

// Parallel patterns, caching, timing and files.
#include "strider/utils/diffusion.hpp"
#include "strider/utils/disk_cache.hpp"
#include "strider/utils/parallel_map.hpp"
#include "strider/utils/parallel_reduce.hpp"
#include "strider/utils/strided_windows.hpp"
#include "strider/utils/timer.hpp"
#include "strider/utils/vtu_writer.hpp"
#include "strider/utils/wait_loop.hpp"
