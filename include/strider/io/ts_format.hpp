#pragma once
/// @file io/ts_format.hpp
/// @brief Reader and writer for the sktime/aeon `.ts` format (univariate and
/// multivariate, equal and unequal length).
///
/// A file is a header of `@tag value` lines, then `@data`, then one case per line:
/// its dimensions (channels) separated by ':', each a ','-separated list of values,
/// followed by `:label` when `@classLabel true`. `?` and `NaN` are missing values (read
/// as NaN). Lines starting with '#' are comments (anywhere); blank lines are allowed in
/// the header and at the end of the file, not between cases.
///
/// Tags (names case-insensitive, as in sktime):
/// | tag | value | check |
/// |---|---|---|
/// | `@problemName` | text | informational |
/// | `@timeStamps` | true/false | `true` is rejected (time-stamped series not supported) |
/// | `@missing` | true/false | informational (missing values are read either way) |
/// | `@univariate` | true/false | `true` requires one dimension per case |
/// | `@dimensions` / `@dimension` | integer >= 1 | every case has that many dimensions |
/// | `@equalLength` | true/false | `true` requires every case to have the same length |
/// | `@seriesLength` | integer >= 1 | unless `@equalLength false`, every case has it |
/// | `@classLabel` | `true l1 l2 ...` / `false` | data labels must be declared ones |
/// | `@targetLabel` | true/false | `true`: finite numeric targets; `false`: none |
/// | `@data` | none | starts the data |
///
/// `@classLabel` (or `@targetLabel false`) is required before `@data`: without it the
/// last ':' field of a case could be a label or a dimension. Without `@dimensions` the
/// first case fixes the number of dimensions. strider::Panel stores one length per
/// series, so all dimensions of one case must have the same length (sktime allows
/// them to differ; here it is an error naming the case).
///
/// Labels follow the header, which leaves nothing to guess: with Labels::labelled (the
/// default) a `@classLabel true` file gives a labelled panel and a `@classLabel false`
/// file an unlabelled one; with Labels::unlabelled the labels of a `@classLabel true` file
/// are still checked (each case ends with a declared label) and then dropped.
///
/// Every other deviation (unknown or repeated tag, tag after `@data`, data before
/// `@data`, no `@data`, a value that is not a number, an empty dimension, an undeclared
/// label, a case whose number of dimensions or length disagrees...) raises
/// strider::FormatError "<file>:<line>: <problem>".
///
/// Bounds (strider/limits.hpp, io/read_options.hpp). Dimension d of a case is channel d
/// of the panel (both counted from 1 in messages). A file is refused with a FormatError
/// when
/// - a value's magnitude exceeds strider::kMaxAbsValue (1e50), e.g. `1e51`:
///   "<file>:<line>: dimension <d>, value <k>: '1e51' is beyond the largest magnitude
///   accepted...", k counting the dimension's values from 1. Larger values would overflow
///   the estimators' sums of squares; `?`, NaN and the infinities are not concerned.
/// - a dimension holds more than strider::kMaxSeriesLength (2^22) values, or
///   `@seriesLength` claims more (refused on the header line).
/// - the cases' lengths are so uneven that the panel, which pads every series to the
///   longest, would hold more than ReadOptions::max_padding_ratio times the values read,
///   plus 2^20 (message naming the padded size, the number of values and the option).
///   This is checked before the panel's storage is allocated.
/// The header's counts (`@dimensions`, `@seriesLength`) and label list are only compared
/// with what the cases hold, never used to size anything: the values are stored as they
/// are read, and the panel is allocated once, from the cases read.
///
/// The panel records where each case comes from (Panel::set_source(): the path as given,
/// or `source_name`, and the line of each case, counting from 1), so that the estimators
/// can name a value as "<file> line L, channel d, value t".

#include <filesystem>
#include <string>
#include <string_view>

#include "strider/io/read_options.hpp"
#include "strider/panel.hpp"

namespace strider::io {

/**
 * @brief Parses `.ts` text (see the file comment).
 * @param text        the whole file content
 * @param source_name the name used in error messages (usually the path)
 * @param options     Labels::unlabelled drops the labels of a `@classLabel true` file
 * @return n_cases x n_dimensions x max_length, labelled when `@classLabel true` and
 *         options.labels is Labels::labelled
 * @throws FormatError naming source_name, the 1-based line and the problem, including a
 *         file past one of the bounds (see the file comment)
 * @throws std::invalid_argument when options.max_padding_ratio is negative or NaN
 */
Panel parse_ts(std::string_view text, const std::string& source_name = "<string>",
               const ReadOptions& options = {});

/**
 * @brief Reads a `.ts` file (see parse_ts()); one read of the whole file.
 * @throws FormatError when the file cannot be opened or is malformed
 */
Panel read_ts(const std::filesystem::path& path, const ReadOptions& options = {});

/**
 * @brief Formats a panel as `.ts` text: a header (`@problemName`, `@timeStamps false`,
 * `@missing`, `@univariate`, `@dimensions`, `@equalLength`, `@seriesLength` when equal
 * length, `@classLabel` with classes() or `false`), `@data`, then one line per series
 * with its length(i) values per channel, shortest round-trip text, NaN written `?`.
 * @param panel        at least one series; labels optional
 * @param problem_name the `@problemName` value, without whitespace
 * @throws std::invalid_argument when the panel is empty, the problem name is empty or
 *         has whitespace, or a label is empty or contains whitespace or ':'
 */
std::string format_ts(const Panel& panel, const std::string& problem_name);

/**
 * @brief Writes format_ts() to `path` atomically (temporary file, then rename).
 * @param problem_name the `@problemName`; empty uses the file name's stem
 * @throws std::invalid_argument as format_ts()
 * @throws std::runtime_error naming the path when it cannot be written
 */
void write_ts(const Panel& panel, const std::filesystem::path& path,
              const std::string& problem_name = "");

}  // namespace strider::io
