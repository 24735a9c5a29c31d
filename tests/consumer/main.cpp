// Uses the installed package: generates the built-in dataset and prints its summary, and
// counts primes with the utilities library (a separate target, strider::utils).
#include <cstdint>
#include <iostream>

#include <strider/strider.hpp>
#include <strider/utils.hpp>

int main() {
  const auto data = strider::datasets::load_cylinder_bell_funnel({30, 30, 128, true, 1});
  const std::uint64_t primes = strider::utils::count_primes_up_to(100);
  std::cout << "strider " << strider::version_string << ": " << data.train.summary() << "; "
            << primes << " primes up to 100\n";
  return data.train.n_classes() == 3 && primes == 25 ? 0 : 1;
}
