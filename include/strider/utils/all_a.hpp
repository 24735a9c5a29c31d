#pragma once
/// @file utils/all_a.hpp
/// @brief The auxiliary kernels of issue 6, items 1 to 7 (to be merged into one utils
/// umbrella with the other half).

#include "strider/utils/chamfer.hpp"
#include "strider/utils/gradient_descent.hpp"
#include "strider/utils/insertion_sort.hpp"
#include "strider/utils/multiple_testing.hpp"
#include "strider/utils/normal_pdf.hpp"
#include "strider/utils/sieve.hpp"
#include "strider/utils/walsh_median.hpp"
