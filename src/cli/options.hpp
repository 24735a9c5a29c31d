#pragma once
// The strider CLI's option parser: `--name value`, `--name=value`, switches, and
// negatable switches (`--x` / `--no-x`), each declared per subcommand with aliases; a
// mistyped option gets "did you mean"; --help text is generated and wrapped.

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
  OptionSpec(std::string name_, std::string value_, std::string help_,
             std::vector<std::string> aliases_ = {}, bool negatable_ = false)
      : name(std::move(name_)),
        value(std::move(value_)),
        help(std::move(help_)),
        aliases(std::move(aliases_)),
        negatable(negatable_) {}
  OptionSpec() = default;

  std::string name;                  ///< without the leading "--"
  std::string value;                 ///< placeholder shown in help ("FILE"); empty for a switch
  std::string help;                  ///< one or more sentences; wrapped in the help
  std::vector<std::string> aliases;  ///< other spellings, without "--"
  bool negatable = false;            ///< a switch that also takes the form --no-<name>
};

class Options {
 public:
  Options(std::string command, std::string usage, std::string description,
          std::vector<OptionSpec> specs);

  /// Parses argv[first..argc). Returns false when --help was given (help printed).
  /// @throws UsageError for unknown options (with the closest known one), missing values,
  ///         repeated options or stray arguments
  bool parse(int argc, char** argv, int first);

  /// True when the option was given (under any of its spellings).
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  /// The value given; "true" / "false" for a negatable switch, "1" for a plain switch.
  std::string get(const std::string& name, const std::string& fallback = "") const;
  /// The spelling the user typed ("--n-jobs" for --threads given as --n-jobs).
  std::string typed(const std::string& name) const;
  long long get_int(const std::string& name, long long fallback) const;

  std::string help() const;
  const std::string& command() const { return command_; }

 private:
  /// The spec a typed name selects, and whether it was the --no- form; nullptr if none.
  const OptionSpec* find(const std::string& name, bool& negated) const;
  std::string suggestion(const std::string& name) const;

  std::string command_, usage_, description_;
  std::vector<OptionSpec> specs_;
  std::map<std::string, std::string> values_;
  std::map<std::string, std::string> typed_;
};

/// `text` wrapped to `width` columns, continuation lines indented by `indent` spaces
/// (the first line is not indented); explicit line breaks are kept.
std::string wrap(const std::string& text, std::size_t indent, std::size_t width);

/// Levenshtein distance between two strings (for "did you mean").
std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace strider::cli
