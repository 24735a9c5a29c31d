#pragma once
// What the strider subcommands share: option groups, reading the input, checked output
// files, the progress bar and number formatting.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <strider/panel.hpp>
#include <strider/progress.hpp>
#include <strider/transform/kernel.hpp>

#include "json.hpp"
#include "options.hpp"

namespace strider::cli {

/// `own`, then the model options (fit, evaluate), --threads, --memory-limit and --quiet.
std::vector<OptionSpec> with(std::vector<OptionSpec> own, bool model_options, bool memory = true);

extern const OptionSpec kNoLabels;
extern const OptionSpec kJson;

/// Reads a dataset file, with or without labels as the user said (--no-labels); with
/// `targets`, the labels are numeric regression targets (io::Labels::targets).
Panel read_input(const Options& o, const std::string& option, bool targets = false);

/// Fails early, before a long fit, when `path` cannot be created: its folder is missing or
/// not writable, or the file exists and is read-only.
void check_writable(const std::string& option, const std::filesystem::path& path);

/// Writes an output file (predictions, features) all at once; the message says which file
/// and why when it cannot.
void write_output(const Options& o, const std::string& option, const std::string& what,
                  const std::string& bytes);

/// One progress bar over the whole of an estimator's work (every transform and ridge
/// solve of a fit), when stderr is a terminal and not --quiet.
template <class Estimator>
class Progress {
 public:
  Progress(Estimator& est, const Options& o, const std::string& label) : est_(est) {
    if (o.has("quiet") || !ProgressBar::stderr_is_terminal()) return;
    est.set_progress_callback([this, label](index_t done, index_t total) {
      if (!bar_) bar_ = std::make_unique<ProgressBar>(label, total, true);
      bar_->update(done);
    });
  }
  ~Progress() {
    if (bar_) bar_->finish();
    est_.set_progress_callback({});
  }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

 private:
  Estimator& est_;
  std::unique_ptr<ProgressBar> bar_;
};

/// Adds "kernels": [{length, dilation, padding, channel, values, source_series,
/// source_start}, ...] to an open JSON object (info --json).
void print_kernels_json(Json& j, const std::vector<Kernel>& kernels);

/// A CSV field, quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& s);
/// "12.3 MB"
std::string megabytes(std::int64_t bytes);
/// "1.234 s"
std::string secs(double s);
/// Seconds rounded to the millisecond, for JSON (no 17-digit timings).
double ms_round(double s);

}  // namespace strider::cli
