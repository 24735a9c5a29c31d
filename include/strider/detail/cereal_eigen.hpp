#pragma once
/// @file detail/cereal_eigen.hpp
/// @brief cereal support for Eigen dense matrices and checked loading of sized containers.
///
/// Format of an `Eigen::Matrix` (any storage order): `rows` and `cols` as signed 64-bit
/// integers, then `data`, the rows*cols values in row-major order (a JSON array in text
/// archives, raw values in binary archives). The format does not depend on the storage
/// order, so a matrix saved as column-major loads as row-major and back.
///
/// Loading never trusts a size read from the archive: negative sizes, sizes that do not
/// fit the matrix type, element counts above `kMaxArchiveElements` and array lengths that
/// disagree with rows x cols throw `strider::FormatError`; binary data is read in chunks,
/// so a corrupted size cannot make the loader allocate more memory than the archive
/// really holds. A truncated stream makes cereal throw `cereal::Exception`.
/// FormatErrors raised here name the archive as "model archive"; callers that know the
/// file name re-throw with it (FormatError::problem() gives the bare message).

#include <algorithm>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include <Eigen/Core>
#include <cereal/cereal.hpp>
#include <cereal/details/traits.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include "strider/detail/serial_version.hpp"
#include "strider/error.hpp"

namespace strider::detail {

/// Upper bound on the number of elements of one array in a model archive (2^36).
inline constexpr std::uint64_t kMaxArchiveElements = std::uint64_t{1} << 36;
/// Upper bound on the length of one string in a model archive (class labels).
inline constexpr std::uint64_t kMaxArchiveStringLength = std::uint64_t{1} << 20;
/// Elements read per chunk by the binary loaders.
inline constexpr std::uint64_t kArchiveChunk = std::uint64_t{1} << 16;

/// True for cereal's JSON/XML archives (sizes there come from the parsed document).
template <class Archive>
inline constexpr bool is_text_archive_v = cereal::traits::is_text_archive<Archive>::value;

/// Reads a size tag and checks it against `limit`; `what` names the field.
template <class Archive>
std::uint64_t load_size_checked(Archive& ar, std::uint64_t limit, const std::string& what) {
  cereal::size_type n = 0;
  ar(cereal::make_size_tag(n));
  if (static_cast<std::uint64_t>(n) > limit) {
    throw_archive_error(what + ": " + std::to_string(static_cast<std::uint64_t>(n)) +
                        " elements, more than the limit of " + std::to_string(limit));
  }
  return static_cast<std::uint64_t>(n);
}

/// Loads the values of an arithmetic array written by cereal (size tag, then values).
/// Binary archives are read in chunks: memory grows only with data actually present.
template <class Archive, class T>
void load_arithmetic_array(Archive& ar, std::vector<T>& out, std::uint64_t limit,
                           const std::string& what) {
  static_assert(std::is_arithmetic_v<T>);
  const std::uint64_t n = load_size_checked(ar, limit, what);
  out.clear();
  if constexpr (is_text_archive_v<Archive>) {
    out.resize(static_cast<std::size_t>(n));  // n counts nodes of the parsed document
    for (auto& v : out)
      ar(v);
  } else {
    std::uint64_t done = 0;
    while (done < n) {
      const std::uint64_t chunk = std::min(kArchiveChunk, n - done);
      out.resize(static_cast<std::size_t>(done + chunk));
      ar(cereal::binary_data(out.data() + done, static_cast<std::size_t>(chunk * sizeof(T))));
      done += chunk;
    }
  }
}

/// cereal wrapper: loads an arithmetic array with checked sizes (see load_arithmetic_array).
template <class T>
struct CheckedArrayIn {
  std::vector<T>* out;
  std::uint64_t limit;
  std::string what;
  template <class Archive>
  void load(Archive& ar) {
    load_arithmetic_array(ar, *out, limit, what);
  }
};

/// cereal wrapper: saves `size` values from `data` in the format CheckedArrayIn reads.
template <class T>
struct ArrayOut {
  const T* data;
  std::uint64_t size;
  template <class Archive>
  void save(Archive& ar) const {
    ar(cereal::make_size_tag(static_cast<cereal::size_type>(size)));
    if constexpr (is_text_archive_v<Archive>) {
      for (std::uint64_t k = 0; k < size; ++k)
        ar(data[k]);
    } else {
      ar(cereal::binary_data(data, static_cast<std::size_t>(size * sizeof(T))));
    }
  }
};

/**
 * @brief Loads a vector of arithmetic values saved with `ar(make_nvp(name, v))`.
 * @throws FormatError when the archive holds more than `limit` values
 */
template <class Archive, class T>
void load_vector(Archive& ar, const char* name, std::vector<T>& v, std::uint64_t limit) {
  ar(cereal::make_nvp(name, CheckedArrayIn<T>{&v, limit, name}));
}

/// Loads one element of a checked sequence: cereal's own load for class objects; for a
/// string of a binary archive, a checked length and its bytes in chunks.
template <class Archive, class T>
void load_element(Archive& ar, T& value, const std::string& what) {
  if constexpr (std::is_same_v<T, std::string> && !is_text_archive_v<Archive>) {
    const std::uint64_t len = load_size_checked(ar, kMaxArchiveStringLength, what + " entry");
    std::uint64_t done = 0;
    while (done < len) {
      const std::uint64_t chunk = std::min(kArchiveChunk, len - done);
      value.resize(static_cast<std::size_t>(done + chunk));
      ar(cereal::binary_data(value.data() + done, static_cast<std::size_t>(chunk)));
      done += chunk;
    }
  } else {
    ar(value);
  }
}

/// cereal wrapper: loads a std::vector of strings or class objects written by cereal
/// (size tag, then the elements) with a checked size; binary archives add one element at
/// a time, so memory grows only with the elements the archive really holds.
template <class T>
struct CheckedObjectsIn {
  std::vector<T>* out;
  std::uint64_t limit;
  std::string what;
  template <class Archive>
  void load(Archive& ar) {
    const std::uint64_t n = load_size_checked(ar, limit, what);
    out->clear();
    if constexpr (is_text_archive_v<Archive>) {
      out->resize(static_cast<std::size_t>(n));  // n counts nodes of the parsed document
      for (auto& v : *out)
        ar(v);
    } else {
      for (std::uint64_t k = 0; k < n; ++k) {
        out->emplace_back();
        load_element(ar, out->back(), what);
      }
    }
  }
};

/**
 * @brief Loads a vector of class objects saved with `ar(make_nvp(name, v))`.
 * @throws FormatError when the archive holds more than `limit` objects
 */
template <class Archive, class T>
void load_objects(Archive& ar, const char* name, std::vector<T>& v, std::uint64_t limit) {
  ar(cereal::make_nvp(name, CheckedObjectsIn<T>{&v, limit, name}));
}

/**
 * @brief Loads a vector of strings saved with `ar(make_nvp(name, v))`.
 * @throws FormatError when the archive holds more than `limit` strings or a string longer
 *         than kMaxArchiveStringLength
 */
template <class Archive>
void load_vector(Archive& ar, const char* name, std::vector<std::string>& v, std::uint64_t limit) {
  ar(cereal::make_nvp(name, CheckedObjectsIn<std::string>{&v, limit, name}));
}

}  // namespace strider::detail

namespace cereal {

/// Saves an Eigen matrix: rows, cols, then the values in row-major order.
template <class Archive, class S, int R, int C, int O, int MR, int MC>
void save(Archive& ar, const Eigen::Matrix<S, R, C, O, MR, MC>& m) {
  static_assert(std::is_arithmetic_v<S>, "only real matrices are serializable");
  const std::int64_t rows = m.rows(), cols = m.cols();
  ar(make_nvp("rows", rows), make_nvp("cols", cols));
  if constexpr (O & Eigen::RowMajor) {
    ar(make_nvp("data",
                strider::detail::ArrayOut<S>{m.data(), static_cast<std::uint64_t>(m.size())}));
  } else {
    const Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rm = m;
    ar(make_nvp("data",
                strider::detail::ArrayOut<S>{rm.data(), static_cast<std::uint64_t>(rm.size())}));
  }
}

/// Loads an Eigen matrix saved by the save() above, validating every size first.
template <class Archive, class S, int R, int C, int O, int MR, int MC>
void load(Archive& ar, Eigen::Matrix<S, R, C, O, MR, MC>& m) {
  static_assert(std::is_arithmetic_v<S>, "only real matrices are serializable");
  std::int64_t rows = -1, cols = -1;
  ar(make_nvp("rows", rows), make_nvp("cols", cols));
  const std::string shape = std::to_string(rows) + " x " + std::to_string(cols);
  if (rows < 0 || cols < 0)
    strider::detail::throw_archive_error("matrix has a negative size " + shape);
  const auto limit = strider::detail::kMaxArchiveElements;
  if (static_cast<std::uint64_t>(rows) > limit || static_cast<std::uint64_t>(cols) > limit ||
      (cols > 0 && static_cast<std::uint64_t>(rows) > limit / static_cast<std::uint64_t>(cols))) {
    strider::detail::throw_archive_error("matrix size " + shape + " is absurd (more than " +
                                         std::to_string(limit) + " elements)");
  }
  if ((R != Eigen::Dynamic && rows != R) || (C != Eigen::Dynamic && cols != C) ||
      (R == 1 && rows != 1) || (C == 1 && cols != 1)) {
    strider::detail::throw_archive_error("matrix size " + shape +
                                         " does not fit the stored matrix type");
  }
  const std::uint64_t count = static_cast<std::uint64_t>(rows) * static_cast<std::uint64_t>(cols);
  if (count == 0) {
    // Nothing to read or copy: an empty matrix may still claim up to 2^36 columns, and an
    // element-wise copy would walk them all.
    std::vector<S> none;
    ar(make_nvp("data", strider::detail::CheckedArrayIn<S>{&none, 0, "matrix " + shape}));
    m.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    return;
  }
  std::vector<S> values;
  ar(make_nvp("data", strider::detail::CheckedArrayIn<S>{&values, count, "matrix " + shape}));
  if (values.size() != count) {
    strider::detail::throw_archive_error("matrix " + shape + " has " +
                                         std::to_string(values.size()) + " values, expected " +
                                         std::to_string(rows * cols));
  }
  m.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
  m = Eigen::Map<const Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      values.data(), static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
}

}  // namespace cereal
