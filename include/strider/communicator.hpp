#pragma once
/// @file communicator.hpp
/// @brief strider::Communicator: the processes that share one batched fit (e.g. the ranks
/// of an MPI job, strider/mpi_communicator.hpp), and what the fit needs from them.

#include <cstddef>
#include <string>
#include <vector>

namespace strider {

/**
 * @brief The processes of one KernelClassifier::fit_batches(): each reads its own share
 * of the series, and the fit combines their sums through this interface.
 *
 * Every process calls the same methods in the same order (they are collective). A
 * Communicator of size 1 (LocalCommunicator) is a fit in one process.
 */
class Communicator {
 public:
  virtual ~Communicator() = default;
  /// This process's index, in [0, size()).
  virtual int rank() const = 0;
  /// The number of processes.
  virtual int size() const = 0;
  /// Replaces data[0..n) on every process by its element-wise sum over all processes.
  virtual void sum(double* data, std::size_t n) = 0;
  /// Every process's `bytes`, in rank order, on every process.
  virtual std::vector<std::string> all_gather(const std::string& bytes) = 0;
};

/// One process: sum() leaves the data as it is, all_gather() returns {bytes}.
class LocalCommunicator final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void sum(double*, std::size_t) override {}
  std::vector<std::string> all_gather(const std::string& bytes) override { return {bytes}; }
};

}  // namespace strider
