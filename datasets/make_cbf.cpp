// strider_make_cbf: generates the built-in Cylinder-Bell-Funnel dataset, prints a summary
// of it and, with --output DIR, writes it as UCR .tsv files (DIR/CBF_TRAIN.tsv and
// DIR/CBF_TEST.tsv), reads them back and checks they are identical to what was generated.
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include <strider/strider.hpp>

namespace {

// True when both panels hold the same labels, lengths and bit-identical values.
bool identical(const strider::Panel& a, const strider::Panel& b) {
  if (a.n_series() != b.n_series() || a.n_channels() != b.n_channels() ||
      a.lengths() != b.lengths() || a.labels() != b.labels()) {
    return false;
  }
  for (strider::index_t i = 0; i < a.n_series(); ++i) {
    for (strider::index_t c = 0; c < a.n_channels(); ++c) {
      const auto n = static_cast<std::size_t>(a.length(i)) * sizeof(double);
      if (std::memcmp(a.series(i, c), b.series(i, c), n) != 0) return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  strider::datasets::CylinderBellFunnelParams params;
  std::filesystem::path output;
  for (int k = 1; k < argc; ++k) {
    const std::string arg = argv[k];
    if (arg == "--help" || arg == "-h") {
      std::cout << "usage: strider_make_cbf [--seed S] [--output DIR]\n"
                   "Generates the built-in Cylinder-Bell-Funnel dataset and prints a summary.\n"
                   "  --seed S      random seed (default 0)\n"
                   "  --output DIR  also write DIR/CBF_TRAIN.tsv and DIR/CBF_TEST.tsv (UCR\n"
                   "                2018 format; DIR is created if needed) and check that\n"
                   "                they read back identical\n";
      return 0;
    }
    if (arg == "--seed" && k + 1 < argc) {
      params.random_state = std::strtoull(argv[++k], nullptr, 10);
    } else if (arg == "--output" && k + 1 < argc) {
      output = argv[++k];
    } else {
      std::cerr << "strider_make_cbf: error: unknown argument '" << arg << "'\n";
      return 2;
    }
  }
  const auto data = strider::datasets::load_cylinder_bell_funnel(params);
  std::cout << "Cylinder-Bell-Funnel (seed " << params.random_state << ")\n"
            << "  train: " << data.train.summary() << "\n"
            << "  test:  " << data.test.summary() << "\n";
  if (output.empty()) return 0;

  try {
    std::filesystem::create_directories(output);
    const auto train_path = output / "CBF_TRAIN.tsv";
    const auto test_path = output / "CBF_TEST.tsv";
    strider::io::write_ucr_tsv(data.train, train_path);
    strider::io::write_ucr_tsv(data.test, test_path);
    const strider::Panel train = strider::io::read_ucr_tsv(train_path);
    const strider::Panel test = strider::io::read_ucr_tsv(test_path);
    if (!identical(train, data.train) || !identical(test, data.test)) {
      std::cerr << "strider_make_cbf: error: the files written to " << output
                << " do not read back identical to the generated data\n";
      return 1;
    }
    std::cout << "  wrote " << train_path.string() << " and " << test_path.string()
              << " (read back identical)\n";
  } catch (const std::exception& e) {
    std::cerr << "strider_make_cbf: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
