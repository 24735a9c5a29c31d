#pragma once
// Helpers shared by the strider::io tests.

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>

#include "strider/error.hpp"
#include "strider/panel.hpp"

namespace strider::test {

/// Runs `f`, expecting a FormatError whose message reads "<...file>:<line>: ..." and
/// contains `problem`.
template <class F>
void expect_format_error(F&& f, const std::string& file, std::size_t line,
                         const std::string& problem) {
  try {
    f();
    ADD_FAILURE() << "expected a FormatError at " << file << ":" << line << " (" << problem << ")";
  } catch (const FormatError& e) {
    const std::string what = e.what();
    const std::string where = line > 0 ? file + ":" + std::to_string(line) + ": " : file + ": ";
    EXPECT_NE(what.find(where), std::string::npos) << "message: " << what;
    EXPECT_NE(what.find(problem), std::string::npos) << "message: " << what;
    EXPECT_EQ(e.line(), line) << "message: " << what;
  }
}

/// Bitwise equality of two doubles, so NaN == NaN and -0 != +0.
inline bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

/// Same values (bit for bit, inside each series' length), lengths, channels and labels.
inline void expect_same_panel(const Panel& a, const Panel& b) {
  ASSERT_EQ(a.n_series(), b.n_series());
  ASSERT_EQ(a.n_channels(), b.n_channels());
  ASSERT_EQ(a.max_length(), b.max_length());
  ASSERT_EQ(a.lengths(), b.lengths());
  EXPECT_EQ(a.has_labels(), b.has_labels());
  EXPECT_EQ(a.labels(), b.labels());
  for (index_t i = 0; i < a.n_series(); ++i) {
    for (index_t c = 0; c < a.n_channels(); ++c) {
      for (index_t t = 0; t < a.length(i); ++t) {
        ASSERT_TRUE(same_bits(a(i, c, t), b(i, c, t)))
            << "series " << i << " channel " << c << " t " << t << ": " << a(i, c, t) << " vs "
            << b(i, c, t);
      }
    }
  }
}

/// Number of entries in a directory (to check that writers leave no temporary file).
inline std::size_t count_entries(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir))
    ++n;
  return n;
}

}  // namespace strider::test
