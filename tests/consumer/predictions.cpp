// One source built twice by the consumer_project test (tests/consumer/CMakeLists.txt), to
// show that a program compiled with other instruction-set flags than the library gets the
// library's predictions:
//  - `consumer_reference write DIR`, compiled with the library's flags (-march=native):
//    fits a small classifier on a built-in dataset and writes DIR/model.strider and
//    DIR/expected.txt (its test-set predictions and decision values, as hexadecimal
//    floats: exact);
//  - `consumer_predictions check DIR`, compiled with the consumer's (-march=x86-64): loads
//    that model, also fits its own with the same params, and compares both to
//    DIR/expected.txt. Exit status 1 when a prediction differs or a decision value is off
//    by more than the tolerance below.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <strider/strider.hpp>

namespace {

// Decision values are compared within 1e-9 * max(1, |expected|), not bitwise (though they
// come out bitwise identical with GCC 12): the two programs compile the header-only parts
// (Eigen's templates, strider's inline code) each with its own flags, and the linker keeps
// one copy of each template instantiation that both define, so a sum could be rounded
// with or without FMA or in another order (differences near 1e-15). Predictions must be
// identical.
constexpr double kTolerance = 1e-9;

const char* instruction_set() {
#if defined(__AVX512F__)
  return "AVX-512";
#elif defined(__AVX2__)
  return "AVX2";
#elif defined(__AVX__)
  return "AVX";
#else
  return "baseline (no AVX)";
#endif
}

strider::TrainTest dataset() {
  return strider::datasets::load_cylinder_bell_funnel(
      {.n_train = 60, .n_test = 90, .length = 128, .z_normalize = true, .random_state = 3});
}

strider::KernelClassifierParams params() {
  strider::KernelClassifierParams p;
  p.transform.n_kernels = 200;
  p.transform.random_state = 11;
  return p;
}

struct Result {
  std::vector<std::string> labels;  ///< n_series predictions
  strider::RowMatrixD scores;       ///< n_series x n_classes decision values
};

Result run(const strider::KernelClassifier& clf, const strider::Panel& x) {
  return {clf.predict(x), clf.decision_function(x)};
}

void write(const Result& r, const std::filesystem::path& path) {
  std::ofstream out(path);
  out << r.scores.rows() << ' ' << r.scores.cols() << '\n' << std::hexfloat;
  for (Eigen::Index i = 0; i < r.scores.rows(); ++i) {
    out << r.labels[static_cast<std::size_t>(i)];
    for (Eigen::Index j = 0; j < r.scores.cols(); ++j)
      out << ' ' << r.scores(i, j);
    out << '\n';
  }
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

Result read(const std::filesystem::path& path) {
  std::ifstream in(path);
  Eigen::Index rows = 0;
  Eigen::Index cols = 0;
  in >> rows >> cols;
  Result r{std::vector<std::string>(static_cast<std::size_t>(rows)),
           strider::RowMatrixD(rows, cols)};
  std::string token;
  for (Eigen::Index i = 0; i < rows; ++i) {
    in >> r.labels[static_cast<std::size_t>(i)];
    for (Eigen::Index j = 0; j < cols; ++j) {
      in >> token;  // std::istream does not parse hexadecimal floats; strtod does
      r.scores(i, j) = std::strtod(token.c_str(), nullptr);
    }
  }
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return r;
}

// Prints one line and returns the number of failures (0 or 1).
int compare(const std::string& what, const Result& got, const Result& want) {
  if (got.scores.rows() != want.scores.rows() || got.scores.cols() != want.scores.cols()) {
    std::cout << what << ": decision values " << got.scores.rows() << " x " << got.scores.cols()
              << ", expected " << want.scores.rows() << " x " << want.scores.cols() << "\n";
    return 1;
  }
  std::size_t same_labels = 0;
  for (std::size_t i = 0; i < want.labels.size(); ++i)
    same_labels += got.labels[i] == want.labels[i];
  double max_diff = 0.0;
  bool within = true;
  for (Eigen::Index i = 0; i < want.scores.rows(); ++i) {
    for (Eigen::Index j = 0; j < want.scores.cols(); ++j) {
      const double diff = std::abs(got.scores(i, j) - want.scores(i, j));
      max_diff = std::max(max_diff, diff);
      within = within && diff <= kTolerance * std::max(1.0, std::abs(want.scores(i, j)));
    }
  }
  const bool ok = same_labels == want.labels.size() && within;
  std::cout << what << ": " << same_labels << "/" << want.labels.size()
            << " predictions identical; decision values "
            << (got.scores == want.scores ? "bitwise identical" : "not bitwise identical")
            << ", max |difference| " << max_diff << " (tolerance " << kTolerance
            << " x max(1, |value|)) -> " << (ok ? "ok" : "FAILED") << "\n";
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc == 3 ? argv[1] : "";
  if (mode != "write" && mode != "check") {
    std::cerr << "usage: " << argv[0] << " write|check DIR\n";
    return 2;
  }
  try {
    const std::filesystem::path dir = argv[2];
    const auto data = dataset();
    std::cout << mode << " (compiled for " << instruction_set() << ")\n";
    if (mode == "write") {
      strider::KernelClassifier clf(params());
      clf.fit(data.train);
      strider::save(clf, dir / "model.strider");
      write(run(clf, data.test), dir / "expected.txt");
      return 0;
    }
    const Result want = read(dir / "expected.txt");
    const auto loaded = strider::load<strider::KernelClassifier>(dir / "model.strider");
    strider::KernelClassifier fitted(params());
    fitted.fit(data.train);
    const int failures =
        compare("model loaded from the library side", run(loaded, data.test), want) +
        compare("model fitted here", run(fitted, data.test), want);
    return failures == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << argv[0] << " " << mode << ": " << e.what() << "\n";
    return 2;
  }
}
