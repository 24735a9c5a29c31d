#pragma once
/// @file error.hpp
/// @brief The library's exception types.
///
/// - `std::invalid_argument`: bad parameters, shapes or values passed by the caller.
/// - `strider::NotFittedError` (a `std::logic_error`): an estimator used before `fit()`.
/// - `strider::FormatError` (a `std::runtime_error`): a malformed file (dataset, model,
///   cache entry); the message names the file, the line when there is one, and the problem.
/// - `strider::MemoryLimitError` (a `std::runtime_error`): a fit, transform or predict whose
///   memory estimate exceeds the memory limit, raised before anything large is allocated.
/// Broken internal invariants are bugs and are `assert`ed, not thrown.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace strider {

/// Raised when `transform`, `predict`... are called on an estimator that was never fitted.
class NotFittedError : public std::logic_error {
 public:
  /// @param who the estimator and method, e.g. "DilatedKernelTransform::transform()"
  explicit NotFittedError(const std::string& who)
      : std::logic_error(who + ": the estimator is not fitted; call fit() first") {}
};

/// Raised for a malformed or foreign file. `what()` reads
/// "<file>:<line>: <problem>" (or "<file>: <problem>" when no line applies).
class FormatError : public std::runtime_error {
 public:
  /// @param file the path as given by the caller
  /// @param line 1-based line number, 0 when the problem is not tied to a line
  /// @param problem what is wrong, naming expected and found values
  FormatError(const std::string& file, std::size_t line, const std::string& problem)
      : std::runtime_error(compose(file, line, problem)),
        file_(file),
        line_(line),
        problem_(problem) {}

  const std::string& file() const noexcept { return file_; }
  std::size_t line() const noexcept { return line_; }
  const std::string& problem() const noexcept { return problem_; }

 private:
  static std::string compose(const std::string& file, std::size_t line,
                             const std::string& problem) {
    std::string s = file;
    if (line > 0) s += ":" + std::to_string(line);
    return s + ": " + problem;
  }
  std::string file_;
  std::size_t line_;
  std::string problem_;
};

/// Raised before a fit, transform or predict that would need more memory than the limit
/// (see memory.hpp). `what()` names the step, the estimate, the limit and its source, and
/// what lowers the estimate.
class MemoryLimitError : public std::runtime_error {
 public:
  MemoryLimitError(const std::string& message, std::size_t estimate, std::size_t limit)
      : std::runtime_error(message), estimate_(estimate), limit_(limit) {}
  /// Estimated peak memory of the refused step, in bytes.
  std::size_t estimate() const noexcept { return estimate_; }
  /// The limit it exceeds, in bytes.
  std::size_t limit() const noexcept { return limit_; }

 private:
  std::size_t estimate_;
  std::size_t limit_;
};

}  // namespace strider
