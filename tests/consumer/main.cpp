// Uses the installed package: generates the built-in dataset and prints its summary.
#include <iostream>

#include <strider/strider.hpp>

int main() {
  const auto data = strider::datasets::load_cylinder_bell_funnel({30, 30, 128, true, 1});
  std::cout << "strider " << strider::version_string << ": " << data.train.summary() << "\n";
  return data.train.n_classes() == 3 ? 0 : 1;
}
