// Example 3: use the transform's features in your own Eigen model.
// Here: a nearest-centroid classifier on standardised kernel features.
#include <iostream>

#include <Eigen/Dense>
#include <strider/strider.hpp>

int main() {
  try {
    const auto data = strider::datasets::load_cylinder_bell_funnel({90, 300, 128, true, 2});
    strider::DilatedKernelTransformParams tp;
    tp.n_kernels = 1000;
    tp.n_jobs = -1;
    strider::DilatedKernelTransform transform(tp);
    // n_series x 3K: columns 3k, 3k+1, 3k+2 = min, fraction of increasing steps, argmin.
    strider::RowMatrixD train = transform.fit_transform(data.train);
    strider::RowMatrixD test = transform.transform(data.test);

    // Standardise with the training columns' mean and std (your own code, plain Eigen).
    const Eigen::RowVectorXd mean = train.colwise().mean();
    Eigen::RowVectorXd sd =
        ((train.rowwise() - mean).array().square().colwise().mean()).sqrt().matrix();
    sd = (sd.array() > 0).select(sd, 1.0);
    train = (train.rowwise() - mean).array().rowwise() / sd.array();
    test = (test.rowwise() - mean).array().rowwise() / sd.array();

    // One centroid per class.
    const auto& y = data.train.y();
    const auto k = data.train.n_classes();
    Eigen::MatrixXd centroids = Eigen::MatrixXd::Zero(k, train.cols());
    Eigen::VectorXd counts = Eigen::VectorXd::Zero(k);
    for (Eigen::Index i = 0; i < train.rows(); ++i) {
      centroids.row(y[i]) += train.row(i);
      counts(y[i]) += 1;
    }
    centroids = counts.cwiseInverse().asDiagonal() * centroids;

    std::size_t correct = 0;
    for (Eigen::Index i = 0; i < test.rows(); ++i) {
      Eigen::Index best = 0;
      (centroids.rowwise() - test.row(i)).rowwise().squaredNorm().minCoeff(&best);
      correct += data.test.classes()[best] == data.test.labels()[i];
    }
    const double accuracy = static_cast<double>(correct) / static_cast<double>(test.rows());
    std::cout << "features: " << train.rows() << " x " << train.cols()
              << "\nnearest-centroid accuracy: " << accuracy << "\n";
    return accuracy > 0.8 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
