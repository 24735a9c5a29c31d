#pragma once
/// @file detail/xtensor.hpp
/// @brief The only header that includes xtensor. xtensor moved its headers under
/// `xtensor/core`, `xtensor/containers`... in 0.26; an upgrade should only touch this file.

#include <xtensor/xadapt.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>
