#pragma once
/// @file io/npy.hpp
/// @brief Writes a matrix in NumPy's `.npy` format (version 1.0), which `numpy.load()`
/// reads without parsing text: the fast way to hand strider's features to Python.
///
/// Layout: the magic `\x93NUMPY`, version bytes 1 and 0, a 2-byte little-endian header
/// length, then the header, a Python dict literal
/// `{'descr': '<f8', 'fortran_order': False, 'shape': (rows, cols), }` padded with spaces
/// and ended by a newline so that the data starts at a multiple of 64 bytes, then the
/// values row by row as little-endian float64 (`<f4` for float). The write is atomic, as
/// every strider writer.

#include <filesystem>

#include "strider/types.hpp"

namespace strider::io {

/// @throws std::runtime_error naming the path when it cannot be written
void write_npy(const std::filesystem::path& path, const Eigen::Ref<const RowMatrixD>& x);
/// As above with float32 values (`<f4`).
void write_npy(const std::filesystem::path& path, const Eigen::Ref<const RowMatrixF>& x);

}  // namespace strider::io
