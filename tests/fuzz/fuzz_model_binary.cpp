// libFuzzer target: loading a binary model file (strider::load<T> of a non-.json path).
// Input: one byte selecting the estimator (value % 6: KernelClassifier,
// DilatedKernelTransform, StandardScaler, RidgeClassifierCV, KernelRegressor, RidgeCV),
// then the cereal payload.
// The payload is wrapped in a valid container (header and checksum recomputed by
// detail::make_binary_container), so the fuzzer reaches the payload decoding instead of
// stopping at the checksum. A model that loads is then used on a small fixed input.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

#include "fuzz_support.hpp"
#include "strider/serialization.hpp"

namespace {

template <class Estimator>
void load_and_use(const strider::fuzz::TempFile& file, const std::string& payload) {
  strider::ModelEnvelope env;
  env.estimator = strider::ModelTraits<Estimator>::name;
  file.write(strider::detail::make_binary_container(env, payload));
  const Estimator model = strider::load<Estimator>(file.path());
  strider::fuzz::exercise(model);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace strider;
  static const fuzz::TempFile file(".strider");
  if (size == 0) return 0;
  const std::string payload(fuzz::as_text(data + 1, size - 1));
  try {
    switch (data[0] % 6) {
      case 0:
        load_and_use<KernelClassifier>(file, payload);
        break;
      case 1:
        load_and_use<DilatedKernelTransform>(file, payload);
        break;
      case 2:
        load_and_use<StandardScaler>(file, payload);
        break;
      case 3:
        load_and_use<RidgeClassifierCV>(file, payload);
        break;
      case 4:
        load_and_use<KernelRegressor>(file, payload);
        break;
      default:
        load_and_use<RidgeCV>(file, payload);
        break;
    }
  } catch (const std::exception&) {
  }
  return 0;
}
