// Example 6: time-series extrinsic regression, a number predicted from each series.
// KernelRegressor is KernelClassifier's transform and scaler with a ridge regression whose
// alpha is chosen by exact leave-one-out; predict() gives one value per series (one column
// per target), score() the R^2. Optional argument: a UCR-layout regression dataset folder
// (DIR/NAME with NAME_TRAIN and NAME_TEST files whose labels are numbers, e.g. .ts files
// with @targetLabel true); without it, the built-in pulse areas.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include <strider/strider.hpp>

int main(int argc, char** argv) {
  try {
    strider::TrainTest data;
    if (argc > 1) {
      const std::filesystem::path dir(argv[1]);
      data = strider::io::load_ucr_dataset(dir.parent_path(), dir.filename().string(),
                                           {.labels = strider::io::Labels::targets});
    } else {
      data = strider::datasets::load_pulse_area({.n_train = 300, .n_test = 300});
    }
    strider::KernelRegressorParams params;
    params.transform.n_kernels = 2000;
    params.set_n_jobs(-1);
    strider::KernelRegressor reg(params);
    reg.fit(data.train);  // the labels, read as numbers, are the targets

    const strider::RowMatrixD pred = reg.predict(data.test);  // n x 1
    const std::vector<double> y = strider::targets_from_labels(data.test);
    const Eigen::Map<const strider::RowMatrixD> truth(y.data(),
                                                      static_cast<strider::index_t>(y.size()), 1);
    std::cout << std::setprecision(4);
    for (strider::index_t i = 0; i < std::min<strider::index_t>(5, pred.rows()); ++i)
      std::cout << "  series " << i << ": predicted " << pred(i, 0) << ", true " << truth(i, 0)
                << "\n";
    std::cout << "R^2 " << strider::r2_score(truth, pred) << ", RMSE "
              << std::sqrt(strider::mean_squared_error(truth, pred)) << ", alpha "
              << reg.ridge().alpha() << ", input "
              << (reg.transform().params().normalize_input ? "z-normalised" : "as given")
              << " (chosen by leave-one-out)\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
