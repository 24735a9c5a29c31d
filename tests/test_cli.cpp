// Runs the `strider` executable as a user would: exit codes, messages, files.
// Built only when the CLI is (STRIDER_BUILD_TOOLS), which defines STRIDER_CLI_PATH.
#ifdef STRIDER_CLI_PATH
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "strider/datasets/cylinder_bell_funnel.hpp"
#include "strider/io/ucr.hpp"
#include "strider/serialization.hpp"
#include "test_support.hpp"

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
  r = run("fit --train " + p("cbf_train.tsv") + " --kernels 0", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("strider: error:"), std::string::npos) << r.err;
  r = run("fit --train " + p("cbf_train.tsv") + " --kernels abc", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("'abc' is not a valid number"), std::string::npos) << r.err;
  r = run("fit --train " + p("cbf_train.tsv") + " --source uniform", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--source: 'uniform', expected sample, normal or mixed"), std::string::npos)
      << r.err;
  r = run("fit --train " + p("cbf_train.tsv") + " --nan zero", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--nan: 'zero', expected raise or interpolate"), std::string::npos) << r.err;
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
              p("pred.csv") + " --scores --quiet",
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
  EXPECT_EQ(line, "index,prediction,label,score_1,score_2,score_3");
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
  EXPECT_EQ(line.rfind("k0_min,k0_ppi,k0_argmin,k1_min", 0), 0u) << line.substr(0, 80);
  const RowMatrixD f = clf.transform().transform<double>(test);
  std::getline(fcsv, line);
  std::istringstream first(line);
  std::string v;
  for (index_t j = 0; j < 6; ++j) {
    std::getline(first, v, ',');
    EXPECT_EQ(std::strtod(v.c_str(), nullptr), f(0, j)) << j;
  }
  // --scaled: what the ridge sees, standardised and weighted (the model's features())
  r = run("transform --model " + p("m.strider") + " --input " + p("cbf_test.tsv") + " --output " +
              p("fs.csv") + " --scaled --quiet",
          dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  const RowMatrixD fs = clf.features(test);
  std::istringstream scsv(read_file(dir_ / "fs.csv"));
  std::getline(scsv, line);
  std::getline(scsv, line);
  std::istringstream scaled_first(line);
  for (index_t j = 0; j < 6; ++j) {
    std::getline(scaled_first, v, ',');
    EXPECT_EQ(std::strtod(v.c_str(), nullptr), fs(0, j)) << j;
  }

  r = run("info --model " + p("m.strider"), dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("KernelClassifier"), std::string::npos);
  EXPECT_NE(r.out.find("alpha:"), std::string::npos);
  r = run("info --model " + p("m.strider") + " --json", dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\"kernels\": ["), std::string::npos);
  EXPECT_NE(r.out.find("\"dilation\": "), std::string::npos);
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
  EXPECT_EQ(r.out.front(), '{');
  EXPECT_NE(r.out.find("\"accuracy\": "), std::string::npos);
  EXPECT_NE(r.out.find("\"normalize_kernels\": false"), std::string::npos) << r.out;
  r = evaluate_cbf("--normalize-kernels --json --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\"normalize_kernels\": true"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"normalize_input\": true"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"add_differences\": true"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"source\": \"mixed\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"add_raw_input\": false"), std::string::npos) << r.out;
  r = evaluate_cbf("--add-raw-input --no-choose-normalization --json --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\"add_raw_input\": true"), std::string::npos) << r.out;
  // feature weights: the defaults reported, others on request, a wrong count refused
  EXPECT_NE(r.out.find("\"feature_weights\": [1, 0.25, 0.25]"), std::string::npos) << r.out;
  r = evaluate_cbf("--feature-weights 1,0,0.5 --json --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\"feature_weights\": [1, 0, 0.5]"), std::string::npos) << r.out;
  r = run("evaluate --feature-weights 1,0.5 --quiet", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--feature-weights: 2 values; expected 3"), std::string::npos) << r.err;
  r = run("evaluate --feature-weights 0,0,0 --quiet", dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("feature_weights are all 0"), std::string::npos) << r.err;
  r = evaluate_cbf("--no-normalize --no-differences --source sample --json --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\"normalize_input\": false"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"add_differences\": false"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"source\": \"sample\""), std::string::npos) << r.out;
  // The per-dataset choice: on by default, reported; off on request, then the input is
  // as asked (z-normalised by default).
  EXPECT_NE(r.out.find("\"choose_normalization\": true"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"normalized\": "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"class_weight\": \"balanced\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"alpha_scoring\": \"squared_error\""), std::string::npos) << r.out;
  r = evaluate_cbf(
      "--no-choose-normalization --alpha-scoring accuracy --class-weight none --choose-differences "
      "--json --quiet");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\"choose_normalization\": false"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"normalized\": true"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"alpha_scoring\": \"accuracy\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"class_weight\": \"none\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"choose_differences\": true"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"differences\": "), std::string::npos) << r.out;
  r = run("evaluate --train " + p("cbf_train.tsv") + " --test " + p("cbf_test.tsv") +
              " --alpha-scoring best",
          dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--alpha-scoring: 'best', expected squared_error or accuracy"),
            std::string::npos)
      << r.err;
  r = run("evaluate --train " + p("cbf_train.tsv"), dir_);
  EXPECT_EQ(r.status, 2);
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

}  // namespace
}  // namespace strider

#endif  // STRIDER_CLI_PATH
