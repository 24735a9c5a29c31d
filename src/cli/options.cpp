#include "options.hpp"

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

const OptionSpec* Options::find(const std::string& name) const {
  for (const auto& s : specs_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

bool Options::parse(int argc, char** argv, int first) {
  for (int k = first; k < argc; ++k) {
    std::string arg = argv[k];
    if (arg == "--help" || arg == "-h") {
      std::cout << help();
      return false;
    }
    if (arg.rfind("--", 0) != 0) {
      throw UsageError("unexpected argument '" + arg + "' (options start with --)");
    }
    std::string name = arg.substr(2), value;
    const auto eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const OptionSpec* spec = find(name);
    if (spec == nullptr) throw UsageError("unknown option --" + name + " for '" + command_ + "'");
    if (spec->value.empty()) {
      if (inline_value) throw UsageError("--" + name + " takes no value");
      value = "1";
    } else if (!inline_value) {
      if (k + 1 >= argc) throw UsageError("--" + name + " needs a value (" + spec->value + ")");
      value = argv[++k];
    }
    if (values_.count(name)) throw UsageError("--" + name + " given twice");
    values_[name] = value;
  }
  return true;
}

std::string Options::get(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

namespace {

template <class T>
T parse_number(const std::string& option, const std::string& text) {
  T value{};
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (first != last && *first == '+') ++first;
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last || first == last) {
    throw UsageError("--" + option + ": '" + text + "' is not a valid number");
  }
  return value;
}

template <class T>
std::vector<T> parse_list(const std::string& option, const std::string& text) {
  std::vector<T> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');)
    out.push_back(parse_number<T>(option, item));
  if (out.empty()) throw UsageError("--" + option + ": empty list");
  return out;
}

}  // namespace

long long Options::get_int(const std::string& name, long long fallback) const {
  return has(name) ? parse_number<long long>(name, get(name)) : fallback;
}

double Options::get_double(const std::string& name, double fallback) const {
  return has(name) ? parse_number<double>(name, get(name)) : fallback;
}

std::vector<double> Options::get_doubles(const std::string& name) const {
  return parse_list<double>(name, get(name));
}

std::vector<long long> Options::get_ints(const std::string& name) const {
  return parse_list<long long>(name, get(name));
}

std::string Options::help() const {
  std::ostringstream out;
  out << "usage: strider " << command_ << " " << usage_ << "\n\n" << description_ << "\n\n";
  out << "options:\n";
  std::size_t width = 0;
  for (const auto& s : specs_)
    width = std::max(width, s.name.size() + s.value.size() + 3);
  for (const auto& s : specs_) {
    std::string left = "--" + s.name + (s.value.empty() ? "" : " " + s.value);
    out << "  " << left << std::string(width - left.size() + 2, ' ') << s.help << "\n";
  }
  out << "  --help" << std::string(width - 6 + 2, ' ') << "show this help\n";
  return out.str();
}

}  // namespace strider::cli
