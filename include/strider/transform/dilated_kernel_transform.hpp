#pragma once
/// @file transform/dilated_kernel_transform.hpp
/// @brief strider::DilatedKernelTransform: K random dilated kernels turn N time series
/// into an N x 3K feature matrix (min, fraction of increasing steps, argmin per kernel).
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
/// - with `scale_normal_kernels`, the values of the `normal` kernels become
///   `m_c + s_c * z` (z the N(0, 1) draws), m_c and s_c the mean and population std of
///   channel c over every value of every training series, after the input preprocessing
///   below (s_c = 1 when it is not > 0): the kernels then live on the data's scale, which
///   matters when the input is not z-normalised (with normalize_input, m_c ~ 0, s_c ~ 1);
/// - with `normalize_kernels`, the values are then z-normalised, `(v - mean) / std`
///   (population std over the l values); a (numerically) constant kernel, std <= 1e-12 *
///   max(1, |mean|), becomes zeros. This keeps the kernel's shape and drops its level
///   and scale.
///
/// The kernels are then stored sorted by (channel, length, dilation, padding), stably:
/// the order in which the transform processes them, so that each thread writes
/// contiguous columns. Kernel k of kernels() gives columns 3k .. 3k+2.
///
/// **transform(X)** gives, for series x of length T (its own length(i) in a
/// variable-length Panel; channel c of the kernel):
/// - `xpad` = p zeros, x, p zeros; `L = T + 2p - (l - 1) * d` output positions;
/// - `c_i = sum_j (xpad[i + j * d] - v_j)^2` for i = 0 .. L - 1 (computed directly, not
///   through the |x|^2 - 2 x.v + |v|^2 expansion, so a window equal to the kernel gives
///   exactly 0);
/// - in columns 3k, 3k + 1, 3k + 2: `min_i c_i`; the fraction of increasing steps
///   `#{i : c_{i+1} > c_i} / (L - 1)` (0 when L = 1); and the first `argmin_i c_i`
///   (as a number).
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
/// **Both inputs** (`add_raw_input`, with normalize_input): the C channels are seen
/// twice, channels 0 .. C-1 z-normalised and channel C + c as given (missing values
/// still interpolated); with add_differences too the transform sees 4C channels, the
/// 2C above then their first differences in the same order (C + c as given, so its
/// differences are not z-normalised either). Kernels draw their channel uniformly over
/// all of them, so about half see each input, and one ridge weighs the shape features
/// of the normalised input against the level features of the input as given. Without
/// normalize_input both copies are as given: the kernels are drawn as without the option.
///
/// **Input preprocessing** (same at fit and transform), per series and channel:
/// 1. missing values: with `nan_policy = raise` (default) any NaN or +-inf raises
///    std::invalid_argument naming the series, channel and position; with
///    `interpolate`, every non-finite value is replaced by linear interpolation between
///    its nearest finite neighbours, leading/trailing runs take the nearest finite value,
///    and a channel with no finite value at all becomes zeros;
/// 2. with `normalize_input`, z-normalisation `(x - mean) / std` over the series' own
///    length (population std); a (numerically) constant channel, std <= 1e-12 *
///    max(1, |mean|), becomes zeros (not the copies as given of `add_raw_input`).
///
/// **Precision and determinism.** `transform<double>` (default) computes in double;
/// `transform<float>` converts the preprocessed series and the kernel values to float
/// and computes in float (half the memory, about 1.7x the speed; see README for the
/// measured agreement); input values (unless normalize_input without add_raw_input)
/// and kernel values must then lie within the float range, and distances above it
/// become +inf.
/// The output is bit-identical for any `n_jobs` on a given machine and build. The hot
/// loop is vectorised for the CPU at run time (AVX-512, AVX2 + FMA, or the build's
/// baseline), so features may differ in the last bits between CPUs.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <cereal/cereal.hpp>
#include <cereal/types/vector.hpp>

#include "strider/detail/cereal_bool.hpp"
#include "strider/detail/serial_version.hpp"
#include "strider/error.hpp"
#include "strider/panel.hpp"
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

/// Hyper-parameters of DilatedKernelTransform (validated by its constructor).
struct DilatedKernelTransformParams {
  /// 2 added normalize_kernels, add_differences (version-1 files load with false) and
  /// length_quantile (loads as 0); 3 added scale_normal_kernels, 4 add_raw_input (older
  /// files: false).
  static constexpr std::uint32_t kSerialVersion = 4;

  index_t n_kernels = 10000;                   ///< K, number of kernels (>= 1); 3K features
  std::vector<index_t> lengths = {7, 9, 11};   ///< kernel lengths to draw from (each >= 2)
  double p_padding = 0.5;                      ///< probability that a kernel is padded, in [0, 1]
  KernelSource source = KernelSource::sample;  ///< where kernel values come from
  std::uint64_t random_state = 0;              ///< seed: same seed and data, same kernels
  int n_jobs = 1;                              ///< threads for transform (and fit's sampling):
                                               ///< 1 (default, sklearn's), k >= 1 exactly k,
                                               ///< -1 all cores, 0 rejected (parallel.hpp)
  NanPolicy nan_policy = NanPolicy::raise;     ///< NaN/inf handling, see the file comment
  bool normalize_input = false;                ///< z-normalise each series and channel first
                                               ///< (for data that is not z-normalised)
  bool normalize_kernels = false;              ///< z-normalise each kernel's values after
                                               ///< drawing them (see the file comment)
  bool add_differences = false;                ///< also draw kernels on the first
                                               ///< differences (see the file comment)
  bool scale_normal_kernels = false;           ///< N(0, 1) kernel values scaled to the
                                               ///< training data (see the file comment)
  bool add_raw_input = false;                  ///< with normalize_input, half the kernels
                                               ///< see the input as given (file comment)
  double length_quantile = 0.0;                ///< reference length for the kernels'
                                               ///< spans: this quantile of the training
                                               ///< lengths, in [0, 1] (0 = shortest)

  friend bool operator==(const DilatedKernelTransformParams&,
                         const DilatedKernelTransformParams&) = default;

  /**
   * @brief Checks every field.
   * @param who prefix of the error message, e.g. "DilatedKernelTransform"
   * @throws std::invalid_argument naming the field and its value
   */
  void validate(const std::string& who = "DilatedKernelTransform") const;

  /// cereal serialization; enums are stored as integers.
  /// @throws FormatError("<model>", 0, ...) on load of invalid params or a newer version
  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version);
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
   * @return n_series x 3K matrix, kernel k in columns 3k (min), 3k+1 (fraction of
   *         increasing steps), 3k+2 (argmin)
   * @throws NotFittedError before fit()
   * @throws std::invalid_argument on a channel-count mismatch, (nan_policy = raise) a
   *         NaN/inf value, or (T = float) a value outside the float range, naming series,
   *         channel and position
   */
  template <class T = double>
  RowMatrix<T> transform(const Panel& x) const;

  /// fit(x) then transform<T>(x). @return n_series x 3K
  template <class T = double>
  RowMatrix<T> fit_transform(const Panel& x);

  /// True after fit() (or after loading a fitted model).
  bool is_fitted() const noexcept { return n_channels_ > 0; }

  /// The K kernels, kernel k producing columns 3k .. 3k+2. @throws NotFittedError
  const std::vector<Kernel>& kernels() const;

  /// Number of output columns, 3K. @throws NotFittedError
  index_t n_features() const;

  /// Number of channels seen at fit (the input's; with add_differences the kernels see
  /// twice as many, with add_raw_input and normalize_input twice as many again).
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
   *                   add_differences or with add_raw_input and normalize_input, 4
   *                   n_channels with both)
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
   * @throws FormatError("<model>", 0, ...) on an inconsistent or newer-version model
   */
  template <class Archive>
  void serialize(Archive& ar, std::uint32_t version);

 private:
  void check_fitted(const char* who) const;
  void validate_loaded();  // checks a loaded model and rebuilds plan_; throws FormatError
  /// fit / transform on the channels the kernels see (x already holds the raw copies and
  /// the differences).
  void fit_channels(const Panel& x);
  template <class T>
  RowMatrix<T> transform_channels(const Panel& x) const;

  DilatedKernelTransformParams params_;
  std::vector<Kernel> kernels_;
  index_t n_channels_ = 0;  // 0 = not fitted
  index_t min_length_ = 0;
  std::shared_ptr<const detail::KernelPlan> plan_;
  ProgressCallback progress_;
};

extern template RowMatrix<double> DilatedKernelTransform::transform<double>(const Panel&) const;
extern template RowMatrix<float> DilatedKernelTransform::transform<float>(const Panel&) const;
extern template RowMatrix<double> DilatedKernelTransform::fit_transform<double>(const Panel&);
extern template RowMatrix<float> DilatedKernelTransform::fit_transform<float>(const Panel&);

// ---- serialization bodies ----------------------------------------------------------

template <class Archive>
void DilatedKernelTransformParams::serialize(Archive& ar, std::uint32_t version) {
  detail::check_serial_version("DilatedKernelTransformParams", version, kSerialVersion);
  std::int64_t k = n_kernels;
  std::vector<std::int64_t> lens(lengths.begin(), lengths.end());
  auto src = static_cast<std::int32_t>(source);
  auto nan = static_cast<std::int32_t>(nan_policy);
  std::int32_t jobs = n_jobs;
  ar(cereal::make_nvp("n_kernels", k), cereal::make_nvp("lengths", lens),
     cereal::make_nvp("p_padding", p_padding), cereal::make_nvp("source", src),
     cereal::make_nvp("random_state", random_state), cereal::make_nvp("n_jobs", jobs),
     cereal::make_nvp("nan_policy", nan));
  detail::serialize_bool(ar, "normalize_input", normalize_input);
  if (version >= 2) {
    detail::serialize_bool(ar, "normalize_kernels", normalize_kernels);
    detail::serialize_bool(ar, "add_differences", add_differences);
    ar(cereal::make_nvp("length_quantile", length_quantile));
  } else if constexpr (Archive::is_loading::value) {
    normalize_kernels = false;
    add_differences = false;
    length_quantile = 0.0;
  }
  if (version >= 3) {
    detail::serialize_bool(ar, "scale_normal_kernels", scale_normal_kernels);
  } else if constexpr (Archive::is_loading::value) {
    scale_normal_kernels = false;
  }
  if (version >= 4) {
    detail::serialize_bool(ar, "add_raw_input", add_raw_input);
  } else if constexpr (Archive::is_loading::value) {
    add_raw_input = false;
  }
  if constexpr (Archive::is_loading::value) {
    n_kernels = static_cast<index_t>(k);
    lengths.assign(lens.begin(), lens.end());
    source = static_cast<KernelSource>(src);
    nan_policy = static_cast<NanPolicy>(nan);
    n_jobs = jobs;
    try {
      validate("DilatedKernelTransformParams");
    } catch (const std::invalid_argument& e) {
      throw FormatError("<model>", 0, e.what());
    }
  }
}

template <class Archive>
void DilatedKernelTransform::serialize(Archive& ar, std::uint32_t version) {
  detail::check_serial_version("DilatedKernelTransform", version, kSerialVersion);
  std::int64_t channels = n_channels_, min_len = min_length_;
  ar(cereal::make_nvp("params", params_), cereal::make_nvp("n_channels", channels),
     cereal::make_nvp("min_length", min_len), cereal::make_nvp("kernels", kernels_));
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
