// strider: the command-line tool. Subcommands fit, predict, transform, evaluate, info.
// Results go to stdout; errors to stderr as "strider: error: <message>", exit status 1
// (2 for usage errors). A progress bar is drawn on stderr for long fits and transforms
// when stderr is a terminal, unless --quiet.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <strider/strider.hpp>

#include "options.hpp"

namespace fs = std::filesystem;
using strider::cli::Options;
using strider::cli::OptionSpec;
using strider::cli::UsageError;

namespace {

// ---- shared option groups ---------------------------------------------------
std::vector<OptionSpec> model_options() {
  return {
      {"kernels", "K", "number of random kernels (default 10000; 3 features each)"},
      {"seed", "S", "random seed (default 0): same seed, same model"},
      {"threads", "N", "threads (default -1: all cores)"},
      {"float32", "", "compute the features in float32 (half the memory)"},
      {"lengths", "L1,L2,..", "kernel lengths (default 5,7,9,11)"},
      {"p-padding", "P", "probability that a kernel is padded (default 1)"},
      {"length-quantile", "Q",
       "kernels fit this quantile of the training lengths (default 1: the longest)"},
      {"source", "sample|normal|mixed",
       "kernel values: training subsequences, N(0,1), or half each (default mixed)"},
      {"no-normalize", "",
       "start from the series as given, not z-normalised (with the choice below on, the\n"
       "raw input is then tried first and wins ties)"},
      {"no-choose-normalization", "",
       "keep the normalisation above instead of choosing it by leave-one-out accuracy\n"
       "(default: fit both ways and keep the better)"},
      {"choose-differences", "",
       "also choose the kernels on first differences (on or off) by leave-one-out accuracy"},
      {"normalize-kernels", "", "z-normalise every kernel's values"},
      {"scale-normal-kernels", "",
       "draw the N(0,1) kernels on each channel's training mean and std"},
      {"add-raw-input", "",
       "with the normalised input, half the kernels see the series as given (one ridge\n"
       "over both)"},
      {"no-differences", "",
       "no kernels on the first differences of the series (default: half the channels)"},
      {"nan", "raise|interpolate", "missing values: error (default) or linear interpolation"},
      {"feature-weights", "W1,W2,W3",
       "weights of the min, increasing-steps and argmin features after scaling\n"
       "(default 1,0.25,0.25)"},
      {"alphas", "A1,A2,..", "ridge regularisation grid (default logspace(-4,4,20))"},
      {"class-weight", "none|balanced", "ridge class weights (default balanced)"},
      {"alpha-scoring", "squared_error|accuracy",
       "how the ridge picks alpha from its leave-one-out predictions (default squared_error)"},
      {"quiet", "", "no progress bar"},
  };
}

std::vector<OptionSpec> concat(std::vector<OptionSpec> a, const std::vector<OptionSpec>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// ---- enum options: one table per enum serves parsing and printing ----------------
template <class E>
struct EnumName {
  E value;
  const char* name;
};

constexpr EnumName<strider::KernelSource> kSources[] = {{strider::KernelSource::sample, "sample"},
                                                        {strider::KernelSource::normal, "normal"},
                                                        {strider::KernelSource::mixed, "mixed"}};
constexpr EnumName<strider::NanPolicy> kNanPolicies[] = {
    {strider::NanPolicy::raise, "raise"}, {strider::NanPolicy::interpolate, "interpolate"}};
constexpr EnumName<strider::ClassWeight> kClassWeights[] = {
    {strider::ClassWeight::none, "none"}, {strider::ClassWeight::balanced, "balanced"}};
constexpr EnumName<strider::AlphaScoring> kScorings[] = {
    {strider::AlphaScoring::squared_error, "squared_error"},
    {strider::AlphaScoring::accuracy, "accuracy"}};

template <class E, std::size_t N>
const char* enum_name(const EnumName<E> (&table)[N], E value) {
  for (const auto& e : table)
    if (e.value == value) return e.name;
  return "?";
}

/// Sets `value` from --option when given; a name not in the table is a usage error
/// listing the accepted ones ("expected a, b or c").
template <class E, std::size_t N>
void parse_enum(const Options& o, const char* option, const EnumName<E> (&table)[N], E& value) {
  if (!o.has(option)) return;
  const std::string s = o.get(option);
  std::string expected;
  for (std::size_t i = 0; i < N; ++i) {
    if (s == table[i].name) {
      value = table[i].value;
      return;
    }
    expected += std::string(i == 0 ? "" : i + 1 == N ? " or " : ", ") + table[i].name;
  }
  throw UsageError("--" + std::string(option) + ": '" + s + "', expected " + expected);
}

strider::KernelClassifierParams classifier_params(const Options& o) {
  strider::KernelClassifierParams p;
  p.set_n_jobs(static_cast<int>(o.get_int("threads", -1)));
  p.transform.n_kernels = o.get_int("kernels", p.transform.n_kernels);
  p.transform.random_state = static_cast<std::uint64_t>(o.get_int("seed", 0));
  p.float32 = o.has("float32");
  if (o.has("lengths")) {
    p.transform.lengths.clear();
    for (long long l : o.get_ints("lengths"))
      p.transform.lengths.push_back(l);
  }
  p.transform.p_padding = o.get_double("p-padding", p.transform.p_padding);
  p.transform.length_quantile = o.get_double("length-quantile", p.transform.length_quantile);
  parse_enum(o, "source", kSources, p.transform.source);
  if (o.has("no-normalize")) p.transform.normalize_input = false;
  if (o.has("no-choose-normalization")) p.choose_normalization = false;
  if (o.has("choose-differences")) p.choose_differences = true;
  if (o.has("normalize-kernels")) p.transform.normalize_kernels = true;
  if (o.has("scale-normal-kernels")) p.transform.scale_normal_kernels = true;
  if (o.has("add-raw-input")) p.transform.add_raw_input = true;
  if (o.has("no-differences")) p.transform.add_differences = false;
  parse_enum(o, "nan", kNanPolicies, p.transform.nan_policy);
  if (o.has("feature-weights")) {
    const std::vector<double> w = o.get_doubles("feature-weights");
    if (w.size() != 3) {
      throw UsageError("--feature-weights: " + std::to_string(w.size()) +
                       " values; expected 3 (min, increasing steps, argmin), e.g. 1,0.25,0.25");
    }
    std::copy(w.begin(), w.end(), p.feature_weights.begin());
  }
  if (o.has("alphas")) p.ridge.alphas = o.get_doubles("alphas");
  parse_enum(o, "class-weight", kClassWeights, p.ridge.class_weight);
  parse_enum(o, "alpha-scoring", kScorings, p.ridge.scoring);
  try {
    strider::KernelClassifier validate(p);  // constructors validate params, never train
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  return p;
}

// ---- progress -----------------------------------------------------------------
/// Attaches a progress bar to the classifier when stderr is a terminal and not --quiet.
class Progress {
 public:
  Progress(strider::KernelClassifier& clf, const Options& o, const std::string& label) {
    if (o.has("quiet") || !strider::utils::ProgressBar::stderr_is_terminal()) return;
    clf.set_progress_callback([this, label](strider::index_t done, strider::index_t total) {
      if (!bar_ || total != total_) {
        if (bar_) bar_->finish();
        bar_ = std::make_unique<strider::utils::ProgressBar>(label, total, true);
        total_ = total;
      }
      bar_->update(done);
    });
  }
  void done() {
    if (bar_) bar_->finish();
    bar_.reset();
  }
  ~Progress() { done(); }

 private:
  std::unique_ptr<strider::utils::ProgressBar> bar_;
  strider::index_t total_ = -1;
};

// ---- output helpers -------------------------------------------------------------
std::string json_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  std::ostringstream ss;
  ss << std::setprecision(17) << v;
  return ss.str();
}

template <class T>
std::string json_list(const std::vector<T>& v) {
  std::string s = "[";
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (k) s += ", ";
    if constexpr (std::is_same_v<T, std::string>) {
      s += "\"" + json_escape(v[k]) + "\"";
    } else {
      s += json_number(static_cast<double>(v[k]));
    }
  }
  return s + "]";
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s)
    q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string megabytes(std::size_t bytes) {
  std::ostringstream ss;
  ss << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / (1024.0 * 1024.0)
     << " MB";
  return ss.str();
}

std::string secs(double s) {
  std::ostringstream ss;
  ss << std::fixed << std::setprecision(3) << s << " s";
  return ss.str();
}

std::string params_json(const strider::KernelClassifierParams& p) {
  std::ostringstream j;
  j << "{\"n_kernels\": " << p.transform.n_kernels
    << ", \"lengths\": " << json_list(p.transform.lengths)
    << ", \"p_padding\": " << json_number(p.transform.p_padding) << ", \"source\": \""
    << enum_name(kSources, p.transform.source)
    << "\", \"random_state\": " << p.transform.random_state
    << ", \"normalize_input\": " << (p.transform.normalize_input ? "true" : "false")
    << ", \"choose_normalization\": " << (p.choose_normalization ? "true" : "false")
    << ", \"choose_differences\": " << (p.choose_differences ? "true" : "false")
    << ", \"normalize_kernels\": " << (p.transform.normalize_kernels ? "true" : "false")
    << ", \"scale_normal_kernels\": " << (p.transform.scale_normal_kernels ? "true" : "false")
    << ", \"add_differences\": " << (p.transform.add_differences ? "true" : "false")
    << ", \"add_raw_input\": " << (p.transform.add_raw_input ? "true" : "false")
    << ", \"length_quantile\": " << json_number(p.transform.length_quantile)
    << ", \"nan_policy\": \"" << enum_name(kNanPolicies, p.transform.nan_policy)
    << "\", \"float32\": " << (p.float32 ? "true" : "false")
    << ", \"with_mean\": " << (p.scaler.with_mean ? "true" : "false")
    << ", \"with_std\": " << (p.scaler.with_std ? "true" : "false") << ", \"feature_weights\": "
    << json_list(std::vector<double>(p.feature_weights.begin(), p.feature_weights.end()))
    << ", \"alphas\": " << json_list(p.ridge.alphas)
    << ", \"fit_intercept\": " << (p.ridge.fit_intercept ? "true" : "false")
    << ", \"class_weight\": \"" << enum_name(kClassWeights, p.ridge.class_weight)
    << "\", \"alpha_scoring\": \"" << enum_name(kScorings, p.ridge.scoring) << "\"}";
  return j.str();
}

strider::KernelClassifier load_classifier(const std::string& path) {
  return strider::load<strider::KernelClassifier>(path);
}

// ---- subcommands -------------------------------------------------------------------
int cmd_fit(int argc, char** argv) {
  Options o("fit", "--train FILE [--model OUT] [options]",
            "Fits a KernelClassifier on a labelled dataset file (.tsv, .ts, .txt/.csv) and\n"
            "saves it (portable binary, or JSON when OUT ends in .json).",
            concat({{"train", "FILE", "training data (required)"},
                    {"model", "OUT", "model file to write (default model.strider)"}},
                   model_options()));
  if (!o.parse(argc, argv, 2)) return 0;
  if (!o.has("train")) throw UsageError("fit: --train FILE is required");
  const std::string model_path = o.get("model", "model.strider");
  strider::KernelClassifier clf(classifier_params(o));
  const strider::Panel train = strider::io::read_dataset_file(o.get("train"));
  strider::utils::Stopwatch watch;
  {
    Progress progress(clf, o, "fit");
    clf.fit(train);
  }
  const double fit_s = watch.wall_seconds();
  strider::save(clf, model_path);
  std::cout << "train: " << train.summary() << "\n"
            << "fit: " << secs(fit_s) << " (alpha " << clf.ridge().alpha() << ")\n"
            << "model: " << model_path << "\n";
  return 0;
}

int cmd_predict(int argc, char** argv) {
  Options o("predict", "--model M --input FILE [--output preds.csv] [--scores]",
            "Predicts the labels of every series in FILE with a saved KernelClassifier.\n"
            "Without --output the predictions are printed, one per line. With --output\n"
            "they are written as CSV: index,prediction[,label][,score_<class>...] and,\n"
            "when FILE has labels, the accuracy is printed. --scores adds the ridge\n"
            "decision values (17 significant digits: they read back bit-identical).",
            {{"model", "M", "model file written by strider fit (required)"},
             {"input", "FILE", "series to classify (required)"},
             {"output", "FILE", "CSV file for the predictions"},
             {"scores", "", "also write the decision function values (needs --output)"},
             {"quiet", "", "no progress bar"}});
  if (!o.parse(argc, argv, 2)) return 0;
  if (!o.has("model") || !o.has("input")) {
    throw UsageError("predict: --model and --input are required");
  }
  if (o.has("scores") && !o.has("output")) throw UsageError("predict: --scores needs --output");
  strider::KernelClassifier clf = load_classifier(o.get("model"));
  const strider::Panel x = strider::io::read_dataset_file(o.get("input"));
  std::vector<std::string> pred;
  strider::RowMatrixD scores;
  {
    Progress progress(clf, o, "predict");
    if (o.has("scores")) {
      scores = clf.decision_function(x);
      pred = clf.labels_from_scores(scores);
    } else {
      pred = clf.predict(x);
    }
  }
  if (!o.has("output")) {
    for (const auto& p : pred)
      std::cout << p << "\n";
    return 0;
  }
  std::ostringstream csv;
  csv << "index,prediction" << (x.has_labels() ? ",label" : "");
  if (o.has("scores")) {
    if (scores.cols() == 1) {
      csv << ",score";
    } else {
      for (const auto& c : clf.classes())
        csv << ",score_" << csv_field(c);
    }
  }
  csv << "\n";
  for (std::size_t i = 0; i < pred.size(); ++i) {
    csv << i << "," << csv_field(pred[i]);
    if (x.has_labels()) csv << "," << csv_field(x.labels()[i]);
    for (strider::index_t c = 0; o.has("scores") && c < scores.cols(); ++c) {
      csv << "," << json_number(scores(static_cast<strider::index_t>(i), c));
    }
    csv << "\n";
  }
  strider::detail::write_file_atomic(o.get("output"), csv.str());
  std::cout << "predictions: " << o.get("output") << " (" << pred.size() << " series)\n";
  if (x.has_labels()) {
    std::size_t correct = 0;
    for (std::size_t i = 0; i < pred.size(); ++i)
      correct += pred[i] == x.labels()[i];
    std::cout << "accuracy: " << std::setprecision(4) << std::fixed
              << static_cast<double>(correct) / static_cast<double>(pred.size()) << " (" << correct
              << "/" << pred.size() << ")\n";
  }
  return 0;
}

int cmd_transform(int argc, char** argv) {
  Options o("transform", "--model M --input FILE --output features.csv [--scaled]",
            "Writes the N x 3K kernel features of every series in FILE as CSV: one row per\n"
            "series, columns kK_min, kK_ppi, kK_argmin for kernel K = 0..K-1 (column 3K:\n"
            "min of the distance profile, 3K+1: fraction of increasing steps, 3K+2: first\n"
            "argmin). --scaled writes them as the ridge sees them: standardised, then times\n"
            "the model's feature weights.",
            {{"model", "M", "model file written by strider fit (required)"},
             {"input", "FILE", "series to transform (required)"},
             {"output", "FILE", "CSV file to write (required)"},
             {"scaled", "", "apply the model's StandardScaler and feature weights"},
             {"quiet", "", "no progress bar"}});
  if (!o.parse(argc, argv, 2)) return 0;
  if (!o.has("model") || !o.has("input") || !o.has("output")) {
    throw UsageError("transform: --model, --input and --output are required");
  }
  strider::KernelClassifier clf = load_classifier(o.get("model"));
  const strider::Panel x = strider::io::read_dataset_file(o.get("input"));
  strider::RowMatrixD f;
  {
    Progress progress(clf, o, "transform");
    f = o.has("scaled") ? clf.features<double>(x) : clf.transform().transform<double>(x);
  }
  std::vector<std::string> header;
  const char* names[3] = {"min", "ppi", "argmin"};
  for (strider::index_t k = 0; k < f.cols() / 3; ++k) {
    for (const char* n : names)
      header.push_back("k" + std::to_string(k) + "_" + n);
  }
  strider::io::write_csv(o.get("output"), f, header);
  std::cout << "features: " << o.get("output") << " (" << f.rows() << " x " << f.cols() << ")\n";
  return 0;
}

int cmd_evaluate(int argc, char** argv) {
  Options o(
      "evaluate", "[--dataset DIR/NAME | --train FILE --test FILE] [--json] [options]",
      "Fits on the train split, predicts the test split, and prints the accuracy, the\n"
      "time to fit, to transform and to predict the test set, and the peak memory.\n"
      "With no data argument it runs on the built-in Cylinder-Bell-Funnel dataset\n"
      "(300 train / 900 test series of length 128, generated from --seed).",
      concat({{"dataset", "DIR/NAME", "UCR-layout dataset folder (NAME_TRAIN.*, NAME_TEST.*)"},
              {"train", "FILE", "training file"},
              {"test", "FILE", "test file"},
              {"json", "", "print the results as one JSON object"}},
             model_options()));
  if (!o.parse(argc, argv, 2)) return 0;
  if (o.has("dataset") && (o.has("train") || o.has("test"))) {
    throw UsageError("evaluate: give either --dataset or --train and --test");
  }
  if (o.has("train") != o.has("test")) {
    throw UsageError("evaluate: --train and --test go together");
  }
  const strider::KernelClassifierParams params = classifier_params(o);
  strider::utils::Stopwatch load_watch;
  strider::TrainTest data;
  std::string name;
  if (o.has("dataset")) {
    fs::path dir = fs::path(o.get("dataset"));
    if (dir.filename().empty()) dir = dir.parent_path();  // trailing slash
    name = dir.filename().string();
    data = strider::io::load_ucr_dataset(dir.parent_path(), name);
  } else if (o.has("train")) {
    data.train = strider::io::read_dataset_file(o.get("train"));
    data.test = strider::io::read_dataset_file(o.get("test"));
    name = fs::path(o.get("train")).stem().string();
  } else {
    strider::datasets::CylinderBellFunnelParams cbf;
    cbf.random_state = params.transform.random_state;
    data = strider::datasets::load_cylinder_bell_funnel(cbf);
    name = "CylinderBellFunnel (built-in)";
  }
  const double load_s = load_watch.wall_seconds();
  if (!data.test.has_labels()) throw std::invalid_argument("evaluate: the test set has no labels");

  strider::KernelClassifier clf(params);
  strider::utils::Stopwatch fit_watch;
  {
    Progress progress(clf, o, "fit");
    clf.fit(data.train);
  }
  const double fit_s = fit_watch.wall_seconds();
  const double fit_cpu = fit_watch.cpu_seconds();

  strider::utils::Stopwatch transform_watch;
  std::vector<std::string> pred;
  double predict_s = 0.0;
  double transform_s = 0.0;
  {
    Progress progress(clf, o, "transform");
    if (params.float32) {
      const strider::RowMatrixF f = clf.features<float>(data.test);
      transform_s = transform_watch.wall_seconds();
      strider::utils::Stopwatch w;
      pred = clf.predict_features<float>(f);
      predict_s = w.wall_seconds();
    } else {
      const strider::RowMatrixD f = clf.features<double>(data.test);
      transform_s = transform_watch.wall_seconds();
      strider::utils::Stopwatch w;
      pred = clf.predict_features<double>(f);
      predict_s = w.wall_seconds();
    }
  }
  std::size_t correct = 0;
  for (std::size_t i = 0; i < pred.size(); ++i)
    correct += pred[i] == data.test.labels()[i];
  const double accuracy =
      pred.empty() ? 0.0 : static_cast<double>(correct) / static_cast<double>(pred.size());
  const std::size_t peak = strider::utils::peak_rss_bytes();
  const auto& t = clf.fit_timings();
  const int threads = strider::resolve_n_jobs(params.transform.n_jobs);

  if (o.has("json")) {
    std::cout << "{\"dataset\": \"" << json_escape(name)
              << "\", \"n_train\": " << data.train.n_series()
              << ", \"n_test\": " << data.test.n_series()
              << ", \"n_channels\": " << data.train.n_channels()
              << ", \"min_length\": " << data.train.min_length()
              << ", \"max_length\": " << data.train.max_length()
              << ", \"n_classes\": " << clf.classes().size()
              << ", \"accuracy\": " << json_number(accuracy) << ", \"correct\": " << correct
              << ", \"load_seconds\": " << json_number(load_s)
              << ", \"fit_seconds\": " << json_number(fit_s)
              << ", \"fit_transform_seconds\": " << json_number(t.transform_seconds)
              << ", \"fit_scaler_seconds\": " << json_number(t.scaler_seconds)
              << ", \"fit_ridge_seconds\": " << json_number(t.ridge_seconds)
              << ", \"fit_cpu_seconds\": " << json_number(fit_cpu)
              << ", \"test_transform_seconds\": " << json_number(transform_s)
              << ", \"predict_seconds\": " << json_number(predict_s)
              << ", \"peak_memory_bytes\": " << peak
              << ", \"alpha\": " << json_number(clf.ridge().alpha()) << ", \"normalized\": "
              << (clf.transform().params().normalize_input ? "true" : "false")
              << ", \"differences\": "
              << (clf.transform().params().add_differences ? "true" : "false")
              << ", \"threads\": " << threads << ", \"params\": " << params_json(params) << "}\n";
    return 0;
  }
  std::cout << "dataset:     " << name << "\n"
            << "train:       " << data.train.summary() << "\n"
            << "test:        " << data.test.summary() << "\n"
            << "model:       " << params.transform.n_kernels << " kernels ("
            << clf.transform().n_features() << " features), "
            << (params.float32 ? "float32" : "float64") << ", " << threads << " thread"
            << (threads == 1 ? "" : "s") << ", alpha " << clf.ridge().alpha() << ", input "
            << (clf.transform().params().normalize_input ? "z-normalised" : "as given")
            << (params.choose_normalization ? " (chosen)" : "") << "\n"
            << "accuracy:    " << std::fixed << std::setprecision(4) << accuracy << " (" << correct
            << "/" << pred.size() << ")\n"
            << "fit:         " << secs(fit_s) << " (transform " << secs(t.transform_seconds)
            << ", scaler " << secs(t.scaler_seconds) << ", ridge " << secs(t.ridge_seconds)
            << "; cpu/wall " << std::setprecision(2) << (fit_s > 0 ? fit_cpu / fit_s : 0.0) << ")\n"
            << "transform:   " << secs(transform_s) << " (test set)\n"
            << "predict:     " << secs(predict_s) << "\n"
            << "peak memory: " << megabytes(peak) << "\n";
  return 0;
}

int cmd_info(int argc, char** argv) {
  Options o(
      "info", "--model M [--json]",
      "Describes a model file: estimator type, versions, params, classes, chosen\n"
      "alpha. With --json, one JSON object that also lists every kernel (length,\n"
      "dilation, padding, channel, values, and the series/start it was sampled from).",
      {{"model", "M", "model file (required)"}, {"json", "", "JSON output with every kernel"}});
  if (!o.parse(argc, argv, 2)) return 0;
  if (!o.has("model")) throw UsageError("info: --model M is required");
  const std::string path = o.get("model");
  const strider::ModelEnvelope env = strider::read_envelope(path);
  if (env.estimator != "KernelClassifier") {
    // Other estimators: the envelope is all we describe.
    if (o.has("json")) {
      std::cout << "{\"estimator\": \"" << json_escape(env.estimator) << "\", \"format\": \""
                << json_escape(env.format) << "\", \"format_version\": " << env.format_version
                << ", \"library_version\": \"" << json_escape(env.library_version) << "\"}\n";
    } else {
      std::cout << "estimator:       " << env.estimator << "\nformat:          " << env.format
                << " v" << env.format_version << (env.json ? " (JSON)" : " (binary)")
                << "\nwritten by:      strider " << env.library_version << "\n";
    }
    return 0;
  }
  const strider::KernelClassifier clf = load_classifier(path);
  const auto& p = clf.params();
  if (!o.has("json")) {
    std::cout << "estimator:       " << env.estimator << "\n"
              << "format:          " << env.format << " v" << env.format_version
              << (env.json ? " (JSON)" : " (binary)") << "\n"
              << "written by:      strider " << env.library_version << " (this is strider "
              << strider::version_string << ")\n"
              << "kernels:         " << clf.transform().kernels().size() << " ("
              << clf.transform().n_features() << " features), channels "
              << clf.transform().n_channels() << "\n"
              << "params:          " << params_json(p) << "\n"
              << "classes:         " << clf.classes().size() << ": " << json_list(clf.classes())
              << "\n"
              << "alpha:           " << clf.ridge().alpha() << " (leave-one-out score "
              << clf.ridge().best_score() << ")\n"
              << "input:           "
              << (clf.transform().params().normalize_input ? "z-normalised" : "as given")
              << (p.choose_normalization ? " (chosen by leave-one-out accuracy)" : "") << "\n";
    return 0;
  }
  std::cout << "{\"estimator\": \"" << json_escape(env.estimator) << "\", \"format\": \""
            << json_escape(env.format) << "\", \"format_version\": " << env.format_version
            << ", \"library_version\": \"" << json_escape(env.library_version)
            << "\", \"params\": " << params_json(p) << ", \"classes\": " << json_list(clf.classes())
            << ", \"alpha\": " << json_number(clf.ridge().alpha())
            << ", \"best_score\": " << json_number(clf.ridge().best_score())
            << ", \"normalized\": " << (clf.transform().params().normalize_input ? "true" : "false")
            << ", \"differences\": "
            << (clf.transform().params().add_differences ? "true" : "false")
            << ", \"n_channels\": " << clf.transform().n_channels() << ", \"kernels\": [";
  const auto& kernels = clf.transform().kernels();
  for (std::size_t k = 0; k < kernels.size(); ++k) {
    const auto& kr = kernels[k];
    std::cout << (k ? ",\n  " : "\n  ") << "{\"length\": " << kr.length
              << ", \"dilation\": " << kr.dilation << ", \"padding\": " << kr.padding
              << ", \"channel\": " << kr.channel << ", \"values\": " << json_list(kr.values)
              << ", \"source_series\": " << kr.source_series
              << ", \"source_start\": " << kr.source_start << "}";
  }
  std::cout << "\n]}\n";
  return 0;
}

void print_usage(std::ostream& out) {
  out << "usage: strider <command> [options]   (strider <command> --help for details)\n\n"
         "commands:\n"
         "  fit        fit a classifier on a labelled dataset file and save the model\n"
         "  predict    predict labels with a saved model\n"
         "  transform  write the N x 3K kernel features of a dataset file as CSV\n"
         "  evaluate   fit, predict and report accuracy, timings and memory\n"
         "             (no data argument: the built-in Cylinder-Bell-Funnel dataset)\n"
         "  info       describe a model file\n\n"
         "Dataset files: UCR .tsv, UCR 2015 .txt/.csv, sktime/aeon .ts (by extension).\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string command = argv[1];
  try {
    if (command == "--help" || command == "-h" || command == "help") {
      print_usage(std::cout);
      return 0;
    }
    if (command == "--version") {
      std::cout << "strider " << strider::version_string << "\n";
      return 0;
    }
    if (command == "fit") return cmd_fit(argc, argv);
    if (command == "predict") return cmd_predict(argc, argv);
    if (command == "transform") return cmd_transform(argc, argv);
    if (command == "evaluate") return cmd_evaluate(argc, argv);
    if (command == "info") return cmd_info(argc, argv);
    throw UsageError("unknown command '" + command + "'");
  } catch (const UsageError& e) {
    std::cerr << "strider: error: " << e.what() << "\n";
    if (command == "fit" || command == "predict" || command == "transform" ||
        command == "evaluate" || command == "info") {
      std::cerr << "(see strider " << command << " --help)\n";
    } else {
      print_usage(std::cerr);
    }
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "strider: error: " << e.what() << "\n";
    return 1;
  }
}
