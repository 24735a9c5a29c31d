// Pins what the default classifier predicts: the same seed must give the same labels
// from one version of the library to the next, so that a refactoring that changes a
// result by accident is caught. The expected labels in tests/data/pinned/ were written
// by `strider fit --kernels 2000 --seed 0 --threads 2` then `strider predict` (default
// options otherwise; `--nan interpolate` for DodgerLoopGame). A deliberate change of
// the defaults regenerates them with those commands.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "strider/classifier.hpp"
#include "strider/datasets/cylinder_bell_funnel.hpp"
#include "strider/io/dataset.hpp"
#include "test_support.hpp"

namespace strider {
namespace {

std::vector<std::string> pinned(const std::string& name) {
  std::ifstream in(std::string(STRIDER_TESTS_DATA_DIR) + "/pinned/" + name + ".txt");
  std::vector<std::string> labels;
  for (std::string line; std::getline(in, line);)
    labels.push_back(line);
  return labels;
}

KernelClassifierParams pinned_params() {
  KernelClassifierParams p;
  p.transform.n_kernels = 2000;
  p.transform.random_state = 0;
  p.set_n_jobs(2);
  return p;
}

void expect_pinned(const std::string& name, const TrainTest& data,
                   KernelClassifierParams params = pinned_params()) {
  const std::vector<std::string> expected = pinned(name);
  ASSERT_EQ(static_cast<index_t>(expected.size()), data.test.n_series()) << name;
  KernelClassifier clf(params);
  clf.fit(data.train);
  const std::vector<std::string> got = clf.predict(data.test);
  int differ = 0;
  for (std::size_t i = 0; i < got.size(); ++i)
    differ += got[i] != expected[i] ? 1 : 0;
  EXPECT_EQ(differ, 0) << name << ": " << differ << " of " << got.size()
                       << " predictions differ from tests/data/pinned/" << name << ".txt";
}

TEST(PinnedPredictions, BuiltInDataset) {
  expect_pinned("CylinderBellFunnel", datasets::load_cylinder_bell_funnel({}));
}

class PinnedShared : public ::testing::TestWithParam<const char*> {};

TEST_P(PinnedShared, SameLabelsAsBefore) {
  STRIDER_REQUIRE_SHARED_DATASETS();
  const std::string name = GetParam();
  const test::fs::path root = test::shared_datasets();
  const test::fs::path dir = name == "BasicMotions" ? root / "uea" : root / "ucr";
  TrainTest data;
  data.train = io::read_dataset_file(io::find_ucr_split(dir, name, "TRAIN"));
  data.test = io::read_dataset_file(io::find_ucr_split(dir, name, "TEST"));
  KernelClassifierParams p = pinned_params();
  if (name == "DodgerLoopGame") p.transform.nan_policy = NanPolicy::interpolate;
  expect_pinned(name, data, p);
}

// Equal-length z-normalised, raw values, variable lengths, multivariate, missing values.
INSTANTIATE_TEST_SUITE_P(Ucr, PinnedShared,
                         ::testing::Values("GunPoint", "Chinatown", "PickupGestureWiimoteZ",
                                           "BasicMotions", "DodgerLoopGame"));

}  // namespace
}  // namespace strider
