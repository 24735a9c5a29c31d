#pragma once
/// @file memory.hpp
/// @brief The memory limit the estimators check before large allocations.
///
/// A fit, transform or predict first estimates its peak memory from the sizes it is given
/// (series, channels, lengths, kernels, threads) and compares it with a limit; above the
/// limit it raises strider::MemoryLimitError naming the estimate, the limit and what lowers
/// the estimate, before allocating anything large, rather than failing with
/// std::bad_alloc minutes later or pushing the machine into swap.
///
/// The limit, unless the caller sets one (`set_memory_limit(bytes)` on the estimators,
/// `--memory-limit` in the CLI), is the smallest of: the physical memory, the process'
/// address-space and data-segment limits (`ulimit -v`, `ulimit -d`) and the cgroup memory
/// limit (cgroup v2 `memory.max` or v1 `memory.limit_in_bytes`), less what the process
/// already uses. A limit of 0 means "detect".

#include <cstdint>
#include <string>

namespace strider {

/// A memory limit in bytes and where it comes from (for messages).
struct MemoryLimit {
  std::uint64_t bytes = 0;  ///< bytes that may still be allocated
  std::string source;       ///< e.g. "physical memory", "ulimit -v", "cgroup memory.max"
};

/// The limit described in the file comment, detected now; `requested` > 0 replaces the
/// detected total ("set by the caller").
MemoryLimit memory_limit(std::uint64_t requested = 0);

/// "512 MB", "2.1 GB": decimal units, three significant digits.
std::string format_bytes(std::uint64_t bytes);

/**
 * @brief Refuses a step whose estimate exceeds the limit.
 * @param who     the step, first in the message (e.g. "KernelClassifier::fit()")
 * @param what    what the estimate counts (e.g. "1,000 series x 30,000 features")
 * @param advice  what lowers the estimate (e.g. "use fewer kernels (n_kernels)")
 * @throws MemoryLimitError when estimate > limit.bytes
 */
void check_memory(std::uint64_t estimate, const MemoryLimit& limit, const std::string& who,
                  const std::string& what, const std::string& advice);

}  // namespace strider
