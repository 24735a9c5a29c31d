// strider_make_cbf: generates the built-in Cylinder-Bell-Funnel dataset and prints a
// summary of it.
#include <cstdlib>
#include <iostream>
#include <string>

#include <strider/strider.hpp>

int main(int argc, char** argv) {
  strider::datasets::CylinderBellFunnelParams params;
  for (int k = 1; k < argc; ++k) {
    const std::string arg = argv[k];
    if (arg == "--help" || arg == "-h") {
      std::cout << "usage: strider_make_cbf [--seed S]\n"
                   "Generates the built-in Cylinder-Bell-Funnel dataset and prints a summary.\n";
      return 0;
    }
    if (arg == "--seed" && k + 1 < argc) {
      params.random_state = std::strtoull(argv[++k], nullptr, 10);
    } else {
      std::cerr << "strider_make_cbf: error: unknown argument '" << arg << "'\n";
      return 2;
    }
  }
  const auto data = strider::datasets::load_cylinder_bell_funnel(params);
  std::cout << "Cylinder-Bell-Funnel (seed " << params.random_state << ")\n"
            << "  train: " << data.train.summary() << "\n"
            << "  test:  " << data.test.summary() << "\n";
  return 0;
}
