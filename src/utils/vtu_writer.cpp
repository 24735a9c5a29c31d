#include "strider/utils/vtu_writer.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>

#include "strider/detail/xml_escape.hpp"
#include "strider/io/atomic_write.hpp"

namespace strider::utils {

namespace {

constexpr const char* kWho = "write_vtu_point_cloud()";

// Appends the shortest decimal text that reads back to exactly `v`.
void append_double(std::string& out, double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

void append_index(std::string& out, index_t v) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

}  // namespace

void write_vtu_point_cloud(const std::filesystem::path& path,
                           const Eigen::Ref<const RowMatrixD>& points,
                           const Eigen::Ref<const VectorD>& values,
                           const std::string& scalar_name) {
  const index_t n = points.rows();
  if (points.cols() != 3) {
    throw std::invalid_argument(std::string(kWho) + ": points must be N x 3, got " +
                                std::to_string(points.rows()) + " x " +
                                std::to_string(points.cols()));
  }
  if (values.size() != n) {
    throw std::invalid_argument(std::string(kWho) + ": " + std::to_string(n) + " points but " +
                                std::to_string(values.size()) + " values");
  }
  if (scalar_name.empty()) {
    throw std::invalid_argument(std::string(kWho) + ": scalar_name is empty");
  }
  for (index_t i = 0; i < n; ++i) {
    for (index_t c = 0; c < 3; ++c) {
      if (!std::isfinite(points(i, c))) {
        throw std::invalid_argument(std::string(kWho) + ": point " + std::to_string(i) +
                                    " has a non-finite coordinate (" +
                                    std::to_string(points(i, c)) + ")");
      }
    }
    if (!std::isfinite(values(i))) {
      throw std::invalid_argument(std::string(kWho) + ": value " + std::to_string(i) +
                                  " is not finite (" + std::to_string(values(i)) + ")");
    }
  }

  const std::string name = strider::detail::xml_escape(scalar_name);
  std::string xml;
  // ~ 3 x 24 characters per coordinate row, 24 per value, ~ 3 x 8 for the cells.
  xml.reserve(static_cast<std::size_t>(n) * 128 + 1024);
  xml +=
      "<?xml version=\"1.0\"?>\n"
      "<VTKFile type=\"UnstructuredGrid\" version=\"1.0\" byte_order=\"LittleEndian\" "
      "header_type=\"UInt64\">\n"
      "  <UnstructuredGrid>\n"
      "    <Piece NumberOfPoints=\"";
  append_index(xml, n);
  xml += "\" NumberOfCells=\"";
  append_index(xml, n);
  xml += "\">\n      <PointData Scalars=\"" + name + "\">\n";
  xml += "        <DataArray type=\"Float64\" Name=\"" + name + "\" format=\"ascii\">\n";
  for (index_t i = 0; i < n; ++i) {
    xml += "          ";
    append_double(xml, values(i));
    xml += '\n';
  }
  xml +=
      "        </DataArray>\n"
      "      </PointData>\n"
      "      <Points>\n"
      "        <DataArray type=\"Float64\" Name=\"Points\" NumberOfComponents=\"3\" "
      "format=\"ascii\">\n";
  for (index_t i = 0; i < n; ++i) {
    xml += "          ";
    append_double(xml, points(i, 0));
    xml += ' ';
    append_double(xml, points(i, 1));
    xml += ' ';
    append_double(xml, points(i, 2));
    xml += '\n';
  }
  xml +=
      "        </DataArray>\n"
      "      </Points>\n"
      "      <Cells>\n"
      "        <DataArray type=\"Int64\" Name=\"connectivity\" format=\"ascii\">\n";
  // Short lines of 16 numbers keep the file readable and diffable.
  const auto write_sequence = [&](index_t first, index_t count, bool constant) {
    for (index_t i = 0; i < count; ++i) {
      xml += (i % 16 == 0) ? "          " : " ";
      append_index(xml, constant ? first : first + i);
      if (i % 16 == 15 || i + 1 == count) xml += '\n';
    }
  };
  write_sequence(0, n, false);
  xml +=
      "        </DataArray>\n"
      "        <DataArray type=\"Int64\" Name=\"offsets\" format=\"ascii\">\n";
  write_sequence(1, n, false);
  xml +=
      "        </DataArray>\n"
      "        <DataArray type=\"UInt8\" Name=\"types\" format=\"ascii\">\n";
  write_sequence(1, n, true);  // VTK_VERTEX = 1
  xml +=
      "        </DataArray>\n"
      "      </Cells>\n"
      "    </Piece>\n"
      "  </UnstructuredGrid>\n"
      "</VTKFile>\n";

  io::write_file_atomic(path, xml);
}

std::pair<RowMatrixD, VectorD> stack_clusters(const std::vector<RowMatrixD>& clusters) {
  index_t total = 0;
  for (std::size_t k = 0; k < clusters.size(); ++k) {
    if (clusters[k].cols() != 3) {
      throw std::invalid_argument("stack_clusters(): cluster " + std::to_string(k) +
                                  " must be n x 3, got " + std::to_string(clusters[k].rows()) +
                                  " x " + std::to_string(clusters[k].cols()));
    }
    total += clusters[k].rows();
  }
  RowMatrixD points(total, 3);
  VectorD labels(total);
  index_t row = 0;
  for (std::size_t k = 0; k < clusters.size(); ++k) {
    const index_t m = clusters[k].rows();
    points.middleRows(row, m) = clusters[k];
    labels.segment(row, m).setConstant(static_cast<double>(k));
    row += m;
  }
  return {std::move(points), std::move(labels)};
}

}  // namespace strider::utils
