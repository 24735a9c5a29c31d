// Tests of what strider does with input made to hurt it: model files with absurd size
// tags or geometry, JSON that trips the JSON parser, values at the edge of the double
// range, fits that would need more memory than there is, and runaway thread counts.
// Every case must end in a clear exception, without a large allocation.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <cereal/archives/portable_binary.hpp>

#include "io_test_support.hpp"
#include "strider/classifier.hpp"
#include "strider/datasets/cylinder_bell_funnel.hpp"
#include "strider/detail/cereal_eigen.hpp"
#include "strider/error.hpp"
#include "strider/limits.hpp"
#include "strider/memory.hpp"
#include "strider/parallel.hpp"
#include "strider/serialization.hpp"
#include "test_support.hpp"

namespace {

using strider::index_t;
using strider::KernelClassifier;
using strider::KernelClassifierParams;
using strider::Panel;
using strider::test::message_of;
using strider::test::outcome_within_memory;
namespace fs = std::filesystem;

fs::path hostile(const std::string& name) {
  return fs::path(STRIDER_TESTS_DATA_DIR) / "hostile" / name;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// 4 series of length 40, two classes.
Panel small_panel() {
  Panel::Tensor data = Panel::Tensor::from_shape({4, 1, 40});
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t t = 0; t < 40; ++t)
      data(i, 0, t) = std::sin(0.3 * static_cast<double>(t * (i + 1)));
  return Panel(std::move(data), {40, 40, 40, 40}, {"a", "b", "a", "b"});
}

// ---- model files --------------------------------------------------------------------

struct HostileModel {
  const char* file;
  const char* problem;  // part of the message
};

class HostileModelFile : public ::testing::TestWithParam<HostileModel> {};

// Each file loads in a child process allowed 256 MB more address space: a loader that
// trusted a size tag would fail there with bad_alloc (or die), not in the test runner.
TEST_P(HostileModelFile, IsRefusedByNameWithoutALargeAllocation) {
  const fs::path path = hostile(GetParam().file);
  ASSERT_TRUE(fs::exists(path)) << path;
  const std::string outcome = outcome_within_memory(
      [&] {
        KernelClassifier clf = strider::load<KernelClassifier>(path);
        (void)clf.predict(small_panel());
      },
      std::size_t{256} << 20);
  EXPECT_TRUE(contains(outcome, "FormatError: " + path.string() + ": ")) << outcome;
  EXPECT_TRUE(contains(outcome, GetParam().problem)) << outcome;
}

INSTANTIATE_TEST_SUITE_P(
    Reproducers, HostileModelFile,
    ::testing::Values(
        HostileModel{"feature_weights_size_tag.strider",
                     "feature_weights: 150323855363 elements, more than the limit"},
        HostileModel{"kernel_values_size_16GiB.strider",
                     "values: 2147483648 elements, more than the limit of 4194304"},
        HostileModel{"kernel_values_size_2GiB.strider",
                     "values: 268435456 elements, more than the limit of 4194304"},
        HostileModel{"kernel_values_size_huge.strider", "values: 281749586182144 elements"},
        HostileModel{"kernel_values_size_tag.strider", "values: 30064771072 elements"},
        HostileModel{"kernels_vector_size_tag.strider",
                     "kernels: 63349794939 elements, more than the limit of 50"},
        HostileModel{"params_lengths_size_tag.strider", "invalid model"},
        HostileModel{"rapidjson_diyfp_clz_zero.json", "not a JSON model"},
        HostileModel{"rapidjson_stack_null_offset.json", "not a JSON model"},
        HostileModel{"valid_model_padding_2e8_predict_2GB_13s.json",
                     "kernel span (length 9, dilation 16777216) exceeds 4194304"},
        HostileModel{"valid_model_padding_2e9_predict_bad_alloc.json",
                     "kernel span (length 9, dilation 268435455) exceeds 4194304"}),
    [](const ::testing::TestParamInfo<HostileModel>& p) {
      std::string name = fs::path(p.param.file).stem().string();
      for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return name;
    });

TEST(HostileModelJson, ZeroWithAnExponentIsReadAsZero) {
  std::string text = R"({"a": 0E42, "b": -0.00e-7, "c": "0E42", "d": [0e+1,1e5, -0], "e": 10E2})";
  const std::string before = text;
  strider::detail::normalize_zero_exponents(text);
  EXPECT_EQ(text, R"({"a": 0   , "b": -0.0    , "c": "0E42", "d": [0   ,1e5, -0], "e": 10E2})");
  EXPECT_EQ(text.size(), before.size());
  std::string escaped = R"({"s": "a\"0E1", "t": 0E1})";
  strider::detail::normalize_zero_exponents(escaped);
  EXPECT_EQ(escaped, R"({"s": "a\"0E1", "t": 0  })");
}

TEST(HostileModelJson, AModelWithZeroExponentsLoadsAndPredictsTheSame) {
  // A fitted model's JSON with its zeros respelled 0E42 is the same model.
  KernelClassifierParams p;
  p.transform.n_kernels = 20;
  KernelClassifier clf(p);
  clf.fit(small_panel());
  strider::test::TempDir dir;
  const fs::path a = dir.path() / "a.json", b = dir.path() / "b.json";
  strider::save(clf, a);
  std::string text = strider::test::read_file(a);
  std::size_t replaced = 0;
  for (std::size_t k = text.find(": 0,"); k != std::string::npos; k = text.find(": 0,", k + 1)) {
    text.replace(k, 4, ": 0E42,");
    ++replaced;
  }
  ASSERT_GT(replaced, 0u);
  strider::test::write_file(b, text);
  const KernelClassifier back = strider::load<KernelClassifier>(b);
  EXPECT_EQ(back.decision_function(small_panel()), clf.decision_function(small_panel()));
}

TEST(HostileModelPayload, AnEmptyMatrixWithAHugeDimensionLoadsAtOnce) {
  // 0 x 2^36: no element, but a copy column by column would walk 2^36 columns.
  std::ostringstream out(std::ios::binary);
  {
    cereal::PortableBinaryOutputArchive ar(out);
    const std::int64_t rows = 0, cols = std::int64_t{1} << 36;
    ar(rows, cols, cereal::make_size_tag(static_cast<cereal::size_type>(0)));
  }
  std::istringstream in(out.str(), std::ios::binary);
  cereal::PortableBinaryInputArchive ar(in);
  Eigen::MatrixXd m;
  ar(m);
  EXPECT_EQ(m.rows(), 0);
  EXPECT_EQ(m.cols(), std::int64_t{1} << 36);
}

// ---- values -------------------------------------------------------------------------

TEST(HostileValues, HugeFiniteValuesAreRefusedNamingTheInputChannel) {
  Panel x = small_panel();
  Panel::Tensor data = x.data();
  data(2, 0, 7) = 1e308;
  data(2, 0, 8) = -1e308;  // their difference overflows: the message must not blame it
  KernelClassifierParams p;
  p.transform.n_kernels = 20;
  p.transform.add_differences = true;
  KernelClassifier clf(p);
  Panel bad(std::move(data), x.lengths(), x.labels());
  EXPECT_EQ(message_of([&] { clf.fit(bad); }),
            "DilatedKernelTransform::fit(): x has the value 1e+308 at series 2, channel 0, "
            "position 7, beyond the largest magnitude accepted (1e+50); rescale the data");
  bad.set_source("train.tsv", {1, 2, 3, 4});
  EXPECT_EQ(message_of([&] { clf.fit(bad); }),
            "DilatedKernelTransform::fit(): x has the value 1e+308 at train.tsv line 3, "
            "channel 1, value 8, beyond the largest magnitude accepted (1e+50); rescale the "
            "data");
}

TEST(HostileValues, ValuesAtTheBoundFitAndPredictFinitely) {
  Panel x = small_panel();
  Panel::Tensor data = x.data();
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t t = 0; t < 40; ++t)
      data(i, 0, t) *= strider::kMaxAbsValue;
  const Panel big(std::move(data), x.lengths(), x.labels());
  for (bool normalize : {true, false}) {
    KernelClassifierParams p;
    p.transform.n_kernels = 20;
    p.transform.normalize_input = normalize;
    p.choose_normalization = false;
    p.float32 = false;
    KernelClassifier clf(p);
    clf.fit(big);
    EXPECT_TRUE(clf.decision_function(big).allFinite()) << normalize;
    EXPECT_TRUE(clf.decision_function(small_panel()).allFinite()) << normalize;
  }
  // In float32 (the default), the raw values do not fit in a float: choose_normalization
  // keeps the z-normalised input, whichever variant comes first, and raw input alone is
  // refused with the value, where it is and what to change.
  for (bool normalize : {true, false}) {
    KernelClassifierParams p;
    p.transform.n_kernels = 20;
    p.transform.normalize_input = normalize;
    KernelClassifier clf(p);
    clf.fit(big);
    EXPECT_TRUE(clf.transform().params().normalize_input) << normalize;
    EXPECT_TRUE(clf.decision_function(big).allFinite()) << normalize;
  }
  KernelClassifierParams p;
  p.transform.n_kernels = 20;
  p.transform.normalize_input = false;
  p.choose_normalization = false;
  KernelClassifier raw(p);
  const std::string m = message_of([&] { raw.fit(big); });
  EXPECT_TRUE(contains(m, "at series 0, channel 0, position 1, outside the float range")) << m;
  EXPECT_TRUE(contains(m, "float32 = false")) << m;
  EXPECT_FALSE(raw.is_fitted());
}

TEST(HostileValues, NonFiniteValuesNameTheFileLine) {
  Panel x = small_panel();
  Panel::Tensor data = x.data();
  data(1, 0, 0) = std::numeric_limits<double>::quiet_NaN();
  Panel bad(std::move(data), x.lengths(), x.labels());
  bad.set_source("train.tsv", {1, 2, 3, 4});
  EXPECT_TRUE(contains(message_of([&] { KernelClassifier().fit(bad); }),
                       "non-finite value (nan) at train.tsv line 2, channel 1, value 1"));
}

// ---- cheap checks before long work --------------------------------------------------

TEST(HostileFit, ASingleClassIsRefusedBeforeAnyWork) {
  Panel x = small_panel();
  x.set_labels({"a", "a", "a", "a"});
  KernelClassifierParams p;
  p.transform.n_kernels = strider::kMaxKernels;  // would need gigabytes and minutes
  EXPECT_EQ(message_of([&] { KernelClassifier(p).fit(x); }),
            "KernelClassifier::fit(): y has only one class \"a\"; a classifier needs at least "
            "2 classes");
}

TEST(HostileFit, TooManyKernelsAreRefusedByTheParams) {
  KernelClassifierParams p;
  p.transform.n_kernels = strider::kMaxKernels + 1;
  EXPECT_TRUE(contains(message_of([&] { KernelClassifier{p}; }),
                       "n_kernels = 16777217; expected 1 .. 16777216 kernels"));
}

// ---- memory -------------------------------------------------------------------------

TEST(HostileMemory, AFitAboveTheLimitIsRefusedBeforeAllocating) {
  KernelClassifierParams p;
  p.transform.n_kernels = 1000000;  // 4 series x 4M float features: 64 MB alone
  KernelClassifier clf(p);
  clf.set_memory_limit(std::uint64_t{64} << 20);
  const std::uint64_t need = clf.fit_memory(small_panel());
  EXPECT_GT(need, std::uint64_t{64} << 20);
  try {
    clf.fit(small_panel());
    FAIL() << "no MemoryLimitError";
  } catch (const strider::MemoryLimitError& e) {
    EXPECT_EQ(e.estimate(), need);
    EXPECT_LE(e.limit(), std::uint64_t{64} << 20);
    const std::string m = e.what();
    EXPECT_TRUE(contains(m, "KernelClassifier::fit(): needs about ")) << m;
    EXPECT_TRUE(contains(m, "4 series x 4000000 features")) << m;
    EXPECT_TRUE(contains(m,
                         "(set by the caller); use fewer kernels (n_kernels), fewer series, "
                         "or add_occurrences = false"))
        << m;
  }
  EXPECT_FALSE(clf.is_fitted());
  // in float64, float32 is suggested too; without occurrences, only what applies
  p.float32 = false;
  KernelClassifier f64(p);
  f64.set_memory_limit(std::uint64_t{64} << 20);
  const std::string m = message_of([&] { f64.fit(small_panel()); });
  EXPECT_TRUE(contains(
      m, "use fewer kernels (n_kernels), fewer series, add_occurrences = false, or float32"))
      << m;
  EXPECT_FALSE(f64.is_fitted());
  p.transform.add_occurrences = false;
  KernelClassifier three(p);
  three.set_memory_limit(std::uint64_t{64} << 20);
  const std::string m3 = message_of([&] { three.fit(small_panel()); });
  EXPECT_TRUE(contains(m3, "use fewer kernels (n_kernels), fewer series, or float32")) << m3;
}

TEST(HostileMemory, APredictAboveTheLimitIsRefused) {
  KernelClassifierParams p;
  p.transform.n_kernels = 2000;
  KernelClassifier clf(p);
  clf.fit(small_panel());
  // 20,000 series x 8,000 float features: about 640 MB of features.
  const Panel many = Panel::from_buffer(std::vector<double>(20000 * 40, 0.5).data(), 20000, 1, 40);
  EXPECT_GT(clf.predict_memory(many), std::uint64_t{600} << 20);
  clf.set_memory_limit(std::uint64_t{256} << 20);
  const std::string m = message_of([&] { (void)clf.predict(many); });
  EXPECT_TRUE(contains(m, "KernelClassifier::predict(): needs about 653 MB")) << m;
  EXPECT_TRUE(contains(m, "20000 series x 8000 features")) << m;
  EXPECT_TRUE(contains(m, "predict fewer series at a time")) << m;
  EXPECT_EQ(clf.predict(small_panel()).size(), 4u);  // small work is not checked
}

TEST(HostileMemory, TheDetectedLimitIsBelowThePhysicalMemory) {
  const strider::MemoryLimit limit = strider::memory_limit();
  EXPECT_GT(limit.bytes, 0u);
  EXPECT_FALSE(limit.source.empty());
  EXPECT_EQ(strider::memory_limit(std::uint64_t{1} << 40).source, "set by the caller");
  EXPECT_EQ(strider::format_bytes(2100000000), "2.10 GB");
  EXPECT_EQ(strider::format_bytes(512), "512 B");
  EXPECT_EQ(strider::format_bytes(15200000), "15.2 MB");
}

// ---- threads ------------------------------------------------------------------------

TEST(HostileThreads, ARunawayThreadCountIsCapped) {
  if (!strider::openmp_enabled()) GTEST_SKIP() << "built without OpenMP";
  EXPECT_EQ(strider::resolve_n_jobs(100000), strider::max_threads());
  EXPECT_GE(strider::max_threads(), strider::kMinThreadCap);
  EXPECT_EQ(strider::resolve_n_jobs(2), 2);
}

}  // namespace
