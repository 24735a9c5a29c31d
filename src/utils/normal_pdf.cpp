#include "strider/utils/normal_pdf.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

#include "strider/parallel.hpp"
#include "strider/utils/detail/vec_exp.hpp"

namespace strider::utils {
namespace {

constexpr index_t kChunk = index_t{1} << 15;  // 256 KiB in + out per parallel task

[[noreturn]] void fail(const std::string& what, double v, const std::string& rule) {
  std::ostringstream s;
  s.precision(17);
  s << "normal_pdf(): " << what << " = " << v << "; " << rule;
  throw std::invalid_argument(s.str());
}

/// The vectorised loop: no calls, no branches (exp_vectorizable is inlined).
void pdf_chunk(const double* x, double* out, index_t n, double mu, double sigma, double scale) {
#pragma omp simd
  for (index_t i = 0; i < n; ++i) {
    const double y = (x[i] - mu) / sigma;
    out[i] = detail::exp_vectorizable(-(y * y) * 0.5) * scale;
  }
}

}  // namespace

void normal_pdf(const Eigen::Ref<const VectorD>& x, double mu, double sigma,
                Eigen::Ref<VectorD> out, int n_jobs) {
  const int threads = resolve_n_jobs(n_jobs, "normal_pdf()");
  if (!(sigma > 0.0) || !std::isfinite(sigma)) fail("sigma", sigma, "it must be finite and > 0");
  if (!std::isfinite(mu)) fail("mu", mu, "it must be finite");
  if (out.size() != x.size()) {
    throw std::invalid_argument("normal_pdf(): out has " + std::to_string(out.size()) +
                                " values but x has " + std::to_string(x.size()));
  }
  const double scale = 1.0 / (2.50662827463100050242 * sigma);  // 1 / (sqrt(2 pi) sigma)
  const index_t n = x.size();
  const index_t n_chunks = (n + kChunk - 1) / kChunk;
  parallel_for(0, n_chunks, threads, [&](index_t c) {
    const index_t first = c * kChunk;
    const index_t len = std::min(kChunk, n - first);
    pdf_chunk(x.data() + first, out.data() + first, len, mu, sigma, scale);
  });
}

VectorD normal_pdf(const Eigen::Ref<const VectorD>& x, double mu, double sigma, int n_jobs) {
  VectorD out(x.size());
  normal_pdf(x, mu, sigma, out, n_jobs);
  return out;
}

}  // namespace strider::utils
