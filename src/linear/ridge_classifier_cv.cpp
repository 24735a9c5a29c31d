#include "strider/linear/ridge_classifier_cv.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "linear/calibration.hpp"
#include "linear/linear_common.hpp"
#include "linear/ridge_gcv.hpp"
#include "strider/error.hpp"
#include "strider/labels.hpp"
#include "strider/parallel.hpp"
#include "strider/random.hpp"

namespace strider {

std::vector<double> logspace_alphas(double lo, double hi, int n) {
  if (n < 2)
    throw std::invalid_argument("logspace_alphas(): n = " + std::to_string(n) + "; expected >= 2");
  // As NumPy's logspace(lo, hi, n): exponents arange(n) * ((hi - lo) / (n - 1)) + lo, the
  // last one hi, with the C library's pow (NumPy's vectorised power can differ in the
  // last bit).
  std::vector<double> alphas(static_cast<std::size_t>(n));
  const double step = (hi - lo) / static_cast<double>(n - 1);
  for (int k = 0; k < n; ++k) {
    const double e = k == n - 1 ? hi : static_cast<double>(k) * step + lo;
    alphas[static_cast<std::size_t>(k)] = std::pow(10.0, e);
  }
  return alphas;
}

std::vector<double> default_ridge_alphas() {
  return logspace_alphas(-3.0, 3.0, 10);
}

RidgeClassifierCV::RidgeClassifierCV(RidgeClassifierCVParams params) : params_(std::move(params)) {
  params_.validate("RidgeClassifierCV");
}

void RidgeClassifierCV::check_fitted(const char* who) const {
  if (!fitted_) throw NotFittedError(std::string("RidgeClassifierCV::") + who);
}

double RidgeClassifierCV::alpha() const {
  check_fitted("alpha()");
  return alpha_;
}
ClassWeight RidgeClassifierCV::class_weight() const {
  check_fitted("class_weight()");
  return class_weight_;
}
double RidgeClassifierCV::cv_log_loss() const {
  check_fitted("cv_log_loss()");
  return cv_log_loss_;
}

double RidgeClassifierCV::proba_scale() const {
  check_fitted("proba_scale()");
  return proba_scale_;
}
double RidgeClassifierCV::best_score() const {
  check_fitted("best_score()");
  return best_score_;
}
const VectorD& RidgeClassifierCV::cv_mse() const {
  check_fitted("cv_mse()");
  return cv_mse_;
}
const VectorD& RidgeClassifierCV::cv_accuracy() const {
  check_fitted("cv_accuracy()");
  return cv_accuracy_;
}
const ColMatrix<double>& RidgeClassifierCV::coef() const {
  check_fitted("coef()");
  return coef_;
}
const VectorD& RidgeClassifierCV::intercept() const {
  check_fitted("intercept()");
  return intercept_;
}
const std::vector<std::string>& RidgeClassifierCV::classes() const {
  check_fitted("classes()");
  return classes_;
}
index_t RidgeClassifierCV::n_classes() const {
  check_fitted("n_classes()");
  return static_cast<index_t>(classes_.size());
}
index_t RidgeClassifierCV::n_targets() const {
  check_fitted("n_targets()");
  return coef_.rows();
}
std::pair<index_t, index_t> RidgeClassifierCV::kept_columns() const {
  check_fitted("kept_columns()");
  return {kept_begin_, kept_end_};
}

index_t RidgeClassifierCV::n_features() const {
  check_fitted("n_features()");
  return n_features_;
}

namespace {

/// The weightings to fit, the preferred one first: the one asked for; for `choose`,
/// balanced when the class counts are consistent with equal class frequencies, else
/// none, then the other one (see ClassWeight::choose). With equal sizes both give every
/// sample weight 1: one fit, reported as balanced.
std::vector<ClassWeight> weightings(ClassWeight asked, const std::vector<index_t>& count) {
  if (asked != ClassWeight::choose) return {asked};
  if (std::adjacent_find(count.begin(), count.end(), std::not_equal_to<>()) == count.end())
    return {ClassWeight::balanced};
  if (detail::equal_frequencies_p(count) >= kChooseMaxP)
    return {ClassWeight::balanced, ClassWeight::none};
  return {ClassWeight::none, ClassWeight::balanced};
}

/// The {-1, +1} target row of class k (scikit-learn's LabelBinarizer: one column for two
/// classes, +1 for class 1).
template <class Row>
void target_row(index_t k, index_t nc, Row&& row) {
  row.setConstant(-1.0);
  if (nc == 2) {
    if (k == 1) row(0) = 1.0;
  } else {
    row(k) = 1.0;
  }
}

}  // namespace

template <class T>
detail::GcvInput RidgeClassifierCV::gcv_input(const Eigen::Ref<const RowMatrix<T>>& x,
                                              const std::vector<index_t>& yi,
                                              const std::vector<index_t>& count, ClassWeight weight,
                                              int threads) const {
  const index_t n = x.rows(), f = x.cols();
  const auto nc = static_cast<index_t>(count.size());
  // Targets in {-1, +1} (scikit-learn's LabelBinarizer): one column for two classes,
  // +1 for classes[1].
  const index_t nt = nc == 2 ? 1 : nc;
  detail::GcvInput in;
  in.y.resize(n, nt);
  for (index_t i = 0; i < n; ++i)
    target_row(yi[static_cast<std::size_t>(i)], nc, in.y.row(i));
  // Sample weights: "balanced" gives n / (n_classes * count) to each sample of a class.
  VectorD sw = VectorD::Ones(n);
  if (weight == ClassWeight::balanced) {
    for (index_t i = 0; i < n; ++i) {
      sw(i) =
          static_cast<double>(n) /
          (static_cast<double>(nc) *
           static_cast<double>(count[static_cast<std::size_t>(yi[static_cast<std::size_t>(i)])]));
    }
  }
  in.sqrt_sw = sw.cwiseSqrt();
  in.alphas = params_.alphas;
  in.n_threads = threads;
  in.center = params_.fit_intercept;
  in.label = yi;

  // Weighted means of X and y (NumPy's average: sum(w x) / sum(w), samples in order).
  in.y_offset = VectorD::Zero(nt);
  in.x_offset = VectorD::Zero(f);
  if (params_.fit_intercept) {
    in.x_offset = detail::weighted_column_means<T>(x, sw, threads);
    for (index_t i = 0; i < n; ++i)
      in.y_offset += in.y.row(i).transpose() * sw(i);
    in.y_offset /= sw.sum();
    in.y.rowwise() -= in.y_offset.transpose();
  }
  in.y = in.sqrt_sw.asDiagonal() * in.y;
  return in;
}

template <class T>
RidgeClassifierCV& RidgeClassifierCV::fit(const Eigen::Ref<const RowMatrix<T>>& x,
                                          const std::vector<std::string>& y,
                                          const ColumnChoice& choice) {
  const char* who = "RidgeClassifierCV::fit()";
  const index_t n = x.rows(), f = x.cols();
  if (n == 0 || f == 0) {
    throw std::invalid_argument(std::string(who) + ": x is " + std::to_string(n) + " x " +
                                std::to_string(f) + "; need at least 1 sample and 1 feature");
  }
  if (static_cast<index_t>(y.size()) != n) {
    throw std::invalid_argument(std::string(who) + ": x has " + std::to_string(n) +
                                " samples but y has " + std::to_string(y.size()) + " labels");
  }
  if (choice.split < 0 || choice.split >= f) {
    throw std::invalid_argument(std::string(who) +
                                ": column split = " + std::to_string(choice.split) +
                                " is outside [0, " + std::to_string(f) + ")");
  }
  if (choice.period < 0 || choice.period == 1 ||
      (choice.period >= 2 && (choice.residue < 0 || choice.residue >= choice.period))) {
    throw std::invalid_argument(std::string(who) +
                                ": column period = " + std::to_string(choice.period) +
                                " with residue " + std::to_string(choice.residue) +
                                "; expected period 0 (none), or period >= 2 and 0 <= residue < "
                                "period");
  }
  if (!(choice.period_max_p > 0.0 && choice.period_max_p <= 1.0)) {
    throw std::invalid_argument(std::string(who) +
                                ": column period_max_p = " + shortest_text(choice.period_max_p) +
                                "; expected a significance level in (0, 1]");
  }
  const int threads = resolve_n_jobs(params_.n_jobs, "RidgeClassifierCV");
  detail::check_finite<T>(x, who, threads);

  std::vector<std::string> classes = sorted_classes(y);
  const index_t nc = static_cast<index_t>(classes.size());
  if (nc < 2) {
    throw std::invalid_argument(std::string(who) + ": y has only one class \"" + classes.front() +
                                "\"; a classifier needs at least 2 classes");
  }
  const std::vector<index_t> yi = class_indices(y, classes);
  std::vector<index_t> count(static_cast<std::size_t>(nc), 0);
  for (const index_t k : yi)
    ++count[static_cast<std::size_t>(k)];

  // The weightings to fit, the preferred one first: the one asked for; for `choose`,
  // balanced when the class counts are consistent with equal class frequencies, else
  // none, then the other one (see ClassWeight::choose). With equal sizes both give every
  // sample weight 1: one fit, reported as balanced.
  const std::vector<ClassWeight> weights = weightings(params_.class_weight, count);
  std::vector<detail::GcvInput> inputs;
  inputs.reserve(weights.size());
  for (const ClassWeight w : weights)
    inputs.push_back(gcv_input<T>(x, yi, count, w, threads));

  detail::ChosenGcv chosen = detail::ridge_gcv_choose<T>(x, inputs, kChooseMaxP, choice);
  const detail::GcvInput& in = inputs[chosen.chosen];
  detail::GcvResult& res = chosen.result;

  classes_ = std::move(classes);
  n_features_ = f;
  class_weight_ = weights[chosen.chosen];
  alpha_ = params_.alphas[static_cast<std::size_t>(res.best)];
  best_score_ = -res.mse(res.best);
  cv_mse_ = std::move(res.mse);
  cv_accuracy_ = std::move(res.accuracy);
  coef_ = std::move(res.coef);
  intercept_ = params_.fit_intercept ? VectorD(in.y_offset - coef_ * in.x_offset)
                                     : VectorD::Zero(coef_.rows());
  proba_scale_ = detail::fit_inverse_temperature(res.loo_decision, yi, nc);
  cv_log_loss_ = detail::loo_log_loss(res.loo_decision, yi, count, proba_scale_);
  kept_begin_ = chosen.kept_begin;
  kept_end_ = chosen.kept_end;
  fitted_ = true;
  return *this;
}

namespace {

/// What fit_batches() learns of the whole set in its first pass.
struct BatchSet {
  std::vector<std::string> classes;
  std::vector<index_t> count;  ///< samples per class
  VectorD weight;              ///< sample weight of each class
  VectorD x_offset;            ///< weighted feature means (zeros without intercept)
  VectorD y_offset;            ///< weighted target means (zeros without intercept)
  index_t n = 0;
  index_t n_features = 0;
  double weight_sum = 0.0;
};

/// Combines the first pass of every process of `comm`: the classes in order of appearance,
/// process by process (the set's own order, the shares being in rank order), their counts
/// and feature sums, and the sample and feature counts. Returns the position in the set of
/// this process's first sample.
index_t combine_classes(Communicator& comm, BatchSet& set, std::vector<std::string>& order,
                        std::map<std::string, index_t>& seen, std::vector<VectorD>& sums,
                        std::vector<index_t>& cnt) {
  if (comm.size() == 1) return 0;
  std::string mine;
  const auto put = [&mine](std::int64_t v) {
    mine.append(reinterpret_cast<const char*>(&v), sizeof v);
  };
  put(set.n);
  put(set.n_features);
  put(static_cast<std::int64_t>(order.size()));
  for (const std::string& label : order) {
    put(static_cast<std::int64_t>(label.size()));
    mine += label;
  }
  const std::vector<std::string> all = comm.all_gather(mine);
  std::vector<std::string> all_order;
  std::map<std::string, index_t> all_seen;
  index_t n = 0, f = 0, first = 0;
  for (std::size_t r = 0; r < all.size(); ++r) {
    std::size_t pos = 0;
    const auto get = [&](std::size_t bytes) {
      if (pos + bytes > all[r].size()) {
        throw std::runtime_error("RidgeClassifierCV::fit_batches(): process " + std::to_string(r) +
                                 " sent a truncated summary");
      }
      pos += bytes;
      return all[r].data() + pos - bytes;
    };
    const auto get_int = [&] {
      std::int64_t v = 0;
      std::memcpy(&v, get(sizeof v), sizeof v);
      return static_cast<index_t>(v);
    };
    const index_t n_r = get_int(), f_r = get_int(), k = get_int();
    if (static_cast<int>(r) == comm.rank()) first = n;
    n += n_r;
    if (n_r > 0 && f == 0) f = f_r;
    if (n_r > 0 && f_r != f) {
      throw std::invalid_argument("RidgeClassifierCV::fit_batches(): process " + std::to_string(r) +
                                  " has " + std::to_string(f_r) + " features, an earlier one " +
                                  std::to_string(f));
    }
    for (index_t j = 0; j < k; ++j) {
      const auto len = static_cast<std::size_t>(get_int());
      std::string label(get(len), len);
      if (all_seen.try_emplace(label, static_cast<index_t>(all_order.size())).second)
        all_order.push_back(std::move(label));
    }
  }
  const auto nc = static_cast<index_t>(all_order.size());
  ColMatrix<double> class_sum = ColMatrix<double>::Zero(f, nc);
  VectorD class_count = VectorD::Zero(nc);
  for (std::size_t j = 0; j < order.size(); ++j) {
    const index_t g = all_seen.at(order[j]);
    class_sum.col(g) = sums[j];
    class_count(g) = static_cast<double>(cnt[j]);
  }
  comm.sum(class_sum.data(), static_cast<std::size_t>(class_sum.size()));
  comm.sum(class_count.data(), static_cast<std::size_t>(nc));
  sums.assign(static_cast<std::size_t>(nc), VectorD());
  cnt.assign(static_cast<std::size_t>(nc), 0);
  for (index_t g = 0; g < nc; ++g) {
    sums[static_cast<std::size_t>(g)] = class_sum.col(g);
    cnt[static_cast<std::size_t>(g)] = static_cast<index_t>(class_count(g));
  }
  order = std::move(all_order);
  seen = std::move(all_seen);
  set.n = n;
  set.n_features = f;
  return first;
}

/// One batch's GcvInput: its rows of y, sqrt_sw and label, the whole set's offsets.
detail::GcvInput batch_input(const BatchSet& set, const std::vector<index_t>& yi,
                             const RidgeClassifierCVParams& params, int threads) {
  const auto n = static_cast<index_t>(yi.size());
  const auto nc = static_cast<index_t>(set.classes.size());
  const index_t nt = nc == 2 ? 1 : nc;
  detail::GcvInput in;
  in.y.resize(n, nt);
  in.sqrt_sw.resize(n);
  for (index_t i = 0; i < n; ++i) {
    const index_t k = yi[static_cast<std::size_t>(i)];
    target_row(k, nc, in.y.row(i));
    in.sqrt_sw(i) = std::sqrt(set.weight(k));
  }
  in.alphas = params.alphas;
  in.n_threads = threads;
  in.center = params.fit_intercept;
  in.label = yi;
  in.x_offset = set.x_offset;
  in.y_offset = set.y_offset;
  if (params.fit_intercept) in.y.rowwise() -= set.y_offset.transpose();
  in.y = in.sqrt_sw.asDiagonal() * in.y;
  in.who = "RidgeClassifierCV::fit_batches()";
  return in;
}

}  // namespace

std::vector<index_t> RidgeClassifierCV::loo_rows(index_t n_samples, index_t loo_sample) {
  if (n_samples < 0 || loo_sample < 1) {
    throw std::invalid_argument(
        "RidgeClassifierCV::loo_rows(): n_samples = " + std::to_string(n_samples) +
        ", loo_sample = " + std::to_string(loo_sample) + "; expected >= 0 and >= 1");
  }
  const index_t count = std::min(n_samples, loo_sample);
  std::vector<index_t> rows(static_cast<std::size_t>(count));
  __extension__ using u128 = unsigned __int128;  // k n overflows 64 bits for huge sets
  const auto run_start = [&](index_t k) {
    return static_cast<index_t>(static_cast<u128>(k) * static_cast<u128>(n_samples) /
                                static_cast<u128>(count));
  };
  Rng rng(0x5EED100, 0);
  for (index_t k = 0; k < count; ++k) {
    const index_t begin = run_start(k), len = run_start(k + 1) - begin;
    rows[static_cast<std::size_t>(k)] =
        begin +
        (len == 1 ? 0 : static_cast<index_t>(rng.uniform_int(static_cast<std::uint64_t>(len))));
  }
  return rows;
}

std::uint64_t RidgeClassifierCV::fit_batches_memory(index_t n_features, index_t n_classes,
                                                    std::size_t n_alphas, index_t loo_sample) {
  const double f = static_cast<double>(n_features);
  const double nt = n_classes > 2 ? static_cast<double>(n_classes) : 1.0;
  const double na = static_cast<double>(n_alphas);
  const double doubles = static_cast<double>(detail::LowerPanels::stored(n_features))  // C, then Q
                         + f * nt * (na + 3.0)                 // solutions, A^T y, Q^T A^T y
                         + f * static_cast<double>(n_classes)  // class sums
                         + static_cast<double>(loo_sample) * (na * nt + 2.0)  // the LOO sample
                         + 64.0 * (f + 1024.0) * (na * nt + 4.0);  // LOO blocks of 64 rows
  // Panel buffers of the covariance update (two of at most 128 MiB); the reduction's
  // panels (3 x 64 f doubles), block factors of Q (64 f) and symv pieces (f^2 / 512).
  return static_cast<std::uint64_t>(8.0 * (doubles + 256.0 * f + f * f / 512.0)) +
         (std::uint64_t{256} << 20);
}

RidgeClassifierCV& RidgeClassifierCV::fit_batches(const BatchPass& pass, index_t loo_sample,
                                                  Communicator* communicator,
                                                  const SamplePass& sample_pass) {
  const char* who = "RidgeClassifierCV::fit_batches()";
  if (loo_sample < 1) {
    throw std::invalid_argument(std::string(who) + ": loo_sample = " + std::to_string(loo_sample) +
                                "; expected >= 1");
  }
  const int threads = resolve_n_jobs(params_.n_jobs, "RidgeClassifierCV");

  // Pass 1: labels, class counts, class feature sums (classes in order of appearance).
  BatchSet set;
  std::map<std::string, index_t> seen;
  std::vector<std::string> order;
  std::vector<VectorD> sums;
  std::vector<index_t> cnt;
  pass([&](const Eigen::Ref<const RowMatrixD>& x, const std::vector<std::string>& y) {
    const index_t n = x.rows(), f = x.cols();
    if (static_cast<index_t>(y.size()) != n) {
      throw std::invalid_argument(std::string(who) + ": a batch has " + std::to_string(n) +
                                  " samples but " + std::to_string(y.size()) + " labels");
    }
    if (n == 0) return;
    if (set.n_features == 0) set.n_features = f;
    if (f != set.n_features || f == 0) {
      throw std::invalid_argument(std::string(who) + ": a batch has " + std::to_string(f) +
                                  " features, the first had " + std::to_string(set.n_features));
    }
    detail::check_finite<double>(x, who, threads);
    std::vector<index_t> id(static_cast<std::size_t>(n));
    for (index_t i = 0; i < n; ++i) {
      const auto [it, added] =
          seen.try_emplace(y[static_cast<std::size_t>(i)], static_cast<index_t>(order.size()));
      if (added) {
        order.push_back(it->first);
        sums.push_back(VectorD::Zero(f));
        cnt.push_back(0);
      }
      id[static_cast<std::size_t>(i)] = it->second;
      ++cnt[static_cast<std::size_t>(it->second)];
    }
    // Class sums, rows in order within fixed column blocks.
    const int sum_threads =
        detail::threads_for(static_cast<double>(n) * static_cast<double>(f), threads);
    parallel_for(0, detail::n_blocks(f, detail::kColumnBlock), sum_threads, [&](index_t b) {
      const index_t j0 = b * detail::kColumnBlock, w = std::min(detail::kColumnBlock, f - j0);
      for (index_t i = 0; i < n; ++i)
        sums[static_cast<std::size_t>(id[static_cast<std::size_t>(i)])].segment(j0, w) +=
            x.row(i).segment(j0, w).transpose();
    });
    set.n += n;
  });
  LocalCommunicator alone;
  Communicator& comm = communicator != nullptr ? *communicator : alone;
  const index_t local_n = set.n;
  const index_t first_of_mine = combine_classes(comm, set, order, seen, sums, cnt);
  if (set.n < 2) {
    throw std::invalid_argument(std::string(who) + ": the batches hold " + std::to_string(set.n) +
                                " sample(s); leave-one-out needs at least 2");
  }
  set.classes = sorted_classes(order);
  const auto nc = static_cast<index_t>(set.classes.size());
  if (nc < 2) {
    throw std::invalid_argument(std::string(who) + ": y has only one class \"" +
                                set.classes.front() + "\"; a classifier needs at least 2 classes");
  }
  const index_t f = set.n_features, nt = nc == 2 ? 1 : nc;
  std::vector<VectorD> class_sum(static_cast<std::size_t>(nc));
  set.count.assign(static_cast<std::size_t>(nc), 0);
  {
    const std::vector<index_t> sorted_id = class_indices(order, set.classes);
    for (std::size_t j = 0; j < order.size(); ++j) {
      const auto k = static_cast<std::size_t>(sorted_id[j]);
      class_sum[k] = std::move(sums[j]);
      set.count[k] = cnt[j];
    }
  }

  // The weighting: as asked; choose takes the one its chi-square test prefers (see
  // ClassWeight::choose), balanced when the classes are of equal size.
  const ClassWeight used = weightings(params_.class_weight, set.count).front();
  set.weight = VectorD::Ones(nc);
  if (used == ClassWeight::balanced) {
    for (index_t k = 0; k < nc; ++k)
      set.weight(k) =
          static_cast<double>(set.n) /
          (static_cast<double>(nc) * static_cast<double>(set.count[static_cast<std::size_t>(k)]));
  }
  set.x_offset = VectorD::Zero(f);
  set.y_offset = VectorD::Zero(nt);
  for (index_t k = 0; k < nc; ++k)
    set.weight_sum += set.weight(k) * static_cast<double>(set.count[static_cast<std::size_t>(k)]);
  if (params_.fit_intercept) {
    Eigen::RowVectorXd t(nt);
    for (index_t k = 0; k < nc; ++k) {
      const auto uk = static_cast<std::size_t>(k);
      set.x_offset += set.weight(k) * class_sum[uk];
      target_row(k, nc, t);
      set.y_offset += (set.weight(k) * static_cast<double>(set.count[uk])) * t.transpose();
    }
    set.x_offset /= set.weight_sum;
    set.y_offset /= set.weight_sum;
  }
  class_sum.clear();

  // Labels of a later pass: the classes of pass 1, as many samples.
  const auto labels_of = [&](const std::vector<std::string>& y, index_t& seen_so_far) {
    seen_so_far += static_cast<index_t>(y.size());
    const bool unknown = std::any_of(y.begin(), y.end(),
                                     [&](const std::string& label) { return !seen.count(label); });
    if (unknown || seen_so_far > local_n) {
      throw std::runtime_error(std::string(who) +
                               ": the batches changed between passes (another label or more "
                               "samples than the first pass saw)");
    }
    return class_indices(y, set.classes);
  };
  const auto check_pass_end = [&](index_t seen_so_far) {
    if (seen_so_far != local_n) {
      throw std::runtime_error(std::string(who) + ": a later pass saw " +
                               std::to_string(seen_so_far) + " samples, the first " +
                               std::to_string(local_n));
    }
  };

  // A batch of a later pass: as many labels as rows, the features of pass 1.
  const auto check_batch = [&](const Eigen::Ref<const RowMatrixD>& x,
                               const std::vector<std::string>& y) {
    if (x.cols() != f || static_cast<index_t>(y.size()) != x.rows()) {
      throw std::runtime_error(std::string(who) + ": a later pass gave a batch of " +
                               std::to_string(x.rows()) + " x " + std::to_string(x.cols()) +
                               " features with " + std::to_string(y.size()) +
                               " labels; the first pass's batches had " + std::to_string(f) +
                               " features and a label per sample");
    }
  };

  // Pass 2: A^T A, A^T y and u^T y (u = sqrt_sw / |sqrt_sw|).
  detail::LowerPanels cov(f);
  ColMatrix<double> aty = ColMatrix<double>::Zero(f, nt);
  Eigen::RowVectorXd uy = Eigen::RowVectorXd::Zero(nt);
  const double s_norm = std::sqrt(set.weight_sum);
  index_t seen2 = 0;
  pass([&](const Eigen::Ref<const RowMatrixD>& x, const std::vector<std::string>& y) {
    if (x.rows() == 0 && y.empty()) return;
    check_batch(x, y);
    const detail::GcvInput in = batch_input(set, labels_of(y, seen2), params_, threads);
    detail::covariance_add<double>(x, in, cov);
    aty += detail::design_transpose_times<double>(x, in, in.y);
    uy += (in.sqrt_sw.transpose() * in.y) / s_norm;
  });
  check_pass_end(seen2);
  comm.sum(cov.storage(), cov.storage_size());
  comm.sum(aty.data(), static_cast<std::size_t>(aty.size()));
  comm.sum(uy.data(), static_cast<std::size_t>(uy.size()));
  const detail::CovarianceSolution sol =
      detail::solve_covariance(std::move(cov), aty, params_.alphas, threads);

  // Pass 3: the leave-one-out errors, hits and decision values of every alpha for the
  // samples of loo_rows(), this process's [mine, mine_end) of them.
  const auto na = static_cast<index_t>(params_.alphas.size());
  const std::vector<index_t> rows = loo_rows(set.n, loo_sample);
  const auto n_loo = static_cast<index_t>(rows.size());
  const auto row_at_or_after = [&](index_t position) {
    return static_cast<index_t>(std::lower_bound(rows.begin(), rows.end(), position) -
                                rows.begin());
  };
  const index_t mine = row_at_or_after(first_of_mine);
  const index_t mine_end = row_at_or_after(first_of_mine + local_n);
  VectorD err_sum = VectorD::Zero(na), hit_sum = VectorD::Zero(na);
  // Row k: sample rows[k] (of whichever process holds it; zero elsewhere).
  ColMatrix<double> loo_dec = ColMatrix<double>::Zero(n_loo, na * nt);
  VectorD loo_class = VectorD::Zero(n_loo);
  index_t next = mine;  // the next sample of this process's share to be seen
  const auto add_loo = [&](const Eigen::Ref<const RowMatrixD>& x, const std::vector<index_t>& yi) {
    const detail::GcvInput in = batch_input(set, yi, params_, threads);
    VectorD u;
    if (in.center) u = in.sqrt_sw / s_norm;
    ColMatrix<double> err, hit, dec;
    detail::covariance_loo<double>(x, in, sol, u, uy, err, hit, dec);
    err_sum += err.colwise().sum().transpose();
    hit_sum += hit.colwise().sum().transpose();
    loo_dec.middleRows(next, x.rows()) = dec;
    for (index_t i = 0; i < x.rows(); ++i)
      loo_class(next + i) = static_cast<double>(yi[static_cast<std::size_t>(i)]);
    next += x.rows();
  };
  const std::vector<index_t> mine_rows(rows.begin() + mine, rows.begin() + mine_end);
  if (sample_pass) {
    index_t seen3 = 0;
    sample_pass(mine_rows, [&](const Eigen::Ref<const RowMatrixD>& x,
                               const std::vector<std::string>& y) {
      if (x.rows() == 0 && y.empty()) return;
      check_batch(x, y);
      if (next + x.rows() > mine_end) {
        throw std::runtime_error(std::string(who) + ": the sample pass gave more than the " +
                                 std::to_string(mine_end - mine) +
                                 " samples it was asked for (this process's share of loo_rows())");
      }
      add_loo(x, labels_of(y, seen3));
    });
  } else {
    index_t seen3 = 0;
    RowMatrixD picked;
    pass([&](const Eigen::Ref<const RowMatrixD>& x, const std::vector<std::string>& y) {
      if (x.rows() == 0 && y.empty()) return;
      check_batch(x, y);
      const index_t first = first_of_mine + seen3;
      const std::vector<index_t> yi = labels_of(y, seen3);
      const index_t end = row_at_or_after(first + x.rows());
      if (end == next) return;
      if (end - next == x.rows()) {  // every sample of the batch
        add_loo(x, yi);
        return;
      }
      picked.resize(end - next, f);
      std::vector<index_t> picked_y(static_cast<std::size_t>(end - next));
      for (index_t k = next; k < end; ++k) {
        const index_t i = rows[static_cast<std::size_t>(k)] - first;
        picked.row(k - next) = x.row(i);
        picked_y[static_cast<std::size_t>(k - next)] = yi[static_cast<std::size_t>(i)];
      }
      add_loo(picked, picked_y);
    });
    check_pass_end(seen3);
  }
  if (next != mine_end) {
    throw std::runtime_error(std::string(who) + ": the third pass gave " +
                             std::to_string(next - mine) + " of the " +
                             std::to_string(mine_end - mine) +
                             " samples asked for (this process's share of loo_rows())");
  }
  comm.sum(err_sum.data(), static_cast<std::size_t>(na));
  comm.sum(hit_sum.data(), static_cast<std::size_t>(na));
  comm.sum(loo_dec.data(), static_cast<std::size_t>(loo_dec.size()));
  comm.sum(loo_class.data(), static_cast<std::size_t>(loo_class.size()));
  std::vector<index_t> loo_label(static_cast<std::size_t>(n_loo));
  for (index_t r = 0; r < n_loo; ++r)
    loo_label[static_cast<std::size_t>(r)] = static_cast<index_t>(loo_class(r));

  VectorD mse, accuracy;
  const index_t best = detail::select_alpha_from_sums(err_sum, hit_sum, n_loo, nt, mse, accuracy);
  if (best < 0) {
    throw std::runtime_error(std::string(who) +
                             ": the leave-one-out error is not finite for any alpha; the alphas "
                             "are too small for the scale of the features (rescale x or use "
                             "larger alphas)");
  }
  RidgeClassifierCV m(params_);
  m.classes_ = std::move(set.classes);
  m.n_features_ = f;
  m.kept_end_ = f;
  m.class_weight_ = used;
  m.alpha_ = params_.alphas[static_cast<std::size_t>(best)];
  m.best_score_ = -mse(best);
  m.cv_mse_ = std::move(mse);
  m.cv_accuracy_ = std::move(accuracy);
  m.coef_ = detail::covariance_coef(sol, best).transpose();
  m.intercept_ =
      params_.fit_intercept ? VectorD(set.y_offset - m.coef_ * set.x_offset) : VectorD::Zero(nt);
  m.proba_scale_ =
      detail::fit_inverse_temperature(loo_dec.middleCols(best * nt, nt), loo_label, nc);
  m.cv_log_loss_ =
      detail::loo_log_loss(loo_dec.middleCols(best * nt, nt), loo_label, set.count, m.proba_scale_);
  m.fitted_ = true;
  *this = std::move(m);
  return *this;
}

template <class T>
RowMatrixD RidgeClassifierCV::decision_function(const Eigen::Ref<const RowMatrix<T>>& x) const {
  const int threads = resolve_n_jobs(params_.n_jobs, "RidgeClassifierCV");
  detail::check_predict_input<T>(x, fitted_, n_features_, "RidgeClassifierCV::decision_function()",
                                 threads);
  return detail::affine_rows<T>(x, coef_, intercept_, threads);
}

RowMatrixD RidgeClassifierCV::probabilities(const Eigen::Ref<const RowMatrixD>& decision) const {
  return probabilities(decision, proba_scale_);  // checks that the model is fitted
}

RowMatrixD RidgeClassifierCV::probabilities(const Eigen::Ref<const RowMatrixD>& decision,
                                            double inverse_temperature) const {
  const char* who = "RidgeClassifierCV::probabilities()";
  check_fitted("probabilities()");
  if (!(std::isfinite(inverse_temperature) && inverse_temperature > 0.0)) {
    throw std::invalid_argument(std::string(who) + ": inverse temperature " +
                                shortest_text(inverse_temperature) + "; need a finite value > 0");
  }
  if (decision.cols() != coef_.rows()) {
    throw std::invalid_argument(std::string(who) + ": decision values have " +
                                std::to_string(decision.cols()) + " columns, expected " +
                                std::to_string(coef_.rows()));
  }
  if (!decision.allFinite())
    throw std::invalid_argument(std::string(who) + ": a non-finite decision value");
  return detail::softmax_rows(detail::class_scores(decision), inverse_temperature);
}

template <class T>
RowMatrixD RidgeClassifierCV::predict_proba(const Eigen::Ref<const RowMatrix<T>>& x) const {
  return probabilities(decision_function<T>(x));
}

template <class T>
std::vector<index_t> RidgeClassifierCV::predict_index(
    const Eigen::Ref<const RowMatrix<T>>& x) const {
  const RowMatrixD scores = decision_function<T>(x);
  std::vector<index_t> out(static_cast<std::size_t>(scores.rows()));
  for (index_t i = 0; i < scores.rows(); ++i)
    out[static_cast<std::size_t>(i)] = detail::class_of(scores.row(i));
  return out;
}

template <class T>
std::vector<std::string> RidgeClassifierCV::predict(const Eigen::Ref<const RowMatrix<T>>& x) const {
  const std::vector<index_t> idx = predict_index<T>(x);
  std::vector<std::string> out;
  out.reserve(idx.size());
  for (index_t k : idx)
    out.push_back(classes_[static_cast<std::size_t>(k)]);
  return out;
}

template <class T>
double RidgeClassifierCV::score(const Eigen::Ref<const RowMatrix<T>>& x,
                                const std::vector<std::string>& y) const {
  if (static_cast<index_t>(y.size()) != x.rows()) {
    throw std::invalid_argument("RidgeClassifierCV::score(): x has " + std::to_string(x.rows()) +
                                " samples but y has " + std::to_string(y.size()) + " labels");
  }
  const std::vector<std::string> pred = predict<T>(x);
  if (pred.empty()) {
    throw std::invalid_argument("RidgeClassifierCV::score(): x has no samples");
  }
  std::size_t hits = 0;
  for (std::size_t i = 0; i < pred.size(); ++i)
    hits += pred[i] == y[i] ? 1 : 0;
  return static_cast<double>(hits) / static_cast<double>(pred.size());
}

void RidgeClassifierCV::validate_loaded() {
  auto fail = [](const std::string& problem) {
    detail::throw_archive_error("RidgeClassifierCV: " + problem);
  };
  try {
    params_.validate("RidgeClassifierCV");
  } catch (const std::invalid_argument& e) {
    fail(std::string("invalid parameters: ") + e.what());
  }
  if (!fitted_) return;
  const index_t nc = static_cast<index_t>(classes_.size());
  if (nc < 2) fail("classes_ has " + std::to_string(nc) + " entries; a classifier has at least 2");
  if (sorted_classes(classes_) != classes_) fail("classes_ are not distinct and sorted");
  // best_score_ is minus the chosen alpha's leave-one-out error: recomputed rather than
  // trusted (files from before format version 3 may hold an accuracy there).
  best_score_ = detail::check_loaded_ridge("RidgeClassifierCV", n_features_, coef_, intercept_,
                                           cv_mse_, params_.alphas, alpha_, nc == 2 ? 1 : nc);
  if (cv_accuracy_.size() != 0 && cv_accuracy_.size() != cv_mse_.size()) {
    fail("cv_accuracy_ has " + std::to_string(cv_accuracy_.size()) + " entries for " +
         std::to_string(cv_mse_.size()) + " alphas");
  }
  for (double v : cv_accuracy_)
    if (!(v >= 0.0 && v <= 1.0)) fail("invalid cv_accuracy_ entry");
  if (params_.class_weight == ClassWeight::choose ? class_weight_ == ClassWeight::choose
                                                  : class_weight_ != params_.class_weight) {
    fail("class_weight_ = " + ParamText<ClassWeight>::text(class_weight_) +
         " does not follow from params.class_weight = " +
         ParamText<ClassWeight>::text(params_.class_weight));
  }
  if (!(kept_begin_ >= 0 && kept_begin_ < kept_end_ && kept_end_ <= n_features_)) {
    fail("kept columns [" + std::to_string(kept_begin_) + ", " + std::to_string(kept_end_) +
         ") are not a non-empty range of the " + std::to_string(n_features_) + " features");
  }
  for (index_t c = 0; c < n_features_; ++c) {
    if ((c < kept_begin_ || c >= kept_end_) && (coef_.col(c).array() != 0.0).any()) {
      fail("coef_ column " + std::to_string(c) + " is not 0 but outside the kept columns [" +
           std::to_string(kept_begin_) + ", " + std::to_string(kept_end_) + ")");
    }
  }
  if (!(proba_scale_ >= detail::kMinInverseTemperature &&
        proba_scale_ <= detail::kMaxInverseTemperature)) {
    fail("proba_scale_ = " + shortest_text(proba_scale_) + " is outside [" +
         shortest_text(detail::kMinInverseTemperature) + ", " +
         shortest_text(detail::kMaxInverseTemperature) + "]");
  }
  if (!(std::isnan(cv_log_loss_) || (cv_log_loss_ >= 0.0 && std::isfinite(cv_log_loss_)))) {
    fail("cv_log_loss_ = " + shortest_text(cv_log_loss_) +
         " is not a cross-entropy (>= 0, or -1 for none)");
  }
}

#define STRIDER_INSTANTIATE_RIDGE(T)                                                             \
  template RidgeClassifierCV& RidgeClassifierCV::fit<T>(const Eigen::Ref<const RowMatrix<T>>&,   \
                                                        const std::vector<std::string>&,         \
                                                        const ColumnChoice&);                    \
  template RowMatrixD RidgeClassifierCV::decision_function<T>(                                   \
      const Eigen::Ref<const RowMatrix<T>>&) const;                                              \
  template RowMatrixD RidgeClassifierCV::predict_proba<T>(const Eigen::Ref<const RowMatrix<T>>&) \
      const;                                                                                     \
  template std::vector<std::string> RidgeClassifierCV::predict<T>(                               \
      const Eigen::Ref<const RowMatrix<T>>&) const;                                              \
  template std::vector<index_t> RidgeClassifierCV::predict_index<T>(                             \
      const Eigen::Ref<const RowMatrix<T>>&) const;                                              \
  template double RidgeClassifierCV::score<T>(const Eigen::Ref<const RowMatrix<T>>&,             \
                                              const std::vector<std::string>&) const;

STRIDER_INSTANTIATE_RIDGE(float)
STRIDER_INSTANTIATE_RIDGE(double)

#undef STRIDER_INSTANTIATE_RIDGE

}  // namespace strider
