#pragma once
// Helpers shared by the tests: paths, skipping when optional data or tools are absent,
// running the independent Python reference scripts, scratch directories.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>

#include <sys/wait.h>

namespace strider::test {

namespace fs = std::filesystem;

/// ../shared/datasets (or STRIDER_SHARED_DATASETS overridden at configure time or by the
/// environment variable of the same name).
inline fs::path shared_datasets() {
  if (const char* env = std::getenv("STRIDER_SHARED_DATASETS")) return env;
  return STRIDER_SHARED_DATASETS;
}

/// Skips the calling test with a clear message when ../shared/datasets is absent.
#define STRIDER_REQUIRE_SHARED_DATASETS()                                                   \
  do {                                                                                      \
    if (!std::filesystem::exists(::strider::test::shared_datasets() / "MANIFEST.csv"))      \
      GTEST_SKIP() << "shared datasets not found at " << ::strider::test::shared_datasets() \
                   << " (set STRIDER_SHARED_DATASETS); skipping this integration test";     \
  } while (0)

/// The message of the exception f() throws, or "<no exception>".
inline std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "<no exception>";
}

/// A fresh scratch directory under the system temp dir, removed at destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() /
            ("strider_test_" + std::to_string(rd()) + "_" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

/// Writes `text` to `path` as is (binary mode), for malformed-input tests.
inline void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Exit code of the reference scripts when numpy (or sklearn) is not importable.
inline constexpr int kReferenceSkip = 77;

/// Runs `python3 tests/reference/<script> <args>`; returns its exit code.
/// Skip the test when the result is kReferenceSkip (see STRIDER_RUN_REFERENCE).
inline int run_reference(const std::string& script, const std::string& args) {
  const std::string python = STRIDER_PYTHON;
  if (python.empty()) return kReferenceSkip;
  const std::string cmd =
      "\"" + python + "\" \"" + std::string(STRIDER_REFERENCE_DIR) + "/" + script + "\" " + args;
  const int status = std::system(cmd.c_str());
  if (status == -1) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Runs a reference script, skipping the test with a clear message when python3-numpy
/// (or python3-sklearn) is missing, and failing it when the script fails.
#define STRIDER_RUN_REFERENCE(script, args)                                              \
  do {                                                                                   \
    const int strider_rc_ = ::strider::test::run_reference(script, args);                \
    if (strider_rc_ == ::strider::test::kReferenceSkip)                                  \
      GTEST_SKIP() << "python3 with numpy/sklearn not available (install python3-numpy " \
                      "python3-sklearn); skipping the reference check "                  \
                   << script;                                                            \
    ASSERT_EQ(strider_rc_, 0) << "reference script " << script << " failed";             \
  } while (0)

}  // namespace strider::test
