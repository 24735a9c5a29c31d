// Tests of read_dataset_file() and load_ucr_dataset() (strider/io/dataset.hpp).
#include <gtest/gtest.h>

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

}  // namespace
