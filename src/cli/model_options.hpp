#pragma once
// The model options of `strider fit` and `strider evaluate`, generated from the params
// tables (strider/params.hpp): one option per table row with a flag, its help and default
// from the table, its value parsed and checked by the row.

#include <functional>
#include <string>
#include <vector>

#include <strider/classifier.hpp>
#include <strider/regressor.hpp>

#include "options.hpp"

namespace strider::cli {

/// One command-line option that sets a field of a pipeline's params (Root:
/// KernelClassifierParams or KernelRegressorParams).
template <class Root>
struct ModelOption {
  OptionSpec spec;
  std::string field;  ///< the field's path, e.g. "transform.n_kernels"
  /// Parses `value` (typed as `typed`, e.g. "--kernels") into the field after its check.
  /// @throws UsageError "<typed> <value>: <what is expected>"
  std::function<void(Root&, const std::string& value, const std::string& typed)> apply;
};

/// Every model option of Root, in table order.
template <class Root>
const std::vector<ModelOption<Root>>& model_options();

/// The model options of `strider fit` and `evaluate`: the classifier's, then the
/// regressor's that the classifier lacks. A flag both have but with other defaults says
/// both in its help.
std::vector<OptionSpec> model_option_specs();

/// The option that picks the estimator: --task classification|regression.
OptionSpec task_option();
/// True when `--task regression` was given. @throws UsageError for another value
bool is_regression(const Options& o);

/// --threads (also --n-jobs): on every subcommand.
OptionSpec threads_option();
/// The value of --threads (-1 when absent); a count above strider::max_threads() is capped
/// with a warning on stderr. @throws UsageError naming the flag
int threads(const Options& o);
/// --memory-limit SIZE: on every subcommand that fits or transforms.
OptionSpec memory_limit_option();
/// The value of --memory-limit in bytes (0, i.e. detect, when absent): a number of bytes
/// or one with a unit, k/K, M, G or T (powers of 1024), optionally followed by B or iB.
/// @throws UsageError naming the flag and the value
std::uint64_t memory_limit(const Options& o);

/// The params the model options given in `o` describe (the defaults otherwise).
/// @throws UsageError naming the flag and value of a bad option, or an option of the
///         other task (--class-weight for a regressor)
KernelClassifierParams classifier_params(const Options& o);
KernelRegressorParams regressor_params(const Options& o);

/// `message` with the library's field names replaced by the command-line flags that set
/// them ("use nan_policy = interpolate" -> "use --nan interpolate").
std::string cli_words(std::string message);

}  // namespace strider::cli
