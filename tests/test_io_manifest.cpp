// Integration test: every dataset of ../shared/datasets loads with the figures of its
// MANIFEST.csv row (sizes, lengths, channels, classes). Skipped when the folder is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "strider/io/dataset.hpp"
#include "test_support.hpp"

namespace {

using strider::index_t;
using strider::Panel;
namespace fs = std::filesystem;

// Splits one CSV line (RFC 4180 quotes; MANIFEST's `verified` field contains commas).
std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t k = 0; k < line.size(); ++k) {
    const char c = line[k];
    if (quoted) {
      if (c == '"' && k + 1 < line.size() && line[k + 1] == '"') {
        fields.back() += '"';
        ++k;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

std::vector<std::map<std::string, std::string>> read_manifest(const fs::path& path) {
  std::istringstream in(strider::test::read_file(path));
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = split_csv_line(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::vector<std::string> fields = split_csv_line(line);
    EXPECT_EQ(fields.size(), header.size()) << "MANIFEST line: " << line;
    std::map<std::string, std::string> row;
    for (std::size_t k = 0; k < header.size() && k < fields.size(); ++k)
      row[header[k]] = fields[k];
    rows.push_back(std::move(row));
  }
  return rows;
}

index_t to_index(const std::string& s) {
  return static_cast<index_t>(std::stoll(s));
}

// The "variable length A-B" range that MANIFEST's `verified` column gives for
// variable-length datasets; false when absent. (No std::regex: GCC 12 warns inside it
// under the sanitizers.)
bool variable_range(const std::string& verified, index_t& lo, index_t& hi) {
  const std::string key = "variable length ";
  const std::size_t at = verified.find(key);
  if (at == std::string::npos) return false;
  std::size_t dash = 0;
  lo = static_cast<index_t>(std::stoll(verified.substr(at + key.size()), &dash));
  const std::size_t rest = at + key.size() + dash;
  if (rest >= verified.size() || verified[rest] != '-') return false;
  hi = static_cast<index_t>(std::stoll(verified.substr(rest + 1)));
  return true;
}

TEST(IoManifest, EverySharedDatasetLoadsWithItsManifestFigures) {
  STRIDER_REQUIRE_SHARED_DATASETS();
  const fs::path root = strider::test::shared_datasets();
  const auto rows = read_manifest(root / "MANIFEST.csv");
  std::map<std::string, int> per_kind;
  for (const auto& row : rows) {
    const std::string& name = row.at("name");
    const std::string& kind = row.at("kind");
    SCOPED_TRACE(name + " (" + kind + ")");
    ++per_kind[kind];
    const fs::path folder = root / (kind == "univariate" ? "ucr" : "uea");
    strider::TrainTest data;
    ASSERT_NO_THROW(data = strider::io::load_ucr_dataset(folder, name));
    const Panel& train = data.train;
    const Panel& test = data.test;

    EXPECT_EQ(train.n_series(), to_index(row.at("n_train")));
    EXPECT_EQ(test.n_series(), to_index(row.at("n_test")));
    EXPECT_EQ(train.n_channels(), to_index(row.at("n_channels")));
    EXPECT_EQ(test.n_channels(), to_index(row.at("n_channels")));

    const std::string& length = row.at("length");
    if (length == "variable") {
      EXPECT_FALSE(train.equal_length() && test.equal_length() &&
                   train.max_length() == test.max_length());
      index_t lo = 0, hi = 0;
      ASSERT_TRUE(variable_range(row.at("verified"), lo, hi))
          << "no 'variable length A-B' in the verified column";
      EXPECT_EQ(std::min(train.min_length(), test.min_length()), lo);
      EXPECT_EQ(std::max(train.max_length(), test.max_length()), hi);
    } else {
      EXPECT_TRUE(train.equal_length());
      EXPECT_TRUE(test.equal_length());
      EXPECT_EQ(train.max_length(), to_index(length));
      EXPECT_EQ(test.max_length(), to_index(length));
    }

    // MANIFEST n_classes is the dataset's number of classes; in these archives every
    // class occurs in the training split, and the test split adds none.
    std::set<std::string> all(train.classes().begin(), train.classes().end());
    all.insert(test.classes().begin(), test.classes().end());
    EXPECT_EQ(static_cast<index_t>(all.size()), to_index(row.at("n_classes")));
    EXPECT_EQ(train.n_classes(), to_index(row.at("n_classes")));
  }
  // Guard against a silently truncated manifest.
  EXPECT_EQ(per_kind["univariate"], 67);
  EXPECT_EQ(per_kind["multivariate"], 5);
}

}  // namespace
