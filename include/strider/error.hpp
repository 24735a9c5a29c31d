#pragma once
/// @file error.hpp
/// @brief The library's exception types.
///
/// - `std::invalid_argument`: bad parameters, shapes or values passed by the caller.
/// - `strider::NotFittedError` (a `std::logic_error`): an estimator used before `fit()`.
/// - `strider::FormatError` (a `std::runtime_error`): a malformed file (dataset, model,
///   cache entry); the message names the file, the line when there is one, and the problem.
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

}  // namespace strider
