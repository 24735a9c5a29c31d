#pragma once
/// @file series_source.hpp
/// @brief strider::SeriesSource: a labelled set of series read in batches, for fits whose
/// training set is larger than memory (KernelClassifier::fit_batches()).

#include <string>

#include "strider/panel.hpp"

namespace strider {

/**
 * @brief A labelled set of series that can be read batch by batch, from the start, any
 * number of times, with the same series in the same order each time.
 *
 * Implementations: PanelSource (a Panel in memory, for tests and comparisons),
 * datasets::CylinderBellFunnelSource (generated), io::FileSource (a file read a batch
 * at a time).
 */
class SeriesSource {
 public:
  virtual ~SeriesSource() = default;

  /// The number of series.
  virtual index_t n_series() const = 0;
  /**
   * @brief Goes to series `first`: the next batch starts there (a fit spread over several
   * processes reads each process's share, and the kernel sample, this way).
   * @throws std::invalid_argument unless 0 <= first <= n_series()
   */
  void seek(index_t first);
  /// Goes back to the first series: seek(0).
  void rewind() { seek(0); }
  /**
   * @brief The next at most max_series series (max_series >= 1), labelled (a source may
   * return fewer, at least one, e.g. to bound a batch's bytes); an empty panel once every
   * series was read. A failed read leaves the position where it was.
   * @throws std::invalid_argument (or io errors) naming the series that cannot be read
   */
  Panel next(index_t max_series);
  /// What the series are, for messages ("file Foo_TRAIN.tsv", "CBF, seed 0").
  virtual std::string describe() const = 0;

 protected:
  /// Series [first, first + count) (count >= 1, all in the set), or its first k >= 1.
  virtual Panel read(index_t first, index_t count) = 0;

 private:
  index_t position_ = 0;
};

/// A Panel in memory as a SeriesSource: batches are consecutive series. The panel must
/// be labelled and outlive the source.
class PanelSource final : public SeriesSource {
 public:
  /// @throws std::invalid_argument when x has no labels
  explicit PanelSource(const Panel& x);
  index_t n_series() const override { return x_.n_series(); }
  std::string describe() const override { return x_.summary(); }

 protected:
  Panel read(index_t first, index_t count) override;

 private:
  const Panel& x_;
};

}  // namespace strider
