#pragma once
/// @file strider.hpp
/// @brief Includes the whole public API of strider (the classifier side). The auxiliary
/// kernels are a library of their own: strider/utils.hpp, target strider::utils.

#include "strider/classifier.hpp"
#include "strider/datasets/cylinder_bell_funnel.hpp"
#include "strider/error.hpp"
#include "strider/io/atomic_write.hpp"
#include "strider/io/csv.hpp"
#include "strider/io/dataset.hpp"
#include "strider/io/ts_format.hpp"
#include "strider/io/ucr.hpp"
#include "strider/labels.hpp"
#include "strider/limits.hpp"
#include "strider/linear/ridge_classifier_cv.hpp"
#include "strider/linear/standard_scaler.hpp"
#include "strider/memory.hpp"
#include "strider/metrics.hpp"
#include "strider/panel.hpp"
#include "strider/parallel.hpp"
#include "strider/progress.hpp"
#include "strider/random.hpp"
#include "strider/serialization.hpp"
#include "strider/stopwatch.hpp"
#include "strider/transform/dilated_kernel_transform.hpp"
#include "strider/transform/kernel.hpp"
#include "strider/types.hpp"
#include "strider/version.hpp"
