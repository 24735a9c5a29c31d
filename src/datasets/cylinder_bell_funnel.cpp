#include "strider/datasets/cylinder_bell_funnel.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "strider/random.hpp"

namespace strider::datasets {

Panel make_cylinder_bell_funnel(index_t n_series, index_t length, bool z_normalize,
                                std::uint64_t random_state, std::uint64_t stream, index_t first) {
  if (n_series < 0) {
    throw std::invalid_argument(
        "make_cylinder_bell_funnel(): n_series = " + std::to_string(n_series) + ", expected >= 0");
  }
  if (first < 0 || first > kMaxCbfSeries - n_series) {
    throw std::invalid_argument("make_cylinder_bell_funnel(): series " + std::to_string(first) +
                                " to " + std::to_string(first + n_series) +
                                "; a stream holds series 0 to 2^32 - 1");
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
    const index_t g = first + i;  // the series' index in its stream
    Rng rng(random_state, (stream << 32) + static_cast<std::uint64_t>(g));
    const int cls = static_cast<int>(g % 3);
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

CylinderBellFunnelSource::CylinderBellFunnelSource(index_t n_series, index_t length,
                                                   bool z_normalize, std::uint64_t random_state,
                                                   std::uint64_t stream)
    : n_series_(n_series),
      length_(length),
      z_normalize_(z_normalize),
      random_state_(random_state),
      stream_(stream) {
  if (n_series < 1 || n_series > kMaxCbfSeries) {
    throw std::invalid_argument("CylinderBellFunnelSource: n_series = " + std::to_string(n_series) +
                                "; expected 1 to 2^32");
  }
  if (length < 8) {
    throw std::invalid_argument("CylinderBellFunnelSource: length = " + std::to_string(length) +
                                "; expected >= 8");
  }
}

Panel CylinderBellFunnelSource::read(index_t first, index_t count) {
  return make_cylinder_bell_funnel(count, length_, z_normalize_, random_state_, stream_, first);
}

std::string CylinderBellFunnelSource::describe() const {
  return "Cylinder-Bell-Funnel, " + std::to_string(n_series_) + " series of length " +
         std::to_string(length_) + ", seed " + std::to_string(random_state_);
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
