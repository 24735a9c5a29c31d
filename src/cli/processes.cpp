#include "processes.hpp"

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

#ifdef STRIDER_WITH_MPI
#include <strider/mpi_communicator.hpp>
#endif

namespace strider::cli {

namespace {

/// The number of processes a launcher says it started, from its environment (Open MPI,
/// MPICH and other PMI launchers); 1 when none did.
int launched_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (const char* v = std::getenv(name)) {
      const int n = std::atoi(v);
      if (n >= 1) return n;
    }
  }
  return 1;
}

struct State {
  int rank = 0, size = 1;
  std::unique_ptr<Communicator> comm;
};

State& state() {
  static State s;
  return s;
}

#ifdef STRIDER_WITH_MPI
void finalize() {
  int done = 0;
  MPI_Finalized(&done);
  if (!done) MPI_Finalize();
}
#endif

}  // namespace

void start_processes(int& argc, char**& argv, bool distributed) {
  const int launched = launched_size();
#ifdef STRIDER_WITH_MPI
  (void)distributed;  // every command starts MPI; main refuses all but fit over several
  if (launched > 1) {
    MPI_Init(&argc, &argv);
    std::atexit(finalize);
    State& s = state();
    auto comm = std::make_unique<MpiCommunicator>();
    s.rank = comm->rank();
    s.size = comm->size();
    if (s.size > 1) s.comm = std::move(comm);
  }
#else
  (void)argc;
  (void)argv;
  if (launched > 1 && distributed) {
    throw std::runtime_error(
        "started as one of " + std::to_string(launched) +
        " MPI processes, but this strider was built without MPI (cmake -DSTRIDER_MPI=ON): "
        "each process would do the whole work alone");
  }
#endif
}

int process_rank() {
  return state().rank;
}
int process_count() {
  return state().size;
}
Communicator* process_communicator() {
  return state().comm.get();
}

int fail_all(int status) {
#ifdef STRIDER_WITH_MPI
  if (state().size > 1) MPI_Abort(MPI_COMM_WORLD, status);
#endif
  return status;
}

}  // namespace strider::cli
