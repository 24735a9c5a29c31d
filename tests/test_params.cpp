// The params tables (strider/params.hpp): checks, text, serialization of retired fields,
// and docs/parameters.md, which is generated from the tables and must match them.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include <cereal/archives/json.hpp>
#include <cereal/archives/portable_binary.hpp>

#include "strider/classifier.hpp"
#include "strider/regressor.hpp"
#include "test_support.hpp"

namespace strider {
namespace {

// ---- the docs table ------------------------------------------------------------------

template <class V>
std::string type_name() {
  if constexpr (std::is_same_v<V, bool>) {
    return "bool";
  } else if constexpr (std::is_same_v<V, double>) {
    return "number";
  } else if constexpr (std::is_integral_v<V>) {
    return "integer";
  } else if constexpr (NamedEnum<V>) {
    std::string s;
    for (const auto& item : EnumNames<V>::items)
      s += (s.empty() ? "" : " \\| ") + std::string(item.second);
    return s;
  } else if constexpr (std::is_same_v<V, std::vector<double>>) {
    return "list of numbers";
  } else if constexpr (std::is_same_v<V, std::vector<index_t>>) {
    return "list of integers";
  } else {
    return std::to_string(std::tuple_size_v<V>) + " numbers";
  }
}

template <class V>
std::string default_text(const V& v) {
  return summary_text(v);
}

/// `s` with the table separator escaped.
std::string cell(std::string s) {
  for (std::size_t at = s.find('|'); at != std::string::npos; at = s.find('|', at + 2))
    s.replace(at, 1, "\\|");
  return s;
}

/// One markdown row per live field of P (nested structs flattened as prefix.name).
template <class P>
void rows(std::ostream& out, const P& defaults, const std::string& prefix) {
  for_each_param<P>([&](const auto& row) {
    using V = typename std::decay_t<decltype(row)>::value_type;
    if constexpr (ParamStruct<V>) {
      rows<V>(out, defaults.*row.member, prefix + row.name + ".");
    } else {
      std::string flag = "-";
      if (row.flag[0] != '\0') {
        flag = std::is_same_v<V, bool>
                   ? std::string("`--[no-]") + row.flag + "`"
                   : cell(std::string("`--") + row.flag + " " + row.metavar + "`");
      }
      out << "| `" << prefix << row.name << "` | " << type_name<V>() << " | "
          << default_text(defaults.*row.member) << " | " << flag << " | " << row.help << " |\n";
    }
  });
}

template <class P>
void table(std::ostream& out, const P& defaults) {
  out << "| field | type | default | command line | meaning |\n|---|---|---|---|---|\n";
  rows<P>(out, defaults, "");
  out << "\n";
}

template <class P>
void retired_rows(std::ostream& out, const char* type) {
  for_each_row<P>([&](const auto& row) {
    using Row = std::decay_t<decltype(row)>;
    if constexpr (std::is_same_v<Row, RetiredField<P, typename Row::value_type>>) {
      out << "| `" << type << "::" << row.name << "` | " << row.since << " - " << row.retired - 1
          << " | " << row.what << " | "
          << (row.effect == RetiredEffect::fit_only
                  ? "loads; the stored value is ignored (it only steered fitting)"
                  : "loads when it was " + ParamText<typename Row::value_type>::text(row.inert) +
                        "; otherwise refused, naming the option")
          << " |\n";
    }
  });
}

std::string parameters_markdown() {
  std::ostringstream out;
  out << "# Parameters\n\n"
      << "Generated from the parameter tables in the headers (`ParamTable<...>` next to each\n"
      << "params struct, see `include/strider/params.hpp`); `tests/test_params.cpp` checks that\n"
      << "this file matches them. To regenerate it after changing a table:\n"
      << "`STRIDER_UPDATE_DOCS=1 build/dev/tests/strider_tests --gtest_filter='Params.Docs*'`.\n\n"
      << "## KernelClassifierParams (the classifier, and `strider fit` / `evaluate`)\n\n"
      << "Defaults as the classifier sets them. `--threads N` (also `--n-jobs`) sets every\n"
      << "stage's `n_jobs`.\n\n";
  table(out, KernelClassifierParams{});
  out << "## KernelRegressorParams (the regressor, and `strider fit` / `evaluate` with "
         "`--task regression`)\n\n"
      << "The classifier's transform, scaler, feature weights and their defaults, with a\n"
      << "regression ridge. On the command line the shared options are the same flags.\n\n";
  table(out, KernelRegressorParams{});
  out << "## DilatedKernelTransformParams (the transform used alone)\n\n";
  table(out, DilatedKernelTransformParams{});
  out << "## StandardScalerParams (the scaler used alone)\n\n";
  table(out, StandardScalerParams{});
  out << "## RidgeClassifierCVParams (the ridge used alone)\n\n";
  table(out, RidgeClassifierCVParams{});
  out << "## RidgeCVParams (the regression ridge used alone)\n\n";
  table(out, RidgeCVParams{});
  out << "## Retired options\n\n"
      << "Options that lost their cross-validated comparison (docs/choosing_defaults.md) were\n"
      << "removed. Model files written while they existed still load:\n\n"
      << "| option | format versions | what it did | an old file that stored it |\n"
      << "|---|---|---|---|\n";
  retired_rows<DilatedKernelTransformParams>(out, "DilatedKernelTransformParams");
  retired_rows<RidgeClassifierCVParams>(out, "RidgeClassifierCVParams");
  retired_rows<KernelClassifierParams>(out, "KernelClassifierParams");
  return out.str();
}

TEST(Params, DocsTableMatchesTheTables) {
  const std::string path = std::string(STRIDER_SOURCE_DIR) + "/docs/parameters.md";
  const std::string generated = parameters_markdown();
  if (const char* update = std::getenv("STRIDER_UPDATE_DOCS");
      update && std::string(update) == "1") {
    std::ofstream(path) << generated;
  }
  EXPECT_EQ(test::read_file(path), generated)
      << "docs/parameters.md is out of date; regenerate it with\n"
         "STRIDER_UPDATE_DOCS=1 build/dev/tests/strider_tests --gtest_filter='Params.Docs*'";
}

// ---- checks and text -----------------------------------------------------------------

using test::message_of;

TEST(Params, ValidationNamesTheFieldItsValueAndWhatIsExpected) {
  DilatedKernelTransformParams p;
  p.n_kernels = 0;
  EXPECT_EQ(message_of([&] { p.validate("T"); }),
            "T: n_kernels = 0; expected 1 .. 16777216 kernels");
  p = {};
  p.lengths = {7, 1};
  EXPECT_EQ(message_of([&] { p.validate("T"); }),
            "T: lengths = 7,1; lengths[1] = 1; every kernel length must be 2 .. 4194304");
  p = {};
  p.source = static_cast<KernelSource>(7);
  EXPECT_EQ(message_of([&] { p.validate("T"); }),
            "T: source = 7; expected sample, normal or mixed");
  KernelClassifierParams c;
  c.ridge.alphas = {1.0, -2.0};
  EXPECT_EQ(message_of([&] { c.validate("C"); }),
            "C: ridge: alphas = 1,-2; item 2 = -2; every value must be finite and > 0");
  c = {};
  c.feature_weights = {0.0, 0.0, 0.0};
  EXPECT_EQ(message_of([&] { c.validate("C"); }),
            "C: feature_weights = 0,0,0; expected at least one weight > 0");
  c = {};
  c.scaler.n_jobs = 0;
  EXPECT_NE(message_of([&] { c.validate("C"); }).find("C: scaler: n_jobs = 0"), std::string::npos);
  EXPECT_NO_THROW(KernelClassifierParams{}.validate());
}

TEST(Params, TextRoundTripsAndParsingSaysWhatIsExpected) {
  EXPECT_EQ(ParamText<std::vector<index_t>>::parse("5,7,9"), (std::vector<index_t>{5, 7, 9}));
  EXPECT_EQ(ParamText<std::vector<index_t>>::text({5, 7, 9}), "5,7,9");
  EXPECT_EQ(ParamText<double>::parse(ParamText<double>::text(0.1)), 0.1);
  EXPECT_EQ(ParamText<KernelSource>::parse("mixed"), KernelSource::mixed);
  EXPECT_EQ((ParamText<std::array<double, 3>>::parse("1,0.25,0.25")),
            (std::array<double, 3>{1.0, 0.25, 0.25}));
  EXPECT_EQ(message_of([] { (void)ParamText<KernelSource>::parse("uniform"); }),
            "expected sample, normal or mixed");
  EXPECT_EQ(message_of([] { (void)ParamText<index_t>::parse("12x"); }), "expected an integer");
  EXPECT_EQ(message_of([] { (void)ParamText<std::vector<double>>::parse("1,,2"); }),
            "expected a comma-separated list, no empty item");
  EXPECT_EQ(message_of([] { (void)(ParamText<std::array<double, 3>>::parse("1,2")); }),
            "2 values; expected 3");
  EXPECT_EQ(message_of([] { (void)ParamText<std::uint64_t>::parse("-1"); }),
            "expected an integer >= 0");
}

// ---- serialization -------------------------------------------------------------------

template <class P>
std::string json_of(const P& p) {
  std::ostringstream out;
  {
    cereal::JSONOutputArchive ar(out);
    ar(cereal::make_nvp("p", p));
  }
  return out.str();
}

template <class P>
P from_json(const std::string& text) {
  std::istringstream in(text);
  cereal::JSONInputArchive ar(in);
  P p;
  ar(cereal::make_nvp("p", p));
  return p;
}

template <class P>
P binary_round_trip(const P& p) {
  std::stringstream s(std::ios::in | std::ios::out | std::ios::binary);
  {
    cereal::PortableBinaryOutputArchive ar(s);
    ar(p);
  }
  cereal::PortableBinaryInputArchive ar(s);
  P q;
  ar(q);
  return q;
}

TEST(Params, EveryFieldRoundTripsInBothEncodings) {
  KernelClassifierParams p;
  p.transform.n_kernels = 123;
  p.transform.lengths = {3, 4};
  p.transform.random_state = 0xFFFFFFFFFFFFFFF1ULL;
  p.transform.nan_policy = NanPolicy::interpolate;
  p.transform.length_quantile = 0.25;
  p.scaler.with_std = false;
  p.ridge.alphas = {0.5, 2.0};
  p.ridge.class_weight = ClassWeight::none;
  p.transform.add_occurrences = false;  // every field away from its default
  p.transform.p_shape = 0.25;
  p.float32 = false;
  p.choose_normalization = false;
  p.feature_weights = {1.0, 0.5, 0.0};
  p.occurrence_weight = 0.3;
  p.choose_representation = !KernelClassifierParams{}.choose_representation;
  p.choose_features = !KernelClassifierParams{}.choose_features;
  EXPECT_EQ(from_json<KernelClassifierParams>(json_of(p)), p);
  EXPECT_EQ(binary_round_trip(p), p);
  const std::string json = json_of(p);
  for (const char* retired : {"normalize_kernels", "scale_normal_kernels", "add_raw_input",
                              "choose_differences", "scoring"})
    EXPECT_EQ(json.find(retired), std::string::npos) << retired << " is still written";
}

/// A version-4 transform params object as the previous format wrote it.
std::string transform_v4(bool add_raw_input, bool normalize_kernels) {
  return std::string(R"({"p": {"cereal_class_version": 4, "n_kernels": 10, "lengths": [7, 9],
    "p_padding": 0.5, "source": 2, "random_state": 3, "n_jobs": 1, "nan_policy": 0,
    "normalize_input": true, "normalize_kernels": )") +
         (normalize_kernels ? "true" : "false") +
         R"(, "add_differences": true, "length_quantile": 0.5, "scale_normal_kernels": true,
    "add_raw_input": )" +
         (add_raw_input ? "true" : "false") + "}}";
}

TEST(Params, RetiredOptionsLoadOrAreRefusedByName) {
  // fit-only options: the values are ignored
  const auto p = from_json<DilatedKernelTransformParams>(transform_v4(false, true));
  EXPECT_EQ(p.n_kernels, 10);
  EXPECT_EQ(p.lengths, (std::vector<index_t>{7, 9}));
  EXPECT_EQ(p.source, KernelSource::mixed);
  EXPECT_TRUE(p.add_differences);
  EXPECT_EQ(p.length_quantile, 0.5);
  // an option that changed the features: refused, naming it
  const std::string m =
      message_of([] { (void)from_json<DilatedKernelTransformParams>(transform_v4(true, false)); });
  EXPECT_NE(m.find("add_raw_input = true"), std::string::npos) << m;
  EXPECT_NE(m.find("retired in format version 5"), std::string::npos) << m;
}

TEST(Params, OlderVersionsLoadTheValuesTheyImply) {
  // version 1 of the classifier params had no choose_normalization and no feature weights
  const std::string v1 = R"({"p": {"cereal_class_version": 1,
    "transform": {"cereal_class_version": 1, "n_kernels": 10, "lengths": [7], "p_padding": 0.5,
      "source": 0, "random_state": 0, "n_jobs": 1, "nan_policy": 0, "normalize_input": false},
    "scaler": {"cereal_class_version": 1, "with_mean": true, "with_std": true, "n_jobs": 1},
    "ridge": {"cereal_class_version": 1, "alphas": [1.0], "fit_intercept": true,
      "class_weight": 0, "n_jobs": 1},
    "float32": false}})";
  const auto p = from_json<KernelClassifierParams>(v1);
  EXPECT_FALSE(p.choose_normalization);
  EXPECT_EQ(p.feature_weights, (std::array<double, 3>{1.0, 1.0, 1.0}));
  EXPECT_FALSE(p.transform.add_differences);
  EXPECT_EQ(p.transform.length_quantile, 0.0);
  // what the file stored or implies, not the current defaults (float32, occurrences on)
  EXPECT_FALSE(p.float32);
  EXPECT_FALSE(p.transform.add_occurrences);
  EXPECT_EQ(p.transform.p_shape, 0.0);
  EXPECT_EQ(p.occurrence_weight, 0.5);
  EXPECT_FALSE(p.choose_representation);
  EXPECT_FALSE(p.choose_features);
  // a newer version is refused by name
  std::string newer = v1;
  newer.replace(newer.find("\"cereal_class_version\": 1"), 25, "\"cereal_class_version\": 9");
  EXPECT_NE(message_of([&] {
              (void)from_json<KernelClassifierParams>(newer);
            }).find("KernelClassifierParams version 9 is newer"),
            std::string::npos);
}

}  // namespace
}  // namespace strider
