#include "strider/datasets/cylinder_bell_funnel.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "strider/random.hpp"

namespace strider::datasets {

Panel make_cylinder_bell_funnel(index_t n_series, index_t length, bool z_normalize,
                                std::uint64_t random_state, std::uint64_t stream) {
  if (n_series < 0) {
    throw std::invalid_argument(
        "make_cylinder_bell_funnel(): n_series = " + std::to_string(n_series) + ", expected >= 0");
  }
  if (length < 8) {
    throw std::invalid_argument("make_cylinder_bell_funnel(): length = " + std::to_string(length) +
                                ", expected >= 8");
  }
  Panel::Tensor x = Panel::Tensor::from_shape(
      {static_cast<std::size_t>(n_series), 1, static_cast<std::size_t>(length)});
  std::vector<std::string> labels(static_cast<std::size_t>(n_series));
  const double scale = static_cast<double>(length) / 128.0;
  for (index_t i = 0; i < n_series; ++i) {
    Rng rng(random_state, (stream << 32) + static_cast<std::uint64_t>(i));
    const int cls = static_cast<int>(i % 3);
    const double a = rng.uniform(16.0, 32.0) * scale;
    const double b = a + rng.uniform(32.0, 96.0) * scale;
    const double amp = 6.0 + rng.normal();
    double* s = x.data() + i * length;
    for (index_t t = 0; t < length; ++t) {
      const double td = static_cast<double>(t);
      double shape = 0.0;
      if (td >= a && td <= b) {
        if (cls == 0) shape = 1.0;
        if (cls == 1) shape = (td - a) / (b - a);
        if (cls == 2) shape = (b - td) / (b - a);
      }
      s[t] = amp * shape + rng.normal();
    }
    if (z_normalize) {
      double mean = 0.0;
      for (index_t t = 0; t < length; ++t)
        mean += s[t];
      mean /= static_cast<double>(length);
      double var = 0.0;
      for (index_t t = 0; t < length; ++t)
        var += (s[t] - mean) * (s[t] - mean);
      const double sd = std::sqrt(var / static_cast<double>(length));
      for (index_t t = 0; t < length; ++t)
        s[t] = sd > 0.0 ? (s[t] - mean) / sd : 0.0;
    }
    labels[i] = std::to_string(cls + 1);
  }
  std::vector<index_t> lengths(static_cast<std::size_t>(n_series), length);
  return Panel(std::move(x), std::move(lengths), std::move(labels));
}

TrainTest load_cylinder_bell_funnel(const CylinderBellFunnelParams& params) {
  if (params.n_train < 3) {
    throw std::invalid_argument(
        "load_cylinder_bell_funnel(): n_train = " + std::to_string(params.n_train) +
        ", expected >= 3 (one series per class)");
  }
  return {make_cylinder_bell_funnel(params.n_train, params.length, params.z_normalize,
                                    params.random_state, 0),
          make_cylinder_bell_funnel(params.n_test, params.length, params.z_normalize,
                                    params.random_state, 1)};
}

}  // namespace strider::datasets
