#include "strider/transform/dilated_kernel_transform.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cereal/archives/json.hpp>
#include <cereal/archives/portable_binary.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "../src/transform/simd.hpp"
#include "strider/datasets/cylinder_bell_funnel.hpp"
#include "strider/error.hpp"
#include "strider/parallel.hpp"
#include "test_support.hpp"
#include "transform_test_support.hpp"

namespace strider {
namespace {

using test::expect_matches_naive;
using test::random_panel;
using ::testing::HasSubstr;

using Params = DilatedKernelTransformParams;

/// Every SIMD level this machine can run, so each code path meets the reference.
std::vector<detail::SimdLevel> simd_levels() {
  std::vector<detail::SimdLevel> levels;
  for (int l = 0; l <= static_cast<int>(detail::best_simd_level()); ++l)
    levels.push_back(static_cast<detail::SimdLevel>(l));
  return levels;
}

/// Restores the default SIMD cap at scope exit.
struct SimdCap {
  explicit SimdCap(detail::SimdLevel level) { detail::set_simd_level_cap(level); }
  ~SimdCap() { detail::set_simd_level_cap(detail::SimdLevel::avx512); }
};

using test::message_of;

Kernel make_kernel(index_t l, index_t d, index_t p, index_t c, std::uint64_t seed) {
  Kernel k;
  k.length = l;
  k.dilation = d;
  k.padding = p;
  k.channel = c;
  Rng rng(seed, 7);
  for (index_t j = 0; j < l; ++j)
    k.values.push_back(rng.normal());
  return k;
}

// ---- parameters --------------------------------------------------------------------

TEST(DilatedKernelTransformParams, BadValuesAreRejectedWithTheValueInTheMessage) {
  auto msg = [](Params p) { return message_of([&] { DilatedKernelTransform t(p); }); };
  Params p;
  p.n_kernels = 0;
  EXPECT_THAT(msg(p), HasSubstr("n_kernels = 0"));
  p.n_kernels = -5;
  EXPECT_THAT(msg(p), HasSubstr("n_kernels = -5"));
  p = {};
  p.lengths = {};
  EXPECT_THAT(msg(p), HasSubstr("lengths = (empty); expected at least one kernel length"));
  p.lengths = {7, 1, 9};
  EXPECT_THAT(msg(p), HasSubstr("lengths[1] = 1"));
  p.lengths = {0};
  EXPECT_THAT(msg(p), HasSubstr("lengths[0] = 0"));
  p = {};
  p.p_padding = -0.25;
  EXPECT_THAT(msg(p), HasSubstr("p_padding = -0.25"));
  p.p_padding = 1.5;
  EXPECT_THAT(msg(p), HasSubstr("p_padding = 1.5"));
  p.p_padding = std::nan("");
  EXPECT_THAT(msg(p), HasSubstr("p_padding = nan"));
  p = {};
  p.n_jobs = 0;
  EXPECT_THAT(msg(p), HasSubstr("n_jobs = 0"));
  p = {};
  p.source = static_cast<KernelSource>(7);
  EXPECT_THAT(msg(p), HasSubstr("source = 7"));
  p = {};
  p.nan_policy = static_cast<NanPolicy>(-1);
  EXPECT_THAT(msg(p), HasSubstr("nan_policy = -1"));
  for (const Params& bad : {Params{.n_kernels = 0}, Params{.p_padding = 2.0}}) {
    EXPECT_THROW(DilatedKernelTransform{bad}, std::invalid_argument);
  }
  // Valid corner values are accepted.
  EXPECT_NO_THROW(DilatedKernelTransform(Params{.n_kernels = 1, .lengths = {2}, .p_padding = 0.0}));
  EXPECT_NO_THROW(DilatedKernelTransform(Params{.p_padding = 1.0, .n_jobs = -1}));
  DilatedKernelTransform t;
  EXPECT_THROW(t.set_n_jobs(0), std::invalid_argument);
  t.set_n_jobs(3);
  EXPECT_EQ(t.params().n_jobs, 3);
}

TEST(DilatedKernelTransform, UseBeforeFitThrowsNotFitted) {
  DilatedKernelTransform t(Params{.n_kernels = 5});
  const Panel x = random_panel(3, 1, 20, 1);
  EXPECT_FALSE(t.is_fitted());
  EXPECT_THROW((void)t.transform(x), NotFittedError);
  EXPECT_THROW((void)t.transform<float>(x), NotFittedError);
  EXPECT_THROW((void)t.kernels(), NotFittedError);
  EXPECT_THROW((void)t.n_features(), NotFittedError);
  EXPECT_THROW((void)t.n_channels(), NotFittedError);
  EXPECT_THROW((void)t.min_length(), NotFittedError);
  EXPECT_THAT(message_of([&] { (void)t.transform(x); }),
              HasSubstr("DilatedKernelTransform::transform()"));
}

TEST(DilatedKernelTransform, FitRejectsBadPanels) {
  DilatedKernelTransform t(Params{.n_kernels = 5});
  EXPECT_THAT(message_of([&] { t.fit(Panel()); }), HasSubstr("no series"));
  // Series 2 has 5 points: shorter than the shortest kernel (7).
  const Panel x = random_panel(4, 1, 30, 2, {30, 30, 5, 30});
  const std::string m = message_of([&] { t.fit(x); });
  EXPECT_THAT(m, HasSubstr("series 2 has 5 time points"));
  EXPECT_THAT(m, HasSubstr("shortest kernel length 7"));
  EXPECT_FALSE(t.is_fitted());
}

// ---- fit: the kernel draws ----------------------------------------------------------

TEST(DilatedKernelTransform, KernelsFollowTheContract) {
  const index_t n = 6, c = 3, len = 40;
  const Panel x = random_panel(n, c, len, 3, {40, 33, 40, 37, 40, 35});
  DilatedKernelTransform t(Params{.n_kernels = 600, .random_state = 11});
  t.fit(x);
  ASSERT_TRUE(t.is_fitted());
  EXPECT_EQ(t.n_channels(), c);
  EXPECT_EQ(t.min_length(), 33);
  EXPECT_EQ(t.n_features(), 1800);
  std::set<index_t> lengths, channels, dilations;
  int padded = 0;
  for (const Kernel& k : t.kernels()) {
    ASSERT_TRUE(k.check().empty()) << k.check();
    EXPECT_TRUE(k.length == 7 || k.length == 9 || k.length == 11) << k.length;
    EXPECT_LE(k.span(), 33);  // every kernel fits the shortest training series
    EXPECT_TRUE(k.padding == 0 || k.padding == ((k.length - 1) * k.dilation) / 2);
    padded += k.padding > 0 ? 1 : 0;
    lengths.insert(k.length);
    channels.insert(k.channel);
    dilations.insert(k.dilation);
    // source = sample: the values are the dilated subsequence they came from.
    ASSERT_GE(k.source_series, 0);
    ASSERT_LT(k.source_series, n);
    ASSERT_GE(k.source_start, 0);
    ASSERT_LE(k.source_start + k.span(), x.length(k.source_series));
    for (index_t j = 0; j < k.length; ++j)
      EXPECT_EQ(k.values[static_cast<std::size_t>(j)],
                x(k.source_series, k.channel, k.source_start + j * k.dilation));
  }
  EXPECT_EQ(lengths, (std::set<index_t>{7, 9, 11}));
  EXPECT_EQ(channels, (std::set<index_t>{0, 1, 2}));
  // Stored in processing order: by channel, length, dilation, padding.
  EXPECT_TRUE(
      std::is_sorted(t.kernels().begin(), t.kernels().end(), [](const Kernel& a, const Kernel& b) {
        return std::tie(a.channel, a.length, a.dilation, a.padding) <
               std::tie(b.channel, b.length, b.dilation, b.padding);
      }));
  // Largest drawable dilations: l = 7 allows d < 32 / 6, i.e. up to 5.
  EXPECT_EQ(*dilations.begin(), 1);
  EXPECT_EQ(*dilations.rbegin(), 5);
  EXPECT_GT(padded, 200);  // p_padding = 0.5 of 600
  EXPECT_LT(padded, 400);
}

TEST(DilatedKernelTransform, PaddingProbabilityZeroAndOne) {
  const Panel x = random_panel(3, 1, 50, 4);
  for (double prob : {0.0, 1.0}) {
    DilatedKernelTransform t(Params{.n_kernels = 100, .p_padding = prob});
    t.fit(x);
    for (const Kernel& k : t.kernels())
      EXPECT_EQ(k.padding, prob == 0.0 ? 0 : ((k.length - 1) * k.dilation) / 2);
  }
}

TEST(DilatedKernelTransform, NormalSourceAndLengthsLongerThanTheSeriesAreSkipped) {
  const Panel x = random_panel(3, 2, 20, 5);
  DilatedKernelTransform t(
      Params{.n_kernels = 200, .lengths = {7, 50}, .source = KernelSource::normal});
  t.fit(x);
  double sum = 0, sum2 = 0;
  std::size_t count = 0;
  for (const Kernel& k : t.kernels()) {
    EXPECT_EQ(k.length, 7);  // 50 > T_min = 20 is never drawn
    EXPECT_EQ(k.source_series, -1);
    EXPECT_EQ(k.source_start, -1);
    for (double v : k.values) {
      sum += v;
      sum2 += v * v;
      ++count;
    }
  }
  const double mean = sum / static_cast<double>(count);
  EXPECT_NEAR(mean, 0.0, 0.1);  // 1400 N(0, 1) draws: sd of the mean 0.027
  EXPECT_NEAR(sum2 / static_cast<double>(count) - mean * mean, 1.0, 0.15);
}

TEST(DilatedKernelTransform, MixedSourceDrawsEachKernelFromOneOfTheTwo) {
  const Panel x = random_panel(5, 2, 40, 9);
  DilatedKernelTransform t(Params{.n_kernels = 400, .source = KernelSource::mixed});
  t.fit(x);
  int sampled = 0;
  for (const Kernel& k : t.kernels()) {
    ASSERT_TRUE(k.check().empty()) << k.check();
    if (k.source_series < 0) {
      EXPECT_EQ(k.source_start, -1);
      continue;
    }
    ++sampled;
    for (index_t j = 0; j < k.length; ++j)
      EXPECT_EQ(k.values[static_cast<std::size_t>(j)],
                x(k.source_series, k.channel, k.source_start + j * k.dilation));
  }
  EXPECT_GT(sampled, 150);  // Binomial(400, 1/2): sd 10
  EXPECT_LT(sampled, 250);
  // deterministic and independent of the thread count, like the other sources
  DilatedKernelTransform t2(Params{.n_kernels = 400, .source = KernelSource::mixed, .n_jobs = 2});
  t2.fit(x);
  EXPECT_EQ(t.kernels(), t2.kernels());
  EXPECT_EQ((expect_matches_naive<double>(x, t.kernels(), t.transform(x), 1e-12, "mixed")), 0);
}

/// x with C more channels holding x[t + 1] - x[t] (0 at the last position), by hand.
Panel differences_by_hand(const Panel& x) {
  const index_t n = x.n_series(), c = x.n_channels(), t = x.max_length();
  Panel::Tensor data = Panel::Tensor::from_shape(
      {static_cast<std::size_t>(n), static_cast<std::size_t>(2 * c), static_cast<std::size_t>(t)});
  std::fill(data.begin(), data.end(), 0.0);
  std::vector<index_t> lengths;
  for (index_t i = 0; i < n; ++i) {
    lengths.push_back(x.length(i));
    for (index_t ch = 0; ch < c; ++ch)
      for (index_t u = 0; u < x.length(i); ++u) {
        const auto si = static_cast<std::size_t>(i), su = static_cast<std::size_t>(u);
        data(si, static_cast<std::size_t>(ch), su) = x(i, ch, u);
        if (u + 1 < x.length(i))
          data(si, static_cast<std::size_t>(c + ch), su) = x(i, ch, u + 1) - x(i, ch, u);
      }
  }
  return Panel(std::move(data), std::move(lengths));
}

TEST(DilatedKernelTransform, AddDifferencesIsATransformOfTheDifferencedChannels) {
  const Panel x = random_panel(7, 2, 45, 10, {45, 30, 45, 38, 45, 45, 41});
  for (const bool normalize : {false, true}) {
    DilatedKernelTransform t(Params{.n_kernels = 300,
                                    .random_state = 3,
                                    .normalize_input = normalize,
                                    .add_differences = true});
    const RowMatrixD f = t.fit_transform(x);
    EXPECT_EQ(t.n_channels(), 2);
    std::set<index_t> channels;
    for (const Kernel& k : t.kernels())
      channels.insert(k.channel);
    EXPECT_EQ(channels, (std::set<index_t>{0, 1, 2, 3}));  // differences drawn too
    // the same kernels on the hand-made 4-channel panel, without the option
    const Panel by_hand = differences_by_hand(x);
    DilatedKernelTransform manual(Params{.normalize_input = normalize});
    manual.set_kernels(t.kernels(), 4);
    EXPECT_EQ(manual.transform(by_hand), f);
    // sampled kernels of a difference channel are differences of the training series
    for (const Kernel& k : t.kernels()) {
      if (k.channel < 2 || normalize) continue;
      for (index_t j = 0; j < k.length; ++j) {
        const index_t u = k.source_start + j * k.dilation;
        const double expected =
            u + 1 < x.length(k.source_series)
                ? x(k.source_series, k.channel - 2, u + 1) - x(k.source_series, k.channel - 2, u)
                : 0.0;
        EXPECT_EQ(k.values[static_cast<std::size_t>(j)], expected);
      }
    }
    // the input keeps its own channel count
    EXPECT_THAT(message_of([&] { (void)t.transform(by_hand); }),
                HasSubstr("x has 4 channels, fit() saw 2"));
    // same model whatever the threads
    DilatedKernelTransform t2(Params{.n_kernels = 300,
                                     .random_state = 3,
                                     .n_jobs = 2,
                                     .normalize_input = normalize,
                                     .add_differences = true});
    EXPECT_EQ(t2.fit_transform(x), f);
  }
}

TEST(DilatedKernelTransform, AddDifferencesAfterInterpolatingMissingValues) {
  Panel::Tensor data = random_panel(3, 1, 20, 12).data();
  data(1, 0, 5) = std::numeric_limits<double>::quiet_NaN();
  data(1, 0, 6) = std::numeric_limits<double>::quiet_NaN();
  const Panel x(data);
  Panel::Tensor filled = data;
  const double a = data(1, 0, 4), b = data(1, 0, 7);
  filled(1, 0, 5) = a + (b - a) / 3.0;
  filled(1, 0, 6) = a + 2.0 * (b - a) / 3.0;
  const Panel y(filled);
  const Params p{.n_kernels = 80,
                 .lengths = {3, 5},
                 .nan_policy = NanPolicy::interpolate,
                 .add_differences = true};
  DilatedKernelTransform tx(p), ty(p);
  tx.fit(x);
  ty.fit(y);
  EXPECT_EQ(tx.kernels(), ty.kernels());
  const RowMatrixD fx = tx.transform(x), fy = ty.transform(y);
  EXPECT_LT((fx - fy).cwiseAbs().maxCoeff(), 1e-12);
  // raise names the input's channel
  DilatedKernelTransform strict(Params{.n_kernels = 10, .lengths = {3}, .add_differences = true});
  EXPECT_THAT(message_of([&] { strict.fit(x); }), HasSubstr("series 1, channel 0, position 5"));
}

TEST(DilatedKernelTransform, LengthQuantileLetsKernelsFitLongerSeries) {
  // lengths 12, 20, 30, 40, 50, 60, 70: the median (q = 0.5, rank 3) is 40
  const Panel x = random_panel(7, 1, 70, 13, {70, 12, 50, 30, 60, 20, 40});
  DilatedKernelTransform shortest(Params{.n_kernels = 400, .random_state = 4});
  shortest.fit(x);
  EXPECT_EQ(shortest.min_length(), 12);
  DilatedKernelTransform median(
      Params{.n_kernels = 400, .random_state = 4, .length_quantile = 0.5});
  median.fit(x);
  EXPECT_EQ(median.min_length(), 40);
  index_t longest_span = 0;
  for (const Kernel& k : median.kernels()) {
    ASSERT_TRUE(k.check().empty()) << k.check();
    EXPECT_LE(k.span(), 40);
    longest_span = std::max(longest_span, k.span());
    // the source series is one the kernel fits, and the values are its subsequence
    ASSERT_GE(k.source_series, 0);
    ASSERT_LE(k.source_start + k.span(), x.length(k.source_series));
    for (index_t j = 0; j < k.length; ++j)
      EXPECT_EQ(k.values[static_cast<std::size_t>(j)],
                x(k.source_series, 0, k.source_start + j * k.dilation));
  }
  EXPECT_GT(longest_span, 12);  // dilations beyond what the shortest series allows
  // series shorter than a span are zero-extended: the plain-loop reference agrees
  EXPECT_EQ((expect_matches_naive<double>(x, median.kernels(), median.transform(x), 1e-12,
                                          "length_quantile 0.5")),
            0);
  DilatedKernelTransform longest(Params{.n_kernels = 50, .length_quantile = 1.0});
  longest.fit(x);
  EXPECT_EQ(longest.min_length(), 70);
  // equal lengths: any quantile gives the same kernels
  const Panel y = random_panel(4, 1, 30, 14);
  DilatedKernelTransform a(Params{.n_kernels = 100}),
      b(Params{.n_kernels = 100, .length_quantile = 0.7});
  a.fit(y);
  b.fit(y);
  EXPECT_EQ(a.kernels(), b.kernels());
  // out of range is rejected
  EXPECT_THROW(DilatedKernelTransform(Params{.length_quantile = 1.5}), std::invalid_argument);
  EXPECT_THROW(
      DilatedKernelTransform(Params{.length_quantile = std::numeric_limits<double>::quiet_NaN()}),
      std::invalid_argument);
}

TEST(DilatedKernelTransform, SameSeedSameModelAndRefitIsFromScratch) {
  const Panel a = random_panel(5, 2, 30, 6), b = random_panel(4, 2, 45, 7);
  const Params p{.n_kernels = 50, .random_state = 123};
  DilatedKernelTransform t1(p), t2(p), t3(Params{.n_kernels = 50, .random_state = 124});
  t1.fit(a);
  t2.fit(a);
  t3.fit(a);
  EXPECT_EQ(t1.kernels(), t2.kernels());
  EXPECT_NE(t1.kernels(), t3.kernels());
  t1.fit(b);  // refit on other data: same as a fresh fit on b
  DilatedKernelTransform fresh(p);
  fresh.fit(b);
  EXPECT_EQ(t1.kernels(), fresh.kernels());
  EXPECT_EQ(t1.min_length(), 45);
}

TEST(DilatedKernelTransform, HandlesOneHundredThousandKernels) {
  const Panel x = random_panel(2, 2, 16, 21);
  DilatedKernelTransform t(Params{.n_kernels = 100000, .lengths = {3, 5}, .n_jobs = 2});
  const RowMatrixF f = t.fit_transform<float>(x);
  EXPECT_EQ(f.cols(), 300000);
  EXPECT_EQ(t.kernels().size(), 100000u);
  // Spot-check a few kernels spread over the range against the plain loops.
  std::vector<Kernel> some;
  RowMatrixF cols(2, 15);
  for (int i = 0; i < 5; ++i) {
    const std::size_t k = 19997u * static_cast<std::size_t>(i) + 3;
    some.push_back(t.kernels()[k]);
    cols.middleCols(3 * i, 3) = f.middleCols(static_cast<index_t>(3 * k), 3);
  }
  expect_matches_naive<float>(x, some, cols, 1e-5, "K = 100000");
}

// ---- transform: shapes, reference, edge cases ---------------------------------------

TEST(DilatedKernelTransform, ShapesDoubleAndFloat) {
  const Panel train = random_panel(10, 1, 50, 8), test = random_panel(7, 1, 60, 9);
  DilatedKernelTransform t(Params{.n_kernels = 20});
  const RowMatrixD f = t.fit_transform(train);
  EXPECT_EQ(f.rows(), 10);
  EXPECT_EQ(f.cols(), 60);
  const RowMatrixF g = t.transform<float>(test);
  EXPECT_EQ(g.rows(), 7);
  EXPECT_EQ(g.cols(), 60);
  const RowMatrixD empty = t.transform(Panel(Panel::Tensor::from_shape({0, 1, 10})));
  EXPECT_EQ(empty.rows(), 0);
  EXPECT_EQ(empty.cols(), 60);
  // sample source: each kernel's own source window gives distance 0.
  for (std::size_t k = 0; k < t.kernels().size(); ++k) {
    const Kernel& kernel = t.kernels()[k];
    EXPECT_EQ(f(kernel.source_series, static_cast<index_t>(3 * k)), 0.0);
  }
}

TEST(DilatedKernelTransform, MatchesNaiveReferenceOnRandomCasesAtEverySimdLevel) {
  Rng rng(2024, 0);
  for (int trial = 0; trial < 12; ++trial) {
    const auto n = static_cast<index_t>(1 + rng.uniform_int(4));
    const auto c = static_cast<index_t>(1 + rng.uniform_int(3));
    const auto len = static_cast<index_t>(9 + rng.uniform_int(140));
    std::vector<index_t> lengths;
    if (trial % 3 == 2) {
      for (index_t i = 0; i < n; ++i)
        lengths.push_back(
            static_cast<index_t>(9 + rng.uniform_int(static_cast<std::uint64_t>(len - 8))));
      lengths[0] = len;
    }
    const Panel train = random_panel(n, c, len, 100 + static_cast<std::uint64_t>(trial), lengths);
    // Test series of other lengths, some shorter than many kernel spans.
    const index_t test_len =
        static_cast<index_t>(2 + rng.uniform_int(static_cast<std::uint64_t>(len + 40)));
    const Panel test = random_panel(3, c, test_len, 200 + static_cast<std::uint64_t>(trial),
                                    {test_len, std::max<index_t>(1, test_len / 2), 1});
    const Params p{.n_kernels = 40,
                   .lengths = {2, 3, 7, 9, 11, 16},
                   .p_padding = 0.5,
                   .source = trial % 2 ? KernelSource::normal : KernelSource::sample,
                   .random_state = static_cast<std::uint64_t>(trial)};
    DilatedKernelTransform t(p);
    t.fit(train);
    for (detail::SimdLevel level : simd_levels()) {
      SimdCap cap(level);
      const std::string what =
          std::string("trial ") + std::to_string(trial) + " " + detail::simd_level_name(level);
      expect_matches_naive<double>(train, t.kernels(), t.transform(train), 1e-12, what);
      expect_matches_naive<double>(test, t.kernels(), t.transform(test), 1e-12, what + " test");
      expect_matches_naive<float>(train, t.kernels(), t.transform<float>(train), 1e-5,
                                  what + " float");
      expect_matches_naive<float>(test, t.kernels(), t.transform<float>(test), 1e-5,
                                  what + " float test");
    }
  }
}

TEST(DilatedKernelTransform, ExactTiesFollowTheDefinitionExactly) {
  // Small integers: every distance is computed exactly on every code path, so ties are
  // real and the features must equal the plain loops exactly (first argmin, strict >).
  Panel::Tensor data = Panel::Tensor::from_shape({5, 2, 60});
  Rng rng(77, 0);
  for (double& v : data)
    v = static_cast<double>(rng.uniform_int(3));
  const Panel x(std::move(data));
  DilatedKernelTransform t(Params{.n_kernels = 120, .lengths = {2, 3, 7, 9}});
  t.fit(x);
  for (detail::SimdLevel level : simd_levels()) {
    SimdCap cap(level);
    const std::string what = std::string("integers ") + detail::simd_level_name(level);
    expect_matches_naive<double>(x, t.kernels(), t.transform(x), 0.0, what);
    expect_matches_naive<float>(x, t.kernels(), t.transform<float>(x), 0.0, what + " float");
  }
}

TEST(DilatedKernelTransform, EdgeCasesMatchNaiveReference) {
  // T = l with d = 1: every kernel has d = 1; L = 1 unpadded, L = l padded.
  {
    const Panel x = random_panel(3, 1, 7, 10);
    DilatedKernelTransform t(Params{.n_kernels = 30, .lengths = {7}});
    t.fit(x);
    std::set<index_t> paddings;
    for (const Kernel& k : t.kernels()) {
      EXPECT_EQ(k.dilation, 1);
      paddings.insert(k.padding);
    }
    EXPECT_EQ(paddings, (std::set<index_t>{0, 3}));
    expect_matches_naive<double>(x, t.kernels(), t.transform(x), 1e-12, "T = l");
  }
  // Hand-made kernels: the largest dilation (span = T), padding 0 and maximal, L = 1,
  // length 2, a kernel longer than the whole series.
  {
    const index_t len = 25;
    const Panel x = random_panel(4, 2, len, 11, {25, 24, 13, 3});
    std::vector<Kernel> kernels = {
        make_kernel(7, 4, 0, 0, 1),   // span 25 = T: L = 1
        make_kernel(7, 4, 12, 1, 2),  // same, padded: L = 25
        make_kernel(7, 4, 24, 0, 3),  // padding (l - 1) d: the largest accepted
        make_kernel(2, 1, 0, 1, 4),   // shortest kernel, L = T - 1
        make_kernel(2, 24, 0, 0, 5),  // two taps at the ends
        make_kernel(9, 3, 12, 1, 6),  // span 25, padded
        make_kernel(5, 1, 2, 0, 7),
        make_kernel(11, 1, 0, 1, 8)};  // span 11 > 3: extended with zeros
    DilatedKernelTransform t;
    t.set_kernels(kernels, 2);
    EXPECT_EQ(t.min_length(), 25);
    EXPECT_EQ(t.params().n_kernels, 8);
    for (detail::SimdLevel level : simd_levels()) {
      SimdCap cap(level);
      expect_matches_naive<double>(x, kernels, t.transform(x), 1e-12,
                                   std::string("hand-made ") + detail::simd_level_name(level));
    }
  }
  // K = 1, multivariate, kernel on the last channel.
  {
    const Panel x = random_panel(3, 4, 30, 12);
    DilatedKernelTransform t(Params{.n_kernels = 1, .random_state = 5});
    const RowMatrixD f = t.fit_transform(x);
    EXPECT_EQ(f.cols(), 3);
    expect_matches_naive<double>(x, t.kernels(), f, 1e-12, "K = 1");
  }
}

TEST(DilatedKernelTransform, ConstantSeriesClosedForm) {
  // On a constant series a, every unpadded window gives the same sum_j (a - v_j)^2:
  // min is that sum, no step increases, the first argmin is 0.
  const double a = 0.75;
  Panel::Tensor data = Panel::Tensor::from_shape({1, 1, 40});
  data.fill(a);
  const Panel x(std::move(data));
  DilatedKernelTransform t(
      Params{.n_kernels = 50, .p_padding = 0.0, .source = KernelSource::normal});
  const RowMatrixD f = t.fit_transform(x);
  for (std::size_t k = 0; k < 50; ++k) {
    const Kernel& kernel = t.kernels()[k];
    double expected = 0;
    for (double v : kernel.values)
      expected += (a - v) * (a - v);
    const auto col = static_cast<index_t>(3 * k);
    EXPECT_NEAR(f(0, col), expected, 1e-12 * expected);
    EXPECT_EQ(f(0, col + 1), 0.0);
    EXPECT_EQ(f(0, col + 2), 0.0);
  }
  expect_matches_naive<double>(x, t.kernels(), f, 1e-12, "constant");
}

TEST(DilatedKernelTransform, ShortSeriesAreExtendedWithZerosUntilOnePosition) {
  // Kernel of span 13 (l = 5, d = 3), unpadded, on a series of 4 points: xpad is the
  // 4 points followed by 9 zeros, and the single window takes x[0], x[3], 0, 0, 0.
  Kernel k = make_kernel(5, 3, 0, 0, 9);
  DilatedKernelTransform t;
  t.set_kernels({k}, 1);
  const std::vector<double> xs = {0.5, -1.0, 2.0, 3.0};
  const Panel x = Panel::from_buffer(xs.data(), 1, 1, 4);
  const RowMatrixD f = t.transform(x);
  const std::vector<double> taps = {0.5, 3.0, 0.0, 0.0, 0.0};
  double expected = 0;
  for (std::size_t j = 0; j < 5; ++j)
    expected += (taps[j] - k.values[j]) * (taps[j] - k.values[j]);
  EXPECT_NEAR(f(0, 0), expected, 1e-14 * expected);
  EXPECT_EQ(f(0, 1), 0.0);  // L = 1
  EXPECT_EQ(f(0, 2), 0.0);
  // Padded (p = 6): xpad = 6 zeros, x, 6 zeros (16 points) gives L = 4, no extension.
  k.padding = 6;
  t.set_kernels({k}, 1);
  EXPECT_EQ(k.n_positions(4), 4);
  expect_matches_naive<double>(x, {k}, t.transform(x), 1e-12, "padded short");
}

TEST(DilatedKernelTransform, OccurrencesAreTheFractionOfDistancesBelowTheThreshold) {
  const Panel train = random_panel(7, 2, 90, 31, {90, 80, 90, 60, 90, 90, 75});
  const Panel test = random_panel(4, 2, 70, 32, {70, 70, 30, 3});
  const Params base{.n_kernels = 60,
                    .lengths = {2, 5, 9},
                    .source = KernelSource::mixed,
                    .random_state = 5,
                    .length_quantile = 1.0,
                    .p_shape = 0.4};  // shape kernels among them
  Params p = base;
  p.add_occurrences = true;
  DilatedKernelTransform three(base), four(p);
  three.fit(train);
  four.fit(train);
  ASSERT_EQ(four.n_features(), 4 * 60);
  const auto K = static_cast<index_t>(four.kernels().size());
  for (index_t k = 0; k < K; ++k) {
    Kernel without = four.kernels()[static_cast<std::size_t>(k)];
    EXPECT_GE(without.threshold, 0.0);
    without.threshold = 0.0;
    EXPECT_EQ(without, three.kernels()[static_cast<std::size_t>(k)]) << "kernel " << k;
    // The threshold lies just below the quantile q in [0.05, 0.25] of the distances to one
    // training series: there, the distances below it number at most q (L - 1), and with
    // those equal to the next larger distance at least q (L - 1).
    const Kernel& kernel = four.kernels()[static_cast<std::size_t>(k)];
    bool seen = false;
    for (index_t n = 0; n < train.n_series() && !seen; ++n) {
      const std::vector<double> c = test::naive_distances(train, n, kernel);
      double below = 0.0, at = 0.0, next = std::numeric_limits<double>::infinity();
      for (const double v : c) {
        below += v < kernel.threshold ? 1.0 : 0.0;
        if (v > kernel.threshold) next = std::min(next, v);
      }
      for (const double v : c)
        at += v == next ? 1.0 : 0.0;
      const auto positions = static_cast<double>(c.size());
      seen = below <= 0.25 * (positions - 1.0) && below + at >= 0.05 * (positions - 1.0);
    }
    EXPECT_TRUE(seen) << "kernel " << k << ": no training series puts the threshold "
                      << kernel.threshold << " at a quantile in [0.05, 0.25]";
  }
  EXPECT_GT(std::count_if(four.kernels().begin(), four.kernels().end(),
                          [](const Kernel& k) { return k.shape; }),
            10);
  for (const detail::SimdLevel level : simd_levels()) {
    SimdCap cap(level);
    for (const Panel* x : {&train, &test}) {
      const RowMatrixD f3 = three.transform(*x), f4 = four.transform(*x);
      const RowMatrixF g4 = four.transform<float>(*x);
      for (index_t n = 0; n < x->n_series(); ++n) {
        for (index_t k = 0; k < K; ++k) {
          for (index_t j = 0; j < 3; ++j)
            EXPECT_EQ(f4(n, 4 * k + j), f3(n, 3 * k + j)) << n << ", " << k << ", " << j;
          const Kernel& kernel = four.kernels()[static_cast<std::size_t>(k)];
          const std::vector<double> c = test::naive_distances(*x, n, kernel);
          // The transform's distances differ from these in the last bits (another order of
          // operations), so a distance within 1e-12 of the threshold may count either way.
          // (Shape kernels: the transform computes them through a dot product, with
          // rounding at the scale of l.)
          const double t = kernel.threshold, positions = static_cast<double>(c.size());
          const double tol =
              kernel.shape ? 1e-10 * static_cast<double>(kernel.length) : 1e-12 * (1.0 + t);
          const auto count = [&](double bound) {
            return static_cast<double>(
                std::count_if(c.begin(), c.end(), [&](double v) { return v < bound; }));
          };
          const double below = count(t);
          EXPECT_GE(f4(n, 4 * k + 3) * positions, count(t - tol) - 1e-9)
              << "series " << n << ", kernel " << k;
          EXPECT_LE(f4(n, 4 * k + 3) * positions, count(t + tol) + 1e-9)
              << "series " << n << ", kernel " << k;
          // float: a distance within rounding of the threshold may fall on the other side.
          EXPECT_NEAR(g4(n, 4 * k + 3), below / static_cast<double>(c.size()),
                      (kernel.shape ? 3.0 : 2.0) / static_cast<double>(c.size()) + 1e-6)
              << "series " << n << ", kernel " << k << ", float";
        }
      }
    }
  }
  // Same seed, any thread count: the same thresholds and features, bit for bit.
  Params p2 = p;
  p2.n_jobs = 2;
  DilatedKernelTransform four2(p2);
  four2.fit(train);
  EXPECT_EQ(four2.kernels(), four.kernels());
  const RowMatrixD a = four.transform(test), b = four2.transform(test);
  EXPECT_EQ(std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())),
            0);
  // A saved transform gives the same features.
  std::stringstream ss;
  {
    cereal::PortableBinaryOutputArchive ar(ss);
    ar(four);
  }
  DilatedKernelTransform loaded;
  {
    cereal::PortableBinaryInputArchive ar(ss);
    ar(loaded);
  }
  EXPECT_EQ(loaded.kernels(), four.kernels());
  const RowMatrixD l = loaded.transform(test);
  EXPECT_EQ(std::memcmp(a.data(), l.data(), sizeof(double) * static_cast<std::size_t>(a.size())),
            0);
}

TEST(DilatedKernelTransform, ThreadCountDoesNotChangeAnyBit) {
  const Panel train = random_panel(9, 2, 70, 13, {70, 60, 65, 70, 50, 70, 70, 55, 70});
  const Panel test = random_panel(11, 2, 80, 14);
  RowMatrixD ref;
  RowMatrixF ref_f;
  std::vector<Kernel> ref_kernels;
  for (int jobs : {1, 2, 4}) {
    DilatedKernelTransform t(
        Params{.n_kernels = 700, .random_state = 3, .n_jobs = jobs, .p_shape = 0.3});
    t.fit(train);
    const RowMatrixD f = t.transform(test);
    const RowMatrixF g = t.transform<float>(test);
    if (jobs == 1) {
      ref = f;
      ref_f = g;
      ref_kernels = t.kernels();
      continue;
    }
    EXPECT_EQ(t.kernels(), ref_kernels) << jobs << " threads";
    EXPECT_EQ(
        std::memcmp(f.data(), ref.data(), sizeof(double) * static_cast<std::size_t>(f.size())), 0)
        << jobs << " threads";
    EXPECT_EQ(
        std::memcmp(g.data(), ref_f.data(), sizeof(float) * static_cast<std::size_t>(g.size())), 0)
        << jobs << " threads, float";
  }
}

// ---- input checks and preprocessing -------------------------------------------------

TEST(DilatedKernelTransform, NonFiniteValuesAreReportedWithTheirPosition) {
  Panel::Tensor data = Panel::Tensor::from_shape({4, 2, 20});
  data.fill(1.0);
  for (std::size_t t = 0; t < 20; ++t)
    data(1, 0, t) = std::sin(static_cast<double>(t));
  data(2, 1, 5) = std::nan("");
  data(3, 0, 0) = std::numeric_limits<double>::infinity();
  const Panel bad(data);
  DilatedKernelTransform t(Params{.n_kernels = 10});
  const std::string m = message_of([&] { t.fit(bad); });
  EXPECT_THAT(m, HasSubstr("series 2, channel 1, position 5"));
  EXPECT_THAT(m, HasSubstr("nan"));
  data(2, 1, 5) = 0.0;
  const Panel inf(data);
  EXPECT_THAT(message_of([&] { t.fit(inf); }), HasSubstr("series 3, channel 0, position 0"));
  data(3, 0, 0) = 0.0;
  t.fit(Panel(data));
  EXPECT_THAT(message_of([&] { (void)t.transform<float>(bad); }),
              HasSubstr("series 2, channel 1, position 5"));
}

TEST(DilatedKernelTransform, Float32RejectsValuesOutsideTheFloatRange) {
  Panel::Tensor data = Panel::Tensor::from_shape({3, 1, 20});
  data.fill(1.0);
  data(1, 0, 7) = 1e39;
  const Panel x(std::move(data));
  DilatedKernelTransform t(Params{.n_kernels = 10, .source = KernelSource::normal});
  t.fit(x);
  EXPECT_NO_THROW((void)t.transform<double>(x));
  const std::string m = message_of([&] { (void)t.transform<float>(x); });
  EXPECT_THAT(m, HasSubstr("series 1, channel 0, position 7"));
  EXPECT_THAT(m, HasSubstr("outside the float range"));
  DilatedKernelTransform normalised(
      Params{.n_kernels = 10, .source = KernelSource::normal, .normalize_input = true});
  normalised.fit(x);
  EXPECT_NO_THROW((void)normalised.transform<float>(x));  // z-normalised values fit
  Kernel big = make_kernel(3, 1, 0, 0, 1);
  big.values[1] = -1e40;
  t.set_kernels({make_kernel(3, 1, 0, 0, 2), big}, 1);
  const Panel small = random_panel(2, 1, 10, 3);
  EXPECT_NO_THROW((void)t.transform<double>(small));
  EXPECT_THAT(message_of([&] { (void)t.transform<float>(small); }),
              HasSubstr("kernel 1 has a value or threshold outside the float range"));
}

TEST(DilatedKernelTransform, ChannelMismatchNamesBothCounts) {
  DilatedKernelTransform t(Params{.n_kernels = 10});
  t.fit(random_panel(3, 1, 30, 15));
  const std::string m = message_of([&] { (void)t.transform(random_panel(3, 2, 30, 16)); });
  EXPECT_THAT(m, HasSubstr("x has 2 channels, fit() saw 1"));
}

TEST(DilatedKernelTransform, InterpolationFillsGapsAsDocumented) {
  const double nan = std::nan("");
  const double inf = std::numeric_limits<double>::infinity();
  // channel 0: interior gaps and trailing run; channel 1: leading run; series 1,
  // channel 1: nothing finite (zeros).
  const std::vector<double> raw = {1,   nan, 3,   nan, nan, 9,   inf, 4,   nan, nan,   // s0 c0
                                   nan, nan, 2,   4,   6,   8,   10,  12,  14,  16,    // s0 c1
                                   0,   1,   0,   1,   0,   1,   0,   1,   0,   1,     // s1 c0
                                   nan, nan, nan, nan, nan, nan, nan, nan, nan, nan};  // s1 c1
  const std::vector<double> clean = {1, 2, 3, 5, 7, 9, 6.5, 4,  4,  4,                 //
                                     2, 2, 2, 4, 6, 8, 10,  12, 14, 16,                //
                                     0, 1, 0, 1, 0, 1, 0,   1,  0,  1,                 //
                                     0, 0, 0, 0, 0, 0, 0,   0,  0,  0};
  const Panel x = Panel::from_buffer(raw.data(), 2, 2, 10);
  const Panel y = Panel::from_buffer(clean.data(), 2, 2, 10);
  Params p{.n_kernels = 60, .lengths = {3, 5}, .nan_policy = NanPolicy::interpolate};
  DilatedKernelTransform with_nan(p), without(p);
  const RowMatrixD a = with_nan.fit_transform(x);
  const RowMatrixD b = without.fit_transform(y);
  EXPECT_EQ(with_nan.kernels(), without.kernels());  // sampled values are interpolated too
  EXPECT_EQ(a, b);
}

TEST(DilatedKernelTransform, NormalizeInputEqualsTransformingNormalisedSeries) {
  Panel x = random_panel(5, 2, 40, 17, {40, 40, 30, 40, 35});
  Panel::Tensor scaled = x.data();
  for (std::size_t n = 0; n < 5; ++n)
    for (std::size_t c = 0; c < 2; ++c)
      for (std::size_t t = 0; t < static_cast<std::size_t>(x.length(static_cast<index_t>(n))); ++t)
        scaled(n, c, t) = 100.0 + 7.0 * scaled(n, c, t) * static_cast<double>(n + 1);
  // series 4, channel 1: constant, becomes zeros.
  for (std::size_t t = 0; t < 35; ++t)
    scaled(4, 1, t) = 3.25;
  const Panel raw(scaled, x.lengths());
  Panel::Tensor normed = scaled;
  for (index_t n = 0; n < 5; ++n) {
    for (index_t c = 0; c < 2; ++c) {
      const index_t len = raw.length(n);
      double mean = 0, var = 0;
      for (index_t t = 0; t < len; ++t)
        mean += raw(n, c, t) / static_cast<double>(len);
      for (index_t t = 0; t < len; ++t)
        var += (raw(n, c, t) - mean) * (raw(n, c, t) - mean) / static_cast<double>(len);
      for (index_t t = 0; t < len; ++t)
        normed(static_cast<std::size_t>(n), static_cast<std::size_t>(c),
               static_cast<std::size_t>(t)) =
            var > 1e-20 ? (raw(n, c, t) - mean) / std::sqrt(var) : 0.0;
    }
  }
  const Panel norm(normed, x.lengths());
  const Params p{.n_kernels = 80, .source = KernelSource::normal};
  Params pn = p;
  pn.normalize_input = true;
  DilatedKernelTransform inside(pn), outside(p);
  const RowMatrixD a = inside.fit_transform(raw);
  const RowMatrixD b = outside.fit_transform(norm);
  ASSERT_EQ(inside.kernels(), outside.kernels());
  for (index_t i = 0; i < a.rows(); ++i)
    for (index_t j = 0; j < a.cols(); ++j)
      EXPECT_NEAR(a(i, j), b(i, j), 1e-9 * std::max(1.0, std::abs(b(i, j))))
          << "series " << i << " column " << j;
  // Sampled kernel values come from the normalised series.
  DilatedKernelTransform sampled(Params{.n_kernels = 30, .normalize_input = true});
  sampled.fit(raw);
  for (const Kernel& k : sampled.kernels())
    for (index_t j = 0; j < k.length; ++j)
      EXPECT_NEAR(k.values[static_cast<std::size_t>(j)],
                  norm(k.source_series, k.channel, k.source_start + j * k.dilation), 1e-12);
}

// ---- progress, serialization ----------------------------------------------------------

TEST(DilatedKernelTransform, ProgressIsMonotoneAndEndsWithTotal) {
  const Panel x = random_panel(40, 1, 30, 18);
  DilatedKernelTransform t(Params{.n_kernels = 600, .n_jobs = 2});
  t.fit(x);
  std::vector<std::pair<index_t, index_t>> calls;
  t.set_progress_callback([&](index_t done, index_t total) { calls.emplace_back(done, total); });
  (void)t.transform(x);
  ASSERT_FALSE(calls.empty());
  const index_t total = calls.back().second;
  EXPECT_EQ(calls.back().first, total);
  EXPECT_GT(total, 0);
  for (std::size_t i = 1; i < calls.size(); ++i) {
    EXPECT_LE(calls[i - 1].first, calls[i].first);
    EXPECT_EQ(calls[i].second, total);
  }
  t.set_progress_callback([](index_t, index_t) { throw std::runtime_error("cancelled"); });
  EXPECT_THROW((void)t.transform(x), std::runtime_error);
  t.set_progress_callback({});
  EXPECT_NO_THROW((void)t.transform(x));
}

template <class OutArchive, class InArchive>
DilatedKernelTransform round_trip(const DilatedKernelTransform& t, std::ios::openmode mode) {
  std::stringstream ss(mode);
  {
    OutArchive out(ss);
    out(cereal::make_nvp("transform", t));
  }
  DilatedKernelTransform loaded;
  InArchive in(ss);
  in(cereal::make_nvp("transform", loaded));
  return loaded;
}

/// t saved and loaded back through the portable binary and the JSON archives.
std::vector<DilatedKernelTransform> round_trips(const DilatedKernelTransform& t) {
  const auto binary = std::ios::in | std::ios::out | std::ios::binary;
  std::vector<DilatedKernelTransform> loaded;
  loaded.push_back(
      round_trip<cereal::PortableBinaryOutputArchive, cereal::PortableBinaryInputArchive>(t,
                                                                                          binary));
  loaded.push_back(round_trip<cereal::JSONOutputArchive, cereal::JSONInputArchive>(
      t, std::ios::in | std::ios::out));
  return loaded;
}

TEST(DilatedKernelTransform, SerializationRoundTripGivesIdenticalFeatures) {
  const Panel x = random_panel(6, 2, 50, 19, {50, 41, 50, 50, 45, 50});
  DilatedKernelTransform t(Params{.n_kernels = 90,
                                  .lengths = {5, 9},
                                  .p_padding = 0.3,
                                  .random_state = 0xFFFFFFFFFFFFFFF1ULL,
                                  .nan_policy = NanPolicy::interpolate,
                                  .normalize_input = true,
                                  .add_differences = true,
                                  .length_quantile = 0.25});
  t.fit(x);
  const RowMatrixD f = t.transform(x);
  const RowMatrixF g = t.transform<float>(x);
  for (const auto& loaded : round_trips(t)) {
    ASSERT_TRUE(loaded.is_fitted());
    EXPECT_EQ(loaded.params(), t.params());
    EXPECT_EQ(loaded.kernels(), t.kernels());
    EXPECT_EQ(loaded.n_channels(), 2);
    EXPECT_EQ(loaded.min_length(), 45);  // quantile 0.25 of {41, 45, 50, 50, 50, 50}
    const RowMatrixD f2 = loaded.transform(x);
    const RowMatrixF g2 = loaded.transform<float>(x);
    EXPECT_EQ(std::memcmp(f.data(), f2.data(), sizeof(double) * static_cast<std::size_t>(f.size())),
              0);
    EXPECT_EQ(std::memcmp(g.data(), g2.data(), sizeof(float) * static_cast<std::size_t>(g.size())),
              0);
  }
  // An unfitted transform round-trips as unfitted.
  const DilatedKernelTransform unfitted(Params{.n_kernels = 3});
  const auto u = round_trip<cereal::JSONOutputArchive, cereal::JSONInputArchive>(
      unfitted, std::ios::in | std::ios::out);
  EXPECT_FALSE(u.is_fitted());
  EXPECT_EQ(u.params().n_kernels, 3);
}

/// Saves t as JSON, applies `edit` to the text, loads it back.
std::string load_edited_json(const DilatedKernelTransform& t,
                             const std::function<void(std::string&)>& edit) {
  std::stringstream ss;
  {
    cereal::JSONOutputArchive out(ss);
    out(cereal::make_nvp("transform", t));
  }
  std::string text = ss.str();
  edit(text);
  std::stringstream in_ss(text);
  DilatedKernelTransform loaded;
  try {
    cereal::JSONInputArchive in(in_ss);
    in(cereal::make_nvp("transform", loaded));
  } catch (const FormatError& e) {
    EXPECT_FALSE(loaded.is_fitted());  // a failed load leaves nothing half-usable
    return e.what();
  }
  return "<loaded>";
}

void replace_first(std::string& s, const std::string& from, const std::string& to) {
  const auto pos = s.find(from);
  ASSERT_NE(pos, std::string::npos) << from;
  s.replace(pos, from.size(), to);
}

TEST(DilatedKernelTransform, CorruptedModelsThrowFormatError) {
  DilatedKernelTransform t(Params{.n_kernels = 4, .lengths = {3}, .p_padding = 0.0});
  t.fit(random_panel(2, 2, 12, 20));
  EXPECT_EQ(load_edited_json(t, [](std::string&) {}), "<loaded>");
  const std::string ch = "\"channel\": " + std::to_string(t.kernels()[0].channel);
  EXPECT_THAT(load_edited_json(t, [&](std::string& s) { replace_first(s, ch, "\"channel\": 2"); }),
              HasSubstr("channel 2 >= n_channels 2"));
  DilatedKernelTransform td(
      Params{.n_kernels = 4, .lengths = {3}, .p_padding = 0.0, .add_differences = true});
  td.fit(random_panel(2, 2, 12, 20));
  EXPECT_EQ(load_edited_json(td, [](std::string&) {}), "<loaded>");
  const std::string chd = "\"channel\": " + std::to_string(td.kernels()[0].channel);
  EXPECT_THAT(
      load_edited_json(td, [&](std::string& s) { replace_first(s, chd, "\"channel\": 4"); }),
      HasSubstr("channel 4 >= 2 * n_channels 2"));
  EXPECT_THAT(load_edited_json(t, [&](std::string& s) { replace_first(s, ch, "\"channel\": -1"); }),
              HasSubstr("kernel channel = -1"));
  EXPECT_THAT(load_edited_json(
                  t, [](std::string& s) { replace_first(s, "\"length\": 3", "\"length\": 4"); }),
              HasSubstr("3 values for length 4"));
  EXPECT_THAT(load_edited_json(
                  t, [](std::string& s) { replace_first(s, "\"length\": 3", "\"length\": 0"); }),
              HasSubstr("kernel length = 0"));
  const std::string dil = "\"dilation\": " + std::to_string(t.kernels()[0].dilation);
  EXPECT_THAT(
      load_edited_json(t, [&](std::string& s) { replace_first(s, dil, "\"dilation\": 0"); }),
      HasSubstr("kernel dilation = 0"));
  EXPECT_THAT(load_edited_json(
                  t, [&](std::string& s) { replace_first(s, dil, "\"dilation\": 400000000000"); }),
              HasSubstr("exceeds"));
  EXPECT_THAT(
      load_edited_json(t, [&](std::string& s) { replace_first(s, dil, "\"dilation\": 6"); }),
      HasSubstr("span 13 > min_length 12"));
  EXPECT_THAT(load_edited_json(
                  t, [](std::string& s) { replace_first(s, "\"padding\": 0", "\"padding\": 99"); }),
              HasSubstr("kernel padding = 99"));
  // A crafted occurrence threshold below 0.
  EXPECT_THAT(load_edited_json(t,
                               [&](std::string& s) {
                                 replace_first(s, "\"threshold\": 0.0", "\"threshold\": -1.0");
                               }),
              HasSubstr("kernel threshold is not a finite number >= 0"));
  EXPECT_THAT(
      load_edited_json(
          t, [](std::string& s) { replace_first(s, "\"n_kernels\": 4", "\"n_kernels\": 5"); }),
      HasSubstr("4 kernels for n_kernels = 5"));
  EXPECT_THAT(
      load_edited_json(
          t, [](std::string& s) { replace_first(s, "\"p_padding\": 0.0", "\"p_padding\": 3.0"); }),
      HasSubstr("p_padding = 3"));
  EXPECT_THAT(load_edited_json(
                  t, [](std::string& s) { replace_first(s, "\"source\": 0", "\"source\": 9"); }),
              HasSubstr("source = 9"));
  EXPECT_THAT(
      load_edited_json(
          t, [](std::string& s) { replace_first(s, "\"n_channels\": 2", "\"n_channels\": 0"); }),
      HasSubstr("unfitted transform"));
  EXPECT_THAT(load_edited_json(t,
                               [](std::string& s) {
                                 replace_first(s, "\"cereal_class_version\": 1",
                                               "\"cereal_class_version\": 2");
                               }),
              HasSubstr("newer than this library supports"));
}

/// x * scale + shift, series by series (a Panel of the same lengths).
Panel affine(const Panel& x, double scale, double shift) {
  Panel::Tensor data = Panel::Tensor::from_shape({static_cast<std::size_t>(x.n_series()),
                                                  static_cast<std::size_t>(x.n_channels()),
                                                  static_cast<std::size_t>(x.max_length())});
  data.fill(0.0);
  std::vector<index_t> lengths;
  for (index_t n = 0; n < x.n_series(); ++n) {
    lengths.push_back(x.length(n));
    for (index_t c = 0; c < x.n_channels(); ++c)
      for (index_t t = 0; t < x.length(n); ++t)
        data(static_cast<std::size_t>(n), static_cast<std::size_t>(c),
             static_cast<std::size_t>(t)) = x(n, c, t) * scale + shift;
  }
  return Panel(std::move(data), std::move(lengths));
}

TEST(DilatedKernelTransform, ShapeKernelsMatchTheDefinitionAtEverySimdLevel) {
  Rng rng(4048, 0);
  for (int trial = 0; trial < 8; ++trial) {
    const auto c = static_cast<index_t>(1 + rng.uniform_int(2));
    const auto len = static_cast<index_t>(12 + rng.uniform_int(120));
    // Series far from 0 (where a dot product of raw values would lose its precision),
    // with a constant stretch (constant windows) in the first series.
    const double shift = trial % 2 ? 1000.0 : -3.0;
    Panel::Tensor data =
        affine(random_panel(5, c, len, 300 + static_cast<std::uint64_t>(trial)), 2.0, shift).data();
    for (index_t t = len / 4; t < len / 2; ++t)
      data(0, 0, static_cast<std::size_t>(t)) = shift;
    const Panel train(std::move(data));
    const Panel test = random_panel(3, c, len + 7, 400 + static_cast<std::uint64_t>(trial),
                                    {len + 7, len / 3 + 1, 2});
    const Params p{.n_kernels = 50,
                   .lengths = {2, 3, 7, 9, 16},
                   .source = trial % 3 == 1 ? KernelSource::normal : KernelSource::sample,
                   .random_state = static_cast<std::uint64_t>(trial),
                   .add_occurrences = trial % 2 == 0,
                   .p_shape = 0.6};
    DilatedKernelTransform t(p);
    t.fit(train);
    const index_t F = p.features_per_kernel();
    const auto n_shape = std::count_if(t.kernels().begin(), t.kernels().end(),
                                       [](const Kernel& k) { return k.shape; });
    EXPECT_GT(n_shape, 15) << "trial " << trial;
    EXPECT_LT(n_shape, 50) << "trial " << trial;
    for (detail::SimdLevel level : simd_levels()) {
      SimdCap cap(level);
      const std::string what =
          std::string("trial ") + std::to_string(trial) + " " + detail::simd_level_name(level);
      for (const Panel* x : {&train, &test}) {
        // Shape distances are at most 2l; they are computed through a dot product, so
        // their rounding errors are at the scale of l, not of the distance.
        expect_matches_naive<double>(*x, t.kernels(), t.transform(*x), 1e-12, what, 1e-10, F);
        expect_matches_naive<float>(*x, t.kernels(), t.transform<float>(*x), 1e-5, what + " float",
                                    1e-4, F);
      }
    }
  }
}

TEST(DilatedKernelTransform, ManyShapeKernelsOfOneGeometryShareTheirWindowsStatistics) {
  // Length 9 on 12 time points: dilation 1 only, padding 0 or 4, so runs of many shape
  // kernels with one geometry (the windows' statistics reused), alternating with plain
  // ones at p_shape 0.5; test series longer and shorter than the training ones.
  const Panel train = affine(random_panel(4, 1, 12, 51), 3.0, 50.0);
  const Panel test = affine(random_panel(3, 1, 40, 52, {40, 12, 5}), 3.0, 50.0);
  for (const double ps : {0.5, 1.0}) {
    DilatedKernelTransform t(
        Params{.n_kernels = 64, .lengths = {9}, .random_state = 3, .p_shape = ps});
    t.fit(train);
    for (const Kernel& k : t.kernels())
      ASSERT_EQ(k.dilation, 1);
    for (detail::SimdLevel level : simd_levels()) {
      SimdCap cap(level);
      const std::string what =
          "p_shape " + std::to_string(ps) + " " + detail::simd_level_name(level);
      for (const Panel* x : {&train, &test}) {
        expect_matches_naive<double>(*x, t.kernels(), t.transform(*x), 1e-12, what, 1e-10);
        expect_matches_naive<float>(*x, t.kernels(), t.transform<float>(*x), 1e-5, what + " float",
                                    1e-4);
      }
    }
  }
}

TEST(DilatedKernelTransform, ShapeKernelsFitOnDataFarFromZeroSaveAndLoad) {
  // A level 1e8 times the spread: the values must still come out z-normalised to the
  // precision Kernel::check() asks of a model file, and a saved model must load and give
  // the same features, bit for bit.
  const Panel x = affine(random_panel(5, 2, 60, 53), 1e-3, 1e5);
  DilatedKernelTransform t(Params{.n_kernels = 200, .p_shape = 1.0});
  t.fit(x);
  for (const Kernel& k : t.kernels()) {
    EXPECT_TRUE(k.shape);
    EXPECT_EQ(k.check(), "");
  }
  const RowMatrixD f = t.transform(x);
  for (const auto& loaded : round_trips(t)) {
    EXPECT_EQ(loaded.kernels(), t.kernels());
    const RowMatrixD g = loaded.transform(x);
    EXPECT_EQ(std::memcmp(f.data(), g.data(), sizeof(double) * static_cast<std::size_t>(f.size())),
              0);
  }
  EXPECT_NO_THROW(DilatedKernelTransform().set_kernels(t.kernels(), 2));
}

TEST(DilatedKernelTransform, ShapeKernelsAreDrawnAsDocumented) {
  const Panel x = random_panel(6, 2, 80, 41);
  const Params base{.n_kernels = 300, .random_state = 8};
  Params all = base, half = base;
  all.p_shape = 1.0;
  half.p_shape = 0.5;
  DilatedKernelTransform plain(base), shape(all), mixed(half);
  plain.fit(x);
  shape.fit(x);
  mixed.fit(x);
  // p_shape draws after everything else: the same kernels, values z-normalised.
  ASSERT_EQ(shape.kernels().size(), plain.kernels().size());
  for (std::size_t k = 0; k < plain.kernels().size(); ++k) {
    const Kernel& a = plain.kernels()[k];
    const Kernel& b = shape.kernels()[k];
    EXPECT_FALSE(a.shape);
    EXPECT_TRUE(b.shape) << k;
    EXPECT_EQ(std::tie(a.length, a.dilation, a.padding, a.channel, a.source_series, a.source_start),
              std::tie(b.length, b.dilation, b.padding, b.channel, b.source_series, b.source_start))
        << k;
    double mean = 0.0, var = 0.0;
    for (const double v : a.values)
      mean += v / static_cast<double>(a.length);
    for (const double v : a.values)
      var += (v - mean) * (v - mean) / static_cast<double>(a.length);
    for (std::size_t j = 0; j < a.values.size(); ++j)
      EXPECT_NEAR(b.values[j], (a.values[j] - mean) / std::sqrt(var), 1e-12) << k;
    EXPECT_EQ(b.check(), "");
  }
  // About half with p_shape = 0.5 (binomial, 300 draws: 0.4 .. 0.6 is beyond 3 sigma).
  const auto n_shape = std::count_if(mixed.kernels().begin(), mixed.kernels().end(),
                                     [](const Kernel& k) { return k.shape; });
  EXPECT_GT(n_shape, 120);
  EXPECT_LT(n_shape, 180);
  // Kernels of equal (channel, length, dilation, padding) come plain first, then shape.
  const auto key = [](const Kernel& k) {
    return std::make_tuple(k.channel, k.length, k.dilation, k.padding, k.shape);
  };
  for (std::size_t k = 1; k < mixed.kernels().size(); ++k)
    EXPECT_LE(key(mixed.kernels()[k - 1]), key(mixed.kernels()[k])) << k;
  // Constant values cannot be z-normalised: such a kernel stays plain.
  Panel::Tensor flat = Panel::Tensor::from_shape({2, 1, 40});
  flat.fill(3.0);
  DilatedKernelTransform constant(Params{.n_kernels = 20, .p_shape = 1.0});
  constant.fit(Panel(std::move(flat)));
  for (const Kernel& k : constant.kernels()) {
    EXPECT_FALSE(k.shape);
    EXPECT_EQ(k.values, std::vector<double>(static_cast<std::size_t>(k.length), 3.0));
  }
  // Nor can a pair of values say more than the sign of a step: length 2 stays plain.
  DilatedKernelTransform pairs(Params{.n_kernels = 40, .lengths = {2, 9}, .p_shape = 1.0});
  pairs.fit(x);
  for (const Kernel& k : pairs.kernels())
    EXPECT_EQ(k.shape, k.length == 9) << "length " << k.length;
}

TEST(DilatedKernelTransform, ShapeKernelsIgnoreTheLevelAndScaleOfTheSeries) {
  // Without padding every window lies inside the series, and a z-normalised window does
  // not change when the series is scaled by a > 0 and shifted: the shape kernels'
  // features are those of the original series; the plain kernels' are not.
  const Panel x = random_panel(5, 1, 60, 43);
  const Panel y = affine(x, 7.5, -40.0);
  DilatedKernelTransform t(Params{.n_kernels = 200, .p_padding = 0.0, .p_shape = 0.5});
  t.fit(x);
  const RowMatrixD fx = t.transform(x), fy = t.transform(y);
  index_t plain_changed = 0;
  for (std::size_t k = 0; k < t.kernels().size(); ++k) {
    const auto col = static_cast<index_t>(3 * k);
    for (index_t n = 0; n < x.n_series(); ++n) {
      if (!t.kernels()[k].shape) {
        plain_changed += fx(n, col) != fy(n, col);
        continue;
      }
      EXPECT_NEAR(fx(n, col), fy(n, col), 1e-9) << "kernel " << k << ", series " << n;
      // the same best window, up to a tie within rounding
      const std::vector<double> c = test::naive_distances(x, n, t.kernels()[k]);
      EXPECT_LE(c[static_cast<std::size_t>(fy(n, col + 2))], fx(n, col) + 1e-9)
          << "kernel " << k << ", series " << n;
    }
  }
  EXPECT_GT(plain_changed, 0);
  // The best match of a shape kernel on its own source series is its source window.
  for (std::size_t k = 0; k < t.kernels().size(); ++k) {
    const Kernel& kernel = t.kernels()[k];
    if (!kernel.shape) continue;
    EXPECT_NEAR(fx(kernel.source_series, static_cast<index_t>(3 * k)), 0.0, 1e-9) << k;
  }
}

TEST(DilatedKernelTransform, ShapeKernelsWithValuesThatAreNotZNormalisedAreRefused) {
  DilatedKernelTransform t(
      Params{.n_kernels = 4, .lengths = {3}, .p_padding = 0.0, .p_shape = 1.0});
  t.fit(random_panel(2, 1, 12, 20));
  EXPECT_EQ(load_edited_json(t, [](std::string&) {}), "<loaded>");
  EXPECT_THAT(load_edited_json(t,
                               [&](std::string& s) {
                                 // the first value becomes 5: the values no longer sum to 0
                                 const auto open = s.find('[', s.find("\"values\""));
                                 ASSERT_NE(open, std::string::npos);
                                 const auto first = s.find_first_not_of(" \n", open + 1);
                                 s.replace(first, s.find(',', first) - first, "5.0");
                               }),
              HasSubstr("shape kernel values are not z-normalised"));
  std::vector<Kernel> kernels = t.kernels();
  kernels[0].values[0] += 0.5;
  EXPECT_THAT(message_of([&] { DilatedKernelTransform().set_kernels(kernels, 1); }),
              HasSubstr("shape kernel values are not z-normalised"));
  kernels[0].shape = false;  // the same values are fine for a plain kernel
  EXPECT_NO_THROW(DilatedKernelTransform().set_kernels(kernels, 1));
}

// ---- accuracy sanity ------------------------------------------------------------------

TEST(DilatedKernelTransform, CbfFeaturesSeparateTheClasses) {
  // Nearest centroid on standardised features (the ridge classifier is elsewhere): the
  // features alone must make CBF easy.
  const TrainTest data = datasets::load_cylinder_bell_funnel({.n_train = 60, .n_test = 300});
  DilatedKernelTransform t(Params{.n_kernels = 300, .random_state = 1});
  const RowMatrixD train = t.fit_transform(data.train);
  const RowMatrixD test = t.transform(data.test);
  const Eigen::RowVectorXd mean = train.colwise().mean();
  Eigen::RowVectorXd sd = ((train.rowwise() - mean).array().square().colwise().sum() /
                           static_cast<double>(train.rows()))
                              .sqrt();
  sd = (sd.array() > 1e-12).select(sd, 1.0);
  auto standardise = [&](const RowMatrixD& f) {
    return RowMatrixD((f.rowwise() - mean).array().rowwise() / sd.array());
  };
  const RowMatrixD ztrain = standardise(train), ztest = standardise(test);
  const index_t n_classes = data.train.n_classes();
  RowMatrixD centroids = RowMatrixD::Zero(n_classes, train.cols());
  std::vector<double> counts(static_cast<std::size_t>(n_classes), 0.0);
  for (index_t i = 0; i < ztrain.rows(); ++i) {
    const index_t y = data.train.y()[static_cast<std::size_t>(i)];
    centroids.row(y) += ztrain.row(i);
    counts[static_cast<std::size_t>(y)] += 1;
  }
  for (index_t c = 0; c < n_classes; ++c)
    centroids.row(c) /= counts[static_cast<std::size_t>(c)];
  index_t correct = 0;
  for (index_t i = 0; i < ztest.rows(); ++i) {
    index_t best = 0;
    double best_d = std::numeric_limits<double>::infinity();
    for (index_t c = 0; c < n_classes; ++c) {
      const double d = (ztest.row(i) - centroids.row(c)).squaredNorm();
      if (d < best_d) {
        best_d = d;
        best = c;
      }
    }
    correct += best == data.test.y()[static_cast<std::size_t>(i)] ? 1 : 0;
  }
  const double accuracy = static_cast<double>(correct) / static_cast<double>(ztest.rows());
  RecordProperty("cbf_nearest_centroid_accuracy", std::to_string(accuracy));
  EXPECT_GE(accuracy, 0.85) << "nearest-centroid accuracy on CBF";
}

}  // namespace
}  // namespace strider
