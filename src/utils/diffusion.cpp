#include "strider/utils/diffusion.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "strider/parallel.hpp"

namespace strider::utils {

namespace {

// The update of one point. Both versions call this with the neighbours in the same
// order, so they round identically.
inline double update(double c, double up, double down, double left, double right, double r) {
  return c + r * ((((up + down) + left) + right) - 4.0 * c);
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

void check_grid(const Eigen::Ref<const RowMatrixD>& u, const RowMatrixD& out, const char* who) {
  if (u.rows() < 1 || u.cols() < 1) {
    throw std::invalid_argument(std::string(who) + ": the grid is empty (" +
                                std::to_string(u.rows()) + " x " + std::to_string(u.cols()) + ")");
  }
  const double* o = out.data();
  if (o != nullptr && u.data() >= o && u.data() < o + out.size()) {
    throw std::invalid_argument(std::string(who) + ": out must not alias u");
  }
}

// Rows [row_begin, row_end) of the next field; the fast path.
void step_rows(const Eigen::Ref<const RowMatrixD>& u, RowMatrixD& out, double r,
               DiffusionBoundary boundary, index_t row_begin, index_t row_end) {
  const index_t ny = u.rows();
  const index_t nx = u.cols();
  const auto row = [&](index_t k) { return u.data() + k * u.outerStride(); };
  for (index_t i = row_begin; i < row_end; ++i) {
    double* o = out.data() + i * nx;
    const double* c = row(i);
    if (boundary == DiffusionBoundary::fixed) {
      if (i == 0 || i == ny - 1) {
        for (index_t j = 0; j < nx; ++j)
          o[j] = c[j];
        continue;
      }
      const double* up = row(i - 1);
      const double* down = row(i + 1);
      o[0] = c[0];
      for (index_t j = 1; j < nx - 1; ++j)
        o[j] = update(c[j], up[j], down[j], c[j - 1], c[j + 1], r);
      if (nx > 1) o[nx - 1] = c[nx - 1];
    } else {
      const double* up = row((i + ny - 1) % ny);
      const double* down = row((i + 1) % ny);
      if (nx == 1) {
        o[0] = update(c[0], up[0], down[0], c[0], c[0], r);
        continue;
      }
      o[0] = update(c[0], up[0], down[0], c[nx - 1], c[1], r);
      for (index_t j = 1; j < nx - 1; ++j)
        o[j] = update(c[j], up[j], down[j], c[j - 1], c[j + 1], r);
      o[nx - 1] = update(c[nx - 1], up[nx - 1], down[nx - 1], c[nx - 2], c[0], r);
    }
  }
}

}  // namespace

double check_diffusion_params(const DiffusionParams& p) {
  const std::string values =
      " (D = " + num(p.diffusivity) + ", dt = " + num(p.dt) + ", dx = " + num(p.dx) + ")";
  if (!std::isfinite(p.diffusivity) || !std::isfinite(p.dt) || !std::isfinite(p.dx) ||
      p.diffusivity < 0 || p.dt <= 0 || p.dx <= 0) {
    throw std::invalid_argument("diffusion: need finite D >= 0, dt > 0 and dx > 0" + values);
  }
  check_n_jobs(p.n_jobs, "diffusion");
  const double r = p.diffusivity * p.dt / (p.dx * p.dx);
  if (!(r <= 0.25)) {
    throw std::invalid_argument(
        "diffusion: unstable explicit scheme, r = D dt / dx^2 = " + num(r) + " > 1/4" + values +
        "; reduce dt to at most dx^2 / (4 D) = " + num(p.dx * p.dx / (4 * p.diffusivity)));
  }
  return r;
}

void diffusion_step_plain(const Eigen::Ref<const RowMatrixD>& u, RowMatrixD& out,
                          const DiffusionParams& params) {
  const double r = check_diffusion_params(params);
  check_grid(u, out, "diffusion_step_plain()");
  const index_t ny = u.rows();
  const index_t nx = u.cols();
  out.resize(ny, nx);
  const bool periodic = params.boundary == DiffusionBoundary::periodic;
  for (index_t i = 0; i < ny; ++i) {
    for (index_t j = 0; j < nx; ++j) {
      const bool border = i == 0 || j == 0 || i == ny - 1 || j == nx - 1;
      if (!periodic && border) {
        out(i, j) = u(i, j);
        continue;
      }
      const index_t iu = (i + ny - 1) % ny, id = (i + 1) % ny;
      const index_t jl = (j + nx - 1) % nx, jr = (j + 1) % nx;
      out(i, j) = update(u(i, j), u(iu, j), u(id, j), u(i, jl), u(i, jr), r);
    }
  }
}

void diffusion_step(const Eigen::Ref<const RowMatrixD>& u, RowMatrixD& out,
                    const DiffusionParams& params) {
  const double r = check_diffusion_params(params);
  check_grid(u, out, "diffusion_step()");
  const int threads = resolve_n_jobs(params.n_jobs, "diffusion_step()");
  const index_t ny = u.rows();
  out.resize(ny, u.cols());
  // Static blocks of rows: every row costs the same, and no exception can be thrown here.
#pragma omp parallel num_threads(threads) if (threads > 1 && ny > 1)
  {
    const index_t t = thread_index();
#ifdef _OPENMP
    const index_t nt = omp_get_num_threads();
#else
    const index_t nt = 1;
#endif
    step_rows(u, out, r, params.boundary, ny * t / nt, ny * (t + 1) / nt);
  }
  (void)threads;
}

RowMatrixD diffuse(const Eigen::Ref<const RowMatrixD>& u0, index_t n_steps,
                   const DiffusionParams& params) {
  const double r = check_diffusion_params(params);
  if (n_steps < 0) {
    throw std::invalid_argument("diffuse(): n_steps must be >= 0, got " + std::to_string(n_steps));
  }
  RowMatrixD a = u0;
  check_grid(a, RowMatrixD(), "diffuse()");
  for (index_t i = 0; i < a.rows(); ++i) {
    for (index_t j = 0; j < a.cols(); ++j) {
      if (!std::isfinite(a(i, j))) {
        throw std::invalid_argument("diffuse(): u0(" + std::to_string(i) + ", " +
                                    std::to_string(j) + ") = " + num(a(i, j)) + " is not finite");
      }
    }
  }
  RowMatrixD b(a.rows(), a.cols());
  const int threads = resolve_n_jobs(params.n_jobs, "diffuse()");
  const index_t ny = a.rows();
  // One parallel region for all steps: each thread keeps its block of rows, and a barrier
  // separates the steps (cheaper than opening a region per step).
#pragma omp parallel num_threads(threads) if (threads > 1 && ny > 1)
  {
    const index_t t = thread_index();
#ifdef _OPENMP
    const index_t nt = omp_get_num_threads();
#else
    const index_t nt = 1;
#endif
    RowMatrixD* current = &a;
    RowMatrixD* next = &b;
    for (index_t s = 0; s < n_steps; ++s) {
      step_rows(*current, *next, r, params.boundary, ny * t / nt, ny * (t + 1) / nt);
#pragma omp barrier
      std::swap(current, next);
    }
  }
  (void)threads;
  return n_steps % 2 == 0 ? std::move(a) : std::move(b);
}

}  // namespace strider::utils
