#include "io/text.hpp"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace strider::detail {

namespace fs = std::filesystem;

std::string read_text_file(const fs::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) {
    throw FormatError(name, 0, "cannot open: no such file");
  }
  if (fs::is_directory(status)) {
    throw FormatError(name, 0, "cannot open: it is a directory, expected a file");
  }
  std::FILE* f = std::fopen(name.c_str(), "rb");
  if (f == nullptr) {
    throw FormatError(name, 0, std::string("cannot open: ") + std::strerror(errno));
  }
  std::string text;
  const std::uintmax_t size = fs::is_regular_file(status) ? fs::file_size(path, ec) : 0;
  std::size_t got = 0;
  if (!ec && size > 0) {
    text.resize(static_cast<std::size_t>(size));
    got = std::fread(text.data(), 1, text.size(), f);
  }
  // The size may have changed since it was asked, or the file is not regular: read on.
  if (got == text.size()) {
    char buf[1 << 16];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0)
      text.append(buf, n);
  } else {
    text.resize(got);
  }
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) throw FormatError(name, 0, "read error");
  return text;
}

std::string quote_token(std::string_view token) {
  constexpr std::size_t kMax = 40;
  std::string s = "'";
  if (token.size() > kMax) {
    s.append(token.substr(0, kMax));
    s += "...";
  } else {
    s.append(token);
  }
  return s + "'";
}

std::string number_problem(NumberStatus status, std::string_view token) {
  switch (status) {
    case NumberStatus::empty:
      return "empty value";
    case NumberStatus::out_of_range:
      return quote_token(token) + " is out of the range of double";
    case NumberStatus::not_a_number:
    case NumberStatus::ok:
      break;
  }
  return quote_token(token) + " is not a number";
}

Panel panel_from_flat(const std::vector<double>& flat, const std::vector<index_t>& lengths,
                      index_t n_channels, std::vector<std::string> labels, bool labelled) {
  const std::size_t n = lengths.size();
  index_t t_max = 0;
  for (index_t len : lengths)
    t_max = std::max(t_max, len);
  Panel::Tensor data = Panel::Tensor::from_shape(
      {n, static_cast<std::size_t>(n_channels), static_cast<std::size_t>(t_max)});
  double* out = data.data();
  const double* in = flat.data();
  for (std::size_t i = 0; i < n; ++i) {
    const index_t len = lengths[i];
    for (index_t c = 0; c < n_channels; ++c) {
      // Padding past len is zeroed by the Panel constructor.
      std::copy_n(in, len, out + (static_cast<index_t>(i) * n_channels + c) * t_max);
      in += len;
    }
  }
  assert(in == flat.data() + flat.size());
  if (labelled) return Panel(std::move(data), lengths, std::move(labels));
  return Panel(std::move(data), lengths);
}

}  // namespace strider::detail
