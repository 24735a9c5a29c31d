#pragma once
/// @file metrics.hpp
/// @brief Scores of class probabilities against the true classes (the log-loss and the
/// expected calibration error: how far the predicted confidence is from the accuracy), and
/// of regression predictions against the true targets (R^2, mean squared and absolute error).

#include <string>
#include <vector>

#include "strider/types.hpp"

namespace strider {

/**
 * @brief Mean negative log-probability of the true class, probabilities clipped to
 *        [1e-15, 1] (as scikit-learn's log_loss before version 1.3).
 * @param proba n x n_classes, rows of class probabilities
 * @param truth n class indices into the columns; an index of -1 (a label the model does
 *        not know) counts as probability 1e-15
 * @throws std::invalid_argument on size mismatches, an index out of range, a probability
 *         outside [0, 1] (NaN included), or n = 0
 */
double log_loss(const Eigen::Ref<const RowMatrixD>& proba, const std::vector<index_t>& truth);

/**
 * @brief Expected calibration error with `bins` equal-width bins of the top probability
 *        (Guo et al. 2017): sum over bins of (bin size / n) |accuracy - mean confidence|,
 *        the prediction being the first column with the largest probability.
 * @param proba n x n_classes; @param truth as log_loss(); @param bins >= 1 (15 as Guo et al.)
 * @throws std::invalid_argument as log_loss(), or bins < 1
 */
double expected_calibration_error(const Eigen::Ref<const RowMatrixD>& proba,
                                  const std::vector<index_t>& truth, int bins = 15);

/**
 * @brief The class index of each label into `classes`, -1 for a label not among them
 *        (unlike class_indices(), which refuses it).
 */
std::vector<index_t> class_indices_or_unknown(const std::vector<std::string>& labels,
                                              const std::vector<std::string>& classes);

/**
 * @brief Coefficient of determination, as scikit-learn's r2_score (multioutput
 *        "uniform_average", force_finite): per target 1 - sum (y - p)^2 / sum (y - mean y)^2,
 *        a constant target scoring 1 when predicted exactly and 0 otherwise; the mean over
 *        targets.
 * @param truth, pred n x n_targets
 * @throws std::invalid_argument on a shape mismatch, n = 0 or a non-finite value
 */
double r2_score(const Eigen::Ref<const RowMatrixD>& truth,
                const Eigen::Ref<const RowMatrixD>& pred);

/// Mean of (truth - pred)^2 over all entries. @throws as r2_score()
double mean_squared_error(const Eigen::Ref<const RowMatrixD>& truth,
                          const Eigen::Ref<const RowMatrixD>& pred);

/// Mean of |truth - pred| over all entries. @throws as r2_score()
double mean_absolute_error(const Eigen::Ref<const RowMatrixD>& truth,
                           const Eigen::Ref<const RowMatrixD>& pred);

}  // namespace strider
