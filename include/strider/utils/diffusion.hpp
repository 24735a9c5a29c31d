#pragma once
/// @file diffusion.hpp
/// @brief 2-D diffusion (heat equation) by explicit finite differences, serial and
/// OpenMP, with a stability check.
///
/// Source: CÉCI, "Efficient use of Python on the clusters" (its exercise
/// "Python implementation of the 2D diffusion equation", to profile and then compile).
/// The document gives no grid size or timing for it; the benchmarks use the 640 x 640
/// grid, D = 1, dt = 0.1, dx = 1 of the diffusion example of "High Performance Python"
/// (Gorelick & Ozsvald), the book the document recommends, whose numpy version computes
/// the Laplacian with np.roll (periodic boundaries).
///
/// Scheme: du/dt = D (d2u/dx2 + d2u/dy2) on a uniform grid of spacing dx, forward Euler in
/// time, the 5-point Laplacian in space:
///     u_new[i,j] = u[i,j] + r (u[i+1,j] + u[i-1,j] + u[i,j+1] + u[i,j-1] - 4 u[i,j]),
///     r = D dt / dx^2.
/// Stable (no growing oscillation) only for r <= 1/4: the largest decay factor of a grid
/// mode is 1 - 8r, which must stay >= -1. A larger r is rejected with the values.
///
/// Boundaries (`DiffusionBoundary`):
/// - fixed (Dirichlet): the first and last row and column keep their values (e.g. 0 for
///   a cold border); only interior points are updated. u = sin(pi x) sin(pi y) on the unit
///   square with a zero border decays as exp(-2 pi^2 D t) in the continuum; the scheme's
///   grid mode decays by exactly g = 1 - 8 r sin^2(pi dx / 2) per step.
/// - periodic: the grid wraps around (np.roll's boundary, the book's choice); every point
///   is updated.
///
/// Serial and parallel compute each point with the same expression on the same inputs,
/// so their results are bit-identical for any number of threads.

#include "strider/types.hpp"

namespace strider::utils {

/// What happens at the border of the grid (see the file comment).
enum class DiffusionBoundary {
  fixed,    ///< Dirichlet: border rows and columns keep their values
  periodic  ///< the grid wraps around on both axes
};

/// Parameters of the explicit scheme.
struct DiffusionParams {
  double diffusivity = 1.0;                               ///< D >= 0
  double dt = 0.1;                                        ///< time step > 0
  double dx = 1.0;                                        ///< grid spacing > 0 (both axes)
  DiffusionBoundary boundary = DiffusionBoundary::fixed;  ///< border condition
  int n_jobs = 1;  ///< threads: -1 all cores, k >= 1 exactly k, 0 rejected
};

/**
 * @brief Checks the parameters: finite, D >= 0, dt > 0, dx > 0, r = D dt / dx^2 <= 1/4,
 * n_jobs != 0.
 * @return r = D dt / dx^2
 * @throws std::invalid_argument naming the bad values (D, dt, dx and r for stability)
 */
double check_diffusion_params(const DiffusionParams& params);

/**
 * @brief One explicit step, plain loops: every point with explicit boundary tests, serial.
 * The reference for diffusion_step().
 * @param u   current field, ny x nx (at least 1 x 1)
 * @param out next field, resized to ny x nx; must not alias u
 * @throws std::invalid_argument on bad parameters (check_diffusion_params) or an empty u
 */
void diffusion_step_plain(const Eigen::Ref<const RowMatrixD>& u, RowMatrixD& out,
                          const DiffusionParams& params);

/**
 * @brief One explicit step, rows spread over params.n_jobs threads; interior rows run
 * without boundary tests. The same bits for any n_jobs; the same bits as
 * diffusion_step_plain() too (both evaluate one shared expression per point; tested with
 * GCC 12 with and without STRIDER_NATIVE, where FMA contraction could in principle differ
 * between the two loops).
 * @param u   current field, ny x nx (at least 1 x 1)
 * @param out next field, resized to ny x nx; must not alias u
 * @throws std::invalid_argument on bad parameters or an empty u
 */
void diffusion_step(const Eigen::Ref<const RowMatrixD>& u, RowMatrixD& out,
                    const DiffusionParams& params);

/**
 * @brief Runs n_steps steps from u0 (two buffers swapped, no allocation per step).
 * @param u0      initial field, ny x nx; every value must be finite
 * @param n_steps number of steps, >= 0
 * @return the field after n_steps * dt
 * @throws std::invalid_argument on bad parameters, n_steps < 0, an empty u0 or a
 *         non-finite value in u0 (the message names its row and column)
 */
RowMatrixD diffuse(const Eigen::Ref<const RowMatrixD>& u0, index_t n_steps,
                   const DiffusionParams& params);

}  // namespace strider::utils
