// strider_select_defaults: compares configurations of strider::KernelClassifier by
// stratified k-fold cross-validation inside the TRAIN splits of UCR datasets (the TEST
// splits are never read). The classifier's defaults were chosen with it; the comparisons
// it measured, and the commands that reproduce them, are in docs/choosing_defaults.md.
// It is an experiment driver, not a test or a benchmark: a default run takes about a
// quarter of an hour on 2 cores.
//
// Build and run (the target is built with STRIDER_BUILD_EXPERIMENTS, on by default when
// strider is the top-level project):
//
//   cmake --preset release && cmake --build --preset release --target strider_select_defaults
//   build/release/experiments/strider_select_defaults --list
//   build/release/experiments/strider_select_defaults --out cv.csv --seed 0
//
//   strider_select_defaults [--root DIR] [--out FILE.csv] [--summary FILE.md]
//                           [--folds K] [--max-cells N] [--datasets A,B,..]
//                           [--configs a,b,..] [--threads N] [--seed S]
//                           [--summary-seeds S1,S2,..] [--list]
//
// --root is a folder with one sub-folder per dataset holding NAME_TRAIN.{tsv,ts,txt,csv}
// (default: ../shared/datasets/ucr beside the source tree); --out defaults to
// bench/results/select_defaults.csv in the source tree and --summary to the CSV's name
// with .md; --threads defaults to 2, --folds to 5, --max-cells to 150000, --seed to 0.
//
// A candidate is `default` (the library's defaults, always run first) or changes of them
// joined by '+', e.g. "sample+pad0" or "fixnorm+w100-25-25"; --list prints the changes
// and the candidates run when --configs is not given. A change `wA-B-C` sets
// feature_weights to {A, B, C} percent. The prototypes (kPrototypes: `ensnorm`,
// `msenorm`, `llnorm`...) are not library options: ensembles of two fits, and other rules
// than the library's for choose_normalization, each applied to the leave-one-out results
// of the fits on both inputs. A name is relative to the
// defaults of the library the program was built with, so keep one CSV per set of defaults.
//
// For each dataset whose n_train x max_length is at most --max-cells, the training
// series are split into K stratified folds (the seed fixes the folds and the kernels);
// every candidate is fitted on K-1 folds and scored on the held-out one, and the
// out-of-fold accuracy (correct / n_train, pooled over the folds) is appended to the CSV,
// one row per (dataset, candidate). Rows already in the CSV for the same folds and seed
// are not recomputed, so an interrupted run resumes. At the end the candidates are
// ranked over the datasets that have all of them (Markdown on stdout and in --summary):
// mean CV accuracy, mean rank, and wins / ties / losses against `default` with a sign
// test. --summary-seeds ranks the accuracy averaged over several seeds, each run before
// with its own --seed into the same CSV.
//
// Candidates that choose the normalisation per dataset (choose_normalization, on in the
// library's defaults) are fitted by strider::KernelClassifier itself, each in a group of
// its own, and so are the two prototypes. Candidates with choose_normalization off
// (`fixnorm`) that differ only in the ridge (alphas, class weights), the feature weights
// or the number of kernels share one transform per fold: kernel k is drawn from its own
// random stream, so the kernels of a fit with n_kernels = K are among those of a larger
// fit (found by their fields, see kernel_columns()), and the scaler works column by
// column, so their standardised features are columns of the larger fit's. A start-up
// check verifies that this shared pipeline gives the decision values of
// strider::KernelClassifier (float64 and float32), and stops the program otherwise.

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "strider/classifier.hpp"
#include "strider/datasets/cylinder_bell_funnel.hpp"
#include "strider/error.hpp"
#include "strider/io/dataset.hpp"
#include "strider/linear/ridge_classifier_cv.hpp"
#include "strider/linear/standard_scaler.hpp"
#include "strider/panel.hpp"
#include "strider/random.hpp"
#include "strider/transform/dilated_kernel_transform.hpp"

namespace fs = std::filesystem;
using strider::index_t;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// The non-empty items of s between `sep`s.
std::vector<std::string> split_list(const std::string& s, char sep = ',') {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, sep)) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// ---- candidates ------------------------------------------------------------------------

/// Prototypes of other pipelines than the library's, each fitting KernelClassifier twice
/// (choose_normalization off): the mean decision values of two fits (the input
/// z-normalised and as given, or two seeds), or one of the two inputs' fits kept by a rule
/// other than the library's for choose_normalization.
enum class Prototype {
  none,
  ensnorm,     ///< mean decision values of the z-normalised and the raw fit
  ensseed,     ///< mean decision values of two seeds, the params as given
  msenorm,     ///< the lower leave-one-out squared error
  domnorm,     ///< raw only when no worse in LOO accuracy and squared error, better in one
  near1norm,   ///< accuracy when two or more series apart, else squared error
  llnorm,      ///< the lower leave-one-out cross-entropy
  accllnorm,   ///< accuracy, ties to the lower cross-entropy
  accmsenorm,  ///< accuracy, ties to the lower squared error (the rule before comparison 22)
};

struct PrototypeName {
  const char* name;
  Prototype prototype;
  const char* description;
};

const std::array<PrototypeName, 8> kPrototypes = {{
    {"ensnorm", Prototype::ensnorm, "mean decision values of the z-normalised and raw fits"},
    {"ensseed", Prototype::ensseed, "mean decision values of two seeds (params as given)"},
    {"msenorm", Prototype::msenorm, "normalisation by the lower leave-one-out squared error"},
    {"domnorm", Prototype::domnorm,
     "the raw input only when no worse in leave-one-out accuracy and squared error and "
     "better in one"},
    {"near1norm", Prototype::near1norm,
     "normalisation by leave-one-out accuracy when it differs by two series or more, else "
     "squared error"},
    {"llnorm", Prototype::llnorm, "normalisation by the lower leave-one-out cross-entropy"},
    {"accllnorm", Prototype::accllnorm,
     "normalisation by leave-one-out accuracy, ties to the lower cross-entropy"},
    {"accmsenorm", Prototype::accmsenorm,
     "normalisation by leave-one-out accuracy, ties to the lower squared error"},
}};

struct Candidate {
  std::string name;
  std::string description;
  strider::KernelClassifierParams params;
  /// A prototype (not a library option) of two fits, or none.
  Prototype prototype = Prototype::none;
};

/// One change of the library's defaults; candidates are one change or several joined
/// by '+' (e.g. "normal+len5-11").
struct Change {
  const char* name;
  const char* description;
  void (*apply)(strider::KernelClassifierParams&);
};

const std::vector<Change>& changes() {
  using P = strider::KernelClassifierParams;
  static const std::vector<Change> c = {
      {"normal", "source normal: kernel values from N(0, 1)",
       [](P& p) { p.transform.source = strider::KernelSource::normal; }},
      {"sample", "source sample: kernel values from training subsequences",
       [](P& p) { p.transform.source = strider::KernelSource::sample; }},
      {"raw", "normalize_input off: the series as given (with choose_normalization: tried first)",
       [](P& p) { p.transform.normalize_input = false; }},
      {"nodiff", "add_differences off: kernels on the series only",
       [](P& p) { p.transform.add_differences = false; }},
      {"ref50", "length_quantile 0.5: kernels fit the median training length",
       [](P& p) { p.transform.length_quantile = 0.5; }},
      {"ref100", "length_quantile 1: kernels fit the longest training series",
       [](P& p) { p.transform.length_quantile = 1.0; }},
      {"diff", "add_differences: kernels also on the first differences",
       [](P& p) { p.transform.add_differences = true; }},
      {"mixed", "source mixed: each kernel sampled or N(0, 1) with probability 1/2",
       [](P& p) { p.transform.source = strider::KernelSource::mixed; }},
      {"normalize",
       "normalize_input: z-normalise every series first (with choose_normalization: tried first)",
       [](P& p) { p.transform.normalize_input = true; }},
      {"len9", "lengths {9}", [](P& p) { p.transform.lengths = {9}; }},
      {"len11", "lengths {11}", [](P& p) { p.transform.lengths = {11}; }},
      {"len7-11", "lengths {7, 9, 11} (convst's, the default before CV)",
       [](P& p) {
         p.transform.lengths = {7, 9, 11};
       }},
      {"len5-11", "lengths {5, 7, 9, 11}",
       [](P& p) {
         p.transform.lengths = {5, 7, 9, 11};
       }},
      {"pad0", "p_padding 0 (never pad)", [](P& p) { p.transform.p_padding = 0.0; }},
      {"pad1", "p_padding 1 (always pad)", [](P& p) { p.transform.p_padding = 1.0; }},
      {"k5000", "n_kernels 5,000", [](P& p) { p.transform.n_kernels = 5000; }},
      {"k20000", "n_kernels 20,000", [](P& p) { p.transform.n_kernels = 20000; }},
      {"alphas-3:3x10", "alphas logspace(-3, 3, 10) (ROCKET's, the default before CV)",
       [](P& p) { p.ridge.alphas = strider::logspace_alphas(-3, 3, 10); }},
      {"alphas-4:4x20", "alphas logspace(-4, 4, 20)",
       [](P& p) { p.ridge.alphas = strider::logspace_alphas(-4, 4, 20); }},
      {"alphas-3:6x19", "alphas logspace(-3, 6, 19)",
       [](P& p) { p.ridge.alphas = strider::logspace_alphas(-3, 6, 19); }},
      {"autonorm", "normalize_input chosen per dataset by leave-one-out accuracy",
       [](P& p) { p.choose_normalization = true; }},
      {"fixnorm", "choose_normalization off: normalize_input as given",
       [](P& p) { p.choose_normalization = false; }},
      {"pad05", "p_padding 0.5 (convst's)", [](P& p) { p.transform.p_padding = 0.5; }},
      {"unweighted", "class_weight none",
       [](P& p) { p.ridge.class_weight = strider::ClassWeight::none; }},
      {"balanced", "class_weight balanced",
       [](P& p) { p.ridge.class_weight = strider::ClassWeight::balanced; }},
      {"float32", "float32 features (the default)", [](P& p) { p.float32 = true; }},
      {"float64", "float64 features", [](P& p) { p.float32 = false; }},
      {"occ",
       "add_occurrences on (the default: a fourth feature per kernel, weight occurrence_weight)",
       [](P& p) { p.transform.add_occurrences = true; }},
      {"noocc", "add_occurrences off: the three features per kernel only",
       [](P& p) { p.transform.add_occurrences = false; }},
      {"chooserep", "choose_representation: the kernels on one representation alone if better",
       [](P& p) { p.choose_representation = true; }},
      {"nochooserep", "choose_representation off (the default)",
       [](P& p) { p.choose_representation = false; }},
      {"choosefeat", "choose_features on (the default)", [](P& p) { p.choose_features = true; }},
      {"nochoosefeat", "choose_features off: every feature of the kernels",
       [](P& p) { p.choose_features = false; }},
      {"occw25", "occurrence_weight 0.25", [](P& p) { p.occurrence_weight = 0.25; }},
      {"occw100", "occurrence_weight 1", [](P& p) { p.occurrence_weight = 1.0; }},
      {"shape25", "p_shape 0.25: a quarter of the kernels compare z-normalised windows",
       [](P& p) { p.transform.p_shape = 0.25; }},
      {"shape50", "p_shape 0.5: half of the kernels compare z-normalised windows (RDST's)",
       [](P& p) { p.transform.p_shape = 0.5; }},
  };
  return c;
}

/// The candidates run when --configs is not given.
const std::vector<std::string> kDefaultCandidates = {
    "default", "sample", "normal", "raw",      "nodiff",  "len7-11", "alphas-3:3x10", "pad0",
    "pad1",    "k5000",  "k20000", "balanced", "float64", "noocc",   "chooserep"};

/// The candidate `name` ("default", or changes joined by '+') on top of the library's
/// defaults, with NaN values interpolated (DodgerLoop*), the given threads and seed.
/// @throws std::invalid_argument on an unknown change
Candidate make_candidate(const std::string& name, int threads, std::uint64_t seed) {
  Candidate c{name, "", {}};
  c.params.transform.nan_policy = strider::NanPolicy::interpolate;
  c.params.transform.random_state = seed;
  c.params.set_n_jobs(threads);
  if (name == "default") {
    c.description = "the library's defaults";
    return c;
  }
  auto describe = [&](const std::string& what) {
    c.description += (c.description.empty() ? "" : "; ") + what;
  };
  std::stringstream ss(name);
  std::string part;
  while (std::getline(ss, part, '+')) {
    if (part.size() > 1 && part[0] == 'w' && std::isdigit(static_cast<unsigned char>(part[1]))) {
      const std::vector<std::string> w = split_list(part.substr(1), '-');
      if (w.size() != 3 || std::count(part.begin(), part.end(), '-') != 2) {
        throw std::invalid_argument("weights '" + part + "': expected wA-B-C, three percentages");
      }
      for (std::size_t j = 0; j < 3; ++j) {
        std::size_t used = 0;
        double v = 0.0;
        try {
          v = std::stod(w[j], &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used != w[j].size()) {
          throw std::invalid_argument("weights '" + part + "': '" + w[j] + "' is not a number");
        }
        c.params.feature_weights[j] = v / 100.0;
      }
      describe("feature weights " + part.substr(1));
      continue;
    }
    if (auto pr = std::find_if(kPrototypes.begin(), kPrototypes.end(),
                               [&](const PrototypeName& x) { return part == x.name; });
        pr != kPrototypes.end()) {
      c.prototype = pr->prototype;
      describe(pr->description);
      continue;
    }
    auto it = std::find_if(changes().begin(), changes().end(),
                           [&](const Change& ch) { return part == ch.name; });
    if (it == changes().end()) throw std::invalid_argument("unknown change '" + part + "'");
    it->apply(c.params);
    describe(it->description);
  }
  if (c.prototype != Prototype::none) c.params.choose_normalization = false;
  c.params.validate("config " + name);  // e.g. weights all 0
  return c;
}

/// True when candidates a and b can share one transform per fold (fitted with the larger
/// n_kernels): the same transform params apart from n_kernels (compared with the params'
/// own operator==, so that a new transform option cannot be left out), the same precision
/// and the same scaler.
bool share_transform(const strider::KernelClassifierParams& a,
                     const strider::KernelClassifierParams& b) {
  strider::DilatedKernelTransformParams ta = a.transform;
  ta.n_kernels = b.transform.n_kernels;
  return ta == b.transform && a.float32 == b.float32 && a.scaler.with_mean == b.scaler.with_mean &&
         a.scaler.with_std == b.scaler.with_std && !a.choose_normalization &&
         !b.choose_normalization;
}

// ---- folds -----------------------------------------------------------------------------

/// Fold of each series: the series of each class, shuffled, are dealt in turn to folds
/// 0, 1, .., k-1 continuing from where the previous class stopped, so every fold gets
/// about n / k series and each class is spread as evenly as its count allows.
std::vector<int> stratified_folds(const strider::Panel& x, int k, std::uint64_t seed) {
  std::vector<std::vector<index_t>> by_class(static_cast<std::size_t>(x.n_classes()));
  for (index_t i = 0; i < x.n_series(); ++i)
    by_class[static_cast<std::size_t>(x.y()[static_cast<std::size_t>(i)])].push_back(i);
  strider::Rng rng(seed, 0xF01D);
  std::vector<int> fold(static_cast<std::size_t>(x.n_series()), 0);
  int next = 0;
  for (auto& members : by_class) {
    for (std::size_t i = members.size(); i > 1; --i) {  // Fisher-Yates
      std::swap(members[i - 1], members[rng.uniform_int(i)]);
    }
    for (index_t s : members) {
      fold[static_cast<std::size_t>(s)] = next;
      next = (next + 1) % k;
    }
  }
  return fold;
}

// ---- the pipeline of one group on one fold ----------------------------------------------

struct Tally {
  index_t correct = 0;
  index_t n = 0;
  double ridge_seconds = 0.0;
  std::map<double, int> alphas;  // chosen alpha -> folds

  /// Adds one fold: its predictions of `b`, the alpha chosen and the ridge's seconds.
  void add(const std::vector<std::string>& pred, const strider::Panel& b, double alpha,
           double seconds) {
    for (std::size_t s = 0; s < pred.size(); ++s)
      correct += pred[s] == b.labels()[s];
    n += b.n_series();
    alphas[alpha] += 1;
    ridge_seconds += seconds;
  }
};

/// Feature columns (3 per kernel) of the kernels a fit with `small` params would draw, in
/// that fit's column order, inside the features of `big` (fitted on the same `a` with the
/// same params but more kernels); empty when `small` has as many kernels as `big` (all
/// columns). Kernel k is drawn from its own random stream, so the small fit's kernels are
/// among the big fit's; the fit stores kernels sorted (stably) for its hot loop, so they
/// are found by their fields, matched in order. Fitting only draws kernels: cheap.
/// @throws std::logic_error when a kernel is not found (the assumption no longer holds)
std::vector<index_t> kernel_columns(const strider::DilatedKernelTransform& big,
                                    const strider::Panel& a,
                                    const strider::DilatedKernelTransformParams& small) {
  if (small.n_kernels == big.params().n_kernels) return {};
  strider::DilatedKernelTransform dkt(small);
  dkt.fit(a);
  using Key = std::tuple<index_t, index_t, index_t, index_t, bool, std::vector<double>>;
  std::map<Key, std::deque<index_t>> where;
  const auto& bk = big.kernels();
  for (std::size_t k = 0; k < bk.size(); ++k) {
    where[{bk[k].length, bk[k].dilation, bk[k].padding, bk[k].channel, bk[k].shape, bk[k].values}]
        .push_back(static_cast<index_t>(k));
  }
  std::vector<index_t> cols;
  for (const strider::Kernel& kn : dkt.kernels()) {
    auto it = where.find({kn.length, kn.dilation, kn.padding, kn.channel, kn.shape, kn.values});
    if (it == where.end() || it->second.empty()) {
      throw std::logic_error("kernel_columns(): a kernel of the smaller fit is not in the larger");
    }
    const index_t k = it->second.front();
    it->second.pop_front();
    const index_t per_kernel = big.params().features_per_kernel();
    for (index_t j = 0; j < per_kernel; ++j)
      cols.push_back(per_kernel * k + j);
  }
  return cols;
}

/// The transform of a group (the largest n_kernels of its members) and the scaler fitted
/// on `a`, with the standardised features of `a` and `b`.
template <class T>
struct GroupFeatures {
  strider::DilatedKernelTransform transform;
  strider::RowMatrix<T> fa, fb;
  GroupFeatures(const strider::Panel& a, const strider::Panel& b,
                const std::vector<const Candidate*>& members) {
    strider::DilatedKernelTransformParams tp = members.front()->params.transform;
    for (const Candidate* m : members)
      tp.n_kernels = std::max(tp.n_kernels, m->params.transform.n_kernels);
    transform = strider::DilatedKernelTransform(tp);
    strider::StandardScaler scaler(members.front()->params.scaler);
    fa = scaler.fit_transform<T>(transform.fit_transform<T>(a));
    fb = scaler.transform<T>(transform.transform<T>(b));
  }
};

/// True when candidate c weighs every feature 1.
bool unit_weights(const strider::KernelClassifierParams& p) {
  return p.feature_weights == std::array<double, 3>{1.0, 1.0, 1.0} &&
         (!p.transform.add_occurrences || p.occurrence_weight == 1.0);
}

/// Multiplies column j by the weight of its feature type (feature_weights for the first
/// three features of a kernel, occurrence_weight for the fourth).
template <class T>
void weigh(strider::RowMatrix<T>& m, const strider::KernelClassifierParams& p) {
  if (unit_weights(p)) return;
  const index_t per_kernel = p.transform.features_per_kernel();
  for (index_t j = 0; j < m.cols(); ++j) {
    const index_t type = j % per_kernel;
    m.col(j) *= static_cast<T>(type < 3 ? p.feature_weights[static_cast<std::size_t>(type)]
                                        : p.occurrence_weight);
  }
}

/// The ridge's column split for candidate c (see KernelClassifierParams::
/// choose_representation): where the first kernel on a first difference starts among the
/// kernels of its columns `cols` (all of g's when empty); 0 without the choice.
index_t representation_split(const strider::DilatedKernelTransform& t, const Candidate& c,
                             const std::vector<index_t>& cols) {
  if (!c.params.choose_representation) return 0;
  const index_t per_kernel = t.params().features_per_kernel();
  std::vector<index_t> kernels;
  if (cols.empty()) {
    for (index_t k = 0; k < static_cast<index_t>(t.kernels().size()); ++k)
      kernels.push_back(k);
  } else {
    for (std::size_t j = 0; j < cols.size(); j += static_cast<std::size_t>(per_kernel))
      kernels.push_back(cols[j] / per_kernel);
  }
  const auto on_input = [&](index_t k) {
    return t.kernels()[static_cast<std::size_t>(k)].channel < t.n_channels();
  };
  if (!std::is_partitioned(kernels.begin(), kernels.end(), on_input)) return 0;
  const auto on_series = static_cast<index_t>(
      std::partition_point(kernels.begin(), kernels.end(), on_input) - kernels.begin());
  if (on_series == 0 || on_series == static_cast<index_t>(kernels.size())) return 0;
  return on_series * per_kernel;
}

/// Fits candidate c's ridge on its columns of g.fa; returns the ridge (to predict g.fb).
template <class T>
strider::RidgeClassifierCV fit_member(const GroupFeatures<T>& g, const strider::Panel& a,
                                      const Candidate& c, std::vector<index_t>& cols) {
  cols = kernel_columns(g.transform, a, c.params.transform);
  strider::RidgeClassifierCV ridge(c.params.ridge);
  strider::ColumnChoice choice{.split = representation_split(g.transform, c, cols)};
  if (strider::choose_features_applies(c.params, a.n_series(),
                                       static_cast<index_t>(a.classes().size()))) {
    choice.period = c.params.transform.features_per_kernel();  // as the library
    choice.residue = choice.period - 1;
    choice.period_max_p = strider::kChooseFeaturesMaxP;
  }
  if (cols.empty() && unit_weights(c.params)) {
    ridge.fit<T>(g.fa, a.labels(), choice);
  } else {
    strider::RowMatrix<T> sub = cols.empty() ? g.fa : strider::RowMatrix<T>(g.fa(Eigen::all, cols));
    weigh(sub, c.params);
    ridge.fit<T>(sub, a.labels(), choice);
  }
  return ridge;
}

/// The test features of a member (its columns, or all when `cols` is empty), weighted.
template <class T>
strider::RowMatrix<T> member_test_features(const GroupFeatures<T>& g,
                                           const std::vector<index_t>& cols,
                                           const strider::KernelClassifierParams& p) {
  strider::RowMatrix<T> sub = cols.empty() ? g.fb : strider::RowMatrix<T>(g.fb(Eigen::all, cols));
  weigh(sub, p);
  return sub;
}

/// Runs every member of a group on one fold (fit on `a`, score on `b`) and adds the
/// results to `tallies`. @return the seconds spent in the transform and the scaler
template <class T>
double run_group(const strider::Panel& a, const strider::Panel& b,
                 const std::vector<const Candidate*>& members, std::vector<Tally*>& tallies) {
  const auto t0 = Clock::now();
  const strider::KernelClassifierParams& first = members.front()->params;
  const Prototype prototype = members.front()->prototype;
  if (prototype != Prototype::none || first.choose_normalization) {
    // A group of its own, fitted by KernelClassifier: once, or twice for a prototype (the
    // mean of the ensembles' decision values, the first fit's alpha recorded; or the fit
    // a rule keeps).
    const bool averages = prototype == Prototype::ensnorm || prototype == Prototype::ensseed;
    const bool rule = prototype != Prototype::none && !averages;
    std::vector<strider::KernelClassifierParams> fits = {first};
    if (prototype == Prototype::ensseed) {
      fits.push_back(first);
      fits[1].transform.random_state += 7919;
    } else if (prototype != Prototype::none) {
      fits.push_back(first);
      fits[0].transform.normalize_input = true;
      fits[1].transform.normalize_input = false;
    }
    std::vector<strider::KernelClassifier> clfs;
    strider::RowMatrixD scores;
    double ridge = 0.0;
    for (const strider::KernelClassifierParams& p : fits) {
      strider::KernelClassifier& clf = clfs.emplace_back(p);
      clf.fit(a);
      ridge += clf.fit_timings().ridge_seconds;
      if (rule) continue;  // a rule keeps one fit: only it scores the fold
      const strider::RowMatrixD d = clf.decision_function(b);
      scores = scores.size() == 0 ? d : strider::RowMatrixD(scores + d);
    }
    if (rule) {  // choose one of the two fits
      const strider::LooResult z = strider::LooResult::of(clfs[0].ridge());
      const strider::LooResult r = strider::LooResult::of(clfs[1].ridge());
      const double more_hits =  // raw's, may be < 0
          std::round((r.accuracy - z.accuracy) * static_cast<double>(a.n_series()));
      const bool lower_mse = r.squared_error < z.squared_error;
      const bool lower_ll = std::isfinite(r.log_loss) && std::isfinite(z.log_loss)
                                ? r.log_loss < z.log_loss
                                : lower_mse;
      bool raw = false;
      switch (prototype) {
        case Prototype::msenorm:
          raw = lower_mse;
          break;
        case Prototype::domnorm:
          raw = r.accuracy >= z.accuracy && r.squared_error <= z.squared_error &&
                (r.accuracy > z.accuracy || lower_mse);
          break;
        case Prototype::near1norm:
          raw = std::abs(more_hits) >= 2.0 ? more_hits > 0.0 : lower_mse;
          break;
        case Prototype::llnorm:
          raw = lower_ll;
          break;
        case Prototype::accllnorm:
          raw = more_hits != 0.0 ? more_hits > 0.0 : lower_ll;
          break;
        case Prototype::accmsenorm:
          raw = more_hits != 0.0 ? more_hits > 0.0 : lower_mse;
          break;
        default:
          break;
      }
      const strider::KernelClassifier& kept = clfs[raw ? 1 : 0];
      tallies[0]->add(kept.predict(b), b, kept.ridge().alpha(), ridge);
      return seconds_since(t0) - ridge;
    }
    scores /= static_cast<double>(fits.size());
    tallies[0]->add(clfs.front().labels_from_scores(scores), b, clfs.front().ridge().alpha(),
                    ridge);
    return seconds_since(t0) - ridge;
  }
  const GroupFeatures<T> g(a, b, members);
  const double transform_seconds = seconds_since(t0);
  for (std::size_t i = 0; i < members.size(); ++i) {
    const auto t1 = Clock::now();
    std::vector<index_t> cols;
    const strider::RidgeClassifierCV ridge = fit_member(g, a, *members[i], cols);
    tallies[i]->add(ridge.predict<T>(member_test_features(g, cols, members[i]->params)), b,
                    ridge.alpha(), seconds_since(t1));
  }
  return transform_seconds;
}

/// Decision values of the shared pipeline for candidate c inside a group whose transform
/// has `group_kernels` kernels (for the start-up check).
template <class T>
strider::RowMatrixD shared_pipeline_scores(const strider::Panel& a, const strider::Panel& b,
                                           const Candidate& c, index_t group_kernels) {
  Candidate big = c;
  big.params.transform.n_kernels = group_kernels;
  const GroupFeatures<T> g(a, b, {&big, &c});
  std::vector<index_t> cols;
  const strider::RidgeClassifierCV ridge = fit_member(g, a, c, cols);
  return ridge.decision_function<T>(member_test_features(g, cols, c.params));
}

/// Stops the program unless the shared pipeline reproduces KernelClassifier (see the file
/// comment), on the built-in CBF data with small models, in float64 and float32.
void check_shared_pipeline(int threads) {
  strider::datasets::CylinderBellFunnelParams cp;
  cp.n_train = 60;
  cp.n_test = 60;
  cp.length = 64;
  const strider::TrainTest d = strider::datasets::load_cylinder_bell_funnel(cp);
  for (bool f32 : {false, true}) {
    Candidate c{"check", "", {}};
    c.params.transform.n_kernels = 100;
    c.params.float32 = f32;
    c.params.choose_normalization = false;  // the shared pipeline fits one transform
    c.params.set_n_jobs(threads);
    strider::KernelClassifier clf(c.params);
    clf.fit(d.train);
    const strider::RowMatrixD want = clf.decision_function(d.test);
    for (index_t group_kernels : {index_t{100}, index_t{250}}) {
      const strider::RowMatrixD got =
          f32 ? shared_pipeline_scores<float>(d.train, d.test, c, group_kernels)
              : shared_pipeline_scores<double>(d.train, d.test, c, group_kernels);
      const double scale = std::max(1.0, want.cwiseAbs().maxCoeff());
      const double diff = want.rows() == got.rows() && want.cols() == got.cols()
                              ? (want - got).cwiseAbs().maxCoeff()
                              : HUGE_VAL;
      if (!(diff <= 1e-9 * scale)) {
        std::cerr << "strider_select_defaults: the shared pipeline (100 of " << group_kernels
                  << " kernels) differs from KernelClassifier with 100 kernels ("
                  << (f32 ? "float32" : "float64") << ", max |diff| " << diff
                  << "); see kernel_columns()\n";
        std::exit(1);
      }
    }
  }
}

// ---- datasets -------------------------------------------------------------------------

std::vector<std::string> list_datasets(const fs::path& root) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(root)) {
    if (!e.is_directory()) continue;
    try {
      strider::io::find_ucr_split(root, e.path().filename().string(), "TRAIN");
      names.push_back(e.path().filename().string());
    } catch (const strider::FormatError&) {  // not a dataset folder
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// ---- results CSV -------------------------------------------------------------------------

const char* kHeader =
    "dataset,config,folds,seed,n_train,max_length,n_classes,cv_accuracy,correct,n,"
    "group_transform_seconds,ridge_seconds,alphas_chosen";

struct Row {
  std::string dataset, config;
  int folds = 0;
  std::uint64_t seed = 0;
  double accuracy = 0.0;
  double transform_seconds = 0.0, ridge_seconds = 0.0;
};

std::vector<Row> read_rows(const fs::path& path) {
  std::vector<Row> rows;
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return rows;
  if (line != kHeader) {
    std::cerr << "strider_select_defaults: " << path << " has another header; use another --out\n";
    std::exit(1);
  }
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ','))
      f.push_back(cell);
    if (f.size() < 12) continue;  // a line cut by an interrupted write
    Row r;
    r.dataset = f[0];
    r.config = f[1];
    r.folds = std::stoi(f[2]);
    r.seed = std::stoull(f[3]);
    r.accuracy = std::stod(f[7]);
    r.transform_seconds = std::stod(f[10]);
    r.ridge_seconds = std::stod(f[11]);
    rows.push_back(r);
  }
  return rows;
}

// ---- summary ----------------------------------------------------------------------------

double sign_test(int wins, int losses) {
  const int n = wins + losses;
  if (n == 0) return 1.0;
  const int k = std::min(wins, losses);
  double p = 0.0;
  for (int i = 0; i <= k; ++i) {
    p += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) -
                  n * std::log(2.0));
  }
  return std::min(1.0, 2.0 * p);
}

/// Ranks the candidates over the datasets that have a row for each; Markdown on `out`.
void write_summary(std::ostream& out, const std::vector<Row>& rows,
                   const std::vector<Candidate>& cands, int folds,
                   const std::vector<std::uint64_t>& seeds) {
  constexpr double kTie = 1e-9;  // mean accuracies over the same n: equal or >= 1/(seeds n) apart
  // dataset -> config -> seed -> row (the last row wins)
  std::map<std::string, std::map<std::string, std::map<std::uint64_t, const Row*>>> found;
  for (const Row& r : rows) {
    if (r.folds == folds && std::find(seeds.begin(), seeds.end(), r.seed) != seeds.end())
      found[r.dataset][r.config][r.seed] = &r;
  }
  std::map<std::string, std::map<std::string, Row>> by_ds;  // dataset -> config -> mean row
  std::vector<std::string> datasets;
  for (const auto& [d, configs] : found) {
    bool all = true;
    for (const Candidate& c : cands) {
      all = all && configs.count(c.name) && configs.at(c.name).size() == seeds.size();
    }
    if (!all) continue;
    datasets.push_back(d);
    for (const Candidate& c : cands) {
      Row mean;
      for (const auto& [sd, r] : configs.at(c.name)) {
        mean.accuracy += r->accuracy / static_cast<double>(seeds.size());
        mean.transform_seconds += r->transform_seconds;
        mean.ridge_seconds += r->ridge_seconds;
      }
      by_ds[d][c.name] = mean;
    }
  }
  const std::size_t nc = cands.size();
  std::vector<double> mean_acc(nc, 0.0), mean_rank(nc, 0.0), tsec(nc, 0.0), rsec(nc, 0.0);
  std::vector<int> wins(nc, 0), ties(nc, 0), losses(nc, 0), best(nc, 0);
  for (const std::string& d : datasets) {
    const auto& m = by_ds[d];
    const double base = m.at("default").accuracy;
    double top = -1.0;
    for (const Candidate& c : cands)
      top = std::max(top, m.at(c.name).accuracy);
    for (std::size_t i = 0; i < nc; ++i) {
      const Row& r = m.at(cands[i].name);
      mean_acc[i] += r.accuracy;
      tsec[i] += r.transform_seconds;
      rsec[i] += r.ridge_seconds;
      int better = 0, equal = 0;
      for (const Candidate& c : cands) {
        const double o = m.at(c.name).accuracy;
        better += o - r.accuracy > kTie;
        equal += std::abs(o - r.accuracy) <= kTie;
      }
      mean_rank[i] += better + (equal + 1) / 2.0;
      const double diff = r.accuracy - base;
      (diff > kTie ? wins : diff < -kTie ? losses : ties)[i] += 1;
      best[i] += top - r.accuracy <= kTie;
    }
  }
  const double n = std::max<double>(1.0, static_cast<double>(datasets.size()));
  std::vector<std::size_t> order(nc);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t x, std::size_t y) { return mean_acc[x] > mean_acc[y]; });
  const std::size_t ib = static_cast<std::size_t>(
      std::find_if(cands.begin(), cands.end(),
                   [](const Candidate& c) { return c.name == "default"; }) -
      cands.begin());
  char buf[512];
  out << "Stratified " << folds << "-fold cross-validation inside TRAIN (seed";
  for (std::size_t i = 0; i < seeds.size(); ++i)
    out << (i ? ", " : " ") << seeds[i];
  out << (seeds.size() > 1
              ? "; accuracy averaged over the seeds, each with its own folds and kernels"
              : "")
      << "), " << datasets.size()
      << " datasets; accuracy = out-of-fold correct / n_train. Rank 1 = best "
      << "of the " << nc << " configurations on a dataset (ties share the average rank). "
      << "W/T/L = datasets where the configuration is better / equal / worse than `default`; "
      << "p = two-sided sign test on W vs L. \"best\" = datasets where it is (one of) the "
      << "best. Transform seconds are those of the shared transform of its group "
      << "(summed over datasets and folds).\n\n";
  out << "| config | change | mean CV accuracy | vs default | W / T / L | p | mean rank | best "
         "| transform s | ridge s |\n|---|---|---:|---:|---|---:|---:|---:|---:|---:|\n";
  for (std::size_t i : order) {
    std::snprintf(buf, sizeof buf,
                  "| %s | %s | %.4f | %+.4f | %d / %d / %d | %.3g | %.2f | %d | %.0f | %.0f |\n",
                  cands[i].name.c_str(), cands[i].description.c_str(), mean_acc[i] / n,
                  (mean_acc[i] - mean_acc[ib]) / n, wins[i], ties[i], losses[i],
                  sign_test(wins[i], losses[i]), mean_rank[i] / n, best[i], tsec[i], rsec[i]);
    out << buf;
  }
  out << "\nDatasets (" << datasets.size() << "):";
  for (const std::string& d : datasets)
    out << ' ' << d;
  out << "\n";
}

[[noreturn]] void usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "strider_select_defaults: error: " << problem << "\n";
  std::cerr
      << "usage: strider_select_defaults [--root DIR] [--out FILE.csv] [--summary FILE.md]\n"
         "         [--folds K] [--max-cells N] [--datasets A,B] [--configs a,b] [--threads N]\n"
         "         [--seed S] [--summary-seeds S1,S2] [--list]\n"
         "Cross-validation inside TRAIN of each dataset with n_train x max_length <= N\n"
         "(default 150000), K folds (default 5); --list prints the configurations;\n"
         "--summary-seeds ranks the accuracy averaged over those seeds' rows.\n";
  std::exit(problem.empty() ? 0 : 2);
}

}  // namespace

int main(int argc, char** argv) {
  fs::path root = fs::path(STRIDER_SOURCE_DIR) / ".." / "shared" / "datasets" / "ucr";
  fs::path out_csv = fs::path(STRIDER_SOURCE_DIR) / "bench" / "results" / "select_defaults.csv";
  fs::path out_md;
  int folds = 5;
  int threads = 2;
  double max_cells = 150000;
  std::uint64_t seed = 0;
  std::vector<std::string> only_datasets, only_configs;
  std::vector<std::uint64_t> summary_seeds;
  bool list = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    try {
      if (a == "--root")
        root = value();
      else if (a == "--out")
        out_csv = value();
      else if (a == "--summary")
        out_md = value();
      else if (a == "--folds")
        folds = std::stoi(value());
      else if (a == "--threads")
        threads = std::stoi(value());
      else if (a == "--max-cells")
        max_cells = std::stod(value());
      else if (a == "--seed")
        seed = std::stoull(value());
      else if (a == "--datasets")
        only_datasets = split_list(value());
      else if (a == "--configs")
        only_configs = split_list(value());
      else if (a == "--summary-seeds")
        for (const std::string& v : split_list(value()))
          summary_seeds.push_back(std::stoull(v));
      else if (a == "--list")
        list = true;
      else if (a == "--help" || a == "-h")
        usage("");
      else
        usage("unknown option " + a);
    } catch (const std::logic_error&) {
      usage("bad value for " + a);
    }
  }
  if (folds < 2) usage("--folds must be at least 2");
  if (threads == 0) usage("--threads must not be 0");
  if (out_md.empty()) out_md = fs::path(out_csv).replace_extension(".md");

  if (list) {
    std::cout << "changes (join with '+'); the default run has " << kDefaultCandidates.size()
              << " candidates:";
    for (const std::string& n : kDefaultCandidates)
      std::cout << ' ' << n;
    std::cout << "\n";
    for (const Change& c : changes())
      std::cout << c.name << "\t" << c.description << "\n";
    std::cout << "wA-B-C\tfeature_weights {A, B, C} percent (min, increasing steps, argmin)\n";
    for (const PrototypeName& pr : kPrototypes)
      std::cout << pr.name << "\tprototype: " << pr.description << "\n";
    return 0;
  }
  if (only_configs.empty()) only_configs = kDefaultCandidates;
  // the baseline is always run, first
  only_configs.erase(std::remove(only_configs.begin(), only_configs.end(), "default"),
                     only_configs.end());
  only_configs.insert(only_configs.begin(), "default");
  std::vector<Candidate> cands;
  for (const std::string& n : only_configs) {
    try {
      cands.push_back(make_candidate(n, threads, seed));
    } catch (const std::invalid_argument& e) {
      usage(std::string(e.what()) + " in config " + n + " (see --list)");
    }
  }
  if (!fs::is_directory(root)) usage("dataset root " + root.string() + " is not a directory");

  check_shared_pipeline(threads);

  // groups of candidates sharing one transform, among the candidates in `subset`
  auto make_groups = [&](const std::vector<std::size_t>& subset) {
    std::vector<std::vector<std::size_t>> groups;
    for (std::size_t i : subset) {
      auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& members) {
        return cands[members.front()].prototype == Prototype::none &&
               cands[i].prototype == Prototype::none &&
               share_transform(cands[members.front()].params, cands[i].params);
      });
      if (g == groups.end()) {
        groups.push_back({i});
      } else {
        g->push_back(i);
      }
    }
    return groups;
  };
  std::vector<std::size_t> all(cands.size());
  std::iota(all.begin(), all.end(), std::size_t{0});

  std::vector<std::string> names = only_datasets.empty() ? list_datasets(root) : only_datasets;
  std::vector<Row> rows = fs::exists(out_csv) ? read_rows(out_csv) : std::vector<Row>{};
  std::set<std::pair<std::string, std::string>> done;
  for (const Row& r : rows) {
    if (r.folds == folds && r.seed == seed) done.insert({r.dataset, r.config});
  }
  if (!out_csv.parent_path().empty()) fs::create_directories(out_csv.parent_path());
  const bool new_file = !fs::exists(out_csv) || fs::file_size(out_csv) == 0;
  std::ofstream csv(out_csv, std::ios::app);
  if (!csv) usage("cannot write " + out_csv.string());
  if (new_file) csv << kHeader << "\n" << std::flush;

  std::cerr << "strider_select_defaults: " << cands.size() << " configurations in "
            << make_groups(all).size() << " transform groups, " << folds << " folds, " << threads
            << " threads; datasets with n_train x max_length <= " << max_cells << "\n";
  const auto t_start = Clock::now();
  int k = 0;
  for (const std::string& name : names) {
    ++k;
    fs::path file;
    try {
      file = strider::io::find_ucr_split(root, name, "TRAIN");
    } catch (const strider::FormatError& e) {
      usage(e.what());
    }
    std::vector<std::size_t> pending;  // candidates without a row for this dataset yet
    for (std::size_t i = 0; i < cands.size(); ++i) {
      if (!done.count({name, cands[i].name})) pending.push_back(i);
    }
    if (pending.empty()) continue;
    const strider::Panel train = strider::io::read_dataset_file(file);  // TRAIN only
    const double cells =
        static_cast<double>(train.n_series()) * static_cast<double>(train.max_length());
    if (cells > max_cells) {
      std::cerr << "[" << k << "/" << names.size() << "] " << name << ": skipped ("
                << train.n_series() << " x " << train.max_length() << " > --max-cells)\n";
      continue;
    }
    const auto t_ds = Clock::now();
    const std::vector<int> fold = stratified_folds(train, folds, seed);
    const std::vector<std::vector<std::size_t>> groups = make_groups(pending);
    std::vector<Tally> tally(cands.size());
    std::vector<double> group_seconds(groups.size(), 0.0);
    try {
      for (int f = 0; f < folds; ++f) {
        std::vector<index_t> ia, ib;
        for (index_t s = 0; s < train.n_series(); ++s)
          (fold[static_cast<std::size_t>(s)] == f ? ib : ia).push_back(s);
        if (ib.empty()) continue;  // fewer series than folds
        const strider::Panel a = train.subset(ia);
        const strider::Panel b = train.subset(ib);
        if (a.n_classes() < 2) continue;
        for (std::size_t g = 0; g < groups.size(); ++g) {
          std::vector<const Candidate*> members;
          std::vector<Tally*> tallies;
          for (std::size_t i : groups[g]) {
            members.push_back(&cands[i]);
            tallies.push_back(&tally[i]);
          }
          group_seconds[g] += members.front()->params.float32
                                  ? run_group<float>(a, b, members, tallies)
                                  : run_group<double>(a, b, members, tallies);
        }
      }
    } catch (const std::exception& e) {
      std::cerr << "[" << k << "/" << names.size() << "] " << name << ": FAILED: " << e.what()
                << "\n";
      continue;
    }
    std::string best_name;
    double best_acc = -1.0;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      for (std::size_t i : groups[g]) {
        const Tally& t = tally[i];
        const double acc = t.n ? static_cast<double>(t.correct) / static_cast<double>(t.n) : 0.0;
        std::ostringstream alphas;
        const char* sep = "";  // "alpha x folds" pairs, space-separated
        for (const auto& [alpha, count] : t.alphas) {
          alphas << sep << alpha << "x" << count;
          sep = " ";
        }
        char buf[256];
        std::snprintf(
            buf, sizeof buf, "%d,%llu,%lld,%lld,%lld,%.10g,%lld,%lld,%.3f,%.3f,", folds,
            static_cast<unsigned long long>(seed), static_cast<long long>(train.n_series()),
            static_cast<long long>(train.max_length()), static_cast<long long>(train.n_classes()),
            acc, static_cast<long long>(t.correct), static_cast<long long>(t.n), group_seconds[g],
            t.ridge_seconds);
        csv << name << ',' << cands[i].name << ',' << buf << alphas.str() << "\n";
        rows.push_back({name, cands[i].name, folds, seed, acc, group_seconds[g], t.ridge_seconds});
        if (acc > best_acc) {
          best_acc = acc;
          best_name = cands[i].name;
        }
      }
    }
    csv << std::flush;
    std::fprintf(stderr,
                 "[%d/%zu] %s (%lld x %lld, %lld classes): %zu configs, best %s %.4f, %.1f s "
                 "[elapsed %.0f s]\n",
                 k, names.size(), name.c_str(), static_cast<long long>(train.n_series()),
                 static_cast<long long>(train.max_length()),
                 static_cast<long long>(train.n_classes()), pending.size(), best_name.c_str(),
                 best_acc, seconds_since(t_ds), seconds_since(t_start));
  }
  if (summary_seeds.empty()) summary_seeds = {seed};
  std::ofstream md(out_md);
  write_summary(md, rows, cands, folds, summary_seeds);
  write_summary(std::cout, rows, cands, folds, summary_seeds);
  std::cerr << "strider_select_defaults: results in " << out_csv << ", summary in " << out_md
            << "\n";
  return 0;
}
