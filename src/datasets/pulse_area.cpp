#include "strider/datasets/pulse_area.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "strider/params.hpp"
#include "strider/random.hpp"

namespace strider::datasets {

Panel make_pulse_area(index_t n_series, index_t length, double noise, std::uint64_t random_state,
                      std::uint64_t stream) {
  const std::string who = "make_pulse_area()";
  if (n_series < 0)
    throw std::invalid_argument(who + ": n_series = " + std::to_string(n_series) +
                                ", expected >= 0");
  if (length < 16)
    throw std::invalid_argument(who + ": length = " + std::to_string(length) + ", expected >= 16");
  if (!(noise >= 0.0 && std::isfinite(noise)))
    throw std::invalid_argument(who + ": noise = " + shortest_text(noise) +
                                ", expected a finite value >= 0");
  Panel::Tensor x = Panel::Tensor::from_shape(
      {static_cast<std::size_t>(n_series), 1, static_cast<std::size_t>(length)});
  std::vector<std::string> labels(static_cast<std::size_t>(n_series));
  const auto len = static_cast<double>(length);
  constexpr double kTwoPi = 2.0 * std::numbers::pi;
  for (index_t i = 0; i < n_series; ++i) {
    // Streams of their own (bit 63 set): the transform draws kernel k from stream k of
    // the same seed, which must not replay series k's draws.
    Rng rng(random_state,
            (std::uint64_t{1} << 63) | (stream << 32) | static_cast<std::uint64_t>(i));
    const double amplitude = rng.uniform(1.0, 5.0);
    const double centre = rng.uniform(0.2 * len, 0.8 * len);
    const double width = rng.uniform(len / 64.0, len / 16.0);
    const double sine = rng.uniform(0.0, 1.0);
    const double period = rng.uniform(len / 8.0, len / 2.0);
    const double phase = rng.uniform(0.0, kTwoPi);
    double* s = x.data() + i * length;
    for (index_t t = 0; t < length; ++t) {
      const double d = (static_cast<double>(t) - centre) / width;
      s[t] = amplitude * std::exp(-0.5 * d * d) +
             sine * std::sin(kTwoPi * static_cast<double>(t) / period + phase) +
             noise * rng.normal();
    }
    labels[static_cast<std::size_t>(i)] = shortest_text(amplitude * width * std::sqrt(kTwoPi));
  }
  std::vector<index_t> lengths(static_cast<std::size_t>(n_series), length);
  return Panel(std::move(x), std::move(lengths), std::move(labels));
}

TrainTest load_pulse_area(const PulseAreaParams& params) {
  if (params.n_train < 2) {
    throw std::invalid_argument("load_pulse_area(): n_train = " + std::to_string(params.n_train) +
                                ", expected >= 2");
  }
  return {make_pulse_area(params.n_train, params.length, params.noise, params.random_state, 0),
          make_pulse_area(params.n_test, params.length, params.noise, params.random_state, 1)};
}

}  // namespace strider::datasets
