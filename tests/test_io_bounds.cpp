// Tests of the bounds every dataset reader applies (strider/limits.hpp,
// strider/io/read_options.hpp): the padding of variable-length files, the longest series,
// the largest value, and the source of each series recorded in the panel.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "io_test_support.hpp"
#include "strider/io/dataset.hpp"
#include "strider/io/ts_format.hpp"
#include "strider/io/ucr.hpp"
#include "strider/limits.hpp"
#include "test_support.hpp"

namespace {

using strider::index_t;
using strider::kMaxSeriesLength;
using strider::Panel;
using strider::test::expect_format_error;
using strider::test::TempDir;
using strider::test::write_file;
namespace fs = std::filesystem;
namespace io = strider::io;

fs::path hostile(const std::string& name) {
  return fs::path(STRIDER_TESTS_DATA_DIR) / "hostile" / name;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// ---- padding: io::ReadOptions::max_padding_ratio ----------------------------------------

// One series of 50,000 values, then 50,000 series of one value: 300 KB of text that, padded
// to the longest series, would need 50,001 x 50,000 doubles (20 GB). Each reader must refuse
// it before allocating; the read runs in a child process with 512 MB of address space to
// spare, so that a reader allocating the padded panel fails there and not on the host.
TEST(IoBoundsPadding, RaggedFilesAreRefusedBeforeTheirPanelIsAllocated) {
  for (const char* name : {"ragged_300KB_allocates_20GB.tsv", "ragged_300KB_allocates_20GB.txt",
                           "ragged_300KB_allocates_20GB.ts"}) {
    const fs::path path = hostile(name);
    ASSERT_TRUE(fs::exists(path)) << path;
    const std::string outcome =
        strider::test::outcome_within_memory([&] { io::read_dataset_file(path); }, 512u << 20);
    // No line: the problem is the whole file. Named: the file, the padded size (50,001 x
    // 1 x 50,000), the values read and the option.
    EXPECT_TRUE(contains(outcome, "FormatError: " + path.string() + ": ")) << outcome;
    for (const char* part :
         {"50001 series x 1 channel x 50000 points", "(the longest series, line ",
          "= 2500050000 values (20.0 GB)", "for the 100000 values read", "max_padding_ratio (16)",
          "ReadOptions::max_padding_ratio"}) {
      EXPECT_TRUE(contains(outcome, part)) << name << ": " << outcome;
    }
  }
}

// `n_series` lines whose lengths cycle through 1 .. max_length: about max_length / 2 values a
// line, so the padded size is about twice the values.
std::string cycling_tsv(index_t n_series, index_t max_length) {
  std::string text;
  for (index_t i = 0; i < n_series; ++i) {
    text += i % 2 == 0 ? "a" : "b";
    for (index_t t = 0; t <= i % max_length; ++t)
      text += "\t0.5";
    text += '\n';
  }
  return text;
}

TEST(IoBoundsPadding, DefaultRatioAcceptsModeratelyRaggedFilesAndTheOptionIsApplied) {
  // 12,000 series of 1 to 400 values: 2,406,000 values, 4,800,000 padded (ratio about 2),
  // well past the 2^20 given to every file.
  const std::string text = cycling_tsv(12000, 400);
  const Panel p = io::parse_ucr_tsv(text, "ragged.tsv");
  EXPECT_EQ(p.n_series(), 12000);
  EXPECT_EQ(p.max_length(), 400);
  EXPECT_EQ(p.min_length(), 1);
  // The same file is refused with a ratio below its own (4,800,000 > 1 x 2,406,000 + 2^20),
  // and accepted again with infinity.
  const io::ReadOptions tight{.max_padding_ratio = 1.0};
  expect_format_error([&] { io::parse_ucr_tsv(text, "ragged.tsv", tight); }, "ragged.tsv", 0,
                      "12000 series x 1 channel x 400 points (the longest series, line 400) = "
                      "4800000 values (38.4 MB) for the 2406000 values read, more than "
                      "max_padding_ratio (1) x 2406000 + 1048576");
  std::string txt = text;
  for (char& c : txt) {
    if (c == '\t') c = ',';
  }
  expect_format_error([&] { io::parse_ucr_txt(txt, "ragged.csv", tight); }, "ragged.csv", 0,
                      "= 4800000 values (38.4 MB) for the 2406000 values read");
  const io::ReadOptions unbounded{.max_padding_ratio = std::numeric_limits<double>::infinity()};
  EXPECT_EQ(io::parse_ucr_txt(txt, "ragged.csv", unbounded).n_series(), 12000);
}

TEST(IoBoundsPadding, TsCountsEveryChannel) {
  // 2 channels: one case of 1000 points, then 1000 cases of 1 point. Padded:
  // 1001 x 2 x 1000 = 2,002,000 values for 4000 read.
  std::string text = "@dimensions 2\n@classLabel false\n@data\n";
  std::string long_channel = "0";
  for (int t = 1; t < 1000; ++t)
    long_channel += ",0";
  text += long_channel + ":" + long_channel + "\n";
  for (int i = 0; i < 1000; ++i)
    text += "1:2\n";
  expect_format_error([&] { io::parse_ts(text, "multi.ts"); }, "multi.ts", 0,
                      "1001 series x 2 channels x 1000 points (the longest series, line 4) = "
                      "2002000 values (16.0 MB) for the 4000 values read");
  EXPECT_EQ(io::parse_ts(text, "multi.ts", {.max_padding_ratio = 1000.0}).n_series(), 1001);
}

TEST(IoBoundsPadding, SmallFilesAreNeverRefused) {
  // Padded 1000 x 1000 = 10^6 <= 2^20, whatever the ratio.
  std::string text = "a";
  for (int t = 0; t < 1000; ++t)
    text += "\t1";
  text += '\n';
  for (int i = 0; i < 999; ++i)
    text += "b\t1\n";
  EXPECT_EQ(io::parse_ucr_tsv(text, "small.tsv", {.max_padding_ratio = 0.0}).max_length(), 1000);
}

TEST(IoBoundsPadding, NegativeOrNanRatioIsACallerError) {
  for (const double bad : {-1.0, std::numeric_limits<double>::quiet_NaN()}) {
    const io::ReadOptions options{.max_padding_ratio = bad};
    EXPECT_THROW(io::parse_ucr_tsv("a\t1\n", "x.tsv", options), std::invalid_argument);
    EXPECT_THROW(io::parse_ucr_txt("a,1\n", "x.txt", options), std::invalid_argument);
    EXPECT_THROW(io::parse_ts("@classLabel false\n@data\n1\n", "x.ts", options),
                 std::invalid_argument);
  }
  EXPECT_NE(strider::test::message_of([] {
              io::parse_ucr_tsv("a\t1\n", "x.tsv", {.max_padding_ratio = -1.0});
            }).find("max_padding_ratio is -1"),
            std::string::npos);
}

// ---- value magnitude: kMaxAbsValue --------------------------------------------------------

const std::string kBeyond =
    "is beyond the largest magnitude accepted, 1e+50 (strider::kMaxAbsValue)";

TEST(IoBoundsMagnitude, TsvNamesFileLineAndPosition) {
  TempDir dir;
  const auto path = dir / "Big_TRAIN.tsv";
  const auto check = [&](const std::string& text, std::size_t line, const std::string& problem,
                         const io::ReadOptions& options = {}) {
    write_file(path, text);
    expect_format_error([&] { io::read_ucr_tsv(path, options); }, path.string(), line, problem);
  };
  check("a\t1\t1e308\n", 1, "value 2: '1e308' " + kBeyond);
  check("a\t1\t2\nb\t3\t4\t-1e308\n", 2, "value 3: '-1e308' " + kBeyond);
  check("a\t1\nb\t2\nc\t1e51\t0\n", 3, "value 1: '1e51' " + kBeyond);
  check("a\t+1e51\n", 1, "value 1: '+1e51' " + kBeyond);  // the slow path ('+')
  check("a\t-1.7976931348623157e+308\n", 1, "value 1: '-1.7976931348623157e+308' " + kBeyond);
  // Without labels every field is a value, counted from 1.
  check("1e51\t2\n", 1, "value 1: '1e51' " + kBeyond, {.labels = io::Labels::unlabelled});
}

TEST(IoBoundsMagnitude, TxtNamesFileLineAndPosition) {
  TempDir dir;
  const auto path = dir / "Big_TEST.txt";
  write_file(path, "1,0.5,2\n2, 3 , 1e51 ,4\n");
  expect_format_error([&] { io::read_ucr_txt(path); }, path.string(), 2,
                      "value 2: '1e51' " + kBeyond);
  write_file(path, "  1.0e+00  2.0e+00\n  2.0e+00  -1.0e+308\n");
  expect_format_error([&] { io::read_ucr_txt(path); }, path.string(), 2,
                      "value 1: '-1.0e+308' " + kBeyond);
}

TEST(IoBoundsMagnitude, TsNamesFileLineDimensionAndPosition) {
  TempDir dir;
  const auto path = dir / "Big_TRAIN.ts";
  write_file(path, "@dimensions 3\n@classLabel true a\n@data\n1,2:3,4:5,6:a\n1,2:3,4:5,1e308:a\n");
  expect_format_error([&] { io::read_ts(path); }, path.string(), 5,
                      "dimension 3, value 2: '1e308' " + kBeyond);
  write_file(path, "@classLabel false\n# a comment\n@data\n-1e51\n");
  expect_format_error([&] { io::read_ts(path); }, path.string(), 4,
                      "dimension 1, value 1: '-1e51' " + kBeyond);
}

TEST(IoBoundsMagnitude, BoundItselfNanAndInfinitiesAreRead) {
  const Panel a = io::parse_ucr_tsv("a\t1e50\t-1e50\tNaN\tinf\t-inf\n");
  EXPECT_EQ(a(0, 0, 0), 1e50);
  EXPECT_EQ(a(0, 0, 1), -1e50);
  EXPECT_TRUE(std::isnan(a(0, 0, 2)));
  EXPECT_EQ(a(0, 0, 3), std::numeric_limits<double>::infinity());
  EXPECT_EQ(a(0, 0, 4), -std::numeric_limits<double>::infinity());
  const Panel b = io::parse_ucr_txt("a,1e50,-1e50,nan,+inf,-Infinity\n");
  strider::test::expect_same_panel(b, a);
  const Panel c = io::parse_ts("@classLabel true a\n@data\n1e50,-1e50,?,inf,-inf:a\n");
  strider::test::expect_same_panel(c, a);
}

// ---- series length: kMaxSeriesLength ------------------------------------------------------

// A line of `n` values (each "0"), separated by `sep`.
std::string zeros(index_t n, char sep) {
  std::string s;
  s.reserve(static_cast<std::size_t>(2 * n));
  for (index_t t = 0; t < n; ++t) {
    if (t > 0) s += sep;
    s += '0';
  }
  return s;
}

TEST(IoBoundsLength, EveryReaderRefusesALineLongerThanTheBound) {
  TempDir dir;
  const std::string too_long = zeros(kMaxSeriesLength + 1, '\t');  // 8 MB
  const std::string problem =
      "the series has more than 4194304 values, the longest series "
      "accepted (strider::kMaxSeriesLength)";
  const auto tsv = dir / "Long_TRAIN.tsv";
  write_file(tsv, "a\t1\nb\t" + too_long + "\n");
  expect_format_error([&] { io::read_ucr_tsv(tsv); }, tsv.string(), 2, problem);
  write_file(tsv, "1\n" + too_long + "\n");
  expect_format_error([&] { io::read_ucr_tsv(tsv, {.labels = io::Labels::unlabelled}); },
                      tsv.string(), 2, problem);
  const auto txt = dir / "Long_TRAIN.txt";
  write_file(txt, "a " + too_long + "\n");
  expect_format_error([&] { io::read_ucr_txt(txt); }, txt.string(), 1, problem);
  const auto ts = dir / "Long_TRAIN.ts";
  write_file(ts, "@classLabel false\n@data\n" + zeros(kMaxSeriesLength + 1, ',') + "\n");
  expect_format_error([&] { io::read_ts(ts); }, ts.string(), 3, "dimension 1: " + problem);
}

TEST(IoBoundsLength, ASeriesOfExactlyTheBoundIsRead) {
  const Panel p = io::parse_ucr_tsv("a\t" + zeros(kMaxSeriesLength, '\t') + "\n");
  EXPECT_EQ(p.max_length(), kMaxSeriesLength);
}

TEST(IoBoundsLength, TsSeriesLengthClaimBeyondTheBoundIsRefusedOnItsLine) {
  expect_format_error(
      [] { io::parse_ts("@problemName x\n@seriesLength 4194305\n@classLabel false\n@data\n1\n"); },
      "<string>", 2,
      "@seriesLength 4194305 is more than 4194304 values, the longest series accepted "
      "(strider::kMaxSeriesLength)");
  expect_format_error([] { io::parse_ts("@seriesLength 99999999999999999999999\n"); }, "<string>",
                      1, "must be a positive integer");
  // Header counts are compared with the cases, never used to allocate.
  expect_format_error(
      [] {
        io::parse_ts(
            "@dimensions 1000000000000\n@seriesLength 4194304\n@classLabel false\n"
            "@data\n1,2\n");
      },
      "<string>", 5, "the case has 1 dimension, expected 1000000000000");
}

TEST(IoBoundsLength, TsLineOfSeparatorsIsRefusedOnItsDimensionCount) {
  // A case of 2 million ':' against @dimensions 2: refused without listing the fields.
  const std::string text =
      "@dimensions 2\n@classLabel true a\n@data\n" + std::string(2000000, ':') + "a\n";
  expect_format_error([&] { io::parse_ts(text, "colons.ts"); }, "colons.ts", 4,
                      "the case has 2000000 dimensions, expected 2");
}

// ---- the source of each series: Panel::set_source -----------------------------------------

TEST(IoBoundsSource, EveryReaderRecordsTheFileAndTheLineOfEachSeries) {
  TempDir dir;
  const auto tsv = dir / "Src_TRAIN.tsv";
  write_file(tsv,
             "\xEF\xBB\xBF"
             "a\t1\t2\t3\r\nb\t4\r\nc\t5\t6\r\n\r\n");
  const Panel p = io::read_ucr_tsv(tsv);
  EXPECT_EQ(p.source_file(), tsv.string());
  EXPECT_EQ(p.describe_point(0, 0, 2), tsv.string() + " line 1, channel 1, value 3");
  EXPECT_EQ(p.describe_point(2, 0, 1), tsv.string() + " line 3, channel 1, value 2");
  EXPECT_EQ(p.describe_series(1), tsv.string() + " line 2");
  // subset() keeps the lines of the series it takes.
  EXPECT_EQ(p.subset({2, 0}).describe_series(0), tsv.string() + " line 3");

  const auto txt = dir / "Src_TRAIN.csv";
  write_file(txt, "a,1,2\nb,3\n");
  const Panel q = io::read_dataset_file(txt);
  EXPECT_EQ(q.describe_point(1, 0, 0), txt.string() + " line 2, channel 1, value 1");

  // .ts: the data line of each case, past the header and the comments.
  const auto ts = dir / "Src_TEST.ts";
  write_file(ts,
             "# comment\n@dimensions 2\n@classLabel true x y\n@data\n1,2:3,4:x\n# between\n"
             "5:6:y\n");
  const Panel r = io::read_ts(ts);
  EXPECT_EQ(r.describe_series(0), ts.string() + " line 5");
  EXPECT_EQ(r.describe_point(1, 1, 0), ts.string() + " line 7, channel 2, value 1");
}

TEST(IoBoundsSource, ParsedTextUsesItsSourceName) {
  EXPECT_EQ(io::parse_ucr_tsv("a\t1\nb\t2\t3\n").describe_point(1, 0, 1),
            "<string> line 2, channel 1, value 2");
  EXPECT_EQ(io::parse_ucr_txt("1 2\n3 4\n", "mem.txt", {.labels = io::Labels::unlabelled})
                .describe_point(1, 0, 1),
            "mem.txt line 2, channel 1, value 2");
  EXPECT_EQ(io::parse_ts("@classLabel false\n@data\n1\n2\n", "mem.ts").describe_series(1),
            "mem.ts line 4");
}

}  // namespace
