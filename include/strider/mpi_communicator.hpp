#pragma once
/// @file mpi_communicator.hpp
/// @brief strider::MpiCommunicator: a Communicator over an MPI communicator, for
/// KernelClassifier::fit_batches() spread over MPI ranks. Header-only; a program that
/// includes it links MPI itself (CMake: find_package(MPI), MPI::MPI_CXX). The strider
/// command line uses it when built with STRIDER_MPI.

#include <mpi.h>

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "strider/communicator.hpp"

namespace strider {

/// The ranks of an MPI communicator (MPI_COMM_WORLD by default), which must be
/// initialised (MPI_Init) for as long as this object is used.
class MpiCommunicator final : public Communicator {
 public:
  explicit MpiCommunicator(MPI_Comm comm = MPI_COMM_WORLD) : comm_(comm) {
    check(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
    check(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  void sum(double* data, std::size_t n) override {
    // MPI counts are ints: large arrays go in pieces of 2^28 doubles (2 GiB).
    constexpr std::size_t kPiece = std::size_t{1} << 28;
    for (std::size_t k = 0; k < n; k += kPiece) {
      const int count = static_cast<int>(std::min(kPiece, n - k));
      check(MPI_Allreduce(MPI_IN_PLACE, data + k, count, MPI_DOUBLE, MPI_SUM, comm_),
            "MPI_Allreduce");
    }
  }

  std::vector<std::string> all_gather(const std::string& bytes) override {
    if (bytes.size() > static_cast<std::size_t>(1) << 30) {
      throw std::length_error("MpiCommunicator::all_gather(): more than 1 GiB from one rank");
    }
    int mine = static_cast<int>(bytes.size());
    std::vector<int> sizes(static_cast<std::size_t>(size_));
    check(MPI_Allgather(&mine, 1, MPI_INT, sizes.data(), 1, MPI_INT, comm_), "MPI_Allgather");
    std::vector<int> offsets(sizes.size(), 0);
    long long total = 0;
    for (std::size_t r = 0; r < sizes.size(); ++r) {
      offsets[r] = static_cast<int>(total);
      total += sizes[r];
    }
    if (total > (1LL << 31) - 1) {
      throw std::length_error("MpiCommunicator::all_gather(): more than 2 GiB in all");
    }
    std::string all(static_cast<std::size_t>(total), '\0');
    check(MPI_Allgatherv(bytes.data(), mine, MPI_CHAR, all.data(), sizes.data(), offsets.data(),
                         MPI_CHAR, comm_),
          "MPI_Allgatherv");
    std::vector<std::string> out;
    for (std::size_t r = 0; r < sizes.size(); ++r)
      out.push_back(
          all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(sizes[r])));
    return out;
  }

 private:
  static void check(int code, const char* what) {
    if (code != MPI_SUCCESS) throw std::runtime_error(std::string(what) + " failed");
  }
  MPI_Comm comm_;
  int rank_ = 0, size_ = 1;
};

}  // namespace strider
