#include "strider/io/ucr.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <utility>
#include <vector>

#include "io/text.hpp"
#include "strider/error.hpp"
#include "strider/io/atomic_write.hpp"
#include "strider/limits.hpp"

namespace strider::io {

namespace {

using detail::LineCursor;
using detail::NumberStatus;

// One non-blank line of a .tsv file, found by the first pass.
struct TsvLine {
  const char* begin;
  const char* end;
  std::size_t number;  // 1-based line number
  index_t n_values;    // fields holding values: tabs on the line, plus 1 when unlabelled
};

[[noreturn]] void throw_empty_line(const std::string& source, std::size_t line) {
  throw FormatError(source, line,
                    "empty line between series (only allowed at the end of the file)");
}

[[noreturn]] void throw_empty_file(const std::string& source) {
  throw FormatError(source, 1, "empty file: no series");
}

[[noreturn]] void throw_no_values(const std::string& source, std::size_t line,
                                  std::string_view label) {
  throw FormatError(
      source, line,
      "label " + detail::quote_token(label) + " but no values (a series needs at least one value)");
}

// The label rule of io/read_options.hpp: the first field of a labelled line is text or a
// whole number; a number with a fractional part, NaN, an infinity or a number beyond 2^53
// is a series value, so the file most likely has no label column.
// With Labels::targets, the first field must be a finite number instead.
void check_label(std::string_view field, const std::string& source, std::size_t line,
                 Labels labels) {
  constexpr double kMaxWhole = 9007199254740992.0;  // 2^53: every double beyond is whole
  const std::string_view token = detail::trim(field);
  double v = 0.0;
  if (labels == Labels::targets) {
    if (detail::parse_target(token, v)) return;
    throw FormatError(source, line,
                      "the first field " + detail::quote_token(token) +
                          " is not a finite number of magnitude at most 1e50: read with "
                          "numeric targets (regression), the first field of each line is the "
                          "series' target");
  }
  const NumberStatus status = detail::parse_number(token, v);
  const char* what = nullptr;
  if (status == NumberStatus::not_a_number || status == NumberStatus::empty) return;  // text
  if (status == NumberStatus::out_of_range || (std::isfinite(v) && std::fabs(v) > kMaxWhole)) {
    what = "a number too large for a class label";
  } else if (std::isnan(v)) {
    what = "a missing value";
  } else if (std::isinf(v)) {
    what = "an infinity";
  } else if (v != std::trunc(v)) {
    what = "a real number";
  } else {
    return;
  }
  throw FormatError(source, line,
                    "the first field " + detail::quote_token(token) + " is " + what +
                        ", not a class label (a label is text or a whole number), so the file "
                        "looks unlabelled: if it has no label column, read it without labels "
                        "(io::Labels::unlabelled; --no-labels on the command line); if the "
                        "first field is a numeric target, read it as regression data "
                        "(io::Labels::targets; --task regression)");
}

// The message for a value that does not parse; for the first field of an unlabelled
// line, a hint that the file may have labels after all.
std::string value_problem(std::size_t index_1based, NumberStatus status, std::string_view token,
                          bool labelled) {
  std::string s = detail::value_prefix(index_1based) + detail::number_problem(status, token);
  if (!labelled && index_1based == 1 && status == NumberStatus::not_a_number) {
    s += " (the file is read without labels: if its first field is a class label, read it "
         "as labelled)";
  }
  return s;
}

}  // namespace

Panel parse_ucr_tsv(std::string_view text, const std::string& source_name,
                    const ReadOptions& options) {
  detail::check_read_options(options, "parse_ucr_tsv()");
  const bool labelled = options.labels != Labels::unlabelled;
  // Pass 1: find the lines and count their fields, so the tensor can be allocated once
  // and filled in place by pass 2. The length and padding bounds are checked here, on
  // what the file holds, before anything of the size of the panel is allocated.
  std::vector<TsvLine> lines;
  LineCursor cursor(text);
  std::string_view line;
  index_t t_max = 0;
  std::size_t n_values_total = 0, longest_line = 0;
  while (cursor.next(line)) {
    if (detail::is_blank_line(line)) {
      if (cursor.only_blank_left()) break;
      throw_empty_line(source_name, cursor.line_number());
    }
    const index_t n_values =
        static_cast<index_t>(std::count(line.begin(), line.end(), '\t')) + (labelled ? 0 : 1);
    if (n_values > kMaxSeriesLength) {
      throw FormatError(source_name, cursor.line_number(), detail::too_long_problem());
    }
    lines.push_back({line.data(), line.data() + line.size(), cursor.line_number(), n_values});
    n_values_total += static_cast<std::size_t>(n_values);
    if (n_values > t_max) {
      t_max = n_values;
      longest_line = cursor.line_number();
    }
  }
  if (lines.empty()) throw_empty_file(source_name);
  const std::size_t n = lines.size();
  detail::check_padded_size(source_name, n, 1, t_max, n_values_total, longest_line,
                            options.max_padding_ratio);

  // Pass 2: labels and values, straight into the tensor.
  Panel::Tensor data =
      Panel::Tensor::from_shape({n, std::size_t{1}, static_cast<std::size_t>(t_max)});
  std::vector<index_t> lengths(n);
  std::vector<index_t> line_numbers(n);
  std::vector<std::string> labels(labelled ? n : 0);
  for (std::size_t i = 0; i < n; ++i) {
    const TsvLine& l = lines[i];
    line_numbers[i] = static_cast<index_t>(l.number);
    const char* p = l.begin;
    if (labelled) {
      const char* tab = static_cast<const char*>(std::memchr(l.begin, '\t', l.end - l.begin));
      const std::string_view label(l.begin, (tab != nullptr ? tab : l.end) - l.begin);
      if (detail::trim(label).empty()) {
        throw FormatError(source_name, l.number,
                          "missing label (the line must start with the class label, then a tab)");
      }
      check_label(label, source_name, l.number, options.labels);
      if (l.n_values == 0) throw_no_values(source_name, l.number, label);
      labels[i].assign(options.labels == Labels::targets ? detail::trim(label) : label);
      p = tab + 1;
    }
    lengths[i] = l.n_values;

    double* out = data.data() + static_cast<index_t>(i) * t_max;
    const char* end = l.end;
    for (index_t k = 0; k < l.n_values; ++k) {
      // Fast path: a plain number followed by a tab or the end of the line.
      const auto [ptr, ec] = std::from_chars(p, end, out[k]);
      if (ec == std::errc() && (ptr == end || *ptr == '\t')) {
        if (detail::beyond_max_abs(out[k])) {
          throw FormatError(source_name, l.number,
                            detail::magnitude_problem(static_cast<std::size_t>(k) + 1,
                                                      std::string_view(p, ptr - p)));
        }
        p = ptr + 1;
        continue;
      }
      // Slow path: the whole field, for '+' signs and for the error message.
      const char* stop = static_cast<const char*>(std::memchr(p, '\t', end - p));
      if (stop == nullptr) stop = end;
      const std::string_view token(p, stop - p);
      const NumberStatus status = detail::parse_number(token, out[k]);
      if (status != NumberStatus::ok) {
        throw FormatError(source_name, l.number,
                          value_problem(static_cast<std::size_t>(k) + 1, status, token, labelled));
      }
      if (detail::beyond_max_abs(out[k])) {
        throw FormatError(source_name, l.number,
                          detail::magnitude_problem(static_cast<std::size_t>(k) + 1, token));
      }
      p = stop + 1;
    }
  }
  Panel panel = labelled ? Panel(std::move(data), std::move(lengths), std::move(labels))
                         : Panel(std::move(data), std::move(lengths));
  panel.set_source(source_name, std::move(line_numbers));
  return panel;
}

Panel read_ucr_tsv(const std::filesystem::path& path, const ReadOptions& options) {
  const std::string text = detail::read_text_file(path);
  return parse_ucr_tsv(text, path.string(), options);
}

Panel parse_ucr_txt(std::string_view text, const std::string& source_name,
                    const ReadOptions& options) {
  detail::check_read_options(options, "parse_ucr_txt()");
  const bool labelled = options.labels != Labels::unlabelled;
  enum class Separator { unknown, comma, whitespace };
  Separator sep = Separator::unknown;
  std::size_t first_line = 0;
  // Every value goes straight into `flat`: what is allocated grows with what is read.
  std::vector<double> flat;
  std::vector<index_t> lengths;
  std::vector<index_t> line_numbers;
  std::vector<std::string> labels;

  LineCursor cursor(text);
  std::string_view line;
  while (cursor.next(line)) {
    const std::size_t number = cursor.line_number();
    if (detail::is_blank_line(line)) {
      if (cursor.only_blank_left()) break;
      throw_empty_line(source_name, number);
    }
    const std::string_view body = detail::trim(line);
    const bool has_comma = body.find(',') != std::string_view::npos;
    const bool has_space = body.find_first_of(" \t") != std::string_view::npos;
    if (sep == Separator::unknown) {
      sep = has_comma ? Separator::comma : Separator::whitespace;
      first_line = number;
    } else if (sep == Separator::comma && !has_comma && has_space) {
      throw FormatError(source_name, number,
                        "inconsistent separators: this line is separated by whitespace, line " +
                            std::to_string(first_line) + " by commas");
    } else if (sep == Separator::whitespace && has_comma) {
      throw FormatError(source_name, number,
                        "inconsistent separators: this line contains a comma, line " +
                            std::to_string(first_line) + " is separated by whitespace");
    }

    // The fields of the line, one at a time: comma-separated (each trimmed, possibly
    // empty) or separated by runs of spaces and tabs (body is trimmed and not blank).
    std::size_t pos = 0;
    bool more = true;
    const auto next_field = [&](std::string_view& field) {
      if (!more) return false;
      if (sep == Separator::comma) {
        const std::size_t comma = body.find(',', pos);
        field = detail::trim(body.substr(pos, comma - pos));
        if (comma == std::string_view::npos) {
          more = false;
        } else {
          pos = comma + 1;
        }
      } else {
        const std::size_t stop = std::min(body.find_first_of(" \t", pos), body.size());
        field = body.substr(pos, stop - pos);
        pos = body.find_first_not_of(" \t", stop);
        if (pos == std::string_view::npos) more = false;
      }
      return true;
    };

    std::string_view field;
    next_field(field);
    std::string_view label;
    if (labelled) {
      label = field;
      if (label.empty()) {
        throw FormatError(source_name, number,
                          "missing label (the line must start with the class label)");
      }
      check_label(label, source_name, number, options.labels);
      if (!next_field(field)) throw_no_values(source_name, number, label);
    }
    index_t count = 0;
    do {
      if (count == kMaxSeriesLength) {
        throw FormatError(source_name, number, detail::too_long_problem());
      }
      ++count;
      double v = 0.0;
      const NumberStatus status = detail::parse_number(field, v);
      if (status != NumberStatus::ok) {
        throw FormatError(source_name, number,
                          value_problem(static_cast<std::size_t>(count), status, field, labelled));
      }
      if (detail::beyond_max_abs(v)) {
        throw FormatError(source_name, number,
                          detail::magnitude_problem(static_cast<std::size_t>(count), field));
      }
      flat.push_back(v);
    } while (next_field(field));
    if (labelled)
      labels.emplace_back(options.labels == Labels::targets ? detail::trim(label) : label);
    lengths.push_back(count);
    line_numbers.push_back(static_cast<index_t>(number));
  }
  if (lengths.empty()) throw_empty_file(source_name);
  return detail::panel_from_flat(flat, lengths, 1, std::move(labels), labelled, source_name,
                                 std::move(line_numbers), options.max_padding_ratio);
}

Panel read_ucr_txt(const std::filesystem::path& path, const ReadOptions& options) {
  const std::string text = detail::read_text_file(path);
  return parse_ucr_txt(text, path.string(), options);
}

std::string format_ucr_tsv(const Panel& panel) {
  const std::string who = "format_ucr_tsv(): ";
  if (panel.n_series() == 0) throw std::invalid_argument(who + "the panel has no series");
  if (!panel.has_labels()) {
    throw std::invalid_argument(who +
                                "the panel has no labels; the UCR format needs one per series");
  }
  if (panel.n_channels() != 1) {
    throw std::invalid_argument(who + "the panel has " + std::to_string(panel.n_channels()) +
                                " channels; the UCR .tsv format is univariate (use write_ts)");
  }
  for (index_t i = 0; i < panel.n_series(); ++i) {
    const std::string& label = panel.labels()[i];
    if (detail::trim(label).empty() || label.find_first_of("\t\r\n") != std::string::npos) {
      throw std::invalid_argument(who + "label of series " + std::to_string(i) + " (" +
                                  detail::quote_token(label) +
                                  ") is blank or contains a tab or a line break");
    }
    if (label.rfind("\xEF\xBB\xBF", 0) == 0) {
      throw std::invalid_argument(who + "label of series " + std::to_string(i) + " (" +
                                  detail::quote_token(label) +
                                  ") starts with a byte-order mark (U+FEFF), which the readers "
                                  "take for the file's encoding mark at the start of a file");
    }
  }
  std::string out;
  // About 12 characters per value in typical data: one allocation in most cases. From the
  // lengths, not the padded size, which can be many times larger.
  std::size_t n_values = 0;
  for (const index_t len : panel.lengths())
    n_values += static_cast<std::size_t>(len);
  out.reserve(static_cast<std::size_t>(panel.n_series()) * 8 + 12 * n_values);
  for (index_t i = 0; i < panel.n_series(); ++i) {
    out += panel.labels()[i];
    const double* s = panel.series(i);
    for (index_t t = 0; t < panel.length(i); ++t) {
      out += '\t';
      detail::append_number(out, s[t]);
    }
    out += '\n';
  }
  return out;
}

void write_ucr_tsv(const Panel& panel, const std::filesystem::path& path) {
  const std::string text = format_ucr_tsv(panel);
  write_file_atomic(path, text, "write_ucr_tsv()");
}

}  // namespace strider::io
