#pragma once
/// @file panel.hpp
/// @brief strider::Panel: N series x C channels x T_max points, with per-series lengths
/// and optional class labels. The input of every transform and classifier.

#include <string>
#include <vector>

#include "strider/detail/xtensor.hpp"
#include "strider/labels.hpp"
#include "strider/types.hpp"

namespace strider {

/**
 * @brief A collection of (possibly multivariate, possibly variable-length) time series.
 *
 * Storage: one contiguous row-major buffer of shape n_series x n_channels x max_length
 * (`data()`), so channel c of series i is the contiguous run
 * `series(i, c)[0 .. length(i) - 1]`. Series shorter than `max_length()` are padded on
 * the right with 0.0 past their length (the constructor enforces it); those padding
 * values are not part of the series and algorithms must stop at `length(i)`.
 * All channels of a series share its length. NaN values inside a series are kept as
 * missing values; the estimators decide what to do with them.
 *
 * Labels (optional): one string per series, kept exactly as read. `classes()` is the
 * sorted set of distinct labels, like scikit-learn's `classes_`; `y()` maps each series
 * to its index in `classes()`. Sort order (sorted_classes() in labels.hpp): numeric when
 * every label parses as a number (so "2" < "10", and "1" and "1.0" stay distinct classes
 * ordered by their text when equal in value), lexicographic otherwise.
 */
class Panel {
 public:
  /// The storage type: n_series x n_channels x max_length, row-major.
  using Tensor = xt::xtensor<double, 3>;

  /// An empty panel (0 series, 0 channels, 0 points).
  Panel() = default;

  /**
   * @brief Equal-length panel that takes ownership of `data` (moved in, never copied).
   * @param data n_series x n_channels x n_timepoints
   * @throws std::invalid_argument when n_series > 0 and n_channels or n_timepoints is 0
   */
  explicit Panel(Tensor data);

  /**
   * @brief Variable-length panel that takes ownership of `data`.
   * @param data    n_series x n_channels x max_length; values past each length are zeroed
   * @param lengths n_series entries, each in [1, max_length]
   * @throws std::invalid_argument on a size mismatch or a length outside [1, max_length]
   */
  Panel(Tensor data, std::vector<index_t> lengths);

  /// As above, with one label per series (see the class comment).
  /// @throws std::invalid_argument when labels.size() != n_series
  Panel(Tensor data, std::vector<index_t> lengths, std::vector<std::string> labels);

  /**
   * @brief Univariate equal-length panel from an xtensor matrix, without copying
   * (the storage is moved into the 3-D tensor).
   * @param data n_series x n_timepoints
   */
  static Panel from_matrix(xt::xtensor<double, 2>&& data);

  /**
   * @brief Copies a raw row-major buffer of n_series x n_channels x n_timepoints values.
   * @throws std::invalid_argument when data is null with a non-zero size, or a size is < 0
   */
  static Panel from_buffer(const double* data, index_t n_series, index_t n_channels,
                           index_t n_timepoints);

  /**
   * @brief Univariate equal-length panel copied from an Eigen matrix.
   * @param x n_series x n_timepoints (any storage order)
   */
  static Panel from_eigen(const Eigen::Ref<const RowMatrixD>& x);

  /// Number of series (N).
  index_t n_series() const noexcept { return static_cast<index_t>(data_.shape(0)); }
  /// Number of channels (C), 1 for univariate data.
  index_t n_channels() const noexcept { return static_cast<index_t>(data_.shape(1)); }
  /// Length of the longest series (T_max), the last dimension of data().
  index_t max_length() const noexcept { return static_cast<index_t>(data_.shape(2)); }
  /// Length of the shortest series (0 for an empty panel).
  index_t min_length() const noexcept;
  /// True when every series has max_length() points.
  bool equal_length() const noexcept;
  /// Length of series i. @throws std::out_of_range
  index_t length(index_t i) const;
  /// All lengths, n_series entries.
  const std::vector<index_t>& lengths() const noexcept { return lengths_; }
  /// True if some value inside a series (not padding) is NaN.
  bool has_missing() const noexcept;

  /// The whole buffer, n_series x n_channels x max_length.
  const Tensor& data() const noexcept { return data_; }
  /// Pointer to channel c of series i: length(i) valid values, then zero padding.
  /// @throws std::out_of_range
  const double* series(index_t i, index_t c = 0) const;
  /// Unchecked element access (asserts in debug builds).
  double operator()(index_t i, index_t c, index_t t) const noexcept {
    return data_.data()[(i * n_channels() + c) * max_length() + t];
  }
  /// Checked element access: t must be < length(i).
  /// @throws std::out_of_range naming the index and the bound
  double at(index_t i, index_t c, index_t t) const;

  /// True when labels were given.
  bool has_labels() const noexcept { return labelled_; }
  /// The label strings as given, one per series (empty when unlabelled).
  const std::vector<std::string>& labels() const noexcept { return labels_; }
  /// Sorted distinct labels (see the class comment for the order).
  const std::vector<std::string>& classes() const noexcept { return classes_; }
  /// Class index of each series into classes(), n_series entries.
  const std::vector<index_t>& y() const noexcept { return y_; }
  /// Number of distinct classes.
  index_t n_classes() const noexcept { return static_cast<index_t>(classes_.size()); }
  /// Sets or replaces the labels. @throws std::invalid_argument on a size mismatch
  void set_labels(std::vector<std::string> labels);

  /// The series at `rows` (in that order), with their lengths and labels; copies.
  /// @throws std::out_of_range on an index outside [0, n_series)
  Panel subset(const std::vector<index_t>& rows) const;

  /// One line: "N series x C channels, length L (or min-max), K classes".
  std::string summary() const;

  /**
   * @brief Records where the series were read from, for error messages: the file and the
   * line (counting from 1) on which each series starts. The dataset readers set it;
   * subset() keeps it.
   * @throws std::invalid_argument when lines.size() != n_series()
   */
  void set_source(std::string file, std::vector<index_t> lines);
  /// The file set by set_source() (empty when the panel was not read from a file).
  const std::string& source_file() const noexcept { return source_file_; }
  /// The line of each series set by set_source() (empty when not read from a file).
  const std::vector<index_t>& source_lines() const noexcept { return source_lines_; }
  /**
   * @brief Names point t of channel c of series i for a message, counting as the user
   * does: "<file> line L, channel c+1, value t+1" (all from 1, as in the file) when the
   * panel was read from a file, else "series i, channel c, position t" (indices from 0,
   * as in the API).
   */
  std::string describe_point(index_t i, index_t c, index_t t) const;
  /// As describe_point() for a whole series: "<file> line L" or "series i".
  std::string describe_series(index_t i) const;

 private:
  void check_lengths();
  Tensor data_ = Tensor::from_shape({0, 0, 0});
  std::vector<index_t> lengths_;
  std::vector<std::string> labels_;
  std::vector<std::string> classes_;
  std::vector<index_t> y_;
  bool labelled_ = false;
  std::string source_file_;
  std::vector<index_t> source_lines_;
};

/// A train/test pair of panels (a dataset's two splits).
struct TrainTest {
  Panel train;
  Panel test;
};

}  // namespace strider
