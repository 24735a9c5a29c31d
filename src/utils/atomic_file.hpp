#pragma once
// Private helpers of the utils module: unique temporary names and atomic file writes.

#include <filesystem>
#include <string>
#include <string_view>

namespace strider::utils::detail {

/// ".tmp.<pid>.<thread>.<counter>": unique among the threads and processes that share a
/// directory, so concurrent writers never write into the same temporary file.
std::string unique_temp_suffix();

/**
 * @brief Writes `bytes` to `path` atomically: into a new temporary file in the same
 * directory (created with O_EXCL), then rename()d over `path`. Readers see either the
 * old file or the complete new one, never a partial file. Not fsync()ed: the rename is
 * atomic for concurrent readers and writers, not durable across a power cut.
 * @throws std::runtime_error naming `path` and the system error when a step fails; the
 *         temporary file is removed.
 */
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace strider::utils::detail
