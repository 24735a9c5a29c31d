#pragma once
/// @file io/atomic_write.hpp
/// @brief Writing a whole file so that no reader ever sees it half-written: every file
/// the library writes (model files, CSV, UCR and .ts datasets) goes through here.

#include <filesystem>
#include <string_view>

namespace strider::io {

/**
 * @brief Writes `bytes` to `path` atomically: temporary file, then rename.
 *
 * The bytes go to a new temporary file `<path>.tmp.<pid>.<thread>.<counter>` in the same
 * directory (created exclusively, so concurrent writers, threads or processes, never
 * share one), which is then renamed over `path`. Readers see either the old file or the
 * complete new one, never a partial file; on any failure the temporary file is removed
 * and `path` is left as it was. The file is not fsync()ed: the rename is atomic for
 * concurrent readers and writers, not durable across a power cut.
 * @param path  the file to create or replace
 * @param bytes the whole content
 * @param who   the caller, prefixed to the error message ("write_csv()"); empty: none
 * @throws std::runtime_error "<who>: cannot write '<path>': <step> failed (<reason>)"
 */
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes,
                       std::string_view who = {});

}  // namespace strider::io
