#pragma once
/// @file types.hpp
/// @brief Basic types shared by every module: sizes, Eigen matrix aliases.

#include <cstddef>
#include <cstdint>

#include <Eigen/Core>

namespace strider {

/// Sizes and indices of series, channels, time points, kernels and features.
using index_t = std::ptrdiff_t;

/// Row-major dense matrix: the layout of feature matrices (one row per series).
template <class T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Column-major dense matrix, Eigen's default (coefficients, Gram matrices).
template <class T>
using ColMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;

template <class T>
using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

using RowMatrixD = RowMatrix<double>;
using RowMatrixF = RowMatrix<float>;
using VectorD = Vector<double>;
using VectorI = Eigen::Matrix<index_t, Eigen::Dynamic, 1>;

}  // namespace strider
