#pragma once
// The regression side of `strider fit`, `predict`, `evaluate` and `info`: the same
// subcommands on a KernelRegressor (fit and evaluate with --task regression; predict and
// info when the model file holds a KernelRegressor).

#include <string>

#include <strider/serialization.hpp>

#include "options.hpp"

namespace strider::cli {

/// `strider fit --task regression`: fits a KernelRegressor on the file's numeric labels.
int fit_regressor(const Options& o);
/// `strider predict` with a KernelRegressor model: one predicted value per series.
int predict_regressor(const Options& o);
/// `strider evaluate --task regression` (no data argument: the built-in pulse-area set).
int evaluate_regressor(const Options& o);
/// `strider info` on a KernelRegressor model file.
int info_regressor(const Options& o, const ModelEnvelope& env);

/// The regressor in `--model`, with --threads and --memory-limit applied.
KernelRegressor load_regressor(const Options& o);

}  // namespace strider::cli
