// Example 2: train, save the model, load it into a fresh object, predict.
#include <filesystem>
#include <iostream>

#include <strider/strider.hpp>

int main() {
  try {
    const auto data = strider::datasets::load_cylinder_bell_funnel({150, 150, 128, true, 1});
    strider::KernelClassifierParams params;
    params.transform.n_kernels = 2000;
    strider::KernelClassifier trained(params);
    trained.fit(data.train);

    const auto dir = std::filesystem::temp_directory_path();
    const auto binary = dir / "strider_example_model.strider";  // portable binary
    const auto json = dir / "strider_example_model.json";       // readable JSON
    strider::save(trained, binary);
    strider::save(trained, json);

    const auto from_binary = strider::load<strider::KernelClassifier>(binary);
    const auto from_json = strider::load<strider::KernelClassifier>(json);
    const auto expected = trained.predict(data.test);
    const bool same =
        from_binary.predict(data.test) == expected && from_json.predict(data.test) == expected &&
        from_binary.decision_function(data.test) == trained.decision_function(data.test);
    std::cout << "model files: " << std::filesystem::file_size(binary) << " bytes (binary), "
              << std::filesystem::file_size(json) << " bytes (JSON)\n"
              << "accuracy of the loaded model: " << from_binary.score(data.test) << "\n"
              << "predictions identical after loading: " << (same ? "yes" : "NO") << "\n";
    std::filesystem::remove(binary);
    std::filesystem::remove(json);
    return same ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
