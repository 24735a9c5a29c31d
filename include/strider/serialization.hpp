#pragma once
/// @file serialization.hpp
/// @brief Model files: `save(estimator, path)` and `load<T>(path)` for the transform, the
/// scaler, the two ridges and the whole KernelClassifier and KernelRegressor.
///
/// Two encodings, chosen by the file name: `.json` gives a readable, diffable JSON file;
/// any other name a compact portable binary file (little-endian, same bytes on every
/// platform). Both start with an envelope: format name, format version, library version
/// and estimator type.
///
/// Binary layout (all integers little-endian):
/// | offset | size | field |
/// |---|---|---|
/// | 0  | 8 | magic `STRIDERM` |
/// | 8  | 4 | container version (1) |
/// | 12 | 4 | header length H (at most 64 KiB) |
/// | 16 | 8 | payload length P |
/// | 24 | 8 | FNV-1a 64-bit checksum of the H + P bytes that follow |
/// | 32 | H | header: `key=value` lines: format, format_version, library_version, estimator |
/// | 32+H | P | payload: the estimator, cereal portable binary archive |
/// The file is exactly 32 + H + P bytes. The checksum makes every truncation and every
/// changed byte a clean FormatError before any of the payload is decoded.
///
/// JSON layout: `{"envelope": {format, format_version, library_version, estimator},
/// "model": {...}}`, written by cereal's JSON archive (doubles round-trip exactly).
///
/// Guarantees: writes are atomic (a temporary file in the same directory, then a rename),
/// so an interrupted save never leaves a half-written model in place of the old one.
/// A truncated, corrupted, foreign or newer-version file raises strider::FormatError
/// naming the file; no half-loaded estimator is ever returned. Each class also carries a
/// CEREAL_CLASS_VERSION and validates what it reads.

#include <cstdint>
#include <filesystem>
#include <new>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>

#include <cereal/archives/json.hpp>
#include <cereal/archives/portable_binary.hpp>

#include "strider/classifier.hpp"
#include "strider/error.hpp"
#include "strider/io/atomic_write.hpp"
#include "strider/linear/ridge_classifier_cv.hpp"
#include "strider/linear/ridge_cv.hpp"
#include "strider/linear/standard_scaler.hpp"
#include "strider/regressor.hpp"
#include "strider/transform/dilated_kernel_transform.hpp"
#include "strider/version.hpp"

namespace strider {

/// Name of the model-file format, stored in every envelope.
inline constexpr const char* kModelFormatName = "strider-model";
/// Version of the model-file format this build writes and the newest it reads.
inline constexpr std::uint32_t kModelFormatVersion = 1;

/// The estimator type names stored in envelopes.
template <class T>
struct ModelTraits;
template <>
struct ModelTraits<DilatedKernelTransform> {
  static constexpr const char* name = "DilatedKernelTransform";
};
template <>
struct ModelTraits<StandardScaler> {
  static constexpr const char* name = "StandardScaler";
};
template <>
struct ModelTraits<RidgeClassifierCV> {
  static constexpr const char* name = "RidgeClassifierCV";
};
template <>
struct ModelTraits<KernelClassifier> {
  static constexpr const char* name = "KernelClassifier";
};
template <>
struct ModelTraits<RidgeCV> {
  static constexpr const char* name = "RidgeCV";
};
template <>
struct ModelTraits<KernelRegressor> {
  static constexpr const char* name = "KernelRegressor";
};

/// The envelope at the start of every model file.
struct ModelEnvelope {
  std::string format = kModelFormatName;  ///< always "strider-model"
  std::uint32_t format_version = kModelFormatVersion;
  std::string library_version = version_string;  ///< strider version that wrote the file
  std::string estimator;                         ///< e.g. "KernelClassifier"
  bool json = false;                             ///< encoding of the file

  template <class Archive>
  void serialize(Archive& ar) {
    ar(cereal::make_nvp("format", format), cereal::make_nvp("format_version", format_version),
       cereal::make_nvp("library_version", library_version),
       cereal::make_nvp("estimator", estimator));
  }
};

/// True when `path` selects the JSON encoding (its extension is ".json", any case).
bool is_json_path(const std::filesystem::path& path);

/**
 * @brief Reads and checks only the envelope of a model file (for `strider info`).
 * @throws FormatError for a missing, truncated, corrupted, foreign or newer file
 */
ModelEnvelope read_envelope(const std::filesystem::path& path);

namespace detail {

/// Builds the binary container around a payload.
std::string make_binary_container(const ModelEnvelope& env, const std::string& payload);
/// Checks a binary container (magic, sizes, checksum, header) read from `path`; returns
/// the envelope and sets `payload` to the payload bytes. @throws FormatError
ModelEnvelope open_binary_container(const std::filesystem::path& path, const std::string& bytes,
                                    std::string& payload);
/// Checks a JSON envelope's fields (format name and version). @throws FormatError
void check_envelope(const std::filesystem::path& path, const ModelEnvelope& env);
/// Reads a whole file. @throws FormatError when it cannot be opened or read
std::string read_file_bytes(const std::filesystem::path& path);
/// Rewrites, in place and at the same length, every JSON number outside strings whose
/// digits are all zero and that has an exponent (`0E42`, `-0.0e-7`) as a plain zero
/// (`0`, `-0.0`) padded with spaces. Such numbers equal zero; rapidjson's fast number
/// parser has undefined behaviour on them (it normalises a zero significand), so the JSON
/// loaders hand it this form. strider never writes them.
void normalize_zero_exponents(std::string& json);
/// The text of a JSON model file as the JSON loaders parse it: checked to hold a JSON
/// object (a model file always does; anything else is refused here, by name, rather than
/// by a parser assertion) and passed through normalize_zero_exponents(). @throws FormatError
std::string json_model_text(const std::filesystem::path& path, std::string bytes);
/// "file holds a X, expected a Y" check. @throws FormatError
void check_estimator_type(const std::filesystem::path& path, const ModelEnvelope& env,
                          const char* expected);

}  // namespace detail

/**
 * @brief The bytes of the binary model file of a fitted estimator, as save() writes them
 * to a path that does not end in .json (for pickling, databases, the network).
 * @throws NotFittedError when the estimator is not fitted
 */
template <class Estimator>
std::string to_bytes(const Estimator& estimator) {
  if (!estimator.is_fitted()) {
    throw NotFittedError(std::string("to_bytes(") + ModelTraits<Estimator>::name + ")");
  }
  ModelEnvelope env;
  env.estimator = ModelTraits<Estimator>::name;
  std::ostringstream out(std::ios::binary);
  {
    cereal::PortableBinaryOutputArchive ar(out);
    ar(estimator);
  }
  return detail::make_binary_container(env, out.str());
}

/**
 * @brief Saves a fitted estimator to `path` (JSON if it ends in .json, else binary).
 * @throws NotFittedError when the estimator is not fitted
 * @throws std::runtime_error when the file cannot be written (nothing is left behind)
 */
template <class Estimator>
void save(const Estimator& estimator, const std::filesystem::path& path) {
  if (!estimator.is_fitted()) {
    throw NotFittedError(std::string("save(") + ModelTraits<Estimator>::name + ")");
  }
  if (!is_json_path(path)) {
    io::write_file_atomic(path, to_bytes(estimator), "save()");
    return;
  }
  ModelEnvelope env;
  env.estimator = ModelTraits<Estimator>::name;
  std::ostringstream out(std::ios::binary);
  {
    cereal::JSONOutputArchive ar(out);
    ar(cereal::make_nvp("envelope", env), cereal::make_nvp("model", estimator));
  }
  out << "\n";
  io::write_file_atomic(path, out.str(), "save()");
}

namespace detail {
/// Decodes a model from `bytes` (a JSON file's when `json`, else a binary container),
/// naming `source` in every FormatError.
template <class Estimator>
Estimator decode_model(const std::string& source, std::string bytes, bool json) {
  Estimator estimator;
  try {
    if (json) {
      // The bytes are moved through: one copy of a large JSON model at a time.
      std::istringstream in(json_model_text(source, std::move(bytes)));
      cereal::JSONInputArchive ar(in);
      ModelEnvelope env;
      ar(cereal::make_nvp("envelope", env));
      check_envelope(source, env);
      check_estimator_type(source, env, ModelTraits<Estimator>::name);
      ar(cereal::make_nvp("model", estimator));
    } else {
      std::string payload;
      const ModelEnvelope env = open_binary_container(source, bytes, payload);
      check_estimator_type(source, env, ModelTraits<Estimator>::name);
      std::istringstream in(payload, std::ios::binary);
      cereal::PortableBinaryInputArchive ar(in);
      ar(estimator);
      if (in.peek() != std::char_traits<char>::eof()) {
        throw FormatError(source, 0, "unexpected bytes after the model");
      }
    }
  } catch (const std::bad_alloc&) {
    throw;  // out of memory is not a property of the file
  } catch (const FormatError& e) {
    if (e.file() == source) throw;
    throw FormatError(source, 0, "invalid model: " + e.problem());
  } catch (const std::exception& e) {
    throw FormatError(source, 0, std::string("corrupt or incompatible model: ") + e.what());
  }
  if (!estimator.is_fitted()) {
    throw FormatError(source, 0, "the file holds an estimator that is not fitted");
  }
  return estimator;
}
}  // namespace detail

/**
 * @brief Loads an estimator saved by save().
 * @throws FormatError naming the file for a missing, truncated, corrupted, foreign or
 *         newer-version file, or one that holds another estimator type
 */
template <class Estimator>
Estimator load(const std::filesystem::path& path) {
  return detail::decode_model<Estimator>(path.string(), detail::read_file_bytes(path),
                                         is_json_path(path));
}

/**
 * @brief Decodes the bytes of a binary model file (to_bytes(), or a file's contents);
 * `source` names them in errors. The same checks as load().
 * @throws FormatError as load()
 */
template <class Estimator>
Estimator from_bytes(std::string bytes, const std::string& source = "<model bytes>") {
  return detail::decode_model<Estimator>(source, std::move(bytes), false);
}

}  // namespace strider
