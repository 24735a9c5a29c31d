#pragma once
/// @file io/ucr.hpp
/// @brief Readers and writer for the UCR archive's text formats.
///
/// - UCR 2018 `.tsv`: one series per line, the class label first, then the values, all
///   separated by single tabs. Lines of different lengths give a variable-length panel;
///   `NaN` (any case) is a missing value and is kept as NaN (the archive's trailing `NaN`
///   padding of variable-length sets is therefore read as missing values, not removed).
/// - UCR 2015 `.txt`/`.csv`: the same layout separated by commas or by runs of spaces or
///   tabs. The separator is detected on the first line and must be the same on every
///   line; spaces around values are ignored.
///
/// Unlabelled files (no label column: every field is a value) are read with
/// `ReadOptions{.labels = Labels::unlabelled}`. Read as labelled (the default), the first
/// field of every line must pass the label rule of io/read_options.hpp (text, or a whole
/// number such as `1`, `-1`, `1.0000000e+00`); a real-valued first field (`-0.7316`), `NaN`
/// or an infinity is refused with a FormatError naming the line, never taken as a label.
///
/// Values: whatever `std::from_chars` accepts in general format, plus a leading '+':
/// `1`, `-0.5`, `1e-3`, `nan`, `NaN`, `inf`, `-Infinity`. Infinities are read as such
/// (the estimators reject them, naming the point); a value outside the range of double
/// (`1e999`) is an error. Labels are kept exactly as written (`1`, `-1`, `1.0000000e+00`
/// are three different strings; see Panel for their order).
///
/// Bounds (strider/limits.hpp, io/read_options.hpp). A file is refused with a
/// strider::FormatError, never half-read, when
/// - a value's magnitude exceeds strider::kMaxAbsValue (1e50), e.g. `1e51` or `-1e308`:
///   "<file>:<line>: value <k>: '1e51' is beyond the largest magnitude accepted...", k
///   counting the series' values from 1 (the label is not counted). Larger values would
///   overflow the estimators' sums of squares; NaN and the infinities are not concerned.
/// - a line holds more than strider::kMaxSeriesLength (2^22) values:
///   "<file>:<line>: the series has more than 4194304 values...".
/// - the lines' lengths are so uneven that the panel, which pads every series to the
///   longest, would hold more than ReadOptions::max_padding_ratio times the values read,
///   plus 2^20: "<file>: the series lengths are too uneven...", naming the padded size,
///   the number of values and the option. This is checked before the panel's storage is
///   allocated, so a small file cannot make the reader allocate gigabytes.
/// Nothing is sized from a count the file states: the `.tsv` reader counts the fields of
/// every line before allocating the panel once; the `.txt` reader stores values as it
/// reads them.
///
/// The panel records where each series comes from (Panel::set_source(): the path as
/// given, or `source_name`, and the line of each series, counting from 1), so that the
/// estimators can name a value as "<file> line L, channel 1, value t".
///
/// Lines may end with "\n" or "\r\n"; the last line may lack its newline, and blank
/// lines at the very end of the file are ignored. Anything else that does not fit the
/// format (an empty line between series, a missing label, a label without values, a
/// value that is not a number, an empty file...) raises strider::FormatError whose
/// message reads "<file>:<line>: value <k>: <problem>". Nothing is skipped silently.

#include <filesystem>
#include <string>
#include <string_view>

#include "strider/io/read_options.hpp"
#include "strider/panel.hpp"

namespace strider::io {

/**
 * @brief Parses UCR 2018 `.tsv` text (label, tab, values separated by tabs; or values
 * only, separated by tabs, when options.labels is Labels::unlabelled).
 * @param text        the whole file content
 * @param source_name the name used in error messages (usually the path)
 * @param options     whether the first field of each line is the label
 * @return a univariate panel, n_series x 1 x max_length, one series per line, labelled
 *         unless options.labels is Labels::unlabelled
 * @throws FormatError naming source_name, the 1-based line and the problem, including a
 *         labelled read whose first field is not label-like (see io/read_options.hpp)
 *         and a file past one of the bounds (see the file comment)
 * @throws std::invalid_argument when options.max_padding_ratio is negative or NaN
 */
Panel parse_ucr_tsv(std::string_view text, const std::string& source_name = "<string>",
                    const ReadOptions& options = {});

/**
 * @brief Reads a UCR 2018 `.tsv` file (see parse_ucr_tsv()); one read of the whole file.
 * @throws FormatError when the file cannot be opened or is malformed
 */
Panel read_ucr_tsv(const std::filesystem::path& path, const ReadOptions& options = {});

/**
 * @brief Parses UCR 2015 text: label first (unless options.labels is
 * Labels::unlabelled), then the values, separated either by commas or by whitespace
 * (detected on the first line, required to be the same on all lines).
 * @param text        the whole file content
 * @param source_name the name used in error messages (usually the path)
 * @param options     whether the first field of each line is the label
 * @return a univariate panel, n_series x 1 x max_length, labelled unless options.labels
 *         is Labels::unlabelled
 * @throws FormatError naming source_name, the 1-based line and the problem, including a
 *         labelled read whose first field is not label-like (see io/read_options.hpp)
 *         and a file past one of the bounds (see the file comment)
 * @throws std::invalid_argument when options.max_padding_ratio is negative or NaN
 */
Panel parse_ucr_txt(std::string_view text, const std::string& source_name = "<string>",
                    const ReadOptions& options = {});

/**
 * @brief Reads a UCR 2015 `.txt`/`.csv` file (see parse_ucr_txt()).
 * @throws FormatError when the file cannot be opened or is malformed
 */
Panel read_ucr_txt(const std::filesystem::path& path, const ReadOptions& options = {});

/**
 * @brief Formats a panel as UCR 2018 `.tsv` text: one line per series, its label, then
 * its length(i) values, each the shortest text that reads back to the same double;
 * NaN is written `NaN`, infinities `inf`/`-inf`.
 * @param panel a labelled univariate panel with at least one series
 * @throws std::invalid_argument when the panel is empty, unlabelled or multivariate, or a
 *         label is empty or contains a tab, a newline or a carriage return
 */
std::string format_ucr_tsv(const Panel& panel);

/**
 * @brief Writes format_ucr_tsv(panel) to `path` atomically (a temporary file in the same
 * directory, renamed over `path`; nothing is left behind on failure).
 * @throws std::invalid_argument as format_ucr_tsv()
 * @throws std::runtime_error naming the path when it cannot be written
 */
void write_ucr_tsv(const Panel& panel, const std::filesystem::path& path);

}  // namespace strider::io
