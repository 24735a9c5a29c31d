#pragma once
/// @file explain.hpp
/// @brief Which kernels decide a KernelClassifier's predictions, and where they match a
/// series: per-kernel importance, the best-matching window of a kernel on a series, and
/// an SVG drawing of both that opens in any browser.

#include <string>
#include <vector>

#include "strider/classifier.hpp"
#include "strider/panel.hpp"
#include "strider/transform/kernel.hpp"
#include "strider/types.hpp"

namespace strider {

/// One kernel's weight in the ridge's decisions.
struct KernelImportance {
  index_t kernel = 0;  ///< index into transform().kernels() (features Fk .. Fk+F-1, F = 3
                       ///< or 4 with add_occurrences)
  Kernel spec;         ///< the kernel: length, dilation, padding, channel, values
  /// Per class (in classes() order): sqrt(sum over the kernel's features f of
  /// (coef(t, f) * w_f)^2), the ridge coefficients of target t times the spread of the
  /// features they multiply (standardised features have spread 1 before the feature
  /// weight w_f). Two classes share their single target, so both get the same value.
  std::vector<double> per_class;
  double importance = 0.0;  ///< the root mean square of per_class
};

/**
 * @brief The importance of every kernel of a fitted classifier, most important first
 *        (ties: lower kernel index first). A function of the model alone: the same for any
 *        thread count.
 * @throws NotFittedError
 */
std::vector<KernelImportance> kernel_importance(const KernelClassifier& clf);

/// Where a kernel matches one series best: the window of its minimum distance.
struct KernelMatch {
  index_t kernel = 0;
  /// The first position of the minimum of the distance profile (the argmin feature).
  index_t argmin = 0;
  double distance = 0.0;  ///< the minimum: sum_j (window[j] - values[j])^2 (for a shape
                          ///< kernel, the window z-normalised: Kernel::distance_at)
  /// Time points of the window's taps: argmin - padding + j * dilation (points outside
  /// 0 .. length - 1 of the series are the zero padding).
  std::vector<index_t> positions;
  /// The channel the kernel reads, as it sees it (interpolated, z-normalised and
  /// differenced as the transform's params say), over the whole series.
  std::vector<double> channel_values;
};

/**
 * @brief The best-matching window of kernel `kernel` on series `series` of x.
 * @throws NotFittedError; std::invalid_argument on a series or kernel index out of range,
 *         a channel count other than the fit's, or values the transform refuses
 */
KernelMatch best_match(const KernelClassifier& clf, const Panel& x, index_t series, index_t kernel);

/**
 * @brief best_match() for several kernels of the same series (the series is checked and
 *        prepared once). @throws as best_match()
 */
std::vector<KernelMatch> best_matches(const KernelClassifier& clf, const Panel& x, index_t series,
                                      const std::vector<index_t>& kernels);

/**
 * @brief An SVG document: for each of `kernels` (e.g. the first entries of
 *        kernel_importance()), the channel it reads of series `series` with the taps of its
 *        best-matching window marked and its values drawn at those taps, titled with the
 *        kernel's index, length, dilation, channel and importance.
 * @throws as best_match()
 */
std::string explanation_svg(const KernelClassifier& clf, const Panel& x, index_t series,
                            const std::vector<KernelImportance>& kernels);
/// The same with the matches already found (best_matches() of those kernels, in order).
/// @throws std::invalid_argument when matches and kernels differ in number
std::string explanation_svg(const KernelClassifier& clf, const Panel& x, index_t series,
                            const std::vector<KernelImportance>& kernels,
                            const std::vector<KernelMatch>& matches);

}  // namespace strider
