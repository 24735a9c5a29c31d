#include "strider/io/ts_format.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <vector>

#include "io/text.hpp"
#include "strider/error.hpp"
#include "strider/io/atomic_write.hpp"
#include "strider/limits.hpp"

namespace strider::io {

namespace {

using detail::LineCursor;
using detail::NumberStatus;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> split_whitespace(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t k = s.find_first_not_of(" \t");
  while (k != std::string_view::npos) {
    const std::size_t stop = std::min(s.find_first_of(" \t", k), s.size());
    out.push_back(s.substr(k, stop - k));
    k = s.find_first_not_of(" \t", stop);
  }
  return out;
}

// The header as read so far. Optional fields are absent until their tag is seen.
struct Header {
  std::optional<bool> univariate;
  std::optional<index_t> dimensions;
  std::optional<bool> equal_length;
  std::optional<index_t> series_length;
  std::optional<bool> labelled;  // @classLabel true/false, or @targetLabel true/false
  bool targets = false;          // @targetLabel true: the labels are numeric targets
  std::size_t dimensions_line = 0;
  std::size_t series_length_line = 0;
  std::size_t label_line = 0;
  std::vector<std::string> declared;  // @classLabel true labels, in file order
  std::set<std::string, std::less<>> declared_set;
  std::map<std::string, std::size_t> seen;  // canonical tag -> line
};

class TsParser {
 public:
  TsParser(std::string_view text, const std::string& source, const ReadOptions& options)
      : cursor_(text),
        source_(source),
        keep_labels_(options.labels != Labels::unlabelled),
        label_mode_(options.labels),
        max_padding_ratio_(options.max_padding_ratio) {}

  Panel parse() {
    std::string_view line;
    while (cursor_.next(line)) {
      line_ = cursor_.line_number();
      const std::string_view body = detail::trim(line);
      if (body.empty()) {
        if (!in_data_) continue;
        if (cursor_.only_blank_left()) break;
        fail("empty line between cases (only allowed in the header and at the end of the file)");
      }
      if (body.front() == '#') continue;
      if (body.front() == '@') {
        if (in_data_)
          fail("tag " + first_word(body) + " after @data (line " + std::to_string(data_line_) +
               "); tags belong in the header");
        tag(body);
        continue;
      }
      if (!in_data_) {
        fail("data before @data: expected a '#' comment, an '@' tag or an empty line, found " +
             detail::quote_token(body));
      }
      data_case(body);
    }
    if (header_.seen.empty()) {
      throw FormatError(source_, 1,
                        "empty file: no header and no cases (only blank lines or "
                        "comments)");
    }
    if (!in_data_) {
      throw FormatError(source_, std::max<std::size_t>(cursor_.line_number(), 1),
                        "end of file without an @data line (the header must end with @data)");
    }
    if (lengths_.empty()) {
      throw FormatError(source_, data_line_, "no cases after @data");
    }
    // Dropped labels were still checked against @classLabel, case by case.
    return detail::panel_from_flat(flat_, lengths_, n_dims_, std::move(labels_),
                                   labelled() && keep_labels_, source_, std::move(lines_),
                                   max_padding_ratio_);
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw FormatError(source_, line_, problem);
  }

  bool labelled() const { return header_.labelled.value_or(false); }

  static std::string first_word(std::string_view body) {
    return std::string(body.substr(0, std::min(body.find_first_of(" \t"), body.size())));
  }

  bool parse_bool(std::string_view tag, const std::vector<std::string_view>& args) const {
    if (args.size() != 1) {
      fail(std::string(tag) + " takes one value, true or false; found " +
           std::to_string(args.size()) + " values");
    }
    const std::string v = lower(args[0]);
    if (v == "true") return true;
    if (v == "false") return false;
    fail(std::string(tag) + " must be true or false, found " + detail::quote_token(args[0]));
  }

  index_t parse_count(std::string_view tag, const std::vector<std::string_view>& args) const {
    if (args.size() != 1) {
      fail(std::string(tag) + " takes one positive integer; found " + std::to_string(args.size()) +
           " values");
    }
    long long v = 0;
    const auto [ptr, ec] = std::from_chars(args[0].data(), args[0].data() + args[0].size(), v);
    if (ec != std::errc() || ptr != args[0].data() + args[0].size() || v < 1) {
      fail(std::string(tag) + " must be a positive integer, found " + detail::quote_token(args[0]));
    }
    return static_cast<index_t>(v);
  }

  void tag(std::string_view body) {
    const std::string word = first_word(body);
    std::string name = lower(word);
    if (name == "@dimension") name = "@dimensions";
    const std::vector<std::string_view> args = split_whitespace(body.substr(word.size()));

    static const char* const known[] = {
        "@problemname", "@timestamps",   "@missing",    "@univariate",  "@dimensions",
        "@equallength", "@serieslength", "@classlabel", "@targetlabel", "@data"};
    if (std::find(std::begin(known), std::end(known), name) == std::end(known)) {
      fail("unknown tag " + detail::quote_token(word) +
           " (known: @problemName @timeStamps @missing @univariate @dimensions @equalLength "
           "@seriesLength @classLabel @targetLabel @data)");
    }
    if (const auto it = header_.seen.find(name); it != header_.seen.end()) {
      fail("tag " + word + " given twice (first on line " + std::to_string(it->second) + ")");
    }
    header_.seen[name] = line_;

    if (name == "@problemname") {
      if (args.empty()) fail("@problemName has no value");
    } else if (name == "@timestamps") {
      if (parse_bool(word, args)) {
        fail(
            "@timeStamps true: time-stamped series are not supported; strider reads "
            "equally spaced series only");
      }
    } else if (name == "@missing") {
      parse_bool(word, args);  // informational: '?' and NaN are read either way
    } else if (name == "@univariate") {
      header_.univariate = parse_bool(word, args);
    } else if (name == "@dimensions") {
      header_.dimensions = parse_count(word, args);
      header_.dimensions_line = line_;
    } else if (name == "@equallength") {
      header_.equal_length = parse_bool(word, args);
    } else if (name == "@serieslength") {
      header_.series_length = parse_count(word, args);
      header_.series_length_line = line_;
      // Only ever compared with what the cases hold, never used to allocate; a claim past
      // the bound could only be a file whose every case is refused.
      if (*header_.series_length > kMaxSeriesLength) {
        fail(std::string(word) + " " + std::to_string(*header_.series_length) + " is more than " +
             std::to_string(kMaxSeriesLength) +
             " values, the longest series accepted (strider::kMaxSeriesLength)");
      }
    } else if (name == "@classlabel") {
      class_label(word, args);
    } else if (name == "@targetlabel") {
      const bool targets = parse_bool(word, args);
      if (header_.labelled) fail("both @classLabel and @targetLabel are given");
      if (targets && label_mode_ == Labels::labelled) {
        fail(
            "@targetLabel true: the labels are numeric regression targets, which would read as "
            "one class per value; read the file with numeric targets (io::Labels::targets; "
            "--task regression)");
      }
      header_.labelled = targets;
      header_.targets = targets;
      header_.label_line = line_;
    } else {  // @data
      if (!args.empty()) fail("@data takes no value");
      start_data();
    }
  }

  // A regression target must read whole as a finite number (within kMaxAbsValue).
  void check_target(std::string_view label) {
    double v = 0.0;
    if (!detail::parse_target(label, v)) {
      fail("target " + detail::quote_token(label) +
           " is not a finite number of magnitude at most 1e50 (@targetLabel true on line " +
           std::to_string(header_.label_line) + ")");
    }
  }

  void class_label(std::string_view word, const std::vector<std::string_view>& args) {
    if (header_.labelled) fail("both @classLabel and @targetLabel are given");
    if (args.empty()) fail("@classLabel needs true (followed by the labels) or false");
    const std::string flag = lower(args[0]);
    header_.label_line = line_;
    if (flag == "false") {
      if (args.size() > 1) fail("@classLabel false cannot be followed by labels");
      header_.labelled = false;
    } else if (flag == "true") {
      if (args.size() == 1) fail("@classLabel true declares no labels");
      for (std::size_t k = 1; k < args.size(); ++k) {
        if (header_.declared_set.emplace(args[k]).second) header_.declared.emplace_back(args[k]);
      }
      header_.labelled = true;
    } else {
      fail(std::string(word) + " must be true or false, found " + detail::quote_token(args[0]));
    }
  }

  void start_data() {
    if (!header_.labelled) {
      fail(
          "@data reached without @classLabel (or @targetLabel false): cannot tell whether "
          "the last ':' field of a case is a label");
    }
    if (header_.univariate.value_or(false) && header_.dimensions && *header_.dimensions != 1) {
      fail("@univariate true contradicts @dimensions " + std::to_string(*header_.dimensions) +
           " (line " + std::to_string(header_.dimensions_line) + ")");
    }
    if (header_.dimensions) {
      n_dims_ = *header_.dimensions;
      dims_source_ = "@dimensions " + std::to_string(n_dims_) + " on line " +
                     std::to_string(header_.dimensions_line);
    } else if (header_.univariate.value_or(false)) {
      n_dims_ = 1;
      dims_source_ = "@univariate true";
    }
    in_data_ = true;
    data_line_ = line_;
  }

  void data_case(std::string_view body) {
    // The fields are walked in place, never copied or listed: a line of a million ':' is
    // refused on its dimension count without allocating per field.
    std::string_view values = body;
    std::string_view label;
    if (labelled()) {
      const std::size_t last = body.rfind(':');
      if (last == std::string_view::npos) {
        fail(std::string("missing label: a case must end with ':<label>' (") +
             (header_.targets ? "@targetLabel" : "@classLabel") + " true on line " +
             std::to_string(header_.label_line) + ")");
      }
      label = detail::trim(body.substr(last + 1));
      values = body.substr(0, last);
      if (label.empty()) fail("missing label: the field after the last ':' is empty");
      if (header_.targets) {
        check_target(label);
      } else if (header_.declared_set.find(label) == header_.declared_set.end()) {
        std::string list;
        for (std::size_t k = 0; k < header_.declared.size() && k < 20; ++k)
          list += (k ? " " : "") + header_.declared[k];
        if (header_.declared.size() > 20) list += " ...";
        fail("label " + detail::quote_token(label) + " is not declared in @classLabel (line " +
             std::to_string(header_.label_line) + ": " + list + ")");
      }
    }
    const index_t dims = static_cast<index_t>(std::count(values.begin(), values.end(), ':')) + 1;
    if (n_dims_ == 0) {
      n_dims_ = dims;
      dims_source_ = "the first case, line " + std::to_string(line_);
    } else if (dims != n_dims_) {
      fail("the case has " + std::to_string(dims) + " dimension" + (dims == 1 ? "" : "s") +
           ", expected " + std::to_string(n_dims_) + " (" + dims_source_ + ")");
    }
    if (first_case_line_ == 0) first_case_line_ = line_;

    index_t length = 0;
    std::size_t start = 0;
    for (index_t d = 0; d < dims; ++d) {
      const std::size_t colon = values.find(':', start);
      const std::string_view field = values.substr(start, colon - start);
      start = colon + 1;  // unused after the last dimension
      if (detail::trim(field).empty()) {
        fail("dimension " + std::to_string(d + 1) + " has no values");
      }
      index_t count = 0;
      std::size_t k = 0;
      while (true) {
        const std::size_t comma = field.find(',', k);
        const std::string_view token = detail::trim(field.substr(k, comma - k));
        if (count == kMaxSeriesLength) {
          fail("dimension " + std::to_string(d + 1) + ": " + detail::too_long_problem());
        }
        ++count;
        double v = 0.0;
        if (token == "?") {
          v = std::numeric_limits<double>::quiet_NaN();
        } else {
          const NumberStatus status = detail::parse_number(token, v);
          if (status != NumberStatus::ok) {
            fail("dimension " + std::to_string(d + 1) + ", " + detail::value_prefix(count) +
                 detail::number_problem(status, token));
          }
          if (detail::beyond_max_abs(v)) {
            fail("dimension " + std::to_string(d + 1) + ", " +
                 detail::magnitude_problem(count, token));
          }
        }
        flat_.push_back(v);
        if (comma == std::string_view::npos) break;
        k = comma + 1;
      }
      if (d == 0) {
        length = count;
      } else if (count != length) {
        fail("dimension " + std::to_string(d + 1) + " has " + std::to_string(count) +
             (count == 1 ? " value" : " values") + " but dimension 1 has " +
             std::to_string(length) +
             "; strider needs all dimensions of a case to have the same length");
      }
    }

    if (header_.equal_length.value_or(false) && !lengths_.empty() && length != lengths_[0]) {
      fail("the case has length " + std::to_string(length) + " but the first case (line " +
           std::to_string(first_case_line_) + ") has " + std::to_string(lengths_[0]) +
           " and @equalLength is true");
    }
    if (header_.series_length && header_.equal_length.value_or(true) &&
        length != *header_.series_length) {
      fail("the case has length " + std::to_string(length) + " but @seriesLength is " +
           std::to_string(*header_.series_length) + " (line " +
           std::to_string(header_.series_length_line) + ")");
    }
    lengths_.push_back(length);
    lines_.push_back(static_cast<index_t>(line_));
    if (labelled() && keep_labels_) labels_.emplace_back(label);
  }

  LineCursor cursor_;
  const std::string& source_;
  bool keep_labels_;  // false: Labels::unlabelled, labels are checked but not returned
  Labels label_mode_;
  double max_padding_ratio_;
  std::size_t line_ = 0;
  bool in_data_ = false;
  std::size_t data_line_ = 0;
  std::size_t first_case_line_ = 0;
  Header header_;
  index_t n_dims_ = 0;
  std::string dims_source_;       // where n_dims_ comes from, for messages
  std::vector<double> flat_;      // every value read, case after case, channel after channel
  std::vector<index_t> lengths_;  // one per case
  std::vector<index_t> lines_;    // the line of each case
  std::vector<std::string> labels_;
};

bool has_space_or(const std::string& s, const char* extra) {
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c)) || std::strchr(extra, c) != nullptr)
      return true;
  }
  return false;
}

}  // namespace

Panel parse_ts(std::string_view text, const std::string& source_name, const ReadOptions& options) {
  detail::check_read_options(options, "parse_ts()");
  return TsParser(text, source_name, options).parse();
}

Panel read_ts(const std::filesystem::path& path, const ReadOptions& options) {
  const std::string text = detail::read_text_file(path);
  return parse_ts(text, path.string(), options);
}

std::string format_ts(const Panel& panel, const std::string& problem_name) {
  const std::string who = "format_ts(): ";
  if (panel.n_series() == 0) throw std::invalid_argument(who + "the panel has no series");
  if (problem_name.empty() || has_space_or(problem_name, "")) {
    throw std::invalid_argument(who + "problem name " + detail::quote_token(problem_name) +
                                " is empty or contains whitespace");
  }
  for (const std::string& c : panel.classes()) {
    if (c.empty() || has_space_or(c, ":")) {
      throw std::invalid_argument(who + "label " + detail::quote_token(c) +
                                  " is empty or contains whitespace or ':'");
    }
  }
  const bool equal = panel.equal_length();
  std::string out = "@problemName " + problem_name + "\n@timeStamps false\n@missing " +
                    (panel.has_missing() ? "true" : "false") + "\n@univariate " +
                    (panel.n_channels() == 1 ? "true" : "false") + "\n@dimensions " +
                    std::to_string(panel.n_channels()) + "\n@equalLength " +
                    (equal ? "true" : "false") + "\n";
  if (equal) out += "@seriesLength " + std::to_string(panel.max_length()) + "\n";
  if (panel.has_labels()) {
    out += "@classLabel true";
    for (const std::string& c : panel.classes())
      out += " " + c;
    out += "\n";
  } else {
    out += "@classLabel false\n";
  }
  out += "@data\n";
  // About 12 characters per value: from the lengths, not the padded size.
  std::size_t n_values = 0;
  for (const index_t len : panel.lengths())
    n_values += static_cast<std::size_t>(len);
  out.reserve(out.size() + static_cast<std::size_t>(panel.n_series() * panel.n_channels()) * 4 +
              12 * n_values * static_cast<std::size_t>(panel.n_channels()));
  for (index_t i = 0; i < panel.n_series(); ++i) {
    for (index_t c = 0; c < panel.n_channels(); ++c) {
      if (c > 0) out += ':';
      const double* s = panel.series(i, c);
      for (index_t t = 0; t < panel.length(i); ++t) {
        if (t > 0) out += ',';
        if (std::isnan(s[t])) {
          out += '?';
        } else {
          detail::append_number(out, s[t]);
        }
      }
    }
    if (panel.has_labels()) {
      out += ':';
      out += panel.labels()[i];
    }
    out += '\n';
  }
  return out;
}

void write_ts(const Panel& panel, const std::filesystem::path& path,
              const std::string& problem_name) {
  const std::string text =
      format_ts(panel, problem_name.empty() ? path.stem().string() : problem_name);
  write_file_atomic(path, text, "write_ts()");
}

}  // namespace strider::io
