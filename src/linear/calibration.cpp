#include "linear/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace strider::detail {

RowMatrixD class_scores(const Eigen::Ref<const RowMatrixD>& decision) {
  if (decision.cols() != 1) return decision;
  RowMatrixD s(decision.rows(), 2);
  s.col(0) = -decision.col(0);
  s.col(1) = decision.col(0);
  return s;
}

RowMatrixD softmax_rows(const Eigen::Ref<const RowMatrixD>& scores, double beta) {
  RowMatrixD p(scores.rows(), scores.cols());
  for (index_t i = 0; i < scores.rows(); ++i) {
    const double top = scores.row(i).maxCoeff();
    double sum = 0.0;
    for (index_t k = 0; k < scores.cols(); ++k) {
      p(i, k) = std::exp(beta * (scores(i, k) - top));  // <= 1, the top one exactly 1
      sum += p(i, k);
    }
    p.row(i) /= sum;
  }
  return p;
}

namespace {

/// First and second derivative in beta of the cross-entropy against the targets t:
/// f(beta) = sum_i [log sum_k exp(beta s_ik) - beta t_i . s_i].
struct Slope {
  double first = 0.0, second = 0.0;
};

Slope slope(const RowMatrixD& s, const RowMatrixD& t, double beta) {
  Slope out;
  Eigen::RowVectorXd e(s.cols());
  for (index_t i = 0; i < s.rows(); ++i) {
    const double top = s.row(i).maxCoeff();
    e = ((s.row(i).array() - top) * beta).exp().matrix();
    const double z = e.sum();
    double mean = 0.0, sq = 0.0;
    for (index_t k = 0; k < s.cols(); ++k) {
      const double w = e(k) / z;
      mean += w * s(i, k);
      sq += w * s(i, k) * s(i, k);
    }
    out.first += mean - t.row(i).dot(s.row(i));
    out.second += std::max(0.0, sq - mean * mean);
  }
  return out;
}

}  // namespace

double fit_inverse_temperature(const Eigen::Ref<const ColMatrix<double>>& loo_decision,
                               const std::vector<index_t>& label, index_t n_classes) {
  const index_t n = loo_decision.rows();
  if (static_cast<index_t>(label.size()) != n || n_classes < 2) {
    throw std::logic_error("fit_inverse_temperature(): inconsistent sizes");
  }
  const RowMatrixD s = class_scores(loo_decision);
  if (s.cols() != n_classes) throw std::logic_error("fit_inverse_temperature(): class count");
  std::vector<index_t> count(static_cast<std::size_t>(n_classes), 0);
  for (const index_t k : label)
    ++count[static_cast<std::size_t>(k)];
  RowMatrixD t(n, n_classes);
  for (index_t i = 0; i < n; ++i) {
    const auto m =
        static_cast<double>(count[static_cast<std::size_t>(label[static_cast<std::size_t>(i)])]);
    const double own = (m + 1.0) / (m + 2.0);
    t.row(i).setConstant((1.0 - own) / static_cast<double>(n_classes - 1));
    t(i, label[static_cast<std::size_t>(i)]) = own;
  }
  if (!s.allFinite()) return kMinInverseTemperature;
  // f is convex: f'(beta_min) >= 0 means the scores hardly favour the targets.
  if (slope(s, t, kMinInverseTemperature).first >= 0.0) return kMinInverseTemperature;
  // Bracket [lo, hi] with f'(lo) < 0 < f'(hi), from beta = 1 (the plain softmax).
  double lo = kMinInverseTemperature, hi = 1.0;
  while (slope(s, t, hi).first < 0.0) {
    if (hi >= kMaxInverseTemperature) return kMaxInverseTemperature;  // minimum beyond it
    lo = hi;
    hi = std::min(4.0 * hi, kMaxInverseTemperature);
  }
  double beta = 0.5 * (lo + hi);
  for (int it = 0; it < 100; ++it) {
    const Slope d = slope(s, t, beta);
    if (d.first == 0.0) break;
    (d.first < 0.0 ? lo : hi) = beta;
    double next = d.second > 0.0 ? beta - d.first / d.second : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);  // Newton left the bracket
    if (std::abs(next - beta) <= 1e-12 * beta || hi - lo <= 1e-12 * hi) {
      beta = next;
      break;
    }
    beta = next;
  }
  return beta;
}

double loo_log_loss(const Eigen::Ref<const ColMatrix<double>>& loo_decision,
                    const std::vector<index_t>& label, const std::vector<index_t>& class_count,
                    double beta) {
  const auto nc = static_cast<index_t>(class_count.size());
  if (static_cast<index_t>(label.size()) != loo_decision.rows() || nc < 2 ||
      loo_decision.cols() != (nc == 2 ? 1 : nc)) {
    throw std::logic_error("loo_log_loss(): inconsistent sizes");
  }
  const RowMatrixD s = class_scores(loo_decision);
  double sum = 0.0;
  index_t used = 0;
  for (index_t i = 0; i < s.rows(); ++i) {
    const index_t own = label[static_cast<std::size_t>(i)];
    if (own < 0 || own >= nc) throw std::logic_error("loo_log_loss(): label out of range");
    if (class_count[static_cast<std::size_t>(own)] < 2) continue;
    const double top = s.row(i).maxCoeff();
    const double z = ((s.row(i).array() - top) * beta).exp().sum();  // >= 1
    sum += std::log(z) - beta * (s(i, own) - top);
    ++used;
  }
  return used == 0 ? std::numeric_limits<double>::quiet_NaN() : sum / static_cast<double>(used);
}

}  // namespace strider::detail
