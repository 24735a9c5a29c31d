// Tests of read_dataset_file() and load_ucr_dataset() (strider/io/dataset.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "io_test_support.hpp"
#include "strider/io/dataset.hpp"
#include "strider/io/ts_format.hpp"
#include "strider/io/ucr.hpp"
#include "test_support.hpp"

namespace {

using strider::index_t;
using strider::Panel;
using strider::test::expect_format_error;
using strider::test::expect_same_panel;
using strider::test::TempDir;
using strider::test::write_file;
namespace fs = std::filesystem;
namespace io = strider::io;

Panel small_panel(double offset, std::vector<std::string> labels) {
  Panel::Tensor t = Panel::Tensor::from_shape({labels.size(), 1, 3});
  for (std::size_t k = 0; k < t.size(); ++k)
    t.data()[k] = offset + 0.25 * static_cast<double>(k);
  return Panel(std::move(t), {3, 2, 3}, std::move(labels));
}

TEST(IoDataset, ReaderIsChosenByExtension) {
  TempDir dir;
  const Panel p = small_panel(1.0, {"1", "2", "1"});
  io::write_ucr_tsv(p, dir / "a.tsv");
  io::write_ts(p, dir / "a.ts");
  std::string csv = io::format_ucr_tsv(p);
  for (char& c : csv) {
    if (c == '\t') c = ',';
  }
  write_file(dir / "a.csv", csv);
  write_file(dir / "a.txt", io::format_ucr_tsv(p));
  io::write_ucr_tsv(p, dir / "A.TSV");
  for (const char* name : {"a.tsv", "a.ts", "a.csv", "a.txt", "A.TSV"}) {
    SCOPED_TRACE(name);
    expect_same_panel(io::read_dataset_file(dir / name), p);
  }
}

TEST(IoDataset, UnknownExtensionIsNamed) {
  TempDir dir;
  write_file(dir / "data.arff", "@relation x\n");
  expect_format_error([&] { io::read_dataset_file(dir / "data.arff"); },
                      (dir / "data.arff").string(), 0, "unknown dataset file extension '.arff'");
  expect_format_error([&] { io::read_dataset_file(dir / "noext"); }, (dir / "noext").string(), 0,
                      "unknown dataset file extension ''");
}

TEST(IoDataset, LoadsTrainAndTestInAnyFormat) {
  TempDir root;
  fs::create_directories(root / "Toy");
  const Panel train = small_panel(0.0, {"a", "b", "a"});
  const Panel test = small_panel(5.0, {"b", "c", "a"});  // 'c' is not a training class
  io::write_ucr_tsv(train, root / "Toy" / "Toy_TRAIN.tsv");
  io::write_ts(test, root / "Toy" / "Toy_TEST.ts");
  const strider::TrainTest data = io::load_ucr_dataset(root.path(), "Toy");
  expect_same_panel(data.train, train);
  expect_same_panel(data.test, test);
}

TEST(IoDataset, PrefersTsvThenTsThenTxtThenCsv) {
  TempDir root;
  const fs::path dir = root / "Toy";
  fs::create_directories(dir);
  const Panel p1 = small_panel(1.0, {"a", "b", "a"});
  const Panel p2 = small_panel(2.0, {"a", "b", "a"});
  io::write_ucr_tsv(p1, dir / "Toy_TRAIN.tsv");
  io::write_ts(p2, dir / "Toy_TRAIN.ts");
  io::write_ts(p2, dir / "Toy_TEST.ts");
  write_file(dir / "Toy_TEST.txt", io::format_ucr_tsv(p1));
  const strider::TrainTest data = io::load_ucr_dataset(root.path(), "Toy");
  expect_same_panel(data.train, p1);
  expect_same_panel(data.test, p2);
  // the same choice, one split at a time
  EXPECT_EQ(io::find_ucr_split(root.path(), "Toy", "TRAIN"), dir / "Toy_TRAIN.tsv");
  EXPECT_EQ(io::find_ucr_split(root.path(), "Toy", "TEST"), dir / "Toy_TEST.ts");
  expect_format_error([&] { io::find_ucr_split(root.path(), "Toy", "VALID"); }, dir.string(), 0,
                      "no VALID file for dataset 'Toy': looked for Toy_VALID.tsv");
}

TEST(IoDataset, MissingSplitListsWhatWasLookedFor) {
  TempDir root;
  fs::create_directories(root / "Toy");
  io::write_ucr_tsv(small_panel(0.0, {"a", "b", "a"}), root / "Toy" / "Toy_TRAIN.tsv");
  expect_format_error([&] { io::load_ucr_dataset(root.path(), "Toy"); }, (root / "Toy").string(), 0,
                      "no TEST file for dataset 'Toy': looked for Toy_TEST.tsv, Toy_TEST.ts, "
                      "Toy_TEST.txt, Toy_TEST.csv");
  expect_format_error([&] { io::load_ucr_dataset(root.path(), "Other"); },
                      (root / "Other").string(), 0,
                      "no TRAIN file for dataset 'Other' (the folder does not exist)");
  EXPECT_THROW(io::load_ucr_dataset(root.path(), ""), std::invalid_argument);
  EXPECT_THROW(io::load_ucr_dataset(root.path(), "../Toy"), std::invalid_argument);
}

TEST(IoDataset, MalformedSplitNamesItsFileAndLine) {
  TempDir root;
  fs::create_directories(root / "Toy");
  io::write_ucr_tsv(small_panel(0.0, {"a", "b", "a"}), root / "Toy" / "Toy_TRAIN.tsv");
  write_file(root / "Toy" / "Toy_TEST.tsv", "a\t1\t2\nb\t3\tx\n");
  expect_format_error([&] { io::load_ucr_dataset(root.path(), "Toy"); },
                      (root / "Toy" / "Toy_TEST.tsv").string(), 2, "value 2: 'x' is not a number");
}

TEST(IoDataset, SplitsWithDifferentChannelCountsAreRejected) {
  TempDir root;
  fs::create_directories(root / "Toy");
  io::write_ucr_tsv(small_panel(0.0, {"a", "b", "a"}), root / "Toy" / "Toy_TRAIN.tsv");
  write_file(root / "Toy" / "Toy_TEST.ts", "@classLabel true a\n@data\n1,2:3,4:a\n");
  expect_format_error([&] { io::load_ucr_dataset(root.path(), "Toy"); },
                      (root / "Toy" / "Toy_TEST.ts").string(), 0,
                      "has 2 channels but Toy_TRAIN.tsv has 1");
}

// ---- labelled or not (strider/io/read_options.hpp) -----------------------------------

const io::ReadOptions kUnlabelled{.labels = io::Labels::unlabelled};

// UCR text without its label column: each line loses its first field and the separator
// after it.
std::string without_first_field(const std::string& text, char separator) {
  std::string out;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size() - 1;
    const std::size_t sep = text.find(separator, start);
    if (sep != std::string::npos && sep < end) {
      out += text.substr(sep + 1, end - sep);
    } else {
      out += text.substr(start, end + 1 - start);
    }
    start = end + 1;
  }
  return out;
}

// The same values (bit for bit, within each length) and lengths; labels not compared.
void expect_same_values(const Panel& a, const Panel& b) {
  ASSERT_EQ(a.n_channels(), b.n_channels());
  ASSERT_EQ(a.lengths(), b.lengths());
  for (index_t i = 0; i < a.n_series(); ++i) {
    for (index_t c = 0; c < a.n_channels(); ++c) {
      for (index_t t = 0; t < a.length(i); ++t) {
        ASSERT_TRUE(strider::test::same_bits(a(i, c, t), b(i, c, t)))
            << "series " << i << " channel " << c << " t " << t;
      }
    }
  }
}

TEST(IoDataset, LabelsOptionReachesEveryReader) {
  TempDir dir;
  const Panel p = small_panel(0.125, {"1", "2", "1"});  // values 0.125, 0.375, ...: reals
  const std::string tsv = without_first_field(io::format_ucr_tsv(p), '\t');
  std::string csv = tsv;
  std::replace(csv.begin(), csv.end(), '\t', ',');
  std::string txt = tsv;
  std::replace(txt.begin(), txt.end(), '\t', ' ');
  write_file(dir / "u.tsv", tsv);
  write_file(dir / "u.csv", csv);
  write_file(dir / "u.txt", txt);
  io::write_ts(Panel(Panel::Tensor(p.data()), p.lengths()), dir / "u.ts");  // @classLabel false
  for (const char* name : {"u.tsv", "u.csv", "u.txt", "u.ts"}) {
    SCOPED_TRACE(name);
    const Panel back = io::read_dataset_file(dir / name, kUnlabelled);
    EXPECT_FALSE(back.has_labels());
    expect_same_values(back, p);
  }
  // Read as labelled (the default), the label-free UCR files are refused on line 1.
  for (const char* name : {"u.tsv", "u.csv", "u.txt"}) {
    SCOPED_TRACE(name);
    expect_format_error([&] { io::read_dataset_file(dir / name); }, (dir / name).string(), 1,
                        "the first field '0.125' is a real number, not a class label");
  }
  // while the .ts header says there are no labels: nothing to refuse.
  EXPECT_FALSE(io::read_dataset_file(dir / "u.ts").has_labels());
  // A labelled .ts read as unlabelled loses its labels only.
  io::write_ts(p, dir / "l.ts");
  const Panel dropped = io::read_dataset_file(dir / "l.ts", kUnlabelled);
  EXPECT_FALSE(dropped.has_labels());
  expect_same_values(dropped, p);
}

// 0 when the first field of every line is a whole number (|v| <= 2^53), label-free text
// that the label rule cannot tell from labelled text; else the 1-based line of the first
// other first field.
std::size_t first_line_not_whole(const std::string& text) {
  std::size_t line = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++line;
    const std::string field = text.substr(start, std::min(text.find('\t', start), end) - start);
    const double v = std::strtod(field.c_str(), nullptr);
    if (!(std::isfinite(v) && v == std::trunc(v) && std::fabs(v) <= 9007199254740992.0))
      return line;
    start = end + 1;
  }
  return 0;
}

// Every file of ../shared/datasets reads as labelled, and without labels gives the same
// values. Each UCR .tsv with its label column removed -- an unlabelled file with real
// data -- is refused as labelled, naming its first line whose first value is not a whole
// number; the few whose first values are all whole numbers (integer-valued series) are
// listed: the label rule cannot tell those from labels.
TEST(IoDatasetShared, EveryFileIsLabelledAndItsLabelFreeCopyIsRefusedUnlessWhole) {
  STRIDER_REQUIRE_SHARED_DATASETS();
  const fs::path root = strider::test::shared_datasets();
  std::vector<fs::path> files;
  for (const char* archive : {"ucr", "uea"}) {
    for (const auto& e : fs::recursive_directory_iterator(root / archive)) {
      const std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".tsv" || ext == ".ts" || ext == ".txt" || ext == ".csv"))
        files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files.size(), 2u * (67 + 5));  // TRAIN and TEST of every dataset

  std::vector<std::string> accepted;  // label-free copies that pass the label rule
  std::size_t refused = 0;
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    Panel labelled;
    ASSERT_NO_THROW(labelled = io::read_dataset_file(file));
    EXPECT_TRUE(labelled.has_labels());
    if (file.extension() == ".ts") {
      const Panel dropped = io::read_dataset_file(file, kUnlabelled);
      EXPECT_FALSE(dropped.has_labels());
      expect_same_values(dropped, labelled);
      continue;
    }
    ASSERT_EQ(file.extension(), ".tsv");
    const std::string label_free = without_first_field(strider::test::read_file(file), '\t');
    const std::string name = file.filename().string();
    const Panel back = io::parse_ucr_tsv(label_free, name, kUnlabelled);
    EXPECT_FALSE(back.has_labels());
    expect_same_values(back, labelled);

    const std::size_t expected_line = first_line_not_whole(label_free);
    try {
      io::parse_ucr_tsv(label_free, name);
      accepted.push_back(name);
      EXPECT_EQ(expected_line, 0u);
    } catch (const strider::FormatError& e) {
      ++refused;
      EXPECT_EQ(e.line(), expected_line) << e.what();
      EXPECT_NE(std::string(e.what()).find("not a class label"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(refused, 2u * 67 - accepted.size());
  // Integer-valued series (pedestrian counts, power readings, traffic counts): only the
  // caller can say such a file has no labels.
  EXPECT_EQ(accepted,
            (std::vector<std::string>{"Chinatown_TEST.tsv", "Chinatown_TRAIN.tsv",
                                      "DodgerLoopGame_TRAIN.tsv", "DodgerLoopWeekend_TRAIN.tsv",
                                      "HouseTwenty_TEST.tsv", "HouseTwenty_TRAIN.tsv"}));
}

}  // namespace
