// Example 4: classify a multivariate UEA dataset (sktime/aeon .ts files).
//
//   example_04_classify_multivariate [<UEA archive>/BasicMotions]
//
// Without an argument, a small 3-channel dataset is built from the Cylinder-Bell-Funnel
// generator (each channel an independent draw of the same class).
#include <iostream>

#include <strider/strider.hpp>

namespace {

strider::Panel three_channels(strider::index_t n, std::uint64_t seed) {
  using strider::Panel;
  std::vector<Panel> channels;
  for (std::uint64_t c = 0; c < 3; ++c) {
    channels.push_back(strider::datasets::make_cylinder_bell_funnel(n, 100, true, seed, c + 10));
  }
  Panel::Tensor x = Panel::Tensor::from_shape({static_cast<std::size_t>(n), 3, 100});
  for (strider::index_t i = 0; i < n; ++i)
    for (strider::index_t c = 0; c < 3; ++c)
      for (strider::index_t t = 0; t < 100; ++t)
        x(i, c, t) = channels[c](i, 0, t);
  return Panel(std::move(x), std::vector<strider::index_t>(n, 100), channels[0].labels());
}

}  // namespace

int main(int argc, char** argv) {
  try {
    strider::TrainTest data;
    if (argc > 1) {
      const std::filesystem::path dir = argv[1];
      data = strider::io::load_ucr_dataset(dir.parent_path(), dir.filename().string());
    } else {
      data = {three_channels(60, 1), three_channels(60, 2)};
    }
    std::cout << "train: " << data.train.summary() << "\ntest:  " << data.test.summary() << "\n";
    strider::KernelClassifierParams params;
    params.set_n_jobs(-1);
    strider::KernelClassifier clf(params);  // each kernel reads one random channel
    clf.fit(data.train);
    const double accuracy = clf.score(data.test);
    std::cout << "accuracy: " << accuracy << "\n";
    return accuracy > 0.5 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
