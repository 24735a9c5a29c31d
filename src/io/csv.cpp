#include "strider/io/csv.hpp"

#include <algorithm>
#include <stdexcept>

#include "io/text.hpp"
#include "strider/error.hpp"
#include "strider/io/atomic_write.hpp"

namespace strider::io {

namespace {

using detail::NumberStatus;

bool needs_quotes(std::string_view s) {
  return s.find_first_of(",\"") != std::string_view::npos ||
         (!s.empty() &&
          (s.front() == ' ' || s.front() == '\t' || s.back() == ' ' || s.back() == '\t'));
}

void check_text_field(const std::string& s, const std::string& who, const std::string& what) {
  if (s.find_first_of("\r\n") != std::string::npos) {
    throw std::invalid_argument(who + what + " " + detail::quote_token(s) +
                                " contains a line break");
  }
}

void append_field(std::string& out, std::string_view s) {
  if (!needs_quotes(s)) {
    out.append(s);
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

template <class T>
void write_matrix(const std::filesystem::path& path, const Eigen::Ref<const RowMatrix<T>>& x,
                  const std::vector<std::string>& names) {
  const std::string who = "write_csv(): ";
  if (!names.empty() && static_cast<index_t>(names.size()) != x.cols()) {
    throw std::invalid_argument(who + std::to_string(names.size()) + " column names for " +
                                std::to_string(x.cols()) + " columns");
  }
  std::string out;
  out.reserve(static_cast<std::size_t>(x.rows() * (x.cols() * 14 + 1)));
  for (std::size_t k = 0; k < names.size(); ++k) {
    check_text_field(names[k], who, "column name");
    if (k > 0) out += ',';
    append_field(out, names[k]);
  }
  if (!names.empty()) out += '\n';
  for (index_t i = 0; i < x.rows(); ++i) {
    for (index_t j = 0; j < x.cols(); ++j) {
      if (j > 0) out += ',';
      detail::append_number(out, x(i, j));
    }
    out += '\n';
  }
  write_file_atomic(path, out, "write_csv()");
}

// Calls f(field) for each field of one CSV line, in order: quotes removed ("" inside
// quotes is one quote) and the spaces around unquoted fields trimmed. A quoted field is
// unescaped into `scratch`; an unquoted one is a view of the line, so nothing is allocated
// per field. Returns an empty string on success, else the problem (f is not called for
// the field at fault).
template <class F>
std::string for_each_csv_field(std::string_view line, std::string& scratch, F&& f) {
  std::size_t k = 0, index = 0;
  while (true) {
    ++index;
    while (k < line.size() && (line[k] == ' ' || line[k] == '\t'))
      ++k;
    std::string_view field;
    if (k < line.size() && line[k] == '"') {
      ++k;
      scratch.clear();
      bool closed = false;
      while (k < line.size()) {
        if (line[k] == '"') {
          if (k + 1 < line.size() && line[k + 1] == '"') {
            scratch += '"';
            k += 2;
            continue;
          }
          closed = true;
          ++k;
          break;
        }
        scratch += line[k++];
      }
      if (!closed) return "field " + std::to_string(index) + ": unterminated quote";
      while (k < line.size() && (line[k] == ' ' || line[k] == '\t'))
        ++k;
      if (k < line.size() && line[k] != ',') {
        return "field " + std::to_string(index) + ": text after the closing quote";
      }
      field = scratch;
    } else {
      const std::size_t comma = std::min(line.find(',', k), line.size());
      field = detail::trim(line.substr(k, comma - k));
      k = comma;
    }
    f(field);
    if (k >= line.size()) break;
    ++k;  // the comma
  }
  return {};
}

}  // namespace

void write_csv(const std::filesystem::path& path, const Eigen::Ref<const RowMatrixD>& x,
               const std::vector<std::string>& column_names) {
  write_matrix<double>(path, x, column_names);
}

void write_csv(const std::filesystem::path& path, const Eigen::Ref<const RowMatrixF>& x,
               const std::vector<std::string>& column_names) {
  write_matrix<float>(path, x, column_names);
}

void write_predictions_csv(const std::filesystem::path& path,
                           const std::vector<std::string>& predictions,
                           const std::vector<std::string>& true_labels) {
  const std::string who = "write_predictions_csv(): ";
  const bool with_truth = !true_labels.empty();
  if (with_truth && true_labels.size() != predictions.size()) {
    throw std::invalid_argument(who + std::to_string(true_labels.size()) + " true labels for " +
                                std::to_string(predictions.size()) + " predictions");
  }
  std::string out = with_truth ? "index,predicted,true\n" : "index,predicted\n";
  for (std::size_t i = 0; i < predictions.size(); ++i) {
    check_text_field(predictions[i], who, "prediction");
    out += std::to_string(i);
    out += ',';
    append_field(out, predictions[i]);
    if (with_truth) {
      check_text_field(true_labels[i], who, "true label");
      out += ',';
      append_field(out, true_labels[i]);
    }
    out += '\n';
  }
  write_file_atomic(path, out, "write_predictions_csv()");
}

CsvMatrix parse_csv_matrix(std::string_view text, const std::string& source_name,
                           CsvHeader header) {
  CsvMatrix result;
  // The values go straight from the text into `values`: what is allocated grows with
  // what is read (every row must have the width of the first one).
  std::vector<double> values;
  std::string scratch;
  std::size_t n_cols = 0, n_rows = 0, first_line = 0;
  bool any_line = false;
  detail::LineCursor cursor(text);
  std::string_view line;
  while (cursor.next(line)) {
    const std::size_t number = cursor.line_number();
    if (detail::is_blank_line(line)) {
      if (cursor.only_blank_left()) break;
      throw FormatError(source_name, number,
                        "empty line between rows (only allowed at the end of the file)");
    }
    // First walk: the line's shape (quoting, number of fields) and, on the first line,
    // whether it is a header.
    std::size_t n_fields = 0;
    bool all_numbers = true;
    const std::string problem = for_each_csv_field(line, scratch, [&](std::string_view f) {
      ++n_fields;
      double v;
      if (!any_line && detail::parse_number(f, v) != NumberStatus::ok) all_numbers = false;
    });
    if (!problem.empty()) throw FormatError(source_name, number, problem);

    if (!any_line) {
      any_line = true;
      first_line = number;
      n_cols = n_fields;
      const bool is_header =
          header == CsvHeader::present || (header == CsvHeader::automatic && !all_numbers);
      if (is_header) {
        for_each_csv_field(line, scratch,
                           [&](std::string_view f) { result.column_names.emplace_back(f); });
        continue;
      }
    }
    if (n_fields != n_cols) {
      throw FormatError(source_name, number,
                        std::to_string(n_fields) + " fields, but line " +
                            std::to_string(first_line) + " has " + std::to_string(n_cols));
    }
    // Second walk: the values.
    std::size_t k = 0;
    for_each_csv_field(line, scratch, [&](std::string_view f) {
      ++k;
      double v = 0.0;
      const NumberStatus status = detail::parse_number(f, v);
      if (status != NumberStatus::ok) {
        throw FormatError(source_name, number,
                          "field " + std::to_string(k) + ": " + detail::number_problem(status, f));
      }
      values.push_back(v);
    });
    ++n_rows;
  }
  if (!any_line) throw FormatError(source_name, 1, "empty file: no header and no rows");
  result.values = Eigen::Map<const RowMatrixD>(values.data(), static_cast<index_t>(n_rows),
                                               static_cast<index_t>(n_cols));
  return result;
}

CsvMatrix read_csv_matrix(const std::filesystem::path& path, CsvHeader header) {
  const std::string text = detail::read_text_file(path);
  return parse_csv_matrix(text, path.string(), header);
}

}  // namespace strider::io
