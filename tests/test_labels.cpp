#include "strider/labels.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace strider {
namespace {

using Labels = std::vector<std::string>;

TEST(Labels, SortedClassesNumericWhenEveryLabelIsANumber) {
  EXPECT_EQ(sorted_classes({"10", "2", "-1", "2", "10"}), (Labels{"-1", "2", "10"}));
  EXPECT_EQ(sorted_classes({"1.0", "1", "0.5"}), (Labels{"0.5", "1", "1.0"}));
  EXPECT_EQ(sorted_classes({"+3", "-3", "1e1"}), (Labels{"-3", "+3", "1e1"}));
}

TEST(Labels, SortedClassesBytewiseOtherwise) {
  EXPECT_EQ(sorted_classes({"b", "1", "a"}), (Labels{"1", "a", "b"}));
  EXPECT_EQ(sorted_classes({"walk", "run", "Walk"}), (Labels{"Walk", "run", "walk"}));
  EXPECT_EQ(sorted_classes({"nan", "1"}), (Labels{"1", "nan"}));  // NaN is not a number here
  EXPECT_TRUE(sorted_classes({}).empty());
}

TEST(Labels, ClassIndicesMapEachLabelToItsClass) {
  const Labels y{"10", "2", "-1", "2", "10"};
  EXPECT_EQ(class_indices(y, sorted_classes(y)), (std::vector<index_t>{2, 1, 0, 1, 2}));
  EXPECT_TRUE(class_indices({}, {"a"}).empty());
}

TEST(Labels, ClassIndicesRejectsAnUnknownLabel) {
  try {
    class_indices({"a", "c"}, {"a", "b"});
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("\"c\" (position 1)"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace strider
