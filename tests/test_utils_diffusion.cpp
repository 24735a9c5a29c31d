#include "strider/utils/diffusion.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include "strider/random.hpp"

namespace strider::utils {
namespace {

using std::numbers::pi;

DiffusionParams params(double d, double dt, double dx, DiffusionBoundary b, int n_jobs = 1) {
  DiffusionParams p;
  p.diffusivity = d;
  p.dt = dt;
  p.dx = dx;
  p.boundary = b;
  p.n_jobs = n_jobs;
  return p;
}

// u0 = sin(k pi x) sin(k pi y) on the nodes x_i = i dx, i = 0..n (n + 1 nodes per axis).
RowMatrixD sine_mode(index_t nodes, double dx, double k) {
  RowMatrixD u(nodes, nodes);
  for (index_t i = 0; i < nodes; ++i)
    for (index_t j = 0; j < nodes; ++j)
      u(i, j) = std::sin(k * pi * static_cast<double>(i) * dx) *
                std::sin(k * pi * static_cast<double>(j) * dx);
  return u;
}

RowMatrixD random_field(index_t ny, index_t nx, std::uint64_t seed) {
  Rng rng(seed);
  RowMatrixD u(ny, nx);
  for (index_t i = 0; i < u.size(); ++i)
    u.data()[i] = rng.uniform(-1.0, 1.0);
  return u;
}

bool same_bits(const RowMatrixD& a, const RowMatrixD& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() && (a.array() == b.array()).all();
}

// The grid mode is an exact eigenvector of the scheme: after k steps it is g^k u0 with
// g = 1 - 8 r sin^2(pi dx / 2).
TEST(UtilsDiffusion, FixedBoundarySineModeDecaysByTheDiscreteFactor) {
  const index_t n = 32;
  const double dx = 1.0 / n, r = 0.2, dt = r * dx * dx;
  RowMatrixD u0 = sine_mode(n + 1, dx, 1.0);
  u0.row(0).setZero();
  u0.row(n).setZero();
  u0.col(0).setZero();
  u0.col(n).setZero();
  const index_t steps = 100;
  const RowMatrixD u = diffuse(u0, steps, params(1.0, dt, dx, DiffusionBoundary::fixed, 2));
  const double g = 1.0 - 8.0 * r * std::pow(std::sin(pi * dx / 2), 2);
  EXPECT_LT((u - std::pow(g, steps) * u0).cwiseAbs().maxCoeff(), 1e-13);
}

// Against the continuum: exp(-2 pi^2 D t) sin(pi x) sin(pi y); the error is O(dx^2) at
// fixed r, so it shrinks about 4x each time the grid is refined by 2.
TEST(UtilsDiffusion, ConvergesToTheHeatEquationSolution) {
  const double D = 0.5, t_end = 0.05, r = 0.2;
  double previous_error = 0;
  for (const index_t n : {8, 16, 32}) {
    const double dx = 1.0 / static_cast<double>(n);
    const double dt = r * dx * dx / D;
    const auto steps = static_cast<index_t>(std::llround(t_end / dt));
    ASSERT_NEAR(static_cast<double>(steps) * dt, t_end, 1e-12);
    RowMatrixD u0 = sine_mode(n + 1, dx, 1.0);
    u0.row(0).setZero();
    u0.row(n).setZero();
    u0.col(0).setZero();
    u0.col(n).setZero();
    const RowMatrixD u = diffuse(u0, steps, params(D, dt, dx, DiffusionBoundary::fixed, 2));
    const double error = (u - std::exp(-2.0 * pi * pi * D * t_end) * u0).cwiseAbs().maxCoeff();
    if (previous_error > 0) {
      EXPECT_GT(previous_error / error, 3.5) << "n = " << n;
      EXPECT_LT(previous_error / error, 4.5) << "n = " << n;
    }
    previous_error = error;
  }
  EXPECT_LT(previous_error, 1e-3);
}

TEST(UtilsDiffusion, PeriodicModeDecaysAndMassIsConserved) {
  // sin(2 pi x) sin(2 pi y) on x_i = i / n, i = 0..n-1, wraps around smoothly:
  // g = 1 - 8 r sin^2(pi dx).
  const index_t n = 24;
  const double dx = 1.0 / n, r = 0.25, dt = r * dx * dx;
  const RowMatrixD u0 = sine_mode(n, dx, 2.0);
  const RowMatrixD u = diffuse(u0, 50, params(1.0, dt, dx, DiffusionBoundary::periodic, 2));
  const double g = 1.0 - 8.0 * r * std::pow(std::sin(pi * dx), 2);
  EXPECT_LT((u - std::pow(g, 50) * u0).cwiseAbs().maxCoeff(), 1e-13);

  const RowMatrixD v0 = random_field(17, 23, 5);
  const RowMatrixD v = diffuse(v0, 40, params(1.0, 0.1, 1.0, DiffusionBoundary::periodic, 3));
  EXPECT_NEAR(v.sum(), v0.sum(), 1e-12);
  EXPECT_LT(v.maxCoeff() - v.minCoeff(), v0.maxCoeff() - v0.minCoeff());  // smoothing
}

TEST(UtilsDiffusion, FixedBoundaryKeepsItsValues) {
  RowMatrixD u0 = RowMatrixD::Zero(9, 12);
  u0.row(0).setConstant(1.0);  // a hot top edge
  const RowMatrixD u = diffuse(u0, 30, params(1.0, 0.2, 1.0, DiffusionBoundary::fixed, 2));
  EXPECT_TRUE((u.row(0).array() == 1.0).all());
  EXPECT_TRUE((u.row(8).array() == 0.0).all());
  EXPECT_TRUE((u.col(0).tail(8).array() == 0.0).all());
  EXPECT_GT(u(1, 5), u(2, 5));  // heat flows in from the top
  EXPECT_GT(u(2, 5), 0.0);
}

TEST(UtilsDiffusion, SerialAndParallelAreBitIdentical) {
  for (const auto boundary : {DiffusionBoundary::fixed, DiffusionBoundary::periodic}) {
    for (const auto& [ny, nx] :
         {std::pair<index_t, index_t>{37, 53}, {1, 1}, {1, 7}, {7, 1}, {2, 2}, {3, 3}, {2, 9}}) {
      const RowMatrixD u = random_field(ny, nx, 11);
      RowMatrixD ref, out;
      diffusion_step_plain(u, ref, params(1.0, 0.2, 1.0, boundary));
      for (const int n_jobs : {1, 2, 3, 4}) {
        diffusion_step(u, out, params(1.0, 0.2, 1.0, boundary, n_jobs));
        EXPECT_TRUE(same_bits(out, ref)) << ny << " x " << nx << ", n_jobs = " << n_jobs;
      }
      if (ny * nx == 1) {
        EXPECT_TRUE(same_bits(ref, u)) << "a single point cannot change";
      }
    }
  }
  // Many steps: still identical.
  const RowMatrixD u0 = random_field(40, 40, 12);
  const auto p1 = params(1.0, 0.25, 1.0, DiffusionBoundary::periodic, 1);
  const auto p3 = params(1.0, 0.25, 1.0, DiffusionBoundary::periodic, 3);
  RowMatrixD plain = u0, next;
  for (int s = 0; s < 25; ++s) {
    diffusion_step_plain(plain, next, p1);
    plain.swap(next);
  }
  EXPECT_TRUE(same_bits(diffuse(u0, 25, p1), plain));
  EXPECT_TRUE(same_bits(diffuse(u0, 25, p3), plain));
  EXPECT_TRUE(same_bits(diffuse(u0, 24, p3), diffuse(u0, 24, p1)));  // even step counts too
}

TEST(UtilsDiffusion, AcceptsStridedViews) {
  const RowMatrixD big = random_field(20, 30, 13);
  RowMatrixD from_block, from_copy;
  const auto p = params(1.0, 0.2, 1.0, DiffusionBoundary::periodic, 2);
  diffusion_step(big.block(3, 4, 10, 12), from_block, p);
  diffusion_step(RowMatrixD(big.block(3, 4, 10, 12)), from_copy, p);
  EXPECT_TRUE(same_bits(from_block, from_copy));
}

TEST(UtilsDiffusion, StabilityAndParameterChecks) {
  using B = DiffusionBoundary;
  EXPECT_DOUBLE_EQ(check_diffusion_params(params(1.0, 0.25, 1.0, B::fixed)), 0.25);
  try {
    check_diffusion_params(params(2.0, 0.15, 1.0, B::fixed));
    ADD_FAILURE() << "r = 0.3 must be rejected";
  } catch (const std::invalid_argument& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("r = D dt / dx^2 = 0.3 > 1/4"), std::string::npos) << m;
    EXPECT_NE(m.find("D = 2, dt = 0.15, dx = 1"), std::string::npos) << m;
    EXPECT_NE(m.find("at most dx^2 / (4 D) = 0.125"), std::string::npos) << m;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(check_diffusion_params(params(-1.0, 0.1, 1.0, B::fixed)), std::invalid_argument);
  EXPECT_THROW(check_diffusion_params(params(1.0, 0.0, 1.0, B::fixed)), std::invalid_argument);
  EXPECT_THROW(check_diffusion_params(params(1.0, 0.1, 0.0, B::fixed)), std::invalid_argument);
  EXPECT_THROW(check_diffusion_params(params(nan, 0.1, 1.0, B::fixed)), std::invalid_argument);
  EXPECT_THROW(check_diffusion_params(params(1.0, 0.1, 1.0, B::fixed, 0)), std::invalid_argument);
  // D = 0 is allowed and changes nothing.
  const RowMatrixD u0 = random_field(5, 5, 1);
  EXPECT_TRUE(same_bits(diffuse(u0, 3, params(0.0, 1.0, 1.0, B::periodic)), u0));
}

TEST(UtilsDiffusion, BadGridsAreRejected) {
  const auto p = params(1.0, 0.1, 1.0, DiffusionBoundary::fixed);
  RowMatrixD out;
  EXPECT_THROW(diffusion_step(RowMatrixD(0, 5), out, p), std::invalid_argument);
  EXPECT_THROW(diffusion_step_plain(RowMatrixD(3, 0), out, p), std::invalid_argument);
  EXPECT_THROW(diffuse(RowMatrixD(0, 0), 1, p), std::invalid_argument);
  RowMatrixD u = RowMatrixD::Zero(4, 5);
  EXPECT_THROW(diffusion_step(u, u, p), std::invalid_argument);  // out aliases u
  EXPECT_THROW(diffuse(u, -1, p), std::invalid_argument);
  EXPECT_TRUE(same_bits(diffuse(u, 0, p), u));
  u(2, 3) = std::numeric_limits<double>::quiet_NaN();
  try {
    diffuse(u, 1, p);
    ADD_FAILURE() << "NaN must be rejected";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("u0(2, 3)"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace strider::utils
