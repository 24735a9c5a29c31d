// Tests of the sktime/aeon .ts reader and writer (strider/io/ts_format.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "io_test_support.hpp"
#include "strider/io/ts_format.hpp"
#include "strider/random.hpp"
#include "strider/regressor.hpp"
#include "test_support.hpp"

namespace {

using strider::index_t;
using strider::Panel;
using strider::test::expect_format_error;
using strider::test::TempDir;
using strider::test::write_file;
namespace io = strider::io;

TEST(IoTs, UnivariateEqualLength) {
  const Panel p = io::parse_ts(
      "# a comment\n"
      "@problemName Toy\n@timeStamps false\n@missing false\n@univariate true\n"
      "@equalLength true\n@seriesLength 3\n@classLabel true a b\n@data\n"
      "1,2,3:a\n4.5,-5,6e2:b\n");
  ASSERT_EQ(p.n_series(), 2);
  EXPECT_EQ(p.n_channels(), 1);
  EXPECT_EQ(p.max_length(), 3);
  EXPECT_EQ(p.labels(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(p(0, 0, 2), 3.0);
  EXPECT_EQ(p(1, 0, 0), 4.5);
  EXPECT_EQ(p(1, 0, 2), 600.0);
}

TEST(IoTs, MultivariateValuesGoToTheirChannel) {
  const Panel p = io::parse_ts(
      "@problemName M\n@univariate false\n@dimensions 3\n@equalLength true\n"
      "@seriesLength 2\n@classLabel true x y\n@data\n"
      "1,2:3,4:5,6:x\n7,8:9,10:11,12:y\n");
  ASSERT_EQ(p.n_channels(), 3);
  ASSERT_EQ(p.max_length(), 2);
  for (index_t i = 0; i < 2; ++i) {
    for (index_t c = 0; c < 3; ++c) {
      for (index_t t = 0; t < 2; ++t)
        EXPECT_EQ(p(i, c, t), static_cast<double>(6 * i + 2 * c + t + 1));
    }
  }
}

TEST(IoTs, UnequalLengthMultivariate) {
  const Panel p = io::parse_ts(
      "@univariate false\n@dimension 2\n@equalLength false\n@classLabel true 1 2\n@data\n"
      "1,2,3,4:5,6,7,8:1\n9:10:2\n11,12:13,14:1\n");
  EXPECT_EQ(p.lengths(), (std::vector<index_t>{4, 1, 2}));
  EXPECT_EQ(p.n_channels(), 2);
  EXPECT_EQ(p(1, 0, 0), 9.0);
  EXPECT_EQ(p(1, 1, 0), 10.0);
  EXPECT_EQ(p(1, 1, 1), 0.0);  // padding
  EXPECT_EQ(p(2, 1, 1), 14.0);
}

TEST(IoTs, QuestionMarkAndNanAreMissing) {
  const Panel p = io::parse_ts("@missing true\n@classLabel true a\n@data\n1,?,NaN,nan:a\n");
  EXPECT_EQ(p(0, 0, 0), 1.0);
  EXPECT_TRUE(std::isnan(p(0, 0, 1)));
  EXPECT_TRUE(std::isnan(p(0, 0, 2)));
  EXPECT_TRUE(std::isnan(p(0, 0, 3)));
}

TEST(IoTs, TagsAreCaseInsensitiveAndLayoutIsForgiving) {
  const Panel p = io::parse_ts(
      "#comment\r\n\r\n@PROBLEMNAME x\r\n@TimeStamps FALSE\r\n@ClassLabel TRUE Up Down\r\n"
      "   \r\n@DATA\r\n# a comment among cases\r\n 1 , 2 : Up \r\n3,4:Down\r\n\r\n");
  EXPECT_EQ(p.labels(), (std::vector<std::string>{"Up", "Down"}));
  EXPECT_EQ(p(0, 0, 1), 2.0);
  EXPECT_EQ(p(1, 0, 0), 3.0);
}

TEST(IoTs, ClassLabelFalseAndTargetLabelFalseGiveUnlabelledPanels) {
  const Panel a = io::parse_ts("@classLabel false\n@data\n1,2:3,4\n5,6:7,8\n");
  EXPECT_FALSE(a.has_labels());
  EXPECT_EQ(a.n_channels(), 2);
  const Panel b = io::parse_ts("@targetLabel false\n@data\n1,2\n");
  EXPECT_FALSE(b.has_labels());
  EXPECT_EQ(b.n_channels(), 1);
}

TEST(IoTs, LabelsFollowTheHeaderAndUnlabelledDropsThem) {
  const io::ReadOptions unlabelled{.labels = io::Labels::unlabelled};
  const std::string with = "@classLabel true a b\n@data\n1,2:3,4:a\n5,6:7,8:b\n";
  const std::string without = "@classLabel false\n@data\n1,2:3,4\n5,6:7,8\n";
  const Panel labelled = io::parse_ts(with);
  EXPECT_EQ(labelled.labels(), (std::vector<std::string>{"a", "b"}));
  // Labels::unlabelled drops declared labels; the values are the same.
  const Panel dropped = io::parse_ts(with, "x.ts", unlabelled);
  EXPECT_FALSE(dropped.has_labels());
  EXPECT_TRUE(dropped.labels().empty());
  ASSERT_EQ(dropped.n_channels(), 2);
  ASSERT_EQ(dropped.max_length(), 2);
  for (index_t k = 0; k < 8; ++k)
    EXPECT_EQ(dropped.data().data()[k], labelled.data().data()[k]);
  // @classLabel false reads without labels in both modes: nothing to guess.
  for (const io::ReadOptions& options : {io::ReadOptions{}, unlabelled}) {
    const Panel p = io::parse_ts(without, "x.ts", options);
    EXPECT_FALSE(p.has_labels());
    EXPECT_EQ(p.n_channels(), 2);
    strider::test::expect_same_panel(p, dropped);
  }
  // Dropped labels are still checked: the file is malformed either way.
  expect_format_error(
      [&] { io::parse_ts("@classLabel true a\n@data\n1,2:a\n3,4:c\n", "x.ts", unlabelled); },
      "x.ts", 4, "label 'c' is not declared in @classLabel");
  expect_format_error([&] { io::parse_ts("@classLabel true a\n@data\n1,2\n", "x.ts", unlabelled); },
                      "x.ts", 3, "missing label");
  // Without @classLabel the last ':' field stays ambiguous, whatever the caller says.
  expect_format_error([&] { io::parse_ts("@data\n1,2:3\n", "x.ts", unlabelled); }, "x.ts", 1,
                      "@data reached without @classLabel");
}

TEST(IoTs, ReadTsPassesTheLabelsOption) {
  TempDir dir;
  const auto path = dir / "L_TEST.ts";
  write_file(path, "@classLabel true up down\n@data\n1,2,3:up\n4,5,6:down\n");
  EXPECT_TRUE(io::read_ts(path).has_labels());
  const Panel p = io::read_ts(path, {.labels = io::Labels::unlabelled});
  EXPECT_FALSE(p.has_labels());
  EXPECT_EQ(p(1, 0, 2), 6.0);
}

TEST(IoTs, DimensionsAreInferredFromTheFirstCase) {
  const Panel p = io::parse_ts("@classLabel true a\n@data\n1:2:3:4:a\n5:6:7:8:a\n");
  EXPECT_EQ(p.n_channels(), 4);
  EXPECT_EQ(p.max_length(), 1);
  EXPECT_EQ(p(1, 3, 0), 8.0);
}

Panel random_multivariate(bool labelled) {
  strider::Rng rng(3);
  const index_t n = 9, c = 3, t_max = 12;
  Panel::Tensor t = Panel::Tensor::from_shape({9, 3, 12});
  std::vector<index_t> lengths(n);
  std::vector<std::string> labels(n);
  for (index_t i = 0; i < n; ++i) {
    lengths[i] = 1 + static_cast<index_t>(rng.uniform_int(static_cast<std::uint64_t>(t_max)));
    labels[i] = i % 3 == 0 ? "walk" : (i % 3 == 1 ? "run" : "2.5");
    for (index_t k = 0; k < c * t_max; ++k)
      t.data()[i * c * t_max + k] =
          rng.uniform() < 0.1 ? std::numeric_limits<double>::quiet_NaN() : rng.normal();
  }
  Panel p(std::move(t), lengths);
  if (labelled) p.set_labels(labels);
  return p;
}

TEST(IoTs, WriteThenReadIsBitIdentical) {
  TempDir dir;
  for (bool labelled : {true, false}) {
    const Panel p = random_multivariate(labelled);
    io::write_ts(p, dir / "Multi_TRAIN.ts");
    const Panel back = io::read_ts(dir / "Multi_TRAIN.ts");
    strider::test::expect_same_panel(back, p);
    EXPECT_EQ(strider::test::count_entries(dir.path()), 1u);
  }
}

TEST(IoTs, WrittenHeaderDescribesThePanel) {
  const Panel p = random_multivariate(true);
  const std::string text = io::format_ts(p, "Multi");
  EXPECT_NE(text.find("@problemName Multi\n"), std::string::npos);
  EXPECT_NE(text.find("@dimensions 3\n"), std::string::npos);
  EXPECT_NE(text.find("@equalLength false\n"), std::string::npos);
  EXPECT_NE(text.find("@missing true\n"), std::string::npos);
  EXPECT_NE(text.find("@classLabel true 2.5 run walk\n"), std::string::npos);
  EXPECT_EQ(text.find("@seriesLength"), std::string::npos);
  EXPECT_THROW(io::format_ts(p, "has space"), std::invalid_argument);
  Panel bad = random_multivariate(false);
  bad.set_labels(std::vector<std::string>(9, "a:b"));
  EXPECT_THROW(io::format_ts(bad, "x"), std::invalid_argument);
  EXPECT_THROW(io::format_ts(Panel(), "x"), std::invalid_argument);
}

// ---- malformed .ts: every message names the file and the line ------------------------

void expect_ts_error(const std::string& text, std::size_t line, const std::string& problem) {
  TempDir dir;
  const auto path = dir / "Bad_TRAIN.ts";
  write_file(path, text);
  expect_format_error([&] { io::read_ts(path); }, path.string(), line, problem);
}

const std::string kHead = "@problemName t\n@classLabel true a b\n@data\n";  // 3 lines

TEST(IoTsErrors, UnknownTag) {
  expect_ts_error("@problemName t\n@colour red\n@data\n", 2, "unknown tag '@colour'");
}

TEST(IoTsErrors, DataBeforeData) {
  expect_ts_error("@problemName t\n1,2,3:a\n@classLabel true a\n@data\n", 2, "data before @data");
}

TEST(IoTsErrors, MissingData) {
  expect_ts_error("# c\n@problemName t\n@classLabel true a\n", 3, "without an @data line");
}

TEST(IoTsErrors, EmptyFile) {
  expect_ts_error("", 1, "empty file");
  expect_ts_error("# only a comment\n\n", 1, "empty file");
}

TEST(IoTsErrors, NoCases) {
  expect_ts_error(kHead, 3, "no cases after @data");
}

TEST(IoTsErrors, LabelNotDeclared) {
  expect_ts_error(kHead + "1,2:a\n3,4:c\n", 5,
                  "label 'c' is not declared in @classLabel (line 2: a b)");
}

TEST(IoTsErrors, MissingLabel) {
  expect_ts_error(kHead + "1,2:a\n3,4\n", 5, "missing label");
  expect_ts_error(kHead + "1,2:\n", 4, "missing label");
}

TEST(IoTsErrors, DimensionsDisagreeWithHeader) {
  expect_ts_error("@dimensions 2\n@classLabel true a\n@data\n1,2:3,4:a\n1,2:a\n", 5,
                  "the case has 1 dimension, expected 2 (@dimensions 2 on line 1)");
}

TEST(IoTsErrors, DimensionsDisagreeBetweenCases) {
  expect_ts_error(kHead + "1,2:3,4:a\n1,2:3,4:5,6:b\n", 5,
                  "the case has 3 dimensions, expected 2 (the first case, line 4)");
}

TEST(IoTsErrors, UnivariateWithTwoDimensions) {
  expect_ts_error("@univariate true\n@classLabel true a\n@data\n1,2:3,4:a\n", 4,
                  "expected 1 (@univariate true)");
  expect_ts_error("@univariate true\n@dimensions 2\n@classLabel true a\n@data\n", 4,
                  "@univariate true contradicts @dimensions 2");
}

TEST(IoTsErrors, ChannelsOfOneCaseWithDifferentLengths) {
  expect_ts_error(kHead + "1,2,3:4,5:a\n", 4, "dimension 2 has 2 values but dimension 1 has 3");
}

TEST(IoTsErrors, EqualLengthViolated) {
  expect_ts_error("@equalLength true\n@classLabel true a\n@data\n1,2:a\n1,2,3:a\n", 5,
                  "the case has length 3 but the first case (line 4) has 2");
  expect_ts_error("@seriesLength 2\n@classLabel true a\n@data\n1,2:a\n1,2,3:a\n", 5,
                  "@seriesLength is 2 (line 1)");
}

TEST(IoTsErrors, SeriesLengthIgnoredForUnequalLength) {
  const Panel p =
      io::parse_ts("@equalLength false\n@seriesLength 2\n@classLabel true a\n@data\n1:a\n");
  EXPECT_EQ(p.max_length(), 1);
}

TEST(IoTsErrors, NonNumericAndEmptyValues) {
  expect_ts_error(kHead + "1,2:a\n1,x:b\n", 5, "dimension 1, value 2: 'x' is not a number");
  expect_ts_error(kHead + "1,,2:a\n", 4, "dimension 1, value 2: empty value");
  expect_ts_error("@classLabel true a\n@data\n1,2::a\n", 3, "dimension 2 has no values");
}

TEST(IoTsErrors, EmptyLineBetweenCases) {
  expect_ts_error(kHead + "1,2:a\n\n3,4:b\n", 5, "empty line between cases");
}

TEST(IoTsErrors, UnsupportedFeatures) {
  expect_ts_error("@timeStamps true\n@classLabel true a\n@data\n", 1,
                  "time-stamped series are not supported");
}

TEST(IoTs, TargetLabelTrueReadsNumericTargets) {
  const io::ReadOptions targets{.labels = io::Labels::targets};
  const Panel p = io::parse_ts("@problemName r\n@targetLabel true\n@data\n1,2,3:0.5\n4,5,6: -1e3\n",
                               "<string>", targets);
  ASSERT_TRUE(p.has_labels());
  EXPECT_EQ(p.n_series(), 2);
  EXPECT_EQ(targets_from_labels(p), (std::vector<double>{0.5, -1000.0}));
  // Dropped on request, like class labels.
  const Panel u = io::parse_ts("@targetLabel true\n@data\n1,2:0.5\n", "<string>",
                               {.labels = io::Labels::unlabelled});
  EXPECT_FALSE(u.has_labels());
}

TEST(IoTsErrors, TargetsMustBeFiniteNumbersReadAsTargets) {
  const io::ReadOptions targets{.labels = io::Labels::targets};
  auto expect_error = [&](const std::string& text, std::size_t line, const std::string& problem) {
    TempDir dir;
    const auto path = dir / "Bad_TRAIN.ts";
    write_file(path, text);
    expect_format_error([&] { io::read_ts(path, targets); }, path.string(), line, problem);
  };
  expect_error("@targetLabel true\n@data\n1,2:0.5\n3,4:abc\n", 4,
               "target 'abc' is not a finite number of magnitude at most 1e50 (@targetLabel "
               "true on line 1)");
  expect_error("@targetLabel true\n@data\n1,2:nan\n", 3, "is not a finite number");
  expect_error("@targetLabel true\n@data\n1,2:1e999\n", 3, "is not a finite number");
  expect_error("@targetLabel true\n@data\n1,2:1e60\n", 3, "magnitude at most 1e50");
  expect_error("@targetLabel true\n@data\n1,2\n", 3, "@targetLabel true on line 1");
  expect_error("@classLabel true a\n@targetLabel true\n@data\n", 2,
               "both @classLabel and @targetLabel are given");
  // Read as class labels, numeric targets would give one class per value: refused.
  expect_ts_error("@targetLabel true\n@data\n1,2:0.5\n", 1,
                  "read the file with numeric targets (io::Labels::targets; --task regression)");
}

TEST(IoTsErrors, HeaderProblems) {
  expect_ts_error("@problemName t\n@data\n1,2\n", 2, "@data reached without @classLabel");
  expect_ts_error("@classLabel true a\n@classLabel true b\n@data\n", 2,
                  "given twice (first on line 1)");
  expect_ts_error("@dimension 2\n@dimensions 2\n@classLabel true a\n@data\n", 2,
                  "given twice (first on line 1)");
  expect_ts_error("@missing maybe\n", 1, "must be true or false, found 'maybe'");
  expect_ts_error("@dimensions 0\n", 1, "must be a positive integer, found '0'");
  expect_ts_error("@classLabel true\n", 1, "declares no labels");
  expect_ts_error("@classLabel false a\n", 1, "cannot be followed by labels");
  expect_ts_error(kHead + "1,2:a\n@missing false\n", 5, "after @data (line 3)");
}

TEST(IoTsErrors, FileNotFoundNamesThePath) {
  TempDir dir;
  expect_format_error([&] { io::read_ts(dir / "None_TEST.ts"); }, (dir / "None_TEST.ts").string(),
                      0, "no such file");
}

}  // namespace
