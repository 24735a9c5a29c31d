#include "strider/io/file_source.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "io/text.hpp"
#include "strider/error.hpp"
#include "strider/io/ts_format.hpp"
#include "strider/io/ucr.hpp"

namespace strider::io {

namespace fs = std::filesystem;

namespace {

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

FilePtr open_file(const fs::path& path, const std::string& name) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    throw FormatError(name, 0, "cannot open: it is a directory, expected a file");
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw FormatError(name, 0, std::string("cannot open: ") + std::strerror(errno));
  return FilePtr(f, &std::fclose);
}

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

std::string too_long_line(std::uint64_t bytes, std::uint64_t bound) {
  return "the line holds " + std::to_string(bytes) +
         " bytes, more than the text of one batch may (max_batch_bytes = " + std::to_string(bound) +
         ")";
}

}  // namespace

FileSource::FileSource(fs::path path, ReadOptions options, std::uint64_t max_batch_bytes)
    : path_(std::move(path)),
      name_(path_.string()),
      options_(options),
      max_batch_bytes_(max_batch_bytes) {
  detail::check_read_options(options_, "io::FileSource");
  if (max_batch_bytes_ < 1) {
    throw std::invalid_argument("io::FileSource: max_batch_bytes = 0; expected >= 1");
  }
  std::string ext = path_.extension().string();
  for (char& c : ext)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".tsv") {
    format_ = Format::tsv;
  } else if (ext == ".ts") {
    format_ = Format::ts;
  } else if (ext == ".txt" || ext == ".csv") {
    format_ = Format::txt;
  } else {
    throw FormatError(name_, 0,
                      "unknown dataset extension '" + path_.extension().string() +
                          "': expected .tsv, .ts, .txt or .csv");
  }
  FilePtr file = open_file(path_, name_);

  // One pass over the bytes, a block at a time, keeping for each line only what decides
  // its kind: its start, whether it is blank, its first character and (for a .ts header)
  // its text.
  const bool ts = format_ == Format::ts;
  bool in_data = !ts;
  std::uint64_t offset = 0, line_start = 0;
  std::uint64_t line_no = 1;
  std::uint64_t header_bytes = 0;  // .ts: where the line after @data starts
  std::uint64_t blank_line = 0;    // a blank line after the first series, until one follows
  char first = 0;                  // the line's first non-blank character, 0 so far
  std::string word;                // .ts header: the line's text, for @data
  char lead[3] = {0, 0, 0};        // the line's first bytes, for a byte-order mark
  const auto end_line = [&](std::uint64_t next_start) {
    if (next_start - line_start > max_batch_bytes_) {
      throw FormatError(name_, line_no, too_long_line(next_start - line_start, max_batch_bytes_));
    }
    // A batch that starts on such a line would lose the mark to the reader, which takes
    // it for the encoding mark of a file.
    if (line_no > 1 && std::memcmp(lead, "\xEF\xBB\xBF", 3) == 0) {
      throw FormatError(name_, line_no,
                        "the line starts with a byte-order mark (U+FEFF); only the first line "
                        "of a file may");
    }
    if (first == 0) {
      if (in_data && blank_line == 0) blank_line = line_no;
    } else if (in_data) {
      if (blank_line != 0) {
        throw FormatError(name_, blank_line,
                          "empty line between series (only allowed at the end of the file)");
      }
      if (!ts || first != '#') {  // a .ts comment is no series
        offsets_.push_back(line_start);
        ends_.push_back(next_start);
        lines_.push_back(static_cast<index_t>(line_no));
      }
    } else {  // a .ts header line: does it end the header?
      const std::string_view body = detail::trim(word);
      std::string tag(body.substr(0, std::min(body.find_first_of(" \t\r"), body.size())));
      for (char& c : tag)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (tag == "@data") {
        in_data = true;
        header_lines_ = line_no;
        header_bytes = next_start;
      }
    }
    if (ts && !in_data && next_start > max_batch_bytes_) {
      throw FormatError(name_, line_no,
                        "the header (the text before @data) holds more than max_batch_bytes = " +
                            std::to_string(max_batch_bytes_) + " bytes");
    }
    ++line_no;
    line_start = next_start;
    first = 0;
    word.clear();
    std::memset(lead, 0, sizeof lead);
  };

  std::vector<char> block(std::size_t{1} << 20);
  bool bom_checked = false;
  for (;;) {
    const std::size_t got = std::fread(block.data(), 1, block.size(), file.get());
    if (got == 0) break;
    std::size_t k = 0;
    if (!bom_checked) {
      bom_checked = true;
      if (got >= 3 && std::memcmp(block.data(), "\xEF\xBB\xBF", 3) == 0) k = 3;
    }
    for (; k < got; ++k) {
      const char c = block[k];
      if (c == '\n') {
        end_line(offset + k + 1);
        continue;
      }
      const std::uint64_t at = offset + k - line_start;
      if (at < 3) lead[at] = c;
      if (first == 0 && !is_blank(c)) first = c;
      if (ts && !in_data && first != 0 && word.size() < 16) word += c;
    }
    offset += got;
  }
  if (std::ferror(file.get()) != 0) throw FormatError(name_, 0, "read error");
  if (offset > line_start) end_line(offset);  // a last line without its newline
  if (ts && !in_data) {
    throw FormatError(name_, std::max<std::uint64_t>(line_no - 1, 1),
                      "end of file without an @data line (the header must end with @data)");
  }
  if (lines_.empty()) {
    throw FormatError(name_, ts ? header_lines_ : 1,
                      ts ? "no cases after @data" : "empty file: no series");
  }

  if (ts) {
    // The lines up to @data; comments and blank lines after it belong to no header.
    header_.resize(static_cast<std::size_t>(header_bytes));
    std::rewind(file.get());
    if (std::fread(header_.data(), 1, header_.size(), file.get()) != header_.size()) {
      throw FormatError(name_, 0, "read error");
    }
  }
  size_ = offset;  // the size read; check_unchanged() compares the file with it
  std::error_code ec;
  mtime_ = fs::last_write_time(path_, ec);
}

void FileSource::check_unchanged() const {
  std::error_code ec1, ec2;
  const std::uintmax_t size = fs::file_size(path_, ec1);
  const fs::file_time_type mtime = fs::last_write_time(path_, ec2);
  if (ec1 || ec2 || size != size_ || mtime != mtime_) {
    throw FormatError(name_, 0,
                      "the file changed (or vanished) since it was scanned; a batched read "
                      "needs it to stay as it was");
  }
}

Panel FileSource::read(index_t first, index_t count) {
  const auto a = static_cast<std::size_t>(first);
  // Series a to b - 1: the most, up to count, whose text (from the start of a's line to
  // the end of b - 1's) fits max_batch_bytes; at least one, as the scan refused longer
  // lines. Comments and blank lines after the last series of the batch are not read.
  std::size_t b = a + static_cast<std::size_t>(count);
  const std::uint64_t limit = offsets_[a] + max_batch_bytes_;
  if (ends_[b - 1] > limit) {
    const auto over = std::upper_bound(ends_.begin() + static_cast<std::ptrdiff_t>(a),
                                       ends_.begin() + static_cast<std::ptrdiff_t>(b), limit);
    b = std::max(static_cast<std::size_t>(over - ends_.begin()), a + 1);
  }
  check_unchanged();
  FilePtr file = open_file(path_, name_);
  std::string text = header_;
  const std::size_t head = text.size();
  text.resize(head + static_cast<std::size_t>(ends_[b - 1] - offsets_[a]));
  if (fseeko(file.get(), static_cast<off_t>(offsets_[a]), SEEK_SET) != 0 ||
      std::fread(text.data() + head, 1, text.size() - head, file.get()) != text.size() - head) {
    throw FormatError(name_, 0, "read error (the file is shorter than when it was scanned)");
  }
  Panel batch;
  try {
    switch (format_) {
      case Format::tsv:
        batch = parse_ucr_tsv(text, name_, options_);
        break;
      case Format::ts:
        batch = parse_ts(text, name_, options_);
        break;
      case Format::txt:
        batch = parse_ucr_txt(text, name_, options_);
        break;
    }
  } catch (const FormatError& e) {
    // The batch's line numbers, after the header, are the file's from series a on.
    std::size_t line = e.line();
    if (line > header_lines_)
      line = static_cast<std::size_t>(lines_[a]) + (line - header_lines_ - 1);
    throw FormatError(name_, line, e.problem());
  }
  if (static_cast<std::size_t>(batch.n_series()) != b - a) {
    throw FormatError(name_, static_cast<std::size_t>(lines_[a]),
                      "read " + std::to_string(batch.n_series()) + " series from the lines " +
                          std::to_string(lines_[a]) + " to " + std::to_string(lines_[b - 1]) +
                          ", expected " + std::to_string(b - a));
  }
  batch.set_source(name_, std::vector<index_t>(lines_.begin() + static_cast<std::ptrdiff_t>(a),
                                               lines_.begin() + static_cast<std::ptrdiff_t>(b)));
  return batch;
}

std::string FileSource::describe() const {
  return "file " + name_ + " (" + std::to_string(n_series()) + " series)";
}

}  // namespace strider::io
