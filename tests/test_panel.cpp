#include "strider/panel.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace strider {
namespace {

Panel::Tensor iota_tensor(std::size_t n, std::size_t c, std::size_t t) {
  Panel::Tensor x = Panel::Tensor::from_shape({n, c, t});
  for (std::size_t k = 0; k < x.size(); ++k)
    x.data()[k] = static_cast<double>(k);
  return x;
}

TEST(Panel, EqualLengthShapesAndAccess) {
  Panel p(iota_tensor(3, 2, 5));
  EXPECT_EQ(p.n_series(), 3);
  EXPECT_EQ(p.n_channels(), 2);
  EXPECT_EQ(p.max_length(), 5);
  EXPECT_EQ(p.min_length(), 5);
  EXPECT_TRUE(p.equal_length());
  EXPECT_FALSE(p.has_labels());
  EXPECT_DOUBLE_EQ(p(1, 1, 2), (1 * 2 + 1) * 5 + 2);
  EXPECT_DOUBLE_EQ(p.at(2, 0, 4), (2 * 2 + 0) * 5 + 4);
  EXPECT_EQ(p.series(1, 1)[0], 15.0);
  EXPECT_THROW(p.at(3, 0, 0), std::out_of_range);
  EXPECT_THROW(p.at(0, 2, 0), std::out_of_range);
  EXPECT_THROW(p.at(0, 0, 5), std::out_of_range);
  EXPECT_THROW(p.at(0, 0, -1), std::out_of_range);
  EXPECT_EQ(p.summary(), "3 series x 2 channels, length 5");
}

TEST(Panel, MovesTensorWithoutCopy) {
  Panel::Tensor x = iota_tensor(2, 1, 4);
  const double* before = x.data();
  Panel p(std::move(x));
  EXPECT_EQ(p.data().data(), before);

  xt::xtensor<double, 2> m = xt::xtensor<double, 2>::from_shape({3, 4});
  for (std::size_t k = 0; k < m.size(); ++k)
    m.data()[k] = static_cast<double>(k);
  const double* mdata = m.data();
  Panel q = Panel::from_matrix(std::move(m));
  EXPECT_EQ(q.data().data(), mdata);
  EXPECT_EQ(q.n_series(), 3);
  EXPECT_EQ(q.n_channels(), 1);
  EXPECT_EQ(q.max_length(), 4);
  EXPECT_DOUBLE_EQ(q(2, 0, 3), 11.0);
}

TEST(Panel, FromBufferAndEigen) {
  std::vector<double> buf(2 * 3 * 4);
  for (std::size_t k = 0; k < buf.size(); ++k)
    buf[k] = 0.5 * static_cast<double>(k);
  Panel p = Panel::from_buffer(buf.data(), 2, 3, 4);
  EXPECT_DOUBLE_EQ(p(1, 2, 3), 0.5 * 23);
  EXPECT_THROW(Panel::from_buffer(nullptr, 2, 3, 4), std::invalid_argument);
  EXPECT_THROW(Panel::from_buffer(buf.data(), -1, 3, 4), std::invalid_argument);

  Eigen::MatrixXd cm(2, 3);  // column-major input is accepted too
  cm << 1, 2, 3, 4, 5, 6;
  Panel e = Panel::from_eigen(cm);
  EXPECT_EQ(e.n_series(), 2);
  EXPECT_EQ(e.max_length(), 3);
  EXPECT_DOUBLE_EQ(e(1, 0, 0), 4.0);
  EXPECT_DOUBLE_EQ(e(0, 0, 2), 3.0);
}

TEST(Panel, VariableLengthZeroesPadding) {
  Panel p(iota_tensor(3, 2, 5), {5, 2, 3});
  EXPECT_FALSE(p.equal_length());
  EXPECT_EQ(p.min_length(), 2);
  EXPECT_EQ(p.length(1), 2);
  EXPECT_DOUBLE_EQ(p.series(1, 1)[1], 16.0);
  EXPECT_DOUBLE_EQ(p.series(1, 1)[2], 0.0);  // padding is zeroed
  EXPECT_DOUBLE_EQ(p.series(2, 0)[4], 0.0);
  EXPECT_THROW(p.at(1, 0, 2), std::out_of_range);
  EXPECT_EQ(p.summary(), "3 series x 2 channels, length 2-5");
}

TEST(Panel, InconsistentShapesAreRejected) {
  EXPECT_THROW(Panel(iota_tensor(3, 1, 5), {5, 5}), std::invalid_argument);
  EXPECT_THROW(Panel(iota_tensor(2, 1, 5), {5, 6}), std::invalid_argument);
  EXPECT_THROW(Panel(iota_tensor(2, 1, 5), {0, 5}), std::invalid_argument);
  EXPECT_THROW(Panel(iota_tensor(2, 0, 5)), std::invalid_argument);
  EXPECT_THROW(Panel(iota_tensor(2, 1, 0)), std::invalid_argument);
  EXPECT_THROW(Panel(iota_tensor(2, 1, 5), {5, 5}, {"a"}), std::invalid_argument);
  try {
    Panel(iota_tensor(2, 1, 5), {5, 9});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("series 1 has length 9"), std::string::npos) << e.what();
  }
  Panel empty;
  EXPECT_EQ(empty.n_series(), 0);
  EXPECT_EQ(empty.min_length(), 0);
}

TEST(Panel, LabelsMapToSortedClasses) {
  Panel p(iota_tensor(5, 1, 2), {2, 2, 2, 2, 2}, {"10", "2", "-1", "2", "10"});
  ASSERT_TRUE(p.has_labels());
  EXPECT_EQ(p.classes(), (std::vector<std::string>{"-1", "2", "10"}));  // numeric order
  EXPECT_EQ(p.y(), (std::vector<index_t>{2, 1, 0, 1, 2}));
  EXPECT_EQ(p.n_classes(), 3);
  EXPECT_EQ(p.labels()[0], "10");

  Panel q(iota_tensor(3, 1, 2), {2, 2, 2}, {"walk", "run", "Walk"});
  EXPECT_EQ(q.classes(), (std::vector<std::string>{"Walk", "run", "walk"}));  // bytewise
  EXPECT_EQ(q.y(), (std::vector<index_t>{2, 1, 0}));
  EXPECT_EQ(q.summary(), "3 series x 1 channel, length 2, 3 classes");
}

TEST(Panel, SubsetKeepsLengthsAndLabels) {
  Panel p(iota_tensor(4, 1, 3), {3, 1, 2, 3}, {"a", "b", "a", "c"});
  Panel s = p.subset({2, 1});
  EXPECT_EQ(s.n_series(), 2);
  EXPECT_EQ(s.lengths(), (std::vector<index_t>{2, 1}));
  EXPECT_EQ(s.labels(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.classes(), (std::vector<std::string>{"a", "b"}));
  EXPECT_DOUBLE_EQ(s(0, 0, 1), 7.0);
  EXPECT_THROW(p.subset({4}), std::out_of_range);
}

TEST(Panel, HasMissingIgnoresPadding) {
  Panel::Tensor x = iota_tensor(2, 1, 4);
  x(1, 0, 3) = std::nan("");
  Panel p(x, {4, 3});  // the NaN is padding, then zeroed
  EXPECT_FALSE(p.has_missing());
  Panel q(x);
  EXPECT_TRUE(q.has_missing());
}

}  // namespace
}  // namespace strider
