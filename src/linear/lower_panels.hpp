#pragma once
// Private: the lower triangle of a symmetric n x n matrix, stored by column panels.
//
// Panel p holds the columns [p w, p w + w_p) (w = kWidth; the last panel may be
// narrower) for the rows [p w, n), column-major with leading dimension n - p w. An owning
// LowerPanels keeps the panels back to back: n (n + w) / 2 doubles instead of n^2, which
// halves the covariance matrix of a wide ridge (40,000 features: 6.4 GB instead of 12.8).
// A view over a dense column-major matrix sees the same panels inside it, so the code
// that works panel by panel (the symmetric accumulation, the tridiagonal reduction) is
// the same for both.
//
// block(r0, c0, rn, cn) is an Eigen map of rows [r0, r0 + rn) and columns [c0, c0 + cn),
// valid when the columns lie in one panel and r0 is at or below that panel's first row.
// The entries of a panel above the diagonal are stored but not part of the triangle:
// reads see whatever was written there.

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "strider/types.hpp"

namespace strider::detail {

class LowerPanels {
 public:
  static constexpr index_t kWidth = 256;  ///< panel width; the tiles of accumulate_lower
  using Block = Eigen::Map<ColMatrix<double>, 0, Eigen::OuterStride<>>;
  using ConstBlock = Eigen::Map<const ColMatrix<double>, 0, Eigen::OuterStride<>>;

  LowerPanels() = default;

  /// An owning n x n triangle, zeroed.
  explicit LowerPanels(index_t n)
      : n_(n), storage_(static_cast<std::size_t>(stored(n)), 0.0), data_(storage_.data()) {}

  /// The panels of the dense column-major matrix m (square, any outer stride); m must
  /// outlive the view.
  static LowerPanels view(Eigen::Ref<ColMatrix<double>> m) {
    assert(m.rows() == m.cols());
    LowerPanels v;
    v.n_ = m.rows();
    v.data_ = m.data();
    v.dense_stride_ = m.outerStride();
    return v;
  }

  // Moving keeps data_ valid: a moved std::vector keeps its buffer.
  LowerPanels(LowerPanels&&) noexcept = default;
  LowerPanels& operator=(LowerPanels&&) noexcept = default;
  LowerPanels(const LowerPanels&) = delete;
  LowerPanels& operator=(const LowerPanels&) = delete;

  index_t rows() const { return n_; }

  /// Doubles an owning n x n triangle holds.
  static std::uint64_t stored(index_t n) {
    std::uint64_t total = 0;
    for (index_t c0 = 0; c0 < n; c0 += kWidth)
      total += static_cast<std::uint64_t>(n - c0) * static_cast<std::uint64_t>(width(n, c0));
    return total;
  }

  /// The owned storage, for element-wise sums across processes (empty for a view).
  double* storage() { return storage_.data(); }
  std::size_t storage_size() const { return storage_.size(); }

  Block block(index_t r0, index_t c0, index_t rn, index_t cn) {
    return Block(at(r0, c0), rn, cn, Eigen::OuterStride<>(stride(c0)));
  }
  ConstBlock block(index_t r0, index_t c0, index_t rn, index_t cn) const {
    return ConstBlock(at(r0, c0), rn, cn, Eigen::OuterStride<>(stride(c0)));
  }
  double& operator()(index_t r, index_t c) { return *at(r, c); }
  double operator()(index_t r, index_t c) const { return *at(r, c); }

  /// First column of the panel holding column c, and the column after that panel.
  static index_t panel_begin(index_t c) { return c / kWidth * kWidth; }
  index_t panel_end(index_t c) const { return std::min(n_, panel_begin(c) + kWidth); }

  /// Where [s0, n) is cut so that no piece straddles a panel: s0, the panels' edges
  /// after it, n.
  static std::vector<index_t> edges(index_t s0, index_t n) {
    std::vector<index_t> e{s0};
    for (index_t c = panel_begin(s0) + kWidth; c < n; c += kWidth)
      e.push_back(c);
    e.push_back(n);
    return e;
  }

  /// A tile of the lower triangle: rows [r0, r0 + rn) x columns [c0, c0 + cn).
  struct Tile {
    index_t r0, rn, c0, cn;
  };
  /// The tiles of the lower triangle of rows and columns [s0, n), cut at the panels'
  /// edges, so every tile lies in one panel (diagonal tiles have r0 == c0). They depend
  /// on s0 and n only: a fixed work partition for the parallel loops.
  static std::vector<Tile> lower_tiles(index_t s0, index_t n) {
    const std::vector<index_t> e = edges(s0, n);
    std::vector<Tile> tiles;
    for (std::size_t r = 0; r + 1 < e.size(); ++r)
      for (std::size_t c = 0; c <= r; ++c)
        tiles.push_back({e[r], e[r + 1] - e[r], e[c], e[c + 1] - e[c]});
    return tiles;
  }

 private:
  static index_t width(index_t n, index_t c0) { return std::min(kWidth, n - c0); }
  index_t stride(index_t c) const {
    return dense_stride_ > 0 ? dense_stride_ : n_ - panel_begin(c);
  }
  double* at(index_t r, index_t c) const {
    if (dense_stride_ > 0) return data_ + c * dense_stride_ + r;
    const index_t p0 = panel_begin(c);
    assert(r >= p0 && r <= n_ && c < n_);  // r == n_: the start of an empty block
    const index_t p = p0 / kWidth;         // full panels before this one: n - q w rows each
    const index_t before = kWidth * (p * n_ - kWidth * (p * (p - 1) / 2));
    return data_ + before + (c - p0) * (n_ - p0) + (r - p0);
  }

  index_t n_ = 0;
  std::vector<double> storage_;
  double* data_ = nullptr;
  index_t dense_stride_ = 0;  // > 0: a view of a dense matrix
};

}  // namespace strider::detail
