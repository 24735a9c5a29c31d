#include "strider/datasets/cylinder_bell_funnel.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace strider::datasets {
namespace {

TEST(CylinderBellFunnel, ShapesLabelsAndNormalisation) {
  const TrainTest d = load_cylinder_bell_funnel({30, 60, 128, true, 3});
  EXPECT_EQ(d.train.n_series(), 30);
  EXPECT_EQ(d.test.n_series(), 60);
  EXPECT_EQ(d.train.max_length(), 128);
  EXPECT_EQ(d.train.classes(), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(d.train.y()[0], 0);
  EXPECT_EQ(d.train.y()[1], 1);
  EXPECT_EQ(d.train.y()[2], 2);
  for (index_t i = 0; i < d.train.n_series(); ++i) {
    double m = 0, v = 0;
    for (index_t t = 0; t < 128; ++t)
      m += d.train(i, 0, t);
    m /= 128;
    for (index_t t = 0; t < 128; ++t)
      v += (d.train(i, 0, t) - m) * (d.train(i, 0, t) - m);
    EXPECT_NEAR(m, 0.0, 1e-12);
    EXPECT_NEAR(v / 128, 1.0, 1e-12);
  }
}

TEST(CylinderBellFunnel, SameSeedSameDataOtherSeedOtherData) {
  const Panel a = make_cylinder_bell_funnel(9, 64, false, 5);
  const Panel b = make_cylinder_bell_funnel(9, 64, false, 5);
  const Panel c = make_cylinder_bell_funnel(9, 64, false, 6);
  EXPECT_EQ(a.data(), b.data());
  EXPECT_NE(a.data(), c.data());
  // train and test are distinct draws
  const TrainTest d = load_cylinder_bell_funnel({9, 9, 64, false, 5});
  EXPECT_NE(d.train.data(), d.test.data());
}

TEST(CylinderBellFunnel, ShapesFollowTheDefinition) {
  // Without noise averaging is not possible per series, so check class means: a cylinder
  // is flat on [a, b], a bell rises, a funnel falls. Average many unnormalised series.
  const Panel p = make_cylinder_bell_funnel(3 * 400, 128, false, 11);
  std::vector<std::vector<double>> mean(3, std::vector<double>(128, 0.0));
  for (index_t i = 0; i < p.n_series(); ++i)
    for (index_t t = 0; t < 128; ++t)
      mean[p.y()[i]][t] += p(i, 0, t) / 400.0;
  EXPECT_NEAR(mean[0][5], 0.0, 0.2);    // before a: noise only
  EXPECT_GT(mean[0][40], 5.0);          // cylinder plateau ~6
  EXPECT_LT(mean[1][34], mean[1][60]);  // bell rises
  EXPECT_GT(mean[2][34], mean[2][60]);  // funnel falls
  EXPECT_NEAR(mean[2][127], 0.0, 0.3);  // after b (<= 128) mostly
}

TEST(CylinderBellFunnel, BadParams) {
  EXPECT_THROW(make_cylinder_bell_funnel(-1, 128, true, 0), std::invalid_argument);
  EXPECT_THROW(make_cylinder_bell_funnel(3, 7, true, 0), std::invalid_argument);
  EXPECT_THROW(load_cylinder_bell_funnel({2, 10, 128, true, 0}), std::invalid_argument);
}

}  // namespace
}  // namespace strider::datasets
