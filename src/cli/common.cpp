#include "common.hpp"

#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

#include <strider/io/atomic_write.hpp>
#include <strider/io/dataset.hpp>

#include "model_options.hpp"

namespace strider::cli {

namespace fs = std::filesystem;

// ---- option groups ------------------------------------------------------------------
std::vector<OptionSpec> with(std::vector<OptionSpec> own, bool model_options, bool memory) {
  if (model_options) {
    for (auto& spec : model_option_specs())
      own.push_back(std::move(spec));
  }
  own.push_back(threads_option());
  if (memory) own.push_back(memory_limit_option());
  own.push_back({"quiet", "", "no progress bar"});
  return own;
}

const OptionSpec kNoLabels = {
    "no-labels", "",
    "the file has no label column: every field is a series value (for .ts files: labels "
    "declared in the header are dropped)"};
const OptionSpec kJson = {"json", "", "print the results as one JSON object"};

Panel read_input(const Options& o, const std::string& option, bool targets) {
  io::ReadOptions read;
  if (targets) read.labels = io::Labels::targets;
  if (o.has("no-labels")) read.labels = io::Labels::unlabelled;
  return io::read_dataset_file(o.get(option), read);
}

/// Fails early, before a long fit, when `path` cannot be created: its folder is missing or
/// not writable, or the file exists and is read-only.
void check_writable(const std::string& option, const fs::path& path) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw std::runtime_error("--" + option + " " + path.string() + ": the folder " + dir.string() +
                             " does not exist");
  }
  if (fs::exists(path, ec) && fs::is_directory(path, ec)) {
    throw std::runtime_error("--" + option + " " + path.string() + ": is a folder");
  }
  const fs::path probe = dir / (".strider_write_test_" + std::to_string(::getpid()));
  {
    std::ofstream test(probe);
    if (!test) {
      throw std::runtime_error("--" + option + " " + path.string() + ": cannot write in " +
                               dir.string());
    }
  }
  fs::remove(probe, ec);
  const auto perms = fs::status(path, ec).permissions();
  if (!ec && fs::exists(path) && (perms & fs::perms::owner_write) == fs::perms::none) {
    throw std::runtime_error("--" + option + " " + path.string() +
                             ": the file exists and is read-only");
  }
}

/// Writes an output file (predictions, features) all at once; the message says which file
/// and why when it cannot.
void write_output(const Options& o, const std::string& option, const std::string& what,
                  const std::string& bytes) {
  try {
    io::write_file_atomic(o.get(option), bytes);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot write the " + what + " file " + o.get(option) + " (--" +
                             option + "): " + e.what());
  }
}

// ---- output helpers -----------------------------------------------------------------
/// A CSV field, quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s)
    q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string megabytes(std::int64_t bytes) {
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

/// Seconds rounded to the millisecond, for JSON (no 17-digit timings).
double ms_round(double s) {
  return std::round(s * 1000.0) / 1000.0;
}

void print_kernels_json(Json& j, const std::vector<Kernel>& kernels) {
  j.key("kernels").begin_array();
  for (const auto& k : kernels) {
    j.begin_object()
        .field("length", k.length)
        .field("dilation", k.dilation)
        .field("padding", k.padding)
        .field("channel", k.channel)
        .field("values", k.values)
        .field("source_series", k.source_series)
        .field("source_start", k.source_start)
        .end_object();
  }
  j.end_array();
}

}  // namespace strider::cli
