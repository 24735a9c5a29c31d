#pragma once
/// @file all_b.hpp
/// @brief The utilities of issue 6, items 8 to 14 (the lead merges this list into the
/// utils umbrella).

#include "strider/utils/diffusion.hpp"
#include "strider/utils/disk_cache.hpp"
#include "strider/utils/parallel_map.hpp"
#include "strider/utils/parallel_reduce.hpp"
#include "strider/utils/progress_bar.hpp"
#include "strider/utils/strided_windows.hpp"
#include "strider/utils/timer.hpp"
#include "strider/utils/vtu_writer.hpp"
#include "strider/utils/wait_loop.hpp"
