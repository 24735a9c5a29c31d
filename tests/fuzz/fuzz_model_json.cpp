// libFuzzer target: loading a JSON model file (strider::load<T> of a .json path).
// Input: the file content. The estimator type is taken from the file's own envelope
// (read_envelope), as a program that loads "any model" would; a model that loads is then
// used on a small fixed input.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

#include "fuzz_support.hpp"
#include "strider/serialization.hpp"

namespace {

template <class Estimator>
void load_and_use(const strider::fuzz::TempFile& file) {
  const Estimator model = strider::load<Estimator>(file.path());
  strider::fuzz::exercise(model);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace strider;
  static const fuzz::TempFile file(".json");
  file.write(fuzz::as_text(data, size));
  try {
    const std::string estimator = read_envelope(file.path()).estimator;
    if (estimator == ModelTraits<DilatedKernelTransform>::name) {
      load_and_use<DilatedKernelTransform>(file);
    } else if (estimator == ModelTraits<StandardScaler>::name) {
      load_and_use<StandardScaler>(file);
    } else if (estimator == ModelTraits<RidgeClassifierCV>::name) {
      load_and_use<RidgeClassifierCV>(file);
    } else if (estimator == ModelTraits<RidgeCV>::name) {
      load_and_use<RidgeCV>(file);
    } else if (estimator == ModelTraits<KernelRegressor>::name) {
      load_and_use<KernelRegressor>(file);
    } else {
      load_and_use<KernelClassifier>(file);  // refuses any other name, cleanly
    }
  } catch (const std::exception&) {
  }
  return 0;
}
