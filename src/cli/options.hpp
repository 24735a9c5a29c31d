#pragma once
// A small command-line parser for the strider CLI: `--name value` options and `--flag`
// switches, each declared per subcommand, with generated --help text.

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace strider::cli {

/// Thrown for a usage error (exit status 2).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  std::string name;   ///< without the leading "--"
  std::string value;  ///< placeholder shown in help ("FILE"); empty for a flag
  std::string help;   ///< one line
};

class Options {
 public:
  Options(std::string command, std::string usage, std::string description,
          std::vector<OptionSpec> specs);

  /// Parses argv[first..argc). Returns false when --help was given (help printed).
  /// @throws UsageError for unknown options, missing values or stray arguments
  bool parse(int argc, char** argv, int first);

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  std::string get(const std::string& name, const std::string& fallback = "") const;
  long long get_int(const std::string& name, long long fallback) const;
  double get_double(const std::string& name, double fallback) const;
  std::vector<double> get_doubles(const std::string& name) const;
  std::vector<long long> get_ints(const std::string& name) const;

  std::string help() const;
  const std::string& command() const { return command_; }

 private:
  const OptionSpec* find(const std::string& name) const;
  std::string command_, usage_, description_;
  std::vector<OptionSpec> specs_;
  std::map<std::string, std::string> values_;
};

}  // namespace strider::cli
