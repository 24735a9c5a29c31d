#include "strider/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace strider {
namespace {

TEST(Metrics, LogLossByHand) {
  RowMatrixD p(3, 2);
  p << 0.9, 0.1, 0.2, 0.8, 1.0, 0.0;
  EXPECT_NEAR(log_loss(p, {0, 0, 0}), -(std::log(0.9) + std::log(0.2) + std::log(1.0)) / 3, 1e-15);
  // A probability of 0 and an unknown class both count as 1e-15 (scikit-learn's clipping).
  EXPECT_NEAR(log_loss(p, {0, 1, 1}), -(std::log(0.9) + std::log(0.8) + std::log(1e-15)) / 3,
              1e-12);
  EXPECT_NEAR(log_loss(p, {-1, 1, 0}), -(std::log(1e-15) + std::log(0.8) + 0.0) / 3, 1e-12);
  EXPECT_THROW(log_loss(p, {0, 1}), std::invalid_argument);
  EXPECT_THROW(log_loss(p, {0, 1, 2}), std::invalid_argument);
  EXPECT_THROW(log_loss(RowMatrixD(0, 2), {}), std::invalid_argument);
  RowMatrixD bad = p;
  bad(1, 0) = std::nan("");
  EXPECT_THROW(log_loss(bad, {0, 0, 0}), std::invalid_argument);
  bad(1, 0) = 1.5;
  EXPECT_THROW(expected_calibration_error(bad, {0, 0, 0}), std::invalid_argument);
}

TEST(Metrics, ExpectedCalibrationErrorByHand) {
  // Top probabilities 0.9, 0.8, 0.6, 0.55 with 10 bins: bins (0.8, 0.9], (0.7, 0.8],
  // (0.5, 0.6] (twice). Right, wrong, right, wrong.
  RowMatrixD p(4, 2);
  p << 0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.45, 0.55;
  const std::vector<index_t> truth = {0, 0, 0, 0};
  const double want = (std::abs(1.0 - 0.9) + std::abs(0.0 - 0.8) + 2 * std::abs(0.5 - 0.575)) / 4;
  EXPECT_NEAR(expected_calibration_error(p, truth, 10), want, 1e-15);
  // One bin: |accuracy - mean confidence| over everything.
  EXPECT_NEAR(expected_calibration_error(p, truth, 1), std::abs(0.5 - (0.9 + 0.8 + 0.6 + 0.55) / 4),
              1e-15);
  // Perfectly calibrated in each bin: 0.
  RowMatrixD q(2, 2);
  q << 0.5, 0.5, 0.5, 0.5;
  EXPECT_NEAR(expected_calibration_error(q, {0, 1}, 15), 0.0, 1e-15);  // top = first column
  EXPECT_THROW(expected_calibration_error(p, truth, 0), std::invalid_argument);
}

TEST(Metrics, UnknownLabelsMapToMinusOne) {
  EXPECT_EQ(class_indices_or_unknown({"b", "x", "a"}, {"a", "b"}),
            (std::vector<index_t>{1, -1, 0}));
}

}  // namespace
}  // namespace strider
