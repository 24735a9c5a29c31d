#pragma once
// strider fit with a training set read in batches (--batch-size, --cbf): a fit whose
// memory does not grow with the number of series.

#include <vector>

#include "options.hpp"

namespace strider::cli {

/// fit's options of a batched fit: --batch-size, --kernel-sample, --cbf.
std::vector<OptionSpec> batch_fit_options();

/// True when fit's options ask for a batched fit (--batch-size or --cbf).
bool is_batch_fit(const Options& o);

/// Runs `strider fit` in batches (KernelClassifier::fit_batches) on --train FILE read by
/// io::FileSource or on a generated --cbf set; prints and saves as fit does. Returns the
/// exit status.
int fit_in_batches(const Options& o);

}  // namespace strider::cli
