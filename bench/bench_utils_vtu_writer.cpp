// Writing the point cloud of the "scipar" workshop (50 + 30 Gaussian clusters, 1090 points in
// all) and a 100x larger one as a .vtu file. "Stream" formats with an ostream at 17
// significant digits (the obvious C++ reference, same XML); the library writer uses
// std::to_chars and one atomic write. Serial: formatting a few thousand numbers is not
// worth threads.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <string>

#include "bench_common.hpp"
#include "strider/random.hpp"
#include "strider/utils/vtu_writer.hpp"

namespace {

using strider::index_t;
using strider::RowMatrixD;
using strider::VectorD;
namespace utils = strider::utils;
namespace fs = std::filesystem;

// Gaussian clusters as the document's gen_clusters: sizes uniform in [1, 35), means in
// [1, 10), sigmas in [1, 3); the value of a point is its cluster index.
std::pair<RowMatrixD, VectorD> cloud(index_t target_points) {
  strider::Rng rng(1);
  std::vector<RowMatrixD> clusters;
  index_t total = 0;
  while (total < target_points) {
    const auto m = static_cast<index_t>(1 + rng.uniform_int(34));
    RowMatrixD c(m, 3);
    for (int a = 0; a < 3; ++a) {
      const double mean = 1.0 + static_cast<double>(rng.uniform_int(9));
      const double sigma = 1.0 + static_cast<double>(rng.uniform_int(2));
      for (index_t i = 0; i < m; ++i)
        c(i, a) = rng.normal(mean, sigma);
    }
    clusters.push_back(c);
    total += m;
  }
  return utils::stack_clusters(clusters);
}

fs::path bench_file(const char* name) {
  return fs::temp_directory_path() / (std::string("strider_bench_") + name + ".vtu");
}

void write_with_stream(const fs::path& path, const RowMatrixD& p, const VectorD& v) {
  std::ofstream out(path);
  out << std::setprecision(17);
  const index_t n = p.rows();
  out << "<?xml version=\"1.0\"?>\n<VTKFile type=\"UnstructuredGrid\" version=\"1.0\" "
         "byte_order=\"LittleEndian\" header_type=\"UInt64\">\n<UnstructuredGrid>\n"
      << "<Piece NumberOfPoints=\"" << n << "\" NumberOfCells=\"" << n << "\">\n"
      << "<PointData Scalars=\"v\">\n<DataArray type=\"Float64\" Name=\"v\" format=\"ascii\">\n";
  for (index_t i = 0; i < n; ++i)
    out << v(i) << '\n';
  out << "</DataArray>\n</PointData>\n<Points>\n<DataArray type=\"Float64\" "
         "NumberOfComponents=\"3\" format=\"ascii\">\n";
  for (index_t i = 0; i < n; ++i)
    out << p(i, 0) << ' ' << p(i, 1) << ' ' << p(i, 2) << '\n';
  out << "</DataArray>\n</Points>\n<Cells>\n<DataArray type=\"Int64\" Name=\"connectivity\" "
         "format=\"ascii\">\n";
  for (index_t i = 0; i < n; ++i)
    out << i << '\n';
  out << "</DataArray>\n<DataArray type=\"Int64\" Name=\"offsets\" format=\"ascii\">\n";
  for (index_t i = 0; i < n; ++i)
    out << i + 1 << '\n';
  out << "</DataArray>\n<DataArray type=\"UInt8\" Name=\"types\" format=\"ascii\">\n";
  for (index_t i = 0; i < n; ++i)
    out << "1\n";
  out << "</DataArray>\n</Cells>\n</Piece>\n</UnstructuredGrid>\n</VTKFile>\n";
}

void BM_VtuWriter_Stream(benchmark::State& state) {
  const auto [p, v] = cloud(state.range(0));
  const fs::path path = bench_file("stream");
  for (auto _ : state)
    write_with_stream(path, p, v);
  state.SetItemsProcessed(state.iterations() * p.rows());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(fs::file_size(path)));
  fs::remove(path);
}
BENCHMARK(BM_VtuWriter_Stream)
    ->Arg(strider::bench::size<index_t>(1090, 50))
    ->Arg(strider::bench::size<index_t>(109000, 100))
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

void BM_VtuWriter_Library(benchmark::State& state) {
  const auto [p, v] = cloud(state.range(0));
  const fs::path path = bench_file("library");
  for (auto _ : state)
    utils::write_vtu_point_cloud(path, p, v, "v");
  state.SetItemsProcessed(state.iterations() * p.rows());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(fs::file_size(path)));
  fs::remove(path);
}
BENCHMARK(BM_VtuWriter_Library)
    ->Arg(strider::bench::size<index_t>(1090, 50))
    ->Arg(strider::bench::size<index_t>(109000, 100))
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace
