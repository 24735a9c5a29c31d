// Example 1: classify a UCR dataset directory, or the built-in dataset.
//
//   example_01_classify_ucr [<UCRArchive_2018>/GunPoint]
//
// The directory holds NAME_TRAIN.tsv and NAME_TEST.tsv (or .ts / .txt). Without an
// argument the built-in Cylinder-Bell-Funnel dataset is generated from a seed.
#include <iostream>

#include <strider/strider.hpp>

int main(int argc, char** argv) {
  try {
    strider::TrainTest data;
    if (argc > 1) {
      const std::filesystem::path dir = argv[1];
      data = strider::io::load_ucr_dataset(dir.parent_path(), dir.filename().string());
    } else {
      data = strider::datasets::load_cylinder_bell_funnel();
    }
    std::cout << "train: " << data.train.summary() << "\ntest:  " << data.test.summary() << "\n";

    strider::KernelClassifierParams params;  // 10,000 kernels, seed 0
    params.set_n_jobs(-1);                   // all cores
    strider::KernelClassifier clf(params);
    clf.fit(data.train);
    const double accuracy = clf.score(data.test);
    std::cout << "accuracy: " << accuracy << " (alpha " << clf.ridge().alpha() << ")\n";
    return accuracy > 0.5 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
