#pragma once
/// @file io/csv.hpp
/// @brief CSV writers for feature matrices and predictions, and a reader for numeric
/// CSV matrices.
///
/// Written files: comma-separated, "\n" line endings, one row per line; numbers as the
/// shortest text that reads back to the same value (`float` matrices use the shortest
/// float text), NaN as `NaN`, infinities as `inf`/`-inf`; text fields are quoted as in
/// RFC 4180 when they contain a comma, a quote or surrounding spaces. Every writer is
/// atomic: it writes a temporary file in the same directory, then renames it over the
/// target; on failure nothing is left behind and the error names the path.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "strider/types.hpp"

namespace strider::io {

/**
 * @brief Writes a feature matrix as CSV, optionally with a header row.
 * @param path         the file to create or replace
 * @param x            n_rows x n_columns (e.g. n_series x n_features)
 * @param column_names empty (no header row) or n_columns names (no line breaks)
 * @throws std::invalid_argument when column_names has the wrong size or a name contains a
 *         line break
 * @throws std::runtime_error naming the path when it cannot be written
 */
void write_csv(const std::filesystem::path& path, const Eigen::Ref<const RowMatrixD>& x,
               const std::vector<std::string>& column_names = {});

/// As above for a float matrix (values written with float's shortest representation).
void write_csv(const std::filesystem::path& path, const Eigen::Ref<const RowMatrixF>& x,
               const std::vector<std::string>& column_names = {});

/**
 * @brief Writes predicted labels as CSV: a header `index,predicted` (plus `,true` when
 * true labels are given), then one row per series: its 0-based index, its prediction
 * (and its true label).
 * @param predictions one label per series
 * @param true_labels empty (no `true` column) or one label per series
 * @throws std::invalid_argument when true_labels is non-empty and its size differs from
 *         predictions', or a label contains a line break
 * @throws std::runtime_error naming the path when it cannot be written
 */
void write_predictions_csv(const std::filesystem::path& path,
                           const std::vector<std::string>& predictions,
                           const std::vector<std::string>& true_labels = {});

/// Whether the first line of a CSV file is a header row.
enum class CsvHeader {
  automatic,  ///< a header iff one of its fields is not a number
  present,    ///< the first line is a header
  absent      ///< every line is data
};

/// A numeric CSV file read back.
struct CsvMatrix {
  std::vector<std::string> column_names;  ///< the header row (empty when there is none)
  RowMatrixD values;                      ///< n_rows x n_columns
};

/**
 * @brief Parses numeric CSV text: every data line has the same number of fields, each a
 * number (as the dataset readers accept: from_chars syntax, a leading '+', NaN, inf),
 * optionally quoted and surrounded by spaces. Blank lines are allowed only at the end.
 *
 * The matrix read is what the CSV writers write (features, any double, up to the largest
 * finite one), not a series for the estimators, so the dataset readers' magnitude bound
 * (kMaxAbsValue) does not apply. The values are stored as they are read and checked row
 * by row against the first row's width; nothing is allocated per field, so the memory
 * used grows with the values the text holds.
 * @param text        the whole file content
 * @param source_name the name used in error messages (usually the path)
 * @param header      whether the first line holds column names
 * @return the column names and the values; a header with no data rows gives 0 rows
 * @throws FormatError "<file>:<line>: field <k>: <problem>" for a malformed line, an empty
 *         file or rows of different widths
 */
CsvMatrix parse_csv_matrix(std::string_view text, const std::string& source_name = "<string>",
                           CsvHeader header = CsvHeader::automatic);

/**
 * @brief Reads a numeric CSV file (see parse_csv_matrix()).
 * @throws FormatError when the file cannot be opened or is malformed
 */
CsvMatrix read_csv_matrix(const std::filesystem::path& path,
                          CsvHeader header = CsvHeader::automatic);

}  // namespace strider::io
