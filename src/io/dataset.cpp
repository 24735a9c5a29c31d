#include "strider/io/dataset.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <system_error>

#include "strider/error.hpp"
#include "strider/io/ts_format.hpp"
#include "strider/io/ucr.hpp"

namespace strider::io {

namespace fs = std::filesystem;

namespace {

// Extensions load_ucr_dataset() tries, in order of preference.
constexpr const char* kExtensions[] = {".tsv", ".ts", ".txt", ".csv"};

std::string lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

fs::path find_ucr_split(const fs::path& root, const std::string& name, const std::string& split) {
  const fs::path dir = root / name;
  std::string looked;
  for (const char* ext : kExtensions) {
    const fs::path candidate = dir / (name + "_" + split + ext);
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate;
    looked += (looked.empty() ? "" : ", ") + candidate.filename().string();
  }
  std::error_code ec;
  const std::string why = fs::is_directory(dir, ec) ? "" : " (the folder does not exist)";
  throw FormatError(
      dir.string(), 0,
      "no " + split + " file for dataset '" + name + "'" + why + ": looked for " + looked);
}

Panel read_dataset_file(const fs::path& path, const ReadOptions& options) {
  const std::string ext = lower(path.extension().string());
  if (ext == ".tsv") return read_ucr_tsv(path, options);
  if (ext == ".ts") return read_ts(path, options);
  if (ext == ".txt" || ext == ".csv") return read_ucr_txt(path, options);
  throw FormatError(path.string(), 0,
                    "unknown dataset file extension '" + path.extension().string() +
                        "'; expected .tsv (UCR 2018), .ts (sktime/aeon), .txt or .csv "
                        "(UCR 2015)");
}

TrainTest load_ucr_dataset(const fs::path& root, const std::string& name,
                           const ReadOptions& options) {
  if (name.empty() || name.find_first_of("/\\") != std::string::npos || name == "." ||
      name == "..") {
    throw std::invalid_argument("load_ucr_dataset(): '" + name +
                                "' is not a dataset name (empty, or a path)");
  }
  const fs::path train_path = find_ucr_split(root, name, "TRAIN");
  const fs::path test_path = find_ucr_split(root, name, "TEST");
  TrainTest out{read_dataset_file(train_path, options), read_dataset_file(test_path, options)};
  if (out.train.n_channels() != out.test.n_channels()) {
    throw FormatError(test_path.string(), 0,
                      "has " + std::to_string(out.test.n_channels()) + " channels but " +
                          train_path.filename().string() + " has " +
                          std::to_string(out.train.n_channels()));
  }
  return out;
}

}  // namespace strider::io
