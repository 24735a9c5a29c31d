// DilatedKernelTransform against the independent numpy recomputation in
// tests/reference/transform_reference.py: this test exports raw data, kernels and the
// C++ features (format documented in the script), then runs the script.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "strider/random.hpp"
#include "strider/transform/dilated_kernel_transform.hpp"
#include "test_support.hpp"
#include "transform_test_support.hpp"

namespace strider {
namespace {

using Params = DilatedKernelTransformParams;
using test::random_panel;

std::string g17(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// Writes one case directory for transform_reference.py.
void export_case(const test::fs::path& dir, const Panel& x, const DilatedKernelTransform& t,
                 const RowMatrixD& features) {
  test::fs::create_directories(dir);
  {
    std::ofstream meta(dir / "meta.txt");
    meta << "n_series " << x.n_series() << "\nn_channels " << x.n_channels() << "\nnan_policy "
         << (t.params().nan_policy == NanPolicy::interpolate ? "interpolate" : "raise")
         << "\nnormalize " << (t.params().normalize_input ? 1 : 0) << "\n";
  }
  {
    std::ofstream data(dir / "data.txt");
    for (index_t n = 0; n < x.n_series(); ++n) {
      data << x.length(n);
      for (index_t c = 0; c < x.n_channels(); ++c)
        for (index_t i = 0; i < x.length(n); ++i)
          data << ' ' << g17(x(n, c, i));
      data << '\n';
    }
  }
  {
    std::ofstream kernels(dir / "kernels.txt");
    for (const Kernel& k : t.kernels()) {
      kernels << k.length << ' ' << k.dilation << ' ' << k.padding << ' ' << k.channel << ' '
              << (k.shape ? 1 : 0);
      for (double v : k.values)
        kernels << ' ' << g17(v);
      kernels << '\n';
    }
  }
  std::ofstream out(dir / "features.txt");
  for (index_t n = 0; n < features.rows(); ++n) {
    for (index_t j = 0; j < features.cols(); ++j)
      out << (j ? " " : "") << g17(features(n, j));
    out << '\n';
  }
}

Kernel hand_kernel(index_t l, index_t d, index_t p, index_t c, std::uint64_t seed) {
  Kernel k;
  k.length = l;
  k.dilation = d;
  k.padding = p;
  k.channel = c;
  Rng rng(seed, 3);
  for (index_t j = 0; j < l; ++j)
    k.values.push_back(rng.normal());
  return k;
}

TEST(DilatedKernelTransformReference, RandomDataAndEdgeCasesMatchNumpy) {
  test::TempDir tmp;
  std::string dirs;
  auto add = [&](const std::string& name, const Panel& x, const DilatedKernelTransform& t) {
    export_case(tmp / name, x, t, t.transform(x));
    dirs += " \"" + (tmp / name).string() + "\"";
  };
  {  // univariate, equal length, sampled values, default lengths
    const Panel x = random_panel(8, 1, 60, 1);
    DilatedKernelTransform t(Params{.n_kernels = 60, .random_state = 1});
    t.fit(x);
    add("univariate", x, t);
  }
  {  // multivariate, N(0, 1) values, always padded
    const Panel x = random_panel(5, 3, 40, 2);
    DilatedKernelTransform t(
        Params{.n_kernels = 60, .p_padding = 1.0, .source = KernelSource::normal});
    t.fit(x);
    add("multivariate", x, t);
  }
  {  // variable length; transformed series shorter than many spans (zero extension)
    const Panel train = random_panel(7, 2, 50, 3, {50, 12, 33, 50, 20, 47, 15});
    DilatedKernelTransform t(Params{.n_kernels = 80, .lengths = {2, 5, 9}, .random_state = 3});
    t.fit(train);
    add("variable_train", train, t);
    add("variable_short", random_panel(6, 2, 30, 4, {1, 2, 3, 5, 8, 30}), t);
  }
  {  // hand-made kernels: largest dilation, padding 0 and maximal, L = 1, T = l
    std::vector<Kernel> kernels = {hand_kernel(7, 4, 0, 0, 1),  hand_kernel(7, 4, 12, 0, 2),
                                   hand_kernel(7, 4, 24, 0, 3), hand_kernel(2, 24, 0, 0, 4),
                                   hand_kernel(25, 1, 0, 0, 5), hand_kernel(25, 1, 12, 0, 6),
                                   hand_kernel(3, 1, 1, 0, 7)};
    DilatedKernelTransform t;
    t.set_kernels(kernels, 1);
    Panel::Tensor data = Panel::Tensor::from_shape({4, 1, 25});
    Rng rng(5, 5);
    for (double& v : data)
      v = rng.normal();
    for (std::size_t i = 0; i < 25; ++i)
      data(3, 0, i) = -1.5;  // a constant series
    add("hand_made", Panel(std::move(data), {25, 25, 7, 25}), t);
  }
  {  // K = 1
    const Panel x = random_panel(4, 1, 30, 6);
    DilatedKernelTransform t(Params{.n_kernels = 1, .random_state = 9});
    t.fit(x);
    add("one_kernel", x, t);
  }
  {  // small integers: many exact ties
    Panel::Tensor data = Panel::Tensor::from_shape({6, 1, 50});
    Rng rng(7, 7);
    for (double& v : data)
      v = static_cast<double>(rng.uniform_int(3));
    const Panel x(std::move(data));
    DilatedKernelTransform t(Params{.n_kernels = 60, .lengths = {2, 3, 7}});
    t.fit(x);
    add("integer_ties", x, t);
  }
  {  // raw, un-normalised data with missing values: interpolation + z-normalisation
    Panel::Tensor data = Panel::Tensor::from_shape({5, 2, 45});
    Rng rng(8, 8);
    for (double& v : data)
      v = 50.0 + 20.0 * rng.normal();
    data(0, 0, 0) = std::nan("");
    data(0, 0, 1) = std::nan("");
    data(1, 1, 20) = std::numeric_limits<double>::infinity();
    data(1, 1, 21) = std::nan("");
    data(2, 0, 44) = std::nan("");
    for (std::size_t i = 0; i < 45; ++i)
      data(3, 1, i) = std::nan("");  // nothing finite: zeros
    for (std::size_t i = 0; i < 45; ++i)
      data(4, 0, i) = 7.0;  // constant: zeros after z-normalisation
    const Panel x(std::move(data));
    DilatedKernelTransform t(
        Params{.n_kernels = 60, .nan_policy = NanPolicy::interpolate, .normalize_input = true});
    t.fit(x);
    add("interpolate_normalize", x, t);
  }
  {  // shape kernels beside plain ones: raw data far from 0, a constant stretch (constant
     // windows), padding, variable lengths, sampled and N(0, 1) values
    Panel::Tensor data = Panel::Tensor::from_shape({6, 2, 70});
    Rng rng(9, 9);
    for (std::size_t n = 0; n < 6; ++n)
      for (std::size_t c = 0; c < 2; ++c)
        for (std::size_t i = 0; i < 70; ++i)
          data(n, c, i) =
              300.0 + std::sin(0.2 * static_cast<double>(i * (n + 1))) + 0.2 * rng.normal();
    for (std::size_t i = 15; i < 45; ++i)
      data(2, 0, i) = 4.0;
    const Panel x(std::move(data), {70, 70, 70, 64, 70, 41});
    DilatedKernelTransform sampled(Params{.n_kernels = 80, .p_shape = 0.5});
    sampled.fit(x);
    add("shape_sampled", x, sampled);
    DilatedKernelTransform normal(
        Params{.n_kernels = 60, .p_padding = 1.0, .source = KernelSource::normal, .p_shape = 1.0});
    normal.fit(x);
    add("shape_normal", x, normal);
    DilatedKernelTransform normalized(
        Params{.n_kernels = 60, .normalize_input = true, .p_shape = 0.5});
    normalized.fit(x);
    add("shape_normalize", x, normalized);
  }
  STRIDER_RUN_REFERENCE("transform_reference.py", dirs);
}

// ---- real datasets --------------------------------------------------------------------

/// The first `max_series` series of a UCR .tsv file (label, then values; NaN kept).
Panel read_ucr(const test::fs::path& path, index_t max_series) {
  std::ifstream in(path);
  std::vector<std::vector<double>> rows;
  std::string line;
  while (static_cast<index_t>(rows.size()) < max_series && std::getline(in, line)) {
    std::istringstream fields(line);
    std::string field;
    std::getline(fields, field, '\t');  // label
    std::vector<double> row;
    while (std::getline(fields, field, '\t'))
      row.push_back(std::strtod(field.c_str(), nullptr));
    if (!row.empty()) rows.push_back(std::move(row));
  }
  std::size_t t_max = 0;
  for (const auto& r : rows)
    t_max = std::max(t_max, r.size());
  Panel::Tensor data = Panel::Tensor::from_shape({rows.size(), 1, t_max});
  data.fill(0.0);
  std::vector<index_t> lengths;
  for (std::size_t n = 0; n < rows.size(); ++n) {
    lengths.push_back(static_cast<index_t>(rows[n].size()));
    for (std::size_t i = 0; i < rows[n].size(); ++i)
      data(n, 0, i) = rows[n][i];
  }
  return Panel(std::move(data), std::move(lengths));
}

/// The first `max_series` cases of an equal-length UEA .ts file.
Panel read_ts(const test::fs::path& path, index_t max_series) {
  std::ifstream in(path);
  std::string line;
  bool in_data = false;
  std::vector<std::vector<std::vector<double>>> cases;
  while (static_cast<index_t>(cases.size()) < max_series && std::getline(in, line)) {
    if (!in_data) {
      in_data = line.rfind("@data", 0) == 0;
      continue;
    }
    if (line.empty()) continue;
    std::vector<std::vector<double>> channels;
    std::istringstream dims(line);
    std::string dim;
    while (std::getline(dims, dim, ':')) {
      std::vector<double> values;
      std::istringstream items(dim);
      std::string item;
      while (std::getline(items, item, ','))
        values.push_back(std::strtod(item.c_str(), nullptr));
      channels.push_back(std::move(values));
    }
    channels.pop_back();  // the class label
    cases.push_back(std::move(channels));
  }
  const std::size_t c = cases.at(0).size(), t = cases[0].at(0).size();
  Panel::Tensor data = Panel::Tensor::from_shape({cases.size(), c, t});
  for (std::size_t n = 0; n < cases.size(); ++n)
    for (std::size_t ch = 0; ch < c; ++ch)
      for (std::size_t i = 0; i < t; ++i)
        data(n, ch, i) = cases[n].at(ch).at(i);
  return Panel(std::move(data));
}

TEST(DilatedKernelTransformReference, RealDatasetsMatchNumpy) {
  STRIDER_REQUIRE_SHARED_DATASETS();
  const test::fs::path root = test::shared_datasets();
  test::TempDir tmp;
  std::string dirs;
  int n_cases = 0;
  auto add = [&](const std::string& name, const Panel& train, const Panel& test,
                 const Params& params) {
    DilatedKernelTransform t(params);
    t.fit(train);
    export_case(tmp / (name + "_train"), train, t, t.transform(train));
    export_case(tmp / (name + "_test"), test, t, t.transform(test));
    dirs += " \"" + (tmp / (name + "_train")).string() + "\" \"" +
            (tmp / (name + "_test")).string() + "\"";
    ++n_cases;
  };
  auto ucr = [&](const std::string& name, const Params& params) {
    const test::fs::path dir = root / "ucr" / name;
    if (!test::fs::exists(dir / (name + "_TRAIN.tsv"))) return;
    add(name, read_ucr(dir / (name + "_TRAIN.tsv"), 30), read_ucr(dir / (name + "_TEST.tsv"), 30),
        params);
  };
  ucr("GunPoint", Params{.n_kernels = 100});
  ucr("PickupGestureWiimoteZ", Params{.n_kernels = 100, .random_state = 1});  // variable length
  ucr("DodgerLoopGame", Params{.n_kernels = 100,  // missing values, not normalised
                               .nan_policy = NanPolicy::interpolate,
                               .normalize_input = true});
  ucr("Chinatown", Params{.n_kernels = 100, .normalize_input = true});  // raw values
  ucr("Lightning2", Params{.n_kernels = 100, .random_state = 2, .p_shape = 0.5});
  const test::fs::path bm = root / "uea" / "BasicMotions";
  if (test::fs::exists(bm / "BasicMotions_TRAIN.ts")) {  // multivariate, 6 channels
    add("BasicMotions", read_ts(bm / "BasicMotions_TRAIN.ts", 20),
        read_ts(bm / "BasicMotions_TEST.ts", 20), Params{.n_kernels = 100});
  }
  if (n_cases < 3) GTEST_SKIP() << "fewer than 3 of the reference datasets found under " << root;
  STRIDER_RUN_REFERENCE("transform_reference.py", dirs);
}

TEST(DilatedKernelTransformReference, Float32AgreesWithFloat64OnRealData) {
  STRIDER_REQUIRE_SHARED_DATASETS();
  const test::fs::path root = test::shared_datasets();
  index_t n_values = 0, arg_diff = 0, frac_diff = 0, n_min = 0;
  double max_min_rel = 0;
  int n_sets = 0;
  for (const std::string name : {"GunPoint", "ECG200", "Coffee", "Trace", "ItalyPowerDemand"}) {
    const test::fs::path dir = root / "ucr" / name;
    if (!test::fs::exists(dir / (name + "_TRAIN.tsv"))) continue;
    ++n_sets;
    const Panel train = read_ucr(dir / (name + "_TRAIN.tsv"), 40);
    const Panel test = read_ucr(dir / (name + "_TEST.tsv"), 40);
    DilatedKernelTransform t(Params{.n_kernels = 500});
    t.fit(train);
    const RowMatrixD f64 = t.transform(test);
    const RowMatrixF f32 = t.transform<float>(test);
    for (index_t n = 0; n < f64.rows(); ++n) {
      for (index_t k = 0; k < f64.cols(); k += 3) {
        n_values += 1;
        const double m64 = f64(n, k), m32 = f32(n, k);
        if (m64 > 1e-3) {  // relative error of tiny minima is not meaningful in float
          ++n_min;
          max_min_rel = std::max(max_min_rel, std::abs(m32 - m64) / m64);
        }
        // The fraction is stored rounded to float: compare at float precision.
        frac_diff += static_cast<float>(f64(n, k + 1)) != f32(n, k + 1) ? 1 : 0;
        arg_diff += f64(n, k + 2) != static_cast<double>(f32(n, k + 2)) ? 1 : 0;
      }
    }
  }
  if (n_sets == 0) GTEST_SKIP() << "none of the datasets found under " << root;
  const double arg_rate = static_cast<double>(arg_diff) / static_cast<double>(n_values);
  const double frac_rate = static_cast<double>(frac_diff) / static_cast<double>(n_values);
  std::printf(
      "float32 vs float64 on %d UCR sets, %ld kernel outputs: max relative difference of "
      "min %.3g (%ld minima > 1e-3); argmin differs in %.4f%%, increasing fraction in "
      "%.4f%%\n",
      n_sets, static_cast<long>(n_values), max_min_rel, static_cast<long>(n_min), 100 * arg_rate,
      100 * frac_rate);
  EXPECT_LT(max_min_rel, 1e-4);
  EXPECT_LT(arg_rate, 0.02);
  EXPECT_LT(frac_rate, 0.05);
}

}  // namespace
}  // namespace strider
