#include "strider/classifier.hpp"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

#include "strider/datasets/cylinder_bell_funnel.hpp"
#include "strider/io/dataset.hpp"
#include "test_support.hpp"

namespace strider {
namespace {

KernelClassifierParams small_params(index_t kernels = 500) {
  KernelClassifierParams p;
  p.transform.n_kernels = kernels;
  p.set_n_jobs(2);
  return p;
}

TEST(KernelClassifier, BuiltInDatasetAccuracyFloorWithDefaults) {
  const TrainTest d = datasets::load_cylinder_bell_funnel();  // 300 / 900, seed 0
  KernelClassifierParams p;                                   // the defaults
  KernelClassifier clf(p);
  clf.fit(d.train);
  EXPECT_GE(clf.score(d.test), 0.95);
  EXPECT_EQ(clf.classes(), (std::vector<std::string>{"1", "2", "3"}));
}

TEST(KernelClassifier, DefaultsAreTheCrossValidatedOnes) {
  // README "Choosing the defaults": two defaults differ from the stages used alone.
  const KernelClassifierParams p;
  EXPECT_EQ(p.transform.lengths, (std::vector<index_t>{5, 7, 9, 11}));
  EXPECT_EQ(p.transform.source, KernelSource::mixed);
  EXPECT_TRUE(p.transform.normalize_input);
  EXPECT_TRUE(p.transform.add_differences);
  EXPECT_EQ(p.transform.length_quantile, 1.0);
  EXPECT_EQ(p.ridge.alphas, logspace_alphas(-4, 4, 20));
  const DilatedKernelTransformParams alone;
  EXPECT_NE(alone.lengths, p.transform.lengths);
  EXPECT_EQ(alone.source, KernelSource::sample);
  EXPECT_FALSE(alone.normalize_input);
  EXPECT_FALSE(alone.add_differences);
  EXPECT_EQ(alone.length_quantile, 0.0);
  EXPECT_NE(RidgeClassifierCVParams{}.alphas, p.ridge.alphas);
  // the rest are the stages' own defaults
  DilatedKernelTransformParams t = p.transform;
  t.lengths = alone.lengths;
  t.source = alone.source;
  t.normalize_input = alone.normalize_input;
  t.add_differences = alone.add_differences;
  t.length_quantile = alone.length_quantile;
  EXPECT_EQ(t, alone);
  EXPECT_EQ(p.transform.n_kernels, 10000);
  EXPECT_FALSE(p.float32);
  // and the classifier fitted with them uses them
  const TrainTest d = datasets::load_cylinder_bell_funnel();
  KernelClassifier clf(small_params(300));
  clf.fit(d.train);
  std::set<index_t> lengths;
  for (const Kernel& k : clf.transform().kernels())
    lengths.insert(k.length);
  EXPECT_EQ(lengths, (std::set<index_t>{5, 7, 9, 11}));
  EXPECT_EQ(clf.ridge().params().alphas.size(), 20u);
}

TEST(KernelClassifier, ArbitraryLabelsComeBackAsGiven) {
  TrainTest d = datasets::load_cylinder_bell_funnel({60, 30, 64, true, 4});
  auto rename = [](const std::vector<std::string>& y) {
    std::vector<std::string> out;
    for (const auto& l : y)
      out.push_back(l == "1" ? "cylinder" : l == "2" ? "bell" : "funnel");
    return out;
  };
  KernelClassifier clf(small_params());
  clf.fit(d.train, rename(d.train.labels()));
  EXPECT_EQ(clf.classes(), (std::vector<std::string>{"bell", "cylinder", "funnel"}));
  const auto pred = clf.predict(d.test);
  ASSERT_EQ(pred.size(), 30u);
  std::set<std::string> seen(pred.begin(), pred.end());
  for (const auto& s : seen)
    EXPECT_TRUE(s == "bell" || s == "cylinder" || s == "funnel") << s;
  EXPECT_GE(clf.score(d.test, rename(d.test.labels())), 0.9);
  const RowMatrixD scores = clf.decision_function(d.test);
  EXPECT_EQ(scores.rows(), 30);
  EXPECT_EQ(scores.cols(), 3);
}

TEST(KernelClassifier, SameSeedSameModelWhateverTheThreads) {
  const TrainTest d = datasets::load_cylinder_bell_funnel({45, 30, 64, true, 2});
  KernelClassifierParams p = small_params(300);
  p.set_n_jobs(1);
  KernelClassifier a(p);
  a.fit(d.train);
  p.set_n_jobs(2);
  KernelClassifier b(p);
  b.fit(d.train);
  p.set_n_jobs(4);
  KernelClassifier c(p);
  c.fit(d.train);
  const RowMatrixD sa = a.decision_function(d.test);
  EXPECT_EQ(sa, b.decision_function(d.test));
  EXPECT_EQ(sa, c.decision_function(d.test));
  EXPECT_EQ(a.ridge().alpha(), c.ridge().alpha());
}

TEST(KernelClassifier, Float32AgreesWithFloat64) {
  const TrainTest d = datasets::load_cylinder_bell_funnel({60, 90, 64, true, 3});
  KernelClassifierParams p = small_params(400);
  KernelClassifier a(p);
  a.fit(d.train);
  p.float32 = true;
  KernelClassifier b(p);
  b.fit(d.train);
  const auto pa = a.predict(d.test), pb = b.predict(d.test);
  std::size_t same = 0;
  for (std::size_t i = 0; i < pa.size(); ++i)
    same += pa[i] == pb[i];
  EXPECT_GE(static_cast<double>(same) / static_cast<double>(pa.size()), 0.97);
  EXPECT_GE(b.score(d.test), 0.9);
}

TEST(KernelClassifier, ErrorsAndUseBeforeFit) {
  KernelClassifier clf(small_params());
  const TrainTest d = datasets::load_cylinder_bell_funnel({9, 3, 64, true, 1});
  EXPECT_THROW(clf.predict(d.test), NotFittedError);
  EXPECT_THROW(clf.classes(), NotFittedError);
  EXPECT_FALSE(clf.is_fitted());
  Panel unlabelled(d.train.data());
  EXPECT_THROW(clf.fit(unlabelled), std::invalid_argument);
  EXPECT_THROW(clf.fit(d.train, {"1", "2"}), std::invalid_argument);
  EXPECT_THROW(clf.fit(d.train, std::vector<std::string>(9, "same")), std::invalid_argument);
  KernelClassifierParams bad = small_params();
  bad.transform.n_kernels = 0;
  EXPECT_THROW(KernelClassifier{bad}, std::invalid_argument);
  bad = small_params();
  bad.ridge.alphas.clear();
  EXPECT_THROW(KernelClassifier{bad}, std::invalid_argument);
  // A failed fit leaves a previously fitted model untouched.
  clf.fit(d.train);
  const auto before = clf.decision_function(d.test);
  EXPECT_THROW(clf.fit(d.train, std::vector<std::string>(9, "same")), std::invalid_argument);
  EXPECT_EQ(clf.decision_function(d.test), before);
  // Wrong channel count at predict time.
  Panel::Tensor two = Panel::Tensor::from_shape({3, 2, 64});
  two.fill(0.5);
  EXPECT_THROW(clf.predict(Panel(two)), std::invalid_argument);
}

struct Floor {
  const char* kind;
  const char* name;
  double floor;
};

class UcrFloor : public ::testing::TestWithParam<Floor> {};

TEST_P(UcrFloor, DefaultSettingsReachTheFloor) {
  STRIDER_REQUIRE_SHARED_DATASETS();
  const Floor f = GetParam();
  const TrainTest d = io::load_ucr_dataset(test::shared_datasets() / f.kind, f.name);
  KernelClassifierParams p;  // defaults, seed 0
  p.set_n_jobs(-1);
  KernelClassifier clf(p);
  clf.fit(d.train);
  const double acc = clf.score(d.test);
  RecordProperty("accuracy", std::to_string(acc));
  EXPECT_GE(acc, f.floor) << f.name;
}

INSTANTIATE_TEST_SUITE_P(Shared, UcrFloor,
                         ::testing::Values(Floor{"ucr", "GunPoint", 0.95},
                                           Floor{"ucr", "Coffee", 0.95},
                                           Floor{"ucr", "ItalyPowerDemand", 0.95},
                                           Floor{"ucr", "ECG200", 0.85},
                                           Floor{"uea", "BasicMotions", 0.95}),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace strider
