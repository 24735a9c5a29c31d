#pragma once
/// @file datasets/cylinder_bell_funnel.hpp
/// @brief The built-in dataset: Cylinder-Bell-Funnel (Saito 1994), generated from a seed,
/// so the quick start and the tests run without any downloaded data.
///
/// For t = 0 .. length-1, with eta and eps(t) ~ N(0, 1), a ~ U[16, 32] and
/// b - a ~ U[32, 96] (both scaled by length / 128 when length != 128), and
/// chi(t) = 1 when a <= t <= b, else 0:
///   cylinder(t) = (6 + eta) chi(t)                   + eps(t)   label "1"
///   bell(t)     = (6 + eta) chi(t) (t - a) / (b - a) + eps(t)   label "2"
///   funnel(t)   = (6 + eta) chi(t) (b - t) / (b - a) + eps(t)   label "3"
/// The labels follow the UCR archive's CBF dataset. Series are z-normalised by default,
/// as in the archive. Classes alternate (cylinder, bell, funnel, cylinder, ...), so any
/// n_series >= 3 contains every class.

#include <cstdint>
#include <string>

#include "strider/panel.hpp"
#include "strider/series_source.hpp"

namespace strider::datasets {

struct CylinderBellFunnelParams {
  index_t n_train = 300;           ///< series in the training panel (>= 3)
  index_t n_test = 900;            ///< series in the test panel (>= 0)
  index_t length = 128;            ///< points per series (>= 8)
  bool z_normalize = true;         ///< z-normalise each series (as the UCR archive does)
  std::uint64_t random_state = 0;  ///< seed: the same seed gives the same data everywhere
};

using strider::TrainTest;

/// Series per stream: series i of a stream draws from its own random stream (seed,
/// stream 2^32 + i), so any range of them can be generated alone.
inline constexpr index_t kMaxCbfSeries = index_t{1} << 32;

/**
 * @brief Generates n_series labelled CBF series: series first .. first + n_series - 1 of
 * stream `stream`. Series i depends on the seed, the stream and i only, so a set can be
 * generated in batches of any size (CylinderBellFunnelSource) with the same values.
 * @param stream separates independent draws with the same seed (train uses 0, test 1)
 * @throws std::invalid_argument when n_series < 0, length < 8 or the range leaves
 *         [0, kMaxCbfSeries)
 */
Panel make_cylinder_bell_funnel(index_t n_series, index_t length, bool z_normalize,
                                std::uint64_t random_state, std::uint64_t stream = 0,
                                index_t first = 0);

/// n_series CBF series of one stream generated a batch at a time (the same values as
/// make_cylinder_bell_funnel(n_series, ...) in one piece): a training set of any size in
/// O(batch) memory, for tests and benchmarks of KernelClassifier::fit_batches().
class CylinderBellFunnelSource final : public SeriesSource {
 public:
  /// @throws std::invalid_argument when n_series is not in [1, kMaxCbfSeries] or length < 8
  CylinderBellFunnelSource(index_t n_series, index_t length, bool z_normalize = true,
                           std::uint64_t random_state = 0, std::uint64_t stream = 0);
  index_t n_series() const override { return n_series_; }
  std::string describe() const override;

 protected:
  Panel read(index_t first, index_t count) override;

 private:
  index_t n_series_, length_;
  bool z_normalize_;
  std::uint64_t random_state_, stream_;
};

/// The built-in train/test dataset. @throws std::invalid_argument on bad params
TrainTest load_cylinder_bell_funnel(const CylinderBellFunnelParams& params = {});

}  // namespace strider::datasets
