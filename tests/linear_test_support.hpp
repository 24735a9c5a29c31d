#pragma once
// Helpers for the tests of include/strider/linear/: synthetic data, raw binary matrix files
// for the Python references, a minimal UCR .tsv reader (independent of strider's io/).

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "strider/random.hpp"
#include "strider/types.hpp"

namespace strider::test {

/// Labelled feature matrix.
struct LabelledData {
  RowMatrixD x;
  std::vector<std::string> y;
};

/**
 * Gaussian classes: class k (label prefix + k) has mean center_k ~ N(0, sep^2) per feature
 * and unit noise. The first n_classes samples cover every class once; the rest are drawn
 * uniformly.
 */
inline LabelledData make_classes(index_t n, index_t f, int n_classes, std::uint64_t seed,
                                 double sep = 1.0, const std::string& prefix = "c") {
  Rng rng(seed);
  RowMatrixD centers(n_classes, f);
  for (index_t k = 0; k < n_classes; ++k)
    for (index_t j = 0; j < f; ++j)
      centers(k, j) = sep * rng.normal();
  LabelledData d;
  d.x.resize(n, f);
  for (index_t i = 0; i < n; ++i) {
    const auto k = i < n_classes ? i : static_cast<index_t>(rng.uniform_int(n_classes));
    d.y.push_back(prefix + std::to_string(k));
    for (index_t j = 0; j < f; ++j)
      d.x(i, j) = centers(k, j) + rng.normal();
  }
  return d;
}

/// Writes the values of m row by row as raw little-endian T (the machine's order).
template <class T, class M>
void write_matrix(const std::filesystem::path& path, const M& m) {
  std::ofstream out(path, std::ios::binary);
  for (index_t i = 0; i < m.rows(); ++i)
    for (index_t j = 0; j < m.cols(); ++j) {
      const T v = static_cast<T>(m(i, j));
      out.write(reinterpret_cast<const char*>(&v), sizeof(T));
    }
}

/// Reads rows x cols raw T values written row by row (by the reference scripts).
template <class T>
RowMatrix<T> read_matrix(const std::filesystem::path& path, index_t rows, index_t cols) {
  std::ifstream in(path, std::ios::binary);
  RowMatrix<T> m(rows, cols);
  in.read(reinterpret_cast<char*>(m.data()), static_cast<std::streamsize>(m.size() * sizeof(T)));
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return m;
}

/// A UCR .tsv file: label, then the values of one equal-length series per line.
inline LabelledData read_ucr_tsv(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  LabelledData d;
  std::vector<std::vector<double>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream ls(line);
    std::string label, cell;
    std::getline(ls, label, '\t');
    std::vector<double> values;
    while (std::getline(ls, cell, '\t'))
      values.push_back(std::stod(cell));
    d.y.push_back(label);
    rows.push_back(std::move(values));
  }
  const index_t n = static_cast<index_t>(rows.size());
  const index_t t = n > 0 ? static_cast<index_t>(rows[0].size()) : 0;
  d.x.resize(n, t);
  for (index_t i = 0; i < n; ++i) {
    if (static_cast<index_t>(rows[static_cast<std::size_t>(i)].size()) != t)
      throw std::runtime_error(path.string() + ": series of different lengths");
    for (index_t j = 0; j < t; ++j)
      d.x(i, j) = rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
  }
  return d;
}

/// Simple real features of series (rows of s): the values, the first differences and the
/// squares: n x (3 T - 1).
inline RowMatrixD simple_series_features(const RowMatrixD& s) {
  const index_t t = s.cols();
  RowMatrixD f(s.rows(), 3 * t - 1);
  f.leftCols(t) = s;
  f.middleCols(t, t - 1) = s.rightCols(t - 1) - s.leftCols(t - 1);
  f.rightCols(t) = s.array().square().matrix();
  return f;
}

}  // namespace strider::test
