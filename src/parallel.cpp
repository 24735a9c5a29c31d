#include "strider/parallel.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace strider {

int available_cores() noexcept {
#ifdef _OPENMP
  return std::max(1, omp_get_num_procs());
#else
  return 1;
#endif
}

int thread_index() noexcept {
#ifdef _OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}

void check_n_jobs(int n_jobs, const char* who) {
  if (n_jobs == 0) {
    throw std::invalid_argument(std::string(who) +
                                ": n_jobs = 0 is not allowed; use -1 for all cores or k >= 1");
  }
}

int max_threads() noexcept {
  return std::max(kMinThreadCap, kThreadsPerCore * available_cores());
}

int resolve_n_jobs(int n_jobs, const char* who) {
  check_n_jobs(n_jobs, who);
  if (!openmp_enabled()) return 1;
  if (n_jobs > 0) return std::min(n_jobs, max_threads());
  return std::max(1, available_cores() + 1 + n_jobs);  // -1: all, -2: all but one...
}

}  // namespace strider
