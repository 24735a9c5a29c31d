#pragma once
/// @file datasets/pulse_area.hpp
/// @brief A built-in regression dataset: the area of a Gaussian pulse hidden in a random
/// sine and noise, generated from a seed (the regression counterpart of the built-in CBF).
///
/// For t = 0 .. length-1, with L = length, amplitude A ~ U[1, 5], centre c ~ U[0.2 L, 0.8 L],
/// width w ~ U[L / 64, L / 16], a nuisance sine of amplitude B ~ U[0, 1], period
/// P ~ U[L / 8, L / 2] and phase phi ~ U[0, 2 pi), and eps(t) ~ N(0, 1):
///   x(t) = A exp(-(t - c)^2 / (2 w^2)) + B sin(2 pi t / P + phi) + noise eps(t)
/// and the target, the pulse's area, is y = A w sqrt(2 pi) (stored as each series' label,
/// in the shortest text that reads back exactly). The series are not z-normalised: the
/// target lives in the raw amplitude and width, the kind of data where choosing to keep
/// the input as given matters.

#include <cstdint>

#include "strider/panel.hpp"

namespace strider::datasets {

struct PulseAreaParams {
  index_t n_train = 300;           ///< series in the training panel (>= 2)
  index_t n_test = 300;            ///< series in the test panel (>= 0)
  index_t length = 128;            ///< points per series (>= 16)
  double noise = 0.3;              ///< standard deviation of the noise (>= 0)
  std::uint64_t random_state = 0;  ///< seed: the same seed gives the same data everywhere
};

/**
 * @brief Generates n_series series with their pulse areas as labels.
 * @param stream separates independent draws with the same seed (train uses 0, test 1)
 * @throws std::invalid_argument when n_series < 0, length < 16 or noise is not >= 0
 */
Panel make_pulse_area(index_t n_series, index_t length, double noise, std::uint64_t random_state,
                      std::uint64_t stream = 0);

/// The built-in regression train/test dataset. @throws std::invalid_argument on bad params
TrainTest load_pulse_area(const PulseAreaParams& params = {});

}  // namespace strider::datasets
