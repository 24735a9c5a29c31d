#include "strider/serialization.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>

#include "strider/datasets/cylinder_bell_funnel.hpp"
#include "strider/datasets/pulse_area.hpp"
#include "strider/regressor.hpp"
#include "test_support.hpp"

namespace strider {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::TempDir;
using test::write_file;

KernelClassifierParams golden_params() {
  KernelClassifierParams p;
  p.transform.n_kernels = 50;
  p.transform.random_state = 7;
  p.set_n_jobs(1);
  return p;
}

const TrainTest& golden_data() {
  static const TrainTest d = datasets::load_cylinder_bell_funnel({30, 12, 64, true, 7});
  return d;
}

KernelClassifier small_model(bool float32 = false) {
  KernelClassifierParams p = golden_params();
  p.float32 = float32;
  p.choose_normalization = !float32;  // both values round trip
  p.choose_representation = float32;
  p.choose_features = !float32;
  if (float32) p.feature_weights = {0.5, 1.0, 0.0};  // the defaults otherwise
  KernelClassifier clf(p);
  clf.fit(golden_data().train);
  return clf;
}

template <class E>
void expect_same_transform(const E& a, const E& b) {
  ASSERT_EQ(a.kernels().size(), b.kernels().size());
  for (std::size_t k = 0; k < a.kernels().size(); ++k) {
    EXPECT_EQ(a.kernels()[k].values, b.kernels()[k].values);
    EXPECT_EQ(a.kernels()[k].dilation, b.kernels()[k].dilation);
    EXPECT_EQ(a.kernels()[k].padding, b.kernels()[k].padding);
  }
}

class ModelFiles : public ::testing::TestWithParam<const char*> {};

TEST_P(ModelFiles, ClassifierRoundTripIsBitIdentical) {
  TempDir dir;
  for (bool f32 : {false, true}) {
    const KernelClassifier clf = small_model(f32);
    const fs::path path = dir / (std::string("model") + GetParam());
    save(clf, path);
    const KernelClassifier back = load<KernelClassifier>(path);
    EXPECT_EQ(back.classes(), clf.classes());
    EXPECT_EQ(back.ridge().alpha(), clf.ridge().alpha());
    EXPECT_EQ(back.params().float32, f32);
    EXPECT_EQ(back.params().choose_normalization, clf.params().choose_normalization);
    EXPECT_EQ(back.params().choose_representation, clf.params().choose_representation);
    EXPECT_EQ(back.params().choose_features, clf.params().choose_features);
    EXPECT_EQ(back.features_used(), clf.features_used());
    EXPECT_EQ(back.ridge().kept_columns(), clf.ridge().kept_columns());
    EXPECT_EQ(back.params().feature_weights, clf.params().feature_weights);
    EXPECT_EQ(back.transform().params().normalize_input,
              clf.transform().params().normalize_input);  // the choice made at fit
    expect_same_transform(back.transform(), clf.transform());
    EXPECT_EQ(back.decision_function(golden_data().test),
              clf.decision_function(golden_data().test));
    EXPECT_EQ(back.predict(golden_data().test), clf.predict(golden_data().test));
    const ModelEnvelope env = read_envelope(path);
    EXPECT_EQ(env.estimator, "KernelClassifier");
    EXPECT_EQ(env.format, "strider-model");
    EXPECT_EQ(env.library_version, version_string);
    EXPECT_EQ(env.json, std::string(GetParam()) == ".json");
  }
}

TEST_P(ModelFiles, EachStageRoundTrips) {
  TempDir dir;
  const KernelClassifier clf = small_model();
  const std::string ext = GetParam();
  save(clf.transform(), dir / ("t" + ext));
  save(clf.scaler(), dir / ("s" + ext));
  save(clf.ridge(), dir / ("r" + ext));
  const auto t = load<DilatedKernelTransform>(dir / ("t" + ext));
  const auto s = load<StandardScaler>(dir / ("s" + ext));
  const auto r = load<RidgeClassifierCV>(dir / ("r" + ext));
  const RowMatrixD f0 = clf.transform().transform<double>(golden_data().test);
  const RowMatrixD f1 = t.transform<double>(golden_data().test);
  EXPECT_EQ(f0, f1);
  EXPECT_EQ(s.transform<double>(f0), clf.scaler().transform<double>(f0));
  const RowMatrixD z = clf.scaler().transform<double>(f0);
  EXPECT_EQ(r.decision_function<double>(z), clf.ridge().decision_function<double>(z));
  // Loading a file as the wrong estimator names both types.
  try {
    load<KernelClassifier>(dir / ("t" + ext));
    FAIL() << "expected FormatError";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("holds a DilatedKernelTransform, expected a "
                                         "KernelClassifier"),
              std::string::npos)
        << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Encodings, ModelFiles, ::testing::Values(".strider", ".json"),
                         [](const auto& param_info) {
                           return std::string(param_info.param) == ".json" ? "json" : "binary";
                         });

TEST(ModelFiles, RidgeKeptColumnsAreCheckedOnLoad) {
  TempDir dir;
  const KernelClassifier clf = small_model();
  const fs::path path = dir / "r.json";
  save(clf.ridge(), path);
  std::string text;
  {
    std::ifstream in(path);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const std::string field = "\"kept_begin_\": 0";
  const std::size_t at = text.find(field);
  ASSERT_NE(at, std::string::npos) << text.substr(0, 400);
  auto load_with = [&](const std::string& begin) {
    std::string t = text;
    t.replace(at, field.size(), "\"kept_begin_\": " + begin);
    std::ofstream(dir / "bad.json") << t;
    try {
      (void)load<RidgeClassifierCV>(dir / "bad.json");
    } catch (const FormatError& e) {
      return std::string(e.what());
    }
    return std::string("(loaded)");
  };
  // a column with a coefficient outside the kept ones, an empty or reversed range
  EXPECT_NE(load_with("1").find("coef_ column 0 is not 0 but outside the kept columns"),
            std::string::npos)
      << load_with("1");
  EXPECT_NE(load_with("-3").find("are not a non-empty range"), std::string::npos);
  EXPECT_NE(load_with("99999999").find("are not a non-empty range"), std::string::npos);
}

TEST(ModelFiles, UnfittedEstimatorIsNotSaved) {
  TempDir dir;
  EXPECT_THROW(save(KernelClassifier{}, dir / "m.strider"), NotFittedError);
  EXPECT_FALSE(fs::exists(dir / "m.strider"));
}

TEST(ModelFiles, SaveIsAtomicRenameAndLeavesNothingBehind) {
  TempDir dir;
  const KernelClassifier clf = small_model();
  const fs::path path = dir / "m.strider";
  write_file(path, "old model");
  // A hard link to the old file: a rename-based save never writes into the old inode.
  fs::create_hard_link(path, dir / "old_link");
  save(clf, path);
  EXPECT_EQ(read_file(dir / "old_link"), "old model");
  EXPECT_NO_THROW(load<KernelClassifier>(path));
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 2u) << "temporary files left behind";
  // An impossible destination: error, nothing created, old files untouched.
  EXPECT_THROW(save(clf, dir / "missing_dir" / "m.strider"), std::runtime_error);
  EXPECT_FALSE(fs::exists(dir / "missing_dir"));
}

TEST(ModelFiles, FailedWriteKeepsTheOldModel) {
  if (::geteuid() == 0) {
    // root ignores directory permissions; use a path whose parent is a file instead.
    TempDir dir;
    write_file(dir / "file", "x");
    EXPECT_THROW(save(small_model(), dir / "file" / "m.strider"), std::runtime_error);
    return;
  }
  TempDir dir;
  const fs::path path = dir / "m.strider";
  save(small_model(), path);
  const std::string before = read_file(path);
  ::chmod(dir.path().c_str(), 0500);
  EXPECT_THROW(save(small_model(), path), std::runtime_error);
  ::chmod(dir.path().c_str(), 0700);
  EXPECT_EQ(read_file(path), before);
}

TEST(ModelFiles, EveryTruncationAndByteFlipOfABinaryModelIsRejected) {
  TempDir dir;
  const fs::path good = dir / "good.strider";
  save(small_model(), good);
  const std::string bytes = read_file(good);
  const fs::path bad = dir / "bad.strider";
  const std::size_t step = std::max<std::size_t>(1, bytes.size() / 300);
  std::size_t attempts = 0;
  for (std::size_t len = 0; len < bytes.size(); len += (len < 64 ? 1 : step)) {
    write_file(bad, bytes.substr(0, len));
    EXPECT_THROW(load<KernelClassifier>(bad), FormatError) << "truncated at " << len;
    ++attempts;
  }
  for (std::size_t off = 0; off < bytes.size(); off += (off < 64 ? 1 : step)) {
    for (int mask : {0x01, 0x80, 0xFF}) {
      std::string flipped = bytes;
      flipped[off] = static_cast<char>(flipped[off] ^ mask);
      write_file(bad, flipped);
      EXPECT_THROW(load<KernelClassifier>(bad), FormatError) << "flip at " << off;
      ++attempts;
    }
  }
  // Extra bytes at the end are corruption too.
  write_file(bad, bytes + "x");
  EXPECT_THROW(load<KernelClassifier>(bad), FormatError);
  EXPECT_GT(attempts, 500u);
}

TEST(ModelFiles, TruncatedOrFlippedJsonLoadsCorrectlyOrThrows) {
  TempDir dir;
  const fs::path good = dir / "good.json";
  const KernelClassifier clf = small_model();
  save(clf, good);
  const std::string bytes = read_file(good);
  const fs::path bad = dir / "bad.json";
  const std::size_t step = std::max<std::size_t>(1, bytes.size() / 250);
  const auto& x = golden_data().test;
  std::size_t loaded = 0, rejected = 0;
  auto attempt = [&](const std::string& content) {
    write_file(bad, content);
    try {
      const KernelClassifier m = load<KernelClassifier>(bad);
      ++loaded;
      // Whatever loaded must be a usable, consistent model.
      try {
        const auto pred = m.predict(x);
        EXPECT_EQ(pred.size(), static_cast<std::size_t>(x.n_series()));
      } catch (const std::invalid_argument&) {
        // e.g. a flipped channel count: a clean error is fine
      }
    } catch (const FormatError&) {
      ++rejected;
    }
  };
  for (std::size_t len = 0; len < bytes.size(); len += step)
    attempt(bytes.substr(0, len));
  const std::string junk = "x}]9-.e\"";
  for (std::size_t off = 0; off < bytes.size(); off += step) {
    for (char c : junk) {
      std::string flipped = bytes;
      flipped[off] = c;
      attempt(flipped);
    }
  }
  EXPECT_GT(rejected, 100u);
  EXPECT_GT(loaded + rejected, 1000u);
}

TEST(ModelFiles, ForeignAndNewerFilesAreRejectedWithAClearMessage) {
  TempDir dir;
  auto expect_error = [&](const std::string& name, const std::string& content,
                          const std::string& needle) {
    write_file(dir / name, content);
    try {
      load<KernelClassifier>(dir / name);
      FAIL() << name << ": expected FormatError";
    } catch (const FormatError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(name), std::string::npos) << what;
      EXPECT_NE(what.find(needle), std::string::npos) << what;
    }
  };
  expect_error("empty.strider", "", "empty");
  expect_error("text.strider", "1\t0.5\t0.25\n", "not a strider model");
  expect_error("random.strider", std::string("\x89PNG\r\n\x1a\n\0\0\0", 12), "not a strider model");
  expect_error("other.json", "{\"a\": 1}", "");
  expect_error("broken.json", "{\"envelope\": {\"format\": ", "");
  expect_error("missing.strider", "", "");  // overwritten below
  fs::remove(dir / "missing.strider");
  EXPECT_THROW(load<KernelClassifier>(dir / "missing.strider"), FormatError);

  // A newer format version, with a valid checksum: a clear version message.
  ModelEnvelope env;
  env.estimator = "KernelClassifier";
  env.format_version = kModelFormatVersion + 1;
  env.library_version = "9.0.0";
  expect_error("newer.strider", detail::make_binary_container(env, "payload"),
               "format version " + std::to_string(kModelFormatVersion + 1));

  const KernelClassifier clf = small_model();
  save(clf, dir / "m.json");
  std::string json = read_file(dir / "m.json");
  const std::string key = "\"format_version\": 1";
  ASSERT_NE(json.find(key), std::string::npos);
  json.replace(json.find(key), key.size(), "\"format_version\": 7");
  expect_error("newer.json", json, "format version 7");

  // Feature weights that the params would refuse, or not three of them.
  const std::string good = read_file(dir / "m.json");
  const std::string weights = "\"feature_weights\": [\n";
  const std::size_t at = good.find(weights);
  ASSERT_NE(at, std::string::npos) << good.substr(0, 2000);
  const std::size_t end = good.find(']', at);
  for (const auto& [value, needle] : std::vector<std::pair<std::string, std::string>>{
           {"[1.0, -2.0, 0.25]", "feature_weights = 1,-2,0.25; weight 2 = -2; expected finite"},
           {"[0.0, 0.0, 0.0]", "feature_weights = 0,0,0; expected at least one weight > 0"},
           {"[1.0, 0.25]", "feature_weights has 2 values, expected 3"}}) {
    std::string edited = good;
    edited.replace(at, end + 1 - at, "\"feature_weights\": " + value);
    expect_error("weights.json", edited, needle);
  }
  // A newer KernelClassifier (the first class version in the file) or newer params (the
  // second): a clear version message, not a misread.
  // (KernelClassifier is version 3 and its params version 7: the first of each in the file.)
  const std::string v3 = "\"cereal_class_version\": 3", v4 = "\"cereal_class_version\": 7";
  const std::size_t first = good.find(v3), second = good.find(v4);
  ASSERT_LT(first, second);
  std::string newer = good;
  newer.replace(first, v3.size(), "\"cereal_class_version\": 4");
  expect_error("newer_classifier.json", newer, "KernelClassifier version 4 is newer");
  newer = good;
  newer.replace(second, v4.size(), "\"cereal_class_version\": 8");
  expect_error("newer_params.json", newer, "KernelClassifierParams version 8 is newer");
}

// ---- golden files: written once by an earlier build, loaded by every test run ----
// Regenerate (only when the format changes on purpose) with
//   STRIDER_WRITE_GOLDEN=1 build/dev/tests/strider_tests --gtest_filter='Golden*'
// Only the current version's files (kCurrentGolden) are written; older versions' files
// stay as they were, so that they keep proving old files load.
struct Golden {
  const char* file;
};

class GoldenModel : public ::testing::TestWithParam<const char*> {};

// The golden files of the current format version; older ones are never rewritten.
constexpr const char* kCurrentGolden = "golden_classifier_v7";

// The model of the current golden files: small_model() with shape kernels, so that the
// files hold every kind of kernel.
KernelClassifier current_golden_model() {
  KernelClassifierParams p = golden_params();
  p.float32 = false;
  p.transform.p_shape = 0.3;
  KernelClassifier clf(p);
  clf.fit(golden_data().train);
  return clf;
}

TEST_P(GoldenModel, KeepsLoadingAndPredicting) {
  const fs::path data_dir = STRIDER_TESTS_DATA_DIR;
  const std::string name = GetParam();
  const std::string stem = name.substr(0, name.find('.'));  // golden_classifier_vN
  const bool v1 = stem == "golden_classifier_v1";
  const bool before_v3 = v1 || stem == "golden_classifier_v2";
  const bool before_v5 =
      before_v3 || stem == "golden_classifier_v3" || stem == "golden_classifier_v4";
  const bool before_v6 = before_v5 || stem == "golden_classifier_v5";
  const bool before_v7 = before_v6 || stem == "golden_classifier_v6";
  const fs::path model = data_dir / name;
  const fs::path expected = data_dir / (stem + "_expected.txt");
  const auto& x = golden_data().test;
  if (std::getenv("STRIDER_WRITE_GOLDEN") != nullptr && stem == kCurrentGolden) {
    const KernelClassifier clf = current_golden_model();
    save(clf, model);
    const RowMatrixD s = clf.decision_function(x);
    const auto pred = clf.predict(x);
    std::ofstream out(expected);
    char scale[64], log_loss[64];
    std::snprintf(scale, sizeof scale, "%.17g", clf.ridge().proba_scale());
    std::snprintf(log_loss, sizeof log_loss, "%.17g", clf.ridge().cv_log_loss());
    out << "# prediction then decision values (%.17g) per test series; see "
           "test_serialization.cpp; cv_log_loss "
        << log_loss << " proba_scale " << scale << "\n";
    char buf[64];
    for (index_t i = 0; i < s.rows(); ++i) {
      out << pred[static_cast<std::size_t>(i)];
      for (index_t c = 0; c < s.cols(); ++c) {
        std::snprintf(buf, sizeof buf, " %.17g", s(i, c));
        out << buf;
      }
      out << "\n";
    }
  }
  ASSERT_TRUE(fs::exists(model)) << model;
  const KernelClassifier clf = load<KernelClassifier>(model);
  // Version-1 files predate the per-dataset choice of normalisation: they load as they were
  // fitted, with the choice off (whatever the current defaults are). Version-2 files keep what
  // they were saved with. Options retired since (choose_differences, alpha scoring,
  // scale_normal_kernels...) were off in these files and are ignored on load.
  EXPECT_EQ(clf.params().choose_normalization, !v1);
  EXPECT_EQ(clf.ridge().cv_accuracy().size(), v1 ? 0 : clf.ridge().cv_mse().size());
  // Files before version 3 were fitted with equal feature weights and load with them; the
  // version-3 files hold {1, 0.25, 0.25}, the default when they were written.
  EXPECT_EQ(clf.params().feature_weights, before_v3 ? (std::array<double, 3>{1.0, 1.0, 1.0})
                                                    : (std::array<double, 3>{1.0, 0.25, 0.25}));
  // Files before version 5 were fitted with fixed class weights and report them; the
  // version-5 files were fitted with class_weight choose and report the weights it kept.
  if (before_v5) {
    EXPECT_NE(clf.params().ridge.class_weight, ClassWeight::choose);
    EXPECT_EQ(clf.ridge().class_weight(), clf.params().ridge.class_weight);
  } else {
    EXPECT_EQ(clf.params().ridge.class_weight, ClassWeight::choose);
    EXPECT_NE(clf.ridge().class_weight(), ClassWeight::choose);
  }
  // Files before version 7 predate the fraction of occurrences, float32 by default and
  // shape kernels: they load with three float64 features per kernel, as they were fitted.
  // The version-7 files hold four features per kernel (float64 asked for), some of the
  // kernels shape kernels, and the ridges' leave-one-out cross-entropy.
  if (!before_v7) {
    EXPECT_FALSE(clf.params().float32);
    EXPECT_EQ(clf.transform().params().features_per_kernel(), 4);
    EXPECT_EQ(clf.transform().params().p_shape, 0.3);
    const auto& k = clf.transform().kernels();
    EXPECT_TRUE(std::any_of(k.begin(), k.end(), [](const Kernel& c) { return c.shape; }));
    EXPECT_TRUE(std::any_of(k.begin(), k.end(), [](const Kernel& c) { return !c.shape; }));
    EXPECT_TRUE(std::isfinite(clf.ridge().cv_log_loss()));  // and its value, below
  } else {
    EXPECT_TRUE(std::isnan(clf.ridge().cv_log_loss()));
  }
  if (before_v7) {
    EXPECT_FALSE(clf.params().float32);
    EXPECT_EQ(clf.transform().params().features_per_kernel(), 3);
    // and before the choice of representation: off, every column kept
    EXPECT_FALSE(clf.params().choose_representation);
    EXPECT_FALSE(clf.params().choose_features);
    EXPECT_EQ(clf.ridge().kept_columns(),
              (std::pair<index_t, index_t>{0, clf.ridge().n_features()}));
  }
  const RowMatrixD s = clf.decision_function(x);
  const auto pred = clf.predict(x);
  // Files before version 6 have no calibration: predict_proba is the plain softmax of the
  // decision values (inverse temperature 1); version-6 files keep the fitted one.
  const RowMatrixD proba = clf.predict_proba(x);
  std::ifstream in(expected);
  std::string line;
  std::getline(in, line);  // comment (version 6 on: ends with the proba_scale written)
  if (before_v6) {
    EXPECT_EQ(clf.ridge().proba_scale(), 1.0);
  } else {
    const auto at = line.find("proba_scale ");
    ASSERT_NE(at, std::string::npos) << line;
    EXPECT_EQ(clf.ridge().proba_scale(), std::strtod(line.c_str() + at + 12, nullptr));
  }
  if (!before_v7) {  // version 7 on: the comment also holds the cross-entropy written
    const auto at = line.find("cv_log_loss ");
    ASSERT_NE(at, std::string::npos) << line;
    EXPECT_EQ(clf.ridge().cv_log_loss(), std::strtod(line.c_str() + at + 12, nullptr));
  }
  // The probabilities, written out: softmax of beta * scores (two classes: -d, +d).
  const double beta = clf.ridge().proba_scale();
  for (index_t i = 0; i < s.rows(); ++i) {
    std::vector<double> sc;
    if (s.cols() == 1) {
      sc = {-s(i, 0), s(i, 0)};
    } else {
      for (index_t c = 0; c < s.cols(); ++c)
        sc.push_back(s(i, c));
    }
    double z = 0.0;
    for (double v : sc)
      z += std::exp(beta * v);
    ASSERT_EQ(proba.cols(), static_cast<index_t>(sc.size()));
    for (std::size_t c = 0; c < sc.size(); ++c)
      EXPECT_NEAR(proba(i, static_cast<index_t>(c)), std::exp(beta * sc[c]) / z, 1e-12) << i;
  }
  for (index_t i = 0; i < s.rows(); ++i) {
    ASSERT_TRUE(std::getline(in, line));
    std::istringstream ls(line);
    std::string label;
    ls >> label;
    EXPECT_EQ(pred[static_cast<std::size_t>(i)], label) << "series " << i;
    for (index_t c = 0; c < s.cols(); ++c) {
      std::string v;
      ls >> v;
      const double want = std::strtod(v.c_str(), nullptr);
      // The same build reproduces the values exactly; other compilers or -march flags may
      // contract floating-point operations differently, hence a tight tolerance.
      EXPECT_NEAR(s(i, c), want, 1e-9 * std::max(1.0, std::abs(want))) << i << "," << c;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Golden, GoldenModel,
    ::testing::Values("golden_classifier_v1.strider", "golden_classifier_v1.json",
                      "golden_classifier_v2.strider", "golden_classifier_v2.json",
                      "golden_classifier_v3.strider", "golden_classifier_v3.json",
                      "golden_classifier_v4.strider", "golden_classifier_v4.json",
                      "golden_classifier_v5.strider", "golden_classifier_v5.json",
                      "golden_classifier_v6.strider", "golden_classifier_v6.json",
                      "golden_classifier_v7.strider", "golden_classifier_v7.json"),
    [](const auto& param_info) {
      const std::string p = param_info.param;
      return p.substr(p.find("_v") + 1, 2) +
             (p.find(".json") != std::string::npos ? "_json" : "_binary");
    });

// The regressor's golden files: written once, then loaded and checked by every run (the
// same regeneration command; only the current version's files are written).
class GoldenRegressor : public ::testing::TestWithParam<const char*> {};

constexpr const char* kCurrentRegressorGolden = "golden_regressor_v1";

TEST_P(GoldenRegressor, KeepsLoadingAndPredicting) {
  const fs::path data_dir = STRIDER_TESTS_DATA_DIR;
  const std::string name = GetParam();
  const std::string stem = name.substr(0, name.find('.'));
  const fs::path model = data_dir / name;
  const fs::path expected = data_dir / (stem + "_expected.txt");
  const Panel x = datasets::make_pulse_area(12, 64, 0.3, 21, 1);
  if (std::getenv("STRIDER_WRITE_GOLDEN") != nullptr && stem == kCurrentRegressorGolden) {
    KernelRegressorParams p;
    p.transform.n_kernels = 40;
    p.transform.random_state = 5;
    KernelRegressor reg(p);
    reg.fit(datasets::make_pulse_area(40, 64, 0.3, 21, 0));
    save(reg, model);
    const RowMatrixD pred = reg.predict(x);
    std::ofstream out(expected);
    out << "# prediction (%.17g) per series of make_pulse_area(12, 64, 0.3, 21, 1); see "
           "test_serialization.cpp\n";
    char buf[64];
    for (index_t i = 0; i < pred.rows(); ++i) {
      std::snprintf(buf, sizeof buf, "%.17g\n", pred(i, 0));
      out << buf;
    }
  }
  ASSERT_TRUE(fs::exists(model)) << model;
  const KernelRegressor reg = load<KernelRegressor>(model);
  EXPECT_EQ(reg.params().transform.n_kernels, 40);
  EXPECT_EQ(reg.n_targets(), 1);
  const RowMatrixD pred = reg.predict(x);
  std::ifstream in(expected);
  std::string line;
  std::getline(in, line);
  for (index_t i = 0; i < pred.rows(); ++i) {
    ASSERT_TRUE(std::getline(in, line));
    const double want = std::strtod(line.c_str(), nullptr);
    EXPECT_NEAR(pred(i, 0), want, 1e-9 * std::max(1.0, std::abs(want))) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenRegressor,
                         ::testing::Values("golden_regressor_v1.strider",
                                           "golden_regressor_v1.json"),
                         [](const auto& param_info) {
                           const std::string p = param_info.param;
                           return p.substr(p.find("_v") + 1, 2) +
                                  (p.find(".json") != std::string::npos ? "_json" : "_binary");
                         });

}  // namespace
}  // namespace strider
