#pragma once
/// @file strided_windows.hpp
/// @brief StridedWindows: a zero-copy (n_windows x length) view of the dilated windows of
/// a zero-padded series, the input of every dilated kernel.
///
/// Source: a parallel Python talk, `generate_strides_1D` and `convolve_x` (convst): from
/// X = x_0..x_{n-1}, a length l and a dilation d, window i is
/// [x_i, x_{i+d}, ..., x_{i+(l-1)d}], built with numpy's `as_strided` on a copy of x
/// padded with p zeros on each side. The document gives the timing of the whole transform
/// (51.3 s without numba, 1.78 s with, 1500 series of 150 points, 8 cores), not of this
/// view alone.
///
/// Definition: with xpad = (p zeros, x_0..x_{n-1}, p zeros) of length n + 2p,
///     W(i, j) = xpad[i + j*d],  0 <= i < n_windows = n + 2p - (l-1)*d,  0 <= j < l.
/// What differs from the document's code and why:
/// - Zero-copy even with padding: the padding is virtual (W returns 0 outside x), where
///   `convolve_x` allocates and fills a padded copy for every (series, kernel) pair.
/// - The document's code does not check that a window fits: when (l-1)*d >= n + 2p it
///   asks `as_strided` for a zero or negative number of windows. Here that is an error
///   naming n, l, d and p.
/// - Fast loops: operator() tests for padding on every value; valid_columns(i) gives the
///   contiguous columns of window i that read x, so a loop can handle the padding once
///   per window (and map() serves the unpadded case as an Eigen expression).
/// - `convolve_x` writes `x_pad[padding:-padding] = x`; fine for p > 0, but the same
///   slicing with p = 0 would select nothing, which is why the document special-cases it;
///   nothing to special-case here.

#include <algorithm>
#include <cassert>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>

#include <Eigen/Core>

#include "strider/types.hpp"

namespace strider::utils {

/**
 * @brief View W(i, j) = xpad[i + j*d] of a series x, shape n_windows x length.
 *
 * Holds a pointer to x: x must outlive the view and is never copied or modified.
 * NaN values in x are passed through (the view does not inspect values).
 * @tparam T the element type (double, float, ...)
 */
template <class T>
class StridedWindows {
 public:
  /**
   * @param x        the series, n >= 1 values (not copied)
   * @param length   l >= 1 values per window
   * @param dilation d >= 1 between consecutive window values
   * @param padding  p >= 0 zeros virtually added on each side
   * @throws std::invalid_argument when x is empty, l < 1, d < 1, p < 0, or no window fits
   *         (n + 2p - (l-1)d <= 0); the message names n, l, d and p
   */
  StridedWindows(std::span<const T> x, index_t length, index_t dilation, index_t padding = 0)
      : data_(x.data()),
        n_(static_cast<index_t>(x.size())),
        length_(length),
        dilation_(dilation),
        padding_(padding) {
    const auto describe = [&] {
      return " (n = " + std::to_string(n_) + ", length = " + std::to_string(length) +
             ", dilation = " + std::to_string(dilation) + ", padding = " + std::to_string(padding) +
             ")";
    };
    if (n_ < 1) throw std::invalid_argument("StridedWindows: the series is empty" + describe());
    if (length < 1 || dilation < 1 || padding < 0) {
      throw std::invalid_argument(
          "StridedWindows: need length >= 1, dilation >= 1 and padding >= 0" + describe());
    }
    // n_windows = n + 2p - (l-1)d, computed without overflow.
    constexpr index_t kMax = std::numeric_limits<index_t>::max();
    if (padding > (kMax - n_) / 2) {
      throw std::invalid_argument("StridedWindows: padding too large" + describe());
    }
    const index_t padded = n_ + 2 * padding;
    if (length > 1 && dilation > (padded - 1) / (length - 1)) {
      throw std::invalid_argument(
          "StridedWindows: no window fits, the window spans (length - 1) * dilation + 1 "
          "values but the padded series has n + 2 * padding = " +
          std::to_string(padded) + describe());
    }
    n_windows_ = padded - (length - 1) * dilation;
  }

  index_t n_windows() const noexcept { return n_windows_; }
  index_t window_length() const noexcept { return length_; }
  index_t dilation() const noexcept { return dilation_; }
  index_t padding() const noexcept { return padding_; }
  /// Length n of the underlying series.
  index_t series_length() const noexcept { return n_; }

  /// W(i, j) = xpad[i + j*d]: x[i + j*d - p] inside the series, 0 in the padding.
  /// Preconditions (asserted): 0 <= i < n_windows(), 0 <= j < window_length().
  T operator()(index_t i, index_t j) const noexcept {
    assert(i >= 0 && i < n_windows_ && j >= 0 && j < length_);
    const index_t k = i + j * dilation_ - padding_;
    return (k >= 0 && k < n_) ? data_[k] : T(0);
  }

  /// Columns [begin, end) of a window whose values come from x; the others are padding.
  struct ColumnRange {
    index_t begin;  ///< first column inside x
    index_t end;    ///< one past the last column inside x (begin == end: all padding)
  };

  /**
   * @brief The columns of window i that read x: j with 0 <= i + j*d - p < n. They are
   * contiguous; columns before `begin` and from `end` on are padding zeros. With
   * valid_data(), a loop over a window needs no per-value padding test.
   * Precondition (asserted): 0 <= i < n_windows().
   */
  ColumnRange valid_columns(index_t i) const noexcept {
    assert(i >= 0 && i < n_windows_);
    const index_t lo = padding_ - i;           // need j * d >= lo
    const index_t hi = n_ - 1 + padding_ - i;  // need j * d <= hi
    if (hi < 0) return {0, 0};
    const index_t begin = lo <= 0 ? 0 : (lo - 1) / dilation_ + 1;  // ceil, no overflow
    const index_t end = std::min(length_, hi / dilation_ + 1);
    return begin < end ? ColumnRange{begin, end} : ColumnRange{end, end};
  }

  /// Pointer to W(i, valid_columns(i).begin): W(i, j) = valid_data(i)[(j - begin) * d]
  /// for j in the valid range. Precondition (asserted): that range is not empty.
  const T* valid_data(index_t i) const noexcept {
    const ColumnRange r = valid_columns(i);
    assert(r.begin < r.end);
    return data_ + (i + r.begin * dilation_ - padding_);
  }

  /// First window that lies entirely inside x (no padding value): min(p, n_windows).
  index_t inner_begin() const noexcept { return std::min(padding_, n_windows_); }
  /// One past the last window entirely inside x; inner_begin() when there is none.
  /// Windows i in [inner_begin(), inner_end()) can be read without the padding test
  /// through inner_window().
  index_t inner_end() const noexcept {
    return std::max(inner_begin(), std::min(n_windows_, n_ + padding_ - (length_ - 1) * dilation_));
  }
  /// Pointer to W(i, 0) for an inner window: W(i, j) = inner_window(i)[j * dilation()].
  /// Precondition (asserted): inner_begin() <= i < inner_end().
  const T* inner_window(index_t i) const noexcept {
    assert(i >= inner_begin() && i < inner_end());
    return data_ + (i - padding_);
  }

  /// The Eigen map type of the unpadded view: row-major, row stride 1, column stride d.
  using Map = Eigen::Map<const RowMatrix<T>, Eigen::Unaligned,
                         Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>>;

  /**
   * @brief The windows as an Eigen expression over x itself (outer stride 1, inner
   * stride d), usable in any Eigen arithmetic; only for padding 0.
   * @throws std::logic_error when padding() > 0 (padding cannot be a strided map)
   */
  Map map() const {
    if (padding_ > 0) {
      throw std::logic_error("StridedWindows::map(): padding = " + std::to_string(padding_) +
                             " > 0; use operator() or to_matrix()");
    }
    return Map(data_, n_windows_, length_,
               Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>(1, dilation_));
  }

  /// A copy of the view as an owning n_windows x length matrix.
  RowMatrix<T> to_matrix() const {
    RowMatrix<T> m(n_windows_, length_);
    for (index_t i = 0; i < n_windows_; ++i)
      for (index_t j = 0; j < length_; ++j)
        m(i, j) = (*this)(i, j);
    return m;
  }

 private:
  const T* data_;
  index_t n_;
  index_t length_;
  index_t dilation_;
  index_t padding_;
  index_t n_windows_ = 0;
};

}  // namespace strider::utils
