// KernelClassifier::fit_batches(): the classifier fitted on a SeriesSource, a batch of
// series at a time (see classifier.hpp).

#include <algorithm>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "linear/linear_common.hpp"
#include "pipeline.hpp"
#include "strider/classifier.hpp"
#include "strider/memory.hpp"
#include "strider/parallel.hpp"
#include "strider/serialization.hpp"

namespace strider {

namespace {

void check_options(const BatchFitOptions& o) {
  const auto positive = [](index_t v, const char* name) {
    if (v < 1) {
      throw std::invalid_argument(std::string("KernelClassifier::fit_batches(): ") + name + " = " +
                                  std::to_string(v) + "; expected >= 1");
    }
  };
  positive(o.batch_size, "batch_size");
  positive(o.kernel_sample, "kernel_sample");
  positive(o.loo_sample, "loo_sample");
}

/// The panels one after the other (padded to the longest), labelled.
Panel concatenate(const std::vector<Panel>& parts) {
  index_t n = 0, c = 0, t = 0;
  for (const Panel& p : parts) {
    if (p.n_series() == 0) continue;
    if (c != 0 && p.n_channels() != c) {
      throw std::invalid_argument("KernelClassifier::fit_batches(): a batch has " +
                                  std::to_string(p.n_channels()) + " channels, the first had " +
                                  std::to_string(c));
    }
    c = p.n_channels();
    n += p.n_series();
    t = std::max(t, p.max_length());
  }
  Panel::Tensor data = Panel::Tensor::from_shape(
      {static_cast<std::size_t>(n), static_cast<std::size_t>(c), static_cast<std::size_t>(t)});
  data.fill(0.0);
  std::vector<index_t> lengths;
  std::vector<std::string> labels;
  lengths.reserve(static_cast<std::size_t>(n));
  labels.reserve(static_cast<std::size_t>(n));
  index_t row = 0;
  for (const Panel& p : parts) {
    for (index_t i = 0; i < p.n_series(); ++i, ++row) {
      for (index_t ch = 0; ch < c; ++ch)
        std::copy_n(p.series(i, ch), p.max_length(), data.data() + (row * c + ch) * t);
      lengths.push_back(p.length(i));
      labels.push_back(p.labels()[static_cast<std::size_t>(i)]);
    }
  }
  return Panel(std::move(data), std::move(lengths), std::move(labels));
}

/// Series [begin, end) of a source: one process's share.
struct Share {
  index_t begin = 0, end = 0;
};

Share share_of(index_t n, const Communicator& comm) {
  const auto r = static_cast<index_t>(comm.rank()), p = static_cast<index_t>(comm.size());
  return {n / p * r + std::min(r, n % p), n / p * (r + 1) + std::min(r + 1, n % p)};
}

/// Reads the series of `share` once, batch by batch; visit(batch, position of its first).
template <class Visit>
void each_batch(SeriesSource& x, Share share, index_t batch_size, Visit visit) {
  x.seek(share.begin);
  for (index_t first = share.begin; first < share.end;) {
    // Never empty: SeriesSource::next() reads at least one series before the end.
    Panel batch = x.next(std::min(batch_size, share.end - first));
    if (!batch.has_labels()) {
      throw std::invalid_argument("KernelClassifier::fit_batches(): " + x.describe() +
                                  ": the series from " + std::to_string(first) + " have no labels");
    }
    visit(batch, first);
    first += batch.n_series();
  }
}

/// The series `rows` (increasing) in batches of at most batch_size: a batch whose rows
/// are consecutive is read as such, the others' rows one by one.
template <class Visit>
void each_batch_of_rows(SeriesSource& x, const std::vector<index_t>& rows, index_t batch_size,
                        Visit visit) {
  for (std::size_t k = 0; k < rows.size();) {
    const std::size_t end = std::min(rows.size(), k + static_cast<std::size_t>(batch_size));
    if (rows[end - 1] - rows[k] == static_cast<index_t>(end - k) - 1) {
      each_batch(x, {rows[k], rows[end - 1] + 1}, batch_size,
                 [&](const Panel& batch, index_t) { visit(batch); });
    } else {
      std::vector<Panel> parts;
      for (std::size_t j = k; j < end; ++j)
        each_batch(x, {rows[j], rows[j] + 1}, 1,
                   [&](const Panel& one, index_t) { parts.push_back(one); });
      visit(concatenate(parts));
    }
    k = end;
  }
}

/// The kernel sample: series 0, stride, 2 stride... of the whole source (the same on
/// every process).
Panel kernel_sample(SeriesSource& x, index_t stride, index_t batch_size) {
  std::vector<index_t> rows;
  for (index_t i = 0; i < x.n_series(); i += stride)
    rows.push_back(i);
  std::vector<Panel> parts;
  each_batch_of_rows(x, rows, batch_size, [&](const Panel& batch) { parts.push_back(batch); });
  return concatenate(parts);
}

/// Every process must fit the same thing: the same number of series, the same source
/// and the same kernels (same params, same sample). Refused otherwise, naming the first
/// process that differs from process 0.
void check_same_fit(Communicator& comm, index_t n, const std::string& source,
                    const std::string& transform_bytes) {
  if (comm.size() == 1) return;
  const std::string mine = std::to_string(n) + "\n" + source + "\n" +
                           std::to_string(std::hash<std::string>{}(transform_bytes));
  const std::vector<std::string> all = comm.all_gather(mine);
  for (std::size_t r = 1; r < all.size(); ++r) {
    if (all[r] != all[0]) {
      throw std::invalid_argument(
          "KernelClassifier::fit_batches(): process " + std::to_string(r) +
          " fits another set or other kernels than process 0 (series count, source or "
          "kernels differ: every process must read the same source with the same params)");
    }
  }
}

/// The scaler of the whole set from each process's: merged in rank order.
StandardScaler merge_scalers(const StandardScaler& mine, Communicator& comm) {
  if (comm.size() == 1) return mine;
  std::string bytes;
  if (mine.is_fitted()) bytes = to_bytes(mine);
  const std::vector<std::string> all = comm.all_gather(bytes);
  StandardScaler merged(mine.params());
  for (const std::string& b : all)
    if (!b.empty()) merged.merge(from_bytes<StandardScaler>(b));  // keeps merged's params
  return merged;
}

}  // namespace

std::uint64_t KernelClassifier::fit_batches_memory(const Panel& sample, index_t n_classes,
                                                   const BatchFitOptions& options) const {
  DilatedKernelTransform probe(params_.transform);
  const std::uint64_t kernels = probe.fit_memory(sample);
  const auto f = static_cast<std::uint64_t>(params_.transform.features_per_kernel() *
                                            params_.transform.n_kernels);
  const std::uint64_t ridge = RidgeClassifierCV::fit_batches_memory(
      static_cast<index_t>(f), n_classes, params_.ridge.alphas.size(), options.loo_sample);
  // One batch: its series (about as long as the sample's), its features in T and in
  // double, the kernel sample kept.
  const auto per_series =
      static_cast<std::uint64_t>(sample.n_channels() * sample.max_length()) * 8 + f * 16;
  return std::max(kernels, ridge + static_cast<std::uint64_t>(options.batch_size) * per_series) +
         static_cast<std::uint64_t>(sample.n_series()) *
             static_cast<std::uint64_t>(sample.n_channels() * sample.max_length()) * 8;
}

KernelClassifier& KernelClassifier::fit_batches(SeriesSource& x, const BatchFitOptions& options) {
  check_options(options);
  params_.validate();
  if (params_.float32) {
    fit_batches_impl<float>(x, options);
  } else {
    fit_batches_impl<double>(x, options);
  }
  return *this;
}

template <class T>
void KernelClassifier::fit_batches_impl(SeriesSource& x, const BatchFitOptions& options) {
  const char* who = "KernelClassifier::fit_batches()";
  const index_t n = x.n_series();
  if (n < 2) {
    throw std::invalid_argument(std::string(who) + ": " + x.describe() + " holds " +
                                std::to_string(n) + " series; a fit needs at least 2");
  }
  LocalCommunicator alone;
  Communicator& comm = options.communicator != nullptr ? *options.communicator : alone;
  const Share share = share_of(n, comm);

  // Pass 1: the kernel sample, evenly spaced through the set, read by every process.
  const index_t stride =
      std::max<index_t>(1, (n + options.kernel_sample - 1) / options.kernel_sample);
  const Panel sample = kernel_sample(x, stride, options.batch_size);
  BatchFitOptions counted = options;  // the leave-one-out sample holds at most the set
  counted.loo_sample = std::min(options.loo_sample, n);
  detail::check_fit_memory(
      fit_batches_memory(sample, std::max<index_t>(sample.n_classes(), 2), counted), memory_limit_,
      who, n, params_.transform, params_.float32);

  // Progress: the sample, three passes over this process's share, then its share of the
  // leave-one-out sample.
  const std::vector<index_t> loo_rows = RidgeClassifierCV::loo_rows(n, options.loo_sample);
  const auto loo_mine =
      static_cast<index_t>(std::lower_bound(loo_rows.begin(), loo_rows.end(), share.end) -
                           std::lower_bound(loo_rows.begin(), loo_rows.end(), share.begin));
  const index_t total = sample.n_series() + 3 * (share.end - share.begin) + loo_mine;
  index_t read = sample.n_series();
  const auto advance = [&](index_t k) {
    read += k;
    if (progress_) progress_(read, total);
  };
  advance(0);

  KernelClassifierParams fitted_params = params_;
  fitted_params.choose_normalization = false;
  fitted_params.choose_representation = false;
  fitted_params.choose_features = false;
  DilatedKernelTransform transform(fitted_params.transform);
  transform.set_memory_limit(memory_limit_);
  transform.fit(sample);
  check_same_fit(comm, n, x.describe(), to_bytes(transform));
  const VectorD factor = detail::weight_factor<T>(fitted_params, transform, transform.n_features());

  // Pass 2: the scaler's statistics.
  StandardScaler local_scaler(fitted_params.scaler);
  each_batch(x, share, options.batch_size, [&](const Panel& batch, index_t) {
    const RowMatrix<T> f = transform.template transform<T>(batch);
    local_scaler.template partial_fit<T>(f);
    advance(batch.n_series());
  });
  StandardScaler scaler = merge_scalers(local_scaler, comm);

  // Passes 3 to 5: the ridge, on the standardised and weighted features; the last pass
  // reads and transforms only the leave-one-out sample.
  RidgeClassifierCV ridge(fitted_params.ridge);
  const int threads = resolve_n_jobs(fitted_params.ridge.n_jobs, who);
  RowMatrixD fd;  // float features as doubles: one buffer, as large as the largest batch,
                  // written in parallel, so its pages are touched once, not once per batch
  const auto visit_features = [&](const Panel& batch,
                                  const RidgeClassifierCV::BatchVisitor& visit) {
    RowMatrix<T> f = transform.template transform<T>(batch);
    scaler.template transform_inplace<T>(f, factor);
    if constexpr (std::is_same_v<T, double>) {
      visit(f, batch.labels());
    } else {
      if (fd.rows() < f.rows() || fd.cols() != f.cols()) fd.resize(f.rows(), f.cols());
      parallel_for(0, detail::n_blocks(f.rows(), detail::kRowBlock), threads, [&](index_t b) {
        const index_t r0 = b * detail::kRowBlock;
        const index_t rn = std::min(detail::kRowBlock, f.rows() - r0);
        fd.middleRows(r0, rn) = f.middleRows(r0, rn).template cast<double>();
      });
      visit(fd.topRows(f.rows()), batch.labels());
    }
    advance(batch.n_series());
  };
  ridge.fit_batches(
      [&](const RidgeClassifierCV::BatchVisitor& visit) {
        each_batch(x, share, options.batch_size,
                   [&](const Panel& batch, index_t) { visit_features(batch, visit); });
      },
      options.loo_sample, &comm,
      [&](const std::vector<index_t>& rows, const RidgeClassifierCV::BatchVisitor& visit) {
        each_batch_of_rows(x, rows, options.batch_size,
                           [&](const Panel& batch) { visit_features(batch, visit); });
      });

  params_ = std::move(fitted_params);
  transform_ = std::move(transform);
  scaler_ = std::move(scaler);
  ridge_ = std::move(ridge);
  timings_ = {};
  if (progress_) transform_.set_progress_callback(progress_);
}

template void KernelClassifier::fit_batches_impl<float>(SeriesSource&, const BatchFitOptions&);
template void KernelClassifier::fit_batches_impl<double>(SeriesSource&, const BatchFitOptions&);

}  // namespace strider
