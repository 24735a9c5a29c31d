// Tests of the UCR readers and writer (strider/io/ucr.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "io_test_support.hpp"
#include "strider/datasets/cylinder_bell_funnel.hpp"
#include "strider/io/ucr.hpp"
#include "strider/limits.hpp"
#include "strider/random.hpp"
#include "test_support.hpp"

namespace {

using strider::index_t;
using strider::Panel;
using strider::test::expect_format_error;
using strider::test::TempDir;
using strider::test::write_file;
namespace io = strider::io;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// A variable-length univariate panel with awkward values: NaN, infinities, -0, the largest
// magnitude the readers accept (kMaxAbsValue), the smallest doubles and numbers with 17
// significant digits.
Panel awkward_panel() {
  const std::vector<index_t> lengths = {5, 1, 3, 5};
  Panel::Tensor t = Panel::Tensor::from_shape({4, 1, 5});
  const double rows[4][5] = {
      {0.1, -0.0, 1.0 / 3.0, strider::kMaxAbsValue, kNaN},
      {std::numeric_limits<double>::denorm_min(), 0, 0, 0, 0},
      {kInf, -kInf, -123456789.123456789, 0, 0},
      {std::numeric_limits<double>::min(), 2.5e-300, -7e+22, 0.30000000000000004, 1e-5}};
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t j = 0; j < 5; ++j)
      t(i, 0, j) = rows[i][j];
  }
  return Panel(std::move(t), lengths, {"b", "-1", "b", "10"});
}

TEST(IoUcrTsv, ParsesLabelsValuesAndLengths) {
  const Panel p = io::parse_ucr_tsv("1\t0.5\t-1.25\t3\n-1\t2\t1e-3\t+4\n1\t7\t8\t9\n");
  ASSERT_EQ(p.n_series(), 3);
  EXPECT_EQ(p.n_channels(), 1);
  EXPECT_EQ(p.max_length(), 3);
  EXPECT_TRUE(p.equal_length());
  EXPECT_EQ(p.labels(), (std::vector<std::string>{"1", "-1", "1"}));
  EXPECT_EQ(p.classes(), (std::vector<std::string>{"-1", "1"}));
  EXPECT_EQ(p.y(), (std::vector<index_t>{1, 0, 1}));
  EXPECT_EQ(p(0, 0, 0), 0.5);
  EXPECT_EQ(p(0, 0, 1), -1.25);
  EXPECT_EQ(p(1, 0, 1), 0.001);
  EXPECT_EQ(p(1, 0, 2), 4.0);
  EXPECT_EQ(p(2, 0, 2), 9.0);
}

TEST(IoUcrTsv, VariableLengthLinesGiveLengthsAndZeroPadding) {
  const Panel p = io::parse_ucr_tsv("a\t1\t2\t3\t4\nb\t5\nc\t6\t7\n");
  EXPECT_FALSE(p.equal_length());
  EXPECT_EQ(p.lengths(), (std::vector<index_t>{4, 1, 2}));
  EXPECT_EQ(p.max_length(), 4);
  EXPECT_EQ(p.min_length(), 1);
  EXPECT_EQ(p(1, 0, 0), 5.0);
  EXPECT_EQ(p(1, 0, 1), 0.0);  // padding
  EXPECT_EQ(p(2, 0, 1), 7.0);
  EXPECT_EQ(p(2, 0, 3), 0.0);
}

TEST(IoUcrTsv, NanSpellingsAreMissingAndInfinityIsKept) {
  const Panel p = io::parse_ucr_tsv("1\tNaN\tnan\tNAN\t1\n2\tinf\t-Infinity\t+inf\t2\n");
  EXPECT_TRUE(std::isnan(p(0, 0, 0)));
  EXPECT_TRUE(std::isnan(p(0, 0, 1)));
  EXPECT_TRUE(std::isnan(p(0, 0, 2)));
  EXPECT_TRUE(p.has_missing());
  EXPECT_EQ(p(1, 0, 0), kInf);
  EXPECT_EQ(p(1, 0, 1), -kInf);
  EXPECT_EQ(p(1, 0, 2), kInf);
}

TEST(IoUcrTsv, AcceptsCrlfMissingFinalNewlineAndTrailingBlankLines) {
  const Panel expected = io::parse_ucr_tsv("1\t0.5\t2\n2\t3\t4\n");
  strider::test::expect_same_panel(io::parse_ucr_tsv("1\t0.5\t2\r\n2\t3\t4\r\n"), expected);
  strider::test::expect_same_panel(io::parse_ucr_tsv("1\t0.5\t2\n2\t3\t4"), expected);
  strider::test::expect_same_panel(io::parse_ucr_tsv("1\t0.5\t2\n2\t3\t4\n\n\r\n  \n"), expected);
  strider::test::expect_same_panel(io::parse_ucr_tsv("\xEF\xBB\xBF"
                                                     "1\t0.5\t2\n2\t3\t4\n"),
                                   expected);
}

TEST(IoUcrTsv, WriteThenReadIsBitIdenticalWithVariableLengthAndNan) {
  TempDir dir;
  const Panel p = awkward_panel();
  io::write_ucr_tsv(p, dir / "X_TRAIN.tsv");
  const Panel back = io::read_ucr_tsv(dir / "X_TRAIN.tsv");
  strider::test::expect_same_panel(back, p);
  EXPECT_EQ(back.classes(), p.classes());
  EXPECT_EQ(strider::test::count_entries(dir.path()), 1u);  // no temporary file left
}

TEST(IoUcrTsv, WritesNanAsNanAndOneLinePerSeries) {
  const std::string text = io::format_ucr_tsv(awkward_panel());
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);
  EXPECT_EQ(text.substr(0, text.find('\n')), "b\t0.1\t-0\t0.3333333333333333\t1e+50\tNaN");
  EXPECT_EQ(text.substr(text.find("-1\t")).substr(0, 12), "-1\t5e-324\nb\t");
}

TEST(IoUcrTsv, RandomRoundTripIsBitIdentical) {
  strider::Rng rng(7);
  const index_t n = 50, t_max = 40;
  Panel::Tensor t = Panel::Tensor::from_shape({50, 1, 40});
  std::vector<index_t> lengths(n);
  std::vector<std::string> labels(n);
  for (index_t i = 0; i < n; ++i) {
    lengths[i] = 1 + static_cast<index_t>(rng.uniform_int(static_cast<std::uint64_t>(t_max)));
    labels[i] = std::to_string(rng.uniform_int(5));
    for (index_t j = 0; j < t_max; ++j)
      t(i, 0, j) = rng.normal() * std::pow(10.0, rng.uniform(-30, 30));
  }
  const Panel p(std::move(t), lengths, labels);
  strider::test::expect_same_panel(io::parse_ucr_tsv(io::format_ucr_tsv(p)), p);
}

TEST(IoUcrTsv, CylinderBellFunnelRoundTrip) {
  TempDir dir;
  strider::datasets::CylinderBellFunnelParams params;
  params.n_train = 12;
  params.n_test = 6;
  params.length = 64;
  const auto data = strider::datasets::load_cylinder_bell_funnel(params);
  io::write_ucr_tsv(data.train, dir / "CBF_TRAIN.tsv");
  const Panel back = io::read_ucr_tsv(dir / "CBF_TRAIN.tsv");
  strider::test::expect_same_panel(back, data.train);
  EXPECT_EQ(back.classes(), (std::vector<std::string>{"1", "2", "3"}));
}

TEST(IoUcrTsv, WriterRejectsWhatTheFormatCannotHold) {
  TempDir dir;
  Panel unlabelled(Panel::Tensor::from_shape({2, 1, 3}));
  EXPECT_THROW(io::write_ucr_tsv(unlabelled, dir / "a.tsv"), std::invalid_argument);
  Panel multi(Panel::Tensor::from_shape({2, 2, 3}), {3, 3}, {"a", "b"});
  EXPECT_THROW(io::write_ucr_tsv(multi, dir / "a.tsv"), std::invalid_argument);
  Panel tab(Panel::Tensor::from_shape({2, 1, 3}), {3, 3}, {"a\tb", "c"});
  EXPECT_THROW(io::write_ucr_tsv(tab, dir / "a.tsv"), std::invalid_argument);
  Panel empty_label(Panel::Tensor::from_shape({1, 1, 3}), {3}, {""});
  EXPECT_THROW(io::write_ucr_tsv(empty_label, dir / "a.tsv"), std::invalid_argument);
  // a leading byte-order mark would be read back as the file's encoding mark
  Panel bom(Panel::Tensor::from_shape({1, 1, 3}), {3},
            {"\xEF\xBB\xBF"
             "a"});
  EXPECT_THROW(io::write_ucr_tsv(bom, dir / "a.tsv"), std::invalid_argument);
  EXPECT_THROW(io::write_ucr_tsv(Panel(), dir / "a.tsv"), std::invalid_argument);
  EXPECT_EQ(strider::test::count_entries(dir.path()), 0u);
}

TEST(IoUcrTsv, WriterReplacesAtomicallyAndLeavesNothingOnFailure) {
  TempDir dir;
  const Panel p = awkward_panel();
  write_file(dir / "out.tsv", "old content\n");
  io::write_ucr_tsv(p, dir / "out.tsv");
  strider::test::expect_same_panel(io::read_ucr_tsv(dir / "out.tsv"), p);
  EXPECT_EQ(strider::test::count_entries(dir.path()), 1u);

  // The target is a directory: the temporary file is written, the rename fails, and the
  // temporary file is removed.
  std::filesystem::create_directory(dir / "taken.tsv");
  try {
    io::write_ucr_tsv(p, dir / "taken.tsv");
    ADD_FAILURE() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("taken.tsv"), std::string::npos) << e.what();
  }
  EXPECT_EQ(strider::test::count_entries(dir.path()), 2u);

  // A folder that does not exist.
  try {
    io::write_ucr_tsv(p, dir / "missing" / "out.tsv");
    ADD_FAILURE() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("missing/out.tsv"), std::string::npos) << e.what();
  }
}

// ---- malformed .tsv: every message names the file and the line ----------------------

void expect_tsv_error(const std::string& text, std::size_t line, const std::string& problem) {
  TempDir dir;
  const auto path = dir / "Bad_TRAIN.tsv";
  write_file(path, text);
  expect_format_error([&] { io::read_ucr_tsv(path); }, path.string(), line, problem);
}

TEST(IoUcrTsvErrors, NonNumericValue) {
  expect_tsv_error("1\t0.5\t2\n2\t0.5\tabc\t3\n", 2, "value 2: 'abc' is not a number");
  expect_tsv_error("1\t1,5\n", 1, "value 1: '1,5' is not a number");
  expect_tsv_error("1\t0x10\n", 1, "'0x10' is not a number");
  expect_tsv_error("1\t1e\n", 1, "'1e' is not a number");
  expect_tsv_error("1\t+-1\n", 1, "'+-1' is not a number");
  expect_tsv_error("1\t 1\n", 1, "value 1: ' 1' is not a number");
  expect_tsv_error("1\t2\t3\n1\t2 3\n", 2, "value 1: '2 3' is not a number");
}

TEST(IoUcrTsvErrors, ValueOutOfRange) {
  expect_tsv_error("1\t1\t1e999\n", 1, "value 2: '1e999' is out of the range of double");
}

TEST(IoUcrTsvErrors, EmptyValue) {
  expect_tsv_error("1\t1\t\t2\n", 1, "value 2: empty value");
  expect_tsv_error("1\t1\t2\t\n", 1, "value 3: empty value");
}

TEST(IoUcrTsvErrors, EmptyLineBetweenSeries) {
  expect_tsv_error("1\t1\t2\n\n2\t3\t4\n", 2, "empty line");
  expect_tsv_error("1\t1\t2\n2\t3\t4\n \t\n1\t5\t6\n", 3, "empty line");
}

TEST(IoUcrTsvErrors, EmptyFile) {
  expect_tsv_error("", 1, "empty file");
  expect_tsv_error("\n\r\n  \n", 1, "empty file");
}

TEST(IoUcrTsvErrors, MissingLabel) {
  expect_tsv_error("1\t1\t2\n\t3\t4\n", 2, "missing label");
}

TEST(IoUcrTsvErrors, LabelWithoutValues) {
  expect_tsv_error("1\t1\t2\n2\t3\n7\n", 3, "label '7' but no values");
}

TEST(IoUcrTsvErrors, FileNotFoundNamesThePath) {
  TempDir dir;
  expect_format_error([&] { io::read_ucr_tsv(dir / "Nope_TRAIN.tsv"); },
                      (dir / "Nope_TRAIN.tsv").string(), 0, "no such file");
  expect_format_error([&] { io::read_ucr_tsv(dir.path()); }, dir.path().string(), 0, "directory");
}

// ---- UCR 2015 .txt / .csv -------------------------------------------------------------

TEST(IoUcrTxt, CommaSeparatedWithSpaces) {
  const Panel p = io::parse_ucr_txt("1, 0.5,2\n2 ,3 , 4\r\n");
  EXPECT_EQ(p.labels(), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(p.max_length(), 2);
  EXPECT_EQ(p(0, 0, 0), 0.5);
  EXPECT_EQ(p(1, 0, 1), 4.0);
}

TEST(IoUcrTxt, WhitespaceSeparatedWithLeadingSpacesAndScientificLabels) {
  const Panel p = io::parse_ucr_txt(
      "  1.0000000e+00  -1.5000000e+00   2.0000000e-01\n"
      "  2.0000000e+00\t 3.0000000e+00  NaN\n");
  EXPECT_EQ(p.labels(), (std::vector<std::string>{"1.0000000e+00", "2.0000000e+00"}));
  EXPECT_EQ(p(0, 0, 0), -1.5);
  EXPECT_EQ(p(0, 0, 1), 0.2);
  EXPECT_EQ(p(1, 0, 0), 3.0);
  EXPECT_TRUE(std::isnan(p(1, 0, 1)));
}

TEST(IoUcrTxt, VariableLengthAndRoundTripThroughTsvWriter) {
  const Panel p = awkward_panel();
  std::string text = io::format_ucr_tsv(p);
  strider::test::expect_same_panel(io::parse_ucr_txt(text), p);  // tabs are whitespace
  for (char& c : text) {
    if (c == '\t') c = ',';
  }
  strider::test::expect_same_panel(io::parse_ucr_txt(text), p);
}

void expect_txt_error(const std::string& text, std::size_t line, const std::string& problem) {
  TempDir dir;
  const auto path = dir / "Bad_TEST.txt";
  write_file(path, text);
  expect_format_error([&] { io::read_ucr_txt(path); }, path.string(), line, problem);
}

TEST(IoUcrTxtErrors, InconsistentSeparators) {
  expect_txt_error("1,2,3\n2,3,4\n3 4 5\n", 3,
                   "inconsistent separators: this line is separated by whitespace, line 1");
  expect_txt_error("1 2 3\n2 3,4\n", 2, "inconsistent separators: this line contains a comma");
}

TEST(IoUcrTxtErrors, EveryMalformedLine) {
  expect_txt_error("1,2,x\n", 1, "value 2: 'x' is not a number");
  expect_txt_error("1 2 3\n\n2 3 4\n", 2, "empty line");
  expect_txt_error("", 1, "empty file");
  expect_txt_error("1,2\n,3,4\n", 2, "missing label");
  expect_txt_error("1,2\n3\n", 2, "label '3' but no values");
  expect_txt_error("1 2\n3\n", 2, "label '3' but no values");
  expect_txt_error("1,2,\n", 1, "value 2: empty value");
}

// ---- labelled or not (strider/io/read_options.hpp) -----------------------------------

const io::ReadOptions kUnlabelled{.labels = io::Labels::unlabelled};

// Two z-normalised series without a label column, the second one shorter.
const std::string kUnlabelledTsv =
    "-0.73160135\t0.21470032\t1.5169010\n"
    "1.2489541\t-0.58839120\n";

TEST(IoUcrLabels, UnlabelledTsvGivesEveryFieldAsAValueAndNoLabels) {
  const Panel p = io::parse_ucr_tsv(kUnlabelledTsv, "x.tsv", kUnlabelled);
  ASSERT_EQ(p.n_series(), 2);
  EXPECT_FALSE(p.has_labels());
  EXPECT_TRUE(p.labels().empty());
  EXPECT_EQ(p.lengths(), (std::vector<index_t>{3, 2}));
  EXPECT_EQ(p(0, 0, 0), -0.73160135);
  EXPECT_EQ(p(0, 0, 2), 1.5169010);
  EXPECT_EQ(p(1, 0, 0), 1.2489541);
  EXPECT_EQ(p(1, 0, 1), -0.58839120);
  EXPECT_EQ(p(1, 0, 2), 0.0);  // padding
}

TEST(IoUcrLabels, UnlabelledReadEqualsTheLabelledReadWithoutItsLabels) {
  const Panel labelled = awkward_panel();
  const std::string text = io::format_ucr_tsv(labelled);
  std::string values_only;  // the same lines without their first field (and its tab)
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t tab = text.find('\t', start), end = text.find('\n', start);
    values_only += text.substr(tab + 1, end - tab);  // up to and including the newline
    start = end + 1;
  }
  const Panel back = io::parse_ucr_tsv(values_only, "x.tsv", kUnlabelled);
  EXPECT_FALSE(back.has_labels());
  ASSERT_EQ(back.lengths(), labelled.lengths());
  for (index_t i = 0; i < back.n_series(); ++i) {
    for (index_t t = 0; t < back.length(i); ++t)
      EXPECT_TRUE(strider::test::same_bits(back(i, 0, t), labelled(i, 0, t))) << i << " " << t;
  }
  // .txt reader: tabs are whitespace
  const Panel back_txt = io::parse_ucr_txt(values_only, "x.txt", kUnlabelled);
  EXPECT_FALSE(back_txt.has_labels());
  EXPECT_EQ(back_txt.lengths(), labelled.lengths());
}

TEST(IoUcrLabels, UnlabelledTsvReadAsLabelledIsRefusedNamingFileLineAndRemedy) {
  TempDir dir;
  const auto path = dir / "Unlabelled_TEST.tsv";
  write_file(path, kUnlabelledTsv);
  for (const std::string& hint :
       {std::string("the first field '-0.73160135' is a real number, not a class label"),
        std::string("if it has no label column, read it without labels"),
        std::string("io::Labels::unlabelled"), std::string("--no-labels")}) {
    expect_format_error([&] { io::read_ucr_tsv(path); }, path.string(), 1, hint);
  }
  // The same file with the separators of the .txt and .csv formats.
  const auto txt = dir / "Unlabelled_TEST.txt";
  write_file(txt, "  -7.3160135e-01  2.1470032e-01\n  1.2489541e+00 -5.8839120e-01\n");
  expect_format_error([&] { io::read_ucr_txt(txt); }, txt.string(), 1,
                      "the first field '-7.3160135e-01' is a real number, not a class label");
  const auto csv = dir / "Unlabelled_TEST.csv";
  write_file(csv, "-0.73160135,0.21470032\n");
  expect_format_error([&] { io::read_ucr_txt(csv); }, csv.string(), 1, "is a real number");
}

TEST(IoUcrLabels, RefusalNamesTheFirstLineWhoseFirstFieldIsNoLabel) {
  // Integer-valued first points pass the rule: the refusal comes on line 3.
  expect_tsv_error("2\t0.5\t0.25\n-1\t0.5\t0.25\n0.125\t0.5\t0.25\n", 3,
                   "the first field '0.125' is a real number");
  expect_txt_error("1.0 0.5 0.25\n2.5 0.5 0.25\n", 2, "the first field '2.5' is a real number");
}

TEST(IoUcrLabels, MissingInfiniteAndHugeFirstFieldsAreNoLabels) {
  expect_tsv_error("NaN\t0.5\t0.25\n", 1, "the first field 'NaN' is a missing value");
  expect_tsv_error("1\t2\n-inf\t0.5\t0.25\n", 2, "the first field '-inf' is an infinity");
  expect_tsv_error("1e20\t0.5\n", 1, "'1e20' is a number too large for a class label");
  expect_tsv_error("1e999\t0.5\n", 1, "'1e999' is a number too large for a class label");
  expect_txt_error("1,2\nnan,3\n", 2, "the first field 'nan' is a missing value");
}

TEST(IoUcrLabels, TextAndWholeNumbersInAnySpellingAreLabels) {
  // Real archive spellings: UCR 2018 integers, UCR 2015 "1.0000000e+00", UEA-style text.
  const Panel p = io::parse_ucr_tsv(
      "1\t0.5\n-1\t0.5\n0\t0.5\n+2\t0.5\n1.0\t0.5\n1.0000000e+00\t0.5\n1.2000000e+01\t0.5\n"
      "-0\t0.5\n1e3\t0.5\nwalk\t0.5\n c1 \t0.5\n1,5\t0.5\n9007199254740992\t0.5\n");
  EXPECT_EQ(p.labels(),
            (std::vector<std::string>{"1", "-1", "0", "+2", "1.0", "1.0000000e+00", "1.2000000e+01",
                                      "-0", "1e3", "walk", " c1 ", "1,5", "9007199254740992"}));
  const Panel q =
      io::parse_ucr_txt("  1.0000000e+00  -1.5000000e+00\n -1.0000000e+00   2.0000000e-01\n");
  EXPECT_EQ(q.labels(), (std::vector<std::string>{"1.0000000e+00", "-1.0000000e+00"}));
}

TEST(IoUcrLabels, UnlabelledFileWithALabelColumnPointsAtIt) {
  TempDir dir;
  const auto path = dir / "Labelled_TRAIN.tsv";
  write_file(path, "walk\t0.5\t0.25\n");
  expect_format_error([&] { io::read_ucr_tsv(path, kUnlabelled); }, path.string(), 1,
                      "value 1: 'walk' is not a number (the file is read without labels: if "
                      "its first field is a class label, read it as labelled)");
  const auto txt = dir / "Labelled_TRAIN.txt";
  write_file(txt, "1,2\nrun,0.5\n");
  expect_format_error([&] { io::read_ucr_txt(txt, kUnlabelled); }, txt.string(), 2,
                      "value 1: 'run' is not a number (the file is read without labels");
  // A later field gets no such hint.
  expect_format_error([&] { io::parse_ucr_tsv("1\tx\n", "y.tsv", kUnlabelled); }, "y.tsv", 1,
                      "value 2: 'x' is not a number");
}

TEST(IoUcrLabels, UnlabelledMalformedLinesAreStillRefused) {
  expect_format_error([&] { io::parse_ucr_tsv("1\t2\n\n3\t4\n", "y.tsv", kUnlabelled); }, "y.tsv",
                      2, "empty line");
  expect_format_error([&] { io::parse_ucr_tsv("\t1\t2\n", "y.tsv", kUnlabelled); }, "y.tsv", 1,
                      "value 1: empty value");
  expect_format_error([&] { io::parse_ucr_tsv("", "y.tsv", kUnlabelled); }, "y.tsv", 1,
                      "empty file");
  expect_format_error([&] { io::parse_ucr_txt(",1,2\n", "y.csv", kUnlabelled); }, "y.csv", 1,
                      "value 1: empty value");
  // A single value per line is a series of length 1.
  const Panel p = io::parse_ucr_tsv("0.5\n-0.25\n", "y.tsv", kUnlabelled);
  EXPECT_EQ(p.lengths(), (std::vector<index_t>{1, 1}));
  EXPECT_EQ(p(1, 0, 0), -0.25);
}

}  // namespace
