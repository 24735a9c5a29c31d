#pragma once
/// @file io/file_source.hpp
/// @brief strider::io::FileSource: a dataset file read a batch of series at a time, for
/// KernelClassifier::fit_batches() on files larger than memory.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "strider/io/read_options.hpp"
#include "strider/series_source.hpp"

namespace strider::io {

/**
 * @brief A `.tsv`, `.ts`, `.txt` or `.csv` dataset file (see io/dataset.hpp) as a
 * SeriesSource: each batch is read from the file when it is asked for, and only where
 * each series' line starts and ends and its line number are kept (24 bytes a series).
 *
 * The constructor scans the file once, in blocks of 1 MiB, to find where each series
 * starts. It refuses there, naming the file and line, an empty line between series, a
 * `.ts` file without `@data`, a file without series, a line longer than
 * max_batch_bytes, and a byte-order mark anywhere but at the start of the file.
 *
 * The checks that the readers make across a whole file are made within each batch: the
 * `.txt` separator, a `.ts` file's dimensions when the header does not state them, and
 * the padding bound (ReadOptions::max_padding_ratio) apply to each batch on its own. A
 * line number in an error's position (FormatError::line()) is the file's; one quoted in
 * the message text (the longest series of a batch, say) counts from the batch's start. Each batch
 * is then parsed by the format's reader (parse_ucr_tsv(), parse_ts() with the file's header,
 * parse_ucr_txt()) with every check those readers make; an error names the file and the line of the
 * whole file, not of the batch.
 *
 * Memory: a batch reads at most max_series lines and, beyond its first line, at most
 * max_batch_bytes bytes of text (so a file of a few very long series is read a few
 * series at a time), plus its panel.
 *
 * The file must not change while it is read: its size and modification time are
 * compared with the scan's at every batch, and a change is a FormatError.
 */
class FileSource final : public SeriesSource {
 public:
  /// Default bound on the text of one batch: 256 MiB.
  static constexpr std::uint64_t kDefaultMaxBatchBytes = std::uint64_t{256} << 20;

  /**
   * @brief Scans `path` (see the class comment).
   * @param options         labels and padding bound, as io::read_dataset_file() takes them
   * @param max_batch_bytes bound on the text read for one batch (at least 1)
   * @throws FormatError naming the file (and line) when it cannot be read, its extension
   *         is not one of the four, or it is malformed as described above
   * @throws std::invalid_argument when options or max_batch_bytes are invalid
   */
  explicit FileSource(std::filesystem::path path, ReadOptions options = {},
                      std::uint64_t max_batch_bytes = kDefaultMaxBatchBytes);

  index_t n_series() const override { return static_cast<index_t>(lines_.size()); }
  /// "file <path> (<n> series)"
  std::string describe() const override;

 protected:
  /// The series read and parsed from the file (fewer when max_batch_bytes says so).
  /// @throws FormatError as the format's reader, with the file's line numbers
  Panel read(index_t first, index_t count) override;

 private:
  enum class Format { tsv, ts, txt };
  void check_unchanged() const;

  std::filesystem::path path_;
  std::string name_;  // path_ as given, for messages
  ReadOptions options_;
  std::uint64_t max_batch_bytes_;
  Format format_ = Format::tsv;
  std::string header_;                  // .ts: the text up to and including the @data line
  std::size_t header_lines_ = 0;        // its number of lines
  std::vector<std::uint64_t> offsets_;  // where each series' line starts
  std::vector<std::uint64_t> ends_;     // where it ends (after its newline)
  std::vector<index_t> lines_;          // the 1-based line of each series
  std::uintmax_t size_ = 0;
  std::filesystem::file_time_type mtime_{};
};

}  // namespace strider::io
