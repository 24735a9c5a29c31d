#include "strider/classifier.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "../src/pipeline.hpp"
#include "strider/datasets/cylinder_bell_funnel.hpp"
#include "strider/explain.hpp"
#include "strider/io/dataset.hpp"
#include "strider/labels.hpp"
#include "strider/metrics.hpp"
#include "strider/random.hpp"
#include "strider/regressor.hpp"
#include "strider/serialization.hpp"
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
  // README "Choosing the defaults": these defaults differ from the stages used alone.
  const KernelClassifierParams p;
  EXPECT_EQ(p.transform.lengths, (std::vector<index_t>{5, 7, 9, 11}));
  EXPECT_EQ(p.transform.source, KernelSource::mixed);
  EXPECT_TRUE(p.transform.normalize_input);
  EXPECT_TRUE(p.transform.add_differences);
  EXPECT_EQ(p.transform.length_quantile, 1.0);
  EXPECT_EQ(p.transform.p_padding, 1.0);
  EXPECT_EQ(p.ridge.alphas, logspace_alphas(-4, 4, 20));
  EXPECT_EQ(p.ridge.class_weight, ClassWeight::choose);
  EXPECT_TRUE(p.choose_normalization);
  EXPECT_EQ(p.feature_weights, (std::array<double, 3>{1.0, 0.25, 0.25}));
  EXPECT_TRUE(p.transform.add_occurrences);
  EXPECT_EQ(p.occurrence_weight, 0.5);
  EXPECT_TRUE(p.float32);
  EXPECT_FALSE(p.choose_representation);  // led the CV, costs 8% of the time
  const DilatedKernelTransformParams alone;
  EXPECT_FALSE(alone.add_occurrences);
  EXPECT_EQ(alone.p_padding, 0.5);
  EXPECT_EQ(RidgeClassifierCVParams{}.class_weight, ClassWeight::none);
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
  t.p_padding = alone.p_padding;
  t.add_occurrences = alone.add_occurrences;
  EXPECT_EQ(t, alone);
  EXPECT_EQ(p.transform.n_kernels, 10000);
  // the regressor keeps the three features per kernel and float64
  const KernelRegressorParams r;
  EXPECT_FALSE(r.transform.add_occurrences);
  EXPECT_FALSE(r.float32);
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

// n series of length 64, two classes: class 1 is class 0 shifted up by `offset`;
// every series is then scaled by a random factor in [1, scale_max] and shifted by a random
// level in [-level, level]. The shape: a bump at a random place (class 0) or a dip
// (class 1) when `shape`, else white noise only.
Panel two_class_panel(index_t n, bool shape, double offset, double scale_max, double level,
                      std::uint64_t seed) {
  constexpr index_t kLength = 64;
  Rng rng(seed);
  Panel::Tensor data = Panel::Tensor::from_shape({static_cast<std::size_t>(n), 1, kLength});
  std::vector<std::string> labels;
  for (index_t i = 0; i < n; ++i) {
    const int cls = static_cast<int>(i % 2);
    const double scale = 1.0 + (scale_max - 1.0) * rng.uniform();
    const double shift = level * (2.0 * rng.uniform() - 1.0) + cls * offset;
    const index_t at = 8 + static_cast<index_t>(rng.uniform_int(40));
    for (index_t t = 0; t < kLength; ++t) {
      double v = 0.3 * rng.normal();
      if (shape && t >= at && t < at + 12) v += cls == 0 ? 3.0 : -3.0;
      data(i, 0, t) = scale * v + shift;
    }
    labels.push_back(std::to_string(cls));
  }
  return Panel(std::move(data), std::vector<index_t>(static_cast<std::size_t>(n), kLength),
               std::move(labels));
}

TEST(KernelClassifier, ChooseNormalizationKeepsTheInputThatClassifies) {
  KernelClassifierParams p = small_params(300);
  p.choose_normalization = true;
  ASSERT_TRUE(p.transform.normalize_input);
  {
    // Only the level tells the classes apart: z-normalising removes it.
    const Panel train = two_class_panel(40, false, 4.0, 1.0, 0.0, 1);
    const Panel test = two_class_panel(100, false, 4.0, 1.0, 0.0, 2);
    KernelClassifier clf(p);
    clf.fit(train);
    EXPECT_FALSE(clf.transform().params().normalize_input);
    EXPECT_GE(clf.score(test), 0.95);
    KernelClassifierParams fixed = p;
    fixed.choose_normalization = false;
    KernelClassifier normalized(fixed);
    normalized.fit(train);
    EXPECT_TRUE(normalized.transform().params().normalize_input);
    EXPECT_LE(normalized.score(test), 0.8);  // what choosing avoided
    // Both fits are timed.
    EXPECT_GT(clf.fit_timings().transform_seconds, 0.0);
  }
  {
    // The shape tells the classes apart; random scales and levels hide it in the raw input.
    const Panel train = two_class_panel(40, true, 0.0, 20.0, 30.0, 3);
    const Panel test = two_class_panel(100, true, 0.0, 20.0, 30.0, 4);
    KernelClassifier clf(p);
    clf.fit(train);
    EXPECT_TRUE(clf.transform().params().normalize_input);
    EXPECT_GE(clf.score(test), 0.95);
  }
  {
    // Asked for raw input, it may still choose normalising: the choice is symmetric.
    KernelClassifierParams raw = p;
    raw.transform.normalize_input = false;
    KernelClassifier clf(raw);
    clf.fit(two_class_panel(40, true, 0.0, 20.0, 30.0, 3));
    EXPECT_TRUE(clf.transform().params().normalize_input);
  }
}

// n series of length 64, one in ten of class "rare": a bump that the noise mostly hides.
Panel imbalanced_panel(index_t n, std::uint64_t seed) {
  constexpr index_t kLength = 64;
  Rng rng(seed);
  Panel::Tensor data = Panel::Tensor::from_shape({static_cast<std::size_t>(n), 1, kLength});
  std::vector<std::string> labels;
  for (index_t i = 0; i < n; ++i) {
    const bool rare = i % 10 == 0;
    const index_t at = 8 + static_cast<index_t>(rng.uniform_int(40));
    for (index_t t = 0; t < kLength; ++t)
      data(i, 0, t) = rng.normal() + (rare && t >= at && t < at + 8 ? 0.5 : 0.0);
    labels.push_back(rare ? "rare" : "common");
  }
  return Panel(std::move(data), std::vector<index_t>(static_cast<std::size_t>(n), kLength),
               std::move(labels));
}

TEST(KernelClassifier, ChoosesClassWeightsNoneWhenImbalancedAndBalancedOtherwise) {
  KernelClassifierParams p = small_params(300);
  ASSERT_EQ(p.ridge.class_weight, ClassWeight::choose);
  {
    // 9 to 1 and hard to tell apart: weighting the rare class up misclassifies more common
    // series than it recovers rare ones.
    const Panel train = imbalanced_panel(200, 11);
    const Panel test = imbalanced_panel(400, 12);
    KernelClassifier clf(p);
    clf.fit(train);
    EXPECT_EQ(clf.ridge().class_weight(), ClassWeight::none);
    KernelClassifierParams fixed = p;
    fixed.ridge.class_weight = ClassWeight::balanced;
    KernelClassifier balanced(fixed);
    balanced.fit(train);
    EXPECT_GT(clf.score(test), balanced.score(test) + 0.03);
  }
  {
    // Equal class sizes: balanced (every weight 1).
    KernelClassifier clf(p);
    clf.fit(two_class_panel(40, true, 0.0, 20.0, 30.0, 3));
    EXPECT_EQ(clf.ridge().class_weight(), ClassWeight::balanced);
  }
  {
    // Unequal sizes that are easy to tell apart: both weightings classify every series,
    // and the simpler fit, none, is kept.
    const Panel all = two_class_panel(60, true, 0.0, 1.0, 0.0, 5);
    std::vector<index_t> keep;
    for (index_t i = 0; i < all.n_series(); ++i)
      if (i % 2 == 0 || i % 6 == 1) keep.push_back(i);  // 30 of class 0, 10 of class 1
    KernelClassifier clf(p);
    clf.fit(all.subset(keep));
    EXPECT_EQ(clf.ridge().class_weight(), ClassWeight::none);
  }
}

/// Two classes told apart by where a broad bump sits (position 40 or 80, +-5) under white
/// noise: the first differences of so slow a bump are almost only noise.
Panel bump_panel(index_t n, double noise, std::uint64_t seed) {
  constexpr index_t kLength = 120;
  Rng rng(seed);
  Panel::Tensor data = Panel::Tensor::from_shape({static_cast<std::size_t>(n), 1, kLength});
  std::vector<std::string> labels;
  for (index_t i = 0; i < n; ++i) {
    const int cls = static_cast<int>(i % 2);
    const double at = (cls == 0 ? 40.0 : 80.0) + static_cast<double>(rng.uniform_int(11)) - 5.0;
    for (index_t t = 0; t < kLength; ++t) {
      const double z = (static_cast<double>(t) - at) / 12.0;
      data(i, 0, t) = std::exp(-0.5 * z * z) + noise * rng.normal();
    }
    labels.push_back(std::to_string(cls));
  }
  return Panel(std::move(data), std::vector<index_t>(static_cast<std::size_t>(n), kLength),
               std::move(labels));
}

TEST(KernelClassifier, ChooseRepresentationKeepsTheKernelsThatClassify) {
  KernelClassifierParams p = small_params(1000);
  p.choose_normalization = false;
  p.float32 = false;
  p.choose_representation = true;
  ASSERT_TRUE(p.transform.add_differences);
  const Panel train = bump_panel(60, 1.2, 31);
  const Panel test = bump_panel(300, 1.2, 32);
  KernelClassifier clf(p);
  clf.fit(train);
  // The split: kernels are sorted by channel, the series' (channel 0) first.
  const std::vector<Kernel>& kernels = clf.transform().kernels();
  const auto on_series = static_cast<index_t>(std::count_if(
      kernels.begin(), kernels.end(), [](const Kernel& k) { return k.channel == 0; }));
  ASSERT_GT(on_series, 0);
  ASSERT_LT(on_series, 1000);
  for (std::size_t k = 0; k < kernels.size(); ++k)
    EXPECT_EQ(kernels[k].channel, static_cast<index_t>(k) < on_series ? 0 : 1);
  const index_t split = 4 * on_series;
  EXPECT_EQ(clf.representation(), "series");
  EXPECT_EQ(clf.ridge().kept_columns(), (std::pair<index_t, index_t>{0, split}));
  EXPECT_EQ(clf.ridge().coef().rightCols(4000 - split).cwiseAbs().maxCoeff(), 0.0);
  // The ridge of the pipeline's features with that split, by hand.
  RidgeClassifierCV r(p.ridge);
  r.fit<double>(clf.features(train), train.labels(), ColumnChoice{.split = split});
  EXPECT_EQ(r.kept_columns(), clf.ridge().kept_columns());
  EXPECT_EQ(r.alpha(), clf.ridge().alpha());
  EXPECT_TRUE(r.coef() == clf.ridge().coef());
  // The choice is saved and loaded; a file whose ridge keeps other columns is refused.
  {
    test::TempDir dir;
    save(clf, dir / "m.json");
    const KernelClassifier back = load<KernelClassifier>(dir / "m.json");
    EXPECT_EQ(back.ridge().kept_columns(), clf.ridge().kept_columns());
    EXPECT_EQ(back.representation(), "series");
    EXPECT_EQ(back.predict(test), clf.predict(test));
    const std::string text = test::read_file(dir / "m.json");
    const std::string field = "\"kept_end_\": " + std::to_string(split);
    const std::size_t at = text.find(field);
    ASSERT_NE(at, std::string::npos);
    for (const index_t end : {split - 4, split + 4}) {
      std::string bad = text;
      bad.replace(at, field.size(), "\"kept_end_\": " + std::to_string(end));
      test::write_file(dir / "bad.json", bad);
      // split + 4 leaves a nonzero coefficient outside the range: the ridge refuses it;
      // split - 4 is a range of zeros and nonzeros that is no representation.
      try {
        (void)load<KernelClassifier>(dir / "bad.json");
        ADD_FAILURE() << "loaded kept_end_ = " << end;
      } catch (const FormatError& e) {
        const std::string what = e.what();
        EXPECT_TRUE(what.find("not the kernels of one representation") != std::string::npos ||
                    what.find("outside the kept columns") != std::string::npos)
            << what;
      }
    }
  }
  // Without the choice every kernel is kept, and the test set is classified worse.
  KernelClassifierParams all = p;
  all.choose_representation = false;
  KernelClassifier both(all);
  both.fit(train);
  EXPECT_EQ(both.representation(), "series+differences");
  EXPECT_EQ(both.ridge().kept_columns(), (std::pair<index_t, index_t>{0, 4000}));
  EXPECT_GT(clf.score(test), both.score(test) + 0.05);  // 0.857 against 0.770
  // Nothing to choose without the differences.
  KernelClassifierParams nodiff = p;
  nodiff.transform.add_differences = false;
  KernelClassifier series(nodiff);
  series.fit(train);
  EXPECT_EQ(series.representation(), "series");
  EXPECT_EQ(series.ridge().kept_columns(), (std::pair<index_t, index_t>{0, 4000}));
  // The same model whatever the number of threads.
  KernelClassifierParams one = p;
  one.set_n_jobs(1);
  KernelClassifier serial(one);
  serial.fit(train);
  EXPECT_TRUE(serial.ridge().coef() == clf.ridge().coef());
}

TEST(KernelClassifier, ChooseFeaturesFitsTheRidgeWithTheOccurrencesAsAGroup) {
  // The classifier's choice is the ridge's ColumnChoice on its own features: the fourth
  // column of each kernel (its fraction of occurrences) as the strided group, tested at
  // kChooseFeaturesMaxP. On this set (10 series per class) every feature helps, so all
  // are kept, and the model is the one without the choice.
  KernelClassifierParams p = small_params(300);
  p.choose_normalization = false;
  p.float32 = false;
  ASSERT_TRUE(p.choose_features);  // on by default
  ASSERT_TRUE(p.transform.add_occurrences);
  const TrainTest d = datasets::load_cylinder_bell_funnel({30, 60, 64, true, 7});
  ASSERT_TRUE(choose_features_applies(p, 30, 3));
  KernelClassifier clf(p);
  clf.fit(d.train);
  RidgeClassifierCV r(p.ridge);
  r.fit<double>(clf.features(d.train), d.train.labels(),
                ColumnChoice{.period = 4, .residue = 3, .period_max_p = kChooseFeaturesMaxP});
  EXPECT_GT(r.coef().col(0).cwiseAbs().maxCoeff(), 0.0);  // a minimum: not only occurrences
  EXPECT_EQ(clf.features_used(), "all");
  EXPECT_EQ(r.alpha(), clf.ridge().alpha());
  EXPECT_TRUE(r.coef() == clf.ridge().coef());
  KernelClassifierParams off = p;
  off.choose_features = false;
  KernelClassifier plain(off);
  plain.fit(d.train);
  // The same up to rounding: the Gram matrix is summed from the two groups'.
  EXPECT_EQ(plain.ridge().alpha(), clf.ridge().alpha());
  EXPECT_LT((plain.ridge().coef() - clf.ridge().coef()).cwiseAbs().maxCoeff(),
            1e-9 * plain.ridge().coef().cwiseAbs().maxCoeff());
  EXPECT_FALSE(plain.ridge().coef() == clf.ridge().coef());  // the rounding tells them apart
  EXPECT_EQ(plain.predict(d.test), clf.predict(d.test));
  // With more than kChooseFeaturesMaxPerClass series per class the choice is not tried:
  // one Gram matrix, the model of choose_features off bit for bit.
  const TrainTest many = datasets::load_cylinder_bell_funnel({60, 30, 64, true, 7});
  ASSERT_FALSE(choose_features_applies(p, 60, 3));
  KernelClassifier on_many(p), off_many(off);
  on_many.fit(many.train);
  off_many.fit(many.train);
  EXPECT_TRUE(on_many.ridge().coef() == off_many.ridge().coef());
  // Without occurrences there is nothing to choose.
  KernelClassifierParams none = p;
  none.transform.add_occurrences = false;
  EXPECT_FALSE(choose_features_applies(none, 30, 3));
  KernelClassifier three(none);
  three.fit(d.train);
  EXPECT_EQ(three.features_used(), "all");
}

TEST(KernelClassifier, ChooseFeaturesAppliesToFewSeriesPerClassAndTheGramMode) {
  KernelClassifierParams p;
  p.transform.n_kernels = 100;  // 400 features
  const auto per_class = static_cast<index_t>(kChooseFeaturesMaxPerClass);
  EXPECT_TRUE(choose_features_applies(p, 2 * per_class, 2));
  EXPECT_FALSE(choose_features_applies(p, 2 * per_class + 1, 2));
  EXPECT_TRUE(choose_features_applies(p, 400, 400 / per_class));
  EXPECT_FALSE(choose_features_applies(p, 401, 401));  // more series than features
  KernelClassifierParams q = p;
  q.choose_features = false;
  EXPECT_FALSE(choose_features_applies(q, 20, 10));
  q = p;
  q.occurrence_weight = 0.0;
  EXPECT_FALSE(choose_features_applies(q, 20, 10));
  q = p;
  q.feature_weights = {0.0, 0.0, 0.0};  // the occurrences are all there is
  EXPECT_FALSE(choose_features_applies(q, 20, 10));
  // What the classifier asks of its ridge: the fourth column of each kernel, tested at
  // kChooseFeaturesMaxP; nothing above the limit of series per class.
  const DilatedKernelTransform t(p.transform);
  std::vector<std::string> y;
  for (int i = 0; i < 20; ++i)
    y.push_back(i % 2 == 0 ? "a" : "b");
  ColumnChoice c = detail::column_choice(p, t, y);
  EXPECT_EQ(c.split, 0);
  EXPECT_EQ(c.period, 4);
  EXPECT_EQ(c.residue, 3);
  EXPECT_EQ(c.period_max_p, kChooseFeaturesMaxP);
  y.push_back("a");  // 21 series of 2 classes
  c = detail::column_choice(p, t, y);
  EXPECT_EQ(c.period, 0);
  EXPECT_EQ(c.period_max_p, kChooseMaxP);
}

TEST(KernelClassifier, ChooseFeaturesKeepsTheOccurrencesOnPigCVP) {
  // PigCVP (52 classes, two training series each, length 2,000): the fractions of
  // occurrences alone classify far more training series by leave-one-out than all the
  // features (p < kChooseFeaturesMaxP, on the raw input, which choose_normalization then
  // keeps), and the test set agrees.
  STRIDER_REQUIRE_SHARED_DATASETS();
  const TrainTest d = io::load_ucr_dataset(test::shared_datasets() / "ucr", "PigCVP");
  KernelClassifierParams p;
  p.transform.n_kernels = 1000;
  p.set_n_jobs(-1);
  ASSERT_TRUE(choose_features_applies(p, 104, 52));  // on by default, 2 series per class
  KernelClassifierParams off = p;
  off.choose_features = false;
  KernelClassifier plain(off), clf(p);
  plain.fit(d.train);
  clf.fit(d.train);
  EXPECT_EQ(plain.features_used(), "all");
  EXPECT_EQ(clf.features_used(), "occurrences");
  EXPECT_FALSE(clf.transform().params().normalize_input);
  const double a_plain = plain.score(d.test), a_clf = clf.score(d.test);
  RecordProperty("accuracy", std::to_string(a_clf));
  EXPECT_GT(a_clf, a_plain + 0.05) << a_clf << " against " << a_plain;
  // The coefficients of the other features are exactly 0, and stay so in a saved model.
  const ColMatrix<double>& coef = clf.ridge().coef();
  for (index_t j = 0; j < coef.cols(); ++j)
    if (j % 4 != 3) {
      ASSERT_EQ(coef.col(j).cwiseAbs().maxCoeff(), 0.0) << j;
    }
  test::TempDir dir;
  save(clf, dir / "m.strider");
  const KernelClassifier back = load<KernelClassifier>(dir / "m.strider");
  EXPECT_EQ(back.features_used(), "occurrences");
  EXPECT_EQ(back.predict(d.test), clf.predict(d.test));
}

TEST(KernelClassifier, PreferLaterVariantNeedsTwoSeriesElseTheCrossEntropy) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // 20 series: accuracies are multiples of 0.05.
  const LooResult kept{0.75, 0.70, 0.45};
  // Two more hits win whatever the other scores; two fewer lose.
  EXPECT_TRUE(prefer_later_variant({0.85, 0.90, 0.60}, kept, 20));
  EXPECT_FALSE(prefer_later_variant({0.65, 0.10, 0.05}, kept, 20));
  // One more hit (DodgerLoopGame's case) or the same: the lower cross-entropy decides.
  EXPECT_FALSE(prefer_later_variant({0.80, 0.80, 0.58}, kept, 20));
  EXPECT_TRUE(prefer_later_variant({0.80, 0.80, 0.40}, kept, 20));
  EXPECT_TRUE(prefer_later_variant({0.70, 0.80, 0.40}, kept, 20));
  EXPECT_TRUE(prefer_later_variant({0.75, 0.80, 0.40}, kept, 20));
  // A tie keeps the variant kept so far (the params as given).
  EXPECT_FALSE(prefer_later_variant(kept, kept, 20));
  // On 200 series one more hit is 0.005 of accuracy: still within the noise.
  EXPECT_FALSE(prefer_later_variant({0.755, 0.70, 0.46}, kept, 200));
  EXPECT_TRUE(prefer_later_variant({0.76, 0.70, 0.46}, kept, 200));
  // Accuracies that are not exact multiples of 1/n (rounding) count the nearest number.
  EXPECT_TRUE(prefer_later_variant({0.75 + 2.0 / 20.0 - 1e-12, 0.9, 0.9}, kept, 20));
  // Without a cross-entropy on one side or both (no class with two series): the higher
  // accuracy, then the lower squared error.
  EXPECT_TRUE(prefer_later_variant({0.80, 0.90, nan}, kept, 20));
  EXPECT_TRUE(prefer_later_variant({0.80, 0.90, 0.1}, {0.75, 0.70, nan}, 20));
  EXPECT_TRUE(prefer_later_variant({0.75, 0.60, nan}, kept, 20));
  EXPECT_FALSE(prefer_later_variant({0.75, 0.80, nan}, kept, 20));
}

TEST(KernelClassifier, ChoosingKeepsTheBestOfTheVariantsByLeaveOneOut) {
  // With choose_normalization, fit() fits the input as given (z-normalised), then raw, and
  // keeps the raw fit only when it classifies at least two more training series by
  // leave-one-out, or when neither classifies two more and its leave-one-out
  // cross-entropy is lower: the same model as the winner fitted alone.
  int decided_by_cross_entropy = 0;
  for (const std::uint64_t seed : {5, 6, 7}) {
    const TrainTest d = datasets::load_cylinder_bell_funnel({40, 30, 64, true, seed});
    KernelClassifierParams p = small_params(200);
    p.choose_normalization = true;
    KernelClassifier chosen(p);
    chosen.fit(d.train);

    std::vector<KernelClassifier> alone;
    for (bool normalize : {true, false}) {  // the order of fit(): as given first
      KernelClassifierParams q = p;
      q.choose_normalization = false;
      q.transform.normalize_input = normalize;
      alone.emplace_back(q).fit(d.train);
    }
    const auto& rz = alone[0].ridge();
    const auto& rr = alone[1].ridge();
    const auto at = [](const RidgeClassifierCV& r) {
      const auto& a = r.params().alphas;
      return static_cast<index_t>(std::find(a.begin(), a.end(), r.alpha()) - a.begin());
    };
    const long more_hits =
        std::lround(40.0 * (rr.cv_accuracy()(at(rr)) - rz.cv_accuracy()(at(rz))));
    const bool raw = more_hits >= 2 || (more_hits > -2 && rr.cv_log_loss() < rz.cv_log_loss());
    decided_by_cross_entropy += std::abs(more_hits) < 2;
    EXPECT_EQ(chosen.transform().params().normalize_input, !raw) << seed;
    EXPECT_EQ(chosen.decision_function(d.test), alone[raw ? 1 : 0].decision_function(d.test));
    EXPECT_GT(chosen.fit_timings().transform_seconds, 0.0);  // timed (not compared: noisy)
  }
  EXPECT_GE(decided_by_cross_entropy, 1);  // the seeds reach the cross-entropy's branch
}

TEST(KernelClassifier, ChoosingRunsOneProgressAndSkipsAVariantThatCannotFit) {
  // Raw values beyond the float range: the raw variant cannot be computed in float32, the
  // z-normalised one (as given) can; the fit keeps it instead of failing.
  const TrainTest d = datasets::load_cylinder_bell_funnel({30, 30, 64, true, 6});
  Panel::Tensor big = d.train.data();
  big *= 1e39;
  const Panel train(std::move(big), std::vector<index_t>(30, 64), d.train.labels());
  KernelClassifierParams p = small_params(100);
  p.float32 = true;
  KernelClassifier clf(p);
  std::vector<std::pair<index_t, index_t>> calls;
  clf.set_progress_callback([&](index_t done, index_t total) { calls.emplace_back(done, total); });
  ASSERT_NO_THROW(clf.fit(train));
  EXPECT_TRUE(clf.transform().params().normalize_input);
  // The raw input as given, first: it cannot fit, the z-normalised variant is kept.
  KernelClassifierParams raw = p;
  raw.transform.normalize_input = false;
  KernelClassifier second(raw);
  ASSERT_NO_THROW(second.fit(train));
  EXPECT_TRUE(second.transform().params().normalize_input);
  // With no other variant to fall back on, the transform's error is the fit's.
  raw.choose_normalization = false;
  KernelClassifier fails(raw);
  EXPECT_THROW(fails.fit(train), std::invalid_argument);
  EXPECT_FALSE(fails.is_fitted());

  // One progress over both variants: never decreasing, one total, ending at it.
  calls.clear();
  KernelClassifier two(small_params(100));
  two.set_progress_callback([&](index_t done, index_t total) { calls.emplace_back(done, total); });
  two.fit(d.train);
  ASSERT_FALSE(calls.empty());
  for (std::size_t i = 1; i < calls.size(); ++i) {
    EXPECT_GE(calls[i].first, calls[i - 1].first);
    EXPECT_EQ(calls[i].second, calls.front().second);
  }
  EXPECT_EQ(calls.back().first, calls.back().second);
  EXPECT_GT(calls.size(), 2u);
  // The ridge solves count too: the first variant ends at half the total (both variants
  // cost the same), after a last transform report below it (its scaler and ridge remain).
  const index_t total = calls.front().second;
  std::size_t half = 0;
  while (half < calls.size() && 2 * calls[half].first < total - 1)
    ++half;
  ASSERT_LT(half, calls.size());
  EXPECT_LE(std::abs(2 * calls[half].first - total), 2) << calls[half].first << " of " << total;
  ASSERT_GT(half, 0u);
  EXPECT_LT(calls[half - 1].first, calls[half].first);
}

TEST(KernelClassifier, PredictProbaBeatsThePlainSoftmaxAndKeepsThePredictions) {
  const TrainTest d = datasets::load_cylinder_bell_funnel({60, 300, 64, true, 9});
  RowMatrixD p1;
  for (int jobs : {1, 2}) {
    KernelClassifierParams p = small_params(300);
    p.set_n_jobs(jobs);
    KernelClassifier clf(p);
    clf.fit(d.train);
    const RowMatrixD proba = clf.predict_proba(d.test);
    ASSERT_EQ(proba.cols(), 3);
    EXPECT_LT((proba.rowwise().sum().array() - 1.0).abs().maxCoeff(), 1e-12);
    const auto pred = clf.predict(d.test);
    for (index_t i = 0; i < proba.rows(); ++i) {
      index_t top = 0;
      proba.row(i).maxCoeff(&top);
      EXPECT_EQ(clf.classes()[static_cast<std::size_t>(top)], pred[static_cast<std::size_t>(i)]);
    }
    if (jobs == 1) {
      p1 = proba;
      const auto truth = class_indices(d.test.labels(), clf.classes());
      const RowMatrixD plain = clf.ridge().probabilities(clf.decision_function(d.test), 1.0);
      EXPECT_LT(log_loss(proba, truth), log_loss(plain, truth));
      EXPECT_LT(expected_calibration_error(proba, truth), expected_calibration_error(plain, truth));
    } else {
      EXPECT_TRUE(proba == p1);  // bit-identical for any thread count
    }
  }
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
  p.float32 = false;
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

TEST(KernelClassifier, FeatureWeightsScaleTheStandardisedColumns) {
  const TrainTest d = datasets::load_cylinder_bell_funnel({40, 30, 64, true, 3});
  for (const std::array<double, 3>& w :
       {std::array<double, 3>{1.0, 0.25, 0.25}, std::array<double, 3>{0.5, 2.0, 0.0},
        std::array<double, 3>{1.0, 1.0, 1.0}}) {
    KernelClassifierParams p = small_params(200);
    p.choose_normalization = false;
    p.transform.add_occurrences = false;
    p.float32 = false;
    p.feature_weights = w;
    KernelClassifier clf(p);
    clf.fit(d.train);
    // by hand: the stages alone, then column 3k + j times w[j]
    DilatedKernelTransform t(p.transform);
    StandardScaler sc(p.scaler);
    RowMatrixD a = sc.fit_transform<double>(t.fit_transform(d.train));
    RowMatrixD b = sc.transform<double>(t.transform(d.test));
    for (index_t j = 0; j < a.cols(); ++j) {
      a.col(j) *= w[static_cast<std::size_t>(j % 3)];
      b.col(j) *= w[static_cast<std::size_t>(j % 3)];
    }
    EXPECT_EQ(clf.features(d.test), b);
    RidgeClassifierCV r(p.ridge);
    r.fit<double>(a, d.train.labels());
    EXPECT_EQ(clf.ridge().alpha(), r.alpha());
    const RowMatrixD want = r.decision_function<double>(b);
    EXPECT_LT((clf.decision_function(d.test) - want).cwiseAbs().maxCoeff(),
              1e-9 * (1.0 + want.cwiseAbs().maxCoeff()));
    if (w[2] == 0.0) {
      // a weight of 0 drops the feature type: the ridge gives those columns no weight
      for (index_t k = 0; k < clf.ridge().coef().cols() / 3; ++k)
        EXPECT_EQ(clf.ridge().coef().col(3 * k + 2).cwiseAbs().maxCoeff(), 0.0);
    }
  }
  // With the occurrences, column 4k + 3 takes occurrence_weight and 4k + j w[j].
  {
    KernelClassifierParams p = small_params(200);
    p.choose_normalization = false;
    p.transform.add_occurrences = true;
    p.float32 = false;
    p.occurrence_weight = 0.3;
    KernelClassifier clf(p);
    clf.fit(d.train);
    DilatedKernelTransform t(p.transform);
    StandardScaler sc(p.scaler);
    sc.fit<double>(t.fit_transform(d.train));
    RowMatrixD b = sc.transform<double>(t.transform(d.test));
    ASSERT_EQ(b.cols(), 4 * 200);
    for (index_t j = 0; j < b.cols(); ++j)
      b.col(j) *= j % 4 == 3 ? 0.3 : p.feature_weights[static_cast<std::size_t>(j % 4)];
    EXPECT_EQ(clf.features(d.test), b);
    EXPECT_EQ(clf.ridge().n_features(), 4 * 200);
    const std::vector<KernelImportance> imp = kernel_importance(clf);
    ASSERT_EQ(imp.size(), 200u);
    // the importance is the norm of the kernel's four weighted coefficients
    const index_t k = imp.front().kernel;
    double sq = 0.0;
    for (index_t j = 0; j < 4; ++j) {
      const double c = clf.ridge().coef()(0, 4 * k + j) *
                       (j == 3 ? 0.3 : p.feature_weights[static_cast<std::size_t>(j)]);
      sq += c * c;
    }
    EXPECT_NEAR(imp.front().per_class[0], std::sqrt(sq), 1e-12 * (1.0 + std::sqrt(sq)));
  }
  // invalid weights are refused by name
  KernelClassifierParams bad = small_params();
  bad.feature_weights = {1.0, std::nan(""), 1.0};
  using ::testing::HasSubstr;
  using ::testing::ThrowsMessage;
  EXPECT_THAT([&] { KernelClassifier{bad}; },
              ThrowsMessage<std::invalid_argument>(HasSubstr(
                  "feature_weights = 1,nan,1; weight 2 = nan; expected finite weights >= 0")));
  bad.feature_weights = {0.0, 0.0, 0.0};
  EXPECT_THAT([&] { KernelClassifier{bad}; },
              ThrowsMessage<std::invalid_argument>(
                  HasSubstr("feature_weights = 0,0,0; expected at least one weight > 0")));
  bad.feature_weights = {1.0, -0.5, 1.0};
  EXPECT_THROW(KernelClassifier{bad}, std::invalid_argument);
  // in float32 a weight must stay a positive finite float (or be 0)
  bad.feature_weights = {1.0, 1e-60, 0.0};
  bad.float32 = false;
  EXPECT_NO_THROW(KernelClassifier{bad});
  bad.float32 = true;
  EXPECT_THAT([&] { KernelClassifier{bad}; },
              ThrowsMessage<std::invalid_argument>(HasSubstr("is 0 or infinite in float32")));
  bad.feature_weights = {1e39, 1.0, 0.0};
  EXPECT_THROW(KernelClassifier{bad}, std::invalid_argument);
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
