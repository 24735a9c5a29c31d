#pragma once
/// @file labels.hpp
/// @brief Class labels: the sorted set of distinct labels (scikit-learn's `classes_`)
/// and each label's index into it. Shared by Panel and the classifiers, so that every
/// estimator orders classes the same way.

#include <string>
#include <vector>

#include "strider/types.hpp"

namespace strider {

/**
 * @brief The distinct labels, sorted: numerically when every label parses as a number
 * (so "2" < "10"; "1" and "1.0" stay distinct classes, ordered by their text when equal
 * in value), lexicographically otherwise.
 * @param labels any number of labels, repeats allowed
 * @return the distinct labels in that order
 */
std::vector<std::string> sorted_classes(const std::vector<std::string>& labels);

/**
 * @brief The index of each label into `classes`.
 * @param labels  n labels
 * @param classes distinct labels, usually sorted_classes(labels)
 * @return n indices in [0, classes.size())
 * @throws std::invalid_argument naming the first label that is not one of `classes`
 */
std::vector<index_t> class_indices(const std::vector<std::string>& labels,
                                   const std::vector<std::string>& classes);

}  // namespace strider
