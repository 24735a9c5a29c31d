// Runs the `strider` executable as a user would: exit codes, messages, files.
// Built only when the CLI is (STRIDER_BUILD_TOOLS), which defines STRIDER_CLI_PATH.
#ifdef STRIDER_CLI_PATH
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "strider/datasets/cylinder_bell_funnel.hpp"
#include "strider/datasets/pulse_area.hpp"
#include "strider/explain.hpp"
#include "strider/io/ucr.hpp"
#include "strider/metrics.hpp"
#include "strider/regressor.hpp"
#include "strider/serialization.hpp"
#include "strider/series_source.hpp"
#include "test_support.hpp"

// cereal's JSON archive configures rapidjson; include it before rapidjson itself.
#include <rapidjson/document.h>
#include <cereal/archives/json.hpp>

namespace strider {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::TempDir;

struct CliResult {
  int status;
  std::string out;
  std::string err;
};

CliResult run(const std::string& args, const TempDir& dir) {
  const fs::path out = dir / "stdout.txt", err = dir / "stderr.txt";
  const std::string cmd = std::string("\"") + STRIDER_CLI_PATH + "\" " + args + " >\"" +
                          out.string() + "\" 2>\"" + err.string() + "\" </dev/null";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
}

rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    const TrainTest d = datasets::load_cylinder_bell_funnel({60, 30, 64, true, 5});
    io::write_ucr_tsv(d.train, dir_ / "cbf_train.tsv");
    io::write_ucr_tsv(d.test, dir_ / "cbf_test.tsv");
  }
  std::string p(const std::string& name) const { return "\"" + (dir_ / name).string() + "\""; }
  TempDir dir_;
};

TEST_F(Cli, HelpForEveryCommand) {
  for (const char* cmd : {"fit", "predict", "transform", "evaluate", "info"}) {
    const CliResult r = run(std::string(cmd) + " --help", dir_);
    EXPECT_EQ(r.status, 0) << cmd;
    EXPECT_NE(r.out.find(std::string("usage: strider ") + cmd), std::string::npos) << r.out;
  }
  const CliResult r = run("--help", dir_);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("evaluate"), std::string::npos);
}

TEST_F(Cli, UsageErrorsExitWithTwo) {
  CliResult r = run("", dir_);
  EXPECT_EQ(r.status, 2);
  r = run("frobnicate", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("strider: error: unknown command 'frobnicate'"), std::string::npos) << r.err;
  r = run("fit --bogus 1", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("unknown option --bogus"), std::string::npos) << r.err;
  r = run("fit", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--train FILE is required"), std::string::npos) << r.err;
  // errors name the flag and the value as typed, and say what is expected
  r = run("fit --train " + p("cbf_train.tsv") + " --kernels 0", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("strider: error: --kernels 0: expected 1 .. 16777216 kernels"),
            std::string::npos)
      << r.err;
  r = run("fit --train " + p("cbf_train.tsv") + " --n-kernels abc", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--n-kernels abc: expected an integer"), std::string::npos) << r.err;
  r = run("fit --train " + p("cbf_train.tsv") + " --source uniform", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--source uniform: expected sample, normal or mixed"), std::string::npos)
      << r.err;
  r = run("fit --train " + p("cbf_train.tsv") + " --nan zero", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--nan zero: expected raise or interpolate"), std::string::npos) << r.err;
  r = run("fit --train " + p("cbf_train.tsv") + " --lengths 7,1", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--lengths 7,1: lengths[1] = 1; every kernel length must be 2 .. 4194304"),
            std::string::npos)
      << r.err;
  r = run("fit --train " + p("cbf_train.tsv") + " --threads 0", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--threads 0: expected -1"), std::string::npos) << r.err;
  r = run("fit --train " + p("cbf_train.tsv") + " --n-jobs 0", dir_);
  EXPECT_NE(r.err.find("--n-jobs 0: expected -1"), std::string::npos) << r.err;
}

TEST_F(Cli, MistypedOptionsAndCommandsGetASuggestion) {
  CliResult r = run("fit --kernel 10", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("unknown option --kernel for 'strider fit'; did you mean --kernels?"),
            std::string::npos)
      << r.err;
  r = run("evaluate --no-normalise", dir_);
  EXPECT_NE(r.err.find("did you mean --no-normalize?"), std::string::npos) << r.err;
  r = run("predict --thread 2", dir_);
  EXPECT_NE(r.err.find("did you mean --threads?"), std::string::npos) << r.err;
  r = run("evalute", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("unknown command 'evalute'; did you mean 'evaluate'?"), std::string::npos)
      << r.err;
  r = run("fit --zzzzzzzz", dir_);
  EXPECT_EQ(r.err.find("did you mean"), std::string::npos) << r.err;  // nothing close
}

TEST_F(Cli, HelpIsWrappedListsVersionAndTheSameThreadsOptionEverywhere) {
  CliResult r = run("--help", dir_);
  EXPECT_NE(r.out.find("--version"), std::string::npos) << r.out;
  r = run("--version", dir_);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("strider ", 0), 0u) << r.out;
  for (const char* cmd : {"fit", "predict", "transform", "evaluate", "info"}) {
    r = run(std::string(cmd) + " --help", dir_);
    ASSERT_EQ(r.status, 0) << cmd;
    EXPECT_NE(r.out.find("--threads N"), std::string::npos) << cmd;
    EXPECT_NE(r.out.find("(also --n-jobs)"), std::string::npos) << cmd;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      EXPECT_LE(line.size(), 80u) << cmd << ": " << line;
      // an option's help continues aligned with its first line, never at column 0
      if (!line.empty() && line[0] == ' ' && line.find("--") == std::string::npos &&
          line.find("[options]") == std::string::npos) {
        EXPECT_EQ(line.find_first_not_of(' '), 30u) << cmd << ": " << line;
      }
    }
  }
  r = run("fit --help", dir_);
  EXPECT_NE(r.out.find("--[no-]normalize"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("occurrences) (default 10000)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(default 20 values\n                              from 1e-04 to 10000; "
                       "regression: 21 values from\n                              1e-04 to "
                       "1e+06)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("--seed S"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--random-state"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("normalize-kernels"), std::string::npos) << r.out;  // retired
}

/// The CBF test series of `dir` without their label column (every line's first field).
std::string without_labels(const std::string& tsv) {
  std::istringstream in(tsv);
  std::string out;
  for (std::string line; std::getline(in, line);)
    out += line.substr(line.find('\t') + 1) + "\n";
  return out;
}

TEST_F(Cli, UnlabelledInputIsReadWithNoLabelsAndNeverShifted) {
  CliResult r = run(
      "fit --train " + p("cbf_train.tsv") + " --model " + p("m.strider") + " --kernels 100 --quiet",
      dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  test::write_file(dir_ / "unlabelled.tsv", without_labels(read_file(dir_ / "cbf_test.tsv")));
  // Read as labelled, the first values would be taken as labels: refused, with the way out.
  r = run("predict --model " + p("m.strider") + " --input " + p("unlabelled.tsv"), dir_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("unlabelled.tsv:1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--no-labels"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  // With --no-labels: the same predictions as for the labelled file.
  r = run("predict --model " + p("m.strider") + " --input " + p("unlabelled.tsv") +
              " --no-labels --threads 1 --quiet",
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  const CliResult labelled = run(
      "predict --model " + p("m.strider") + " --input " + p("cbf_test.tsv") + " --threads 2", dir_);
  ASSERT_EQ(labelled.status, 0) << labelled.err;
  EXPECT_EQ(r.out, labelled.out);
  r = run("transform --model " + p("m.strider") + " --input " + p("unlabelled.tsv") +
              " --no-labels --threads 2 --output " + p("f.csv") + " --quiet",
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("(30 x 400)"), std::string::npos) << r.out;
}

TEST_F(Cli, FitAndPredictPrintJson) {
  CliResult r = run("fit --train " + p("cbf_train.tsv") + " --model " + p("m.json") +
                        " --kernels 100 --json --quiet --random-state 4",
                    dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  rapidjson::Document j = parse_json(r.out);
  EXPECT_EQ(j["n_train"].GetInt64(), 60);
  EXPECT_EQ(j["classes"].Size(), 3u);
  EXPECT_EQ(j["params"]["transform"]["random_state"].GetUint64(), 4u);
  r = run("predict --model " + p("m.json") + " --input " + p("cbf_test.tsv") +
              " --json --scores --proba --quiet",
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  j = parse_json(r.out);
  EXPECT_EQ(j["predictions"].Size(), 30u);
  EXPECT_GT(j["accuracy"].GetDouble(), 0.5);
  EXPECT_EQ(j["scores"].Size(), 30u);
  EXPECT_EQ(j["scores"][0].Size(), 3u);
  // Probabilities: one column per class, in the classes' order, each row summing to 1,
  // the largest on the predicted class; the same values as the library's.
  ASSERT_EQ(j["proba_columns"].Size(), 3u);
  EXPECT_EQ(std::string(j["proba_columns"][0].GetString()), "proba_1");
  const KernelClassifier model = load<KernelClassifier>(dir_ / "m.json");
  const RowMatrixD proba = model.predict_proba(io::read_ucr_tsv(dir_ / "cbf_test.tsv"));
  ASSERT_EQ(j["proba"].Size(), 30u);
  for (rapidjson::SizeType i = 0; i < 30; ++i) {
    double sum = 0.0;
    rapidjson::SizeType top = 0;
    for (rapidjson::SizeType c = 0; c < 3; ++c) {
      const double v = j["proba"][i][c].GetDouble();
      EXPECT_EQ(v, proba(i, c)) << i << "," << c;
      sum += v;
      if (v > j["proba"][i][top].GetDouble()) top = c;
    }
    EXPECT_NEAR(sum, 1.0, 1e-12);
    EXPECT_EQ(std::string(j["proba_columns"][top].GetString()),
              "proba_" + std::string(j["predictions"][i].GetString()));
  }
  r = run("predict --model " + p("m.json") + " --input " + p("cbf_test.tsv") + " --proba", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--proba needs --output or --json"), std::string::npos) << r.err;
  r = run("info --model " + p("m.json") + " --json --threads 2", dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  j = parse_json(r.out);
  EXPECT_EQ(j["kernels"].Size(), 100u);
}

TEST_F(Cli, FitInBatchesFromAFileOrAGeneratedSet) {
  // The same model as the library's batched fit on the same file.
  CliResult r =
      run("fit --train " + p("cbf_train.tsv") + " --batch-size 16 --kernel-sample 40" +
              " --loo-sample 25 --model " + p("b.strider") + " --kernels 100 --json --quiet",
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  rapidjson::Document j = parse_json(r.out);
  EXPECT_EQ(j["n_train"].GetInt64(), 60);
  EXPECT_EQ(j["batch_size"].GetInt64(), 16);
  EXPECT_EQ(j["loo_sample"].GetInt64(), 25);
  EXPECT_GT(j["peak_rss_bytes"].GetInt64(), 0);
  KernelClassifierParams params = load<KernelClassifier>(dir_ / "b.strider").params();
  KernelClassifier lib(params);
  const Panel train = io::read_ucr_tsv(dir_ / "cbf_train.tsv");
  PanelSource source(train);
  lib.fit_batches(source, {.batch_size = 16, .kernel_sample = 40, .loo_sample = 25});
  EXPECT_EQ(to_bytes(lib), read_file(dir_ / "b.strider"));
  r = run("predict --model " + p("b.strider") + " --input " + p("cbf_test.tsv") + " --json --quiet",
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_GT(parse_json(r.out)["accuracy"].GetDouble(), 0.8);

  r = run("fit --cbf 400,64,3 --batch-size 100 --kernels 100 --quiet --model " + p("g.strider"),
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("400 series of length 64, seed 3, in batches of 100"), std::string::npos)
      << r.out;
  EXPECT_GT(
      load<KernelClassifier>(dir_ / "g.strider").score(io::read_ucr_tsv(dir_ / "cbf_test.tsv")),
      0.8);

  // Usage errors, and a malformed line named by its line in the file, with no model.
  for (const char* bad : {"--cbf 400", "--cbf 1,64", "--cbf 400,4", "--cbf 400,64,", "--cbf x,64",
                          "--cbf 400,64 --batch-size 0", "--cbf 400,64 --train a.tsv",
                          "--cbf 400,64 --task regression", "--train a.tsv --kernel-sample 5",
                          "--train a.tsv --loo-sample 5", "--cbf 400,64 --loo-sample 0"}) {
    r = run(std::string("fit ") + bad + " --model " + p("u.strider"), dir_);
    EXPECT_EQ(r.status, 2) << bad << ": " << r.err;
  }
  std::ofstream(dir_ / "bad.tsv") << "a\t1\t2\nb\t1\t2\na\t1\tz\n";
  r = run("fit --train " + p("bad.tsv") + " --batch-size 2 --model " + p("u.strider"), dir_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("bad.tsv:3: value 2: 'z' is not a number"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "u.strider"));
}

TEST_F(Cli, ExplainListsKernelsAndDrawsTheirWindows) {
  CliResult r = run("fit --train " + p("cbf_train.tsv") + " --model " + p("m.strider") +
                        " --kernels 100 --p-shape 0.5 --quiet",
                    dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  r = run("explain --model " + p("m.strider") + " --top 5 --input " + p("cbf_test.tsv") +
              " --series 3 --svg " + p("x.svg") + " --output " + p("k.csv") + " --json",
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  rapidjson::Document j = parse_json(r.out);
  ASSERT_EQ(j["kernels"].Size(), 5u);
  const KernelClassifier clf = load<KernelClassifier>(dir_ / "m.strider");
  const auto ranked = kernel_importance(clf);
  const Panel test = io::read_ucr_tsv(dir_ / "cbf_test.tsv");
  for (rapidjson::SizeType r5 = 0; r5 < 5; ++r5) {
    const auto& k = j["kernels"][r5];
    EXPECT_EQ(k["kernel"].GetInt64(), ranked[r5].kernel);
    EXPECT_EQ(k["importance"].GetDouble(), ranked[r5].importance);
    EXPECT_EQ(k["importance_per_class"].Size(), 3u);
    EXPECT_EQ(k["shape"].GetBool(), ranked[r5].spec.shape);
    const KernelMatch m = best_match(clf, test, 3, ranked[r5].kernel);
    EXPECT_EQ(k["match_positions"][0].GetInt64(), m.positions.front());
  }
  const std::string svg = read_file(dir_ / "x.svg");
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("kernel " + std::to_string(ranked[0].kernel) + ": length"), std::string::npos);
  const std::string csv = read_file(dir_ / "k.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "rank,kernel,importance,importance_1,importance_2,importance_3,length,dilation,"
            "padding,channel,shape,values,match_start,match_distance");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 6);
  // Text output without --json; usage errors.
  r = run("explain --model " + p("m.strider") + " --top 2", dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("rank  kernel  importance"), std::string::npos) << r.out;
  r = run("explain --model " + p("m.strider") + " --svg " + p("y.svg"), dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--svg and --series need --input FILE"), std::string::npos) << r.err;
  r = run("explain --model " + p("m.strider") + " --input " + p("cbf_test.tsv") + " --series 30",
          dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--series 30"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "y.svg"));
}

TEST_F(Cli, OutputProblemsAreFoundEarlyAndNamed) {
  CliResult r = run("fit --train " + p("cbf_train.tsv") + " --model " + p("no/such/m.strider") +
                        " --kernels 50 --quiet",
                    dir_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("--model"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
  r = run(
      "fit --train " + p("cbf_train.tsv") + " --model " + p("m.strider") + " --kernels 50 --quiet",
      dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  // a predictions file that cannot be written is reported as such, not as a model file
  fs::create_directories(dir_ / "taken.csv");
  r = run("predict --model " + p("m.strider") + " --input " + p("cbf_test.tsv") + " --output " +
              p("taken.csv"),
          dir_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("--output"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("model file"), std::string::npos) << r.err;
  // a read-only output file is not silently replaced
  test::write_file(dir_ / "ro.csv", "keep\n");
  fs::permissions(dir_ / "ro.csv", fs::perms::owner_read);
  r = run("transform --model " + p("m.strider") + " --input " + p("cbf_test.tsv") + " --output " +
              p("ro.csv"),
          dir_);
  EXPECT_EQ(r.status, 1);  // refused by its permission bits, also for root
  EXPECT_NE(r.err.find("read-only"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(dir_ / "ro.csv"), "keep\n");
  // a missing value names the flag that handles it
  test::write_file(dir_ / "nan.tsv",
                   "1\t0.5\tnan\t0.2\t0.1\t0.3\t0.2\t0.1\t0.4\n"
                   "2\t0.1\t0.2\t0.3\t0.4\t0.5\t0.6\t0.7\t0.8\n");
  r = run("fit --train " + p("nan.tsv") + " --lengths 3 --kernels 10 --quiet", dir_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("--nan interpolate"), std::string::npos) << r.err;
}

TEST_F(Cli, HostileInputEndsWithAClearErrorAndNoOutput) {
  // more kernels than any model may hold: refused while parsing the options
  CliResult r = run("fit --train " + p("cbf_train.tsv") + " --kernels 1000000000", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--kernels 1000000000: expected 1 .. 16777216 kernels"), std::string::npos)
      << r.err;
  // a fit above the memory limit is refused before it starts, naming both and the options
  r = run("fit --train " + p("cbf_train.tsv") + " --model " + p("big.strider") +
              " --kernels 200000 --memory-limit 100M --quiet",
          dir_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("KernelClassifier::fit(): needs about "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("60 series x 800000 features"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("fewer series, or --no-occurrences"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(set by the caller)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--memory-limit SIZE"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "big.strider"));
  r = run("fit --train " + p("cbf_train.tsv") + " --memory-limit 12X", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--memory-limit 12X: expected a size"), std::string::npos) << r.err;
  // a runaway thread count is capped with a warning
  r = run("fit --train " + p("cbf_train.tsv") + " --model " + p("t.strider") +
              " --kernels 50 --threads 100000 --quiet",
          dir_);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("strider: warning: --threads 100000: this machine has"), std::string::npos)
      << r.err;
  // a single class is refused at once
  test::write_file(dir_ / "one.tsv", "1\t0.5\t0.1\t0.2\t0.3\n1\t0.1\t0.2\t0.3\t0.4\n");
  r = run("fit --train " + p("one.tsv") + " --lengths 3 --kernels 10 --quiet", dir_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("y has only one class \"1\""), std::string::npos) << r.err;
  // a missing value at fit time is placed in the file as the file counts
  test::write_file(dir_ / "nan2.tsv", "1\t0.5\t0.2\t0.2\t0.1\n2\t0.1\t0.2\tnan\t0.4\n");
  r = run("fit --train " + p("nan2.tsv") + " --lengths 3 --kernels 10 --quiet", dir_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("nan2.tsv line 2, channel 1, value 3"), std::string::npos) << r.err;
  // a crafted model file: refused by name, no predictions file
  const std::string crafted =
      "\"" +
      (fs::path(STRIDER_TESTS_DATA_DIR) / "hostile" / "kernel_values_size_2GiB.strider").string() +
      "\"";
  r = run("predict --model " + crafted + " --input " + p("cbf_test.tsv") + " --output " +
              p("preds.csv"),
          dir_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("kernel_values_size_2GiB.strider: invalid model: values: 268435456"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "preds.csv"));
}

TEST_F(Cli, RuntimeErrorsExitWithOneAndNameTheProblem) {
  test::write_file(dir_ / "bad.tsv", "1\t0.5\tabc\n");
  CliResult r = run("fit --train " + p("bad.tsv") + " --quiet", dir_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("strider: error:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad.tsv:1"), std::string::npos) << r.err;
  r = run("predict --model " + p("nothing.strider") + " --input " + p("cbf_test.tsv"), dir_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("nothing.strider"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST_F(Cli, FitPredictTransformInfoRoundTrip) {
  CliResult r = run("fit --train " + p("cbf_train.tsv") + " --model " + p("m.strider") +
                        " --kernels 200 --seed 3 --threads 2 --quiet",
                    dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("model: "), std::string::npos);

  // Another process's predictions are bit-identical to this process's.
  r = run("predict --model " + p("m.strider") + " --input " + p("cbf_test.tsv") + " --output " +
              p("pred.csv") + " --scores --proba --quiet",
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("accuracy: "), std::string::npos) << r.out;
  const KernelClassifier clf = load<KernelClassifier>(dir_ / "m.strider");
  const Panel test = io::read_ucr_tsv(dir_ / "cbf_test.tsv");
  const RowMatrixD scores = clf.decision_function(test);
  const auto pred = clf.predict(test);
  std::istringstream csv(read_file(dir_ / "pred.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "index,prediction,label,score_1,score_2,score_3,proba_1,proba_2,proba_3");
  const RowMatrixD proba = clf.predict_proba(test);
  for (index_t i = 0; i < test.n_series(); ++i) {
    ASSERT_TRUE(std::getline(csv, line));
    std::istringstream ls(line);
    std::string field;
    std::getline(ls, field, ',');
    EXPECT_EQ(field, std::to_string(i));
    std::getline(ls, field, ',');
    EXPECT_EQ(field, pred[static_cast<std::size_t>(i)]);
    std::getline(ls, field, ',');
    EXPECT_EQ(field, test.labels()[static_cast<std::size_t>(i)]);
    for (index_t c = 0; c < scores.cols(); ++c) {
      std::getline(ls, field, ',');
      EXPECT_EQ(std::strtod(field.c_str(), nullptr), scores(i, c)) << i << "," << c;
    }
    for (index_t c = 0; c < proba.cols(); ++c) {
      std::getline(ls, field, ',');
      EXPECT_EQ(std::strtod(field.c_str(), nullptr), proba(i, c)) << i << "," << c;
    }
  }

  r = run("predict --model " + p("m.strider") + " --input " + p("cbf_test.tsv"), dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  std::string expected;
  for (const auto& s : pred)
    expected += s + "\n";
  EXPECT_EQ(r.out, expected);

  r = run("transform --model " + p("m.strider") + " --input " + p("cbf_test.tsv") + " --output " +
              p("f.csv") + " --quiet",
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  std::istringstream fcsv(read_file(dir_ / "f.csv"));
  std::getline(fcsv, line);
  EXPECT_EQ(line.rfind("k0_min,k0_ppi,k0_argmin,k0_occ,k1_min", 0), 0u) << line.substr(0, 80);
  // the default float32: the file holds the model's float features, each in the shortest
  // text that reads back as that float
  ASSERT_TRUE(clf.params().float32);
  const RowMatrixF f = clf.transform().transform<float>(test);
  std::getline(fcsv, line);
  std::istringstream first(line);
  std::string v;
  for (index_t j = 0; j < 8; ++j) {
    std::getline(first, v, ',');
    EXPECT_EQ(std::strtof(v.c_str(), nullptr), f(0, j)) << j;
  }
  // --scaled: what the ridge sees, standardised and weighted (the model's features())
  r = run("transform --model " + p("m.strider") + " --input " + p("cbf_test.tsv") + " --output " +
              p("fs.csv") + " --scaled --quiet",
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  const RowMatrixF fs = clf.features<float>(test);
  std::istringstream scsv(read_file(dir_ / "fs.csv"));
  std::getline(scsv, line);
  std::getline(scsv, line);
  std::istringstream scaled_first(line);
  for (index_t j = 0; j < 8; ++j) {
    std::getline(scaled_first, v, ',');
    EXPECT_EQ(std::strtof(v.c_str(), nullptr), fs(0, j)) << j;
  }
  // a float64 model (--no-float32, --no-occurrences): three float64 features per kernel
  r = run("fit --train " + p("cbf_train.tsv") + " --model " + p("m64.strider") +
              " --kernels 50 --seed 3 --threads 2 --no-float32 --no-occurrences --quiet",
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  r = run("transform --model " + p("m64.strider") + " --input " + p("cbf_test.tsv") + " --output " +
              p("f64.csv") + " --quiet",
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("x 150)"), std::string::npos) << r.out;
  const RowMatrixD f64 =
      load<KernelClassifier>(dir_ / "m64.strider").transform().transform<double>(test);
  std::istringstream csv64(read_file(dir_ / "f64.csv"));
  std::getline(csv64, line);
  EXPECT_EQ(line.rfind("k0_min,k0_ppi,k0_argmin,k1_min", 0), 0u) << line.substr(0, 80);
  std::getline(csv64, line);
  std::istringstream first64(line);
  for (index_t j = 0; j < 6; ++j) {
    std::getline(first64, v, ',');
    EXPECT_EQ(std::strtod(v.c_str(), nullptr), f64(0, j)) << j;
  }

  r = run("info --model " + p("m.strider"), dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("KernelClassifier"), std::string::npos);
  EXPECT_NE(r.out.find("alpha:"), std::string::npos);
  r = run("info --model " + p("m.strider") + " --json", dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\"kernels\":["), std::string::npos);
  EXPECT_NE(r.out.find("\"dilation\":"), std::string::npos);
  if (std::string(STRIDER_PYTHON).size() > 0) {
    // The JSON must parse and list every kernel.
    test::write_file(dir_ / "info.json", r.out);
    const std::string check = "\"" + std::string(STRIDER_PYTHON) +
                              "\" -c \"import json,sys; d=json.load(open(sys.argv[1])); "
                              "sys.exit(0 if len(d['kernels'])==200 else 1)\" " +
                              p("info.json");
    EXPECT_EQ(std::system(check.c_str()), 0);
  }
}

TEST_F(Cli, EvaluateOnFilesAndJsonOutput) {
  // strider evaluate on the CBF files with 300 kernels and the given options
  auto evaluate_cbf = [&](const std::string& options) {
    return run("evaluate --train " + p("cbf_train.tsv") + " --test " + p("cbf_test.tsv") +
                   " --kernels 300 " + options,
               dir_);
  };
  CliResult r = evaluate_cbf("--quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* field : {"accuracy:", "fit:", "transform:", "predict:", "peak memory:"}) {
    EXPECT_NE(r.out.find(field), std::string::npos) << field << "\n" << r.out;
  }
  r = evaluate_cbf("--json --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  rapidjson::Document j = parse_json(r.out);
  ASSERT_TRUE(j.IsObject()) << r.out;
  EXPECT_GT(j["accuracy"].GetDouble(), 0.8);
  const auto& params = j["params"];
  EXPECT_TRUE(params["transform"]["normalize_input"].GetBool());
  EXPECT_TRUE(params["transform"]["add_differences"].GetBool());
  EXPECT_STREQ(params["transform"]["source"].GetString(), "mixed");
  EXPECT_EQ(params["transform"]["n_kernels"].GetInt64(), 300);
  EXPECT_TRUE(params["choose_normalization"].GetBool());
  EXPECT_STREQ(params["ridge"]["class_weight"].GetString(), "choose");
  EXPECT_STREQ(j["class_weight"].GetString(), "balanced");  // CBF: equal class sizes
  EXPECT_EQ(params["feature_weights"][1].GetDouble(), 0.25);
  for (const char* retired : {"normalize_kernels", "scale_normal_kernels", "add_raw_input",
                              "choose_differences", "scoring", "alpha_scoring"})
    EXPECT_EQ(r.out.find(retired), std::string::npos) << retired;
  // timings are rounded to the millisecond, not printed with 17 digits
  const std::string fit = std::to_string(j["fit_seconds"].GetDouble());
  EXPECT_LE(r.out.find("\"fit_seconds\":"), r.out.size());
  EXPECT_EQ(std::round(j["fit_seconds"].GetDouble() * 1000.0) / 1000.0,
            j["fit_seconds"].GetDouble())
      << fit;
  // feature weights on request, a wrong count refused naming the flag
  r = evaluate_cbf("--feature-weights 1,0,0.5 --json --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  j = parse_json(r.out);
  EXPECT_EQ(j["params"]["feature_weights"][2].GetDouble(), 0.5);
  r = run("evaluate --feature-weights 1,0.5 --quiet", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--feature-weights 1,0.5: 2 values; expected 3"), std::string::npos)
      << r.err;
  r = run("evaluate --feature-weights 0,0,0 --quiet", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--feature-weights 0,0,0: expected at least one weight > 0"),
            std::string::npos)
      << r.err;
  r = evaluate_cbf("--no-normalize --no-differences --source sample --json --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  j = parse_json(r.out);
  EXPECT_FALSE(j["params"]["transform"]["normalize_input"].GetBool());
  EXPECT_FALSE(j["params"]["transform"]["add_differences"].GetBool());
  EXPECT_STREQ(j["params"]["transform"]["source"].GetString(), "sample");
  EXPECT_TRUE(j.HasMember("normalized"));
  EXPECT_STREQ(j["representation"].GetString(), "series");  // no differences to choose
  // the choice of representation off by default: every kernel kept; on request, recorded
  r = evaluate_cbf("--json --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  j = parse_json(r.out);
  EXPECT_FALSE(j["params"]["choose_representation"].GetBool());
  EXPECT_STREQ(j["representation"].GetString(), "series+differences");
  r = evaluate_cbf("--choose-representation --json --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  j = parse_json(r.out);
  EXPECT_TRUE(j["params"]["choose_representation"].GetBool());
  EXPECT_TRUE(j.HasMember("representation"));
  // the choice of features: on by default, every feature used on this set
  EXPECT_TRUE(j["params"]["choose_features"].GetBool());
  EXPECT_STREQ(j["features"].GetString(), "all");
  r = evaluate_cbf("--no-choose-features --json --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  j = parse_json(r.out);
  EXPECT_FALSE(j["params"]["choose_features"].GetBool());
  EXPECT_STREQ(j["features"].GetString(), "all");
  r = evaluate_cbf("--no-choose-normalization --class-weight none --json --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  j = parse_json(r.out);
  EXPECT_FALSE(j["params"]["choose_normalization"].GetBool());
  EXPECT_TRUE(j["normalized"].GetBool());
  EXPECT_STREQ(j["params"]["ridge"]["class_weight"].GetString(), "none");
  r = run("evaluate --train " + p("cbf_train.tsv") + " --test " + p("cbf_test.tsv") +
              " --class-weight best",
          dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--class-weight best: expected none, balanced or choose"), std::string::npos)
      << r.err;
  r = run("evaluate --train " + p("cbf_train.tsv"), dir_);
  EXPECT_EQ(r.status, 2);
  // retired options are no longer accepted
  for (const char* retired : {"--normalize-kernels", "--add-raw-input", "--choose-differences",
                              "--scale-normal-kernels"}) {
    r = run(std::string("evaluate ") + retired, dir_);
    EXPECT_EQ(r.status, 2) << retired;
    EXPECT_NE(r.err.find("unknown option"), std::string::npos) << r.err;
  }
}
TEST_F(Cli, EvaluateOnASharedUcrDataset) {
  STRIDER_REQUIRE_SHARED_DATASETS();
  const CliResult r =
      run("evaluate --dataset \"" + (test::shared_datasets() / "ucr" / "Coffee").string() +
              "\" --kernels 1000 --quiet",
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("28 series"), std::string::npos) << r.out;
}

TEST_F(Cli, RegressionFitPredictEvaluateInfo) {
  const TrainTest d = datasets::load_pulse_area({.n_train = 80, .n_test = 40, .length = 64});
  io::write_ucr_tsv(d.train, dir_ / "reg_train.tsv");
  io::write_ucr_tsv(d.test, dir_ / "reg_test.tsv");
  CliResult r = run("fit --task regression --train " + p("reg_train.tsv") + " --model " +
                        p("r.strider") + " --kernels 200 --json --quiet",
                    dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  rapidjson::Document j = parse_json(r.out);
  EXPECT_EQ(std::string(j["task"].GetString()), "regression");
  EXPECT_EQ(j["n_train"].GetInt64(), 80);
  const KernelRegressor model = load<KernelRegressor>(dir_ / "r.strider");
  EXPECT_EQ(j["alpha"].GetDouble(), model.ridge().alpha());
  EXPECT_EQ(model.params().transform.n_kernels, 200);

  // Predictions: the library's, bit for bit, and the scores against the file's targets.
  const Panel test = io::read_ucr_tsv(dir_ / "reg_test.tsv", {.labels = io::Labels::targets});
  const RowMatrixD want = model.predict(test);
  r = run("predict --model " + p("r.strider") + " --input " + p("reg_test.tsv") + " --json", dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  j = parse_json(r.out);
  ASSERT_EQ(j["predictions"].Size(), 40u);
  for (rapidjson::SizeType i = 0; i < 40; ++i)
    EXPECT_EQ(j["predictions"][i].GetDouble(), want(i, 0)) << i;
  const std::vector<double> y = targets_from_labels(test);
  EXPECT_EQ(j["r2"].GetDouble(), r2_score(Eigen::Map<const RowMatrixD>(y.data(), 40, 1), want));
  EXPECT_GT(j["r2"].GetDouble(), 0.5);
  r = run("predict --model " + p("r.strider") + " --input " + p("reg_test.tsv") + " --output " +
              p("preds.csv"),
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("score: R^2"), std::string::npos) << r.out;
  EXPECT_EQ(read_file(dir_ / "preds.csv").rfind("index,prediction,target\n0,", 0), 0u);
  r = run("predict --model " + p("r.strider") + " --input " + p("reg_test.tsv") + " --json --proba",
          dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--proba applies to a classifier"), std::string::npos) << r.err;

  // The model's other uses: info, transform; explain is for classifiers.
  r = run("info --model " + p("r.strider"), dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("KernelRegressor"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("targets:         1"), std::string::npos) << r.out;
  r = run("transform --model " + p("r.strider") + " --input " + p("reg_test.tsv") + " --output " +
              p("f.csv") + " --scaled",
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("40 x 600"), std::string::npos) << r.out;
  r = run("explain --model " + p("r.strider"), dir_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("KernelRegressor"), std::string::npos) << r.err;

  // Numeric targets given to the classifier, and classifier options given to the regressor.
  r = run("fit --train " + p("reg_train.tsv") + " --model " + p("c.strider"), dir_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("is a real number, not a class label"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(io::Labels::targets; --task regression)"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "c.strider"));
  std::string ages;  // whole-number targets pass the label rule; one label per series gives
                     // them away
  for (int i = 0; i < 12; ++i) {
    ages += std::to_string(20 + 3 * i);
    for (int t = 0; t < 16; ++t)
      ages += "\t" + std::to_string((i * t) % 7);
    ages += "\n";
  }
  test::write_file(dir_ / "ages.tsv", ages);
  r = run("fit --train " + p("ages.tsv") + " --model " + p("c.strider"), dir_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("these look like regression targets; use --task regression"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(run("fit --task regression --train " + p("ages.tsv") + " --model " + p("ages.strider") +
                    " --kernels 50",
                dir_)
                .status,
            0);
  r = run("fit --task regression --class-weight none --train " + p("reg_train.tsv"), dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--class-weight does not apply to regression"), std::string::npos) << r.err;
  r = run("fit --task regresion --train " + p("reg_train.tsv"), dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("expected classification or regression"), std::string::npos) << r.err;
  test::write_file(dir_ / "bad.tsv", "1.5\t1\t2\t3\nabc\t4\t5\t6\n");
  r = run("fit --task regression --train " + p("bad.tsv") + " --model " + p("b.strider"), dir_);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("bad.tsv:2: the first field 'abc' is not a finite number"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "b.strider"));

  // A .ts regression file (@targetLabel true), and evaluate on files and built in.
  std::string ts = "@problemName pulse\n@univariate true\n@targetLabel true\n@data\n";
  for (index_t i = 0; i < d.train.n_series(); ++i) {
    for (index_t t = 0; t < d.train.length(i); ++t)
      ts += (t ? "," : "") + shortest_text(d.train(i, 0, t));
    ts += ":" + d.train.labels()[static_cast<std::size_t>(i)] + "\n";
  }
  test::write_file(dir_ / "reg_TRAIN.ts", ts);
  r = run("evaluate --task regression --train " + p("reg_TRAIN.ts") + " --test " +
              p("reg_test.tsv") + " --kernels 200 --json --random-state 0",
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  j = parse_json(r.out);
  EXPECT_EQ(j["n_train"].GetInt64(), 80);
  EXPECT_EQ(j["r2"].GetDouble(),
            parse_json(run("evaluate --task regression --train " + p("reg_train.tsv") + " --test " +
                               p("reg_test.tsv") + " --kernels 200 --json",
                           dir_)
                           .out)["r2"]
                .GetDouble());
  r = run("evaluate --task regression --kernels 100", dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("PulseArea (built-in)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("score:       R^2"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace strider

#endif  // STRIDER_CLI_PATH
