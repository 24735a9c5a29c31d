// Benchmarks of the dataset readers (strider/io): MB/s of the UCR .tsv parser from
// memory and from a file, of the .ts parser, and of the .tsv writer, beside a plain
// iostream reference parser (one `>>` per value), on generated UCR-like text.
#include <benchmark/benchmark.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "bench_common.hpp"
#include "strider/io/ts_format.hpp"
#include "strider/io/ucr.hpp"
#include "strider/random.hpp"

namespace {

namespace fs = std::filesystem;

// Appends a value the way the UCR archive writes them: up to 8 significant digits.
void append_value(std::string& out, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::general, 8);
  out.append(buf, r.ptr);
}

// n_series lines of `length` normal values, label first, tab-separated (~12 bytes/value).
std::string make_tsv(std::int64_t n_series, std::int64_t length) {
  strider::Rng rng(42);
  std::string out;
  out.reserve(static_cast<std::size_t>(n_series * (length * 12 + 4)));
  for (std::int64_t i = 0; i < n_series; ++i) {
    out += std::to_string(1 + rng.uniform_int(5));
    for (std::int64_t t = 0; t < length; ++t) {
      out += '\t';
      append_value(out, rng.normal());
    }
    out += '\n';
  }
  return out;
}

// A multivariate equal-length .ts file with the same value formatting.
std::string make_ts(std::int64_t n_cases, std::int64_t n_channels, std::int64_t length) {
  strider::Rng rng(43);
  std::string out =
      "@problemName Bench\n@timeStamps false\n@missing false\n@univariate false\n"
      "@dimensions " +
      std::to_string(n_channels) + "\n@equalLength true\n@seriesLength " + std::to_string(length) +
      "\n@classLabel true 1 2 3 4 5\n@data\n";
  for (std::int64_t i = 0; i < n_cases; ++i) {
    for (std::int64_t c = 0; c < n_channels; ++c) {
      for (std::int64_t t = 0; t < length; ++t) {
        if (t > 0) out += ',';
        append_value(out, rng.normal());
      }
      out += ':';
    }
    out += std::to_string(1 + rng.uniform_int(5));
    out += '\n';
  }
  return out;
}

// Generated once per size: the generation is not what is measured.
const std::string& tsv_text(std::int64_t n_series, std::int64_t length) {
  static std::map<std::pair<std::int64_t, std::int64_t>, std::string> cache;
  auto& s = cache[{n_series, length}];
  if (s.empty()) s = make_tsv(n_series, length);
  return s;
}

// The same text in a temporary file, removed at exit.
struct TsvFile {
  fs::path path;
  explicit TsvFile(const std::string& text)
      : path(fs::temp_directory_path() /
             ("strider_bench_io_" + std::to_string(text.size()) + ".tsv")) {
    std::ofstream(path, std::ios::binary) << text;
  }
  ~TsvFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

void BM_ParseUcrTsv(benchmark::State& state) {
  const std::string& text = tsv_text(state.range(0), state.range(1));
  for (auto _ : state) {
    strider::Panel p = strider::io::parse_ucr_tsv(text, "bench.tsv");
    benchmark::DoNotOptimize(p.data().data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}

void BM_ReadUcrTsvFile(benchmark::State& state) {
  const std::string& text = tsv_text(state.range(0), state.range(1));
  static std::map<std::size_t, TsvFile> files;
  const TsvFile& file = files.try_emplace(text.size(), text).first->second;
  for (auto _ : state) {
    strider::Panel p = strider::io::read_ucr_tsv(file.path);
    benchmark::DoNotOptimize(p.data().data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

// Reference: the textbook parser, a stream per line and `>>` per value.
void BM_ParseUcrTsvIostreamReference(benchmark::State& state) {
  const std::string& text = tsv_text(state.range(0), state.range(1));
  for (auto _ : state) {
    std::istringstream in(text);
    std::vector<double> values;
    std::vector<std::string> labels;
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string label;
      fields >> label;
      labels.push_back(label);
      double v;
      while (fields >> v)
        values.push_back(v);
    }
    benchmark::DoNotOptimize(values.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

void BM_FormatUcrTsv(benchmark::State& state) {
  const std::string& text = tsv_text(state.range(0), state.range(1));
  const strider::Panel p = strider::io::parse_ucr_tsv(text, "bench.tsv");
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string out = strider::io::format_ucr_tsv(p);
    bytes = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  // Shortest round-trip text is longer than the 8-digit input: count what is written.
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}

void BM_ParseTs(benchmark::State& state) {
  static std::map<std::int64_t, std::string> cache;
  std::string& text = cache[state.range(0)];
  if (text.empty()) text = make_ts(state.range(0), state.range(1), state.range(2));
  for (auto _ : state) {
    strider::Panel p = strider::io::parse_ts(text, "bench.ts");
    benchmark::DoNotOptimize(p.data().data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}

using strider::bench::size;

// Full size: 20,000 series x 500 values, about 120 MB of text.
BENCHMARK(BM_ParseUcrTsv)
    ->Args({size<std::int64_t>(20000, 20), size<std::int64_t>(500, 30)})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadUcrTsvFile)
    ->Args({size<std::int64_t>(20000, 20), size<std::int64_t>(500, 30)})
    ->Unit(benchmark::kMillisecond);
// The reference is slow: a tenth of the text gives the same MB/s in less time.
BENCHMARK(BM_ParseUcrTsvIostreamReference)
    ->Args({size<std::int64_t>(2000, 20), size<std::int64_t>(500, 30)})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FormatUcrTsv)
    ->Args({size<std::int64_t>(2000, 20), size<std::int64_t>(500, 30)})
    ->Unit(benchmark::kMillisecond);
// 2,000 cases x 6 channels x 500 values, about 70 MB.
BENCHMARK(BM_ParseTs)
    ->Args({size<std::int64_t>(2000, 5), size<std::int64_t>(6, 2), size<std::int64_t>(500, 20)})
    ->Unit(benchmark::kMillisecond);

}  // namespace
