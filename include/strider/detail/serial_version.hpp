#pragma once
/// @file detail/serial_version.hpp
/// @brief How model loading reports a problem: FormatErrors raised while reading an
/// archive name it kArchiveName, and load() re-throws them with the file's path. The
/// first check of every serialize(): a class version newer than this library's means a
/// file written by a later strider, refused by name rather than misread.

#include <cstdint>
#include <string>

#include "strider/error.hpp"

namespace strider::detail {

/// The file name FormatErrors carry while an archive is read; load() replaces it with
/// the path (FormatError::problem() gives the bare message).
inline constexpr const char* kArchiveName = "model archive";

/// @throws FormatError(kArchiveName, 0, problem)
[[noreturn]] inline void throw_archive_error(const std::string& problem) {
  throw FormatError(kArchiveName, 0, problem);
}

/// @throws FormatError "<what> version <version> is newer than this library supports
///         (<supported>)" when version > supported, or "... version 0 is not a valid
///         version" when version == 0
inline void check_serial_version(const char* what, std::uint32_t version, std::uint32_t supported) {
  if (version > supported) {
    throw_archive_error(std::string(what) + " version " + std::to_string(version) +
                        " is newer than this library supports (" + std::to_string(supported) + ")");
  }
  if (version == 0) throw_archive_error(std::string(what) + " version 0 is not a valid version");
}

/// The check of a loaded pipeline (transform, scaler, ridge): either none or all three
/// stages fitted, and on the same number of features. @throws FormatError naming `what`
template <class Transform, class Scaler, class Ridge>
void check_loaded_stages(const char* what, const Transform& transform, const Scaler& scaler,
                         const Ridge& ridge) {
  if (ridge.is_fitted() != transform.is_fitted() || ridge.is_fitted() != scaler.is_fitted()) {
    throw_archive_error(std::string(what) + " stages are not all fitted");
  }
  if (ridge.is_fitted() && (scaler.n_features() != transform.n_features() ||
                            ridge.n_features() != transform.n_features())) {
    throw_archive_error(std::string(what) + " stages disagree on the number of features (" +
                        std::to_string(transform.n_features()) + ", " +
                        std::to_string(scaler.n_features()) + ", " +
                        std::to_string(ridge.n_features()) + ")");
  }
}

}  // namespace strider::detail
