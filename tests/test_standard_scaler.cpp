#include "strider/linear/standard_scaler.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <cereal/archives/json.hpp>
#include <cereal/archives/portable_binary.hpp>

#include "linear_test_support.hpp"
#include "strider/error.hpp"

namespace strider {
namespace {

using ::testing::HasSubstr;

RowMatrixD random_matrix(index_t n, index_t f, std::uint64_t seed) {
  Rng rng(seed);
  RowMatrixD x(n, f);
  for (index_t j = 0; j < f; ++j) {
    const double mu = rng.uniform(-50.0, 50.0), sd = rng.uniform(0.01, 20.0);
    for (index_t i = 0; i < n; ++i)
      x(i, j) = mu + sd * rng.normal();
  }
  return x;
}

// Mean and population variance by the textbook two-pass formulas in long double.
void reference_moments(const RowMatrixD& x, VectorD& mean, VectorD& var) {
  const index_t n = x.rows(), f = x.cols();
  mean.resize(f);
  var.resize(f);
  for (index_t j = 0; j < f; ++j) {
    long double s = 0;
    for (index_t i = 0; i < n; ++i)
      s += x(i, j);
    const long double m = s / n;
    long double q = 0;
    for (index_t i = 0; i < n; ++i)
      q += (x(i, j) - m) * (x(i, j) - m);
    mean(j) = static_cast<double>(m);
    var(j) = static_cast<double>(q / n);
  }
}

TEST(StandardScaler, MatchesTwoPassMomentsAndStandardises) {
  const RowMatrixD x = random_matrix(200, 70, 1);
  StandardScaler s;
  const RowMatrixD z = s.fit_transform<double>(x);
  VectorD mean, var;
  reference_moments(x, mean, var);
  EXPECT_EQ(s.n_features(), 70);
  EXPECT_EQ(s.n_samples_seen(), 200);
  for (index_t j = 0; j < 70; ++j) {
    EXPECT_NEAR(s.mean()(j), mean(j), 1e-13 * std::abs(mean(j)) + 1e-13);
    EXPECT_NEAR(s.var()(j), var(j), 1e-12 * var(j));
    EXPECT_DOUBLE_EQ(s.scale()(j), std::sqrt(s.var()(j)));
  }
  // Standardised columns: mean 0, population variance 1.
  const Eigen::RowVectorXd zm = z.colwise().mean();
  EXPECT_LT(zm.cwiseAbs().maxCoeff(), 1e-12);
  const Eigen::RowVectorXd zv = (z.rowwise() - zm).array().square().colwise().mean();
  EXPECT_LT((zv.array() - 1.0).abs().maxCoeff(), 1e-12);
  for (index_t i = 0; i < 200; i += 37)
    for (index_t j = 0; j < 70; j += 11)
      EXPECT_EQ(z(i, j), (x(i, j) - s.mean()(j)) / s.scale()(j));
}

TEST(StandardScaler, FloatInputUsesDoubleAccumulatorsAndNumpyRounding) {
  const RowMatrixF x = random_matrix(150, 20, 2).cast<float>();
  StandardScaler sf, sd;
  sf.fit<float>(x);
  sd.fit<double>(x.cast<double>());
  EXPECT_TRUE(sf.mean() == sd.mean());
  EXPECT_TRUE(sf.var() == sd.var());
  const RowMatrixF z = sf.transform<float>(x);
  for (index_t i = 0; i < x.rows(); ++i)
    for (index_t j = 0; j < x.cols(); ++j) {
      const float c = static_cast<float>(static_cast<double>(x(i, j)) - sf.mean()(j));
      EXPECT_EQ(z(i, j), static_cast<float>(static_cast<double>(c) / sf.scale()(j)));
    }
}

TEST(StandardScaler, ConstantColumnsKeepScaleOne) {
  RowMatrixD x = random_matrix(50, 5, 3);
  x.col(1).setConstant(0.1);  // not exactly representable: the mean is off by rounding
  x.col(3).setZero();
  StandardScaler s;
  const RowMatrixD z = s.fit_transform<double>(x);
  EXPECT_EQ(s.scale()(1), 1.0);
  EXPECT_EQ(s.scale()(3), 1.0);
  EXPECT_LT(s.var()(1), 1e-30);
  EXPECT_LT(z.col(1).cwiseAbs().maxCoeff(), 1e-15);
  EXPECT_TRUE(z.col(3).isZero(0.0));
  EXPECT_NE(s.scale()(0), 1.0);
  // A single sample: every column is constant.
  StandardScaler one;
  one.fit<double>(x.topRows(1));
  EXPECT_TRUE(one.scale().isOnes(0.0));
  EXPECT_TRUE(one.transform<double>(x.topRows(1)).isZero(0.0));
}

TEST(StandardScaler, FlagsSelectTheSteps) {
  const RowMatrixD x = random_matrix(40, 6, 4);
  for (bool with_mean : {false, true})
    for (bool with_std : {false, true}) {
      StandardScaler s({with_mean, with_std, 1});
      const RowMatrixD z = s.fit_transform<double>(x);
      RowMatrixD expect = x;
      if (with_mean) expect.rowwise() -= s.mean().transpose();
      if (with_std) expect.array().rowwise() /= s.scale().transpose().array();
      EXPECT_TRUE(z.isApprox(expect, 1e-15)) << with_mean << with_std;
      const RowMatrixD back = s.inverse_transform<double>(z);
      EXPECT_LT((back - x).cwiseAbs().maxCoeff(), 1e-12) << with_mean << with_std;
    }
}

TEST(StandardScaler, InplaceEqualsCopyAndOtherRowsWork) {
  const RowMatrixD x = random_matrix(60, 9, 5);
  StandardScaler s;
  s.fit<double>(x);
  RowMatrixD y = random_matrix(7, 9, 6);
  const RowMatrixD copy = s.transform<double>(y);
  s.transform_inplace<double>(y);
  EXPECT_TRUE(copy == y);
  // A block of a larger matrix is transformed in place without touching the rest.
  RowMatrixD big = RowMatrixD::Constant(10, 9, 3.0);
  big.middleRows(2, 3) = x.topRows(3);
  Eigen::Ref<RowMatrixD> part = big.middleRows(2, 3);
  s.transform_inplace<double>(part);
  EXPECT_TRUE(big.middleRows(2, 3) == s.transform<double>(x.topRows(3)));
  EXPECT_TRUE(big.topRows(2).isConstant(3.0));
}

template <class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no std::invalid_argument)";
}

TEST(StandardScaler, ColumnFactorInTheSamePassEqualsAMultiplicationAfter) {
  const RowMatrixD x = random_matrix(50, 7, 21);
  const VectorD factor = (VectorD(7) << 1.0, 0.25, 0.3, 3.0, 1e-3, 0.0, -2.0).finished();
  for (bool with_mean : {false, true})
    for (bool with_std : {false, true}) {
      StandardScaler s({with_mean, with_std, 2});
      s.fit<double>(x);
      RowMatrixD expect = s.transform<double>(x), got = x;
      for (index_t j = 0; j < 7; ++j)
        expect.col(j) *= factor(j);
      s.transform_inplace<double>(got, factor);
      EXPECT_TRUE(got == expect) << with_mean << with_std;
      // In float: the factor's product rounded to float, as `column *= float(factor)`.
      const Vector<float> ff = factor.cast<float>();
      RowMatrixF expect_f = s.transform<float>(x.cast<float>()), got_f = x.cast<float>();
      for (index_t j = 0; j < 7; ++j)
        expect_f.col(j) *= ff(j);
      s.transform_inplace<float>(got_f, ff.cast<double>());
      EXPECT_TRUE(got_f == expect_f) << with_mean << with_std;
    }
  StandardScaler s;
  s.fit<double>(x);
  RowMatrixD y = x;
  EXPECT_THAT(message_of([&] { s.transform_inplace<double>(y, VectorD::Ones(6)); }),
              HasSubstr("the column factor has 6 entries; need 7 finite values"));
  VectorD bad = factor;
  bad(2) = std::numeric_limits<double>::infinity();
  EXPECT_THAT(message_of([&] { s.transform_inplace<double>(y, bad); }),
              HasSubstr("not all finite"));
  EXPECT_TRUE(y == x);  // untouched
}

TEST(StandardScaler, FitTransformInplaceEqualsFitThenTransform) {
  const RowMatrixD x = random_matrix(40, 6, 23);
  const VectorD factor = (VectorD(6) << 1.0, 0.25, 0.25, 2.0, 0.5, 3.0).finished();
  StandardScaler a, b;
  a.fit<double>(x);
  RowMatrixD want = x, got = x;
  a.transform_inplace<double>(want, factor);
  b.fit_transform_inplace<double>(got, factor);
  EXPECT_TRUE(got == want);
  EXPECT_TRUE(b.mean() == a.mean() && b.scale() == a.scale());
  RowMatrixF gf = x.cast<float>();
  StandardScaler c;
  c.fit_transform_inplace<float>(gf);
  EXPECT_TRUE(gf == c.transform<float>(x.cast<float>()));
  // Refused input leaves x and the scaler as they were.
  RowMatrixD bad = x;
  bad(5, 2) = std::numeric_limits<double>::quiet_NaN();
  StandardScaler d;
  EXPECT_THAT(message_of([&] { d.fit_transform_inplace<double>(bad, factor); }),
              HasSubstr("row 5, column 2"));
  EXPECT_FALSE(d.is_fitted());
  EXPECT_TRUE(bad.topRows(5) == x.topRows(5));
  RowMatrixD y = x;
  EXPECT_THAT(message_of([&] { d.fit_transform_inplace<double>(y, VectorD::Ones(5)); }),
              HasSubstr("need 6 finite values"));
  EXPECT_FALSE(d.is_fitted());
  EXPECT_TRUE(y == x);
}

TEST(StandardScaler, BitIdenticalForAnyThreadCount) {
  const RowMatrixD x = random_matrix(300, 200, 7);
  StandardScaler a({true, true, 1}), b({true, true, 3});
  a.fit<double>(x);
  b.fit<double>(x);
  EXPECT_TRUE(a.mean() == b.mean());
  EXPECT_TRUE(a.var() == b.var());
  EXPECT_TRUE(a.transform<double>(x) == b.transform<double>(x));
}

TEST(StandardScaler, RejectsBadInput) {
  EXPECT_THAT(message_of([] { StandardScaler s({true, true, 0}); }), HasSubstr("n_jobs = 0"));
  StandardScaler s;
  EXPECT_THAT(message_of([&] { s.fit<double>(RowMatrixD(0, 3)); }), HasSubstr("0 x 3"));
  EXPECT_THAT(message_of([&] { s.fit<double>(RowMatrixD(4, 0)); }), HasSubstr("4 x 0"));
  RowMatrixD x = random_matrix(10, 4, 8);
  x(7, 3) = std::numeric_limits<double>::quiet_NaN();
  const std::string msg = message_of([&] { s.fit<double>(x); });
  EXPECT_THAT(msg, HasSubstr("row 7, column 3"));
  EXPECT_THAT(msg, HasSubstr("StandardScaler::fit()"));
  EXPECT_FALSE(s.is_fitted());
  EXPECT_THROW(s.transform<double>(x), NotFittedError);
  EXPECT_THROW(s.mean(), NotFittedError);
  x(7, 3) = 0.0;
  s.fit<double>(x);
  EXPECT_THAT(message_of([&] { s.transform<double>(RowMatrixD::Zero(2, 5)); }),
              HasSubstr("x has 5 features, fit() saw 4"));
  RowMatrixF bad = x.cast<float>();
  bad(0, 1) = std::numeric_limits<float>::infinity();
  const RowMatrixF before = bad;
  EXPECT_THAT(message_of([&] { s.transform_inplace<float>(bad); }), HasSubstr("row 0, column 1"));
  EXPECT_TRUE(bad.cwiseEqual(before).all());  // untouched (inf == inf)
}

template <class Out, class In>
StandardScaler round_trip(const StandardScaler& s, std::string* bytes = nullptr) {
  std::stringstream ss;
  {
    Out ar(ss);
    ar(cereal::make_nvp("scaler", s));
  }
  if (bytes) *bytes = ss.str();
  StandardScaler loaded;
  In ar(ss);
  ar(cereal::make_nvp("scaler", loaded));
  return loaded;
}

TEST(StandardScalerSerialization, RoundTripsTransformIdentically) {
  const RowMatrixD x = random_matrix(30, 8, 9);
  StandardScaler s({false, true, 2});
  s.fit<double>(x);
  const auto bin =
      round_trip<cereal::PortableBinaryOutputArchive, cereal::PortableBinaryInputArchive>(s);
  std::string json;
  const auto js = round_trip<cereal::JSONOutputArchive, cereal::JSONInputArchive>(s, &json);
  for (const StandardScaler* l : {&bin, &js}) {
    EXPECT_TRUE(l->transform<double>(x) == s.transform<double>(x));
    EXPECT_TRUE(l->var() == s.var());
    EXPECT_EQ(l->n_samples_seen(), 30);
    EXPECT_FALSE(l->params().with_mean);
    EXPECT_EQ(l->params().n_jobs, 2);
  }
  const auto unfitted =
      round_trip<cereal::JSONOutputArchive, cereal::JSONInputArchive>(StandardScaler{});
  EXPECT_FALSE(unfitted.is_fitted());

  // Inconsistent or corrupted archives are FormatErrors (or cereal's own exceptions for a
  // truncated stream), never crashes.
  auto load_json = [](std::string text) {
    std::stringstream ss(text);
    StandardScaler l;
    cereal::JSONInputArchive ar(ss);
    ar(cereal::make_nvp("scaler", l));
  };
  std::string bad = json;
  bad.replace(bad.find("\"rows\": 8"), 9, "\"rows\": 7");
  EXPECT_THROW(load_json(bad), FormatError);
  std::string bytes;
  round_trip<cereal::PortableBinaryOutputArchive, cereal::PortableBinaryInputArchive>(s, &bytes);
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    std::stringstream ss(bytes.substr(0, len));
    StandardScaler l;
    try {
      cereal::PortableBinaryInputArchive ar(ss);
      ar(l);
      ADD_FAILURE() << "a truncated archive of " << len << " bytes loaded";
    } catch (const FormatError&) {
    } catch (const cereal::Exception&) {
    }
  }
}

}  // namespace
}  // namespace strider
