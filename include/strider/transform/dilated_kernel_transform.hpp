#pragma once
/// @file transform/dilated_kernel_transform.hpp
/// @brief strider::DilatedKernelTransform: K random dilated kernels turn N time series
/// into an N x 3K feature matrix (min, fraction of increasing steps, argmin per kernel;
/// N x 4K with add_occurrences, which adds the fraction of occurrences).
///
/// ## The contract
///
/// **fit(X)** draws K = `n_kernels` kernels. With T_min the reference length (the shortest
/// training series by default; with `length_quantile` q > 0, the length of rank
/// floor(q (N - 1)) among the N sorted training lengths, e.g. the median for q = 0.5: for
/// variable-length data, where the shortest series would cap every dilation) and C the
/// number of channels, each kernel (drawn from its own stream `Rng(random_state, i)`,
/// i = 0 .. K-1, so the model does not depend on the thread count) has:
/// - length `l`, uniform over the entries of `lengths` that are <= T_min (entries longer
///   than every training series are skipped; duplicates weight the draw);
/// - dilation `d = floor(2^u)`, `u ~ U(0, log2((T_min - 1) / (l - 1)))`, so that the
///   span `(l - 1) * d + 1` fits every training series (d = 1 when l = T_min);
/// - padding `p = ((l - 1) * d) / 2` (integer division) with probability `p_padding`,
///   else 0;
/// - a channel `c`, uniform over the C channels;
/// - values `v[0 .. l-1]`: with `source = sample` (default, the convst way),
///   `v_j = x[n, c, s + j * d]` for a training series n uniform over the N series (drawn
///   again until T_n >= span, which only happens with length_quantile > 0) and a
///   start s uniform over `0 .. T_n - span`, taken after the input preprocessing below
///   (`Kernel::source_series` / `source_start` record n and s); with `source = normal`,
///   i.i.d. N(0, 1) values; with `source = mixed`, each kernel draws u ~ U(0, 1) first
///   (after its channel) and is a `sample` kernel when u < 0.5, else a `normal` one;
///
/// - with probability `p_shape` (drawn after the values and before the occurrence
///   threshold, only when p_shape > 0), a **shape kernel** (`Kernel::shape`): its values
///   are z-normalised (population std; a kernel of length 2, or whose values are
///   constant, stays plain);
///
/// The kernels are then stored sorted by (channel, length, dilation, padding, shape), stably:
/// the order in which the transform processes them, so that each thread writes
/// contiguous columns. Kernel k of kernels() gives columns Fk .. Fk+F-1, F =
/// features_per_kernel() (3, or 4 with add_occurrences).
///
/// **transform(X)** gives, for series x of length T (its own length(i) in a
/// variable-length Panel; channel c of the kernel):
/// - `xpad` = p zeros, x, p zeros; `L = T + 2p - (l - 1) * d` output positions;
/// - `c_i = sum_j (xpad[i + j * d] - v_j)^2` for i = 0 .. L - 1 (computed directly, not
///   through the |x|^2 - 2 x.v + |v|^2 expansion, so a window equal to the kernel gives
///   exactly 0);
/// - for a shape kernel, `c_i = sum_j (z_ij - v_j)^2` instead, with
///   `z_ij = (xpad[i + j * d] - mean_i) / std_i` the window z-normalised (population std;
///   all zeros when `std_i <= 1e-12 * max(1, |mean_i|)`): computed as
///   `2l - 2 sum_j v_j (xpad[i + j * d] - xpad[i]) / std_i` (l for a constant window), equal
///   to the definition up to rounding at the scale of l and clamped at 0;
/// - in columns Fk, Fk + 1, Fk + 2: `min_i c_i`; the fraction of increasing steps
///   `#{i : c_{i+1} > c_i} / (L - 1)` (0 when L = 1); and the first `argmin_i c_i`
///   (as a number);
/// - with `add_occurrences`, in column Fk + 3: the fraction of occurrences
///   `#{i : c_i < Kernel::threshold} / L`. Fit draws each kernel's threshold after its
///   values, from the kernel's own stream: a training series n uniform over the N series
///   and a quantile q ~ U(0.05, 0.25); the threshold is halfway between the value of rank
///   floor(q (L - 1)) among the sorted c_i of series n (preprocessed as below, computed in
///   double) and the largest smaller c_i (0 when there is none), away from the distances
///   of that series unless two of them differ by a rounding error. A low
///   quantile makes an occurrence a close match, as the shapelet occurrence counts of
///   RDST (Guillaume et al., 2022); the kernels and the other three features are those
///   of the same seed without it.
/// - **Short series:** a series shorter than a kernel's span (possible at transform time
///   with variable lengths: T + 2p < span) is extended with zeros on the right until
///   L = 1, i.e. `xpad` = p zeros, x, then zeros up to length span; the features are
///   then (c_0, 0, 0).
///
/// **First differences** (`add_differences`): the transform then sees 2C channels,
/// channels 0 .. C-1 the input and channel C + c the first difference of channel c,
/// `x[t + 1] - x[t]` for t = 0 .. T - 2 and 0 at t = T - 1 (as the zero padding beyond a
/// series' end), computed after the missing values are interpolated (nan_policy =
/// interpolate) and before z-normalisation (which then applies to every channel). Kernels
/// draw their channel uniformly over the 2C; n_channels() stays C (what transform()
/// expects) and Kernel::channel ranges over 0 .. 2C-1. The differences show slope
/// patterns that are hard to see in the values (MultiRocket uses them the same way).
///
/// **Input preprocessing** (same at fit and transform), per series and channel:
/// 1. missing values: with `nan_policy = raise` (default) any NaN or +-inf raises
///    std::invalid_argument naming the series, channel and position; with
///    `interpolate`, every non-finite value is replaced by linear interpolation between
///    its nearest finite neighbours, leading/trailing runs take the nearest finite value,
///    and a channel with no finite value at all becomes zeros;
/// 2. with `normalize_input`, z-normalisation `(x - mean) / std` over the series' own
///    length (population std); a (numerically) constant channel, std <= 1e-12 *
///    max(1, |mean|), becomes zeros.
///
/// **Precision and determinism.** `transform<double>` (default) computes in double;
/// `transform<float>` converts the preprocessed series and the kernel values to float
/// and computes in float (half the memory, about 1.7x the speed; see README for the
/// measured agreement); input values (unless normalize_input) and kernel values must then lie
/// within the float range, and distances above it become +inf. The output is bit-identical for any
/// `n_jobs` on a given machine and build. The hot loop is vectorised for the CPU at run time
/// (AVX-512, AVX2 + FMA, or the build's baseline), so features may differ in the last bits between
/// CPUs.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <cereal/cereal.hpp>
#include <cereal/types/vector.hpp>

#include "strider/detail/cereal_eigen.hpp"
#include "strider/detail/serial_version.hpp"
#include "strider/error.hpp"
#include "strider/limits.hpp"
#include "strider/panel.hpp"
#include "strider/params.hpp"
#include "strider/transform/kernel.hpp"
#include "strider/types.hpp"

namespace strider {

/// Where kernel values come from.
enum class KernelSource : std::int32_t {
  sample = 0,  ///< dilated subsequences of random training series (convst)
  normal = 1,  ///< i.i.d. N(0, 1)
  mixed = 2,   ///< each kernel sample or normal with probability 1/2
};

/// What to do with NaN / +-inf in the input.
enum class NanPolicy : std::int32_t {
  raise = 0,        ///< throw std::invalid_argument naming series, channel and position
  interpolate = 1,  ///< linear interpolation (edges: nearest finite value; all missing: 0)
};

template <>
struct EnumNames<KernelSource> {
  static constexpr std::pair<KernelSource, const char*> items[] = {{KernelSource::sample, "sample"},
                                                                   {KernelSource::normal, "normal"},
                                                                   {KernelSource::mixed, "mixed"}};
};

template <>
struct EnumNames<NanPolicy> {
  static constexpr std::pair<NanPolicy, const char*> items[] = {
      {NanPolicy::raise, "raise"}, {NanPolicy::interpolate, "interpolate"}};
};

/// Hyper-parameters of DilatedKernelTransform (validated by its constructor). What each
/// field means, its check and its command-line flag: ParamTable<DilatedKernelTransformParams>
/// below (and docs/parameters.md).
struct DilatedKernelTransformParams {
  /// 2 added add_differences and length_quantile; 5 retired normalize_kernels (2-4),
  /// scale_normal_kernels (3-4) and add_raw_input (4); 6 added add_occurrences; 7 added
  /// p_shape.
  static constexpr std::uint32_t kSerialVersion = 7;

  index_t n_kernels = 10000;
  std::vector<index_t> lengths = {7, 9, 11};
  double p_padding = 0.5;
  KernelSource source = KernelSource::sample;
  std::uint64_t random_state = 0;
  int n_jobs = 1;
  NanPolicy nan_policy = NanPolicy::raise;
  bool normalize_input = false;
  bool add_differences = false;
  double length_quantile = 0.0;
  bool add_occurrences = false;
  double p_shape = 0.0;

  /// Features per kernel: 3 (min, fraction of increasing steps, argmin), 4 with
  /// add_occurrences (then the fraction of occurrences).
  index_t features_per_kernel() const { return add_occurrences ? 4 : 3; }

  friend bool operator==(const DilatedKernelTransformParams&,
                         const DilatedKernelTransformParams&) = default;

  /**
   * @brief Checks every field (see the table).
   * @param who prefix of the error message, e.g. "DilatedKernelTransform"
   * @throws std::invalid_argument naming the field and its value
   */
  void validate(const std::string& who = "DilatedKernelTransform") const {
    validate_params(*this, who);
  }

  /// cereal serialization from the table; a loaded struct is validated.
  /// @throws FormatError on a newer version, a retired option that changed the features,
  ///         or invalid values
  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version) {
    serialize_params(ar, *this, version, "DilatedKernelTransformParams");
  }
};

namespace transform_checks {
std::string n_kernels(const index_t& v);
std::string lengths(const std::vector<index_t>& v);
std::string quantile(const double& v);
}  // namespace transform_checks

template <>
struct ParamTable<DilatedKernelTransformParams> {
  using P = DilatedKernelTransformParams;
  static const auto& fields() {
    static const auto table = std::make_tuple(
        ParamField<P, index_t>{
            .name = "n_kernels",
            .member = &P::n_kernels,
            .help = "number of random kernels K (3K features; 4K with occurrences)",
            .flag = "kernels",
            .metavar = "K",
            .check = transform_checks::n_kernels,
            .aliases = "n-kernels"},
        ParamField<P, std::vector<index_t>>{
            .name = "lengths",
            .member = &P::lengths,
            .help = "kernel lengths to draw from, each 2 .. 4194304 (duplicates weight the draw)",
            .flag = "lengths",
            .metavar = "L1,L2,..",
            .check = transform_checks::lengths},
        ParamField<P, double>{.name = "p_padding",
                              .member = &P::p_padding,
                              .help = "probability that a kernel is padded",
                              .flag = "p-padding",
                              .metavar = "P",
                              .check = checks::probability},
        ParamField<P, KernelSource>{.name = "source",
                                    .member = &P::source,
                                    .help = "kernel values: training subsequences (sample), "
                                            "N(0, 1) (normal), or each kernel either (mixed)",
                                    .flag = "source",
                                    .metavar = "sample|normal|mixed"},
        ParamField<P, std::uint64_t>{.name = "random_state",
                                     .member = &P::random_state,
                                     .help = "seed: same seed and data, same kernels",
                                     .flag = "seed",
                                     .metavar = "S",
                                     .aliases = "random-state"},
        ParamField<P, int>{.name = "n_jobs",
                           .member = &P::n_jobs,
                           .help = "threads: -1 all cores, k >= 1 exactly k",
                           .check = checks::n_jobs},
        ParamField<P, NanPolicy>{.name = "nan_policy",
                                 .member = &P::nan_policy,
                                 .help = "missing values (NaN, inf): an error (raise) or linear "
                                         "interpolation (interpolate)",
                                 .flag = "nan",
                                 .metavar = "raise|interpolate"},
        ParamField<P, bool>{.name = "normalize_input",
                            .member = &P::normalize_input,
                            .help = "z-normalise each series and channel before the kernels "
                                    "see it",
                            .flag = "normalize"},
        RetiredField<P, bool>{.name = "normalize_kernels",
                              .since = 2,
                              .retired = 5,
                              .inert = false,
                              .effect = RetiredEffect::fit_only,
                              .what = "z-normalised kernel values when drawing them"},
        ParamField<P, bool>{.name = "add_differences",
                            .member = &P::add_differences,
                            .help = "also draw kernels on the first differences of each channel",
                            .flag = "differences",
                            .since = 2},
        ParamField<P, double>{.name = "length_quantile",
                              .member = &P::length_quantile,
                              .help = "kernels fit this quantile of the training lengths "
                                      "(0: the shortest series, 1: the longest)",
                              .flag = "length-quantile",
                              .metavar = "Q",
                              .check = transform_checks::quantile,
                              .since = 2},
        RetiredField<P, bool>{.name = "scale_normal_kernels",
                              .since = 3,
                              .retired = 5,
                              .inert = false,
                              .effect = RetiredEffect::fit_only,
                              .what = "scaled the N(0, 1) kernels to the training data"},
        RetiredField<P, bool>{.name = "add_raw_input",
                              .since = 4,
                              .retired = 5,
                              .inert = false,
                              .effect = RetiredEffect::changes_features,
                              .what = "kernels also on the input as given beside the "
                                      "z-normalised input"},
        ParamField<P, bool>{.name = "add_occurrences",
                            .member = &P::add_occurrences,
                            .help = "a 4th feature per kernel: the fraction of positions "
                                    "closer to the kernel than a threshold drawn at fit",
                            .flag = "occurrences",
                            .since = 6,
                            .before = false},
        ParamField<P, double>{.name = "p_shape",
                              .member = &P::p_shape,
                              .help = "probability that a kernel is a shape kernel: it compares "
                                      "z-normalised windows with z-normalised values",
                              .flag = "p-shape",
                              .metavar = "P",
                              .check = checks::probability,
                              .since = 7,
                              .before = 0.0});
    return table;
  }
};

namespace detail {
struct KernelPlan;  // the kernels regrouped for the hot loop (private)
}

/**
 * @brief Random dilated kernel transform (see the file comment for the full contract).
 *
 * @code
 * strider::DilatedKernelTransform dkt({.n_kernels = 10000, .random_state = 42});
 * strider::RowMatrixD features = dkt.fit_transform(train);  // n_series x 30000
 * strider::RowMatrixF test_f = dkt.transform<float>(test);  // float32 on request
 * @endcode
 *
 * `transform` is const and thread-safe. Copies share the (immutable) fitted kernels'
 * internal layout.
 */
class DilatedKernelTransform {
 public:
  static constexpr std::uint32_t kSerialVersion = 1;

  /**
   * @brief Stores and validates the parameters; never trains.
   * @throws std::invalid_argument on n_kernels < 1, empty lengths, a length < 2,
   *         p_padding outside [0, 1], n_jobs == 0 or an unknown enum value
   */
  explicit DilatedKernelTransform(DilatedKernelTransformParams params = {});

  /**
   * @brief Draws the kernels from `x` (refits from scratch).
   * @param x training panel, n_series x n_channels x n_timepoints (variable lengths OK)
   * @return *this
   * @throws std::invalid_argument when x has no series, a series is shorter than the
   *         shortest kernel length, or (nan_policy = raise) x has a NaN/inf value
   */
  DilatedKernelTransform& fit(const Panel& x);

  /**
   * @brief The features of every series.
   * @tparam T double (default) or float: the output type and the arithmetic type
   * @param x n_series x n_channels x n_timepoints; n_channels must equal fit's; any
   *          (also variable) lengths
   * @return n_series x FK matrix (F = params().features_per_kernel()), kernel k in
   *         columns Fk (min), Fk+1 (fraction of increasing steps), Fk+2 (argmin) and, with
   *         add_occurrences, Fk+3 (fraction of occurrences)
   * @throws NotFittedError before fit()
   * @throws std::invalid_argument on a channel-count mismatch, (nan_policy = raise) a
   *         NaN/inf value, or (T = float) a value outside the float range, naming series,
   *         channel and position
   */
  template <class T = double>
  RowMatrix<T> transform(const Panel& x) const;

  /// fit(x) then transform<T>(x). @return n_series x FK
  template <class T = double>
  RowMatrix<T> fit_transform(const Panel& x);

  /// True after fit() (or after loading a fitted model).
  bool is_fitted() const noexcept { return n_channels_ > 0; }

  /// The K kernels, kernel k producing columns Fk .. Fk+F-1. @throws NotFittedError
  const std::vector<Kernel>& kernels() const;

  /// Number of output columns, FK (F = params().features_per_kernel()). @throws NotFittedError
  index_t n_features() const;

  /// Number of channels seen at fit (the input's; with add_differences the kernels see
  /// twice as many).
  /// @throws NotFittedError
  index_t n_channels() const;

  /// The reference length the kernels were drawn to fit (T_min in the file comment: the
  /// shortest training series unless length_quantile > 0). @throws NotFittedError
  index_t min_length() const;

  /**
   * @brief Uses the given kernels instead of drawing them: e.g. a pruned subset of a
   * fitted model's kernels, or hand-made kernels. Afterwards params().n_kernels is
   * kernels.size() and min_length() is the largest kernel span.
   * @param kernels    at least one kernel, each consistent (see Kernel::check())
   * @param n_channels the channel count transform() will expect (every kernel's
   *                   channel must be below it, or below 2 n_channels with
   *                   add_differences)
   * @return *this, fitted
   * @throws std::invalid_argument on an empty list, n_channels < 1 or an inconsistent
   *         kernel (the message names the kernel and the problem)
   */
  DilatedKernelTransform& set_kernels(std::vector<Kernel> kernels, index_t n_channels);

  /// The parameters given to the constructor.
  const DilatedKernelTransformParams& params() const noexcept { return params_; }

  /// Changes the thread count used by later calls (e.g. after loading a model).
  /// @throws std::invalid_argument when n_jobs == 0
  void set_n_jobs(int n_jobs);

  /**
   * @brief Estimated peak memory, in bytes, of fit(x) (the kernels and the scratch of
   * drawing them) and of transform<T>(x) (the output, the per-thread buffers and, with
   * add_differences, the derived channels), with `value_bytes` = sizeof(T). fit() and
   * transform() refuse with MemoryLimitError, before allocating, when their estimate
   * exceeds the memory limit (memory.hpp). transform_memory() needs a fitted transform.
   */
  std::uint64_t fit_memory(const Panel& x) const;
  std::uint64_t transform_memory(const Panel& x, std::size_t value_bytes = sizeof(double)) const;
  /// The memory limit of later calls in bytes; 0 (the default) detects it (memory.hpp).
  /// Not serialized.
  void set_memory_limit(std::uint64_t bytes) noexcept { memory_limit_ = bytes; }
  std::uint64_t memory_limit_setting() const noexcept { return memory_limit_; }

  /// Optional progress reporting for long transforms (CLI progress bar): called with
  /// (done, total) units of work, from one thread at a time, with non-decreasing `done`
  /// and a final call (total, total); cheap when unset. An exception thrown by the
  /// callback aborts the transform and is rethrown. Not serialized.
  using ProgressCallback = std::function<void(index_t done, index_t total)>;
  void set_progress_callback(ProgressCallback cb) { progress_ = std::move(cb); }

  /**
   * @brief cereal serialization of the params and the fitted kernels.
   * On load, the params and every kernel are validated (channel < n_channels,
   * span <= min_length, ...), so a corrupted model never yields a transform that
   * reads out of bounds.
   * @throws FormatError on an inconsistent or newer-version model
   */
  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version);

 private:
  void check_fitted(const char* who) const;
  void validate_loaded();  // checks a loaded model and rebuilds plan_; throws FormatError
  /// fit / transform on the channels the kernels see (x already holds the differences;
  /// see src/transform/input_channels.hpp).
  void fit_channels(const Panel& x);
  template <class T>
  RowMatrix<T> transform_channels(const Panel& x) const;

  DilatedKernelTransformParams params_;
  std::vector<Kernel> kernels_;
  index_t n_channels_ = 0;  // 0 = not fitted
  index_t min_length_ = 0;
  std::shared_ptr<const detail::KernelPlan> plan_;
  ProgressCallback progress_;
  std::uint64_t memory_limit_ = 0;
};

namespace detail {
/// Bytes of transform<T>(x) for `n_series` series of `n_channels` channels and longest
/// length `max_length`, `n_kernels` kernels whose padding and span are at most
/// `max_padding` and `max_span`, on `n_threads` threads (see transform_memory()).
std::uint64_t transform_bytes(index_t n_series, index_t n_channels, index_t max_length,
                              index_t n_kernels, index_t max_padding, index_t max_span,
                              std::size_t value_bytes, int n_threads,
                              const DilatedKernelTransformParams& p);
}  // namespace detail

extern template RowMatrix<double> DilatedKernelTransform::transform<double>(const Panel&) const;
extern template RowMatrix<float> DilatedKernelTransform::transform<float>(const Panel&) const;
extern template RowMatrix<double> DilatedKernelTransform::fit_transform<double>(const Panel&);
extern template RowMatrix<float> DilatedKernelTransform::fit_transform<float>(const Panel&);

// ---- serialization bodies ----------------------------------------------------------

template <class Archive>
void DilatedKernelTransform::serialize(Archive& ar, std::uint32_t version) {
  detail::check_serial_version("DilatedKernelTransform", version, kSerialVersion);
  std::int64_t channels = n_channels_, min_len = min_length_;
  ar(cereal::make_nvp("params", params_), cereal::make_nvp("n_channels", channels),
     cereal::make_nvp("min_length", min_len));
  if constexpr (Archive::is_loading::value) {
    // Checked: at most n_kernels (validated with the params) kernels, each read before
    // the next is made, so memory grows only with the kernels the file really holds.
    detail::load_objects(ar, "kernels", kernels_, static_cast<std::uint64_t>(params_.n_kernels));
  } else {
    ar(cereal::make_nvp("kernels", kernels_));
  }
  if constexpr (Archive::is_loading::value) {
    n_channels_ = static_cast<index_t>(channels);
    min_length_ = static_cast<index_t>(min_len);
    validate_loaded();
  }
}

}  // namespace strider

CEREAL_CLASS_VERSION(strider::DilatedKernelTransformParams,
                     strider::DilatedKernelTransformParams::kSerialVersion)
CEREAL_CLASS_VERSION(strider::DilatedKernelTransform,
                     strider::DilatedKernelTransform::kSerialVersion)
