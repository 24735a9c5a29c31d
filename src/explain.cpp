#include "strider/explain.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "pipeline.hpp"
#include "strider/detail/xml_escape.hpp"
#include "strider/error.hpp"
#include "transform/input_channels.hpp"

namespace strider {

std::vector<KernelImportance> kernel_importance(const KernelClassifier& clf) {
  if (!clf.is_fitted()) throw NotFittedError("kernel_importance()");
  const ColMatrix<double>& coef = clf.ridge().coef();  // targets x FK
  const std::vector<Kernel>& kernels = clf.transform().kernels();
  const index_t per_kernel = clf.transform().params().features_per_kernel();
  // The weight of each column, as the pipeline applies them.
  const VectorD w = detail::weight_factor<double>(clf.params(), clf.transform(), coef.cols());
  const auto n_classes = static_cast<index_t>(clf.classes().size());
  std::vector<KernelImportance> out(kernels.size());
  for (std::size_t k = 0; k < kernels.size(); ++k) {
    KernelImportance& r = out[k];
    r.kernel = static_cast<index_t>(k);
    r.spec = kernels[k];
    std::vector<double> per_target(static_cast<std::size_t>(coef.rows()));
    for (index_t t = 0; t < coef.rows(); ++t) {
      double sq = 0.0;
      for (index_t j = per_kernel * r.kernel; j < per_kernel * (r.kernel + 1); ++j) {
        const double c = coef(t, j) * w(j);
        sq += c * c;
      }
      per_target[static_cast<std::size_t>(t)] = std::sqrt(sq);
    }
    r.per_class = coef.rows() == 1
                      ? std::vector<double>(static_cast<std::size_t>(n_classes), per_target[0])
                      : per_target;
    double ms = 0.0;
    for (double v : r.per_class)
      ms += v * v;
    r.importance = std::sqrt(ms / static_cast<double>(r.per_class.size()));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const KernelImportance& a, const KernelImportance& b) {
                     return a.importance > b.importance;
                   });
  return out;
}

std::vector<KernelMatch> best_matches(const KernelClassifier& clf, const Panel& x, index_t series,
                                      const std::vector<index_t>& kernel_indices) {
  const char* who = "best_match()";
  if (!clf.is_fitted()) throw NotFittedError(who);
  const auto& kernels = clf.transform().kernels();
  for (const index_t kernel : kernel_indices) {
    if (kernel < 0 || kernel >= static_cast<index_t>(kernels.size())) {
      throw std::invalid_argument(std::string(who) + ": kernel " + std::to_string(kernel) +
                                  " is not one of the model's " + std::to_string(kernels.size()));
    }
  }
  if (series < 0 || series >= x.n_series()) {
    throw std::invalid_argument(std::string(who) + ": series " + std::to_string(series) +
                                " is not one of the panel's " + std::to_string(x.n_series()));
  }
  const DilatedKernelTransformParams& p = clf.transform().params();
  if (x.n_channels() != clf.transform().n_channels()) {
    throw std::invalid_argument(
        std::string(who) + ": the panel has " + std::to_string(x.n_channels()) +
        " channels, the model was fitted on " + std::to_string(clf.transform().n_channels()));
  }
  // The series is checked and its channels built once, for every kernel.
  const Panel one = x.subset({series});
  detail::check_input(one, 1, who, p.nan_policy == NanPolicy::interpolate,
                      std::numeric_limits<double>::max());
  const Panel seen = detail::views_per_channel(p) > 1 ? detail::seen_channels(one, p) : one;
  const index_t len = one.length(0);
  std::vector<KernelMatch> out;
  out.reserve(kernel_indices.size());
  for (const index_t kernel : kernel_indices) {
    const Kernel& k = kernels[static_cast<std::size_t>(kernel)];
    KernelMatch& m = out.emplace_back();
    m.kernel = kernel;
    m.channel_values.resize(static_cast<std::size_t>(len));
    detail::prepare_channel(seen, 0, k.channel, p, m.channel_values.data());
    // The distance profile on the zero-padded channel, as the transform defines it.
    const index_t n_pos = k.n_positions(len);
    std::vector<double> xpad(static_cast<std::size_t>(n_pos + (k.length - 1) * k.dilation), 0.0);
    std::copy(
        m.channel_values.begin(),
        m.channel_values.begin() +
            std::min<std::ptrdiff_t>(len, static_cast<std::ptrdiff_t>(xpad.size()) - k.padding),
        xpad.begin() + k.padding);
    m.distance = std::numeric_limits<double>::infinity();
    for (index_t i = 0; i < n_pos; ++i) {
      const double c = k.distance_at(xpad.data() + i);
      if (c < m.distance) {
        m.distance = c;
        m.argmin = i;
      }
    }
    for (index_t j = 0; j < k.length; ++j)
      m.positions.push_back(m.argmin - k.padding + j * k.dilation);
  }
  return out;
}

KernelMatch best_match(const KernelClassifier& clf, const Panel& x, index_t series,
                       index_t kernel) {
  return std::move(best_matches(clf, x, series, {kernel}).front());
}

namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

}  // namespace

std::string explanation_svg(const KernelClassifier& clf, const Panel& x, index_t series,
                            const std::vector<KernelImportance>& kernels) {
  std::vector<index_t> indices;
  for (const auto& k : kernels)
    indices.push_back(k.kernel);
  return explanation_svg(clf, x, series, kernels, best_matches(clf, x, series, indices));
}

std::string explanation_svg(const KernelClassifier& clf, const Panel& x, index_t series,
                            const std::vector<KernelImportance>& kernels,
                            const std::vector<KernelMatch>& matches) {
  if (matches.size() != kernels.size()) {
    throw std::invalid_argument("explanation_svg(): " + std::to_string(matches.size()) +
                                " matches for " + std::to_string(kernels.size()) + " kernels");
  }
  constexpr double kWidth = 900, kPanel = 180, kPlot = 120, kLeft = 50, kRight = 20, kTop = 40;
  const auto n = static_cast<double>(kernels.size());
  const double height = kTop + n * kPanel + 10;
  const DilatedKernelTransformParams& p = clf.transform().params();
  const auto n_input = clf.transform().n_channels();
  const std::string label =
      x.has_labels() ? ", label " + x.labels()[static_cast<std::size_t>(series)] : "";
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << height
    << "\" viewBox=\"0 0 " << kWidth << " " << height
    << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
    << "<title>strider: the best-matching windows of " << kernels.size() << " kernels on series "
    << series << "</title>\n"
    << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    << "<text x=\"" << kLeft << "\" y=\"22\" font-size=\"15\">Series " << series
    << detail::xml_escape(label) << ": predicted "
    << detail::xml_escape(clf.predict(x.subset({series})).front()) << "</text>\n";
  for (std::size_t r = 0; r < kernels.size(); ++r) {
    const KernelImportance& ki = kernels[r];
    const KernelMatch& m = matches[r];
    const Kernel& k = ki.spec;
    const double y0 = kTop + static_cast<double>(r) * kPanel;
    const auto len = static_cast<index_t>(m.channel_values.size());
    // The kernel's values as drawn; a shape kernel's are z-normalised, so they are drawn
    // at the level and scale of the window they matched, which is what they compare.
    std::vector<double> drawn = k.values;
    if (k.shape) {
      std::vector<double> w;
      for (const index_t t : m.positions)
        w.push_back(t >= 0 && t < len ? m.channel_values[static_cast<std::size_t>(t)] : 0.0);
      const Spread window = Spread::of(w.data(), w.size());
      for (double& v : drawn)
        v = window.mean + (window.varies() ? window.sd : 0.0) * v;
    }
    double lo = 0.0, hi = 0.0;
    for (double v : m.channel_values) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    for (double v : drawn) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    if (hi - lo < 1e-12) hi = lo + 1.0;
    // Time points -padding .. len - 1 + padding fit the width.
    const double t0 = static_cast<double>(-k.padding);
    const double t1 = static_cast<double>(len - 1 + k.padding);
    const auto px = [&](double t) {
      return kLeft + (t - t0) / std::max(t1 - t0, 1.0) * (kWidth - kLeft - kRight);
    };
    const auto py = [&](double v) { return y0 + 36 + (hi - v) / (hi - lo) * kPlot; };
    const bool difference = k.channel >= n_input;
    const index_t input = difference ? k.channel - n_input : k.channel;
    s << "<g id=\"kernel-" << ki.kernel << "\">\n"
      << "<text x=\"" << kLeft << "\" y=\"" << y0 + 15 << "\">kernel " << ki.kernel << ": length "
      << k.length << ", dilation " << k.dilation << ", padding " << k.padding << ", channel "
      << input << (difference ? " (first differences)" : "")
      << (p.normalize_input ? ", z-normalised" : "")
      << (k.shape ? ", shape kernel (drawn at the scale of its best window)" : "") << "</text>\n"
      << "<text x=\"" << kLeft << "\" y=\"" << y0 + 30 << "\" font-size=\"13\">importance "
      << fmt(ki.importance) << "; best match at " << m.argmin - k.padding << ", distance "
      << fmt(m.distance) << "</text>\n"
      << "<line x1=\"" << kLeft << "\" x2=\"" << kWidth - kRight << "\" y1=\"" << py(0.0)
      << "\" y2=\"" << py(0.0) << "\" stroke=\"#ddd\"/>\n"
      << "<polyline fill=\"none\" stroke=\"#888\" stroke-width=\"1\" points=\"";
    for (index_t t = 0; t < len; ++t)
      s << fmt(px(static_cast<double>(t))) << ","
        << fmt(py(m.channel_values[static_cast<std::size_t>(t)])) << (t + 1 < len ? " " : "");
    s << "\"/>\n<polyline fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\" "
         "stroke-dasharray=\"4 3\" points=\"";
    for (index_t j = 0; j < k.length; ++j)
      s << fmt(px(static_cast<double>(m.positions[static_cast<std::size_t>(j)]))) << ","
        << fmt(py(drawn[static_cast<std::size_t>(j)])) << (j + 1 < k.length ? " " : "");
    s << "\"/>\n";
    for (index_t j = 0; j < k.length; ++j) {
      const index_t t = m.positions[static_cast<std::size_t>(j)];
      const double v = t >= 0 && t < len ? m.channel_values[static_cast<std::size_t>(t)] : 0.0;
      s << "<circle cx=\"" << fmt(px(static_cast<double>(t))) << "\" cy=\"" << fmt(py(v))
        << "\" r=\"3\" fill=\"#1f77b4\"/>\n";
    }
    s << "</g>\n";
  }
  s << "<text x=\"" << kLeft << "\" y=\"" << height - 2
    << "\" font-size=\"10\" fill=\"#555\">grey: the channel as the kernel sees it; blue: the "
       "window's taps; dashed red: the kernel's values at those taps</text>\n"
    << "</svg>\n";
  return s.str();
}

}  // namespace strider
