#include "io/text.hpp"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "strider/memory.hpp"

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

std::string magnitude_problem(std::size_t index_1based, std::string_view token) {
  std::string bound;
  append_number(bound, kMaxAbsValue);
  return value_prefix(index_1based) + quote_token(token) +
         " is beyond the largest magnitude accepted, " + bound +
         " (strider::kMaxAbsValue); rescale the data";
}

std::string too_long_problem() {
  return "the series has more than " + std::to_string(kMaxSeriesLength) +
         " values, the longest series accepted (strider::kMaxSeriesLength)";
}

void check_read_options(const io::ReadOptions& options, const char* who) {
  if (!(options.max_padding_ratio >= 0.0)) {
    std::string v;
    append_number(v, options.max_padding_ratio);
    throw std::invalid_argument(std::string(who) + ": ReadOptions::max_padding_ratio is " + v +
                                ", expected a number >= 0 (infinity: no bound)");
  }
}

void check_padded_size(const std::string& source, std::size_t n_series, index_t n_channels,
                       index_t max_length, std::size_t n_values, std::size_t longest_line,
                       double max_padding_ratio) {
  constexpr double kSlack = 1048576.0;  // 2^20: small files are never refused
  // In double: the product of three counts may not fit in 64 bits for a hostile file.
  const double padded = static_cast<double>(n_series) * static_cast<double>(n_channels) *
                        static_cast<double>(max_length);
  const double values = static_cast<double>(n_values);
  if (padded <= kSlack || padded <= max_padding_ratio * values + kSlack) return;
  std::string ratio;
  append_number(ratio, max_padding_ratio);
  std::string padded_text;
  append_number(padded_text, padded);
  if (padded < 9007199254740992.0) {  // exact below 2^53
    padded_text = std::to_string(static_cast<std::uint64_t>(padded));
  }
  std::string where;
  if (longest_line > 0) where = ", line " + std::to_string(longest_line);
  throw FormatError(
      source, 0,
      "the series lengths are too uneven to store them padded to the longest: " +
          std::to_string(n_series) + " series x " + std::to_string(n_channels) +
          (n_channels == 1 ? " channel x " : " channels x ") + std::to_string(max_length) +
          " points (the longest series" + where + ") = " + padded_text + " values (" +
          format_bytes(static_cast<std::uint64_t>(std::min(padded * sizeof(double), 1e19))) +
          ") for the " + std::to_string(n_values) + " values read, more than max_padding_ratio (" +
          ratio + ") x " + std::to_string(n_values) +
          " + 1048576; raise ReadOptions::max_padding_ratio if the file is meant to be read");
}

Panel panel_from_flat(const std::vector<double>& flat, const std::vector<index_t>& lengths,
                      index_t n_channels, std::vector<std::string> labels, bool labelled,
                      const std::string& source, std::vector<index_t> lines,
                      double max_padding_ratio) {
  const std::size_t n = lengths.size();
  assert(lines.size() == n);
  index_t t_max = 0;
  std::size_t longest = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (lengths[i] > t_max) {
      t_max = lengths[i];
      longest = i;
    }
  }
  check_padded_size(source, n, n_channels, t_max, flat.size(),
                    n > 0 ? static_cast<std::size_t>(lines[longest]) : 0, max_padding_ratio);
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
  Panel panel = labelled ? Panel(std::move(data), lengths, std::move(labels))
                         : Panel(std::move(data), lengths);
  panel.set_source(source, std::move(lines));
  return panel;
}

}  // namespace strider::detail
