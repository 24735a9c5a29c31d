// Tests of the CSV writers and reader (strider/io/csv.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "io_test_support.hpp"
#include "strider/io/csv.hpp"
#include "strider/random.hpp"
#include "test_support.hpp"

namespace {

using strider::index_t;
using strider::RowMatrixD;
using strider::RowMatrixF;
using strider::test::expect_format_error;
using strider::test::read_file;
using strider::test::same_bits;
using strider::test::TempDir;
using strider::test::write_file;
namespace io = strider::io;

RowMatrixD awkward_matrix() {
  RowMatrixD x(3, 4);
  x << 0.1, -0.0, 1.0 / 3.0, std::numeric_limits<double>::max(),  //
      std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
      -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::denorm_min(),  //
      1e22, -2.5e-300, 0.30000000000000004, 42;
  return x;
}

TEST(IoCsv, DoubleMatrixRoundTripIsBitIdentical) {
  TempDir dir;
  const RowMatrixD x = awkward_matrix();
  const std::vector<std::string> names = {"a", "b,c", "say \"hi\"", " padded"};
  io::write_csv(dir / "f.csv", x, names);
  const io::CsvMatrix back = io::read_csv_matrix(dir / "f.csv");
  EXPECT_EQ(back.column_names, names);
  ASSERT_EQ(back.values.rows(), 3);
  ASSERT_EQ(back.values.cols(), 4);
  for (index_t i = 0; i < 3; ++i) {
    for (index_t j = 0; j < 4; ++j)
      EXPECT_TRUE(same_bits(back.values(i, j), x(i, j))) << i << "," << j;
  }
  EXPECT_EQ(strider::test::count_entries(dir.path()), 1u);
}

TEST(IoCsv, WrittenTextIsPlainCsv) {
  TempDir dir;
  RowMatrixD x(2, 2);
  x << 1, -0.5, std::numeric_limits<double>::quiet_NaN(), 1e-7;
  io::write_csv(dir / "f.csv", x, {"k0", "k,1"});
  EXPECT_EQ(read_file(dir / "f.csv"), "k0,\"k,1\"\n1,-0.5\nNaN,1e-07\n");
  io::write_csv(dir / "g.csv", x);
  EXPECT_EQ(read_file(dir / "g.csv"), "1,-0.5\nNaN,1e-07\n");
}

TEST(IoCsv, FloatMatrixRoundTripsToTheSameFloats) {
  TempDir dir;
  strider::Rng rng(11);
  RowMatrixF x(20, 7);
  for (index_t i = 0; i < x.size(); ++i)
    x.data()[i] = static_cast<float>(rng.normal() * std::pow(10.0, rng.uniform(-20, 20)));
  io::write_csv(dir / "f.csv", x);
  const io::CsvMatrix back = io::read_csv_matrix(dir / "f.csv", io::CsvHeader::absent);
  EXPECT_TRUE(back.column_names.empty());
  ASSERT_EQ(back.values.rows(), 20);
  for (index_t i = 0; i < x.size(); ++i)
    EXPECT_EQ(static_cast<float>(back.values.data()[i]), x.data()[i]);
  // Shortest float text: 0.1f is written "0.1", not "0.10000000149011612".
  RowMatrixF y(1, 1);
  y << 0.1f;
  io::write_csv(dir / "y.csv", y);
  EXPECT_EQ(read_file(dir / "y.csv"), "0.1\n");
}

TEST(IoCsv, ColumnMajorAndBlockInputs) {
  TempDir dir;
  const RowMatrixD x = awkward_matrix();
  const strider::ColMatrix<double> col = x;
  io::write_csv(dir / "a.csv", col);
  io::write_csv(dir / "b.csv", x);
  EXPECT_EQ(read_file(dir / "a.csv"), read_file(dir / "b.csv"));
  io::write_csv(dir / "c.csv", x.block(1, 1, 2, 2));
  EXPECT_EQ(read_file(dir / "c.csv"), "inf,-inf\n-2.5e-300,0.30000000000000004\n");
}

TEST(IoCsv, WriterArgumentErrors) {
  TempDir dir;
  const RowMatrixD x = awkward_matrix();
  EXPECT_THROW(io::write_csv(dir / "f.csv", x, {"a", "b"}), std::invalid_argument);
  EXPECT_THROW(io::write_csv(dir / "f.csv", x, {"a", "b", "c\nd", "e"}), std::invalid_argument);
  EXPECT_EQ(strider::test::count_entries(dir.path()), 0u);
  try {
    io::write_csv(dir / "nowhere" / "f.csv", x);
    ADD_FAILURE() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nowhere/f.csv"), std::string::npos) << e.what();
  }
}

TEST(IoCsv, AtomicReplaceAndCleanFailure) {
  TempDir dir;
  write_file(dir / "f.csv", "old\n");
  io::write_csv(dir / "f.csv", awkward_matrix());
  EXPECT_EQ(io::read_csv_matrix(dir / "f.csv").values.rows(), 3);
  std::filesystem::create_directory(dir / "d.csv");
  EXPECT_THROW(io::write_csv(dir / "d.csv", awkward_matrix()), std::runtime_error);
  EXPECT_THROW(io::write_predictions_csv(dir / "d.csv", {"a"}), std::runtime_error);
  EXPECT_EQ(strider::test::count_entries(dir.path()), 2u);
}

TEST(IoCsv, PredictionsFile) {
  TempDir dir;
  io::write_predictions_csv(dir / "p.csv", {"a", "b,c", "1"}, {"a", "d", "2"});
  EXPECT_EQ(read_file(dir / "p.csv"), "index,predicted,true\n0,a,a\n1,\"b,c\",d\n2,1,2\n");
  io::write_predictions_csv(dir / "q.csv", {"x", "y"});
  EXPECT_EQ(read_file(dir / "q.csv"), "index,predicted\n0,x\n1,y\n");
  EXPECT_THROW(io::write_predictions_csv(dir / "r.csv", {"x", "y"}, {"x"}), std::invalid_argument);
  EXPECT_THROW(io::write_predictions_csv(dir / "r.csv", {"x\ny"}), std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(dir / "r.csv"));
}

TEST(IoCsvRead, HeaderDetection) {
  const io::CsvMatrix a = io::parse_csv_matrix("f0,f1\n1,2\n3,4\n");
  EXPECT_EQ(a.column_names, (std::vector<std::string>{"f0", "f1"}));
  EXPECT_EQ(a.values.rows(), 2);
  EXPECT_EQ(a.values(1, 0), 3.0);
  const io::CsvMatrix b = io::parse_csv_matrix("0,1\n1,2\n");
  EXPECT_TRUE(b.column_names.empty());
  EXPECT_EQ(b.values.rows(), 2);
  const io::CsvMatrix c = io::parse_csv_matrix("0,1\n1,2\n", "s", io::CsvHeader::present);
  EXPECT_EQ(c.column_names, (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(c.values.rows(), 1);
  const io::CsvMatrix d = io::parse_csv_matrix("x,y\r\n", "s");
  EXPECT_EQ(d.values.rows(), 0);
  EXPECT_EQ(d.values.cols(), 2);
  const io::CsvMatrix e = io::parse_csv_matrix(" \"1\" , +2 \n", "s", io::CsvHeader::absent);
  EXPECT_EQ(e.values(0, 0), 1.0);
  EXPECT_EQ(e.values(0, 1), 2.0);
}

void expect_csv_error(const std::string& text, std::size_t line, const std::string& problem,
                      io::CsvHeader header = io::CsvHeader::automatic) {
  TempDir dir;
  const auto path = dir / "features.csv";
  write_file(path, text);
  expect_format_error([&] { io::read_csv_matrix(path, header); }, path.string(), line, problem);
}

TEST(IoCsvReadErrors, EveryMalformedLine) {
  expect_csv_error("a,b\n1,2\n3\n", 3, "1 fields, but line 1 has 2");
  expect_csv_error("1,2\n3,4,5\n", 2, "3 fields, but line 1 has 2");
  expect_csv_error("a,b\n1,2\n3,z\n", 3, "field 2: 'z' is not a number");
  expect_csv_error("1,2\n3,z\n", 2, "field 2: 'z' is not a number", io::CsvHeader::absent);
  expect_csv_error("a,b\n1,\n", 2, "field 2: empty value");
  expect_csv_error("a,b\n1,2\n\n3,4\n", 3, "empty line");
  expect_csv_error("", 1, "empty file");
  expect_csv_error("\"a,b\n", 1, "field 1: unterminated quote");
  expect_csv_error("\"a\"x,b\n", 1, "field 1: text after the closing quote");
}

TEST(IoCsvReadErrors, FileNotFoundNamesThePath) {
  TempDir dir;
  expect_format_error([&] { io::read_csv_matrix(dir / "none.csv"); }, (dir / "none.csv").string(),
                      0, "no such file");
}

}  // namespace
