// io::FileSource: a dataset file read a batch at a time, against the whole-file readers.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io_test_support.hpp"
#include "strider/classifier.hpp"
#include "strider/datasets/cylinder_bell_funnel.hpp"
#include "strider/io/dataset.hpp"
#include "strider/io/file_source.hpp"
#include "strider/io/ts_format.hpp"
#include "strider/io/ucr.hpp"
#include "strider/serialization.hpp"
#include "test_support.hpp"

namespace strider {
namespace {

using io::FileSource;
using test::expect_format_error;
using test::expect_same_panel;
using test::TempDir;

void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// Every batch of `source`, batch_size series at a time, as one panel (labels, lines).
Panel read_all(FileSource& source, index_t batch_size, std::vector<index_t>& lines,
               index_t& n_batches) {
  source.rewind();
  std::vector<Panel> parts;
  lines.clear();
  n_batches = 0;
  index_t n = 0, t = 0, c = 0;
  for (Panel b = source.next(batch_size); b.n_series() > 0; b = source.next(batch_size)) {
    EXPECT_LE(b.n_series(), batch_size);
    EXPECT_FALSE(b.source_file().empty());
    lines.insert(lines.end(), b.source_lines().begin(), b.source_lines().end());
    n += b.n_series();
    t = std::max(t, b.max_length());
    c = b.n_channels();
    parts.push_back(std::move(b));
    ++n_batches;
  }
  Panel::Tensor data = Panel::Tensor::from_shape(
      {static_cast<std::size_t>(n), static_cast<std::size_t>(c), static_cast<std::size_t>(t)});
  data.fill(0.0);
  std::vector<index_t> lengths;
  std::vector<std::string> labels;
  index_t row = 0;
  for (const Panel& p : parts) {
    for (index_t i = 0; i < p.n_series(); ++i, ++row) {
      for (index_t ch = 0; ch < c; ++ch)
        std::copy_n(p.series(i, ch), p.length(i), data.data() + (row * c + ch) * t);
      lengths.push_back(p.length(i));
      if (p.has_labels()) labels.push_back(p.labels()[static_cast<std::size_t>(i)]);
    }
  }
  return labels.empty() ? Panel(std::move(data), std::move(lengths))
                        : Panel(std::move(data), std::move(lengths), std::move(labels));
}

TEST(FileSource, TsvBatchesAreTheWholeFileWithItsLineNumbers) {
  TempDir dir;
  const Panel cbf = datasets::make_cylinder_bell_funnel(23, 17, true, 5);
  io::write_ucr_tsv(cbf, dir / "cbf.tsv");
  for (const index_t batch : {1, 4, 23, 100}) {
    FileSource source(dir / "cbf.tsv");
    EXPECT_EQ(source.n_series(), 23);
    std::vector<index_t> lines;
    index_t n_batches = 0;
    for (int pass = 0; pass < 2; ++pass) {  // rewind reads the same series again
      expect_same_panel(read_all(source, batch, lines, n_batches), cbf);
      EXPECT_EQ(n_batches, (23 + batch - 1) / batch);
      for (index_t i = 0; i < 23; ++i)
        EXPECT_EQ(lines[static_cast<std::size_t>(i)], i + 1);
    }
  }
}

TEST(FileSource, TsWithCommentsAndChannelsAndTxtAgreeWithTheirReaders) {
  TempDir dir;
  const std::string ts =
      "# a comment\n@problemName two\n@univariate false\n@dimensions 2\n"
      "@equalLength false\n@classLabel true a b\n\n@data\n"
      "1,2,3:4,5,6:a\n# between cases\n7,8:9,10:b\n?,1:2,3:a\n1,1,1,1:2,2,2,2:b\n";
  write(dir / "two.ts", ts);
  const Panel whole = io::read_ts(dir / "two.ts");
  FileSource source(dir / "two.ts");
  EXPECT_EQ(source.n_series(), 4);
  std::vector<index_t> lines;
  index_t n_batches = 0;
  expect_same_panel(read_all(source, 3, lines, n_batches), whole);
  EXPECT_EQ(lines, (std::vector<index_t>{9, 11, 12, 13}));
  EXPECT_EQ(lines, whole.source_lines());

  // The labels of a .ts file dropped, as the whole-file reader drops them.
  FileSource unlabelled(dir / "two.ts", {.labels = io::Labels::unlabelled});
  EXPECT_FALSE(unlabelled.next(10).has_labels());

  write(dir / "old.txt", "1.0000000e+00 1 2 3\n2.0000000e+00  4 5\n1.0000000e+00 6 7 8 9\n");
  FileSource txt(dir / "old.txt");
  expect_same_panel(read_all(txt, 2, lines, n_batches), io::read_ucr_txt(dir / "old.txt"));
  EXPECT_EQ(n_batches, 2);
}

TEST(FileSource, ErrorsNameTheFileLine) {
  TempDir dir;
  const std::string tsv = (dir / "bad.tsv").string();
  write(tsv, "a\t1\t2\nb\t3\t4\na\t5\tx\nb\t6\t7\n");
  FileSource source(tsv);
  EXPECT_EQ(source.next(2).n_series(), 2);
  expect_format_error([&] { source.next(2); }, tsv, 3, "value 2: 'x' is not a number");
  // Nothing was consumed by the failed batch: it fails again, the same way.
  expect_format_error([&] { source.next(1); }, tsv, 3, "value 2");

  const std::string ts = (dir / "bad.ts").string();
  write(ts, "@classLabel true a b\n@data\n1,2:a\n# note\n3,4:c\n");
  FileSource ts_source(ts);
  expect_format_error(
      [&] {
        ts_source.next(1);
        ts_source.next(1);
      },
      ts, 5, "'c'");

  // Refused by the scan: an empty line between series, no @data, no series, a line
  // longer than a batch may be, an unknown extension, a missing file.
  write(dir / "gap.tsv", "a\t1\n\nb\t2\n");
  expect_format_error([&] { FileSource((dir / "gap.tsv")); }, (dir / "gap.tsv").string(), 2,
                      "empty line between series");
  write(dir / "gap.ts", "@classLabel false\n@data\n1,2\n\n# late\n");
  expect_format_error([&] { FileSource((dir / "gap.ts")); }, (dir / "gap.ts").string(), 4,
                      "empty line between series");
  write(dir / "nodata.ts", "@classLabel false\n1,2\n");
  expect_format_error([&] { FileSource((dir / "nodata.ts")); }, (dir / "nodata.ts").string(), 2,
                      "without an @data line");
  write(dir / "empty.tsv", "\n\n");
  expect_format_error([&] { FileSource((dir / "empty.tsv")); }, (dir / "empty.tsv").string(), 1,
                      "no series");
  write(dir / "long.tsv", "a\t1\t2\nb\t" + std::string(200, '1') + "\n");
  expect_format_error([&] { FileSource(dir / "long.tsv", {}, 100); }, (dir / "long.tsv").string(),
                      2, "max_batch_bytes = 100");
  write(dir / "bom.tsv",
        "\xEF\xBB\xBF"
        "a\t1\nb\t2\n\xEF\xBB\xBF"
        "a\t3\n");
  expect_format_error([&] { FileSource((dir / "bom.tsv")); }, (dir / "bom.tsv").string(), 3,
                      "byte-order mark");
  write(dir / "x.json", "{}");
  expect_format_error([&] { FileSource((dir / "x.json")); }, (dir / "x.json").string(), 0,
                      "unknown dataset extension");
  expect_format_error([&] { FileSource((dir / "none.tsv")); }, (dir / "none.tsv").string(), 0,
                      "cannot open");
  EXPECT_THROW(source.next(0), std::invalid_argument);
}

TEST(FileSource, ByteBoundSplitsBatchesAndAChangedFileIsRefused) {
  TempDir dir;
  const Panel cbf = datasets::make_cylinder_bell_funnel(40, 30, true, 6);
  io::write_ucr_tsv(cbf, dir / "cbf.tsv");
  const auto bytes = std::filesystem::file_size(dir / "cbf.tsv");
  // About 4 lines' worth of text a batch: more batches than 40 / 100.
  FileSource source(dir / "cbf.tsv", {}, bytes / 10);
  std::vector<index_t> lines;
  index_t n_batches = 0;
  expect_same_panel(read_all(source, 100, lines, n_batches), cbf);
  EXPECT_GE(n_batches, 10);

  source.rewind();
  EXPECT_EQ(source.next(2).n_series(), 2);
  write(dir / "cbf.tsv", "a\t1\n");
  expect_format_error([&] { source.next(5); }, (dir / "cbf.tsv").string(), 0, "file changed");
}

TEST(FileSource, BatchedFitOnAFileIsTheFitOnItsPanel) {
  TempDir dir;
  const TrainTest d = datasets::load_cylinder_bell_funnel({90, 60, 48, true, 8});
  io::write_ucr_tsv(d.train, dir / "train.tsv");
  KernelClassifierParams p;
  p.transform.n_kernels = 200;
  p.choose_normalization = false;
  KernelClassifier from_file(p), from_panel(p);
  FileSource file(dir / "train.tsv");
  const Panel read = io::read_dataset_file(dir / "train.tsv");
  PanelSource panel(read);
  from_file.fit_batches(file, {.batch_size = 16});
  from_panel.fit_batches(panel, {.batch_size = 16});
  EXPECT_EQ(to_bytes(from_file), to_bytes(from_panel));
}

}  // namespace
}  // namespace strider
