#pragma once
// Private helpers shared by the dataset readers and writers (never installed): whole-file
// reading, line splitting with 1-based line numbers, number parsing and formatting, and
// the bounds every dataset reader applies (strider/limits.hpp, ReadOptions).
// Writers write through strider/io/atomic_write.hpp.

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include <vector>

#include "strider/error.hpp"
#include "strider/io/read_options.hpp"
#include "strider/limits.hpp"
#include "strider/panel.hpp"

namespace strider::detail {

/// Reads the whole file into memory with a single read.
/// @throws FormatError (line 0) when the file is missing, a directory or unreadable
std::string read_text_file(const std::filesystem::path& path);

/// Splits a buffer into lines: "\n" or "\r\n" endings, the last line may lack one.
/// A UTF-8 byte-order mark at the start is skipped.
class LineCursor {
 public:
  explicit LineCursor(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  }
  /// Advances to the next line; false at the end of the buffer.
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    const char* base = text_.data();
    const void* nl = std::memchr(base + pos_, '\n', text_.size() - pos_);
    const std::size_t end = nl != nullptr
                                ? static_cast<std::size_t>(static_cast<const char*>(nl) - base)
                                : text_.size();
    std::size_t stop = end;
    if (stop > pos_ && base[stop - 1] == '\r') --stop;
    line = std::string_view(base + pos_, stop - pos_);
    pos_ = end + 1;
    ++line_number_;
    return true;
  }
  /// 1-based number of the line last returned by next().
  std::size_t line_number() const noexcept { return line_number_; }
  /// True when every remaining byte is whitespace (so the rest is trailing blank lines).
  bool only_blank_left() const noexcept {
    for (std::size_t k = pos_; k < text_.size(); ++k) {
      if (!is_blank(text_[k])) return false;
    }
    return true;
  }
  static bool is_blank(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_number_ = 0;
};

/// True when the line holds only spaces/tabs (or nothing).
inline bool is_blank_line(std::string_view line) noexcept {
  for (char c : line) {
    if (!LineCursor::is_blank(c)) return false;
  }
  return true;
}

/// Removes leading and trailing spaces and tabs.
inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

/// Outcome of parse_number, for the error message.
enum class NumberStatus { ok, empty, not_a_number, out_of_range };

/**
 * Parses one whole token as a double: what std::from_chars (general format) accepts,
 * plus one leading '+'. That includes "nan"/"NaN"/"inf"/"infinity" in any case.
 * The token must be consumed entirely.
 */
inline NumberStatus parse_number(std::string_view token, double& value) noexcept {
  const char* first = token.data();
  const char* last = token.data() + token.size();
  if (first == last) return NumberStatus::empty;
  if (*first == '+') {
    ++first;
    if (first == last || *first == '-' || *first == '+') return NumberStatus::not_a_number;
  }
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec == std::errc::result_out_of_range && ptr == last) return NumberStatus::out_of_range;
  if (ec != std::errc() || ptr != last) return NumberStatus::not_a_number;
  return NumberStatus::ok;
}

/// A regression target: the token without surrounding spaces and tabs, parsed as
/// parse_number() does, finite and at most kMaxAbsValue in magnitude. False otherwise.
inline bool parse_target(std::string_view token, double& value) noexcept {
  const std::size_t first = token.find_first_not_of(" \t");
  if (first == std::string_view::npos) return false;
  token = token.substr(first, token.find_last_not_of(" \t") - first + 1);
  return parse_number(token, value) == NumberStatus::ok && std::isfinite(value) &&
         std::fabs(value) <= kMaxAbsValue;
}

/// The token quoted for a message, shortened when long.
std::string quote_token(std::string_view token);

/// "'abc' is not a number" / "empty value" / "'1e999' is out of the range of double".
std::string number_problem(NumberStatus status, std::string_view token);

/// Appends the shortest text that reads back to exactly `v` ("NaN", "inf", "-inf" for
/// the special values).
template <class T>
void append_number(std::string& out, T v) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  char buf[64];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  (void)ec;  // 64 bytes always suffice for the shortest representation
  out.append(buf, ptr);
}

/// The message prefix "line L" is part of FormatError; this adds the field position:
/// "value 37: ".
inline std::string value_prefix(std::size_t index_1based) {
  return "value " + std::to_string(index_1based) + ": ";
}

/// True for a finite value whose magnitude exceeds kMaxAbsValue, which the dataset readers
/// refuse. NaN (a missing value) and the infinities are not concerned: they are read as
/// such and the estimators decide what to do with them.
inline bool beyond_max_abs(double v) noexcept {
  return std::fabs(v) > kMaxAbsValue && !std::isinf(v);
}

/// "value 5: '1e308' is beyond the largest magnitude accepted, 1e+50 (...); ..."
std::string magnitude_problem(std::size_t index_1based, std::string_view token);

/// "the series has more than 4194304 values, the longest series accepted ...".
std::string too_long_problem();

/// Refuses options the readers cannot apply: std::invalid_argument when
/// max_padding_ratio is negative or NaN (infinity disables the padding bound).
void check_read_options(const io::ReadOptions& options, const char* who);

/**
 * The padding bound of io::ReadOptions::max_padding_ratio, checked before the dense
 * n_series x n_channels x max_length tensor is allocated: FormatError (line 0) naming
 * `source`, the padded size, `n_values` (the values read) and the option when
 * n_series * n_channels * max_length > max_padding_ratio * n_values + 2^20.
 * `longest_line` (the line of a longest series, 0 if unknown) is named in the message.
 */
void check_padded_size(const std::string& source, std::size_t n_series, index_t n_channels,
                       index_t max_length, std::size_t n_values, std::size_t longest_line,
                       double max_padding_ratio);

/**
 * Builds a panel from series stored one after the other: series i holds n_channels runs
 * of lengths[i] values (channel 0 first). `labelled` false gives an unlabelled panel.
 * Checks the padding bound (check_padded_size()) before allocating the tensor, then
 * records `source` and `lines` (the 1-based line of each series) with Panel::set_source.
 */
Panel panel_from_flat(const std::vector<double>& flat, const std::vector<index_t>& lengths,
                      index_t n_channels, std::vector<std::string> labels, bool labelled,
                      const std::string& source, std::vector<index_t> lines,
                      double max_padding_ratio);

}  // namespace strider::detail
