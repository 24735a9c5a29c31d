#include "batch_fit.hpp"

#include <iostream>
#include <memory>
#include <string>

#include <strider/datasets/cylinder_bell_funnel.hpp>
#include <strider/io/file_source.hpp>
#include <strider/memory.hpp>
#include <strider/stopwatch.hpp>
#include <strider/strider.hpp>

#include "common.hpp"
#include "json.hpp"
#include "model_options.hpp"
#include "processes.hpp"

namespace strider::cli {

namespace {

/// --cbf N,LENGTH[,SEED]
std::unique_ptr<SeriesSource> generated_source(const Options& o) {
  const std::string text = o.get("cbf");
  const auto fail = [&] {
    throw UsageError(o.typed("cbf") + " " + text +
                     ": expected N,LENGTH or N,LENGTH,SEED (whole numbers, N >= 2, "
                     "LENGTH >= 8), e.g. 100000,500");
  };
  std::vector<unsigned long long> v;
  std::size_t pos = 0;
  while (pos <= text.size() && v.size() < 4) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    const std::string field = text.substr(pos, comma - pos);
    if (field.empty() || field.size() > 19 ||
        field.find_first_not_of("0123456789") != std::string::npos) {
      fail();
    }
    v.push_back(std::stoull(field));
    pos = comma + 1;
  }
  if (v.size() < 2 || v.size() > 3 || v[0] < 2 || v[1] < 8 ||
      v[0] > static_cast<unsigned long long>(datasets::kMaxCbfSeries) ||
      v[1] > static_cast<unsigned long long>(kMaxSeriesLength)) {
    fail();
  }
  return std::make_unique<datasets::CylinderBellFunnelSource>(
      static_cast<index_t>(v[0]), static_cast<index_t>(v[1]), true, v.size() == 3 ? v[2] : 0);
}

index_t positive_option(const Options& o, const std::string& name, index_t fallback) {
  const long long v = o.get_int(name, fallback);
  if (v < 1 || v > (1LL << 40)) {
    throw UsageError(o.typed(name) + " " + o.get(name) + ": expected a whole number >= 1");
  }
  return static_cast<index_t>(v);
}

}  // namespace

std::vector<OptionSpec> batch_fit_options() {
  return {{"batch-size", "N",
           "read the training set N series at a time (default 1000 with --cbf): a fit whose "
           "memory does not grow with the number of series, in five passes over the set; "
           "see docs/large_data.md"},
          {"kernel-sample", "N",
           "in batches: draw the kernels from N series evenly spaced through the set "
           "(default 10000)"},
          {"loo-sample", "N",
           "in batches: compute the exact leave-one-out values that choose alpha for at most "
           "N series spread through the set (default 20000; the others are not read in the "
           "last pass)"},
          {"cbf", "N,LENGTH[,SEED]",
           "in batches, instead of --train: a generated Cylinder-Bell-Funnel training set of "
           "N series of length LENGTH (z-normalised, from SEED, default 0)"}};
}

bool is_batch_fit(const Options& o) {
  return o.has("batch-size") || o.has("cbf") || process_count() > 1;
}

int fit_in_batches(const Options& o) {
  if (o.has("train") == o.has("cbf")) {
    throw UsageError("fit: give either --train FILE or --cbf N,LENGTH");
  }
  if (is_regression(o)) {
    throw UsageError(
        "fit: --batch-size and --cbf fit a classifier; --task regression reads "
        "its training set in memory");
  }
  if (o.has("no-labels")) throw UsageError("fit: a training set needs its labels");
  // Over several MPI processes every one fits its share; rank 0 writes and prints.
  const bool writer = process_rank() == 0;
  BatchFitOptions options;
  options.communicator = process_communicator();
  options.batch_size = positive_option(o, "batch-size", options.batch_size);
  options.kernel_sample = positive_option(o, "kernel-sample", options.kernel_sample);
  options.loo_sample = positive_option(o, "loo-sample", options.loo_sample);
  const std::string model_path = o.get("model", "model.strider");
  KernelClassifier clf(classifier_params(o));
  clf.set_memory_limit(memory_limit(o));
  if (writer) check_writable("model", model_path);
  std::unique_ptr<SeriesSource> source =
      o.has("cbf") ? generated_source(o) : std::make_unique<io::FileSource>(o.get("train"));
  Stopwatch watch;
  {
    std::unique_ptr<Progress<KernelClassifier>> progress;
    if (writer) progress = std::make_unique<Progress<KernelClassifier>>(clf, o, "fit");
    clf.fit_batches(*source, options);
  }
  const double fit_s = watch.wall_seconds();
  if (!writer) return 0;
  save(clf, model_path);
  const std::string class_weight = ParamText<ClassWeight>::text(clf.ridge().class_weight());
  if (o.has("json")) {
    Json j;
    j.begin_object()
        .field("model", model_path)
        .field("train", source->describe())
        .field("n_train", source->n_series())
        .field("batch_size", options.batch_size)
        .field("processes", process_count())
        .field("kernel_sample", options.kernel_sample)
        .field("loo_sample", options.loo_sample)
        .field("n_classes", static_cast<std::int64_t>(clf.classes().size()))
        .field("classes", clf.classes())
        .field("fit_seconds", ms_round(fit_s))
        .field("peak_rss_bytes", peak_rss_bytes())
        .field("alpha", clf.ridge().alpha())
        .field("normalized", clf.transform().params().normalize_input)
        .field("class_weight", class_weight)
        .field("params", clf.params())
        .end_object();
    std::cout << j.str() << "\n";
    return 0;
  }
  std::cout << "train: " << source->describe() << ", in batches of " << options.batch_size
            << (process_count() > 1 ? " over " + std::to_string(process_count()) + " processes"
                                    : std::string())
            << "\n"
            << "fit:   " << secs(fit_s) << " (alpha " << clf.ridge().alpha() << ", class weights "
            << class_weight << ", peak memory " << megabytes(peak_rss_bytes()) << ")\n"
            << "model: " << model_path << "\n";
  return 0;
}

}  // namespace strider::cli
