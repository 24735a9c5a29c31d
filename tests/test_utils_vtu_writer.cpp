#include "strider/utils/vtu_writer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "strider/random.hpp"
#include "test_support.hpp"

namespace strider::utils {
namespace {

using test::TempDir;

// A small reader of the files we write: enough XML to find attributes and the text of
// the DataArray elements by Name, independent of the writer's code.
struct ParsedVtu {
  std::string text;
  long long n_points = -1, n_cells = -1;
  std::string active_scalars;
  std::map<std::string, std::vector<std::string>> arrays;  // Name -> tokens
};

std::string unescape(std::string s) {
  const std::pair<const char*, const char*> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + 1))
      s.replace(p, std::string(from).size(), to);
  }
  return s;
}

// The text between `key` (e.g. `NumberOfPoints="`) and the next '"' in [from, to).
std::string attribute(const std::string& text, const std::string& key, std::size_t from = 0,
                      std::size_t to = std::string::npos) {
  const std::size_t p = text.find(key, from);
  if (p == std::string::npos || p >= to) return "";
  const std::size_t start = p + key.size();
  return text.substr(start, text.find('"', start) - start);
}

// (std::regex would do, but GCC 12 warns inside <regex> under -fsanitize=address.)
ParsedVtu parse_vtu(const std::filesystem::path& path) {
  ParsedVtu v;
  v.text = test::read_file(path);
  const std::string points = attribute(v.text, "NumberOfPoints=\"");
  const std::string cells = attribute(v.text, "NumberOfCells=\"");
  if (!points.empty()) v.n_points = std::stoll(points);
  if (!cells.empty()) v.n_cells = std::stoll(cells);
  v.active_scalars = unescape(attribute(v.text, "<PointData Scalars=\""));
  for (std::size_t p = v.text.find("<DataArray"); p != std::string::npos;
       p = v.text.find("<DataArray", p + 1)) {
    const std::size_t tag_end = v.text.find('>', p);
    const std::size_t close = v.text.find("</DataArray>", tag_end);
    std::istringstream tokens(v.text.substr(tag_end + 1, close - tag_end - 1));
    std::vector<std::string> list;
    for (std::string t; tokens >> t;)
      list.push_back(t);
    v.arrays[unescape(attribute(v.text, " Name=\"", p, tag_end))] = list;
  }
  return v;
}

// Bitwise equality (distinguishes -0.0 from 0.0).
bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

void expect_file_matches(const std::filesystem::path& path, const RowMatrixD& points,
                         const VectorD& values, const std::string& name) {
  const ParsedVtu v = parse_vtu(path);
  const auto n = static_cast<long long>(points.rows());
  EXPECT_NE(v.text.find("<VTKFile type=\"UnstructuredGrid\""), std::string::npos);
  EXPECT_EQ(v.n_points, n);
  EXPECT_EQ(v.n_cells, n);
  EXPECT_EQ(v.active_scalars, name);
  ASSERT_EQ(v.arrays.count("Points"), 1u);
  ASSERT_EQ(v.arrays.count(name), 1u);
  const auto& p = v.arrays.at("Points");
  const auto& s = v.arrays.at(name);
  ASSERT_EQ(p.size(), static_cast<std::size_t>(3 * n));
  ASSERT_EQ(s.size(), static_cast<std::size_t>(n));
  for (long long i = 0; i < n; ++i) {
    for (int c = 0; c < 3; ++c) {
      const double read = std::strtod(p[static_cast<std::size_t>(3 * i + c)].c_str(), nullptr);
      EXPECT_TRUE(same_bits(read, points(i, c))) << "point " << i << " coordinate " << c;
    }
    EXPECT_TRUE(same_bits(std::strtod(s[static_cast<std::size_t>(i)].c_str(), nullptr), values(i)))
        << "value " << i;
  }
  const auto& conn = v.arrays.at("connectivity");
  const auto& offs = v.arrays.at("offsets");
  const auto& types = v.arrays.at("types");
  ASSERT_EQ(conn.size(), static_cast<std::size_t>(n));
  ASSERT_EQ(offs.size(), static_cast<std::size_t>(n));
  ASSERT_EQ(types.size(), static_cast<std::size_t>(n));
  for (long long i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    EXPECT_EQ(std::stoll(conn[k]), i);
    EXPECT_EQ(std::stoll(offs[k]), i + 1);
    EXPECT_EQ(std::stoll(types[k]), 1);  // VTK_VERTEX
  }
}

// Points that stress the number formatting: random normals plus awkward values.
std::pair<RowMatrixD, VectorD> awkward_cloud(index_t n_random) {
  const std::vector<double> special = {
      0.1, -0.0, 1e-300, 5e-324, 1.7976931348623157e308, -2.5e-8, 1.0 / 3, 123456789.123456789,
      -1.0};
  const index_t n = n_random + static_cast<index_t>(special.size());
  RowMatrixD points(n, 3);
  VectorD values(n);
  Rng rng(7);
  for (index_t i = 0; i < n; ++i) {
    for (int c = 0; c < 3; ++c) {
      points(i, c) = i < n_random
                         ? rng.normal(5.0, 2.0)
                         : special[static_cast<std::size_t>(i - n_random + c) % special.size()];
    }
    values(i) =
        i < n_random ? static_cast<double>(i % 5) : special[static_cast<std::size_t>(i - n_random)];
  }
  return {points, values};
}

TEST(UtilsVtuWriter, RoundTripsEveryNumberExactly) {
  TempDir dir;
  const auto [points, values] = awkward_cloud(200);
  write_vtu_point_cloud(dir / "cloud.vtu", points, values, "cluster");
  expect_file_matches(dir / "cloud.vtu", points, values, "cluster");
}

TEST(UtilsVtuWriter, EmptyAndSinglePointClouds) {
  TempDir dir;
  const RowMatrixD none(0, 3);
  write_vtu_point_cloud(dir / "empty.vtu", none, VectorD(0));
  expect_file_matches(dir / "empty.vtu", none, VectorD(0), "point_values");

  RowMatrixD one(1, 3);
  one << 1.5, -2.25, 3.0;
  const VectorD v = VectorD::Constant(1, 42.0);
  write_vtu_point_cloud(dir / "one.vtu", one, v, "v");
  expect_file_matches(dir / "one.vtu", one, v, "v");
}

TEST(UtilsVtuWriter, EscapesTheScalarName) {
  TempDir dir;
  const auto [points, values] = awkward_cloud(3);
  const std::string name = "a<b & \"c\" 'd'>";
  write_vtu_point_cloud(dir / "n.vtu", points, values, name);
  const std::string text = test::read_file(dir / "n.vtu");
  EXPECT_EQ(text.find(name), std::string::npos) << "raw name must not appear";
  expect_file_matches(dir / "n.vtu", points, values, name);
}

TEST(UtilsVtuWriter, AcceptsColumnMajorAndMappedInput) {
  TempDir dir;
  ColMatrix<double> col(4, 3);
  col.setRandom();
  const VectorD v = VectorD::LinSpaced(4, 0.0, 3.0);
  write_vtu_point_cloud(dir / "c.vtu", col, v);
  expect_file_matches(dir / "c.vtu", RowMatrixD(col), v, "point_values");
}

TEST(UtilsVtuWriter, RejectsBadInputWithClearErrors) {
  TempDir dir;
  RowMatrixD points = RowMatrixD::Zero(5, 3);
  VectorD values = VectorD::Zero(5);
  const auto message = [&](const RowMatrixD& p, const VectorD& v, const std::string& name) {
    try {
      write_vtu_point_cloud(dir / "bad.vtu", p, v, name);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  EXPECT_NE(message(RowMatrixD::Zero(5, 2), values, "v").find("N x 3, got 5 x 2"),
            std::string::npos);
  EXPECT_NE(message(points, VectorD::Zero(4), "v").find("5 points but 4 values"),
            std::string::npos);
  EXPECT_NE(message(points, values, "").find("scalar_name is empty"), std::string::npos);
  points(3, 1) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(message(points, values, "v").find("point 3 has a non-finite coordinate"),
            std::string::npos);
  points(3, 1) = 0.0;
  values(2) = std::numeric_limits<double>::infinity();
  EXPECT_NE(message(points, values, "v").find("value 2 is not finite"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.vtu"));
}

TEST(UtilsVtuWriter, ReplacesAtomicallyAndCleansUpOnFailure) {
  TempDir dir;
  const auto [points, values] = awkward_cloud(10);
  write_vtu_point_cloud(dir / "x.vtu", points.topRows(3), values.head(3));
  write_vtu_point_cloud(dir / "x.vtu", points, values);  // replaces the first file
  expect_file_matches(dir / "x.vtu", points, values, "point_values");

  // A missing directory and a destination that is a directory both fail, naming the
  // path, and leave no temporary file behind.
  EXPECT_THROW(write_vtu_point_cloud(dir / "missing" / "x.vtu", points, values),
               std::runtime_error);
  std::filesystem::create_directory(dir / "taken.vtu");
  try {
    write_vtu_point_cloud(dir / "taken.vtu", points, values);
    ADD_FAILURE() << "writing over a directory must fail";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("taken.vtu"), std::string::npos) << e.what();
  }
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 2u) << "only x.vtu and the taken.vtu directory may remain";
}

TEST(UtilsVtuWriter, StackClustersLabelsEachPointWithItsCluster) {
  std::vector<RowMatrixD> clusters = {RowMatrixD::Constant(2, 3, 1.0), RowMatrixD(0, 3),
                                      RowMatrixD::Constant(3, 3, 7.0)};
  clusters[2](1, 2) = -4.0;
  const auto [points, labels] = stack_clusters(clusters);
  ASSERT_EQ(points.rows(), 5);
  ASSERT_EQ(labels.size(), 5);
  const std::vector<double> expected_labels = {0, 0, 2, 2, 2};
  for (index_t i = 0; i < 5; ++i) {
    EXPECT_EQ(labels(i), expected_labels[static_cast<std::size_t>(i)]);
    const RowMatrixD& src = i < 2 ? clusters[0] : clusters[2];
    EXPECT_EQ(points.row(i), src.row(i < 2 ? i : i - 2));
  }
  EXPECT_THROW(stack_clusters({RowMatrixD::Zero(2, 2)}), std::invalid_argument);
  EXPECT_EQ(stack_clusters({}).first.rows(), 0);
}

// Writes the expected "x y z value" lines for the Python checks.
void write_expected(const std::filesystem::path& path, const RowMatrixD& p, const VectorD& v) {
  std::string s;
  char buf[128];
  for (index_t i = 0; i < p.rows(); ++i) {
    std::snprintf(buf, sizeof buf, "%.17g %.17g %.17g %.17g\n", p(i, 0), p(i, 1), p(i, 2), v(i));
    s += buf;
  }
  test::write_file(path, s);
}

TEST(UtilsVtuWriter, PythonXmlParserReadsTheSameCloud) {
  TempDir dir;
  const auto [points, values] = awkward_cloud(50);
  write_vtu_point_cloud(dir / "py.vtu", points, values, "label & <id>");
  write_expected(dir / "expected.txt", points, values);
  const std::string args = "\"" + (dir / "py.vtu").string() + "\" \"" +
                           (dir / "expected.txt").string() + "\" \"label & <id>\"";
  const int rc = test::run_reference("vtu_check.py", args);
  if (rc == test::kReferenceSkip) GTEST_SKIP() << "no python3 for the XML check";
  EXPECT_EQ(rc, 0) << "tests/reference/vtu_check.py rejected the file";
}

TEST(UtilsVtuWriter, VtkReaderReadsTheSameCloud) {
  TempDir dir;
  const auto [points, values] = awkward_cloud(50);
  write_vtu_point_cloud(dir / "vtk.vtu", points, values, "cluster");
  write_expected(dir / "expected.txt", points, values);
  const std::string args = "\"" + (dir / "vtk.vtu").string() + "\" \"" +
                           (dir / "expected.txt").string() + "\" cluster --vtk";
  const int rc = test::run_reference("vtu_check.py", args);
  if (rc == test::kReferenceSkip) {
    GTEST_SKIP() << "the vtk Python module is not installed (Debian: python3-vtk9); "
                    "skipping the check with vtkXMLUnstructuredGridReader";
  }
  EXPECT_EQ(rc, 0) << "VTK's reader rejected the file";
}

}  // namespace
}  // namespace strider::utils
