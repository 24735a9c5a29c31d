#include "strider/explain.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "strider/datasets/cylinder_bell_funnel.hpp"
#include "strider/error.hpp"
#include "test_support.hpp"

namespace strider {
namespace {

using ::testing::HasSubstr;

KernelClassifier fitted(index_t n_classes_hint, int threads = 2, double p_shape = 0.0) {
  const TrainTest d = datasets::load_cylinder_bell_funnel({45, 9, 96, true, 4});
  KernelClassifierParams p;
  p.transform.n_kernels = 300;
  p.transform.p_shape = p_shape;
  p.set_n_jobs(threads);
  KernelClassifier clf(p);
  if (n_classes_hint == 2) {
    std::vector<index_t> keep;
    for (index_t i = 0; i < d.train.n_series(); ++i)
      if (d.train.labels()[static_cast<std::size_t>(i)] != "3") keep.push_back(i);
    clf.fit(d.train.subset(keep));
  } else {
    clf.fit(d.train);
  }
  return clf;
}

TEST(Explain, ImportanceIsTheNormOfTheWeightedCoefficients) {
  for (index_t classes : {2, 3}) {
    const KernelClassifier clf = fitted(classes);
    const std::vector<KernelImportance> ranked = kernel_importance(clf);
    ASSERT_EQ(ranked.size(), 300u);
    const auto& coef = clf.ridge().coef();
    const auto& w = clf.params().feature_weights;
    const double o = clf.params().occurrence_weight;
    ASSERT_EQ(clf.transform().params().features_per_kernel(), 4);  // the defaults' occurrences
    for (std::size_t r = 0; r < ranked.size(); ++r) {
      const KernelImportance& k = ranked[r];
      if (r > 0) {
        EXPECT_GE(ranked[r - 1].importance, k.importance);
      }
      EXPECT_EQ(k.spec, clf.transform().kernels()[static_cast<std::size_t>(k.kernel)]);
      ASSERT_EQ(k.per_class.size(), static_cast<std::size_t>(classes));
      double ms = 0.0;
      for (index_t c = 0; c < classes; ++c) {
        const index_t t = coef.rows() == 1 ? 0 : c;
        const double a = coef(t, 4 * k.kernel) * w[0], b = coef(t, 4 * k.kernel + 1) * w[1],
                     g = coef(t, 4 * k.kernel + 2) * w[2], q = coef(t, 4 * k.kernel + 3) * o;
        EXPECT_NEAR(k.per_class[static_cast<std::size_t>(c)],
                    std::sqrt(a * a + b * b + g * g + q * q), 1e-15);
        ms += k.per_class[static_cast<std::size_t>(c)] * k.per_class[static_cast<std::size_t>(c)];
      }
      EXPECT_NEAR(k.importance, std::sqrt(ms / static_cast<double>(classes)), 1e-15);
    }
    EXPECT_GT(ranked.front().importance, ranked.back().importance);
  }
  // A function of the model: the same ranking from a fit on another thread count.
  const auto a = kernel_importance(fitted(3, 1)), b = kernel_importance(fitted(3, 2));
  for (std::size_t r = 0; r < a.size(); ++r) {
    EXPECT_EQ(a[r].kernel, b[r].kernel);
    EXPECT_EQ(a[r].importance, b[r].importance);
  }
  EXPECT_THROW(kernel_importance(KernelClassifier()), NotFittedError);
}

TEST(Explain, BestMatchIsTheTransformsMinimumAndArgmin) {
  const KernelClassifier clf = fitted(3);
  // with shape kernels (z-normalised windows) among the plain ones
  const KernelClassifier with_shapes = fitted(3, 2, 0.5);
  const TrainTest d = datasets::load_cylinder_bell_funnel({45, 9, 96, true, 4});
  int differences = 0, shapes = 0;
  for (const KernelClassifier* c : {&clf, &with_shapes}) {
    const RowMatrixD f = c->transform().transform<double>(d.test);  // raw features
    const auto& kernels = c->transform().kernels();
    for (index_t s : {0, 4, 8}) {
      for (index_t k = 0; k < static_cast<index_t>(kernels.size()); k += 7) {
        const KernelMatch m = best_match(*c, d.test, s, k);
        const Kernel& spec = kernels[static_cast<std::size_t>(k)];
        differences += spec.channel >= 1;
        shapes += spec.shape;
        // The same position, up to a tie within rounding for a shape kernel (the transform
        // computes its distances through a dot product, explain from the definition).
        if (!spec.shape) {
          EXPECT_EQ(static_cast<double>(m.argmin), f(s, 4 * k + 2)) << s << " " << k;
        } else {
          // the window at the transform's argmin is as close as explain's best one
          std::vector<double> xpad(static_cast<std::size_t>(96 + 2 * spec.padding + spec.span()));
          std::copy(m.channel_values.begin(), m.channel_values.end(), xpad.begin() + spec.padding);
          const double at = spec.distance_at(xpad.data() + static_cast<index_t>(f(s, 4 * k + 2)));
          EXPECT_NEAR(at, m.distance, 1e-9) << s << " " << k;
        }
        EXPECT_NEAR(m.distance, f(s, 4 * k), 1e-9 * std::max(1.0, f(s, 4 * k))) << s << " " << k;
        ASSERT_EQ(m.positions.size(), static_cast<std::size_t>(spec.length));
        EXPECT_EQ(m.positions.front(), m.argmin - spec.padding);
        EXPECT_EQ(m.positions.back() - m.positions.front(), spec.span() - 1);
        EXPECT_EQ(m.channel_values.size(), 96u);
      }
    }
  }
  EXPECT_GT(shapes, 0);       // and shape kernels
  EXPECT_GT(differences, 0);  // kernels on the first differences were checked too
  EXPECT_THAT([&] { best_match(clf, d.test, 9, 0); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("series 9")));
  EXPECT_THAT([&] { best_match(clf, d.test, 0, 300); },
              ::testing::ThrowsMessage<std::invalid_argument>(HasSubstr("kernel 300")));
}

// A well-formed XML check sufficient for the SVG writer's output: every tag closed in order.
bool well_formed(const std::string& xml, std::string& why) {
  std::vector<std::string> open;
  std::size_t i = 0;
  while ((i = xml.find('<', i)) != std::string::npos) {
    const std::size_t end = xml.find('>', i);
    if (end == std::string::npos) return (why = "unterminated tag"), false;
    std::string tag = xml.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.empty()) return (why = "empty tag"), false;
    if (tag.back() == '/') continue;  // <x ... />
    const std::string name = tag.substr(tag[0] == '/' ? 1 : 0, tag.find(' '));
    if (tag[0] == '/') {
      if (open.empty() || open.back() != name.substr(0, name.find(' ')))
        return (why = "unbalanced </" + name + ">"), false;
      open.pop_back();
    } else {
      open.push_back(name);
    }
  }
  if (!open.empty()) return (why = "unclosed <" + open.back() + ">"), false;
  return true;
}

TEST(Explain, SvgIsWellFormedAndNamesTheKernels) {
  const KernelClassifier clf = fitted(3);
  const TrainTest d = datasets::load_cylinder_bell_funnel({45, 9, 96, true, 4});
  std::vector<KernelImportance> top = kernel_importance(clf);
  top.resize(4);
  const std::string svg = explanation_svg(clf, d.test, 2, top);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  std::string why;
  EXPECT_TRUE(well_formed(svg, why)) << why;
  for (const auto& k : top) {
    EXPECT_THAT(svg, HasSubstr("<g id=\"kernel-" + std::to_string(k.kernel) + "\">"));
    EXPECT_THAT(svg, HasSubstr("kernel " + std::to_string(k.kernel) + ": length " +
                               std::to_string(k.spec.length) + ", dilation " +
                               std::to_string(k.spec.dilation)));
  }
  EXPECT_THAT(svg, HasSubstr("Series 2, label " + d.test.labels()[2] + ": predicted "));
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
}

// Renders the SVG in headless Chromium when it is installed (Debian: chromium; skipped
// otherwise): the screenshot must be written and hold more than a blank page.
TEST(Explain, SvgRendersInHeadlessChromium) {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "chromium is not installed (Debian: chromium); skipping the rendering check";
  const KernelClassifier clf = fitted(3);
  const TrainTest d = datasets::load_cylinder_bell_funnel({45, 9, 96, true, 4});
  std::vector<KernelImportance> top = kernel_importance(clf);
  top.resize(4);
  test::TempDir dir;
  test::write_file(dir / "e.svg", explanation_svg(clf, d.test, 2, top));
  const std::string cmd = "cd \"" + dir.path().string() +
                          "\" && timeout 120 chromium --headless --no-sandbox --disable-gpu "
                          "--screenshot=e.png --window-size=920,820 file://" +
                          (dir / "e.svg").string() + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const std::string png = test::read_file(dir / "e.png");
  ASSERT_GT(png.size(), 8u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  // A blank 920 x 820 page compresses to a few KB; four panels of lines and text do not.
  EXPECT_GT(png.size(), 20000u);
}

}  // namespace
}  // namespace strider
