#include "strider/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

namespace strider {

namespace {

void check_sizes(const Eigen::Ref<const RowMatrixD>& proba, const std::vector<index_t>& truth,
                 const char* who) {
  if (proba.rows() == 0 || static_cast<index_t>(truth.size()) != proba.rows()) {
    throw std::invalid_argument(std::string(who) + ": " + std::to_string(proba.rows()) +
                                " rows of probabilities and " + std::to_string(truth.size()) +
                                " true classes; need the same number, at least 1");
  }
  for (index_t i = 0; i < proba.rows(); ++i) {
    for (index_t k = 0; k < proba.cols(); ++k) {
      const double p = proba(i, k);
      if (!(p >= 0.0 && p <= 1.0)) {
        throw std::invalid_argument(std::string(who) + ": probability (" + std::to_string(i) +
                                    ", " + std::to_string(k) + ") = " + std::to_string(p) +
                                    " is not in [0, 1]");
      }
    }
  }
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (truth[i] < -1 || truth[i] >= proba.cols()) {
      throw std::invalid_argument(std::string(who) + ": true class " + std::to_string(truth[i]) +
                                  " of row " + std::to_string(i) + " is not a column of the " +
                                  std::to_string(proba.cols()) + " (or -1)");
    }
  }
}

}  // namespace

double log_loss(const Eigen::Ref<const RowMatrixD>& proba, const std::vector<index_t>& truth) {
  check_sizes(proba, truth, "log_loss()");
  constexpr double kClip = 1e-15;
  double sum = 0.0;
  for (index_t i = 0; i < proba.rows(); ++i) {
    const index_t k = truth[static_cast<std::size_t>(i)];
    const double p = k < 0 ? kClip : std::clamp(proba(i, k), kClip, 1.0);
    sum -= std::log(p);
  }
  return sum / static_cast<double>(proba.rows());
}

double expected_calibration_error(const Eigen::Ref<const RowMatrixD>& proba,
                                  const std::vector<index_t>& truth, int bins) {
  check_sizes(proba, truth, "expected_calibration_error()");
  if (bins < 1) {
    throw std::invalid_argument("expected_calibration_error(): bins = " + std::to_string(bins) +
                                "; need at least 1");
  }
  std::vector<double> confidence(static_cast<std::size_t>(bins), 0.0), hits(confidence);
  std::vector<index_t> count(static_cast<std::size_t>(bins), 0);
  for (index_t i = 0; i < proba.rows(); ++i) {
    index_t top = 0;
    for (index_t k = 1; k < proba.cols(); ++k)
      if (proba(i, k) > proba(i, top)) top = k;
    const double c = proba(i, top);
    // Bin b holds confidences in (b / bins, (b + 1) / bins]; 0 goes to the first.
    const auto b = static_cast<std::size_t>(
        std::clamp(static_cast<int>(std::ceil(c * bins)) - 1, 0, bins - 1));
    confidence[b] += c;
    hits[b] += top == truth[static_cast<std::size_t>(i)] ? 1.0 : 0.0;
    ++count[b];
  }
  double ece = 0.0;
  for (std::size_t b = 0; b < count.size(); ++b)
    ece += std::abs(hits[b] - confidence[b]);  // = count * |accuracy - mean confidence|
  return ece / static_cast<double>(proba.rows());
}

std::vector<index_t> class_indices_or_unknown(const std::vector<std::string>& labels,
                                              const std::vector<std::string>& classes) {
  std::unordered_map<std::string, index_t> index;
  for (std::size_t k = 0; k < classes.size(); ++k)
    index.emplace(classes[k], static_cast<index_t>(k));
  std::vector<index_t> out;
  out.reserve(labels.size());
  for (const auto& l : labels) {
    const auto it = index.find(l);
    out.push_back(it == index.end() ? -1 : it->second);
  }
  return out;
}

namespace {

void check_regression(const Eigen::Ref<const RowMatrixD>& truth,
                      const Eigen::Ref<const RowMatrixD>& pred, const char* who) {
  if (truth.rows() != pred.rows() || truth.cols() != pred.cols()) {
    throw std::invalid_argument(std::string(who) + ": truth is " + std::to_string(truth.rows()) +
                                " x " + std::to_string(truth.cols()) + " but predictions are " +
                                std::to_string(pred.rows()) + " x " + std::to_string(pred.cols()));
  }
  if (truth.rows() == 0 || truth.cols() == 0)
    throw std::invalid_argument(std::string(who) + ": no samples or no targets");
  if (!truth.allFinite() || !pred.allFinite())
    throw std::invalid_argument(std::string(who) + ": a non-finite target or prediction");
}

}  // namespace

double r2_score(const Eigen::Ref<const RowMatrixD>& truth,
                const Eigen::Ref<const RowMatrixD>& pred) {
  check_regression(truth, pred, "r2_score()");
  double sum = 0.0;
  for (index_t t = 0; t < truth.cols(); ++t) {
    const double mean = truth.col(t).mean();
    const double residual = (truth.col(t) - pred.col(t)).squaredNorm();
    const double total = (truth.col(t).array() - mean).square().sum();
    if (total == 0.0) {
      sum += residual == 0.0 ? 1.0 : 0.0;
    } else {
      sum += 1.0 - residual / total;
    }
  }
  return sum / static_cast<double>(truth.cols());
}

double mean_squared_error(const Eigen::Ref<const RowMatrixD>& truth,
                          const Eigen::Ref<const RowMatrixD>& pred) {
  check_regression(truth, pred, "mean_squared_error()");
  return (truth - pred).squaredNorm() / static_cast<double>(truth.size());
}

double mean_absolute_error(const Eigen::Ref<const RowMatrixD>& truth,
                           const Eigen::Ref<const RowMatrixD>& pred) {
  check_regression(truth, pred, "mean_absolute_error()");
  return (truth - pred).cwiseAbs().sum() / static_cast<double>(truth.size());
}

}  // namespace strider
