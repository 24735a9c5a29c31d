#include "strider/io/npy.hpp"

#include <bit>
#include <cstring>
#include <string>

#include "strider/io/atomic_write.hpp"

namespace strider::io {

namespace {

template <class T>
void write_npy_impl(const std::filesystem::path& path, const Eigen::Ref<const RowMatrix<T>>& x,
                    const char* descr) {
  static_assert(std::endian::native == std::endian::little,
                "write_npy() writes the machine's bytes as little-endian values");
  std::string header = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': (" + std::to_string(x.rows()) + ", " +
                       std::to_string(x.cols()) + "), }";
  // 10 bytes of preamble, the header, and a final newline: a multiple of 64 bytes.
  const std::size_t used = 10 + header.size() + 1;
  header.append((64 - used % 64) % 64, ' ');
  header += '\n';
  const auto header_length = static_cast<std::uint16_t>(header.size());
  std::string bytes = "\x93NUMPY";
  bytes += '\x01';
  bytes += '\x00';
  bytes += static_cast<char>(header_length & 0xff);
  bytes += static_cast<char>(header_length >> 8);
  bytes += header;
  const std::size_t start = bytes.size();
  bytes.resize(start + static_cast<std::size_t>(x.size()) * sizeof(T));
  for (index_t i = 0; i < x.rows(); ++i) {
    std::memcpy(bytes.data() + start + static_cast<std::size_t>(i * x.cols()) * sizeof(T),
                x.row(i).data(), static_cast<std::size_t>(x.cols()) * sizeof(T));
  }
  write_file_atomic(path, bytes, "write_npy()");
}

}  // namespace

void write_npy(const std::filesystem::path& path, const Eigen::Ref<const RowMatrixD>& x) {
  write_npy_impl<double>(path, x, "<f8");
}

void write_npy(const std::filesystem::path& path, const Eigen::Ref<const RowMatrixF>& x) {
  write_npy_impl<float>(path, x, "<f4");
}

}  // namespace strider::io
