#pragma once
/// @file strider.hpp
/// @brief Includes the whole public API of strider.

#include "strider/datasets/cylinder_bell_funnel.hpp"
#include "strider/error.hpp"
#include "strider/linear/ridge_classifier_cv.hpp"
#include "strider/linear/standard_scaler.hpp"
#include "strider/panel.hpp"
#include "strider/parallel.hpp"
#include "strider/random.hpp"
#include "strider/types.hpp"
#include "strider/version.hpp"
