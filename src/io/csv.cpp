#include "strider/io/csv.hpp"

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

// Splits one CSV line into fields, removing quotes ("" inside quotes is one quote) and
// the spaces around unquoted fields. Returns an empty string on success, else the problem.
std::string split_csv(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::size_t k = 0;
  while (true) {
    while (k < line.size() && (line[k] == ' ' || line[k] == '\t'))
      ++k;
    std::string field;
    if (k < line.size() && line[k] == '"') {
      ++k;
      bool closed = false;
      while (k < line.size()) {
        if (line[k] == '"') {
          if (k + 1 < line.size() && line[k + 1] == '"') {
            field += '"';
            k += 2;
            continue;
          }
          closed = true;
          ++k;
          break;
        }
        field += line[k++];
      }
      if (!closed) return "field " + std::to_string(fields.size() + 1) + ": unterminated quote";
      while (k < line.size() && (line[k] == ' ' || line[k] == '\t'))
        ++k;
      if (k < line.size() && line[k] != ',') {
        return "field " + std::to_string(fields.size() + 1) + ": text after the closing quote";
      }
    } else {
      const std::size_t comma = std::min(line.find(',', k), line.size());
      field.assign(detail::trim(line.substr(k, comma - k)));
      k = comma;
    }
    fields.push_back(std::move(field));
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
  std::vector<double> values;
  std::vector<std::string> fields;
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
    const std::string problem = split_csv(line, fields);
    if (!problem.empty()) throw FormatError(source_name, number, problem);

    if (!any_line) {
      any_line = true;
      first_line = number;
      n_cols = fields.size();
      bool is_header = header == CsvHeader::present;
      if (header == CsvHeader::automatic) {
        for (const std::string& f : fields) {
          double v;
          if (detail::parse_number(f, v) != NumberStatus::ok) is_header = true;
        }
      }
      if (is_header) {
        result.column_names = fields;
        continue;
      }
    }
    if (fields.size() != n_cols) {
      throw FormatError(source_name, number,
                        std::to_string(fields.size()) + " fields, but line " +
                            std::to_string(first_line) + " has " + std::to_string(n_cols));
    }
    for (std::size_t k = 0; k < fields.size(); ++k) {
      double v = 0.0;
      const NumberStatus status = detail::parse_number(fields[k], v);
      if (status != NumberStatus::ok) {
        throw FormatError(
            source_name, number,
            "field " + std::to_string(k + 1) + ": " + detail::number_problem(status, fields[k]));
      }
      values.push_back(v);
    }
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
