#pragma once
// Private: probabilities from a ridge classifier's decision values, calibrated on its
// exact leave-one-out decision values.
//
// Each sample's class scores are its decision values (two classes: -d and +d for the single
// decision value d), and the probabilities their softmax at an inverse temperature beta,
// p_k = exp(beta s_k) / sum_j exp(beta s_j). beta is fitted once, after alpha, by
// minimising the cross-entropy of the leave-one-out scores of the training samples (each
// sample's scores from the fit without it, so out of sample) against Platt's targets: a
// sample of a class with m training samples has target (m + 1) / (m + 2) on its class and
// the rest shared evenly by the others. Those targets keep beta finite on training sets
// that leave-one-out classifies perfectly, where a target of 1 would drive it to infinity
// (certainty the test set rarely earns). The cross-entropy is convex in beta; the minimum
// is found by safeguarded Newton steps on a bracket, a fixed sequence of operations (the
// same beta for any thread count).

#include <vector>

#include "strider/types.hpp"

namespace strider::detail {

/// Class scores of decision values: n x 2 (-d, d) for one column, else the values.
RowMatrixD class_scores(const Eigen::Ref<const RowMatrixD>& decision);

/// Softmax of beta * scores per row (rows sum to 1; finite for finite input).
RowMatrixD softmax_rows(const Eigen::Ref<const RowMatrixD>& scores, double beta);

/**
 * The inverse temperature beta >= 0 (see above).
 * @param loo_decision n_samples x n_targets leave-one-out decision values
 * @param label n_samples class indices, 0 .. n_classes - 1
 * @param n_classes >= 2 (n_targets is 1 for 2 classes, else n_classes)
 * @return the minimiser, clamped to [kMinInverseTemperature, kMaxInverseTemperature] (a
 *         positive factor keeps the order of the scores, so the most probable class is the
 *         predicted one, unless two scores are so close that their probabilities round to
 *         the same value)
 */
double fit_inverse_temperature(const Eigen::Ref<const ColMatrix<double>>& loo_decision,
                               const std::vector<index_t>& label, index_t n_classes);

/**
 * Mean cross-entropy -log p(own class) of the leave-one-out decision values at inverse
 * temperature beta (class scores as class_scores()), over the samples whose class has at
 * least two samples in the training set (leave-one-out cannot classify the only sample of
 * a class, whatever the features).
 * @param loo_decision n_samples x n_targets leave-one-out decision values (all the
 *        training samples, or a sample of them)
 * @param label n_samples class indices, 0 .. class_count.size() - 1
 * @param class_count samples per class in the whole training set
 * @return NaN when no sample qualifies
 */
double loo_log_loss(const Eigen::Ref<const ColMatrix<double>>& loo_decision,
                    const std::vector<index_t>& label, const std::vector<index_t>& class_count,
                    double beta);

/// The range of the inverse temperature fit_inverse_temperature() returns.
inline constexpr double kMinInverseTemperature = 1e-3;
inline constexpr double kMaxInverseTemperature = 1e6;

}  // namespace strider::detail
