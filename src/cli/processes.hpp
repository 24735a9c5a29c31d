#pragma once
// The processes one run of strider belongs to: this one alone, or the ranks of an MPI job
// when strider is built with STRIDER_MPI and started by mpirun (or another MPI launcher).

#include <strider/communicator.hpp>

namespace strider::cli {

/// Starts MPI when a launcher started this process (its environment says so) and strider
/// was built with MPI; ends it at exit. Call once, at the start of main. `distributed`:
/// the command spreads its work over the processes (fit).
/// @throws std::runtime_error when a distributed command is launched by MPI with several
///         ranks but strider was built without MPI (each would do the whole work alone)
void start_processes(int& argc, char**& argv, bool distributed);

/// This process's rank and the number of processes (0 and 1 without MPI).
int process_rank();
int process_count();

/// The communicator of a fit over the processes; nullptr for one process.
Communicator* process_communicator();

/// Ends every process with `status` after an error on this one (MPI_Abort, so that the
/// others do not wait for it forever); returns `status` with one process.
int fail_all(int status);

}  // namespace strider::cli
