#include "options.hpp"

#include <algorithm>
#include <charconv>
#include <iostream>
#include <sstream>

namespace strider::cli {

Options::Options(std::string command, std::string usage, std::string description,
                 std::vector<OptionSpec> specs)
    : command_(std::move(command)),
      usage_(std::move(usage)),
      description_(std::move(description)),
      specs_(std::move(specs)) {}

const OptionSpec* Options::find(const std::string& name, bool& negated) const {
  negated = false;
  for (const auto& s : specs_) {
    if (s.name == name) return &s;
    if (std::find(s.aliases.begin(), s.aliases.end(), name) != s.aliases.end()) return &s;
  }
  if (name.rfind("no-", 0) == 0) {
    const std::string base = name.substr(3);
    for (const auto& s : specs_) {
      if (!s.negatable) continue;
      if (s.name == base ||
          std::find(s.aliases.begin(), s.aliases.end(), base) != s.aliases.end()) {
        negated = true;
        return &s;
      }
    }
  }
  return nullptr;
}

std::string Options::suggestion(const std::string& name) const {
  std::vector<std::string> spellings = {"help"};
  for (const auto& s : specs_) {
    spellings.push_back(s.name);
    if (s.negatable) spellings.push_back("no-" + s.name);
    for (const auto& a : s.aliases)
      spellings.push_back(a);
  }
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  std::size_t best_edits = 0;
  for (const auto& s : spellings) {
    const std::size_t edits = edit_distance(name, s);
    std::size_t d = edits;
    // a prefix of a longer option ("--kern" for "--kernels") is a likely typo too; of two
    // such, the one fewer edits away ("--kernel": --kernels, not --kernel-sample)
    if (s.size() > name.size() && name.size() >= 3 && s.rfind(name, 0) == 0) d = 1;
    if (d < best_distance || (d == best_distance && !best.empty() && edits < best_edits)) {
      best_distance = d;
      best_edits = edits;
      best = s;
    }
  }
  return best.empty() ? "" : "; did you mean --" + best + "?";
}

bool Options::parse(int argc, char** argv, int first) {
  for (int k = first; k < argc; ++k) {
    std::string arg = argv[k];
    if (arg == "--help" || arg == "-h") {
      std::cout << help();
      return false;
    }
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      throw UsageError("unexpected argument '" + arg + "' (options start with --)");
    }
    std::string name = arg.substr(2), value;
    const auto eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    bool negated = false;
    const OptionSpec* spec = find(name, negated);
    if (spec == nullptr) {
      throw UsageError("unknown option --" + name + " for 'strider " + command_ + "'" +
                       suggestion(name));
    }
    if (spec->value.empty()) {
      if (inline_value) throw UsageError("--" + name + " takes no value");
      value = spec->negatable ? (negated ? "false" : "true") : "1";
    } else if (!inline_value) {
      if (k + 1 >= argc) throw UsageError("--" + name + " needs a value (" + spec->value + ")");
      value = argv[++k];
    }
    if (values_.count(spec->name)) {
      throw UsageError("--" + name + " given twice (or with " + typed_[spec->name] + ")");
    }
    values_[spec->name] = value;
    typed_[spec->name] = "--" + name;
  }
  return true;
}

std::string Options::get(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

std::string Options::typed(const std::string& name) const {
  const auto it = typed_.find(name);
  return it == typed_.end() ? "--" + name : it->second;
}

long long Options::get_int(const std::string& name, long long fallback) const {
  if (!has(name)) return fallback;
  const std::string text = get(name);
  long long value = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (first != last && *first == '+') ++first;
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (first == last || ec != std::errc() || ptr != last) {
    throw UsageError(typed(name) + " " + text + ": expected an integer");
  }
  return value;
}

std::string wrap(const std::string& text, std::size_t indent, std::size_t width) {
  std::string out, line;
  const std::size_t room = width > indent + 20 ? width - indent : 20;
  std::istringstream paragraphs(text);
  bool first_line = true;
  auto flush = [&] {
    out += (first_line ? "" : "\n" + std::string(indent, ' ')) + line;
    first_line = false;
    line.clear();
  };
  for (std::string paragraph; std::getline(paragraphs, paragraph);) {
    std::istringstream words(paragraph);
    for (std::string word; words >> word;) {
      if (!line.empty() && line.size() + 1 + word.size() > room) flush();
      line += (line.empty() ? "" : " ") + word;
    }
    flush();
  }
  return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string Options::help() const {
  constexpr std::size_t kWidth = 80, kColumn = 30;
  std::ostringstream out;
  const std::string usage_head = "usage: strider " + command_ + " ";
  out << usage_head << wrap(usage_, usage_head.size(), kWidth) << "\n\n"
      << wrap(description_, 0, kWidth) << "\n\n";
  out << "options:\n";
  auto row = [&](std::string left, const std::string& text) {
    left = "  " + left;
    if (left.size() + 2 > kColumn) {
      out << left << "\n" << std::string(kColumn, ' ');
    } else {
      out << left << std::string(kColumn - left.size(), ' ');
    }
    out << wrap(text, kColumn, kWidth) << "\n";
  };
  for (const auto& s : specs_) {
    std::string left = s.negatable ? "--[no-]" + s.name : "--" + s.name;
    if (!s.value.empty()) left += " " + s.value;
    std::string text = s.help;
    if (!s.aliases.empty()) {
      text += " (also";
      for (const auto& a : s.aliases)
        text += " --" + a;
      text += ")";
    }
    row(left, text);
  }
  row("--help", "show this help");
  return out.str();
}

}  // namespace strider::cli
