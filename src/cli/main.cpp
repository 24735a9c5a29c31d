// strider: the command-line tool. Subcommands fit, predict, transform, evaluate, info.
// Results go to stdout; errors to stderr as "strider: error: <message>", exit status 1
// (2 for usage errors). A progress bar is drawn on stderr for long fits and transforms
// when stderr is a terminal, unless --quiet.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <strider/io/atomic_write.hpp>
#include <strider/progress.hpp>
#include <strider/stopwatch.hpp>
#include <strider/strider.hpp>

#include "batch_fit.hpp"
#include "common.hpp"
#include "json.hpp"
#include "model_options.hpp"
#include "options.hpp"
#include "processes.hpp"
#include "regression.hpp"

namespace fs = std::filesystem;
using strider::cli::check_writable;
using strider::cli::csv_field;
using strider::cli::Json;
using strider::cli::kJson;
using strider::cli::kNoLabels;
using strider::cli::megabytes;
using strider::cli::ms_round;
using strider::cli::Options;
using strider::cli::OptionSpec;
using strider::cli::print_kernels_json;
using strider::cli::Progress;
using strider::cli::read_input;
using strider::cli::secs;
using strider::cli::UsageError;
using strider::cli::with;
using strider::cli::write_output;

namespace {

std::string input_text(const strider::KernelClassifier& clf) {
  return std::string(clf.transform().params().normalize_input ? "z-normalised" : "as given") +
         (clf.params().choose_normalization ? " (chosen)" : "");
}

/// The class weights of the fitted ridge, as the params spell them.
std::string class_weight_text(const strider::KernelClassifier& clf) {
  return strider::ParamText<strider::ClassWeight>::text(clf.ridge().class_weight());
}

/// The class weights for a person: "balanced", or "none (chosen)".
std::string class_weight_line(const strider::KernelClassifier& clf) {
  return class_weight_text(clf) +
         (clf.params().ridge.class_weight == strider::ClassWeight::choose ? " (chosen)" : "");
}

/// The kernels the ridge uses, for a person: "series+differences", or "series (chosen)".
std::string representation_line(const strider::KernelClassifier& clf) {
  return clf.representation() +
         (clf.params().choose_representation && clf.transform().params().add_differences
              ? " (chosen)"
              : "");
}

/// The kernel features the ridge uses, for a person: "all", or "occurrences (chosen)" when
/// choose_features kept the fractions of occurrences alone.
std::string features_line(const strider::KernelClassifier& clf) {
  const std::string used = clf.features_used();
  return used == "all" ? used : used + " (chosen)";
}

strider::KernelClassifier load_classifier(const Options& o) {
  strider::KernelClassifier clf = strider::load<strider::KernelClassifier>(o.get("model"));
  const int threads = strider::cli::threads(o);
  clf.set_n_jobs(threads);
  clf.set_memory_limit(strider::cli::memory_limit(o));
  return clf;
}

std::size_t count_correct(const std::vector<std::string>& pred,
                          const std::vector<std::string>& labels) {
  std::size_t correct = 0;
  for (std::size_t i = 0; i < pred.size(); ++i)
    correct += pred[i] == labels[i] ? 1 : 0;
  return correct;
}

/// A classifier learns nothing from classes of one series each, and that is what numeric
/// regression targets read as labels look like: refused with the way out.
void check_not_targets(const strider::Panel& train) {
  const auto n = static_cast<std::size_t>(train.n_series());
  if (train.has_labels() && n >= 10 && train.classes().size() == n) {
    throw std::invalid_argument("every one of the " + std::to_string(n) +
                                " training series has a label of its own: these look like "
                                "regression targets; use --task regression");
  }
}

// ---- subcommands --------------------------------------------------------------------
int cmd_fit(int argc, char** argv) {
  Options o("fit", "--train FILE [--model OUT] [--batch-size N] [options]",
            "Fits a KernelClassifier on a labelled dataset file (.tsv, .ts, .txt/.csv) and "
            "saves it (portable binary, or JSON when OUT ends in .json). With --task "
            "regression the labels are numeric targets and a KernelRegressor is fitted. "
            "With --batch-size (or --cbf) the training set is read a batch at a time, so a "
            "set larger than memory can be fitted.",
            with(
                [] {
                  std::vector<OptionSpec> own = {
                      {"train", "FILE", "training data (required, unless --cbf)"},
                      {"model", "OUT", "model file to write (default model.strider)"},
                      strider::cli::task_option(),
                      kJson};
                  for (OptionSpec& spec : strider::cli::batch_fit_options())
                    own.push_back(std::move(spec));
                  return own;
                }(),
                true));
  if (!o.parse(argc, argv, 2)) return 0;
  if (strider::cli::is_batch_fit(o)) return strider::cli::fit_in_batches(o);
  for (const char* batch_only : {"kernel-sample", "loo-sample"}) {
    if (o.has(batch_only))
      throw UsageError(std::string("fit: --") + batch_only + " needs --batch-size or --cbf");
  }
  if (!o.has("train")) throw UsageError("fit: --train FILE is required");
  if (strider::cli::is_regression(o)) return strider::cli::fit_regressor(o);
  const std::string model_path = o.get("model", "model.strider");
  strider::KernelClassifier clf(strider::cli::classifier_params(o));
  clf.set_memory_limit(strider::cli::memory_limit(o));
  check_writable("model", model_path);
  const strider::Panel train = read_input(o, "train");
  check_not_targets(train);
  strider::Stopwatch watch;
  {
    Progress progress(clf, o, "fit");
    clf.fit(train);
  }
  const double fit_s = watch.wall_seconds();
  strider::save(clf, model_path);
  if (o.has("json")) {
    Json j;
    j.begin_object()
        .field("model", model_path)
        .field("n_train", train.n_series())
        .field("n_channels", train.n_channels())
        .field("n_classes", static_cast<std::int64_t>(clf.classes().size()))
        .field("classes", clf.classes())
        .field("fit_seconds", ms_round(fit_s))
        .field("memory_estimate_bytes",
               static_cast<std::int64_t>(
                   clf.fit_memory(train, static_cast<strider::index_t>(clf.classes().size()))))
        .field("peak_rss_bytes", strider::peak_rss_bytes())
        .field("alpha", clf.ridge().alpha())
        .field("normalized", clf.transform().params().normalize_input)
        .field("class_weight", class_weight_text(clf))
        .field("representation", clf.representation())
        .field("features", clf.features_used())
        .field("params", clf.params())
        .end_object();
    std::cout << j.str() << "\n";
    return 0;
  }
  std::cout << "train: " << train.summary() << "\n"
            << "fit:   " << secs(fit_s) << " (alpha " << clf.ridge().alpha() << ", input "
            << input_text(clf) << ", class weights " << class_weight_line(clf) << ", kernels on "
            << representation_line(clf) << ", features " << features_line(clf) << ")\n"
            << "model: " << model_path << "\n";
  return 0;
}

int cmd_predict(int argc, char** argv) {
  Options o("predict", "--model M --input FILE [--output preds.csv] [--scores] [--proba] [--json]",
            "Predicts the labels of every series in FILE with a saved KernelClassifier (with a "
            "KernelRegressor: the targets, and R^2, RMSE and MAE against FILE's; FILE's first "
            "field is read as its target, so give --no-labels for a file without targets). "
            "Without --output the predictions are printed, one per line. With --output they "
            "are written as CSV: index,prediction[,label][,score_<class>...][,proba_<class>...] "
            "and, when FILE has labels, the accuracy is printed. --scores adds the ridge "
            "decision values, --proba the calibrated class probabilities (17 significant "
            "digits: they read back bit-identical).",
            with({{"model", "M", "model file written by strider fit (required)"},
                  {"input", "FILE", "series to classify (required)"},
                  {"output", "FILE", "CSV file for the predictions"},
                  {"scores", "", "also write the decision function values"},
                  {"proba", "",
                   "also write the class probabilities (a softmax of the decision values "
                   "calibrated on their leave-one-out values at fit; they sum to 1)"},
                  kNoLabels,
                  {"json", "",
                   "print one JSON object: the predictions, the accuracy when FILE has labels, "
                   "and the scores and probabilities when asked for"}},
                 false));
  if (!o.parse(argc, argv, 2)) return 0;
  if (!o.has("model") || !o.has("input")) {
    throw UsageError("predict: --model and --input are required");
  }
  if (strider::read_envelope(o.get("model")).estimator == "KernelRegressor")
    return strider::cli::predict_regressor(o);
  for (const char* extra : {"scores", "proba"}) {
    if (o.has(extra) && !o.has("output") && !o.has("json")) {
      throw UsageError(std::string("predict: --") + extra + " needs --output or --json");
    }
  }
  strider::KernelClassifier clf = load_classifier(o);
  if (o.has("output")) check_writable("output", o.get("output"));
  const strider::Panel x = read_input(o, "input");
  std::vector<std::string> pred;
  strider::RowMatrixD scores, proba;
  {
    Progress progress(clf, o, "predict");
    scores = clf.decision_function(x);
    pred = clf.labels_from_scores(scores);
    if (o.has("proba")) proba = clf.ridge().probabilities(scores);
  }
  const bool labelled = x.has_labels();
  const std::size_t correct = labelled ? count_correct(pred, x.labels()) : 0;
  const double accuracy =
      pred.empty() ? 0.0 : static_cast<double>(correct) / static_cast<double>(pred.size());
  // The extra column blocks asked for, with their column names.
  struct Block {
    std::vector<std::string> names;
    const strider::RowMatrixD* values;
    const char* key;          // JSON: the values
    const char* columns_key;  // JSON: their column names
  };
  std::vector<Block> blocks;
  if (o.has("scores")) {
    std::vector<std::string> names;
    if (scores.cols() == 1) names = {"score"};
    for (std::size_t c = 0; scores.cols() > 1 && c < clf.classes().size(); ++c)
      names.push_back("score_" + clf.classes()[c]);
    blocks.push_back({names, &scores, "scores", "score_columns"});
  }
  if (o.has("proba")) {
    std::vector<std::string> names;
    for (const auto& c : clf.classes())
      names.push_back("proba_" + c);
    blocks.push_back({names, &proba, "proba", "proba_columns"});
  }
  if (o.has("output")) {
    std::ostringstream csv;
    csv << "index,prediction" << (labelled ? ",label" : "");
    for (const Block& b : blocks)
      for (const auto& name : b.names)
        csv << "," << csv_field(name);
    csv << "\n" << std::setprecision(17);
    for (std::size_t i = 0; i < pred.size(); ++i) {
      csv << i << "," << csv_field(pred[i]);
      if (labelled) csv << "," << csv_field(x.labels()[i]);
      for (const Block& b : blocks)
        for (strider::index_t c = 0; c < b.values->cols(); ++c)
          csv << "," << (*b.values)(static_cast<strider::index_t>(i), c);
      csv << "\n";
    }
    write_output(o, "output", "predictions", csv.str());
  }
  if (o.has("json")) {
    Json j;
    j.begin_object().field("n_series", x.n_series()).field("predictions", pred);
    if (labelled)
      j.field("accuracy", accuracy).field("correct", static_cast<std::int64_t>(correct));
    if (o.has("output")) j.field("output", o.get("output"));
    for (const Block& b : blocks) {
      j.field(b.columns_key, b.names).key(b.key).begin_array();
      for (strider::index_t i = 0; i < b.values->rows(); ++i) {
        j.begin_array();
        for (strider::index_t c = 0; c < b.values->cols(); ++c)
          j.value((*b.values)(i, c));
        j.end_array();
      }
      j.end_array();
    }
    j.end_object();
    std::cout << j.str() << "\n";
    return 0;
  }
  if (!o.has("output")) {
    for (const auto& p : pred)
      std::cout << p << "\n";
    return 0;
  }
  std::cout << "predictions: " << o.get("output") << " (" << pred.size() << " series)\n";
  if (labelled) {
    std::cout << "accuracy: " << std::setprecision(4) << std::fixed << accuracy << " (" << correct
              << "/" << pred.size() << ")\n";
  }
  return 0;
}

int cmd_transform(int argc, char** argv) {
  Options o("transform", "--model M --input FILE --output features.csv|.npy [--scaled]",
            "Writes the N x FK kernel features of every series in FILE as CSV: one row per "
            "series, columns kK_min, kK_ppi, kK_argmin and, when the model's transform adds "
            "occurrences (F = 4: a classifier's default), kK_occ for kernel K = 0..K-1 "
            "(min of the distance profile, fraction of increasing steps, first argmin, "
            "fraction of positions closer than the kernel's threshold); "
            "an --output ending in .npy is written in NumPy's binary format instead (rows x "
            "FK, for numpy.load). The features are computed and written in the model's "
            "precision: float32 for a classifier fitted with the defaults, float64 with "
            "--no-float32 (and for a regression model fitted without --float32). "
            "--scaled writes them as the ridge sees them: standardised, then times the "
            "model's feature weights.",
            with({{"model", "M", "model file written by strider fit (required)"},
                  {"input", "FILE", "series to transform (required)"},
                  {"output", "FILE", "CSV (or .npy) file to write (required)"},
                  {"scaled", "", "apply the model's StandardScaler and feature weights"},
                  kNoLabels},
                 false));
  if (!o.parse(argc, argv, 2)) return 0;
  if (!o.has("model") || !o.has("input") || !o.has("output")) {
    throw UsageError("transform: --model, --input and --output are required");
  }
  const bool regressor = strider::read_envelope(o.get("model")).estimator == "KernelRegressor";
  const std::string out = o.get("output");
  // Writes f (n_series x per_kernel K) as CSV or .npy, in its own precision.
  auto write = [&](const auto& f, strider::index_t per_kernel) {
    std::vector<std::string> header;
    const char* names[4] = {"min", "ppi", "argmin", "occ"};
    for (strider::index_t k = 0; k < f.cols() / per_kernel; ++k) {
      for (strider::index_t j = 0; j < per_kernel; ++j)
        header.push_back("k" + std::to_string(k) + "_" + names[j]);
    }
    try {
      if (fs::path(out).extension() == ".npy") {
        strider::io::write_npy(out, f);
      } else {
        strider::io::write_csv(out, f, header);
      }
    } catch (const std::exception& e) {
      throw std::runtime_error("cannot write the features file " + out +
                               " (--output): " + e.what());
    }
    std::cout << "features: " << out << " (" << f.rows() << " x " << f.cols() << ")\n";
  };
  // The features in the model's own precision: those its ridge sees.
  auto transform = [&](auto model) {
    const strider::index_t per_kernel = model.transform().params().features_per_kernel();
    check_writable("output", out);
    const strider::Panel x = read_input(o, "input", regressor);
    Progress progress(model, o, "transform");
    if (model.params().float32) {
      write(o.has("scaled") ? model.template features<float>(x)
                            : model.transform().template transform<float>(x),
            per_kernel);
    } else {
      write(o.has("scaled") ? model.template features<double>(x)
                            : model.transform().template transform<double>(x),
            per_kernel);
    }
  };
  if (regressor) {
    transform(strider::cli::load_regressor(o));
  } else {
    transform(load_classifier(o));
  }
  return 0;
}

struct Evaluation {
  strider::TrainTest data;
  std::string name;
  double load_s = 0.0, fit_s = 0.0, fit_cpu = 0.0, transform_s = 0.0, predict_s = 0.0;
  std::size_t correct = 0, n_test = 0;
  // Of the test probabilities: calibrated (predict_proba) and a plain softmax of the
  // decision values, for comparison.
  double log_loss = 0.0, ece = 0.0, log_loss_softmax = 0.0, ece_softmax = 0.0;
};

strider::TrainTest evaluation_data(const Options& o, const strider::KernelClassifierParams& params,
                                   std::string& name) {
  strider::TrainTest data;
  if (o.has("dataset")) {
    fs::path dir = fs::path(o.get("dataset"));
    if (dir.filename().empty()) dir = dir.parent_path();  // trailing slash
    name = dir.filename().string();
    return strider::io::load_ucr_dataset(dir.parent_path(), name);
  }
  if (o.has("train")) {
    data.train = strider::io::read_dataset_file(o.get("train"));
    data.test = strider::io::read_dataset_file(o.get("test"));
    name = fs::path(o.get("train")).stem().string();
    return data;
  }
  strider::datasets::CylinderBellFunnelParams cbf;
  cbf.random_state = params.transform.random_state;
  name = "CylinderBellFunnel (built-in)";
  return strider::datasets::load_cylinder_bell_funnel(cbf);
}

template <class T>
void predict_test(const strider::KernelClassifier& clf, Evaluation& e) {
  strider::Stopwatch transform_watch;
  const strider::RowMatrix<T> f = clf.features<T>(e.data.test);
  e.transform_s = transform_watch.wall_seconds();
  strider::Stopwatch predict_watch;
  const strider::RowMatrixD scores = clf.ridge().decision_function<T>(f);
  const std::vector<std::string> pred = clf.labels_from_scores(scores);
  e.predict_s = predict_watch.wall_seconds();
  e.correct = count_correct(pred, e.data.test.labels());
  e.n_test = pred.size();
  if (e.n_test == 0) return;
  const std::vector<strider::index_t> truth =
      strider::class_indices_or_unknown(e.data.test.labels(), clf.classes());
  const strider::RowMatrixD proba = clf.ridge().probabilities(scores);
  const strider::RowMatrixD softmax = clf.ridge().probabilities(scores, 1.0);
  e.log_loss = strider::log_loss(proba, truth);
  e.ece = strider::expected_calibration_error(proba, truth);
  e.log_loss_softmax = strider::log_loss(softmax, truth);
  e.ece_softmax = strider::expected_calibration_error(softmax, truth);
}

void print_evaluation_json(const Evaluation& e, const strider::KernelClassifier& clf,
                           const strider::KernelClassifierParams& params, double accuracy) {
  const auto& t = clf.fit_timings();
  Json j;
  j.begin_object()
      .field("dataset", e.name)
      .field("n_train", e.data.train.n_series())
      .field("n_test", e.data.test.n_series())
      .field("n_channels", e.data.train.n_channels())
      .field("min_length", e.data.train.min_length())
      .field("max_length", e.data.train.max_length())
      .field("n_classes", static_cast<std::int64_t>(clf.classes().size()))
      .field("accuracy", accuracy)
      .field("correct", static_cast<std::int64_t>(e.correct))
      .field("load_seconds", ms_round(e.load_s))
      .field("fit_seconds", ms_round(e.fit_s))
      .field("fit_transform_seconds", ms_round(t.transform_seconds))
      .field("fit_scaler_seconds", ms_round(t.scaler_seconds))
      .field("fit_ridge_seconds", ms_round(t.ridge_seconds))
      .field("fit_cpu_seconds", ms_round(e.fit_cpu))
      .field("test_transform_seconds", ms_round(e.transform_s))
      .field("predict_seconds", ms_round(e.predict_s))
      .field("peak_memory_bytes", static_cast<std::int64_t>(strider::peak_rss_bytes()))
      .field("alpha", clf.ridge().alpha())
      .field("normalized", clf.transform().params().normalize_input)
      .field("class_weight", class_weight_text(clf))
      .field("differences", clf.transform().params().add_differences)
      .field("representation", clf.representation())
      .field("features", clf.features_used())
      .field("proba_scale", clf.ridge().proba_scale())
      .field("log_loss", e.log_loss)
      .field("ece", e.ece)
      .field("log_loss_softmax", e.log_loss_softmax)
      .field("ece_softmax", e.ece_softmax)
      .field("threads", strider::resolve_n_jobs(params.transform.n_jobs))
      .field("params", params)
      .end_object();
  std::cout << j.str() << "\n";
}

int cmd_evaluate(int argc, char** argv) {
  Options o("evaluate", "[--dataset DIR/NAME | --train FILE --test FILE] [--json] [options]",
            "Fits on the train split, predicts the test split, and prints the accuracy, the "
            "time to fit, to transform and to predict the test set, and the peak memory. With "
            "no data argument it runs on the built-in Cylinder-Bell-Funnel dataset (300 train "
            "/ 900 test series of length 128, generated from --seed). With --task regression "
            "it fits a KernelRegressor and reports R^2, RMSE and MAE; its built-in dataset is "
            "the pulse areas (300 / 300 series of length 128).",
            with({{"dataset", "DIR/NAME", "UCR-layout dataset folder (NAME_TRAIN.*, NAME_TEST.*)"},
                  {"train", "FILE", "training file"},
                  {"test", "FILE", "test file"},
                  strider::cli::task_option(),
                  kJson},
                 true));
  if (!o.parse(argc, argv, 2)) return 0;
  if (o.has("dataset") && (o.has("train") || o.has("test"))) {
    throw UsageError("evaluate: give either --dataset or --train and --test");
  }
  if (o.has("train") != o.has("test")) {
    throw UsageError("evaluate: --train and --test go together");
  }
  if (strider::cli::is_regression(o)) return strider::cli::evaluate_regressor(o);
  const strider::KernelClassifierParams params = strider::cli::classifier_params(o);
  Evaluation e;
  strider::Stopwatch load_watch;
  e.data = evaluation_data(o, params, e.name);
  e.load_s = load_watch.wall_seconds();
  if (!e.data.test.has_labels())
    throw std::invalid_argument("evaluate: the test set has no labels");
  check_not_targets(e.data.train);

  strider::KernelClassifier clf(params);
  clf.set_memory_limit(strider::cli::memory_limit(o));
  strider::Stopwatch fit_watch;
  {
    Progress progress(clf, o, "fit");
    clf.fit(e.data.train);
  }
  e.fit_s = fit_watch.wall_seconds();
  e.fit_cpu = fit_watch.cpu_seconds();
  {
    Progress progress(clf, o, "predict");
    if (params.float32) {
      predict_test<float>(clf, e);
    } else {
      predict_test<double>(clf, e);
    }
  }
  const double accuracy =
      e.n_test == 0 ? 0.0 : static_cast<double>(e.correct) / static_cast<double>(e.n_test);
  if (o.has("json")) {
    print_evaluation_json(e, clf, params, accuracy);
    return 0;
  }
  const auto& t = clf.fit_timings();
  const int threads = strider::resolve_n_jobs(params.transform.n_jobs);
  std::cout << "dataset:     " << e.name << "\n"
            << "train:       " << e.data.train.summary() << "\n"
            << "test:        " << e.data.test.summary() << "\n"
            << "model:       " << params.transform.n_kernels << " kernels ("
            << clf.transform().n_features() << " features), "
            << (params.float32 ? "float32" : "float64") << ", " << threads << " thread"
            << (threads == 1 ? "" : "s") << ", alpha " << clf.ridge().alpha() << ", input "
            << input_text(clf) << ", class weights " << class_weight_line(clf) << ", kernels on "
            << representation_line(clf) << ", features " << features_line(clf) << "\n"
            << "accuracy:    " << std::fixed << std::setprecision(4) << accuracy << " ("
            << e.correct << "/" << e.n_test << ")\n"
            << "probability: log-loss " << e.log_loss << ", calibration error " << e.ece
            << " (plain softmax: " << e.log_loss_softmax << ", " << e.ece_softmax << ")\n"
            << "fit:         " << secs(e.fit_s) << " (transform " << secs(t.transform_seconds)
            << ", scaler " << secs(t.scaler_seconds) << ", ridge " << secs(t.ridge_seconds)
            << "; cpu/wall " << std::setprecision(2) << (e.fit_s > 0 ? e.fit_cpu / e.fit_s : 0.0)
            << ")\n"
            << "transform:   " << secs(e.transform_s) << " (test set)\n"
            << "predict:     " << secs(e.predict_s) << "\n"
            << "peak memory: " << megabytes(strider::peak_rss_bytes()) << "\n";
  return 0;
}

int cmd_info(int argc, char** argv) {
  Options o(
      "info", "--model M [--json]",
      "Describes a model file: estimator type, versions, params, classes, chosen alpha. "
      "With --json, one JSON object that also lists every kernel (length, dilation, "
      "padding, channel, values, and the series/start it was sampled from).",
      with({{"model", "M", "model file (required)"}, {"json", "", "JSON output with every kernel"}},
           false, false));
  if (!o.parse(argc, argv, 2)) return 0;
  if (!o.has("model")) throw UsageError("info: --model M is required");
  (void)strider::cli::threads(o);  // checked like everywhere; info computes nothing
  const std::string path = o.get("model");
  const strider::ModelEnvelope env = strider::read_envelope(path);
  Json j;
  j.begin_object()
      .field("estimator", env.estimator)
      .field("format", env.format)
      .field("format_version", static_cast<std::int64_t>(env.format_version))
      .field("library_version", env.library_version);
  if (env.estimator == "KernelRegressor") return strider::cli::info_regressor(o, env);
  if (env.estimator != "KernelClassifier") {  // other estimators: the envelope is all we say
    if (o.has("json")) {
      std::cout << j.end_object().str() << "\n";
    } else {
      std::cout << "estimator:       " << env.estimator << "\nformat:          " << env.format
                << " v" << env.format_version << (env.json ? " (JSON)" : " (binary)")
                << "\nwritten by:      strider " << env.library_version << "\n";
    }
    return 0;
  }
  const strider::KernelClassifier clf = strider::load<strider::KernelClassifier>(path);
  const auto& p = clf.params();
  if (!o.has("json")) {
    Json params;
    params.value(p);
    std::cout << "estimator:       " << env.estimator << "\n"
              << "format:          " << env.format << " v" << env.format_version
              << (env.json ? " (JSON)" : " (binary)") << "\n"
              << "written by:      strider " << env.library_version << " (this is strider "
              << strider::version_string << ")\n"
              << "kernels:         " << clf.transform().kernels().size() << " ("
              << clf.transform().n_features() << " features), channels "
              << clf.transform().n_channels() << "\n"
              << "params:          " << params.str() << "\n"
              << "classes:         " << clf.classes().size() << ":";
    for (const auto& c : clf.classes())
      std::cout << " " << c;
    std::cout << "\n"
              << "alpha:           " << clf.ridge().alpha() << " (leave-one-out score "
              << clf.ridge().best_score() << ")\n"
              << "probabilities:   softmax of the decision values times "
              << clf.ridge().proba_scale()
              << (clf.ridge().proba_scale() == 1.0
                      ? " (the plain softmax, as files from before calibration load)"
                      : " (calibrated at fit)")
              << "\n"
              << "input:           " << input_text(clf) << "\n"
              << "class weights:   " << class_weight_line(clf) << "\n"
              << "kernels used:    " << representation_line(clf) << "\n"
              << "features used:   " << features_line(clf) << "\n";
    return 0;
  }
  j.field("params", p)
      .field("classes", clf.classes())
      .field("alpha", clf.ridge().alpha())
      .field("best_score", clf.ridge().best_score())
      .field("proba_scale", clf.ridge().proba_scale())
      .field("normalized", clf.transform().params().normalize_input)
      .field("class_weight", class_weight_text(clf))
      .field("differences", clf.transform().params().add_differences)
      .field("representation", clf.representation())
      .field("features", clf.features_used())
      .field("n_channels", clf.transform().n_channels());
  print_kernels_json(j, clf.transform().kernels());
  std::cout << j.end_object().str() << "\n";
  return 0;
}

int cmd_explain(int argc, char** argv) {
  Options o(
      "explain",
      "--model M [--top N] [--output kernels.csv] [--json] [--input FILE [--series I] "
      "[--svg FILE]]",
      "Lists the kernels that weigh most in a saved KernelClassifier's decisions: "
      "importance (the norm of the kernel's ridge coefficients, one per feature, each times the "
      "spread of its feature), overall and per class, with length, dilation, padding, "
      "channel and values. With --input and --svg, draws series I of FILE with the "
      "best-matching window of each listed kernel (SVG, for a browser); --json adds "
      "those windows.",
      with({{"model", "M", "model file written by strider fit (required)"},
            {"top", "N", "how many kernels to list, most important first (default 10)"},
            {"output", "FILE", "CSV file for the listed kernels"},
            {"input", "FILE", "series to explain"},
            {"series", "I", "which series of --input, from 0 (default 0)"},
            {"svg", "FILE", "SVG file drawing the best-matching windows (needs --input)"},
            kNoLabels,
            {"json", "", "print one JSON object: the kernels, and their windows with --input"}},
           false));
  if (!o.parse(argc, argv, 2)) return 0;
  if (!o.has("model")) throw UsageError("explain: --model M is required");
  if ((o.has("svg") || o.has("series")) && !o.has("input")) {
    throw UsageError("explain: --svg and --series need --input FILE");
  }
  const long long top = o.get_int("top", 10);
  if (top < 1) throw UsageError("explain: --top " + std::to_string(top) + ": need at least 1");
  const long long series = o.get_int("series", 0);
  for (const char* out : {"output", "svg"})
    if (o.has(out)) check_writable(out, o.get(out));
  const strider::KernelClassifier clf = load_classifier(o);
  std::vector<strider::KernelImportance> ranked = strider::kernel_importance(clf);
  ranked.resize(std::min<std::size_t>(ranked.size(), static_cast<std::size_t>(top)));
  strider::Panel x;
  std::vector<strider::KernelMatch> matches;
  if (o.has("input")) {
    x = read_input(o, "input");
    if (series < 0 || series >= x.n_series()) {
      throw UsageError("explain: --series " + std::to_string(series) + ": " + o.get("input") +
                       " has " + std::to_string(x.n_series()) + " series (0 .. " +
                       std::to_string(x.n_series() - 1) + ")");
    }
    std::vector<strider::index_t> indices;
    for (const auto& r : ranked)
      indices.push_back(r.kernel);
    matches = strider::best_matches(clf, x, series, indices);
  }
  auto values_text = [](const std::vector<double>& v) {
    std::ostringstream t;
    t << std::setprecision(17);
    for (std::size_t i = 0; i < v.size(); ++i)
      t << (i ? " " : "") << v[i];
    return t.str();
  };
  if (o.has("output")) {
    std::ostringstream csv;
    csv << "rank,kernel,importance";
    for (const auto& c : clf.classes())
      csv << "," << csv_field("importance_" + c);
    csv << ",length,dilation,padding,channel,shape,values";
    if (!matches.empty()) csv << ",match_start,match_distance";
    csv << "\n" << std::setprecision(17);
    for (std::size_t r = 0; r < ranked.size(); ++r) {
      const auto& k = ranked[r];
      csv << r + 1 << "," << k.kernel << "," << k.importance;
      for (double v : k.per_class)
        csv << "," << v;
      csv << "," << k.spec.length << "," << k.spec.dilation << "," << k.spec.padding << ","
          << k.spec.channel << "," << (k.spec.shape ? 1 : 0) << "," << values_text(k.spec.values);
      if (!matches.empty())
        csv << "," << matches[r].positions.front() << "," << matches[r].distance;
      csv << "\n";
    }
    write_output(o, "output", "kernels", csv.str());
  }
  if (o.has("svg")) {
    write_output(o, "svg", "SVG", strider::explanation_svg(clf, x, series, ranked, matches));
  }
  if (o.has("json")) {
    Json j;
    j.begin_object().field("classes", clf.classes()).key("kernels").begin_array();
    for (std::size_t r = 0; r < ranked.size(); ++r) {
      const auto& k = ranked[r];
      j.begin_object()
          .field("rank", static_cast<std::int64_t>(r + 1))
          .field("kernel", k.kernel)
          .field("importance", k.importance)
          .field("importance_per_class", k.per_class)
          .field("length", k.spec.length)
          .field("dilation", k.spec.dilation)
          .field("padding", k.spec.padding)
          .field("channel", k.spec.channel)
          .field("shape", k.spec.shape)
          .field("values", k.spec.values);
      if (!matches.empty()) {
        j.field("match_positions", matches[r].positions)
            .field("match_distance", matches[r].distance);
      }
      j.end_object();
    }
    j.end_array();
    if (o.has("input")) j.field("series", static_cast<std::int64_t>(series));
    if (o.has("svg")) j.field("svg", o.get("svg"));
    std::cout << j.end_object().str() << "\n";
    return 0;
  }
  std::cout << "rank  kernel  importance  length  dilation  channel\n";
  for (std::size_t r = 0; r < ranked.size(); ++r) {
    const auto& k = ranked[r];
    std::cout << std::setw(4) << r + 1 << "  " << std::setw(6) << k.kernel << "  " << std::setw(10)
              << std::setprecision(4) << k.importance << "  " << std::setw(6) << k.spec.length
              << "  " << std::setw(8) << k.spec.dilation << "  " << std::setw(7) << k.spec.channel
              << "\n";
  }
  if (o.has("output")) std::cout << "kernels: " << o.get("output") << "\n";
  if (o.has("svg")) std::cout << "svg: " << o.get("svg") << "\n";
  return 0;
}

void print_usage(std::ostream& out) {
  out << "usage: strider <command> [options]   (strider <command> --help for details)\n\n"
         "commands:\n"
         "  fit        fit a classifier (or regressor) on a labelled dataset file, save it\n"
         "  predict    predict labels (or regression targets) with a saved model\n"
         "  transform  write the N x FK kernel features of a dataset file (CSV or .npy)\n"
         "  evaluate   fit, predict and report accuracy, timings and memory\n"
         "             (no data argument: the built-in Cylinder-Bell-Funnel dataset)\n"
         "             fit and evaluate take --task regression for numeric labels (a\n"
         "             KernelRegressor; evaluate's built-in data: the pulse areas)\n"
         "  info       describe a model file\n"
         "  explain    list the kernels that decide a model's predictions; draw their\n"
         "             best-matching windows on a series (SVG)\n\n"
         "options:\n"
         "  --help     show this help\n"
         "  --version  print the version of strider\n\n"
         "Dataset files: UCR .tsv, UCR 2015 .txt/.csv, sktime/aeon .ts (by extension).\n";
}

const char* const kCommands[] = {"fit", "predict", "transform", "evaluate", "info", "explain"};

bool is_command(const std::string& s) {
  for (const char* c : kCommands)
    if (s == c) return true;
  return false;
}

/// "rank 1 of 2: " in a run over several MPI processes, else nothing.
std::string rank_prefix() {
  if (strider::cli::process_count() == 1) return "";
  return "rank " + std::to_string(strider::cli::process_rank()) + " of " +
         std::to_string(strider::cli::process_count()) + ": ";
}

std::string closest_command(const std::string& s) {
  std::string best;
  std::size_t best_distance = 3;
  for (const char* c : kCommands) {
    const std::size_t d = strider::cli::edit_distance(s, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string command = argv[1];
  using strider::cli::fail_all;
  try {
    strider::cli::start_processes(argc, argv, command == "fit");
    if (strider::cli::process_count() > 1 && command != "fit") {
      throw UsageError("'" + command + "' runs in one process; of the commands only fit " +
                       "spreads its work over MPI processes");
    }
    if (command == "--help" || command == "-h" || command == "help") {
      print_usage(std::cout);
      return 0;
    }
    if (command == "--version" || command == "version") {
      std::cout << "strider " << strider::version_string << "\n";
      return 0;
    }
    if (command == "fit") return cmd_fit(argc, argv);
    if (command == "predict") return cmd_predict(argc, argv);
    if (command == "transform") return cmd_transform(argc, argv);
    if (command == "evaluate") return cmd_evaluate(argc, argv);
    if (command == "info") return cmd_info(argc, argv);
    if (command == "explain") return cmd_explain(argc, argv);
    throw UsageError("unknown command '" + command + "'" + closest_command(command));
  } catch (const UsageError& e) {
    std::cerr << "strider: error: " << rank_prefix() << e.what() << "\n";
    if (is_command(command)) {
      std::cerr << "(see strider " << command << " --help)\n";
    } else {
      print_usage(std::cerr);
    }
    return fail_all(2);
  } catch (const strider::MemoryLimitError& e) {
    std::cerr << "strider: error: " << rank_prefix() << strider::cli::cli_words(e.what()) << "\n"
              << "(--kernels K lowers the estimate of a fit; --memory-limit SIZE sets the limit)\n";
    return fail_all(1);
  } catch (const std::exception& e) {
    std::cerr << "strider: error: " << rank_prefix() << strider::cli::cli_words(e.what()) << "\n";
    return fail_all(1);
  }
}
