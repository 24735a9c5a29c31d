#pragma once
/// @file disk_cache.hpp
/// @brief DiskCache: memoisation of expensive function calls on disk
/// (joblib.Memory), so a long computation that was interrupted or rerun starts again
/// from its stored results.
///
/// Source: a numba/joblib tutorial (joblib.Memory("~/cache_dir") and `@memory.cache` on
/// `walsh_median_numpy`: the first call on 10,000 float32 values takes 4.3 s wall, the
/// second, served from the cache, 5.33 ms).
///
/// How an entry is found: `call(name, f, args...)` serializes the arguments with cereal
/// (portable binary) and looks up the entry keyed by a 128-bit hash of
/// (name, library version strider::version_string, result type, argument bytes). The
/// entry file repeats all of these in its header (name, version, result type, argument
/// size and a 128-bit digest of the argument bytes) plus the size and a 128-bit digest of
/// the stored result; any mismatch (a hash collision between keys, a file from another
/// version or program, a truncated or corrupt file) makes the entry a miss: the result is
/// recomputed and the entry rewritten. Stored bytes are never deserialized before their
/// digest matched.
///
/// What differs from joblib.Memory and why:
/// - The function is identified by the `name` the caller gives, not by its source code
///   (C++ cannot hash a function body): change the name (e.g. "walsh_median_v2") when
///   the function's meaning changes. A new library version invalidates every entry.
/// - The arguments are identified by their serialized bytes only: two argument values
///   with the same bytes are the same call (so 0.0 and -0.0 differ, as in joblib, which
///   hashes pickles). Two different argument byte strings are told apart by a 128-bit
///   digest (two independent 64-bit hashes; not cryptographic: do not share a cache
///   directory with someone who would forge entries).
/// - The result type is part of the key as the compiler names it (typeid), so a build
///   with another compiler does not reuse entries; it never misreads them either.
/// - Results and arguments must be cereal-serializable (include the cereal/types/
///   header of your types; std::string, std::vector, std::array, std::pair, std::tuple,
///   std::map and std::optional are included here), and the result default-constructible.
///
/// Concurrency: entries are written to a unique temporary file in the directory and
/// rename()d into place, so threads and processes sharing the directory only ever read
/// complete entries; when two compute the same entry at once, both compute it and the
/// last rename wins (both files are valid). Failing to store an entry (read-only or full
/// disk) does not fail the call: the result is returned and `write_errors()` counts it.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>

#include <cereal/archives/portable_binary.hpp>
#include <cereal/types/array.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/tuple.hpp>
#include <cereal/types/utility.hpp>
#include <cereal/types/vector.hpp>

namespace strider::utils {

/// A 128-bit hash as two 64-bit words.
struct Hash128 {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  friend bool operator==(const Hash128&, const Hash128&) = default;
};

/**
 * @brief 128-bit non-cryptographic hash of `bytes`: two independent 64-bit hashes
 * (different multipliers, rotations and seeds), each finished with a full avalanche.
 * Deterministic across platforms (bytes are read little-endian).
 * @param seed distinguishes uses (the key and the digests use different seeds)
 */
Hash128 hash128(std::string_view bytes, std::uint64_t seed = 0) noexcept;

/// Disk memoisation of function results (see the file comment).
class DiskCache {
 public:
  /**
   * @brief A cache whose entries live in `dir` (created with its parents if absent).
   * @throws std::invalid_argument when dir is empty
   * @throws std::runtime_error when dir cannot be created or is not a directory
   */
  explicit DiskCache(std::filesystem::path dir);

  DiskCache(const DiskCache&) = delete;
  DiskCache& operator=(const DiskCache&) = delete;

  /**
   * @brief Returns f(args...), from the cache when this (name, args, library version,
   * result type) was stored before, else computing and storing it.
   *
   * Thread-safe: several threads (and processes) may call it at once on one directory.
   * @param name identifies the function (non-empty; any characters)
   * @param f    callable as f(const Args&...) returning a default-constructible,
   *             cereal-serializable R
   * @param args cereal-serializable arguments; their bytes are part of the key
   * @return the stored or computed R
   * @throws std::invalid_argument when name is empty
   * @throws whatever f throws (nothing is stored then), or cereal::Exception when an
   *         argument or the result cannot be serialized
   */
  template <class F, class... Args>
  auto call(const std::string& name, F&& f, const Args&... args) {
    using R = std::remove_cvref_t<std::invoke_result_t<F&, const Args&...>>;
    static_assert(!std::is_void_v<R>, "DiskCache::call: f must return a value to store");
    static_assert(std::is_default_constructible_v<R>,
                  "DiskCache::call: the result type must be default-constructible");
    check_name(name);
    std::string arg_bytes;
    {
      std::ostringstream os;
      {
        cereal::PortableBinaryOutputArchive archive(os);
        if constexpr (sizeof...(Args) > 0) archive(args...);
      }
      arg_bytes = std::move(os).str();
    }
    const std::string type = typeid(R).name();
    if (std::optional<std::string> payload = load(name, type, arg_bytes)) {
      std::optional<R> result = decode<R>(*payload);
      if (result) {
        hits_.fetch_add(1, std::memory_order_relaxed);
        return std::move(*result);
      }
    }
    misses_.fetch_add(1, std::memory_order_relaxed);
    R result = std::invoke(f, args...);
    std::ostringstream os;
    {
      cereal::PortableBinaryOutputArchive archive(os);
      archive(result);
    }
    store(name, type, arg_bytes, std::move(os).str());
    return result;
  }

  /// Removes every entry (and stray temporary file) of this cache from the directory;
  /// other files in it are left alone. Counters are kept.
  /// @return the number of entries removed
  std::size_t clear();

  /// Calls served from the directory.
  std::uint64_t hits() const noexcept { return hits_.load(std::memory_order_relaxed); }
  /// Calls that computed f (no entry, or an entry that failed a check).
  std::uint64_t misses() const noexcept { return misses_.load(std::memory_order_relaxed); }
  /// Computed results that could not be stored.
  std::uint64_t write_errors() const noexcept {
    return write_errors_.load(std::memory_order_relaxed);
  }
  const std::filesystem::path& dir() const noexcept { return dir_; }

  /// The file that holds (or would hold) the entry; for tests and tools.
  std::filesystem::path entry_path(const std::string& name, const std::string& type,
                                   std::string_view arg_bytes) const;

  /// File name suffix of the entries.
  static constexpr const char* kExtension = ".strider-cache";

 private:
  static void check_name(const std::string& name);
  // The verified stored result bytes, or nullopt when absent or failing any check.
  std::optional<std::string> load(const std::string& name, const std::string& type,
                                  std::string_view arg_bytes) const;
  // Writes the entry atomically; counts a write error instead of throwing.
  void store(const std::string& name, const std::string& type, std::string_view arg_bytes,
             std::string payload) noexcept;

  template <class R>
  static std::optional<R> decode(const std::string& payload) {
    try {
      std::istringstream is(payload);
      R value{};
      {
        cereal::PortableBinaryInputArchive archive(is);
        archive(value);
      }
      if (is.peek() != std::char_traits<char>::eof()) return std::nullopt;  // not all read
      return value;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }

  std::filesystem::path dir_;
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
  std::atomic<std::uint64_t> write_errors_{0};
};

}  // namespace strider::utils
